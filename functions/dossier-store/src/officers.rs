//! Officers and their desk sessions. The cookie that carries a session is
//! the pipeline's (`http_kit::origin::SessionCookie`); here only its hash.

use motcua_shared::desk::Role;
use spin_sdk::sqlite::{Connection, Error, Value};

pub(crate) fn create_desk_tables(conn: &Connection) -> Result<(), Error> {
    for sql in [
        "CREATE TABLE officers (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            role TEXT NOT NULL,            -- officer | supervisor
            password_hash TEXT NOT NULL,   -- argon2id PHC string
            created_at TEXT NOT NULL
        )",
        // Only a hash of the session token is stored: a copy of the database
        // opens no sessions.
        "CREATE TABLE desk_sessions (
            token_hash TEXT PRIMARY KEY,
            officer_id INTEGER NOT NULL REFERENCES officers (id),
            expires_at INTEGER NOT NULL    -- seconds since the epoch
        )",
    ] {
        conn.execute(sql, &[])?;
    }
    Ok(())
}

pub struct OfficerRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: Role,
    pub password_hash: String,
    /// A translator's language (`None` for every other role).
    pub language: Option<String>,
}

const OFFICER_COLUMNS: &str = "o.id, o.username, o.display_name, o.agency_id, o.role, o.password_hash, o.language";

fn officer_row(r: &spin_sdk::sqlite::RowResult) -> Option<OfficerRow> {
    Some(OfficerRow {
        id: r.get::<i64>(0)?,
        username: r.get::<&str>(1)?.to_owned(),
        display_name: r.get::<&str>(2)?.to_owned(),
        agency_id: r.get::<&str>(3)?.to_owned(),
        role: Role::parse(r.get::<&str>(4)?)?,
        password_hash: r.get::<&str>(5)?.to_owned(),
        language: r.get::<&str>(6).map(str::to_owned),
    })
}

/// Adds an officer; `Ok(false)` when the username is taken.
pub fn insert_officer(conn: &Connection, o: &OfficerRow, now: &str) -> Result<bool, Error> {
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO officers (username, display_name, agency_id, role, password_hash, created_at, language)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Text(o.username.clone()),
            Value::Text(o.display_name.clone()),
            Value::Text(o.agency_id.clone()),
            Value::Text(o.role.as_str().to_owned()),
            Value::Text(o.password_hash.clone()),
            Value::Text(now.to_owned()),
            o.language.clone().map_or(Value::Null, Value::Text),
        ],
    )?;
    Ok(!inserted.rows.is_empty())
}

/// An active officer by username (a disabled one cannot sign in).
pub fn officer_by_username(conn: &Connection, username: &str) -> Result<Option<OfficerRow>, Error> {
    let rows = conn.execute(
        &format!("SELECT {OFFICER_COLUMNS} FROM officers o WHERE o.username = ? AND o.disabled_at IS NULL"),
        &[Value::Text(username.to_owned())],
    )?;
    Ok(rows.rows.first().and_then(officer_row))
}

impl From<&OfficerRow> for motcua_shared::desk::Officer {
    fn from(o: &OfficerRow) -> Self {
        motcua_shared::desk::Officer {
            username: o.username.clone(),
            display_name: o.display_name.clone(),
            agency_id: o.agency_id.clone(),
            role: o.role,
            language: o.language.clone(),
        }
    }
}

