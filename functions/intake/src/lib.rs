//! How a dossier, a report or a comment enters the portal, whichever way it
//! comes: the JSON routes of the submission and voice components, and the
//! server's pages (functions/pages) for browsers without JavaScript. One
//! rule, in one place.
//!
//! - `receipt`: the pure parts (the secret from the key, the fingerprint,
//!   the tracking link and its QR code), tested natively;
//! - `dossier`: the submission itself, in the component (wasm32);
//! - `report` and `comment`: a citizen's report and its holder, a comment
//!   on a consultation;
//! - `public`: what the public reads of them (published reports, consultations).

pub mod receipt;

#[cfg(target_arch = "wasm32")]
pub mod comment;
#[cfg(target_arch = "wasm32")]
mod dossier;
#[cfg(target_arch = "wasm32")]
pub mod public;
#[cfg(target_arch = "wasm32")]
pub mod report;
#[cfg(target_arch = "wasm32")]
pub use dossier::submit;
