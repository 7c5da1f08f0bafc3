//! What the device remembers of the citizen's dossiers: the draft of a form
//! (saved at every keystroke, so a reload or a dropped connection loses
//! nothing) and the receipts of dossiers sent from this device.

use leptos::prelude::window;
use motcua_shared::dossier::api::Receipt;
use motcua_shared::dossier::calendar::Date;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

const RECEIPTS_KEY: &str = "motcua.receipts";
/// At most this many receipts are kept (the oldest go first).
const MAX_RECEIPTS: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Made once when the form first opens; sent with every try of this dossier.
    pub key: String,
    /// The question shown (its index among the answerable questions); the count means "check your answers".
    pub step: usize,
    pub answers: BTreeMap<String, String>,
    /// Set by a "Change" link: Continue goes back to the check page.
    #[serde(default)]
    pub back_to_check: bool,
    /// File question id → the photos already sent for it (their upload ids).
    #[serde(default)]
    pub photos: BTreeMap<String, Vec<crate::photos::Photo>>,
    /// How the citizen wants to be told (`None` until they choose).
    #[serde(default)]
    pub notify: Option<motcua_shared::notify::NotifyChoice>,
}

/// The device's storage, if the browser allows it (cookies blocked, some kiosk
/// lockdowns and old private modes refuse it: then nothing is remembered and
/// the forms still work). web-sys rather than gloo-storage, whose
/// `LocalStorage` throws there instead, so each call would need this check
/// first anyway; measured, gloo-storage for the drafts, receipts and kiosk
/// setting also added 1.3 KB (0.37 KB brotli) to the catalogue's WASM.
fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// `scope` keeps a citizen's drafts apart from those an officer types at the
/// counter on a shared computer, and from an administrator's preview of a
/// form: `draft`, `desk-draft` or `preview-draft`.
fn draft_key(scope: &str, code: &str) -> String {
    format!("motcua.{scope}.{code}")
}

/// The saved draft for the procedure, or a new one with a fresh key.
pub fn load_draft(scope: &str, code: &str) -> Draft {
    storage()
        .and_then(|s| s.get_item(&draft_key(scope, code)).ok().flatten())
        .and_then(|json| serde_json::from_str::<Draft>(&json).ok())
        .filter(|d| motcua_shared::dossier::api::valid_idempotency_key(&d.key))
        .unwrap_or_else(|| Draft {
            key: new_key(),
            step: 0,
            answers: BTreeMap::new(),
            back_to_check: false,
            photos: BTreeMap::new(),
            notify: None,
        })
}

pub fn save_draft(scope: &str, code: &str, draft: &Draft) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(&draft_key(scope, code), &json);
    }
}

pub fn clear_draft(scope: &str, code: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&draft_key(scope, code));
    }
}

/// A refused dossier's answers back in a draft (with a new key: the refused
/// one may be spent), opened at "check your answers", with how the citizen
/// wanted to be told. Photos are picked again.
pub fn restore_draft(code: &str, answers: BTreeMap<String, String>, notify: Option<motcua_shared::notify::NotifyChoice>) {
    let draft = Draft { key: new_key(), step: usize::MAX, answers, back_to_check: false, photos: BTreeMap::new(), notify };
    save_draft("draft", code, &draft);
}

/// The receipts kept on this device (one that no longer reads is skipped, not the rest).
pub fn receipts() -> Vec<Receipt> {
    stored_receipts().iter().filter_map(|r| serde_json::from_str(r.get()).ok()).collect()
}

fn stored_receipts() -> Vec<Box<RawValue>> {
    storage()
        .and_then(|s| s.get_item(RECEIPTS_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save_receipt(receipt: &Receipt) {
    if let Ok(json) = serde_json::value::to_raw_value(receipt) {
        save_receipt_json(&json);
    }
}

/// Files a receipt as the portal sent it, newest last, and returns its code.
/// It works on the JSON text, so the catalogue app (which files the receipts
/// of dossiers the outbox sent) carries no receipt parser.
pub fn save_receipt_json(receipt: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Code {
        code: String,
    }
    let code_of = |r: &RawValue| serde_json::from_str::<Code>(r.get()).ok().map(|c| c.code);
    let code = code_of(receipt)?;
    let mut all = stored_receipts();
    all.retain(|r| code_of(r).as_ref() != Some(&code));
    all.push(receipt.to_owned());
    if all.len() > MAX_RECEIPTS {
        all.drain(..all.len() - MAX_RECEIPTS);
    }
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&all)) {
        let _ = s.set_item(RECEIPTS_KEY, &json);
    }
    Some(code)
}

const REPORTS_KEY: &str = "motcua.reports";
const MAX_REPORTS: usize = 20;

/// The citizen's reports kept on this device (code and secret, to read the
/// answer), newest last. A kiosk keeps none: its next user must not see them.
pub fn kept_reports() -> Vec<motcua_shared::reports::ReportReceipt> {
    storage()
        .and_then(|s| s.get_item(REPORTS_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Keeps a report's receipt on the device (not on a kiosk); returns its code.
pub fn keep_report(receipt: motcua_shared::reports::ReportReceipt) -> String {
    let code = receipt.code.clone();
    if crate::components::kiosk::config().is_some() {
        return code;
    }
    let mut all = kept_reports();
    all.retain(|r| r.code != code);
    all.push(receipt);
    if all.len() > MAX_REPORTS {
        all.drain(..all.len() - MAX_REPORTS);
    }
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&all)) {
        let _ = s.set_item(REPORTS_KEY, &json);
    }
    code
}

/// The idempotency key of something sent once (`kind`: report, comment):
/// the outbox and the server know it by this.
pub fn new_send_key(kind: &str) -> String {
    format!("{kind}-{}", new_key())
}

/// 32 hex digits from `crypto.getRandomValues`; the clock if crypto is missing.
fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let random = window().crypto().ok().and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok()).is_some();
    if !random {
        let now = js_sys::Date::now() as u64;
        let r = (js_sys::Math::random() * 1e15) as u64;
        bytes[..8].copy_from_slice(&now.to_le_bytes());
        bytes[8..].copy_from_slice(&r.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Today's date in Vietnam (UTC+7), whatever the phone's time zone.
pub fn today() -> Date {
    let secs = (js_sys::Date::now() / 1000.0) as i64;
    Date::from_unix_time(secs, 7 * 3600).unwrap_or_else(|| Date::new(2026, 1, 1).expect("a valid date"))
}

pub use motcua_views::labels::{show_date, show_time};
