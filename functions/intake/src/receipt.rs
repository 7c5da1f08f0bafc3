//! The parts of a receipt that are pure computation: the tracking secret
//! derived from the idempotency key, and the request fingerprint.
//!
//! The secret is HMAC-SHA256(site key, idempotency key), so a retry with the
//! same key gets the same secret back without the secret ever being stored:
//! the database keeps only its SHA-256.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Crockford's base32 without I, L, O, U: easy to read aloud and to type from paper.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const SECRET_CHARS: usize = 12;

pub fn tracking_secret(site_key: &[u8], idempotency_key: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(site_key).expect("HMAC takes any key length");
    mac.update(b"tracking-secret:");
    mac.update(idempotency_key.as_bytes());
    let bytes = mac.finalize().into_bytes();
    // 12 characters of 5 bits: 60 bits, ample against guessing with the rate limit on tracking.
    let mut bits: u64 = 0;
    for b in &bytes[..8] {
        bits = (bits << 8) | u64::from(*b);
    }
    (0..SECRET_CHARS).map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect()
}

/// Fingerprint of what was submitted, to tell a retry from a different dossier reusing a key.
pub fn request_hash(procedure_code: &str, answers_json: &str) -> String {
    let mut h = Sha256::new();
    h.update(procedure_code.as_bytes());
    h.update(b"\n");
    h.update(answers_json.as_bytes());
    hex(&h.finalize())
}

/// Fingerprint of a file's bytes (a photo posted with a form).
pub fn bytes_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The tracking link a receipt's QR code opens, under the portal's public
/// origin (`http_kit::origin::public`; empty makes the link relative). The
/// secret is in the fragment, which browsers never send to a server.
pub fn tracking_url(origin: &str, code: &str, secret: &str) -> String {
    format!("{origin}/track/{code}#{secret}")
}

/// A QR code as a small SVG (dark modules on white, with the quiet zone).
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(200, 200)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    motcua_shared::dossier::secret::hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_stable_per_key_and_differs_between_keys() {
        let a = tracking_secret(b"site", "key-aaaaaaaaaaaaaaaa");
        assert_eq!(a, tracking_secret(b"site", "key-aaaaaaaaaaaaaaaa"));
        assert_ne!(a, tracking_secret(b"site", "key-bbbbbbbbbbbbbbbb"));
        assert_ne!(a, tracking_secret(b"other site", "key-aaaaaaaaaaaaaaaa"));
        assert_eq!(a.len(), SECRET_CHARS);
        assert!(a.bytes().all(|b| ALPHABET.contains(&b)));
    }

    #[test]
    fn tracking_links_keep_the_secret_in_the_fragment() {
        let url = tracking_url("https://motcua.example.gov.vn", "000.21.06.H56-261123-0001", "ABCDEFGHJKMN");
        assert_eq!(url, "https://motcua.example.gov.vn/track/000.21.06.H56-261123-0001#ABCDEFGHJKMN");
        let svg = qr_svg(&url);
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }

    #[test]
    fn secrets_typed_from_paper_still_match() {
        use motcua_shared::dossier::secret::secret_hash;
        let s = tracking_secret(b"site", "key-aaaaaaaaaaaaaaaa");
        let typed = format!(" {}-{} ", &s[..6].to_lowercase(), &s[6..]);
        assert_eq!(secret_hash(&typed), secret_hash(&s));
    }
}
