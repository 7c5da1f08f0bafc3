//! `/desk/reports?list=…`: the agency's citizens' reports: those waiting
//! for an answer (the earliest due first, overdue marked), those waiting
//! for a supervisor's moderation, those answered; `/desk/reports/{code}`:
//! one report, answered by an officer, re-routed, published (with personal
//! data removed) or withheld by a supervisor.

use super::{api, use_session};
use crate::api::{loader, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::reports::{DeskReport, Publication, ReportStatus};
use motcua_views::reports::{status_name, subject_name};
use serde_json::json;

const LISTS: [&str; 3] = ["open", "moderation", "answered"];

fn list_name(ui: Ui, list: &str) -> &'static str {
    match list {
        "moderation" => ui.t("desk.reports.list.moderation"),
        "answered" => ui.t("desk.reports.list.answered"),
        _ => ui.t("desk.reports.list.open"),
    }
}

fn publication_name(ui: Ui, p: Publication) -> &'static str {
    match p {
        Publication::Pending => ui.t("desk.reports.publication.pending"),
        Publication::Published => ui.t("desk.reports.publication.published"),
        Publication::Withheld => ui.t("desk.reports.publication.withheld"),
        Publication::Private => ui.t("desk.reports.publication.private"),
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let loc = crate::router::use_loc();
    let pairs = loc.query_pairs();
    let list = Memo::new(move |_| {
        pairs.with(|p| p.iter().find(|(k, _)| k == "list").map(|(_, v)| v.clone())).filter(|l| LISTS.contains(&l.as_str())).unwrap_or_else(|| "open".to_owned())
    });
    let page = Memo::new(move |_| pairs.with(|p| p.iter().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<u32>().ok())).unwrap_or(0));
    let (state, retry) = loader(move || Some((list.get(), page.get())), move |(l, p): (String, u32)| async move {
        let r = api::reports(&l, p).await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    view! {
        <PageHeading text=Signal::derive(move || ui.t("desk.reports.title").to_owned()) />
        <nav class="filters" aria-label=move || ui.t("desk.reports.title")>
            {LISTS.map(|l| view! {
                <a class="button" href=format!("/desk/reports?list={l}") aria-current=move || (list.get() == l).then_some("page")>
                    {move || list_name(ui, l)}
                </a>
            })}
        </nav>
        {move || state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(p) if p.reports.is_empty() => view! { <p id="reports-empty">{ui.tr("desk.reports.empty")}</p> }.into_any(),
            Load::Ready(p) => {
                let rows = p.reports.iter().map(|r| {
                    let excerpt: String = r.text.chars().take(120).collect();
                    view! {
                        <tr>
                            <th scope="row"><a href=format!("/desk/reports/{}", r.code)>{r.code.clone()}</a></th>
                            <td>{crate::drafts::show_date(r.received_on)}</td>
                            <td>
                                {crate::drafts::show_date(r.due_on)}
                                {r.overdue.then(|| view! { " " <span class="badge late">{ui.t("desk.reports.overdue")}</span> })}
                            </td>
                            <td>{subject_name(ui, r.subject)}</td>
                            <td>{excerpt}</td>
                        </tr>
                    }
                }).collect_view();
                let next = p.more.then(|| view! {
                    <a class="button" href=format!("/desk/reports?list={}&page={}", list.get_untracked(), page.get_untracked() + 1)>{ui.t("desk.reports.next")}</a>
                });
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=ui.t("desk.reports.title")>
                        <table id="reports-table" class="desk-table">
                            <caption>{list_name(ui, &list.get_untracked())}</caption>
                            <thead><tr>
                                <th scope="col">{ui.t("desk.reports.code")}</th>
                                <th scope="col">{ui.t("desk.reports.received")}</th>
                                <th scope="col">{ui.t("desk.reports.due")}</th>
                                <th scope="col">{ui.t("desk.reports.subject")}</th>
                                <th scope="col">{ui.t("desk.reports.text")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    {next}
                }.into_any()
            }
        })}
    }
}

