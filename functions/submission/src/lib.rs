//! Submission component: the online form of a procedure, and dossier
//! submission with a receipt.
//!
//! Routes (see spin.toml):
//! - `GET /api/forms`, `GET /api/forms/{procedure code}[/versions/{n}]`: the
//!   published forms, as the administrator published them (province-store)
//! - `POST /api/dossiers`: validate the answers again, store the dossier, return the receipt
//! - `POST /api/uploads`: one photo or PDF (raw body), checked by its bytes; answers its id
//! - `POST /api/intake`: a dossier an officer enters for a citizen at the counter

// The rule for storing a dossier and its receipt is `intake`'s, shared with
// the server's form pages.

#[cfg(target_arch = "wasm32")]
mod handler;
