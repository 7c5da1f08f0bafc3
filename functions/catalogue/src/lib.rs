//! Catalogue component: search the procedures a province offers and read one
//! procedure's full record.
//!
//! Routes (see spin.toml):
//! - `GET /api/procedures?q=&field=&level=&online=&page=&per_page=`: ranked search
//! - `GET /api/procedures/{code}`: the full record

#[cfg(target_arch = "wasm32")]
mod handler;
