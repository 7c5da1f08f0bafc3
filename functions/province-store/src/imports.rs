//! Catalogue imports: each is a version of the catalogue. Records arrive in
//! batches, are checked one by one and staged (bad ones kept as problems with
//! their position, code and field); the administrator reads the preview (new,
//! changed, withdrawn) and publishes, which replaces the published catalogue
//! in one transaction. Nothing is half-imported: a draft with problems
//! cannot be published.

use crate::procedures::{insert_row, refresh_after_publishing, ROW_COLUMNS};
use crate::{int, text};
use http_kit::clock;
use motcua_shared::catalogue::Procedure;
use motcua_shared::catalogue_import::{CatalogueImport, ImportCounts, ImportPreview, ImportState, ProcedureName, RecordProblem, MAX_PROBLEMS, MAX_RECORDS};
use spin_sdk::sqlite::{Connection, Error, RowResult as Row, Value};

/// Procedures named per kind of change in a preview.
const PREVIEW_NAMES: i64 = 50;

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE catalogue_versions (
            id INTEGER PRIMARY KEY,
            state TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            published_at TEXT,
            records INTEGER NOT NULL DEFAULT 0,
            problems INTEGER NOT NULL DEFAULT 0,
            added INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,        -- published procedures after this version
            disclosed INTEGER NOT NULL DEFAULT 0,
            online_full INTEGER NOT NULL DEFAULT 0
        )",
        &[],
    )?;
    conn.execute(
        &format!(
            "CREATE TABLE import_records (
                version_id INTEGER NOT NULL,
                {},
                PRIMARY KEY (version_id, code)
            ) WITHOUT ROWID",
            "code TEXT NOT NULL, name TEXT NOT NULL, field TEXT NOT NULL, level TEXT NOT NULL, online TEXT NOT NULL,
             processing_days INTEGER, record TEXT NOT NULL, search_name TEXT NOT NULL, search_text TEXT NOT NULL,
             name_chars INTEGER NOT NULL, disclosed INTEGER NOT NULL"
        ),
        &[],
    )?;
    conn.execute(
        "CREATE TABLE import_problems (
            version_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            code TEXT,
            field TEXT NOT NULL,
            message TEXT NOT NULL
        )",
        &[],
    )?;
    conn.execute("CREATE INDEX import_problems_by_version ON import_problems (version_id, position)", &[])?;
    Ok(())
}

/// Starts an import (a draft version) by `by` (an administrator's username or `token`).
pub fn start_import(conn: &Connection, by: &str) -> Result<u32, Error> {
    let rows = conn.execute(
        "INSERT INTO catalogue_versions (state, created_at, created_by) VALUES ('draft', ?, ?) RETURNING id",
        &[Value::Text(clock::now_iso()), text(by)],
    )?;
    Ok(rows.rows.first().and_then(|r| r.get::<u32>(0)).unwrap_or(0))
}

/// Why a batch or a publication was refused as a whole.
#[derive(Debug, PartialEq, Eq)]
pub enum ImportRefusal {
    NoSuchImport,
    /// Already published or discarded: a new import is needed.
    NotADraft,
    TooManyRecords,
    /// Publishing with problems, or with no record at all.
    NotPublishable(String),
}

/// Stages one batch: the good records, and the problems of the bad ones
/// (a repeated code is a problem of the later record). Runs inside the
/// caller's transaction.
pub fn stage_batch(
    conn: &Connection,
    id: u32,
    checked: &[(u32, Result<Procedure, RecordProblem>)],
) -> Result<Result<(u32, Vec<RecordProblem>), ImportRefusal>, Error> {
    let Some(import) = find(conn, id)? else { return Ok(Err(ImportRefusal::NoSuchImport)) };
    if import.state != ImportState::Draft {
        return Ok(Err(ImportRefusal::NotADraft));
    }
    if import.counts.records + checked.len() as u32 > MAX_RECORDS {
        return Ok(Err(ImportRefusal::TooManyRecords));
    }
    let mut accepted = 0;
    let mut problems = Vec::new();
    for (position, item) in checked {
        let position = *position;
        match item {
            Ok(p) => {
                let seen = conn.execute("SELECT 1 FROM import_records WHERE version_id = ? AND code = ?", &[int(id), text(&p.code)])?;
                if seen.rows.is_empty() {
                    insert_row(conn, "import_records", &p, &[("version_id", int(id))])?;
                    accepted += 1;
                } else {
                    problems.push(RecordProblem { position, code: Some(p.code.clone()), field: "code".into(), message: format!("code {} appears twice in the file", p.code) });
                }
            }
            Err(problem) => problems.push(problem.clone()),
        }
    }
    for p in problems.iter().take(MAX_PROBLEMS.saturating_sub(import.counts.problems) as usize) {
        conn.execute(
            "INSERT INTO import_problems (version_id, position, code, field, message) VALUES (?, ?, ?, ?, ?)",
            &[int(id), int(p.position), p.code.as_deref().map_or(Value::Null, text), text(&p.field), text(&p.message)],
        )?;
    }
    conn.execute(
        "UPDATE catalogue_versions SET records = records + ?, problems = problems + ? WHERE id = ?",
        &[int(accepted), int(problems.len() as u32), int(id)],
    )?;
    Ok(Ok((accepted, problems)))
}

