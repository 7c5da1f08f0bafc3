//! Citizens' reports: the record, its daily code, its append-only trail,
//! the word index of what is published, and the monthly tallies the
//! dashboard reads. SQL only.
//!
//! Every list is read through an index that holds just its rows (the
//! agency's open reports, the moderation queue, what is published), and
//! the public search through an FTS5 index of the published reports only,
//! so no request reads every report however many years of them there are.

use motcua_shared::dossier::calendar::Date;
use motcua_shared::ratings::Choice;
use motcua_shared::reports::{
    report_code, DeskList, DeskReport, HolderView, Publication, PublicReport, ReportStatus, ReportTally, Subject, PAGE_ROWS,
};
use spin_sdk::sqlite::{Connection, Error, RowResult, Value};
use std::collections::BTreeMap;

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE reports (
            code TEXT PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            request_hash TEXT NOT NULL,      -- what was sent, to tell a retry from a reused key
            secret_hash TEXT NOT NULL,       -- SHA-256 of the secret; the secret is never stored
            subject TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            dossier_code TEXT,
            text TEXT NOT NULL,              -- as the citizen wrote it: personal data
            name TEXT,                       -- personal data, never published
            notify_channel TEXT,
            notify_to TEXT,                  -- personal data
            language TEXT,
            status TEXT NOT NULL,            -- received | answered
            publication TEXT NOT NULL,       -- pending | published | withheld | private
            received_on TEXT NOT NULL,
            due_on TEXT NOT NULL,
            answer TEXT,
            answered_on TEXT,
            answered_by TEXT,
            public_text TEXT,                -- what the public reads, personal data removed
            rating TEXT,
            created_at TEXT NOT NULL
        )",
        // The desk's lists, each an index of just its rows.
        "CREATE INDEX reports_open ON reports (agency_id, due_on, code) WHERE status = 'received'",
        "CREATE INDEX reports_to_moderate ON reports (agency_id, received_on, code) WHERE publication = 'pending'",
        "CREATE INDEX reports_answered ON reports (agency_id, answered_on, code) WHERE status = 'answered'",
        // The public list, newest first: an index's rows end with the rowid,
        // so each of these reads its page in rowid order with no sort, whole,
        // by status, by agency, or both ((publication, status) alone sorted
        // every published report for a list without a status).
        "CREATE INDEX reports_published ON reports (publication)",
        "CREATE INDEX reports_published_status ON reports (publication, status)",
        "CREATE INDEX reports_published_agency ON reports (agency_id, publication)",
        "CREATE INDEX reports_published_agency_status ON reports (agency_id, publication, status)",
        "CREATE TABLE report_sequences (day TEXT PRIMARY KEY, last INTEGER NOT NULL)",
        "CREATE TABLE report_events (
            id INTEGER PRIMARY KEY,
            report_code TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,             -- citizen | officer:<username>
            what TEXT NOT NULL,              -- received | answered | routed | published | withheld | rated
            note TEXT
        )",
        "CREATE INDEX report_events_code ON report_events (report_code, id)",
        "CREATE TRIGGER report_events_append_only_update BEFORE UPDATE ON report_events
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        "CREATE TRIGGER report_events_append_only_delete BEFORE DELETE ON report_events
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        // Only published reports, folded (no tone marks): rowid = the report's
        // rowid. Prefixes of 2 and 3 letters are kept, as every search word is
        // a prefix: on 600,000 published reports, `xep hang can cuoc` 22.5 →
        // 8.1 ms and `ket hon` 6.8 → 0.6 ms a query (BENCHMARKS.md, session 14).
        "CREATE VIRTUAL TABLE report_words USING fts5(words, tokenize = 'unicode61', prefix = '2 3')",
        "CREATE TABLE report_tallies (
            month TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            received INTEGER NOT NULL DEFAULT 0,
            answered INTEGER NOT NULL DEFAULT 0,
            answered_on_time INTEGER NOT NULL DEFAULT 0,
            very_satisfied INTEGER NOT NULL DEFAULT 0,
            satisfied INTEGER NOT NULL DEFAULT 0,
            not_satisfied INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (month, agency_id)
        )",
        // A report's photos: moved out of `uploads` when the report names
        // them (whose rows belong to dossiers, by a foreign key).
        "CREATE TABLE report_photos (
            upload_id TEXT PRIMARY KEY,
            report_code TEXT NOT NULL REFERENCES reports (code),
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            content BLOB NOT NULL,           -- personal data, seen by the agency only
            attached_at TEXT NOT NULL
        )",
        "CREATE INDEX report_photos_by_report ON report_photos (report_code, attached_at)",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

