//! The one place the store meets the request pipeline: a holder opening
//! their dossier with its code and secret, with wrong secrets throttled.

use crate::dossiers::{find_for_citizen, DossierRow};
use spin_sdk::sqlite::Connection;

/// The dossier for a holder's code and secret. A wrong secret gets the same
/// 404 as an unknown code, and is counted against the client and the code
/// (tracking, sending papers and rating share the counts); past the limits
/// wrong guesses get 429. A right secret is always served: someone else's
/// failures never lock the holder out of their own dossier.
pub fn find_for_holder(
    conn: &Connection,
    req: &spin_sdk::http::Request,
    code: &str,
    secret: &str,
) -> http_kit::Result<DossierRow> {
    use motcua_shared::api_error::ApiError;
    use motcua_shared::throttle::{WRONG_SECRET_PER_CLIENT, WRONG_SECRET_PER_CODE};
    let hash = motcua_shared::dossier::secret::secret_hash(secret);
    match find_for_citizen(conn, code, &hash)? {
        Some(row) => Ok(row),
        None => Err(http_kit::throttle::failed(
            &WRONG_SECRET_PER_CLIENT,
            &http_kit::throttle::client(req),
            Some((&WRONG_SECRET_PER_CODE, code)),
            ApiError::not_found("no dossier with this code and secret").into(),
        )),
    }
}