fn import_from(r: &Row) -> Option<CatalogueImport> {
    let n = |i: usize| r.get::<u32>(i).unwrap_or(0);
    Some(CatalogueImport {
        id: r.get::<u32>(0)?,
        state: ImportState::parse(r.get::<&str>(1)?)?,
        created_at: r.get::<&str>(2)?.to_owned(),
        created_by: r.get::<&str>(3)?.to_owned(),
        published_at: r.get::<&str>(4).map(str::to_owned),
        counts: ImportCounts { records: n(5), problems: n(6), added: n(7), changed: n(8), unchanged: n(9), withdrawn: n(10) },
    })
}

const IMPORT_COLUMNS: &str = "id, state, created_at, created_by, published_at, records, problems, added, changed, unchanged, withdrawn";

pub fn find(conn: &Connection, id: u32) -> Result<Option<CatalogueImport>, Error> {
    let rows = conn.execute(&format!("SELECT {IMPORT_COLUMNS} FROM catalogue_versions WHERE id = ?"), &[int(id)])?;
    Ok(rows.rows.first().and_then(import_from))
}

/// The latest imports, newest first.
pub fn history(conn: &Connection, limit: u32) -> Result<Vec<CatalogueImport>, Error> {
    let rows = conn.execute(&format!("SELECT {IMPORT_COLUMNS} FROM catalogue_versions ORDER BY id DESC LIMIT ?"), &[int(limit)])?;
    Ok(rows.rows.iter().filter_map(import_from).collect())
}

/// What publishing would do. For a draft the counts are worked out now
/// (a join over the import's own records, with the published ones by code);
/// a published version keeps the counts it had.
pub fn preview(conn: &Connection, id: u32) -> Result<Option<ImportPreview>, Error> {
    let Some(mut import) = find(conn, id)? else { return Ok(None) };
    let names = |sql: &str| -> Result<Vec<ProcedureName>, Error> {
        let rows = conn.execute(sql, &[int(id), Value::Integer(PREVIEW_NAMES)])?;
        Ok(rows.rows.iter().filter_map(|r| Some(ProcedureName { code: r.get::<&str>(0)?.to_owned(), name: r.get::<&str>(1)?.to_owned() })).collect())
    };
    let (added, changed, withdrawn) = if import.state == ImportState::Draft {
        import.counts = ImportCounts { records: import.counts.records, problems: import.counts.problems, ..draft_counts(conn, id)? };
        (
            names(&format!("SELECT i.code, i.name FROM import_records i {ADDED} ORDER BY i.code LIMIT ?"))?,
            names(&format!("SELECT i.code, i.name FROM import_records i {CHANGED} ORDER BY i.code LIMIT ?"))?,
            names(&format!("SELECT p.code, p.name FROM procedures p {WITHDRAWN} ORDER BY p.code LIMIT ?"))?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let rows = conn.execute(
        "SELECT position, code, field, message FROM import_problems WHERE version_id = ? ORDER BY position LIMIT ?",
        &[int(id), int(MAX_PROBLEMS)],
    )?;
    let problems = rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(RecordProblem {
                position: r.get::<u32>(0)?,
                code: r.get::<&str>(1).map(str::to_owned),
                field: r.get::<&str>(2)?.to_owned(),
                message: r.get::<&str>(3)?.to_owned(),
            })
        })
        .collect();
    Ok(Some(ImportPreview { import, problems, added, changed, withdrawn }))
}

// The import's records (`i`, version_id = ?) against the published ones (`p`).
const ADDED: &str = "LEFT JOIN procedures p ON p.code = i.code AND p.withdrawn_in IS NULL WHERE i.version_id = ? AND p.id IS NULL";
const CHANGED: &str = "JOIN procedures p ON p.code = i.code AND p.withdrawn_in IS NULL WHERE i.version_id = ? AND p.record <> i.record";
const UNCHANGED: &str = "JOIN procedures p ON p.code = i.code AND p.withdrawn_in IS NULL WHERE i.version_id = ? AND p.record = i.record";
const WITHDRAWN: &str =
    "WHERE p.withdrawn_in IS NULL AND NOT EXISTS (SELECT 1 FROM import_records i WHERE i.version_id = ? AND i.code = p.code)";

