//! The HTTP front: accepts connections, routes each request the Spin way,
//! adds Spin's `spin-*` request headers, runs the component, logs one line.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, CONTENT_TYPE, HOST, HeaderName, HeaderValue, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use crate::limits::{AddressCounts, Limits, TimedBody};
use crate::router::{RouteMatch, Router};
use crate::runtime::{LoadedComponent, is_pool_exhausted, text_response};

/// Spin answers these itself, before routing.
const WELL_KNOWN_PREFIX: &str = "/.well-known/spin/";

/// Seconds a client is asked to wait when every request slot is busy.
const BUSY_RETRY_AFTER: &str = "2";
/// Seconds a client is asked to wait when its address has too many connections open.
const CROWDED_RETRY_AFTER: &str = "5";
/// Head timeout on connections refused for their address (they get one answer).
const REFUSED_HEADER_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Server {
    router: Router,
    components: HashMap<String, Arc<LoadedComponent>>,
    limits: Limits,
    /// Requests running components (each holds an instance of the pool).
    slots: Arc<Semaphore>,
    connections: Arc<AddressCounts>,
}

impl Server {
    pub fn new(
        router: Router,
        components: HashMap<String, Arc<LoadedComponent>>,
        limits: Limits,
    ) -> Self {
        let slots = Arc::new(Semaphore::new(limits.max_concurrent_requests));
        Self {
            router,
            components,
            limits,
            slots,
            connections: Arc::default(),
        }
    }

    /// Serves until `shutdown` completes. Connections are HTTP/1.1 with keep-alive.
    pub async fn serve(self: Arc<Self>, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let (stream, client_addr) = tokio::select! {
                () = &mut shutdown => return,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // e.g. out of file descriptors: back off instead of spinning.
                        eprintln!("spin-local-host: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
            };
            let admitted = self
                .connections
                .admit(client_addr.ip().to_canonical(), &self.limits);
            let server = self.clone();
            tokio::spawn(async move {
                let mut builder = http1::Builder::new();
                builder.timer(TokioTimer::new());
                let io = TokioIo::new(stream);
                // Errors here are client-side (reset, malformed request, a
                // head that took too long): nothing to do.
                match admitted {
                    Some(counted) => {
                        // Hyper starts the head timer whenever the connection
                        // is idle, so it also closes idle keep-alive connections.
                        builder
                            .keep_alive(true)
                            .header_read_timeout(server.limits.header_timeout);
                        let address_slots = counted.requests();
                        let service = service_fn(move |req| {
                            let server = server.clone();
                            let address_slots = address_slots.clone();
                            async move {
                                Ok::<_, Infallible>(
                                    server.handle(req, client_addr, address_slots).await,
                                )
                            }
                        });
                        let _ = builder.serve_connection(io, service).await;
                        drop(counted);
                    }
                    None => {
                        // Too many open from this address: one 503, then closed.
                        let timeout = server
                            .limits
                            .header_timeout
                            .map_or(REFUSED_HEADER_TIMEOUT, |t| t.min(REFUSED_HEADER_TIMEOUT));
                        builder.keep_alive(false).header_read_timeout(timeout);
                        let service = service_fn(|req: Request<Incoming>| async move {
                            let response = crowded_response(req.uri().path());
                            eprintln!(
                                "{} (too many connections from one address) - {} 0ms",
                                req.method(),
                                response.status().as_u16()
                            );
                            Ok::<_, Infallible>(response)
                        });
                        let _ = builder.serve_connection(io, service).await;
                    }
                }
            });
        }
    }

    async fn handle(
        &self,
        req: Request<Incoming>,
        client_addr: SocketAddr,
        address_slots: Option<Arc<Semaphore>>,
    ) -> Response<HyperOutgoingBody> {
        let start = Instant::now();
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        // Only the route pattern is logged: paths and queries may carry
        // personal data (dossier codes, names).
        let (route, component, response) = if let Some(name) = path.strip_prefix(WELL_KNOWN_PREFIX)
        {
            let response = match name {
                "health" => text_response(200, "OK"),
                _ => text_response(404, "Not Found\n"),
            };
            (WELL_KNOWN_PREFIX.to_string() + "...", "-", response)
        } else {
            match self.router.route(&path) {
                None => (
                    "(no route)".to_string(),
                    "-",
                    error_response(&path, 404, "not_found", "no such route"),
                ),
                Some(m) => {
                    let response = self
                        .run_component(req, &m, client_addr, address_slots, &path)
                        .await;
                    (m.raw_route.to_string(), m.component_id, response)
                }
            }
        };
        eprintln!(
            "{method} {route} {component} {} {}ms",
            response.status().as_u16(),
            start.elapsed().as_millis()
        );
        response
    }

