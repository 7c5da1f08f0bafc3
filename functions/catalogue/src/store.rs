//! The catalogue's tables in Spin's default SQLite database.

use catalogue_data as seed;
use http_kit::db::{open_migrated, Migration};
use motcua_shared::catalogue::{FieldCount, Procedure, ProcedureSummary, Level, OnlineLevel};
use motcua_shared::search::{rank, SearchKeys, SearchParams};
use spin_sdk::sqlite::{Connection, Error, Value};

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "create procedures", apply: create_procedures },
    Migration { version: 2, name: "seed procedures from seed/procedures.json", apply: seed_procedures },
];

/// At most this many query words reach SQL; more add nothing to a search.
const MAX_WORDS: usize = 12;

pub fn open() -> Result<Connection, Error> {
    open_migrated("catalogue", MIGRATIONS)
}

fn create_procedures(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE procedures (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            field TEXT NOT NULL,
            level TEXT NOT NULL,
            online TEXT NOT NULL,
            processing_days INTEGER,
            record TEXT NOT NULL,      -- the full Procedure as JSON
            search_name TEXT NOT NULL, -- folded name (no diacritics, lower case)
            search_text TEXT NOT NULL  -- folded code, name, field and result
        )",
        &[],
    )?;
    conn.execute("CREATE INDEX procedures_field ON procedures (field)", &[])?;
    Ok(())
}

fn seed_procedures(conn: &Connection) -> Result<(), Error> {
    let all = seed::procedures().map_err(|e| Error::Io(format!("seed file: {e}")))?;
    for p in &all {
        let keys = seed::search_keys(p);
        let record = serde_json::to_string(p).map_err(|e| Error::Io(e.to_string()))?;
        conn.execute(
            "INSERT OR REPLACE INTO procedures
                (code, name, field, level, online, processing_days, record, search_name, search_text)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                Value::Text(p.code.clone()),
                Value::Text(p.name.clone()),
                Value::Text(p.field.clone()),
                Value::Text(p.level.as_str().into()),
                Value::Text(p.online.as_str().into()),
                p.processing_days.map_or(Value::Null, |d| Value::Integer(d.into())),
                Value::Text(record),
                Value::Text(keys.name),
                Value::Text(keys.text),
            ],
        )?;
    }
    Ok(())
}

/// Matches for the query, ranked, and the total before paging.
pub fn search(conn: &Connection, params: &SearchParams) -> Result<(Vec<ProcedureSummary>, u32), Error> {
    let words: Vec<String> = params.query_words().into_iter().take(MAX_WORDS).collect();
    let mut sql = String::from(
        "SELECT code, name, field, level, online, processing_days, search_name, search_text
         FROM procedures WHERE 1 = 1",
    );
    let mut args = Vec::new();
    if let Some(field) = &params.field {
        sql.push_str(" AND field = ?");
        args.push(Value::Text(field.clone()));
    }
    if let Some(level) = params.level {
        sql.push_str(" AND level = ?");
        args.push(Value::Text(level.as_str().into()));
    }
    if let Some(online) = params.online {
        sql.push_str(" AND online = ?");
        args.push(Value::Text(online.as_str().into()));
    }
    for w in &words {
        sql.push_str(" AND search_text LIKE ? ESCAPE '\\'");
        args.push(Value::Text(format!("%{}%", escape_like(w))));
    }
    let rows = conn.execute(&sql, &args)?;
    let candidates = rows
        .rows
        .iter()
        .filter_map(|r| {
            let summary = ProcedureSummary {
                code: r.get::<&str>(0)?.to_owned(),
                name: r.get::<&str>(1)?.to_owned(),
                field: r.get::<&str>(2)?.to_owned(),
                level: Level::parse(r.get::<&str>(3)?)?,
                online: OnlineLevel::parse(r.get::<&str>(4)?)?,
                processing_days: r.get::<u32>(5),
            };
            let keys = SearchKeys {
                code: summary.code.clone(),
                name: r.get::<&str>(6)?.to_owned(),
                text: r.get::<&str>(7)?.to_owned(),
            };
            Some((summary, keys))
        })
        .collect();
    let ranked = rank(&words, candidates);
    let total = ranked.len() as u32;
    let page = ranked.into_iter().skip(params.offset()).take(params.per_page as usize).collect();
    Ok((page, total))
}

pub fn fields(conn: &Connection) -> Result<Vec<FieldCount>, Error> {
    let rows = conn.execute("SELECT field, COUNT(*) FROM procedures GROUP BY field ORDER BY field", &[])?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| Some(FieldCount { name: r.get::<&str>(0)?.to_owned(), count: r.get::<u32>(1)? }))
        .collect())
}

pub fn procedure(conn: &Connection, code: &str) -> Result<Option<Procedure>, Error> {
    let rows = conn.execute("SELECT record FROM procedures WHERE code = ?", &[Value::Text(code.to_owned())])?;
    let Some(record) = rows.rows.first().and_then(|r| r.get::<&str>(0)) else { return Ok(None) };
    serde_json::from_str(record).map(Some).map_err(|e| Error::Io(format!("stored record {code}: {e}")))
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
