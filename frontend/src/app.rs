//! The citizen's page frame (header, main, footer) and the route tables of
//! the two citizen apps (see `motcua_shared::app_paths`): the catalogue,
//! which a first visit downloads, and the dossier pages, loaded when a
//! citizen applies or tracks.

use crate::components::header::{Footer, Header};
use crate::components::kiosk::KioskGuard;
use crate::components::offline_ready::OfflineReady;
use crate::components::outbox_notice::OutboxNotice;
use crate::router::segment;
use crate::routes::not_found::NotFoundPage;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use motcua_shared::app_paths::Shell;

/// The frame around one app's pages; `route` maps a path to its page.
/// `also`: what only this app does on every page (the catalogue's first
/// visit must not download the dossier pages' work).
fn frame(shell: Shell, route: fn(&str) -> AnyView, also: fn(Ui)) -> impl IntoView {
    let ui = crate::state::provide_ui();
    // The language menu of the citizen's apps (the desk has none).
    leptos::task::spawn_local(crate::state::load_offered(ui));
    also(ui);
    let loc = crate::router::provide(shell);
    crate::offline::Outbox::provide();
    view! {
        <FocusOnNavigate />
        <Header />
        <OutboxNotice />
        <OfflineReady />
        <main id="main" tabindex="-1">
            {move || loc.path.with(|path| route(path))}
        </main>
        <Footer />
        <KioskGuard />
    }
}

/// The catalogue: search and procedure pages, and the accessibility statement.
#[component]
pub fn CatalogueApp() -> impl IntoView {
    use crate::routes::accessibility::AccessibilityPage;
    use crate::routes::procedure::ProcedurePage;
    use crate::routes::search::SearchPage;
    frame(Shell::Catalogue, |path| {
        if path == "/" {
            view! { <SearchPage /> }.into_any()
        } else if path == "/accessibility" {
            view! { <AccessibilityPage /> }.into_any()
        } else if let Some(code) = path.strip_prefix("/procedures/").and_then(segment) {
            view! { <ProcedurePage code /> }.into_any()
        } else {
            view! { <NotFoundPage /> }.into_any()
        }
    }, |_| ())
}

/// The dossier pages: the online form, the receipt, tracking (and rating),
/// the public figures, and an administrator's preview of a form version.
#[component]
pub fn DossierApp() -> impl IntoView {
    use crate::routes::apply::ApplyPage;
    use crate::routes::consultation::ConsultationPage;
    use crate::routes::consultations::ConsultationsPage;
    use crate::routes::dashboard::DashboardPage;
    use crate::routes::preview::PreviewPage;
    use crate::routes::receipt::ReceiptPage;
    use crate::routes::report::ReportPage;
    use crate::routes::report_new::NewReportPage;
    use crate::routes::reports::ReportsPage;
    use crate::routes::track::TrackPage;
    frame(Shell::Dossier, |path| {
        if let Some(code) = path.strip_prefix("/procedures/").and_then(|p| p.strip_suffix("/apply")).and_then(segment) {
            view! { <ApplyPage code /> }.into_any()
        } else if let Some((code, version)) = preview_path(path) {
            view! { <PreviewPage code version /> }.into_any()
        } else if let Some(code) = path.strip_prefix("/receipt/").and_then(segment) {
            view! { <ReceiptPage code /> }.into_any()
        } else if path == "/dashboard" {
            view! { <DashboardPage /> }.into_any()
        } else if path == "/consultations" || path == "/consultations/" {
            view! { <ConsultationsPage /> }.into_any()
        } else if let Some(id) = path.strip_prefix("/consultations/").and_then(segment) {
            view! { <ConsultationPage id /> }.into_any()
        } else if path == "/reports" || path == "/reports/" {
            view! { <ReportsPage /> }.into_any()
        } else if path == "/reports/new" {
            view! { <NewReportPage /> }.into_any()
        } else if let Some(code) = path.strip_prefix("/reports/").and_then(segment) {
            view! { <ReportPage code /> }.into_any()
        } else if path == "/track" || path == "/track/" {
            view! { <TrackPage code=None /> }.into_any()
        } else if let Some(code) = path.strip_prefix("/track/").and_then(segment) {
            view! { <TrackPage code=Some(code) /> }.into_any()
        } else {
            view! { <NotFoundPage /> }.into_any()
        }
    },
    // The read-aloud recordings are for the form's questions: kept from its pages.
    crate::components::read_aloud::keep_voices)
}

/// `/apply/{code}/preview/{version}`: the form and the version to preview.
fn preview_path(path: &str) -> Option<(String, u32)> {
    let (code, version) = path.strip_prefix("/apply/")?.trim_end_matches('/').split_once("/preview/")?;
    Some((segment(code)?, version.parse().ok().filter(|v| *v > 0)?))
}

/// After an in-app change of page (not of the query string), the new page's h1
/// takes the focus (see `PageHeading`); on the first load the focus stays at
/// the top so the skip link comes first.
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
