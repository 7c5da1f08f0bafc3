//! What the admin function refuses, in the administrator's language: one
//! sentence that says what was not done, names the field and says what to
//! fix. The function's `error.code` and `error.field` (and, where one field
//! has several rules, its message) pick the sentence; a refusal this page does
//! not know yet keeps the old words (the field's label and the function's own
//! message), so nothing is ever lost.

use crate::api::FetchError;
use crate::components::labels;
use crate::i18n::fill;
use crate::state::Ui;
use motcua_shared::agency::MAX_AGENCY_PROCEDURES;
use motcua_shared::api_error::{ApiError, ErrorCode};
use motcua_shared::catalogue_import::{BATCH_RECORDS, MAX_RECORDS, RecordProblem};

/// Which form (or button) of the page the refusal answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// Starting an import, sending its records, reading its preview.
    Import,
    ImportPublish,
    FormDraft,
    FormPublish,
    Agency,
    /// Opening an agency in the form to change it.
    AgencyEdit,
    OfficerCreate,
    OfficerReset,
    OfficerDisable,
    OfficerEnable,
    Calendar,
    Template,
    /// The studio: saving a translation, publishing, importing a file, a recording.
    Translation,
    LanguagePublish,
    TranslationImport,
    Recording,
}

/// The label of the form's field the function names.
pub(crate) fn label(ui: Ui, form: Form, field: &str) -> Option<&'static str> {
    use Form::*;
    Some(match (form, field) {
        (Agency | AgencyEdit, "id") => ui.t("desk.admin.agencies.id"),
        (Agency | AgencyEdit, "name") => ui.t("desk.admin.agencies.name"),
        (Agency | AgencyEdit, "address") => ui.t("desk.admin.agencies.address"),
        (Agency | AgencyEdit, "opening_hours") => ui.t("desk.admin.agencies.hours"),
        (Agency | AgencyEdit, "phone") => ui.t("desk.admin.agencies.phone"),
        (Agency | AgencyEdit, "procedures") => ui.t("desk.admin.agencies.procedures"),
        (OfficerCreate | OfficerReset | OfficerDisable | OfficerEnable, "username") => ui.t("desk.admin.officers.username"),
        (OfficerCreate | OfficerReset | OfficerDisable | OfficerEnable, "display_name") => ui.t("desk.admin.officers.name"),
        (OfficerCreate | OfficerReset | OfficerDisable | OfficerEnable, "agency_id") => ui.t("desk.admin.officers.agency"),
        (OfficerCreate | OfficerReset | OfficerDisable | OfficerEnable, "role") => ui.t("desk.admin.officers.role"),
        (Calendar, "year") => ui.t("desk.admin.calendar.year"),
        (Calendar, "days_off") => ui.t("desk.admin.calendar.days_off_label"),
        (Calendar, "workdays") => ui.t("desk.admin.calendar.workdays_label"),
        (Template, "text") => ui.t("desk.admin.templates.text"),
        (Template, "language") => ui.t("desk.admin.templates.language"),
        (OfficerCreate, "language") => ui.t("desk.admin.officers.language"),
        (Translation, "text") => ui.t("desk.studio.translation"),
        (TranslationImport, "text") => ui.t("desk.studio.import.file"),
        (FormDraft | FormPublish, "procedure_code") => ui.t("desk.admin.forms.code"),
        (FormDraft, "questions") => ui.t("desk.admin.forms.file"),
        (FormPublish, "version") => ui.t("desk.admin.forms.draft_version"),
        (Import | ImportPublish, "records") => ui.t("desk.admin.import.file"),
        (Import | ImportPublish, "import") => ui.t("desk.admin.import.preview"),
        _ => return None,
    })
}

/// What was not done, the start of every refusal's sentence.
fn lead(ui: Ui, form: Form) -> &'static str {
    match form {
        Form::Import => ui.t("desk.admin.error.lead.import"),
        Form::ImportPublish => ui.t("desk.admin.error.lead.import_publish"),
        Form::FormDraft => ui.t("desk.admin.error.lead.form_draft"),
        Form::FormPublish => ui.t("desk.admin.error.lead.form_publish"),
        Form::Agency => ui.t("desk.admin.error.lead.agency"),
        Form::AgencyEdit => ui.t("desk.admin.error.lead.agency_edit"),
        Form::OfficerCreate => ui.t("desk.admin.error.lead.officer_create"),
        Form::OfficerReset => ui.t("desk.admin.error.lead.officer_reset"),
        Form::OfficerDisable => ui.t("desk.admin.error.lead.officer_disable"),
        Form::OfficerEnable => ui.t("desk.admin.error.lead.officer_enable"),
        Form::Calendar => ui.t("desk.admin.error.lead.calendar"),
        Form::Template => ui.t("desk.admin.error.lead.template"),
        Form::Translation => ui.t("desk.admin.error.lead.translation"),
        Form::LanguagePublish => ui.t("desk.admin.error.lead.language_publish"),
        Form::TranslationImport => ui.t("desk.admin.error.lead.translation_import"),
        Form::Recording => ui.t("desk.admin.error.lead.recording"),
    }
}

