//! Satisfaction ratings and the figures the province publishes.
//!
//! Each criterion is answered with one of three choices (Rất hài lòng, Hài
//! lòng, Không hài lòng). The criteria are data (`functions/ratings/criteria.json`)
//! so a province can follow the decree in force without a code change; their
//! labels go through the locale files like every other string.
//!
//! Figures are kept as running tallies beside the data (updated in the same
//! transaction as the rating or the dossier change), so the dashboard reads a
//! few hundred rows whether the province has a thousand ratings or a million.
//! The arithmetic lives here, where tests check it on hand-made data.

use crate::validation::{FieldError, FieldIssue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest comment kept.
pub const MAX_COMMENT_CHARS: usize = 1000;
/// A dossier's rating can be changed for a day, then it is fixed.
pub const CHANGE_WINDOW_SECS: i64 = 24 * 3600;
/// Ratings a counter screen takes per minute (a citizen taps once; a child
/// tapping ten times, or a script, does not count ten).
pub const COUNTER_RATINGS_PER_MINUTE: u32 = 6;
/// How long a counter session stays open without being closed.
pub const COUNTER_SESSION_SECS: i64 = 10 * 3600;
/// The satisfaction target the province publishes against.
pub const TARGET_PERCENT: f64 = 80.0;
/// The criterion a counter screen asks (one question, three faces).
pub const OVERALL: &str = "overall";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    VerySatisfied,
    Satisfied,
    NotSatisfied,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::VerySatisfied, Choice::Satisfied, Choice::NotSatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::VerySatisfied => "very_satisfied",
            Choice::Satisfied => "satisfied",
            Choice::NotSatisfied => "not_satisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Choice> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The official Vietnamese words.
    pub fn name_vi(self) -> &'static str {
        match self {
            Choice::VerySatisfied => "Rất hài lòng",
            Choice::Satisfied => "Hài lòng",
            Choice::NotSatisfied => "Không hài lòng",
        }
    }
}

/// Where a rating was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A dossier rated by its holder, on their phone or anywhere.
    Online,
    /// The counter screen an officer opens after serving someone.
    Counter,
    /// A counter screen running on the centre's kiosk.
    Kiosk,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Counter => "counter",
            Channel::Kiosk => "kiosk",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// snake_case, stable: the key of the answer and of the figures.
    pub id: String,
    /// `rating.criterion.<id>` in the locale files.
    pub label_key: String,
    pub label_vi: String,
}

/// The citizen's rating of a dossier: `POST /api/ratings/dossiers/{code}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DossierRating {
    pub secret: String,
    /// Criterion id → choice; every criterion answered.
    pub answers: BTreeMap<String, Choice>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// A rating as the citizen gave it, shown again on the tracking page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingView {
    pub answers: BTreeMap<String, Choice>,
    pub comment: Option<String>,
    /// `YYYY-MM-DDTHH:MM:SS+07:00` until which it can be changed; past it, fixed.
    pub changeable_until: String,
    pub changeable: bool,
}

/// Opening a counter screen: `POST /api/ratings/counter`. The officer's
/// desk session becomes a locked, counter-only one until [`CounterExit`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterOpen {
    /// One of the agency's counters (`GET /api/ratings/counters`), as the
    /// centre labels it ("Quầy 3").
    pub counter: String,
    /// The screen runs on the centre's kiosk rather than the officer's tablet.
    #[serde(default)]
    pub kiosk: bool,
}

/// The counter screen's state: `GET /api/ratings/counter`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterSession {
    pub counter: String,
    pub officer: String,
    pub channel: Channel,
    pub expires_at: i64,
}

/// Leaving the locked counter screen: `DELETE /api/ratings/counter` with the
/// officer's password, answered with the officer, back at the desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterExit {
    pub password: String,
}

/// A counter the supervisor adds to the agency's list: `POST /api/ratings/counters`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewCounter {
    pub name: String,
}

/// One tap on the counter screen: `POST /api/ratings/counter/taps`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterRating {
    pub choice: Choice,
}

/// A counter name: 1 to 40 characters, no control characters.
pub fn valid_counter(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty() && n.chars().count() <= 40 && !n.chars().any(char::is_control)
}

