//! Any address the app does not know.

use crate::components::page_heading::PageHeading;
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let ui = use_ui();
    view! {
        <PageHeading text=Signal::derive(move || ui.t("notfound.title").to_owned()) />
        <p>{ui.tr("notfound.body")}</p>
        <p>
            <a class="button" href="/">
                {ui.tr("action.go_search")}
            </a>
        </p>
    }
}
