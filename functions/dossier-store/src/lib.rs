//! The dossier tables. One crate owns their schema so the submission,
//! tracking and desk components apply the same migrations in the same order,
//! whichever of them touches the database first.

use http_kit::db::{open_migrated, Migration};
use motcua_shared::dossier::attachments::{AttachmentInfo, MediaType, UPLOAD_TTL_SECS};
use motcua_shared::dossier::calendar::Date;
use motcua_shared::dossier::code::DossierCode;
use motcua_shared::dossier::lifecycle::Status;
use motcua_shared::ratings::{Channel, Choice, DossierTally, RatingComment, Tally};
use spin_sdk::sqlite::{Connection, Error, Value};
use std::collections::BTreeMap;

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "dossiers, sequences, events, idempotency", apply: create_tables },
    Migration { version: 2, name: "officers and desk sessions", apply: create_desk_tables },
    Migration { version: 3, name: "uploads and attachments", apply: create_upload_table },
    Migration { version: 4, name: "ratings, tallies and counter sessions", apply: create_rating_tables },
];

fn create_upload_table(conn: &Connection) -> Result<(), Error> {
    for sql in [
        // A photo or scan: first an upload nobody owns (deleted after
        // UPLOAD_TTL_SECS), then, once a dossier names it, one of its papers.
        "CREATE TABLE uploads (
            id TEXT PRIMARY KEY,             -- 128 random bits, hex: the capability to attach it
            media_type TEXT NOT NULL,        -- jpeg | png | pdf, from the bytes
            size INTEGER NOT NULL,
            content BLOB NOT NULL,           -- personal data
            created_at INTEGER NOT NULL,     -- seconds since the epoch
            dossier_code TEXT REFERENCES dossiers (code),
            question_id TEXT,                -- NULL for papers supplied at tracking
            attached_at TEXT                 -- YYYY-MM-DDTHH:MM:SS+07:00
        )",
        "CREATE INDEX uploads_dossier ON uploads (dossier_code)",
        "CREATE INDEX uploads_unattached ON uploads (created_at) WHERE dossier_code IS NULL",
        // Papers on file are part of the record, like the audit trail.
        "CREATE TRIGGER uploads_attached_update BEFORE UPDATE ON uploads WHEN OLD.dossier_code IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'attached papers cannot change'); END",
        "CREATE TRIGGER uploads_attached_delete BEFORE DELETE ON uploads WHEN OLD.dossier_code IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'attached papers cannot be deleted'); END",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

fn create_desk_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE officers (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            role TEXT NOT NULL,            -- officer | supervisor
            password_hash TEXT NOT NULL,   -- argon2id PHC string
            created_at TEXT NOT NULL
        )",
        // Only a hash of the session token is stored: a copy of the database
        // opens no sessions.
        "CREATE TABLE desk_sessions (
            token_hash TEXT PRIMARY KEY,
            officer_id INTEGER NOT NULL REFERENCES officers (id),
            expires_at INTEGER NOT NULL    -- seconds since the epoch
        )",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

pub fn open() -> Result<Connection, Error> {
    open_migrated("dossiers", MIGRATIONS)
}

