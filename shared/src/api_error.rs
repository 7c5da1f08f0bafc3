//! The error body every function returns: a stable code the browser translates,
//! a plain message for developers, and the parameter or field at fault.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidParameter,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidParameter => 400,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Internal => 500,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The query parameter or form field the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `{"error": {...}}` on the wire, so a success body is never mistaken for an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::InvalidParameter, message: message.into(), field: Some(field.to_owned()) }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError { code: ErrorCode::NotFound, message: message.into(), field: None }
    }
    pub fn method_not_allowed(allowed: &str) -> Self {
        ApiError {
            code: ErrorCode::MethodNotAllowed,
            message: format!("method not allowed; use {allowed}"),
            field: None,
        }
    }
    /// A failure on our side. The message is generic on purpose: details go to
    /// the operator's log, never to the client.
    pub fn internal() -> Self {
        ApiError {
            code: ErrorCode::Internal,
            message: "the service could not answer; please try again".into(),
            field: None,
        }
    }
    pub fn status(&self) -> u16 {
        self.code.status()
    }
    pub fn into_body(self) -> ErrorBody {
        ErrorBody { error: self }
    }
}
