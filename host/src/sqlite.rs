//! `fermyon:spin/sqlite@2.0.0` on local SQLite files, as `spin up` does by default.
//!
//! Only the "default" database exists (`<state-dir>/sqlite_db.db`, Spin's
//! file name); Spin needs a runtime-config file for any other label and
//! refuses to start without one, and so does this host (`ensure_defined`).
//! Each `connection.open` gets its own SQLite connection, so one request's
//! `BEGIN … COMMIT` never interleaves with another's: concurrent writers
//! serialise on SQLite's lock (WAL mode, 5 s busy timeout). Closed
//! connections with no transaction open are kept for the next `open` (a few
//! per file): a fresh connection rereads the schema and every page it needs,
//! which cost a search a third of its time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Result, bail};
use rusqlite::types::{Value as SqlValue, ValueRef};
use wasmtime::component::Resource;

use crate::spin_apis::{MAX_OPEN_HANDLES, SpinCtx, sqlite};

/// How long a statement waits for another connection's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's own busy timeout sleeps in growing steps (up to 100 ms), so under
/// many concurrent writers a waiting request often sleeps well past the
/// moment the lock is free: measured, submissions had a p99 of 1.5 s. Polling
/// every millisecond or two keeps the same 5 s limit with far shorter waits.
fn wait_for_lock(attempt: i32) -> bool {
    let step = Duration::from_millis(if attempt < 100 { 1 } else { 2 });
    let waited = Duration::from_millis(attempt.clamp(0, 100) as u64) + step * (attempt - 100).max(0) as u32;
    if waited >= BUSY_TIMEOUT {
        return false;
    }
    std::thread::sleep(step);
    true
}

/// Idle connections kept per database file (at most; more are closed).
const IDLE_CONNECTIONS: usize = 16;

/// The databases the app can use: label → file, with its idle connections.
#[derive(Debug)]
pub struct Databases {
    files: BTreeMap<String, PathBuf>,
    idle: Mutex<BTreeMap<PathBuf, Vec<rusqlite::Connection>>>,
}

impl Databases {
    pub fn new(state_dir: &Path) -> Self {
        Self {
            files: BTreeMap::from([("default".to_string(), state_dir.join("sqlite_db.db"))]),
            idle: Mutex::new(BTreeMap::new()),
        }
    }

    /// An idle connection to `path`, else a new one.
    fn connect(&self, path: &Path) -> rusqlite::Result<rusqlite::Connection> {
        let kept = self
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(path)
            .and_then(Vec::pop);
        match kept {
            Some(conn) => Ok(conn),
            None => open_file(path),
        }
    }

    /// Takes back a connection the guest closed (or left behind when its
    /// instance ended). Only one with no transaction open is kept, so the
    /// next request starts exactly as on a new connection; any other is
    /// closed, which rolls its transaction back.
    fn release(&self, path: PathBuf, conn: rusqlite::Connection) {
        if !conn.is_autocommit() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        let kept = idle.entry(path).or_default();
        if kept.len() < IDLE_CONNECTIONS {
            kept.push(conn);
        }
    }

    /// Fails (like Spin) when a component declares a database label that has no backing file.
    pub fn ensure_defined<'a>(
        &self,
        component_id: &str,
        labels: impl IntoIterator<Item = &'a String>,
    ) -> Result<()> {
        for label in labels {
            if !self.files.contains_key(label) {
                bail!(
                    "component {component_id:?} uses SQLite database {label:?}, which is not defined: \
                     the local host (like `spin up` without a runtime config) only provides \"default\""
                );
            }
        }
        Ok(())
    }

    fn path(&self, label: &str) -> Option<&PathBuf> {
        self.files.get(label)
    }
}

/// A guest's open connection (the `connection` resource). Dropped when the
/// guest closes it or its instance ends, and then handed back to `Databases`.
pub struct Connection {
    /// `None` only once handed back.
    inner: Arc<Mutex<Option<rusqlite::Connection>>>,
    path: PathBuf,
    databases: Arc<Databases>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        // A statement still running on a blocking thread holds a clone: then
        // the connection is simply closed when that finishes.
        if let Some(slot) = Arc::get_mut(&mut self.inner) {
            let conn = slot.get_mut().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(conn) = conn {
                self.databases.release(std::mem::take(&mut self.path), conn);
            }
        }
    }
}

