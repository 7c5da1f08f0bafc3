//! What the one-stop desk's browser pages exchange with the desk function.

use crate::dossier::api::is_overdue;
use crate::dossier::attachments::AttachmentInfo;
use crate::dossier::calendar::Date;
use crate::dossier::lifecycle::{Action, ActionKind, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Officer,
    /// Sees the agency's figures and may do every officer action.
    Supervisor,
    /// The province's administrator: publishes the catalogue, forms, agencies,
    /// officers and calendar (`/desk/admin`), and may do what a supervisor does.
    Administrator,
    /// Translates and records the citizen's texts for one language in the
    /// studio (`/desk/studio`); sees no dossier.
    Translator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
            Role::Translator => "translator",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Officer, Role::Supervisor, Role::Administrator, Role::Translator].into_iter().find(|r| r.as_str() == s)
    }
    /// Sees the agency's figures and the counters.
    pub fn supervises(self) -> bool {
        matches!(self, Role::Supervisor | Role::Administrator)
    }
    /// Works on dossiers (every role but the translator's).
    pub fn serves_dossiers(self) -> bool {
        self != Role::Translator
    }
}

/// Checks the language an account works in: a translator's is one the
/// portal translates into; other roles have none.
pub fn check_account_language(role: Role, language: Option<&str>) -> Result<(), (&'static str, &'static str)> {
    match (role, language) {
        (Role::Translator, Some(l)) if crate::languages::translated_language(l).is_some() => Ok(()),
        (Role::Translator, _) => Err(("language", "a translator works in one of the portal's languages other than Vietnamese")),
        (_, None) => Ok(()),
        (_, Some(_)) => Err(("language", "only a translator's account has a language")),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// An officer account as an administrator creates it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewOfficer {
    pub username: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: Role,
    pub password: String,
    /// A translator's language (see [`check_account_language`]).
    #[serde(default)]
    pub language: Option<String>,
}

pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new account's username and name, for every way an account is
/// made (the operator's script, the administrator's page): the field at
/// fault and why.
pub fn check_account(username: &str, display_name: &str) -> Result<(), (&'static str, &'static str)> {
    if !valid_username(username) {
        return Err(("username", "3 to 32 lower-case letters, digits, '.', '_' or '-'"));
    }
    let name = display_name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(("display_name", "the officer's full name, at most 100 characters"));
    }
    Ok(())
}

/// An officer's account as the administrator manages it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerAccount {
    pub username: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: Role,
    /// The translator's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A disabled account cannot sign in; its sessions ended when it was disabled.
    pub active: bool,
    pub created_at: String,
}

/// An account the administrator creates; the portal makes its first password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: Role,
    /// A translator's language (see [`check_account_language`]).
    #[serde(default)]
    pub language: Option<String>,
}

/// A password the portal made, shown once to the administrator to hand over
/// (a new account, or a reset): never stored, never logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporaryPassword {
    pub officer: OfficerAccount,
    pub temporary_password: String,
}

/// Usernames: 3–32 lower-case letters, digits, `.`, `_` or `-`.
pub fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Officer {
    pub username: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: Role,
    /// A translator's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The queue filters at the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueFilter {
    /// Submitted online, waiting to be accepted.
    New,
    /// Due within the next 2 working days… approximated here as 3 calendar days.
    DueSoon,
    Overdue,
    /// Waiting for the citizen's documents or fees.
    Waiting,
    /// Everything still open.
    Open,
}

impl QueueFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueFilter::New => "new",
            QueueFilter::DueSoon => "due_soon",
            QueueFilter::Overdue => "overdue",
            QueueFilter::Waiting => "waiting",
            QueueFilter::Open => "open",
        }
    }

    pub fn parse(s: &str) -> Option<QueueFilter> {
        match s {
            "new" => Some(QueueFilter::New),
            "due_soon" => Some(QueueFilter::DueSoon),
            "overdue" => Some(QueueFilter::Overdue),
            "waiting" => Some(QueueFilter::Waiting),
            "open" | "" => Some(QueueFilter::Open),
            _ => None,
        }
    }

    /// Whether a dossier belongs in this view on `today`.
    pub fn includes(self, status: Status, appointment_on: Option<Date>, today: Date) -> bool {
        let open = !status.is_terminal();
        let working = open && status != Status::ResultReady;
        match self {
            QueueFilter::Open => open,
            QueueFilter::New => status == Status::Submitted,
            QueueFilter::Waiting => status.clock_paused(),
            QueueFilter::Overdue => is_overdue(status, appointment_on, today),
            QueueFilter::DueSoon => {
                working && appointment_on.is_some_and(|d| d >= today && today.days_until(d) <= 3)
            }
        }
    }
}

