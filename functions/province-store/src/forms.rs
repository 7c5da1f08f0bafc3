//! Procedures' online forms, in versions. A version is saved as a draft,
//! previewed, then published; citizens fill the newest published version,
//! and a dossier keeps the number of the one it was filled with, so the desk
//! reads its answers under the questions that were asked. Published versions
//! are never changed: a correction is a new version.

use crate::{int, text};
use motcua_shared::admin::{FormListing, FormVersionInfo};
use motcua_shared::forms::{FormSpec, FormSummary};
use spin_sdk::sqlite::{Connection, Error, RowResult as Row};

pub(crate) fn create_table(conn: &Connection) -> Result<(), Error> {
    // The key (procedure_code, version) answers "the newest published
    // version of this form" by one index seek.
    conn.execute(
        "CREATE TABLE forms (
            procedure_code TEXT NOT NULL,
            version INTEGER NOT NULL,
            agency_id TEXT NOT NULL,
            title_vi TEXT NOT NULL,
            spec TEXT NOT NULL,
            saved_by TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            published_at TEXT,
            PRIMARY KEY (procedure_code, version)
        )",
        &[],
    )?;
    Ok(())
}

/// Why a version cannot be published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormRefusal {
    NoSuchVersion,
    /// Published already, or a newer version exists.
    NotTheDraft,
}

impl std::fmt::Display for FormRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FormRefusal::NoSuchVersion => "this form has no such version",
            FormRefusal::NotTheDraft => "only the newest, unpublished version can be published",
        })
    }
}

fn spec_of(row: &Row, spec_at: usize, version_at: usize) -> Option<FormSpec> {
    let mut spec: FormSpec = serde_json::from_str(row.get::<&str>(spec_at)?).ok()?;
    spec.version = row.get::<i64>(version_at)? as u32;
    Some(spec)
}

/// The version citizens fill now.
pub fn published_form(conn: &Connection, procedure_code: &str) -> Result<Option<FormSpec>, Error> {
    let rows = conn.execute(
        "SELECT spec, version FROM forms WHERE procedure_code = ? AND published_at IS NOT NULL ORDER BY version DESC LIMIT 1",
        &[text(procedure_code)],
    )?;
    Ok(rows.rows.first().and_then(|r| spec_of(r, 0, 1)))
}

/// Whether citizens can fill a form for the procedure (its "Apply online"
/// button), without reading the form itself.
pub fn has_published_form(conn: &Connection, procedure_code: &str) -> Result<bool, Error> {
    let rows = conn.execute(
        "SELECT 1 FROM forms WHERE procedure_code = ? AND published_at IS NOT NULL LIMIT 1",
        &[text(procedure_code)],
    )?;
    Ok(!rows.rows.is_empty())
}

/// One version; drafts only when `drafts` (the administrator's preview).
pub fn form_version(conn: &Connection, procedure_code: &str, version: u32, drafts: bool) -> Result<Option<FormSpec>, Error> {
    let rows = conn.execute(
        "SELECT spec, version FROM forms WHERE procedure_code = ? AND version = ? AND (? OR published_at IS NOT NULL)",
        &[text(procedure_code), int(version), int(drafts as i64)],
    )?;
    Ok(rows.rows.first().and_then(|r| spec_of(r, 0, 1)))
}

/// Every form citizens can fill, by procedure code (the desk's intake list).
pub fn published_forms(conn: &Connection) -> Result<Vec<FormSummary>, Error> {
    let rows = conn.execute(
        "SELECT procedure_code, agency_id, title_vi, MAX(version) FROM forms
         WHERE published_at IS NOT NULL GROUP BY procedure_code ORDER BY procedure_code",
        &[],
    )?;
    // SQLite takes the bare columns from the row holding the MAX.
    Ok(rows
        .rows
        .iter()
        .map(|r| FormSummary {
            procedure_code: r.get::<&str>(0).unwrap_or_default().to_owned(),
            agency_id: r.get::<&str>(1).unwrap_or_default().to_owned(),
            title_vi: r.get::<&str>(2).unwrap_or_default().to_owned(),
            version: r.get::<i64>(3).unwrap_or_default() as u32,
        })
        .collect())
}

/// Every form with its published version and its draft (the administrator's list).
pub fn form_listing(conn: &Connection) -> Result<Vec<FormListing>, Error> {
    let rows = conn.execute(
        "SELECT f.procedure_code, f.title_vi, f.agency_id, g.published, f.version, f.published_at IS NULL
         FROM (SELECT procedure_code, MAX(version) AS latest,
                      MAX(CASE WHEN published_at IS NOT NULL THEN version END) AS published
               FROM forms GROUP BY procedure_code) g
         JOIN forms f ON f.procedure_code = g.procedure_code AND f.version = g.latest
         ORDER BY f.procedure_code",
        &[],
    )?;
    Ok(rows
        .rows
        .iter()
        .map(|r| FormListing {
            procedure_code: r.get::<&str>(0).unwrap_or_default().to_owned(),
            title_vi: r.get::<&str>(1).unwrap_or_default().to_owned(),
            agency_id: r.get::<&str>(2).unwrap_or_default().to_owned(),
            published: r.get::<i64>(3).map(|v| v as u32),
            draft: (r.get::<i64>(5) == Some(1)).then(|| r.get::<i64>(4).unwrap_or_default() as u32),
        })
        .collect())
}

