//! The catalogue API (same origin): `GET /api/procedures` and
//! `GET /api/procedures/{code}`, with fetch from web-sys, plus a small loader
//! that pages use to show loading, data or an error with a retry.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::{ApiError, ErrorBody};
use motcua_shared::catalogue::{ProcedurePage, ProvinceUnits, SearchPage, Unit};
use motcua_shared::dossier::api::{MessagesRequest, Receipt, Submission, SupplyRequest, Tracking, TrackingRequest};
use motcua_shared::notify::NotifyChoice;
use motcua_shared::forms::FormSpec;
use motcua_shared::ratings::{Criterion, DossierRating, Figures, RatingView};
use motcua_shared::reports::{AnswerRating, HolderView, NewReport, PublicPage, PublicReport, ReportAgency, ReportReceipt};
use motcua_shared::search::SearchParams;
use serde::de::DeserializeOwned;
use std::future::Future;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// No answer: offline, DNS, connection dropped.
    Network,
    /// An answer that is not what the API promises (a proxy's error page, bad JSON).
    Unexpected,
    /// The API's own error body.
    Api(ApiError),
}

pub async fn search(params: &SearchParams) -> Result<SearchPage, FetchError> {
    get_json(&format!("/api/procedures{}", query_string(params))).await
}

/// A procedure and the agencies that receive it (where to go).
pub async fn procedure(code: &str) -> Result<ProcedurePage, FetchError> {
    get_json(&format!("/api/procedures/{}", encode(code, false))).await
}

/// The provinces, for the address picker.
pub async fn units() -> Result<Vec<Unit>, FetchError> {
    get_json("/api/units").await
}

/// A province's communes.
pub async fn communes(province: u32) -> Result<ProvinceUnits, FetchError> {
    get_json(&format!("/api/units/{province}")).await
}

/// A procedure's online form; `NotFound` when it has none.
pub async fn form(code: &str) -> Result<FormSpec, FetchError> {
    get_json(&format!("/api/forms/{}", encode(code, false))).await
}

/// One published version of a procedure's form: the one a dossier was filled with.
pub async fn form_version(code: &str, version: u32) -> Result<FormSpec, FetchError> {
    get_json(&format!("/api/forms/{}/versions/{version}", encode(code, false))).await
}

/// Any version of a form, a draft included, for the preview: an
/// administrator's desk session only (the cookie goes to `/api`), else 401 or 403.
pub async fn admin_form_version(code: &str, version: u32) -> Result<FormSpec, FetchError> {
    get_json(&format!("/api/admin/forms/{}/versions/{version}", encode(code, false))).await
}

/// Whether a procedure has an online form (`NotFound` when not), without
/// reading the form: the catalogue app then carries no form parser.
pub async fn has_form(code: &str) -> Result<(), FetchError> {
    get_json::<serde::de::IgnoredAny>(&format!("/api/forms/{}", encode(code, false))).await.map(|_| ())
}

/// What became of a dossier sent from the form.
#[derive(Clone, Debug, PartialEq)]
pub enum Sent {
    /// The portal has it.
    Received(Receipt),
    /// No signal: it waits in the device's outbox (see `offline`).
    Queued(crate::offline::OutboxItem),
}

/// Sends a dossier. The same idempotency key again returns the same receipt,
/// so a retry after a dropped connection never makes a second dossier.
/// `to` is `/api/dossiers`, or `/api/intake` for an officer at the counter.
/// With `queue`, the service worker keeps it in the outbox if the network fails.
pub async fn submit(to: &str, submission: &Submission, queue: bool) -> Result<Sent, FetchError> {
    let body = post(to, serde_json::to_string(submission).unwrap_or_default(), queue).await?;
    if let Ok(q) = serde_json::from_str::<crate::offline::QueuedAnswer>(&body) {
        return Ok(Sent::Queued(q.queued));
    }
    serde_json::from_str(&body).map(Sent::Received).map_err(|_| FetchError::Unexpected)
}

/// The criteria a dossier is rated on.
pub async fn rating_criteria() -> Result<Vec<Criterion>, FetchError> {
    get_json("/api/ratings/criteria").await
}

/// Rates a returned dossier (again within the day, to change it).
pub async fn rate(code: &str, rating: &DossierRating) -> Result<RatingView, FetchError> {
    post_json(&format!("/api/ratings/dossiers/{}", encode(code, false)), serde_json::to_string(rating).unwrap_or_default()).await
}