pub(crate) fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

fn date(r: &RowResult, i: usize) -> Option<Date> {
    r.get::<&str>(i).and_then(|s| s.parse().ok())
}

/// A new report, checked and routed by the caller.
pub struct NewReportRow<'a> {
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub secret_hash: &'a str,
    pub subject: Subject,
    pub agency_id: &'a str,
    pub dossier_code: Option<&'a str>,
    pub text: &'a str,
    pub name: Option<&'a str>,
    pub notify: Option<&'a motcua_shared::notify::Recipient>,
    pub language: Option<&'a str>,
    pub private: bool,
    pub received_on: Date,
    pub due_on: Date,
    pub now: &'a str,
}

/// The report already stored under an idempotency key: its code and what
/// was sent with it.
pub fn report_for_key(conn: &Connection, key: &str) -> Result<Option<(String, String)>, Error> {
    let rows = conn.execute("SELECT code, request_hash FROM reports WHERE idempotency_key = ?", &[text(key)])?;
    Ok(rows.rows.first().map(|r| (r.get::<&str>(0).unwrap_or_default().to_owned(), r.get::<&str>(1).unwrap_or_default().to_owned())))
}

/// Stores a report with the next code of its day. Call inside a transaction.
pub fn insert_report(conn: &Connection, r: &NewReportRow) -> Result<String, Error> {
    let day = r.received_on.to_string();
    let rows = conn.execute(
        "INSERT INTO report_sequences (day, last) VALUES (?, 1)
         ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
        &[text(&day)],
    )?;
    let n = rows.rows.first().and_then(|r| r.get::<u32>(0)).ok_or_else(|| Error::Io("no report sequence".into()))?;
    let code = report_code(r.received_on, n);
    let publication = if r.private { Publication::Private } else { Publication::Pending };
    conn.execute(
        "INSERT INTO reports (code, idempotency_key, request_hash, secret_hash, subject, agency_id, dossier_code, text, name,
                              notify_channel, notify_to, language, status, publication, received_on, due_on, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?)",
        &[
            text(&code),
            text(r.idempotency_key),
            text(r.request_hash),
            text(r.secret_hash),
            text(r.subject.as_str()),
            text(r.agency_id),
            opt(r.dossier_code),
            text(r.text),
            opt(r.name),
            opt(r.notify.map(|n| n.channel.as_str())),
            opt(r.notify.map(|n| n.address.as_str())),
            opt(r.language),
            text(publication.as_str()),
            text(&day),
            text(&r.due_on.to_string()),
            text(r.now),
        ],
    )?;
    event(conn, &code, r.now, "citizen", "received", None)?;
    bump(conn, &day[..7], r.agency_id, "received")?;
    Ok(code)
}

fn event(conn: &Connection, code: &str, at: &str, actor: &str, what: &str, note: Option<&str>) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO report_events (report_code, at, actor, what, note) VALUES (?, ?, ?, ?, ?)",
        &[text(code), text(at), text(actor), text(what), opt(note)],
    )?;
    Ok(())
}

