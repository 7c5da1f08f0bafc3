//! The one error type every handler returns: `http_kit::Result<T>`, with `?`
//! on API errors, database errors and throttles alike.
//!
//! What the client reads is decided here, once: an [`ApiError`] goes out as
//! it is; a throttle is a 429 with `Retry-After`; a busy database is a 503
//! with `Retry-After` (overload is never a 500); anything else is logged for
//! the operator (never with personal data) and answered with a generic 500.

use motcua_shared::api_error::ApiError;
use spin_sdk::http::Response;

#[derive(Debug)]
pub enum Failure {
    /// Said to the client as it is: a bad field, an unknown dossier, a 409.
    Api(ApiError),
    /// A limit was reached: try again after this many seconds.
    TooMany { wait_secs: i64, message: String },
    /// Our side is busy for a moment (the database is locked by other writers).
    Busy,
    /// Our side failed; the text is for the operator's log only.
    Internal(String),
}

pub type Result<T, E = Failure> = std::result::Result<T, E>;

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl From<spin_sdk::sqlite::Error> for Failure {
    fn from(e: spin_sdk::sqlite::Error) -> Self {
        // SQLite says "database is locked" or "busy" when writers queue longer
        // than its timeout; libSQL interrupts (SQLITE_INTERRUPT) a writer that
        // held the lock while others queued. Both are load: nothing was
        // written, and the client may retry.
        let text = format!("{e:?}");
        let lower = text.to_ascii_lowercase();
        if lower.contains("locked") || lower.contains("busy") || lower.contains("interrupt") {
            Failure::Busy
        } else {
            Failure::Internal(format!("database: {text}"))
        }
    }
}

impl Failure {
    pub fn internal(what: impl Into<String>) -> Self {
        Failure::Internal(what.into())
    }

    /// Seconds a 503 asks the client to wait: long enough for a queue of
    /// writers to drain, short enough that a citizen at a counter retries soon.
    pub const BUSY_RETRY_SECS: i64 = 2;

    /// The reply; `component` names who logs an internal failure.
    pub fn into_response(self, component: &str) -> Response {
        match self {
            Failure::Api(e) => crate::error(e),
            Failure::TooMany { wait_secs, message } => {
                let mut resp = crate::error(ApiError::too_many(message));
                resp.set_header("retry-after", wait_secs.max(1).to_string());
                resp
            }
            Failure::Busy => {
                eprintln!("{component}: busy (database locked); answered 503");
                let mut resp = crate::error(ApiError::unavailable());
                resp.set_header("retry-after", Self::BUSY_RETRY_SECS.to_string());
                resp
            }
            Failure::Internal(what) => {
                eprintln!("{component}: {what}");
                crate::error(ApiError::internal())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Failure;
    use spin_sdk::sqlite::Error;

    #[test]
    fn contention_is_busy_and_anything_else_is_internal() {
        // What Spin's SQLite and libSQL (through Hrana) say under contention.
        for text in ["database is locked", "SQLITE_BUSY", "cursor error: (error code: SQLITE_INTERRUPT) SQLite error: interrupted"] {
            assert!(matches!(Failure::from(Error::Io(text.into())), Failure::Busy), "{text}");
        }
        assert!(matches!(Failure::from(Error::Io("no such table: dossiers".into())), Failure::Internal(_)));
    }
}
