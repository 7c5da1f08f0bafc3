//! HTTP side of the static files component.

use crate::rules::{accepted_encodings, cache_control, content_type, csp, etag, not_modified, resolve, Target};
use http_kit::{decode_segment, method_not_allowed, path_info, serve, Result};
use motcua_shared::api_error::ApiError;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;

/// Where spin.toml mounts the built app inside the component.
const ROOT: &str = "/";

/// The hashes of the pages' inline scripts (trunk's loader, boot.js), written
/// by scripts/csp-hashes.py at build time beside the pages.
const CSP_HASHES: &str = "/csp-hashes.txt";

/// The policy for `file`: only a page runs inline scripts, so only a page
/// reads their hashes (a wasm, script or font answer needs no file read).
fn page_csp(file: &str) -> String {
    let is_page = content_type(file).starts_with("text/html");
    csp(&if is_page { std::fs::read_to_string(CSP_HASHES).unwrap_or_default() } else { String::new() })
}

/// Pages and files take no body; a large one is refused before it is read.
const MAX_BODY: usize = 1024;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "static-files", |_| MAX_BODY, file).await
}

fn file(req: &Request) -> Result<Response> {
    let head = match req.method() {
        Method::Get => false,
        Method::Head => true,
        _ => return method_not_allowed("GET, HEAD"),
    };
    let no_file = || ApiError::not_found("no such file");
    let path = path_info(req);
    let path = if path.is_empty() { req.path().to_owned() } else { path };
    let decoded = decode_segment(&path).ok_or_else(no_file)?;
    let file = match resolve(&decoded) {
        Target::File(f) => f,
        Target::App(shell) => shell.to_owned(),
        Target::Invalid => return Err(no_file().into()),
    };
    let accept = http_kit::header(req, "accept-encoding");
    let (bytes, encoding) = read_best(&file, accept).ok_or_else(no_file)?;
    let tag = etag(&bytes);
    let mut builder = Response::builder();
    builder
        .header("content-type", content_type(&file))
        .header("cache-control", cache_control(&file))
        .header("etag", tag.as_str())
        .header("vary", "accept-encoding")
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("content-security-policy", page_csp(&file));
    if let Some(enc) = encoding {
        builder.header("content-encoding", enc);
    }
    let if_none_match = req.header("if-none-match").and_then(|v| v.as_str());
    if not_modified(if_none_match, &tag) {
        return Ok(builder.status(304).body(Vec::new()).build());
    }
    Ok(builder.status(200).body(if head { Vec::new() } else { bytes }).build())
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
