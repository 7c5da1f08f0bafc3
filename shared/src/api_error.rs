//! The error body every function returns: a stable code the browser translates,
//! a plain message for developers, and the parameter or field at fault.

use crate::validation::FieldIssue;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidParameter,
    /// Not signed in, or the session has expired.
    Unauthorized,
    /// Signed in, but this needs another role (a supervisor's page).
    Forbidden,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    /// The request repeats an idempotency key with different content.
    Conflict,
    /// Too many failed tries; wait (see the Retry-After header).
    TooManyRequests,
    Internal,
    /// The portal is busy (every slot taken) or briefly unable to answer;
    /// try again after the Retry-After header. Never the client's fault.
    ServiceUnavailable,
    /// The request came too slowly (the host's body timeouts); send it again.
    RequestTimeout,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidParameter => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Conflict => 409,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::Internal => 500,
            ErrorCode::ServiceUnavailable => 503,
            ErrorCode::RequestTimeout => 408,
        }
    }
}

const METHOD_NOT_ALLOWED: &str = "method not allowed; use ";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The query parameter or form field the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every refused field of a form, in question order (codes only, never values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<FieldIssue>,
}

/// `{"error": {...}}` on the wire, so a success body is never mistaken for an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::InvalidParameter, message: message.into(), field: Some(field.to_owned()), issues: Vec::new() }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::NotFound, message: message.into(), field: None, issues: Vec::new() }
    }
    pub fn method_not_allowed(allowed: &str) -> Self {
        ApiError {
            code: ErrorCode::MethodNotAllowed,
            message: format!("{METHOD_NOT_ALLOWED}{allowed}"),
            field: None,
            issues: Vec::new(),
        }
    }
    /// A failure on our side. The message is generic on purpose: details go to
    /// the operator's log, never to the client.
    pub fn internal() -> Self {
        ApiError {
            code: ErrorCode::Internal,
            message: "the service could not answer; please try again".into(),
            field: None,
            issues: Vec::new(),
        }
    }
    /// Busy for now: the client tries again after Retry-After.
    pub fn unavailable() -> Self {
        ApiError {
            code: ErrorCode::ServiceUnavailable,
            message: "the service is busy; please try again in a moment".into(),
            field: None,
            issues: Vec::new(),
        }
    }
    pub fn too_many(message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::TooManyRequests, message: message.into(), field: None, issues: Vec::new() }
    }
    pub fn too_large(limit_bytes: usize) -> Self {
        ApiError {
            code: ErrorCode::PayloadTooLarge,
            message: format!("the request body is larger than {limit_bytes} bytes"),
            field: Some("body".into()),
            issues: Vec::new(),
        }
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::Forbidden, message: message.into(), field: None, issues: Vec::new() }
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::Unauthorized, message: message.into(), field: None, issues: Vec::new() }
    }
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::Conflict, message: message.into(), field: Some(field.to_owned()), issues: Vec::new() }
    }
    /// A form with refused answers: the first names the field, all are listed.
    pub fn invalid_answers(issues: Vec<FieldIssue>) -> Self {
        let field = issues.first().map(|i| i.field.clone());
        ApiError {
            code: ErrorCode::InvalidParameter,
            message: format!("{} answer(s) need attention", issues.len()),
            field,
            issues,
        }
    }
    /// The methods a 405 names, for its `Allow` header (kept in the message,
    /// so the error body needs no extra field).
    pub fn allowed_methods(&self) -> Option<&str> {
        (self.code == ErrorCode::MethodNotAllowed).then(|| self.message.strip_prefix(METHOD_NOT_ALLOWED)).flatten()
    }
    pub fn status(&self) -> u16 {
        self.code.status()
    }
    pub fn into_body(self) -> ErrorBody {
        ErrorBody { error: self }
    }
}
