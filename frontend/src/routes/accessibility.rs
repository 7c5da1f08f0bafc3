//! `/accessibility`: the accessibility statement (`motcua_views::accessibility`,
//! which the server renders too).

use crate::components::page_heading::PageHeading;
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let ui = use_ui();
    view! {
        <PageHeading text=Signal::derive(move || ui.t("a11y.title").to_owned()) />
        {motcua_views::accessibility::statement(ui)}
    }
}