/// What the form sends, for the refusals about its shape or size.
fn what(ui: Ui, form: Form) -> &'static str {
    match form {
        Form::Import => ui.t("desk.admin.error.what.catalogue"),
        Form::FormDraft => ui.t("desk.admin.error.what.form"),
        Form::Recording => ui.t("desk.admin.error.what.recording"),
        _ => ui.t("desk.admin.error.what.data"),
    }
}

/// The message between `prefix` and `suffix`, if it is one of those.
fn between<'a>(text: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.strip_suffix(suffix)
}

/// The words for any failure of a request from `form`: the function's
/// refusal in a sentence, else no connection or an unexpected answer.
pub(crate) fn refused(ui: Ui, form: Form, e: &FetchError) -> String {
    match e {
        FetchError::Api(a) => refusal_text(ui, form, a),
        _ => format!("{} {}", lead(ui, form), labels::fetch_error(ui, e)),
    }
}

/// The function's refusal of `form`'s request, in one localized sentence.
pub(crate) fn refusal_text(ui: Ui, form: Form, e: &ApiError) -> String {
    // Two refusals have their own full sentence already.
    match (form, e.code) {
        (Form::OfficerCreate, ErrorCode::Conflict) => return ui.t("desk.admin.officers.taken").to_owned(),
        (Form::OfficerDisable, ErrorCode::Conflict) => return ui.t("desk.admin.officers.not_yourself").to_owned(),
        _ => {}
    }
    match sentence(ui, form, e) {
        Some(s) => format!("{} {s}", lead(ui, form)),
        None => fallback(ui, form, e),
    }
}

/// The old words: the field's label and the function's own message.
fn fallback(ui: Ui, form: Form, e: &ApiError) -> String {
    match e.field.as_deref() {
        Some(field) => {
            let name = label(ui, form, field).unwrap_or(field);
            let template = match form {
                Form::FormDraft => ui.t("desk.admin.forms.refused"),
                Form::FormPublish => ui.t("desk.admin.forms.not_published"),
                _ => ui.t("desk.admin.refused"),
            };
            fill(template, &[("field", name), ("message", &e.message)])
        }
        None => format!("{} {}", lead(ui, form), labels::api_error(ui, e)),
    }
}

/// A body the function could not read as the route's JSON (`http_kit::json_body`).
pub(crate) fn is_shape(e: &ApiError) -> bool {
    e.code == ErrorCode::InvalidParameter && e.field.as_deref() == Some("body") && !e.message.contains("could not be read")
}

/// "4 MB" from "the request body is larger than 4194304 bytes".
fn size(message: &str) -> Option<String> {
    let bytes: u64 = between(message, "the request body is larger than ", " bytes")?.parse().ok()?;
    Some(if bytes >= 1 << 20 { format!("{} MB", bytes >> 20) } else { format!("{} KB", (bytes >> 10).max(1)) })
}

