//! Counts kept as dossiers arrive and return, so the published figures
//! never count the dossiers table.

use spin_sdk::sqlite::{Connection, Error, Value};

/// Adds `n` (1 or -1) to a dossier tally column.
pub(crate) fn bump_dossier_tally(conn: &Connection, month: &str, agency_id: &str, columns: &[&str], n: i64) -> Result<(), Error> {
    let sets: Vec<String> = columns.iter().map(|c| format!("{c} = {c} + {n}")).collect();
    let values: Vec<String> = ["received", "online", "returned", "on_time"]
        .iter()
        .map(|c| if columns.contains(c) { n.to_string() } else { "0".to_owned() })
        .collect();
    conn.execute(
        &format!(
            "INSERT INTO dossier_tallies (month, agency_id, received, online, returned, on_time) VALUES (?, ?, {})
             ON CONFLICT (month, agency_id) DO UPDATE SET {}",
            values.join(", "),
            sets.join(", ")
        ),
        &[Value::Text(month.to_owned()), Value::Text(agency_id.to_owned())],
    )?;
    Ok(())
}

/// Counts a returned result against its appointment date. Call inside the
/// transaction that records the return.
pub(crate) fn count_return(conn: &Connection, code: &str, now: &str) -> Result<(), Error> {
    let rows = conn.execute("SELECT agency_id, appointment_on FROM dossiers WHERE code = ?", &[Value::Text(code.to_owned())])?;
    let Some(row) = rows.rows.first() else { return Ok(()) };
    let (Some(agency), Some(due)) = (row.get::<&str>(0), row.get::<&str>(1)) else { return Ok(()) };
    let (month, day) = (now.get(..7).unwrap_or(now), now.get(..10).unwrap_or(now));
    let columns: &[&str] = if day <= due { &["returned", "on_time"] } else { &["returned"] };
    bump_dossier_tally(conn, month, agency, columns, 1)
}