/// Opens a connection the way every guest connection is opened (for the
/// key-value file too). The files hold citizens' dossiers and sessions: they
/// are created readable by their owner only (0600), and a file found with
/// wider permissions is tightened.
pub fn open_file(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    owner_only(path, true).map_err(|e| io_error(path, e))?;
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_handler(Some(wait_for_lock))?;
    // WAL lets readers proceed while one writer commits.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // SQLite gives its -wal and -shm files the database file's permissions
    // when it creates them; ones left from before may be wider.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        owner_only(Path::new(&side), false).map_err(|e| io_error(path, e))?;
    }
    Ok(conn)
}

/// Makes `path` readable and writable by its owner only: created so when
/// `create` and missing, tightened when group or others have any access.
fn owner_only(path: &Path, create: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::metadata(path) {
            Ok(meta) => {
                let mode = meta.permissions().mode();
                if meta.is_file() && mode & 0o077 != 0 {
                    std::fs::set_permissions(
                        path,
                        std::fs::Permissions::from_mode(mode & 0o700 | 0o600),
                    )?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .mode(0o600)
                    .open(path)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    #[cfg(not(unix))]
    let _ = (path, create);
    Ok(())
}

fn io_error(path: &Path, e: std::io::Error) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
        Some(format!(
            "cannot restrict {} to its owner: {e}",
            path.display()
        )),
    )
}

/// Runs one statement: binds `params`, returns column names and all rows.
pub fn run_statement(
    conn: &rusqlite::Connection,
    statement: &str,
    params: Vec<sqlite::Value>,
) -> rusqlite::Result<sqlite::QueryResult> {
    let mut stmt = conn.prepare(statement)?;
    let columns: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let params = params.into_iter().map(|v| match v {
        sqlite::Value::Integer(i) => SqlValue::Integer(i),
        sqlite::Value::Real(r) => SqlValue::Real(r),
        sqlite::Value::Text(t) => SqlValue::Text(t),
        sqlite::Value::Blob(b) => SqlValue::Blob(b),
        sqlite::Value::Null => SqlValue::Null,
    });
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => sqlite::Value::Null,
                ValueRef::Integer(i) => sqlite::Value::Integer(i),
                ValueRef::Real(r) => sqlite::Value::Real(r),
                ValueRef::Text(t) => sqlite::Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => sqlite::Value::Blob(b.to_vec()),
            });
        }
        out.push(sqlite::RowResult { values });
    }
    Ok(sqlite::QueryResult { columns, rows: out })
}

/// Runs blocking SQLite work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, sqlite::Error> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(|e| sqlite::Error::Io(e.to_string())),
        Err(e) => Err(sqlite::Error::Io(format!("internal error: {e}"))),
    }
}

impl sqlite::Host for SpinCtx {}

impl sqlite::HostConnection for SpinCtx {
    async fn open(&mut self, database: String) -> Result<Resource<Connection>, sqlite::Error> {
        // Same order as Spin: permission first, then existence.
        if !self.apis.allowed_databases.contains(&database) {
            return Err(sqlite::Error::AccessDenied);
        }
        let path = self
            .apis
            .databases
            .path(&database)
            .ok_or(sqlite::Error::NoSuchDatabase)?
            .clone();
        if self.open_connections >= MAX_OPEN_HANDLES {
            return Err(sqlite::Error::Io("too many connections opened".into()));
        }
        let databases = self.apis.databases.clone();
        let conn = blocking({
            let (databases, path) = (databases.clone(), path.clone());
            move || databases.connect(&path)
        })
        .await?;
        let resource = self
            .table
            .push(Connection {
                inner: Arc::new(Mutex::new(Some(conn))),
                path,
                databases,
            })
            .map_err(|e| sqlite::Error::Io(e.to_string()))?;
        self.open_connections += 1;
        Ok(resource)
    }

