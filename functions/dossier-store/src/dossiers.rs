//! Dossiers: the record, its daily code, the receipt kept for retries, the
//! audit trail, and the desk's view of an agency's dossiers.

use crate::tallies::{bump_dossier_tally, count_return};
use motcua_shared::desk::{Citizen, QueueSearch};
use motcua_shared::dossier::calendar::Date;
use motcua_shared::dossier::code::DossierCode;
use motcua_shared::dossier::lifecycle::Status;
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE dossiers (
            code TEXT PRIMARY KEY,
            procedure_code TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            secret_hash TEXT NOT NULL,   -- SHA-256 of the tracking secret; the secret is never stored
            status TEXT NOT NULL,
            channel TEXT NOT NULL,       -- online | desk
            received_on TEXT NOT NULL,   -- YYYY-MM-DD, Vietnam time
            appointment_on TEXT,         -- YYYY-MM-DD
            answers TEXT NOT NULL,       -- cleaned answers as JSON: personal data
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )",
        "CREATE INDEX dossiers_agency_status ON dossiers (agency_id, status)",
        // The daily sequence per agency: one row a day, bumped inside the
        // submitting transaction, so two dossiers never share a code.
        "CREATE TABLE dossier_sequences (
            agency_id TEXT NOT NULL,
            day TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (agency_id, day)
        )",
        // Every change of state: who, when, from what to what, and notes. Append-only.
        "CREATE TABLE dossier_events (
            id INTEGER PRIMARY KEY,
            dossier_code TEXT NOT NULL REFERENCES dossiers (code),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            note_to_citizen TEXT,
            internal_note TEXT
        )",
        "CREATE INDEX dossier_events_code ON dossier_events (dossier_code, id)",
        "CREATE TRIGGER dossier_events_append_only_update BEFORE UPDATE ON dossier_events
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        "CREATE TRIGGER dossier_events_append_only_delete BEFORE DELETE ON dossier_events
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        // Keys the portal makes for itself on first use (e.g. to derive tracking secrets).
        "CREATE TABLE site_keys (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
        "CREATE TABLE idempotency_keys (
            key TEXT PRIMARY KEY,
            dossier_code TEXT NOT NULL REFERENCES dossiers (code),
            request_hash TEXT NOT NULL,
            receipt TEXT NOT NULL,       -- the receipt JSON as first returned
            created_at TEXT NOT NULL
        )",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

/// The desk pages through an agency's open dossiers in receipt order; this
/// partial index holds only open ones, so a page reads just its rows however
/// many dossiers were closed over the years.
pub(crate) fn create_queue_index(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE INDEX dossiers_open_queue ON dossiers (agency_id, received_on, length(code), code)
         WHERE status NOT IN ('refused', 'withdrawn', 'stopped', 'result_returned')",
        &[],
    )?;
    Ok(())
}