/// The sentence after the lead, for the refusals this page knows.
fn sentence(ui: Ui, form: Form, e: &ApiError) -> Option<String> {
    let field = e.field.as_deref().unwrap_or("");
    let message = e.message.as_str();
    let name = label(ui, form, field).unwrap_or(field);
    let named = |template: &str| fill(template, &[("field", name)]);
    let general = match e.code {
        ErrorCode::Forbidden => Some(ui.t("desk.admin.error.forbidden").to_owned()),
        ErrorCode::PayloadTooLarge => {
            size(message).map(|size| fill(ui.t("desk.admin.error.too_large"), &[("what", what(ui, form)), ("size", &size)]))
        }
        ErrorCode::InvalidParameter if field == "content-type" => Some(ui.t("desk.admin.error.content_type").to_owned()),
        ErrorCode::InvalidParameter if field == "body" && !is_shape(e) => Some(ui.t("desk.admin.error.unread").to_owned()),
        ErrorCode::InvalidParameter if field == "body" => {
            Some(fill(ui.t("desk.admin.error.shape_body"), &[("what", what(ui, form))]))
        }
        ErrorCode::Unauthorized
        | ErrorCode::TooManyRequests
        | ErrorCode::Internal
        | ErrorCode::ServiceUnavailable
        | ErrorCode::RequestTimeout
        | ErrorCode::MethodNotAllowed => Some(labels::api_error(ui, e)),
        _ => None,
    };
    if general.is_some() {
        return general;
    }
    let code = e.code;
    use ErrorCode::{Conflict, InvalidParameter, NotFound};
    Some(match form {
        Form::Import | Form::ImportPublish => match (code, field) {
            (NotFound, _) => ui.t("desk.admin.error.import.not_found").to_owned(),
            (Conflict, "import") => ui.t("desk.admin.error.import.not_draft").to_owned(),
            (InvalidParameter, "records") if message.starts_with("send at most") => {
                fill(ui.t("desk.admin.error.import.batch"), &[("max", &BATCH_RECORDS.to_string())])
            }
            (InvalidParameter, "records") => fill(ui.t("desk.admin.error.import.too_many"), &[("max", &MAX_RECORDS.to_string())]),
            (InvalidParameter, "import") if message == "the import has no records" => ui.t("desk.admin.error.import.empty").to_owned(),
            (InvalidParameter, "import") => {
                let count = message.split_once(" records have problems")?.0;
                fill(ui.t("desk.admin.error.import.problems"), &[("count", count)])
            }
            _ => return None,
        },
        Form::FormDraft => match (code, field) {
            (NotFound, _) => ui.t("desk.admin.error.form.no_procedure").to_owned(),
            (InvalidParameter, "questions") => fill(ui.t("desk.admin.error.form.questions"), &[("detail", message)]),
            (InvalidParameter, "procedure_code") if message.contains("differ") => ui.t("desk.admin.error.form.code_differs").to_owned(),
            (InvalidParameter, "procedure_code") => ui.t("desk.admin.error.form.not_in_catalogue").to_owned(),
            _ => return None,
        },
        Form::FormPublish => match (code, field) {
            (NotFound, _) => ui.t("desk.admin.error.form.no_version").to_owned(),
            (Conflict, "version") => ui.t("desk.admin.error.form.not_draft").to_owned(),
            _ => return None,
        },
        Form::Agency | Form::AgencyEdit => match (code, field) {
            (NotFound, _) => ui.t("desk.admin.error.agency.not_found").to_owned(),
            (InvalidParameter, "id") => named(ui.t("desk.admin.error.agency.id")),
            (InvalidParameter, "name" | "address" | "opening_hours") if message == "must not be empty" => {
                named(ui.t("desk.admin.error.agency.empty"))
            }
            (InvalidParameter, "name" | "address" | "opening_hours") => {
                let max = between(message, "at most ", " characters on one line")?;
                fill(ui.t("desk.admin.error.agency.too_long"), &[("field", name), ("max", max)])
            }
            (InvalidParameter, "phone") => named(ui.t("desk.admin.error.agency.phone")),
            (InvalidParameter, "procedures") => {
                if let Some(code) = message.strip_suffix(" is not a procedure code") {
                    fill(ui.t("desk.admin.error.agency.procedure_code"), &[("field", name), ("code", code.trim_matches('"'))])
                } else if let Some(code) = message.strip_suffix(" is listed twice") {
                    fill(ui.t("desk.admin.error.agency.procedure_twice"), &[("field", name), ("code", code)])
                } else if message.starts_with("at most ") {
                    let max = MAX_AGENCY_PROCEDURES.to_string();
                    fill(ui.t("desk.admin.error.agency.procedures_many"), &[("field", name), ("max", &max)])
                } else {
                    return None;
                }
            }
            _ => return None,
        },
        Form::OfficerCreate | Form::OfficerReset | Form::OfficerDisable | Form::OfficerEnable => match (code, field) {
            (NotFound, _) => ui.t("desk.admin.error.officer.not_found").to_owned(),
            (InvalidParameter, "username") => named(ui.t("desk.admin.error.officer.username")),
            (InvalidParameter, "display_name") => named(ui.t("desk.admin.error.officer.name")),
            (InvalidParameter, "agency_id") => named(ui.t("desk.admin.error.officer.agency")),
            (InvalidParameter, "language") => named(ui.t("desk.admin.error.officer.language")),
            _ => return None,
        },
        Form::Calendar => match (code, field) {
            (InvalidParameter, "year") => named(ui.t("desk.admin.error.calendar.year")),
            (InvalidParameter, _) => {
                let why = message.strip_prefix("bad holiday data: ")?;
                if let Some(date) = why.strip_suffix(" listed twice") {
                    fill(ui.t("desk.admin.error.calendar.twice"), &[("date", date)])
                } else if let Some(date) = between(why, "workday ", " must be a weekend day that is not a holiday") {
                    fill(ui.t("desk.admin.error.calendar.workday"), &[("date", date)])
                } else if why.starts_with("year key ") {
                    ui.t("desk.admin.error.calendar.year_range").to_owned()
                } else if let Some((date, year)) = why.split_once(" is filed under ") {
                    fill(ui.t("desk.admin.error.calendar.filed"), &[("date", date), ("year", year)])
                } else {
                    return None;
                }
            }
            _ => return None,
        },
        // The page checks a template as the function does (`motcua_shared::notify`)
        // and says why itself; what the function refuses besides keeps its words.
        Form::Template => return None,
        // The studio checks a translation as the function does
        // (`motcua_shared::languages`); these are what only the function knows.
        Form::Translation | Form::LanguagePublish | Form::TranslationImport | Form::Recording => match (code, field) {
            (NotFound, _) => ui.t("desk.admin.error.studio.not_found").to_owned(),
            (InvalidParameter, "audio") => ui.t("desk.admin.error.studio.audio").to_owned(),
            (InvalidParameter, "text") if form == Form::TranslationImport => ui.t("desk.admin.error.studio.not_po").to_owned(),
            _ => return None,
        },
    })
}

