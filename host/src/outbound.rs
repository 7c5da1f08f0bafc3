//! Outbound HTTP as Spin allows it: a component calls only the hosts its
//! `allowed_outbound_hosts` names (after `{{ variable }}` templates are
//! filled in at start-up); any other request fails with
//! `HTTP-request-denied`, as on Spin. Entries read like Spin's:
//! `<scheme>://<host>[:<port>]`, with `*` for any scheme, host or port, a
//! `*.` host prefix for subdomains and `a..b` port ranges; without a port,
//! the scheme's default (80, 443).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use wasmtime_wasi_http::{RequestOptions, WasiBody, WasiHttpHooks};

/// Spin's error text for a malformed entry, which operators may search for.
const FORMAT: &str = "Hosts must be in the form <scheme>://<host>[:<port>], with '*' wildcards allowed for each.";

/// The longest the local host waits on a gateway, whatever the guest asks:
/// an officer's request never hangs on a dead peer (Spin's defaults are 600 s).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const FIRST_BYTE_TIMEOUT: Duration = Duration::from_secs(30);
const BETWEEN_BYTES_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    Any,
    Exact(String),
    /// `*.example.gov.vn`, kept as `.example.gov.vn`: any subdomain (not
    /// the domain itself, as in Spin).
    Subdomain(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ports {
    Any,
    Range(u16, u16),
    /// No port written: the default of the scheme the request uses.
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    /// `None` is `*`.
    scheme: Option<String>,
    host: Host,
    ports: Ports,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts {
    rules: Vec<Rule>,
}

impl AllowedHosts {
    /// Parses rendered entries; an entry Spin would refuse stops the host.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        let rules = entries.iter().map(|e| parse_rule(e)).collect::<Result<_, _>>()?;
        Ok(Self { rules })
    }

    pub fn allows(&self, scheme: &str, host: &str, port: Option<u16>) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            _ => return false,
        };
        let port = port.unwrap_or(default_port);
        self.rules.iter().any(|r| {
            r.scheme.as_deref().is_none_or(|s| s == scheme)
                && match &r.host {
                    Host::Any => true,
                    Host::Exact(h) => *h == host,
                    Host::Subdomain(dot_domain) => host.len() > dot_domain.len() && host.ends_with(dot_domain.as_str()),
                }
                && match r.ports {
                    Ports::Any => true,
                    Ports::Range(lo, hi) => (lo..=hi).contains(&port),
                    Ports::Default => port == default_port,
                }
        })
    }
}

fn parse_rule(entry: &str) -> Result<Rule, String> {
    let bad = |why: &str| format!("{entry:?} is not an allowed outbound host format ({why}).\n{FORMAT}");
    let (scheme, rest) = entry.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let scheme = match scheme {
        "*" => None,
        "http" | "https" => Some(scheme.to_owned()),
        other => return Err(bad(&format!("scheme {other:?}: the local host speaks http and https"))),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@']) {
        return Err(bad("a host, not a URL with a path"));
    }
    let (host, ports) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') && !h.contains('[') || h.ends_with(']') => (h, Some(p)),
        _ => (rest, None),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    if host == "self" {
        return Err(bad("self requests are not supported by the local host"));
    }
    let host = if host == "*" {
        Host::Any
    } else if let Some(domain) = host.strip_prefix("*.") {
        Host::Subdomain(format!(".{domain}"))
    } else if !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':')) {
        Host::Exact(host)
    } else {
        return Err(bad("an empty or invalid host"));
    };
    let ports = match ports {
        None => Ports::Default,
        Some("*") => Ports::Any,
        Some(p) => {
            let port = |s: &str| s.parse::<u16>().map_err(|_| bad(&format!("port {s:?}")));
            match p.split_once("..") {
                Some((lo, hi)) => Ports::Range(port(lo)?, port(hi)?),
                None => {
                    let p = port(p)?;
                    Ports::Range(p, p)
                }
            }
        }
    };
    if scheme.is_none() && ports == Ports::Default {
        return Err(bad("any scheme needs a port (or '*')"));
    }
    Ok(Rule { scheme, host, ports })
}

/// The `wasi:http/outgoing-handler` of one component instance.
pub struct OutboundHttp {
    pub allowed: Arc<AllowedHosts>,
}

type Io = Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>;
type SendRequestFuture = Box<dyn Future<Output = wasmtime_wasi_http::Result<(hyper::Response<WasiBody>, Io)>> + Send>;

impl WasiHttpHooks for OutboundHttp {
    fn send_request(&mut self, request: hyper::Request<WasiBody>, options: Option<RequestOptions>, _fut: Io) -> SendRequestFuture {
        let uri = request.uri();
        let allowed = uri.host().is_some_and(|host| self.allowed.allows(uri.scheme_str().unwrap_or("https"), host, uri.port_u16()));
        if !allowed {
            return Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) });
        }
        let cap = |asked: Option<Duration>, most: Duration| Some(asked.map_or(most, |a| a.min(most)));
        let options = RequestOptions {
            connect_timeout: cap(options.and_then(|o| o.connect_timeout), CONNECT_TIMEOUT),
            first_byte_timeout: cap(options.and_then(|o| o.first_byte_timeout), FIRST_BYTE_TIMEOUT),
            between_bytes_timeout: cap(options.and_then(|o| o.between_bytes_timeout), BETWEEN_BYTES_TIMEOUT),
        };
        Box::new(async move {
            use http_body_util::BodyExt;
            let (response, io) = wasmtime_wasi_http::default_send_request(request, Some(options)).await?;
            Ok((response.map(BodyExt::boxed_unsync), Box::new(io) as Io))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(entries: &[&str]) -> AllowedHosts {
        AllowedHosts::parse(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn entries_read_as_spin_reads_them() {
        let a = allowed(&["https://sms.example.vn", "http://127.0.0.1:8025", "https://*.zalo.me", "http://localhost:*", "*://mail.example.vn:9000..9002"]);
        assert!(a.allows("https", "sms.example.vn", None));
        assert!(a.allows("https", "SMS.example.vn", Some(443)));
        assert!(!a.allows("https", "sms.example.vn", Some(8443)), "no port written: only the default");
        assert!(!a.allows("http", "sms.example.vn", None), "the scheme counts");
        assert!(a.allows("http", "127.0.0.1", Some(8025)));
        assert!(!a.allows("http", "127.0.0.1", Some(8026)));
        assert!(a.allows("https", "business.openapi.zalo.me", None));
        assert!(!a.allows("https", "zalo.me", None), "a subdomain wildcard is not the domain");
        assert!(!a.allows("https", "evilzalo.me", None));
        assert!(a.allows("http", "localhost", Some(1234)));
        assert!(a.allows("https", "mail.example.vn", Some(9001)));
        assert!(!a.allows("https", "mail.example.vn", Some(9003)));
        assert!(!a.allows("ftp", "sms.example.vn", None));
        assert!(!AllowedHosts::default().allows("https", "sms.example.vn", None), "nothing listed, nothing allowed");
        assert!(allowed(&["*://*:*"]).allows("http", "anything.example", Some(81)));
    }

    #[test]
    fn malformed_entries_stop_the_host_with_spin_s_words() {
        for bad in ["", "sms.example.vn", "https://", "https://sms.example.vn/send", "https://sms.example.vn:http", "gopher://x", "*://x", "https://self"] {
            let e = AllowedHosts::parse(&[bad.to_owned()]).unwrap_err();
            assert!(e.contains("is not an allowed outbound host format"), "{bad}: {e}");
        }
    }
}
