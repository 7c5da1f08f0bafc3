//! HTTP side of the static files component.

use crate::rules::{accepted_encodings, cache_control, content_type, etag, not_modified, resolve, Target};
use http_kit::{decode_segment, error, path_info};
use motcua_shared::api_error::ApiError;
use spin_sdk::http::{Method, Request, Response};
use spin_sdk::http_component;

/// Where spin.toml mounts the built app inside the component.
const ROOT: &str = "/";

/// The app talks only to its own origin; WASM needs 'wasm-unsafe-eval', and
/// trunk's loader is an inline module script.
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

#[http_component]
fn handle(req: Request) -> Response {
    let head = match req.method() {
        Method::Get => false,
        Method::Head => true,
        _ => return error(ApiError::method_not_allowed("GET, HEAD")),
    };
    let path = path_info(&req);
    let path = if path.is_empty() { req.path().to_owned() } else { path };
    let Some(decoded) = decode_segment(&path) else {
        return error(ApiError::not_found("no such file"));
    };
    let file = match resolve(&decoded) {
        Target::File(f) => f,
        Target::App(shell) => shell.to_owned(),
        Target::Invalid => return error(ApiError::not_found("no such file")),
    };
    let accept = req.header("accept-encoding").and_then(|v| v.as_str()).unwrap_or("");
    let Some((bytes, encoding)) = read_best(&file, accept) else {
        return error(ApiError::not_found("no such file"));
    };
    let tag = etag(&bytes);
    let mut builder = Response::builder();
    builder
        .header("content-type", content_type(&file))
        .header("cache-control", cache_control(&file))
        .header("etag", tag.as_str())
        .header("vary", "accept-encoding")
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("content-security-policy", CSP);
    if let Some(enc) = encoding {
        builder.header("content-encoding", enc);
    }
    let if_none_match = req.header("if-none-match").and_then(|v| v.as_str());
    if not_modified(if_none_match, &tag) {
        return builder.status(304).body(Vec::new()).build();
    }
    builder.status(200).body(if head { Vec::new() } else { bytes }).build()
}

/// The precompressed sibling the browser accepts, else the plain file.
fn read_best(file: &str, accept_encoding: &str) -> Option<(Vec<u8>, Option<&'static str>)> {
    let full = format!("{ROOT}{file}");
    for (name, suffix) in accepted_encodings(accept_encoding) {
        if let Ok(bytes) = std::fs::read(format!("{full}{suffix}")) {
            return Some((bytes, Some(name)));
        }
    }
    std::fs::read(&full).ok().map(|b| (b, None))
}
