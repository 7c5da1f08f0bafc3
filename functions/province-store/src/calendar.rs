//! The working-day calendar: per year, the weekdays off and the weekend days
//! worked in exchange (làm bù), as the administrator publishes them each year
//! from the government's notice. The appointment clock reads only the years
//! it needs; a year nobody published has no appointment dates (never a guess).

use crate::{int, text};
use http_kit::clock;
use motcua_shared::admin::CalendarYear;
use motcua_shared::dossier::calendar::{CalendarError, HolidayCalendar};
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_table(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE calendar_years (
            year INTEGER PRIMARY KEY,
            days TEXT NOT NULL,          -- the CalendarYear as JSON
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        )",
        &[],
    )?;
    Ok(())
}

/// Publishes (or replaces) a year, checked first by the calendar's own rules.
pub fn put_year(conn: &Connection, year: &CalendarYear, by: &str) -> Result<Result<(), CalendarError>, Error> {
    if let Err(e) = HolidayCalendar::from_years("", std::slice::from_ref(year)) {
        return Ok(Err(e));
    }
    let days = serde_json::to_string(year).map_err(|e| Error::Io(e.to_string()))?;
    conn.execute(
        "INSERT INTO calendar_years (year, days, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (year) DO UPDATE SET days = excluded.days, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        &[int(year.year), Value::Text(days), Value::Text(clock::now_iso()), text(by)],
    )?;
    Ok(Ok(()))
}

/// The published years from `from` to `to`, as the clock uses them.
pub fn calendar(conn: &Connection, from: i32, to: i32) -> Result<HolidayCalendar, Error> {
    let years = years_between(conn, from, to)?;
    HolidayCalendar::from_years("published by the province's administrator", &years).map_err(|e| Error::Io(e.to_string()))
}

pub fn years_between(conn: &Connection, from: i32, to: i32) -> Result<Vec<CalendarYear>, Error> {
    let rows = conn.execute("SELECT days FROM calendar_years WHERE year BETWEEN ? AND ? ORDER BY year", &[int(from), int(to)])?;
    Ok(rows.rows.iter().filter_map(|r| serde_json::from_str(r.get::<&str>(0)?).ok()).collect())
}

/// The last year published, if any (the desk warns before it runs out).
pub fn last_year(conn: &Connection) -> Result<Option<i32>, Error> {
    let rows = conn.execute("SELECT MAX(year) FROM calendar_years", &[])?;
    Ok(rows.rows.first().and_then(|r| r.get::<i32>(0)))
}