/// What became of a report sent from its form.
#[derive(Clone, Debug, PartialEq)]
pub enum ReportSent {
    Received(ReportReceipt),
    /// No signal: it waits in the device's outbox and arrives once later.
    Queued,
}

/// Sends a citizen's report; with `queue`, the service worker keeps it if the network fails.
pub async fn send_report(report: &NewReport, queue: bool) -> Result<ReportSent, FetchError> {
    let body = post("/api/reports", serde_json::to_string(report).unwrap_or_default(), queue).await?;
    if serde_json::from_str::<crate::offline::QueuedAnswer>(&body).is_ok() {
        return Ok(ReportSent::Queued);
    }
    serde_json::from_str(&body).map(ReportSent::Received).map_err(|_| FetchError::Unexpected)
}

/// The agencies a report may be addressed to.
pub async fn report_agencies() -> Result<Vec<ReportAgency>, FetchError> {
    get_json("/api/reports/agencies").await
}

/// A page of published reports (`query` is the list's query string, without `?`).
pub async fn public_reports(query: &str) -> Result<PublicPage, FetchError> {
    get_json(&format!("/api/reports?{query}")).await
}

pub async fn public_report(code: &str) -> Result<PublicReport, FetchError> {
    get_json(&format!("/api/reports/{}", encode(code, false))).await
}

/// The holder's report; the secret travels in the body.
pub async fn holder_report(code: &str, secret: &str) -> Result<HolderView, FetchError> {
    let body = serde_json::to_string(&TrackingRequest { secret: secret.to_owned() }).unwrap_or_default();
    post_json(&format!("/api/reports/{}/holder", encode(code, false)), body).await
}

pub async fn rate_report_answer(code: &str, rating: &AnswerRating) -> Result<HolderView, FetchError> {
    post_json(&format!("/api/reports/{}/rating", encode(code, false)), serde_json::to_string(rating).unwrap_or_default()).await
}

/// The drafts out for comment, newest first.
pub async fn consultations() -> Result<Vec<motcua_shared::consultations::ConsultationSummary>, FetchError> {
    get_json("/api/consultations").await
}

pub async fn consultation(id: &str) -> Result<motcua_shared::consultations::Consultation, FetchError> {
    get_json(&format!("/api/consultations/{}", encode(id, false))).await
}

/// A citizen's comment on a section; it waits for moderation.
pub async fn comment(id: i64, comment: &motcua_shared::consultations::NewComment) -> Result<motcua_shared::consultations::CommentReceipt, FetchError> {
    post_json(&format!("/api/consultations/{id}/comments"), serde_json::to_string(comment).unwrap_or_default()).await
}

/// The published figures for the last `months` months.
pub async fn figures(months: u32) -> Result<Figures, FetchError> {
    get_json(&format!("/api/stats?months={months}")).await
}

/// Sends the papers the desk asked for (uploaded first, by `photos`).
pub async fn supply(code: &str, secret: &str, uploads: Vec<String>) -> Result<Tracking, FetchError> {
    let body = serde_json::to_string(&SupplyRequest { secret: secret.to_owned(), uploads }).unwrap_or_default();
    post_json(&format!("/api/dossiers/{}/documents", encode(code, false)), body).await
}

/// The holder changes how they are told, or stops messages (`channel: none`).
pub async fn change_messages(code: &str, secret: &str, notify: NotifyChoice) -> Result<Tracking, FetchError> {
    let body = serde_json::to_string(&MessagesRequest { secret: secret.to_owned(), notify }).unwrap_or_default();
    post_json(&format!("/api/dossiers/{}/messages", encode(code, false)), body).await
}

/// A dossier's status; the secret travels in the body, never in the URL.
pub async fn track(code: &str, secret: &str) -> Result<Tracking, FetchError> {
    let body = serde_json::to_string(&TrackingRequest { secret: secret.to_owned() }).unwrap_or_default();
    post_json(&format!("/api/dossiers/{}/tracking", encode(code, false)), body).await
}

pub async fn post_json<T: DeserializeOwned>(url: &str, body: String) -> Result<T, FetchError> {
    let body = post(url, body, false).await?;
    serde_json::from_str(&body).map_err(|_| FetchError::Unexpected)
}

