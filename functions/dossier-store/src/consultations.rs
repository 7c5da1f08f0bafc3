//! Consultations on drafts: the draft in sections, the comments (citizens'
//! and those officers enter for people), their moderation, and the
//! response report with the comments it answers. SQL only.

use motcua_shared::consultations::{CommentState, DeskComment, PublicComment, PublishedResponse, Section, MAX_SHOWN_COMMENTS};
use crate::reports::{opt, text};
use motcua_shared::dossier::calendar::Date;
use spin_sdk::sqlite::{Connection, Error, RowResult, Value};

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE consultations (
            id INTEGER PRIMARY KEY,
            agency_id TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            sections TEXT NOT NULL,          -- JSON: [{heading, text}], a few hundred KB at most
            opens_on TEXT NOT NULL,
            closes_on TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            response TEXT,
            response_answers TEXT,           -- JSON: the ids of the comments it answers
            response_on TEXT,
            response_by TEXT
        )",
        "CREATE INDEX consultations_newest ON consultations (opens_on DESC, id DESC)",
        "CREATE TABLE consultation_comments (
            id INTEGER PRIMARY KEY,
            consultation_id INTEGER NOT NULL REFERENCES consultations (id),
            section INTEGER NOT NULL,
            text TEXT NOT NULL,              -- personal data removed before it is stored as shown
            name TEXT,                       -- as the person chose to sign, or NULL
            entered_for TEXT,                -- said at a meeting or on paper: where, for whom
            entered_by TEXT,                 -- the officer who entered it
            idempotency_key TEXT UNIQUE,
            state TEXT NOT NULL,             -- pending | published | rejected
            received_on TEXT NOT NULL,
            moderated_by TEXT
        )",
        "CREATE INDEX consultation_comments_shown ON consultation_comments (consultation_id, state, id)",
        "CREATE INDEX consultation_comments_pending ON consultation_comments (consultation_id, id) WHERE state = 'pending'",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

fn date(r: &RowResult, i: usize) -> Date {
    r.get::<&str>(i).and_then(|s| s.parse().ok()).unwrap_or(Date::new(2000, 1, 1).expect("a date"))
}

/// A consultation as stored.
#[derive(Clone, Debug)]
pub struct ConsultationRow {
    pub id: i64,
    pub agency_id: String,
    pub title: String,
    pub summary: String,
    pub sections: Vec<Section>,
    pub opens_on: Date,
    pub closes_on: Date,
    pub response: Option<PublishedResponse>,
}

const COLUMNS: &str = "id, agency_id, title, summary, sections, opens_on, closes_on, response, response_answers, response_on";

fn row(r: &RowResult) -> ConsultationRow {
    let response = r.get::<&str>(7).map(|t| PublishedResponse {
        text: t.to_owned(),
        answers: r.get::<&str>(8).and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default(),
        published_on: date(r, 9),
    });
    ConsultationRow {
        id: r.get::<i64>(0).unwrap_or(0),
        agency_id: r.get::<&str>(1).unwrap_or_default().to_owned(),
        title: r.get::<&str>(2).unwrap_or_default().to_owned(),
        summary: r.get::<&str>(3).unwrap_or_default().to_owned(),
        sections: r.get::<&str>(4).and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default(),
        opens_on: date(r, 5),
        closes_on: date(r, 6),
        response,
    }
}

/// Publishes a draft for comment; its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_consultation(
    conn: &Connection,
    agency_id: &str,
    title: &str,
    summary: &str,
    sections: &[Section],
    opens_on: Date,
    closes_on: Date,
    by: &str,
    now: &str,
) -> Result<i64, Error> {
    let sections = serde_json::to_string(sections).map_err(|e| Error::Io(e.to_string()))?;
    let rows = conn.execute(
        "INSERT INTO consultations (agency_id, title, summary, sections, opens_on, closes_on, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            text(agency_id),
            text(title),
            text(summary),
            text(&sections),
            text(&opens_on.to_string()),
            text(&closes_on.to_string()),
            text(by),
            text(now),
        ],
    )?;
    rows.rows.first().and_then(|r| r.get::<i64>(0)).ok_or_else(|| Error::Io("no consultation id".into()))
}

pub fn consultation(conn: &Connection, id: i64) -> Result<Option<ConsultationRow>, Error> {
    let rows = conn.execute(&format!("SELECT {COLUMNS} FROM consultations WHERE id = ?"), &[Value::Integer(id)])?;
    Ok(rows.rows.first().map(row))
}

/// The newest consultations with their published comments counted.
pub fn consultations(conn: &Connection, limit: u32) -> Result<Vec<(ConsultationRow, u32)>, Error> {
    let rows = conn.execute(
        &format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM consultation_comments m WHERE m.consultation_id = c.id AND m.state = 'published')
             FROM consultations c ORDER BY opens_on DESC, id DESC LIMIT ?"
        ),
        &[Value::Integer(limit.into())],
    )?;
    Ok(rows.rows.iter().map(|r| (row(r), r.get::<i64>(10).unwrap_or(0).max(0) as u32)).collect())
}

