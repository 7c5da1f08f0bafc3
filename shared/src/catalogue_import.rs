//! A province's catalogue import: the file of procedure records
//! (`api/procedure-records.schema.json`), checked record by record before
//! anything is published, and what the administrator is shown before
//! publishing. The admin component runs [`check_record`] on every record it
//! receives; the rules live here so the desk's preview and the tests use the
//! same ones.

use crate::catalogue::{Procedure, SeedRecord};
use serde::{Deserialize, Serialize};

/// Records a catalogue may hold (the national catalogue has several thousand).
pub const MAX_RECORDS: u32 = 20_000;
/// Records sent in one request of an import; `scripts/catalogue` sends batches of this size.
pub const BATCH_RECORDS: usize = 250;
/// Problems kept per import: past this many, the file needs fixing as a whole.
pub const MAX_PROBLEMS: u32 = 500;

const MAX_NAME: usize = 500;
const MAX_FIELD: usize = 200;
const MAX_SOURCE: usize = 500;
const MAX_TEXT: usize = 5_000;
const MAX_DOCUMENTS: usize = 100;
const MAX_DOCUMENT: usize = 5_000;

/// One bad record: where it is in the file, its code when it has one, the
/// field at fault and why, in words a province's staff can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordProblem {
    /// 1-based position in the file.
    pub position: u32,
    pub code: Option<String>,
    pub field: String,
    pub message: String,
}

/// Procedure codes look like `1.001193` or a province's `1.001193.000.00.00.H56`.
pub fn is_procedure_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Reads one record of an import file and checks it; `position` is 1-based.
pub fn check_record(position: u32, value: &serde_json::Value) -> Result<Procedure, RecordProblem> {
    let code = value.get("code").and_then(|c| c.as_str()).map(|c| c.trim().to_owned());
    let problem = |field: &str, message: String| RecordProblem { position, code: code.clone(), field: field.to_owned(), message };
    if !value.is_object() {
        return Err(problem("", "a record is a JSON object".into()));
    }
    let record: SeedRecord = serde_json::from_value(value.clone()).map_err(|e| {
        let text = e.to_string();
        // serde names a missing field ("missing field `name_vi`") but not the
        // field of a wrong value: each field is then read alone.
        let missing = text.strip_prefix("missing field `").and_then(|r| r.split('`').next());
        let field = missing.map(str::to_owned).unwrap_or_else(|| field_at_fault(value));
        problem(&field, text.clone())
    })?;
    let too_long = |field: &str, text: &str, max: usize| -> Result<(), RecordProblem> {
        if text.chars().count() > max { Err(problem(field, format!("{field} is longer than {max} characters"))) } else { Ok(()) }
    };
    if !is_procedure_code(record.code.trim()) {
        return Err(problem("code", "code has letters, digits, dots and dashes, 1 to 64 of them".into()));
    }
    for (field, text, max) in [("name_vi", &record.name_vi, MAX_NAME), ("field_vi", &record.field_vi, MAX_FIELD), ("source", &record.source, MAX_SOURCE)] {
        if text.trim().is_empty() {
            return Err(problem(field, format!("{field} is empty")));
        }
        too_long(field, text, max)?;
    }
    for (field, text) in [
        ("processing_note_vi", &record.processing_note_vi),
        ("fee_vi", &record.fee_vi),
        ("agency_vi", &record.agency_vi),
        ("result_vi", &record.result_vi),
    ] {
        too_long(field, text.as_deref().unwrap_or(""), MAX_TEXT)?;
    }
    for (field, list) in [("documents_vi", &record.documents_vi), ("legal_basis_vi", &record.legal_basis_vi), ("steps_vi", &record.steps_vi)] {
        let list = list.as_deref().unwrap_or(&[]);
        if list.len() > MAX_DOCUMENTS {
            return Err(problem(field, format!("{field} has more than {MAX_DOCUMENTS} items")));
        }
        for item in list {
            too_long(field, item, MAX_DOCUMENT)?;
        }
    }
    if record.processing_days.is_some_and(|d| d > 365) {
        return Err(problem("processing_days", "processing_days is at most 365 working days".into()));
    }
    Ok(Procedure::from(record))
}

