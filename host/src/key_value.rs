//! `fermyon:spin/key-value@2.0.0` persisted the way `spin up` does by default:
//! the "default" store lives in `<state-dir>/sqlite_key_value.db`, in Spin's
//! own table `spin_key_value(store, key, value)`, so a state dir can be
//! shared with the real Spin CLI. Other labels need a Spin runtime config,
//! which this host does not read, so they are refused at start-up.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Result, bail};
use rusqlite::OptionalExtension;
use wasmtime::component::Resource;

use crate::spin_apis::{MAX_OPEN_HANDLES, SpinCtx, key_value};

/// Backing storage for every store label (one shared SQLite connection, like
/// Spin: each operation is a single autocommit statement).
pub struct KeyValueStores {
    path: PathBuf,
    labels: HashSet<String>,
    /// Opened on first use so apps without key-value never create the file.
    conn: Mutex<Option<Arc<Mutex<rusqlite::Connection>>>>,
}

impl std::fmt::Debug for KeyValueStores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyValueStores")
            .field("path", &self.path)
            .finish()
    }
}

/// A guest's open store (the `store` resource).
pub struct Store {
    label: String,
    conn: Arc<Mutex<rusqlite::Connection>>,
}

impl KeyValueStores {
    pub fn new(state_dir: &Path) -> Self {
        Self {
            path: state_dir.join("sqlite_key_value.db"),
            labels: HashSet::from(["default".to_string()]),
            conn: Mutex::new(None),
        }
    }

    /// Fails (like Spin) when a component declares a store label with no backing store.
    pub fn ensure_defined<'a>(
        &self,
        component_id: &str,
        labels: impl IntoIterator<Item = &'a String>,
    ) -> Result<()> {
        for label in labels {
            if !self.labels.contains(label) {
                bail!(
                    "component {component_id:?} uses key-value store {label:?}, which is not defined: \
                     the local host (like `spin up` without a runtime config) only provides \"default\""
                );
            }
        }
        Ok(())
    }

    /// The shared connection, created (with Spin's schema) on first use. Blocking.
    fn connection(&self) -> rusqlite::Result<Arc<Mutex<rusqlite::Connection>>> {
        let mut slot = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(conn) = &*slot {
            return Ok(conn.clone());
        }
        let conn = crate::sqlite::open_file(&self.path)?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS spin_key_value (
                store TEXT NOT NULL,
                key   TEXT NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY (store, key)
            )",
            [],
        )?;
        let conn = Arc::new(Mutex::new(conn));
        *slot = Some(conn.clone());
        Ok(conn)
    }
}

/// Runs one blocking operation on the store's connection off the async threads.
async fn with_store<T: Send + 'static>(
    store: &Store,
    work: impl FnOnce(&rusqlite::Connection, &str) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, key_value::Error> {
    let conn = store.conn.clone();
    let label = store.label.clone();
    let result = tokio::task::spawn_blocking(move || {
        let conn = conn.lock().unwrap_or_else(|e| e.into_inner());
        work(&conn, &label)
    })
    .await;
    match result {
        Ok(r) => r.map_err(|e| key_value::Error::Other(e.to_string())),
        Err(e) => Err(key_value::Error::Other(format!("internal error: {e}"))),
    }
}

impl SpinCtx {
    fn store(&self, store: &Resource<Store>) -> Result<&Store, key_value::Error> {
        self.table
            .get(store)
            .map_err(|e| key_value::Error::Other(e.to_string()))
    }
}

impl key_value::Host for SpinCtx {}

