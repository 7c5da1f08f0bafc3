//! Ratings (of a dossier by its holder, at a counter screen), the tallies
//! the public figures read, and counter sessions.

use motcua_shared::ratings::{Channel, Choice, DossierTally, RatingComment, Tally};
use spin_sdk::sqlite::{Connection, Error, Value};
use std::collections::BTreeMap;

pub(crate) fn create_rating_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        // One rating: of a dossier (by its holder) or at a counter. Nothing
        // that identifies the citizen beyond the dossier code.
        "CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            created_at INTEGER NOT NULL,   -- seconds since the epoch
            at TEXT NOT NULL,              -- YYYY-MM-DDTHH:MM:SS+07:00
            month TEXT NOT NULL,           -- YYYY-MM, Vietnam time
            agency_id TEXT NOT NULL,
            officer TEXT,                  -- username
            counter TEXT,
            channel TEXT NOT NULL,         -- online | counter | kiosk
            dossier_code TEXT UNIQUE REFERENCES dossiers (code),
            comment TEXT
        )",
        "CREATE INDEX ratings_agency_month ON ratings (agency_id, month)",
        "CREATE TABLE rating_answers (
            rating_id INTEGER NOT NULL REFERENCES ratings (id),
            criterion TEXT NOT NULL,
            choice TEXT NOT NULL,          -- very_satisfied | satisfied | not_satisfied
            PRIMARY KEY (rating_id, criterion)
        ) WITHOUT ROWID",
        // Answers counted as they come: `who` is '' for the agency,
        // 'officer:<username>' or 'counter:<name>'.
        "CREATE TABLE rating_tallies (
            month TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            who TEXT NOT NULL,
            very_satisfied INTEGER NOT NULL DEFAULT 0,
            satisfied INTEGER NOT NULL DEFAULT 0,
            not_satisfied INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (month, agency_id, who)
        ) WITHOUT ROWID",
        "CREATE TABLE dossier_tallies (
            month TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            received INTEGER NOT NULL DEFAULT 0,
            online INTEGER NOT NULL DEFAULT 0,
            returned INTEGER NOT NULL DEFAULT 0,   -- with an appointment date
            on_time INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (month, agency_id)
        ) WITHOUT ROWID",
        // What is already there when this migration runs is counted once.
        "INSERT INTO dossier_tallies (month, agency_id, received, online)
            SELECT substr(received_on, 1, 7), agency_id, count(*), sum(channel = 'online') FROM dossiers GROUP BY 1, 2",
        "INSERT INTO dossier_tallies (month, agency_id, returned, on_time)
            SELECT substr(e.at, 1, 7), d.agency_id, count(*), sum(substr(e.at, 1, 10) <= d.appointment_on)
            FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code
            WHERE e.to_status = 'result_returned' AND d.appointment_on IS NOT NULL GROUP BY 1, 2
         ON CONFLICT (month, agency_id) DO UPDATE SET returned = excluded.returned, on_time = excluded.on_time",
        // An officer's counter screen, open while they serve.
        "CREATE TABLE counter_sessions (
            officer_id INTEGER PRIMARY KEY REFERENCES officers (id),
            counter TEXT NOT NULL,
            channel TEXT NOT NULL,         -- counter | kiosk
            expires_at INTEGER NOT NULL
        )",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

pub struct NewRating<'a> {
    pub created_at: i64,
    pub at: &'a str,
    pub agency_id: &'a str,
    pub officer: Option<&'a str>,
    pub counter: Option<&'a str>,
    pub channel: Channel,
    pub dossier_code: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub answers: &'a BTreeMap<String, Choice>,
}

/// The `who` rows a rating counts in: the agency, its officer, its counter.
fn tally_rows(agency: &str, officer: Option<&str>, counter: Option<&str>) -> Vec<String> {
    let mut who = vec![String::new()];
    who.extend(officer.map(|o| format!("officer:{o}")));
    who.extend(counter.map(|c| format!("counter:{c}")));
    let _ = agency;
    who
}

