//! The HTTP front: accepts connections, routes each request the Spin way,
//! adds Spin's `spin-*` request headers, runs the component, logs one line.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::body::Incoming;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use crate::router::{RouteMatch, Router};
use crate::runtime::{LoadedComponent, text_response};

/// Spin answers these itself, before routing.
const WELL_KNOWN_PREFIX: &str = "/.well-known/spin/";

pub struct Server {
    router: Router,
    components: HashMap<String, Arc<LoadedComponent>>,
}

impl Server {
    pub fn new(router: Router, components: HashMap<String, Arc<LoadedComponent>>) -> Self {
        Self { router, components }
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
            let server = self.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let server = server.clone();
                    async move { Ok::<_, Infallible>(server.handle(req, client_addr).await) }
                });
                // Errors here are client-side (reset, malformed request): nothing to do.
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    async fn handle(
        &self,
        req: Request<Incoming>,
        client_addr: SocketAddr,
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
                    text_response(404, "Not Found\n"),
                ),
                Some(m) => {
                    let response = self.run_component(req, &m, client_addr).await;
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
    ) -> Response<HyperOutgoingBody> {
        let Some(component) = self.components.get(m.component_id) else {
            eprintln!(
                "spin-local-host: route {:?} has no loaded component {:?}",
                m.raw_route, m.component_id
            );
            return text_response(500, "Internal Server Error\n");
        };
        let req = match prepare_request(req, m, client_addr) {
            Ok(req) => req,
            Err(reason) => return text_response(400, reason),
        };
        match component.handle(req).await {
            Ok(response) => response,
            Err(e) => {
                eprintln!("component {:?} failed: {e:#}", m.component_id);
                text_response(500, "Internal Server Error\n")
            }
        }
    }
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