/// Checks a dossier rating against the criteria: every criterion answered,
/// none unknown, a comment within [`MAX_COMMENT_CHARS`]. Issues name the
/// criterion (or `comment`).
pub fn check_rating(criteria: &[Criterion], rating: &DossierRating) -> Result<(), Vec<FieldIssue>> {
    let mut issues = Vec::new();
    for c in criteria {
        if !rating.answers.contains_key(&c.id) {
            issues.push(FieldIssue::new(&c.id, FieldError::Required));
        }
    }
    for id in rating.answers.keys() {
        if !criteria.iter().any(|c| &c.id == id) {
            issues.push(FieldIssue::new(id, FieldError::UnknownField));
        }
    }
    if rating.comment.as_deref().is_some_and(|c| c.trim().chars().count() > MAX_COMMENT_CHARS) {
        issues.push(FieldIssue::new("comment", FieldError::TooLong));
    }
    if issues.is_empty() { Ok(()) } else { Err(issues) }
}

// --- Figures ----------------------------------------------------------------

/// Answers counted by choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub very_satisfied: u64,
    pub satisfied: u64,
    pub not_satisfied: u64,
}

impl Tally {
    pub fn add(&mut self, choice: Choice, n: i64) {
        let slot = match choice {
            Choice::VerySatisfied => &mut self.very_satisfied,
            Choice::Satisfied => &mut self.satisfied,
            Choice::NotSatisfied => &mut self.not_satisfied,
        };
        *slot = slot.saturating_add_signed(n);
    }

    pub fn total(&self) -> u64 {
        self.very_satisfied + self.satisfied + self.not_satisfied
    }

    /// (very satisfied + satisfied) / all answers, in percent; `None` with no answers.
    pub fn satisfaction(&self) -> Option<f64> {
        percent(self.very_satisfied + self.satisfied, self.total())
    }

    pub fn merge(&mut self, other: &Tally) {
        self.very_satisfied += other.very_satisfied;
        self.satisfied += other.satisfied;
        self.not_satisfied += other.not_satisfied;
    }
}

/// Dossier counts of one agency in one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierTally {
    /// Received this month, by any channel.
    pub received: u64,
    /// Of those, submitted online.
    pub online: u64,
    /// Results returned this month that had an appointment date.
    pub returned: u64,
    /// Of those, returned on or before the appointment date.
    pub on_time: u64,
}

impl DossierTally {
    pub fn merge(&mut self, o: &DossierTally) {
        self.received += o.received;
        self.online += o.online;
        self.returned += o.returned;
        self.on_time += o.on_time;
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        percent(self.on_time, self.returned)
    }
    pub fn online_rate(&self) -> Option<f64> {
        percent(self.online, self.received)
    }
}

/// `part / whole` in percent, rounded to one decimal; `None` for an empty whole.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// One row of the published figures: the province (agency `None`) or one
/// agency, in one month, grouped as Decision 766/QĐ-TTg groups its indicators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    /// `YYYY-MM`
    pub month: String,
    pub agency_id: Option<String>,
    /// Public disclosure: procedures published with their documents, time and fees stated, in percent.
    pub disclosure: Option<f64>,
    /// Progress: results returned on time, in percent.
    pub on_time: Option<f64>,
    /// Online service: dossiers submitted online, in percent of all received.
    pub online_dossiers: Option<f64>,
    /// Online service: procedures offered fully online, in percent of the catalogue.
    pub online_procedures: Option<f64>,
    /// Satisfaction: (very satisfied + satisfied) / all answers, in percent.
    pub satisfaction: Option<f64>,
    pub ratings: Tally,
    pub dossiers: DossierTally,
    /// Transparency: citizens' reports answered on or before their day, in percent of those answered.
    #[serde(default)]
    pub reports_on_time: Option<f64>,
    /// Transparency: citizens satisfied with the answers to their reports, in percent.
    #[serde(default)]
    pub report_satisfaction: Option<f64>,
    #[serde(default)]
    pub reports: crate::reports::ReportTally,
}

/// The public figures: `GET /api/stats`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub target_percent: f64,
    /// Months newest first, the province's row first in each month.
    pub rows: Vec<FigureRow>,
}

/// Catalogue-wide shares (they do not change by month).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CatalogueShares {
    pub disclosure: Option<f64>,
    pub online_procedures: Option<f64>,
}

