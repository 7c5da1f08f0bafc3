//! Wasmtime side: the engine, compiling and pre-instantiating each
//! component once, and running one fresh instance per request (as Spin does).

use std::collections::HashMap;
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use anyhow::{Context, Result, anyhow, bail};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use hyper::body::{Body, Bytes, Frame, SizeHint};
use tokio::task::AbortHandle;
use wasmtime::component::{Component as WasmComponent, Linker, ResourceTable};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, StoreLimits,
    StoreLimitsBuilder,
};
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{
    WasiHttpCtx, WasiHttpCtxView, WasiHttpView,
};

use crate::files::{self, Mounts};
use crate::outbound::{AllowedHosts, OutboundHttp};
use crate::key_value::KeyValueStores;
use crate::manifest::App;
use crate::spin_apis::{self, ComponentApis, SpinCtx};
use crate::sqlite::Databases;
use crate::variables;

/// Cap on each linear memory: ample headroom over the ~10 MB the project's
/// components use (a 2 MB file is buffered several times on its way out).
pub const MAX_MEMORY_BYTES: usize = 64 << 20;

/// Builds the engine: component model + pooling allocator, falling back to
/// on-demand allocation when the pool's virtual memory cannot be reserved
/// (e.g. under a `ulimit -v`). Async support is always on in wasmtime 48.
pub fn engine() -> Result<(Engine, &'static str)> {
    let config = |pooling: bool| {
        let mut config = Config::new();
        config.wasm_component_model(true);
        if pooling {
            let mut pool = PoolingAllocationConfig::new();
            // Concurrent requests, all components; the server admits fewer
            // (`--max-concurrent-requests`) so a full pool is never hit.
            pool.total_component_instances(crate::limits::POOL_INSTANCES as u32)
                .max_core_instances_per_component(32) // main module + wit-component shims
                .total_core_instances(1024)
                .max_memories_per_component(4)
                .total_memories(256)
                .max_tables_per_component(8)
                .total_tables(512)
                .total_stacks(crate::limits::POOL_INSTANCES as u32)
                .max_memory_size(MAX_MEMORY_BYTES);
            config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        config
    };
    match Engine::new(&config(true)) {
        Ok(engine) => Ok((engine, "pooling")),
        Err(e) => {
            eprintln!(
                "spin-local-host: pooling allocator unavailable ({e}); using on-demand allocation"
            );
            Ok((
                Engine::new(&config(false)).map_err(|e| anyhow!("{e}"))?,
                "on-demand",
            ))
        }
    }
}

/// A component ready to serve: compiled, linked, pre-instantiated.
pub struct LoadedComponent {
    pub id: String,
    pre: ProxyPre<RequestState>,
    mounts: Mounts,
    /// `allowed_outbound_hosts`, templates filled in.
    allowed_hosts: Arc<AllowedHosts>,
    environment: Vec<(String, String)>,
    apis: Arc<ComponentApis>,
}

/// Loads every component of `app`. Each .wasm file is compiled once, even
/// when several components use it with different configuration.
pub fn load_components(
    engine: &Engine,
    app: &App,
    state_dir: &Path,
    cache_dir: Option<&Path>,
    app_variables: &std::collections::BTreeMap<String, String>,
) -> Result<HashMap<String, Arc<LoadedComponent>>> {
    let mut linker = Linker::<RequestState>::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(|e| anyhow!("{e}"))?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)
        .map_err(|e| anyhow!("{e}"))?;
    spin_apis::add_to_linker(&mut linker, |s| &mut s.spin).map_err(|e| anyhow!("{e}"))?;

    let databases = Arc::new(Databases::new(state_dir));
    let stores = Arc::new(KeyValueStores::new(state_dir));
    let mut compiled: HashMap<PathBuf, WasmComponent> = HashMap::new();
    let mut loaded = HashMap::new();
    for c in &app.components {
        let context = || format!("component {:?} ({})", c.id, c.source.display());
        databases.ensure_defined(&c.id, &c.sqlite_databases)?;
        stores.ensure_defined(&c.id, &c.key_value_stores)?;
        let wasm = match compiled.get(&c.source) {
            Some(wasm) => wasm.clone(),
            None => {
                let wasm = compile_cached(engine, &c.source, cache_dir)
                    .with_context(|| format!("cannot compile {}", context()))?;
                compiled.insert(c.source.clone(), wasm.clone());
                wasm
            }
        };
        let instance_pre = linker.instantiate_pre(&wasm).map_err(|e| {
            anyhow!(
                "cannot load {}: {e}\n(the local host provides WASI 0.2, wasi:http and \
                 fermyon:spin/{{sqlite,key-value,variables}}@2.0.0 only)",
                context()
            )
        })?;
        let pre = ProxyPre::new(instance_pre).map_err(|e| {
            anyhow!(
                "cannot load {}: it does not export wasi:http/incoming-handler@0.2.x: {e}",
                context()
            )
        })?;
        let apis = ComponentApis {
            component_id: c.id.clone(),
            allowed_databases: c.sqlite_databases.iter().cloned().collect(),
            allowed_stores: c.key_value_stores.iter().cloned().collect(),
            variables: variables::resolve_component_variables(&c.variables, app_variables)
                .with_context(context)?,
            databases: databases.clone(),
            stores: stores.clone(),
        };
        let mounts =
            files::prepare(&c.files, &app.manifest_dir, state_dir).with_context(context)?;
        let allowed_hosts = c
            .allowed_outbound_hosts
            .iter()
            .map(|entry| variables::render_template(entry, app_variables))
            .collect::<Result<Vec<_>>>()
            .and_then(|entries| AllowedHosts::parse(&entries).map_err(|e| anyhow!(e)))
            .with_context(|| format!("`allowed_outbound_hosts` of {}", context()))?;
        loaded.insert(
            c.id.clone(),
            Arc::new(LoadedComponent {
                id: c.id.clone(),
                pre,
                mounts,
                allowed_hosts: Arc::new(allowed_hosts),
                environment: c
                    .environment
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                apis: Arc::new(apis),
            }),
        );
    }
    Ok(loaded)
}

