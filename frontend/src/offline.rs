//! Working with no signal: registers the service worker (`/sw.js`, which
//! keeps the app, the catalogue and the forms on the device and holds the
//! outbox), and watches the outbox: dossiers sent with no signal wait there
//! until the network returns.
//!
//! While a page is open the outbox is tried again with back-off (5 s, doubling
//! to 5 min, and at once when the browser says it is online); where the browser
//! has Background Sync the service worker also tries with no page open. A sent
//! dossier's receipt moves into the device's receipts (`drafts`). The server's
//! idempotency key makes every try land on the same dossier.
//!
//! The outbox lives in the service worker, which answers `/sw/...` itself;
//! without one (an old browser, the very first page load) nothing is queued
//! and a failed send says so, as before.

use crate::api::{self, FetchError};
use crate::drafts;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::ApiError;
use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// On the device, to be sent.
    Waiting,
    /// Received by the portal: `receipt` is set.
    Sent,
    /// The portal refused it (the form changed, an answer no longer passes): `error` says why.
    Refused,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    #[default]
    Dossier,
    Report,
}

/// A dossier in the outbox, as the service worker describes it (never its answers).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OutboxItem {
    /// The submission's idempotency key; also the id of its "queued" receipt page.
    pub key: String,
    /// `dossier` or `report` (a citizen's report, filed with the device's reports).
    #[serde(default)]
    pub kind: ItemKind,
    pub procedure_code: String,
    pub state: ItemState,
    pub queued_at: String,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub tried_at: Option<String>,
    /// Kept as the portal's JSON: filed as it is (see `drafts::save_receipt_json`).
    #[serde(default)]
    pub receipt: Option<ReceiptJson>,
    #[serde(default)]
    pub error: Option<ApiError>,
}

/// A receipt as JSON text (compared by its text).
#[derive(Clone, Debug, Deserialize)]
#[serde(transparent)]
pub struct ReceiptJson(Box<serde_json::value::RawValue>);

impl PartialEq for ReceiptJson {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

/// The service worker's `202` for a dossier it queued.
#[derive(Deserialize)]
pub struct QueuedAnswer {
    pub queued: OutboxItem,
}

/// The outbox as the pages see it.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// Waiting and refused dossiers (sent ones move to the receipts at once).
    pub items: RwSignal<Vec<OutboxItem>>,
    /// False until the first answer from the service worker (or its absence).
    pub loaded: RwSignal<bool>,
    /// Bumped to try sending now.
    wake: RwSignal<u32>,
    /// The next wake is the person's tap (the worker tries even an item it just tried).
    tapped: StoredValue<bool>,
    /// Seconds before the next try while some wait.
    backoff: StoredValue<u32>,
    /// The next try; replacing or dropping it cancels it.
    retry: StoredValue<Option<Timeout>, LocalStorage>,
    loc: crate::router::Loc,
}

const FIRST_RETRY_SECS: u32 = 5;
const LAST_RETRY_SECS: u32 = 300;

impl Outbox {
    /// Registers the service worker and starts watching the outbox.
    pub fn provide() -> Outbox {
        let on_load = register_service_worker();
        let loc = crate::router::use_loc();
        let outbox = Outbox {
            items: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            wake: RwSignal::new(0),
            tapped: StoredValue::new(false),
            backoff: StoredValue::new(FIRST_RETRY_SECS),
            retry: StoredValue::new_local(None),
            loc,
        };
        provide_context(outbox);
        Effect::new(move |_| {
            let wake = outbox.wake.get();
            let tapped = outbox.tapped.get_value();
            outbox.tapped.set_value(false);
            spawn_local(async move {
                // The first look only reads; every later wake sends.
                let list = if wake == 0 { list().await } else { flush(tapped).await };
                outbox.take(list, loc);
            });
        });
        // Online again, or the service worker sent something (Background Sync).
        let on_online = EventListener::new(&window(), "online", move |_| outbox.send_now());
        let on_message = container().map(|sw| {
            EventListener::new(&sw, "message", move |_| {
                spawn_local(async move { outbox.take(list().await, loc) });
            })
        });
        // Owned by the app's frame, like the outbox itself.
        crate::keep_while_mounted((on_load, on_online, on_message));
        outbox
    }

    /// Tries to send the waiting dossiers now (and restarts the back-off).
    pub fn send_now(self) {
        self.backoff.set_value(FIRST_RETRY_SECS);
        self.tapped.set_value(true);
        self.wake.update(|n| *n += 1);
    }

