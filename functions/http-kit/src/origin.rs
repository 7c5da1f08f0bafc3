//! Where the portal lives, as the operator configured it, and the desk's
//! session cookie that depends on it.
//!
//! Links the portal prints (the receipt's tracking link and QR code) are made
//! from the `public_origin` variable, never from the request's `Host` header,
//! which any client sets: `Host: evil.example` must not put another site on a
//! citizen's paper. Behind a TLS-terminating ingress the request itself is
//! plain http, so the origin's scheme also decides whether the session cookie
//! is `Secure` (and `__Host-` prefixed).

use spin_sdk::http::Request;

/// The configured origin, e.g. `https://dichvucong.laocai.gov.vn` (no path).
/// Unset, a request to a loopback host (a developer's machine, the tests) uses
/// its own origin; any other request gets relative links.
pub fn public(req: &Request) -> String {
    let configured = spin_sdk::variables::get("public_origin").unwrap_or_default();
    choose(&configured, crate::header(req, "spin-full-url"))
}

/// [`public`] without Spin: the configured origin, or the request's when its host is loopback.
pub fn choose(configured: &str, full_url: &str) -> String {
    let configured = configured.trim().trim_end_matches('/');
    if valid(configured) {
        return configured.to_owned();
    }
    let Some((scheme, rest)) = full_url.split_once("://") else { return String::new() };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { authority });
    let loopback = host == "localhost" || host.starts_with("127.") || host == "[::1]";
    if loopback && matches!(scheme, "http" | "https") { format!("{scheme}://{authority}") } else { String::new() }
}

/// `http(s)://host[:port]` and nothing else.
fn valid(origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else { return false };
    matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && authority.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// Whether citizens and officers reach the portal over HTTPS.
pub fn is_https(req: &Request) -> bool {
    public(req).starts_with("https://")
}

/// The desk's session cookie. Over HTTPS it is `__Host-` prefixed (the
/// browser then insists on `Secure`, `Path=/` and no `Domain`, so no other
/// subdomain can plant or read it); over plain http (a developer's machine)
/// it is scoped to the API.
pub struct SessionCookie {
    https: bool,
}

impl SessionCookie {
    const NAME: &'static str = "motcua_desk";

    pub fn for_request(req: &Request) -> Self {
        SessionCookie { https: is_https(req) }
    }

    pub fn name(&self) -> String {
        if self.https { format!("__Host-{}", Self::NAME) } else { Self::NAME.to_owned() }
    }

    /// The session token the request carries, if any.
    pub fn token(&self, req: &Request) -> Option<String> {
        let name = self.name();
        let cookies = req.header("cookie")?.as_str()?;
        cookies.split(';').filter_map(|c| c.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_owned())
    }

    /// `Set-Cookie` for a session (`max_age` 0 ends it).
    pub fn set(&self, token: &str, max_age: i64) -> String {
        let scope = if self.https { "Path=/; Secure" } else { "Path=/api" };
        format!("{}={token}; {scope}; Max-Age={max_age}; HttpOnly; SameSite=Strict", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_use_the_configured_origin_whatever_host_the_client_sends() {
        assert_eq!(choose("https://dvc.laocai.gov.vn/", "http://evil.example/api/dossiers"), "https://dvc.laocai.gov.vn");
        assert_eq!(choose("", "http://evil.example/api/dossiers"), "", "unconfigured: relative links");
        assert_eq!(choose("", "http://localhost:3000/api/dossiers"), "http://localhost:3000");
        assert_eq!(choose("", "http://127.0.0.1:8080/api/dossiers"), "http://127.0.0.1:8080");
        assert_eq!(choose("javascript:alert(1)", "http://evil.example/"), "");
        assert_eq!(choose("https://a.vn/path", "http://evil.example/"), "", "an origin has no path");
    }

    #[test]
    fn the_session_cookie_is_host_prefixed_and_secure_over_https() {
        let c = SessionCookie { https: true };
        assert_eq!(c.set("t", 60), "__Host-motcua_desk=t; Path=/; Secure; Max-Age=60; HttpOnly; SameSite=Strict");
        let c = SessionCookie { https: false };
        assert_eq!(c.set("t", 0), "motcua_desk=t; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict");
    }
}
