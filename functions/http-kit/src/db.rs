//! Versioned schema migrations on Spin's default SQLite database.
//!
//! Each component owns its tables and its list of migrations; the versions it
//! has applied are rows of `schema_migrations`. Applying runs inside
//! `BEGIN IMMEDIATE`, so two instances starting at once cannot both migrate.

use spin_sdk::sqlite::{Connection, Error, Value};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub apply: fn(&Connection) -> Result<(), Error>,
}

/// Opens the default database with this component's migrations applied.
pub fn open_migrated(component: &str, migrations: &[Migration]) -> Result<Connection, Error> {
    let conn = Connection::open_default()?;
    migrate(&conn, component, migrations)?;
    Ok(conn)
}

/// Applies this component's pending migrations on an open connection (a
/// component that reads two crates' tables opens the database once).
pub fn migrate(conn: &Connection, component: &str, migrations: &[Migration]) -> Result<(), Error> {
    let latest = migrations.iter().map(|m| m.version).max().unwrap_or(0);
    if applied_version(conn, component)? >= latest {
        return Ok(());
    }
    conn.execute("BEGIN IMMEDIATE", &[])?;
    let result = apply_pending(conn, component, migrations);
    match result {
        Ok(()) => conn.execute("COMMIT", &[]).map(|_| ()),
        Err(e) => {
            let _ = conn.execute("ROLLBACK", &[]);
            Err(e)
        }
    }
}

fn applied_version(conn: &Connection, component: &str) -> Result<i64, Error> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            component TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (component, version)
        )",
        &[],
    )?;
    let rows = conn.execute(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?",
        &[Value::Text(component.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(|r| r.get::<i64>(0)).unwrap_or(0))
}

fn apply_pending(conn: &Connection, component: &str, migrations: &[Migration]) -> Result<(), Error> {
    // Read again inside the transaction: another instance may have just migrated.
    let current = applied_version(conn, component)?;
    for m in migrations.iter().filter(|m| m.version > current) {
        (m.apply)(conn)?;
        conn.execute(
            "INSERT INTO schema_migrations (component, version, name) VALUES (?, ?, ?)",
            &[Value::Text(component.to_owned()), Value::Integer(m.version), Value::Text(m.name.to_owned())],
        )?;
    }
    Ok(())
}

/// Runs `work` inside `BEGIN IMMEDIATE … COMMIT`, rolling back on error, so
/// what it writes lands all together or not at all.
///
/// A transaction refused for contention (SQLite's lock timeout, or libSQL
/// interrupting a writer that held the lock while others queued) wrote
/// nothing, so it is run again, a few times, before the client gets a 503.
/// `work` must therefore only touch the database (no throttles, no sends).
pub fn transaction<T>(conn: &Connection, mut work: impl FnMut(&Connection) -> crate::Result<T>) -> crate::Result<T> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        match once(conn, &mut work) {
            Err(crate::Failure::Busy) if attempt < ATTEMPTS => attempt += 1,
            outcome => return outcome,
        }
    }
}

fn once<T>(conn: &Connection, work: &mut impl FnMut(&Connection) -> crate::Result<T>) -> crate::Result<T> {
    conn.execute("BEGIN IMMEDIATE", &[])?;
    let outcome = work(conn).and_then(|value| {
        conn.execute("COMMIT", &[])?;
        Ok(value)
    });
    if outcome.is_err() {
        // Also after a failed COMMIT: the transaction must not stay open on
        // this connection (on libSQL, a stream other requests may reuse).
        let _ = conn.execute("ROLLBACK", &[]);
    }
    outcome
}
