//! The one-stop desk's browser app, served under `/desk`: an officer signs
//! in, works the agency's queue, opens a dossier (answers, papers, history)
//! and moves it on through the actions the lifecycle allows, or enters a
//! dossier for a citizen at the counter. Every rule is the function's: this
//! app only shows what it is told and sends what the officer chose.

mod admin;
pub mod api;
mod consultations;
mod counter;
mod dossier;
mod intake;
mod queue;
mod reports;
mod sign_in;
mod staff;
mod studio;

use crate::api::FetchError;
use crate::components::load_error::Loading;
use crate::router::segment;
use crate::state::Ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::ErrorCode;
use motcua_shared::desk::Officer;
use motcua_shared::ratings::CounterSession;

/// Who is signed in; `None` shows the sign-in page wherever the officer is.
/// A device locked to a counter screen has no officer but its `counter`:
/// then only the rating faces show, whatever the address.
#[derive(Clone, Copy)]
pub struct Session {
    pub officer: RwSignal<Option<Officer>>,
    pub counter: RwSignal<Option<CounterSession>>,
}

impl Session {
    /// A 401 means the session ended (8 hours, or signed out elsewhere).
    pub fn check(self, e: &FetchError) {
        if matches!(e, FetchError::Api(a) if a.code == ErrorCode::Unauthorized) {
            self.officer.set(None);
        }
    }
}

pub fn use_session() -> Session {
    expect_context()
}

