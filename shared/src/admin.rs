//! The province administrator's area: the audit trail of every change made
//! to what the province publishes (imports, forms, agencies, officers,
//! calendar).

use crate::dossier::calendar::{Date, Holiday};
use serde::{Deserialize, Serialize};

/// One change: who, when, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChange {
    pub id: u64,
    /// `YYYY-MM-DDTHH:MM:SS+07:00`.
    pub at: String,
    /// The administrator's username, or `token` for the operator's script.
    pub actor: String,
    /// What was done, e.g. `catalogue.publish`, `officer.create`.
    pub action: String,
    /// What it was done to: an import id, a procedure code, a username, a year.
    pub subject: String,
    /// A short summary in words (never a password or personal data).
    pub detail: String,
}

/// One year of the working-day calendar as the administrator publishes it
/// from the government's notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    /// Weekdays off (public holidays, Tết, days swapped off).
    pub days_off: Vec<Holiday>,
    /// Weekend days worked in exchange for a weekday off (làm bù).
    #[serde(default)]
    pub workdays: Vec<Holiday>,
}

/// Days before the published calendar runs out that the desk warns.
pub const CALENDAR_WARNING_DAYS: i64 = 60;

/// What the desk is told of the calendar's reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarNotice {
    /// The last year published; `None` when none is.
    pub last_year: Option<i32>,
    /// The year to publish next.
    pub next_year: i32,
    /// Whether to warn now: within [`CALENDAR_WARNING_DAYS`] of the end, or past it.
    pub warn: bool,
}

impl CalendarNotice {
    pub fn at(today: Date, last_year: Option<i32>) -> Self {
        let next_year = last_year.map_or(today.year(), |y| y + 1);
        let warn = match last_year.and_then(|y| Date::new(y, 12, 31)) {
            Some(end) => today.days_until(end) <= CALENDAR_WARNING_DAYS,
            None => true,
        };
        CalendarNotice { last_year, next_year, warn }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_is_warned_60_days_before_the_calendar_runs_out() {
        let day = |y, m, d| Date::new(y, m, d).unwrap();
        assert!(!CalendarNotice::at(day(2027, 10, 31), Some(2027)).warn);
        let soon = CalendarNotice::at(day(2027, 11, 1), Some(2027));
        assert!(soon.warn && soon.next_year == 2028, "{soon:?}");
        assert!(CalendarNotice::at(day(2028, 1, 2), Some(2027)).warn);
        assert!(CalendarNotice::at(day(2026, 11, 25), None).warn);
        assert!(!CalendarNotice::at(day(2026, 11, 25), Some(2027)).warn);
    }
}

/// A form as the administrator's list shows it: the version citizens fill
/// now and the draft waiting to be published, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormListing {
    pub procedure_code: String,
    /// The title of the newest version (the draft's, if there is one).
    pub title_vi: String,
    pub agency_id: String,
    pub published: Option<u32>,
    pub draft: Option<u32>,
}

/// One version of a form, without its questions: the form's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormVersionInfo {
    pub procedure_code: String,
    pub version: u32,
    pub title_vi: String,
    /// The username who saved it, or `token` for the operator's script.
    pub saved_by: String,
    pub saved_at: String,
    /// When it was published; `None` while it is a draft.
    pub published_at: Option<String>,
}