/// Where the next page of the queue starts: just after this dossier, in
/// receipt order. Written `yyyy-mm-dd~code` in the `after` parameter (and in
/// the `Link: <…>; rel="next"` header of a page that has more).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueCursor {
    pub received_on: Date,
    pub code: String,
}

impl QueueCursor {
    pub fn parse(s: &str) -> Option<QueueCursor> {
        let (day, code) = s.split_once('~')?;
        let ok = !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        Some(QueueCursor { received_on: day.parse().ok()?, code: code.to_owned() }).filter(|_| ok)
    }
}

impl std::fmt::Display for QueueCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}~{}", self.received_on, self.code)
    }
}

/// Dossiers in one page of the desk's queue.
pub const QUEUE_PAGE: usize = 100;
/// Open dossiers one request reads at most to fill a page of a narrow filter:
/// the page may come back short, with a `next` link to read on.
pub const QUEUE_SCAN: usize = 2_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: Status,
    pub channel: String,
    pub received_on: Date,
    pub appointment_on: Option<Date>,
    pub overdue: bool,
    /// The citizen the dossier is about (see [`Citizen`]), as answered; empty
    /// when the form names nobody the desk recognises.
    #[serde(default)]
    pub citizen_name: String,
    /// The desk asked for papers and the citizen has sent them from the
    /// tracking page: the dossier waits for an officer, not for the citizen.
    #[serde(default)]
    pub papers_sent: bool,
}

/// Who a dossier is about, as the desk finds it: read from the cleaned
/// answers when the dossier is stored (and once from every older dossier).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Citizen {
    /// As answered (names are cleaned: trimmed, single spaces).
    pub name: Option<String>,
    /// 12 digits.
    pub id_number: Option<String>,
    /// `0xxxxxxxxx`, as the forms keep phones.
    pub phone: Option<String>,
}

/// The person a form is about is asked first, under `{role}_name`,
/// `{role}_id` and `{role}_phone`: the applicant, the owner of a household
/// business, the elder of a pension, the husband of a marriage. First found
/// wins; a phone asked once for everybody is `contact_phone`. A test checks
/// these against the first name, ID and phone question of every form file.
const CITIZEN_ROLES: [&str; 4] = ["applicant", "owner", "elder", "husband"];
const CONTACT_PHONE: &str = "contact_phone";

impl Citizen {
    pub fn from_answers(answers: &BTreeMap<String, String>) -> Citizen {
        let answer = |id: &str| answers.get(id).map(|a| a.trim()).filter(|a| !a.is_empty()).map(str::to_owned);
        let pick = |what: &str| CITIZEN_ROLES.iter().find_map(|role| answer(&format!("{role}_{what}")));
        Citizen { name: pick("name"), id_number: pick("id"), phone: pick("phone").or_else(|| answer(CONTACT_PHONE)) }
    }

    /// From the answers as stored (a JSON object of strings); nobody for anything else.
    pub fn from_answers_json(json: &str) -> Citizen {
        serde_json::from_str::<BTreeMap<String, String>>(json).map(|a| Citizen::from_answers(&a)).unwrap_or_default()
    }

    /// The name as searched ([`name_key`]).
    pub fn name_key(&self) -> Option<String> {
        self.name.as_deref().map(name_key).filter(|k| !k.is_empty())
    }

    /// The given name (the last word of a Vietnamese name) as searched: "lan"
    /// for "Hoàng Thị Lan", so a name the officer hears alone finds it too.
    pub fn given_name_key(&self) -> Option<String> {
        self.name_key().and_then(|k| k.rsplit(' ').next().map(str::to_owned))
    }
}

