//! The province administrator's area: the audit trail of every change made
//! to what the province publishes (imports, forms, agencies, officers,
//! calendar).

use serde::{Deserialize, Serialize};

/// One change: who, when, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChange {
    pub id: u64,
    /// `YYYY-MM-DDTHH:MM:SS+07:00`.
    pub at: String,
    /// The administrator's username, or `token` for the operator's script.
    pub actor: String,
    /// What was done, e.g. `catalogue.publish`, `officer.create`.
    pub action: String,
    /// What it was done to: an import id, a procedure code, a username, a year.
    pub subject: String,
    /// A short summary in words (never a password or personal data).
    pub detail: String,
}
