//! Taking over a page the server drew (`functions/pages`): the server's HTML
//! is the first paint and can be used at once, so the citizen may already
//! have typed or chosen something, or moved the focus, by the time the app
//! has started. The app takes the page's language and text size (chosen in
//! the server page's own form), then draws its page in place of the server's
//! and carries over what was typed and where the focus was.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// What the citizen did on the server's page before the app was ready.
pub struct Snapshot {
    /// Fields whose value differs from what the server wrote, by id.
    changed: Vec<(String, Changed)>,
    focused: Option<String>,
}

enum Changed {
    Value(String),
    Checked(bool),
}

/// The server's page, if this is one.
pub fn server_page() -> Option<Element> {
    leptos::prelude::document().get_element_by_id("server-page")
}

/// The server page's language and size become the device's choice (the
/// boot script left `<html>` as the server wrote it), when the server had
/// one to follow: a device that chose before the cookie existed keeps its
/// choice (the server drew it a Vietnamese page).
pub fn adopt_choices() {
    let cookie = leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>().ok().and_then(|d| d.cookie().ok()).unwrap_or_default();
    if !cookie.split(';').any(|c| c.trim_start().starts_with("motcua_prefs=")) {
        return;
    }
    let root = leptos::prelude::document().document_element();
    let storage = leptos::prelude::window().local_storage().ok().flatten();
    if let (Some(root), Some(storage)) = (root, storage) {
        if let Some(lang) = root.get_attribute("lang") {
            // The version kept is another language's: the app asks the index.
            if storage.get_item("motcua.lang").ok().flatten().as_deref() != Some(lang.as_str()) {
                let _ = storage.remove_item("motcua.lang.v");
            }
            let _ = storage.set_item("motcua.lang", &lang);
        }
        let large = root.class_list().contains("large-text");
        let _ = storage.set_item("motcua.large", if large { "1" } else { "0" });
    }
}

/// Reads the fields and the focus, then removes the server's page.
pub fn take(page: Element) -> Snapshot {
    let mut changed = Vec::new();
    if let Ok(fields) = page.query_selector_all("input[id], textarea[id], select[id]") {
        for i in 0..fields.length() {
            let Some(node) = fields.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                let kind = input.type_();
                if kind == "hidden" || kind == "file" {
                    continue;
                }
                if kind == "checkbox" || kind == "radio" {
                    if input.checked() != input.default_checked() {
                        changed.push((input.id(), Changed::Checked(input.checked())));
                    }
                } else if input.value() != input.default_value() {
                    changed.push((input.id(), Changed::Value(input.value())));
                }
            } else if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
                if Ok(area.value()) != area.default_value() {
                    changed.push((area.id(), Changed::Value(area.value())));
                }
            } else if let Some(select) = node.dyn_ref::<HtmlSelectElement>() {
                let chosen = select.selected_options();
                let default = (0..select.length())
                    .filter_map(|i| select.item(i))
                    .filter_map(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                    .find(|o| o.default_selected())
                    .map(|o| o.value());
                if chosen.length() > 0 && Some(select.value()) != default {
                    changed.push((select.id(), Changed::Value(select.value())));
                }
            }
        }
    }
    let focused = leptos::prelude::document()
        .active_element()
        .filter(|e| page.contains(Some(e)))
        .map(|e| e.id())
        .filter(|id| !id.is_empty());
    page.remove();
    Snapshot { changed, focused }
}

impl Snapshot {
    /// Puts the values into the app's fields of the same ids (as if typed,
    /// so the app's signals hear of them) and the focus back.
    pub fn restore(self) {
        let doc = leptos::prelude::document();
        for (id, value) in self.changed {
            let Some(el) = doc.get_element_by_id(&id) else { continue };
            match (&value, el.dyn_ref::<HtmlInputElement>(), el.dyn_ref::<HtmlTextAreaElement>(), el.dyn_ref::<HtmlSelectElement>()) {
                (Changed::Checked(on), Some(input), _, _) => input.set_checked(*on),
                (Changed::Value(v), Some(input), _, _) => input.set_value(v),
                (Changed::Value(v), _, Some(area), _) => area.set_value(v),
                (Changed::Value(v), _, _, Some(select)) => select.set_value(v),
                _ => continue,
            }
            for kind in ["input", "change"] {
                if let Ok(event) = web_sys::Event::new_with_event_init_dict(kind, &{
                    let init = web_sys::EventInit::new();
                    init.set_bubbles(true);
                    init
                }) {
                    let _ = el.dispatch_event(&event);
                }
            }
        }
        if let Some(el) = self.focused.and_then(|id| doc.get_element_by_id(&id))
            && let Some(el) = el.dyn_ref::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    }
}