fn draft_counts(conn: &Connection, id: u32) -> Result<ImportCounts, Error> {
    let one = |sql: String| -> Result<u32, Error> {
        let rows = conn.execute(&sql, &[int(id)])?;
        Ok(rows.rows.first().and_then(|r| r.get::<u32>(0)).unwrap_or(0))
    };
    Ok(ImportCounts {
        added: one(format!("SELECT COUNT(*) FROM import_records i {ADDED}"))?,
        changed: one(format!("SELECT COUNT(*) FROM import_records i {CHANGED}"))?,
        unchanged: one(format!("SELECT COUNT(*) FROM import_records i {UNCHANGED}"))?,
        withdrawn: one(format!("SELECT COUNT(*) FROM procedures p {WITHDRAWN}"))?,
        ..ImportCounts::default()
    })
}

/// Publishes a draft: withdraws what the file no longer has, adds and
/// updates the rest, rebuilds the word index and the figures. Runs inside the
/// caller's transaction, so citizens see the old catalogue or the new one.
pub fn publish(conn: &Connection, id: u32) -> Result<Result<CatalogueImport, ImportRefusal>, Error> {
    let Some(import) = find(conn, id)? else { return Ok(Err(ImportRefusal::NoSuchImport)) };
    if import.state != ImportState::Draft {
        return Ok(Err(ImportRefusal::NotADraft));
    }
    if import.counts.problems > 0 {
        return Ok(Err(ImportRefusal::NotPublishable(format!(
            "{} records have problems: fix the file and import it again",
            import.counts.problems
        ))));
    }
    if import.counts.records == 0 {
        return Ok(Err(ImportRefusal::NotPublishable("the import has no records".into())));
    }
    let counts = ImportCounts { records: import.counts.records, problems: 0, ..draft_counts(conn, id)? };
    let v = int(id);
    conn.execute(&format!("UPDATE procedures AS p SET withdrawn_in = ? {WITHDRAWN}"), &[v.clone(), v.clone()])?;
    conn.execute(
        &format!(
            "INSERT INTO procedures ({ROW_COLUMNS}, published_in)
             SELECT {ROW_COLUMNS}, ? FROM import_records WHERE version_id = ? AND true
             ON CONFLICT (code) DO UPDATE SET
                name = excluded.name, field = excluded.field, level = excluded.level, online = excluded.online,
                processing_days = excluded.processing_days, record = excluded.record,
                search_name = excluded.search_name, search_text = excluded.search_text,
                name_chars = excluded.name_chars, disclosed = excluded.disclosed,
                published_in = CASE WHEN procedures.record = excluded.record AND procedures.withdrawn_in IS NULL
                                    THEN procedures.published_in ELSE excluded.published_in END,
                withdrawn_in = NULL"
        ),
        &[v.clone(), v.clone()],
    )?;
    conn.execute("DELETE FROM import_records WHERE version_id = ?", &[v.clone()])?;
    // An older draft was made against the catalogue this one replaces.
    conn.execute("UPDATE catalogue_versions SET state = 'discarded' WHERE state = 'draft' AND id <> ?", &[v.clone()])?;
    conn.execute("DELETE FROM import_records WHERE version_id <> ?", &[v.clone()])?;
    refresh_after_publishing(conn, id.into())?;
    record_figures(conn, id, &counts)?;
    Ok(find(conn, id)?.map(Ok).unwrap_or(Err(ImportRefusal::NoSuchImport)))
}

/// Marks a version published, with its counts and the published catalogue's figures.
fn record_figures(conn: &Connection, id: u32, counts: &ImportCounts) -> Result<(), Error> {
    conn.execute(
        "UPDATE catalogue_versions SET state = 'published', published_at = ?, added = ?, changed = ?, unchanged = ?, withdrawn = ?,
            total = (SELECT COUNT(*) FROM procedures WHERE withdrawn_in IS NULL),
            disclosed = (SELECT COUNT(*) FROM procedures WHERE withdrawn_in IS NULL AND disclosed = 1),
            online_full = (SELECT COUNT(*) FROM procedures WHERE withdrawn_in IS NULL AND online = 'full')
         WHERE id = ?",
        &[Value::Text(clock::now_iso()), int(counts.added), int(counts.changed), int(counts.unchanged), int(counts.withdrawn), int(id)],
    )?;
    Ok(())
}

/// The catalogue of a database from before imports, recorded as version 0.
pub(crate) fn record_carried_over(conn: &Connection, records: u32) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO catalogue_versions (id, state, created_at, created_by, records, added) VALUES (0, 'draft', ?, 'migration', ?, ?)",
        &[Value::Text(clock::now_iso()), int(records), int(records)],
    )?;
    record_figures(conn, 0, &ImportCounts { records, added: records, ..ImportCounts::default() })
}