fn bump_rating_tallies(
    conn: &Connection,
    month: &str,
    agency: &str,
    who: &[String],
    answers: &BTreeMap<String, Choice>,
    n: i64,
) -> Result<(), Error> {
    let mut tally = Tally::default();
    for choice in answers.values() {
        tally.add(*choice, 1);
    }
    let (v, s, x) = (tally.very_satisfied as i64 * n, tally.satisfied as i64 * n, tally.not_satisfied as i64 * n);
    for w in who {
        conn.execute(
            "INSERT INTO rating_tallies (month, agency_id, who, very_satisfied, satisfied, not_satisfied) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (month, agency_id, who) DO UPDATE SET very_satisfied = very_satisfied + excluded.very_satisfied,
                satisfied = satisfied + excluded.satisfied, not_satisfied = not_satisfied + excluded.not_satisfied",
            &[
                Value::Text(month.to_owned()),
                Value::Text(agency.to_owned()),
                Value::Text(w.clone()),
                Value::Integer(v),
                Value::Integer(s),
                Value::Integer(x),
            ],
        )?;
    }
    Ok(())
}

fn insert_answers(conn: &Connection, rating_id: i64, answers: &BTreeMap<String, Choice>) -> Result<(), Error> {
    for (criterion, choice) in answers {
        conn.execute(
            "INSERT INTO rating_answers (rating_id, criterion, choice) VALUES (?, ?, ?)",
            &[Value::Integer(rating_id), Value::Text(criterion.clone()), Value::Text(choice.as_str().to_owned())],
        )?;
    }
    Ok(())
}

/// Stores a rating and counts it. Call inside a transaction.
pub fn insert_rating(conn: &Connection, r: &NewRating) -> Result<i64, Error> {
    let month = r.at.get(..7).unwrap_or(r.at).to_owned();
    let opt = |v: Option<&str>| v.map_or(Value::Null, |v| Value::Text(v.to_owned()));
    let rows = conn.execute(
        "INSERT INTO ratings (created_at, at, month, agency_id, officer, counter, channel, dossier_code, comment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Integer(r.created_at),
            Value::Text(r.at.to_owned()),
            Value::Text(month.clone()),
            Value::Text(r.agency_id.to_owned()),
            opt(r.officer),
            opt(r.counter),
            Value::Text(r.channel.as_str().to_owned()),
            opt(r.dossier_code),
            opt(r.comment),
        ],
    )?;
    let id = rows.rows.first().and_then(|row| row.get::<i64>(0)).ok_or_else(|| Error::Io("no rating id".into()))?;
    insert_answers(conn, id, r.answers)?;
    bump_rating_tallies(conn, &month, r.agency_id, &tally_rows(r.agency_id, r.officer, r.counter), r.answers, 1)?;
    Ok(id)
}

/// A dossier's rating as stored.
pub struct StoredRating {
    pub id: i64,
    pub created_at: i64,
    pub month: String,
    pub agency_id: String,
    pub officer: Option<String>,
    pub comment: Option<String>,
    pub answers: BTreeMap<String, Choice>,
}

pub fn dossier_rating(conn: &Connection, code: &str) -> Result<Option<StoredRating>, Error> {
    let rows = conn.execute(
        "SELECT id, created_at, month, agency_id, officer, comment FROM ratings WHERE dossier_code = ?",
        &[Value::Text(code.to_owned())],
    )?;
    let Some(r) = rows.rows.first() else { return Ok(None) };
    let id = r.get::<i64>(0).unwrap_or_default();
    let answers = conn.execute("SELECT criterion, choice FROM rating_answers WHERE rating_id = ?", &[Value::Integer(id)])?;
    Ok(Some(StoredRating {
        id,
        created_at: r.get::<i64>(1).unwrap_or_default(),
        month: r.get::<&str>(2).unwrap_or_default().to_owned(),
        agency_id: r.get::<&str>(3).unwrap_or_default().to_owned(),
        officer: r.get::<&str>(4).map(str::to_owned),
        comment: r.get::<&str>(5).map(str::to_owned),
        answers: answers
            .rows
            .iter()
            .filter_map(|a| Some((a.get::<&str>(0)?.to_owned(), Choice::parse(a.get::<&str>(1)?)?)))
            .collect(),
    }))
}

/// Replaces a dossier rating's answers and comment (within the day it may
/// change), moving its counts. Call inside a transaction.
pub fn change_rating(
    conn: &Connection,
    old: &StoredRating,
    answers: &BTreeMap<String, Choice>,
    comment: Option<&str>,
) -> Result<(), Error> {
    let who = tally_rows(&old.agency_id, old.officer.as_deref(), None);
    bump_rating_tallies(conn, &old.month, &old.agency_id, &who, &old.answers, -1)?;
    conn.execute("DELETE FROM rating_answers WHERE rating_id = ?", &[Value::Integer(old.id)])?;
    insert_answers(conn, old.id, answers)?;
    conn.execute(
        "UPDATE ratings SET comment = ? WHERE id = ?",
        &[comment.map_or(Value::Null, |c| Value::Text(c.to_owned())), Value::Integer(old.id)],
    )?;
    bump_rating_tallies(conn, &old.month, &old.agency_id, &who, answers, 1)
}

