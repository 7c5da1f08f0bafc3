//! The consultation routes: drafts published by an agency's supervisor,
//! comments from citizens (moderated) and from officers for people at
//! meetings or on paper (labelled), and the response report.

use crate::handler::{db, signed_in};
use intake::public::{consultation, consultation_row};
use dossier_store::ConsultationRow;
use http_kit::db::transaction;
use http_kit::{clock, json, json_body, json_only_body, Failure, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::consultations::{
    check_consultation, check_paper_comment, check_response, phase, CommentModeration, CommentReceipt,
    NewComment, NewConsultation, PaperComment, Phase, ResponseReport,
};
use motcua_shared::reports::redact;
use spin_sdk::http::{Request, Response};
use spin_sdk::sqlite::Connection;

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The published consultations, newest first.
pub(crate) fn list(_req: &Request) -> Result<Response> {
    Ok(json(200, &intake::public::consultations(&db()?)?, "no-cache"))
}

pub(crate) fn one(_req: &Request, raw: &str) -> Result<Response> {
    let conn = db()?;
    let c = consultation_row(&conn, raw)?;
    Ok(json(200, &consultation(&conn, c)?, "no-cache"))
}

/// A supervisor publishes a draft of their agency for comment.
pub(crate) fn publish(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    if !o.role.supervises() {
        return Err(ApiError::forbidden("only a supervisor publishes a draft for comment").into());
    }
    let draft: NewConsultation = json_only_body(req)?;
    let issues = check_consultation(&draft, clock::today());
    if !issues.is_empty() {
        return Err(ApiError::invalid_answers(issues).into());
    }
    let sections: Vec<_> = draft
        .sections
        .iter()
        .map(|s| motcua_shared::consultations::Section { heading: s.heading.trim().to_owned(), text: s.text.trim().to_owned() })
        .collect();
    let by = format!("officer:{}", o.username);
    let now = clock::now_iso();
    let id = transaction(&conn, |conn| {
        Ok(dossier_store::insert_consultation(
            conn,
            &o.agency_id,
            draft.title.trim(),
            draft.summary.trim(),
            &sections,
            draft.opens_on,
            draft.closes_on,
            &by,
            &now,
        )?)
    })?;
    let made = dossier_store::consultation(&conn, id)?.ok_or_else(|| Failure::internal("the consultation just published"))?;
    Ok(json(201, &consultation(&conn, made)?, "no-store"))
}

/// A citizen comments on one section while the consultation is open; the
/// comment waits for moderation. Idempotent by key (the outbox retries).
pub(crate) fn comment(req: &Request, raw: &str) -> Result<Response> {
    let sent: NewComment = json_body(req.body())?;
    let (status, receipt) = intake::comment::comment(&db()?, req, raw, &sent)?;
    Ok(json(status, &receipt, "no-store"))
}

/// The agency's own consultation, for its officers; any other is "not found".
fn own(conn: &Connection, o: &dossier_store::OfficerRow, raw: &str) -> Result<ConsultationRow> {
    let c = consultation_row(conn, raw)?;
    if c.agency_id != o.agency_id {
        return Err(ApiError::not_found("your agency has no consultation with this number").into());
    }
    Ok(c)
}

/// An officer enters what was said at a meeting or on paper, labelled with
/// where and for whom; published at once under the officer's name in the trail.
pub(crate) fn paper_comment(req: &Request, raw: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let c = own(&conn, &o, raw)?;
    let sent: PaperComment = json_only_body(req)?;
    let issues = check_paper_comment(&sent, c.sections.len());
    if !issues.is_empty() {
        return Err(ApiError::invalid_answers(issues).into());
    }
    let today = clock::today();
    if phase(c.opens_on, c.closes_on, today) != Phase::Open {
        return Err(ApiError::conflict("consultation", "comments are taken only while the consultation is open").into());
    }
    let by = format!("officer:{}", o.username);
    let shown = redact(sent.text.trim());
    let name = trimmed(&sent.name);
    let entered_for = sent.entered_for.trim().to_owned();
    let (_, id, state) = transaction(&conn, |conn| {
        Ok(dossier_store::insert_comment(conn, c.id, sent.section, &shown, name.as_deref(), Some((&entered_for, &by)), None, today)?)
    })?;
    Ok(json(201, &CommentReceipt { id, state }, "no-store"))
}

/// The comments waiting for a supervisor of the agency.
pub(crate) fn pending(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    if !o.role.supervises() {
        return Err(ApiError::forbidden("only a supervisor moderates comments").into());
    }
    Ok(json(200, &dossier_store::pending_comments(&conn, &o.agency_id, 200)?, "no-store"))
}

pub(crate) fn moderate(req: &Request, raw_id: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    if !o.role.supervises() {
        return Err(ApiError::forbidden("only a supervisor moderates comments").into());
    }
    let id = raw_id.parse::<i64>().map_err(|_| ApiError::not_found("no such comment"))?;
    let (consultation, _) = dossier_store::comment_home(&conn, id)?.ok_or_else(|| ApiError::not_found("no such comment"))?;
    own(&conn, &o, &consultation.to_string()).map_err(|_| Failure::Api(ApiError::not_found("no such comment")))?;
    let CommentModeration { publish } = json_only_body(req)?;
    let by = format!("officer:{}", o.username);
    if !transaction(&conn, |conn| Ok(dossier_store::moderate_comment(conn, id, publish, &by)?))? {
        return Err(ApiError::conflict("comment", "this comment was moderated already").into());
    }
    Ok(json(200, &dossier_store::pending_comments(&conn, &o.agency_id, 200)?, "no-store"))
}

/// After closing, a supervisor publishes the response report, once,
/// linked to the published comments it answers.
pub(crate) fn respond(req: &Request, raw: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    if !o.role.supervises() {
        return Err(ApiError::forbidden("only a supervisor publishes the response").into());
    }
    let c = own(&conn, &o, raw)?;
    let report: ResponseReport = json_only_body(req)?;
    let issues = check_response(&report);
    if !issues.is_empty() {
        return Err(ApiError::invalid_answers(issues).into());
    }
    let today = clock::today();
    if phase(c.opens_on, c.closes_on, today) != Phase::Closed {
        return Err(ApiError::conflict("consultation", "the response is published once the consultation has closed").into());
    }
    let answers = dossier_store::published_among(&conn, c.id, &report.answers)?;
    if answers.len() != report.answers.iter().collect::<std::collections::BTreeSet<_>>().len() {
        return Err(ApiError::invalid("answers", "only published comments of this consultation").into());
    }
    let by = format!("officer:{}", o.username);
    if !transaction(&conn, |conn| Ok(dossier_store::publish_response(conn, c.id, report.text.trim(), &answers, today, &by)?))? {
        return Err(ApiError::conflict("response", "the response was published already").into());
    }
    one(req, raw)
}
