//! Messages to citizens, as an outbox: a message is written in the same
//! transaction as the change it tells of (never a change without its
//! message, never a message for a change that rolled back), then sent by
//! whoever claims it first: the request that made the change, right after
//! its commit, or the sweep a scheduler calls. A claim is one atomic
//! `UPDATE … RETURNING` with a lease: a sender that dies mid-send (the host
//! killed) leaves the message to the next sweep once the lease is over, and
//! the gateway sees the same idempotency key on every try.

use motcua_shared::notify::{back_off, Channel, Delivery, DeliveryState, Event, Outcome, Recipient, MAX_ATTEMPTS};
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        // How the citizen chose to be told (NULL: not asked, as before
        // notifications; 'none': no messages), and in which language.
        "ALTER TABLE dossiers ADD COLUMN notify_channel TEXT",
        "ALTER TABLE dossiers ADD COLUMN notify_to TEXT",
        "ALTER TABLE dossiers ADD COLUMN language TEXT",
        "CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            dossier_code TEXT NOT NULL,
            event TEXT NOT NULL,
            channel TEXT NOT NULL,
            recipient TEXT NOT NULL,
            text TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,            -- queued, sending, sent, failed, cancelled
            attempts INTEGER NOT NULL DEFAULT 0,
            due_at INTEGER NOT NULL,        -- unix seconds: the next try, or the end of a sender's lease
            gateway_said TEXT,
            queued_at TEXT NOT NULL,
            sent_at TEXT
        )",
        // The sweep reads what is due, oldest first; the desk a dossier's messages.
        "CREATE INDEX notifications_due ON notifications (state, due_at)",
        "CREATE INDEX notifications_by_dossier ON notifications (dossier_code, id)",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

/// Stores how the citizen of a new dossier wants to be told, and in which
/// language. Call inside the transaction that inserts the dossier.
pub fn set_recipient(conn: &Connection, code: &str, recipient: Option<&Recipient>, language: Option<&str>) -> Result<(), Error> {
    change_recipient(conn, code, recipient)?;
    conn.execute(
        "UPDATE dossiers SET language = ? WHERE code = ?",
        &[language.map_or(Value::Null, |l| Value::Text(l.to_owned())), Value::Text(code.to_owned())],
    )?;
    Ok(())
}

/// Where a dossier's messages go and in which language; `None` when the
/// citizen wants none (or was never asked).
pub fn recipient(conn: &Connection, code: &str) -> Result<Option<(Recipient, Option<String>)>, Error> {
    let rows = conn.execute("SELECT notify_channel, notify_to, language FROM dossiers WHERE code = ?", &[Value::Text(code.to_owned())])?;
    let Some(r) = rows.rows.first() else { return Ok(None) };
    let channel = r.get::<&str>(0).and_then(Channel::parse).filter(|c| *c != Channel::None);
    Ok(match (channel, r.get::<&str>(1)) {
        (Some(channel), Some(to)) => Some((Recipient { channel, address: to.to_owned() }, r.get::<&str>(2).map(str::to_owned))),
        _ => None,
    })
}

/// Queues one message. Call inside the transaction of the change it tells of.
pub fn queue(conn: &Connection, code: &str, event: Event, to: &Recipient, text: &str, now: &str, now_secs: i64) -> Result<(), Error> {
    let mut key = [0u8; 12];
    getrandom::fill(&mut key).map_err(|e| Error::Io(format!("no randomness: {e}")))?;
    let key: String = key.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute(
        "INSERT INTO notifications (dossier_code, event, channel, recipient, text, idempotency_key, state, due_at, queued_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
        &[
            Value::Text(code.to_owned()),
            Value::Text(event.as_str().to_owned()),
            Value::Text(to.channel.as_str().to_owned()),
            Value::Text(to.address.clone()),
            Value::Text(text.to_owned()),
            Value::Text(format!("motcua-{key}")),
            Value::Integer(now_secs),
            Value::Text(now.to_owned()),
        ],
    )?;
    Ok(())
}

/// A message a sender holds: everything the gateway needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub dossier_code: String,
    pub event: Event,
    pub to: Recipient,
    pub text: String,
    pub idempotency_key: String,
    /// This try's number, from 1.
    pub attempt: u32,
}

/// Ids of messages due now (queued and due, or a sender's lease run out),
/// oldest first; `dossier` narrows them to one dossier's.
pub fn due(conn: &Connection, now_secs: i64, dossier: Option<&str>, limit: u32) -> Result<Vec<i64>, Error> {
    let mut args = vec![Value::Integer(now_secs)];
    let mut sql = String::from(
        "SELECT id FROM notifications WHERE state IN ('queued', 'sending') AND due_at <= ?",
    );
    if let Some(code) = dossier {
        sql.push_str(" AND dossier_code = ?");
        args.push(Value::Text(code.to_owned()));
    }
    sql.push_str(" ORDER BY due_at, id LIMIT ?");
    args.push(Value::Integer(limit.into()));
    Ok(conn.execute(&sql, &args)?.rows.iter().filter_map(|r| r.get::<i64>(0)).collect())
}

