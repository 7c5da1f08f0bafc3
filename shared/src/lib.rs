//! What the browser and the Spin components must agree on: the shape of
//! procedure records, the search rules, the API's error bodies, the dossier
//! rules (code, lifecycle, working-day clock), form field checks and the
//! form descriptions (forms as data) with their answer check.
//! Everything here is plain Rust, so `cargo test -p motcua-shared` checks it
//! natively, and the same code is compiled into the WASM on both sides.

pub mod admin;
pub mod agency;
pub mod api_error;
pub mod app_paths;
pub mod catalogue;
pub mod catalogue_import;
pub mod consultations;
pub mod desk;
pub mod dossier;
pub mod forms;
pub mod languages;
pub mod ratings;
pub mod reports;
pub mod notify;
pub mod search;
pub mod text;
pub mod throttle;
pub mod tones;
pub mod validation;
