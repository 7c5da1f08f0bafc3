//! The report routes: a citizen sends a report (idempotent, limited per
//! client), reads it with its secret and rates the answer; the public reads
//! what moderators published; the agency's officers answer, and its
//! supervisors re-route and moderate.

use crate::handler::{db, signed_in};
use dossier_store::{OfficerRow, ReportRow};
use http_kit::db::transaction;
use http_kit::{clock, compressed, json, json_body, json_only_body, query_pairs, Failure, Result};
use intake::public::agency_name;
use intake::report::{code_of, due_on, for_holder};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::TrackingRequest;
use motcua_shared::reports::{
    check_answer, redact, AnswerRating, DeskList, Moderation, NewReport, ReportAnswer, Reroute, TEXT_CHARS,
};
use motcua_shared::validation::{text_within, FieldIssue};
use serde::Serialize;
use spin_sdk::http::{Request, Response};
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

// --- The citizen ----------------------------------------------------------------

pub(crate) fn send(req: &Request) -> Result<Response> {
    let sent: NewReport = json_body(req.body())?;
    let (status, receipt) = intake::report::send(&db()?, req, &sent)?;
    Ok(json(status, &receipt, "no-store"))
}

pub(crate) fn holder(req: &Request, raw: &str) -> Result<Response> {
    let TrackingRequest { secret } = json_body(req.body())?;
    let conn = db()?;
    let row = for_holder(&conn, req, &code_of(raw), &secret)?;
    let name = agency_name(&conn, &mut BTreeMap::new(), &row.agency_id)?;
    Ok(json(200, &row.holder_view(name), "no-store"))
}

pub(crate) fn rate(req: &Request, raw: &str) -> Result<Response> {
    let AnswerRating { secret, choice } = json_body(req.body())?;
    let conn = db()?;
    let row = for_holder(&conn, req, &code_of(raw), &secret)?;
    let row = intake::report::rate_answer(&conn, &row, choice)?;
    let name = agency_name(&conn, &mut BTreeMap::new(), &row.agency_id)?;
    Ok(json(201, &row.holder_view(name), "no-store"))
}

// --- The public -------------------------------------------------------------------

pub(crate) fn public_list(req: &Request) -> Result<Response> {
    let q = intake::public::public_query(&query_pairs(req))?;
    let page = intake::public::public_page(&db()?, &q)?;
    Ok(json(200, &page, "no-cache"))
}

pub(crate) fn public_report(req: &Request, raw: &str) -> Result<Response> {
    let report = intake::public::published_report(&db()?, &code_of(raw))?
        .ok_or_else(|| ApiError::not_found("no published report with this code"))?;
    Ok(compressed(req, json(200, &report, "no-cache")))
}

/// The agencies a citizen may address a report to (a province has tens to hundreds).
pub(crate) fn agencies(req: &Request) -> Result<Response> {
    let list = intake::public::report_agencies(&db()?)?;
    Ok(compressed(req, json(200, &list, "public, max-age=300")))
}

// --- The desk ------------------------------------------------------------------------

/// A report of the officer's own agency; any other is "not found".
fn agency_report(conn: &Connection, o: &OfficerRow, raw: &str) -> Result<ReportRow> {
    dossier_store::report(conn, &code_of(raw))?
        .filter(|r| r.agency_id == o.agency_id)
        .ok_or_else(|| ApiError::not_found("your agency has no report with this code").into())
}

#[derive(Serialize)]
struct DeskPage {
    reports: Vec<motcua_shared::reports::DeskReport>,
    more: bool,
}

pub(crate) fn desk_list(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let (mut list, mut page) = (DeskList::Open, 0u32);
    for (key, value) in query_pairs(req) {
        match key.as_str() {
            "list" => list = DeskList::parse(&value).ok_or_else(|| ApiError::invalid("list", "open, moderation or answered"))?,
            "page" => page = value.parse().ok().filter(|p| *p <= 1000).ok_or_else(|| ApiError::invalid("page", "0 to 1000"))?,
            _ => {}
        }
    }
    let (rows, more) = dossier_store::desk_reports(&conn, &o.agency_id, list, page)?;
    let today = clock::today();
    Ok(json(200, &DeskPage { reports: rows.iter().map(|r| r.desk_view(today)).collect(), more }, "no-store"))
}

