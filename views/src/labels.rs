//! Interface words for the catalogue's codes: levels, online levels, processing
//! time and API errors. Each key is written out so the i18n test can find it.

use crate::i18n::fill;
use crate::ui::Ui;
use leptos::prelude::Get;
use motcua_shared::api_error::{ApiError, ErrorCode};
use motcua_shared::catalogue::{Level, OnlineLevel};
use motcua_shared::dossier::lifecycle::Status;
use motcua_shared::dossier::calendar::Date;
use motcua_shared::notify::Channel;
use motcua_shared::validation::FieldError;

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
        ErrorCode::Unauthorized => ui.t("error.unauthorized").to_owned(),
        ErrorCode::Forbidden => ui.t("error.forbidden").to_owned(),
        ErrorCode::MethodNotAllowed => ui.t("error.method_not_allowed").to_owned(),
        ErrorCode::PayloadTooLarge => ui.t("error.payload_too_large").to_owned(),
        ErrorCode::Conflict => ui.t("error.conflict").to_owned(),
        ErrorCode::TooManyRequests => ui.t("error.too_many_requests").to_owned(),
        ErrorCode::Internal => ui.t("error.internal").to_owned(),
        ErrorCode::ServiceUnavailable => ui.t("error.service_unavailable").to_owned(),
        // Too slow a connection: the same advice as a dropped one.
        ErrorCode::RequestTimeout => ui.t("error.network").to_owned(),
    }
}

/// A dossier's status in words.
pub fn status(ui: Ui, status: Status) -> &'static str {
    match status {
        Status::Submitted => ui.t("status.submitted"),
        Status::Accepted => ui.t("status.accepted"),
        Status::Refused => ui.t("status.refused"),
        Status::Processing => ui.t("status.processing"),
        Status::DocumentsRequested => ui.t("status.documents_requested"),
        Status::FeesRequested => ui.t("status.fees_requested"),
        Status::Withdrawn => ui.t("status.withdrawn"),
        Status::Stopped => ui.t("status.stopped"),
        Status::ResultReady => ui.t("status.result_ready"),
        Status::ResultReturned => ui.t("status.result_returned"),
    }
}

/// Why an answer is refused, naming the question ("{field}" is its label).
pub fn field_error(ui: Ui, error: FieldError, field: &str) -> String {
    let template = match error {
        FieldError::Required => ui.t("field_error.required"),
        FieldError::TooShort => ui.t("field_error.too_short"),
        FieldError::TooLong => ui.t("field_error.too_long"),
        FieldError::InvalidCitizenId => ui.t("field_error.invalid_citizen_id"),
        FieldError::CitizenIdBirthYearMismatch => ui.t("field_error.citizen_id_birth_year_mismatch"),
        FieldError::InvalidPhone => ui.t("field_error.invalid_phone"),
        FieldError::InvalidName => ui.t("field_error.invalid_name"),
        FieldError::InvalidDate => ui.t("field_error.invalid_date"),
        FieldError::FutureDate => ui.t("field_error.future_date"),
        FieldError::UnknownField => ui.t("field_error.unknown_field"),
        FieldError::InvalidChoice => ui.t("field_error.invalid_choice"),
        FieldError::InvalidAttachment => ui.t("field_error.invalid_attachment"),
        FieldError::InvalidAddress => ui.t("field_error.invalid_address"),
        FieldError::InvalidEmail => ui.t("field_error.invalid_email"),
    };
    fill(template, &[("field", field)])
}

/// Reactive text as one type (`Signal<String>`), so every such text node
/// shares one copy of the rendering code instead of one per closure.
pub fn live(f: impl Fn() -> String + Send + Sync + 'static) -> leptos::prelude::Signal<String> {
    leptos::prelude::Signal::derive(f)
}

/// A form's label: its locale key in the chosen language, else the form's Vietnamese text.
pub fn form_label(ui: Ui, key: &str, vi: &str) -> String {
    crate::i18n::form_text(ui.lang.get(), key).unwrap_or(vi).to_owned()
}

// Months and shares as the published figures write them, on the dashboard
// and the supervisor's page alike (rules in shared, tested natively).
pub use motcua_shared::ratings::{show_month as month, show_percent as percent};

/// `dd/mm/yyyy`, as dates are written in Vietnam.
pub fn show_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `2026-03-10T08:30:00+07:00` → `10/03/2026 08:30`.
pub fn show_time(at: &str) -> String {
    match (at.get(0..4), at.get(5..7), at.get(8..10), at.get(11..16)) {
        (Some(y), Some(m), Some(d), Some(hm)) => format!("{d}/{m}/{y} {hm}"),
        _ => at.to_owned(),
    }
}

/// A channel as the citizen reads it.
pub fn channel_name(ui: Ui, channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => ui.t("notify.sms"),
        Channel::Zalo => ui.t("notify.zalo"),
        Channel::Email => ui.t("notify.email"),
        Channel::None => ui.t("notify.none"),
    }
}
