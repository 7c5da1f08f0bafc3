//! The top of every page: skip link, home link, language menu and text size;
//! and the footer.

use crate::components::icon::Icon;
use crate::i18n::{Lang, Review};
use crate::state::use_ui;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Header() -> impl IntoView {
    let ui = use_ui();
    let on_language = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::parse(&event_target_value(&ev)) {
            // Its strings first (fetched once), then the switch: no flash of half a language.
            leptos::task::spawn_local(async move {
                crate::state::load_lang(lang).await;
                ui.lang.set(lang);
            });
        }
    };
    // The router would treat "#main" as a navigation; move the focus ourselves.
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main" on:click=skip>
                {ui.tr("skip.main")}
            </a>
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-name">{ui.tr("app.name")}</span>
                    <span class="brand-tagline">{ui.tr("app.tagline")}</span>
                </a>
                <div class="tools">
                    <a id="track-link" class="tool track-link" href="/track">
                        {Icon::Search.view()}
                        <span>{ui.tr("track.link")}</span>
                    </a>
                    <div class="tool">
                        <label for="language-select">
                            {Icon::Globe.view()}
                            <span>{ui.tr("language.label")}</span>
                        </label>
                        <select id="language-select" on:change=on_language>
                            {move || ui.offered.get()
                                .into_iter()
                                .map(|lang| {
                                    view! {
                                        <option
                                            value=lang.code()
                                            lang=lang.code()
                                            prop:selected=move || ui.lang.get() == lang
                                        >
                                            {lang.name()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <button
                        id="text-size-toggle"
                        type="button"
                        class="tool toggle"
                        aria-pressed=move || if ui.large_text.get() { "true" } else { "false" }
                        on:click=move |_| ui.large_text.update(|on| *on = !*on)
                    >
                        {Icon::TextSize.view()}
                        <span>{ui.tr("text_size.label")}</span>
                    </button>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let ui = use_ui();
    view! {
        <footer class="site-footer">
            <p>{ui.tr("footer.note")}</p>
            <p>
                <a id="dashboard-link" class="footer-link" href="/dashboard">{ui.tr("footer.dashboard")}</a>
            </p>
            <Show when=move || ui.lang.get().meta().is_some_and(|m| m.review == Review::Draft)>
                <p class="draft-note">{ui.tr("footer.draft")}</p>
            </Show>
        </footer>
    }
}