/// A form's versions, newest first, without their questions.
pub fn form_history(conn: &Connection, procedure_code: &str) -> Result<Vec<FormVersionInfo>, Error> {
    let rows = conn.execute(
        "SELECT procedure_code, version, title_vi, saved_by, saved_at, published_at FROM forms
         WHERE procedure_code = ? ORDER BY version DESC",
        &[text(procedure_code)],
    )?;
    Ok(rows.rows.iter().map(version_info).collect())
}

fn version_info(r: &Row) -> FormVersionInfo {
    FormVersionInfo {
        procedure_code: r.get::<&str>(0).unwrap_or_default().to_owned(),
        version: r.get::<i64>(1).unwrap_or_default() as u32,
        title_vi: r.get::<&str>(2).unwrap_or_default().to_owned(),
        saved_by: r.get::<&str>(3).unwrap_or_default().to_owned(),
        saved_at: r.get::<&str>(4).unwrap_or_default().to_owned(),
        published_at: r.get::<&str>(5).map(str::to_owned),
    }
}

fn info(conn: &Connection, procedure_code: &str, version: u32) -> Result<Option<FormVersionInfo>, Error> {
    let rows = conn.execute(
        "SELECT procedure_code, version, title_vi, saved_by, saved_at, published_at FROM forms
         WHERE procedure_code = ? AND version = ?",
        &[text(procedure_code), int(version)],
    )?;
    Ok(rows.rows.first().map(version_info))
}

/// Saves `spec` (checked by the caller) as the form's draft: it replaces an
/// unpublished newest version, or becomes the version after the published
/// one. Call inside a transaction.
pub fn save_draft(conn: &Connection, spec: &FormSpec, actor: &str, now: &str) -> Result<FormVersionInfo, Error> {
    let latest = conn.execute(
        "SELECT version, published_at IS NULL FROM forms WHERE procedure_code = ? ORDER BY version DESC LIMIT 1",
        &[text(&spec.procedure_code)],
    )?;
    let (version, replace) = match latest.rows.first() {
        Some(r) if r.get::<i64>(1) == Some(1) => (r.get::<i64>(0).unwrap_or(1) as u32, true),
        Some(r) => (r.get::<i64>(0).unwrap_or(0) as u32 + 1, false),
        None => (1, false),
    };
    let stored = FormSpec { version: 0, ..spec.clone() };
    let json = serde_json::to_string(&stored).map_err(|e| Error::Io(e.to_string()))?;
    if replace {
        conn.execute(
            "UPDATE forms SET agency_id = ?, title_vi = ?, spec = ?, saved_by = ?, saved_at = ?
             WHERE procedure_code = ? AND version = ? AND published_at IS NULL",
            &[text(&spec.agency_id), text(&spec.title_vi), text(&json), text(actor), text(now), text(&spec.procedure_code), int(version)],
        )?;
    } else {
        conn.execute(
            "INSERT INTO forms (procedure_code, version, agency_id, title_vi, spec, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &[text(&spec.procedure_code), int(version), text(&spec.agency_id), text(&spec.title_vi), text(&json), text(actor), text(now)],
        )?;
    }
    Ok(info(conn, &spec.procedure_code, version)?.expect("the row just written"))
}

/// Publishes the draft `version`: from now on citizens fill it. One
/// statement, so two administrators publishing at once cannot both succeed.
pub fn publish_form(
    conn: &Connection,
    procedure_code: &str,
    version: u32,
    now: &str,
) -> Result<Result<FormVersionInfo, FormRefusal>, Error> {
    let changed = conn.execute(
        "UPDATE forms SET published_at = ? WHERE procedure_code = ? AND version = ? AND published_at IS NULL
         AND version = (SELECT MAX(version) FROM forms WHERE procedure_code = ?) RETURNING version",
        &[text(now), text(procedure_code), int(version), text(procedure_code)],
    )?;
    match info(conn, procedure_code, version)? {
        None => Ok(Err(FormRefusal::NoSuchVersion)),
        Some(_) if changed.rows.is_empty() => Ok(Err(FormRefusal::NotTheDraft)),
        Some(published) => {
            if let Some(spec) = form_version(conn, procedure_code, version, false)? {
                crate::keep_form_strings(conn, &spec)?;
            }
            Ok(Ok(published))
        }
    }
}
