//! Interface words for the catalogue's codes: levels, online levels, processing
//! time and API errors. Each key is written out so the i18n test can find it.

use crate::api::FetchError;
use crate::i18n::fill;
use crate::state::Ui;
use motcua_shared::api_error::{ApiError, ErrorCode};
use motcua_shared::catalogue::{Level, OnlineLevel};

pub fn level(ui: Ui, level: Level) -> &'static str {
    match level {
        Level::Central => ui.t("level.central"),
        Level::Province => ui.t("level.province"),
        Level::Commune => ui.t("level.commune"),
    }
}

pub fn online(ui: Ui, online: OnlineLevel) -> &'static str {
    match online {
        OnlineLevel::Full => ui.t("online.full"),
        OnlineLevel::Partial => ui.t("online.partial"),
        OnlineLevel::Unknown => ui.t("online.unknown"),
    }
}

/// "15 ngày làm việc", or "not stated".
pub fn days(ui: Ui, days: Option<u32>) -> String {
    match days {
        Some(1) => fill(ui.t("time.days.one"), &[("days", "1")]),
        Some(n) => fill(ui.t("time.days.other"), &[("days", &n.to_string())]),
        None => ui.t("common.not_stated").to_owned(),
    }
}

/// The interface name of a search parameter, for error messages.
fn parameter(ui: Ui, field: &str) -> String {
    match field {
        "q" => ui.t("search.label").trim_end_matches('?').to_owned(),
        "field" => ui.t("filter.field").to_owned(),
        "level" => ui.t("filter.level").to_owned(),
        "online" => ui.t("filter.online").to_owned(),
        "page" => ui.t("param.page").to_owned(),
        "per_page" => ui.t("param.per_page").to_owned(),
        other => other.to_owned(),
    }
}

pub fn api_error(ui: Ui, error: &ApiError) -> String {
    match error.code {
        ErrorCode::InvalidParameter => {
            let field = parameter(ui, error.field.as_deref().unwrap_or_default());
            fill(ui.t("error.invalid_parameter"), &[("field", &field)])
        }
        ErrorCode::NotFound => ui.t("error.not_found").to_owned(),
        ErrorCode::MethodNotAllowed => ui.t("error.method_not_allowed").to_owned(),
        ErrorCode::PayloadTooLarge => ui.t("error.payload_too_large").to_owned(),
        ErrorCode::Conflict => ui.t("error.conflict").to_owned(),
        ErrorCode::TooManyRequests => ui.t("error.too_many_requests").to_owned(),
        ErrorCode::Internal => ui.t("error.internal").to_owned(),
    }
}

pub fn fetch_error(ui: Ui, error: &FetchError) -> String {
    match error {
        FetchError::Network => ui.t("error.network").to_owned(),
        FetchError::Unexpected => ui.t("error.unexpected").to_owned(),
        FetchError::Api(e) => api_error(ui, e),
    }
}