fn bump(conn: &Connection, month: &str, agency_id: &str, column: &str) -> Result<(), Error> {
    // `column` is one of this file's constants, never input.
    conn.execute(
        &format!(
            "INSERT INTO report_tallies (month, agency_id, {column}) VALUES (?, ?, 1)
             ON CONFLICT (month, agency_id) DO UPDATE SET {column} = {column} + 1"
        ),
        &[text(month), text(agency_id)],
    )?;
    Ok(())
}

/// A report as stored, for the rules the component applies.
#[derive(Clone, Debug)]
pub struct ReportRow {
    pub rowid: i64,
    pub code: String,
    pub subject: Subject,
    pub agency_id: String,
    pub dossier_code: Option<String>,
    pub text: String,
    pub name: Option<String>,
    pub status: ReportStatus,
    pub publication: Publication,
    pub received_on: Date,
    pub due_on: Date,
    pub answer: Option<String>,
    pub answered_on: Option<Date>,
    pub answered_by: Option<String>,
    pub public_text: Option<String>,
    pub rating: Option<Choice>,
    pub notify: Option<motcua_shared::notify::Recipient>,
    pub language: Option<String>,
}

const COLUMNS: &str = "rowid, code, subject, agency_id, dossier_code, text, name, status, publication, received_on, due_on,
    answer, answered_on, answered_by, public_text, rating, notify_channel, notify_to, language";

fn row(r: &RowResult) -> ReportRow {
    let s = |i: usize| r.get::<&str>(i).map(str::to_owned);
    let channel = r.get::<&str>(16).and_then(motcua_shared::notify::Channel::parse);
    ReportRow {
        rowid: r.get::<i64>(0).unwrap_or(0),
        code: s(1).unwrap_or_default(),
        subject: r.get::<&str>(2).and_then(Subject::parse).unwrap_or_default(),
        agency_id: s(3).unwrap_or_default(),
        dossier_code: s(4),
        text: s(5).unwrap_or_default(),
        name: s(6),
        status: r.get::<&str>(7).and_then(ReportStatus::parse).unwrap_or(ReportStatus::Received),
        publication: r.get::<&str>(8).and_then(Publication::parse).unwrap_or(Publication::Pending),
        received_on: date(r, 9).unwrap_or(Date::new(2000, 1, 1).expect("a date")),
        due_on: date(r, 10).unwrap_or(Date::new(2000, 1, 1).expect("a date")),
        answer: s(11),
        answered_on: date(r, 12),
        answered_by: s(13),
        public_text: s(14),
        rating: r.get::<&str>(15).and_then(Choice::parse),
        notify: match (channel, s(17)) {
            (Some(channel), Some(address)) => Some(motcua_shared::notify::Recipient { channel, address }),
            _ => None,
        },
        language: s(18),
    }
}

pub fn report(conn: &Connection, code: &str) -> Result<Option<ReportRow>, Error> {
    let rows = conn.execute(&format!("SELECT {COLUMNS} FROM reports WHERE code = ?"), &[text(code)])?;
    Ok(rows.rows.first().map(row))
}

/// The report for its code and the hash of its secret; `None` for either wrong.
pub fn report_for_holder(conn: &Connection, code: &str, secret_hash: &str) -> Result<Option<ReportRow>, Error> {
    let rows = conn.execute(&format!("SELECT {COLUMNS} FROM reports WHERE code = ? AND secret_hash = ?"), &[text(code), text(secret_hash)])?;
    Ok(rows.rows.first().map(row))
}

impl ReportRow {
    pub fn holder_view(&self, agency_name: String) -> HolderView {
        HolderView {
            code: self.code.clone(),
            subject: self.subject,
            text: self.text.clone(),
            status: self.status,
            publication: self.publication,
            agency_name,
            received_on: self.received_on,
            due_on: self.due_on,
            answer: self.answer.clone(),
            answered_on: self.answered_on,
            rating: self.rating,
        }
    }

