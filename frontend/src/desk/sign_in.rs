//! The sign-in form. The function sets an HttpOnly session cookie; a wrong
//! password and an unknown username get the same message.

use super::{api, use_session};
use crate::api::FetchError;
use crate::components::labels;
use crate::components::page_heading::PageHeading;
use crate::state::use_ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::ErrorCode;

#[component]
pub fn SignInPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        failed.set(None);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::sign_in(&u, &p).await {
                Ok(o) => session.officer.set(Some(o)),
                Err(e) => {
                    let text = match &e {
                        FetchError::Api(a) if a.code == ErrorCode::Unauthorized => ui.t("desk.sign_in.failed").to_owned(),
                        other => labels::fetch_error(ui, other),
                    };
                    failed.set(Some(text));
                    password.set(String::new());
                }
            }
            busy.set(false);
        });
    };
    view! {
        <PageHeading text=Signal::derive(move || ui.t("desk.sign_in.title").to_owned()) />
        <form class="desk-form" on:submit=submit>
            {move || failed.get().map(|t| view! { <p id="sign-in-error" class="alert" role="alert">{t}</p> })}
            <p class="field">
                <label for="username">{ui.tr("desk.username")}</label>
                <input
                    id="username"
                    name="username"
                    autocomplete="username"
                    autocapitalize="none"
                    required
                    prop:value=username
                    on:input=move |ev| username.set(event_target_value(&ev))
                />
            </p>
            <p class="field">
                <label for="password">{ui.tr("desk.password")}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
            </p>
            <button id="sign-in" type="submit" class="button primary" disabled=busy>
                {ui.tr("desk.sign_in")}
            </button>
        </form>
    }
}
