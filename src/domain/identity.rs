//! Identity rules shared by the forms (browser) and the server: SIREN/SIRET numbers, e-mail
//! addresses, password policy. Each error is a French sentence a person can act on.

/// Minimum password length (ANSSI recommends at least 12 characters for a password alone).
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// SIREN (9 digits, a company) or SIRET (14 digits, one of its establishments), spaces allowed.
/// Returns the digits only.
pub fn validate_siren_or_siret(input: &str) -> Result<String, String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err("Indiquez le numéro SIREN (9 chiffres) ou SIRET (14 chiffres).".into());
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "« {input} » contient autre chose que des chiffres : un SIREN ou un SIRET ne contient que des chiffres."
        ));
    }
    if digits.len() != 9 && digits.len() != 14 {
        return Err(format!(
            "Un SIREN a 9 chiffres et un SIRET 14 ; « {input} » en a {}. Vérifiez le numéro sur l'avis de situation INSEE.",
            digits.len()
        ));
    }
    // La Poste's establishments share one SIREN and use another key: the digits add up to a
    // multiple of 5 (INSEE rule).
    let la_poste = digits.len() == 14 && digits.starts_with("356000000");
    let valid = if la_poste {
        digit_sum(&digits).is_multiple_of(5)
    } else {
        luhn(&digits)
    };
    if !valid {
        return Err(format!(
            "Le numéro « {input} » n'est pas valide (sa clé de contrôle ne correspond pas). Vérifiez qu'aucun chiffre n'a été inversé ou oublié."
        ));
    }
    Ok(digits)
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

/// Luhn key: doubling every second digit from the right, the sum is a multiple of 10.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d = d * 2;
                if d > 9 {
                    d - 9
                } else {
                    d
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Trims and lowercases an e-mail address, and checks its shape (one `@`, a dotted domain).
pub fn normalise_email(input: &str) -> Result<String, String> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        });
    if valid {
        Ok(email)
    } else {
        Err(format!(
            "« {} » n'est pas une adresse e-mail valide (exemple : prenom.nom@exemple.fr).",
            input.trim()
        ))
    }
}

/// Checks a new password: long enough, not too long, not a common password, not the e-mail.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères ({chars} saisis). Une courte phrase est facile à retenir."
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "Le mot de passe ne peut dépasser {MAX_PASSWORD_CHARS} caractères."
        ));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && lower.contains(&local) {
        return Err("Le mot de passe ne doit pas contenir votre adresse e-mail.".into());
    }
    if is_common_password(&lower) {
        return Err("Ce mot de passe figure parmi les plus courants : choisissez-en un autre.".into());
    }
    Ok(())
}

/// Common passwords and their usual 12+ character variants, French ones included. A password
/// made of one of these with digits or symbols around it is refused too.
const COMMON: &[&str] = &[
    "password",
    "motdepasse",
    "azerty",
    "azertyuiop",
    "qwerty",
    "qwertyuiop",
    "123456",
    "1234567890",
    "123456789",
    "soleil",
    "bonjour",
    "doudou",
    "loulou",
    "chouchou",
    "marseille",
    "nicolas",
    "iloveyou",
    "jetaime",
    "admin",
    "administrateur",
    "welcome",
    "bienvenue",
    "letmein",
    "motdepasse123",
    "changeme",
    "secret",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "master",
    "sunshine",
    "princess",
    "starwars",
    "abcdef",
    "abc123",
    "000000",
    "111111",
    "121212",
    "654321",
    "987654321",
    "aaaaaa",
    "coucou",
    "papillon",
    "chocolat",
    "olivier",
    "camille",
    "julien",
    "marine",
    "jesaisfaire",
    "prefecture",
    "marchespublics",
    "sourcing",
];

fn is_common_password(lower: &str) -> bool {
    let core: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let digits_only = lower.chars().all(|c| c.is_ascii_digit());
    let one_char_repeated = lower.chars().all(|c| lower.starts_with(c));
    digits_only
        || one_char_repeated
        || COMMON
            .iter()
            .any(|w| lower == *w || core == *w || (core.len() < 8 && core.contains(w)))
        || COMMON
            .iter()
            .any(|w| w.len() >= 6 && lower.replace(w, "").chars().all(|c| !c.is_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_and_siren_keys_are_checked() {
        assert_eq!(validate_siren_or_siret("130 007 701 00019").unwrap(), "13000770100019");
        assert_eq!(validate_siren_or_siret("732829320").unwrap(), "732829320");
        // One digit off: the key catches it.
        let err = validate_siren_or_siret("13000770100018").unwrap_err();
        assert!(err.contains("clé de contrôle"), "{err}");
        assert!(validate_siren_or_siret("1234").unwrap_err().contains("en a 4"));
        assert!(validate_siren_or_siret("13000A70100019")
            .unwrap_err()
            .contains("que des chiffres"));
        assert!(validate_siren_or_siret(" ").unwrap_err().contains("Indiquez"));
        // La Poste: SIREN 356000000, key by sum of digits.
        assert!(validate_siren_or_siret("35600000000051").is_ok());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalise_email("  Jeanne.Martin@Seine-et-Marne.GOUV.fr ").unwrap(),
            "jeanne.martin@seine-et-marne.gouv.fr"
        );
        for bad in ["", "jeanne", "jeanne@", "@x.fr", "a@b", "a@@b.fr", "a b@c.fr", "a@.fr"] {
            assert!(normalise_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check_new_password("court", "a@b.fr")
            .unwrap_err()
            .contains("au moins 12"));
        assert!(check_new_password("azertyuiop123!", "a@b.fr")
            .unwrap_err()
            .contains("plus courants"));
        assert!(check_new_password("MotDePasse2024!!", "a@b.fr")
            .unwrap_err()
            .contains("plus courants"));
        assert!(check_new_password("111111111111", "a@b.fr").is_err());
        assert!(check_new_password("jeanne.martin-2026", "jeanne.martin@x.fr")
            .unwrap_err()
            .contains("adresse"));
        assert!(check_new_password("le chat dort sur le radiateur", "jeanne@x.fr").is_ok());
        assert!(check_new_password(&"x".repeat(300), "jeanne@x.fr").is_err());
    }
}