#[component]
pub fn DeskApp() -> impl IntoView {
    let ui = crate::state::provide_ui();
    let loc = crate::router::provide(motcua_shared::app_paths::Shell::Desk);
    let officer = RwSignal::new(None::<Officer>);
    let counter = RwSignal::new(None::<CounterSession>);
    let checked = RwSignal::new(false);
    provide_context(Session { officer, counter });
    spawn_local(async move {
        match api::me().await {
            Ok(o) => officer.set(Some(o)),
            // Not at the desk: maybe a counter screen (a reload, a restart).
            Err(_) => counter.set(api::counter().await.ok()),
        }
        checked.set(true);
    });
    let sign_out = move |_| {
        spawn_local(async move {
            api::sign_out().await;
            officer.set(None);
            loc.navigate("/desk");
        });
    };
    view! {
        <a class="skip-link" href="#main">{ui.tr("skip.main")}</a>
        <header class="site-header desk-header">
            <p class="brand">
                {move || match counter.with(Option::is_some) {
                    // A locked counter screen links nowhere.
                    true => view! { <span>{ui.tr("app.name")}</span> }.into_any(),
                    false => view! { <a href="/desk">{ui.tr("app.name")} " · " {ui.tr("desk.title")}</a> }.into_any(),
                }}
            </p>
            {move || {
                officer
                    .get()
                    .map(|o| {
                        use motcua_shared::desk::Role;
                        if o.role == Role::Translator {
                            // A translator's desk is the studio alone.
                            return view! {
                                <nav class="desk-nav" aria-label=ui.tr("desk.title")>
                                    <a id="nav-studio" href="/desk/studio">{ui.tr("desk.nav.studio")}</a>
                                    <span id="desk-officer">{o.display_name}</span>
                                    <button id="sign-out" type="button" class="button" on:click=sign_out>
                                        {ui.tr("desk.sign_out")}
                                    </button>
                                </nav>
                            }.into_any();
                        }
                        view! {
                            <nav class="desk-nav" aria-label=ui.tr("desk.title")>
                                <a href="/desk">{ui.tr("desk.nav.queue")}</a>
                                <a href="/desk/intake">{ui.tr("desk.nav.intake")}</a>
                                <a href="/desk/counter">{ui.tr("desk.nav.counter")}</a>
                                <a id="nav-reports" href="/desk/reports">{ui.tr("desk.nav.reports")}</a>
                                <a id="nav-consultations" href="/desk/consultations">{ui.tr("desk.nav.consultations")}</a>
                                {o.role.supervises()
                                    .then(|| view! { <a href="/desk/ratings">{ui.tr("desk.nav.ratings")}</a> })}
                                {(o.role == Role::Administrator)
                                    .then(|| view! {
                                        <a id="nav-admin" href="/desk/admin">{ui.tr("desk.nav.admin")}</a>
                                        <a id="nav-studio" href="/desk/studio">{ui.tr("desk.nav.studio")}</a>
                                    })}
                                <span id="desk-officer">{o.display_name} " (" {o.agency_id} ")"</span>
                                <button id="sign-out" type="button" class="button" on:click=sign_out>
                                    {ui.tr("desk.sign_out")}
                                </button>
                            </nav>
                        }.into_any()
                    })
            }}
        </header>
        <main id="main" tabindex="-1">
            {move || officer.with(|o| o.as_ref().is_some_and(|o| o.role.serves_dossiers())).then(|| view! { <CalendarWarning /> })}
            {move || {
                if !checked.get() {
                    return view! { <Loading /> }.into_any();
                }
                if let Some(s) = counter.get() {
                    return view! { <counter::LockedCounter session=s /> }.into_any();
                }
                if officer.with(Option::is_none) {
                    return view! { <sign_in::SignInPage /> }.into_any();
                }
                // The route table, under the calendar's warning when it runs out soon.
                let path = loc.path.get();
                let rest = path.strip_prefix("/desk").unwrap_or("");
                let translator = officer.with(|o| o.as_ref().is_some_and(|o| o.role == motcua_shared::desk::Role::Translator));
                if rest == "/studio" || (translator && (rest.is_empty() || rest == "/")) {
                    view! { <studio::StudioPage /> }.into_any()
                } else if translator {
                    // Nothing else of the desk is a translator's (the functions refuse it too).
                    view! { <crate::routes::not_found::NotFoundPage /> }.into_any()
                } else if rest.is_empty() || rest == "/" {
                    view! { <queue::QueuePage /> }.into_any()
                } else if let Some(code) = rest.strip_prefix("/dossiers/").and_then(segment) {
                    view! { <dossier::DossierPage code /> }.into_any()
                } else if rest == "/consultations" {
                    view! { <consultations::ConsultationsPage /> }.into_any()
                } else if let Some(id) = rest.strip_prefix("/consultations/").and_then(segment) {
                    view! { <consultations::ConsultationPage id /> }.into_any()
                } else if rest == "/reports" {
                    view! { <reports::ReportsPage /> }.into_any()
                } else if let Some(code) = rest.strip_prefix("/reports/").and_then(segment) {
                    view! { <reports::ReportPage code /> }.into_any()
                } else if rest == "/counter" {
                    view! { <counter::CounterPage /> }.into_any()
                } else if rest == "/admin" {
                    view! { <admin::AdminPage /> }.into_any()
                } else if rest == "/ratings" {
                    view! { <staff::StaffPage /> }.into_any()
                } else if rest == "/intake" {
                    view! { <intake::IntakeList /> }.into_any()
                } else if let Some(code) = rest.strip_prefix("/intake/").and_then(segment) {
                    view! { <intake::IntakePage code /> }.into_any()
                } else {
                    view! { <crate::routes::not_found::NotFoundPage /> }.into_any()
                }
            }}
        </main>
    }
}


pub use crate::drafts::show_time;

/// What to tell an officer whose form was refused: the field by the label
/// the page shows it under (`label` maps the API's field name), else the
/// error as the app words any.
pub fn refused(ui: Ui, e: &crate::api::FetchError, label: impl Fn(&str) -> Option<&'static str>) -> String {
    match e {
        crate::api::FetchError::Api(a) => match a.field.as_deref().and_then(label) {
            Some(shown) => crate::i18n::fill(ui.t("error.invalid_parameter"), &[("field", shown)]),
            None => crate::components::labels::fetch_error(ui, e),
        },
        _ => crate::components::labels::fetch_error(ui, e),
    }
}

/// The working-day calendar runs out: no appointment date can be computed
/// past its last published year. Shown from 60 days before (the function decides).
#[component]
fn CalendarWarning() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let notice = LocalResource::new(api::calendar_notice);
    move || {
        let n = notice.get().and_then(Result::ok).filter(|n| n.warn)?;
        let text = match n.last_year {
            Some(year) => ui.tr("desk.calendar.runs_out")().replace("{year}", &year.to_string()),
            None => ui.tr("desk.calendar.missing")().to_owned(),
        }
        .replace("{next}", &n.next_year.to_string());
        Some(view! { <p class="notice warning" role="status" id="calendar-warning">{text}</p> })
    }
}
