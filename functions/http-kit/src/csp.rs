//! The Content-Security-Policy of the portal's HTML pages, the app's shells
//! (static-files) and the server-rendered pages (pages) alike.

/// The pages' Content-Security-Policy. The app talks only to its own origin;
/// WASM needs 'wasm-unsafe-eval'; inline scripts run only if their hash is
/// listed (`script_hashes`, from the build), never 'unsafe-inline', so an
/// injected script does not run. Without hashes no inline script runs at all.
pub fn csp(script_hashes: &str) -> String {
    let hashes: Vec<&str> = script_hashes
        .split_whitespace()
        .filter(|h| h.starts_with("'sha256-") && h.ends_with('\'') && h[8..h.len() - 1].bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' {}'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        hashes.iter().map(|h| format!("{h} ")).collect::<String>()
    )
}