/// A name as the desk searches it: no diacritics, lower case, single spaces.
pub fn name_key(name: &str) -> String {
    crate::text::fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the desk's search box asks for (`GET /api/desk/dossiers?q=…`):
/// among all of the agency's dossiers, open or closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueSearch {
    /// A dossier code or its beginning, in capitals, with or without the
    /// agency in front: `000.00.06.H56-261125-0001`, `261125-0001`.
    Code(String),
    /// A citizen ID number: 12 digits, exactly.
    IdNumber(String),
    /// A mobile number as the forms keep it (`0xxxxxxxxx`), exactly.
    Phone(String),
    /// The beginning of a citizen's name as [`name_key`] writes it; one word
    /// also finds the given name.
    Name(String),
}

/// The longest search the desk reads.
pub const MAX_SEARCH_CHARS: usize = 100;
/// A search answers its first matches only, without a next page.
pub const SEARCH_RESULTS: usize = 50;

impl QueueSearch {
    /// `None` for nothing to search (empty) or more than [`MAX_SEARCH_CHARS`].
    /// Digits make it an ID number (12, starting with 0, as every province
    /// code does), else a phone (as [`crate::validation::phone`] reads it),
    /// else a dossier code; without digits it is a name.
    pub fn parse(q: &str) -> Option<QueueSearch> {
        let q = q.trim();
        if q.is_empty() || q.chars().count() > MAX_SEARCH_CHARS {
            return None;
        }
        let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() == 12 && compact.starts_with('0') && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Some(QueueSearch::IdNumber(compact));
        }
        if let Ok(phone) = crate::validation::phone(q) {
            return Some(QueueSearch::Phone(phone));
        }
        if q.chars().any(|c| c.is_ascii_digit()) {
            return Some(QueueSearch::Code(compact.to_uppercase()));
        }
        let key = name_key(q);
        (!key.is_empty()).then_some(QueueSearch::Name(key))
    }
}

/// One line of the audit trail: who, when, from what to what, and the notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    /// `citizen`, or `officer:<username>`: for records and tests.
    pub actor: String,
    /// What the desk shows: the officer's name; `None` for the citizen (the
    /// app says "Công dân") or an account that no longer exists.
    #[serde(default)]
    pub actor_name: Option<String>,
    pub from: Option<Status>,
    pub to: Status,
    pub note_to_citizen: Option<String>,
    pub internal_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskDossier {
    pub item: QueueItem,
    /// The version of the form it was filled with: its questions label the
    /// answers (`GET /api/forms/{code}/versions/{version}`).
    #[serde(default)]
    pub form_version: Option<u32>,
    pub answers: BTreeMap<String, String>,
    pub history: Vec<AuditEntry>,
    /// Photos and scans; the content is at `/api/desk/dossiers/{code}/attachments/{id}`.
    #[serde(default)]
    pub attachments: Vec<AttachmentInfo>,
    /// What this officer may do now (the buttons to show).
    pub allowed_actions: Vec<ActionKind>,
    /// The messages sent to the citizen about it, and what each gateway said.
    #[serde(default)]
    pub messages: Vec<crate::notify::Delivery>,
}

/// An officer's action on a dossier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionRequest {
    #[serde(flatten)]
    pub action: Action,
    #[serde(default)]
    pub note_to_citizen: Option<String>,
    #[serde(default)]
    pub internal_note: Option<String>,
}

pub const MAX_NOTE_CHARS: usize = 2000;

