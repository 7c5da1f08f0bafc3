//! The receiving agencies and the procedures each receives.

use crate::{int, text};
use motcua_shared::agency::{Agency, AgencyListing, AgencyPlace};
use spin_sdk::sqlite::{Connection, Error, RowResult};

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE agencies (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            address TEXT NOT NULL,
            opening_hours TEXT NOT NULL,
            phone TEXT,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )",
        &[],
    )?;
    // By procedure first: a procedure page asks "who receives this?".
    conn.execute(
        "CREATE TABLE agency_procedures (
            procedure_code TEXT NOT NULL,
            agency_id TEXT NOT NULL REFERENCES agencies (id),
            PRIMARY KEY (procedure_code, agency_id)
        )",
        &[],
    )?;
    conn.execute("CREATE INDEX agency_procedures_by_agency ON agency_procedures (agency_id)", &[])?;
    Ok(())
}

const PLACE: &str = "id, name, address, opening_hours, phone";

fn place(r: &RowResult) -> AgencyPlace {
    AgencyPlace {
        id: r.get::<&str>(0).unwrap_or_default().to_owned(),
        name: r.get::<&str>(1).unwrap_or_default().to_owned(),
        address: r.get::<&str>(2).unwrap_or_default().to_owned(),
        opening_hours: r.get::<&str>(3).unwrap_or_default().to_owned(),
        phone: r.get::<&str>(4).map(str::to_owned),
    }
}

/// Creates or replaces an agency and the list of procedures it receives
/// (checked by the caller). Returns whether it existed. Call inside a transaction.
pub fn put_agency(conn: &Connection, a: &Agency, actor: &str, now: &str) -> Result<bool, Error> {
    let existed = !conn.execute("SELECT 1 FROM agencies WHERE id = ?", &[text(&a.id)])?.rows.is_empty();
    let phone = a.phone.as_deref().map_or(spin_sdk::sqlite::Value::Null, text);
    let days = a.report_answer_days.map_or(spin_sdk::sqlite::Value::Null, int);
    conn.execute(
        "INSERT INTO agencies (id, name, address, opening_hours, phone, report_answer_days, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,
             opening_hours = excluded.opening_hours, phone = excluded.phone,
             report_answer_days = excluded.report_answer_days,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        &[text(&a.id), text(a.name.trim()), text(a.address.trim()), text(a.opening_hours.trim()), phone, days, text(actor), text(now)],
    )?;
    conn.execute("DELETE FROM agency_procedures WHERE agency_id = ?", &[text(&a.id)])?;
    for code in &a.procedures {
        conn.execute("INSERT INTO agency_procedures (procedure_code, agency_id) VALUES (?, ?)", &[text(code), text(&a.id)])?;
    }
    Ok(existed)
}

/// One agency with its procedures.
pub fn agency(conn: &Connection, id: &str) -> Result<Option<Agency>, Error> {
    let Some(p) = agency_place(conn, id)? else {
        return Ok(None);
    };
    let codes = conn.execute("SELECT procedure_code FROM agency_procedures WHERE agency_id = ? ORDER BY procedure_code", &[text(id)])?;
    let procedures = codes.rows.iter().filter_map(|r| r.get::<&str>(0).map(str::to_owned)).collect();
    let report_answer_days = report_answer_days(conn, id)?;
    Ok(Some(Agency { id: p.id, name: p.name, address: p.address, opening_hours: p.opening_hours, phone: p.phone, procedures, report_answer_days }))
}

/// The working days an agency set itself to answer a report, if it did.
pub fn report_answer_days(conn: &Connection, id: &str) -> Result<Option<u32>, Error> {
    let rows = conn.execute("SELECT report_answer_days FROM agencies WHERE id = ?", &[text(id)])?;
    Ok(rows.rows.first().and_then(|r| r.get::<i64>(0)).map(|d| d.clamp(0, u32::MAX as i64) as u32))
}

/// The agency a report goes to when the citizen named none: the first of
/// the province's list (by its code), which by convention is the Public
/// Administrative Service Centre; a supervisor re-routes from there.
pub fn first_agency(conn: &Connection) -> Result<Option<AgencyPlace>, Error> {
    let rows = conn.execute(&format!("SELECT {PLACE} FROM agencies ORDER BY id LIMIT 1"), &[])?;
    Ok(rows.rows.first().map(place))
}

/// An agency's answer days are a column of its own (migration 11).
pub(crate) fn add_report_answer_days(conn: &Connection) -> Result<(), Error> {
    conn.execute("ALTER TABLE agencies ADD COLUMN report_answer_days INTEGER", &[])?;
    Ok(())
}

/// Where an agency is, for a receipt.
pub fn agency_place(conn: &Connection, id: &str) -> Result<Option<AgencyPlace>, Error> {
    let rows = conn.execute(&format!("SELECT {PLACE} FROM agencies WHERE id = ?"), &[text(id)])?;
    Ok(rows.rows.first().map(place))
}

/// The agencies that receive a procedure, by name.
pub fn places_for(conn: &Connection, procedure_code: &str) -> Result<Vec<AgencyPlace>, Error> {
    let rows = conn.execute(
        "SELECT a.id, a.name, a.address, a.opening_hours, a.phone FROM agency_procedures p
         JOIN agencies a ON a.id = p.agency_id WHERE p.procedure_code = ? ORDER BY a.name LIMIT 20",
        &[text(procedure_code)],
    )?;
    Ok(rows.rows.iter().map(place).collect())
}

/// Every agency with how many procedures it receives (a province has tens to hundreds).
pub fn agency_listing(conn: &Connection, limit: u32) -> Result<Vec<AgencyListing>, Error> {
    let rows = conn.execute(
        "SELECT a.id, a.name, a.address, a.opening_hours, a.phone,
                (SELECT COUNT(*) FROM agency_procedures p WHERE p.agency_id = a.id)
         FROM agencies a ORDER BY a.id LIMIT ?",
        &[int(limit)],
    )?;
    Ok(rows.rows.iter().map(|r| AgencyListing { place: place(r), procedures: r.get::<i64>(5).unwrap_or(0) as u32 }).collect())
}
