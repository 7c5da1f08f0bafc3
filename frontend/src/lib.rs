//! Một Cửa in the browser, rendered on the client (Leptos, CSR) and built by
//! trunk into `dist/`: two apps from one crate, so each downloads only its own
//! pages.
//! - the citizen's app (`src/main.rs`, `index.html`): search, procedure pages,
//!   the online form, receipt and tracking;
//! - the one-stop desk (`src/bin/desk.rs`, `desk.html`, served under `/desk`):
//!   sign-in, queue, dossier page and actions, intake at the counter.
//!
//! Layout as in Leptos's hackernews example: data access in `api`, one file per
//! page in `routes` (the desk's in `desk`), shared pieces in `components`. The
//! views the server's pages render too (and the strings) are in `views/`
//! (`motcua_views`); a page here adds what only the app does. The apps compile
//! only for wasm32.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

pub use motcua_views::i18n;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod desk;
#[cfg(target_arch = "wasm32")]
pub mod drafts;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod offline_index;
#[cfg(target_arch = "wasm32")]
pub mod photos;
#[cfg(target_arch = "wasm32")]
pub mod router;
#[cfg(target_arch = "wasm32")]
pub mod routes;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod takeover;

/// Mounts an app in place of the "Loading…" line index.html shows while the
/// WASM downloads over a slow link, or of the page the server drew (see
/// `takeover`), once the chosen language's strings are here (so the first
/// page is not drawn in Vietnamese, then again).
#[cfg(target_arch = "wasm32")]
pub fn mount<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: leptos::IntoView + 'static,
{
    // wasm-bindgen's own spawner: Leptos's executor starts only with the mount.
    wasm_bindgen_futures::spawn_local(async move {
        if takeover::server_page().is_some() {
            takeover::adopt_choices();
        }
        state::load_lang(state::saved_lang()).await;
        if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
            boot.remove();
        }
        // The server's page stays usable until the app's is drawn.
        let snapshot = takeover::server_page().map(takeover::take);
        leptos::mount::mount_to_body(app);
        if let Some(snapshot) = snapshot {
            snapshot.restore();
        }
    });
}

/// Keeps `value` (event listeners, timers) as long as the current component:
/// when it is unmounted, `value` is dropped, which removes the listeners and
/// clears the timers. One type-erased slot for every kind of value keeps the
/// WASM smaller than a `StoredValue` of each type.
#[cfg(target_arch = "wasm32")]
pub fn keep_while_mounted(value: impl std::any::Any) {
    #[inline(never)]
    fn keep(value: Box<dyn std::any::Any>) {
        leptos::prelude::StoredValue::new_local(value);
    }
    keep(Box::new(value))
}