/// A form file the function could not read: which field of the file, as
/// the browser's own reading of it tells (serde names a missing or unknown
/// field; else the line and column of the wrong value).
pub(crate) fn shape_text(ui: Ui, form: Form, error: &serde_json::Error) -> String {
    let text = error.to_string();
    let field = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    let sentence = match field {
        Some(field) => fill(ui.t("desk.admin.error.shape"), &[("what", what(ui, form)), ("field", field)]),
        None => {
            let (line, column) = (error.line().to_string(), error.column().to_string());
            fill(ui.t("desk.admin.error.shape_line"), &[("what", what(ui, form)), ("line", &line), ("column", &column)])
        }
    };
    format!("{} {sentence}", lead(ui, form))
}

/// One bad record of an import, with its place in the file (and its code)
/// kept: why, in a sentence, else the function's own words.
pub(crate) fn record_problem_text(ui: Ui, p: &RecordProblem) -> String {
    let field = p.field.as_str();
    let message = p.message.as_str();
    let with_field = |template: &str| fill(template, &[("field", field)]);
    let with_max = |template: &str, max: &str| fill(template, &[("field", field), ("max", max)]);
    let problem = if message == "a record is a JSON object" {
        ui.t("desk.admin.error.record.not_object").to_owned()
    } else if let Some(missing) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        fill(ui.t("desk.admin.error.record.missing"), &[("field", missing)])
    } else if message.starts_with("code has letters") {
        ui.t("desk.admin.error.record.code").to_owned()
    } else if message == format!("{field} is empty") {
        with_field(ui.t("desk.admin.error.record.empty"))
    } else if let Some(max) = between(message, &format!("{field} is longer than "), " characters") {
        with_max(ui.t("desk.admin.error.record.too_long"), max)
    } else if let Some(max) = between(message, &format!("{field} has more than "), " items") {
        with_max(ui.t("desk.admin.error.record.too_many_items"), max)
    } else if message.starts_with("processing_days is at most") {
        ui.t("desk.admin.error.record.processing_days").to_owned()
    } else if let Some(code) = between(message, "code ", " appears twice in the file") {
        fill(ui.t("desk.admin.error.record.twice"), &[("code", code)])
    } else if !field.is_empty() {
        // serde's words for a wrong type or value: kept, after the field.
        fill(ui.t("desk.admin.error.record.shape"), &[("field", field), ("message", message)])
    } else {
        message.to_owned()
    };
    let position = p.position.to_string();
    match p.code.as_deref().filter(|c| !c.is_empty()) {
        Some(code) => fill(ui.t("desk.admin.import.problem"), &[("position", &position), ("code", code), ("problem", &problem)]),
        None => fill(ui.t("desk.admin.import.problem_at"), &[("position", &position), ("problem", &problem)]),
    }
}
