//! The page frame (header, main, footer) and the routes.

use crate::components::header::{Footer, Header};
use crate::routes::not_found::NotFoundPage;
use crate::routes::apply::ApplyPage;
use crate::routes::procedure::ProcedurePage;
use crate::routes::receipt::ReceiptPage;
use crate::routes::search::SearchPage;
use crate::routes::track::TrackPage;
use crate::router::segment;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    Ui::provide();
    let loc = crate::router::provide();
    view! {
        <FocusOnNavigate />
        <Header />
        <main id="main" tabindex="-1">
            // The route table.
            {move || {
                let path = loc.path.get();
                if path == "/" {
                    view! { <SearchPage /> }.into_any()
                } else if let Some(code) = procedure_code(&path) {
                    view! { <ProcedurePage code /> }.into_any()
                } else if let Some(code) = path.strip_prefix("/procedures/").and_then(|p| p.strip_suffix("/apply")).and_then(segment) {
                    view! { <ApplyPage code /> }.into_any()
                } else if let Some(code) = path.strip_prefix("/receipt/").and_then(segment) {
                    view! { <ReceiptPage code /> }.into_any()
                } else if path == "/track" {
                    view! { <TrackPage code=None /> }.into_any()
                } else if let Some(code) = path.strip_prefix("/track/").and_then(segment) {
                    view! { <TrackPage code=Some(code) /> }.into_any()
                } else {
                    view! { <NotFoundPage /> }.into_any()
                }
            }}
        </main>
        <Footer />
    }
}

/// After an in-app change of page (not of the query string), the new page's h1
/// takes the focus (see `PageHeading`); on the first load the focus stays at
/// the top so the skip link comes first.
/// `/procedures/{code}` → the code.
fn procedure_code(path: &str) -> Option<String> {
    path.strip_prefix("/procedures/").and_then(segment)
}


#[component]
fn FocusOnNavigate() -> impl IntoView {
    let ui = use_ui();
    let location = crate::router::use_loc();
    Effect::new(move |previous: Option<String>| {
        let path = location.path.get();
        if previous.is_some_and(|p| p != path) {
            ui.focus_pending.set(Some(path.clone()));
        }
        path
    });
}