    async fn execute(
        &mut self,
        connection: Resource<Connection>,
        statement: String,
        parameters: Vec<sqlite::Value>,
    ) -> Result<sqlite::QueryResult, sqlite::Error> {
        let conn = self
            .table
            .get(&connection)
            .map_err(|_| sqlite::Error::InvalidConnection)?
            .inner
            .clone();
        blocking(move || {
            // A poisoned lock only means an earlier statement panicked; the
            // connection itself is still usable.
            let conn = conn.lock().unwrap_or_else(|e| e.into_inner());
            let conn = conn.as_ref().ok_or(rusqlite::Error::InvalidQuery)?;
            run_statement(conn, &statement, parameters)
        })
        .await
    }

    async fn drop(&mut self, connection: Resource<Connection>) -> wasmtime::Result<()> {
        // Closing rolls back any transaction the guest left open.
        if let Ok(conn) = self.table.delete(connection) {
            self.open_connections = self.open_connections.saturating_sub(1);
            drop(conn);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spin_apis::ComponentApis;
    use crate::spin_apis::sqlite::{Error, HostConnection as _, Value};

    fn ctx(dir: &Path, allowed: &[&str]) -> SpinCtx {
        SpinCtx::new(Arc::new(ComponentApis {
            component_id: "c".into(),
            allowed_databases: allowed.iter().map(|s| s.to_string()).collect(),
            allowed_stores: Default::default(),
            variables: Default::default(),
            databases: Arc::new(Databases::new(dir)),
            stores: Arc::new(crate::key_value::KeyValueStores::new(dir)),
        }))
    }

    async fn exec(
        ctx: &mut SpinCtx,
        c: &Resource<Connection>,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<sqlite::QueryResult, Error> {
        ctx.execute(Resource::new_borrow(c.rep()), sql.into(), params)
            .await
    }

    #[cfg(unix)]
    #[test]
    fn database_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sqlite_db.db");
        let conn = open_file(&db).unwrap();
        conn.execute("CREATE TABLE t (x)", []).unwrap();
        assert_eq!(mode(&db), 0o600, "created owner-only");
        let wal = dir.path().join("sqlite_db.db-wal");
        assert!(wal.exists());
        assert_eq!(
            mode(&wal),
            0o600,
            "SQLite's WAL file follows the database's mode"
        );
        drop(conn);

        // A file left readable by everyone (an older host, a copy) is tightened.
        let old = dir.path().join("old.db");
        std::fs::write(&old, b"").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o664)).unwrap();
        let old_wal = dir.path().join("old.db-wal");
        std::fs::write(&old_wal, b"").unwrap();
        std::fs::set_permissions(&old_wal, std::fs::Permissions::from_mode(0o644)).unwrap();
        let conn = open_file(&old).unwrap();
        conn.execute("CREATE TABLE t (x)", []).unwrap();
        assert_eq!(mode(&old), 0o600);
        assert_eq!(mode(&old_wal), 0o600);
    }

