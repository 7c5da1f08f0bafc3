//! HTTP routes of the submission component.

use dossier_store::{OfficerRow, desk_session};
use http_kit::{clock, compressed, decode_segment, json, json_body, json_only_body, method_not_allowed, no_route, path_info, serve, throttle, Failure, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::{Submission, MAX_SUBMISSION_BYTES};
use motcua_shared::dossier::attachments::{sniff, Upload, UploadError, MAX_ATTACHMENT_BYTES};
use motcua_shared::dossier::secret::hex;
use motcua_shared::throttle::UPLOADS_PER_CLIENT;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    let limit = |route: &str| match route {
        "/api/uploads" => MAX_ATTACHMENT_BYTES,
        _ => MAX_SUBMISSION_BYTES,
    };
    serve(req, "submission", limit, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    match (http_kit::header(req, "spin-matched-route"), req.method()) {
        ("/api/forms", Method::Get) => {
            let forms = province_store::published_forms(&dossier_store::open()?)?;
            Ok(compressed(req, json(200, &forms, "public, max-age=300")))
        }
        ("/api/forms/...", Method::Get) => form(&path_info(req)).map(|r| compressed(req, r)),
        ("/api/forms" | "/api/forms/...", _) => method_not_allowed("GET"),
        ("/api/dossiers", Method::Post) => submit(req, json_body(req.body())?, None),
        ("/api/uploads", Method::Post) => upload(req),
        ("/api/intake", Method::Post) => desk_intake(req),
        ("/api/dossiers" | "/api/uploads" | "/api/intake", _) => method_not_allowed("POST"),
        _ => no_route(),
    }
}

/// `/{code}`: the version citizens fill now; `/{code}/versions/{n}`: a
/// published version (the desk reads a dossier under the questions it was
/// filled with). Published versions never change, so those are cached long.
fn form(info: &str) -> Result<Response> {
    let mut parts = info.strip_prefix('/').unwrap_or_default().split('/');
    let code = parts.next().and_then(decode_segment).unwrap_or_default();
    let conn = dossier_store::open()?;
    match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => {
            let spec = province_store::published_form(&conn, &code)?
                .ok_or_else(|| ApiError::not_found("this procedure has no online form here"))?;
            Ok(json(200, &spec, "public, max-age=300"))
        }
        (Some("versions"), Some(n), None) => {
            let version = n.parse::<u32>().map_err(|_| ApiError::invalid("version", "a form version is a whole number"))?;
            let spec = province_store::form_version(&conn, &code, version, false)?
                .ok_or_else(|| ApiError::not_found("this form has no such published version"))?;
            Ok(json(200, &spec, "public, max-age=86400"))
        }
        _ => no_route(),
    }
}

/// One photo or scan, checked by its bytes; answered with the id a submission
/// (or a supplement at tracking) attaches.
fn upload(req: &Request) -> Result<Response> {
    // Counted before the work, in one step: parallel uploads cannot slip past.
    let limit = UPLOADS_PER_CLIENT.with_max(throttle::variable("uploads_per_client", UPLOADS_PER_CLIENT.max));
    throttle::take(&limit, &throttle::client(req), "too many uploads from this address; wait and try again")?;
    let media_type = sniff(req.body()).map_err(|e| match e {
        UploadError::Empty => ApiError::invalid("file", "the file is empty"),
        UploadError::TooLarge => ApiError::too_large(MAX_ATTACHMENT_BYTES),
        UploadError::NotAPhotoOrPdf => ApiError::invalid("file", "send a whole JPEG or PNG photo, or a PDF"),
    })?;
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|_| Failure::internal("no randomness"))?;
    let id = hex(&random);
    let conn = dossier_store::open()?;
    dossier_store::insert_upload(&conn, &id, media_type, req.body(), clock::unix_seconds())?;
    Ok(json(201, &Upload { id, media_type, bytes: req.body().len() as u64 }, "no-store"))
}

/// A citizen served at the counter: the officer enters the dossier for them.
/// It is marked as submitted at the desk and accepted at once by that officer.
fn desk_intake(req: &Request) -> Result<Response> {
    // JSON only (CSRF), checked before the session.
    let submission: Submission = json_only_body(req)?;
    let conn = dossier_store::open()?;
    let officer = desk_session::officer(&conn, req, clock::unix_seconds())?
        .ok_or_else(|| ApiError::unauthorized("sign in at the desk first"))?;
    submit(req, submission, Some(officer))
}

/// A dossier, by the one rule (`intake`), answered with its receipt: 201
/// when new, 200 when the same dossier comes again under its key.
fn submit(req: &Request, submission: Submission, officer: Option<OfficerRow>) -> Result<Response> {
    let (status, receipt) = intake::submit(req, submission, officer)?;
    Ok(json(status, &receipt, "no-store"))
}
