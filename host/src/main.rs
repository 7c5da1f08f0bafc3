//! `spin-local-host`: runs the app described by a Spin manifest (`spin.toml`)
//! with wasmtime, for local development and end-to-end tests on machines
//! where the Spin CLI is not available. It runs the very same component
//! .wasm files and mirrors `spin up` for the features this project uses.

mod files; // `files` mounts → read-only WASI preopens
mod key_value; // fermyon:spin/key-value on .spin/sqlite_key_value.db
mod limits; // timeouts, per-address connection cap, concurrent-request cap
mod manifest; // spin.toml parsing and validation
mod outbound; // wasi:http/outgoing-handler within allowed_outbound_hosts
mod router; // Spin's route matching and path info
mod runtime; // wasmtime engine, component loading, one instance per request
mod server; // HTTP accept loop, spin-* headers, request log
mod spin_apis; // bindgen for the Spin WIT + per-instance state
mod sqlite; // fermyon:spin/sqlite on .spin/sqlite_db.db
mod tick; // --tick: post to a path of the app on an interval (a scheduler's job)
mod variables; // templates, SPIN_VARIABLE_* resolution, fermyon:spin/variables

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

const USAGE: &str = "\
Usage: spin-local-host [--manifest spin.toml] [--listen 127.0.0.1:3000] [--state-dir DIR] [--disable-cache] [LIMITS]

  --manifest PATH   Spin manifest to run (default: spin.toml)
  --listen ADDR     address to listen on (default: $SPIN_LOCAL_HOST_LISTEN or 127.0.0.1:3000;
                    port 0 picks a free port, printed in the `Serving` line)
  --state-dir DIR   where SQLite and key-value files live (default: .spin beside the manifest)
  --disable-cache   compile every component afresh instead of reusing what an earlier start
                    compiled ($XDG_CACHE_HOME/spin-local-host, else ~/.cache/spin-local-host)
  --tick SECS:PATH  post {} to PATH on this host every SECS, as a CronJob would beside Spin
                    (also $SPIN_LOCAL_HOST_TICK); `authorization: Bearer $SPIN_LOCAL_HOST_TICK_TOKEN`

Limits (each also read from SPIN_LOCAL_HOST_<FLAG>, e.g. SPIN_LOCAL_HOST_BODY_IDLE_TIMEOUT;
seconds may have decimals; 0 turns a timeout, the rate or the per-address cap off):
  --header-timeout SECS        request head must arrive within this; also closes idle
                               keep-alive connections (default 10)
  --body-idle-timeout SECS     longest pause inside a request body (default 15)
  --body-min-rate BYTES        after the grace period a body must average this many bytes/s
                               (default 256)
  --body-rate-grace SECS       (default 10)
  --max-connections-per-address N
                               connections one client address may hold open; more get a 503
                               and are closed (default 128)
  --max-requests-per-address N requests from one address running components at once: its
                               share of the slots below (default 50)
  --address-queue-timeout SECS wait for that share before answering 503 (default 10)
  --max-concurrent-requests N  requests running components at once, 1 to 128 (default 100)
  --queue-timeout SECS         wait for a free slot before answering 503 (default 1)

Application variables come from SPIN_VARIABLE_<NAME> environment variables, as with `spin up`.";

#[derive(Debug, PartialEq)]
struct Args {
    manifest: PathBuf,
    listen: String,
    state_dir: Option<PathBuf>,
    cache: bool,
    tick: Option<tick::Tick>,
    limits: limits::Limits,
}