/// The appointment after an action moves a dossier from `from` to `to`:
/// leaving "documents requested" or "fees requested" (the citizen owed
/// something), the clock stood still since the dossier entered `from`, so
/// the date moves back by the working days of the wait. `None` when it does
/// not move. `history` is the audit trail, oldest first.
pub fn appointment_after(
    from: Status,
    to: Status,
    appointment_on: Option<Date>,
    history: &[AuditEntry],
    today: Date,
    calendar: &crate::dossier::calendar::HolidayCalendar,
) -> Option<Date> {
    if !from.clock_paused() || to.clock_paused() {
        return None;
    }
    let paused_on: Date = history.iter().rev().find(|e| e.to == from)?.at.get(..10)?.parse().ok()?;
    crate::dossier::calendar::extend_for_pause(appointment_on?, paused_on, today, calendar).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_names_the_field_at_fault() {
        assert_eq!(check_account("lan.nguyen", "Nguyễn Thị Lan"), Ok(()));
        assert_eq!(check_account("Lan Nguyen", "Nguyễn Thị Lan").unwrap_err().0, "username");
        assert_eq!(check_account("lan.nguyen", "  ").unwrap_err().0, "display_name");
        assert_eq!(check_account("lan.nguyen", &"a".repeat(101)).unwrap_err().0, "display_name");
        assert_eq!(check_account("lan.nguyen", "Lan\nNguyen").unwrap_err().0, "display_name");
    }

    fn entry(at: &str, to: Status) -> AuditEntry {
        AuditEntry { at: at.into(), actor: "officer:a".into(), actor_name: None, from: None, to, note_to_citizen: None, internal_note: None }
    }

    #[test]
    fn the_appointment_moves_back_by_the_working_days_the_citizen_took() {
        let cal = crate::dossier::calendar::HolidayCalendar::vietnam();
        let date = |s: &str| s.parse::<Date>().unwrap();
        let history = [
            entry("2026-11-02T08:00:00+07:00", Status::Submitted),
            entry("2026-11-02T09:00:00+07:00", Status::Accepted),
            entry("2026-11-09T10:00:00+07:00", Status::DocumentsRequested),
        ];
        let due = Some(date("2026-11-13"));
        // Requested on Monday the 9th, supplied on Monday the 16th: five working days.
        let moved = appointment_after(Status::DocumentsRequested, Status::Processing, due, &history, date("2026-11-16"), cal);
        assert_eq!(moved, Some(date("2026-11-20")));
        // Not leaving a pause, or going into another: the date stays.
        assert_eq!(appointment_after(Status::Accepted, Status::Processing, due, &history, date("2026-11-16"), cal), None);
        assert_eq!(appointment_after(Status::DocumentsRequested, Status::FeesRequested, due, &history, date("2026-11-16"), cal), None);
        // No appointment (a procedure without a set time): nothing to move.
        assert_eq!(appointment_after(Status::DocumentsRequested, Status::Processing, None, &history, date("2026-11-16"), cal), None);
    }

    #[test]
    fn a_queue_cursor_round_trips_and_refuses_anything_else() {
        let c = QueueCursor::parse("2026-11-25~000.00.06.H56-261125-10000").unwrap();
        assert_eq!(c.code, "000.00.06.H56-261125-10000");
        assert_eq!(QueueCursor::parse(&c.to_string()), Some(c));
        for bad in ["", "2026-11-25", "2026-13-01~H56-1", "2026-11-25~", "2026-11-25~a'b", "x~y"] {
            assert_eq!(QueueCursor::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn queue_filters() {
        let today = Date::new(2026, 3, 10).unwrap();
        let due = |d| Date::new(2026, 3, d);
        assert!(QueueFilter::New.includes(Status::Submitted, due(20), today));
        assert!(!QueueFilter::New.includes(Status::Accepted, due(20), today));
        assert!(QueueFilter::Overdue.includes(Status::Processing, due(9), today));
        assert!(!QueueFilter::Overdue.includes(Status::ResultReady, due(9), today));
        assert!(QueueFilter::DueSoon.includes(Status::Processing, due(12), today));
        assert!(!QueueFilter::DueSoon.includes(Status::Processing, due(20), today));
        assert!(QueueFilter::Waiting.includes(Status::DocumentsRequested, due(20), today));
        assert!(!QueueFilter::Open.includes(Status::ResultReturned, due(20), today));
    }

    #[test]
    fn action_requests_read_flat_json() {
        let r: ActionRequest =
            serde_json::from_str(r#"{"action":"refuse","reason":"Thiếu giấy chứng sinh","note_to_citizen":"x"}"#).unwrap();
        assert_eq!(r.action.kind(), ActionKind::Refuse);
        assert_eq!(r.note_to_citizen.as_deref(), Some("x"));
    }

    #[test]
    fn the_search_box_reads_codes_ids_phones_and_names() {
        use QueueSearch::*;
        assert_eq!(QueueSearch::parse("  Hoàng  THỊ lan "), Some(Name("hoang thi lan".into())));
        assert_eq!(QueueSearch::parse("Ksor H'Bia"), Some(Name("ksor h'bia".into())));
        assert_eq!(QueueSearch::parse("079 203 001234"), Some(IdNumber("079203001234".into())));
        assert_eq!(QueueSearch::parse("+84 912 345 678"), Some(Phone("0912345678".into())));
        assert_eq!(QueueSearch::parse("0912.345.678"), Some(Phone("0912345678".into())));
        assert_eq!(QueueSearch::parse("000.00.06.h56-261125-0001"), Some(Code("000.00.06.H56-261125-0001".into())));
        assert_eq!(QueueSearch::parse("261125-00"), Some(Code("261125-00".into())));
        // Twelve digits that cannot be an ID (no province starts with 8) are a phone.
        assert_eq!(QueueSearch::parse("840912345678"), Some(Phone("0912345678".into())));
        for nothing in ["", "   ", "\u{0301}"] {
            assert_eq!(QueueSearch::parse(nothing), None, "{nothing:?}");
        }
        assert_eq!(QueueSearch::parse(&"a".repeat(MAX_SEARCH_CHARS + 1)), None);
        assert!(QueueSearch::parse(&"ă".repeat(MAX_SEARCH_CHARS)).is_some(), "characters, not bytes");
    }

    #[test]
    fn the_citizen_is_the_first_person_a_form_asks_about() {
        let answers = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let birth = Citizen::from_answers(&answers(&[
            ("child_name", "Hoàng Minh An"),
            ("applicant_name", "Hoàng Thị Lan"),
            ("applicant_id", "079203001234"),
            ("mother_id", "001185012345"),
            ("applicant_phone", "0912345678"),
        ]));
        assert_eq!(birth.name.as_deref(), Some("Hoàng Thị Lan"));
        assert_eq!(birth.id_number.as_deref(), Some("079203001234"));
        assert_eq!(birth.phone.as_deref(), Some("0912345678"));
        assert_eq!(birth.name_key().as_deref(), Some("hoang thi lan"));
        assert_eq!(birth.given_name_key().as_deref(), Some("lan"));
        let marriage = Citizen::from_answers(&answers(&[
            ("wife_name", "Lò Thị Xuân"),
            ("husband_name", "Đặng Văn Đức"),
            ("contact_phone", "0987654321"),
        ]));
        assert_eq!(marriage.name_key().as_deref(), Some("dang van duc"));
        assert_eq!(marriage.phone.as_deref(), Some("0987654321"));
        assert_eq!(Citizen::from_answers_json("not json"), Citizen::default());
        assert_eq!(Citizen::from_answers_json(r#"{"owner_name":"Y Moan Niê"}"#).given_name_key().as_deref(), Some("nie"));
    }

    /// Every form file: the citizen the desk shows and finds is the form's
    /// first name, first ID number and first phone.
    #[test]
    fn every_form_names_its_citizen_where_the_desk_looks() {
        use crate::forms::{FormSpec, QuestionKind};
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/forms");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let spec: FormSpec = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let answers: BTreeMap<String, String> = spec.questions.iter().map(|q| (q.id.clone(), format!("<{}>", q.id))).collect();
            let citizen = Citizen::from_answers(&answers);
            let first = |kind: QuestionKind| spec.questions.iter().find(|q| q.kind == kind).map(|q| format!("<{}>", q.id));
            let name = path.display();
            assert_eq!(citizen.name, first(QuestionKind::Name), "{name}: the name");
            assert_eq!(citizen.id_number, first(QuestionKind::CitizenId), "{name}: the ID number");
            assert_eq!(citizen.phone, first(QuestionKind::Phone), "{name}: the phone");
            assert!(citizen.name.is_some() && citizen.phone.is_some(), "{name} names nobody the desk can find");
            checked += 1;
        }
        assert!(checked >= 8, "{checked} forms");
    }

    #[test]
    fn usernames() {
        assert!(valid_username("can.bo-01"));
        assert!(!valid_username("Admin"));
        assert!(!valid_username("ab"));
    }
}