/// An argon2id PHC string for a new password.
pub fn hash_password(password: &str) -> Option<String> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default().hash_password(password.as_bytes()).ok().map(|h| h.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    argon2::Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// A password for an administrator to hand over: 16 letters and digits
/// that cannot be misread (no 0/o, 1/l/i), in groups of four, about 82 bits.
pub fn temporary_password() -> Option<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    Some(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

const ACCOUNT_COLUMNS: &str = "username, display_name, agency_id, role, disabled_at IS NULL, created_at, language";

fn account(r: &spin_sdk::sqlite::RowResult) -> Option<motcua_shared::desk::OfficerAccount> {
    Some(motcua_shared::desk::OfficerAccount {
        username: r.get::<&str>(0)?.to_owned(),
        display_name: r.get::<&str>(1)?.to_owned(),
        agency_id: r.get::<&str>(2)?.to_owned(),
        role: Role::parse(r.get::<&str>(3)?)?,
        active: r.get::<i64>(4)? == 1,
        created_at: r.get::<&str>(5)?.to_owned(),
        language: r.get::<&str>(6).map(str::to_owned),
    })
}

/// One account, active or not.
pub fn officer_account(conn: &Connection, username: &str) -> Result<Option<motcua_shared::desk::OfficerAccount>, Error> {
    let rows = conn.execute(&format!("SELECT {ACCOUNT_COLUMNS} FROM officers WHERE username = ?"), &[Value::Text(username.to_owned())])?;
    Ok(rows.rows.first().and_then(account))
}

/// A page of accounts by username after `after`, of one agency or all.
pub fn officer_accounts(
    conn: &Connection,
    agency_id: Option<&str>,
    after: &str,
    limit: u32,
) -> Result<Vec<motcua_shared::desk::OfficerAccount>, Error> {
    let rows = conn.execute(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM officers WHERE (? IS NULL OR agency_id = ?) AND username > ? ORDER BY username LIMIT ?"),
        &[
            agency_id.map_or(Value::Null, |a| Value::Text(a.to_owned())),
            agency_id.map_or(Value::Null, |a| Value::Text(a.to_owned())),
            Value::Text(after.to_owned()),
            Value::Integer(limit.into()),
        ],
    )?;
    Ok(rows.rows.iter().filter_map(account).collect())
}

/// Disables or enables an account; disabling ends its sessions in the same
/// step. `Ok(false)` when there is no such account.
pub fn set_officer_active(conn: &Connection, username: &str, active: bool, now: &str) -> Result<bool, Error> {
    let changed = conn.execute(
        "UPDATE officers SET disabled_at = CASE WHEN ? THEN NULL ELSE COALESCE(disabled_at, ?) END WHERE username = ? RETURNING id",
        &[Value::Integer(active as i64), Value::Text(now.to_owned()), Value::Text(username.to_owned())],
    )?;
    let Some(id) = changed.rows.first().and_then(|r| r.get::<i64>(0)) else {
        return Ok(false);
    };
    if !active {
        conn.execute("DELETE FROM desk_sessions WHERE officer_id = ?", &[Value::Integer(id)])?;
    }
    Ok(true)
}

/// Sets a new password and ends every session of the account (a lost or
/// shared password stops working everywhere). `Ok(false)` when there is no such account.
pub fn reset_officer_password(conn: &Connection, username: &str, password_hash: &str) -> Result<bool, Error> {
    let changed = conn.execute(
        "UPDATE officers SET password_hash = ? WHERE username = ? RETURNING id",
        &[Value::Text(password_hash.to_owned()), Value::Text(username.to_owned())],
    )?;
    let Some(id) = changed.rows.first().and_then(|r| r.get::<i64>(0)) else {
        return Ok(false);
    };
    conn.execute("DELETE FROM desk_sessions WHERE officer_id = ?", &[Value::Integer(id)])?;
    Ok(true)
}

pub(crate) fn add_disabled_at(conn: &Connection) -> Result<(), Error> {
    conn.execute("ALTER TABLE officers ADD COLUMN disabled_at TEXT", &[])?;
    Ok(())
}

/// A new session token: 256 random bits, hex. The cookie carries it; the
/// database only its SHA-256 (`desk_session::token_hash`).
fn new_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(motcua_shared::dossier::secret::hex(&bytes))
}

/// How long a desk session lasts: a working day.
pub const DESK_SESSION_SECS: i64 = 8 * 3600;

/// What a session may do. A counter screen is a tablet the citizen touches:
/// its session only takes rating taps and the officer's exit (with the
/// password), never the queue or a dossier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Desk,
    Counter,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Desk => "desk",
            Scope::Counter => "counter",
        }
    }
}

/// Starts a session of `scope` for the officer and returns its token, for
/// the cookie. The session it takes over (`replacing`, a token), if any, ends
/// with the same call: opening a counter screen swaps the desk's session for
/// the counter's, and its exit swaps it back.
pub fn start_session(conn: &Connection, officer_id: i64, scope: Scope, expires_at: i64, replacing: Option<&str>) -> Result<String, Error> {
    let token = new_token().ok_or_else(|| Error::Io("no randomness for a session token".into()))?;
    if let Some(old) = replacing {
        delete_session(conn, &desk_session::token_hash(old))?;
    }
    create_session(conn, &desk_session::token_hash(&token), officer_id, expires_at, scope)?;
    Ok(token)
}