/// Who each dossier is about (see [`Citizen`]), so the desk finds an
/// agency's dossiers by name, ID number or phone through an index instead
/// of reading every dossier's answers: filled at insert, and here once from
/// the answers of every dossier already stored.
pub(crate) fn add_citizen_columns(conn: &Connection) -> Result<(), Error> {
    for column in [
        "citizen_name TEXT",      // as answered: what the queue shows
        "citizen_name_key TEXT",  // folded, for the search (motcua_shared::desk::name_key)
        "citizen_given_key TEXT", // the last word of the key: the given name
        "citizen_id TEXT",        // 12 digits
        "citizen_phone TEXT",     // 0xxxxxxxxx
    ] {
        conn.execute(&format!("ALTER TABLE dossiers ADD COLUMN {column}"), &[])?;
    }
    // In batches by rowid, so memory stays flat however many dossiers there are.
    let mut last = 0i64;
    loop {
        let rows = conn.execute(
            "SELECT rowid, answers FROM dossiers WHERE rowid > ? ORDER BY rowid LIMIT 500",
            &[Value::Integer(last)],
        )?;
        for r in &rows.rows {
            last = r.get::<i64>(0).unwrap_or(last);
            let citizen = Citizen::from_answers_json(r.get::<&str>(1).unwrap_or_default());
            let mut values = citizen_values(&citizen);
            values.push(Value::Integer(last));
            conn.execute(
                "UPDATE dossiers SET citizen_name = ?, citizen_name_key = ?, citizen_given_key = ?, citizen_id = ?,
                                     citizen_phone = ? WHERE rowid = ?",
                &values,
            )?;
        }
        if rows.rows.len() < 500 {
            break;
        }
    }
    // Scoped by agency, newest first within one name, ID or phone.
    for sql in [
        "CREATE INDEX dossiers_citizen_name ON dossiers (agency_id, citizen_name_key, received_on DESC)",
        "CREATE INDEX dossiers_citizen_given ON dossiers (agency_id, citizen_given_key, received_on DESC)",
        "CREATE INDEX dossiers_citizen_id ON dossiers (agency_id, citizen_id, received_on DESC)",
        "CREATE INDEX dossiers_citizen_phone ON dossiers (agency_id, citizen_phone, received_on DESC)",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

/// The five citizen columns, in the order above.
fn citizen_values(c: &Citizen) -> Vec<Value> {
    let text = |t: Option<String>| t.map_or(Value::Null, Value::Text);
    vec![text(c.name.clone()), text(c.name_key()), text(c.given_name_key()), text(c.id_number.clone()), text(c.phone.clone())]
}

pub struct NewDossier<'a> {
    pub procedure_code: &'a str,
    pub agency_id: &'a str,
    pub secret_hash: &'a str,
    pub channel: &'a str,
    pub received_on: Date,
    pub appointment_on: Option<Date>,
    pub answers_json: &'a str,
    /// The version of the form the answers were checked against.
    pub form_version: u32,
    pub now: &'a str,
    pub actor: &'a str,
}

/// The form version each dossier was filled with (`NULL` for the dossiers
/// made before forms had versions: the desk reads those under the current form).
pub(crate) fn add_form_version(conn: &Connection) -> Result<(), Error> {
    conn.execute("ALTER TABLE dossiers ADD COLUMN form_version INTEGER", &[])?;
    Ok(())
}

/// Takes the agency's next number for the day and stores the dossier with its
/// first event. Call inside a transaction.
pub fn insert(conn: &Connection, d: &NewDossier) -> Result<DossierCode, Error> {
    let day = d.received_on.to_string();
    let rows = conn.execute(
        "INSERT INTO dossier_sequences (agency_id, day, last) VALUES (?, ?, 1)
         ON CONFLICT (agency_id, day) DO UPDATE SET last = last + 1
         RETURNING last",
        &[Value::Text(d.agency_id.to_owned()), Value::Text(day)],
    )?;
    let seq = rows.rows.first().and_then(|r| r.get::<u32>(0)).ok_or_else(|| Error::Io("no sequence".into()))?;
    let code = DossierCode::new(d.agency_id, d.received_on, seq).map_err(|e| Error::Io(format!("dossier code: {e}")))?;
    let status = Status::Submitted.as_str().to_owned();
    let mut values = vec![
        Value::Text(code.to_string()),
        Value::Text(d.procedure_code.to_owned()),
        Value::Text(d.agency_id.to_owned()),
        Value::Text(d.secret_hash.to_owned()),
        Value::Text(status.clone()),
        Value::Text(d.channel.to_owned()),
        Value::Text(d.received_on.to_string()),
        d.appointment_on.map_or(Value::Null, |a| Value::Text(a.to_string())),
        Value::Text(d.answers_json.to_owned()),
        Value::Text(d.now.to_owned()),
        Value::Text(d.now.to_owned()),
    ];
    values.extend(citizen_values(&Citizen::from_answers_json(d.answers_json)));
    values.push(Value::Integer(d.form_version.into()));
    conn.execute(
        "INSERT INTO dossiers (code, procedure_code, agency_id, secret_hash, status, channel, received_on,
                               appointment_on, answers, created_at, updated_at,
                               citizen_name, citizen_name_key, citizen_given_key, citizen_id, citizen_phone, form_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &values,
    )?;
    conn.execute(
        "INSERT INTO dossier_events (dossier_code, at, actor, from_status, to_status) VALUES (?, ?, ?, NULL, ?)",
        &[Value::Text(code.to_string()), Value::Text(d.now.to_owned()), Value::Text(d.actor.to_owned()), Value::Text(status)],
    )?;
    let month = &d.received_on.to_string()[..7];
    let columns: &[&str] = if d.channel == "online" { &["received", "online"] } else { &["received"] };
    bump_dossier_tally(conn, month, d.agency_id, columns, 1)?;
    Ok(code)
}

/// A receipt already given for an idempotency key: (request hash, receipt JSON).
pub fn receipt_for_key(conn: &Connection, key: &str) -> Result<Option<(String, String)>, Error> {
    let rows = conn.execute("SELECT request_hash, receipt FROM idempotency_keys WHERE key = ?", &[Value::Text(key.to_owned())])?;
    Ok(rows.rows.first().and_then(|r| Some((r.get::<&str>(0)?.to_owned(), r.get::<&str>(1)?.to_owned()))))
}

pub fn remember_receipt(conn: &Connection, key: &str, code: &str, request_hash: &str, receipt_json: &str, now: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO idempotency_keys (key, dossier_code, request_hash, receipt, created_at) VALUES (?, ?, ?, ?, ?)",
        &[
            Value::Text(key.to_owned()),
            Value::Text(code.to_owned()),
            Value::Text(request_hash.to_owned()),
            Value::Text(receipt_json.to_owned()),
            Value::Text(now.to_owned()),
        ],
    )?;
    Ok(())
}

