//! The published catalogue: one row per procedure ever published, withdrawn
//! ones kept (with the version that withdrew them) so dossiers made under
//! them still read their record. Search runs on an FTS5 index of the folded
//! words (Spin's SQLite and libSQL both have FTS5) and ranks in SQL, so a
//! page costs the matches, never the catalogue.

use crate::text;
use motcua_shared::catalogue::{FieldCount, Level, OnlineLevel, Procedure, ProcedureSummary};
use motcua_shared::search::SearchParams;
use spin_sdk::sqlite::{Connection, Error, Value};

/// At most this many query words reach SQL; more add nothing to a search.
const MAX_WORDS: usize = 12;

/// The columns of a procedure row beside its record, as both the published
/// table and an import's staged records hold them.
pub(crate) const ROW_COLUMNS: &str =
    "code, name, field, level, online, processing_days, record, search_name, search_text, name_chars, disclosed";

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    // A database from before imports has the seeded table of the old catalogue
    // component: its rows become the first published version.
    let old = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'procedures'", &[])?;
    if !old.rows.is_empty() {
        conn.execute("ALTER TABLE procedures RENAME TO procedures_before_imports", &[])?;
    }
    conn.execute(
        "CREATE TABLE procedures (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            field TEXT NOT NULL,
            level TEXT NOT NULL,
            online TEXT NOT NULL,
            processing_days INTEGER,
            search_name TEXT NOT NULL,   -- folded name (no diacritics, lower case)
            search_text TEXT NOT NULL,   -- folded code, name, field and result
            name_chars INTEGER NOT NULL, -- ties go to the shorter (more general) name
            disclosed INTEGER NOT NULL,  -- documents, time and fees stated (the public figures)
            published_in INTEGER NOT NULL,
            withdrawn_in INTEGER,        -- NULL while citizens can find it
            -- The full Procedure as JSON (~6 KB), last: SQLite reads a row's
            -- columns in order, and a search must not page through it.
            record TEXT NOT NULL
        )",
        &[],
    )?;
    // Listing in name order, and the counts behind each filter, read only the rows they show.
    conn.execute("CREATE INDEX procedures_by_name ON procedures (withdrawn_in, search_name, code)", &[])?;
    conn.execute("CREATE INDEX procedures_by_field ON procedures (withdrawn_in, field, level, online, search_name)", &[])?;
    conn.execute("CREATE INDEX procedures_by_level ON procedures (withdrawn_in, level, online, search_name)", &[])?;
    conn.execute("CREATE INDEX procedures_by_online ON procedures (withdrawn_in, online, search_name)", &[])?;
    conn.execute(
        "CREATE VIRTUAL TABLE procedure_words USING fts5(
            search_name, search_text, content = 'procedures', content_rowid = 'id',
            tokenize = \"unicode61 tokenchars '.'\")",
        &[],
    )?;
    // The filter's list of fields with their counts, kept at publishing.
    conn.execute("CREATE TABLE catalogue_fields (field TEXT PRIMARY KEY, procedures INTEGER NOT NULL)", &[])?;
    if !old.rows.is_empty() {
        carry_over_seeded(conn)?;
    }
    Ok(())
}

/// The old seeded rows, published as version 0.
fn carry_over_seeded(conn: &Connection) -> Result<(), Error> {
    let rows = conn.execute("SELECT record FROM procedures_before_imports", &[])?;
    for row in &rows.rows {
        let Some(p) = row.get::<&str>(0).and_then(|r| serde_json::from_str::<Procedure>(r).ok()) else { continue };
        insert_row(conn, "procedures", &p, &[("published_in", Value::Integer(0))])?;
    }
    conn.execute("DROP TABLE procedures_before_imports", &[])?;
    refresh_after_publishing(conn)?;
    crate::imports::record_carried_over(conn, rows.rows.len() as u32)
}

