//! The one rule for a citizen's report entering the portal, and for its
//! holder (the code and secret): the voice component's JSON routes and the
//! server's report pages (functions/pages) both call these.

use crate::public::agency_name;
use crate::receipt;
use dossier_store::ReportRow;
use http_kit::db::transaction;
use http_kit::{clock, throttle, Failure, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::calendar::{add_working_days, Date};
use motcua_shared::notify::NotifyChoice;
use motcua_shared::ratings::Choice;
use motcua_shared::reports::{check_report, cleaned, NewReport, ReportReceipt, DEFAULT_ANSWER_DAYS};
use motcua_shared::throttle::{REPORTS_PER_CLIENT, WRONG_SECRET_PER_CLIENT, WRONG_SECRET_PER_CODE};
use motcua_shared::validation::{FieldError, FieldIssue};
use spin_sdk::http::Request;
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

/// A report's code as typed or in a path: trimmed, upper case.
pub fn code_of(raw: &str) -> String {
    http_kit::decode_segment(raw).unwrap_or_default().trim().to_uppercase()
}

/// The day an agency's answer is due: its working days (3 unless it set
/// its own) on the province's published calendar. Past the years the
/// calendar covers (a late-December report before next year is
/// published), weekdays are counted, and the desk's calendar notice has
/// already asked the administrator to publish.
pub fn due_on(conn: &Connection, agency_id: &str, from: Date) -> Result<Date> {
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

/// Stores a report: checked by the shared rule, limited per client, its
/// photos (unused uploads) made its own, in one transaction. The status
/// says which: 201 new, 200 the same report again under its key (not
/// counted again).
pub fn send(conn: &Connection, req: &Request, sent: &NewReport) -> Result<(u16, ReportReceipt)> {
    if !motcua_shared::dossier::api::valid_idempotency_key(&sent.idempotency_key) {
        return Err(ApiError::invalid("idempotency_key", "16 to 64 letters, digits, '-' or '_', made once per report").into());
    }
    let issues = check_report(sent);
    if !issues.is_empty() {
        return Err(ApiError::invalid_answers(issues).into());
    }
    let report = cleaned(sent);
    let recipient = report.notify.as_ref().map(NotifyChoice::check).transpose().ok().flatten().flatten();
    let agency_id = receiving_agency(conn, &report)?;
    let fingerprint = receipt::request_hash("report", &serde_json::to_string(&report).map_err(|_| Failure::internal("report"))?);
    let site_key = dossier_store::site_key(conn, "reports")?;
    let secret = receipt::tracking_secret(&site_key, &report.idempotency_key);
    let secret_hash = motcua_shared::dossier::secret::secret_hash(&secret);
    // The same report again (the outbox after a dropped connection): the
    // same receipt, not counted twice, before the limit is looked at.
    let again = dossier_store::report_for_key(conn, &report.idempotency_key)?;
    if again.is_none() {
        let limit = REPORTS_PER_CLIENT.with_max(throttle::variable("reports_per_client", REPORTS_PER_CLIENT.max));
        throttle::take(&limit, &throttle::client(req), "too many reports from this address; wait and try again")?;
    }
    let today = clock::today();
    let due = due_on(conn, &agency_id, today)?;
    let now = clock::now_iso();
    let (status, code) = transaction(conn, |conn| match dossier_store::report_for_key(conn, &report.idempotency_key)? {
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
    Ok((status, receipt_of(conn, code, secret)?))
}

fn receipt_of(conn: &Connection, code: String, secret: String) -> Result<ReportReceipt> {
    let stored = dossier_store::report(conn, &code)?.ok_or_else(|| Failure::internal("the report just stored"))?;
    Ok(ReportReceipt {
        code,
        secret,
        received_on: stored.received_on,
        due_on: stored.due_on,
        agency_name: agency_name(conn, &mut BTreeMap::new(), &stored.agency_id)?,
    })
}

/// The receipt of the report sent before under `key`, if one was: a page
/// posted again (a reload) shows it, and stores nothing new.
pub fn sent_before(conn: &Connection, key: &str) -> Result<Option<ReportReceipt>> {
    let Some((code, _)) = dossier_store::report_for_key(conn, key)? else { return Ok(None) };
    let secret = receipt::tracking_secret(&dossier_store::site_key(conn, "reports")?, key);
    receipt_of(conn, code, secret).map(Some)
}

/// The report for its code and secret; a wrong secret is a 404 like an
/// unknown code, counted with the dossiers' wrong secrets (one guesser,
/// one budget), and a right one is always served.
pub fn for_holder(conn: &Connection, req: &Request, code: &str, secret: &str) -> Result<ReportRow> {
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

/// The holder rates the answer, once; the report as it is now.
pub fn rate_answer(conn: &Connection, row: &ReportRow, choice: Choice) -> Result<ReportRow> {
    if row.answer.is_none() {
        return Err(ApiError::conflict("status", "an answer is rated once it is given").into());
    }
    let (today, now) = (clock::today(), clock::now_iso());
    if !transaction(conn, |conn| Ok(dossier_store::rate_report(conn, row, choice, today, &now)?))? {
        return Err(ApiError::conflict("rating", "this answer was rated already").into());
    }
    Ok(dossier_store::report(conn, &row.code)?.ok_or_else(|| Failure::internal("the report just rated"))?)
}
