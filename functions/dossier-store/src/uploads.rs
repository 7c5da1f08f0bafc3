//! Photos and scans: an upload nobody owns, then one of a dossier's papers.

use motcua_shared::dossier::attachments::{AttachmentInfo, MediaType, UPLOAD_TTL_SECS};
use spin_sdk::sqlite::{Connection, Error, RowResult, Value};

pub(crate) fn create_upload_table(conn: &Connection) -> Result<(), Error> {
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
    Ok(rows.rows.iter().filter_map(attachment_info).collect())
}

/// A paper from a row of `id, question_id, media_type, size, attached_at`
/// (a report's photos are read the same way).
pub(crate) fn attachment_info(r: &RowResult) -> Option<AttachmentInfo> {
    Some(AttachmentInfo {
        id: r.get::<&str>(0)?.to_owned(),
        question_id: r.get::<&str>(1).map(str::to_owned),
        media_type: MediaType::parse(r.get::<&str>(2)?)?,
        bytes: r.get::<i64>(3)? as u64,
        attached_at: r.get::<&str>(4)?.to_owned(),
    })
}

/// A paper's type and bytes from a row of `media_type, content`.
pub(crate) fn paper_content(r: &RowResult) -> Option<(MediaType, Vec<u8>)> {
    Some((MediaType::parse(r.get::<&str>(0)?)?, r.get::<&[u8]>(1)?.to_vec()))
}

/// One of the dossier's papers: its type and bytes.
pub fn attachment_content(conn: &Connection, code: &str, id: &str) -> Result<Option<(MediaType, Vec<u8>)>, Error> {
    let rows = conn.execute(
        "SELECT media_type, content FROM uploads WHERE id = ? AND dossier_code = ?",
        &[Value::Text(id.to_owned()), Value::Text(code.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(paper_content))
}
