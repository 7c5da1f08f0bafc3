//! Admin component: what a province's administrator publishes, at run time.
//!
//! Routes (see spin.toml), all under `/api/admin`, for the operator's token
//! (`Authorization: Bearer`, as `scripts/catalogue` sends it) or a signed-in
//! officer with the administrator role (the desk's `/desk/admin`):
//! - `GET /catalogue/imports`: the imports, newest first
//! - `POST /catalogue/imports`: start an import (a draft version)
//! - `POST /catalogue/imports/{id}/records`: a batch of records, checked one by one
//! - `GET /catalogue/imports/{id}`: the preview (new, changed, withdrawn, problems)
//! - `POST /catalogue/imports/{id}/publish`: replace the published catalogue
//! - `GET /calendar`, `PUT /calendar/{year}`: the days off and make-up working days of a year
//! - `GET /audit?before=`: every change, newest first

#[cfg(target_arch = "wasm32")]
mod handler;
