//! The citizens' voice component: reports with public answers, and
//! consultation on drafts.
//!
//! Routes (see spin.toml):
//! - `POST /api/reports`: send a report (idempotent by key); the code and secret
//! - `GET /api/reports?q=&agency=&status=&before=`: the published reports, newest first
//! - `GET /api/reports/agencies`: the agencies a report may be addressed to
//! - `GET /api/reports/{code}`: one published report
//! - `POST /api/reports/{code}/holder`: the holder's view, with the secret
//! - `POST /api/reports/{code}/rating`: the holder rates the answer, once
//! - `GET /api/reports/desk?list=open|moderation|answered&page=`: the agency's reports
//! - `GET /api/reports/desk/{code}`, `POST …/answer`, `POST …/route` (a
//!   supervisor re-routes), `POST …/publication` (a supervisor publishes or withholds)
//! - `GET|POST /api/consultations`: the drafts out for comment; a supervisor publishes one
//! - `GET /api/consultations/{id}`: a draft, its published comments and response
//! - `POST /api/consultations/{id}/comments`: a citizen's comment (moderated)
//! - `POST /api/consultations/{id}/paper-comments`: an officer enters one said elsewhere
//! - `GET /api/consultations/desk/comments`, `POST …/comments/{id}`: moderation
//! - `POST /api/consultations/{id}/response`: the response report, once closed
//!
//! The rules (checks, codes, redaction, phases) are `motcua_shared::reports`
//! and `motcua_shared::consultations`; the SQL is `dossier_store`.

#[cfg(target_arch = "wasm32")]
mod consultations;
#[cfg(target_arch = "wasm32")]
mod handler;
#[cfg(target_arch = "wasm32")]
mod reports;
