//! HTTP routes of the catalogue component.

use province_store as store;
use http_kit::{compressed, decode_segment, json, method_not_allowed, no_route, path_info, query_pairs, serve, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::catalogue::{ProcedurePage, SearchPage};
use motcua_shared::catalogue_import::is_procedure_code;
use motcua_shared::search::SearchParams;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;

/// Catalogue answers may be cached briefly: records change a few times a year.
const CACHE: &str = "public, max-age=300";

/// Read-only routes: a body is not expected, and a large one is refused
/// before it is read.
const MAX_BODY: usize = 1024;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "catalogue", |_| MAX_BODY, |req| {
        // All public data, fetched in bulk by phones keeping it for offline use.
        routes(req).map(|r| compressed(req, r))
    })
    .await
}

fn routes(req: &Request) -> Result<Response> {
    if *req.method() != Method::Get {
        return method_not_allowed("GET");
    }
    let info = path_info(req);
    let route = http_kit::header(req, "spin-matched-route");
    let one = |rest: &str| rest.strip_prefix('/').filter(|c| !c.contains('/')).map(str::to_owned);
    match (route, info.trim_end_matches('/')) {
        ("/api/units" | "/api/units/...", "") => Ok(json(200, &units_data::province_list(), UNITS_CACHE)),
        ("/api/units/...", rest) => match one(rest) {
            Some(code) => communes(&code),
            None => no_route(),
        },
        ("/api/procedure-index" | "/api/procedure-index/...", "") => offline_index(),
        ("/api/procedure-index/...", rest) => offline_index_part(rest),
        (_, "") => search(req),
        (_, rest) => match one(rest) {
            Some(code) => detail(&code),
            None => no_route(),
        },
    }
}

/// The manifest of the offline index: which version's parts to keep. Always
/// asked again (`no-cache`), so a phone learns of a new catalogue at once.
fn offline_index() -> Result<Response> {
    Ok(json(200, &store::offline_index(&store::open()?)?, "no-cache"))
}

/// `/{version}/{part}`: one part, as stored at publishing; never changes.
fn offline_index_part(rest: &str) -> Result<Response> {
    let mut parts = rest.trim_start_matches('/').split('/');
    let (Some(version), Some(part), None) = (parts.next(), parts.next(), parts.next()) else { return no_route() };
    let (Ok(version), Ok(part)) = (version.parse::<u64>(), part.parse::<u32>()) else {
        return Err(ApiError::not_found("no such part of the catalogue index").into());
    };
    let items = store::offline_index_part(&store::open()?, version, part)?
        .ok_or_else(|| ApiError::not_found("no such part of the catalogue index (a newer catalogue is published)"))?;
    Ok(Response::builder()
        .status(200)
        .header("content-type", "application/json; charset=utf-8")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .body(items.into_bytes())
        .build())
}

/// The list of units changes only by a government decision.
const UNITS_CACHE: &str = "public, max-age=86400";

/// A province's communes, for the address picker.
fn communes(code: &str) -> Result<Response> {
    let code: u32 = code.parse().map_err(|_| ApiError::invalid("code", "a province code is a number"))?;
    let province = units_data::province(code).ok_or_else(|| ApiError::not_found(format!("no province with code {code}")))?;
    Ok(json(200, &province, UNITS_CACHE))
}

fn search(req: &Request) -> Result<Response> {
    let params = SearchParams::from_pairs(query_pairs(req))?;
    let conn = store::open()?;
    let (items, total) = store::search(&conn, &params)?;
    let fields = store::fields(&conn)?;
    let page = SearchPage { items, total, page: params.page, per_page: params.per_page, fields };
    Ok(json(200, &page, CACHE))
}

fn detail(raw_code: &str) -> Result<Response> {
    let code = decode_segment(raw_code)
        .filter(|c| is_procedure_code(c))
        .ok_or_else(|| ApiError::invalid("code", "a procedure code has letters, digits, dots and dashes, at most 64"))?;
    let conn = store::open()?;
    match store::procedure(&conn, &code)? {
        Some(procedure) => Ok(json(200, &ProcedurePage { where_to_go: store::places_for(&conn, &code)?, procedure }, CACHE)),
        None => Err(ApiError::not_found(format!("no procedure with code {code}")).into()),
    }
}