fn create_tables(conn: &Connection) -> Result<(), Error> {
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

pub struct NewDossier<'a> {
    pub procedure_code: &'a str,
    pub agency_id: &'a str,
    pub secret_hash: &'a str,
    pub channel: &'a str,
    pub received_on: Date,
    pub appointment_on: Option<Date>,
    pub answers_json: &'a str,
    pub now: &'a str,
    pub actor: &'a str,
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
    let seq = rows.rows.first().and_then(|r| r.get::<u16>(0)).ok_or_else(|| Error::Io("no sequence".into()))?;
    let code = DossierCode::new(d.agency_id, d.received_on, seq).map_err(|e| Error::Io(format!("dossier code: {e}")))?;
    let status = Status::Submitted.as_str().to_owned();
    conn.execute(
        "INSERT INTO dossiers (code, procedure_code, agency_id, secret_hash, status, channel, received_on,
                               appointment_on, answers, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
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
        ],
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

/// The dossier for a holder's code and secret, with failures counted per code
/// and per client in the key-value store: past the limit even the right secret
/// waits (429). Tracking, sending papers and rating share the counters, so a
/// secret cannot be guessed through any of them. A wrong secret gets the same
/// 404 as an unknown code.
pub fn find_for_holder(
    conn: &Connection,
    req: &spin_sdk::http::Request,
    code: &str,
    secret: &str,
) -> Result<DossierRow, spin_sdk::http::Response> {
    use motcua_shared::api_error::ApiError;
    use motcua_shared::throttle::{keys, Failures};
    let internal = |what: String| {
        eprintln!("dossier-store: {what}");
        http_kit::error(ApiError::internal())
    };
    let client = req.header("spin-client-addr").and_then(|v| v.as_str()).unwrap_or("");
    let store = spin_sdk::key_value::Store::open_default().map_err(|e| internal(format!("key-value: {e:?}")))?;
    let now = http_kit::clock::unix_seconds();
    let counters = keys("tracking", code, client);
    let failures: Vec<Failures> =
        counters.iter().map(|k| store.get_json::<Failures>(k).ok().flatten().unwrap_or_default()).collect();
    if let Some(wait) = failures.iter().filter_map(|f| f.retry_after(now)).max() {
        return Err(http_kit::too_many_requests(wait));
    }
    let hash = motcua_shared::dossier::secret::secret_hash(secret);
    match find_for_citizen(conn, code, &hash).map_err(|e| internal(format!("database: {e:?}")))? {
        Some(row) => Ok(row),
        None => {
            for (key, f) in counters.iter().zip(failures) {
                let _ = store.set_json(key, &f.record(now));
            }
            Err(http_kit::error(ApiError::not_found("no dossier with this code and secret")))
        }
    }
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

// --- The desk ---------------------------------------------------------------

pub struct OfficerRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: String,
    pub password_hash: String,
}

const OFFICER_COLUMNS: &str = "o.id, o.username, o.display_name, o.agency_id, o.role, o.password_hash";

fn officer_row(r: &spin_sdk::sqlite::RowResult) -> Option<OfficerRow> {
    Some(OfficerRow {
        id: r.get::<i64>(0)?,
        username: r.get::<&str>(1)?.to_owned(),
        display_name: r.get::<&str>(2)?.to_owned(),
        agency_id: r.get::<&str>(3)?.to_owned(),
        role: r.get::<&str>(4)?.to_owned(),
        password_hash: r.get::<&str>(5)?.to_owned(),
    })
}

/// Adds an officer; `Ok(false)` when the username is taken.
pub fn insert_officer(conn: &Connection, o: &OfficerRow, now: &str) -> Result<bool, Error> {
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO officers (username, display_name, agency_id, role, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Text(o.username.clone()),
            Value::Text(o.display_name.clone()),
            Value::Text(o.agency_id.clone()),
            Value::Text(o.role.clone()),
            Value::Text(o.password_hash.clone()),
            Value::Text(now.to_owned()),
        ],
    )?;
    Ok(!inserted.rows.is_empty())
}