    pub fn desk_view(&self, today: Date) -> DeskReport {
        DeskReport {
            code: self.code.clone(),
            subject: self.subject,
            text: self.text.clone(),
            status: self.status,
            publication: self.publication,
            agency_id: self.agency_id.clone(),
            received_on: self.received_on,
            due_on: self.due_on,
            overdue: motcua_shared::reports::is_overdue(self.status, self.due_on, today),
            dossier_code: self.dossier_code.clone(),
            name: self.name.clone(),
            answer: self.answer.clone(),
            answered_on: self.answered_on,
            answered_by: self.answered_by.clone(),
            public_text: self.public_text.clone(),
            rating: self.rating,
            photos: Vec::new(),
        }
    }

    pub fn public_view(&self, agency_name: String) -> PublicReport {
        PublicReport {
            code: self.code.clone(),
            subject: self.subject,
            text: self.public_text.clone().unwrap_or_default(),
            status: self.status,
            agency_id: self.agency_id.clone(),
            agency_name,
            received_on: self.received_on,
            due_on: self.due_on,
            answer: self.answer.clone(),
            answered_on: self.answered_on,
            on_time: self.answered_on.map(|a| a <= self.due_on),
        }
    }
}

/// Records the answer, once: `false` when the report was answered already
/// (two officers at once: the second is told). Call inside a transaction.
pub fn answer_report(conn: &Connection, r: &ReportRow, answer: &str, by: &str, today: Date, now: &str) -> Result<bool, Error> {
    let changed = conn.execute(
        "UPDATE reports SET status = 'answered', answer = ?, answered_on = ?, answered_by = ?
         WHERE code = ? AND status = 'received' RETURNING code",
        &[text(answer), text(&today.to_string()), text(by), text(&r.code)],
    )?;
    if changed.rows.is_empty() {
        return Ok(false);
    }
    event(conn, &r.code, now, by, "answered", None)?;
    let month = &today.to_string()[..7];
    bump(conn, month, &r.agency_id, "answered")?;
    if today <= r.due_on {
        bump(conn, month, &r.agency_id, "answered_on_time")?;
    }
    if r.publication == Publication::Published {
        index_words(conn, r.rowid, r.public_text.as_deref().unwrap_or_default(), Some(answer))?;
    }
    Ok(true)
}

/// Sends an unanswered report to another agency, which gets the whole
/// deadline again from today. `false` when it was answered meanwhile.
pub fn route_report(conn: &Connection, r: &ReportRow, to: &str, due_on: Date, by: &str, note: &str, now: &str) -> Result<bool, Error> {
    let changed = conn.execute(
        "UPDATE reports SET agency_id = ?, due_on = ? WHERE code = ? AND status = 'received' RETURNING code",
        &[text(to), text(&due_on.to_string()), text(&r.code)],
    )?;
    if changed.rows.is_empty() {
        return Ok(false);
    }
    event(conn, &r.code, now, by, "routed", Some(&format!("{} → {to}: {note}", r.agency_id)))?;
    Ok(true)
}

/// A moderator's decision: published with `public_text`, or withheld.
/// A private report is never published. Call inside a transaction.
pub fn moderate_report(conn: &Connection, r: &ReportRow, publish: Option<&str>, by: &str, now: &str) -> Result<bool, Error> {
    if r.publication == Publication::Private {
        return Ok(false);
    }
    let (publication, public_text) = match publish {
        Some(t) => (Publication::Published, Value::Text(t.to_owned())),
        None => (Publication::Withheld, Value::Null),
    };
    conn.execute(
        "UPDATE reports SET publication = ?, public_text = ? WHERE code = ?",
        &[text(publication.as_str()), public_text, text(&r.code)],
    )?;
    match publish {
        Some(t) => index_words(conn, r.rowid, t, r.answer.as_deref())?,
        None => {
            conn.execute("DELETE FROM report_words WHERE rowid = ?", &[Value::Integer(r.rowid)])?;
        }
    }
    event(conn, &r.code, now, by, publication.as_str(), None)?;
    Ok(true)
}

