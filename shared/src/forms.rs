//! Forms as data: what a procedure's online form (tờ khai) asks, as a JSON
//! [`FormSpec`] per procedure, published by the province's administrator in
//! versions (the first ones are `data/forms/<code>.json`), and
//! the check of a citizen's answers against it. The browser renders the
//! questions and runs [`validate_answers`] to tell the citizen at once; the
//! submission function runs it again, as the browser can be bypassed.
//!
//! Answers travel as a map from question id to the text typed or chosen.
//! Issues carry the question id and a [`FieldError`] code, never the value.
//!
//! Limits of this first version:
//! - [`QuestionKind::Address`] answers are `detail, commune, province`, made
//!   by pickers over the official list of units; [`validate_answers`] checks
//!   the shape, and the submission function checks the place against its
//!   copy of the list ([`validation::place_known`]).
//! - [`QuestionKind::File`] questions are answered by attachments, not by
//!   text: [`validate_answers`] reports nothing for them and drops any text
//!   sent under their id. Whether a required photo was attached is checked
//!   where attachments are received.
//! - No conditions between questions ("show this only if …") and no
//!   cross-field checks (an ID's birth year against a date of birth): the
//!   caller can add those with [`crate::validation::CitizenId::matches_birth_date`].

use crate::dossier::calendar::Date;
use crate::dossier::code::DossierCode;
use crate::validation::{self, FieldError, FieldIssue};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Length limit of a text or address answer whose question sets none.
pub const DEFAULT_MAX_CHARS: u32 = 500;
/// The largest `max_chars` a form may set.
pub const MAX_MAX_CHARS: u32 = 2000;

/// The icons a question may show beside its label (the browser holds one SVG each).
pub const ICONS: [&str; 13] = [
    "person", "calendar", "id_card", "phone", "home", "map", "document", "camera", "heart", "baby", "rings", "money",
    "building",
];

/// An answer under an id the form does not have (a crafted request, or a
/// draft saved before the form changed).
pub const UNKNOWN_QUESTION: FieldError = FieldError::UnknownField;

/// A choice answer that is not one of the offered values (a stale draft saved
/// before the form changed, or a crafted request): the citizen chooses again.
pub const NOT_A_CHOICE: FieldError = FieldError::InvalidChoice;

/// A procedure's online form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormSpec {
    /// Mã TTHC in the national catalogue, e.g. `1.001193`; the file is named after it.
    pub procedure_code: String,
    /// The receiving agency's id, the prefix of the dossier codes it issues
    /// (`000.00.06.H56`). Each province sets its own.
    pub agency_id: String,
    pub title_vi: String,
    pub questions: Vec<Question>,
    /// The published version this is (1, 2, …), set by the portal when it
    /// serves a form; a form file leaves it out.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A form in the list `GET /api/forms` gives (the desk's intake page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormSummary {
    pub procedure_code: String,
    pub agency_id: String,
    pub title_vi: String,
    /// The version citizens fill now.
    #[serde(default)]
    pub version: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// snake_case, unique in the form; the key of the answer.
    pub id: String,
    pub kind: QuestionKind,
    /// Translated through the locale files, e.g. `form.birth.child_name`.
    pub label_key: String,
    /// The Vietnamese label, shown while a language lacks the key.
    pub label_vi: String,
    /// One short plain-language sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_vi: Option<String>,
    /// What officers read at the desk when the citizen's wording does not
    /// suit them ("Họ và tên người nộp" for "Họ và tên của bạn").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer_label_vi: Option<String>,
    /// One of [`ICONS`].
    pub icon: String,
    pub required: bool,
    /// The options of a [`QuestionKind::Choice`] question, and only of one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Length limit of a text or address answer; [`DEFAULT_MAX_CHARS`] when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<u32>,
    /// For a date: today is allowed, tomorrow is not.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_in_future: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// What the answer holds: lowercase ASCII letters, digits and underscores.
    pub value: String,
    pub label_key: String,
    pub label_vi: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Free text, trimmed, at most `max_chars`.
    Text,
    /// A personal name ([`validation::person_name`]).
    Name,
    /// `YYYY-MM-DD` or `dd/mm/yyyy`, answered as `YYYY-MM-DD`.
    Date,
    /// One of the question's `choices`, answered by its `value`.
    Choice,
    /// A 12-digit citizen ID ([`validation::citizen_id`]).
    CitizenId,
    /// A Vietnamese mobile number, answered as `0xxxxxxxxx`.
    Phone,
    /// `detail, commune, province` ([`validation::address`]).
    Address,
    /// Answered by attachments (photos of papers), never by text.
    File,
}

