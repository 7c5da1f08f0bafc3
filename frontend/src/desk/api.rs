//! The desk API (`/api/desk/...`, session cookie set by the function:
//! HttpOnly, so this code never sees it).

use crate::api::{encode, get_json, post_json, FetchError};
use leptos::prelude::window;
use motcua_shared::desk::{DeskDossier, Officer, QueueItem, SignIn};
use motcua_shared::forms::FormSummary;
use motcua_shared::ratings::{Choice, CounterOpen, CounterRating, CounterSession, StaffFigures};
use wasm_bindgen_futures::JsFuture;

pub async fn me() -> Result<Officer, FetchError> {
    get_json("/api/desk/me").await
}

pub async fn sign_in(username: &str, password: &str) -> Result<Officer, FetchError> {
    let body = serde_json::to_string(&SignIn { username: username.to_owned(), password: password.to_owned() })
        .unwrap_or_default();
    post_json("/api/desk/session", body).await
}

pub async fn sign_out() {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    let _ = JsFuture::from(window().fetch_with_str_and_init("/api/desk/session", &init)).await;
}

/// `filter`: new, due_soon, overdue, waiting or open.
pub async fn queue(filter: &str) -> Result<Vec<QueueItem>, FetchError> {
    get_json(&format!("/api/desk/dossiers?filter={}", encode(filter, true))).await
}

pub async fn dossier(code: &str) -> Result<DeskDossier, FetchError> {
    get_json(&format!("/api/desk/dossiers/{}", encode(code, false))).await
}

/// An action as the desk function reads it: `{"action": "refuse", "reason": …, "note_to_citizen": …}`.
pub async fn act(code: &str, action: serde_json::Value) -> Result<DeskDossier, FetchError> {
    post_json(&format!("/api/desk/dossiers/{}/actions", encode(code, false)), action.to_string()).await
}

pub async fn forms() -> Result<Vec<FormSummary>, FetchError> {
    get_json("/api/forms").await
}

/// Where a paper's bytes are (an `<img src>` or a link; the cookie goes with it).
pub fn attachment_url(code: &str, id: &str) -> String {
    format!("/api/desk/dossiers/{}/attachments/{}", encode(code, false), encode(id, false))
}

/// The officer's open counter screen, or `NotFound`.
pub async fn counter() -> Result<CounterSession, FetchError> {
    get_json("/api/desk/counter").await
}

pub async fn open_counter(counter: &str, kiosk: bool) -> Result<CounterSession, FetchError> {
    let body = serde_json::to_string(&CounterOpen { counter: counter.to_owned(), kiosk }).unwrap_or_default();
    post_json("/api/desk/counter", body).await
}

pub async fn close_counter() {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    let _ = JsFuture::from(window().fetch_with_str_and_init("/api/desk/counter", &init)).await;
}

pub async fn counter_rate(choice: Choice) -> Result<CounterRating, FetchError> {
    post_json("/api/desk/counter/ratings", serde_json::to_string(&CounterRating { choice }).unwrap_or_default()).await
}

/// Supervisors only: figures per officer and counter, and the comments.
pub async fn staff_figures() -> Result<StaffFigures, FetchError> {
    get_json("/api/desk/ratings?months=12").await
}
