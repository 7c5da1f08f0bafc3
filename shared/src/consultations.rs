//! Consultation on drafts (lấy ý kiến): an agency publishes a draft in
//! sections with open and close dates; citizens comment per section, with a
//! name or without, under moderation; officers enter what was said at
//! village meetings or on paper, labelled as entered on someone's behalf;
//! after closing, the agency publishes a response report linked to the
//! comments it answers. The types and checks both sides share.

use crate::dossier::calendar::Date;
use crate::validation::{optional_line, text_within, FieldError, FieldIssue};
use serde::{Deserialize, Serialize};

pub const TITLE_CHARS: std::ops::RangeInclusive<usize> = 5..=200;
pub const SUMMARY_CHARS: std::ops::RangeInclusive<usize> = 10..=2000;
pub const MAX_SECTIONS: usize = 50;
pub const MAX_HEADING_CHARS: usize = 200;
pub const MAX_SECTION_CHARS: usize = 20_000;
pub const COMMENT_CHARS: std::ops::RangeInclusive<usize> = 5..=2000;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_ENTERED_FOR_CHARS: usize = 200;
pub const RESPONSE_CHARS: std::ops::RangeInclusive<usize> = 10..=20_000;
pub const MAX_CONSULTATION_BYTES: usize = 256 * 1024;
/// Comments shown under a draft at most (newest moderated last).
pub const MAX_SHOWN_COMMENTS: u32 = 500;

/// One part of a draft, commented on by itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub text: String,
}

/// A draft as its agency publishes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewConsultation {
    pub title: String,
    /// In plain words: what the draft changes for people.
    pub summary: String,
    pub sections: Vec<Section>,
    pub opens_on: Date,
    pub closes_on: Date,
}

/// Where a consultation is on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
}

pub fn phase(opens_on: Date, closes_on: Date, today: Date) -> Phase {
    if today < opens_on {
        Phase::Upcoming
    } else if today <= closes_on {
        Phase::Open
    } else {
        Phase::Closed
    }
}

/// A consultation in the public list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationSummary {
    pub id: i64,
    pub agency_id: String,
    pub agency_name: String,
    pub title: String,
    pub summary: String,
    pub opens_on: Date,
    pub closes_on: Date,
    pub phase: Phase,
    /// Published comments.
    pub comments: u32,
    pub responded: bool,
}

/// A published comment: the text with personal data taken out; the name
/// only if the person signed with one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicComment {
    pub id: i64,
    /// The section's index, from 0.
    pub section: u32,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Said at a meeting or on paper and entered by an officer: where, and for whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_for: Option<String>,
    pub received_on: Date,
}

/// The agency's response once the consultation closed: what changed and
/// why, and the comments it answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseReport {
    pub text: String,
    #[serde(default)]
    pub answers: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedResponse {
    pub text: String,
    pub answers: Vec<i64>,
    pub published_on: Date,
}

/// A consultation with its sections, published comments and response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consultation {
    pub id: i64,
    pub agency_id: String,
    pub agency_name: String,
    pub title: String,
    pub summary: String,
    pub sections: Vec<Section>,
    pub opens_on: Date,
    pub closes_on: Date,
    pub phase: Phase,
    pub comments: Vec<PublicComment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<PublishedResponse>,
}

/// A citizen's comment on one section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewComment {
    /// Made once per comment: the outbox's retries land on the same one.
    pub idempotency_key: String,
    pub section: u32,
    pub text: String,
    /// Shown with the comment; absent comments without a name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What an officer heard at a village meeting or read on paper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaperComment {
    pub section: u32,
    pub text: String,
    /// "Họp thôn Nậm Khắt, 20/11/2026", "Thư tay của ông Giàng A Sử".
    pub entered_for: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What sending a comment gives back: it waits for moderation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentReceipt {
    pub id: i64,
    pub state: CommentState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    Pending,
    Published,
    Rejected,
}

impl CommentState {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentState::Pending => "pending",
            CommentState::Published => "published",
            CommentState::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [CommentState::Pending, CommentState::Published, CommentState::Rejected].into_iter().find(|c| c.as_str() == s)
    }
}

/// A comment as the agency's moderator sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskComment {
    pub id: i64,
    pub consultation_id: i64,
    pub consultation_title: String,
    pub section: u32,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_for: Option<String>,
    pub state: CommentState,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentModeration {
    pub publish: bool,
}

fn bounded(issues: &mut Vec<FieldIssue>, field: &str, value: &str, range: std::ops::RangeInclusive<usize>) {
    if let Err(e) = text_within(value, range) {
        issues.push(FieldIssue::new(field, e));
    }
}

fn one_line(issues: &mut Vec<FieldIssue>, field: &str, value: Option<&str>, max: usize) {
    if let Err(e) = optional_line(value, max) {
        issues.push(FieldIssue::new(field, e));
    }
}

