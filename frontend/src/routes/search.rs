//! `/`: the catalogue search. The search lives in the URL (`/?q=khai+sinh&level=commune`),
//! read and written with the shared `SearchParams`, so reloading or sharing the
//! link shows the same results. An empty query lists the whole catalogue.
//! With no signal the search runs in the copy kept on the device (`offline_index`),
//! and says so.

use crate::api::{FetchError, Load, loader, query_string};
use crate::components::icon::Icon;
use crate::components::labels;
use crate::components::load_error::LoadError;
use crate::components::page_heading::PageHeading;
use crate::components::procedure_card::ProcedureCard;
use crate::i18n::fill;
use crate::offline_index::{self, Results};
use crate::state::{Ui, use_ui};
use leptos::html::{Form, Input, Select};
use leptos::prelude::*;
use motcua_shared::catalogue::{FieldCount, Level, OnlineLevel, SearchPage as Page};
use motcua_shared::search::SearchParams;

#[component]
pub fn SearchPage() -> impl IntoView {
    let ui = use_ui();
    let location = crate::router::use_loc();
    let query = location.query_pairs();
    // The same validation as the catalogue function: a bad link names the bad parameter.
    let params = Memo::new(move |_| query.with(|q| SearchParams::from_pairs(q.iter().map(|(a, b)| (a.as_str(), b.as_str())))));
    let (state, retry) = loader(move || params.get().ok(), |p: SearchParams| async move { offline_index::search(&p).await });

    // For the detail page's back link ("" when leaving, so only while on this page).
    Effect::new(move |_| {
        if let Ok(p) = params.get()
            && location.path.get_untracked() == "/"
        {
            ui.last_search.set(query_string(&p));
        }
    });

    // The field menu keeps the last list it had while the next page loads.
    let fields = RwSignal::new(Vec::<FieldCount>::new());
    Effect::new(move |_| {
        state.with(|s| {
            if let Load::Ready(Results { page, .. }) = s
                && fields.with_untracked(|f| *f != page.fields)
            {
                fields.set(page.fields.clone());
            }
        })
    });

    // After "next"/"previous", the focus goes to the new count, at the top of the results.
    let focus_count = RwSignal::new(false);
    let count_ref = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if state.with(|s| matches!(s, Load::Ready(_)))
            && focus_count.get_untracked()
            && let Some(count) = count_ref.get()
        {
            focus_count.set(false);
            let _ = count.focus();
        }
    });

    let form = NodeRef::<Form>::new();
    let q_input = NodeRef::<Input>::new();
    let field_select = NodeRef::<Select>::new();
    let level_select = NodeRef::<Select>::new();
    let online_select = NodeRef::<Select>::new();
    
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let selected = |select: NodeRef<Select>| select.get().map(|s| s.value()).filter(|v| !v.is_empty());
        let current = params.get_untracked().unwrap_or_default();
        let next = SearchParams {
            q: q_input.get().map(|i| i.value().trim().to_owned()).unwrap_or_default(),
            field: selected(field_select),
            level: selected(level_select).and_then(|v| Level::parse(&v)),
            online: selected(online_select).and_then(|v| OnlineLevel::parse(&v)),
            page: 1,
            per_page: current.per_page,
        };
        if params.get_untracked() == Ok(next.clone()) {
            // Same search again (say, after an error): fetch again.
            retry.update(|n| *n += 1);
        } else {
            location.navigate(&format!("/{}", query_string(&next)));
        }
    };
    // A changed filter applies at once; the focus stays on it.
    let apply = move |_| {
        if let Some(form) = form.get() {
            let _ = form.request_submit();
        }
    };

    let current = move || params.get().unwrap_or_default();
    let raw_q = move || query.with(|q| q.iter().find(|(k, _)| k == "q").map(|(_, v)| v.clone())).unwrap_or_default();
    let loading = move || params.with(Result::is_ok) && state.with(|s| matches!(s, Load::Loading));

    view! {
        <PageHeading text=Signal::derive(move || ui.t("search.title").to_owned()) />
        <form role="search" id="search-form" class="search" node_ref=form on:submit=on_submit>
            <label for="search-q" class="search-label">
                {ui.tr("search.label")}
            </label>
            <p id="search-hint" class="hint">
                {ui.tr("search.intro")}
            </p>
            <div class="search-row">
                <input
                    id="search-q"
                    type="search"
                    name="q"
                    maxlength="200"
                    autocomplete="off"
                    enterkeyhint="search"
                    aria-describedby="search-hint"
                    prop:value=raw_q
                    node_ref=q_input
                />
                <button id="search-submit" type="submit" class="button primary">
                    {Icon::Search.view()}
                    <span>{ui.tr("search.submit")}</span>
                </button>
            </div>
            <fieldset class="filters">
                <legend>{ui.tr("filter.legend")}</legend>
                <div class="filter">
                    <label for="filter-field">{ui.tr("filter.field")}</label>
                    <select id="filter-field" name="field" node_ref=field_select on:change=apply>
                        <option value="" prop:selected=move || current().field.is_none()>
                            {ui.tr("filter.field_all")}
                        </option>
                        {move || field_options(fields.get(), current().field)}
                    </select>
                </div>
                <div class="filter">
                    <label for="filter-level">{ui.tr("filter.level")}</label>
                    <select id="filter-level" name="level" node_ref=level_select on:change=apply>
                        <option value="" prop:selected=move || current().level.is_none()>
                            {ui.tr("filter.level_all")}
                        </option>
                        {Level::ALL
                            .into_iter()
                            .map(|level| {
                                view! {
                                    <option value=level.as_str() prop:selected=move || current().level == Some(level)>
                                        {move || labels::level(ui, level)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="filter">
                    <label for="filter-online">{ui.tr("filter.online")}</label>
                    <select id="filter-online" name="online" node_ref=online_select on:change=apply>
                        <option value="" prop:selected=move || current().online.is_none()>
                            {ui.tr("filter.online_all")}
                        </option>
                        {OnlineLevel::ALL
                            .into_iter()
                            .map(|online| {
                                view! {
                                    <option value=online.as_str() prop:selected=move || current().online == Some(online)>
                                        {move || labels::online(ui, online)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </fieldset>
        </form>

        {move || {
            params
                .with(|p| p.as_ref().err().cloned())
                .map(|error| {
                    view! {
                        <div id="search-invalid" class="alert" role="alert">
                            <p>{move || labels::api_error(ui, &error)}</p>
                            <p>
                                <a class="button" href="/">
                                    {ui.tr("action.clear")}
                                </a>
                            </p>
                        </div>
                    }
                })
        }}

        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="visually-hidden">
                {ui.tr("search.results")}
            </h2>
            <p id="result-count" class="result-count" role="status" aria-live="polite" tabindex="-1" node_ref=count_ref>
                {move || {
                    let loading = loading();
                    state.with(|s| count_text(ui, s, loading))
                }}
            </p>
            {move || {
                state.with(|s| matches!(s, Load::Ready(Results { kept: true, .. }))).then(|| {
                    view! {
                        <p id="offline-results" class="notice" role="status">
                            {ui.tr("search.offline_copy")}
                        </p>
                    }
                })
            }}
            {move || {
                state
                    .with(|s| match s {
                        Load::Failed(error) => Some(error.clone()),
                        _ => None,
                    })
                    .map(|error| match error {
                        // No signal and no copy of the catalogue on the device yet:
                        // the list pages opened before are still there to browse.
                        FetchError::Network => view! {
                            <div id="offline-no-copy" class="notice" role="status">
                                <p>{ui.tr("search.offline_no_copy")}</p>
                                <p class="form-buttons">
                                    <a id="offline-browse" class="button" href="/">{ui.tr("search.offline_browse")}</a>
                                    <button id="retry" type="button" class="button" on:click=move |_| retry.update(|n| *n += 1)>
                                        {ui.tr("action.retry")}
                                    </button>
                                </p>
                            </div>
                        }
                            .into_any(),
                        error => view! { <LoadError error retry /> }.into_any(),
                    })
            }}
            <ul id="results" class="cards" aria-busy=move || if loading() { "true" } else { "false" }>
                {move || {
                    state
                        .with(|s| match s {
                            Load::Ready(found) => found.page.items.clone(),
                            _ => Vec::new(),
                        })
                        .into_iter()
                        .map(|procedure| view! { <ProcedureCard procedure /> })
                        .collect_view()
                }}
            </ul>
            {move || state.with(|s| match s {
                Load::Ready(found) => paging(ui, &found.page, current(), focus_count),
                _ => None,
            })}
        </section>
    }
}

/// The field menu: every field of the catalogue with its size, plus the one in
/// the URL if the catalogue no longer has it (so the menu shows what is applied).
fn field_options(fields: Vec<FieldCount>, selected: Option<String>) -> impl IntoView {
    let mut options: Vec<(String, Option<u32>)> = fields.into_iter().map(|f| (f.name, Some(f.count))).collect();
    if let Some(s) = &selected
        && !options.iter().any(|(name, _)| name == s)
    {
        options.push((s.clone(), None));
    }
    options
        .into_iter()
        .map(|(name, count)| {
            let is_selected = selected.as_deref() == Some(name.as_str());
            let label = match count {
                Some(n) => format!("{name} ({n})"),
                None => name.clone(),
            };
            view! {
                <option value=name lang="vi" prop:selected=is_selected>
                    {label}
                </option>
            }
        })
        .collect_view()
}

/// "Tìm thấy 134 thủ tục. Trang 2 / 7." or "Loading…", read out by screen readers.
fn count_text(ui: Ui, state: &Load<Results>, loading: bool) -> String {
    if loading {
        return ui.t("status.loading").to_owned();
    }
    let Load::Ready(Results { page, .. }) = state else { return String::new() };
    let mut text = match page.total {
        0 => ui.t("search.count.none").to_owned(),
        1 => ui.t("search.count.one").to_owned(),
        n => fill(ui.t("search.count.other"), &[("count", &n.to_string())]),
    };
    let pages = page_count(page);
    if pages > 1 {
        text.push(' ');
        text.push_str(&fill(ui.t("search.page_of"), &[("page", &page.page.to_string()), ("pages", &pages.to_string())]));
    }
    text
}

fn page_count(page: &Page) -> u32 {
    page.total.div_ceil(page.per_page.max(1))
}

/// Previous / next links: real links, so they can be opened, shared or bookmarked.
fn paging(ui: Ui, page: &Page, params: SearchParams, focus_count: RwSignal<bool>) -> Option<impl IntoView + use<>> {
    let pages = page_count(page);
    if pages <= 1 {
        return None;
    }
    let href = |n: u32| format!("/{}", query_string(&SearchParams { page: n, ..params.clone() }));
    let previous = (page.page > 1).then(|| {
        view! {
            <a class="button" rel="prev" href=href(page.page - 1) on:click=move |_| focus_count.set(true)>
                {Icon::ArrowLeft.view()}
                <span>{ui.tr("paging.previous")}</span>
            </a>
        }
    });
    let next = (page.page < pages).then(|| {
        view! {
            <a class="button" rel="next" href=href(page.page + 1) on:click=move |_| focus_count.set(true)>
                <span>{ui.tr("paging.next")}</span>
                {Icon::ArrowRight.view()}
            </a>
        }
    });
    Some(view! {
        <nav class="paging" aria-label=ui.tr("paging.label")>
            {previous}
            {next}
        </nav>
    })
}
