//! `/dashboard`: how the province serves, published for everyone (no
//! sign-in): the province or one agency, month by month, grouped as Decision
//! 766/QĐ-TTg groups its indicators. Each chart has a text summary and a
//! table behind it; the figures download as CSV.

use crate::api::{self, loader, Load};
use crate::components::chart::bar_chart;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::components::labels;
use crate::i18n::fill;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use motcua_shared::ratings::{FigureRow, Figures};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let ui = use_ui();
    let (state, retry) = loader(|| Some(()), |_| api::figures(12));
    let scope = RwSignal::new(String::new()); // "" = the province
    view! {
        <PageHeading text=Signal::derive(move || ui.t("dashboard.title").to_owned()) />
        <p>{ui.tr("dashboard.intro")}</p>
        {move || state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(f) if f.rows.is_empty() => view! { <p id="dashboard-empty">{ui.tr("dashboard.no_data")}</p> }.into_any(),
            Load::Ready(f) => figures_view(ui, f.clone(), scope).into_any(),
        })}
        <p>
            <a id="dashboard-csv" class="button" href="/api/stats.csv" download="mot-cua-figures.csv">{ui.tr("dashboard.csv")}</a>
        </p>
    }
}

fn figures_view(ui: Ui, f: Figures, scope: RwSignal<String>) -> impl IntoView {
    let mut agencies: Vec<String> = f.rows.iter().filter_map(|r| r.agency_id.clone()).collect();
    agencies.sort();
    agencies.dedup();
    let target = f.target_percent;
    let rows = StoredValue::new(f.rows);
    let options = agencies
        .into_iter()
        .map(|a| view! { <option value=a.clone()>{a.clone()}</option> })
        .collect_view();
    view! {
        <p class="field">
            <label for="dashboard-scope">{ui.tr("dashboard.scope")}</label>
            <select id="dashboard-scope" class="answer-input" on:change=move |ev| scope.set(event_target_value(&ev))>
                <option value="">{ui.tr("dashboard.province")}</option>
                {options}
            </select>
        </p>
        {move || {
            let want = scope.get();
            // Oldest first for reading left to right.
            let mut mine: Vec<FigureRow> = rows.with_value(|r| {
                r.iter().filter(|r| r.agency_id.as_deref().unwrap_or("") == want).cloned().collect()
            });
            mine.reverse();
            scope_view(ui, mine, target)
        }}
    }
}

