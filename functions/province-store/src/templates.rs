//! The province's message templates, per event and language: what the
//! citizen reads when their dossier changes. Edited at run time by an
//! administrator (every change in the audit trail); a message is made from
//! the template in the citizen's language, else the Vietnamese one.

use crate::text;
use motcua_shared::notify::{Event, Template};
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_table(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "CREATE TABLE notification_templates (
            event TEXT NOT NULL,
            language TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (event, language)
        )",
        &[],
    )?;
    Ok(())
}

/// Saves a template (checked by the caller); `true` when it replaced one.
pub fn put_template(conn: &Connection, t: &Template, who: &str, now: &str) -> Result<bool, Error> {
    let key = [text(t.event.as_str()), text(&t.language)];
    let existed = !conn.execute("SELECT 1 FROM notification_templates WHERE event = ? AND language = ?", &key)?.rows.is_empty();
    conn.execute(
        "INSERT INTO notification_templates (event, language, text, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event, language) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        &[key[0].clone(), key[1].clone(), text(t.text.trim()), text(now), text(who)],
    )?;
    Ok(existed)
}

/// Every template, by event then language (a few dozen rows).
pub fn templates(conn: &Connection) -> Result<Vec<Template>, Error> {
    let rows = conn.execute(
        "SELECT event, language, text, updated_at, updated_by FROM notification_templates ORDER BY event, language LIMIT 1000",
        &[],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(Template {
                event: Event::parse(r.get::<&str>(0)?)?,
                language: r.get::<&str>(1)?.to_owned(),
                text: r.get::<&str>(2)?.to_owned(),
                updated_at: r.get::<&str>(3)?.to_owned(),
                updated_by: r.get::<&str>(4)?.to_owned(),
            })
        })
        .collect())
}

/// The text for `event` in `language`, else in Vietnamese; `None` when the
/// province has published neither.
pub fn template_for(conn: &Connection, event: Event, language: Option<&str>) -> Result<Option<String>, Error> {
    let rows = conn.execute(
        "SELECT text FROM notification_templates WHERE event = ? AND language IN (?, 'vi') ORDER BY language = 'vi' LIMIT 1",
        &[text(event.as_str()), language.map_or(Value::Text("vi".into()), text)],
    )?;
    Ok(rows.rows.first().and_then(|r| r.get::<&str>(0)).map(str::to_owned))
}
