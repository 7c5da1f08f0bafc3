//! What every page shares: the chosen language and text size (remembered on
//! the device), the last search (for the detail page's back link) and the
//! focus hand-over after a page change.

use crate::i18n::{self, Lang};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const LANG_KEY: &str = "motcua.lang";
const LARGE_KEY: &str = "motcua.large";
const SEARCH_KEY: &str = "motcua.search";

pub use motcua_views::ui::{Ui, use_ui};

/// Reads the saved choices (`boot.js`, inlined in the shells, has already
/// applied them to `<html>` before the first paint) and keeps `<html>` and
/// storage in step with them.
pub fn provide_ui() -> Ui {
    let saved_large = local_storage().and_then(|s| s.get_item(LARGE_KEY).ok().flatten());
    let saved_search = session_storage().and_then(|s| s.get_item(SEARCH_KEY).ok().flatten());
    let lang = saved_lang();
    // Until the index comes (or with no signal and none kept): the choice already made.
    let offered = if lang == Lang::Vi { vec![Lang::Vi] } else { vec![Lang::Vi, lang] };
    let ui = Ui::new(lang, saved_large.as_deref() == Some("1"), saved_search.unwrap_or_default(), offered);
    let root = document().document_element();
    Effect::new(move |_| {
        let lang = ui.lang.get();
        let code = lang.code();
        if let Some(font) = lang.font() {
            load_font(font);
        }
        if let Some(root) = &root {
            let _ = root.set_attribute("lang", code);
        }
        if let Some(s) = local_storage() {
            let _ = s.set_item(LANG_KEY, code);
            remember_version(&s, lang);
        }
    });
    let root = document().document_element();
    Effect::new(move |_| {
        let large = ui.large_text.get();
        if let Some(root) = &root {
            let _ = root.class_list().toggle_with_force("large-text", large);
        }
        if let Some(s) = local_storage() {
            let _ = s.set_item(LARGE_KEY, if large { "1" } else { "0" });
        }
    });
    // The server's pages read the same choice from a cookie (`functions/pages`,
    // `prefs.rs`): a page drawn before the app starts, or in a browser
    // without JavaScript later, is in the language and size chosen here.
    Effect::new(move |_| {
        let cookie = format!(
            "motcua_prefs={}.{}; path=/; max-age=31536000; samesite=lax",
            ui.lang.get().code(),
            if ui.large_text.get() { 1 } else { 0 }
        );
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&cookie);
        }
    });
    Effect::new(move |_| {
        let search = ui.last_search.get();
        if let Some(s) = session_storage() {
            let _ = s.set_item(SEARCH_KEY, &search);
        }
    });
    provide_context(ui);
    ui
}

/// The language chosen on this device (Vietnamese if none).
pub fn saved_lang() -> Lang {
    local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten()).as_deref().and_then(Lang::parse).unwrap_or(Lang::Vi)
}

/// Fetches a language's strings once (`/locales/<code>.json`, which the HTML
/// shell has already started to preload). If they cannot be had (no signal,
/// never kept), the pages show in Vietnamese.
pub async fn load_lang(lang: Lang) {
    if i18n::is_loaded(lang) {
        return;
    }
    if let Ok(json) = crate::api::get_text(&locale_url(lang)).await {
        i18n::install(lang, &json);
    }
}

thread_local! {
    /// Each language's published version, from `/locales/index.json`.
    static VERSIONS: std::cell::RefCell<Vec<(Lang, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The language file's address with its published version (`?v=`): a new
/// publication is a new address, so neither the browser nor the service
/// worker serves the old one. Before the index is here, the version this
/// device last saw (the one boot.js preloads, `motcua.lang.v`).
fn locale_url(lang: Lang) -> String {
    let known = VERSIONS.with(|v| v.borrow().iter().find(|(l, _)| *l == lang).map(|(_, v)| *v));
    let saved = || {
        (saved_lang() == lang).then(|| local_storage().and_then(|s| s.get_item(LANG_VERSION_KEY).ok().flatten())).flatten().and_then(|v| v.parse().ok())
    };
    match known.or_else(saved) {
        Some(v) => format!("/locales/{}.json?v={v}", lang.code()),
        None => format!("/locales/{}.json", lang.code()),
    }
}

const LANG_VERSION_KEY: &str = "motcua.lang.v";

/// Keeps the version of `lang`'s file this page asks for: what boot.js
/// preloads next time (nothing for Vietnamese, which is built in).
fn remember_version(s: &web_sys::Storage, lang: Lang) {
    let version = VERSIONS.with(|v| v.borrow().iter().find(|(l, _)| *l == lang).map(|(_, v)| *v));
    match (lang, version) {
        (Lang::Vi, _) => {
            let _ = s.remove_item(LANG_VERSION_KEY);
        }
        (_, Some(v)) => {
            let _ = s.set_item(LANG_VERSION_KEY, &v.to_string());
        }
        // Not known yet (the index is on its way, or this is the desk): as it was.
        (_, None) => {}
    }
}

/// Builds the menu from `/locales/index.json`. A language chosen on this
/// device that is no longer offered gives way to Vietnamese.
pub async fn load_offered(ui: Ui) {
    // Only the fields the menu needs (`shared::languages::LocaleEntry` has
    // more): a smaller parser in the first visit's bundle.
    #[derive(serde::Deserialize)]
    struct Entry {
        code: String,
        version: u32,
        offered: bool,
    }
    #[derive(serde::Deserialize)]
    struct Index {
        languages: Vec<Entry>,
    }
    let Ok(index) = crate::api::get_json::<Index>("/locales/index.json").await else { return };
    let offered: Vec<Lang> = index.languages.iter().filter(|e| e.offered).filter_map(|e| Lang::parse(&e.code)).collect();
    if offered.is_empty() {
        return;
    }
    VERSIONS.with(|v| *v.borrow_mut() = index.languages.iter().filter_map(|e| Some((Lang::parse(&e.code)?, e.version))).collect());
    if !offered.contains(&ui.lang.get_untracked()) {
        ui.lang.set(Lang::Vi);
    }
    if let Some(s) = local_storage() {
        remember_version(&s, ui.lang.get_untracked());
    }
    ui.offered.set(offered);
}

// Storage can be missing or throw (private mode, kiosk lockdown): then nothing is remembered.
// web-sys rather than gloo-storage: gloo-storage writes every value as JSON
// (`"vi"` with its quotes) while boot.js reads these keys as plain strings
// before the first paint, and it throws where storage is refused (see
// `drafts::storage`).
fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Adds the stylesheet of a script's web font once (`/fonts/<name>.css`, its
/// `@font-face` and the rule that uses it for that language only), so only
/// people who choose Thái or Khmer download those fonts.
fn load_font(name: &str) {
    let id = format!("font-{name}");
    let doc = document();
    if doc.get_element_by_id(&id).is_some() {
        return;
    }
    if let (Ok(link), Some(head)) = (doc.create_element("link"), doc.head()) {
        let _ = link.set_attribute("id", &id);
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", &format!("/fonts/{name}.css"));
        let _ = head.append_child(&link);
    }
}