    async fn run_component(
        &self,
        req: Request<Incoming>,
        m: &RouteMatch<'_>,
        client_addr: SocketAddr,
        address_slots: Option<Arc<Semaphore>>,
        path: &str,
    ) -> Response<HyperOutgoingBody> {
        let Some(component) = self.components.get(m.component_id) else {
            eprintln!(
                "spin-local-host: route {:?} has no loaded component {:?}",
                m.raw_route, m.component_id
            );
            return internal_error(path);
        };
        // First the address's own share (its earlier requests), then one
        // of the slots everyone shares. Both are held while the instance lives.
        let address_slot = match address_slots {
            None => None,
            Some(slots) => {
                match tokio::time::timeout(self.limits.address_queue_timeout, slots.acquire_owned())
                    .await
                {
                    Ok(Ok(slot)) => Some(slot),
                    _ => return busy_response(path),
                }
            }
        };
        let slot = match tokio::time::timeout(
            self.limits.queue_timeout,
            self.slots.clone().acquire_owned(),
        )
        .await
        {
            Ok(Ok(slot)) => (slot, address_slot),
            // Every slot busy for the whole wait (or the semaphore closed).
            _ => return busy_response(path),
        };
        let timed_out = Arc::new(AtomicBool::new(false));
        let req = req.map(|body| TimedBody::new(body, &self.limits, timed_out.clone()));
        let req = match prepare_request(req, m, client_addr) {
            Ok(req) => req,
            Err(reason) => {
                let message = reason.trim_start_matches("Bad Request: ").trim_end();
                return error_response(path, 400, "invalid_parameter", message);
            }
        };
        let result = component.handle(req, slot).await;
        if timed_out.load(Ordering::Relaxed) {
            // Whatever the guest made of its failed read, the client was too
            // slow: say so, and close (the rest of the body is never read).
            // Dropping the guest's response stops the guest.
            return body_timeout_response(path);
        }
        match result {
            Ok(response) => response,
            Err(e) if is_pool_exhausted(&e) => {
                eprintln!("spin-local-host: instance pool full: {e:#}");
                busy_response(path)
            }
            Err(e) => {
                eprintln!("component {:?} failed: {e:#}", m.component_id);
                internal_error(path)
            }
        }
    }
}

