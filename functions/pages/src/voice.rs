//! The citizens' voice without JavaScript: `/reports` (the published list),
//! `/reports/new` (the report form, one page posted whole, with photos),
//! `/reports/{code}` (a report; its holder's view and rating by posting the
//! secret) and `/consultations[/{id}]` (drafts and a comment form per
//! section). The rules and the storage are the API's own (`intake::report`,
//! `intake::comment`, `intake::public`); a secret travels only in a post's
//! body, and a post's answer is never kept nor taken over by the app.

use crate::form_post::Posted;
use crate::handler::{api, context, respond, Shown};
use crate::pages::{self, CommentDraft, CommentRefusal, Context, ReportAlert, ReportFilters, ReportShown, TrackRefusal};
use http_kit::{Failure, Result, clock, throttle};
use motcua_shared::api_error::{ApiError, ErrorCode};
use motcua_shared::consultations::NewComment;
use motcua_shared::dossier::attachments::{MAX_ATTACHMENT_BYTES, UploadError, sniff};
use motcua_shared::notify::{Channel, NotifyChoice};
use motcua_shared::ratings::Choice;
use motcua_shared::reports::{is_report_code, NewReport, Subject, MAX_PHOTOS};
use motcua_shared::throttle::UPLOADS_PER_CLIENT;
use motcua_shared::validation::FieldIssue;
use motcua_views::reports::Typed;
use spin_sdk::http::{Request, Response};
use spin_sdk::sqlite::Connection;

fn page(req: &Request, cx: &Context, status: u16, page: pages::Rendered, head: bool) -> Response {
    respond(req, cx, status, page, Shown { head, takeover: true, cookie: None })
}

/// The answer to a post: not kept, not taken over.
fn answer(req: &Request, cx: &Context, status: u16, page: pages::Rendered) -> Response {
    respond(req, cx, status, page, Shown { head: false, takeover: false, cookie: None })
}

fn error_page(req: &Request, cx: &Context, error: ApiError, head: bool) -> Response {
    respond(req, cx, error.status(), pages::error(cx, &error), Shown { head, takeover: false, cookie: None })
}

// --- Reports ---------------------------------------------------------------------

/// `GET /reports`: a page of published reports, as the filters ask.
pub fn reports(req: &Request, conn: &Connection, cx: &Context, head: bool) -> Result<Response> {
    let asked = |name: &str| cx.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let filters = ReportFilters { q: asked("q"), status: asked("status"), agency: asked("agency") };
    let found = match intake::public::public_query(&cx.query) {
        Ok(q) => Ok(intake::public::public_page(conn, &q)?),
        Err(e) => Err(e),
    };
    let status = found.as_ref().map_or_else(ApiError::status, |_| 200);
    let agencies = intake::public::report_agencies(conn)?;
    Ok(page(req, cx, status, pages::reports(cx, filters, agencies, found), head))
}

/// `GET /reports/{code}`: the report as published (if it is) and the form
/// for its secret.
pub fn report(req: &Request, conn: &Connection, cx: &Context, raw: &str, head: bool) -> Result<Response> {
    let code = intake::report::code_of(raw);
    if !is_report_code(&code) {
        return Ok(error_page(req, cx, ApiError::not_found("no such report"), head));
    }
    let public = intake::public::published_report(conn, &code)?;
    Ok(page(req, cx, 200, pages::report(cx, code, ReportShown::Public(public)), head))
}

/// `POST /reports/{code}`: the holder's report for the secret posted; with
/// `do=rate`, the answer rated with the face chosen.
pub fn holder(req: &Request, raw: &str) -> Result<Response> {
    let conn = dossier_store::open()?;
    let cx = context(req, &conn)?;
    let code = intake::report::code_of(raw);
    let posted = Posted::read(http_kit::header(req, "content-type"), req.body()).unwrap_or_default();
    let secret = posted.field("secret").trim().to_uppercase();
    let refused = |status: u16, refusal: TrackRefusal| answer(req, &cx, status, pages::report(&cx, code.clone(), ReportShown::Refused(refusal)));
    if secret.is_empty() {
        return Ok(refused(400, TrackRefusal::Missing));
    }
    let row = match intake::report::for_holder(&conn, req, &code, &secret) {
        Ok(row) => row,
        Err(Failure::Api(e)) if e.code == ErrorCode::NotFound => return Ok(refused(404, TrackRefusal::NotFound)),
        Err(Failure::TooMany { .. }) => return Ok(refused(429, TrackRefusal::TooMany)),
        Err(other) => return Err(other),
    };
    let mut problem = None;
    let row = if posted.field("do") == "rate" {
        match Choice::ALL.into_iter().find(|c| c.as_str() == posted.field("answer-rating")) {
            None => {
                problem = Some("report.rate_pick");
                row
            }
            Some(choice) => match intake::report::rate_answer(&conn, &row, choice) {
                Ok(rated) => rated,
                // Rated already, or not answered yet: the page shows which.
                Err(Failure::Api(e)) if e.code == ErrorCode::Conflict => row,
                Err(other) => return Err(other),
            },
        }
    } else {
        row
    };
    let name = intake::public::agency_name(&conn, &mut Default::default(), &row.agency_id)?;
    let shown = ReportShown::Holder { view: row.holder_view(name), secret, problem };
    Ok(answer(req, &cx, if problem.is_some() { 400 } else { 200 }, pages::report(&cx, code, shown)))
}

