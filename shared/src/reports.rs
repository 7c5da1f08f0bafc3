//! Citizens' reports (phản ánh, kiến nghị): what a citizen sends about a
//! service, a procedure or an officer's conduct, the agency's answer within
//! a deadline on the working-day clock, the supervisor's moderation before
//! anything is public, and the citizen's rating of the answer. The types
//! the app, the desk and the reports component exchange, and the rules
//! they share, tested natively.

use crate::dossier::calendar::Date;
use crate::notify::NotifyChoice;
use crate::ratings::{Choice, Tally};
use crate::validation::{optional_line, required_text, text_within, FieldError, FieldIssue};
use serde::{Deserialize, Serialize};

/// The text of a report: long enough to say something, short enough for a phone.
pub const TEXT_CHARS: std::ops::RangeInclusive<usize> = 10..=4000;
pub const MAX_ANSWER_CHARS: usize = 4000;
pub const MAX_NAME_CHARS: usize = 100;
/// Working days an agency has to answer unless it set its own (Đà Nẵng's "Góp ý": 3).
pub const DEFAULT_ANSWER_DAYS: u32 = 3;
pub const ANSWER_DAYS: std::ops::RangeInclusive<u32> = 1..=30;
/// A report's code: `PA-` (phản ánh), the day, a number of the day.
pub const CODE_PREFIX: &str = "PA-";
pub const MAX_REPORT_BYTES: usize = 32 * 1024;
/// Photos a report may carry (uploaded first, like a dossier's papers):
/// as many as one question of a form takes, which the photo picker offers.
pub const MAX_PHOTOS: usize = crate::dossier::attachments::MAX_FILES_PER_QUESTION;
/// Rows on one page of the public list and of the desk's queue.
pub const PAGE_ROWS: u32 = 20;

/// What a report is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// How a service centre or an online service works (queues, hours, the portal).
    #[default]
    Service,
    /// An administrative procedure: its papers, fees, time, a rule.
    Procedure,
    /// How an officer behaved.
    Conduct,
}

impl Subject {
    pub const ALL: [Subject; 3] = [Subject::Service, Subject::Procedure, Subject::Conduct];
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Service => "service",
            Subject::Procedure => "procedure",
            Subject::Conduct => "conduct",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Where a report is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Waiting for the agency's answer.
    Received,
    /// Answered; the citizen has been told (if they asked to be).
    Answered,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Received => "received",
            ReportStatus::Answered => "answered",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [ReportStatus::Received, ReportStatus::Answered].into_iter().find(|x| x.as_str() == s)
    }
}

/// Whether the public may read a report: nothing is public before a
/// supervisor has read it (and its answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    /// Not yet looked at by a moderator.
    Pending,
    /// On the public list, as the moderator let it read.
    Published,
    /// Kept off the list by a moderator (abuse, or not fit to publish).
    Withheld,
    /// The citizen asked that it stay between them and the agency.
    Private,
}

impl Publication {
    pub const ALL: [Publication; 4] = [Publication::Pending, Publication::Published, Publication::Withheld, Publication::Private];
    pub fn as_str(self) -> &'static str {
        match self {
            Publication::Pending => "pending",
            Publication::Published => "published",
            Publication::Withheld => "withheld",
            Publication::Private => "private",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A report as the citizen's app (or the kiosk, or the outbox) sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewReport {
    /// Made once per report by the browser: a retry (the outbox after a
    /// dropped connection) gets the same receipt back.
    pub idempotency_key: String,
    #[serde(default)]
    pub subject: Subject,
    /// The agency it is about, when the citizen knows; else the province's
    /// supervisors route it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<String>,
    /// A dossier it is about, by its code (never its secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dossier_code: Option<String>,
    pub text: String,
    /// Given only if the citizen wants to; never published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How to be told of the answer; absent is not told (they look it up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify: Option<NotifyChoice>,
    /// Keep it off the public list.
    #[serde(default)]
    pub private: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Upload ids (`POST /api/uploads`) of photos of what is reported; seen
    /// by the agency only, never published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
}

/// What sending a report gives back: the code and the secret to look it up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportReceipt {
    pub code: String,
    /// Shown once; only its hash is stored.
    pub secret: String,
    pub received_on: Date,
    /// The day the answer is due.
    pub due_on: Date,
    /// The agency it went to, by name.
    pub agency_name: String,
}

