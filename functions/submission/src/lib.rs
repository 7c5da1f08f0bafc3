//! Submission component: the online form of a procedure, and dossier
//! submission with a receipt.
//!
//! Routes (see spin.toml):
//! - `GET /api/forms/{procedure code}`: the form description (data, from `forms/`)
//! - `POST /api/dossiers`: validate the answers again, store the dossier, return the receipt
//! - `POST /api/uploads`: one photo or PDF (raw body), checked by its bytes; answers its id
//! - `POST /api/intake`: a dossier an officer enters for a citizen at the counter

pub mod forms;
pub mod receipt;

#[cfg(target_arch = "wasm32")]
mod handler;