fn create_session(conn: &Connection, token_hash: &str, officer_id: i64, expires_at: i64, scope: Scope) -> Result<(), Error> {
    conn.execute("DELETE FROM desk_sessions WHERE expires_at < ?", &[Value::Integer(expires_at - 86_400)])?;
    conn.execute(
        "INSERT INTO desk_sessions (token_hash, officer_id, expires_at, scope) VALUES (?, ?, ?, ?)",
        &[
            Value::Text(token_hash.to_owned()),
            Value::Integer(officer_id),
            Value::Integer(expires_at),
            Value::Text(scope.as_str().to_owned()),
        ],
    )?;
    Ok(())
}

/// The officer a live session of this scope belongs to.
pub fn session_officer(conn: &Connection, token_hash: &str, now: i64, scope: Scope) -> Result<Option<OfficerRow>, Error> {
    let rows = conn.execute(
        &format!(
            "SELECT {OFFICER_COLUMNS} FROM desk_sessions s JOIN officers o ON o.id = s.officer_id
             WHERE s.token_hash = ? AND s.expires_at > ? AND s.scope = ? AND o.disabled_at IS NULL"
        ),
        &[Value::Text(token_hash.to_owned()), Value::Integer(now), Value::Text(scope.as_str().to_owned())],
    )?;
    Ok(rows.rows.first().and_then(officer_row))
}

/// Translators work in one language; other roles have none.
pub(crate) fn add_language(conn: &Connection) -> Result<(), Error> {
    conn.execute("ALTER TABLE officers ADD COLUMN language TEXT", &[])?;
    Ok(())
}

pub(crate) fn add_session_scope(conn: &Connection) -> Result<(), Error> {
    conn.execute("ALTER TABLE desk_sessions ADD COLUMN scope TEXT NOT NULL DEFAULT 'desk'", &[])?;
    Ok(())
}

pub fn delete_session(conn: &Connection, token_hash: &str) -> Result<(), Error> {
    conn.execute("DELETE FROM desk_sessions WHERE token_hash = ?", &[Value::Text(token_hash.to_owned())])?;
    Ok(())
}

/// Desk sessions as every component reads them: the cookie carries a random
/// token, the database only its SHA-256.
pub mod desk_session {
    use super::{session_officer, OfficerRow, Scope};
    use http_kit::origin::SessionCookie;
    use spin_sdk::http::Request;
    use spin_sdk::sqlite::{Connection, Error};

    pub fn token_hash(token: &str) -> String {
        motcua_shared::dossier::secret::sha256_hex(token.as_bytes())
    }

    /// The token the request's session cookie carries.
    pub fn token(req: &Request) -> Option<String> {
        SessionCookie::for_request(req).token(req)
    }

    /// The officer signed in at the desk on this request, if any, in a role
    /// that works on dossiers: a translator's session opens no dossier.
    pub fn officer(conn: &Connection, req: &Request, now: i64) -> Result<Option<OfficerRow>, Error> {
        Ok(member(conn, req, now)?.filter(|o| o.role.serves_dossiers()))
    }

    /// Whoever is signed in at the desk, translators too (the studio, "who am I").
    pub fn member(conn: &Connection, req: &Request, now: i64) -> Result<Option<OfficerRow>, Error> {
        scoped(conn, req, now, Scope::Desk)
    }

    /// The officer whose counter screen this is (a locked, counter-only session).
    pub fn counter_officer(conn: &Connection, req: &Request, now: i64) -> Result<Option<OfficerRow>, Error> {
        scoped(conn, req, now, Scope::Counter)
    }

    fn scoped(conn: &Connection, req: &Request, now: i64, scope: Scope) -> Result<Option<OfficerRow>, Error> {
        match token(req) {
            Some(t) => session_officer(conn, &token_hash(&t), now, scope),
            None => Ok(None),
        }
    }
}
