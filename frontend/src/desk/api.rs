//! The desk API (`/api/desk/...`, session cookie set by the function:
//! HttpOnly, so this code never sees it).

use crate::api::{encode, get_json, post_json, FetchError};
use leptos::prelude::window;
use motcua_shared::agency::{Agency, AgencyListing};
use motcua_shared::desk::{DeskDossier, NewAccount, Officer, OfficerAccount, QueueItem, SignIn, TemporaryPassword};
use motcua_shared::admin::{AdminChange, CalendarYear, FormListing, FormVersionInfo};
use motcua_shared::catalogue_import::{BatchReport, CatalogueImport, ImportPreview, RecordBatch};
use motcua_shared::forms::FormSummary;
use motcua_shared::ratings::{Choice, CounterExit, CounterOpen, CounterRating, CounterSession, NewCounter, StaffFigures};
use wasm_bindgen_futures::JsFuture;

/// What `/desk/admin` shows at once: the imports, the calendar's years, the latest changes.
pub struct AdminOverview {
    pub imports: Vec<CatalogueImport>,
    pub calendar: Vec<CalendarYear>,
    pub audit: Vec<AdminChange>,
}

pub async fn admin_overview() -> Result<AdminOverview, FetchError> {
    Ok(AdminOverview {
        imports: get_json("/api/admin/catalogue/imports").await?,
        calendar: get_json("/api/admin/calendar").await?,
        audit: get_json("/api/admin/audit").await?,
    })
}

pub async fn start_import() -> Result<CatalogueImport, FetchError> {
    post_json("/api/admin/catalogue/imports", "{}".to_owned()).await
}

pub async fn send_records(id: u32, batch: &RecordBatch) -> Result<BatchReport, FetchError> {
    post_json(&format!("/api/admin/catalogue/imports/{id}/records"), serde_json::to_string(batch).unwrap_or_default()).await
}

pub async fn import_preview(id: u32) -> Result<ImportPreview, FetchError> {
    get_json(&format!("/api/admin/catalogue/imports/{id}")).await
}

pub async fn publish_import(id: u32) -> Result<CatalogueImport, FetchError> {
    post_json(&format!("/api/admin/catalogue/imports/{id}/publish"), "{}".to_owned()).await
}

/// Every form: the version citizens fill and the draft waiting, if any.
pub async fn admin_forms() -> Result<Vec<FormListing>, FetchError> {
    get_json("/api/admin/forms").await
}

/// Saves a form file (its JSON as the administrator chose it) as the procedure's draft.
pub async fn save_form_draft(code: &str, spec_json: String) -> Result<FormVersionInfo, FetchError> {
    let url = format!("/api/admin/forms/{}/draft", encode(code, false));
    let text = crate::api::send("PUT", &url, spec_json, false).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

/// Publishes the draft: citizens fill it from now on (409 if `version` is not the draft).
pub async fn publish_form(code: &str, version: u32) -> Result<FormVersionInfo, FetchError> {
    post_json(&format!("/api/admin/forms/{}/versions/{version}/publish", encode(code, false)), "{}".to_owned()).await
}

/// The province's agencies, with how many procedures each receives.
pub async fn agencies() -> Result<Vec<AgencyListing>, FetchError> {
    get_json("/api/admin/agencies").await
}

pub async fn agency(id: &str) -> Result<Agency, FetchError> {
    get_json(&format!("/api/admin/agencies/{}", encode(id, false))).await
}

/// Adds or replaces an agency: the agency as saved, and whether it is new (201).
pub async fn save_agency(agency: &Agency) -> Result<(Agency, bool), FetchError> {
    let url = format!("/api/admin/agencies/{}", encode(&agency.id, false));
    let (status, text) = crate::api::send_with_status("PUT", &url, serde_json::to_string(agency).unwrap_or_default()).await?;
    let saved = serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)?;
    Ok((saved, status == 201))
}

/// Every officer account, by username (the function answers 100 at a time).
pub async fn officers() -> Result<Vec<OfficerAccount>, FetchError> {
    const PAGE: usize = 100;
    let mut all: Vec<OfficerAccount> = Vec::new();
    loop {
        let after = all.last().map(|o| encode(&o.username, true)).unwrap_or_default();
        let page: Vec<OfficerAccount> = get_json(&format!("/api/admin/officers?after={after}")).await?;
        let full = page.len() >= PAGE;
        all.extend(page);
        if !full || all.len() >= 100 * PAGE {
            return Ok(all);
        }
    }
}

/// A new account and its first password, shown once.
pub async fn create_officer(account: &NewAccount) -> Result<TemporaryPassword, FetchError> {
    post_json("/api/admin/officers", serde_json::to_string(account).unwrap_or_default()).await
}

/// Disables (every session ends) or enables an account.
pub async fn set_officer_active(username: &str, active: bool) -> Result<OfficerAccount, FetchError> {
    let what = if active { "enable" } else { "disable" };
    post_json(&format!("/api/admin/officers/{}/{what}", encode(username, false)), "{}".to_owned()).await
}

