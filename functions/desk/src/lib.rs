//! Desk component: the one-stop desk (bộ phận một cửa).
//!
//! Routes (see spin.toml), all under `/api/desk`:
//! - `POST /admin/officers`: create an officer account (administrator token; see `scripts/officer`)
//! - `POST /session`, `DELETE /session`, `GET /me`: sign in and out (an HttpOnly, SameSite cookie)
//! - `GET /dossiers?filter=new|due_soon|overdue|waiting|open`: the agency's queue;
//!   `GET /dossiers?q=…`: its dossiers found by code, citizen's name, ID number or phone
//! - `GET /dossiers/{code}`: answers, history and the actions allowed now
//! - `POST /dossiers/{code}/actions`: an action along the lifecycle, recorded in the audit trail
//!
//! An officer sees only the dossiers of their own agency; another agency's
//! dossier is answered as unknown.

#[cfg(target_arch = "wasm32")]
mod handler;

