//! The pages component: the citizen's pages as server-rendered HTML.
//!
//! Every browser gets a page it can use at once, before (and without) the
//! WebAssembly app: plain links and GET forms, in the chosen language and
//! text size. The views are the app's own (`motcua_views`), rendered by
//! Leptos's server renderer; the page around them is the app's own shell
//! (`frontend/dist/index.html`, with its stylesheet and loader), so a browser
//! that can run the app loads it, and the app takes the page over
//! (`frontend/src/lib.rs`, `mount`).
//!
//! Pure parts here, tested natively: the choice of language and text size,
//! the document around a page, the pages themselves. `handler.rs` reads the
//! request and the database.

pub mod document;
pub mod form_post;
pub mod multipart;
pub mod pages;
pub mod prefs;

#[cfg(target_arch = "wasm32")]
mod apply;
#[cfg(target_arch = "wasm32")]
mod handler;
#[cfg(target_arch = "wasm32")]
mod voice;
