//! `/`: the catalogue search. The search lives in the URL (`/?q=khai+sinh&level=commune`),
//! read and written with the shared `SearchParams`, so reloading or sharing the
//! link shows the same results. An empty query lists the whole catalogue.
//! With no signal the search runs in the copy kept on the device (`offline_index`),
//! and says so.

use crate::api::{FetchError, Load, loader, query_string};
use crate::components::load_error::LoadError;
use crate::components::page_heading::PageHeading;
use crate::offline_index::{self, Results};
use crate::state::{Ui, use_ui};
use leptos::html::Select;
use leptos::prelude::*;
use motcua_shared::catalogue::{FieldCount, Level, OnlineLevel};
use motcua_views::search::{SearchHooks, invalid_search, paging, result_cards, results_section, search_form};
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

    let current = move || params.get().unwrap_or_default();
    let raw_q = move || query.with(|q| q.iter().find(|(k, _)| k == "q").map(|(_, v)| v.clone())).unwrap_or_default();
    let loading = move || params.with(Result::is_ok) && state.with(|s| matches!(s, Load::Loading));

    let hooks = SearchHooks::default();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let selected = |select: NodeRef<Select>| select.get().map(|s| s.value()).filter(|v| !v.is_empty());
        let current = params.get_untracked().unwrap_or_default();
        let next = SearchParams {
            q: hooks.q.get().map(|i| i.value().trim().to_owned()).unwrap_or_default(),
            field: selected(hooks.field),
            level: selected(hooks.level).and_then(|v| Level::parse(&v)),
            online: selected(hooks.online).and_then(|v| OnlineLevel::parse(&v)),
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
        if let Some(form) = hooks.form.get() {
            let _ = form.request_submit();
        }
    };

    view! {
        <PageHeading text=Signal::derive(move || ui.t("search.title").to_owned()) />
        {search_form(ui, Signal::derive(current), Signal::derive(raw_q), fields.into(), hooks, on_submit, apply)}

        {move || params.with(|p| p.as_ref().err().cloned()).map(|error| invalid_search(ui, error))}

        {results_section(
            ui,
            count_ref,
            Signal::derive(loading),
            move || {
                let loading = loading();
                state.with(|s| count_text(ui, s, loading))
            },
            view! {
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
            },
            move || {
                result_cards(state.with(|s| match s {
                    Load::Ready(found) => found.page.items.clone(),
                    _ => Vec::new(),
                }))
            },
            move || state.with(|s| match s {
                Load::Ready(found) => paging(ui, &found.page, current(), move || focus_count.set(true)),
                _ => None,
            }),
        )}
    }
}

/// The count, or "Loading…", read out by screen readers.
fn count_text(ui: Ui, state: &Load<Results>, loading: bool) -> String {
    if loading {
        return ui.t("status.loading").to_owned();
    }
    match state {
        Load::Ready(Results { page, .. }) => motcua_views::search::count_text(ui, page),
        _ => String::new(),
    }
}