pub struct DossierRow {
    pub code: String,
    pub procedure_code: String,
    pub status: Status,
    pub received_on: Option<Date>,
    pub appointment_on: Option<Date>,
}

/// The dossier with this code whose secret hashes to `secret_hash`; `None`
/// for a wrong secret exactly as for an unknown code.
pub fn find_for_citizen(conn: &Connection, code: &str, secret_hash: &str) -> Result<Option<DossierRow>, Error> {
    let rows = conn.execute(
        "SELECT code, procedure_code, status, received_on, appointment_on FROM dossiers WHERE code = ? AND secret_hash = ?",
        &[Value::Text(code.to_owned()), Value::Text(secret_hash.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(|r| {
        Some(DossierRow {
            code: r.get::<&str>(0)?.to_owned(),
            procedure_code: r.get::<&str>(1)?.to_owned(),
            status: Status::parse(r.get::<&str>(2)?)?,
            received_on: r.get::<&str>(3).and_then(|d| d.parse().ok()),
            appointment_on: r.get::<&str>(4).and_then(|d| d.parse().ok()),
        })
    }))
}

/// A random 32-byte key made once per site and kept in the database, so every
/// instance (and every restart) uses the same one.
pub fn site_key(conn: &Connection, name: &str) -> Result<Vec<u8>, Error> {
    let read = |conn: &Connection| -> Result<Option<Vec<u8>>, Error> {
        let rows = conn.execute("SELECT value FROM site_keys WHERE name = ?", &[Value::Text(name.to_owned())])?;
        Ok(rows.rows.first().and_then(|r| r.get::<&[u8]>(0)).map(<[u8]>::to_vec))
    };
    if let Some(key) = read(conn)? {
        return Ok(key);
    }
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| Error::Io(format!("no randomness: {e}")))?;
    // Two instances may race here: the first insert wins and both read it back.
    conn.execute(
        "INSERT OR IGNORE INTO site_keys (name, value) VALUES (?, ?)",
        &[Value::Text(name.to_owned()), Value::Blob(fresh.to_vec())],
    )?;
    read(conn)?.ok_or_else(|| Error::Io("site key vanished".into()))
}

pub struct DeskRow {
    pub code: String,
    pub procedure_code: String,
    pub status: Status,
    pub channel: String,
    pub received_on: Option<Date>,
    pub appointment_on: Option<Date>,
    pub answers_json: String,
    /// See [`Citizen`]; `None` for a form that names nobody the desk recognises.
    pub citizen_name: Option<String>,
    /// Waiting for papers, and the last word is the citizen's: they sent them
    /// from the tracking page (the status stays until an officer accepts them).
    pub papers_sent: bool,
    /// The form version it was filled with (`None` before forms had versions).
    pub form_version: Option<u32>,
}

/// The last event of a dossier is one read of `dossier_events_code`.
const DESK_COLUMNS: &str = "code, procedure_code, status, channel, received_on, appointment_on, answers, citizen_name,
    status = 'documents_requested'
        AND (SELECT e.actor FROM dossier_events e WHERE e.dossier_code = dossiers.code ORDER BY e.id DESC LIMIT 1) = 'citizen',
    form_version";

fn desk_row(r: &spin_sdk::sqlite::RowResult) -> Option<DeskRow> {
    Some(DeskRow {
        code: r.get::<&str>(0)?.to_owned(),
        procedure_code: r.get::<&str>(1)?.to_owned(),
        status: Status::parse(r.get::<&str>(2)?)?,
        channel: r.get::<&str>(3)?.to_owned(),
        received_on: r.get::<&str>(4).and_then(|d| d.parse().ok()),
        appointment_on: r.get::<&str>(5).and_then(|d| d.parse().ok()),
        answers_json: r.get::<&str>(6)?.to_owned(),
        citizen_name: r.get::<&str>(7).map(str::to_owned),
        papers_sent: r.get::<i64>(8).unwrap_or(0) != 0,
        form_version: r.get::<i64>(9).map(|v| v as u32),
    })
}

/// Where a page of the queue starts: after this (received_on, code).
pub type QueueCursor = (String, String);

/// A page of an agency's open dossiers, oldest first, after `after`: at most
/// `limit` rows, read through the index (never the whole table), so the desk
/// pages through every dossier however many there are.
pub fn agency_dossiers(conn: &Connection, agency_id: &str, after: Option<&QueueCursor>, limit: u32) -> Result<Vec<DeskRow>, Error> {
    // Within a day, by sequence: a shorter code first, so `…-9999` comes
    // before `…-10000` (text order alone would put it after).
    let (day, code) = after.cloned().unwrap_or_default();
    let rows = conn.execute(
        &format!(
            "SELECT {DESK_COLUMNS} FROM dossiers
             WHERE agency_id = ? AND status NOT IN ('refused', 'withdrawn', 'stopped', 'result_returned')
               AND (received_on, length(code), code) > (?, ?, ?)
             ORDER BY received_on, length(code), code LIMIT ?"
        ),
        &[
            Value::Text(agency_id.to_owned()),
            Value::Text(day),
            Value::Integer(code.len() as i64),
            Value::Text(code),
            Value::Integer(i64::from(limit)),
        ],
    )?;
    Ok(rows.rows.iter().filter_map(desk_row).collect())
}

/// The agency's dossiers, open or closed, that a desk search finds: at most
/// `limit`, each kind read through its own index scoped by agency (never the
/// agency's whole history). An ID number or phone matches exactly, newest
/// first; a name by its beginning in name order, and one word its given name
/// too; a code by its beginning, with or without the agency in front.
pub fn search_agency_dossiers(conn: &Connection, agency_id: &str, search: &QueueSearch, limit: u32) -> Result<Vec<DeskRow>, Error> {
    let agency = || Value::Text(agency_id.to_owned());
    // Every text starting with `prefix` sorts from `prefix` up to (not including) this.
    let past = |prefix: &str| Value::Text(format!("{prefix}{}", char::MAX));
    let queries: Vec<(String, Vec<Value>)> = match search {
        QueueSearch::IdNumber(id) => vec![(
            "agency_id = ? AND citizen_id = ? ORDER BY received_on DESC".into(),
            vec![agency(), Value::Text(id.clone())],
        )],
        QueueSearch::Phone(phone) => vec![(
            "agency_id = ? AND citizen_phone = ? ORDER BY received_on DESC".into(),
            vec![agency(), Value::Text(phone.clone())],
        )],
        QueueSearch::Name(key) => {
            let mut q = vec![(
                "agency_id = ? AND citizen_name_key >= ? AND citizen_name_key < ? ORDER BY citizen_name_key, received_on DESC".into(),
                vec![agency(), Value::Text(key.clone()), past(key)],
            )];
            if !key.contains(' ') {
                q.push((
                    "agency_id = ? AND citizen_given_key >= ? AND citizen_given_key < ? ORDER BY citizen_given_key, received_on DESC".into(),
                    vec![agency(), Value::Text(key.clone()), past(key)],
                ));
            }
            q
        }
        QueueSearch::Code(code) => {
            let mut prefixes = vec![code.clone()];
            if !code.starts_with(agency_id) {
                prefixes.push(format!("{agency_id}-{code}"));
            }
            // `+agency_id`: the code's own index, never the agency's whole list.
            prefixes
                .iter()
                .map(|p| ("code >= ? AND code < ? AND +agency_id = ? ORDER BY code DESC".into(), vec![Value::Text(p.clone()), past(p), agency()]))
                .collect()
        }
    };
    let mut found: Vec<DeskRow> = Vec::new();
    for (filter, mut params) in queries {
        params.push(Value::Integer(i64::from(limit)));
        let rows = conn.execute(&format!("SELECT {DESK_COLUMNS} FROM dossiers WHERE {filter} LIMIT ?"), &params)?;
        for row in rows.rows.iter().filter_map(desk_row) {
            if found.len() < limit as usize && !found.iter().any(|f| f.code == row.code) {
                found.push(row);
            }
        }
    }
    Ok(found)
}

/// A dossier of this agency; `None` for another agency's, exactly as for an unknown code.
pub fn agency_dossier(conn: &Connection, code: &str, agency_id: &str) -> Result<Option<DeskRow>, Error> {
    let rows = conn.execute(
        &format!("SELECT {DESK_COLUMNS} FROM dossiers WHERE code = ? AND agency_id = ?"),
        &[Value::Text(code.to_owned()), Value::Text(agency_id.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(desk_row))
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    /// The officer's display name, for an officer's event.
    pub actor_name: Option<String>,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub note_to_citizen: Option<String>,
    pub internal_note: Option<String>,
}

/// A dossier's history, oldest first. Internal notes are for officers only:
/// citizen-facing callers must read `note_to_citizen` and nothing else.
pub fn audit_trail(conn: &Connection, code: &str) -> Result<Vec<AuditRow>, Error> {
    let rows = conn.execute(
        "SELECT e.at, e.actor, e.from_status, e.to_status, e.note_to_citizen, e.internal_note, o.display_name
         FROM dossier_events e LEFT JOIN officers o ON e.actor = 'officer:' || o.username
         WHERE e.dossier_code = ? ORDER BY e.id",
        &[Value::Text(code.to_owned())],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(AuditRow {
                at: r.get::<&str>(0)?.to_owned(),
                actor: r.get::<&str>(1)?.to_owned(),
                from_status: r.get::<&str>(2).and_then(Status::parse),
                to_status: Status::parse(r.get::<&str>(3)?)?,
                note_to_citizen: r.get::<&str>(4).map(str::to_owned),
                internal_note: r.get::<&str>(5).map(str::to_owned),
                actor_name: r.get::<&str>(6).map(str::to_owned),
            })
        })
        .collect())
}

pub struct Change<'a> {
    pub code: &'a str,
    pub from: Status,
    pub to: Status,
    pub actor: &'a str,
    pub note_to_citizen: Option<&'a str>,
    pub internal_note: Option<&'a str>,
    pub now: &'a str,
}

