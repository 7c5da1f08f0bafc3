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
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Officer, Role::Supervisor].into_iter().find(|r| r.as_str() == s)
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
}

pub const MIN_PASSWORD_CHARS: usize = 12;

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
    pub answers: BTreeMap<String, String>,
    pub history: Vec<AuditEntry>,
    /// Photos and scans; the content is at `/api/desk/dossiers/{code}/attachments/{id}`.
    #[serde(default)]
    pub attachments: Vec<AttachmentInfo>,
    /// What this officer may do now (the buttons to show).
    pub allowed_actions: Vec<ActionKind>,
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
    fn usernames() {
        assert!(valid_username("can.bo-01"));
        assert!(!valid_username("Admin"));
        assert!(!valid_username("ab"));
    }
}