fn index_words(conn: &Connection, rowid: i64, public_text: &str, answer: Option<&str>) -> Result<(), Error> {
    let words = motcua_shared::text::words(&format!("{public_text} {}", answer.unwrap_or_default())).join(" ");
    conn.execute("DELETE FROM report_words WHERE rowid = ?", &[Value::Integer(rowid)])?;
    conn.execute("INSERT INTO report_words (rowid, words) VALUES (?, ?)", &[Value::Integer(rowid), text(&words)])?;
    Ok(())
}

/// The citizen's rating of the answer, once. `false` when rated already.
pub fn rate_report(conn: &Connection, r: &ReportRow, choice: Choice, today: Date, now: &str) -> Result<bool, Error> {
    let changed = conn.execute(
        "UPDATE reports SET rating = ? WHERE code = ? AND status = 'answered' AND rating IS NULL RETURNING code",
        &[text(choice.as_str()), text(&r.code)],
    )?;
    if changed.rows.is_empty() {
        return Ok(false);
    }
    event(conn, &r.code, now, "citizen", "rated", Some(choice.as_str()))?;
    bump(conn, &today.to_string()[..7], &r.agency_id, choice.as_str())?;
    Ok(true)
}

/// One page of an agency's reports for the desk, and whether more follow.
pub fn desk_reports(conn: &Connection, agency_id: &str, list: DeskList, page: u32) -> Result<(Vec<ReportRow>, bool), Error> {
    let (filter, order) = match list {
        DeskList::Open => ("status = 'received'", "due_on, code"),
        DeskList::Moderation => ("publication = 'pending'", "received_on, code"),
        DeskList::Answered => ("status = 'answered'", "answered_on DESC, code DESC"),
    };
    let rows = conn.execute(
        &format!("SELECT {COLUMNS} FROM reports WHERE agency_id = ? AND {filter} ORDER BY {order} LIMIT ? OFFSET ?"),
        &[text(agency_id), Value::Integer(i64::from(PAGE_ROWS) + 1), Value::Integer(i64::from(page) * i64::from(PAGE_ROWS))],
    )?;
    let mut reports: Vec<ReportRow> = rows.rows.iter().map(row).collect();
    let more = reports.len() > PAGE_ROWS as usize;
    reports.truncate(PAGE_ROWS as usize);
    Ok((reports, more))
}

/// What the public list is asked for.
#[derive(Clone, Debug, Default)]
pub struct PublicQuery {
    pub words: Vec<String>,
    pub agency_id: Option<String>,
    pub status: Option<ReportStatus>,
    /// Only reports older than this one (by rowid): the next page.
    pub before: Option<i64>,
}

/// One page of published reports, newest first, and the rowid the next
/// page starts before.
pub fn public_reports(conn: &Connection, q: &PublicQuery) -> Result<(Vec<ReportRow>, Option<i64>), Error> {
    let mut args = Vec::new();
    // With words, the word index (published reports only) leads in rowid
    // order and stops at the page's end; without, one of the indexes above.
    let mut sql = if q.words.is_empty() {
        format!("SELECT {COLUMNS} FROM reports WHERE publication = 'published'")
    } else {
        let query = q.words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ");
        args.push(text(&query));
        let columns = COLUMNS.split(',').map(|c| format!("r.{}", c.trim())).collect::<Vec<_>>().join(", ");
        format!(
            // CROSS JOIN keeps the word index outside (SQLite never reorders
            // it): otherwise, with an agency, the planner may walk the
            // agency's reports and run the word query for each.
            "SELECT {columns} FROM report_words w CROSS JOIN reports r ON r.rowid = w.rowid
             WHERE report_words MATCH ? AND r.publication = 'published'"
        )
    };
    // The rowid the page is ordered and continued by: the word index's when it leads.
    let (prefix, order) = if q.words.is_empty() { ("", "rowid") } else { ("r.", "w.rowid") };
    if let Some(agency) = &q.agency_id {
        sql.push_str(&format!(" AND {prefix}agency_id = ?"));
        args.push(text(agency));
    }
    if let Some(status) = q.status {
        sql.push_str(&format!(" AND {prefix}status = ?"));
        args.push(text(status.as_str()));
    }
    if let Some(before) = q.before {
        sql.push_str(&format!(" AND {order} < ?"));
        args.push(Value::Integer(before));
    }
    sql.push_str(&format!(" ORDER BY {order} DESC LIMIT ?"));
    args.push(Value::Integer(i64::from(PAGE_ROWS) + 1));
    let rows = conn.execute(&sql, &args)?;
    let mut reports: Vec<ReportRow> = rows.rows.iter().map(row).collect();
    let next = (reports.len() > PAGE_ROWS as usize).then(|| reports[PAGE_ROWS as usize - 1].rowid);
    reports.truncate(PAGE_ROWS as usize);
    Ok((reports, next))
}

