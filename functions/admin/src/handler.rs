//! HTTP routes of the admin component.

use dossier_store::desk_session;
use http_kit::db::transaction;
use http_kit::{clock, json, json_only_body, method_not_allowed, no_route, operator, query_pairs, serve, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::catalogue_import::{check_record, BatchReport, RecordBatch, BATCH_RECORDS, MAX_RECORDS};
use motcua_shared::admin::CalendarYear;
use motcua_shared::desk::Role;
use province_store::ImportRefusal;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;

/// A batch of records (`BATCH_RECORDS` of a few KB each) with room to spare.
const MAX_BODY: usize = 4 * 1024 * 1024;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "admin", |_| MAX_BODY, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let path = http_kit::path_info(req);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Get, ["catalogue", "imports"]) => imports(req),
        (Method::Post, ["catalogue", "imports"]) => start_import(req),
        (Method::Get, ["catalogue", "imports", id]) => preview(req, id),
        (Method::Post, ["catalogue", "imports", id, "records"]) => records(req, id),
        (Method::Post, ["catalogue", "imports", id, "publish"]) => publish(req, id),
        (Method::Get, ["calendar"]) => calendar(req),
        (Method::Put, ["calendar", year]) => put_calendar_year(req, year),
        (Method::Get, ["audit"]) => audit(req),
        (_, ["catalogue", "imports"]) => method_not_allowed("GET, POST"),
        (_, ["catalogue", "imports", _] | ["audit"] | ["calendar"]) => method_not_allowed("GET"),
        (_, ["calendar", _]) => method_not_allowed("PUT"),
        (_, ["catalogue", "imports", _, "records" | "publish"]) => method_not_allowed("POST"),
        _ => no_route(),
    }
}

/// The database, and who is acting: `token` for the operator's script, else
/// the username of a signed-in administrator.
fn administrator(req: &Request) -> Result<(Connection, String)> {
    let conn = dossier_store::open()?;
    if operator::token_given(req)? {
        return Ok((conn, "token".to_owned()));
    }
    match desk_session::officer(&conn, req, clock::unix_seconds())? {
        Some(o) if o.role == Role::Administrator => Ok((conn, o.username)),
        Some(_) => Err(ApiError::forbidden("only the province's administrator may do this").into()),
        None => Err(ApiError::unauthorized("sign in at the desk as an administrator first").into()),
    }
}

fn import_id(raw: &str) -> Result<u32> {
    raw.parse().map_err(|_| ApiError::not_found("no such import").into())
}

fn refused(why: ImportRefusal) -> http_kit::Failure {
    match why {
        ImportRefusal::NoSuchImport => ApiError::not_found("no such import").into(),
        ImportRefusal::NotADraft => ApiError::conflict("import", "this import is already published or discarded: start a new one").into(),
        ImportRefusal::TooManyRecords => ApiError::invalid("records", format!("a catalogue holds at most {MAX_RECORDS} records")).into(),
        ImportRefusal::NotPublishable(why) => ApiError::invalid("import", why).into(),
    }
}

fn imports(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::history(&conn, 50)?, "no-store"))
}

fn start_import(req: &Request) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let _: serde_json::Value = json_only_body(req)?;
    let id = transaction(&conn, |conn| {
        let id = province_store::start_import(conn, &actor)?;
        province_store::record_change(conn, &actor, "catalogue.import", &id.to_string(), "started an import")?;
        Ok(id)
    })?;
    let import = province_store::find(&conn, id)?;
    Ok(json(201, &import, "no-store"))
}

fn records(req: &Request, id: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let id = import_id(id)?;
    let batch: RecordBatch = json_only_body(req)?;
    if batch.records.len() > BATCH_RECORDS {
        return Err(ApiError::invalid("records", format!("send at most {BATCH_RECORDS} records a request")).into());
    }
    let received = batch.records.len() as u32;
    let first = batch.first_position.max(1);
    let checked: Vec<_> = batch.records.iter().enumerate().map(|(i, r)| (first + i as u32, check_record(first + i as u32, r))).collect();
    let staged = transaction(&conn, |conn| Ok(province_store::stage_batch(conn, id, &checked)?))?;
    let (accepted, problems) = staged.map_err(refused)?;
    Ok(json(200, &BatchReport { received, accepted, problems }, "no-store"))
}

fn preview(req: &Request, id: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let preview = province_store::preview(&conn, import_id(id)?)?.ok_or_else(|| refused(ImportRefusal::NoSuchImport))?;
    Ok(json(200, &preview, "no-store"))
}

fn publish(req: &Request, id: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let id = import_id(id)?;
    let _: serde_json::Value = json_only_body(req)?;
    let published = transaction(&conn, |conn| {
        let published = province_store::publish(conn, id)?;
        if let Ok(import) = &published {
            let c = &import.counts;
            let detail = format!("published: {} new, {} changed, {} withdrawn, {} unchanged", c.added, c.changed, c.withdrawn, c.unchanged);
            province_store::record_change(conn, &actor, "catalogue.publish", &id.to_string(), &detail)?;
        }
        Ok(published)
    })?;
    Ok(json(200, &published.map_err(refused)?, "no-store"))
}

/// The published years, oldest first.
fn calendar(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::years_between(&conn, i32::MIN, i32::MAX)?, "no-store"))
}

/// Publishes a year's days off and make-up working days (replacing what was there).
fn put_calendar_year(req: &Request, year: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let days: CalendarYear = json_only_body(req)?;
    if year.parse::<i32>().ok() != Some(days.year) {
        return Err(ApiError::invalid("year", "the year in the path and in the body differ").into());
    }
    transaction(&conn, |conn| {
        province_store::put_year(conn, &days, &actor)?.map_err(|e| ApiError::invalid("days_off", e.to_string()))?;
        let detail = format!("{} days off, {} make-up working days", days.days_off.len(), days.workdays.len());
        province_store::record_change(conn, &actor, "calendar.publish", &days.year.to_string(), &detail)?;
        Ok(())
    })?;
    Ok(json(200, &days, "no-store"))
}

fn audit(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let before = match query_pairs(req).into_iter().find(|(k, _)| k == "before") {
        Some((_, v)) => Some(v.parse::<u64>().map_err(|_| ApiError::invalid("before", "the id of the oldest change shown"))?),
        None => None,
    };
    Ok(json(200, &province_store::recent_changes(&conn, before, 100)?, "no-store"))
}
