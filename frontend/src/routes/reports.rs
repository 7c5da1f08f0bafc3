//! `/reports`: citizens' reports and the agencies' answers, as moderators
//! published them (personal data removed), with search, status and agency;
//! above them, the reports this device sent (or still holds, with no signal).

use crate::api::{self, loader, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::drafts;
use crate::offline::{use_outbox, ItemKind, ItemState};
use crate::state::use_ui;
use motcua_views::reports::report_card;
use leptos::prelude::*;
use motcua_shared::reports::PublicReport;
use motcua_shared::search::encode;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let ui = use_ui();
    let loc = crate::router::use_loc();
    let param = move |name: &str| {
        loc.search.with(|s| {
            web_sys::UrlSearchParams::new_with_str(s).ok().and_then(|p| p.get(name)).unwrap_or_default()
        })
    };
    let (q, status, agency) = (RwSignal::new(param("q")), RwSignal::new(param("status")), RwSignal::new(param("agency")));
    // The list follows the address, so the back button and a shared link show the same reports.
    let query = Memo::new(move |_| {
        format!("q={}&status={}&agency={}", encode(&param("q"), true), encode(&param("status"), true), encode(&param("agency"), true))
    });
    let (page, retry) = loader(move || Some(query.get()), |q: String| async move { api::public_reports(&q).await });
    let (agencies, _) = loader(|| Some(()), |_| api::report_agencies());
    let agency_list = Signal::derive(move || agencies.with(|a| match a {
        Load::Ready(list) => list.clone(),
        _ => Vec::new(),
    }));
    let more = RwSignal::new(Vec::<PublicReport>::new());
    let next = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        page.with(|p| {
            more.set(Vec::new());
            next.set(match p {
                Load::Ready(p) => p.next.clone(),
                _ => None,
            });
        })
    });
    let load_more = move |_| {
        let Some(before) = next.get_untracked() else { return };
        let q = format!("{}&before={}", query.get_untracked(), encode(&before, true));
        leptos::task::spawn_local(async move {
            if let Ok(p) = api::public_reports(&q).await {
                more.update(|m| m.extend(p.reports));
                next.set(p.next);
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        loc.navigate(&format!(
            "/reports?q={}&status={}&agency={}",
            encode(q.get_untracked().trim(), true),
            encode(&status.get_untracked(), true),
            encode(&agency.get_untracked(), true)
        ));
    };
    view! {
        <PageHeading text=Signal::derive(move || ui.t("report.list_title").to_owned()) />
        <p>{ui.tr("report.list_intro")}</p>
        <p><a id="new-report" class="button primary" href="/reports/new">{ui.tr("report.new_link")}</a></p>
        <MyReports />
        {motcua_views::reports::report_filters(ui, q, status, agency, agency_list, on_submit)}
        <section id="public-reports" aria-labelledby="public-reports-title">
            <h2 id="public-reports-title">{ui.tr("report.published")}</h2>
            {move || page.with(|p| match p {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(p) if p.reports.is_empty() => view! { <p id="reports-none">{ui.tr("report.none")}</p> }.into_any(),
                Load::Ready(p) => {
                    let first = p.reports.iter().map(|r| report_card(ui, r)).collect_view();
                    view! {
                        <ol class="report-list">
                            {first}
                            {move || more.with(|m| m.iter().map(|r| report_card(ui, r)).collect_view())}
                        </ol>
                    }.into_any()
                }
            })}
            {move || next.with(Option::is_some).then(|| view! {
                <button type="button" id="reports-more" class="button" on:click=load_more>{ui.tr("report.more")}</button>
            })}
        </section>
    }
}

/// The reports this device sent, with links that open them with their
/// secret, and those still waiting in the outbox.
#[component]
fn MyReports() -> impl IntoView {
    let ui = use_ui();
    let outbox = use_outbox();
    // Read again whenever the outbox changes: a report sent from it is filed there.
    let kept = Memo::new(move |_| {
        outbox.items.track();
        drafts::kept_reports()
    });
    let waiting = Memo::new(move |_| {
        outbox.items.with(|i| i.iter().filter(|i| i.kind == ItemKind::Report && i.state == ItemState::Waiting).count())
    });
    move || {
        let waiting = waiting.get();
        let kept = kept.get();
        if kept.is_empty() && waiting == 0 {
            return None;
        }
        let items = kept
            .iter()
            .rev()
            .map(|r| {
                view! {
                    <li>
                        <a class="button" href=format!("/reports/{}#{}", r.code, r.secret)>{r.code.clone()}</a>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section id="my-reports" aria-labelledby="my-reports-title">
                <h2 id="my-reports-title">{ui.tr("report.mine")}</h2>
                {(waiting > 0).then(|| view! { <p id="report-queued" class="alert" role="status">{ui.tr("report.queued")}</p> })}
                <ul class="outbox-links">{items}</ul>
            </section>
        })
    }
}
