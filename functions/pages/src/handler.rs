//! HTTP side of the pages component: which page a path is, its data from the
//! stores, the language from the request, and the document around it.

use crate::apply;
use crate::document::{self, Page};
use crate::pages::{self, Context, Rendered};
use crate::prefs;
use crate::voice;
use http_kit::{Failure, Result, decode_segment, method_not_allowed, path_info, query_pairs, serve};
use http_kit::db::transaction;
use motcua_shared::api_error::{ApiError, ErrorCode};
use motcua_shared::app_paths::{Shell, shell_for};
use motcua_shared::ratings::{Choice, Criterion, DossierRating};
use std::collections::BTreeMap;
use motcua_shared::catalogue::{ProcedurePage, SearchPage};
use motcua_shared::catalogue_import::is_procedure_code;
use motcua_shared::dossier::attachments::MAX_ATTACHMENT_BYTES;
use motcua_shared::search::SearchParams;
use motcua_views::i18n::{self, Lang};
use province_store as store;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;

/// The pages take no body but the tracking page's forms; a large one is
/// refused unread. The largest is a rating: its comment, every character
/// percent-encoded (a Vietnamese letter is 3 bytes, 9 characters encoded),
/// beside the code, the secret and the faces.
const MAX_BODY: usize = 1024;
const MAX_FORM_BODY: usize = motcua_shared::ratings::MAX_COMMENT_CHARS * 9 + 2048;

/// A comment on a consultation: its text and name, every character
/// percent-encoded, beside the section and the key.
const MAX_COMMENT_BODY: usize = (*motcua_shared::consultations::COMMENT_CHARS.end() + motcua_shared::consultations::MAX_NAME_CHARS) * 9 + 2048;

/// A step of the online form, with a photo: larger than a photo may be, so a
/// camera's full-size picture gets the page that says so, not a bare 413.
const MAX_APPLY_BODY: usize = 4 * MAX_ATTACHMENT_BYTES + 64 * 1024;

/// The app's shells as trunk built them (spin.toml mounts `frontend/dist`).
const CATALOGUE_SHELL: &str = "/index.html";
const DOSSIER_SHELL: &str = "/dossier/index.html";
const CSP_HASHES: &str = "/csp-hashes.txt";

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    let limit = |route: &str| match route {
        "/track" => MAX_FORM_BODY,
        // A report's page: the form with its photos, or a secret and a face.
        "/procedures/..." | "/reports/..." => MAX_APPLY_BODY,
        "/consultations/..." => MAX_COMMENT_BODY,
        _ => MAX_BODY,
    };
    serve(req, "pages", limit, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let route = http_kit::header(req, "spin-matched-route");
    let info = path_info(req);
    // `/procedures/{code}/apply`: the online form, one question a page.
    if route == "/procedures/..." && let Some(code) = apply_code(&info) {
        let answer = match req.method() {
            Method::Get => apply::get(req, &code, false),
            Method::Head => apply::get(req, &code, true),
            Method::Post => apply::post(req, &code),
            _ => return method_not_allowed("GET, HEAD, POST"),
        };
        return answer.or_else(|failure| failure_page(req, failure));
    }
    if matches!(route, "/reports" | "/reports/..." | "/consultations" | "/consultations/...") {
        return voice_routes(req, route, &info).or_else(|failure| failure_page(req, failure));
    }
    let head = match (req.method(), route) {
        (Method::Get, _) => false,
        (Method::Head, _) => true,
        (Method::Post, "/track") => return track_posted(req),
        (_, "/track") => return method_not_allowed("GET, HEAD, POST"),
        _ => return method_not_allowed("GET, HEAD"),
    };
    let conn = store::open()?;
    let cx = context(req, &conn)?;
    let rendered = match (route, info.trim_end_matches('/')) {
        ("/accessibility", _) => Ok((200, pages::accessibility(&cx))),
        // `/track/{code}` (a receipt's link, whose secret is in the fragment
        // the browser keeps to itself): the form with the code filled in.
        ("/track" | "/track/...", rest) => {
            let code = decode_segment(rest.trim_start_matches('/')).unwrap_or_default();
            Ok((200, pages::track(&cx, code, String::new(), None, pages::Done::Nothing, Vec::new(), None)))
        }
        ("/procedures/...", rest) => match rest.trim_start_matches('/').split_once('/') {
            Some(_) => Err(ApiError::not_found("no such page")),
            None => procedure(&cx, &conn, rest.trim_start_matches('/')),
        },
        _ => search(&cx, &conn).map(|page| (200, page)),
    };
    let (status, page) = rendered.unwrap_or_else(|error| (error.status(), pages::error(&cx, &error)));
    Ok(respond(req, &cx, status, page, Shown { head, takeover: true, cookie: None }))
}