    /// A dossier was just queued: keep the device's storage, and watch it.
    /// The send that queued it was its first try: the next comes after the
    /// back-off, not at once (which counted two tries for one tap).
    pub fn queued(self) {
        persist_storage();
        self.backoff.set_value(FIRST_RETRY_SECS);
        spawn_local(async move { self.take(list().await, self.loc) });
    }

    /// Files the receipts of sent dossiers, shows the rest, plans the next try.
    fn take(self, list: Option<Vec<OutboxItem>>, loc: crate::router::Loc) {
        let Some(list) = list else {
            self.loaded.try_set(true);
            return;
        };
        let mut shown = Vec::new();
        for item in list {
            let filed = match (&item.state, &item.receipt, item.kind) {
                (ItemState::Sent, Some(receipt), ItemKind::Report) => {
                    serde_json::from_str(receipt.0.get()).ok().map(drafts::keep_report)
                }
                (ItemState::Sent, Some(receipt), ItemKind::Dossier) => drafts::save_receipt_json(&receipt.0),
                _ => None,
            };
            match filed {
                Some(code) => {
                    let key = item.key.clone();
                    spawn_local(async move {
                        forget(&key).await;
                    });
                    // Someone looking at the queued receipt now sees the real one.
                    if loc.path.get_untracked() == format!("/receipt/{}", item.key) {
                        loc.replace(&format!("/receipt/{code}"));
                    }
                }
                None => shown.push(item),
            }
        }
        let waiting = shown.iter().any(|i| i.state == ItemState::Waiting);
        self.items.try_set(shown);
        self.loaded.try_set(true);
        if waiting {
            self.schedule();
        }
    }

    /// The next try, unless something wakes the outbox before it (then this
    /// timer does nothing). Scheduling one cancels the one before, so timers
    /// never pile up.
    fn schedule(self) {
        let (wake, backoff) = (self.wake, self.backoff);
        let at = wake.get_untracked();
        let secs = backoff.get_value();
        let next = Timeout::new(secs * 1000, move || {
            if wake.try_get_untracked() == Some(at) {
                backoff.set_value((secs * 2).min(LAST_RETRY_SECS));
                wake.update(|n| *n += 1);
            }
        });
        self.retry.set_value(Some(next));
    }
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// Whether a send may be queued: a service worker runs this page, and the
/// device is not a kiosk (a kiosk's next user must not inherit a queue; at the
/// centre the desk takes the dossier instead).
pub fn can_queue() -> bool {
    container().and_then(|c| c.controller()).is_some() && crate::components::kiosk::config().is_none()
}

/// The full stored item, answers included (to reopen a refused dossier's form).
pub async fn item_with_answers(key: &str) -> Result<serde_json::Value, FetchError> {
    api::get_json(&format!("/sw/outbox/{}", api::encode(key, false))).await
}

/// Takes an item out of the outbox (its receipt is filed, or the citizen reopened it).
pub async fn forget(key: &str) {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    let _ = wasm_bindgen_futures::JsFuture::from(window().fetch_with_str_and_init(&format!("/sw/outbox/{}", api::encode(key, false)), &init)).await;
}

async fn list() -> Option<Vec<OutboxItem>> {
    container()?.controller()?;
    api::get_json("/sw/outbox").await.ok()
}

async fn flush(tapped: bool) -> Option<Vec<OutboxItem>> {
    container()?.controller()?;
    api::post_json(if tapped { "/sw/outbox/flush?force=1" } else { "/sw/outbox/flush" }, String::new()).await.ok()
}

/// Whether a service worker runs this page (so `/sw/…` is answered on the device).
pub fn worker_runs_page() -> bool {
    container().and_then(|c| c.controller()).is_some()
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    // `navigator.serviceWorker` is missing on plain http origins other than localhost.
    let navigator = window().navigator();
    js_sys::Reflect::has(&navigator, &"serviceWorker".into()).ok()?.then(|| navigator.service_worker())
}

/// After the page has loaded, so the worker's downloads never slow the first
/// paint. Returns the `load` listener to keep until then, if it is not yet.
fn register_service_worker() -> Option<EventListener> {
    let sw = container()?;
    if document().ready_state() == "complete" {
        let _ = sw.register("/sw.js");
        None
    } else {
        Some(EventListener::once(&window(), "load", move |_| {
            let _ = sw.register("/sw.js");
        }))
    }
}

/// Asks the browser not to evict the outbox under storage pressure.
fn persist_storage() {
    let _ = window().navigator().storage().persist();
}