/// The officer who last acted on a dossier (who returned the result).
pub fn last_officer(conn: &Connection, code: &str) -> Result<Option<String>, Error> {
    let rows = conn.execute(
        "SELECT actor FROM dossier_events WHERE dossier_code = ? AND actor LIKE 'officer:%' ORDER BY id DESC LIMIT 1",
        &[Value::Text(code.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(|r| r.get::<&str>(0)).and_then(|a| a.strip_prefix("officer:")).map(str::to_owned))
}

/// The dossier's agency and status, for rating it.
pub fn dossier_agency(conn: &Connection, code: &str) -> Result<Option<String>, Error> {
    let rows = conn.execute("SELECT agency_id FROM dossiers WHERE code = ?", &[Value::Text(code.to_owned())])?;
    Ok(rows.rows.first().and_then(|r| r.get::<&str>(0)).map(str::to_owned))
}

/// A count column (never negative, even after a changed rating).
fn count_at(r: &spin_sdk::sqlite::RowResult, i: usize) -> Option<u64> {
    r.get::<i64>(i).map(|v| v.max(0) as u64)
}

/// Three count columns from `first`: very satisfied, satisfied, not satisfied.
fn tally_at(r: &spin_sdk::sqlite::RowResult, first: usize) -> Option<Tally> {
    Some(Tally {
        very_satisfied: count_at(r, first)?,
        satisfied: count_at(r, first + 1)?,
        not_satisfied: count_at(r, first + 2)?,
    })
}

/// Rating tallies per (month, agency) for `who` ('' = the agency), months from `since`.
pub fn rating_tallies(conn: &Connection, since: &str) -> Result<BTreeMap<(String, String), Tally>, Error> {
    let rows = conn.execute(
        "SELECT month, agency_id, very_satisfied, satisfied, not_satisfied FROM rating_tallies WHERE who = '' AND month >= ?",
        &[Value::Text(since.to_owned())],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| Some(((r.get::<&str>(0)?.to_owned(), r.get::<&str>(1)?.to_owned()), tally_at(r, 2)?)))
        .collect())
}

pub fn dossier_tallies(conn: &Connection, since: &str) -> Result<BTreeMap<(String, String), DossierTally>, Error> {
    let rows = conn.execute(
        "SELECT month, agency_id, received, online, returned, on_time FROM dossier_tallies WHERE month >= ?",
        &[Value::Text(since.to_owned())],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            let n = |i| count_at(r, i);
            let t = DossierTally { received: n(2)?, online: n(3)?, returned: n(4)?, on_time: n(5)? };
            Some(((r.get::<&str>(0)?.to_owned(), r.get::<&str>(1)?.to_owned()), t))
        })
        .collect())
}

/// An agency's tallies per officer and counter, months from `since`.
pub fn staff_tallies(conn: &Connection, agency_id: &str, since: &str) -> Result<Vec<(String, String, Tally)>, Error> {
    let rows = conn.execute(
        "SELECT month, who, very_satisfied, satisfied, not_satisfied FROM rating_tallies
         WHERE agency_id = ? AND who != '' AND month >= ? ORDER BY month DESC, who",
        &[Value::Text(agency_id.to_owned()), Value::Text(since.to_owned())],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| Some((r.get::<&str>(0)?.to_owned(), r.get::<&str>(1)?.to_owned(), tally_at(r, 2)?)))
        .collect())
}

/// The latest comments left for an agency, newest first. Never with the
/// dossier code: a complaint must not lead back to the citizen's dossier.
pub fn comments(conn: &Connection, agency_id: &str, limit: i64) -> Result<Vec<RatingComment>, Error> {
    let rows = conn.execute(
        "SELECT r.at, r.officer, r.comment, a.choice FROM ratings r
         LEFT JOIN rating_answers a ON a.rating_id = r.id AND a.criterion = 'overall'
         WHERE r.agency_id = ? AND r.comment IS NOT NULL ORDER BY r.id DESC LIMIT ?",
        &[Value::Text(agency_id.to_owned()), Value::Integer(limit)],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(RatingComment {
                at: r.get::<&str>(0)?.to_owned(),
                officer: r.get::<&str>(1).map(str::to_owned),
                comment: r.get::<&str>(2)?.to_owned(),
                overall: r.get::<&str>(3).and_then(Choice::parse),
            })
        })
        .collect())
}

