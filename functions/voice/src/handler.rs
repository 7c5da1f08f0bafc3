//! HTTP routes of the citizens' voice component: its route table, and the
//! two things every route shares (the database, the signed-in officer).

use crate::{consultations, reports};
use dossier_store::{desk_session, OfficerRow};
use http_kit::{clock, compressed, method_not_allowed, no_route, serve, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::consultations::MAX_CONSULTATION_BYTES;
use motcua_shared::reports::MAX_REPORT_BYTES;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    // A draft in sections is larger than a report or a comment.
    serve(req, "voice", |route| if route.starts_with("/api/consultations") { MAX_CONSULTATION_BYTES } else { MAX_REPORT_BYTES }, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let route = http_kit::header(req, "spin-matched-route");
    let info = http_kit::path_info(req);
    let parts: Vec<&str> = info.trim_matches('/').split('/').filter(|p| !p.is_empty()).collect();
    let method = req.method();
    match (route, parts.as_slice()) {
        // Reports (phản ánh, kiến nghị).
        ("/api/reports", []) => match method {
            Method::Get => reports::public_list(req).map(|r| compressed(req, r)),
            Method::Post => reports::send(req),
            _ => method_not_allowed("GET, POST"),
        },
        ("/api/reports/...", ["agencies"]) => match method {
            Method::Get => reports::agencies(req),
            _ => method_not_allowed("GET"),
        },
        ("/api/reports/...", ["desk"]) => match method {
            Method::Get => reports::desk_list(req),
            _ => method_not_allowed("GET"),
        },
        ("/api/reports/...", ["desk", code]) => match method {
            Method::Get => reports::desk_report(req, code),
            _ => method_not_allowed("GET"),
        },
        ("/api/reports/...", ["desk", code, action @ ("answer" | "route" | "publication")]) => match method {
            Method::Post => reports::desk_action(req, code, action),
            _ => method_not_allowed("POST"),
        },
        ("/api/reports/...", ["desk", code, "photos", id]) => match method {
            Method::Get => reports::desk_photo(req, code, id),
            _ => method_not_allowed("GET"),
        },
        ("/api/reports/...", [code]) => match method {
            Method::Get => reports::public_report(req, code),
            _ => method_not_allowed("GET"),
        },
        ("/api/reports/...", [code, "holder"]) => match method {
            Method::Post => reports::holder(req, code),
            _ => method_not_allowed("POST"),
        },
        ("/api/reports/...", [code, "rating"]) => match method {
            Method::Post => reports::rate(req, code),
            _ => method_not_allowed("POST"),
        },
        // Consultations on drafts (lấy ý kiến).
        ("/api/consultations", []) => match method {
            Method::Get => consultations::list(req).map(|r| compressed(req, r)),
            Method::Post => consultations::publish(req),
            _ => method_not_allowed("GET, POST"),
        },
        ("/api/consultations/...", ["desk", "comments"]) => match method {
            Method::Get => consultations::pending(req),
            _ => method_not_allowed("GET"),
        },
        ("/api/consultations/...", ["desk", "comments", id]) => match method {
            Method::Post => consultations::moderate(req, id),
            _ => method_not_allowed("POST"),
        },
        ("/api/consultations/...", [id]) => match method {
            Method::Get => consultations::one(req, id).map(|r| compressed(req, r)),
            _ => method_not_allowed("GET"),
        },
        ("/api/consultations/...", [id, "comments"]) => match method {
            Method::Post => consultations::comment(req, id),
            _ => method_not_allowed("POST"),
        },
        ("/api/consultations/...", [id, "paper-comments"]) => match method {
            Method::Post => consultations::paper_comment(req, id),
            _ => method_not_allowed("POST"),
        },
        ("/api/consultations/...", [id, "response"]) => match method {
            Method::Post => consultations::respond(req, id),
            _ => method_not_allowed("POST"),
        },
        _ => no_route(),
    }
}

pub(crate) fn db() -> Result<Connection> {
    Ok(dossier_store::open()?)
}

/// An officer signed in at the desk who serves citizens (not a translator).
pub(crate) fn signed_in(req: &Request) -> Result<(Connection, OfficerRow)> {
    let conn = db()?;
    let officer = desk_session::officer(&conn, req, clock::unix_seconds())?
        .filter(|o| o.role.serves_dossiers())
        .ok_or_else(|| ApiError::unauthorized("sign in at the desk first"))?;
    Ok((conn, officer))
}
