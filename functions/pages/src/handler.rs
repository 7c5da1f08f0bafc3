//! HTTP side of the pages component: which page a path is, its data from the
//! stores, the language from the request, and the document around it.

use crate::document::{self, Page};
use crate::pages::{self, Context, Rendered};
use crate::prefs;
use http_kit::{Failure, Result, decode_segment, method_not_allowed, path_info, query_pairs, serve};
use motcua_shared::api_error::ApiError;
use motcua_shared::catalogue::{ProcedurePage, SearchPage};
use motcua_shared::catalogue_import::is_procedure_code;
use motcua_shared::search::SearchParams;
use motcua_views::i18n::{self, Lang};
use province_store as store;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;

/// The pages take no body (their forms are GET); a large one is refused unread.
const MAX_BODY: usize = 1024;

/// The app's shells as trunk built them (spin.toml mounts `frontend/dist`).
const CATALOGUE_SHELL: &str = "/index.html";
const DOSSIER_SHELL: &str = "/dossier/index.html";
const CSP_HASHES: &str = "/csp-hashes.txt";

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "pages", |_| MAX_BODY, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let head = match req.method() {
        Method::Get => false,
        Method::Head => true,
        _ => return method_not_allowed("GET, HEAD"),
    };
    let conn = store::open()?;
    let cx = context(req, &conn)?;
    let route = http_kit::header(req, "spin-matched-route");
    let info = path_info(req);
    let rendered = match (route, info.trim_end_matches('/')) {
        ("/accessibility", _) => Ok((200, pages::accessibility(&cx))),
        ("/procedures/...", rest) => match rest.trim_start_matches('/').split_once('/') {
            // The online form is the dossier app's page (served as its shell).
            Some((_, "apply")) => return Ok(shell(DOSSIER_SHELL, head)),
            Some(_) => Err(ApiError::not_found("no such page")),
            None => procedure(&cx, &conn, rest.trim_start_matches('/')),
        },
        _ => search(&cx, &conn).map(|page| (200, page)),
    };
    let (status, page) = rendered.unwrap_or_else(|error| (error.status(), pages::error(&cx, &error)));
    Ok(respond(req, &cx, status, page, head))
}

/// The language, text size and offered languages of this request; a
/// language other than Vietnamese gets its published strings.
fn context(req: &Request, conn: &spin_sdk::sqlite::Connection) -> Result<Context> {
    let offered: Vec<Lang> =
        store::published_entries(conn)?.into_iter().filter(|e| e.offered).filter_map(|e| Lang::parse(&e.code)).collect();
    let query = query_pairs(req);
    let chosen = prefs::choose(&query, http_kit::header(req, "cookie"), &offered);
    if chosen.lang != Lang::Vi
        && let Some((_, body)) = store::published_language(conn, chosen.lang.code())?
    {
        i18n::install(chosen.lang, &body);
    }
    Ok(Context { lang: chosen.lang, large: chosen.large, offered, query, set_cookie: chosen.set_cookie })
}

fn search(cx: &Context, conn: &spin_sdk::sqlite::Connection) -> std::result::Result<Rendered, ApiError> {
    let params = SearchParams::from_pairs(cx.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let raw_q = cx.query.iter().find(|(k, _)| k == "q").map(|(_, v)| v.clone()).unwrap_or_default();
    let found = match &params {
        Ok(p) => Some(found(conn, p).map_err(api)?),
        Err(_) => None,
    };
    Ok(pages::search(cx, params, raw_q, found))
}

fn found(conn: &spin_sdk::sqlite::Connection, params: &SearchParams) -> Result<SearchPage> {
    let (items, total) = store::search(conn, params)?;
    let fields = store::fields(conn)?;
    Ok(SearchPage { items, total, page: params.page, per_page: params.per_page, fields })
}

fn procedure(cx: &Context, conn: &spin_sdk::sqlite::Connection, raw: &str) -> std::result::Result<(u16, Rendered), ApiError> {
    let code = decode_segment(raw).filter(|c| is_procedure_code(c)).ok_or_else(|| ApiError::not_found("no such procedure"))?;
    let load = || -> Result<Option<(ProcedurePage, bool)>> {
        let Some(procedure) = store::procedure(conn, &code)? else { return Ok(None) };
        let has_form = store::has_published_form(conn, &code)?;
        Ok(Some((ProcedurePage { where_to_go: store::places_for(conn, &code)?, procedure }, has_form)))
    };
    match load().map_err(api)? {
        Some((page, has_form)) => Ok((200, pages::procedure(cx, page, has_form))),
        None => Ok((404, pages::unknown_procedure(cx, code))),
    }
}

/// A store failure as what the page says: busy is a 503 (try again soon),
/// anything else a 500 whose cause goes to the operator's log only.
fn api(failure: Failure) -> ApiError {
    match failure {
        Failure::Api(e) => e,
        Failure::Busy | Failure::TooMany { .. } => ApiError::unavailable(),
        Failure::Internal(what) => {
            eprintln!("pages: {what}");
            ApiError::internal()
        }
    }
}

fn respond(req: &Request, cx: &Context, status: u16, page: Rendered, head: bool) -> Response {
    let shell = std::fs::read_to_string(CATALOGUE_SHELL).unwrap_or_default();
    let html = document::wrap(&shell, &Page {
        lang: cx.lang.code(),
        large: cx.large,
        title: &page.title,
        app_name: i18n::text(cx.lang, "app.name"),
        body: &page.body,
    });
    let mut builder = Response::builder();
    builder
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        // The language and size come from cookies: a shared cache must not keep one person's page.
        .header("cache-control", "private, no-cache")
        .header("content-security-policy", http_kit::csp::csp(&std::fs::read_to_string(CSP_HASHES).unwrap_or_default()));
    if status == 503 {
        builder.header("retry-after", Failure::BUSY_RETRY_SECS.to_string());
    }
    if let Some(cookie) = &cx.set_cookie {
        builder.header("set-cookie", cookie.as_str());
    }
    let mut resp = http_kit::compressed(req, builder.body(html.into_bytes()).build());
    resp.set_header("vary", "accept-encoding, cookie");
    if head {
        resp.body_mut().clear();
    }
    resp
}

/// An app's shell, as the static files component serves it.
fn shell(file: &str, head: bool) -> Response {
    let html = std::fs::read(file).unwrap_or_default();
    Response::builder()
        .status(if html.is_empty() { 404 } else { 200 })
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-cache")
        .header("content-security-policy", http_kit::csp::csp(&std::fs::read_to_string(CSP_HASHES).unwrap_or_default()))
        .body(if head { Vec::new() } else { html })
        .build()
}
