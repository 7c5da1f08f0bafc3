//! Administrative procedures (thủ tục hành chính) as the catalogue serves them.

use serde::{Deserialize, Serialize};

/// The government level that carries a procedure out. Since 1 July 2025 local
/// government has two levels, province and commune; a few procedures are central.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Central,
    Province,
    Commune,
}

/// Online level under Decree 42/2022. Many public records do not state it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnlineLevel {
    /// Toàn trình: fully online, result returned online or by post.
    Full,
    /// Một phần: partly online.
    Partial,
    /// The public record does not say.
    Unknown,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Central, Level::Province, Level::Commune];
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Province => "province",
            Level::Commune => "commune",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl OnlineLevel {
    pub const ALL: [OnlineLevel; 3] = [OnlineLevel::Full, OnlineLevel::Partial, OnlineLevel::Unknown];
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::Unknown => "unknown",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// One line of "what you need to bring" (thành phần hồ sơ).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequiredDocument {
    /// The case or heading the document belongs to ("Giấy tờ phải nộp",
    /// "Trường hợp ủy quyền …"), when the record gives one.
    pub group: Option<String>,
    pub name: String,
    /// How many originals and copies, as the record says ("1 bản chính, 1 bản sao").
    pub copies: Option<String>,
}

/// The full public record of a procedure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Mã TTHC in the national catalogue, e.g. `1.001193`.
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: Level,
    pub online: OnlineLevel,
    /// Processing time in working days, when the record states it as a number of days.
    pub processing_days: Option<u32>,
    /// Processing time per channel in the record's own words.
    pub processing_note: Option<String>,
    /// Steps (trình tự thực hiện); empty where the public record gives none.
    pub steps: Vec<String>,
    pub fees: Option<String>,
    pub documents: Vec<RequiredDocument>,
    pub agency: Option<String>,
    pub result: Option<String>,
    pub legal_basis: Vec<String>,
    /// Where the facts were copied from.
    pub source: String,
}

/// What a search result card shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: Level,
    pub online: OnlineLevel,
    pub processing_days: Option<u32>,
}

impl From<&Procedure> for ProcedureSummary {
    fn from(p: &Procedure) -> Self {
        ProcedureSummary {
            code: p.code.clone(),
            name: p.name.clone(),
            field: p.field.clone(),
            level: p.level,
            online: p.online,
            processing_days: p.processing_days,
        }
    }
}

/// A field (lĩnh vực) with how many procedures it holds, for the search filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldCount {
    pub name: String,
    pub count: u32,
}

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub items: Vec<ProcedureSummary>,
    /// Matches in all pages.
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
    /// Every field in the catalogue, for the filter (not narrowed by the query).
    pub fields: Vec<FieldCount>,
}

/// A record as published in `procedures.json` (the seed file): Vietnamese facts
/// with their source. Turned into a [`Procedure`] when the catalogue is seeded.
#[derive(Clone, Debug, Deserialize)]
pub struct SeedRecord {
    pub code: String,
    pub name_vi: String,
    pub field_vi: String,
    pub level: Level,
    pub online: Option<OnlineLevel>,
    pub processing_days: Option<u32>,
    pub processing_note_vi: Option<String>,
    pub fee_vi: Option<String>,
    pub documents_vi: Option<Vec<String>>,
    pub agency_vi: Option<String>,
    pub result_vi: Option<String>,
    pub legal_basis_vi: Option<Vec<String>>,
    #[serde(default)]
    pub steps_vi: Option<Vec<String>>,
    pub source: String,
}