/// Inserts a procedure's row (with its search keys) into `table`, with extra columns.
pub(crate) fn insert_row(conn: &Connection, table: &str, p: &Procedure, extra: &[(&str, Value)]) -> Result<(), Error> {
    let keys = motcua_shared::search::SearchKeys::new(&p.code, &p.name, &p.field, p.result.as_deref());
    let record = serde_json::to_string(p).map_err(|e| Error::Io(e.to_string()))?;
    let disclosed = !p.documents.is_empty() && (p.processing_days.is_some() || p.processing_note.is_some()) && p.fees.is_some();
    let mut columns = ROW_COLUMNS.to_owned();
    let mut args = vec![
        text(&p.code),
        text(&p.name),
        text(&p.field),
        text(p.level.as_str()),
        text(p.online.as_str()),
        p.processing_days.map_or(Value::Null, |d| Value::Integer(d.into())),
        Value::Text(record),
        Value::Text(keys.name.clone()),
        Value::Text(keys.text),
        Value::Integer(keys.name.chars().count() as i64),
        Value::Integer(disclosed.into()),
    ];
    for (column, value) in extra {
        columns.push_str(", ");
        columns.push_str(column);
        args.push(value.clone());
    }
    let marks = vec!["?"; args.len()].join(", ");
    conn.execute(&format!("INSERT INTO {table} ({columns}) VALUES ({marks})"), &args)?;
    Ok(())
}

/// After a version is published: the word index and the field counts.
pub(crate) fn refresh_after_publishing(conn: &Connection) -> Result<(), Error> {
    conn.execute("INSERT INTO procedure_words (procedure_words) VALUES ('rebuild')", &[])?;
    conn.execute("DELETE FROM catalogue_fields", &[])?;
    conn.execute(
        "INSERT INTO catalogue_fields (field, procedures)
         SELECT field, COUNT(*) FROM procedures WHERE withdrawn_in IS NULL GROUP BY field",
        &[],
    )?;
    Ok(())
}

/// The filters as SQL on `p`, with their arguments.
fn filters(params: &SearchParams, args: &mut Vec<Value>) -> String {
    let mut sql = String::from("p.withdrawn_in IS NULL");
    if let Some(field) = &params.field {
        sql.push_str(" AND p.field = ?");
        args.push(text(field));
    }
    if let Some(level) = params.level {
        sql.push_str(" AND p.level = ?");
        args.push(text(level.as_str()));
    }
    if let Some(online) = params.online {
        sql.push_str(" AND p.online = ?");
        args.push(text(online.as_str()));
    }
    sql
}

/// The query words as an FTS5 query: every word, each as a prefix.
fn match_query(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
}

/// The ranking rule of `motcua_shared::search::score`, in SQL: a code match
/// first, then the query as a phrase at the start of the name or in it, then
/// words in the name, then words only in the field or result.
fn score_sql(words: &[String], args: &mut Vec<Value>) -> String {
    let mut parts = Vec::new();
    for w in words {
        parts.push(
            "(CASE WHEN p.code = ? THEN 10000 WHEN instr(?, '.') > 0 AND substr(p.code, 1, length(?)) = ? THEN 5000 \
             WHEN instr(p.search_name, ?) > 0 THEN 100 ELSE 10 END)"
                .to_owned(),
        );
        for _ in 0..5 {
            args.push(text(w));
        }
    }
    let phrase = words.join(" ");
    parts.push("(CASE WHEN substr(p.search_name, 1, length(?)) = ? THEN 2000 WHEN instr(p.search_name, ?) > 0 THEN 1000 ELSE 0 END)".into());
    for _ in 0..3 {
        args.push(text(&phrase));
    }
    parts.join(" + ")
}

const SUMMARY: &str = "p.code, p.name, p.field, p.level, p.online, p.processing_days";

