//! Loading states: the "Loading…" status while data comes over a slow link,
//! and a failed load — what went wrong in the citizen's language, and a retry
//! that fetches again without reloading the page.

use crate::api::FetchError;
use crate::components::labels;
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn LoadError(error: FetchError, retry: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    view! {
        <div id="load-error" class="alert" role="alert">
            <p>{move || labels::fetch_error(ui, &error)}</p>
            <button id="retry" type="button" class="button" on:click=move |_| retry.update(|n| *n += 1)>
                {ui.tr("action.retry")}
            </button>
        </div>
    }
}

/// The status shown while a page's data loads (announced, and marked busy).
#[component]
pub fn Loading() -> impl IntoView {
    let ui = use_ui();
    view! {
        <p class="status" role="status" aria-busy="true">
            {ui.tr("status.loading")}
        </p>
    }
}