/// The citizens' voice: reports and consultations (`voice.rs`).
fn voice_routes(req: &Request, route: &str, info: &str) -> Result<Response> {
    let base = route.trim_end_matches("/...");
    let rest = info.trim_matches('/');
    let one = !rest.is_empty() && !rest.contains('/');
    let head = match (req.method(), base) {
        (Method::Get, _) => false,
        (Method::Head, _) => true,
        (Method::Post, "/reports") if rest == "new" => return voice::send_report(req),
        (Method::Post, "/reports") if one => return voice::holder(req, rest),
        (Method::Post, "/consultations") if one => return voice::comment(req, rest),
        _ if one => return method_not_allowed("GET, HEAD, POST"),
        _ => return method_not_allowed("GET, HEAD"),
    };
    let conn = dossier_store::open()?;
    let cx = context(req, &conn)?;
    match (base, rest) {
        ("/reports", "") => voice::reports(req, &conn, &cx, head),
        ("/reports", "new") => voice::new_report(req, &conn, &cx, head),
        ("/reports", code) if one => voice::report(req, &conn, &cx, code, head),
        ("/consultations", "") => voice::consultations(req, &conn, &cx, head),
        ("/consultations", id) if one => voice::consultation(req, &conn, &cx, id, head),
        _ => {
            let error = ApiError::not_found("no such page");
            Ok(respond(req, &cx, 404, pages::error(&cx, &error), Shown { head, takeover: false, cookie: None }))
        }
    }
}

/// The procedure code of `/{code}/apply`, if that is the path.
fn apply_code(info: &str) -> Option<String> {
    let rest = info.trim_end_matches('/').strip_prefix('/')?.strip_suffix("/apply")?;
    decode_segment(rest).filter(|c| is_procedure_code(c))
}

/// A failure of the online form's pages as a page (the citizen's browser
/// shows it), not the API's JSON: busy is a 503 with its retry.
fn failure_page(req: &Request, failure: Failure) -> Result<Response> {
    let error = api(failure);
    let conn = store::open()?;
    let cx = context(req, &conn)?;
    Ok(respond(req, &cx, error.status(), pages::error(&cx, &error), Shown { head: false, takeover: false, cookie: None }))
}

/// `POST /track`: code and secret in the body (never in a URL), and what to
/// do: look the dossier up, or stop its messages.
fn track_posted(req: &Request) -> Result<Response> {
    let conn = store::open()?;
    let cx = context(req, &conn)?;
    let form: Vec<(String, String)> = form_urlencoded::parse(req.body()).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let (code, secret, action) = (field("code"), field("secret"), field("do"));
    let criteria = criteria();
    let mut attempt = None;
    let found = if code.is_empty() || secret.is_empty() {
        Err(pages::TrackRefusal::Missing)
    } else {
        match dossier_store::find_for_holder(&conn, req, &code, &secret) {
            Ok(row) => {
                if action == "stop_messages" {
                    transaction(&conn, |conn| Ok(dossier_store::change_recipient(conn, &row.code, None)?))?;
                }
                if action == "rate" {
                    attempt = rate(&conn, &row, &criteria, &form, &secret)?;
                }
                Ok(dossier_store::tracking(&conn, row)?)
            }
            Err(Failure::Api(e)) if e.code == ErrorCode::NotFound => Err(pages::TrackRefusal::NotFound),
            Err(Failure::TooMany { .. }) => Err(pages::TrackRefusal::TooMany),
            Err(other) => return Err(other),
        }
    };
    let status = match found {
        Ok(_) => 200,
        Err(pages::TrackRefusal::Missing) => 400,
        Err(pages::TrackRefusal::NotFound) => 404,
        Err(pages::TrackRefusal::TooMany) => 429,
    };
    let done = if action == "stop_messages" && found.is_ok() { pages::Done::StoppedMessages } else { pages::Done::Nothing };
    let status = if attempt.is_some() { 400 } else { status };
    let page = pages::track(&cx, code, secret, Some(found), done, criteria, attempt);
    // The answer to a post is not taken over by the app (it would show an
    // empty form in its place), and never kept: it holds the secret.
    Ok(respond(req, &cx, status, page, Shown { head: false, takeover: false, cookie: None }))
}