/// Checks a draft before it is published, naming each wrong field.
pub fn check_consultation(c: &NewConsultation, today: Date) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    bounded(&mut issues, "title", &c.title, TITLE_CHARS);
    bounded(&mut issues, "summary", &c.summary, SUMMARY_CHARS);
    if c.sections.is_empty() {
        issues.push(FieldIssue::new("sections", FieldError::Required));
    } else if c.sections.len() > MAX_SECTIONS {
        issues.push(FieldIssue::new("sections", FieldError::TooLong));
    }
    for (i, s) in c.sections.iter().enumerate().take(MAX_SECTIONS) {
        bounded(&mut issues, &format!("sections.{i}.heading"), &s.heading, 1..=MAX_HEADING_CHARS);
        bounded(&mut issues, &format!("sections.{i}.text"), &s.text, 1..=MAX_SECTION_CHARS);
    }
    if c.closes_on < c.opens_on || c.closes_on < today {
        issues.push(FieldIssue::new("closes_on", FieldError::InvalidDate));
    }
    issues
}

/// Checks a citizen's comment on a draft of `sections` sections.
pub fn check_comment(c: &NewComment, sections: usize) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if c.section as usize >= sections {
        issues.push(FieldIssue::new("section", FieldError::InvalidChoice));
    }
    bounded(&mut issues, "text", &c.text, COMMENT_CHARS);
    one_line(&mut issues, "name", c.name.as_deref(), MAX_NAME_CHARS);
    issues
}

/// Checks what an officer enters for someone.
pub fn check_paper_comment(c: &PaperComment, sections: usize) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if c.section as usize >= sections {
        issues.push(FieldIssue::new("section", FieldError::InvalidChoice));
    }
    bounded(&mut issues, "text", &c.text, COMMENT_CHARS);
    // Where it was said: required, and on one line.
    match text_within(&c.entered_for, 3..=MAX_ENTERED_FOR_CHARS) {
        Err(e) => issues.push(FieldIssue::new("entered_for", e)),
        Ok(_) => one_line(&mut issues, "entered_for", Some(&c.entered_for), MAX_ENTERED_FOR_CHARS),
    }
    one_line(&mut issues, "name", c.name.as_deref(), MAX_NAME_CHARS);
    issues
}

pub fn check_response(r: &ResponseReport) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    bounded(&mut issues, "text", &r.text, RESPONSE_CHARS);
    if r.answers.len() > MAX_SHOWN_COMMENTS as usize {
        issues.push(FieldIssue::new("answers", FieldError::TooLong));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::new(2026, 12, d).unwrap()
    }

    fn draft() -> NewConsultation {
        NewConsultation {
            title: "Dự thảo quy định giờ làm việc của Bộ phận Một cửa".into(),
            summary: "Mở cửa thêm sáng thứ Bảy để người đi làm xa có thể đến.".into(),
            sections: vec![Section { heading: "Điều 1. Giờ làm việc".into(), text: "Từ 7 giờ 30 đến 17 giờ.".into() }],
            opens_on: day(1),
            closes_on: day(15),
        }
    }

    #[test]
    fn a_consultation_is_open_between_its_dates() {
        assert_eq!(phase(day(2), day(5), day(1)), Phase::Upcoming);
        assert_eq!(phase(day(2), day(5), day(2)), Phase::Open);
        assert_eq!(phase(day(2), day(5), day(5)), Phase::Open);
        assert_eq!(phase(day(2), day(5), day(6)), Phase::Closed);
    }

    #[test]
    fn a_draft_names_each_wrong_field() {
        assert!(check_consultation(&draft(), day(1)).is_empty());
        let fields = |c: &NewConsultation, today: Date| check_consultation(c, today).into_iter().map(|i| i.field).collect::<Vec<_>>();
        let mut bad = draft();
        bad.title = "Dự".into();
        bad.sections.push(Section { heading: " ".into(), text: "x".into() });
        bad.closes_on = day(1);
        assert_eq!(fields(&bad, day(2)), ["title", "sections.1.heading", "closes_on"]);
        assert_eq!(fields(&NewConsultation { sections: vec![], ..draft() }, day(1)), ["sections"]);
    }

    #[test]
    fn comments_name_their_fields() {
        let ok = NewComment { idempotency_key: "k".repeat(20), section: 0, text: "Nên mở cả chiều thứ Bảy.".into(), name: None };
        assert!(check_comment(&ok, 1).is_empty());
        let fields = |c: &NewComment| check_comment(c, 1).into_iter().map(|i| i.field).collect::<Vec<_>>();
        assert_eq!(fields(&NewComment { section: 1, text: "ok".into(), name: Some("a\nb".into()), ..ok.clone() }), ["section", "text", "name"]);
        let paper = PaperComment { section: 0, text: "Bà con muốn mở cả Chủ nhật.".into(), entered_for: "Họp thôn Nậm Khắt".into(), name: None };
        assert!(check_paper_comment(&paper, 1).is_empty());
        assert_eq!(check_paper_comment(&PaperComment { entered_for: " ".into(), ..paper }, 1)[0].field, "entered_for");
    }
}
