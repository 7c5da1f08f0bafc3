//! What every page's views read: the chosen language and text size, and the
//! app's page-to-page state. Plain signals, so the same views render in the
//! browser (where `frontend/src/state.rs` keeps them in step with the device)
//! and on the server (where they are set once from the request).

use crate::i18n::{self, Lang};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    pub large_text: RwSignal<bool>,
    /// The new path after an in-app page change; that page's h1 takes the focus and clears it.
    pub focus_pending: RwSignal<Option<String>>,
    /// The query string of the last search ("" or "?q=…"), kept for the tab's life.
    pub last_search: RwSignal<String>,
    /// The languages the menu offers: those the province's translators have
    /// brought to 90% of the interface (`/locales/index.json`).
    pub offered: RwSignal<Vec<Lang>>,
}

impl Ui {
    pub fn new(lang: Lang, large_text: bool, last_search: String, offered: Vec<Lang>) -> Ui {
        Ui {
            lang: RwSignal::new(lang),
            large_text: RwSignal::new(large_text),
            focus_pending: RwSignal::new(None),
            last_search: RwSignal::new(last_search),
            offered: RwSignal::new(offered),
        }
    }

    /// The interface text for `key` in the chosen language (reactive inside closures).
    pub fn t(self, key: &'static str) -> &'static str {
        i18n::text(self.lang.get(), key)
    }

    /// The same as a view child or attribute that follows the language. One
    /// closure type for every text node keeps the WASM small (a `move ||`
    /// closure per call site would each get their own rendering code).
    pub fn tr(self, key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }
}

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}
