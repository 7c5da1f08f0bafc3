//! The serving rules, as plain functions tested natively.

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file under the mount, relative path without a leading slash.
    File(String),
    /// A client-side route: answer with the shell of the app that owns it
    /// (`motcua_shared::app_paths`).
    App(&'static str),
    /// A path that can never name a file of ours (`..`, NUL, backslash).
    Invalid,
}

pub use http_kit::csp::csp;

/// Maps a decoded request path to a file or the app shell.
pub fn resolve(path: &str) -> Target {
    let trimmed = path.trim_start_matches('/');
    let shell = motcua_shared::app_paths::shell_for(&format!("/{trimmed}")).index();
    if trimmed.is_empty() || trimmed == "index.html" {
        return Target::App(shell);
    }
    if trimmed.split('/').any(|seg| seg == ".." || seg == ".")
        || trimmed.contains(['\0', '\\'])
        || trimmed.contains("//")
    {
        return Target::Invalid;
    }
    // Only names with an extension we serve are files: `/procedures/1.001193`
    // is a client route even though it has a dot.
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if last.contains('.') && content_type(last) != OCTET_STREAM { Target::File(trimmed.to_owned()) } else { Target::App(shell) }
}

const OCTET_STREAM: &str = "application/octet-stream";

pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "txt" => "text/plain; charset=utf-8",
        _ => OCTET_STREAM,
    }
}

/// Trunk names built assets `name-<hash>.ext` (wasm: `name-<hash>_bg.wasm`),
/// the hash a 64-bit number in hex without leading zeros (so usually 16
/// digits, 15 one time in 16, fewer rarely); such a name never changes
/// content, so browsers may keep it for a year.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| (12..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

pub fn cache_control(path: &str) -> &'static str {
    if is_hashed(path) { "public, max-age=31536000, immutable" } else { "no-cache" }
}

/// Encodings of a precompressed sibling the browser accepts, best first.
pub fn accepted_encodings(accept_encoding: &str) -> Vec<(&'static str, &'static str)> {
    let accepts = |name| http_kit::encoding::accepts(accept_encoding, name);
    let mut out = Vec::new();
    if accepts("br") {
        out.push(("br", ".br"));
    }
    if accepts("gzip") {
        out.push(("gzip", ".gz"));
    }
    out
}

/// A strong validator from the bytes served (FNV-1a, 64 bit): cheap, and enough
/// to tell versions of one file apart.
pub fn etag(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    format!("\"{hash:016x}\"")
}

/// Whether an `If-None-Match` header matches the entity tag.
pub fn not_modified(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|h| h.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.trim_start_matches("W/") == etag
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_run_only_by_their_hash() {
        let policy = csp("'sha256-0MfgRNIhDQGwu4Q57OvXHvluwA6iGMHdDVlOQV32lWc=' 'unsafe-inline' 'sha256-x;y'\n");
        assert!(policy.contains("script-src 'self' 'sha256-0MfgRNIhDQGwu4Q57OvXHvluwA6iGMHdDVlOQV32lWc=' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'") && !policy.contains("x;y"), "{policy}");
        assert!(csp("").contains("script-src 'self' 'wasm-unsafe-eval';"));
    }

    #[test]
    fn client_routes_fall_back_to_the_app() {
        assert_eq!(resolve("/"), Target::App("index.html"));
        assert_eq!(resolve("/procedures/1.001193"), Target::App("index.html"));
        assert_eq!(resolve("/procedures/abc"), Target::App("index.html"));
        assert_eq!(resolve("/search"), Target::App("index.html"));
        // The desk is its own app.
        assert_eq!(resolve("/desk"), Target::App("desk/index.html"));
        assert_eq!(resolve("/desk/dossiers/000.00.06.H56-260101-0001"), Target::App("desk/index.html"));
        assert_eq!(resolve("/desk/motcua-desk-0123456789abcdef.js"), Target::File("desk/motcua-desk-0123456789abcdef.js".into()));
        assert_eq!(resolve("/desktop"), Target::App("index.html"));
        // The dossier pages are the third app.
        assert_eq!(resolve("/procedures/1.001193/apply"), Target::App("dossier/index.html"));
        assert_eq!(resolve("/track"), Target::App("dossier/index.html"));
        assert_eq!(resolve("/receipt/000.00.06.H56-260101-0001"), Target::App("dossier/index.html"));
        assert_eq!(resolve("/app-0123456789abcdef.js"), Target::File("app-0123456789abcdef.js".into()));
    }

    #[test]
    fn traversal_is_refused() {
        assert_eq!(resolve("/../etc/passwd"), Target::Invalid);
        assert_eq!(resolve("/a/./b.js"), Target::Invalid);
        assert_eq!(resolve("/a\\b.js"), Target::Invalid);
    }

    #[test]
    fn hashed_names_are_immutable() {
        assert!(is_hashed("motcua-frontend-6b1c2e5f0a9d8c7b_bg.wasm"));
        assert!(is_hashed("style-0123456789abcdef.css"));
        // Trunk drops the hash's leading zeros: 15 digits one build in 16.
        assert!(is_hashed("motcua-frontend-404c05f2d65799f_bg.wasm"));
        assert!(!is_hashed("NotoSansKhmer-Regular.woff2"));
        assert!(!is_hashed("report-2026.csv"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("motcua-frontend.js"));
        assert_eq!(cache_control("index.html"), "no-cache");
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        assert_eq!(accepted_encodings("gzip, deflate, br"), vec![("br", ".br"), ("gzip", ".gz")]);
        assert_eq!(accepted_encodings("gzip"), vec![("gzip", ".gz")]);
        assert_eq!(accepted_encodings("br;q=0, gzip;q=0.5"), vec![("gzip", ".gz")]);
        assert!(accepted_encodings("identity").is_empty());
    }

    #[test]
    fn types_and_etags() {
        assert_eq!(content_type("a_bg.wasm"), "application/wasm");
        assert_eq!(content_type("x.JS"), "text/javascript; charset=utf-8");
        let tag = etag(b"hello");
        assert!(not_modified(Some(&tag), &tag));
        assert!(not_modified(Some(&format!("W/{tag}, \"x\"")), &tag));
        assert!(!not_modified(Some("\"other\""), &tag));
        assert!(!not_modified(None, &tag));
    }
}