/// `GET /reports/new`: the blank form, with the key that makes this
/// report the same one however often it is posted.
pub fn new_report(req: &Request, conn: &Connection, cx: &Context, head: bool) -> Result<Response> {
    let typed = Typed { key: crate::apply::random_hex()?, ..Typed::default() };
    let agencies = intake::public::report_agencies(conn)?;
    Ok(page(req, cx, 200, pages::new_report(cx, typed, agencies, Vec::new(), None), head))
}

/// `POST /reports/new`: the report sent, or the form again as typed (its
/// photos kept) with what to fix.
pub fn send_report(req: &Request) -> Result<Response> {
    let conn = dossier_store::open()?;
    let cx = context(req, &conn)?;
    let Ok(posted) = Posted::read(http_kit::header(req, "content-type"), req.body()) else {
        return Ok(error_page(req, &cx, ApiError::invalid("form", "the form could not be read"), false));
    };
    let form_key = posted.field("key").trim();
    if form_key.len() != 32 || !form_key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(error_page(req, &cx, ApiError::invalid("key", "the form could not be read; open it again"), false));
    }
    let mut typed = Typed {
        subject: Subject::ALL.into_iter().find(|s| s.as_str() == posted.field("subject")).unwrap_or_default(),
        agency_id: posted.field("agency_id").trim().to_owned(),
        text: posted.field("text").to_owned(),
        dossier_code: posted.field("dossier_code").to_owned(),
        name: posted.field("name").to_owned(),
        phone: posted.field("phone").to_owned(),
        private: posted.field("private") == "1",
        photos: posted.all("photo_id").into_iter().filter(|id| valid_upload_id(id)).take(MAX_PHOTOS).map(str::to_owned).collect(),
        key: form_key.to_owned(),
    };
    if posted.field("remove_photos") == "1" {
        typed.photos.clear();
    }
    let show_form = |typed: Typed, status: u16, issues: Vec<FieldIssue>, alert: Option<ReportAlert>| -> Result<Response> {
        let agencies = intake::public::report_agencies(&conn)?;
        Ok(answer(req, &cx, status, pages::new_report(&cx, typed, agencies, issues, alert)))
    };
    // The report's key: the form's and what it says, so a post sent again
    // (a reload) is the same report, and one changed after sending a new one.
    let key = format!("{form_key}-{}", &intake::receipt::request_hash("report-page", &content_of(&typed, &posted.photos))[..16]);
    if let Some(receipt) = intake::report::sent_before(&conn, &key)? {
        return Ok(answer(req, &cx, 200, pages::report_sent(&cx, receipt)));
    }
    // New photos: checked by their bytes, each an upload the report takes.
    for bytes in &posted.photos {
        let refusal = match sniff(bytes) {
            Err(UploadError::TooLarge) => Some(ReportAlert::PhotoTooLarge),
            Err(_) => Some(ReportAlert::NotAPhoto),
            Ok(_) if typed.photos.len() >= MAX_PHOTOS => Some(ReportAlert::TooManyPhotos),
            Ok(_) if bytes.len() > MAX_ATTACHMENT_BYTES => Some(ReportAlert::PhotoTooLarge),
            Ok(media_type) => {
                let limit = UPLOADS_PER_CLIENT.with_max(throttle::variable("uploads_per_client", UPLOADS_PER_CLIENT.max));
                match throttle::take(&limit, &throttle::client(req), "too many uploads") {
                    Err(Failure::TooMany { .. }) => return show_form(typed, 429, Vec::new(), Some(ReportAlert::TooManyRequests)),
                    other => other?,
                }
                let id = crate::apply::random_hex()?;
                dossier_store::insert_upload(&conn, &id, media_type, bytes, clock::unix_seconds())?;
                typed.photos.push(id);
                None
            }
        };
        if let Some(alert) = refusal {
            return show_form(typed, 400, Vec::new(), Some(alert));
        }
    }
    let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let report = NewReport {
        idempotency_key: key,
        subject: typed.subject,
        agency_id: optional(&typed.agency_id),
        dossier_code: optional(&typed.dossier_code),
        text: typed.text.clone(),
        name: optional(&typed.name),
        notify: optional(&typed.phone).map(|p| NotifyChoice { channel: Channel::Sms, phone: Some(p), email: None }),
        private: typed.private,
        language: Some(cx.lang.code().to_owned()),
        photos: typed.photos.clone(),
    };
    match intake::report::send(&conn, req, &report) {
        Ok((status, receipt)) => Ok(answer(req, &cx, status, pages::report_sent(&cx, receipt))),
        Err(Failure::Api(e)) if !e.issues.is_empty() => {
            let lost_photos = e.issues.iter().any(|i| i.field == "photos");
            if lost_photos {
                typed.photos.clear();
            }
            show_form(typed, 400, e.issues, Some(ReportAlert::Fix))
        }
        Err(Failure::TooMany { .. }) => show_form(typed, 429, Vec::new(), Some(ReportAlert::TooManyRequests)),
        Err(Failure::Busy) => show_form(typed, 503, Vec::new(), Some(ReportAlert::Busy)),
        Err(other) => Err(other),
    }
}

