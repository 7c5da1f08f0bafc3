//! The province's translations of the citizen's strings, per language, the
//! versions published to citizens, and the voice recordings read-aloud plays.
//!
//! A translator's edit is saved at once but reaches citizens only when the
//! language is published: publishing writes the whole language file as one
//! row (`locale_releases`), so serving `/locales/<lang>.json` reads one row
//! and its version is the file's cache tag. Recordings are drafts until the
//! same publication; a published recording gets a new version, which is its
//! address (`/audio/<lang>/<key>?v=…`), so phones fetch the new one.
//!
//! The strings a form adds (labels, choices, help texts) are kept in
//! `form_strings` when the form is published, so the studio never reads the
//! forms themselves.

use crate::{int, text};
use motcua_shared::forms::FormSpec;
use motcua_shared::languages::{help_key, LocaleEntry, RecordingInfo, Source, StoredTranslation, StringGroup};
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE translations (
            language TEXT NOT NULL,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            source_vi TEXT NOT NULL,       -- the Vietnamese it was translated from
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            reviewed_by TEXT,
            reviewed_at TEXT,
            PRIMARY KEY (language, key)
        )",
        // The small columns first: the index reads `entry` without walking
        // the file's overflow pages.
        "CREATE TABLE locale_releases (
            language TEXT NOT NULL,
            version INTEGER NOT NULL,
            entry TEXT NOT NULL,           -- its line in /locales/index.json
            published_by TEXT NOT NULL,
            published_at TEXT NOT NULL,
            body TEXT NOT NULL,            -- the locale file citizens fetch
            PRIMARY KEY (language, version)
        )",
        // The sound last: listings read the rest without touching it.
        "CREATE TABLE recordings (
            language TEXT NOT NULL,
            key TEXT NOT NULL,
            state TEXT NOT NULL,           -- draft | published
            version INTEGER NOT NULL,
            mime TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            audio BLOB NOT NULL,
            PRIMARY KEY (language, key, state)
        )",
        "CREATE TABLE form_strings (
            key TEXT PRIMARY KEY,
            vi TEXT NOT NULL,
            grp TEXT NOT NULL              -- form | help
        )",
    ] {
        conn.execute(sql, &[])?;
    }
    // The forms published before this table existed.
    let published = conn.execute(
        "SELECT f.spec FROM forms f WHERE f.published_at IS NOT NULL
         AND f.version = (SELECT MAX(version) FROM forms g WHERE g.procedure_code = f.procedure_code AND g.published_at IS NOT NULL)",
        &[],
    )?;
    for row in &published.rows {
        if let Some(spec) = row.get::<&str>(0).and_then(|s| serde_json::from_str::<FormSpec>(s).ok()) {
            keep_form_strings(conn, &spec)?;
        }
    }
    Ok(())
}

/// Keeps the strings a published form shows citizens, for the translators.
/// Call in the transaction that publishes it.
pub fn keep_form_strings(conn: &Connection, spec: &FormSpec) -> Result<(), Error> {
    let put = |key: &str, vi: &str, group: StringGroup| {
        conn.execute(
            "INSERT INTO form_strings (key, vi, grp) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET vi = excluded.vi, grp = excluded.grp",
            &[text(key), text(vi), text(group.as_str())],
        )
        .map(|_| ())
    };
    for q in &spec.questions {
        put(&q.label_key, &q.label_vi, StringGroup::Form)?;
        if let Some(help) = &q.help_vi {
            put(&help_key(&q.label_key), help, StringGroup::Help)?;
        }
        for c in &q.choices {
            put(&c.label_key, &c.label_vi, StringGroup::Form)?;
        }
    }
    Ok(())
}

/// The forms' strings (the apps' own come with the code).
pub fn form_strings(conn: &Connection) -> Result<Vec<Source>, Error> {
    let rows = conn.execute("SELECT key, vi, grp FROM form_strings ORDER BY key", &[])?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            let group = StringGroup::parse(r.get::<&str>(2)?)?;
            Some(Source { key: r.get::<&str>(0)?.to_owned(), vi: r.get::<&str>(1)?.to_owned(), group })
        })
        .collect())
}

