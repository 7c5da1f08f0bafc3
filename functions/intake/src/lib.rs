//! How a dossier enters the portal, whichever way it comes: the submission
//! component's `POST /api/dossiers` and `POST /api/intake` today, the
//! server's form pages (functions/pages) next. One rule, in one place.
//!
//! - `receipt`: the pure parts (the secret from the key, the fingerprint,
//!   the tracking link and its QR code), tested natively;
//! - `dossier`: the submission itself, in the component (wasm32).

pub mod receipt;

#[cfg(target_arch = "wasm32")]
mod dossier;
#[cfg(target_arch = "wasm32")]
pub use dossier::submit;