    #[tokio::test]
    async fn values_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut ctx = ctx(dir.path(), &["default"]);
        let c = ctx.open("default".into()).await.unwrap();
        exec(
            &mut ctx,
            &c,
            "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)",
            vec![],
        )
        .await
        .unwrap();
        let row = vec![
            Value::Integer(-7),
            Value::Real(1.5),
            Value::Text("Thủ tục".into()),
            Value::Blob(vec![0, 1, 255]),
            Value::Null,
        ];
        let r = exec(
            &mut ctx,
            &c,
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
            row.clone(),
        )
        .await
        .unwrap();
        assert!(r.rows.is_empty());
        let r = exec(
            &mut ctx,
            &c,
            "SELECT i, r, s, b, n FROM t WHERE i = ?",
            vec![Value::Integer(-7)],
        )
        .await
        .unwrap();
        assert_eq!(r.columns, ["i", "r", "s", "b", "n"]);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(format!("{:?}", r.rows[0].values), format!("{row:?}"));
        ctx.drop(c).await.unwrap();
        assert!(
            dir.path().join("sqlite_db.db").exists(),
            "Spin's default file name"
        );
    }

    #[tokio::test]
    async fn access_rules_match_spin() {
        let dir = tempfile::tempdir().unwrap();
        let mut none = ctx(dir.path(), &[]);
        assert!(matches!(
            none.open("default".into()).await,
            Err(Error::AccessDenied)
        ));
        let mut other = ctx(dir.path(), &["other"]);
        assert!(matches!(
            other.open("other".into()).await,
            Err(Error::NoSuchDatabase)
        ));
        assert!(matches!(
            other.open("nope".into()).await,
            Err(Error::AccessDenied)
        ));
        let dbs = Databases::new(dir.path());
        assert!(dbs.ensure_defined("c", &["default".to_string()]).is_ok());
        assert!(
            dbs.ensure_defined("c", &["other".to_string()])
                .unwrap_err()
                .to_string()
                .contains("\"other\"")
        );
    }

    #[tokio::test]
    async fn errors_come_back_as_io_and_bad_handles_are_invalid() {
        let dir = tempfile::tempdir().unwrap();
        let mut ctx = ctx(dir.path(), &["default"]);
        let c = ctx.open("default".into()).await.unwrap();
        match exec(&mut ctx, &c, "SELEC nonsense", vec![]).await {
            Err(Error::Io(msg)) => assert!(msg.contains("syntax error"), "{msg}"),
            other => panic!("{other:?}"),
        }
        match exec(&mut ctx, &c, "SELECT ?", vec![]).await {
            Err(Error::Io(_)) => {}
            other => panic!("wrong parameter count should fail: {other:?}"),
        }
        let bogus = Resource::<Connection>::new_borrow(9999);
        assert!(matches!(
            ctx.execute(bogus, "SELECT 1".into(), vec![]).await,
            Err(Error::InvalidConnection)
        ));
    }

    #[tokio::test]
    async fn transactions_are_per_connection() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = ctx(dir.path(), &["default"]);
        let mut b = ctx(dir.path(), &["default"]);
        let ca = a.open("default".into()).await.unwrap();
        let cb = b.open("default".into()).await.unwrap();
        exec(&mut a, &ca, "CREATE TABLE n (v INTEGER)", vec![])
            .await
            .unwrap();
        exec(&mut a, &ca, "BEGIN", vec![]).await.unwrap();
        exec(&mut a, &ca, "INSERT INTO n VALUES (1)", vec![])
            .await
            .unwrap();
        // The other connection does not see the uncommitted row (WAL snapshot).
        let seen = exec(&mut b, &cb, "SELECT count(*) FROM n", vec![])
            .await
            .unwrap();
        assert!(matches!(seen.rows[0].values[0], Value::Integer(0)));
        exec(&mut a, &ca, "COMMIT", vec![]).await.unwrap();
        let seen = exec(&mut b, &cb, "SELECT count(*) FROM n", vec![])
            .await
            .unwrap();
        assert!(matches!(seen.rows[0].values[0], Value::Integer(1)));

        // A guest that drops its connection mid-transaction gets a rollback.
        exec(&mut a, &ca, "BEGIN", vec![]).await.unwrap();
        exec(&mut a, &ca, "INSERT INTO n VALUES (2)", vec![])
            .await
            .unwrap();
        a.drop(ca).await.unwrap();
        let seen = exec(&mut b, &cb, "SELECT count(*) FROM n", vec![])
            .await
            .unwrap();
        assert!(matches!(seen.rows[0].values[0], Value::Integer(1)));
        // ... and that connection is not handed to the next request: it
        // starts with no transaction of anyone else's.
        let idle = |c: &SpinCtx| {
            c.apis.databases.idle.lock().unwrap().values().map(Vec::len).sum::<usize>()
        };
        assert_eq!(idle(&a), 0);
        let again = a.open("default".into()).await.unwrap();
        exec(&mut a, &again, "BEGIN", vec![]).await.unwrap();
        exec(&mut a, &again, "ROLLBACK", vec![]).await.unwrap();
        // A connection closed cleanly is kept, and the next open takes it.
        a.drop(again).await.unwrap();
        assert_eq!(idle(&a), 1);
        let reused = a.open("default".into()).await.unwrap();
        assert_eq!(idle(&a), 0);
        let seen = exec(&mut a, &reused, "SELECT count(*) FROM n", vec![]).await.unwrap();
        assert!(matches!(seen.rows[0].values[0], Value::Integer(1)));
    }
}
