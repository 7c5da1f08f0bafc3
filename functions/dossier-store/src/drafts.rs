//! The online form's answers kept on the server, for a browser that runs no
//! JavaScript (the app keeps its draft on the device instead). A draft is
//! found by the random id in the citizen's cookie; only that id's hash is
//! stored, so the table alone opens nobody's draft. Drafts expire with the
//! photos they name ([`DRAFT_TTL_SECS`]).

use motcua_shared::dossier::attachments::UPLOAD_TTL_SECS;
use motcua_shared::notify::NotifyChoice;
use spin_sdk::sqlite::{Connection, Error, Value};
use std::collections::BTreeMap;

/// A draft lives as long as an unattached photo: after that its photos are gone.
pub const DRAFT_TTL_SECS: i64 = UPLOAD_TTL_SECS;

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE form_drafts (
            id_hash TEXT PRIMARY KEY,        -- SHA-256 of the cookie's id, hex
            procedure_code TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,   -- made once: a submit sent twice makes one dossier
            answers TEXT NOT NULL,           -- JSON: question id -> as typed (personal data)
            photos TEXT NOT NULL,            -- JSON: file question id -> upload ids
            notify TEXT,                     -- JSON NotifyChoice, once asked
            sent INTEGER NOT NULL DEFAULT 0, -- 1 once its dossier was received
            updated_at INTEGER NOT NULL      -- seconds since the epoch
        )",
        "CREATE INDEX form_drafts_updated ON form_drafts (updated_at)",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

/// What a citizen has answered so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormDraft {
    pub procedure_code: String,
    pub idempotency_key: String,
    pub answers: BTreeMap<String, String>,
    pub photos: BTreeMap<String, Vec<String>>,
    pub notify: Option<NotifyChoice>,
    /// Its dossier was received. Kept (until it expires) so that the same
    /// submit sent again, after a dropped connection or a reload of the
    /// receipt, gets the same receipt back; a new visit starts a new draft.
    pub sent: bool,
}

/// The id is a secret like a dossier's, hashed the same way.
fn id_hash(id: &str) -> String {
    motcua_shared::dossier::secret::secret_hash(id)
}

/// The draft's parts as JSON text (maps of strings cannot fail to serialise).
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The draft under this id for this procedure, if it has not expired.
pub fn draft(conn: &Connection, id: &str, procedure_code: &str, now: i64) -> Result<Option<FormDraft>, Error> {
    let rows = conn.execute(
        "SELECT idempotency_key, answers, photos, notify, sent FROM form_drafts
          WHERE id_hash = ? AND procedure_code = ? AND updated_at >= ?",
        &[Value::Text(id_hash(id)), Value::Text(procedure_code.to_owned()), Value::Integer(now - DRAFT_TTL_SECS)],
    )?;
    let Some(row) = rows.rows.first() else { return Ok(None) };
    let text = |i: usize| row.get::<&str>(i).unwrap_or_default();
    Ok(Some(FormDraft {
        procedure_code: procedure_code.to_owned(),
        idempotency_key: text(0).to_owned(),
        // Written only by `save`; a row that does not parse is an empty draft.
        answers: serde_json::from_str(text(1)).unwrap_or_default(),
        photos: serde_json::from_str(text(2)).unwrap_or_default(),
        notify: row.get::<&str>(3).and_then(|n| serde_json::from_str(n).ok()),
        sent: row.get::<i64>(4).unwrap_or(0) != 0,
    }))
}

/// Writes the draft whole (one statement, so two tabs saving at once leave
/// one of them, never a mix), and deletes expired drafts.
pub fn save(conn: &Connection, id: &str, draft: &FormDraft, now: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM form_drafts WHERE updated_at < ?", &[Value::Integer(now - DRAFT_TTL_SECS)])?;
    conn.execute(
        "INSERT INTO form_drafts (id_hash, procedure_code, idempotency_key, answers, photos, notify, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id_hash) DO UPDATE SET procedure_code = excluded.procedure_code,
            idempotency_key = excluded.idempotency_key, answers = excluded.answers,
            photos = excluded.photos, notify = excluded.notify, updated_at = excluded.updated_at",
        &[
            Value::Text(id_hash(id)),
            Value::Text(draft.procedure_code.clone()),
            Value::Text(draft.idempotency_key.clone()),
            Value::Text(json(&draft.answers)),
            Value::Text(json(&draft.photos)),
            match &draft.notify {
                Some(n) => Value::Text(json(n)),
                None => Value::Null,
            },
            Value::Integer(now),
        ],
    )?;
    Ok(())
}

/// Marks a draft as received: it is read again only to answer the same submit.
pub fn mark_sent(conn: &Connection, id: &str) -> Result<(), Error> {
    conn.execute("UPDATE form_drafts SET sent = 1 WHERE id_hash = ?", &[Value::Text(id_hash(id))])?;
    Ok(())
}
