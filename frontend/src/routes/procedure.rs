//! `/procedures/:code`: one procedure in plain language: what to bring, how
//! long, how much, where, what you get. The record itself is Vietnamese only,
//! so its text is marked `lang="vi"` for screen readers whatever the interface language.

use crate::api::{self, FetchError, Load, loader};
use crate::components::icon::Icon;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use motcua_shared::api_error::ErrorCode;
use motcua_shared::catalogue::ProcedurePage as Page;

#[component]
pub fn ProcedurePage(code: String) -> impl IntoView {
    let ui = use_ui();
    let code = Memo::new(move |_| code.clone());
    let (state, retry) = loader(move || Some(code.get()), |code: String| async move { api::procedure(&code).await });

    view! {
        <p class="back">
            <a class="back-link" href=move || format!("/{}", ui.last_search.get())>
                {Icon::ArrowLeft.view()}
                <span>{ui.tr("detail.back")}</span>
            </a>
        </p>
        {move || {
            state
                .with(|s| match s {
                    Load::Loading => {
                        view! { <Loading /> }.into_any()
                    }
                    Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::NotFound => {
                        unknown_code(ui, code.get_untracked()).into_any()
                    }
                    Load::Failed(error) => view! { <LoadError error=error.clone() retry /> }.into_any(),
                    Load::Ready(page) => details(ui, page.clone()).into_any(),
                })
        }}
    }
}

fn unknown_code(ui: Ui, code: String) -> impl IntoView {
    view! {
        <PageHeading text=Signal::derive(move || ui.t("detail.not_found.title").to_owned()) />
        {motcua_views::procedure::unknown_code(ui, code)}
    }
}

fn details(ui: Ui, page: Page) -> impl IntoView {
    let name = page.procedure.name.clone();
    let apply = apply_button(ui, page.procedure.code.clone()).into_any();
    view! {
        <PageHeading id="procedure-name" lang="vi" text=Signal::derive(move || name.clone()) />
        {motcua_views::procedure::details(ui, page, apply)}
    }
}

/// "Apply online", shown only when the procedure has an online form (asked
/// once the page is open; a 404 or a failed check shows no button).
fn apply_button(ui: Ui, code: String) -> impl IntoView {
    let key = code.clone();
    let (form, _) = loader(move || Some(key.clone()), |code: String| async move { api::has_form(&code).await });
    view! {
        <Show when=move || form.with(|f| matches!(f, Load::Ready(_)))>
            {motcua_views::procedure::apply_link(ui, &code)}
        </Show>
    }
}