/// One page of matches, ranked, and the number of matches in all pages.
pub fn search(conn: &Connection, params: &SearchParams) -> Result<(Vec<ProcedureSummary>, u32), Error> {
    let words: Vec<String> = params.query_words().into_iter().take(MAX_WORDS).collect();
    let limit = Value::Integer(params.per_page.into());
    let offset = Value::Integer(params.offset() as i64);
    let (page, total) = if words.is_empty() {
        let mut args = Vec::new();
        let filter = filters(params, &mut args);
        // The whole catalogue's size is kept at publishing; counting it would read every row.
        let total = if args.is_empty() {
            catalogue_figures(conn)?.total as u32
        } else {
            count(conn, &format!("SELECT COUNT(*) FROM procedures p WHERE {filter}"), &args)?
        };
        args.extend([limit, offset]);
        let sql = format!("SELECT {SUMMARY} FROM procedures p WHERE {filter} ORDER BY p.search_name, p.code LIMIT ? OFFSET ?");
        (conn.execute(&sql, &args)?, total)
    } else {
        let from = "procedure_words w JOIN procedures p ON p.id = w.rowid";
        let mut count_args = vec![Value::Text(match_query(&words))];
        let filter = filters(params, &mut count_args);
        let total = count(conn, &format!("SELECT COUNT(*) FROM {from} WHERE procedure_words MATCH ? AND {filter}"), &count_args)?;
        let mut args = Vec::new();
        let score = score_sql(&words, &mut args);
        args.extend(count_args);
        args.extend([limit, offset]);
        let sql = format!(
            "SELECT {SUMMARY}, {score} AS score FROM {from} WHERE procedure_words MATCH ? AND {filter}
             ORDER BY score DESC, p.name_chars, p.code LIMIT ? OFFSET ?"
        );
        (conn.execute(&sql, &args)?, total)
    };
    let items = page.rows.iter().filter_map(summary).collect();
    Ok((items, total))
}

fn count(conn: &Connection, sql: &str, args: &[Value]) -> Result<u32, Error> {
    let rows = conn.execute(sql, args)?;
    Ok(rows.rows.first().and_then(|r| r.get::<u32>(0)).unwrap_or(0))
}

fn summary(r: &spin_sdk::sqlite::RowResult) -> Option<ProcedureSummary> {
    Some(ProcedureSummary {
        code: r.get::<&str>(0)?.to_owned(),
        name: r.get::<&str>(1)?.to_owned(),
        field: r.get::<&str>(2)?.to_owned(),
        level: Level::parse(r.get::<&str>(3)?)?,
        online: OnlineLevel::parse(r.get::<&str>(4)?)?,
        processing_days: r.get::<u32>(5),
    })
}

/// Every field of the published catalogue with its count, for the filter.
pub fn fields(conn: &Connection) -> Result<Vec<FieldCount>, Error> {
    let rows = conn.execute("SELECT field, procedures FROM catalogue_fields ORDER BY field", &[])?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| Some(FieldCount { name: r.get::<&str>(0)?.to_owned(), count: r.get::<u32>(1)? }))
        .collect())
}

/// A published procedure's full record.
pub fn procedure(conn: &Connection, code: &str) -> Result<Option<Procedure>, Error> {
    record(conn, "SELECT record FROM procedures WHERE code = ? AND withdrawn_in IS NULL", code)
}

fn record(conn: &Connection, sql: &str, code: &str) -> Result<Option<Procedure>, Error> {
    let rows = conn.execute(sql, &[text(code)])?;
    let Some(record) = rows.rows.first().and_then(|r| r.get::<&str>(0)) else { return Ok(None) };
    serde_json::from_str(record).map(Some).map_err(|e| Error::Io(format!("stored record {code}: {e}")))
}

/// A procedure's name, published or withdrawn ("" when the code was never published).
pub fn procedure_name(conn: &Connection, code: &str) -> Result<String, Error> {
    let rows = conn.execute("SELECT name FROM procedures WHERE code = ?", &[text(code)])?;
    Ok(rows.rows.first().and_then(|r| r.get::<&str>(0)).unwrap_or_default().to_owned())
}

/// The published catalogue's size, how many state their documents, time and
/// fees, and how many are offered fully online (kept per published version).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CatalogueFigures {
    pub total: u64,
    pub disclosed: u64,
    pub online_full: u64,
}

pub fn catalogue_figures(conn: &Connection) -> Result<CatalogueFigures, Error> {
    let rows = conn.execute(
        "SELECT total, disclosed, online_full FROM catalogue_versions WHERE state = 'published' ORDER BY id DESC LIMIT 1",
        &[],
    )?;
    Ok(rows
        .rows
        .first()
        .map(|r| CatalogueFigures {
            total: r.get::<i64>(0).unwrap_or(0) as u64,
            disclosed: r.get::<i64>(1).unwrap_or(0) as u64,
            online_full: r.get::<i64>(2).unwrap_or(0) as u64,
        })
        .unwrap_or_default())
}
