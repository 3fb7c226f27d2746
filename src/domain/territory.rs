//! French départements: one list and one normalisation for every form and for the server.
//! Each error is a French sentence a person can act on.

/// The accepted values, as the messages say them.
pub const ACCEPTED_DEPARTEMENTS: &str = "01 à 19, 21 à 95, 2A, 2B, 971, 972, 973, 974 ou 976";

/// How people type a département, made canonical: spaces trimmed, letters in capitals, one digit
/// padded (`7` → `07`, `2a` → `2A`). Says nothing of whether it exists (see `check_departement`).
pub fn normalise_departement(typed: &str) -> String {
    let upper = typed.trim().to_ascii_uppercase();
    if upper.len() == 1 && upper.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{upper}")
    } else {
        upper
    }
}

/// Whether a canonical code (see `normalise_departement`) is a département: the 94 of
/// metropolitan France after 1976 (01 to 95, 20 replaced by 2A and 2B) and the five overseas
/// départements (971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte).
pub fn is_departement(code: &str) -> bool {
    match code {
        "2A" | "2B" | "971" | "972" | "973" | "974" | "976" => true,
        _ => {
            code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) && ("01"..="95").contains(&code) && code != "20"
        }
    }
}

/// Checks one typed département and returns its canonical code.
pub fn check_departement(typed: &str) -> Result<String, String> {
    let code = normalise_departement(typed);
    if is_departement(&code) {
        return Ok(code);
    }
    let why = match code.as_str() {
        "" => return Err(format!("Indiquez un numéro de département ({ACCEPTED_DEPARTEMENTS}).")),
        "20" => " (depuis 1976, la Corse compte deux départements : 2A Corse-du-Sud et 2B Haute-Corse)",
        "975" => " (Saint-Pierre-et-Miquelon est une collectivité d'outre-mer)",
        "977" => " (Saint-Barthélemy est une collectivité d'outre-mer)",
        "978" => " (Saint-Martin est une collectivité d'outre-mer)",
        "986" => " (Wallis-et-Futuna est une collectivité d'outre-mer)",
        "987" => " (la Polynésie française est une collectivité d'outre-mer)",
        "988" => " (la Nouvelle-Calédonie n'est pas un département)",
        _ => "",
    };
    Err(format!(
        "« {code} » n'est pas un numéro de département{why} : indiquez {ACCEPTED_DEPARTEMENTS}."
    ))
}

/// Checks every département of a list already split (see `consultation::split_list`): the
/// canonical codes, without duplicates (`7` and `07` are one département), or every problem.
pub fn check_departement_list<S: AsRef<str>>(items: &[S]) -> Result<Vec<String>, Vec<String>> {
    super::lists::check_each(items, check_departement)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_normalised() {
        // Issue 14: `7` was normalised for a consultation and refused for an organisation.
        assert_eq!(check_departement("7").unwrap(), "07");
        assert_eq!(check_departement(" 2a ").unwrap(), "2A");
        assert_eq!(check_departement("2b").unwrap(), "2B");
        assert_eq!(check_departement("974").unwrap(), "974");
        assert_eq!(
            check_departement_list(&["77", "7", "07", "2a"]),
            Ok(vec!["77".to_owned(), "07".to_owned(), "2A".to_owned()])
        );
    }

    #[test]
    fn the_list_is_the_101_departements() {
        let mut all: Vec<String> = (1..=95).filter(|n| *n != 20).map(|n| format!("{n:02}")).collect();
        all.extend(["2A", "2B", "971", "972", "973", "974", "976"].map(String::from));
        assert_eq!(all.len(), 101);
        assert!(all.iter().all(|d| is_departement(d)));
        assert_eq!(check_departement_list(&all).unwrap().len(), 101);
    }

    #[test]
    fn collectivites_and_unknown_numbers_are_refused_with_the_accepted_values() {
        // Issue 14: 975 and 979 were accepted by the admin and refused for a consultation.
        for refused in [
            "975", "977", "978", "979", "970", "980", "986", "987", "988", "20", "00", "0", "96", "99", "2C", "A",
            "077", "7 7", "1.5",
        ] {
            let problem = check_departement(refused).unwrap_err();
            assert!(
                problem.contains("n'est pas un numéro de département"),
                "{refused}: {problem}"
            );
            assert!(
                problem.ends_with(&format!("indiquez {ACCEPTED_DEPARTEMENTS}.")),
                "{problem}"
            );
        }
        assert!(check_departement("975")
            .unwrap_err()
            .contains("Saint-Pierre-et-Miquelon"));
        assert!(check_departement("20")
            .unwrap_err()
            .contains("2A Corse-du-Sud et 2B Haute-Corse"));
        assert!(check_departement(" ")
            .unwrap_err()
            .starts_with("Indiquez un numéro de département"));
        let problems = check_departement_list(&["77", "975", "979"]).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
    }
}