/// The language, text size and offered languages of this request; a
/// language other than Vietnamese gets its published strings.
pub(crate) fn context(req: &Request, conn: &spin_sdk::sqlite::Connection) -> Result<Context> {
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
pub(crate) fn api(failure: Failure) -> ApiError {
    match failure {
        Failure::Api(e) => e,
        Failure::Busy | Failure::TooMany { .. } => ApiError::unavailable(),
        Failure::Internal(what) => {
            eprintln!("pages: {what}");
            ApiError::internal()
        }
    }
}

/// The criteria a dossier is rated on: the ratings component's file, the one
/// list (a province edits it there).
fn criteria() -> Vec<Criterion> {
    serde_json::from_str(include_str!("../../ratings/criteria.json")).unwrap_or_default()
}

/// A rating posted from the tracking page (`rate-<criterion>` faces and a
/// comment), stored as the app's would be; or what was refused, kept to show
/// again with the citizen's choices.
fn rate(
    conn: &spin_sdk::sqlite::Connection,
    row: &dossier_store::DossierRow,
    criteria: &[Criterion],
    form: &[(String, String)],
    secret: &str,
) -> Result<Option<pages::RatingAttempt>> {
    let answers: BTreeMap<String, Choice> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("rate-")?.to_owned(), Choice::ALL.into_iter().find(|c| c.as_str() == v)?)))
        .collect();
    let comment = form.iter().find(|(k, _)| k == "comment").map(|(_, v)| v.clone()).unwrap_or_default();
    let rating = DossierRating {
        secret: secret.to_owned(),
        answers: answers.clone(),
        comment: (!comment.trim().is_empty()).then(|| comment.clone()),
    };
    let problem = match dossier_store::rate_as_holder(conn, row, criteria, rating, http_kit::clock::unix_seconds()) {
        Ok(_) => return Ok(None),
        // Not returned yet (only a crafted post gets here): the page shows no form.
        Err(Failure::Api(e)) if e.code == ErrorCode::Conflict && e.field.as_deref() == Some("status") => return Ok(None),
        Err(Failure::Api(e)) if e.code == ErrorCode::Conflict => pages::RatingProblem::Fixed,
        Err(Failure::Api(e)) if e.code == ErrorCode::InvalidParameter => {
            let missing = criteria.iter().filter(|c| !answers.contains_key(&c.id)).map(|c| c.id.clone()).collect();
            pages::RatingProblem::Missing(missing)
        }
        Err(other) => return Err(other),
    };
    Ok(Some(pages::RatingAttempt { answers, comment, problem }))
}

/// How a page goes out.
pub(crate) struct Shown {
    pub head: bool,
    /// Whether the app may take the page over (a GET), or not (a post's answer).
    pub takeover: bool,
    /// A cookie to set instead of the language's (the online form's draft):
    /// Spin's response holds one value a header.
    pub cookie: Option<String>,
}

pub(crate) fn respond(req: &Request, cx: &Context, status: u16, page: Rendered, shown: Shown) -> Response {
    // The shell of the app that owns the path, so that app takes it over.
    let shell = match shell_for(req.path()) {
        Shell::Dossier => DOSSIER_SHELL,
        _ => CATALOGUE_SHELL,
    };
    let html = document::wrap(&std::fs::read_to_string(shell).unwrap_or_default(), &Page {
        lang: cx.lang.code(),
        large: cx.large,
        title: &page.title,
        app_name: i18n::text(cx.lang, "app.name"),
        body: &page.body,
        takeover: shown.takeover,
    });
    let mut builder = Response::builder();
    builder
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        // The language and size come from cookies: a shared cache must not keep
        // one person's page; a post's answer (a dossier) is not kept at all.
        .header("cache-control", if shown.takeover { "private, no-cache" } else { "no-store" })
        .header("content-security-policy", http_kit::csp::csp(&std::fs::read_to_string(CSP_HASHES).unwrap_or_default()));
    if status == 503 {
        builder.header("retry-after", Failure::BUSY_RETRY_SECS.to_string());
    }
    if let Some(cookie) = shown.cookie.as_ref().or(cx.set_cookie.as_ref()) {
        builder.header("set-cookie", cookie.as_str());
    }
    let mut resp = http_kit::compressed(req, builder.body(html.into_bytes()).build());
    resp.set_header("vary", "accept-encoding, cookie");
    if shown.head {
        resp.body_mut().clear();
    }
    resp
}
