//! One search result: a large link with the name, field, processing time and online level.

use crate::icon::Icon;
use crate::labels;
use crate::ui::use_ui;
use leptos::prelude::*;
use motcua_shared::catalogue::ProcedureSummary;
use motcua_shared::search::encode;

#[component]
pub fn ProcedureCard(procedure: ProcedureSummary) -> impl IntoView {
    let ui = use_ui();
    let href = format!("/procedures/{}", encode(&procedure.code, false));
    let ProcedureSummary { name, field, online, processing_days, .. } = procedure;
    view! {
        <li>
            <a class="procedure-card" href=href>
                <span class="card-name" lang="vi">{name}</span>
                <span class="card-meta">
                    <span class="meta">
                        {Icon::Folder.view()}
                        <span class="visually-hidden">{ui.tr("filter.field")} ": "</span>
                        <span lang="vi">{field}</span>
                    </span>
                    <span class="meta">
                        {Icon::Clock.view()}
                        <span class="visually-hidden">{ui.tr("card.time")} ": "</span>
                        {move || labels::days(ui, processing_days)}
                    </span>
                    <span class="meta" class:online-full=online == motcua_shared::catalogue::OnlineLevel::Full>
                        {Icon::Phone.view()}
                        {move || labels::online(ui, online)}
                    </span>
                </span>
            </a>
        </li>
    }
}
