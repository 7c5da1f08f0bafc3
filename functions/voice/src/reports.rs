//! The report routes: a citizen sends a report (idempotent, limited per
//! client), reads it with its secret and rates the answer; the public reads
//! what moderators published; the agency's officers answer, and its
//! supervisors re-route and moderate.

use crate::handler::{agency_name, db, signed_in};
use dossier_store::{OfficerRow, PublicQuery, ReportRow};
use http_kit::db::transaction;
use http_kit::{clock, compressed, decode_segment, json, json_body, json_only_body, query_pairs, throttle, Failure, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::TrackingRequest;
use motcua_shared::dossier::calendar::{add_working_days, Date};
use motcua_shared::notify::NotifyChoice;
use motcua_shared::reports::{
    check_answer, check_report, cleaned, redact, AnswerRating, DeskList, Moderation, NewReport, PublicPage, ReportAnswer,
    ReportReceipt, Reroute, DEFAULT_ANSWER_DAYS, TEXT_CHARS,
};
use motcua_shared::throttle::{REPORTS_PER_CLIENT, WRONG_SECRET_PER_CLIENT, WRONG_SECRET_PER_CODE};
use motcua_shared::validation::{text_within, FieldError, FieldIssue};
use serde::Serialize;
use spin_sdk::http::{Request, Response};
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

fn code_of(raw: &str) -> String {
    decode_segment(raw).unwrap_or_default().trim().to_uppercase()
}

/// The day an agency's answer is due: its working days (3 unless it set
/// its own) on the province's published calendar. Past the years the
/// calendar covers (a late-December report before next year is
/// published), weekdays are counted, and the desk's calendar notice has
/// already asked the administrator to publish.
fn due_on(conn: &Connection, agency_id: &str, from: Date) -> Result<Date> {
    let days = province_store::report_answer_days(conn, agency_id)?.unwrap_or(DEFAULT_ANSWER_DAYS);
    let calendar = province_store::calendar(conn, from.year(), from.year() + 1)?;
    Ok(add_working_days(from, days, &calendar).unwrap_or_else(|_| weekdays_after(from, days)))
}

fn weekdays_after(from: Date, days: u32) -> Date {
    let mut day = from;
    let mut left = days;
    while left > 0 {
        day = day.add_days(1).unwrap_or(day);
        if !day.weekday().is_weekend() {
            left -= 1;
        }
    }
    day
}

// --- The citizen ----------------------------------------------------------------

/// The agency a report goes to: the dossier's, if it names one of this
/// portal's dossiers; else the one the citizen chose; else the first of
/// the province's list, where a supervisor routes it.
fn receiving_agency(conn: &Connection, r: &NewReport) -> Result<String> {
    if let Some(agency) = r.dossier_code.as_deref().map(|c| dossier_store::dossier_agency(conn, c)).transpose()?.flatten() {
        return Ok(agency);
    }
    if let Some(id) = &r.agency_id {
        return match province_store::agency_place(conn, id)? {
            Some(p) => Ok(p.id),
            None => Err(ApiError::invalid_answers(vec![FieldIssue::new("agency_id", FieldError::InvalidChoice)]).into()),
        };
    }
    province_store::first_agency(conn)?
        .map(|p| p.id)
        .ok_or_else(|| Failure::Api(ApiError::unavailable()))
}

pub(crate) fn send(req: &Request) -> Result<Response> {
    let sent: NewReport = json_body(req.body())?;
    if !motcua_shared::dossier::api::valid_idempotency_key(&sent.idempotency_key) {
        return Err(ApiError::invalid("idempotency_key", "16 to 64 letters, digits, '-' or '_', made once per report").into());
    }
    let issues = check_report(&sent);
    if !issues.is_empty() {
        return Err(ApiError::invalid_answers(issues).into());
    }
    let report = cleaned(&sent);
    let recipient = report.notify.as_ref().map(NotifyChoice::check).transpose().ok().flatten().flatten();
    let conn = db()?;
    let agency_id = receiving_agency(&conn, &report)?;
    let fingerprint = intake::receipt::request_hash("report", &serde_json::to_string(&report).map_err(|_| Failure::internal("report"))?);
    let site_key = dossier_store::site_key(&conn, "reports")?;
    let secret = intake::receipt::tracking_secret(&site_key, &report.idempotency_key);
    let secret_hash = motcua_shared::dossier::secret::secret_hash(&secret);
    // The same report again (the outbox after a dropped connection): the
    // same receipt, not counted twice, before the limit is looked at.
    let again = dossier_store::report_for_key(&conn, &report.idempotency_key)?;
    if again.is_none() {
        let limit = REPORTS_PER_CLIENT.with_max(throttle::variable("reports_per_client", REPORTS_PER_CLIENT.max));
        throttle::take(&limit, &throttle::client(req), "too many reports from this address; wait and try again")?;
    }
    let today = clock::today();
    let due = due_on(&conn, &agency_id, today)?;
    let now = clock::now_iso();
    let (status, code) = transaction(&conn, |conn| match dossier_store::report_for_key(conn, &report.idempotency_key)? {
        Some((code, hash)) if hash == fingerprint => Ok((200, code)),
        Some(_) => Err(ApiError::conflict("idempotency_key", "this key was already used for a different report").into()),
        None => {
            let row = dossier_store::NewReportRow {
                idempotency_key: &report.idempotency_key,
                request_hash: &fingerprint,
                secret_hash: &secret_hash,
                subject: report.subject,
                agency_id: &agency_id,
                dossier_code: report.dossier_code.as_deref(),
                text: &report.text,
                name: report.name.as_deref(),
                notify: recipient.as_ref(),
                language: report.language.as_deref(),
                private: report.private,
                received_on: today,
                due_on: due,
                now: &now,
            };
            let code = dossier_store::insert_report(conn, &row)?;
            // The photos become the report's, like a dossier's papers; one
            // that is not an unused upload of the last two days refuses all.
            let now_secs = clock::unix_seconds();
            for id in &report.photos {
                if !dossier_store::attach_report_photo(conn, id, &code, &now, now_secs)? {
                    return Err(ApiError::invalid_answers(vec![FieldIssue::new("photos", FieldError::InvalidAttachment)]).into());
                }
            }
            Ok((201, code))
        }
    })?;
    let stored = dossier_store::report(&conn, &code)?.ok_or_else(|| Failure::internal("the report just stored"))?;
    let receipt = ReportReceipt {
        code,
        secret,
        received_on: stored.received_on,
        due_on: stored.due_on,
        agency_name: agency_name(&conn, &mut BTreeMap::new(), &stored.agency_id)?,
    };
    Ok(json(status, &receipt, "no-store"))
}

/// The report for its code and secret; a wrong secret is a 404 like an
/// unknown code, counted with the dossiers' wrong secrets (one guesser,
/// one budget), and a right one is always served.
fn for_holder(conn: &Connection, req: &Request, code: &str, secret: &str) -> Result<ReportRow> {
    let hash = motcua_shared::dossier::secret::secret_hash(secret);
    match dossier_store::report_for_holder(conn, code, &hash)? {
        Some(row) => Ok(row),
        None => Err(throttle::failed(
            &WRONG_SECRET_PER_CLIENT,
            &throttle::client(req),
            Some((&WRONG_SECRET_PER_CODE, code)),
            ApiError::not_found("no report with this code and secret").into(),
        )),
    }
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
    if row.answer.is_none() {
        return Err(ApiError::conflict("status", "an answer is rated once it is given").into());
    }
    let (today, now) = (clock::today(), clock::now_iso());
    if !transaction(&conn, |conn| Ok(dossier_store::rate_report(conn, &row, choice, today, &now)?))? {
        return Err(ApiError::conflict("rating", "this answer was rated already").into());
    }
    let row = dossier_store::report(&conn, &row.code)?.ok_or_else(|| Failure::internal("the report just rated"))?;
    let name = agency_name(&conn, &mut BTreeMap::new(), &row.agency_id)?;
    Ok(json(201, &row.holder_view(name), "no-store"))
}

// --- The public -------------------------------------------------------------------

pub(crate) fn public_list(req: &Request) -> Result<Response> {
    let mut q = PublicQuery::default();
    for (key, value) in query_pairs(req) {
        let value = value.trim().to_owned();
        match key.as_str() {
            "q" if value.chars().count() > motcua_shared::search::MAX_QUERY_CHARS as usize => {
                return Err(ApiError::invalid("q", "at most 200 characters").into())
            }
            "q" => q.words = motcua_shared::text::words(&value).into_iter().take(motcua_shared::search::MAX_QUERY_WORDS).collect(),
            "agency" if value.is_empty() => {}
            "agency" if value.len() <= 32 => q.agency_id = Some(value),
            "status" if value.is_empty() => {}
            "status" => {
                q.status = Some(
                    motcua_shared::reports::ReportStatus::parse(&value)
                        .ok_or_else(|| ApiError::invalid("status", "received or answered"))?,
                )
            }
            "before" => q.before = Some(value.parse().map_err(|_| ApiError::invalid("before", "the `next` of the page before"))?),
            "agency" => return Err(ApiError::invalid("agency", "an agency's code").into()),
            _ => {}
        }
    }
    let conn = db()?;
    let (rows, next) = dossier_store::public_reports(&conn, &q)?;
    let mut names = BTreeMap::new();
    let mut reports = Vec::with_capacity(rows.len());
    for r in &rows {
        reports.push(r.public_view(agency_name(&conn, &mut names, &r.agency_id)?));
    }
    Ok(json(200, &PublicPage { reports, next: next.map(|n| n.to_string()) }, "no-cache"))
}

pub(crate) fn public_report(req: &Request, raw: &str) -> Result<Response> {
    let conn = db()?;
    let row = dossier_store::report(&conn, &code_of(raw))?
        .filter(|r| r.publication == motcua_shared::reports::Publication::Published)
        .ok_or_else(|| ApiError::not_found("no published report with this code"))?;
    let name = agency_name(&conn, &mut BTreeMap::new(), &row.agency_id)?;
    Ok(compressed(req, json(200, &row.public_view(name), "no-cache")))
}

#[derive(Serialize)]
struct AgencyChoice {
    id: String,
    name: String,
}

/// The agencies a citizen may address a report to (a province has tens to hundreds).
pub(crate) fn agencies(req: &Request) -> Result<Response> {
    let conn = db()?;
    let list: Vec<AgencyChoice> = province_store::agency_listing(&conn, 1000)?
        .into_iter()
        .map(|a| AgencyChoice { id: a.place.id, name: a.place.name })
        .collect();
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
            let note = note.trim();
            if note.is_empty() || note.chars().count() > 500 {
                return Err(ApiError::invalid("note", "why it goes there: 1 to 500 characters").into());
            }
            let due = due_on(&conn, &to.id, clock::today())?;
            if !transaction(&conn, |conn| Ok(dossier_store::route_report(conn, &row, &to.id, due, &actor, note, &now)?))? {
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
