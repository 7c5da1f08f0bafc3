//! The top of every citizen page (skip link, home link, tracking link,
//! language menu and text size) and the footer.
//!
//! The language menu and the text-size switch sit in a GET form: without
//! JavaScript, "Apply" and the switch reload the page in the new language or
//! size (the pages component remembers the choice in a cookie); the app
//! instead changes them at once, and the form is never submitted.

use crate::i18n::Review;
use crate::icon::Icon;
use crate::ui::Ui;
use leptos::ev::{Event, MouseEvent};
use leptos::prelude::*;

/// What a server-rendered header needs and the app's does not: the query of
/// the page (kept as hidden fields, so switching the language keeps the
/// search), and the "Apply" button a select needs without JavaScript.
#[derive(Clone, Default)]
pub struct ServerPage {
    pub query: Vec<(String, String)>,
}

pub fn header(
    ui: Ui,
    server: Option<ServerPage>,
    on_language: impl FnMut(Event) + 'static,
    on_skip: impl FnMut(MouseEvent) + 'static,
    on_text_size: impl FnMut(MouseEvent) + 'static,
) -> impl IntoView {
    let is_server = server.is_some();
    let kept = server
        .map(|s| s.query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "lang" && k != "large")
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    let apply = is_server.then(|| {
        view! {
            <button id="language-apply" type="submit" class="tool">
                {ui.tr("language.apply")}
            </button>
        }
    });
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main" on:click=on_skip>
                {ui.tr("skip.main")}
            </a>
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-name">{ui.tr("app.name")}</span>
                    <span class="brand-tagline">{ui.tr("app.tagline")}</span>
                </a>
                <form class="tools" method="get">
                    {kept}
                    <a id="track-link" class="tool track-link" href="/track">
                        {Icon::Search.view()}
                        <span>{ui.tr("track.link")}</span>
                    </a>
                    <div class="tool">
                        <label for="language-select">
                            {Icon::Globe.view()}
                            <span>{ui.tr("language.label")}</span>
                        </label>
                        <select id="language-select" name="lang" on:change=on_language>
                            {move || ui.offered.get()
                                .into_iter()
                                .map(|lang| {
                                    let on = move || ui.lang.get() == lang;
                                    view! {
                                        <option value=lang.code() lang=lang.code() selected=on prop:selected=on>
                                            {lang.name()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        {apply}
                    </div>
                    <button
                        id="text-size-toggle"
                        type=if is_server { "submit" } else { "button" }
                        name="large"
                        value=move || if ui.large_text.get() { "0" } else { "1" }
                        class="tool toggle"
                        aria-pressed=move || if ui.large_text.get() { "true" } else { "false" }
                        on:click=on_text_size
                    >
                        {Icon::TextSize.view()}
                        <span>{ui.tr("text_size.label")}</span>
                    </button>
                </form>
            </div>
        </header>
    }
}

pub fn footer(ui: Ui) -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{ui.tr("footer.note")}</p>
            <p>
                <a id="reports-link" class="footer-link" href="/reports">{ui.tr("footer.reports")}</a>
                " · "
                <a id="consultations-link" class="footer-link" href="/consultations">{ui.tr("footer.consultations")}</a>
                " · "
                <a id="dashboard-link" class="footer-link" href="/dashboard">{ui.tr("footer.dashboard")}</a>
                " · "
                <a id="accessibility-link" class="footer-link" href="/accessibility">{ui.tr("footer.accessibility")}</a>
            </p>
            <Show when=move || ui.lang.get().meta().is_some_and(|m| m.review == Review::Draft)>
                <p class="draft-note">{ui.tr("footer.draft")}</p>
            </Show>
        </footer>
    }
}
