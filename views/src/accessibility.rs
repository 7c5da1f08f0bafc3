//! `/accessibility`: the accessibility statement. What the portal aims at
//! (WCAG 2.2 AA), what is known not to work, and how to report a problem.
//! The app shows it and the server renders it, from this one view.

use crate::ui::Ui;
use leptos::prelude::*;

pub fn statement(ui: Ui) -> impl IntoView {
    view! {
        <p>{ui.tr("a11y.intro")}</p>
        <section id="a11y-works" class="fact" aria-labelledby="a11y-works-heading">
            <h2 id="a11y-works-heading">{ui.tr("a11y.works.title")}</h2>
            <ul>
                <li>{ui.tr("a11y.works.keyboard")}</li>
                <li>{ui.tr("a11y.works.text")}</li>
                <li>{ui.tr("a11y.works.no_js")}</li>
                <li>{ui.tr("a11y.works.languages")}</li>
                <li>{ui.tr("a11y.works.offline")}</li>
            </ul>
        </section>
        <section id="a11y-known" class="fact" aria-labelledby="a11y-known-heading">
            <h2 id="a11y-known-heading">{ui.tr("a11y.known.title")}</h2>
            <ul>
                <li>{ui.tr("a11y.known.records")}</li>
                <li>{ui.tr("a11y.known.drafts")}</li>
                <li>{ui.tr("a11y.known.no_js")}</li>
            </ul>
        </section>
        <section id="a11y-report" class="fact" aria-labelledby="a11y-report-heading">
            <h2 id="a11y-report-heading">{ui.tr("a11y.report.title")}</h2>
            <p>{ui.tr("a11y.report.body")}</p>
            <p>{ui.tr("a11y.report.answer")}</p>
        </section>
        <p class="source">{ui.tr("a11y.prepared")}</p>
    }
}