/// A new comment, or the one already stored under its key: its id and
/// state. Call inside a transaction.
#[allow(clippy::too_many_arguments)]
pub fn insert_comment(
    conn: &Connection,
    consultation_id: i64,
    section: u32,
    shown_text: &str,
    name: Option<&str>,
    entered: Option<(&str, &str)>,
    key: Option<&str>,
    today: Date,
) -> Result<(bool, i64, CommentState), Error> {
    if let Some(key) = key {
        let known = conn.execute("SELECT id, state FROM consultation_comments WHERE idempotency_key = ?", &[text(key)])?;
        if let Some(r) = known.rows.first() {
            let state = r.get::<&str>(1).and_then(CommentState::parse).unwrap_or(CommentState::Pending);
            return Ok((false, r.get::<i64>(0).unwrap_or(0), state));
        }
    }
    // What an officer enters is published at once: the officer is
    // accountable for it, as for a dossier entered at the counter.
    let state = if entered.is_some() { CommentState::Published } else { CommentState::Pending };
    let rows = conn.execute(
        "INSERT INTO consultation_comments (consultation_id, section, text, name, entered_for, entered_by, idempotency_key, state, received_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Integer(consultation_id),
            Value::Integer(section.into()),
            text(shown_text),
            opt(name),
            opt(entered.map(|e| e.0)),
            opt(entered.map(|e| e.1)),
            opt(key),
            text(state.as_str()),
            text(&today.to_string()),
        ],
    )?;
    let id = rows.rows.first().and_then(|r| r.get::<i64>(0)).ok_or_else(|| Error::Io("no comment id".into()))?;
    Ok((true, id, state))
}

fn public_comment(r: &RowResult) -> PublicComment {
    PublicComment {
        id: r.get::<i64>(0).unwrap_or(0),
        section: r.get::<i64>(1).unwrap_or(0).clamp(0, u32::MAX as i64) as u32,
        text: r.get::<&str>(2).unwrap_or_default().to_owned(),
        name: r.get::<&str>(3).map(str::to_owned),
        entered_for: r.get::<&str>(4).map(str::to_owned),
        received_on: date(r, 5),
    }
}

/// The published comments of a consultation, in the order they came.
pub fn published_comments(conn: &Connection, consultation_id: i64) -> Result<Vec<PublicComment>, Error> {
    let rows = conn.execute(
        "SELECT id, section, text, name, entered_for, received_on FROM consultation_comments
         WHERE consultation_id = ? AND state = 'published' ORDER BY id LIMIT ?",
        &[Value::Integer(consultation_id), Value::Integer(MAX_SHOWN_COMMENTS.into())],
    )?;
    Ok(rows.rows.iter().map(public_comment).collect())
}

/// The comments waiting for moderation on an agency's consultations.
pub fn pending_comments(conn: &Connection, agency_id: &str, limit: u32) -> Result<Vec<DeskComment>, Error> {
    let rows = conn.execute(
        "SELECT m.id, m.consultation_id, c.title, m.section, m.text, m.name, m.entered_for, m.state
         FROM consultations c JOIN consultation_comments m ON m.consultation_id = c.id AND m.state = 'pending'
         WHERE c.agency_id = ? ORDER BY m.id LIMIT ?",
        &[text(agency_id), Value::Integer(limit.into())],
    )?;
    Ok(rows
        .rows
        .iter()
        .map(|r| DeskComment {
            id: r.get::<i64>(0).unwrap_or(0),
            consultation_id: r.get::<i64>(1).unwrap_or(0),
            consultation_title: r.get::<&str>(2).unwrap_or_default().to_owned(),
            section: r.get::<i64>(3).unwrap_or(0).clamp(0, u32::MAX as i64) as u32,
            text: r.get::<&str>(4).unwrap_or_default().to_owned(),
            name: r.get::<&str>(5).map(str::to_owned),
            entered_for: r.get::<&str>(6).map(str::to_owned),
            state: r.get::<&str>(7).and_then(CommentState::parse).unwrap_or(CommentState::Pending),
        })
        .collect())
}

/// The consultation a comment belongs to, and the comment's state.
pub fn comment_home(conn: &Connection, comment_id: i64) -> Result<Option<(i64, CommentState)>, Error> {
    let rows = conn.execute("SELECT consultation_id, state FROM consultation_comments WHERE id = ?", &[Value::Integer(comment_id)])?;
    Ok(rows.rows.first().map(|r| {
        (r.get::<i64>(0).unwrap_or(0), r.get::<&str>(1).and_then(CommentState::parse).unwrap_or(CommentState::Pending))
    }))
}

/// A moderator's decision on a pending comment; `false` when it was decided already.
pub fn moderate_comment(conn: &Connection, comment_id: i64, publish: bool, by: &str) -> Result<bool, Error> {
    let state = if publish { CommentState::Published } else { CommentState::Rejected };
    let changed = conn.execute(
        "UPDATE consultation_comments SET state = ?, moderated_by = ? WHERE id = ? AND state = 'pending' RETURNING id",
        &[text(state.as_str()), text(by), Value::Integer(comment_id)],
    )?;
    Ok(!changed.rows.is_empty())
}

/// Of `ids`, those that are published comments of this consultation.
pub fn published_among(conn: &Connection, consultation_id: i64, ids: &[i64]) -> Result<Vec<i64>, Error> {
    let mut found = Vec::new();
    for id in ids {
        let rows = conn.execute(
            "SELECT 1 FROM consultation_comments WHERE id = ? AND consultation_id = ? AND state = 'published'",
            &[Value::Integer(*id), Value::Integer(consultation_id)],
        )?;
        if !rows.rows.is_empty() && !found.contains(id) {
            found.push(*id);
        }
    }
    Ok(found)
}

/// Publishes the response report, once: `false` when one was published already.
pub fn publish_response(conn: &Connection, consultation_id: i64, text_: &str, answers: &[i64], today: Date, by: &str) -> Result<bool, Error> {
    let answers = serde_json::to_string(answers).map_err(|e| Error::Io(e.to_string()))?;
    let changed = conn.execute(
        "UPDATE consultations SET response = ?, response_answers = ?, response_on = ?, response_by = ?
         WHERE id = ? AND response IS NULL RETURNING id",
        &[text(text_), text(&answers), text(&today.to_string()), text(by), Value::Integer(consultation_id)],
    )?;
    Ok(!changed.rows.is_empty())
}
