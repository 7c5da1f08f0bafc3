//! The one rule for a citizen's comment on a consultation: the voice
//! component's JSON route and the server's consultation page both call it.

use crate::public::consultation_row;
use http_kit::db::transaction;
use http_kit::{clock, throttle, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::consultations::{check_comment, phase, CommentReceipt, NewComment, Phase};
use motcua_shared::reports::redact;
use motcua_shared::throttle::COMMENTS_PER_CLIENT;
use spin_sdk::http::Request;
use spin_sdk::sqlite::Connection;

/// A comment on one section while the consultation is open; it waits for
/// moderation, with personal data taken out of what would be shown.
/// Idempotent by key (the outbox retries): 201 new, 200 the same again.
pub fn comment(conn: &Connection, req: &Request, raw_id: &str, sent: &NewComment) -> Result<(u16, CommentReceipt)> {
    if !motcua_shared::dossier::api::valid_idempotency_key(&sent.idempotency_key) {
        return Err(ApiError::invalid("idempotency_key", "16 to 64 letters, digits, '-' or '_', made once per comment").into());
    }
    let c = consultation_row(conn, raw_id)?;
    let issues = check_comment(sent, c.sections.len());
    if !issues.is_empty() {
        return Err(ApiError::invalid_answers(issues).into());
    }
    let today = clock::today();
    if phase(c.opens_on, c.closes_on, today) != Phase::Open {
        return Err(ApiError::conflict("consultation", "comments are taken only while the consultation is open").into());
    }
    let limit = COMMENTS_PER_CLIENT.with_max(throttle::variable("comments_per_client", COMMENTS_PER_CLIENT.max));
    throttle::take(&limit, &throttle::client(req), "too many comments from this address; wait and try again")?;
    let shown = redact(sent.text.trim());
    let name = sent.name.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (new, id, state) = transaction(conn, |conn| {
        Ok(dossier_store::insert_comment(conn, c.id, sent.section, &shown, name, None, Some(&sent.idempotency_key), today)?)
    })?;
    Ok((if new { 201 } else { 200 }, CommentReceipt { id, state }))
}