impl key_value::HostStore for SpinCtx {
    async fn open(&mut self, label: String) -> Result<Resource<Store>, key_value::Error> {
        // Same order as Spin: permission first, then existence.
        if !self.apis.allowed_stores.contains(&label) {
            return Err(key_value::Error::AccessDenied);
        }
        if !self.apis.stores.labels.contains(&label) {
            return Err(key_value::Error::NoSuchStore);
        }
        if self.open_stores >= MAX_OPEN_HANDLES {
            return Err(key_value::Error::StoreTableFull);
        }
        let stores = self.apis.stores.clone();
        let conn = match tokio::task::spawn_blocking(move || stores.connection()).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => return Err(key_value::Error::Other(e.to_string())),
            Err(e) => return Err(key_value::Error::Other(format!("internal error: {e}"))),
        };
        let resource = self
            .table
            .push(Store { label, conn })
            .map_err(|e| key_value::Error::Other(e.to_string()))?;
        self.open_stores += 1;
        Ok(resource)
    }

    async fn get(
        &mut self,
        store: Resource<Store>,
        key: String,
    ) -> Result<Option<Vec<u8>>, key_value::Error> {
        with_store(self.store(&store)?, move |conn, label| {
            conn.prepare_cached("SELECT value FROM spin_key_value WHERE store = ?1 AND key = ?2")?
                .query_row((label, &key), |row| row.get::<_, Vec<u8>>(0))
                .optional()
        })
        .await
    }

    async fn set(
        &mut self,
        store: Resource<Store>,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), key_value::Error> {
        with_store(self.store(&store)?, move |conn, label| {
            conn.prepare_cached(
                "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT(store, key) DO UPDATE SET value = ?3",
            )?
            .execute((label, &key, &value))
            .map(drop)
        })
        .await
    }

    async fn delete(
        &mut self,
        store: Resource<Store>,
        key: String,
    ) -> Result<(), key_value::Error> {
        with_store(self.store(&store)?, move |conn, label| {
            conn.prepare_cached("DELETE FROM spin_key_value WHERE store = ?1 AND key = ?2")?
                .execute((label, &key))
                .map(drop)
        })
        .await
    }

    async fn exists(
        &mut self,
        store: Resource<Store>,
        key: String,
    ) -> Result<bool, key_value::Error> {
        with_store(self.store(&store)?, move |conn, label| {
            conn.prepare_cached(
                "SELECT 1 FROM spin_key_value WHERE store = ?1 AND key = ?2 LIMIT 1",
            )?
            .exists((label, &key))
        })
        .await
    }

    async fn get_keys(&mut self, store: Resource<Store>) -> Result<Vec<String>, key_value::Error> {
        with_store(self.store(&store)?, |conn, label| {
            conn.prepare_cached("SELECT key FROM spin_key_value WHERE store = ?1")?
                .query_map([label], |row| row.get::<_, String>(0))?
                .collect()
        })
        .await
    }

    async fn drop(&mut self, store: Resource<Store>) -> wasmtime::Result<()> {
        if self.table.delete(store).is_ok() {
            self.open_stores = self.open_stores.saturating_sub(1);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spin_apis::ComponentApis;
    use crate::spin_apis::key_value::{Error, HostStore as _};

    fn ctx(dir: &Path, allowed: &[&str]) -> SpinCtx {
        SpinCtx::new(Arc::new(ComponentApis {
            component_id: "c".into(),
            allowed_databases: Default::default(),
            allowed_stores: allowed.iter().map(|s| s.to_string()).collect(),
            variables: Default::default(),
            databases: Arc::new(crate::sqlite::Databases::new(dir)),
            stores: Arc::new(KeyValueStores::new(dir)),
        }))
    }

    fn borrow(s: &Resource<Store>) -> Resource<Store> {
        Resource::new_borrow(s.rep())
    }

    #[tokio::test]
    async fn crud_and_persistence() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut ctx = ctx(dir.path(), &["default"]);
            let s = ctx.open("default".into()).await.unwrap();
            assert_eq!(ctx.get(borrow(&s), "k".into()).await.unwrap(), None);
            assert!(!ctx.exists(borrow(&s), "k".into()).await.unwrap());
            ctx.set(borrow(&s), "k".into(), b"v1".to_vec())
                .await
                .unwrap();
            ctx.set(borrow(&s), "k".into(), b"v2".to_vec())
                .await
                .unwrap();
            ctx.set(borrow(&s), "other".into(), vec![]).await.unwrap();
            assert_eq!(
                ctx.get(borrow(&s), "k".into()).await.unwrap(),
                Some(b"v2".to_vec())
            );
            assert!(ctx.exists(borrow(&s), "k".into()).await.unwrap());
            let mut keys = ctx.get_keys(borrow(&s)).await.unwrap();
            keys.sort();
            assert_eq!(keys, ["k", "other"]);
            ctx.delete(borrow(&s), "other".into()).await.unwrap();
            ctx.delete(borrow(&s), "never-there".into()).await.unwrap();
            ctx.drop(s).await.unwrap();
        }
        // A fresh host (new backend) sees the data, in Spin's file and schema.
        let mut ctx = ctx(dir.path(), &["default"]);
        let s = ctx.open("default".into()).await.unwrap();
        assert_eq!(ctx.get_keys(borrow(&s)).await.unwrap(), ["k"]);
        let conn = rusqlite::Connection::open(dir.path().join("sqlite_key_value.db")).unwrap();
        let v: Vec<u8> = conn
            .query_row(
                "SELECT value FROM spin_key_value WHERE store = 'default' AND key = 'k'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(v, b"v2");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_key_value_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sqlite_key_value.db");
        let mut ctx = ctx(dir.path(), &["default"]);
        let s = ctx.open("default".into()).await.unwrap();
        ctx.set(borrow(&s), "session".into(), b"secret".to_vec())
            .await
            .unwrap();
        assert_eq!(mode(&file), 0o600, "created owner-only");
        ctx.drop(s).await.unwrap();

        // One an older host left readable by others is tightened on first use.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sqlite_key_value.db");
        std::fs::write(&file, b"").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut ctx = self::ctx(dir.path(), &["default"]);
        let s = ctx.open("default".into()).await.unwrap();
        assert_eq!(ctx.get(borrow(&s), "k".into()).await.unwrap(), None);
        assert_eq!(mode(&file), 0o600);
    }

    #[tokio::test]
    async fn access_rules_match_spin() {
        let dir = tempfile::tempdir().unwrap();
        let mut none = ctx(dir.path(), &[]);
        assert!(matches!(
            none.open("default".into()).await,
            Err(Error::AccessDenied)
        ));
        let mut other = ctx(dir.path(), &["cache"]);
        assert!(matches!(
            other.open("cache".into()).await,
            Err(Error::NoSuchStore)
        ));
        assert!(
            !dir.path().join("sqlite_key_value.db").exists(),
            "created only when used"
        );
        let stores = KeyValueStores::new(dir.path());
        assert!(stores.ensure_defined("c", &["default".to_string()]).is_ok());
        assert!(stores.ensure_defined("c", &["cache".to_string()]).is_err());
    }
}
