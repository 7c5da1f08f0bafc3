//! Officer passwords (argon2id) and sessions (a random token in an HttpOnly,
//! SameSite=Strict cookie; only its SHA-256 is stored).

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use motcua_shared::dossier::secret::hex;
use spin_sdk::http::Request;

pub use dossier_store::desk_session::{token, token_hash, COOKIE};
pub const SESSION_SECS: i64 = 8 * 3600;

pub fn hash_password(password: &str) -> Option<String> {
    Argon2::default().hash_password(password.as_bytes()).ok().map(|h| h.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A new session token (256 random bits, hex).
pub fn new_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex(&bytes))
}

/// `Set-Cookie` for a session; `Secure` whenever the portal is reached over HTTPS.
pub fn set_cookie(req: &Request, token: &str, max_age: i64) -> String {
    let https = req.header("spin-full-url").and_then(|v| v.as_str()).is_some_and(|u| u.starts_with("https://"));
    format!(
        "{COOKIE}={token}; Path=/api/desk; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        if https { "; Secure" } else { "" }
    )
}
