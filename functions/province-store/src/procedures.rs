//! The published catalogue: one row per procedure ever published, withdrawn
//! ones kept (with the version that withdrew them) so dossiers made under
//! them still read their record. Search runs on an FTS5 index of the folded
//! words (Spin's SQLite and libSQL both have FTS5) and ranks in SQL, so a
//! page costs the matches, never the catalogue.

use crate::{int, text};
use motcua_shared::catalogue::{CatalogueIndex, FieldCount, IndexPart, Level, OnlineLevel, Procedure, ProcedureSummary, INDEX_PART_PROCEDURES};
use motcua_shared::search::SearchParams;
use spin_sdk::sqlite::{Connection, Error, Value};

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
    refresh_after_publishing(conn, 0)?;
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

/// After a version is published: the word index, the field counts and the
/// offline index's parts.
pub(crate) fn refresh_after_publishing(conn: &Connection, version: u64) -> Result<(), Error> {
    conn.execute("INSERT INTO procedure_words (procedure_words) VALUES ('rebuild')", &[])?;
    unindex_withdrawn(conn)?;
    build_offline_index(conn, version)?;
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

/// The query words as an FTS5 query: every word, each as a prefix, in the
/// name and text columns; then the filters as the facet column's tokens, so
/// the word index alone finds (and counts) the filtered matches.
fn match_query(words: &[String], params: &SearchParams) -> String {
    let words = words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ");
    let mut query = format!("{{search_name search_text}} : ({words})");
    for facet in facet_tokens(params) {
        query.push_str(&format!(" AND search_facets : \"{facet}\""));
    }
    query
}

/// The filters as tokens of the generated `search_facets` column (see
/// [`facets_in_the_word_index`]): the field by its UTF-8 bytes in hex, exact
/// and one token whatever it says.
fn facet_tokens(params: &SearchParams) -> Vec<String> {
    let mut tokens = Vec::new();
    if let Some(level) = params.level {
        tokens.push(format!("level{}", level.as_str()));
    }
    if let Some(online) = params.online {
        tokens.push(format!("online{}", online.as_str()));
    }
    if let Some(field) = &params.field {
        tokens.push(format!("field{}", field.bytes().map(|b| format!("{b:02x}")).collect::<String>()));
    }
    tokens
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

/// The page when it lies wholly among the names that start with the query
/// as a phrase, read in index order: those rank above every other match
/// (2,000 points no other match reaches, unless a word matches a code: then
/// `None`, as for a page past them), and among themselves by the rule's
/// tie-breakers, the shorter name then the code. A common query ("dang ky
/// khai sinh": 799 matches of 10,000, 189 names starting with it) then reads
/// 20 rows instead of ranking every match.
fn names_starting_with_the_phrase(conn: &Connection, params: &SearchParams, words: &[String]) -> Result<Option<Vec<ProcedureSummary>>, Error> {
    if words.iter().any(|w| w.contains('.')) {
        return Ok(None);
    }
    let codes = vec!["?"; words.len()].join(", ");
    let code_words: Vec<Value> = words.iter().map(|w| text(w)).collect();
    if !conn.execute(&format!("SELECT 1 FROM procedures WHERE code IN ({codes}) LIMIT 1"), &code_words)?.rows.is_empty() {
        return Ok(None);
    }
    let phrase = words.join(" ");
    let mut args = Vec::new();
    let filter = filters(params, &mut args);
    // Every text starting with the phrase sorts from it up to this.
    args.extend([text(&phrase), Value::Text(format!("{phrase}{}", char::MAX))]);
    let range = format!("{filter} AND p.search_name >= ? AND p.search_name < ?");
    args.extend([Value::Integer(params.per_page.into()), Value::Integer(params.offset() as i64)]);
    // The page's ids from the covering index first, then only their rows:
    // sorting whole rows would read every name starting with the phrase.
    let page = format!("SELECT p.id FROM procedures p WHERE {range} ORDER BY p.name_chars, p.code LIMIT ? OFFSET ?");
    let rows = conn.execute(&format!("SELECT {SUMMARY} FROM procedures p WHERE p.id IN ({page}) ORDER BY p.name_chars, p.code"), &args)?;
    // A short page reaches past those names: the other matches rank after them.
    if rows.rows.len() < params.per_page as usize {
        return Ok(None);
    }
    Ok(Some(rows.rows.iter().filter_map(summary).collect()))
}

/// One page of matches, ranked, and the number of matches in all pages.
pub fn search(conn: &Connection, params: &SearchParams) -> Result<(Vec<ProcedureSummary>, u32), Error> {
    let words: Vec<String> = params.query_words();
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
        let mut count_args = vec![Value::Text(match_query(&words, params))];
        // The word index holds only published procedures, and the filters as
        // facet tokens: it counts alone, never touching the procedures' rows.
        let total = count(conn, "SELECT COUNT(*) FROM procedure_words WHERE procedure_words MATCH ?", &count_args)?;
        let filter = filters(params, &mut count_args);
        let a_full_page = params.offset() + params.per_page as usize <= total as usize;
        if a_full_page && let Some(page) = names_starting_with_the_phrase(conn, params, &words)? {
            return Ok((page, total));
        }
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

pub(crate) fn create_offline_index(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE catalogue_index (
            version INTEGER NOT NULL,
            part INTEGER NOT NULL,
            items TEXT NOT NULL,         -- an IndexPart as JSON
            PRIMARY KEY (version, part)
        )",
        &[],
    )?;
    let published = conn.execute("SELECT id FROM catalogue_versions WHERE state = 'published' ORDER BY id DESC LIMIT 1", &[])?;
    if let Some(version) = published.rows.first().and_then(|r| r.get::<i64>(0)) {
        build_offline_index(conn, version as u64)?;
    }
    Ok(())
}

/// Writes the published catalogue's summaries, in name order, as parts of
/// [`INDEX_PART_PROCEDURES`], replacing the previous version's: built once
/// at publishing, so a phone's request reads one stored row.
fn build_offline_index(conn: &Connection, version: u64) -> Result<(), Error> {
    conn.execute("DELETE FROM catalogue_index", &[])?;
    let (mut name, mut code) = (String::new(), String::new());
    for part in 0.. {
        let rows = conn.execute(
            &format!(
                "SELECT {SUMMARY}, p.search_name FROM procedures p
                 WHERE p.withdrawn_in IS NULL AND (p.search_name, p.code) > (?, ?) ORDER BY p.search_name, p.code LIMIT ?"
            ),
            &[text(&name), text(&code), int(INDEX_PART_PROCEDURES)],
        )?;
        let Some(last) = rows.rows.last() else { break };
        name = last.get::<&str>(6).unwrap_or_default().to_owned();
        code = last.get::<&str>(0).unwrap_or_default().to_owned();
        let items = IndexPart { items: rows.rows.iter().filter_map(summary).collect() };
        let json = serde_json::to_string(&items).map_err(|e| Error::Io(e.to_string()))?;
        conn.execute(
            "INSERT INTO catalogue_index (version, part, items) VALUES (?, ?, ?)",
            &[Value::Integer(version as i64), int(part), Value::Text(json)],
        )?;
        if (rows.rows.len() as u32) < INDEX_PART_PROCEDURES {
            break;
        }
    }
    Ok(())
}

/// The offline index of the published catalogue: its version and how many parts.
pub fn offline_index(conn: &Connection) -> Result<CatalogueIndex, Error> {
    let rows = conn.execute("SELECT version, COUNT(*) FROM catalogue_index GROUP BY version ORDER BY version DESC LIMIT 1", &[])?;
    let (version, parts) = rows.rows.first().map_or((0, 0), |r| (r.get::<i64>(0).unwrap_or(0) as u64, r.get::<i64>(1).unwrap_or(0) as u32));
    let total = if parts == 0 { 0 } else { catalogue_figures(conn)?.total as u32 };
    Ok(CatalogueIndex { version, total, parts })
}

/// One part, as stored (JSON); `None` for a version no longer published.
pub fn offline_index_part(conn: &Connection, version: u64, part: u32) -> Result<Option<String>, Error> {
    let rows = conn.execute("SELECT items FROM catalogue_index WHERE version = ? AND part = ?", &[Value::Integer(version as i64), int(part)])?;
    Ok(rows.rows.first().and_then(|r| r.get::<&str>(0)).map(str::to_owned))
}

/// Takes withdrawn procedures out of the word index (a rebuild reads every
/// row of `procedures`): a search then counts its matches in the index alone.
fn unindex_withdrawn(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO procedure_words (procedure_words, rowid, search_name, search_text, search_facets)
         SELECT 'delete', id, search_name, search_text, search_facets FROM procedures WHERE withdrawn_in IS NOT NULL",
        &[],
    )?;
    Ok(())
}

/// The word index without withdrawn procedures, and the index that reads
/// names starting with a phrase in the ranking's order.
pub(crate) fn search_by_phrase(conn: &Connection) -> Result<(), Error> {
    // With the filters' columns: a filtered search reads the index, not the rows.
    conn.execute(
        "CREATE INDEX procedures_by_phrase ON procedures (withdrawn_in, search_name, name_chars, code, level, online, field)",
        &[],
    )?;
    conn.execute("CREATE INDEX procedures_by_filters ON procedures (withdrawn_in, level, online, field, id)", &[])?;
    // Taking withdrawn procedures out of the word index is left to the next
    // migration, which builds the index anew with the filters' column.
    Ok(())
}

/// The filters in the word index: a generated column of tokens ("levelcommune
/// onlinefull field<hex>") that the index holds beside the words, so a
/// filtered search counts its matches in the index alone (3,132 of 10,000,
/// cold, natively: 3.4 ms through the covering index `procedures_by_filters`,
/// which goes, and 1.1 ms so).
pub(crate) fn facets_in_the_word_index(conn: &Connection) -> Result<(), Error> {
    conn.execute("DROP INDEX procedures_by_filters", &[])?;
    conn.execute(
        "ALTER TABLE procedures ADD COLUMN search_facets TEXT
         GENERATED ALWAYS AS ('level' || level || ' online' || online || ' field' || lower(hex(field))) VIRTUAL",
        &[],
    )?;
    conn.execute("DROP TABLE procedure_words", &[])?;
    create_word_index(conn)?;
    conn.execute("INSERT INTO procedure_words (procedure_words) VALUES ('rebuild')", &[])?;
    unindex_withdrawn(conn)
}

fn create_word_index(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE VIRTUAL TABLE procedure_words USING fts5(
            search_name, search_text, search_facets, content = 'procedures', content_rowid = 'id',
            tokenize = \"unicode61 tokenchars '.'\")",
        &[],
    )?;
    Ok(())
}