impl Args {
    /// `Ok(None)` means `--help`.
    /// `env` looks up an environment variable.
    fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>> {
        let mut parsed = Args {
            manifest: PathBuf::from("spin.toml"),
            listen: env("SPIN_LOCAL_HOST_LISTEN").unwrap_or_else(|| "127.0.0.1:3000".into()),
            state_dir: None,
            cache: true,
            tick: env("SPIN_LOCAL_HOST_TICK")
                .filter(|v| !v.trim().is_empty())
                .map(|v| tick::Tick::parse(&v).map_err(|e| anyhow!("SPIN_LOCAL_HOST_TICK: {e}")))
                .transpose()?,
            limits: limits::Limits::default(),
        };
        for flag in limits::FLAGS {
            let name = limits::env_name(flag);
            if let Some(value) = env(&name).filter(|v| !v.trim().is_empty()) {
                parsed
                    .limits
                    .set(flag, &value)
                    .map_err(|e| anyhow!("{name}: {e}"))?;
            }
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_string(), Some(value.to_string()))
                }
                _ => (arg, None),
            };
            if flag == "-h" || flag == "--help" {
                return Ok(None);
            }
            if flag == "--disable-cache" && inline.is_none() {
                parsed.cache = false;
                continue;
            }
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| anyhow!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--manifest" | "-f" => parsed.manifest = PathBuf::from(value()?),
                "--listen" => parsed.listen = value()?,
                "--state-dir" => parsed.state_dir = Some(PathBuf::from(value()?)),
                "--tick" => parsed.tick = Some(tick::Tick::parse(&value()?).map_err(|e| anyhow!("--tick: {e}"))?),
                limit if limits::FLAGS.contains(&limit) => parsed.limits.set(limit, &value()?)?,
                other => bail!("unknown argument {other:?}"),
            }
        }
        Ok(Some(parsed))
    }
}

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("spin-local-host: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("spin-local-host: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(args));
    // Don't wait long for blocking SQLite calls of abandoned requests.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spin-local-host: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<()> {
    let app = manifest::load(&args.manifest)?;
    let state_dir = args
        .state_dir
        .unwrap_or_else(|| app.manifest_dir.join(".spin"));
    std::fs::create_dir_all(&state_dir)
        .with_context(|| format!("cannot create state dir {}", state_dir.display()))?;
    let app_variables =
        variables::resolve_app_variables(&app.variables, |name| std::env::var(name).ok())?;
    let router = router::Router::build(
        app.triggers
            .iter()
            .map(|t| (t.route.as_str(), t.component.as_str())),
    )?;

    // Bind before the (slow) compilation so a busy port fails fast.
    let addr: SocketAddr = args
        .listen
        .parse()
        .with_context(|| format!("invalid --listen address {:?}", args.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                anyhow!("cannot listen on {addr}: address already in use")
            }
            _ => anyhow!("cannot listen on {addr}: {e}"),
        })?;
    let local_addr = listener.local_addr()?;

    let (engine, allocator) = runtime::engine()?;
    let cache_dir = args.cache.then(cache_dir).flatten();
    let components = {
        let (app, state_dir) = (app.clone(), state_dir.clone());
        tokio::task::spawn_blocking(move || {
            let loaded = runtime::load_components(
                &engine,
                &app,
                &state_dir,
                cache_dir.as_deref(),
                &app_variables,
            );
            if let Some(dir) = &cache_dir {
                runtime::prune_cache(dir, 14);
            }
            loaded
        })
        .await
        .context("component loading panicked")??
    };
    let mut about = format!("{:?}", app.name);
    for part in [&app.version, &app.description]
        .into_iter()
        .filter(|p| !p.is_empty())
    {
        about = format!("{about} {part}");
    }
    eprintln!(
        "spin-local-host: app {about}: {} component(s), {allocator} allocator, state in {}",
        components.len(),
        state_dir.display()
    );

    let base_url = format!("http://{local_addr}");
    let mut out = std::io::stdout().lock();
    writeln!(out, "Serving {base_url}")?;
    writeln!(out, "Available Routes:")?;
    for (route, component) in router.routes() {
        writeln!(out, "  {component}: {base_url}{route}")?;
    }
    out.flush()?;
    drop(out);

    if let Some(tick) = args.tick {
        tokio::spawn(tick::run(tick, local_addr));
    }
    let server = Arc::new(server::Server::new(router, components, args.limits));
    server.serve(listener, shutdown_signal()).await;
    eprintln!("spin-local-host: shutting down");
    Ok(())
}

/// Where compiled components are kept between starts: the XDG cache folder.
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("spin-local-host"))
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], listen_env: Option<&str>) -> Result<Option<Args>> {
        Args::parse(args.iter().map(|s| s.to_string()), |name| {
            (name == "SPIN_LOCAL_HOST_LISTEN")
                .then_some(listen_env)
                .flatten()
                .map(String::from)
        })
    }

    #[test]
    fn cli_arguments() {
        let a = parse(&[], None).unwrap().unwrap();
        assert_eq!(
            a,
            Args {
                manifest: "spin.toml".into(),
                listen: "127.0.0.1:3000".into(),
                state_dir: None,
                cache: true,
                tick: None,
                limits: limits::Limits::default(),
            }
        );
        let a = parse(
            &[
                "--manifest",
                "x/spin.toml",
                "--listen=0.0.0.0:0",
                "--state-dir",
                "/tmp/s",
            ],
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(a.manifest, PathBuf::from("x/spin.toml"));
        assert_eq!(a.listen, "0.0.0.0:0");
        assert_eq!(a.state_dir, Some(PathBuf::from("/tmp/s")));
        assert_eq!(
            parse(&[], Some("127.0.0.1:9")).unwrap().unwrap().listen,
            "127.0.0.1:9"
        );
        assert_eq!(
            parse(&["--listen", "1.2.3.4:5"], Some("127.0.0.1:9"))
                .unwrap()
                .unwrap()
                .listen,
            "1.2.3.4:5"
        );
        assert!(!parse(&["--disable-cache"], None).unwrap().unwrap().cache);
        assert!(parse(&["--help"], None).unwrap().is_none());
        assert!(parse(&["--bogus"], None).is_err());
        assert!(parse(&["--listen"], None).is_err());
    }

    #[test]
    fn limits_come_from_flags_over_environment() {
        let env = |name: &str| match name {
            "SPIN_LOCAL_HOST_MAX_CONCURRENT_REQUESTS" => Some("8".to_string()),
            "SPIN_LOCAL_HOST_BODY_IDLE_TIMEOUT" => Some("3".to_string()),
            _ => None,
        };
        let args = |a: &[&str]| Args::parse(a.iter().map(|s| s.to_string()), env);
        let a = args(&[]).unwrap().unwrap();
        assert_eq!(a.limits.max_concurrent_requests, 8);
        assert_eq!(a.limits.body_idle_timeout, Some(Duration::from_secs(3)));
        assert_eq!(a.limits.max_connections_per_address, 128);
        let a = args(&["--max-concurrent-requests", "2", "--header-timeout=0"])
            .unwrap()
            .unwrap();
        assert_eq!(a.limits.max_concurrent_requests, 2);
        assert_eq!(a.limits.header_timeout, None);
        assert!(args(&["--max-concurrent-requests", "500"]).is_err());
        let bad_env =
            |name: &str| (name == "SPIN_LOCAL_HOST_QUEUE_TIMEOUT").then(|| "never".to_string());
        let err = Args::parse(Vec::<String>::new(), bad_env).unwrap_err();
        assert!(
            err.to_string().contains("SPIN_LOCAL_HOST_QUEUE_TIMEOUT"),
            "{err}"
        );
    }
}