pub fn officer_by_username(conn: &Connection, username: &str) -> Result<Option<OfficerRow>, Error> {
    let rows = conn.execute(
        &format!("SELECT {OFFICER_COLUMNS} FROM officers o WHERE o.username = ?"),
        &[Value::Text(username.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(officer_row))
}

pub fn create_session(conn: &Connection, token_hash: &str, officer_id: i64, expires_at: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM desk_sessions WHERE expires_at < ?", &[Value::Integer(expires_at - 86_400)])?;
    conn.execute(
        "INSERT INTO desk_sessions (token_hash, officer_id, expires_at) VALUES (?, ?, ?)",
        &[Value::Text(token_hash.to_owned()), Value::Integer(officer_id), Value::Integer(expires_at)],
    )?;
    Ok(())
}

/// The officer a live session belongs to.
pub fn session_officer(conn: &Connection, token_hash: &str, now: i64) -> Result<Option<OfficerRow>, Error> {
    let rows = conn.execute(
        &format!(
            "SELECT {OFFICER_COLUMNS} FROM desk_sessions s JOIN officers o ON o.id = s.officer_id
             WHERE s.token_hash = ? AND s.expires_at > ?"
        ),
        &[Value::Text(token_hash.to_owned()), Value::Integer(now)],
    )?;
    Ok(rows.rows.first().and_then(officer_row))
}

pub fn delete_session(conn: &Connection, token_hash: &str) -> Result<(), Error> {
    conn.execute("DELETE FROM desk_sessions WHERE token_hash = ?", &[Value::Text(token_hash.to_owned())])?;
    Ok(())
}

pub struct DeskRow {
    pub code: String,
    pub procedure_code: String,
    pub status: Status,
    pub channel: String,
    pub received_on: Option<Date>,
    pub appointment_on: Option<Date>,
    pub answers_json: String,
}

const DESK_COLUMNS: &str = "code, procedure_code, status, channel, received_on, appointment_on, answers";

fn desk_row(r: &spin_sdk::sqlite::RowResult) -> Option<DeskRow> {
    Some(DeskRow {
        code: r.get::<&str>(0)?.to_owned(),
        procedure_code: r.get::<&str>(1)?.to_owned(),
        status: Status::parse(r.get::<&str>(2)?)?,
        channel: r.get::<&str>(3)?.to_owned(),
        received_on: r.get::<&str>(4).and_then(|d| d.parse().ok()),
        appointment_on: r.get::<&str>(5).and_then(|d| d.parse().ok()),
        answers_json: r.get::<&str>(6)?.to_owned(),
    })
}

/// An agency's dossiers that are not closed, oldest first.
pub fn agency_dossiers(conn: &Connection, agency_id: &str, include_closed: bool) -> Result<Vec<DeskRow>, Error> {
    let closed = if include_closed { "" } else { "AND status NOT IN ('refused', 'withdrawn', 'stopped', 'result_returned')" };
    let rows = conn.execute(
        &format!("SELECT {DESK_COLUMNS} FROM dossiers WHERE agency_id = ? {closed} ORDER BY received_on, code LIMIT 500"),
        &[Value::Text(agency_id.to_owned())],
    )?;
    Ok(rows.rows.iter().filter_map(desk_row).collect())
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
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub note_to_citizen: Option<String>,
    pub internal_note: Option<String>,
}

/// A dossier's history, oldest first. Internal notes are for officers only:
/// citizen-facing callers must read `note_to_citizen` and nothing else.
pub fn audit_trail(conn: &Connection, code: &str) -> Result<Vec<AuditRow>, Error> {
    let rows = conn.execute(
        "SELECT at, actor, from_status, to_status, note_to_citizen, internal_note
         FROM dossier_events WHERE dossier_code = ? ORDER BY id",
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

// --- Uploads and attachments -----------------------------------------------

/// Stores an upload and deletes the unattached ones that have expired.
pub fn insert_upload(conn: &Connection, id: &str, media_type: MediaType, content: &[u8], now: i64) -> Result<(), Error> {
    conn.execute(
        "DELETE FROM uploads WHERE dossier_code IS NULL AND created_at < ?",
        &[Value::Integer(now - UPLOAD_TTL_SECS)],
    )?;
    conn.execute(
        "INSERT INTO uploads (id, media_type, size, content, created_at) VALUES (?, ?, ?, ?, ?)",
        &[
            Value::Text(id.to_owned()),
            Value::Text(media_type.as_str().to_owned()),
            Value::Integer(content.len() as i64),
            Value::Blob(content.to_vec()),
            Value::Integer(now),
        ],
    )?;
    Ok(())
}

/// Makes an unattached, unexpired upload one of the dossier's papers;
/// `Ok(false)` when there is no such upload (expired, used, never sent).
/// Call inside a transaction.
pub fn attach_upload(
    conn: &Connection,
    id: &str,
    code: &str,
    question_id: Option<&str>,
    now_iso: &str,
    now: i64,
) -> Result<bool, Error> {
    let rows = conn.execute(
        "UPDATE uploads SET dossier_code = ?, question_id = ?, attached_at = ?
         WHERE id = ? AND dossier_code IS NULL AND created_at >= ? RETURNING id",
        &[
            Value::Text(code.to_owned()),
            question_id.map_or(Value::Null, |q| Value::Text(q.to_owned())),
            Value::Text(now_iso.to_owned()),
            Value::Text(id.to_owned()),
            Value::Integer(now - UPLOAD_TTL_SECS),
        ],
    )?;
    Ok(!rows.rows.is_empty())
}

/// A dossier's papers in the order they were attached.
pub fn attachments(conn: &Connection, code: &str) -> Result<Vec<AttachmentInfo>, Error> {
    let rows = conn.execute(
        "SELECT id, question_id, media_type, size, attached_at FROM uploads
         WHERE dossier_code = ? ORDER BY attached_at, rowid",
        &[Value::Text(code.to_owned())],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(AttachmentInfo {
                id: r.get::<&str>(0)?.to_owned(),
                question_id: r.get::<&str>(1).map(str::to_owned),
                media_type: MediaType::parse(r.get::<&str>(2)?)?,
                bytes: r.get::<i64>(3)? as u64,
                attached_at: r.get::<&str>(4)?.to_owned(),
            })
        })
        .collect())
}

/// One of the dossier's papers: its type and bytes.
pub fn attachment_content(conn: &Connection, code: &str, id: &str) -> Result<Option<(MediaType, Vec<u8>)>, Error> {
    let rows = conn.execute(
        "SELECT media_type, content FROM uploads WHERE id = ? AND dossier_code = ?",
        &[Value::Text(id.to_owned()), Value::Text(code.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(|r| Some((MediaType::parse(r.get::<&str>(0)?)?, r.get::<&[u8]>(1)?.to_vec()))))
}

/// Desk sessions as every component reads them: the cookie carries a random
/// token, the database only its SHA-256.
pub mod desk_session {
    use super::{session_officer, OfficerRow};
    use spin_sdk::http::Request;
    use spin_sdk::sqlite::{Connection, Error};

    pub const COOKIE: &str = "motcua_desk";

    pub fn token_hash(token: &str) -> String {
        motcua_shared::dossier::secret::sha256_hex(token.as_bytes())
    }

    /// The session token from the request's cookies.
    pub fn token(req: &Request) -> Option<String> {
        let cookies = req.header("cookie")?.as_str()?;
        cookies.split(';').filter_map(|c| c.trim().split_once('=')).find(|(k, _)| *k == COOKIE).map(|(_, v)| v.to_owned())
    }

    /// The officer signed in on this request, if any.
    pub fn officer(conn: &Connection, req: &Request, now: i64) -> Result<Option<OfficerRow>, Error> {
        match token(req) {
            Some(t) => session_officer(conn, &token_hash(&t), now),
            None => Ok(None),
        }
    }
}

// --- Ratings and the published tallies ---------------------------------------

fn create_rating_tables(conn: &Connection) -> Result<(), Error> {
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

/// Adds `n` (1 or -1) to a dossier tally column.
fn bump_dossier_tally(conn: &Connection, month: &str, agency_id: &str, columns: &[&str], n: i64) -> Result<(), Error> {
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
fn count_return(conn: &Connection, code: &str, now: &str) -> Result<(), Error> {
    let rows = conn.execute("SELECT agency_id, appointment_on FROM dossiers WHERE code = ?", &[Value::Text(code.to_owned())])?;
    let Some(row) = rows.rows.first() else { return Ok(()) };
    let (Some(agency), Some(due)) = (row.get::<&str>(0), row.get::<&str>(1)) else { return Ok(()) };
    let (month, day) = (now.get(..7).unwrap_or(now), now.get(..10).unwrap_or(now));
    let columns: &[&str] = if day <= due { &["returned", "on_time"] } else { &["returned"] };
    bump_dossier_tally(conn, month, agency, columns, 1)
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

/// The latest comments left for an agency, newest first.
pub fn comments(conn: &Connection, agency_id: &str, limit: i64) -> Result<Vec<RatingComment>, Error> {
    let rows = conn.execute(
        "SELECT r.at, r.dossier_code, r.officer, r.comment, a.choice FROM ratings r
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
                dossier_code: r.get::<&str>(1).map(str::to_owned),
                officer: r.get::<&str>(2).map(str::to_owned),
                comment: r.get::<&str>(3)?.to_owned(),
                overall: r.get::<&str>(4).and_then(Choice::parse),
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
