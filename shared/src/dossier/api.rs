//! What the submission and tracking functions exchange with the browser.

use crate::catalogue::RequiredDocument;
use crate::dossier::attachments::AttachmentInfo;
use crate::dossier::calendar::Date;
use crate::dossier::lifecycle::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Limits on what a citizen's browser sends (attachments come separately).
pub const MAX_SUBMISSION_BYTES: usize = 64 * 1024;
pub const IDEMPOTENCY_KEY_CHARS: std::ops::RangeInclusive<usize> = 16..=64;

/// A dossier as the citizen's browser submits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub procedure_code: String,
    /// Made by the browser once per dossier: a retry after a dropped
    /// connection sends the same key and gets the same receipt back.
    pub idempotency_key: String,
    /// Question id → answer, as typed.
    pub answers: BTreeMap<String, String>,
    /// File question id → the upload ids of its photos, in order.
    #[serde(default)]
    pub attachments: BTreeMap<String, Vec<String>>,
    /// The form version the citizen filled. A dossier filled on an older
    /// version (a draft, the offline outbox) is accepted if its answers
    /// satisfy the form published now; otherwise the refusal says the form
    /// changed and names the questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_version: Option<u32>,
    /// How the citizen wants to be told when the dossier changes (asked
    /// once, on the form or at the kiosk); absent is no messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify: Option<crate::notify::NotifyChoice>,
    /// The app's language when it was sent (`vi`, `hmn`…): messages use the
    /// province's template in it, else the Vietnamese one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Whether an idempotency key has the shape we accept (letters, digits, `-`, `_`).
pub fn valid_idempotency_key(key: &str) -> bool {
    IDEMPOTENCY_KEY_CHARS.contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub code: String,
    /// Shown once, on the receipt and in its QR code; only its hash is stored.
    pub secret: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub received_on: Date,
    /// None when the procedure's record states no processing time in days.
    pub appointment_on: Option<Date>,
    pub documents_to_bring: Vec<RequiredDocument>,
    /// Opens tracking for this dossier: `{origin}/track/{code}#{secret}` (the
    /// secret in the fragment, which browsers never send to a server).
    #[serde(default)]
    pub tracking_url: String,
    /// The tracking URL as a QR code, an SVG drawn by the submission function.
    #[serde(default)]
    pub qr_svg: String,
    /// Where to go with the papers: the receiving agency, its hours and phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_to_go: Option<crate::agency::AgencyPlace>,
}

/// The citizen's tracking request: the secret travels in the body, never in a URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingRequest {
    pub secret: String,
}

/// Papers the citizen sends while the desk waits for them (status 5):
/// `POST /api/dossiers/{code}/documents`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupplyRequest {
    pub secret: String,
    /// Upload ids from `POST /api/uploads`, at most
    /// [`crate::dossier::attachments::MAX_FILES_PER_QUESTION`].
    pub uploads: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub status: Status,
    /// `YYYY-MM-DDTHH:MM:SS+07:00`
    pub at: String,
    /// The officer's note to the citizen, if any.
    pub note: Option<String>,
    /// The citizen's own step (submitting online, sending papers).
    #[serde(default)]
    pub by_citizen: bool,
}

/// What tracking shows the holder of a dossier's code and secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tracking {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: Status,
    pub received_on: Date,
    pub appointment_on: Option<Date>,
    /// Past the appointment date and not yet done. Not a state: computed.
    pub overdue: bool,
    pub timeline: Vec<TimelineEntry>,
    /// The photos and scans on file (not their content).
    #[serde(default)]
    pub attachments: Vec<AttachmentInfo>,
    /// The holder may rate the service now (result returned, or refused).
    #[serde(default)]
    pub can_rate: bool,
    /// The rating already given, if any.
    #[serde(default)]
    pub rating: Option<crate::ratings::RatingView>,
    /// How the holder is told of changes, the address masked; `None` when
    /// they asked for no messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub told_by: Option<ToldBy>,
}

/// A channel and the masked address messages go to ("+84912***678").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToldBy {
    pub channel: crate::notify::Channel,
    pub to: String,
}

/// The holder changes how they are told (`{"channel": "none"}` stops messages).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagesRequest {
    pub secret: String,
    pub notify: crate::notify::NotifyChoice,
}

/// Overdue (quá hạn) is computed against the appointment date, never stored.
pub fn is_overdue(status: Status, appointment_on: Option<Date>, today: Date) -> bool {
    let done = status.is_terminal() || status == Status::ResultReady;
    appointment_on.is_some_and(|due| !done && today > due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys() {
        assert!(valid_idempotency_key("0f8c2a4e-9b1d-4c7e-8a2f-3d5e6f7a8b9c"));
        assert!(!valid_idempotency_key("short"));
        assert!(!valid_idempotency_key("has spaces in it, sixteen+"));
        assert!(!valid_idempotency_key(&"a".repeat(65)));
    }

    #[test]
    fn overdue_only_while_work_remains() {
        let due = Date::new(2026, 3, 10).unwrap();
        let after = Date::new(2026, 3, 11).unwrap();
        assert!(is_overdue(Status::Processing, Some(due), after));
        assert!(!is_overdue(Status::Processing, Some(due), due));
        assert!(!is_overdue(Status::ResultReady, Some(due), after));
        assert!(!is_overdue(Status::ResultReturned, Some(due), after));
        assert!(!is_overdue(Status::Processing, None, after));
    }
}