/// What a posted report says, for its key: the fields and each photo's bytes.
fn content_of(t: &Typed, new_photos: &[&[u8]]) -> String {
    let photos: Vec<String> = new_photos.iter().map(|b| intake::receipt::bytes_hash(b)).collect();
    serde_json::json!([t.subject.as_str(), t.agency_id, t.text, t.dossier_code, t.name, t.phone, t.private, t.photos, photos]).to_string()
}

/// An upload id as this component makes them (16 random bytes as hex).
fn valid_upload_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

// --- Consultations -----------------------------------------------------------------

/// `GET /consultations`.
pub fn consultations(req: &Request, conn: &Connection, cx: &Context, head: bool) -> Result<Response> {
    let list = intake::public::consultations(conn)?;
    Ok(page(req, cx, 200, pages::consultations(cx, list), head))
}

/// A blank form for each section, each with its own key.
fn blank_drafts(sections: usize) -> Result<Vec<CommentDraft>> {
    (0..sections).map(|_| Ok(CommentDraft { key: crate::apply::random_hex()?, ..CommentDraft::default() })).collect()
}

/// `GET /consultations/{id}`.
pub fn consultation(req: &Request, conn: &Connection, cx: &Context, raw: &str, head: bool) -> Result<Response> {
    let row = match intake::public::consultation_row(conn, raw) {
        Ok(row) => row,
        Err(Failure::Api(e)) => return Ok(error_page(req, cx, e, head)),
        Err(other) => return Err(other),
    };
    let drafts = blank_drafts(row.sections.len())?;
    let c = intake::public::consultation(conn, row)?;
    Ok(page(req, cx, 200, pages::consultation(cx, c, drafts), head))
}

/// `POST /consultations/{id}`: a comment on one section; the page again,
/// that section saying it was received, or its form as typed with why not.
pub fn comment(req: &Request, raw: &str) -> Result<Response> {
    let conn = dossier_store::open()?;
    let cx = context(req, &conn)?;
    let row = match intake::public::consultation_row(&conn, raw) {
        Ok(row) => row,
        Err(Failure::Api(e)) => return Ok(error_page(req, &cx, e, false)),
        Err(other) => return Err(other),
    };
    let posted = Posted::read(http_kit::header(req, "content-type"), req.body()).unwrap_or_default();
    let form_key = posted.field("key").trim().to_owned();
    let section = posted.field("section").trim().parse::<u32>().unwrap_or(u32::MAX);
    let (text, name) = (posted.field("text").to_owned(), posted.field("name").to_owned());
    let mut drafts = blank_drafts(row.sections.len())?;
    let Some(at) = drafts.get_mut(section as usize) else {
        return Ok(error_page(req, &cx, ApiError::invalid("section", "no such section"), false));
    };
    // As for a report: the same comment posted again is the same comment.
    let key = format!("{}-{}", form_key.get(..32).unwrap_or(&form_key), &intake::receipt::request_hash("comment", &format!("{text}\n{name}"))[..16]);
    let sent = NewComment { idempotency_key: key, section, text: text.clone(), name: Some(name.trim().to_owned()).filter(|n| !n.is_empty()) };
    let mut status = 200;
    match intake::comment::comment(&conn, req, raw, &sent) {
        Ok(_) => at.sent = true,
        Err(failure) => {
            let refusal = match failure {
                Failure::Api(e) if !e.issues.is_empty() => {
                    CommentRefusal::Field { name: e.issues[0].field == "name", error: e.issues[0].error }
                }
                Failure::Api(e) if e.code == ErrorCode::Conflict => CommentRefusal::Closed,
                other => CommentRefusal::Other(api(other)),
            };
            status = match &refusal {
                CommentRefusal::Other(e) => e.status(),
                CommentRefusal::Closed => 409,
                CommentRefusal::Field { .. } => 400,
            };
            *at = CommentDraft { key: form_key, text, name, error: Some(refusal), sent: false };
        }
    }
    let c = intake::public::consultation(&conn, row)?;
    Ok(answer(req, &cx, status, pages::consultation(&cx, c, drafts)))
}