/// Compiles a component, or loads what an earlier start compiled from the
/// same bytes with the same engine settings (as Spin keeps its wasmtime
/// cache): a restart, and every test journey starts one, then takes a
/// fraction of a second instead of compiling every component again.
fn compile_cached(engine: &Engine, source: &Path, cache_dir: Option<&Path>) -> Result<WasmComponent> {
    let bytes = std::fs::read(source).with_context(|| format!("cannot read {}", source.display()))?;
    let compile = || WasmComponent::new(engine, &bytes).map_err(|e| anyhow!("{e:#}"));
    let Some(dir) = cache_dir else {
        return compile();
    };
    let mut key = Sha256::new();
    key.update(&bytes);
    let mut settings = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut settings);
    key.update(settings.finish().to_le_bytes());
    key.update(env!("CARGO_PKG_VERSION"));
    let name: String = key.finalize().iter().take(20).map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("{name}.cwasm"));
    if path.is_file() {
        // SAFETY: the file is one this host wrote below from its own
        // compilation (named by the hash of the source bytes and the engine's
        // settings), in a folder of the user's own; wasmtime also checks
        // that it was made by a compatible engine before using it.
        match unsafe { WasmComponent::deserialize_file(engine, &path) } {
            Ok(component) => {
                // Marks it used, so pruning keeps it.
                let _ = std::fs::File::options()
                    .append(true)
                    .open(&path)
                    .and_then(|f| f.set_modified(std::time::SystemTime::now()));
                return Ok(component);
            }
            Err(e) => eprintln!("spin-local-host: ignoring cached {}: {e}", path.display()),
        }
    }
    let component = compile()?;
    // A cache that cannot be written only costs the next start its time.
    if let Ok(serialized) = component.serialize() {
        let partial = dir.join(format!("{name}.{}.partial", std::process::id()));
        if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&partial, serialized).is_ok() {
            let _ = std::fs::rename(&partial, &path); // atomic: readers see all or nothing
        }
        let _ = std::fs::remove_file(&partial);
    }
    Ok(component)
}

/// Removes compiled components no start has used for `days` days: each
/// build of a component leaves a new file.
pub fn prune_cache(cache_dir: &Path, days: u64) {
    let Ok(entries) = std::fs::read_dir(cache_dir) else { return };
    let horizon = std::time::Duration::from_secs(days * 24 * 3600);
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > horizon);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Everything one instance (one request) owns.
pub struct RequestState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: OutboundHttp,
    spin: SpinCtx,
    limits: StoreLimits,
}