impl FormSpec {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl Question {
    /// The label an officer reads: the officer's wording, else the citizen's.
    pub fn officer_label(&self) -> &str {
        self.officer_label_vi.as_deref().unwrap_or(&self.label_vi)
    }

    fn max_chars(&self) -> usize {
        self.max_chars.unwrap_or(DEFAULT_MAX_CHARS) as usize
    }

    /// The answer normalised, or why it is refused. `input` is not empty.
    fn check(&self, input: &str, today: Date) -> Result<String, FieldError> {
        match self.kind {
            QuestionKind::Text => validation::required_text(input, self.max_chars()),
            QuestionKind::Address => validation::address(input, self.max_chars()),
            QuestionKind::Name => validation::person_name(input),
            QuestionKind::Date => {
                let d = validation::date(input)?;
                let d = if self.not_in_future { validation::not_in_future(d, today)? } else { d };
                Ok(d.to_string())
            }
            QuestionKind::Choice => {
                let value = input.trim();
                match self.choices.iter().find(|c| c.value == value) {
                    Some(c) => Ok(c.value.clone()),
                    None => Err(NOT_A_CHOICE),
                }
            }
            QuestionKind::CitizenId => validation::citizen_id(input, today).map(|id| id.as_str().to_owned()),
            QuestionKind::Phone => validation::phone(input),
            QuestionKind::File => unreachable!("file questions are not answered by text"),
        }
    }
}

/// Checks a citizen's answers against the form: every required question
/// (except files) answered after trimming, each answer by its kind, no answer
/// under an id the form lacks. Returns the answers cleaned (trimmed, spaces
/// collapsed in names, phones as `0xxxxxxxxx`, IDs without spaces, dates as
/// `YYYY-MM-DD`), without empty optional answers and without any text sent
/// for a file question; or every issue, in question order, then the unknown
/// ids in sorted order. `today` is the date in Vietnam (no clock here).
pub fn validate_answers(
    spec: &FormSpec,
    answers: &BTreeMap<String, String>,
    today: Date,
) -> Result<BTreeMap<String, String>, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    let mut clean = BTreeMap::new();
    for q in &spec.questions {
        if q.kind == QuestionKind::File {
            continue;
        }
        let input = answers.get(&q.id).map(|s| s.trim()).unwrap_or("");
        if input.is_empty() {
            if q.required {
                issues.push(FieldIssue::new(&q.id, FieldError::Required));
            }
            continue;
        }
        match q.check(input, today) {
            Ok(value) => {
                clean.insert(q.id.clone(), value);
            }
            Err(e) => issues.push(FieldIssue::new(&q.id, e)),
        }
    }
    for id in answers.keys() {
        if spec.question(id).is_none() {
            issues.push(FieldIssue::new(id, UNKNOWN_QUESTION));
        }
    }
    if issues.is_empty() { Ok(clean) } else { Err(issues) }
}

/// `[a-z][a-z0-9]*` words joined by single underscores.
fn is_snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.split('_').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// `form.` then dot-separated snake_case words: `form.birth.child_name`.
fn is_label_key(s: &str) -> bool {
    s.strip_prefix("form.").is_some_and(|rest| rest.split('.').all(is_snake_case))
}