impl From<SeedRecord> for Procedure {
    fn from(r: SeedRecord) -> Self {
        Procedure {
            code: r.code.trim().to_owned(),
            name: strip_procedure_prefix(r.name_vi.trim()),
            field: r.field_vi.trim().to_owned(),
            level: r.level,
            online: r.online.unwrap_or(OnlineLevel::Unknown),
            processing_days: r.processing_days,
            processing_note: non_empty(r.processing_note_vi),
            steps: r.steps_vi.unwrap_or_default(),
            fees: non_empty(r.fee_vi),
            documents: r.documents_vi.unwrap_or_default().iter().map(|d| parse_document(d)).collect(),
            agency: non_empty(r.agency_vi),
            result: non_empty(r.result_vi),
            legal_basis: r.legal_basis_vi.unwrap_or_default(),
            source: r.source,
        }
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// "Thủ tục đăng ký khai sinh" reads better on a card as "Đăng ký khai sinh".
fn strip_procedure_prefix(name: &str) -> String {
    let Some(rest) = name.strip_prefix("Thủ tục ").filter(|r| !r.is_empty()) else {
        return name.to_owned();
    };
    let mut chars = rest.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    first + chars.as_str()
}

/// Splits "[Giấy tờ phải nộp] Tờ khai … (1 bản chính)" into its group, name and copies.
pub fn parse_document(text: &str) -> RequiredDocument {
    let mut rest = text.trim();
    let mut group = None;
    if let Some(after) = rest.strip_prefix('[')
        && let Some(end) = after.find(']')
    {
        group = Some(after[..end].trim().to_owned()).filter(|g| !g.is_empty());
        rest = after[end + 1..].trim();
    }
    let mut copies = None;
    if rest.ends_with(')')
        && let Some(open) = rest.rfind('(')
    {
        let inside = &rest[open + 1..rest.len() - 1];
        if inside.contains("bản chính") || inside.contains("bản sao") {
            copies = Some(inside.trim().to_owned());
            rest = rest[..open].trim_end();
        }
    }
    RequiredDocument { group, name: rest.to_owned(), copies }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_document_group_and_copies() {
        let d = parse_document("[Giấy tờ phải nộp] Giấy chứng sinh. (1 bản chính)");
        assert_eq!(d.group.as_deref(), Some("Giấy tờ phải nộp"));
        assert_eq!(d.name, "Giấy chứng sinh.");
        assert_eq!(d.copies.as_deref(), Some("1 bản chính"));
    }

    #[test]
    fn keeps_parentheses_that_are_not_copies() {
        let d = parse_document("Tờ khai (theo mẫu)");
        assert_eq!(d.group, None);
        assert_eq!(d.name, "Tờ khai (theo mẫu)");
        assert_eq!(d.copies, None);
    }

    #[test]
    fn seed_record_becomes_procedure() {
        let json = r#"{"code":"1.001193","name_vi":"Thủ tục đăng ký khai sinh","field_vi":"Hộ tịch",
            "level":"commune","online":null,"processing_days":null,"processing_note_vi":"Trực tiếp: 1",
            "fee_vi":"Miễn phí","documents_vi":["[Giấy tờ phải nộp] Giấy chứng sinh (1 bản chính)"],
            "agency_vi":null,"result_vi":"Giấy khai sinh","legal_basis_vi":null,"source":"x"}"#;
        let p: Procedure = serde_json::from_str::<SeedRecord>(json).unwrap().into();
        assert_eq!(p.name, "Đăng ký khai sinh");
        assert_eq!(p.online, OnlineLevel::Unknown);
        assert_eq!(p.documents.len(), 1);
        assert!(p.legal_basis.is_empty());
    }
}

/// A province or a commune (ward) as the address pickers list it: the
/// official code and name (since July 2025: 34 provinces, 3,321 communes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: u32,
    pub name: String,
}

/// A province with its communes: `GET /api/units/{code}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceUnits {
    pub code: u32,
    pub name: String,
    pub communes: Vec<Unit>,
}

/// A procedure as its page reads it: the record, and the agencies that
/// receive it (where to go).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedurePage {
    #[serde(flatten)]
    pub procedure: Procedure,
    #[serde(default)]
    pub where_to_go: Vec<crate::agency::AgencyPlace>,
}

/// How many procedures a part of the offline index holds: at 10,000
/// procedures a phone fetches five parts of ~60 KB compressed, once per
/// published version.
pub const INDEX_PART_PROCEDURES: u32 = 2000;

/// The offline catalogue index of the published version, `GET /api/procedure-index`:
/// a phone keeps every part and searches them with [`crate::search`] when it
/// has no signal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueIndex {
    /// The published catalogue version; the parts are at
    /// `/api/procedure-index/{version}/{part}` and never change.
    pub version: u64,
    pub total: u32,
    pub parts: u32,
}

/// One part of the offline index: summaries in name order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexPart {
    pub items: Vec<ProcedureSummary>,
}
