//! `/desk?filter=…`: the agency's open dossiers, oldest first, with the
//! filters officers work by (new, due soon, overdue, waiting for the citizen);
//! `/desk?q=…`: the agency's dossiers found by code, citizen's name, ID
//! number or phone (the search stays in the address: Back, reload, a link).

use super::{api, use_session};
use crate::api::{loader, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::drafts::show_date;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use motcua_shared::desk::{QueueItem, MAX_SEARCH_CHARS, SEARCH_RESULTS};

const FILTERS: [&str; 5] = ["open", "new", "due_soon", "overdue", "waiting"];

fn filter_name(ui: Ui, filter: &str) -> &'static str {
    match filter {
        "new" => ui.t("desk.filter.new"),
        "due_soon" => ui.t("desk.filter.due_soon"),
        "overdue" => ui.t("desk.filter.overdue"),
        "waiting" => ui.t("desk.filter.waiting"),
        _ => ui.t("desk.filter.open"),
    }
}

pub fn channel_name(ui: Ui, channel: &str) -> &'static str {
    if channel == "desk" { ui.t("desk.channel.desk") } else { ui.t("desk.channel.online") }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let loc = crate::router::use_loc();
    let pairs = loc.query_pairs();
    let filter = Memo::new(move |_| {
        pairs.with(|p| p.iter().find(|(k, _)| k == "filter").map(|(_, v)| v.clone())).filter(|f| FILTERS.contains(&f.as_str()))
            .unwrap_or_else(|| "open".to_owned())
    });
    // A page starts after the dossier the previous one ended with; the link
    // to it is a plain link (keyboard, screen readers, the back button).
    let after = Memo::new(move |_| pairs.with(|p| p.iter().find(|(k, _)| k == "after").map(|(_, v)| v.clone())));
    // A search replaces the queue until the officer goes back to it.
    let q = Memo::new(move |_| {
        pairs.with(|p| p.iter().find(|(k, _)| k == "q").map(|(_, v)| v.trim().to_owned())).filter(|q| !q.is_empty())
    });
    let (state, retry) = loader(
        move || Some((filter.get(), after.get(), q.get())),
        move |(f, a, q): (String, Option<String>, Option<String>)| async move {
            let r = match &q {
                Some(q) => api::search(q).await,
                None => api::queue(&f, a.as_deref()).await,
            };
            if let Err(e) = &r {
                session.check(e);
            }
            r
        },
    );
    let input = NodeRef::<leptos::html::Input>::new();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = input.get().map(|i| i.value()).unwrap_or_default();
        match typed.trim() {
            "" => loc.navigate("/desk"),
            typed if q.get_untracked().as_deref() == Some(typed) => retry.update(|n| *n += 1),
            typed => loc.navigate(&format!("/desk?q={}", crate::api::encode(typed, true))),
        }
    };
    let tabs = FILTERS
        .into_iter()
        .map(|f| {
            let current = move || (q.with(Option::is_none) && filter.get() == f).then_some("page");
            view! {
                <li>
                    <a href=format!("/desk?filter={f}") aria-current=current>
                        {move || filter_name(ui, f)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <PageHeading text=Signal::derive(move || ui.t("desk.queue.title").to_owned()) />
        <form role="search" id="queue-search" class="search" on:submit=search>
            <label for="queue-q" class="search-label">{ui.tr("desk.search.label")}</label>
            <p id="queue-q-hint" class="hint">{ui.tr("desk.search.hint")}</p>
            <div class="search-row">
                <input
                    id="queue-q"
                    type="search"
                    name="q"
                    maxlength=MAX_SEARCH_CHARS.to_string()
                    autocomplete="off"
                    spellcheck="false"
                    enterkeyhint="search"
                    aria-describedby="queue-q-hint"
                    prop:value=move || q.get().unwrap_or_default()
                    node_ref=input
                />
                <button id="queue-search-submit" type="submit" class="button primary">{ui.tr("desk.search.submit")}</button>
            </div>
        </form>
        <nav aria-label=ui.tr("desk.queue.title")>
            <ul class="filter-tabs">{tabs}</ul>
        </nav>
        {move || {
            state
                .with(|s| match s {
                    Load::Loading => view! { <Loading /> }.into_any(),
                    Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                    Load::Ready(page) if q.with(Option::is_some) => {
                        search_results(ui, &q.get().unwrap_or_default(), page.items.clone()).into_any()
                    }
                    Load::Ready(page) if page.items.is_empty() => {
                        view! { <p id="queue-empty">{ui.tr("desk.queue.empty")}</p> }.into_any()
                    }
                    Load::Ready(page) => {
                        let f = filter.get_untracked();
                        let next = page.next.clone().map(|n| {
                            let href = format!("/desk?filter={f}&after={}", crate::api::encode(&n, true));
                            view! { <a id="queue-next" class="button secondary" href=href rel="next">{ui.tr("desk.queue.next")}</a> }
                        });
                        let first = after.get_untracked().map(|_| {
                            view! { <a id="queue-first" class="button secondary" href=format!("/desk?filter={f}")>{ui.tr("desk.queue.first")}</a> }
                        });
                        view! {
                            {queue_table(ui, page.items.clone())}
                            <p class="queue-pages">{first}" "{next}</p>
                        }
                            .into_any()
                    }
                })
        }}
    }
}

/// What a search found: how many, for what (said to screen readers as it
/// changes), the dossiers, and the way back to the queue.
fn search_results(ui: Ui, q: &str, items: Vec<QueueItem>) -> impl IntoView + use<> {
    let count = items.len().to_string();
    let found = match items.len() {
        0 => crate::i18n::fill(ui.t("desk.search.none"), &[("q", q)]),
        _ => crate::i18n::fill(ui.t("desk.search.found"), &[("count", &count), ("q", q)]),
    };
    let more = (items.len() >= SEARCH_RESULTS)
        .then(|| view! { <p class="hint">{crate::i18n::fill(ui.t("desk.search.more"), &[("count", &count)])}</p> });
    let table = (!items.is_empty()).then(|| queue_table(ui, items));
    view! {
        <p id="queue-search-result" role="status">{found}</p>
        {more}
        {table}
        <p class="queue-pages">
            <a id="queue-search-clear" class="button secondary" href="/desk">{ui.tr("desk.search.clear")}</a>
        </p>
    }
}

fn queue_table(ui: Ui, items: Vec<QueueItem>) -> impl IntoView {
    let rows = items
        .into_iter()
        .map(|d| {
            let href = format!("/desk/dossiers/{}", crate::api::encode(&d.code, false));
            view! {
                <tr>
                    <th scope="row">
                        <a class="dossier-link" href=href>{d.code}</a>
                    </th>
                    <td class="citizen" lang="vi">{d.citizen_name}</td>
                    <td lang="vi">{d.procedure_name}</td>
                    <td>
                        {labels::status(ui, d.status)}
                        {d.overdue.then(|| view! { " " <strong class="badge overdue">{ui.t("desk.overdue")}</strong> })}
                        {d.papers_sent.then(|| papers_sent_badge(ui))}
                    </td>
                    <td>{show_date(d.received_on)}</td>
                    <td>{d.appointment_on.map(show_date).unwrap_or_default()}</td>
                    <td>{channel_name(ui, &d.channel)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=ui.t("desk.queue.title")>
            <table id="queue" class="desk-table">
                <thead>
                    <tr>
                        <th scope="col">{ui.t("desk.col.code")}</th>
                        <th scope="col">{ui.t("desk.col.citizen")}</th>
                        <th scope="col">{ui.t("desk.col.procedure")}</th>
                        <th scope="col">{ui.t("desk.col.status")}</th>
                        <th scope="col">{ui.t("desk.col.received")}</th>
                        <th scope="col">{ui.t("desk.col.due")}</th>
                        <th scope="col">{ui.t("desk.col.channel")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// "Papers sent": the citizen answered a request for papers, and the dossier
/// waits for an officer. Words, not a colour alone, so everyone reads it.
pub fn papers_sent_badge(ui: Ui) -> impl IntoView {
    view! { " " <strong class="badge papers-sent">{ui.t("desk.papers_sent")}</strong> }
}
