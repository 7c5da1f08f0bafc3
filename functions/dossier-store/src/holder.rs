//! The one place the store meets the request pipeline: a holder opening
//! their dossier with its code and secret, with wrong secrets throttled.

use crate::dossiers::{find_for_citizen, DossierRow};
use motcua_shared::dossier::api::{is_overdue, TimelineEntry, ToldBy, Tracking};
use motcua_shared::dossier::lifecycle::Status;
use motcua_shared::notify::mask;
use motcua_shared::ratings::{check_rating, Channel, Criterion, DossierRating, RatingView, CHANGE_WINDOW_SECS};
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

/// What the holder of a dossier's code and secret sees (tracking, on the
/// app's page and on the server's): status, dates, timeline, papers, rating,
/// how they are told (masked).
pub fn tracking(conn: &Connection, row: DossierRow) -> http_kit::Result<Tracking> {
    let attachments = crate::attachments(conn, &row.code)?;
    let events = crate::audit_trail(conn, &row.code)?;
    let now = http_kit::clock::unix_seconds();
    let rating = crate::dossier_rating(conn, &row.code)?.map(|r| RatingView {
        answers: r.answers,
        comment: r.comment,
        changeable_until: http_kit::clock::iso_at(r.created_at + CHANGE_WINDOW_SECS),
        changeable: now - r.created_at <= CHANGE_WINDOW_SECS,
    });
    let today = http_kit::clock::today();
    let received_on = row.received_on.unwrap_or(today);
    let told_by = crate::recipient(conn, &row.code)?.map(|(r, _)| ToldBy { channel: r.channel, to: mask(&r.address) });
    let tracking = Tracking {
        procedure_name: province_store::procedure_name(conn, &row.procedure_code)?,
        overdue: is_overdue(row.status, row.appointment_on, today),
        code: row.code,
        procedure_code: row.procedure_code,
        status: row.status,
        received_on,
        appointment_on: row.appointment_on,
        timeline: events
            .into_iter()
            .map(|e| TimelineEntry {
                status: e.to_status,
                by_citizen: e.actor == "citizen",
                at: e.at,
                note: e.note_to_citizen,
            })
            .collect(),
        attachments,
        can_rate: matches!(row.status, Status::ResultReturned | Status::Refused),
        rating,
        told_by,
    };
    Ok(tracking)
}

/// The holder rates their returned (or refused) dossier, or changes the
/// rating within a day of giving it (app and server pages alike): checked
/// against `criteria`; 201 for a new rating, 200 for a change.
pub fn rate_as_holder(
    conn: &Connection,
    row: &DossierRow,
    criteria: &[Criterion],
    rating: DossierRating,
    now: i64,
) -> http_kit::Result<(u16, RatingView)> {
    use http_kit::clock;
    use http_kit::db::transaction;
    use motcua_shared::api_error::ApiError;
    if !matches!(row.status, Status::ResultReturned | Status::Refused) {
        return Err(ApiError::conflict("status", "a dossier is rated once its result is returned (or it was refused)").into());
    }
    check_rating(criteria, &rating).map_err(ApiError::invalid_answers)?;
    let comment = rating.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let at = clock::now_iso();
    let (status, created_at) = transaction(&conn, |conn| match crate::dossier_rating(conn, &row.code)? {
        Some(old) if now - old.created_at > CHANGE_WINDOW_SECS => {
            Err(ApiError::conflict("rating", "this dossier was rated more than a day ago; the rating is fixed").into())
        }
        Some(old) => {
            crate::change_rating(conn, &old, &rating.answers, comment)?;
            Ok((200, old.created_at))
        }
        None => {
            let agency = crate::dossier_agency(conn, &row.code)?.unwrap_or_default();
            let officer = crate::last_officer(conn, &row.code)?;
            let new = crate::NewRating {
                created_at: now,
                at: &at,
                agency_id: &agency,
                officer: officer.as_deref(),
                counter: None,
                channel: Channel::Online,
                dossier_code: Some(&row.code),
                comment,
                answers: &rating.answers,
            };
            crate::insert_rating(conn, &new)?;
            Ok((201, now))
        }
    })?;
    let view = RatingView {
        answers: rating.answers,
        comment: comment.map(str::to_owned),
        changeable_until: clock::iso_at(created_at + CHANGE_WINDOW_SECS),
        changeable: true,
    };
    Ok((status, view))
}