/// Builds the published rows from tallies per (month, agency): one province
/// row per month (every agency summed) followed by each agency's row.
pub fn figure_rows(
    ratings: &BTreeMap<(String, String), Tally>,
    dossiers: &BTreeMap<(String, String), DossierTally>,
    reports: &BTreeMap<(String, String), crate::reports::ReportTally>,
    shares: CatalogueShares,
) -> Vec<FigureRow> {
    use crate::reports::ReportTally;
    let mut keys: Vec<(String, String)> = ratings.keys().chain(dossiers.keys()).chain(reports.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    let mut months: Vec<String> = keys.iter().map(|(m, _)| m.clone()).collect();
    months.dedup();
    months.reverse();
    let row = |month: &str, agency: Option<String>, r: Tally, d: DossierTally, p: ReportTally| FigureRow {
        month: month.to_owned(),
        agency_id: agency,
        disclosure: shares.disclosure,
        on_time: d.on_time_rate(),
        online_dossiers: d.online_rate(),
        online_procedures: shares.online_procedures,
        satisfaction: r.satisfaction(),
        ratings: r,
        dossiers: d,
        reports_on_time: p.on_time_rate(),
        report_satisfaction: p.ratings.satisfaction(),
        reports: p,
    };
    let mut rows = Vec::new();
    for month in months {
        let (mut r_all, mut d_all, mut p_all) = (Tally::default(), DossierTally::default(), ReportTally::default());
        let mut agencies = Vec::new();
        for (m, agency) in keys.iter().filter(|(m, _)| *m == month) {
            let key = (m.clone(), agency.clone());
            let r = ratings.get(&key).copied().unwrap_or_default();
            let d = dossiers.get(&key).copied().unwrap_or_default();
            let p = reports.get(&key).copied().unwrap_or_default();
            r_all.merge(&r);
            d_all.merge(&d);
            p_all.merge(&p);
            agencies.push(row(&month, Some(agency.clone()), r, d, p));
        }
        rows.push(row(&month, None, r_all, d_all, p_all));
        rows.extend(agencies);
    }
    rows
}

/// The figures as CSV (UTF-8 with a BOM, so spreadsheet programs read the
/// Vietnamese letters): one line per row of [`figure_rows`].
pub fn figures_csv(rows: &[FigureRow]) -> String {
    let pct = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    let mut out = String::from(
        "\u{feff}month,agency,disclosure_pct,on_time_pct,online_dossiers_pct,online_procedures_pct,satisfaction_pct,\
         very_satisfied,satisfied,not_satisfied,received,received_online,returned,returned_on_time,\
         reports_received,reports_answered,reports_answered_on_time,reports_on_time_pct,report_satisfaction_pct\r\n",
    );
    for r in rows {
        let agency = r.agency_id.as_deref().unwrap_or("province");
        // Agency ids are letters, digits and dots; quote anyway in case a province uses commas.
        out.push_str(&format!(
            "{},\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            r.month,
            agency.replace('"', "\"\""),
            pct(r.disclosure),
            pct(r.on_time),
            pct(r.online_dossiers),
            pct(r.online_procedures),
            pct(r.satisfaction),
            r.ratings.very_satisfied,
            r.ratings.satisfied,
            r.ratings.not_satisfied,
            r.dossiers.received,
            r.dossiers.online,
            r.dossiers.returned,
            r.dossiers.on_time,
            r.reports.received,
            r.reports.answered,
            r.reports.answered_on_time,
            pct(r.reports_on_time),
            pct(r.report_satisfaction),
        ));
    }
    out
}

/// One officer's or counter's satisfaction for the supervisor's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffRow {
    pub month: String,
    /// `officer:<username>` or `counter:<name>`.
    pub who: String,
    pub satisfaction: Option<f64>,
    pub ratings: Tally,
}

/// A comment a citizen left, for the supervisor. Deliberately without the
/// dossier code: a complaint must not lead back to the citizen's dossier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingComment {
    pub at: String,
    pub officer: Option<String>,
    pub comment: String,
    /// The overall choice, if given.
    pub overall: Option<Choice>,
}

/// The supervisor's page: `GET /api/ratings/staff`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffFigures {
    pub agency_id: String,
    pub officers: Vec<StaffRow>,
    pub counters: Vec<StaffRow>,
    pub comments: Vec<RatingComment>,
}

/// A month as the published figures write it: `2026-11` → `11/2026`. The
/// dashboard and the supervisor's page say months the same way.
pub fn show_month(m: &str) -> String {
    match m.split_once('-') {
        Some((y, mo)) => format!("{mo}/{y}"),
        None => m.to_owned(),
    }
}