/// The first field whose value has the wrong type or is not one of the allowed values.
fn field_at_fault(value: &serde_json::Value) -> String {
    use crate::catalogue::{Level, OnlineLevel};
    use serde_json::from_value as read;
    let at = |f: &str| value.get(f).cloned().unwrap_or(serde_json::Value::Null);
    let checks: [(&str, bool); 14] = [
        ("code", read::<String>(at("code")).is_ok()),
        ("name_vi", read::<String>(at("name_vi")).is_ok()),
        ("field_vi", read::<String>(at("field_vi")).is_ok()),
        ("level", read::<Level>(at("level")).is_ok()),
        ("online", read::<Option<OnlineLevel>>(at("online")).is_ok()),
        ("processing_days", read::<Option<u32>>(at("processing_days")).is_ok()),
        ("processing_note_vi", read::<Option<String>>(at("processing_note_vi")).is_ok()),
        ("fee_vi", read::<Option<String>>(at("fee_vi")).is_ok()),
        ("documents_vi", read::<Option<Vec<String>>>(at("documents_vi")).is_ok()),
        ("agency_vi", read::<Option<String>>(at("agency_vi")).is_ok()),
        ("result_vi", read::<Option<String>>(at("result_vi")).is_ok()),
        ("legal_basis_vi", read::<Option<Vec<String>>>(at("legal_basis_vi")).is_ok()),
        ("steps_vi", read::<Option<Vec<String>>>(at("steps_vi")).is_ok()),
        ("source", read::<String>(at("source")).is_ok()),
    ];
    checks.iter().find(|(_, ok)| !ok).map(|(f, _)| (*f).to_owned()).unwrap_or_default()
}

/// What publishing an import would do, against the published catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub records: u32,
    pub problems: u32,
    pub added: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub withdrawn: u32,
}

/// A procedure named in a preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureName {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    /// Records are being received and checked; nothing is public.
    Draft,
    /// The catalogue citizens see.
    Published,
    /// Replaced by a later import before it was published.
    Discarded,
}

impl ImportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportState::Draft => "draft",
            ImportState::Published => "published",
            ImportState::Discarded => "discarded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [ImportState::Draft, ImportState::Published, ImportState::Discarded].into_iter().find(|v| v.as_str() == s)
    }
}

/// An import (a catalogue version) as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueImport {
    pub id: u32,
    pub state: ImportState,
    pub created_at: String,
    pub created_by: String,
    pub published_at: Option<String>,
    pub counts: ImportCounts,
}

/// The preview before publishing: the counts, the first problems and the
/// first procedures of each kind of change (the lists are capped; the counts are not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub import: CatalogueImport,
    pub problems: Vec<RecordProblem>,
    pub added: Vec<ProcedureName>,
    pub changed: Vec<ProcedureName>,
    pub withdrawn: Vec<ProcedureName>,
}

/// The answer to one batch of records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReport {
    pub received: u32,
    pub accepted: u32,
    pub problems: Vec<RecordProblem>,
}

/// A batch: the records and where the first of them stands in the file, so
/// problems name the file's positions.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RecordBatch {
    pub first_position: u32,
    pub records: Vec<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> serde_json::Value {
        json!({"code": "1.001193", "name_vi": "Thủ tục đăng ký khai sinh", "field_vi": "Hộ tịch", "level": "commune",
               "online": null, "processing_days": null, "processing_note_vi": null, "fee_vi": "Miễn phí",
               "documents_vi": ["Tờ khai (1 bản chính)"], "agency_vi": null, "result_vi": null,
               "legal_basis_vi": null, "source": "https://dichvucong.gov.vn/"})
    }

    #[test]
    fn a_good_record_becomes_a_procedure() {
        let p = check_record(1, &good()).unwrap();
        assert_eq!(p.name, "Đăng ký khai sinh");
        assert_eq!(p.documents.len(), 1);
    }

    #[test]
    fn a_bad_record_names_its_position_code_and_field() {
        let mut missing = good();
        missing.as_object_mut().unwrap().remove("name_vi");
        let p = check_record(7, &missing).unwrap_err();
        assert_eq!((p.position, p.code.as_deref(), p.field.as_str()), (7, Some("1.001193"), "name_vi"));

        let mut level = good();
        level["level"] = json!("district");
        assert_eq!(check_record(2, &level).unwrap_err().field, "level");

        let mut code = good();
        code["code"] = json!("1.00 1193");
        assert_eq!(check_record(3, &code).unwrap_err().field, "code");

        let mut empty = good();
        empty["field_vi"] = json!("  ");
        assert_eq!(check_record(4, &empty).unwrap_err().field, "field_vi");

        let mut long = good();
        long["documents_vi"] = json!(["x".repeat(5_001)]);
        assert_eq!(check_record(5, &long).unwrap_err().field, "documents_vi");

        assert_eq!(check_record(6, &json!("1.001193")).unwrap_err().position, 6);
    }
}
