//! `/consultations`: drafts the province's agencies put out for comment
//! (lấy ý kiến), newest first: open, upcoming and closed, and whether the
//! agency has published its response.

use crate::api::{self, loader, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use motcua_shared::consultations::Phase;

pub fn phase_name(ui: Ui, p: Phase) -> &'static str {
    match p {
        Phase::Upcoming => ui.t("consult.phase.upcoming"),
        Phase::Open => ui.t("consult.phase.open"),
        Phase::Closed => ui.t("consult.phase.closed"),
    }
}

#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let ui = use_ui();
    let (list, retry) = loader(|| Some(()), |_| api::consultations());
    view! {
        <PageHeading text=Signal::derive(move || ui.t("consult.list_title").to_owned()) />
        <p>{ui.tr("consult.list_intro")}</p>
        {move || list.with(|l| match l {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(l) if l.is_empty() => view! { <p id="consultations-none">{ui.tr("consult.none")}</p> }.into_any(),
            Load::Ready(l) => view! {
                <ol class="report-list" id="consultations">
                    {l.iter().map(|c| {
                        let dates = motcua_views::i18n::fill(ui.t("consult.dates"), &[("from", &crate::drafts::show_date(c.opens_on)), ("to", &crate::drafts::show_date(c.closes_on))]);
                        let count = motcua_views::i18n::fill(ui.t("consult.comment_count"), &[("count", &c.comments.to_string())]);
                        view! {
                            <li class="report-card">
                                <h2><a href=format!("/consultations/{}", c.id) lang="vi">{c.title.clone()}</a></h2>
                                <p class="hint">{phase_name(ui, c.phase)} " · " {dates} " · " {count}
                                    {c.responded.then(|| view! { " · " <span class="badge ok">{ui.t("consult.responded")}</span> })}</p>
                                <p lang="vi">{c.summary.clone()}</p>
                                <p class="hint" lang="vi">{c.agency_name.clone()}</p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any(),
        })}
    }
}