pub(crate) fn desk_report(req: &Request, raw: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let row = agency_report(&conn, &o, raw)?;
    desk_page(&conn, &row)
}

/// A report as its page at the desk shows it (after each action too): with
/// its photos, and what would be published for the moderator to correct.
fn desk_page(conn: &Connection, row: &ReportRow) -> Result<Response> {
    let mut view = row.desk_view(clock::today());
    view.photos = dossier_store::report_photos(conn, &row.code)?;
    if view.public_text.is_none() {
        view.public_text = Some(redact(&row.text));
    }
    Ok(json(200, &view, "no-store"))
}

pub(crate) fn desk_action(req: &Request, raw: &str, action: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let row = agency_report(&conn, &o, raw)?;
    let actor = format!("officer:{}", o.username);
    let now = clock::now_iso();
    let supervisor = || -> Result<()> {
        match o.role.supervises() {
            true => Ok(()),
            false => Err(ApiError::forbidden("only a supervisor routes and publishes reports").into()),
        }
    };
    match action {
        "answer" => {
            let ReportAnswer { answer } = json_only_body(req)?;
            let answer = check_answer(&answer).map_err(|i| ApiError::invalid_answers(vec![i]))?;
            let origin = http_kit::origin::public(req);
            let today = clock::today();
            let told = transaction(&conn, |conn| {
                if !dossier_store::answer_report(conn, &row, &answer, &actor, today, &now)? {
                    return Err(ApiError::conflict("status", "this report was answered already").into());
                }
                Ok(notifier::tell_report_answered(conn, &row, &origin, &now)?)
            })?;
            if told {
                let settings = notifier::Settings::from_variables(origin);
                if let Err(e) = notifier::send_due(&conn, &settings, Some(&row.code), notifier::SEND_AFTER_COMMIT) {
                    eprintln!("reports: messages left for the sweep: {e}");
                }
            }
        }
        "route" => {
            supervisor()?;
            let Reroute { agency_id, note } = json_only_body(req)?;
            let to = province_store::agency_place(&conn, agency_id.trim())?
                .filter(|p| p.id != row.agency_id)
                .ok_or_else(|| ApiError::invalid("agency_id", "choose another of the province's agencies"))?;
            let note = text_within(&note, 1..=500).map_err(|_| ApiError::invalid("note", "why it goes there: 1 to 500 characters"))?;
            let due = due_on(&conn, &to.id, clock::today())?;
            if !transaction(&conn, |conn| Ok(dossier_store::route_report(conn, &row, &to.id, due, &actor, &note, &now)?))? {
                return Err(ApiError::conflict("status", "an answered report stays with the agency that answered").into());
            }
        }
        _ => {
            supervisor()?;
            let Moderation { publish, public_text } = json_only_body(req)?;
            let text = match (publish, public_text) {
                (false, _) => None,
                (true, Some(t)) => {
                    let t = text_within(&t, TEXT_CHARS)
                        .map_err(|e| ApiError::invalid_answers(vec![FieldIssue::new("public_text", e)]))?;
                    // The moderator's text, still without numbers, addresses and codes.
                    Some(redact(&t))
                }
                (true, None) => Some(redact(&row.text)),
            };
            if !transaction(&conn, |conn| Ok(dossier_store::moderate_report(conn, &row, text.as_deref(), &actor, &now)?))? {
                return Err(ApiError::conflict("publication", "the citizen asked that this report stay private").into());
            }
        }
    }
    let row = dossier_store::report(&conn, &row.code)?.ok_or_else(|| Failure::internal("the report just changed"))?;
    desk_page(&conn, &row)
}

/// A photo sent with one of the agency's reports, shown inline but never
/// run, as the desk's papers are.
pub(crate) fn desk_photo(req: &Request, raw: &str, id: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let row = agency_report(&conn, &o, raw)?;
    let (media_type, content) = dossier_store::report_photo(&conn, &row.code, id)?
        .ok_or_else(|| ApiError::not_found("no such photo in a report of your agency"))?;
    Ok(http_kit::sandboxed_file(media_type, &format!("{}-{id}", row.code), content))
}
