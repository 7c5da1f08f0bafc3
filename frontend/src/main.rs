//! Một Cửa in the browser: catalogue search and procedure pages, rendered on
//! the client (Leptos, CSR) and built by trunk into `dist/`.
//!
//! Layout as in Leptos's hackernews example: data access in `api`, one file per
//! page in `routes`, shared pieces in `components`. The app compiles only for
//! wasm32; on the host only `i18n` (and its tests) is built.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod i18n;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod routes;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod drafts;
#[cfg(target_arch = "wasm32")]
mod router;

#[cfg(target_arch = "wasm32")]
fn main() {
    // index.html shows a "Loading…" line while this file downloads over a slow link.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("motcua-frontend runs in the browser: build it with `cd frontend && trunk build --release`");
}
