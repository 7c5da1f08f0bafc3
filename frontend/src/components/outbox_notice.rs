//! A line under the header on every citizen page while dossiers wait in the
//! device's outbox (or were refused), with a link to each one's page.

use crate::offline::{use_outbox, ItemState};
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn OutboxNotice() -> impl IntoView {
    let ui = use_ui();
    let outbox = use_outbox();
    let loc = crate::router::use_loc();
    // Only what the notice shows: each retry changes the items, not this.
    let shown = Memo::new(move |_| outbox.items.with(|items| items.iter().map(|i| (i.key.clone(), i.state)).collect::<Vec<_>>()));
    move || {
        let items = shown.get();
        // The queued receipt page says it all itself.
        if items.is_empty() || loc.path.with(|p| p.starts_with("/receipt/")) {
            return None;
        }
        let waiting = items.iter().filter(|(_, state)| *state == ItemState::Waiting).count();
        let refused = items.len() - waiting;
        let mut lines = Vec::new();
        if waiting > 0 {
            lines.push(crate::i18n::fill(ui.t("outbox.waiting"), &[("count", &waiting.to_string())]));
        }
        if refused > 0 {
            lines.push(crate::i18n::fill(ui.t("outbox.refused"), &[("count", &refused.to_string())]));
        }
        let links = items
            .into_iter()
            .enumerate()
            .map(|(n, (key, _))| {
                view! {
                    <li>
                        <a class="button" href=format!("/receipt/{key}")>
                            {ui.tr("outbox.view")} " " {n + 1}
                        </a>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section id="outbox" class="outbox" aria-label=move || ui.t("outbox.title")>
                <div role="status">{lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}</div>
                <ul class="outbox-links">{links}</ul>
            </section>
        })
    }
}