/// The citizen's rating of an answer: the three faces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerRating {
    pub secret: String,
    pub choice: Choice,
}

/// What the holder of a report's code and secret reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HolderView {
    pub code: String,
    pub subject: Subject,
    pub text: String,
    pub status: ReportStatus,
    pub publication: Publication,
    pub agency_name: String,
    pub received_on: Date,
    pub due_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Choice>,
}

/// A report as the public list shows it: no name, no contact, no dossier
/// code, the text as the moderator let it read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicReport {
    pub code: String,
    pub subject: Subject,
    pub text: String,
    pub status: ReportStatus,
    pub agency_id: String,
    pub agency_name: String,
    pub received_on: Date,
    pub due_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<Date>,
    /// Answered on or before the day it was due.
    pub on_time: Option<bool>,
}

/// One page of the public list, newest first; `next` continues it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicPage {
    pub reports: Vec<PublicReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// An agency a citizen may address a report to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportAgency {
    pub id: String,
    pub name: String,
}

/// A report in the desk's queue and on its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskReport {
    pub code: String,
    pub subject: Subject,
    pub text: String,
    pub status: ReportStatus,
    pub publication: Publication,
    pub agency_id: String,
    pub received_on: Date,
    pub due_on: Date,
    /// Not answered and past the day it was due.
    pub overdue: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dossier_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    /// What the public reads once published: the text with personal data removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Choice>,
    /// The photos sent with it (on the report's page at the desk only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<crate::dossier::attachments::AttachmentInfo>,
}

/// Which of the agency's reports the desk lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeskList {
    /// Waiting for an answer, the oldest due first.
    #[default]
    Open,
    /// Answered, waiting for a moderator (supervisors).
    Moderation,
    /// Answered, newest first.
    Answered,
}

impl DeskList {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(DeskList::Open),
            "moderation" => Some(DeskList::Moderation),
            "answered" => Some(DeskList::Answered),
            _ => None,
        }
    }
}

/// The officer's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportAnswer {
    pub answer: String,
}

/// A supervisor sends a report to the agency it concerns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reroute {
    pub agency_id: String,
    pub note: String,
}

/// A supervisor's decision on what the public reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moderation {
    pub publish: bool,
    /// The text as published (the moderator removes what the automatic
    /// removal missed); absent keeps the automatic one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_text: Option<String>,
}

/// Reports of one agency in one month, for the published figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTally {
    pub received: u64,
    pub answered: u64,
    pub answered_on_time: u64,
    /// The citizens' ratings of the answers.
    pub ratings: Tally,
}

impl ReportTally {
    pub fn merge(&mut self, o: &ReportTally) {
        self.received += o.received;
        self.answered += o.answered;
        self.answered_on_time += o.answered_on_time;
        self.ratings.merge(&o.ratings);
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        crate::ratings::percent(self.answered_on_time, self.answered)
    }
}

