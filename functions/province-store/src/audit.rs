//! The administrators' audit trail: every change to what the province
//! publishes, written in the same transaction as the change.

use crate::{int, text};
use http_kit::clock;
use motcua_shared::admin::AdminChange;
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_table(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE admin_audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL
        )",
        &[],
    )?;
    Ok(())
}

pub fn record_change(conn: &Connection, actor: &str, action: &str, subject: &str, detail: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO admin_audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        &[Value::Text(clock::now_iso()), text(actor), text(action), text(subject), text(detail)],
    )?;
    Ok(())
}

/// The latest changes, newest first; `before` pages back by id.
pub fn recent_changes(conn: &Connection, before: Option<u64>, limit: u32) -> Result<Vec<AdminChange>, Error> {
    let rows = conn.execute(
        "SELECT id, at, actor, action, subject, detail FROM admin_audit WHERE id < ? ORDER BY id DESC LIMIT ?",
        &[Value::Integer(before.map_or(i64::MAX, |b| b as i64)), int(limit)],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(AdminChange {
                id: r.get::<i64>(0)? as u64,
                at: r.get::<&str>(1)?.to_owned(),
                actor: r.get::<&str>(2)?.to_owned(),
                action: r.get::<&str>(3)?.to_owned(),
                subject: r.get::<&str>(4)?.to_owned(),
                detail: r.get::<&str>(5)?.to_owned(),
            })
        })
        .collect())
}
