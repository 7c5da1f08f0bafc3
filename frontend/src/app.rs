//! The page frame (header, main, footer) and the routes.

use crate::components::header::{Footer, Header};
use crate::routes::not_found::NotFoundPage;
use crate::routes::procedure::ProcedurePage;
use crate::routes::search::SearchPage;
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
    path.strip_prefix("/procedures/").filter(|c| !c.is_empty() && !c.contains('/')).map(str::to_owned)
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
