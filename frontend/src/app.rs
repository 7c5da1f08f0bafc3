//! The page frame (header, main, footer) and the routes.

use crate::components::header::{Footer, Header};
use crate::routes::not_found::NotFoundPage;
use crate::routes::procedure::ProcedurePage;
use crate::routes::search::SearchPage;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_location;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    Ui::provide();
    view! {
        <Router>
            <FocusOnNavigate />
            <Header />
            <main id="main" tabindex="-1">
                <FlatRoutes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=SearchPage />
                    <Route path=path!("/procedures/:code") view=ProcedurePage />
                </FlatRoutes>
            </main>
            <Footer />
        </Router>
    }
}

/// After an in-app change of page (not of the query string), the new page's h1
/// takes the focus (see `PageHeading`); on the first load the focus stays at
/// the top so the skip link comes first.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let ui = use_ui();
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            ui.focus_pending.set(Some(path.clone()));
        }
        path
    });
}
