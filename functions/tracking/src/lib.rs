//! Tracking component: a dossier's status and timeline, for whoever holds its
//! code and secret (the receipt's QR code carries both).
//!
//! Route (see spin.toml): `POST /api/dossiers/{code}/tracking` with
//! `{"secret": "…"}` — the secret travels in the body, never in a URL or a log.
//! A wrong secret gets exactly the answer an unknown code gets, and repeated
//! failures are slowed down per code and per client.

#[cfg(target_arch = "wasm32")]
mod handler;