/// Report tallies per (month, agency) from `since` (`YYYY-MM`) on.
pub fn report_tallies(conn: &Connection, since: &str) -> Result<BTreeMap<(String, String), ReportTally>, Error> {
    let rows = conn.execute(
        "SELECT month, agency_id, received, answered, answered_on_time, very_satisfied, satisfied, not_satisfied
         FROM report_tallies WHERE month >= ?",
        &[text(since)],
    )?;
    let n = |r: &RowResult, i: usize| r.get::<i64>(i).unwrap_or(0).max(0) as u64;
    Ok(rows
        .rows
        .iter()
        .map(|r| {
            let mut t = ReportTally { received: n(r, 2), answered: n(r, 3), answered_on_time: n(r, 4), ..Default::default() };
            t.ratings.very_satisfied = n(r, 5);
            t.ratings.satisfied = n(r, 6);
            t.ratings.not_satisfied = n(r, 7);
            ((r.get::<&str>(0).unwrap_or_default().to_owned(), r.get::<&str>(1).unwrap_or_default().to_owned()), t)
        })
        .collect())
}

/// Makes an unused, unexpired upload one of the report's photos (moved to
/// `report_photos`); `false` when there is no such upload. Call inside the
/// transaction that stores the report.
pub fn attach_report_photo(conn: &Connection, id: &str, code: &str, now_iso: &str, now: i64) -> Result<bool, Error> {
    let moved = conn.execute(
        "INSERT INTO report_photos (upload_id, report_code, media_type, size, content, attached_at)
         SELECT id, ?, media_type, size, content, ? FROM uploads WHERE id = ? AND dossier_code IS NULL AND created_at >= ?
         RETURNING upload_id",
        &[text(code), text(now_iso), text(id), Value::Integer(now - motcua_shared::dossier::attachments::UPLOAD_TTL_SECS)],
    )?;
    if moved.rows.is_empty() {
        return Ok(false);
    }
    conn.execute("DELETE FROM uploads WHERE id = ? AND dossier_code IS NULL", &[text(id)])?;
    Ok(true)
}

/// A report's photos, in the order they were sent.
pub fn report_photos(conn: &Connection, code: &str) -> Result<Vec<motcua_shared::dossier::attachments::AttachmentInfo>, Error> {
    let rows = conn.execute(
        "SELECT upload_id, NULL, media_type, size, attached_at FROM report_photos WHERE report_code = ? ORDER BY attached_at, rowid",
        &[text(code)],
    )?;
    Ok(rows.rows.iter().filter_map(crate::uploads::attachment_info).collect())
}

/// One of a report's photos: its type and bytes.
pub fn report_photo(conn: &Connection, code: &str, id: &str) -> Result<Option<(motcua_shared::dossier::attachments::MediaType, Vec<u8>)>, Error> {
    let rows = conn.execute("SELECT media_type, content FROM report_photos WHERE upload_id = ? AND report_code = ?", &[text(id), text(code)])?;
    Ok(rows.rows.first().and_then(crate::uploads::paper_content))
}