fn is_choice_value(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks a form file before it is served: a procedure code and title; an
/// agency id a dossier code can start with; at least one question; ids
/// snake_case and unique; label keys `form.…` of snake_case words; non-empty
/// Vietnamese labels and help; icons from [`ICONS`]; choices (non-empty, with
/// unique values) on choice questions and only there; `max_chars` only on
/// text and address, 1..=[`MAX_MAX_CHARS`]; `not_in_future` only on dates.
/// Returns every problem found, joined with "; ".
pub fn check_spec(spec: &FormSpec) -> Result<(), String> {
    let mut problems = Vec::new();
    if spec.procedure_code.trim().is_empty() {
        problems.push("procedure_code is empty".to_owned());
    }
    if spec.title_vi.trim().is_empty() {
        problems.push("title_vi is empty".to_owned());
    }
    let some_day = Date::new(2026, 1, 1).expect("a real date");
    if DossierCode::new(&spec.agency_id, some_day, 1).is_err() {
        problems.push("agency_id cannot start a dossier code (1 to 32 letters, digits or dots)".to_owned());
    }
    if spec.questions.is_empty() {
        problems.push("the form has no questions".to_owned());
    }
    let mut ids = BTreeSet::new();
    for q in &spec.questions {
        let id = &q.id;
        let mut problem = |what: &str| problems.push(format!("question {id:?}: {what}"));
        if !is_snake_case(id) {
            problem("id is not snake_case");
        }
        if !ids.insert(id.as_str()) {
            problem("id repeats");
        }
        if !is_label_key(&q.label_key) {
            problem("label_key must be \"form.\" then snake_case words separated by dots");
        }
        if q.label_vi.trim().is_empty() {
            problem("label_vi is empty");
        }
        if q.help_vi.as_deref().is_some_and(|h| h.trim().is_empty()) {
            problem("help_vi is empty; leave it out instead");
        }
        if q.officer_label_vi.as_deref().is_some_and(|h| h.trim().is_empty()) {
            problem("officer_label_vi is empty; leave it out instead");
        }
        if !ICONS.contains(&q.icon.as_str()) {
            problem("icon is not one of the fixed set");
        }
        if q.kind == QuestionKind::Choice {
            if q.choices.is_empty() {
                problem("a choice question needs choices");
            }
            let mut values = BTreeSet::new();
            for c in &q.choices {
                if !is_choice_value(&c.value) {
                    problem("a choice value must be lowercase letters, digits and underscores");
                }
                if !values.insert(c.value.as_str()) {
                    problem("a choice value repeats");
                }
                if !is_label_key(&c.label_key) {
                    problem("a choice label_key must be \"form.\" then snake_case words separated by dots");
                }
                if c.label_vi.trim().is_empty() {
                    problem("a choice label_vi is empty");
                }
            }
        } else if !q.choices.is_empty() {
            problem("only choice questions have choices");
        }
        match q.max_chars {
            Some(_) if !matches!(q.kind, QuestionKind::Text | QuestionKind::Address) => {
                problem("max_chars is only for text and address questions")
            }
            Some(n) if !(1..=MAX_MAX_CHARS).contains(&n) => problem("max_chars must be 1 to 2000"),
            _ => {}
        }
        if q.not_in_future && q.kind != QuestionKind::Date {
            problem("not_in_future is only for date questions");
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2026-03-10".parse().unwrap()
    }

    fn q(id: &str, kind: QuestionKind, required: bool) -> Question {
        Question {
            id: id.into(),
            kind,
            label_key: format!("form.test.{id}"),
            label_vi: format!("Nhãn {id}"),
            help_vi: None,
            officer_label_vi: None,
            icon: "document".into(),
            required,
            choices: Vec::new(),
            max_chars: None,
            not_in_future: false,
        }
    }

    fn choice(value: &str) -> Choice {
        Choice { value: value.into(), label_key: format!("form.test.sex.{value}"), label_vi: value.into() }
    }

    /// One question of each kind; the optional ones are the note and the address.
    fn spec() -> FormSpec {
        FormSpec {
            procedure_code: "1.001193".into(),
            agency_id: "000.00.06.H56".into(),
            title_vi: "Đăng ký thử".into(),
            questions: vec![
                q("full_name", QuestionKind::Name, true),
                q("citizen_id", QuestionKind::CitizenId, true),
                q("phone", QuestionKind::Phone, true),
                Question { not_in_future: true, ..q("birth_date", QuestionKind::Date, true) },
                q("meeting_date", QuestionKind::Date, true),
                Question { choices: vec![choice("male"), choice("female")], ..q("sex", QuestionKind::Choice, true) },
                Question { max_chars: Some(10), ..q("note", QuestionKind::Text, false) },
                q("address", QuestionKind::Address, false),
                q("paper_photo", QuestionKind::File, true),
            ],
            version: 0,
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn good() -> BTreeMap<String, String> {
        answers(&[
            ("full_name", "  Nguyễn   Thị  Lan "),
            ("citizen_id", "079 203 001234"),
            ("phone", "+84 912 345 678"),
            ("birth_date", "15/01/2020"),
            ("meeting_date", "2027-05-01"),
            ("sex", " female "),
            ("note", "  ạạạạạạạạạạ  "),
            ("address", "   "),
        ])
    }

    fn issue(field: &str, error: FieldError) -> FieldIssue {
        FieldIssue::new(field, error)
    }

    #[test]
    fn the_test_spec_is_valid() {
        assert_eq!(check_spec(&spec()), Ok(()));
    }

    #[test]
    fn good_answers_come_back_cleaned() {
        let clean = validate_answers(&spec(), &good(), today()).unwrap();
        assert_eq!(
            clean,
            answers(&[
                ("full_name", "Nguyễn Thị Lan"),
                ("citizen_id", "079203001234"),
                ("phone", "0912345678"),
                ("birth_date", "2020-01-15"),
                // Not limited to the past: no not_in_future on this one.
                ("meeting_date", "2027-05-01"),
                ("sex", "female"),
                ("note", "ạạạạạạạạạạ"),
                // The blank optional address is left out.
            ])
        );
    }

    #[test]
    fn missing_required_answers_are_reported_in_question_order() {
        let issues = validate_answers(&spec(), &answers(&[("phone", " \t"), ("sex", "male")]), today()).unwrap_err();
        assert_eq!(
            issues,
            vec![
                issue("full_name", FieldError::Required),
                issue("citizen_id", FieldError::Required),
                issue("phone", FieldError::Required),
                issue("birth_date", FieldError::Required),
                issue("meeting_date", FieldError::Required),
            ]
        );
    }

    #[test]
    fn file_questions_are_left_to_the_attachment_check() {
        // A required file question with no text is not an issue, and text sent for it is dropped.
        let mut a = good();
        a.insert("paper_photo".into(), "photo.jpg".into());
        let clean = validate_answers(&spec(), &a, today()).unwrap();
        assert!(!clean.contains_key("paper_photo"));
    }

    #[test]
    fn unknown_ids_are_refused_after_the_questions() {
        let mut a = good();
        a.insert("zz_extra".into(), "x".into());
        a.insert("aa_extra".into(), "".into());
        a.insert("phone".into(), "123".into());
        let issues = validate_answers(&spec(), &a, today()).unwrap_err();
        assert_eq!(
            issues,
            vec![
                issue("phone", FieldError::InvalidPhone),
                issue("aa_extra", UNKNOWN_QUESTION),
                issue("zz_extra", UNKNOWN_QUESTION),
            ]
        );
    }

    #[test]
    fn each_kind_refuses_a_bad_answer_and_all_issues_are_reported() {
        let a = answers(&[
            ("full_name", "Nguyễn Văn 2"),
            ("citizen_id", "123456789"),
            ("phone", "0212345678"),
            ("birth_date", "2026-03-11"),
            ("meeting_date", "31/04/2026"),
            ("sex", "other"),
            ("note", "ạạạạạạạạạạạ"),
            ("address", "Lào Cai"),
        ]);
        let issues = validate_answers(&spec(), &a, today()).unwrap_err();
        assert_eq!(
            issues,
            vec![
                issue("full_name", FieldError::InvalidName),
                issue("citizen_id", FieldError::InvalidCitizenId),
                issue("phone", FieldError::InvalidPhone),
                issue("birth_date", FieldError::FutureDate),
                issue("meeting_date", FieldError::InvalidDate),
                issue("sex", NOT_A_CHOICE),
                issue("note", FieldError::TooLong),
                issue("address", FieldError::InvalidAddress),
            ]
        );
        // Today itself is not in the future; the default limit is 500 characters.
        let mut a = good();
        a.insert("birth_date".into(), "2026-03-10".into());
        a.insert("address".into(), format!("{}, Xã Mù Cang Chải, Lào Cai", "ạ".repeat(470)));
        assert!(validate_answers(&spec(), &a, today()).is_ok());
        // A choice is matched by value, not by its label or case.
        for bad in ["Female", "nữ", "fem"] {
            let mut a = good();
            a.insert("sex".into(), bad.into());
            assert_eq!(validate_answers(&spec(), &a, today()), Err(vec![issue("sex", NOT_A_CHOICE)]), "{bad}");
        }
    }

    #[test]
    fn issues_never_hold_the_value() {
        let a = answers(&[("full_name", "Secret 9"), ("citizen_id", "079203999999x"), ("phone", "0999")]);
        let issues = validate_answers(&spec(), &a, today()).unwrap_err();
        let text = serde_json::to_string(&issues).unwrap() + &format!("{issues:?}");
        for value in ["Secret", "079203999999", "0999"] {
            assert!(!text.contains(value), "{value} leaked into {text}");
        }
    }

    #[test]
    fn check_spec_finds_every_problem() {
        let mut s = spec();
        s.agency_id = "000-00".into();
        s.questions[0].id = "Full-Name".into();
        s.questions[1].id = "phone".into();
        s.questions[2].label_key = "birth.child".into();
        s.questions[3].icon = "rocket".into();
        s.questions[4].help_vi = Some(" ".into());
        s.questions[5].choices.clear();
        s.questions[6].choices = vec![choice("a")];
        s.questions[7].max_chars = Some(0);
        s.questions[8].not_in_future = true;
        let err = check_spec(&s).unwrap_err();
        for want in [
            "agency_id",
            "\"Full-Name\": id is not snake_case",
            "\"phone\": id repeats",
            "\"phone\": label_key",
            "\"birth_date\": icon",
            "\"meeting_date\": help_vi",
            "\"sex\": a choice question needs choices",
            "\"note\": only choice questions have choices",
            "\"address\": max_chars must be 1 to 2000",
            "\"paper_photo\": not_in_future",
        ] {
            assert!(err.contains(want), "{want:?} missing from {err}");
        }
        let mut s = spec();
        s.questions[0].max_chars = Some(50);
        s.questions[5].choices.push(choice("male"));
        s.questions[5].choices.push(Choice { value: "Nam".into(), ..choice("x") });
        let err = check_spec(&s).unwrap_err();
        assert!(err.contains("\"full_name\": max_chars is only for text and address"), "{err}");
        assert!(err.contains("a choice value repeats"), "{err}");
        assert!(err.contains("a choice value must be lowercase"), "{err}");
        assert!(check_spec(&FormSpec { questions: Vec::new(), ..spec() }).is_err());
    }

    #[test]
    fn snake_case_and_label_keys() {
        for ok in ["a", "child_name", "id2", "mother_id_2"] {
            assert!(is_snake_case(ok), "{ok}");
        }
        for bad in ["", "_a", "a_", "a__b", "2a", "Child", "child-name", "tên"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
        assert!(is_label_key("form.birth.child_name"));
        assert!(is_label_key("form.common.sex.male"));
        for bad in ["form.", "form..x", "form.x.", "forms.x", "birth.child", "form.Birth"] {
            assert!(!is_label_key(bad), "{bad}");
        }
    }

    #[test]
    fn the_json_shape() {
        let json = r#"{"procedure_code":"1.001193","agency_id":"000.00.06.H56","title_vi":"T","questions":[
            {"id":"sex","kind":"choice","label_key":"form.x.sex","label_vi":"Giới tính","icon":"person",
             "required":true,"choices":[{"value":"male","label_key":"form.x.male","label_vi":"Nam"}]},
            {"id":"dob","kind":"date","label_key":"form.x.dob","label_vi":"Ngày sinh","icon":"calendar",
             "required":true,"not_in_future":true},
            {"id":"photo","kind":"file","label_key":"form.x.photo","label_vi":"Ảnh","icon":"camera","required":false}]}"#;
        let s: FormSpec = serde_json::from_str(json).unwrap();
        assert_eq!(s.questions[0].kind, QuestionKind::Choice);
        assert!(s.questions[1].not_in_future && s.questions[1].choices.is_empty());
        assert_eq!(s.questions[2].kind, QuestionKind::File);
        // Round trip; defaults are left out of what is served.
        let out = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<FormSpec>(&out).unwrap(), s);
        assert!(!out.contains("max_chars") && !out.contains("help_vi"));
        assert_eq!(out.matches("not_in_future").count(), 1);
        assert_eq!(out.matches("choices").count(), 1);
        // A misspelt question key is an error, not a silently dropped rule.
        let typo = json.replace("\"not_in_future\"", "\"not_in_futur\"");
        assert!(serde_json::from_str::<FormSpec>(&typo).is_err());
        for kind in ["text", "name", "date", "choice", "citizen_id", "phone", "address", "file"] {
            assert!(serde_json::from_str::<QuestionKind>(&format!("\"{kind}\"")).is_ok(), "{kind}");
        }
    }

    /// The form files the submission function serves, checked against the catalogue seed.
    #[test]
    fn every_form_file_is_valid_and_a_complete_answer_set_passes() {
        use crate::catalogue::SeedRecord;

        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let seed = std::fs::read_to_string(format!("{root}/data/procedures.json")).unwrap();
        let seed: Vec<SeedRecord> = serde_json::from_str(&seed).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(format!("{root}/data/forms"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() >= 8, "{} form files", files.len());
        // A label key means one Vietnamese label (and help) in every form, or translations would disagree.
        let mut labels: BTreeMap<String, (String, Option<String>, String)> = BTreeMap::new();
        for path in &files {
            let name = path.file_stem().unwrap().to_str().unwrap();
            let spec: FormSpec = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
                .unwrap_or_else(|e| panic!("{name}.json: {e}"));
            if let Err(e) = check_spec(&spec) {
                panic!("{name}.json: {e}");
            }
            assert_eq!(spec.procedure_code, name, "file name and procedure_code differ");
            assert!(seed.iter().any(|r| r.code == spec.procedure_code), "{name} is not in the catalogue seed");
            let n = spec.questions.len();
            assert!((5..=12).contains(&n), "{name}.json has {n} questions");
            assert!(spec.questions.iter().any(|q| q.kind == QuestionKind::File), "{name}.json asks for no papers");
            for q in &spec.questions {
                // Officers at the desk read the applicant, not "you".
                let to_you = q.label_vi.to_lowercase().split_whitespace().any(|w| w == "bạn");
                assert!(!to_you || q.officer_label_vi.is_some(), "{name}.json: {} speaks to the citizen and has no officer_label_vi", q.id);
                assert!(!q.officer_label().contains("bạn"), "{name}.json: {} officer wording says bạn", q.id);
                let mut seen = vec![(q.label_key.clone(), q.label_vi.clone(), q.help_vi.clone())];
                seen.extend(q.choices.iter().map(|c| (c.label_key.clone(), c.label_vi.clone(), None)));
                for (key, label, help) in seen {
                    let entry = labels.entry(key.clone()).or_insert((label.clone(), help.clone(), name.to_owned()));
                    assert_eq!((&entry.0, &entry.1), (&label, &help), "{key} differs between {} and {name}", entry.2);
                }
            }

            let mut answers = BTreeMap::new();
            for q in &spec.questions {
                let answer = match q.kind {
                    QuestionKind::Name => "Nguyễn Thị Minh Khai".to_owned(),
                    QuestionKind::CitizenId => "079 203 001234".to_owned(),
                    QuestionKind::Phone => "0912 345 678".to_owned(),
                    QuestionKind::Date => "2020-01-15".to_owned(),
                    QuestionKind::Choice => q.choices[0].value.clone(),
                    QuestionKind::Text => "Thôn 3, xã Ea Tu".to_owned(),
                    QuestionKind::Address => "Thôn 3, Xã Ea Tu, Đắk Lắk".to_owned(),
                    QuestionKind::File => continue,
                };
                answers.insert(q.id.clone(), answer);
            }
            let clean = validate_answers(&spec, &answers, today()).unwrap_or_else(|e| panic!("{name}.json: {e:?}"));
            let answered = spec.questions.iter().filter(|q| q.kind != QuestionKind::File).count();
            assert_eq!(clean.len(), answered, "{name}.json");
            for q in &spec.questions {
                let want = match q.kind {
                    QuestionKind::CitizenId => "079203001234",
                    QuestionKind::Phone => "0912345678",
                    _ => continue,
                };
                assert_eq!(clean[&q.id], want, "{name}.json {}", q.id);
            }
            // Only the required questions: what a citizen must fill in passes with the rest left blank.
            let required: BTreeMap<_, _> =
                answers.into_iter().filter(|(id, _)| spec.question(id).is_some_and(|q| q.required)).collect();
            assert!(validate_answers(&spec, &required, today()).is_ok(), "{name}.json");
            // And nothing at all is refused with one issue per required non-file question.
            let issues = validate_answers(&spec, &BTreeMap::new(), today()).unwrap_err();
            assert_eq!(issues.len(), spec.questions.iter().filter(|q| q.required && q.kind != QuestionKind::File).count());
        }
    }
}
