//! The tokens of single-use links sent by e-mail: 256 random bits, shown once (in the mail) and
//! stored only as their SHA-256.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// A fresh token (64 hex digits) and the hash to store.
pub(crate) fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a token.
pub(crate) fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_and_only_their_hash_is_kept() {
        let (token, hash) = new_token();
        let (other, _) = new_token();
        assert_eq!(token.len(), 64);
        assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(token, other);
        assert_ne!(token, hash);
        assert_eq!(hash, hash_token(&token));
    }
}
