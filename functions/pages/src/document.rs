//! The HTML document around a server-rendered page: the app's own shell, as
//! trunk built it (its stylesheet, the inlined boot script and the app's
//! loader), with the page's language, text size and title, and the page in
//! place of the shell's "Loading…" line.

/// The marker the boot script and the app read: this page was drawn by the
/// server, in the language and size it names (`frontend/boot.js`, `mount`).
pub const SERVER_MARK: &str = "data-server";

pub struct Page<'a> {
    pub lang: &'a str,
    pub large: bool,
    /// The page's h1; the window title adds the portal's name.
    pub title: &'a str,
    pub app_name: &'a str,
    /// The rendered frame (header, main, footer).
    pub body: &'a str,
    /// Whether the app may take the page over (a GET), or not: the answer
    /// to a post, which the app could not draw again.
    pub takeover: bool,
}

/// `shell`: a built `index.html`. A shell without `<html …>`, `<title>` or
/// `<body>` (a broken build) gives a bare page that still works.
pub fn wrap(shell: &str, page: &Page) -> String {
    let class = if page.large { " class=large-text" } else { "" };
    // The app is named, not loaded: the boot script decides (frontend/boot.js).
    let (shell, app) = match app_loader(shell) {
        Some(loader) if page.takeover => (loader.shell, format!(" data-app={} data-app-wasm={}", loader.js, loader.wasm)),
        Some(loader) => (loader.shell, String::new()),
        None => (shell.to_owned(), String::new()),
    };
    let shell = shell.as_str();
    let html = format!("<html lang={}{class} {SERVER_MARK}{app}>", page.lang);
    let title = format!("<title>{} · {}</title>", escape(page.title), escape(page.app_name));
    let body = format!("<body><div id=server-page>{}</div></body>", page.body);
    let (Some(html_at), Some(title_at), Some(body_at)) = (tag(shell, "<html", ">"), tag(shell, "<title>", "</title>"), tag(shell, "<body", "</body>")) else {
        return format!("<!doctype html>{html}<meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">{title}{body}</html>");
    };
    let mut out = String::with_capacity(shell.len() + page.body.len() + 128);
    out.push_str(&shell[..html_at.0]);
    out.push_str(&html);
    out.push_str(&shell[html_at.1..title_at.0]);
    out.push_str(&title);
    out.push_str(&shell[title_at.1..body_at.0]);
    out.push_str(&body);
    out.push_str(&shell[body_at.1..]);
    out
}

/// Trunk's loader in a shell: the module script that starts the app and the
/// two preloads of its files.
struct Loader {
    /// The shell without them.
    shell: String,
    js: String,
    wasm: String,
}

fn app_loader(shell: &str) -> Option<Loader> {
    let (start, end) = tag(shell, "<script type=module>", "</script>")?;
    let script = &shell[start..end];
    let quoted = |after: &str| -> Option<String> {
        let rest = &script[script.find(after)? + after.len()..];
        let value = &rest[..rest.find('\'')?];
        // Only our own hashed files: nothing that could break out of the attribute.
        value.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)).then(|| value.to_owned())
    };
    let js = quoted("from '")?;
    let wasm = quoted("module_or_path: '")?;
    let mut out = format!("{}{}", &shell[..start], &shell[end..]);
    for marker in ["rel=modulepreload", "type=application/wasm"] {
        if let Some(at) = out.find(marker) {
            let open = out[..at].rfind("<link")?;
            let close = at + out[at..].find('>')? + 1;
            out.replace_range(open..close, "");
        }
    }
    Some(Loader { shell: out, js, wasm })
}

/// The byte range of the first `open…close` (both included).
fn tag(s: &str, open: &str, close: &str) -> Option<(usize, usize)> {
    let start = s.find(open)?;
    let end = start + s[start..].find(close)? + close.len();
    Some((start, end))
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As trunk writes it (minified), loader and preloads included.
    const SHELL: &str = "<!doctype html><html lang=vi><meta charset=utf-8><title>Một Cửa</title><script>boot()</script>\
        <link href=/style-0123456789abcdef.css rel=stylesheet><script type=module>import init, * as bindings from '/app-0123456789abcdef.js';\n\
        const wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });</script>\
        <link crossorigin href=/app-0123456789abcdef.js integrity=sha384-x rel=modulepreload>\
        <link as=fetch crossorigin href=/app-0123456789abcdef_bg.wasm integrity=sha384-y rel=preload type=application/wasm></head>\
        <body><p class=boot id=boot role=status>Đang tải…</p><noscript>needs JavaScript</noscript></body></html>";

    #[test]
    fn the_page_takes_the_shells_place_for_loading() {
        let page = Page { lang: "en", large: true, title: "Find a <procedure>", app_name: "One Stop", body: "<main id=main>x</main>", takeover: true };
        let html = wrap(SHELL, &page);
        assert!(
            html.starts_with("<!doctype html><html lang=en class=large-text data-server data-app=/app-0123456789abcdef.js data-app-wasm=/app-0123456789abcdef_bg.wasm><meta charset=utf-8>"),
            "{html}"
        );
        assert!(html.contains("<title>Find a &lt;procedure&gt; · One Stop</title>"), "{html}");
        // The stylesheet and the boot script stay; the app is named, not loaded (boot.js decides).
        assert!(html.contains("<script>boot()</script>") && html.contains("rel=stylesheet"), "{html}");
        assert!(!html.contains("type=module") && !html.contains("preload"), "{html}");
        assert!(html.contains("<body><div id=server-page><main id=main>x</main></div></body></html>"), "{html}");
        assert!(!html.contains("Đang tải") && !html.contains("needs JavaScript"), "{html}");
    }

    /// The shell scripts/build made: a change in trunk's loader fails here,
    /// not on a citizen's phone (run scripts/build first, as scripts/test does).
    #[test]
    fn the_built_shell_names_the_app() {
        let built = concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/dist/index.html");
        let shell = std::fs::read_to_string(built).expect("frontend/dist/index.html: run scripts/build first");
        let loader = app_loader(&shell).expect("trunk's loader in the built shell");
        assert!(loader.js.starts_with("/motcua-frontend-") && loader.js.ends_with(".js"), "{}", loader.js);
        assert!(loader.wasm.starts_with("/motcua-frontend-") && loader.wasm.ends_with("_bg.wasm"), "{}", loader.wasm);
        assert!(!loader.shell.contains("type=module") && !loader.shell.contains("modulepreload"), "{}", loader.shell);
    }

    #[test]
    fn a_page_can_go_without_the_app() {
        let page = Page { lang: "vi", large: false, title: "T", app_name: "A", body: "<p>x</p>", takeover: false };
        let html = wrap(SHELL, &page);
        assert!(!html.contains("data-app") && !html.contains("type=module") && !html.contains("preload"), "{html}");
        assert!(html.contains("<script>boot()</script>"), "{html}");
    }

    #[test]
    fn a_broken_shell_still_gives_a_page() {
        let page = Page { lang: "vi", large: false, title: "T", app_name: "A", body: "<p>x</p>", takeover: true };
        let html = wrap("not html", &page);
        assert!(html.contains("<html lang=vi data-server>") && html.contains("<div id=server-page><p>x</p></div>"), "{html}");
    }
}
