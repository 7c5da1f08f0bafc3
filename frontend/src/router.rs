//! A minimal client-side router on the History API: the current path and
//! query as signals, same-origin link clicks turned into `pushState`, and the
//! back button followed through `popstate`.
//!
//! Hand-written rather than leptos_router on purpose: measured on this app,
//! leptos_router added about 30 KB gzip to the WASM (81 KB for an app with two
//! routes against 20 KB without), and the first visit over 2G/3G is the budget
//! that matters most (see BENCHMARKS.md). The portal's routes are flat, so a
//! path match in `app.rs` is all the routing it needs.
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use motcua_shared::app_paths::{shell_for, Shell};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[derive(Clone, Copy)]
pub struct Loc {
    pub path: Memo<String>,
    pub search: Memo<String>,
    url: RwSignal<(String, String)>,
    /// The app this page runs; paths of the other apps load their own page.
    shell: Shell,
}

fn current() -> (String, String) {
    let l = window().location();
    (
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default(),
    )
}

pub fn provide(shell: Shell) -> Loc {
    let url = RwSignal::new(current());
    let path = Memo::new(move |_| url.with(|u| u.0.clone()));
    let search = Memo::new(move |_| url.with(|u| u.1.clone()));
    let on_pop = EventListener::new(&window(), "popstate", move |_| url.set(current()));
    // Not passive (gloo's default): a link the app follows itself must not load a page.
    let on_click = EventListener::new_with_options(&document(), "click", EventListenerOptions::enable_prevent_default(), move |ev| {
        let ev: &web_sys::MouseEvent = ev.unchecked_ref();
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Ok(Some(a)) = target.closest("a[href]") else {
            return;
        };
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        if !a.target().is_empty() || a.origin() != window().location().origin().unwrap_or_default()
        {
            return;
        }
        let href = a.get_attribute("href").unwrap_or_default();
        // Another app's page: the browser loads it (see motcua_shared::app_paths).
        if href.starts_with('#') || shell_for(&a.pathname()) != shell {
            return;
        }
        ev.prevent_default();
        go(url, &format!("{}{}{}", a.pathname(), a.search(), a.hash()));
    });
    // Owned by the app's frame: removed (and freed) if it is ever unmounted.
    crate::keep_while_mounted([on_pop, on_click]);
    let loc = Loc { path, search, url, shell };
    provide_context(loc);
    loc
}

fn go(url: RwSignal<(String, String)>, to: &str) {
    let _ = window()
        .history()
        .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(to)));
    url.set(current());
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// One non-empty path segment, percent-decoded.
pub fn segment(s: &str) -> Option<String> {
    if s.is_empty() || s.contains('/') {
        return None;
    }
    js_sys::decode_uri_component(s).ok().and_then(|d| d.as_string())
}

pub fn use_loc() -> Loc {
    expect_context()
}
impl Loc {
    pub fn navigate(self, to: &str) {
        let path = to.split(['?', '#']).next().unwrap_or(to);
        if shell_for(path) == self.shell {
            go(self.url, to)
        } else {
            let _ = window().location().assign(to);
        }
    }
    /// Like `navigate`, but the page replaces this one in the history (Back
    /// skips it): a queued receipt that became a real one.
    pub fn replace(self, to: &str) {
        let _ = window().history().and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(to)));
        self.url.set(current());
    }
    pub fn query_pairs(self) -> Memo<Vec<(String, String)>> {
        Memo::new(move |_| {
            let s = self.search.get();
            let Ok(p) = web_sys::UrlSearchParams::new_with_str(&s) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            let it = js_sys::try_iter(&p).ok().flatten();
            if let Some(it) = it {
                for e in it.flatten() {
                    let a: js_sys::Array = e.unchecked_into();
                    out.push((
                        a.get(0).as_string().unwrap_or_default(),
                        a.get(1).as_string().unwrap_or_default(),
                    ));
                }
            }
            out
        })
    }
}
