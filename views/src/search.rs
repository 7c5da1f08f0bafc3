//! The catalogue search's pieces: the form (words and filters, a plain GET
//! form that works without JavaScript), the count, the results and the paging
//! links. The app drives them with signals and turns the form's submit into an
//! in-app navigation; the server renders them once from the request.

use crate::i18n::fill;
use crate::icon::Icon;
use crate::labels;
use crate::procedure_card::ProcedureCard;
use crate::ui::Ui;
use leptos::ev::{Event, SubmitEvent};
use leptos::html::{Form, Input, Select};
use leptos::prelude::*;
use motcua_shared::catalogue::{FieldCount, Level, OnlineLevel, ProcedureSummary, SearchPage as Page};
use motcua_shared::search::{SearchParams, query_string};

/// The app's handles on the form; the server passes `SearchHooks::default()`
/// (its handlers never run: the browser submits the form itself).
#[derive(Clone, Copy, Default)]
pub struct SearchHooks {
    pub form: NodeRef<Form>,
    pub q: NodeRef<Input>,
    pub field: NodeRef<Select>,
    pub level: NodeRef<Select>,
    pub online: NodeRef<Select>,
}

/// The search form. `current`: the search shown; `raw_q`: the words as typed
/// in the URL; `fields`: the field menu (every field with its size).
/// Attributes (`value`, `selected`) are what the server writes, properties
/// (`prop:`) what the app keeps in step after the citizen has changed them.
pub fn search_form(
    ui: Ui,
    current: Signal<SearchParams>,
    raw_q: Signal<String>,
    fields: Signal<Vec<FieldCount>>,
    hooks: SearchHooks,
    on_submit: impl FnMut(SubmitEvent) + 'static,
    on_filter: impl Fn(Event) + Copy + 'static,
) -> impl IntoView {
    view! {
        <form role="search" id="search-form" class="search" method="get" action="/" node_ref=hooks.form on:submit=on_submit>
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
                    value=raw_q
                    prop:value=raw_q
                    node_ref=hooks.q
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
                    <select id="filter-field" name="field" node_ref=hooks.field on:change=on_filter>
                        <option value="" selected=move || current.with(|c| c.field.is_none()) prop:selected=move || current.with(|c| c.field.is_none())>
                            {ui.tr("filter.field_all")}
                        </option>
                        {move || field_options(fields.get(), current.with(|c| c.field.clone()))}
                    </select>
                </div>
                <div class="filter">
                    <label for="filter-level">{ui.tr("filter.level")}</label>
                    <select id="filter-level" name="level" node_ref=hooks.level on:change=on_filter>
                        <option value="" selected=move || current.with(|c| c.level.is_none()) prop:selected=move || current.with(|c| c.level.is_none())>
                            {ui.tr("filter.level_all")}
                        </option>
                        {Level::ALL
                            .into_iter()
                            .map(|level| {
                                let on = move || current.with(|c| c.level == Some(level));
                                view! {
                                    <option value=level.as_str() selected=on prop:selected=on>
                                        {move || labels::level(ui, level)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="filter">
                    <label for="filter-online">{ui.tr("filter.online")}</label>
                    <select id="filter-online" name="online" node_ref=hooks.online on:change=on_filter>
                        <option value="" selected=move || current.with(|c| c.online.is_none()) prop:selected=move || current.with(|c| c.online.is_none())>
                            {ui.tr("filter.online_all")}
                        </option>
                        {OnlineLevel::ALL
                            .into_iter()
                            .map(|online| {
                                let on = move || current.with(|c| c.online == Some(online));
                                view! {
                                    <option value=online.as_str() selected=on prop:selected=on>
                                        {move || labels::online(ui, online)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </fieldset>
        </form>
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
                <option value=name lang="vi" selected=is_selected prop:selected=is_selected>
                    {label}
                </option>
            }
        })
        .collect_view()
}

/// "Tìm thấy 134 thủ tục. Trang 2 / 7.", read out by screen readers.
pub fn count_text(ui: Ui, page: &Page) -> String {
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

/// The results, one large link each.
pub fn result_cards(items: Vec<ProcedureSummary>) -> impl IntoView {
    items.into_iter().map(|procedure| view! { <ProcedureCard procedure /> }).collect_view()
}

/// Previous / next links: real links, so they can be opened, shared or
/// bookmarked, and followed without JavaScript. `on_follow` runs when the app
/// follows one (it moves the focus to the new count).
pub fn paging<F: Fn() + Copy + 'static>(ui: Ui, page: &Page, params: SearchParams, on_follow: F) -> Option<impl IntoView + use<F>> {
    let pages = page_count(page);
    if pages <= 1 {
        return None;
    }
    let href = |n: u32| format!("/{}", query_string(&SearchParams { page: n, ..params.clone() }));
    let previous = (page.page > 1).then(|| {
        view! {
            <a class="button" rel="prev" href=href(page.page - 1) on:click=move |_| on_follow()>
                {Icon::ArrowLeft.view()}
                <span>{ui.tr("paging.previous")}</span>
            </a>
        }
    });
    let next = (page.page < pages).then(|| {
        view! {
            <a class="button" rel="next" href=href(page.page + 1) on:click=move |_| on_follow()>
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

/// The results: a count read out when it changes, notices (the app's: kept
/// copy, no signal, an error), the cards and the paging links.
pub fn results_section(
    ui: Ui,
    count_ref: NodeRef<leptos::html::P>,
    busy: Signal<bool>,
    count: impl IntoView,
    notices: impl IntoView,
    cards: impl IntoView,
    paging: impl IntoView,
) -> impl IntoView {
    view! {
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="visually-hidden">
                {ui.tr("search.results")}
            </h2>
            <p id="result-count" class="result-count" role="status" aria-live="polite" tabindex="-1" node_ref=count_ref>
                {count}
            </p>
            {notices}
            <ul id="results" class="cards" aria-busy=move || if busy.get() { "true" } else { "false" }>
                {cards}
            </ul>
            {paging}
        </section>
    }
}

/// A search whose link names a bad parameter: which one, and a way out.
pub fn invalid_search(ui: Ui, error: motcua_shared::api_error::ApiError) -> impl IntoView {
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
}
