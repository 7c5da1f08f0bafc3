//! HTTP routes of the catalogue component.

use crate::store;
use catalogue_data::units;
use http_kit::{compressed, decode_segment, error, json, path_info, query_pairs, require_get};
use motcua_shared::api_error::ApiError;
use motcua_shared::catalogue::SearchPage;
use motcua_shared::search::SearchParams;
use spin_sdk::http::{Request, Response};
use spin_sdk::http_component;

/// Catalogue answers may be cached briefly: records change a few times a year.
const CACHE: &str = "public, max-age=300";

#[http_component]
fn handle(req: Request) -> Response {
    if let Err(resp) = require_get(&req) {
        return resp;
    }
    let info = path_info(&req);
    let route = req.header("spin-matched-route").and_then(|v| v.as_str()).unwrap_or("");
    let one = |rest: &str| rest.strip_prefix('/').filter(|c| !c.contains('/')).map(str::to_owned);
    let result = match (route, info.trim_end_matches('/')) {
        ("/api/units" | "/api/units/...", "") => Ok(json(200, &units::province_list(), UNITS_CACHE)),
        ("/api/units/...", rest) => match one(rest) {
            Some(code) => communes(&code),
            None => Err(ApiError::not_found("no such route")),
        },
        (_, "") => search(&req),
        (_, rest) => match one(rest) {
            Some(code) => detail(&code),
            None => Err(ApiError::not_found("no such route")),
        },
    };
    // All public data, fetched in bulk by phones keeping it for offline use.
    compressed(&req, result.unwrap_or_else(error))
}

/// The list of units changes only by a government decision.
const UNITS_CACHE: &str = "public, max-age=86400";

/// A province's communes, for the address picker.
fn communes(code: &str) -> Result<Response, ApiError> {
    let code: u32 = code.parse().map_err(|_| ApiError::invalid("code", "a province code is a number"))?;
    let province = units::province(code).ok_or_else(|| ApiError::not_found(format!("no province with code {code}")))?;
    Ok(json(200, &province, UNITS_CACHE))
}

fn search(req: &Request) -> Result<Response, ApiError> {
    let params = SearchParams::from_pairs(query_pairs(req))?;
    let conn = store::open().map_err(db_error)?;
    let (items, total) = store::search(&conn, &params).map_err(db_error)?;
    let fields = store::fields(&conn).map_err(db_error)?;
    let page = SearchPage { items, total, page: params.page, per_page: params.per_page, fields };
    Ok(json(200, &page, CACHE))
}

fn detail(raw_code: &str) -> Result<Response, ApiError> {
    let code = decode_segment(raw_code)
        .filter(|c| is_code(c))
        .ok_or_else(|| ApiError::invalid("code", "a procedure code has letters, digits, dots and dashes, at most 64"))?;
    let conn = store::open().map_err(db_error)?;
    match store::procedure(&conn, &code).map_err(db_error)? {
        Some(p) => Ok(json(200, &p, CACHE)),
        None => Err(ApiError::not_found(format!("no procedure with code {code}"))),
    }
}

/// Procedure codes look like `1.001193` or a province's `1.001193.000.00.00.H56`.
fn is_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

fn db_error(e: spin_sdk::sqlite::Error) -> ApiError {
    // The operator sees what failed; the citizen gets a generic message.
    eprintln!("catalogue: database error: {e:?}");
    ApiError::internal()
}