impl WasiView for RequestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for RequestState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

impl LoadedComponent {
    fn new_state(&self) -> Result<RequestState> {
        // No args, no inherited env, no network; stdout/stderr go to the host's
        // so component logs show; `files` mounts are read-only.
        let mut wasi = WasiCtxBuilder::new();
        wasi.inherit_stdout()
            .inherit_stderr()
            .allow_tcp(false)
            .allow_udp(false);
        wasi.envs(&self.environment);
        for (host, guest) in &self.mounts.preopens {
            wasi.preopened_dir(host, guest, FsPerms::ReadOnly)
                .map_err(|e| anyhow!("cannot open {}: {e}", host.display()))?;
        }
        Ok(RequestState {
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: OutboundHttp { allowed: self.allowed_hosts.clone() },
            spin: SpinCtx::new(self.apis.clone()),
            limits: StoreLimitsBuilder::new()
                .memory_size(MAX_MEMORY_BYTES)
                .build(),
        })
    }

    /// Runs the request through a fresh instance. The response body keeps
    /// streaming from the guest after this returns.
    ///
    /// `slot` (the server's concurrency permit) is held until the instance
    /// is gone, and given up only after its store is dropped, so that the
    /// next request never finds the pool still full.
    pub async fn handle<B, S>(
        &self,
        req: hyper::Request<B>,
        slot: S,
    ) -> Result<hyper::Response<HyperOutgoingBody>>
    where
        B: Body<Data = Bytes, Error = wasmtime_wasi_http::Error> + Send + 'static,
        S: Send + 'static,
    {
        let mut store = Store::new(self.pre.engine(), self.new_state()?);
        store.limiter(|s| &mut s.limits);
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let req = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, req)
            .map_err(|e| anyhow!("{e}"))?;
        let out = store
            .data_mut()
            .http()
            .new_response_outparam(sender)
            .map_err(|e| anyhow!("{e}"))?;
        let pre = self.pre.clone();
        // The guest runs in its own task so it can keep writing the body
        // after the response head has been handed to hyper.
        // Tuple fields drop in order: the store (and its instance) first, then the slot.
        let held = (store, slot);
        let task = tokio::spawn(async move {
            let mut held = held;
            let proxy = pre.instantiate_async(&mut held.0).await?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut held.0, req, out)
                .await
        });

        match receiver.await {
            Ok(Ok(response)) => {
                let abort = task.abort_handle();
                let id = self.id.clone();
                tokio::spawn(async move {
                    match task.await {
                        Ok(Ok(())) => {}
                        Err(e) if e.is_cancelled() => {} // client went away
                        Ok(Err(e)) => eprintln!(
                            "component {id:?} failed after sending its response head: {e:?}"
                        ),
                        Err(e) => eprintln!(
                            "component {id:?} panicked after sending its response head: {e}"
                        ),
                    }
                });
                Ok(response.map(|body| AbortOnDrop { body, abort }.boxed_unsync()))
            }
            Ok(Err(code)) => bail!("component set an error response: {code:?}"),
            Err(_) => match task.await {
                Ok(Ok(())) => bail!("component returned without sending a response"),
                Ok(Err(e)) => Err(e.into()),
                Err(e) => Err(anyhow!("component task failed: {e}")),
            },
        }
    }
}

/// Stops the guest when hyper drops the body (finished, or client gone), as Spin does.
struct AbortOnDrop {
    body: HyperOutgoingBody,
    abort: AbortHandle,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.abort.abort();
    }
}

impl Body for AbortOnDrop {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Whether instantiation failed because the pooling allocator is full (a
/// slot is busy, not broken: the server answers 503, not 500).
pub fn is_pool_exhausted(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|cause| cause.is::<wasmtime::PoolConcurrencyLimitError>())
}

/// A complete host-generated response (404, 500, health).
pub fn text_response(status: u16, text: &'static str) -> hyper::Response<HyperOutgoingBody> {
    let body = http_body_util::Full::new(Bytes::from_static(text.as_bytes()))
        .map_err(|e: Infallible| match e {})
        .boxed_unsync();
    let mut response = hyper::Response::new(body);
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if !text.is_empty() {
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    response
}
