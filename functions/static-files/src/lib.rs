//! Static files component: serves the built browser app from the component's
//! `files` mount. Spin's usual file server is downloaded from GitHub at build
//! time, which our machines cannot reach, so the portal carries its own.
//!
//! - content types by extension;
//! - precompressed `.br` / `.gz` siblings when the browser accepts them;
//! - immutable caching for hashed names, revalidation (ETag) for the rest;
//! - client routes (no file extension) fall back to `index.html`.

pub mod rules;

#[cfg(target_arch = "wasm32")]
mod handler;