/// Every translation into `language` (at most one per citizen string).
pub fn translations(conn: &Connection, language: &str) -> Result<Vec<StoredTranslation>, Error> {
    let rows = conn.execute(
        "SELECT key, text, source_vi, updated_by, updated_at, reviewed_by, reviewed_at FROM translations WHERE language = ? ORDER BY key",
        &[text(language)],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(StoredTranslation {
                key: r.get::<&str>(0)?.to_owned(),
                text: r.get::<&str>(1)?.to_owned(),
                source_vi: r.get::<&str>(2)?.to_owned(),
                updated_by: r.get::<&str>(3)?.to_owned(),
                updated_at: r.get::<&str>(4)?.to_owned(),
                reviewed_by: r.get::<&str>(5).map(str::to_owned),
                reviewed_at: r.get::<&str>(6).map(str::to_owned),
            })
        })
        .collect())
}

/// What saving a translation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Changed,
    Unchanged,
}

/// Saves `language`'s text for `key` (checked by the caller; empty removes
/// it). A reviewed save records who vouched for it and when; an unreviewed
/// change of the text clears an earlier review. Call inside a transaction.
pub fn save_translation(
    conn: &Connection,
    language: &str,
    source: &Source,
    new_text: &str,
    reviewed: bool,
    who: &str,
    now: &str,
) -> Result<Saved, Error> {
    let new_text = new_text.trim();
    let old = conn.execute(
        "SELECT text, source_vi, reviewed_by IS NOT NULL FROM translations WHERE language = ? AND key = ?",
        &[text(language), text(&source.key)],
    )?;
    let old = old.rows.first().map(|r| {
        (r.get::<&str>(0).unwrap_or_default().to_owned(), r.get::<&str>(1).unwrap_or_default().to_owned(), r.get::<i64>(2) == Some(1))
    });
    if new_text.is_empty() {
        if old.is_none() {
            return Ok(Saved::Unchanged);
        }
        conn.execute("DELETE FROM translations WHERE language = ? AND key = ?", &[text(language), text(&source.key)])?;
        return Ok(Saved::Changed);
    }
    if let Some((old_text, old_source, was_reviewed)) = &old {
        if old_text == new_text && old_source == &source.vi && *was_reviewed == reviewed {
            return Ok(Saved::Unchanged);
        }
    }
    let (by, at) = if reviewed { (text(who), text(now)) } else { (Value::Null, Value::Null) };
    conn.execute(
        "INSERT INTO translations (language, key, text, source_vi, updated_by, updated_at, reviewed_by, reviewed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (language, key) DO UPDATE SET text = excluded.text, source_vi = excluded.source_vi,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at,
           reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at",
        &[text(language), text(&source.key), text(new_text), text(&source.vi), text(who), text(now), by, at],
    )?;
    Ok(Saved::Changed)
}

/// Publishes `body` (the language file) and its index `entry` as the next
/// version, with the language's draft recordings. Call inside a transaction.
pub fn publish_language(conn: &Connection, language: &str, body: &str, entry: &LocaleEntry, who: &str, now: &str) -> Result<(), Error> {
    let entry_json = serde_json::to_string(entry).map_err(|e| Error::Io(e.to_string()))?;
    conn.execute(
        "INSERT INTO locale_releases (language, version, body, entry, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?)",
        &[text(language), int(entry.version), text(body), text(&entry_json), text(who), text(now)],
    )?;
    conn.execute(
        "INSERT INTO recordings (language, key, state, version, mime, bytes, audio, recorded_by, recorded_at)
         SELECT d.language, d.key, 'published',
                COALESCE((SELECT p.version FROM recordings p WHERE p.language = d.language AND p.key = d.key AND p.state = 'published'), 0) + 1,
                d.mime, d.bytes, d.audio, d.recorded_by, d.recorded_at
         FROM recordings d WHERE d.language = ? AND d.state = 'draft'
         ON CONFLICT (language, key, state) DO UPDATE SET version = excluded.version, mime = excluded.mime, bytes = excluded.bytes,
           audio = excluded.audio, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        &[text(language)],
    )?;
    conn.execute("DELETE FROM recordings WHERE language = ? AND state = 'draft'", &[text(language)])?;
    Ok(())
}

/// The newest published version of `language`: its number and file.
pub fn published_language(conn: &Connection, language: &str) -> Result<Option<(u32, String)>, Error> {
    let rows = conn.execute(
        "SELECT version, body FROM locale_releases WHERE language = ? ORDER BY version DESC LIMIT 1",
        &[text(language)],
    )?;
    Ok(rows.rows.first().and_then(|r| Some((r.get::<i64>(0)? as u32, r.get::<&str>(1)?.to_owned()))))
}