fn scope_view(ui: Ui, rows: Vec<FigureRow>, target: f64) -> impl IntoView {
    let latest = rows.last().cloned();
    let points = |get: fn(&FigureRow) -> Option<f64>| -> Vec<(String, Option<f64>)> {
        rows.iter().map(|r| (labels::month(&r.month)[..2].to_owned(), get(r))).collect()
    };
    let summary = |what: &str, get: fn(&FigureRow) -> Option<f64>| -> String {
        match latest.as_ref() {
            Some(r) => fill(ui.t("dashboard.summary"), &[("what", what), ("month", &labels::month(&r.month)), ("value", &labels::percent(get(r)))]),
            None => String::new(),
        }
    };
    let satisfaction_title = ui.t("dashboard.satisfaction").to_owned();
    let satisfaction_summary = format!(
        "{} {}",
        summary(&satisfaction_title, |r| r.satisfaction),
        fill(ui.t("dashboard.target"), &[("target", &format!("{target:.0}%"))])
    );
    let on_time_title = ui.t("dashboard.on_time").to_owned();
    let on_time_summary = summary(&on_time_title, |r| r.on_time);
    let online_title = ui.t("dashboard.online_dossiers").to_owned();
    let online_summary = summary(&online_title, |r| r.online_dossiers);
    let reports_title = ui.t("dashboard.reports_on_time").to_owned();
    let reports_summary = summary(&reports_title, |r| r.reports_on_time);
    let answers_title = ui.t("dashboard.report_satisfaction").to_owned();
    let answers_summary = summary(&answers_title, |r| r.report_satisfaction);
    let received_reports = latest.as_ref().map(|r| r.reports.received).unwrap_or_default();
    let table_rows = rows
        .iter()
        .rev()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{labels::month(&r.month)}</th>
                    <td>{labels::percent(r.satisfaction)}</td>
                    <td>{r.ratings.very_satisfied}</td>
                    <td>{r.ratings.satisfied}</td>
                    <td>{r.ratings.not_satisfied}</td>
                    <td>{labels::percent(r.on_time)}</td>
                    <td>{r.dossiers.returned}</td>
                    <td>{labels::percent(r.online_dossiers)}</td>
                    <td>{r.dossiers.received}</td>
                    <td>{r.reports.received}</td>
                    <td>{labels::percent(r.reports_on_time)}</td>
                    <td>{labels::percent(r.report_satisfaction)}</td>
                </tr>
            }
        })
        .collect_view();
    let (disclosure, online_procedures) = latest.as_ref().map(|r| (r.disclosure, r.online_procedures)).unwrap_or_default();
    view! {
        <section class="fact" aria-labelledby="group-satisfaction">
            <h2 id="group-satisfaction">{ui.t("dashboard.group.satisfaction")}</h2>
            <p id="satisfaction-summary">{satisfaction_summary.clone()}</p>
            {bar_chart("chart-satisfaction", satisfaction_title, satisfaction_summary, points(|r| r.satisfaction), Some(target))}
        </section>
        <section class="fact" aria-labelledby="group-progress">
            <h2 id="group-progress">{ui.t("dashboard.group.progress")}</h2>
            <p id="on-time-summary">{on_time_summary.clone()}</p>
            {bar_chart("chart-on-time", on_time_title, on_time_summary, points(|r| r.on_time), None)}
        </section>
        <section class="fact" aria-labelledby="group-online">
            <h2 id="group-online">{ui.t("dashboard.group.online")}</h2>
            <p id="online-summary">{online_summary.clone()}</p>
            {bar_chart("chart-online", online_title, online_summary, points(|r| r.online_dossiers), None)}
            <p id="online-procedures">{ui.t("dashboard.online_procedures")} ": " <strong>{labels::percent(online_procedures)}</strong></p>
        </section>
        <section class="fact" aria-labelledby="group-disclosure">
            <h2 id="group-disclosure">{ui.t("dashboard.group.disclosure")}</h2>
            <p id="disclosure">{ui.t("dashboard.disclosure")} ": " <strong>{labels::percent(disclosure)}</strong></p>
            // Citizens' reports and how they were answered (see /reports).
            <p id="reports-received">{ui.t("dashboard.reports_received")} ": " <strong>{received_reports}</strong></p>
            <p id="reports-summary">{reports_summary.clone()}</p>
            {bar_chart("chart-reports", reports_title, reports_summary, points(|r| r.reports_on_time), None)}
            <p id="report-answers-summary">{answers_summary.clone()}</p>
            {bar_chart("chart-report-answers", answers_title, answers_summary, points(|r| r.report_satisfaction), None)}
        </section>
        <div class="table-wrap" tabindex="0" role="region" aria-label=ui.t("dashboard.table")>
            <table id="figures" class="desk-table">
                <caption>{ui.t("dashboard.table")} <span class="hint">{ui.t("dashboard.answers_note")}</span></caption>
                <thead>
                    <tr>
                        <th scope="col">{ui.t("dashboard.month")}</th>
                        <th scope="col">{ui.t("dashboard.satisfaction")}</th>
                        <th scope="col">{fill(ui.t("dashboard.answers"), &[("choice", ui.t("rating.choice.very_satisfied"))])}</th>
                        <th scope="col">{fill(ui.t("dashboard.answers"), &[("choice", ui.t("rating.choice.satisfied"))])}</th>
                        <th scope="col">{fill(ui.t("dashboard.answers"), &[("choice", ui.t("rating.choice.not_satisfied"))])}</th>
                        <th scope="col">{ui.t("dashboard.on_time")}</th>
                        <th scope="col">{ui.t("dashboard.returned")}</th>
                        <th scope="col">{ui.t("dashboard.online_dossiers")}</th>
                        <th scope="col">{ui.t("dashboard.received")}</th>
                        <th scope="col">{ui.t("dashboard.reports_received")}</th>
                        <th scope="col">{ui.t("dashboard.reports_on_time")}</th>
                        <th scope="col">{ui.t("dashboard.report_satisfaction")}</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </div>
    }
}
