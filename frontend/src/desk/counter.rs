//! `/desk/counter`: the screen a citizen rates the service on, right after
//! being served: three large faces with words, spoken aloud when touched
//! (where the device has a voice for Vietnamese). It thanks, then resets by
//! itself. It takes ratings only while the officer's counter session is open.
//!
//! Opening the screen locks the device: the desk session becomes a
//! counter-only one (taps and the exit), the menu disappears, and only the
//! officer's password leaves it. Counters come from the agency's list, which
//! its supervisor keeps here.

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

/// At the desk: open the screen at one of the agency's counters (and, for a
/// supervisor, keep the list). Opening locks this device to the screen.
#[component]
pub fn CounterPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let names = RwSignal::new(Vec::<String>::new());
    let failed = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::counters().await {
            Ok(list) => names.set(list),
            Err(e) => {
                session.check(&e);
                failed.set(Some(labels::fetch_error(ui, &e)));
            }
        }
    });
    let chosen = RwSignal::new(String::new());
    let kiosk = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            let name = match chosen.get_untracked() {
                n if n.is_empty() => names.with_untracked(|l| l.first().cloned()).unwrap_or_default(),
                n => n,
            };
            match api::open_counter(&name, kiosk.get_untracked()).await {
                Ok(s) => {
                    // The server swapped the desk session for the counter's.
                    session.officer.set(None);
                    session.counter.set(Some(s));
                }
                Err(e) => {
                    session.check(&e);
                    failed.set(Some(labels::fetch_error(ui, &e)));
                }
            }
        });
    };
    let supervisor = move || session.officer.with(|o| o.as_ref().is_some_and(|o| o.role.supervises()));
    view! {
        <PageHeading text=Signal::derive(move || ui.t("counter.title").to_owned()) />
        <p>{ui.tr("counter.intro")}</p>
        {move || failed.get().map(|t| view! { <p class="alert" role="alert">{t}</p> })}
        {move || names.with(Vec::is_empty).then(|| view! { <p id="counter-none">{ui.tr("desk.counter.none")}</p> })}
        <form class="desk-form" on:submit=submit>
            <p class="field">
                <label for="counter-name">{ui.tr("counter.name")}</label>
                <select id="counter-name" required on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || names.get().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                </select>
            </p>
            <div class="choice">
                <input id="counter-kiosk" type="checkbox" prop:checked=kiosk on:change=move |ev| kiosk.set(event_target_checked(&ev)) />
                <label for="counter-kiosk">{ui.tr("counter.kiosk")}</label>
            </div>
            <button id="counter-open" type="submit" class="button primary">{ui.tr("counter.open")}</button>
        </form>
        {move || supervisor().then(|| view! { <CounterList names failed /> })}
    }
}

/// The supervisor keeps the agency's counters: the names a screen may open at.
#[component]
fn CounterList(names: RwSignal<Vec<String>>, failed: RwSignal<Option<String>>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let new_name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match api::add_counter(&new_name.get_untracked()).await {
                Ok(list) => {
                    names.set(list);
                    new_name.set(String::new());
                    failed.set(None);
                }
                Err(e) => {
                    session.check(&e);
                    failed.set(Some(labels::fetch_error(ui, &e)));
                }
            }
        });
    };
    let remove = move |name: String| {
        spawn_local(async move {
            match api::remove_counter(&name).await {
                Ok(()) => names.update(|l| l.retain(|n| *n != name)),
                Err(e) => failed.set(Some(labels::fetch_error(ui, &e))),
            }
        });
    };
    view! {
        <section aria-labelledby="counter-list-title">
            <h2 id="counter-list-title">{ui.tr("desk.counter.list_title")}</h2>
            <ul id="counter-list">
                {move || names.get().into_iter().map(|n| {
                    let label = format!("{} {n}", ui.t("desk.counter.remove"));
                    let name = n.clone();
                    view! {
                        <li>
                            {n.clone()} " "
                            <button type="button" class="button" aria-label=label on:click=move |_| remove(name.clone())>
                                {ui.tr("desk.counter.remove")}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="desk-form" on:submit=add>
                <p class="field">
                    <label for="counter-new">{ui.tr("desk.counter.new")}</label>
                    <input id="counter-new" required maxlength="40" prop:value=new_name on:input=move |ev| new_name.set(event_target_value(&ev)) />
                </p>
                <button id="counter-add" type="submit" class="button">{ui.tr("desk.counter.add")}</button>
            </form>
        </section>
    }
}

/// The locked screen: the faces and the officer's own exit, nothing else.
#[component]
pub fn LockedCounter(session: CounterSession) -> impl IntoView {
    view! { <RatingScreen session /> }
}

#[derive(Clone, PartialEq)]
enum Step {
    Asking,
    Thanks,
    Wait(String),
}

#[component]
fn RatingScreen(session: CounterSession) -> impl IntoView {
    let ui = use_ui();
    let desk = use_session();
    let loc = crate::router::use_loc();
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
                // Closed or expired: the device is nobody's now (sign-in).
                Err(FetchError::Api(e)) if matches!(e.code, ErrorCode::Conflict | ErrorCode::Unauthorized) => desk.counter.set(None),
                Err(e) => step.set(Step::Wait(labels::fetch_error(ui, &e))),
            }
            reset_later();
        });
    };
    // The officer's exit: the password, so a citizen cannot leave the screen.
    let exiting = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let exit_failed = RwSignal::new(None::<String>);
    let exit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match api::exit_counter(&password.get_untracked()).await {
                Ok(o) => {
                    password.set(String::new());
                    desk.officer.set(Some(o));
                    desk.counter.set(None);
                    loc.navigate("/desk/counter");
                }
                Err(e) => exit_failed.set(Some(labels::fetch_error(ui, &e))),
            }
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
            {move || match exiting.get() {
                false => view! {
                    <button id="counter-close" type="button" class="button" on:click=move |_| exiting.set(true)>
                        {ui.tr("counter.close")}
                    </button>
                }.into_any(),
                true => view! {
                    <form class="desk-form" on:submit=exit>
                        {move || exit_failed.get().map(|t| view! { <p class="alert" role="alert">{t}</p> })}
                        <p class="field">
                            <label for="counter-password">{ui.tr("desk.counter.password")}</label>
                            <input id="counter-password" type="password" autocomplete="current-password" required
                                prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                        </p>
                        <button id="counter-exit" type="submit" class="button primary">{ui.tr("desk.counter.exit")}</button>
                        " "
                        <button id="counter-stay" type="button" class="button" on:click=move |_| { password.set(String::new()); exiting.set(false) }>
                            {ui.tr("desk.counter.stay")}
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