/// The newest release's index line of every published language (one row each).
pub fn published_entries(conn: &Connection) -> Result<Vec<LocaleEntry>, Error> {
    let rows = conn.execute(
        "SELECT r.entry FROM locale_releases r
         WHERE r.version = (SELECT MAX(version) FROM locale_releases s WHERE s.language = r.language)
         ORDER BY r.language",
        &[],
    )?;
    Ok(rows.rows.iter().filter_map(|r| serde_json::from_str(r.get::<&str>(0)?).ok()).collect())
}

/// Saves a recording of `key` in `language` as the draft (checked by the caller).
pub fn save_recording(conn: &Connection, language: &str, key: &str, mime: &str, audio: &[u8], who: &str, now: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO recordings (language, key, state, version, mime, bytes, audio, recorded_by, recorded_at)
         VALUES (?, ?, 'draft', 0, ?, ?, ?, ?, ?)
         ON CONFLICT (language, key, state) DO UPDATE SET mime = excluded.mime, bytes = excluded.bytes, audio = excluded.audio,
           recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        &[text(language), text(key), text(mime), int(audio.len() as i64), Value::Blob(audio.to_vec()), text(who), text(now)],
    )?;
    Ok(())
}

/// Removes the draft recording (the published one, if any, stays until the next publication replaces it).
pub fn discard_recording(conn: &Connection, language: &str, key: &str) -> Result<bool, Error> {
    let gone = conn.execute(
        "DELETE FROM recordings WHERE language = ? AND key = ? AND state = 'draft' RETURNING key",
        &[text(language), text(key)],
    )?;
    Ok(!gone.rows.is_empty())
}

/// A recording's sound: the published one, or (`draft`) the one waiting, else the published one.
pub fn recording(conn: &Connection, language: &str, key: &str, draft: bool) -> Result<Option<(String, Vec<u8>, u32)>, Error> {
    let rows = conn.execute(
        "SELECT mime, audio, version FROM recordings WHERE language = ? AND key = ? AND (state = 'published' OR ?)
         ORDER BY state = 'draft' DESC LIMIT 1",
        &[text(language), text(key), Value::Integer(draft as i64)],
    )?;
    Ok(rows.rows.first().and_then(|r| Some((r.get::<&str>(0)?.to_owned(), r.get::<&[u8]>(1)?.to_vec(), r.get::<i64>(2)? as u32))))
}

/// The recordings of `language` as the studio lists them (the draft where there is one), without their sound.
pub fn recordings(conn: &Connection, language: &str) -> Result<Vec<(String, RecordingInfo)>, Error> {
    let rows = conn.execute(
        "SELECT key, bytes, mime, recorded_by, recorded_at, state = 'published' FROM recordings WHERE language = ?
         ORDER BY key, state = 'published'",
        &[text(language)],
    )?;
    let mut out: Vec<(String, RecordingInfo)> = Vec::new();
    for r in &rows.rows {
        let Some(key) = r.get::<&str>(0) else { continue };
        if out.last().is_some_and(|(k, _)| k == key) {
            continue; // the draft, listed first, is what the studio plays
        }
        out.push((
            key.to_owned(),
            RecordingInfo {
                bytes: r.get::<i64>(1).unwrap_or(0) as u32,
                mime: r.get::<&str>(2).unwrap_or_default().to_owned(),
                recorded_by: r.get::<&str>(3).unwrap_or_default().to_owned(),
                recorded_at: r.get::<&str>(4).unwrap_or_default().to_owned(),
                published: r.get::<i64>(5) == Some(1),
            },
        ));
    }
    Ok(out)
}

/// Every published recording: language, key, version, size (bounded by
/// the citizen strings times the languages, never by the dossiers).
pub fn published_recordings(conn: &Connection) -> Result<Vec<(String, String, u32, u32)>, Error> {
    let rows = conn.execute(
        "SELECT language, key, version, bytes FROM recordings WHERE state = 'published' ORDER BY language, key",
        &[],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| Some((r.get::<&str>(0)?.to_owned(), r.get::<&str>(1)?.to_owned(), r.get::<i64>(2)? as u32, r.get::<i64>(3)? as u32)))
        .collect())
}
