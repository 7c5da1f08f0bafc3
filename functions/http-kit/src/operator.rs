//! The operator's token (`desk_admin_token`), which the documented scripts
//! (`scripts/officer`, `scripts/catalogue`) send as `Authorization: Bearer`.
//! Unset or shorter than 16 characters, it opens nothing. Wrong tokens are
//! counted per client like wrong passwords, and answered as an unknown route.

use crate::{throttle, Failure, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::throttle::WRONG_ADMIN_TOKEN_PER_CLIENT;
use spin_sdk::http::Request;

/// `Ok(true)`: the request carries the operator's token. `Ok(false)`: it
/// carries no bearer token at all (a browser, with a session instead).
/// A wrong token is an error.
pub fn token_given(req: &Request) -> Result<bool> {
    let Some(given) = crate::header(req, "authorization").strip_prefix("Bearer ") else { return Ok(false) };
    let expected = spin_sdk::variables::get("admin_token").unwrap_or_default();
    if expected.len() >= 16 && same_secret(&expected, given) {
        return Ok(true);
    }
    let unknown: Failure = ApiError::not_found("no such route").into();
    Err(throttle::failed(&WRONG_ADMIN_TOKEN_PER_CLIENT, &throttle::client(req), None, unknown))
}

/// Compares hashes, so the time taken tells nothing of the token.
fn same_secret(expected: &str, given: &str) -> bool {
    use motcua_shared::dossier::secret::sha256_hex;
    let (a, b) = (sha256_hex(expected.as_bytes()), sha256_hex(given.as_bytes()));
    a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