/// The header that lets the service worker queue a request it cannot send.
pub const QUEUE_HEADER: &str = "x-motcua-queue";

async fn post(url: &str, body: String, queue: bool) -> Result<String, FetchError> {
    send("POST", url, body, queue).await
}

/// A JSON body sent with `method`; the answer's body, or the error it carries.
pub(crate) async fn send(method: &str, url: &str, body: String, queue: bool) -> Result<String, FetchError> {
    read(request(method, url, body, queue)).await
}

/// Like [`send`], with the answer's status (201 created or 200 changed).
pub(crate) async fn send_with_status(method: &str, url: &str, body: String) -> Result<(u16, String), FetchError> {
    read_with_header(request(method, url, body, false), None).await.map(|(body, _, status)| (status, body))
}

fn request(method: &str, url: &str, body: String, queue: bool) -> js_sys::Promise {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    if queue {
        let _ = js_sys::Reflect::set(&headers, &QUEUE_HEADER.into(), &"1".into());
    }
    init.set_headers(&headers);
    window().fetch_with_str_and_init(url, &init)
}

pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    let body = get_text(url).await?;
    serde_json::from_str(&body).map_err(|_| FetchError::Unexpected)
}

/// The body of a successful answer; the rest of the work is not generic, so it
/// is compiled once rather than once per response type.
pub(crate) async fn get_text(url: &str) -> Result<String, FetchError> {
    read(window().fetch_with_str(url)).await
}

pub(crate) async fn read(request: js_sys::Promise) -> Result<String, FetchError> {
    read_with_header(request, None).await.map(|(body, _, _)| body)
}

/// The body of a successful GET and one of its headers (the desk queue's `Link`).
pub(crate) async fn get_text_and_header(url: &str, header: &str) -> Result<(String, Option<String>), FetchError> {
    read_with_header(window().fetch_with_str(url), Some(header)).await.map(|(body, value, _)| (body, value))
}

/// The body of a successful answer, one of its headers and its status.
async fn read_with_header(request: js_sys::Promise, header: Option<&str>) -> Result<(String, Option<String>, u16), FetchError> {
    let response: web_sys::Response =
        JsFuture::from(request).await.map_err(|_| FetchError::Network)?.unchecked_into();
    let value = header.and_then(|h| response.headers().get(h).ok().flatten());
    let body = response.text().map_err(|_| FetchError::Network)?;
    let body = JsFuture::from(body).await.map_err(|_| FetchError::Network)?.as_string().unwrap_or_default();
    let status = response.status();
    outcome(response.ok(), status, body).map(|body| (body, value, status))
}

/// The body of a 2xx answer, or the error it carries.
pub fn outcome(ok: bool, status: u16, body: String) -> Result<String, FetchError> {
    if ok {
        return Ok(body);
    }
    match serde_json::from_str::<ErrorBody>(&body) {
        Ok(b) => Err(FetchError::Api(b.error)),
        // A gateway's own 502/503/504 page: the service is down, not the citizen's phone.
        Err(_) if status >= 500 => Err(FetchError::Api(ApiError::internal())),
        Err(_) => Err(FetchError::Unexpected),
    }
}

pub use motcua_shared::search::{encode, query_string};

#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(FetchError),
}

/// Fetches whenever `key` changes (no fetch while it is `None`) or `retry` is
/// bumped. Answers to superseded requests are dropped.
pub fn loader<K, T, Fut>(
    key: impl Fn() -> Option<K> + 'static,
    fetch: impl Fn(K) -> Fut + 'static,
) -> (ReadSignal<Load<T>>, RwSignal<u32>)
where
    K: 'static,
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, FetchError>> + 'static,
{
    let (state, set_state) = signal(Load::Loading);
    let retry = RwSignal::new(0u32);
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        retry.track();
        let Some(key) = key() else { return };
        let ticket = latest.get_value().wrapping_add(1);
        latest.set_value(ticket);
        set_state.set(Load::Loading);
        let request = fetch(key);
        spawn_local(async move {
            let result = request.await;
            // The page may have changed (or been left) while this was on the wire.
            if latest.try_get_value() == Some(ticket) {
                set_state.try_set(match result {
                    Ok(data) => Load::Ready(data),
                    Err(e) => Load::Failed(e),
                });
            }
        });
    });
    (state, retry)
}
