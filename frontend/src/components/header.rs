//! The app's header and footer (`motcua_views::frame`, which the server's
//! pages render too), with what only the app does: switching the language
//! and the text size at once, without reloading.

use crate::i18n::Lang;
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
    let text_size = move |_| ui.large_text.update(|on| *on = !*on);
    motcua_views::frame::header(ui, None, on_language, skip, text_size)
}

#[component]
pub fn Footer() -> impl IntoView {
    motcua_views::frame::footer(use_ui())
}