// --- Counter sessions --------------------------------------------------------

pub fn open_counter(conn: &Connection, officer_id: i64, counter: &str, channel: Channel, expires_at: i64) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO counter_sessions (officer_id, counter, channel, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (officer_id) DO UPDATE SET counter = excluded.counter, channel = excluded.channel, expires_at = excluded.expires_at",
        &[
            Value::Integer(officer_id),
            Value::Text(counter.to_owned()),
            Value::Text(channel.as_str().to_owned()),
            Value::Integer(expires_at),
        ],
    )?;
    Ok(())
}

pub fn close_counter(conn: &Connection, officer_id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM counter_sessions WHERE officer_id = ?", &[Value::Integer(officer_id)])?;
    Ok(())
}

/// The officer's open counter session: (counter, channel, expires_at).
pub fn counter_session(conn: &Connection, officer_id: i64, now: i64) -> Result<Option<(String, Channel, i64)>, Error> {
    let rows = conn.execute(
        "SELECT counter, channel, expires_at FROM counter_sessions WHERE officer_id = ? AND expires_at > ?",
        &[Value::Integer(officer_id), Value::Integer(now)],
    )?;
    Ok(rows.rows.first().and_then(|r| {
        let channel = if r.get::<&str>(1)? == "kiosk" { Channel::Kiosk } else { Channel::Counter };
        Some((r.get::<&str>(0)?.to_owned(), channel, r.get::<i64>(2)?))
    }))
}

// --- The agency's counters ------------------------------------------------------

/// The counters an agency's supervisor keeps: a counter screen opens only at
/// one of them, so taps cannot be spread over made-up counters. Counters met
/// in earlier ratings are listed from the start.
pub(crate) fn create_counters(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE counters (
            agency_id TEXT NOT NULL,
            name TEXT NOT NULL,
            added_by TEXT NOT NULL,        -- officer:<username>, or 'migration'
            added_at TEXT NOT NULL,
            PRIMARY KEY (agency_id, name)
        ) WITHOUT ROWID",
        &[],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO counters (agency_id, name, added_by, added_at)
            SELECT DISTINCT agency_id, counter, 'migration', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
            FROM ratings WHERE counter IS NOT NULL",
        &[],
    )?;
    Ok(())
}

/// An agency's counters by name.
pub fn counters(conn: &Connection, agency_id: &str) -> Result<Vec<String>, Error> {
    let rows = conn.execute("SELECT name FROM counters WHERE agency_id = ? ORDER BY name", &[Value::Text(agency_id.to_owned())])?;
    Ok(rows.rows.iter().filter_map(|r| r.get::<&str>(0).map(str::to_owned)).collect())
}

/// Adds a counter; `Ok(false)` when the agency has one by that name.
pub fn add_counter(conn: &Connection, agency_id: &str, name: &str, by: &str, now: &str) -> Result<bool, Error> {
    let rows = conn.execute(
        "INSERT OR IGNORE INTO counters (agency_id, name, added_by, added_at) VALUES (?, ?, ?, ?) RETURNING name",
        &[Value::Text(agency_id.to_owned()), Value::Text(name.to_owned()), Value::Text(by.to_owned()), Value::Text(now.to_owned())],
    )?;
    Ok(!rows.rows.is_empty())
}

/// Removes a counter from the list (its ratings stay); `Ok(false)` if there was none.
pub fn remove_counter(conn: &Connection, agency_id: &str, name: &str) -> Result<bool, Error> {
    let rows = conn.execute(
        "DELETE FROM counters WHERE agency_id = ? AND name = ? RETURNING name",
        &[Value::Text(agency_id.to_owned()), Value::Text(name.to_owned())],
    )?;
    Ok(!rows.rows.is_empty())
}

pub fn counter_listed(conn: &Connection, agency_id: &str, name: &str) -> Result<bool, Error> {
    let rows = conn.execute(
        "SELECT 1 FROM counters WHERE agency_id = ? AND name = ?",
        &[Value::Text(agency_id.to_owned()), Value::Text(name.to_owned())],
    )?;
    Ok(!rows.rows.is_empty())
}
