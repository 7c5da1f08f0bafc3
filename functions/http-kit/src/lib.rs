//! Helpers every Spin component of the portal shares, so each handler reads
//! like its route table.

pub mod clock;
pub mod csp;
pub mod db;
pub mod encoding;
pub mod failure;
pub mod operator;
pub mod origin;
pub mod pipeline;
pub mod throttle;

pub use failure::{Failure, Result};
pub use pipeline::{method_not_allowed, no_route, serve};

use motcua_shared::api_error::ApiError;
use serde::Serialize;
use spin_sdk::http::{Request, Response};

/// A JSON reply with the given status and cache policy.
pub fn json<T: Serialize>(status: u16, body: &T, cache_control: &str) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => Response::builder()
            .status(status)
            .header("content-type", "application/json; charset=utf-8")
            .header("cache-control", cache_control)
            .header("x-content-type-options", "nosniff")
            .body(bytes)
            .build(),
        Err(_) => error(ApiError::internal()),
    }
}

/// A successful answer gzipped when the client takes gzip and it is worth it
/// (the public data phones fetch in bulk for offline use). Caches keep one
/// copy per encoding (`Vary`).
pub fn compressed(req: &Request, mut resp: Response) -> Response {
    let accepts = req.header("accept-encoding").and_then(|v| v.as_str()).is_some_and(|v| encoding::accepts(v, "gzip"));
    if *resp.status() == 200 && resp.header("content-encoding").is_none() {
        resp.set_header("vary", "accept-encoding");
        if accepts && resp.body().len() >= encoding::MIN_COMPRESSED_LEN {
            let packed = encoding::gzip(resp.body());
            *resp.body_mut() = packed;
            resp.set_header("content-encoding", "gzip");
        }
    }
    resp
}

/// An error reply: `{"error": {"code", "message", "field"}}`, never cached.
pub fn error(err: ApiError) -> Response {
    let status = err.status();
    let allow = err.allowed_methods().map(str::to_owned);
    let mut builder = Response::builder();
    builder
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("cache-control", "no-store")
        .header("x-content-type-options", "nosniff");
    if let Some(allow) = allow {
        builder.header("allow", allow);
    }
    let body = serde_json::to_vec(&err.into_body()).unwrap_or_default();
    builder.body(body).build()
}

/// A citizen's paper or photo for an officer (`name` without its
/// extension): shown inline but never run. The type is the one sniffed at
/// upload, and the sandbox CSP stops a crafted PDF or image from acting as a
/// page of the portal; never cached, it is personal data.
pub fn sandboxed_file(media_type: motcua_shared::dossier::attachments::MediaType, name: &str, content: Vec<u8>) -> Response {
    Response::builder()
        .status(200)
        .header("content-type", media_type.mime())
        .header("content-disposition", format!("inline; filename=\"{name}.{}\"", media_type.as_str()))
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
        .body(content)
        .build()
}

/// The part of the path after the matched wildcard route, as Spin passes it.
pub fn path_info(req: &Request) -> String {
    req.header("spin-path-info").and_then(|v| v.as_str()).unwrap_or("").to_owned()
}

/// Decoded query-string pairs.
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(req.query().as_bytes()).into_owned().collect()
}

/// Percent-decodes one path segment; `None` when it is not UTF-8.
pub fn decode_segment(segment: &str) -> Option<String> {
    percent_encoding::percent_decode_str(segment).decode_utf8().ok().map(|s| s.into_owned())
}

/// Reads the request, with a 413 past `limit` bytes of body: the SDK's
/// `Request` would first buffer whatever a client sends, however large.
/// An oversized body is read on and dropped up to [`DRAIN_BYTES`], so the
/// client (a phone still sending a photo) gets the 413 rather than a broken
/// connection; beyond that the answer comes at once and the rest is refused.
pub async fn read_within(req: spin_sdk::http::IncomingRequest, limit: usize) -> std::result::Result<Request, Response> {
    use futures::StreamExt;
    let too_large = || error(ApiError::too_large(limit));
    let headers = req.headers().entries();
    let declared = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_BYTES as u64) {
        return Err(too_large());
    }
    let (method, uri) = (req.method(), req.uri());
    let mut body = Vec::new();
    let mut seen = 0usize;
    let mut stream = req.into_body_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| error(ApiError::invalid("body", "the body could not be read; send it again")))?;
        seen += chunk.len();
        if seen > DRAIN_BYTES {
            return Err(too_large());
        }
        if seen <= limit {
            body.extend_from_slice(&chunk);
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(Request::builder().method(method).uri(uri).headers(headers).body(body).build())
}

/// How much of an oversized body is read (and dropped) before answering 413.
pub const DRAIN_BYTES: usize = 16 * 1024 * 1024;

/// Parses a JSON body; a body that is not the expected JSON is a 400 naming `body`.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body)
        .map_err(|_| ApiError::invalid("body", "the body is not the JSON this route expects").into())
}

/// A JSON body where a session cookie grants the request (the desk): a
/// cross-site form cannot send `application/json` without a CORS preflight,
/// which this portal never grants, so this guards against CSRF alongside the
/// SameSite cookie. Anything else is a 400 naming `content-type`.
pub fn json_only_body<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T> {
    let is_json = req.header("content-type").and_then(|v| v.as_str()).is_some_and(|c| c.starts_with("application/json"));
    if !is_json {
        return Err(ApiError::invalid("content-type", "send application/json").into());
    }
    json_body(req.body())
}

/// A header's value as text ("" when absent or not UTF-8).
pub fn header<'a>(req: &'a Request, name: &str) -> &'a str {
    req.header(name).and_then(|v| v.as_str()).unwrap_or("")
}
