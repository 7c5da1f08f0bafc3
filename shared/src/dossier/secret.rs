//! Tracking secrets as citizens type them, and how they are stored: only a
//! SHA-256 of the normalised secret is kept.

use sha2::{Digest, Sha256};

/// What is stored to check a secret later.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(normalise_secret(secret).as_bytes()))
}

/// Secrets are read off paper: accept lower case, spaces, dashes, and the
/// letters people confuse with digits.
pub fn normalise_secret(secret: &str) -> String {
    secret
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_typos_normalise() {
        assert_eq!(secret_hash("0O1IL"), secret_hash("00111"));
        assert_eq!(secret_hash(" ab-cd "), secret_hash("ABCD"));
        assert_ne!(secret_hash("ABCD"), secret_hash("ABCE"));
    }
}