/// A share as the figures write it (`83.3%`), or `—` when nothing was counted.
pub fn show_percent(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_shares_read_the_same_on_every_page() {
        assert_eq!(show_month("2026-11"), "11/2026");
        assert_eq!(show_month("odd"), "odd");
        assert_eq!(show_percent(Some(83.333)), "83.3%");
        assert_eq!(show_percent(None), "—");
    }

    fn tally(v: u64, s: u64, n: u64) -> Tally {
        Tally { very_satisfied: v, satisfied: s, not_satisfied: n }
    }

    #[test]
    fn satisfaction_is_satisfied_answers_over_all_answers() {
        assert_eq!(tally(3, 5, 2).satisfaction(), Some(80.0));
        assert_eq!(tally(1, 0, 2).satisfaction(), Some(33.3));
        assert_eq!(tally(0, 0, 0).satisfaction(), None);
        let mut t = tally(1, 1, 1);
        t.add(Choice::NotSatisfied, -1);
        t.add(Choice::VerySatisfied, 1);
        assert_eq!(t, tally(2, 1, 0));
    }

    #[test]
    fn rows_per_month_with_the_province_first() {
        let key = |m: &str, a: &str| (m.to_owned(), a.to_owned());
        let ratings = BTreeMap::from([
            (key("2026-10", "A"), tally(4, 4, 2)),
            (key("2026-11", "A"), tally(1, 0, 1)),
            (key("2026-11", "B"), tally(2, 1, 0)),
        ]);
        let dossiers = BTreeMap::from([
            (key("2026-11", "A"), DossierTally { received: 10, online: 4, returned: 5, on_time: 4 }),
            (key("2026-11", "C"), DossierTally { received: 2, online: 2, returned: 0, on_time: 0 }),
        ]);
        let shares = CatalogueShares { disclosure: Some(100.0), online_procedures: Some(25.0) };
        let mut answered = crate::reports::ReportTally { received: 4, answered: 2, answered_on_time: 1, ..Default::default() };
        answered.ratings.satisfied = 1;
        let reports = BTreeMap::from([(key("2026-11", "B"), answered)]);
        let rows = figure_rows(&ratings, &dossiers, &reports, shares);
        let summary: Vec<(&str, Option<&str>, Option<f64>, Option<f64>, Option<f64>)> = rows
            .iter()
            .map(|r| (r.month.as_str(), r.agency_id.as_deref(), r.satisfaction, r.on_time, r.online_dossiers))
            .collect();
        assert_eq!(
            summary,
            vec![
                // November: A 1/2, B 3/3 → province 4/5 = 80 %; dossiers A + C.
                ("2026-11", None, Some(80.0), Some(80.0), Some(50.0)),
                ("2026-11", Some("A"), Some(50.0), Some(80.0), Some(40.0)),
                ("2026-11", Some("B"), Some(100.0), None, None),
                ("2026-11", Some("C"), None, None, Some(100.0)),
                ("2026-10", None, Some(80.0), None, None),
                ("2026-10", Some("A"), Some(80.0), None, None),
            ]
        );
        assert!(rows.iter().all(|r| r.online_procedures == Some(25.0)));
        let csv = figures_csv(&rows);
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(csv.lines().count(), 7);
        assert!(csv.contains("2026-11,\"province\",100.0,80.0,50.0,25.0,80.0,3,1,1,12,6,5,4,4,2,1,50.0,100.0\r\n"), "{csv}");
        assert!(csv.contains("2026-10,\"province\",100.0,,,25.0,80.0,4,4,2,0,0,0,0,0,0,0,,\r\n"), "{csv}");
    }

    #[test]
    fn a_rating_answers_every_criterion() {
        let criteria: Vec<Criterion> = ["time", "overall"]
            .iter()
            .map(|id| Criterion { id: id.to_string(), label_key: format!("rating.criterion.{id}"), label_vi: id.to_string() })
            .collect();
        let mut r = DossierRating {
            secret: "x".into(),
            answers: BTreeMap::from([("time".to_owned(), Choice::Satisfied), ("overall".to_owned(), Choice::VerySatisfied)]),
            comment: Some("Cán bộ nhiệt tình".into()),
        };
        assert_eq!(check_rating(&criteria, &r), Ok(()));
        r.answers.remove("time");
        r.answers.insert("speed".into(), Choice::Satisfied);
        r.comment = Some("a".repeat(MAX_COMMENT_CHARS + 1));
        assert_eq!(
            check_rating(&criteria, &r),
            Err(vec![
                FieldIssue::new("time", FieldError::Required),
                FieldIssue::new("speed", FieldError::UnknownField),
                FieldIssue::new("comment", FieldError::TooLong),
            ])
        );
    }

    #[test]
    fn counter_names() {
        assert!(valid_counter("Quầy 3"));
        assert!(!valid_counter("  "));
        assert!(!valid_counter(&"q".repeat(41)));
        assert!(!valid_counter("a\nb"));
    }
}
