//! Counting for the limits in `motcua_shared::throttle`, in SQLite (libSQL
//! when scaled out), so every instance of every component shares the counts.
//!
//! Each count is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement:
//! two requests at the same moment can never both read "9" and both pass a
//! limit of 10. Spin's key-value store, used before, has no such step and no
//! expiry; here a window that has ended starts again, and ended rows are
//! pruned now and then.

use crate::db::{open_migrated, Migration};
use crate::failure::{Failure, Result};
use motcua_shared::throttle::{client_ip, growing_wait, key, Limit};
use spin_sdk::http::Request;
use spin_sdk::sqlite::{Connection, Error, Value};

const MIGRATIONS: &[Migration] = &[Migration { version: 1, name: "throttle counts", apply: create_table }];

fn create_table(conn: &Connection) -> std::result::Result<(), Error> {
    conn.execute(
        "CREATE TABLE throttle_counts (
            key TEXT PRIMARY KEY,          -- limit name and a hash of the subject
            window_ends INTEGER NOT NULL,  -- seconds since the epoch
            count INTEGER NOT NULL
        ) WITHOUT ROWID",
        &[],
    )?;
    conn.execute("CREATE INDEX throttle_counts_ends ON throttle_counts (window_ends)", &[])?;
    Ok(())
}

/// One event counted: how many fell in the current window, and when it ends.
#[derive(Clone, Copy, Debug)]
pub struct Counted {
    pub count: u32,
    pub window_ends: i64,
}

fn open() -> Result<Connection> {
    Ok(open_migrated("throttles", MIGRATIONS)?)
}

/// Counts one event for `subject` under `limit`, atomically.
pub fn count(limit: &Limit, subject: &str) -> Result<Counted> {
    count_on(&open()?, limit, subject)
}

fn count_on(conn: &Connection, limit: &Limit, subject: &str) -> Result<Counted> {
    let now = crate::clock::unix_seconds();
    let fresh_end = now + limit.window_secs;
    let rows = conn.execute(
        "INSERT INTO throttle_counts (key, window_ends, count) VALUES (?, ?, 1)
         ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN window_ends <= ? THEN 1 ELSE count + 1 END,
            window_ends = CASE WHEN window_ends <= ? THEN ? ELSE window_ends END
         RETURNING count, window_ends",
        &[
            Value::Text(key(limit, subject)),
            Value::Integer(fresh_end),
            Value::Integer(now),
            Value::Integer(now),
            Value::Integer(fresh_end),
        ],
    )?;
    let row = rows.rows.first().ok_or_else(|| Failure::internal("throttle: no count returned"))?;
    let counted = Counted {
        count: row.get::<i64>(0).unwrap_or(i64::MAX).clamp(0, u32::MAX as i64) as u32,
        window_ends: row.get::<i64>(1).unwrap_or(fresh_end),
    };
    prune_now_and_then(conn, now);
    Ok(counted)
}

/// Ended windows are deleted on about one count in 64, so the table stays
/// the size of the last window's traffic without a scheduled job.
fn prune_now_and_then(conn: &Connection, now: i64) {
    let mut byte = [0u8; 1];
    if getrandom::fill(&mut byte).is_ok() && byte[0] < 4 {
        let _ = conn.execute("DELETE FROM throttle_counts WHERE window_ends < ?", &[Value::Integer(now)]);
    }
}

/// Counts one unit of work (an upload, a dossier) and refuses it past the limit.
pub fn take(limit: &Limit, subject: &str, message: &str) -> Result<()> {
    let c = count(limit, subject)?;
    match limit.wait(c.count, c.window_ends, crate::clock::unix_seconds()) {
        Some(wait_secs) => Err(Failure::TooMany { wait_secs, message: message.to_owned() }),
        None => Ok(()),
    }
}

/// Records a failed guess (a wrong secret, password or token) against the
/// client and, when given, against its subject (a dossier code, a username),
/// and answers what the guesser gets: `wrong` while within the limits, a 429
/// once past one. Only failures are counted, so nobody's failures stop a
/// right guess.
pub fn failed(per_client: &Limit, client: &str, subject: Option<(&Limit, &str)>, wrong: Failure) -> Failure {
    let counted = || -> Result<Option<i64>> {
        let conn = open()?;
        let c = count_on(&conn, per_client, client)?;
        let by_client = per_client.wait(c.count, c.window_ends, crate::clock::unix_seconds());
        let by_subject = match subject {
            Some((limit, subject)) => growing_wait(limit, count_on(&conn, limit, subject)?.count),
            None => None,
        };
        Ok(by_client.max(by_subject))
    };
    match counted() {
        Ok(Some(wait_secs)) => Failure::TooMany { wait_secs, message: "too many wrong tries; wait and try again".into() },
        Ok(None) => wrong,
        Err(f) => f,
    }
}

/// The client's address (without port) as Spin passes it.
pub fn client(req: &Request) -> String {
    client_ip(req.header("spin-client-addr").and_then(|v| v.as_str()).unwrap_or("")).to_owned()
}

/// An operator's limit from a Spin variable (`uploads_per_client`, …), or
/// the default when unset or not a number.
pub fn variable(name: &str, default: u32) -> u32 {
    spin_sdk::variables::get(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}