/// Whether `code` has the shape of a report's code (`PA-261127-0001`).
pub fn is_report_code(code: &str) -> bool {
    let Some(rest) = code.strip_prefix(CODE_PREFIX) else { return false };
    let mut parts = rest.split('-');
    matches!((parts.next(), parts.next(), parts.next()),
        (Some(day), Some(n), None) if day.len() == 6 && day.bytes().all(|b| b.is_ascii_digit())
            && (4..=7).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A report's code from its day and its number on that day.
pub fn report_code(day: Date, n: u32) -> String {
    format!("{CODE_PREFIX}{:02}{:02}{:02}-{n:04}", day.year() % 100, day.month(), day.day())
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Checks a report as sent, naming each wrong field (never its value).
pub fn check_report(r: &NewReport) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Err(e) = text_within(&r.text, TEXT_CHARS) {
        issues.push(FieldIssue::new("text", e));
    }
    if let Err(e) = optional_line(r.name.as_deref(), MAX_NAME_CHARS) {
        issues.push(FieldIssue::new("name", e));
    }
    if let Some(code) = clean(&r.dossier_code) {
        if code.len() > 64 || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            issues.push(FieldIssue::new("dossier_code", FieldError::InvalidChoice));
        }
    }
    if let Some(agency) = clean(&r.agency_id) {
        if agency.len() > 32 {
            issues.push(FieldIssue::new("agency_id", FieldError::InvalidChoice));
        }
    }
    if let Some(Err(issue)) = r.notify.as_ref().map(NotifyChoice::check) {
        issues.push(issue);
    }
    if clean(&r.language).is_some_and(|l| !crate::notify::valid_language(&l)) {
        issues.push(FieldIssue::new("language", FieldError::InvalidChoice));
    }
    let odd_id = |id: &String| id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if r.photos.len() > MAX_PHOTOS || r.photos.iter().any(odd_id) {
        issues.push(FieldIssue::new("photos", FieldError::InvalidAttachment));
    }
    issues
}

/// The report as sent, trimmed: the optional fields `None` when blank.
pub fn cleaned(r: &NewReport) -> NewReport {
    NewReport {
        idempotency_key: r.idempotency_key.clone(),
        subject: r.subject,
        agency_id: clean(&r.agency_id),
        dossier_code: clean(&r.dossier_code).map(|c| c.to_uppercase()),
        text: r.text.trim().to_owned(),
        name: clean(&r.name),
        notify: r.notify.clone(),
        private: r.private,
        language: clean(&r.language),
        photos: r.photos.clone(),
    }
}

/// Checks an officer's answer; the message names the field.
pub fn check_answer(answer: &str) -> Result<String, FieldIssue> {
    required_text(answer, MAX_ANSWER_CHARS).map_err(|e| FieldIssue::new("answer", e))
}

/// The text with what looks like personal data taken out, for the public:
/// phone numbers, citizen ID numbers, e-mail addresses and dossier codes
/// become "[…]". Names cannot be found by a rule; the moderator reads
/// every report before it is published and removes them.
pub fn redact(text: &str) -> String {
    const HIDDEN: &str = "[…]";
    let mut out = String::with_capacity(text.len());
    for token in text.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        let tail = &token[word.len()..];
        let core = word.trim_matches(|c: char| ",.;:!?()\"'".contains(c));
        let digits = core.chars().filter(char::is_ascii_digit).count();
        let personal = core.contains('@')
            || digits >= 8
            || (digits >= 4 && core.contains('-') && core.contains('.'))
            || is_report_code(core);
        if personal && !core.is_empty() {
            let start = word.find(core).unwrap_or(0);
            out.push_str(&word[..start]);
            out.push_str(HIDDEN);
            out.push_str(&word[start + core.len()..]);
        } else {
            out.push_str(word);
        }
        out.push_str(tail);
    }
    // Numbers written in groups ("0912 345 678") slip past a word rule:
    // a run of digits and spaces holding 8 digits or more goes too.
    hide_spaced_numbers(&out, HIDDEN)
}

