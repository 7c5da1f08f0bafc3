//! `/desk/counter`: the screen a citizen rates the service on, right after
//! being served: three large faces with words, spoken aloud when touched
//! (where the device has a voice for Vietnamese). It thanks, then resets by
//! itself. It takes ratings only while the officer's counter session is open.

use super::{api, use_session};
use crate::api::FetchError;
use crate::components::faces::{choice_name, face};
use crate::components::labels;
use crate::components::page_heading::PageHeading;
use crate::state::use_ui;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::ErrorCode;
use motcua_shared::ratings::{Choice, CounterSession};

/// How long the thanks stay before the screen is ready for the next person.
const RESET_AFTER_MS: u32 = 4000;

/// Says `text` with the browser's speech synthesis, if it has it.
fn speak(text: &str, lang: &str) {
    if let Ok(synth) = window().speech_synthesis() {
        if let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
            u.set_lang(lang);
            synth.cancel();
            synth.speak(&u);
        }
    }
}

#[derive(Clone, PartialEq)]
enum Screen {
    Checking,
    Closed,
    Open(CounterSession),
}

#[component]
pub fn CounterPage() -> impl IntoView {
    let session = use_session();
    let screen = RwSignal::new(Screen::Checking);
    spawn_local(async move {
        screen.set(match api::counter().await {
            Ok(s) => Screen::Open(s),
            Err(e) => {
                session.check(&e);
                Screen::Closed
            }
        });
    });
    view! {
        {move || match screen.get() {
            Screen::Checking => ().into_any(),
            Screen::Closed => view! { <OpenCounter screen /> }.into_any(),
            Screen::Open(s) => view! { <RatingScreen session=s screen /> }.into_any(),
        }}
    }
}

#[component]
fn OpenCounter(screen: RwSignal<Screen>) -> impl IntoView {
    let ui = use_ui();
    let name = RwSignal::new(String::new());
    let kiosk = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match api::open_counter(&name.get_untracked(), kiosk.get_untracked()).await {
                Ok(s) => screen.set(Screen::Open(s)),
                Err(e) => failed.set(Some(labels::fetch_error(ui, &e))),
            }
        });
    };
    view! {
        <PageHeading text=Signal::derive(move || ui.t("counter.title").to_owned()) />
        <p>{ui.tr("counter.intro")}</p>
        <form class="desk-form" on:submit=submit>
            {move || failed.get().map(|t| view! { <p class="alert" role="alert">{t}</p> })}
            <p class="field">
                <label for="counter-name">{ui.tr("counter.name")}</label>
                <input id="counter-name" required maxlength="40" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            </p>
            <div class="choice">
                <input id="counter-kiosk" type="checkbox" prop:checked=kiosk on:change=move |ev| kiosk.set(event_target_checked(&ev)) />
                <label for="counter-kiosk">{ui.tr("counter.kiosk")}</label>
            </div>
            <button id="counter-open" type="submit" class="button primary">{ui.tr("counter.open")}</button>
        </form>
    }
}

#[derive(Clone, PartialEq)]
enum Step {
    Asking,
    Thanks,
    Wait(String),
}

#[component]
fn RatingScreen(session: CounterSession, screen: RwSignal<Screen>) -> impl IntoView {
    let ui = use_ui();
    let desk = use_session();
    let step = RwSignal::new(Step::Asking);
    // Cancelled if the screen closes first (or by the next reset).
    let reset = StoredValue::new_local(None::<Timeout>);
    let reset_later = move || {
        reset.set_value(Some(Timeout::new(RESET_AFTER_MS, move || {
            step.try_set(Step::Asking);
        })));
    };
    let tap = move |c: Choice| {
        speak(choice_name(ui, c), ui.lang.get_untracked().code());
        spawn_local(async move {
            match api::counter_rate(c).await {
                Ok(_) => {
                    step.set(Step::Thanks);
                    speak(ui.t("counter.thanks"), ui.lang.get_untracked().code());
                }
                Err(FetchError::Api(e)) if e.code == ErrorCode::Conflict => screen.set(Screen::Closed),
                Err(e) => {
                    desk.check(&e);
                    step.set(Step::Wait(labels::fetch_error(ui, &e)));
                }
            }
            reset_later();
        });
    };
    let close = move |_| {
        spawn_local(async move {
            api::close_counter().await;
            screen.set(Screen::Closed);
        });
    };
    view! {
        <section class="counter-screen" aria-labelledby="counter-question">
            <p class="hint">{session.counter.clone()} " · " {session.officer.clone()}</p>
            {move || match step.get() {
                Step::Asking => view! {
                    <h1 id="counter-question" tabindex="-1">{ui.tr("counter.question")}</h1>
                    <div class="counter-faces">
                        {Choice::ALL.into_iter().map(|c| view! {
                            <button id=format!("counter-{}", c.as_str()) type="button" class="counter-face" on:click=move |_| tap(c)>
                                {face(c)}
                                <span>{move || choice_name(ui, c)}</span>
                            </button>
                        }).collect_view()}
                    </div>
                }.into_any(),
                Step::Thanks => view! {
                    <p id="counter-thanks" class="counter-thanks" role="status">{ui.tr("counter.thanks")}</p>
                }.into_any(),
                Step::Wait(t) => view! { <p id="counter-wait" class="alert" role="alert">{t}</p> }.into_any(),
            }}
            <button id="counter-close" type="button" class="button" on:click=close>{ui.tr("counter.close")}</button>
        </section>
    }
}
