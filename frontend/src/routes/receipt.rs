//! `/receipt/:code`: the receipt of a dossier sent from this device (kept in
//! localStorage): the code and secret in large type, the appointment, what to
//! bring, print and a link to tracking. A dossier still in the device's
//! outbox (sent with no signal) has a page here too, under its idempotency
//! key: it says plainly that the dossier waits, until it is received.

use crate::api::{self, FetchError, Load, loader};
use crate::components::icon::Icon;
use crate::components::labels;
use crate::components::load_error::Loading;
use crate::offline::{self, use_outbox, ItemState, OutboxItem};
use leptos::task::spawn_local;
use motcua_shared::api_error::ApiError;
use crate::components::page_heading::PageHeading;
use crate::drafts;
use crate::state::use_ui;
use leptos::prelude::*;
use motcua_shared::dossier::api::Receipt;

/// `code` is a dossier code, or the key of a dossier still in the outbox.
#[component]
pub fn ReceiptPage(code: String) -> impl IntoView {
    let ui = use_ui();
    if let Some(r) = drafts::receipts().into_iter().find(|r| r.code == code) {
        return view! { <ReceiptView r track_link=true /> }.into_any();
    }
    let outbox = use_outbox();
    let item = Memo::new(move |_| outbox.items.with(|items| items.iter().find(|i| i.key == code).cloned()));
    let state = Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.state)));
    (move || match state.get() {
        Some(ItemState::Refused) => view! { <RefusedView item /> }.into_any(),
        Some(_) => view! { <QueuedView item /> }.into_any(),
        None if !outbox.loaded.get() => view! { <Loading /> }.into_any(),
        None => view! {
            <PageHeading text=Signal::derive(move || ui.t("receipt.missing.title").to_owned()) />
            <p>{ui.tr("receipt.missing.body")}</p>
            <p>
                <a class="button primary" href="/track">
                    {ui.tr("track.title")}
                </a>
            </p>
        }
        .into_any(),
    })
    .into_any()
}

/// The procedure's name, from its form (kept on the device for offline use).
fn procedure_name(code: String) -> impl IntoView {
    let (form, _) = loader(move || Some(code.clone()), |code: String| async move { api::form(&code).await });
    move || form.with(|f| match f {
        Load::Ready(spec) => Some(view! { <p class="subtitle" lang="vi">{spec.title_vi.clone()}</p> }),
        _ => None,
    })
}

/// A dossier in the outbox, not yet sent: said plainly, with a button to try now.
#[component]
fn QueuedView(item: Memo<Option<OutboxItem>>) -> impl IntoView {
    let ui = use_ui();
    let outbox = use_outbox();
    let code = item.with_untracked(|i| i.as_ref().map(|i| i.procedure_code.clone()).unwrap_or_default());
    let queued_at = item.with_untracked(|i| i.as_ref().map(|i| drafts::show_time(&i.queued_at)).unwrap_or_default());
    let attempts = move || item.with(|i| i.as_ref().map_or(0, |i| i.attempts));
    view! {
        <PageHeading id="receipt-title" text=Signal::derive(move || ui.t("receipt.queued.title").to_owned()) />
        {procedure_name(code)}
        <p id="receipt-status" class="status-line queued" data-state="queued">
            {Icon::Clock.view()}
            <span>{ui.tr("receipt.queued.body")}</span>
        </p>
        <dl class="pairs">
            <dt>{ui.tr("receipt.queued.at")}</dt>
            <dd>{queued_at}</dd>
            <dt>{ui.tr("receipt.queued.tries")}</dt>
            <dd id="receipt-tries">{move || attempts().to_string()}</dd>
        </dl>
        <p class="note">{ui.tr("receipt.queued.code_later")}</p>
        <p class="form-buttons">
            <button id="outbox-send-now" type="button" class="button primary" on:click=move |_| outbox.send_now()>
                {ui.tr("receipt.queued.send_now")}
            </button>
        </p>
    }
}

/// A dossier the portal refused from the outbox: why, and the way back to the form.
#[component]
fn RefusedView(item: Memo<Option<OutboxItem>>) -> impl IntoView {
    let ui = use_ui();
    let loc = crate::router::use_loc();
    let Some(item) = item.get_untracked() else { return ().into_any() };
    let error = item.error.clone().unwrap_or_else(ApiError::internal);
    let reason = labels::live(move || labels::fetch_error(ui, &FetchError::Api(error.clone())));
    let (key, code) = (item.key.clone(), item.procedure_code.clone());
    let reopen = move |_| {
        let (key, code) = (key.clone(), code.clone());
        spawn_local(async move {
            if let Ok(stored) = offline::item_with_answers(&key).await {
                let answers = serde_json::from_value(stored["body"]["answers"].clone()).unwrap_or_default();
                let notify = serde_json::from_value(stored["body"]["notify"].clone()).ok();
                drafts::restore_draft(&code, answers, notify);
                offline::forget(&key).await;
                loc.navigate(&format!("/procedures/{}/apply", api::encode(&code, false)));
            }
        });
    };
    view! {
        <PageHeading id="receipt-title" text=Signal::derive(move || ui.t("receipt.refused.title").to_owned()) />
        {procedure_name(item.procedure_code.clone())}
        <div id="receipt-status" class="alert" role="alert" data-state="refused">
            <p>{reason}</p>
            <p>{ui.tr("receipt.refused.body")}</p>
        </div>
        <p class="form-buttons">
            <button id="outbox-reopen" type="button" class="button primary" on:click=reopen>
                {ui.tr("receipt.refused.open")}
            </button>
        </p>
    }
    .into_any()
}

/// The receipt itself, also printed at the desk after an intake (where the
/// link to tracking is left out: the officer's screen is not the citizen's).
#[component]
pub fn ReceiptView(r: Receipt, track_link: bool) -> impl IntoView {
    let ui = use_ui();
    let track = format!("/track/{}#{}", r.code, crate::api::encode(&r.secret, false));
    // A kiosk prints the citizen's receipt by itself, once (see `kiosk`).
    if track_link && crate::components::kiosk::config().is_some() {
        print_once(&r.code);
    }
    let actions = view! {
        <p class="form-buttons no-print">
            <button id="print" type="button" class="button" on:click=move |_| {
                let _ = window().print();
            }>
                {ui.tr("receipt.print")}
            </button>
            {track_link.then(|| view! {
                <a id="receipt-track" class="button primary" href=track>
                    {ui.tr("receipt.track")}
                </a>
            })}
        </p>
    };
    view! {
        <PageHeading id="receipt-title" text=Signal::derive(move || ui.t("receipt.title").to_owned()) />
        {motcua_views::receipt::receipt(ui, r, actions.into_any())}
    }
}

/// Prints the page once per receipt in this session (a reload does not print again).
fn print_once(code: &str) {
    let key = format!("motcua.printed.{code}");
    let Ok(Some(session)) = window().session_storage() else { return };
    if session.get_item(&key).ok().flatten().is_none() {
        let _ = session.set_item(&key, "1");
        request_animation_frame(|| {
            let _ = window().print();
        });
    }
}
