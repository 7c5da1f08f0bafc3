//! HTTP route of the tracking component.

use motcua_shared::throttle::{keys, Failures};
use http_kit::{too_many_requests, body_within, clock, decode_segment, error, json, json_body, path_info};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::{is_overdue, TimelineEntry, Tracking, TrackingRequest};
use motcua_shared::dossier::secret::secret_hash;
use spin_sdk::http::{Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::key_value::Store;

#[http_component]
fn handle(req: Request) -> Response {
    let info = path_info(&req);
    let Some(code) = info.strip_prefix('/').and_then(|rest| rest.strip_suffix("/tracking")).and_then(decode_segment)
    else {
        return error(ApiError::not_found("no such route"));
    };
    if *req.method() != Method::Post {
        return error(ApiError::method_not_allowed("POST"));
    }
    track(&req, code.trim()).unwrap_or_else(|e| e)
}

fn track(req: &Request, code: &str) -> Result<Response, Response> {
    let body = body_within(req, 4096)?;
    let ask: TrackingRequest = json_body(body)?;
    let client = req.header("spin-client-addr").and_then(|v| v.as_str()).unwrap_or("");
    let store = Store::open_default().map_err(|e| internal(&format!("key-value: {e:?}")))?;
    let now = clock::unix_seconds();
    let counters = keys("tracking", code, client);
    let failures: Vec<Failures> = counters
        .iter()
        .map(|k| store.get_json::<Failures>(k).ok().flatten().unwrap_or_default())
        .collect();
    if let Some(wait) = failures.iter().filter_map(|f| f.retry_after(now)).max() {
        return Err(too_many_requests(wait));
    }
    let conn = dossier_store::open().map_err(|e| internal(&format!("database: {e:?}")))?;
    let hash = secret_hash(&ask.secret);
    let found = dossier_store::find_for_citizen(&conn, code, &hash).map_err(|e| internal(&format!("database: {e:?}")))?;
    let Some(row) = found else {
        for (key, f) in counters.iter().zip(failures) {
            let _ = store.set_json(key, &f.record(now));
        }
        // The same answer for a wrong secret as for an unknown code.
        return Err(error(ApiError::not_found("no dossier with this code and secret")));
    };
    let events = dossier_store::audit_trail(&conn, &row.code).map_err(|e| internal(&format!("database: {e:?}")))?;
    let today = clock::today();
    let received_on = row.received_on.unwrap_or(today);
    let tracking = Tracking {
        procedure_name: catalogue_data::procedure(&row.procedure_code).map(|p| p.name.clone()).unwrap_or_default(),
        overdue: is_overdue(row.status, row.appointment_on, today),
        code: row.code,
        procedure_code: row.procedure_code,
        status: row.status,
        received_on,
        appointment_on: row.appointment_on,
        timeline: events
            .into_iter()
            .map(|e| TimelineEntry { status: e.to_status, at: e.at, note: e.note_to_citizen })
            .collect(),
    };
    Ok(json(200, &tracking, "no-store"))
}

fn internal(what: &str) -> Response {
    eprintln!("tracking: {what}");
    error(ApiError::internal())
}
