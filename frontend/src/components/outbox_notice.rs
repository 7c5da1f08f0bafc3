//! A line under the header on every citizen page while dossiers wait in the
//! device's outbox (or were refused), with a link to each one's page.

use crate::api::{self, loader, Load};
use crate::offline::{use_outbox, ItemState};
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn OutboxNotice() -> impl IntoView {
    let ui = use_ui();
    let outbox = use_outbox();
    let loc = crate::router::use_loc();
    // Only what the notice shows: each retry changes the items, not this.
    let shown = Memo::new(move |_| {
        outbox.items.with(|items| items.iter().map(|i| (i.key.clone(), i.procedure_code.clone(), i.state, i.kind)).collect::<Vec<_>>())
    });
    move || {
        let items = shown.get();
        // The queued receipt page says it all itself.
        if items.is_empty() || loc.path.with(|p| p.starts_with("/receipt/")) {
            return None;
        }
        let waiting = items.iter().filter(|(_, _, state, _)| *state == ItemState::Waiting).count();
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
            .map(|(key, code, _, kind)| {
                // A report waits on its own page, which lists the device's reports.
                if kind == crate::offline::ItemKind::Report {
                    return view! {
                        <li><a class="button" href="/reports">{ui.tr("outbox.view")} ": " {ui.tr("report.queued_title")}</a></li>
                    }
                    .into_any();
                }
                view! {
                    <li>
                        <a class="button" href=format!("/receipt/{key}")>
                            {ui.tr("outbox.view")} ": " <ProcedureTitle code />
                        </a>
                    </li>
                }
                .into_any()
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

/// The procedure's name, from its form (kept on the device with the forms);
/// its code until then.
#[component]
fn ProcedureTitle(code: String) -> impl IntoView {
    let shown = code.clone();
    let (form, _) = loader(move || Some(code.clone()), |code: String| async move { api::form(&code).await });
    move || form.with(|f| match f {
        Load::Ready(spec) => view! { <span lang="vi">{spec.title_vi.clone()}</span> }.into_any(),
        _ => view! { <span>{shown.clone()}</span> }.into_any(),
    })
}