/// A host-generated error: for `/api` paths, JSON in the portal's error
/// shape (`{"error":{"code":…,"message":…}}`), else plain text.
pub fn error_response(
    path: &str,
    status: u16,
    code: &str,
    message: &str,
) -> Response<HyperOutgoingBody> {
    let status =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let (body, content_type) = if path == "/api" || path.starts_with("/api/") {
        (
            serde_json::json!({ "error": { "code": code, "message": message } }).to_string(),
            "application/json",
        )
    } else {
        (
            format!(
                "{}: {message}\n",
                status.canonical_reason().unwrap_or("Error")
            ),
            "text/plain; charset=utf-8",
        )
    };
    let body = http_body_util::Full::new(Bytes::from(body))
        .map_err(|e: Infallible| match e {})
        .boxed_unsync();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Every request slot stayed busy for the whole queue wait (or the pool was full).
fn busy_response(path: &str) -> Response<HyperOutgoingBody> {
    let mut response = error_response(
        path,
        503,
        "service_unavailable",
        "the service is busy; try again in a moment",
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static(BUSY_RETRY_AFTER));
    response
}

/// The client's address already holds as many connections as it may.
fn crowded_response(path: &str) -> Response<HyperOutgoingBody> {
    let mut response = error_response(
        path,
        503,
        "service_unavailable",
        "too many connections from your address; try again in a moment",
    );
    let headers = response.headers_mut();
    headers.insert(RETRY_AFTER, HeaderValue::from_static(CROWDED_RETRY_AFTER));
    headers.insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The request body paused too long, or came too slowly.
fn body_timeout_response(path: &str) -> Response<HyperOutgoingBody> {
    let mut response = error_response(
        path,
        408,
        "request_timeout",
        "the request body arrived too slowly; send it again",
    );
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

fn internal_error(path: &str) -> Response<HyperOutgoingBody> {
    error_response(path, 500, "internal", "something went wrong on our side")
}

/// Makes the URI absolute (the guest reads scheme and authority from it) and
/// sets the `spin-*` headers Spin passes, replacing any the client sent.
pub fn prepare_request<B>(
    req: Request<B>,
    m: &RouteMatch<'_>,
    client_addr: SocketAddr,
) -> Result<Request<B>, &'static str> {
    let (mut parts, body) = req.into_parts();
    let spin_headers: Vec<HeaderName> = parts
        .headers
        .keys()
        .filter(|name| name.as_str().starts_with("spin-"))
        .cloned()
        .collect();
    for name in spin_headers {
        parts.headers.remove(&name);
    }

    let authority = match parts.headers.get(HOST) {
        Some(host) => host
            .to_str()
            .map_err(|_| "Bad Request: invalid Host header\n")?
            .to_string(),
        None => match parts.uri.authority() {
            Some(authority) => authority.to_string(),
            None => return Err("Bad Request: missing Host header\n"),
        },
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    parts.uri = Uri::builder()
        .scheme("http")
        .authority(authority.as_str())
        .path_and_query(path_and_query.as_str())
        .build()
        .map_err(|_| "Bad Request: invalid Host header\n")?;

    let mut set = |name: String, value: &str| {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            parts.headers.insert(name, value);
        }
    };
    set(
        "spin-full-url".into(),
        &format!("http://{authority}{path_and_query}"),
    );
    set("spin-path-info".into(), &m.path_info);
    set("spin-matched-route".into(), m.matched_route);
    set("spin-base-path".into(), "/");
    set("spin-raw-component-route".into(), m.raw_route);
    set("spin-component-route".into(), m.component_route);
    set("spin-client-addr".into(), &client_addr.to_string());
    for (name, value) in &m.params {
        // Spin derives it from SPIN_PATH_MATCH_<NAME>: `_` becomes `-`.
        set(
            format!(
                "spin-path-match-{}",
                name.to_ascii_lowercase().replace('_', "-")
            ),
            value,
        );
    }
    Ok(Request::from_parts(parts, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spin_headers_are_set_and_client_copies_dropped() {
        let router = Router::build([
            ("/api/procedures/...", "catalogue"),
            ("/u/:user_id", "user"),
        ])
        .unwrap();
        let client: SocketAddr = "127.0.0.1:5555".parse().unwrap();
        let req = Request::get("/api/procedures/1.001193?lang=vi")
            .header("host", "localhost:3000")
            .header("spin-path-info", "/forged")
            .header("spin-anything", "x")
            .header("accept", "application/json")
            .body(())
            .unwrap();
        let m = router.route("/api/procedures/1.001193").unwrap();
        let req = prepare_request(req, &m, client).unwrap();
        let h = |name: &str| {
            req.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        assert_eq!(
            req.uri().to_string(),
            "http://localhost:3000/api/procedures/1.001193?lang=vi"
        );
        assert_eq!(
            h("spin-full-url").unwrap(),
            "http://localhost:3000/api/procedures/1.001193?lang=vi"
        );
        assert_eq!(h("spin-path-info").unwrap(), "/1.001193");
        assert_eq!(h("spin-matched-route").unwrap(), "/api/procedures/...");
        assert_eq!(
            h("spin-raw-component-route").unwrap(),
            "/api/procedures/..."
        );
        assert_eq!(h("spin-component-route").unwrap(), "/api/procedures");
        assert_eq!(h("spin-base-path").unwrap(), "/");
        assert_eq!(h("spin-client-addr").unwrap(), "127.0.0.1:5555");
        assert_eq!(h("spin-anything"), None);
        assert_eq!(h("accept").unwrap(), "application/json");

        let req = Request::get("/u/42").header("host", "h").body(()).unwrap();
        let m = router.route("/u/42").unwrap();
        let req = prepare_request(req, &m, client).unwrap();
        assert_eq!(req.headers()["spin-path-match-user-id"], "42");
        assert_eq!(req.headers()["spin-path-info"], "");

        let req = Request::get("/u/42").body(()).unwrap();
        assert!(prepare_request(req, &m, client).is_err(), "no Host header");
    }
}
