//! `/track` and `/track/:code#secret`: a dossier's status and history. The
//! secret comes from the URL fragment (never sent to any server) or is typed,
//! and travels to the API in a POST body.

use crate::api::{self, FetchError, Load, loader};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::photos::{Photo, PhotoPicker};
use crate::routes::rate::RateService;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use motcua_views::tracking::track_form;
use leptos::task::spawn_local;
use motcua_shared::api_error::ErrorCode;
use crate::components::focus::focus_later;
use motcua_shared::dossier::api::{ToldBy, Tracking};
use motcua_shared::notify::NotifyChoice;
use motcua_shared::dossier::lifecycle::Status;

#[component]
pub fn TrackPage(code: Option<String>) -> impl IntoView {
    let ui = use_ui();
    let secret = match &code {
        Some(_) => {
            let hash = window().location().hash().unwrap_or_default();
            let hash = hash.trim_start_matches('#');
            js_sys::decode_uri_component(hash).ok().and_then(|s| s.as_string()).unwrap_or_default()
        }
        None => String::new(),
    };
    let code_in = RwSignal::new(code.unwrap_or_default());
    let secret_in = RwSignal::new(secret);
    let missing = RwSignal::new(false);
    let query = RwSignal::new(None::<(String, String)>);
    let look_up = move || {
        let (c, s) = (code_in.get_untracked().trim().to_owned(), secret_in.get_untracked().trim().to_owned());
        let incomplete = c.is_empty() || s.is_empty();
        missing.set(incomplete);
        if !incomplete {
            query.set(Some((c, s)));
        }
    };
    if !code_in.get_untracked().is_empty() && !secret_in.get_untracked().is_empty() {
        look_up();
    }
    let (state, retry) = loader(move || query.get(), |(c, s): (String, String)| async move { api::track(&c, &s).await });
    let sent = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        look_up();
    };
    view! {
        <PageHeading text=Signal::derive(move || ui.t("track.title").to_owned()) />
        <p>{ui.tr("track.intro")}</p>
        {track_form(
            ui,
            code_in.into(),
            secret_in.into(),
            false,
            move |ev| code_in.set(event_target_value(&ev)),
            move |ev| secret_in.set(event_target_value(&ev)),
            on_submit,
        )}
        {move || {
            missing.get().then(|| view! { <p id="track-error" class="alert" role="alert">{ui.tr("track.missing")}</p> })
        }}
        {move || {
            if query.with(Option::is_none) {
                return None;
            }
            Some(
                state
                    .with(|s| match s {
                        Load::Loading => {
                            view! { <Loading /> }.into_any()
                        }
                        Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::NotFound => {
                            view! { <p id="track-error" class="alert" role="alert">{ui.tr("track.not_found")}</p> }
                                .into_any()
                        }
                        Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::TooManyRequests => {
                            view! {
                                <p id="track-error" class="alert" role="alert">
                                    {ui.tr("error.too_many_requests")}
                                </p>
                            }
                                .into_any()
                        }
                        Load::Failed(error) => view! { <LoadError error=error.clone() retry /> }.into_any(),
                        Load::Ready(t) => {
                            let secret = query.with(|q| q.as_ref().map(|(_, s)| s.clone())).unwrap_or_default();
                            tracking(ui, t.clone(), secret, retry, sent).into_any()
                        }
                    }),
            )
        }}
    }
}

fn tracking(ui: Ui, t: Tracking, secret: String, retry: RwSignal<u32>, sent: RwSignal<bool>) -> impl IntoView {
    let summary = motcua_views::tracking::summary(ui, &t);
    let Tracking { code, status, timeline, can_rate, rating, told_by, .. } = t;
    let messages = view! { <Messages code=code.clone() secret=secret.clone() told_by /> };
    let rate = can_rate.then(|| view! { <RateService code=code.clone() secret=secret.clone() existing=rating /> });
    let supply = (status == Status::DocumentsRequested).then(|| {
        // What the desk asked for: the note of the latest request.
        let asked = timeline.iter().rev().find(|e| e.status == status && !e.by_citizen).and_then(|e| e.note.clone());
        view! { <SupplyPapers code=code.clone() secret asked retry sent /> }
    });
    view! {
        {summary}
        {supply}
        {messages}
        {rate}
    }
}

/// How the holder is told of changes, and the button that stops it.
#[component]
fn Messages(code: String, secret: String, told_by: Option<ToldBy>) -> impl IntoView {
    let ui = use_ui();
    let told = RwSignal::new(told_by);
    let stopped = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<FetchError>);
    let (code, secret) = (StoredValue::new(code), StoredValue::new(secret));
    let stop = move |_| {
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match api::change_messages(&code.get_value(), &secret.get_value(), NotifyChoice::default()).await {
                Ok(t) => {
                    told.try_set(t.told_by);
                    stopped.try_set(true);
                    focus_later("messages-stopped");
                }
                Err(e) => {
                    failed.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };
    let button = move || {
        view! {
            <button id="messages-stop" type="button" class="button" disabled=move || busy.get() on:click=stop>
                {ui.tr("track.stop")}
            </button>
        }
        .into_any()
    };
    let after = view! {
        {move || stopped.get().then(|| view! {
            <p id="messages-stopped" class="notice" role="status" tabindex="-1">{ui.tr("track.stopped")}</p>
        })}
        {move || failed.get().map(|e| view! {
            <p id="messages-error" class="alert" role="alert">{labels::fetch_error(ui, &e)}</p>
        })}
    };
    motcua_views::tracking::messages(ui, told.into(), button, after)
}

/// The papers the desk asked for, photographed and sent from here (status 5).
#[component]
fn SupplyPapers(code: String, secret: String, asked: Option<String>, retry: RwSignal<u32>, sent: RwSignal<bool>) -> impl IntoView {
    let ui = use_ui();
    let photos = RwSignal::new(Vec::<Photo>::new());
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<FetchError>);
    let (code, secret) = (StoredValue::new(code), StoredValue::new(secret));
    // The view comes back after sending (the dossier is read again): the focus goes to the confirmation.
    if sent.get_untracked() {
        focus_later("supply-sent");
    }
    let send = move |_| {
        let ids: Vec<String> = photos.with_untracked(|ps| ps.iter().map(|p| p.id.clone()).collect());
        if ids.is_empty() {
            return;
        }
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match api::supply(&code.get_value(), &secret.get_value(), ids).await {
                Ok(_) => {
                    sent.set(true);
                    retry.update(|n| *n += 1);
                }
                Err(e) => {
                    failed.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <section id="supply" class="fact" aria-labelledby="supply-title">
            <h2 id="supply-title">{ui.tr("track.supply.title")}</h2>
            {asked.map(|a| view! { <p id="supply-asked" class="big" lang="vi">{a}</p> })}
            <p>{ui.tr("track.supply.intro")}</p>
            <PhotoPicker ui photos input_id="supply-photos" described_by=Signal::derive(|| None::<String>) />
            {move || failed.get().map(|e| view! {
                <p id="supply-error" class="alert" role="alert">{labels::fetch_error(ui, &e)}</p>
            })}
            <button
                id="supply-send"
                type="button"
                class="button primary"
                disabled=move || busy.get() || photos.with(Vec::is_empty)
                on:click=send
            >
                {ui.tr("track.supply.send")}
            </button>
            // Said here, under the button the person pressed, once.
            {move || sent.get().then(|| view! {
                <p id="supply-sent" class="notice" role="status" tabindex="-1">{ui.tr("track.supply.sent")}</p>
            })}
        </section>
    }
}