/// Takes a due message for `lease_secs`, in one statement: of two senders
/// only one gets it. `None` when someone else has it or it is no longer due.
pub fn claim(conn: &Connection, id: i64, now_secs: i64, lease_secs: i64) -> Result<Option<Claimed>, Error> {
    let rows = conn.execute(
        "UPDATE notifications SET state = 'sending', attempts = attempts + 1, due_at = ?
         WHERE id = ? AND state IN ('queued', 'sending') AND due_at <= ?
         RETURNING id, dossier_code, event, channel, recipient, text, idempotency_key, attempts",
        &[Value::Integer(now_secs + lease_secs), Value::Integer(id), Value::Integer(now_secs)],
    )?;
    Ok(rows.rows.first().and_then(|r| {
        Some(Claimed {
            id: r.get::<i64>(0)?,
            dossier_code: r.get::<&str>(1)?.to_owned(),
            event: Event::parse(r.get::<&str>(2)?)?,
            to: Recipient { channel: Channel::parse(r.get::<&str>(3)?)?, address: r.get::<&str>(4)?.to_owned() },
            text: r.get::<&str>(5)?.to_owned(),
            idempotency_key: r.get::<&str>(6)?.to_owned(),
            attempt: r.get::<i64>(7)? as u32,
        })
    }))
}

/// Records a try's outcome, if the sender still holds the message; the
/// state the message is left in (queued again, sent or failed).
pub fn record(conn: &Connection, c: &Claimed, outcome: &Outcome, now: &str, now_secs: i64, retry_base_secs: i64) -> Result<DeliveryState, Error> {
    let clip = |s: &str| s.chars().take(300).collect::<String>();
    let (state, said, due) = match outcome {
        Outcome::Sent { gateway_said } => (DeliveryState::Sent, clip(gateway_said), now_secs),
        Outcome::TryAgain { gateway_said } if c.attempt < MAX_ATTEMPTS => {
            (DeliveryState::Queued, clip(gateway_said), now_secs + back_off(retry_base_secs, c.attempt))
        }
        Outcome::TryAgain { gateway_said } => (DeliveryState::Failed, format!("{} (gave up after {MAX_ATTEMPTS} tries)", clip(gateway_said)), now_secs),
        Outcome::Refused { gateway_said } => (DeliveryState::Failed, clip(gateway_said), now_secs),
    };
    let sent_at = if state == DeliveryState::Sent { Value::Text(now.to_owned()) } else { Value::Null };
    conn.execute(
        "UPDATE notifications SET state = ?, gateway_said = ?, due_at = ?, sent_at = ?
         WHERE id = ? AND state = 'sending' AND attempts = ?",
        &[
            Value::Text(state.as_str().to_owned()),
            Value::Text(said),
            Value::Integer(due),
            sent_at,
            Value::Integer(c.id),
            Value::Integer(c.attempt.into()),
        ],
    )?;
    Ok(state)
}

/// The citizen changes how they are told, from the tracking page. `None`
/// stops messages: nothing more is queued, and what waits is cancelled.
pub fn change_recipient(conn: &Connection, code: &str, recipient: Option<&Recipient>) -> Result<(), Error> {
    let (channel, to) = match recipient {
        Some(r) => (r.channel.as_str(), Value::Text(r.address.clone())),
        None => (Channel::None.as_str(), Value::Null),
    };
    conn.execute(
        "UPDATE dossiers SET notify_channel = ?, notify_to = ? WHERE code = ?",
        &[Value::Text(channel.to_owned()), to, Value::Text(code.to_owned())],
    )?;
    if recipient.is_none() {
        conn.execute(
            "UPDATE notifications SET state = 'cancelled' WHERE dossier_code = ? AND state = 'queued'",
            &[Value::Text(code.to_owned())],
        )?;
    }
    Ok(())
}

/// What a message about a dossier says beyond the change: its procedure,
/// agency and appointment date.
pub fn message_facts(conn: &Connection, code: &str) -> Result<Option<(String, String, Option<String>)>, Error> {
    let rows = conn.execute("SELECT procedure_code, agency_id, appointment_on FROM dossiers WHERE code = ?", &[Value::Text(code.to_owned())])?;
    Ok(rows.rows.first().and_then(|r| {
        Some((r.get::<&str>(0)?.to_owned(), r.get::<&str>(1)?.to_owned(), r.get::<&str>(2).map(str::to_owned)))
    }))
}

/// A dossier's messages for its officers, oldest first, addresses masked.
pub fn deliveries(conn: &Connection, code: &str) -> Result<Vec<Delivery>, Error> {
    let rows = conn.execute(
        "SELECT event, channel, recipient, state, attempts, gateway_said, queued_at, sent_at
         FROM notifications WHERE dossier_code = ? ORDER BY id LIMIT 100",
        &[Value::Text(code.to_owned())],
    )?;
    Ok(rows
        .rows
        .iter()
        .filter_map(|r| {
            Some(Delivery {
                event: Event::parse(r.get::<&str>(0)?)?,
                channel: Channel::parse(r.get::<&str>(1)?)?,
                to: motcua_shared::notify::mask(r.get::<&str>(2)?),
                state: DeliveryState::parse(r.get::<&str>(3)?)?,
                attempts: r.get::<i64>(4)? as u32,
                gateway_said: r.get::<&str>(5).map(str::to_owned),
                queued_at: r.get::<&str>(6)?.to_owned(),
                sent_at: r.get::<&str>(7).map(str::to_owned),
            })
        })
        .collect())
}
