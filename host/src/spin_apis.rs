//! Host side of the Spin APIs (`fermyon:spin/{sqlite,key-value,variables}@2.0.0`)
//! generated from `host/wit`, plus the per-instance state they share.
//! The trait implementations live in `sqlite.rs`, `key_value.rs` and `variables.rs`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use wasmtime::component::{HasSelf, Linker, ResourceTable};

use crate::key_value::KeyValueStores;
use crate::sqlite::Databases;

wasmtime::component::bindgen!({
    path: "wit",
    world: "spin-apis",
    // Every call may touch SQLite, which blocks: run it on tokio's blocking pool.
    imports: { default: async },
    with: {
        "fermyon:spin/sqlite.connection": crate::sqlite::Connection,
        "fermyon:spin/key-value.store": crate::key_value::Store,
    },
});

pub use fermyon::spin::{key_value, sqlite, variables};

/// What one component may use, fixed at start-up and shared by its instances.
#[derive(Debug)]
pub struct ComponentApis {
    pub component_id: String,
    /// Labels from the component's `sqlite_databases`.
    pub allowed_databases: HashSet<String>,
    /// Labels from the component's `key_value_stores`.
    pub allowed_stores: HashSet<String>,
    /// The component's variables, already resolved.
    pub variables: BTreeMap<String, String>,
    pub databases: Arc<Databases>,
    pub stores: Arc<KeyValueStores>,
}

/// Per-instance state behind the Spin API imports.
pub struct SpinCtx {
    pub(crate) apis: Arc<ComponentApis>,
    /// Host resources (connections, stores) handed to the guest.
    pub(crate) table: ResourceTable,
    pub(crate) open_connections: usize,
    pub(crate) open_stores: usize,
}

/// Like Spin, cap the handles one instance can hold open.
pub(crate) const MAX_OPEN_HANDLES: usize = 256;

impl SpinCtx {
    pub fn new(apis: Arc<ComponentApis>) -> Self {
        Self {
            apis,
            table: ResourceTable::new(),
            open_connections: 0,
            open_stores: 0,
        }
    }
}

/// Adds the three Spin interfaces to `linker`, reading `SpinCtx` through `get`.
pub fn add_to_linker<T: Send + 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut SpinCtx,
) -> wasmtime::Result<()> {
    SpinApis::add_to_linker::<T, HasSelf<SpinCtx>>(linker, get)
}
