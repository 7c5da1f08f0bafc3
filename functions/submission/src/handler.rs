//! HTTP routes of the submission component.

use crate::{forms, receipt};
use http_kit::db::transaction;
use http_kit::{body_within, clock, decode_segment, error, json, json_body, path_info};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::{valid_idempotency_key, Receipt, Submission, MAX_SUBMISSION_BYTES};
use motcua_shared::dossier::calendar::{add_working_days, HolidayCalendar};
use motcua_shared::forms::validate_answers;
use spin_sdk::http::{Method, Request, Response};
use spin_sdk::http_component;

#[http_component]
fn handle(req: Request) -> Response {
    let route = req.header("spin-matched-route").and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let result = match (route.as_str(), req.method()) {
        ("/api/forms/...", Method::Get) => form(&path_info(&req)),
        ("/api/forms/...", _) => Err(ApiError::method_not_allowed("GET")),
        ("/api/dossiers", Method::Post) => submit(&req),
        ("/api/dossiers", _) => Err(ApiError::method_not_allowed("POST")),
        _ => Err(ApiError::not_found("no such route")),
    };
    result.unwrap_or_else(error)
}

fn form(info: &str) -> Result<Response, ApiError> {
    let code = info.strip_prefix('/').and_then(decode_segment).unwrap_or_default();
    let spec = forms::find(&code).ok_or_else(|| ApiError::not_found("this procedure has no online form here"))?;
    Ok(json(200, &spec, "public, max-age=300"))
}

enum Outcome {
    New(Receipt),
    Again(Receipt),
}

fn submit(req: &Request) -> Result<Response, ApiError> {
    let body = match body_within(req, MAX_SUBMISSION_BYTES) {
        Ok(b) => b,
        Err(resp) => return Ok(resp),
    };
    let submission: Submission = match json_body(body) {
        Ok(s) => s,
        Err(resp) => return Ok(resp),
    };
    if !valid_idempotency_key(&submission.idempotency_key) {
        return Err(ApiError::invalid("idempotency_key", "16 to 64 letters, digits, '-' or '_', made once per dossier"));
    }
    let spec = forms::find(&submission.procedure_code)
        .ok_or_else(|| ApiError::invalid("procedure_code", "this procedure has no online form here"))?;
    let procedure = catalogue_data::procedure(&spec.procedure_code).ok_or_else(ApiError::internal)?;
    let today = clock::today();
    let answers = validate_answers(&spec, &submission.answers, today).map_err(ApiError::invalid_answers)?;
    let answers_json = serde_json::to_string(&answers).map_err(|_| ApiError::internal())?;
    let fingerprint = receipt::request_hash(&spec.procedure_code, &answers_json);
    let appointment_on = procedure.processing_days.and_then(|days| {
        add_working_days(today, days, HolidayCalendar::vietnam())
            .map_err(|e| eprintln!("submission: no appointment date: {e}"))
            .ok()
    });

    let conn = dossier_store::open().map_err(db_error)?;
    let site_key = dossier_store::site_key(&conn, "tracking").map_err(db_error)?;
    let secret = receipt::tracking_secret(&site_key, &submission.idempotency_key);
    let now = clock::now_iso();
    let outcome = transaction(&conn, db_error, |conn| -> Result<Outcome, ApiError> {
        if let Some((hash, stored)) = dossier_store::receipt_for_key(conn, &submission.idempotency_key).map_err(db_error)? {
            if hash != fingerprint {
                return Err(ApiError::conflict("idempotency_key", "this key was already used for a different dossier"));
            }
            let mut again: Receipt = serde_json::from_str(&stored).map_err(|_| ApiError::internal())?;
            again.secret = secret.clone();
            return Ok(Outcome::Again(again));
        }
        let code = dossier_store::insert(
            conn,
            &dossier_store::NewDossier {
                procedure_code: &spec.procedure_code,
                agency_id: &spec.agency_id,
                secret_hash: &motcua_shared::dossier::secret::secret_hash(&secret),
                channel: "online",
                received_on: today,
                appointment_on,
                answers_json: &answers_json,
                now: &now,
                actor: "citizen",
            },
        )
        .map_err(db_error)?;
        let mut receipt = Receipt {
            code: code.to_string(),
            secret: String::new(), // never stored
            procedure_code: spec.procedure_code.clone(),
            procedure_name: procedure.name.clone(),
            received_on: today,
            appointment_on,
            documents_to_bring: procedure.documents.clone(),
            tracking_url: String::new(), // holds the secret: made per response
            qr_svg: String::new(),
        };
        let stored = serde_json::to_string(&receipt).map_err(|_| ApiError::internal())?;
        dossier_store::remember_receipt(conn, &submission.idempotency_key, &receipt.code, &fingerprint, &stored, &now)
            .map_err(db_error)?;
        receipt.secret = secret.clone();
        Ok(Outcome::New(receipt))
    })?;
    let full_url = req.header("spin-full-url").and_then(|v| v.as_str()).unwrap_or("");
    let with_link = |mut r: Receipt| {
        r.tracking_url = receipt::tracking_url(full_url, &r.code, &r.secret);
        r.qr_svg = receipt::qr_svg(&r.tracking_url);
        r
    };
    Ok(match outcome {
        Outcome::New(r) => json(201, &with_link(r), "no-store"),
        Outcome::Again(r) => json(200, &with_link(r), "no-store"),
    })
}

fn db_error(e: spin_sdk::sqlite::Error) -> ApiError {
    eprintln!("submission: database error: {e:?}");
    ApiError::internal()
}