#[component]
pub fn ReportPage(code: String) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let code = StoredValue::new(code);
    let (state, retry) = loader(|| Some(()), move |_| async move {
        let r = api::report(&code.get_value()).await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    let current = RwSignal::new(None::<DeskReport>);
    Effect::new(move |_| state.with(|s| if let Load::Ready(r) = s { current.set(Some(r.clone())) }));
    let done = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let act = move |action: &'static str, body: serde_json::Value, said: &'static str| {
        failed.set(None);
        done.set(None);
        spawn_local(async move {
            match api::report_action(&code.get_value(), action, body).await {
                Ok(r) => {
                    current.set(Some(r));
                    done.set(Some(said.to_owned()));
                    crate::components::focus::focus_later("report-done");
                }
                Err(e) => {
                    session.check(&e);
                    failed.set(Some(super::refused(ui, &e, |field| match field {
                        "answer" => Some(ui.t("desk.reports.answer")),
                        "agency_id" => Some(ui.t("desk.reports.route_to")),
                        "note" => Some(ui.t("desk.reports.route_note")),
                        "public_text" => Some(ui.t("desk.reports.public_text")),
                        _ => None,
                    })));
                    crate::components::focus::focus_later("report-failed");
                }
            }
        });
    };
    let title = crate::i18n::fill(ui.t("desk.reports.one"), &[("code", &code.get_value())]);
    view! {
        <PageHeading text=Signal::derive(move || title.clone()) />
        <p><a href="/desk/reports">{ui.tr("desk.reports.back")}</a></p>
        {move || done.get().map(|d| view! { <p id="report-done" class="notice" role="status" tabindex="-1">{d}</p> })}
        {move || failed.get().map(|f| view! { <p id="report-failed" class="alert" role="alert" tabindex="-1">{f}</p> })}
        {move || match (state.with(|s| matches!(s, Load::Ready(_))), current.get()) {
            (_, Some(r)) => report_view(ui, r, session.officer.with(|o| o.as_ref().is_some_and(|o| o.role.supervises())), act).into_any(),
            (false, None) => state.with(|s| match s {
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                _ => view! { <Loading /> }.into_any(),
            }),
            (true, None) => view! { <Loading /> }.into_any(),
        }}
    }
}

fn report_view(ui: Ui, r: DeskReport, supervises: bool, act: impl Fn(&'static str, serde_json::Value, &'static str) + Copy + 'static) -> impl IntoView {
    let facts = view! {
        <dl class="facts" id="report-facts">
            <dt>{ui.t("desk.reports.status")}</dt>
            <dd id="report-status">{status_name(ui, r.status)}
                {r.overdue.then(|| view! { " " <span class="badge late">{ui.t("desk.reports.overdue")}</span> })}</dd>
            <dt>{ui.t("desk.reports.received")}</dt><dd>{crate::drafts::show_date(r.received_on)}</dd>
            <dt>{ui.t("desk.reports.due")}</dt><dd>{crate::drafts::show_date(r.due_on)}</dd>
            <dt>{ui.t("desk.reports.subject")}</dt><dd>{subject_name(ui, r.subject)}</dd>
            <dt>{ui.t("desk.reports.publication")}</dt><dd id="report-publication">{publication_name(ui, r.publication)}</dd>
            <dt>{ui.t("desk.reports.name")}</dt><dd>{r.name.clone().unwrap_or_else(|| "—".to_owned())}</dd>
            <dt>{ui.t("desk.reports.dossier")}</dt><dd>{r.dossier_code.clone().unwrap_or_else(|| "—".to_owned())}</dd>
        </dl>
        <h2>{ui.t("desk.reports.text")}</h2>
        <p id="report-text" class="report-text">{r.text.clone()}</p>
        {(!r.photos.is_empty()).then(|| view! {
            <h2>{ui.t("desk.reports.photos")}</h2>
            <ul id="report-photos" class="photo-list">
                {r.photos.iter().enumerate().map(|(i, p)| {
                    let (href, src) = (api::report_photo_url(&r.code, &p.id), api::report_photo_url(&r.code, &p.id));
                    let alt = crate::i18n::fill(ui.t("desk.reports.photo_n"), &[("n", &(i + 1).to_string())]);
                    view! { <li><a href=href target="_blank" rel="noopener"><img src=src alt=alt width="160" /></a></li> }
                }).collect_view()}
            </ul>
        })}
    };
    let answer = match (r.status, r.answer.clone()) {
        (ReportStatus::Answered, Some(a)) => view! {
            <h2>{ui.t("desk.reports.answer")}</h2>
            <p id="report-answer" class="report-answer">{a}</p>
            <p class="hint">{r.answered_by.clone().unwrap_or_default()} " · " {r.answered_on.map(crate::drafts::show_date).unwrap_or_default()}</p>
        }.into_any(),
        _ => {
            let text = RwSignal::new(String::new());
            view! {
                <form id="report-answer-form" class="desk-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    act("answer", json!({"answer": text.get_untracked()}), ui.t("desk.reports.answered"));
                }>
                    <p class="field">
                        <label for="report-answer-text">{ui.t("desk.reports.answer")}</label>
                        <span id="report-answer-hint" class="hint">{ui.t("desk.reports.answer_hint")}</span>
                        <textarea id="report-answer-text" rows="5" maxlength="4000" aria-describedby="report-answer-hint"
                            prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    </p>
                    <button type="submit" id="report-answer-send" class="button primary">{ui.t("desk.reports.answer_send")}</button>
                </form>
            }.into_any()
        }
    };
    let route = (supervises && r.status == ReportStatus::Received).then(|| {
        let (to, note) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
        // Another of the province's agencies, by name (the citizens' list).
        let (agencies, _) = loader(|| Some(()), |_| crate::api::report_agencies());
        let current_agency = r.agency_id.clone();
        view! {
            <form id="report-route-form" class="desk-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                act("route", json!({"agency_id": to.get_untracked().trim(), "note": note.get_untracked()}), ui.t("desk.reports.routed"));
            }>
                <h2>{ui.t("desk.reports.route")}</h2>
                <p class="field">
                    <label for="report-route-to">{ui.t("desk.reports.route_to")}</label>
                    <select id="report-route-to" on:change=move |ev| to.set(event_target_value(&ev))>
                        <option value="" selected=move || to.get().is_empty()>{ui.t("desk.reports.route_choose")}</option>
                        {move || agencies.with(|a| match a {
                            Load::Ready(list) => list.iter().filter(|a| a.id != current_agency).map(|a| {
                                let id = a.id.clone();
                                view! { <option value=a.id.clone() selected=move || to.get() == id lang="vi">{a.name.clone()}</option> }
                            }).collect_view().into_any(),
                            _ => ().into_any(),
                        })}
                    </select>
                </p>
                <p class="field">
                    <label for="report-route-note">{ui.t("desk.reports.route_note")}</label>
                    <input id="report-route-note" type="text" maxlength="500" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                </p>
                <button type="submit" id="report-route-send" class="button">{ui.t("desk.reports.route_send")}</button>
            </form>
        }
    });
    let moderate = (supervises && r.publication != Publication::Private).then(|| {
        let public_text = RwSignal::new(r.public_text.clone().unwrap_or_default());
        view! {
            <form id="report-publish-form" class="desk-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                act("publication", json!({"publish": true, "public_text": public_text.get_untracked()}), ui.t("desk.reports.published"));
            }>
                <h2>{ui.t("desk.reports.moderate")}</h2>
                <p class="field">
                    <label for="report-public-text">{ui.t("desk.reports.public_text")}</label>
                    <span id="report-public-hint" class="hint">{ui.t("desk.reports.public_hint")}</span>
                    <textarea id="report-public-text" rows="5" maxlength="4000" aria-describedby="report-public-hint"
                        prop:value=public_text on:input=move |ev| public_text.set(event_target_value(&ev))></textarea>
                </p>
                <button type="submit" id="report-publish" class="button primary">{ui.t("desk.reports.publish")}</button>
                " "
                <button type="button" id="report-withhold" class="button"
                    on:click=move |_| act("publication", json!({"publish": false}), ui.t("desk.reports.withheld"))>
                    {ui.t("desk.reports.withhold")}
                </button>
            </form>
        }
    });
    view! {
        {facts}
        {answer}
        {route}
        {moderate}
    }
}
