//! Secret tokens (sessions, invitations): 256 random bits, sent once, stored only as a hash.

use sha2::{Digest, Sha256};

/// A new random token, 64 hexadecimal characters.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator; failing to read it is not recoverable.
    getrandom::fill(&mut bytes).expect("the operating system's random generator is unavailable");
    hex(&bytes)
}

/// What the database stores and looks up: a stolen copy of the database opens nothing.
pub fn hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 in lowercase hexadecimal, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_random_and_hashed_differently() {
        let (a, b) = (super::generate(), super::generate());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(super::hash(&a), a);
        assert_eq!(super::hash(&a), super::hash(&a));
    }
}
