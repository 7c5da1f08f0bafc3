//! The working-day clock: appointment date (ngày hẹn trả) = receipt date +
//! processing time in working days, skipping weekends and public holidays.
//!
//! Holidays follow the lunar calendar and are announced each year, so they are
//! data (published by the province's administrator each year; `data/holidays-vn.json` is
//! the first), never computed. A year the data does
//! not cover is an error: treating it as "no holidays" would promise citizens
//! dates during Tết.
//!
//! No clock access here (the browser and the functions get "today" their own
//! way); [`Date::from_unix_time`] turns a timestamp into a civil date.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// Vietnam has no daylight saving time: UTC+7 all year.
pub const VIETNAM_UTC_OFFSET_SECS: i32 = 7 * 3600;

/// A civil (proleptic Gregorian) date, years 1..=9999 so it always prints as `YYYY-MM-DD`.
/// Field order makes the derived ordering chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// Why a text is not a date. Carries no copy of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateParseError;

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a valid date as YYYY-MM-DD")
    }
}

impl std::error::Error for DateParseError {}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub const MIN_YEAR: i32 = 1;
    pub const MAX_YEAR: i32 = 9999;

    /// `None` for an impossible date (31 April, 29 February in a common year, year 0).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days_since_epoch(self) -> i64 {
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::days_since_epoch`]; `None` outside years 1..=9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month as u8, day as u8)
    }

    /// The civil date at a Unix timestamp seen from a UTC offset; the functions
    /// pass [`VIETNAM_UTC_OFFSET_SECS`] so a dossier sent at 23:30 in Hà Nội is
    /// dated that day, not the UTC day.
    pub fn from_unix_time(secs: i64, utc_offset_secs: i32) -> Option<Date> {
        Date::from_days_since_epoch((secs + i64::from(utc_offset_secs)).div_euclid(86_400))
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.days_since_epoch() + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    /// `None` when the result leaves years 1..=9999.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }

    /// Signed number of calendar days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Strict `YYYY-MM-DD`: exactly ten ASCII characters, no surrounding spaces.
impl FromStr for Date {
    type Err = DateParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateParseError);
        }
        let year = ascii_number(&b[0..4]).ok_or(DateParseError)?;
        let month = ascii_number(&b[5..7]).ok_or(DateParseError)?;
        let day = ascii_number(&b[8..10]).ok_or(DateParseError)?;
        Date::new(year as i32, month as u8, day as u8).ok_or(DateParseError)
    }
}

/// Digits only (no sign, no full-width digits), as an unsigned number.
pub(crate) fn ascii_number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One day off (or one make-up working day) from the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: Date,
    pub name_vi: String,
    /// The value is an estimate: a province should verify it against the year's notice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub check: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// The holiday data does not cover this year; deadlines cannot be computed.
    MissingYear(i32),
    /// The data file is malformed (the text says how, for the operator).
    BadData(String),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::MissingYear(y) => write!(f, "no holiday data for year {y}"),
            CalendarError::BadData(why) => write!(f, "bad holiday data: {why}"),
        }
    }
}

impl std::error::Error for CalendarError {}

#[derive(Deserialize)]
struct RawCalendar {
    source: String,
    years: BTreeMap<String, Vec<Holiday>>,
    /// Weekend days worked in exchange for a weekday off (làm bù), per year.
    #[serde(default)]
    workdays: BTreeMap<String, Vec<Holiday>>,
}

/// Public holidays per year, from data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolidayCalendar {
    source: String,
    years: BTreeSet<i32>,
    holidays: BTreeMap<Date, Holiday>,
    /// Saturdays or Sundays that are working days because a weekday was swapped off.
    workdays: BTreeMap<Date, Holiday>,
}

const VIETNAM_JSON: &str = include_str!("../../../data/holidays-vn.json");

impl HolidayCalendar {
    /// Vietnam's days off for civil servants, embedded from `data/holidays-vn.json` (the first calendar a fresh portal publishes) for
    /// the rules' tests; the components read the calendar the administrator published.
    /// Parsed once; a test guarantees the embedded file parses.
    pub fn vietnam() -> &'static HolidayCalendar {
        static CAL: OnceLock<HolidayCalendar> = OnceLock::new();
        CAL.get_or_init(|| HolidayCalendar::from_json(VIETNAM_JSON).expect("embedded holidays-vn.json is valid"))
    }

    /// Reads the data format of `holidays-vn.json`, so a province can supply its own corrected file.
    /// Rejects dates filed under the wrong year and make-up workdays that are not weekend days.
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        let raw: RawCalendar = serde_json::from_str(json).map_err(|e| CalendarError::BadData(e.to_string()))?;
        Self::from_raw(raw)
    }

    /// The years an administrator published (the database's calendar), with the same checks.
    pub fn from_years(source: &str, years: &[crate::admin::CalendarYear]) -> Result<Self, CalendarError> {
        let key = |y: i32| format!("{y:04}");
        Self::from_raw(RawCalendar {
            source: source.to_owned(),
            years: years.iter().map(|y| (key(y.year), y.days_off.clone())).collect(),
            workdays: years.iter().map(|y| (key(y.year), y.workdays.clone())).collect(),
        })
    }

    fn from_raw(raw: RawCalendar) -> Result<Self, CalendarError> {
        let mut cal = HolidayCalendar {
            source: raw.source,
            years: BTreeSet::new(),
            holidays: BTreeMap::new(),
            workdays: BTreeMap::new(),
        };
        for (key, days) in raw.years {
            let year = parse_year_key(&key)?;
            cal.years.insert(year);
            for h in days {
                check_year(&h, year)?;
                if cal.holidays.insert(h.date, h.clone()).is_some() {
                    return Err(CalendarError::BadData(format!("{} listed twice", h.date)));
                }
            }
        }
        for (key, days) in raw.workdays {
            let year = parse_year_key(&key)?;
            if !cal.years.contains(&year) {
                return Err(CalendarError::BadData(format!("workdays for {year}, which has no holiday list")));
            }
            for h in days {
                check_year(&h, year)?;
                if !h.date.weekday().is_weekend() || cal.holidays.contains_key(&h.date) {
                    return Err(CalendarError::BadData(format!("workday {} must be a weekend day that is not a holiday", h.date)));
                }
                cal.workdays.insert(h.date, h);
            }
        }
        Ok(cal)
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Years the data covers, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// Days off in date order.
    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.holidays.values()
    }

    /// Weekend days worked in exchange for a weekday off, in date order.
    pub fn workdays(&self) -> impl Iterator<Item = &Holiday> {
        self.workdays.values()
    }

    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    fn require(&self, date: Date) -> Result<(), CalendarError> {
        if self.covers(date.year) { Ok(()) } else { Err(CalendarError::MissingYear(date.year)) }
    }
}

fn parse_year_key(key: &str) -> Result<i32, CalendarError> {
    match ascii_number(key.as_bytes()) {
        Some(y) if key.len() == 4 && (Date::MIN_YEAR..=Date::MAX_YEAR).contains(&(y as i32)) => Ok(y as i32),
        _ => Err(CalendarError::BadData(format!("year key {key:?} is not a four-digit year"))),
    }
}

fn check_year(h: &Holiday, year: i32) -> Result<(), CalendarError> {
    if h.date.year == year {
        Ok(())
    } else {
        Err(CalendarError::BadData(format!("{} is filed under {year}", h.date)))
    }
}

/// Monday to Friday, unless a holiday; a listed make-up Saturday or Sunday is a working day.
pub fn is_working_day(date: Date, cal: &HolidayCalendar) -> Result<bool, CalendarError> {
    cal.require(date)?;
    if cal.workdays.contains_key(&date) {
        return Ok(true);
    }
    Ok(!date.weekday().is_weekend() && !cal.holidays.contains_key(&date))
}

/// The date `days` working days after `start`.
///
/// The receipt day itself does not count, even when received in the morning:
/// the first working day after `start` is day 1, and the result is always a
/// working day. A dossier received on a Saturday with 1 day is due on Monday.
/// With 0 days the result is `start` itself (no lookup is needed).
///
/// Returns an error instead of a date when the count runs into a year the data
/// does not cover (the brief's `-> Date` cannot say so).
pub fn add_working_days(start: Date, days: u32, cal: &HolidayCalendar) -> Result<Date, CalendarError> {
    let mut date = start;
    let mut left = days;
    while left > 0 {
        date = date.add_days(1).ok_or(CalendarError::MissingYear(date.year + 1))?;
        if is_working_day(date, cal)? {
            left -= 1;
        }
    }
    Ok(date)
}

/// The appointment date after the processing clock stood still from
/// `paused_on` to `resumed_on` (documents or fees owed by the citizen): pushed
/// back by the working days in between, so the desk is not blamed for the wait.
pub fn extend_for_pause(
    appointment: Date,
    paused_on: Date,
    resumed_on: Date,
    cal: &HolidayCalendar,
) -> Result<Date, CalendarError> {
    let paused = working_days_between(paused_on, resumed_on, cal)?.max(0) as u32;
    add_working_days(appointment, paused, cal)
}

/// Working days `d` with `a < d <= b`, negative when `b` is before `a`.
///
/// Matches [`add_working_days`]: `working_days_between(a, add_working_days(a, n)) == n`.
/// For overdue: `working_days_between(due, today) > 0` means overdue by that many working days.
pub fn working_days_between(a: Date, b: Date, cal: &HolidayCalendar) -> Result<i32, CalendarError> {
    let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    let mut count = 0;
    let mut date = from;
    while date < to {
        date = date.add_days(1).ok_or(CalendarError::MissingYear(date.year + 1))?;
        if is_working_day(date, cal)? {
            count += 1;
        }
    }
    Ok(sign * count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn vn() -> &'static HolidayCalendar {
        HolidayCalendar::vietnam()
    }

    #[test]
    fn parses_and_formats_iso_dates() {
        assert_eq!(d("2026-02-17"), Date::new(2026, 2, 17).unwrap());
        assert_eq!(d("0001-01-01").to_string(), "0001-01-01");
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01", "2026-1-01", "2026/01/01",
            " 2026-01-01", "2026-01-01 ", "", "２０２６-01-01", "+026-01-01", "2026-01-0a", "1900-02-29",
        ] {
            assert_eq!(bad.parse::<Date>(), Err(DateParseError), "{bad:?}");
        }
        assert!(d("2000-02-29").year() == 2000);
    }

    #[test]
    fn serde_uses_the_iso_string() {
        let json = serde_json::to_string(&d("2027-09-03")).unwrap();
        assert_eq!(json, "\"2027-09-03\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d("2027-09-03"));
        assert!(serde_json::from_str::<Date>("\"2027-02-30\"").is_err());
    }

    #[test]
    fn weekdays_of_known_dates() {
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thursday);
        assert_eq!(d("2000-01-01").weekday(), Weekday::Saturday);
        assert_eq!(d("2023-10-27").weekday(), Weekday::Friday);
        assert_eq!(d("2025-01-29").weekday(), Weekday::Wednesday);
        assert_eq!(d("2026-02-17").weekday(), Weekday::Tuesday);
        assert_eq!(d("2026-04-26").weekday(), Weekday::Sunday);
        assert_eq!(d("2027-02-06").weekday(), Weekday::Saturday);
        assert_eq!(d("1900-03-01").weekday(), Weekday::Thursday);
        assert_eq!(d("0001-01-01").weekday(), Weekday::Monday);
    }

    #[test]
    fn day_numbers_round_trip_and_add() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
        let mut date = d("1899-12-25");
        for _ in 0..100_000 {
            let next = date.add_days(1).unwrap();
            assert_eq!(Date::from_days_since_epoch(next.days_since_epoch()), Some(next));
            assert_eq!(date.days_until(next), 1);
            assert!(next > date);
            date = next;
        }
        assert_eq!(d("2024-12-31").add_days(1), Some(d("2025-01-01")));
        assert_eq!(d("2024-02-28").add_days(1), Some(d("2024-02-29")));
        assert_eq!(d("2025-03-01").add_days(-1), Some(d("2025-02-28")));
        assert_eq!(d("9999-12-31").add_days(1), None);
        assert_eq!(d("0001-01-01").add_days(-1), None);
    }

    #[test]
    fn unix_time_in_vietnam() {
        // 2023-10-27T16:30:00Z is 23:30 in Hà Nội, still the 27th; 17:30Z is the 28th.
        assert_eq!(Date::from_unix_time(1_698_424_200, VIETNAM_UTC_OFFSET_SECS), Some(d("2023-10-27")));
        assert_eq!(Date::from_unix_time(1_698_427_800, VIETNAM_UTC_OFFSET_SECS), Some(d("2023-10-28")));
        assert_eq!(Date::from_unix_time(-1, 0), Some(d("1969-12-31")));
    }

    #[test]
    fn embedded_data_parses_and_covers_2025_to_2027() {
        let cal = vn();
        assert_eq!(cal.years().collect::<Vec<_>>(), vec![2025, 2026, 2027]);
        assert!(!cal.source().is_empty());
        // Only weekdays off are listed; a weekend entry would be a mistake in the data.
        for h in cal.holidays() {
            assert!(!h.date.weekday().is_weekend(), "{} is a weekend day", h.date);
            assert!(!h.name_vi.trim().is_empty());
        }
        // Every year has 1/1 and 30/4 (fixed-date holidays).
        for y in 2025..=2027 {
            assert!(!is_working_day(Date::new(y, 1, 1).unwrap(), cal).unwrap());
            assert!(!is_working_day(Date::new(y, 4, 30).unwrap(), cal).unwrap());
        }
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = vn();
        // Friday 2026-03-06 + 1 → Monday 03-09.
        assert_eq!(add_working_days(d("2026-03-06"), 1, cal), Ok(d("2026-03-09")));
        // Monday + 5 → next Monday.
        assert_eq!(add_working_days(d("2026-03-09"), 5, cal), Ok(d("2026-03-16")));
        // Received on a Saturday: Monday is day 1.
        assert_eq!(add_working_days(d("2026-03-07"), 1, cal), Ok(d("2026-03-09")));
        assert_eq!(add_working_days(d("2026-03-08"), 10, cal), Ok(d("2026-03-20")));
        assert_eq!(is_working_day(d("2026-03-07"), cal), Ok(false));
        assert_eq!(is_working_day(d("2026-03-09"), cal), Ok(true));
    }

    #[test]
    fn tet_week_is_skipped() {
        let cal = vn();
        // Thursday 2026-02-12 + 3: Fri 13 (1), then Tết 14–22 off, Mon 23 (2), Tue 24 (3).
        assert_eq!(add_working_days(d("2026-02-12"), 3, cal), Ok(d("2026-02-24")));
        for day in 14..=22 {
            assert_eq!(is_working_day(Date::new(2026, 2, day).unwrap(), cal), Ok(false), "2026-02-{day}");
        }
        // 2025: Tết 25/1–2/2.
        assert_eq!(add_working_days(d("2025-01-24"), 1, cal), Ok(d("2025-02-03")));
        assert_eq!(working_days_between(d("2025-01-24"), d("2025-02-03"), cal), Ok(1));
    }

    #[test]
    fn substitute_and_swapped_days() {
        let cal = vn();
        // Giỗ Tổ 2026 falls on Sunday 26/4: Monday 27/4 off, then 30/4 and 1/5.
        assert_eq!(add_working_days(d("2026-04-24"), 1, cal), Ok(d("2026-04-28")));
        assert_eq!(add_working_days(d("2026-04-28"), 2, cal), Ok(d("2026-05-04")));
        // 2025: Saturday 26/4 worked in exchange for Friday 2/5.
        assert_eq!(is_working_day(d("2025-04-26"), cal), Ok(true));
        assert_eq!(is_working_day(d("2025-05-02"), cal), Ok(false));
        assert_eq!(add_working_days(d("2025-04-25"), 1, cal), Ok(d("2025-04-26")));
        assert_eq!(add_working_days(d("2025-04-29"), 1, cal), Ok(d("2025-05-05")));
    }

    #[test]
    fn crosses_the_year_boundary() {
        let cal = vn();
        // Wed 2025-12-31 + 1: Thu 1/1/2026 is a holiday → Fri 2/1.
        assert_eq!(add_working_days(d("2025-12-31"), 1, cal), Ok(d("2026-01-02")));
        assert_eq!(add_working_days(d("2026-12-30"), 3, cal), Ok(d("2027-01-05")));
        assert_eq!(working_days_between(d("2026-12-30"), d("2027-01-05"), cal), Ok(3));
    }

    #[test]
    fn zero_days_is_the_start() {
        let cal = vn();
        assert_eq!(add_working_days(d("2026-02-17"), 0, cal), Ok(d("2026-02-17")));
        assert_eq!(working_days_between(d("2026-02-17"), d("2026-02-17"), cal), Ok(0));
    }

    #[test]
    fn missing_year_is_an_error() {
        let cal = vn();
        assert_eq!(is_working_day(d("2028-03-01"), cal), Err(CalendarError::MissingYear(2028)));
        assert_eq!(is_working_day(d("2024-03-01"), cal), Err(CalendarError::MissingYear(2024)));
        assert_eq!(add_working_days(d("2027-12-29"), 5, cal), Err(CalendarError::MissingYear(2028)));
        assert_eq!(add_working_days(d("2024-12-30"), 1, cal), Err(CalendarError::MissingYear(2024)));
        assert_eq!(working_days_between(d("2027-12-01"), d("2028-01-10"), cal), Err(CalendarError::MissingYear(2028)));
        assert_eq!(working_days_between(d("2024-12-30"), d("2025-01-10"), cal), Err(CalendarError::MissingYear(2024)));
        // A start on the last day of an uncovered year is fine: only counted days need data.
        assert_eq!(add_working_days(d("2024-12-31"), 1, cal), Ok(d("2025-01-02")));
        let empty = HolidayCalendar::from_json(r#"{"source": "x", "years": {}}"#).unwrap();
        assert_eq!(add_working_days(d("2026-01-05"), 1, &empty), Err(CalendarError::MissingYear(2026)));
    }

    #[test]
    fn between_is_the_inverse_of_add_and_signed() {
        let cal = vn();
        let start = d("2025-01-02");
        for n in [1, 2, 5, 10, 15, 30, 60, 200] {
            let due = add_working_days(start, n, cal).unwrap();
            assert_eq!(working_days_between(start, due, cal), Ok(n as i32));
            assert_eq!(working_days_between(due, start, cal), Ok(-(n as i32)));
            assert_eq!(is_working_day(due, cal), Ok(true));
        }
        // Overdue: due Friday 2026-03-13, today Tuesday 03-17 → 2 working days late.
        assert_eq!(working_days_between(d("2026-03-13"), d("2026-03-17"), cal), Ok(2));
    }

    #[test]
    fn rejects_inconsistent_data() {
        let bad = [
            r#"{"source": "x", "years": {"2026": [{"date": "2027-01-01", "name_vi": "a"}]}}"#,
            r#"{"source": "x", "years": {"26": []}}"#,
            r#"{"source": "x", "years": {"2026": [{"date": "2026-02-30", "name_vi": "a"}]}}"#,
            r#"{"source": "x", "years": {"2026": [{"date": "2026-01-01", "name_vi": "a"}, {"date": "2026-01-01", "name_vi": "b"}]}}"#,
            r#"{"source": "x", "years": {"2026": []}, "workdays": {"2026": [{"date": "2026-01-05", "name_vi": "monday"}]}}"#,
            r#"{"source": "x", "years": {"2026": []}, "workdays": {"2027": [{"date": "2027-01-02", "name_vi": "sat"}]}}"#,
            r#"{"years": {}}"#,
        ];
        for json in bad {
            assert!(matches!(HolidayCalendar::from_json(json), Err(CalendarError::BadData(_))), "{json}");
        }
        let ok = HolidayCalendar::from_json(
            r#"{"source": "x", "years": {"2026": [{"date": "2026-01-01", "name_vi": "a", "check": true}]}, "workdays": {"2026": [{"date": "2026-01-10", "name_vi": "sat"}]}}"#,
        )
        .unwrap();
        assert!(ok.holidays().next().unwrap().check);
        assert_eq!(is_working_day(d("2026-01-10"), &ok), Ok(true));
    }

    #[test]
    fn a_pause_pushes_the_appointment_back_by_its_working_days() {
        let cal = HolidayCalendar::vietnam();
        let d = |m, day| Date::new(2026, m, day).unwrap();
        // Paused Mon 9 March, resumed Fri 13 March: 4 working days (10–13).
        assert_eq!(extend_for_pause(d(3, 20), d(3, 9), d(3, 13), cal).unwrap(), d(3, 26));
        // Resumed the same day: nothing changes.
        assert_eq!(extend_for_pause(d(3, 20), d(3, 9), d(3, 9), cal).unwrap(), d(3, 20));
        // A pause over a weekend only counts working days.
        assert_eq!(extend_for_pause(d(3, 20), d(3, 13), d(3, 16), cal).unwrap(), d(3, 23));
    }
}
