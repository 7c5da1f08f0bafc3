//! HTTP route of the tracking component.

use dossier_store::Change;
use http_kit::db::transaction;
use http_kit::{clock, decode_segment, json, json_body, method_not_allowed, no_route, path_info, serve, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::{MessagesRequest, SupplyRequest, TrackingRequest};
use motcua_shared::dossier::attachments::{valid_upload_id, MAX_FILES_PER_QUESTION};
use motcua_shared::dossier::lifecycle::{transition, Action, Actor};
use motcua_shared::validation::{FieldError, FieldIssue};
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "tracking", |_| 8 * 1024, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let info = path_info(req);
    let Some((code, what)) = info.strip_prefix('/').and_then(|rest| rest.rsplit_once('/')) else {
        return no_route();
    };
    let Some(code) = decode_segment(code) else {
        return no_route();
    };
    match (what, req.method()) {
        ("tracking", Method::Post) => {
            let ask: TrackingRequest = json_body(req.body())?;
            let conn = dossier_store::open()?;
            let row = dossier_store::find_for_holder(&conn, req, code.trim(), &ask.secret)?;
            tracking(&conn, row)
        }
        ("documents", Method::Post) => supply(req, code.trim(), json_body(req.body())?),
        ("messages", Method::Post) => change_messages(req, code.trim(), json_body(req.body())?),
        ("tracking" | "documents" | "messages", _) => method_not_allowed("POST"),
        _ => no_route(),
    }
}

fn tracking(conn: &Connection, row: dossier_store::DossierRow) -> Result<Response> {
    Ok(json(200, &dossier_store::tracking(conn, row)?, "no-store"))
}

/// Papers the desk asked for: attached to the dossier and recorded as the
/// citizen's `SupplyDocuments` (the status stays 5 until an officer accepts
/// the supplement and the clock restarts).
fn supply(req: &Request, code: &str, ask: SupplyRequest) -> Result<Response> {
    let conn = dossier_store::open()?;
    let row = dossier_store::find_for_holder(&conn, req, code, &ask.secret)?;
    let mut unique = std::collections::BTreeSet::new();
    if ask.uploads.is_empty()
        || ask.uploads.len() > MAX_FILES_PER_QUESTION
        || !ask.uploads.iter().all(|id| valid_upload_id(id) && unique.insert(id))
    {
        let message = format!("1 to {MAX_FILES_PER_QUESTION} photos, each sent once");
        return Err(ApiError::invalid("uploads", message).into());
    }
    let to = transition(row.status, &Action::SupplyDocuments, Actor::Citizen)
        .map_err(|_| ApiError::conflict("status", "the desk is not waiting for papers for this dossier"))?;
    let now = clock::now_iso();
    let now_secs = clock::unix_seconds();
    transaction(&conn, |conn| {
        let change = Change {
            code: &row.code,
            from: row.status,
            to,
            actor: "citizen",
            note_to_citizen: None,
            internal_note: Some("Công dân gửi giấy tờ bổ sung trực tuyến"),
            now: &now,
        };
        if !dossier_store::apply_change(conn, &change)? {
            return Err(ApiError::conflict("status", "the dossier changed meanwhile; reload it").into());
        }
        for id in &ask.uploads {
            if !dossier_store::attach_upload(conn, id, &row.code, None, &now, now_secs)? {
                let issue = FieldIssue::new("uploads", FieldError::InvalidAttachment);
                return Err(ApiError::invalid_answers(vec![issue]).into());
            }
        }
        Ok(())
    })?;
    tracking(&conn, row)
}


/// The holder changes how they are told, or stops messages (`"none"`):
/// checked like the form's answer, naming `notify.phone` or `notify.email`.
fn change_messages(req: &Request, code: &str, ask: MessagesRequest) -> Result<Response> {
    let recipient = ask.notify.check().map_err(|issue| ApiError::invalid_answers(vec![issue]))?;
    let conn = dossier_store::open()?;
    let row = dossier_store::find_for_holder(&conn, req, code, &ask.secret)?;
    transaction(&conn, |conn| Ok(dossier_store::change_recipient(conn, &row.code, recipient.as_ref())?))?;
    tracking(&conn, row)
}