/// A new password for the account, shown once; its sessions end.
pub async fn reset_officer_password(username: &str) -> Result<TemporaryPassword, FetchError> {
    post_json(&format!("/api/admin/officers/{}/password", encode(username, false)), "{}".to_owned()).await
}

/// Publishes one year of the working-day calendar (replacing what was there).
pub async fn save_calendar_year(year: &CalendarYear) -> Result<CalendarYear, FetchError> {
    let url = format!("/api/admin/calendar/{}", year.year);
    let text = crate::api::send("PUT", &url, serde_json::to_string(year).unwrap_or_default(), false).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

/// The province's message templates.
pub async fn message_templates() -> Result<Vec<motcua_shared::notify::Template>, FetchError> {
    get_json("/api/admin/notification-templates").await
}

/// Saves a message template, checked again by the function.
pub async fn save_message_template(event: motcua_shared::notify::Event, language: &str, text: &str) -> Result<motcua_shared::notify::Template, FetchError> {
    let url = format!("/api/admin/notification-templates/{}/{}", event.as_str(), encode(language, false));
    let body = serde_json::json!({ "text": text }).to_string();
    let text = crate::api::send("PUT", &url, body, false).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

/// The languages this translator (or the administrator) works on.
pub async fn studio_languages() -> Result<motcua_shared::languages::LocaleIndex, FetchError> {
    get_json("/api/translations").await
}

/// Every citizen string of `lang` beside the Vietnamese.
pub async fn studio_language(lang: &str) -> Result<motcua_shared::languages::StudioLanguage, FetchError> {
    get_json(&format!("/api/translations/{}", encode(lang, false))).await
}

/// Saves one translation (checked again by the function).
pub async fn save_translation(lang: &str, key: &str, edit: &motcua_shared::languages::TranslationEdit) -> Result<motcua_shared::languages::StudioString, FetchError> {
    let url = format!("/api/translations/{}/strings/{}", encode(lang, false), encode(key, false));
    let text = crate::api::send("PUT", &url, serde_json::to_string(edit).unwrap_or_default(), false).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

/// Makes what the studio holds reach citizens.
pub async fn publish_language(lang: &str) -> Result<motcua_shared::languages::LocaleEntry, FetchError> {
    post_json(&format!("/api/translations/{}/publish", encode(lang, false)), "{}".to_owned()).await
}

/// A translators' file, read in the browser and sent as JSON.
pub async fn import_translations(lang: &str, request: &motcua_shared::languages::ImportRequest) -> Result<motcua_shared::languages::ImportReport, FetchError> {
    post_json(&format!("/api/translations/{}/import", encode(lang, false)), serde_json::to_string(request).unwrap_or_default()).await
}

/// Where the recording of `key` is listened back (the draft, else the published one).
pub fn recording_url(lang: &str, key: &str, take: u32) -> String {
    format!("/api/translations/{}/recordings/{}?take={take}", encode(lang, false), encode(key, false))
}

/// Saves a recording as the draft: the sound itself, typed `audio/…`.
pub async fn save_recording(lang: &str, key: &str, sound: &web_sys::Blob, mime: &str) -> Result<Option<motcua_shared::languages::RecordingInfo>, FetchError> {
    let init = web_sys::RequestInit::new();
    init.set_method("PUT");
    init.set_body(sound);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"content-type".into(), &mime.into());
    init.set_headers(&headers);
    let url = recording_url(lang, key, 0);
    let text = crate::api::read(window().fetch_with_str_and_init(&url, &init)).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

/// Discards the recording waiting to be published; what remains (the published one, if any).
pub async fn discard_recording(lang: &str, key: &str) -> Result<Option<motcua_shared::languages::RecordingInfo>, FetchError> {
    let text = crate::api::send("DELETE", &recording_url(lang, key, 0), String::new(), false).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

pub async fn calendar_notice() -> Result<motcua_shared::admin::CalendarNotice, FetchError> {
    get_json("/api/desk/calendar").await
}

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

/// One page of the queue and where the next starts (the `after` of the
/// answer's `Link: <…>; rel="next"`), if more follow.
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next: Option<String>,
}

/// `filter`: new, due_soon, overdue, waiting or open; `after`: a page's `next`.
pub async fn queue(filter: &str, after: Option<&str>) -> Result<QueuePage, FetchError> {
    let mut url = format!("/api/desk/dossiers?filter={}", encode(filter, true));
    if let Some(after) = after {
        url.push_str(&format!("&after={}", encode(after, true)));
    }
    let (body, link) = crate::api::get_text_and_header(&url, "link").await?;
    let items = serde_json::from_str(&body).map_err(|_| FetchError::Unexpected)?;
    Ok(QueuePage { items, next: link.as_deref().and_then(next_after) })
}

/// The first matches of a search among all the agency's dossiers (by code,
/// citizen's name, ID number or phone): one page, never a next one.
pub async fn search(q: &str) -> Result<QueuePage, FetchError> {
    let items = get_json(&format!("/api/desk/dossiers?q={}", encode(q, true))).await?;
    Ok(QueuePage { items, next: None })
}

/// The `after` parameter of a `Link: <…?filter=…&after=…>; rel="next"` header.
fn next_after(link: &str) -> Option<String> {
    let url = link.strip_prefix('<')?.split_once(">; rel=\"next\"")?.0;
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix("after=")).and_then(|v| {
        js_sys::decode_uri_component(v).ok().and_then(|s| s.as_string())
    })
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
    get_json("/api/ratings/counter").await
}

pub async fn open_counter(counter: &str, kiosk: bool) -> Result<CounterSession, FetchError> {
    let body = serde_json::to_string(&CounterOpen { counter: counter.to_owned(), kiosk }).unwrap_or_default();
    post_json("/api/ratings/counter", body).await
}

/// Leaves the locked counter screen with the officer's password: the device
/// is the officer's desk again.
pub async fn exit_counter(password: &str) -> Result<Officer, FetchError> {
    let body = serde_json::to_string(&CounterExit { password: password.to_owned() }).unwrap_or_default();
    let text = crate::api::send("DELETE", "/api/ratings/counter", body, false).await?;
    serde_json::from_str(&text).map_err(|_| FetchError::Unexpected)
}

/// The agency's counters, by name.
pub async fn counters() -> Result<Vec<String>, FetchError> {
    get_json("/api/ratings/counters").await
}

/// Supervisors: adds a counter; answers the whole list.
pub async fn add_counter(name: &str) -> Result<Vec<String>, FetchError> {
    post_json("/api/ratings/counters", serde_json::to_string(&NewCounter { name: name.to_owned() }).unwrap_or_default()).await
}

/// Supervisors: removes a counter from the list (its ratings stay).
pub async fn remove_counter(name: &str) -> Result<(), FetchError> {
    crate::api::send("DELETE", &format!("/api/ratings/counters/{}", encode(name, false)), String::new(), false).await.map(|_| ())
}

pub async fn counter_rate(choice: Choice) -> Result<CounterRating, FetchError> {
    post_json("/api/ratings/counter/taps", serde_json::to_string(&CounterRating { choice }).unwrap_or_default()).await
}

/// Supervisors only: figures per officer and counter, and the comments.
pub async fn staff_figures() -> Result<StaffFigures, FetchError> {
    get_json("/api/ratings/staff?months=12").await
}

/// A page of the agency's reports: `list` is open, moderation or answered.
#[derive(serde::Deserialize)]
pub struct ReportPage {
    pub reports: Vec<motcua_shared::reports::DeskReport>,
    pub more: bool,
}

pub async fn reports(list: &str, page: u32) -> Result<ReportPage, FetchError> {
    get_json(&format!("/api/reports/desk?list={}&page={page}", encode(list, true))).await
}

pub async fn report(code: &str) -> Result<motcua_shared::reports::DeskReport, FetchError> {
    get_json(&format!("/api/reports/desk/{}", encode(code, false))).await
}

/// `action`: answer, route or publication, with its JSON body.
pub async fn report_action(code: &str, action: &str, body: serde_json::Value) -> Result<motcua_shared::reports::DeskReport, FetchError> {
    post_json(&format!("/api/reports/desk/{}/{action}", encode(code, false)), body.to_string()).await
}

/// Supervisors: publishes a draft of the agency for comment.
pub async fn publish_consultation(body: serde_json::Value) -> Result<motcua_shared::consultations::Consultation, FetchError> {
    post_json("/api/consultations", body.to_string()).await
}

/// Supervisors: the comments waiting on the agency's consultations.
pub async fn pending_comments() -> Result<Vec<motcua_shared::consultations::DeskComment>, FetchError> {
    get_json("/api/consultations/desk/comments").await
}

/// Supervisors: publishes or rejects a comment; answers what still waits.
pub async fn moderate_comment(id: i64, publish: bool) -> Result<Vec<motcua_shared::consultations::DeskComment>, FetchError> {
    post_json(&format!("/api/consultations/desk/comments/{id}"), serde_json::json!({"publish": publish}).to_string()).await
}

/// An officer enters a comment said at a meeting or on paper.
pub async fn paper_comment(id: i64, body: serde_json::Value) -> Result<(), FetchError> {
    crate::api::send("POST", &format!("/api/consultations/{id}/paper-comments"), body.to_string(), false).await.map(|_| ())
}

/// Supervisors: the response report, once the consultation has closed.
pub async fn respond(id: i64, body: serde_json::Value) -> Result<(), FetchError> {
    crate::api::send("POST", &format!("/api/consultations/{id}/response"), body.to_string(), false).await.map(|_| ())
}

/// Where a report's photo is (an `<img src>` or a link; the cookie goes with it).
pub fn report_photo_url(code: &str, id: &str) -> String {
    format!("/api/reports/desk/{}/photos/{}", encode(code, false), encode(id, false))
}