/// Moves a dossier from `from` to `to` and records it; `Ok(false)` when the
/// dossier is no longer in `from` (someone else acted first). Call inside a transaction.
pub fn apply_change(conn: &Connection, c: &Change) -> Result<bool, Error> {
    let updated = conn.execute(
        "UPDATE dossiers SET status = ?, updated_at = ? WHERE code = ? AND status = ? RETURNING code",
        &[
            Value::Text(c.to.as_str().to_owned()),
            Value::Text(c.now.to_owned()),
            Value::Text(c.code.to_owned()),
            Value::Text(c.from.as_str().to_owned()),
        ],
    )?;
    if updated.rows.is_empty() {
        return Ok(false);
    }
    let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_owned()));
    conn.execute(
        "INSERT INTO dossier_events (dossier_code, at, actor, from_status, to_status, note_to_citizen, internal_note)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[
            Value::Text(c.code.to_owned()),
            Value::Text(c.now.to_owned()),
            Value::Text(c.actor.to_owned()),
            Value::Text(c.from.as_str().to_owned()),
            Value::Text(c.to.as_str().to_owned()),
            text(c.note_to_citizen),
            text(c.internal_note),
        ],
    )?;
    if c.to == Status::ResultReturned {
        count_return(conn, c.code, c.now)?;
    }
    Ok(true)
}

/// Moves the appointment date (after a pause of the processing clock). Call inside a transaction.
pub fn set_appointment(conn: &Connection, code: &str, appointment_on: Date) -> Result<(), Error> {
    conn.execute(
        "UPDATE dossiers SET appointment_on = ? WHERE code = ?",
        &[Value::Text(appointment_on.to_string()), Value::Text(code.to_owned())],
    )?;
    Ok(())
}