fn hide_spaced_numbers(text: &str, hidden: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || chars[i] == '+' {
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() && (chars[j].is_ascii_digit() || " .+-".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                }
                j += 1;
            }
            // Do not swallow the space after the number.
            while j > i && !chars[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if digits >= 8 {
                out.push_str(hidden);
            } else {
                out.extend(&chars[i..j.max(i + 1)]);
            }
            i = j.max(i + 1);
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Whether an unanswered report is overdue on `today`.
pub fn is_overdue(status: ReportStatus, due_on: Date, today: Date) -> bool {
    status == ReportStatus::Received && today > due_on
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::Channel;

    fn report(text: &str) -> NewReport {
        NewReport { idempotency_key: "k".repeat(20), text: text.into(), ..Default::default() }
    }

    #[test]
    fn codes_are_made_and_recognised() {
        let day = Date::new(2026, 11, 27).unwrap();
        assert_eq!(report_code(day, 7), "PA-261127-0007");
        assert!(is_report_code("PA-261127-0007"));
        assert!(is_report_code("PA-261127-12345"));
        for bad in ["PA-26112-0007", "XX-261127-0007", "PA-261127-7", "PA-261127-0007-1", "000.21.06.H56-261127-0001"] {
            assert!(!is_report_code(bad), "{bad}");
        }
    }

    #[test]
    fn a_report_names_each_wrong_field() {
        assert!(check_report(&report("Cán bộ hẹn tôi ba lần mà chưa trả kết quả.")).is_empty());
        let fields = |r: &NewReport| check_report(r).into_iter().map(|i| i.field).collect::<Vec<_>>();
        assert_eq!(fields(&report("  ")), ["text"]);
        assert_eq!(fields(&report("ngắn")), ["text"]);
        assert_eq!(fields(&report(&"a".repeat(4001))), ["text"]);
        let mut r = report("Xếp hàng quá lâu ở quầy số 3.");
        r.notify = Some(NotifyChoice { channel: Channel::Sms, phone: Some("123".into()), email: None });
        r.name = Some("x".repeat(101));
        r.dossier_code = Some("<script>".into());
        r.language = Some("xx-evil".into());
        r.photos = vec!["a".into(); MAX_PHOTOS + 1];
        assert_eq!(fields(&r), ["name", "dossier_code", "notify.phone", "language", "photos"]);
    }

    #[test]
    fn cleaning_trims_and_drops_blank_fields() {
        let mut r = report("  Xếp hàng quá lâu ở quầy số 3.  ");
        r.name = Some("   ".into());
        r.dossier_code = Some(" 000.21.06.h56-261127-0001 ".into());
        let c = cleaned(&r);
        assert_eq!(c.text, "Xếp hàng quá lâu ở quầy số 3.");
        assert_eq!(c.name, None);
        assert_eq!(c.dossier_code.as_deref(), Some("000.21.06.H56-261127-0001"));
    }

    #[test]
    fn personal_data_is_taken_out_of_what_is_published() {
        let text = "Tôi gọi 0912345678 và 0912 345 678, gửi a.b@mail.vn, CCCD 001203004567, hồ sơ 000.21.06.H56-261127-0001 (PA-261127-0002). Quầy số 3 đóng lúc 10 giờ.";
        let shown = redact(text);
        for personal in ["0912345678", "0912 345 678", "a.b@mail.vn", "001203004567", "H56-261127", "PA-261127-0002"] {
            assert!(!shown.contains(personal), "{personal} in {shown}");
        }
        assert!(shown.contains("Quầy số 3 đóng lúc 10 giờ."), "{shown}");
        assert!(shown.starts_with("Tôi gọi […] và […], gửi […], CCCD […], hồ sơ […] ([…])."), "{shown}");
    }

    #[test]
    fn only_an_unanswered_report_past_its_day_is_overdue() {
        let due = Date::new(2026, 12, 2).unwrap();
        let after = Date::new(2026, 12, 3).unwrap();
        assert!(!is_overdue(ReportStatus::Received, due, due));
        assert!(is_overdue(ReportStatus::Received, due, after));
        assert!(!is_overdue(ReportStatus::Answered, due, after));
    }

    #[test]
    fn answers_are_trimmed_and_bounded() {
        assert_eq!(check_answer("  Đã xử lý.  ").unwrap(), "Đã xử lý.");
        assert_eq!(check_answer(" ").unwrap_err().field, "answer");
        assert_eq!(check_answer(&"a".repeat(4001)).unwrap_err().field, "answer");
    }
}
