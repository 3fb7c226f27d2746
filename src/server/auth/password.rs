//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, OWASP's
//! recommended minimum).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random generator is unavailable");
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Checks a password against a stored hash; `None` (unknown account) still spends the time of
/// a real check, so that the answer's timing does not tell whether the e-mail exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a password of anyone").unwrap_or_default());
    let candidate = stored.unwrap_or(dummy);
    let ok = PasswordHash::new(candidate)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false);
    ok && stored.is_some()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("le chat dort sur le radiateur").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("le chat dort sur le radiateur", Some(&h)));
        assert!(!super::verify("le chien dort sur le radiateur", Some(&h)));
        assert!(!super::verify("not a password of anyone", None));
    }
}
