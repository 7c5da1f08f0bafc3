//! Browser journeys: Debian's headless Chromium, driven through chromedriver,
//! using the real app served by the real components on the local host.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use journeys::{free_port, repo_root, Portal};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// A command of Chromium's DevTools protocol, sent through chromedriver.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.0, "params": self.1 }).to_string()))
    }
}

/// chromedriver and a Chromium session; both end when dropped or closed.
struct Browser {
    driver: Child,
    client: Client,
    _profile: tempfile::TempDir,
    /// Whether the browser runs JavaScript (and so the app).
    scripts: bool,
}

impl Browser {
    /// Opens a page. With JavaScript on, the page the server drew is usable
    /// at once, and the app takes it over when it has started: the journeys
    /// go on from the app's page, as a citizen would a moment later.
    async fn goto(&self, url: &str) -> Result<(), fantoccini::error::CmdError> {
        self.client.goto(url).await?;
        self.app_started().await;
        Ok(())
    }

    async fn reload(&self) -> Result<(), fantoccini::error::CmdError> {
        self.client.refresh().await?;
        self.app_started().await;
        Ok(())
    }

    async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client.issue_cmd(Cdp(cmd, params)).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    async fn app_started(&self) {
        if self.scripts {
            self.until("the app to start", "document.readyState === 'complete' && !document.getElementById('server-page') && !document.getElementById('boot')").await;
        }
    }

    /// Signs in at the desk's sign-in page with the harness's password.
    async fn sign_in_at_desk(&self, portal: &Portal, username: &str) {
        self.goto(&portal.url("/desk")).await.unwrap();
        self.find("#username").await.send_keys(username).await.unwrap();
        self.find("#password").await.send_keys("mat-khau-rat-dai-123").await.unwrap();
        self.find("#sign-in").await.click().await.unwrap();
    }

    async fn start() -> Browser {
        Self::launch(json!({})).await
    }

    /// A browser that runs no JavaScript at all (as Opera Mini's server mode,
    /// a feature phone, or a phone whose owner turned it off).
    async fn start_without_javascript() -> Browser {
        Self::launch(json!({ "prefs": { "profile.managed_default_content_settings.javascript": 2 } })).await
    }

    /// With a microphone that plays a test tone (Chromium's fake capture
    /// device), granted without a prompt: for the translators' recorder.
    async fn start_with_microphone() -> Browser {
        Self::launch(json!({ "args": ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"] })).await
    }

    /// A small phone, 320 CSS pixels wide, with the browser's text size at 200%
    /// (its default font size doubled, as a reader with low vision sets it).
    async fn start_small_phone_with_large_text() -> Browser {
        Self::launch(json!({
            "mobileEmulation": { "deviceMetrics": { "width": 320, "height": 640, "pixelRatio": 2, "touch": false } },
            "prefs": { "webkit.webprefs.default_font_size": 32, "webkit.webprefs.default_fixed_font_size": 26 },
        }))
        .await
    }

    /// `options`: more `goog:chromeOptions` entries.
    async fn launch(options: Value) -> Browser {
        let disable_scripts = options.pointer("/prefs/profile.managed_default_content_settings.javascript") == Some(&json!(2));
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) is installed by scripts/setup");
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=412,915",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        if let (Some(Value::Object(chrome)), Value::Object(mut more)) = (caps.get_mut("goog:chromeOptions"), options) {
            // More arguments are added to the ones above, not put in their place.
            if let (Some(Value::Array(args)), Some(Value::Array(extra))) = (chrome.get_mut("args"), more.remove("args")) {
                args.extend(extra);
            }
            chrome.extend(more);
        }
        let client = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        let scripts = !disable_scripts;
        Browser { driver, client, _profile: profile, scripts }
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls a JS expression until it is truthy; on time-out saves a screenshot and fails.
    async fn until(&self, what: &str, expression: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.js(&format!("return ({expression});")).await;
            if !(value.is_null() || value == json!(false) || value == json!("") || value == json!(0)) {
                return value;
            }
            if Instant::now() > deadline {
                self.screenshot(what).await;
                let body = self.js("return document.body ? document.body.innerText : ''").await;
                panic!("timed out waiting for {what} ({expression}); the page says:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn find(&self, css: &str) -> Element {
        self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn screenshot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let dir = repo_root().join("tests/artifacts");
            let _ = std::fs::create_dir_all(&dir);
            let file: String = name.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
            let _ = std::fs::write(dir.join(format!("{file}.png")), png);
        }
    }

    async fn close(self) {
        let _ = self.client.clone().close().await;
        // The driver goes with `drop`.
    }
}

/// A failed test unwinds past `close`: still stop chromedriver (and with it Chromium).
impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

const DOCS_HEADING: &str = "(document.querySelector('#documents h2, #documents h3') || {}).textContent || ''";

#[tokio::test(flavor = "multi_thread")]
async fn citizen_searches_and_reads_a_procedure_in_three_languages() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/")).await.unwrap();

    // Search without diacritics, as many citizens type.
    let input = b.find("#search-q").await;
    input.send_keys("dang ky khai sinh").await.unwrap();
    b.find("#search-submit").await.click().await.unwrap();
    b.until("the query in the URL", "location.search.includes('q=dang')").await;
    b.until("results", "document.querySelectorAll('#results .procedure-card').length > 0").await;
    let first = b.js("return document.querySelector('#results .procedure-card').textContent").await;
    assert!(first.as_str().unwrap().contains("Đăng ký khai sinh"), "first result: {first}");
    b.until("a result count", "document.querySelector('#result-count').textContent.trim()").await;

    // Open the procedure and read what to bring.
    b.find("#results a.procedure-card[href$='/procedures/1.001193']").await.click().await.unwrap();
    b.until("the procedure heading", "document.querySelector('#procedure-name')?.textContent.includes('Đăng ký khai sinh')").await;
    let documents = b.until("documents", "document.querySelectorAll('#documents li').length").await;
    assert!(documents.as_u64().unwrap() >= 3, "{documents}");
    let text = b.js("return document.querySelector('#documents').textContent").await;
    assert!(text.as_str().unwrap().contains("Giấy chứng sinh"), "{text}");
    assert_eq!(b.js("return document.documentElement.lang").await, "vi");
    let heading_vi = b.until("the documents heading", DOCS_HEADING).await;
    b.screenshot("procedure-vi").await;

    // The same page in English, then in H'Mông: the interface changes, the record stays.
    b.find("#language-select").await.select_by_value("en").await.unwrap();
    b.until("English", "document.documentElement.lang === 'en'").await;
    let heading_en = b.until("the English heading", &format!("{DOCS_HEADING} !== {heading_vi}")).await;
    b.find("#language-select").await.select_by_value("hmn").await.unwrap();
    b.until("H'Mông", "document.documentElement.lang === 'hmn'").await;
    let heading_hmn = b.until("the H'Mông heading", &format!("{DOCS_HEADING} !== {heading_en}")).await;
    assert_ne!(heading_hmn, heading_vi);
    b.screenshot("procedure-hmn").await;

    // The choice is remembered on the device.
    b.reload().await.unwrap();
    b.until("H'Mông after reload", "document.documentElement.lang === 'hmn'").await;
    b.until("the record after reload", "document.querySelector('#procedure-name')?.textContent.includes('Đăng ký khai sinh')").await;

    // Search in H'Mông: the catalogue still answers unaccented Vietnamese words.
    b.goto(&portal.url("/?q=khai+sinh")).await.unwrap();
    b.until("results in H'Mông", "document.querySelectorAll('#results .procedure-card').length > 0").await;
    assert_eq!(b.js("return document.querySelector('#search-q').value").await, "khai sinh");

    // Large text, remembered too.
    let before = b.js("return parseFloat(getComputedStyle(document.documentElement).fontSize)").await.as_f64().unwrap();
    let toggle = b.find("#text-size-toggle").await;
    assert_eq!(toggle.attr("aria-pressed").await.unwrap().as_deref(), Some("false"));
    toggle.click().await.unwrap();
    b.until("large text", "document.querySelector('#text-size-toggle').getAttribute('aria-pressed') === 'true'").await;
    let after = b.js("return parseFloat(getComputedStyle(document.documentElement).fontSize)").await.as_f64().unwrap();
    assert!(after >= before * 1.2, "font size {before} -> {after}");
    b.reload().await.unwrap();
    b.until("large text after reload", "document.querySelector('#text-size-toggle')?.getAttribute('aria-pressed') === 'true'").await;
    b.screenshot("search-large-text-hmn").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_connection_shows_a_message_and_retry_works() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/")).await.unwrap();
    b.until("the whole catalogue", "document.querySelectorAll('#results .procedure-card').length > 0").await;

    // The portal goes away (as when the signal drops); the citizen searches.
    let (port, state) = portal.stop();
    let input = b.find("#search-q").await;
    input.send_keys("ket hon").await.unwrap();
    b.find("#search-submit").await.click().await.unwrap();
    // With no copy of the catalogue kept yet, it says so and points to the list, not a bare network error.
    let said = b.until("the message", "document.querySelector('#offline-no-copy')?.textContent.trim()").await;
    assert!(said.as_str().unwrap().contains("Không có mạng"), "{said}");
    b.find("#offline-browse").await;
    b.find("#retry").await;
    assert_eq!(b.js("return document.querySelector('#search-q').value").await, "ket hon", "the query typed was lost");
    b.screenshot("network-error").await;

    // It comes back; retry fetches without reloading the page.
    let portal = Portal::start_with(port, state);
    b.js("window.__same_page = true; return true").await;
    b.find("#retry").await.click().await.unwrap();
    b.until("results after retry", "document.querySelectorAll('#results .procedure-card').length > 0 && !document.querySelector('#offline-no-copy')").await;
    assert_eq!(b.js("return window.__same_page === true").await, true, "retry reloaded the page");
    let first = b.js("return document.querySelector('#results .procedure-card').textContent").await;
    assert!(first.as_str().unwrap().to_lowercase().contains("kết hôn"), "{first}");
    drop(portal);
    b.close().await;
}

fn fixture(name: &str) -> String {
    repo_root().join("tests/fixtures").join(name).display().to_string()
}

/// Picks the test photo in a file input and waits until it is the `n`th sent.
async fn add_photo(b: &Browser, input: &str, n: usize) {
    b.find(input).await.send_keys(&fixture("birth-notice.jpg")).await.unwrap();
    b.until(&format!("photo {n} sent"), &format!("document.querySelectorAll('.photo-list .photo').length === {n}")).await;
    // Resized on the phone: the thumbnail is a JPEG drawn by the page.
    let thumb = b.js("return document.querySelector('.photo-list .photo img')?.src.slice(0, 23)").await;
    assert_eq!(thumb, "data:image/jpeg;base64,");
}

/// Picks a province and a commune from the lists and types the rest of the address.
async fn pick_address(b: &Browser, province: &str, commune: &str, detail: &str) {
    let choose = |select: &str, value: &str| {
        format!("(() => {{ const s = document.querySelector('{select}'); if (![...s.options].some(o => o.value === '{value}')) return false; s.value = '{value}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()")
    };
    b.until("the province list", &choose("#answer", province)).await;
    b.until("the commune list", &choose("#answer-commune", commune)).await;
    let input = b.find("#answer-detail").await;
    input.clear().await.unwrap();
    input.send_keys(detail).await.unwrap();
}

/// The answer the test gives to the question on screen, chosen from what the page shows.
const ANSWER_KIND: &str = "(() => {
    if (document.querySelector('input[name=notify-channel]')) return 'notify';
    if (document.querySelector('input[type=file]#answer')) return 'file';
    if (document.querySelector('select#answer')) return 'address';
    if (document.querySelector('input[type=radio][name=answer]')) return 'choice';
    const a = document.querySelector('#answer');
    const label = document.querySelector('#question').textContent;
    if (a.type === 'date') return 'date';
    if (a.type === 'tel') return 'phone';
    if (a.inputMode === 'numeric') return 'citizen_id';
    if (label.includes('Nơi')) return 'text';
    return 'name';
})()";

#[tokio::test(flavor = "multi_thread")]
async fn citizen_applies_online_gets_a_receipt_and_tracks_it() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/procedures/1.001193")).await.unwrap();
    b.find("#apply").await.click().await.unwrap();
    b.until("the apply page", "location.pathname === '/procedures/1.001193/apply'").await;
    // The server's first question comes first; the dossier app then takes it over.
    b.app_started().await;
    let progress = b.until("step 1", "document.querySelector('#form-progress')?.textContent.includes('Bước 1 /') && document.querySelector('#form-progress').textContent").await;
    let total: usize = progress.as_str().unwrap().rsplit('/').next().unwrap().trim().parse().unwrap();
    assert!(total >= 9, "{progress}");

    // Continue without an answer: refused at the field, with the focus on it.
    b.find("#form-continue").await.click().await.unwrap();
    let error = b.until("the field error", "document.querySelector('#answer-error')?.textContent").await;
    assert!(error.as_str().unwrap().contains("Họ và tên"), "the error names the question: {error}");
    b.until("focus on the answer", "document.activeElement?.id === 'answer'").await;
    assert!(b.js("return document.querySelector('#answer').getAttribute('aria-describedby')").await.as_str().unwrap().contains("answer-error"));
    assert_eq!(b.js("return document.querySelector('#form-progress').textContent").await, progress, "a refused step moved on");

    for step in 1..=total {
        b.until(&format!("step {step}"), &format!("document.querySelector('#form-progress')?.textContent.includes('Bước {step} /')")).await;
        if step == 4 {
            // A reload mid-way resumes at the same step with the answers kept.
            b.reload().await.unwrap();
            b.until("step 4 after reload", "document.querySelector('#form-progress')?.textContent.includes('Bước 4 /')").await;
            b.find("#form-back").await.click().await.unwrap();
            b.until("step 3", "document.querySelector('#form-progress')?.textContent.includes('Bước 3 /')").await;
            assert_eq!(b.js("return document.querySelector('#answer').value").await, "0912345678");
            b.find("#form-continue").await.click().await.unwrap();
            b.until("step 4 again", "document.querySelector('#form-progress')?.textContent.includes('Bước 4 /')").await;
        }
        let kind = b.js(&format!("return {ANSWER_KIND}")).await;
        match kind.as_str().unwrap() {
            "notify" => {
                // Asked once, after the procedure's questions: no choice is refused at the field.
                b.find("#form-continue").await.click().await.unwrap();
                let error = b.until("the choice's error", "document.querySelector('#answer-error')?.textContent").await;
                assert!(error.as_str().unwrap().contains("báo tin"), "{error}");
                // SMS, to the phone the form already asked for.
                b.find("input[name=notify-channel][value=sms]").await.click().await.unwrap();
                b.until("the phone offered", "document.querySelector('#notify-phone')?.value === '0912345678'").await;
                b.screenshot("form-notify").await;
            }
            "file" => {
                // Something that is not a photo is refused on the phone, by its content.
                b.find("#answer").await.send_keys(&fixture("not-a-photo.txt")).await.unwrap();
                b.until("the photo error", "document.querySelector('#photo-error')?.textContent").await;
                add_photo(&b, "#answer", 1).await;
                b.screenshot("form-photo").await;
            }
            "address" => pick_address(&b, "Lào Cai", "Xã Mù Cang Chải", "Trạm y tế xã").await,
            "choice" => b.find("input[type=radio][name=answer]").await.click().await.unwrap(),
            "date" => {
                b.js("const a = document.querySelector('#answer'); a.value = '2020-01-15'; a.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
            }
            kind => {
                let text = match kind {
                    "phone" => "0912345678",
                    "citizen_id" => "079203001234",
                    "text" => "Trạm y tế xã",
                    _ => "Nguyễn Thị Mai",
                };
                let input = b.find("#answer").await;
                input.clear().await.unwrap();
                input.send_keys(text).await.unwrap();
            }
        }
        b.find("#form-continue").await.click().await.unwrap();
    }

    // Check the answers; change one and come back.
    let check = b.until("the check page", "document.querySelector('#check-answers')?.textContent").await;
    for expected in ["Nguyễn Thị Mai", "079203001234", "0912345678", "15/01/2020", "Trạm y tế xã, Xã Mù Cang Chải, Lào Cai", "1 ảnh", "Tin nhắn SMS — 0912345678"] {
        assert!(check.as_str().unwrap().contains(expected), "{expected} missing from: {check}");
    }
    b.screenshot("form-check-answers").await;
    b.find(".change-answer").await.click().await.unwrap();
    b.until("step 1 to change", "document.querySelector('#form-progress')?.textContent.includes('Bước 1 /')").await;
    assert_eq!(b.js("return document.querySelector('#answer').value").await, "Nguyễn Thị Mai");
    b.find("#form-continue").await.click().await.unwrap();
    b.until("back on the check page", "document.querySelector('#check-answers')").await;

    // The connection drops as the citizen submits: the dossier waits in the
    // device's outbox, and the receipt page says so plainly.
    until_offline_ready(&b).await;
    let key = b.js("return JSON.parse(localStorage.getItem('motcua.draft.1.001193')).key").await;
    let key = key.as_str().unwrap().to_owned();
    let (port, state) = portal.stop();
    b.find("#form-submit").await.click().await.unwrap();
    b.until("the queued receipt", "document.querySelector('#receipt-status')?.dataset.state === 'queued'").await;
    assert_eq!(b.js("return location.pathname").await, format!("/receipt/{key}"));
    assert!(b.js("return document.querySelector('#receipt-title').textContent").await.as_str().unwrap().contains("chờ gửi"));
    b.screenshot("form-send-queued").await;

    // One tap, one try: the send that queued it (the next waits for the back-off).
    let tries = b.until("the tries so far", "+document.querySelector('#receipt-tries')?.textContent.trim()").await;
    assert_eq!(tries, json!(1), "one tap of Send is one try");
    // Still no signal: "Try to send now" tries once more, and says so.
    b.find("#outbox-send-now").await.click().await.unwrap();
    b.until("the second try", "+document.querySelector('#receipt-tries')?.textContent.trim() === 2").await;
    assert_eq!(b.js("return document.querySelector('#receipt-status').dataset.state").await, "queued");

    // Back online: sent by itself (the same idempotency key), the real receipt
    // replaces the queued page, and the draft is gone.
    let portal = Portal::start_with(port, state);
    let code = b.until("the receipt code", "document.querySelector('#receipt-status')?.dataset.state === 'received' && document.querySelector('#receipt-code')?.textContent.trim()").await;
    let code = code.as_str().unwrap().to_owned();
    assert_eq!(b.js("return location.pathname").await, format!("/receipt/{code}"));
    let secret = b.until("the secret", "document.querySelector('#receipt-secret')?.textContent.trim()").await;
    assert_eq!(b.js("return localStorage.getItem('motcua.draft.1.001193')").await, Value::Null);
    assert!(b.js("return localStorage.getItem('motcua.receipts')").await.as_str().unwrap().contains(&code));
    // The QR code is drawn and carries nothing but the tracking link.
    b.until("the QR code", "document.querySelector('#receipt-qr svg')").await;
    b.js("document.querySelector('#receipt-qr').scrollIntoView(); return true").await;
    b.screenshot("receipt").await;

    // Track it from the receipt: the secret rides in the fragment.
    b.find("#receipt-track").await.click().await.unwrap();
    b.until("the timeline", "document.querySelector('#timeline li[data-status=submitted]')").await;
    assert_eq!(b.js("return document.querySelector('#track-status').dataset.status").await, "submitted");
    let timeline = b.js("return document.querySelector('#timeline').textContent").await;
    assert!(timeline.as_str().unwrap().contains("Đã nộp"), "{timeline}");
    b.screenshot("tracking").await;

    // The tracking form: a wrong secret is told plainly, the right one works.
    b.find("#track-link").await.click().await.unwrap();
    b.until("the empty tracking form", "location.pathname === '/track' && document.querySelector('#track-code')?.value === ''").await;
    b.find("#track-code").await.send_keys(&code).await.unwrap();
    b.find("#track-secret").await.send_keys("not-the-secret").await.unwrap();
    b.find("#track-submit").await.click().await.unwrap();
    b.until("the not-found message", "document.querySelector('#track-error')?.textContent").await;
    let field = b.find("#track-secret").await;
    field.clear().await.unwrap();
    field.send_keys(secret.as_str().unwrap()).await.unwrap();
    b.find("#track-submit").await.click().await.unwrap();
    b.until("the timeline from the form", "document.querySelector('#timeline li[data-status=submitted]')").await;

    // How the citizen is told, masked, and a button that stops it.
    let told = b.until("how the citizen is told", "document.querySelector('#messages-to')?.textContent").await;
    assert!(told.as_str().unwrap().contains("+84912***678"), "{told}");
    b.find("#messages-stop").await.click().await.unwrap();
    b.until("stopped, said where the button was", "document.activeElement?.id === 'messages-stopped'").await;
    let told = b.js("return document.querySelector('#messages-to').textContent").await;
    assert!(told.as_str().unwrap().contains("không nhận tin"), "{told}");
    assert!(b.js("return document.querySelector('#messages-stop')").await.is_null());
    drop(portal);
    b.close().await;
}

/// The step on screen and the number of steps, from "Bước 2 / 9" in any language.
const STEP: &str = "(() => { const m = (document.querySelector('#form-progress')?.textContent || '').match(/(\\d+)\\D+(\\d+)/); return m ? [+m[1], +m[2]] : null; })()";

/// Waits until a service worker runs the page and has kept the app, the
/// catalogue and the forms on the device.
async fn until_offline_ready(b: &Browser) {
    let deadline = Instant::now() + WAIT;
    loop {
        let state = b
            .js("navigator.serviceWorker.getRegistration().then(r => { window.__sw = JSON.stringify({controller: !!navigator.serviceWorker.controller, installing: !!r?.installing, waiting: !!r?.waiting, active: r?.active?.state}); });
                 fetch('/sw/ready').then(r => r.json()).then(j => { window.__swReady = j.ready; }, () => {});
                 return [!!navigator.serviceWorker.controller && window.__swReady === true, window.__sw || ''];")
            .await;
        if state[0] == json!(true) {
            return;
        }
        // A page that was loading while the worker started may stay outside it
        // (as on a real phone until its next page): open the page again.
        if state[1].as_str().is_some_and(|s| s.contains("\"controller\":false") && s.contains("activated")) {
            let url = b.js("return location.href").await;
            b.goto(url.as_str().unwrap()).await.unwrap();
        }
        if Instant::now() > deadline {
            b.screenshot("service-worker-not-ready").await;
            panic!("the service worker did not get ready for offline use: {}", state[1]);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Fills every step of the form on screen with valid answers and a photo, up
/// to the check page (in whatever language the page shows).
async fn fill_whole_form(b: &Browser) {
    let first = b.until("step 1", &format!("{STEP}?.[0] === 1 && {STEP}")).await;
    let total = first[1].as_u64().unwrap() as usize;
    for step in 1..=total {
        b.until(&format!("step {step}"), &format!("{STEP}?.[0] === {step}")).await;
        let kind = b.js(&format!("return {ANSWER_KIND}")).await;
        match kind.as_str().unwrap() {
            "notify" => b.find("input[name=notify-channel][value=none]").await.click().await.unwrap(),
            "file" => add_photo(b, "#answer", 1).await,
            "address" => pick_address(&b, "Lào Cai", "Xã Mù Cang Chải", "Trạm y tế xã").await,
            "choice" => b.find("input[type=radio][name=answer]").await.click().await.unwrap(),
            "date" => {
                b.js("const a = document.querySelector('#answer'); a.value = '2021-06-01'; a.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
            }
            kind => {
                let text = match kind {
                    "phone" => "0987000111",
                    "citizen_id" => "014098000321",
                    "text" => "Bản Phiêng",
                    _ => "Lò Văn Pấu",
                };
                let input = b.find("#answer").await;
                input.clear().await.unwrap();
                input.send_keys(text).await.unwrap();
            }
        }
        // On a kiosk the on-screen keypad's own Enter goes on (it covers the page's button).
        if b.js("return !!document.querySelector('#keypad')").await == json!(true) {
            b.find("#keypad .enter").await.click().await.unwrap();
        } else {
            b.find("#form-continue").await.click().await.unwrap();
        }
    }
    b.until("the check page", "document.querySelector('#check-answers')").await;
}

/// Chooses an action on the desk's dossier page and applies it; returns the status shown after.
async fn act(b: &Browser, action: &str, reason: Option<&str>) -> String {
    b.find(&format!("#action-{action}")).await.click().await.unwrap();
    if let Some(reason) = reason {
        b.find("#action-reason").await.send_keys(reason).await.unwrap();
    }
    let rows = b.js("return document.querySelectorAll('#dossier-history tbody tr').length").await;
    b.find("#action-apply").await.click().await.unwrap();
    // Recorded: one more line in the history, and the notice says so.
    b.until(&format!("{action} recorded"), &format!("document.querySelectorAll('#dossier-history tbody tr').length > {rows}")).await;
    b.until(&format!("{action} notice"), "document.querySelector('#action-done')?.textContent").await;
    b.js("return document.querySelector('#dossier-status').textContent").await.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_works_a_dossier_while_the_citizen_sends_papers() {
    let portal = Portal::start();
    let form = portal.get("/api/forms/1.001193").json();
    let agency = form["agency_id"].as_str().unwrap().to_owned();
    let created = portal.create_officer("lan.nguyen", "Nguyễn Thị Lan", &agency, "officer");
    assert_eq!(created.status, 201, "{}", created.text());
    // A citizen's dossier, sent online with a photo.
    let answers = journeys::valid_answers(&form, "Hoàng Thị Lan");
    let photo = portal.upload(&journeys::paper_photo());
    let body = json!({"procedure_code": "1.001193", "idempotency_key": "browser-desk-key-00000001", "answers": answers,
                      "attachments": {"birth_certificate": [photo]}});
    let receipt = portal.request("POST", "/api/dossiers", &[("content-type", "application/json")], Some(body.to_string().as_bytes())).json();
    let code = receipt["code"].as_str().unwrap().to_owned();
    let secret = receipt["secret"].as_str().unwrap().to_owned();

    let b = Browser::start().await;
    b.client.set_window_size(1280, 900).await.unwrap();
    // Signed out, the desk asks for a sign-in; a wrong password is told plainly.
    b.goto(&portal.url("/desk")).await.unwrap();
    b.find("#username").await.send_keys("lan.nguyen").await.unwrap();
    b.find("#password").await.send_keys("not-the-password").await.unwrap();
    b.find("#sign-in").await.click().await.unwrap();
    b.until("the sign-in error", "document.querySelector('#sign-in-error')?.textContent").await;
    b.find("#password").await.send_keys("mat-khau-rat-dai-123").await.unwrap();
    b.find("#sign-in").await.click().await.unwrap();
    // The queue: the new dossier, also under the "new" filter.
    b.until("the queue", &format!("document.querySelector('#queue')?.textContent.includes('{code}')")).await;
    assert!(b.js("return document.querySelector('#desk-officer').textContent").await.as_str().unwrap().contains("Nguyễn Thị Lan"));
    b.find("a[href='/desk?filter=new']").await.click().await.unwrap();
    b.until("the new filter", &format!("location.search === '?filter=new' && document.querySelector('#queue')?.textContent.includes('{code}')")).await;
    b.screenshot("desk-queue").await;

    // The dossier: answers by their labels, the photo (loaded with the session cookie), the history.
    b.find(".dossier-link").await.click().await.unwrap();
    b.until("the dossier page", "document.querySelector('#dossier-answers')?.textContent.includes('Hoàng Thị Lan')").await;
    assert!(b.js("return document.querySelector('#dossier-answers').textContent").await.as_str().unwrap().contains("Họ và tên"));
    b.until("the photo shows", "document.querySelector('#dossier-papers img')?.naturalWidth > 0").await;
    b.screenshot("desk-dossier").await;
    // The actions come before the answers (the keyboard reaches them first)
    // and their choices are on screen as the page opens; beside answers
    // 3,000 px long they stay in view, the button too. On a 1280 × 800 screen.
    b.client.set_window_size(1280, 800).await.unwrap();
    let in_view = |css: &str| format!("const r = document.querySelector('{css}').getBoundingClientRect(); \
                                       return r.top >= 0 && r.bottom <= innerHeight && r.height >= 24");
    assert_eq!(b.js("return !!(document.querySelector('.dossier-actions').compareDocumentPosition(document.querySelector('#dossier-answers')) & Node.DOCUMENT_POSITION_FOLLOWING)").await, json!(true));
    assert_eq!(b.js(&in_view("#action-accept")).await, json!(true), "the choices without scrolling");
    assert!(b.js("return document.querySelector('#action-apply').getBoundingClientRect().height").await.as_f64().unwrap() >= 44.0);
    b.js("const dl = document.querySelector('#dossier-answers'); for (let i = 0; i < 100; i++) { \
          const dt = document.createElement('dt'); dt.className = 'long-answer'; dt.textContent = 'Câu ' + i; \
          const dd = document.createElement('dd'); dd.className = 'long-answer'; dd.textContent = 'Trả lời ' + i; dl.append(dt, dd); } \
          scrollTo(0, document.body.scrollHeight); return null").await;
    assert!(b.js("return scrollY").await.as_f64().unwrap() > 2000.0, "the answers are long");
    for css in ["#action-accept", "#action-apply"] {
        assert_eq!(b.js(&in_view(css)).await, json!(true), "{css} beside long answers");
    }
    b.js("document.querySelectorAll('.long-answer').forEach(e => e.remove()); scrollTo(0, 0); return null").await;
    b.client.set_window_size(1280, 900).await.unwrap();

    let status = act(&b, "accept", None).await;
    assert!(status.contains("Đã được tiếp nhận"), "{status}");
    // Asking for papers needs the reason the citizen will read.
    b.find("#action-request_documents").await.click().await.unwrap();
    b.find("#action-apply").await.click().await.unwrap();
    b.until("the reason is required", "document.querySelector('#action-error')?.textContent").await;
    act(&b, "request_documents", Some("Bổ sung ảnh giấy chứng sinh rõ nét")).await;
    let history = b.js("return document.querySelector('#dossier-history').textContent").await.as_str().unwrap().to_owned();
    assert!(history.contains("Bổ sung ảnh giấy chứng sinh"), "{history}");
    // Names, as officers say them: never `citizen` or `officer:lan.nguyen`.
    assert!(history.contains("Công dân") && history.contains("Nguyễn Thị Lan"), "{history}");
    assert!(!history.contains("officer:") && !history.contains("citizen"), "{history}");

    // The citizen opens tracking from the QR link, reads the request and sends a new photo.
    b.goto(&portal.url(&format!("/track/{code}#{secret}"))).await.unwrap();
    let asked = b.until("the request for papers", "document.querySelector('#supply-asked')?.textContent").await;
    assert_eq!(asked, "Bổ sung ảnh giấy chứng sinh rõ nét");
    add_photo(&b, "#supply-photos", 1).await;
    b.find("#supply-send").await.click().await.unwrap();
    b.until("the papers sent", "document.querySelector('#supply-sent')?.textContent").await;
    b.until("the citizen's step in the timeline", "document.querySelector('#timeline')?.textContent.includes('Bạn đã gửi giấy tờ bổ sung')").await;
    b.until("two papers on file", "document.querySelector('#track-papers')?.textContent.includes('2')").await;
    b.screenshot("tracking-papers-sent").await;

    // Back at the desk, the row says in words that the papers came, beside
    // the citizen's name; the officer finds the dossier by that name typed
    // without tone marks (Enter searches; the search stays in the address).
    b.goto(&portal.url("/desk")).await.unwrap();
    let row = format!("[...document.querySelectorAll('#queue tbody tr')].find(r => r.textContent.includes('{code}'))");
    let flag = b.until("the papers-sent flag", &format!("{row}?.querySelector('.papers-sent')?.textContent")).await;
    assert_eq!(flag, "Đã gửi giấy tờ bổ sung");
    assert_eq!(b.js(&format!("return {row}.querySelector('.citizen').textContent")).await, "Hoàng Thị Lan");
    b.find("#queue-q").await.send_keys(&format!("hoang thi lan{ENTER}")).await.unwrap();
    b.until("the search result", &format!("location.search === '?q=hoang+thi+lan' && document.querySelectorAll('#queue tbody tr').length === 1 \
        && document.querySelector('#queue').textContent.includes('{code}') && document.querySelector('#queue-search-result')")).await;
    assert_eq!(b.js("return document.querySelector('#queue-q').value").await, "hoang thi lan");
    b.screenshot("desk-search").await;

    // The officer sees both papers and takes the dossier to "result returned".
    b.find(".dossier-link").await.click().await.unwrap();
    b.until("both papers", "document.querySelectorAll('#dossier-papers .paper').length === 2").await;
    for (action, status) in [
        ("accept_supplement", "Đang xử lý"),
        ("finish", "Đã có kết quả"),
        ("return_result", "Đã trả kết quả"),
    ] {
        let shown = act(&b, action, None).await;
        assert!(shown.contains(status), "{action}: {shown}");
    }
    b.until("no more actions", "document.querySelector('#no-actions')").await;
    let track = portal.request("POST", &format!("/api/dossiers/{code}/tracking"), &[("content-type", "application/json")],
        Some(json!({"secret": secret}).to_string().as_bytes())).json();
    assert_eq!(track["status"], "result_returned");

    // A citizen at the counter: the officer enters the dossier for them.
    b.find("a[href='/desk/intake']").await.click().await.unwrap();
    b.find("#intake-forms a[href='/desk/intake/1.001193']").await.click().await.unwrap();
    fill_whole_form(&b).await;
    b.find("#form-submit").await.click().await.unwrap();
    let counter_code = b.until("the counter receipt", "document.querySelector('#receipt-code')?.textContent.trim()").await;
    assert!(b.js("return document.querySelector('#receipt-track')").await.is_null(), "no tracking link on the officer's screen");
    assert_eq!(b.js("return localStorage.getItem('motcua.receipts')").await, Value::Null, "the citizen's secret is kept nowhere here");
    b.screenshot("desk-intake-receipt").await;
    b.goto(&portal.url("/desk")).await.unwrap();
    let queue = b.until("the counter dossier in the queue", &format!("document.querySelector('#queue')?.textContent.includes({counter_code})")).await;
    assert_eq!(queue, true);
    assert!(b.js("return document.querySelector('#queue').textContent").await.as_str().unwrap().contains("Tại quầy"));

    // A busy agency: 150 more open dossiers (copied in the database) make two
    // pages; the officer reads on with "Next page" and comes back.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let prefix = counter_code.as_str().unwrap().rsplit_once('-').unwrap().0.to_owned();
    for n in 5000..5150 {
        db.execute(
            "INSERT INTO dossiers (code, procedure_code, agency_id, secret_hash, status, channel, received_on,
                                   appointment_on, answers, created_at, updated_at)
             SELECT ?, procedure_code, agency_id, secret_hash, status, channel, received_on, appointment_on, answers,
                    created_at, updated_at FROM dossiers WHERE code = ?",
            rusqlite::params![format!("{prefix}-{n}"), counter_code.as_str().unwrap()],
        )
        .unwrap();
    }
    b.goto(&portal.url("/desk")).await.unwrap();
    b.until("a full first page", "document.querySelectorAll('#queue tbody tr').length === 100").await;
    b.find("#queue-next").await.click().await.unwrap();
    b.until("the second page", &format!("document.querySelector('#queue')?.textContent.includes('{prefix}-5149') && !document.querySelector('#queue-next')")).await;
    b.find("#queue-first").await.click().await.unwrap();
    b.until("the first page again", "document.querySelectorAll('#queue tbody tr').length === 100 && !document.querySelector('#queue-first')").await;

    // Signing out ends the session.
    b.find("#sign-out").await.click().await.unwrap();
    b.find("#username").await;
    assert_eq!(portal.get("/api/desk/me").status, 401);
    drop(portal);
    b.close().await;
}

/// A text of a locale file, to check the page speaks that language.
fn locale_text(lang: &str, key: &str) -> String {
    let file = std::fs::read_to_string(repo_root().join(format!("frontend/locales/{lang}.json"))).unwrap();
    let texts: Value = serde_json::from_str(&file).unwrap();
    texts[key].as_str().unwrap_or_else(|| panic!("{lang}.json has no {key}")).to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dossier_filled_with_no_signal_is_sent_once_when_the_signal_returns() {
    let portal = Portal::start();
    let b = Browser::start().await;
    // One visit with signal, in H'Mông: the app keeps itself, the catalogue and the forms.
    b.goto(&portal.url("/")).await.unwrap();
    b.js("localStorage.setItem('motcua.lang', 'hmn'); document.cookie = 'motcua_prefs=hmn.0; path=/'; return true").await;
    b.reload().await.unwrap();
    until_offline_ready(&b).await;
    // Told once that the app now works without signal (on this page, or
    // already on the first one if the worker was that quick).
    b.until("told it works offline", "document.querySelector('#offline-ready') || localStorage.getItem('motcua.offline-told')").await;
    if let Some(told) = b.js("return document.querySelector('#offline-ready')?.textContent").await.as_str() {
        assert!(told.contains(&locale_text("hmn", "offline.ready")), "in the person's language: {told}");
        b.find("#offline-ready-ok").await.click().await.unwrap();
        assert!(b.js("return document.querySelector('#offline-ready')").await.is_null(), "closed by its button");
    }
    b.reload().await.unwrap();
    b.until("the page again", "document.querySelector('#search-q')").await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(b.js("return document.querySelector('#offline-ready')").await.is_null(), "said once, not on every page");
    let db_file = portal.state_dir().join("sqlite_db.db");

    // No signal at all (the portal is gone): the app still opens, from the device.
    let (port, state) = portal.stop();
    let offline_url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    b.goto(&offline_url("/")).await.unwrap();
    b.until("the catalogue, offline", "document.querySelectorAll('#results .procedure-card').length > 0").await;
    // Words never searched with signal: answered from the whole catalogue kept on the phone.
    b.goto(&offline_url("/?q=dang+ky+ket+hon")).await.unwrap();
    b.until(
        "an offline search over the kept index",
        "!!document.querySelector('#offline-results') && !!document.querySelector('#results a.procedure-card[href=\"/procedures/1.000894\"]')",
    )
    .await;
    // A phone with no copy of the catalogue yet (a first visit cut short):
    // new words say so and point to the list pages kept, not a network error.
    let dropped = b
        .js("return caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys().then(rs => Promise.all(rs.filter(r => r.url.includes('/api/procedure-index')).map(r => c.delete(r)))))))).then(() => true)")
        .await;
    assert_eq!(dropped, json!(true));
    b.goto(&offline_url("/?q=giay+phep+lai+xe")).await.unwrap();
    let said = b.until("the no-copy notice", "document.querySelector('#offline-no-copy')?.textContent").await;
    assert!(said.as_str().unwrap().contains(&locale_text("hmn", "search.offline_no_copy")), "{said}");
    assert_eq!(b.js("return document.querySelector('#offline-browse').getAttribute('href')").await, json!("/"));
    b.goto(&offline_url("/procedures/1.001193")).await.unwrap();
    b.find("#apply").await.click().await.unwrap();
    b.until("the form, offline", "location.pathname === '/procedures/1.001193/apply'").await;
    b.app_started().await;
    assert_eq!(b.js("return document.documentElement.lang").await, "hmn");
    // The whole form, the photo of the paper and the commune list included.
    fill_whole_form(&b).await;
    b.find("#form-submit").await.click().await.unwrap();
    b.until("the queued receipt", "document.querySelector('#receipt-status')?.dataset.state === 'queued'").await;
    let title = b.js("return document.querySelector('#receipt-title').textContent").await;
    assert_eq!(title.as_str().unwrap().trim(), locale_text("hmn", "receipt.queued.title"));
    let queued_at = b.js("return location.pathname").await;
    b.screenshot("offline-queued-hmn").await;

    // Nothing vanishes on reload or when the tab is closed and opened again.
    b.reload().await.unwrap();
    b.until("still queued after a reload", "document.querySelector('#receipt-status')?.dataset.state === 'queued'").await;
    let old_tab = b.client.window().await.unwrap();
    let tab = b.client.new_window(true).await.unwrap();
    b.client.close_window().await.unwrap();
    b.client.switch_to_window(tab.handle).await.unwrap();
    assert!(b.client.windows().await.unwrap().iter().all(|w| *w != old_tab), "the first tab is closed");
    b.goto(&offline_url("/")).await.unwrap();
    b.until("the outbox notice on the home page", "document.querySelector('#outbox')?.textContent").await;
    assert!(b.js("return document.querySelector('#outbox a').getAttribute('href')").await == queued_at);
    // The notice names what waits, and looks like a notice, not plain text.
    b.until("the procedure named", "document.querySelector('#outbox a')?.textContent.includes('Đăng ký khai sinh')").await;
    assert_ne!(b.js("return getComputedStyle(document.querySelector('#outbox')).backgroundColor").await, json!("rgba(0, 0, 0, 0)"));

    // The signal returns: the page sends it by itself (no button pressed), once.
    // The signal returns: the open page sends it by itself (no button pressed),
    // files the receipt and takes the notice away.
    let portal = Portal::start_with(port, state);
    b.until("the notice gone once sent", "!document.querySelector('#outbox')").await;
    let receipts = b.js("return JSON.parse(localStorage.getItem('motcua.receipts'))").await;
    let code = receipts[0]["code"].as_str().expect("the receipt is filed on the device").to_owned();
    b.goto(&portal.url(&format!("/receipt/{code}"))).await.unwrap();
    b.until("the receipt, received", "document.querySelector('#receipt-status')?.dataset.state === 'received'").await;
    assert_eq!(b.js("return document.querySelector('#receipt-code').textContent.trim()").await, code.as_str());
    // Pressing "send" again, or a second try by the worker, cannot make a second dossier.
    let again = b.js("return fetch('/sw/outbox/flush', {method: 'POST'}).then(r => r.json())").await;
    assert_eq!(again, json!([]), "the outbox is empty once the receipt is filed");
    let db = rusqlite::Connection::open(&db_file).unwrap();
    let dossiers: i64 = db.query_row("SELECT count(*) FROM dossiers", [], |r| r.get(0)).unwrap();
    assert_eq!(dossiers, 1, "the dossier arrived exactly once");
    let papers: i64 = db.query_row("SELECT count(*) FROM uploads WHERE dossier_code = ?", [&code], |r| r.get(0)).unwrap();
    assert_eq!(papers, 1, "the photo taken with no signal went with it");
    b.screenshot("offline-sent-hmn").await;
    drop(portal);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_takes_a_report_typed_on_its_keypad_and_keeps_nothing() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/reports/new?kiosk=1")).await.unwrap();
    b.until("the report form", "document.querySelector('#report-text')").await;
    // The on-screen keypad types into the text area too, tones and new lines included.
    b.find("#report-text").await.click().await.unwrap();
    b.until("the letter keypad", "document.querySelector('#keypad')?.dataset.layout === 'letters'").await;
    for key in ["x", "e", "p", "Dấu sắc", "Xong, đi tiếp", "a"] {
        tap(&b, key).await;
    }
    let typed = b.js("return document.querySelector('#report-text').value").await;
    assert_eq!(typed, json!("xép\na"), "a tone, and Enter starts a new line in a text area");
    type_into(&b, "#report-text", "Máy xếp hàng ở trung tâm không in được số thứ tự.").await;
    // The keypad stays at the bottom of the screen: the button is scrolled above it,
    // and stays where it is when pressed.
    b.js("document.querySelector('#report-send').scrollIntoView({block: 'start'}); return true").await;
    b.find("#report-send").await.click().await.unwrap();
    b.until("received", "document.querySelector('#report-code')").await;
    // The next person at the kiosk sees nothing of this one.
    assert_eq!(b.js("return localStorage.getItem('motcua.reports')").await, Value::Null);
    drop(portal);
    b.close().await;
}

/// Types into an input or textarea as a person does, replacing what it held.
async fn type_into(b: &Browser, css: &str, text: &str) {
    let field = b.find(css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_sent_with_no_signal_arrives_once_is_answered_on_time_published_without_the_name_and_rated() {
    let portal = Portal::start();
    for (username, role) in [("lan.nguyen", "officer"), ("truong.xa", "supervisor")] {
        assert_eq!(portal.create_officer(username, "Cán bộ xã", "000.21.06.H56", role).status, 201);
    }
    let b = Browser::start().await;
    // One visit with signal: the app keeps itself for use with no signal.
    b.goto(&portal.url("/reports")).await.unwrap();
    b.until("the reports page", "document.querySelector('#new-report')").await;
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    until_offline_ready(&b).await;
    let db_file = portal.state_dir().join("sqlite_db.db");

    // No signal: the form opens from the device and the report waits there.
    let (port, state) = portal.stop();
    let offline_url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    b.goto(&offline_url("/reports/new")).await.unwrap();
    b.until("the report form, offline", "document.querySelector('#report-form')").await;
    // Too short: refused on the phone, naming the field, and what was typed stays.
    type_into(&b, "#report-text", "Chờ lâu").await;
    b.find("#report-send").await.click().await.unwrap();
    let said = b.until("the field's error", "document.querySelector('#report-text-error')?.textContent").await;
    assert!(said.as_str().unwrap().contains("Nội dung phản ánh"), "{said}");
    assert_eq!(b.js("return document.querySelector('#report-text').value").await, json!("Chờ lâu"));
    b.find("#report-subject-conduct").await.click().await.unwrap();
    type_into(&b, "#report-text", "Tôi là Vàng A Dế. Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả giấy khai sinh cho con.").await;
    type_into(&b, "#report-name", "Vàng A Dế").await;
    // A photo taken with no signal waits on the phone with the report.
    add_photo(&b, "#report-photos", 1).await;
    b.find("#report-send").await.click().await.unwrap();
    b.until("kept on the phone", "document.querySelector('#report-sent h2')?.textContent.includes('chờ gửi')").await;
    b.goto(&offline_url("/reports")).await.unwrap();
    b.until("said to be waiting", "document.querySelector('#report-queued')").await;

    // The signal returns: the open page sends it by itself, once, and keeps its code and secret.
    let portal = Portal::start_with(port, state);
    let link = b.until("the report filed on the phone", "document.querySelector('#my-reports a')?.getAttribute('href')").await;
    let link = link.as_str().unwrap().to_owned();
    assert!(link.starts_with("/reports/PA-") && link.contains('#'), "{link}");
    let code = link.trim_start_matches("/reports/").split('#').next().unwrap().to_owned();
    assert!(b.js("return document.querySelector('#report-queued')").await.is_null(), "nothing waits any more");
    let again = b.js("return fetch('/sw/outbox/flush', {method: 'POST'}).then(r => r.json())").await;
    assert_eq!(again, json!([]), "the outbox is empty once the report is filed");
    let db = rusqlite::Connection::open(&db_file).unwrap();
    let reports: i64 = db.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!(reports, 1, "the report arrived exactly once");
    let photos: i64 = db.query_row("SELECT count(*) FROM report_photos WHERE report_code = ?", [&code], |r| r.get(0)).unwrap();
    assert_eq!(photos, 1, "the photo taken with no signal went with it");

    // The officer answers it at the desk, in time.
    b.sign_in_at_desk(&portal, "lan.nguyen").await;
    b.find("#nav-reports").await.click().await.unwrap();
    b.until("the open reports", &format!("document.querySelector('#reports-table a[href=\"/desk/reports/{code}\"]')")).await;
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    b.find(&format!("#reports-table a[href=\"/desk/reports/{code}\"]")).await.click().await.unwrap();
    b.until("the report at the desk", "document.querySelector('#report-answer-form')").await;
    b.until("its photo", "document.querySelector('#report-photos img')?.complete && document.querySelector('#report-photos img').naturalWidth > 0").await;
    assert!(b.js("return document.querySelector('#report-publish-form')").await.is_null(), "an officer does not moderate");
    type_into(&b, "#report-answer-text", "Giấy khai sinh đã có kết quả. Mời anh nhận tại quầy số 2, sáng thứ Hai.").await;
    b.find("#report-answer-send").await.click().await.unwrap();
    b.until("answered", "document.querySelector('#report-done') && document.querySelector('#report-answer')").await;
    assert!(b.js("return !!document.querySelector('#report-photos img')").await == json!(true), "the photo stays on the page");
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    b.find("#sign-out").await.click().await.unwrap();

    // The supervisor publishes it, with the name taken out of the text.
    b.sign_in_at_desk(&portal, "truong.xa").await;
    b.find("#nav-reports").await;
    b.goto(&portal.url("/desk/reports?list=moderation")).await.unwrap();
    b.find(&format!("#reports-table a[href=\"/desk/reports/{code}\"]")).await.click().await.unwrap();
    let proposed = b.until("the text to publish", "document.querySelector('#report-public-text')?.value").await;
    let public = proposed.as_str().unwrap().replace("Tôi là Vàng A Dế. ", "");
    type_into(&b, "#report-public-text", &public).await;
    b.find("#report-publish").await.click().await.unwrap();
    b.until("published", "document.querySelector('#report-done') && document.querySelector('#report-publication')?.textContent.includes('Đã công khai')").await;
    b.find("#sign-out").await.click().await.unwrap();

    // The citizen opens it from the phone's list, reads the answer and rates it.
    b.goto(&portal.url("/reports")).await.unwrap();
    b.find("#my-reports a").await.click().await.unwrap();
    b.until("the answer", "document.querySelector('#report-answer')?.textContent.includes('quầy số 2')").await;
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    b.find("#report-rate-send").await.click().await.unwrap();
    b.until("asked to choose", "document.querySelector('#report-rate .alert')").await;
    b.find("label[for=answer-rating-satisfied]").await.click().await.unwrap();
    b.find("#report-rate-send").await.click().await.unwrap();
    b.until("rated", "document.querySelector('#report-rated')?.textContent.includes('Hài lòng')").await;

    // Everyone reads it in the public list: answered on time, without the name.
    b.goto(&portal.url("/reports?q=khai+sinh")).await.unwrap();
    let card = b.until("the published report", &format!("document.querySelector('#report-{code}')?.textContent")).await;
    let card = card.as_str().unwrap();
    assert!(card.contains("quầy số 2") && card.contains("Trả lời đúng hạn"), "{card}");
    assert!(!card.contains("Vàng A Dế") && !card.contains("Dế"), "the name is not published: {card}");
    b.screenshot("report-published").await;
    let rating: String = db.query_row("SELECT rating FROM reports WHERE code = ?", [&code], |r| r.get(0)).unwrap();
    assert_eq!(rating, "satisfied");
    drop(portal);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consultation_takes_comments_and_a_village_meetings_word_then_answers_them() {
    let portal = Portal::start();
    for (username, role) in [("lan.nguyen", "officer"), ("truong.xa", "supervisor")] {
        assert_eq!(portal.create_officer(username, "Cán bộ xã", "000.21.06.H56", role).status, 201);
    }
    let b = Browser::start().await;
    let today = b.js("return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10)").await;
    let today = today.as_str().unwrap().to_owned();

    // The supervisor puts a draft in two parts out for comment, open today.
    b.sign_in_at_desk(&portal, "truong.xa").await;
    b.find("#nav-consultations").await.click().await.unwrap();
    b.until("the draft form", "document.querySelector('#draft-form')").await;
    type_into(&b, "#draft-name", "Dự thảo: Bộ phận Một cửa xã làm việc sáng thứ Bảy").await;
    type_into(&b, "#draft-summary", "Xã mở cửa thêm sáng thứ Bảy để người đi làm nương xa có thể đến làm thủ tục.").await;
    type_into(&b, "#draft-heading-0", "Điều 1. Giờ làm việc").await;
    type_into(&b, "#draft-text-0", "Sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30.").await;
    b.find("#draft-add-section").await.click().await.unwrap();
    type_into(&b, "#draft-heading-1", "Điều 2. Hiệu lực").await;
    type_into(&b, "#draft-text-1", "Có hiệu lực từ ngày 01/01/2027.").await;
    for (field, value) in [("#draft-opens", &today), ("#draft-closes", &today)] {
        b.js(&format!("const d = document.querySelector('{field}'); d.value = '{value}'; d.dispatchEvent(new Event('input', {{bubbles: true}})); return true")).await;
    }
    b.find("#draft-publish").await.click().await.unwrap();
    b.until("published", "document.querySelector('#draft-result.notice')").await;
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    let link = b.until("the draft listed", "document.querySelector('#own-consultations a')?.getAttribute('href')").await;
    let id = link.as_str().unwrap().trim_start_matches("/desk/consultations/").to_owned();
    b.find("#sign-out").await.click().await.unwrap();

    // A citizen comments on the first part, signing with a name.
    b.goto(&portal.url("/consultations")).await.unwrap();
    b.find(&format!("a[href=\"/consultations/{id}\"]")).await.click().await.unwrap();
    b.until("the draft", "document.querySelector('#section-0 form')").await;
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    type_into(&b, "#comment-0-text", "Nên mở cả chiều thứ Bảy, sáng bà con còn lên nương.").await;
    type_into(&b, "#comment-0-name", "Giàng A Sử").await;
    b.find("#section-0 form button[type=submit]").await.click().await.unwrap();
    b.until("sent for moderation", "document.querySelector('#comment-0-sent')").await;

    // An officer enters what the village meeting said.
    b.sign_in_at_desk(&portal, "lan.nguyen").await;
    b.find("#nav-consultations").await;
    b.goto(&portal.url(&format!("/desk/consultations/{id}"))).await.unwrap();
    b.until("the paper form", "document.querySelector('#paper-form')").await;
    type_into(&b, "#paper-place", "Họp thôn Nậm Khắt").await;
    type_into(&b, "#paper-text", "Bà con muốn mở cả sáng Chủ nhật trong mùa gặt.").await;
    b.find("#paper-send").await.click().await.unwrap();
    b.until("entered", "document.querySelector('#paper-result.notice')").await;
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    b.find("#sign-out").await.click().await.unwrap();

    // The supervisor publishes the citizen's comment.
    b.sign_in_at_desk(&portal, "truong.xa").await;
    b.find("#nav-consultations").await;
    b.goto(&portal.url("/desk/consultations")).await.unwrap();
    b.find("#moderation-queue button.primary").await.click().await.unwrap();
    b.until("nothing left to moderate", "document.querySelector('#moderation-empty')").await;

    // Both read on the public page, the meeting's labelled as entered for it.
    b.goto(&portal.url(&format!("/consultations/{id}"))).await.unwrap();
    let section = b.until("the comments", "document.querySelectorAll('#section-0 .comment').length === 2 && document.querySelector('#section-0').textContent").await;
    let section = section.as_str().unwrap();
    assert!(section.contains("Giàng A Sử") && section.contains("Họp thôn Nậm Khắt, do cán bộ ghi lại"), "{section}");

    // Closed (the clock moved by editing its dates): the response names both comments.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    db.execute("UPDATE consultations SET opens_on = '2020-01-01', closes_on = '2020-01-31'", []).unwrap();
    b.goto(&portal.url(&format!("/desk/consultations/{id}"))).await.unwrap();
    b.until("the response form", "document.querySelector('#response-form')").await;
    type_into(&b, "#response-text", "Xã mở cửa cả ngày thứ Bảy; trong mùa gặt mở thêm sáng Chủ nhật.").await;
    for checkbox in b.client.find_all(Locator::Css("#response-form input[type=checkbox]")).await.unwrap() {
        checkbox.click().await.unwrap();
    }
    b.find("#response-publish").await.click().await.unwrap();
    b.until("responded", "document.querySelector('#response-published')").await;
    b.find("#sign-out").await.click().await.unwrap();
    b.goto(&portal.url(&format!("/consultations/{id}"))).await.unwrap();
    let response = b.until("the response report", "document.querySelector('#consultation-response')?.textContent").await;
    assert!(response.as_str().unwrap().contains("mùa gặt"), "{response}");
    assert_eq!(b.js("return document.querySelectorAll('#consultation-response a[href^=\"#comment-\"]').length").await, json!(2));
    assert!(b.js("return document.querySelector('#section-0 form')").await.is_null(), "no comments once closed");
    assert!(axe_violations(&b).await.is_empty(), "{:?}", axe_violations(&b).await);
    b.screenshot("consultation-response").await;
    drop(portal);
    b.close().await;
}

const TAB: char = '\u{E004}';
const ENTER: char = '\u{E007}';
const SPACE: char = '\u{E00D}';
const ARROW_DOWN: char = '\u{E015}';

/// Presses keys as a keyboard does (into whatever has the focus).
async fn press(b: &Browser, keys: &str) {
    let mut actions = KeyActions::new("keyboard".into());
    for key in keys.chars() {
        actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    }
    b.client.perform_actions(actions).await.unwrap();
}

/// Presses Tab until the focus is on `css`: it fails if the keyboard cannot reach it.
async fn tab_to(b: &Browser, css: &str) {
    for _ in 0..80 {
        if b.js(&format!("return !!document.activeElement?.matches({css:?})")).await == json!(true) {
            return;
        }
        press(b, &TAB.to_string()).await;
    }
    b.screenshot(&format!("keyboard-cannot-reach {css}")).await;
    panic!("the keyboard never reached {css}");
}

/// The page fits the screen: nothing reaches past its right edge (a table
/// scrolls inside its own region) and the page does not scroll sideways.
async fn fits_the_screen(b: &Browser, page: &str) {
    let past_the_edge = b
        .js("return [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > screen.width + 1).slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`)")
        .await;
    let sideways = b.js("return document.documentElement.scrollWidth > screen.width").await;
    if std::env::var("KEYBOARD_SURVEY").is_ok() {
        eprintln!("SURVEY {page}: {past_the_edge}");
        return;
    }
    assert_eq!(past_the_edge, json!([]), "{page} is wider than the {} px screen", b.js("return screen.width").await);
    assert_eq!(sideways, json!(false), "{page} scrolls sideways");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_journey_by_keyboard_on_a_small_phone_with_large_text() {
    let portal = Portal::start();
    let b = Browser::start_small_phone_with_large_text().await;
    b.goto(&portal.url("/")).await.unwrap();
    b.until("the catalogue", "document.querySelectorAll('#results .procedure-card').length > 0").await;
    assert_eq!(b.js("return screen.width").await, 320);
    assert_eq!(b.js("return getComputedStyle(document.body).fontSize").await, "36px", "text is at 200%");
    fits_the_screen(&b, "the search page").await;

    // The first Tab reaches the skip link; then search by typing and Enter.
    press(&b, &TAB.to_string()).await;
    assert_eq!(b.js("return document.activeElement.className").await, "skip-link");
    tab_to(&b, "#search-q").await;
    press(&b, &format!("khai sinh{ENTER}")).await;
    b.until("the results for khai sinh", "location.search.includes('khai') && document.querySelector('#results a[href=\"/procedures/1.001193\"]')").await;
    tab_to(&b, "#results a[href='/procedures/1.001193']").await;
    press(&b, &ENTER.to_string()).await;
    b.until("the procedure page", "location.pathname === '/procedures/1.001193' && document.querySelector('#apply')").await;
    fits_the_screen(&b, "the procedure page").await;
    tab_to(&b, "#apply").await;
    press(&b, &ENTER.to_string()).await;
    b.until("the form", "location.pathname === '/procedures/1.001193/apply'").await;
    b.app_started().await;

    // Every question answered from the keyboard, Continue reached by Tab.
    let first = b.until("step 1", &format!("{STEP}?.[0] === 1 && {STEP}")).await;
    let total = first[1].as_u64().unwrap() as usize;
    for step in 1..=total {
        b.until(&format!("step {step}"), &format!("{STEP}?.[0] === {step}")).await;
        fits_the_screen(&b, &format!("step {step}")).await;
        let kind = b.js(&format!("return {ANSWER_KIND}")).await;
        match kind.as_str().unwrap() {
            "notify" => {
                // The first way (SMS) by Space; the phone the form asked for is offered.
                tab_to(&b, "input[name=notify-channel]").await;
                press(&b, &SPACE.to_string()).await;
                b.until("the phone offered", "document.querySelector('#notify-phone')?.value === '0987000111'").await;
            }
            "file" => {
                // The photo button is reached by Tab; the file itself comes from the
                // phone's picker, which WebDriver fills in.
                tab_to(&b, "#answer").await;
                add_photo(&b, "#answer", 1).await;
            }
            "address" => {
                // The first province, then its first commune, by arrow keys; then the rest typed.
                tab_to(&b, "select#answer").await;
                press(&b, &ARROW_DOWN.to_string()).await;
                b.until("the communes", "document.querySelectorAll('#answer-commune option').length > 1").await;
                tab_to(&b, "#answer-commune").await;
                press(&b, &ARROW_DOWN.to_string()).await;
                tab_to(&b, "#answer-detail").await;
                press(&b, "Bản Phiêng").await;
            }
            "choice" => {
                tab_to(&b, "input[type=radio][name=answer]").await;
                press(&b, &SPACE.to_string()).await;
                assert_eq!(b.js("return document.activeElement.checked").await, true);
            }
            "date" => {
                tab_to(&b, "#answer").await;
                // The date box takes digits in the browser's own order (month first in en-US).
                press(&b, "06012021").await;
                if b.js("return document.querySelector('#answer').value").await != "2021-06-01" {
                    press(&b, "01062021").await;
                }
                assert_eq!(b.js("return document.querySelector('#answer').value").await, "2021-06-01");
            }
            kind => {
                tab_to(&b, "#answer").await;
                press(&b, match kind {
                    "phone" => "0987000111",
                    "citizen_id" => "014098000321",
                    _ => "Lò Văn Pấu",
                })
                .await;
            }
        }
        tab_to(&b, "#form-continue").await;
        press(&b, &ENTER.to_string()).await;
    }
    b.until("the check page", "document.querySelector('#check-answers')").await;
    fits_the_screen(&b, "the check page").await;
    tab_to(&b, "#form-submit").await;
    press(&b, &ENTER.to_string()).await;
    b.until("the receipt", "document.querySelector('#receipt-status')?.dataset.state === 'received'").await;
    fits_the_screen(&b, "the receipt").await;
    b.screenshot("keyboard-320px-receipt").await;

    // Tracking from the receipt, by keyboard too.
    tab_to(&b, "#receipt-track").await;
    press(&b, &ENTER.to_string()).await;
    b.until("the timeline", "document.querySelector('#timeline li[data-status=submitted]')").await;
    fits_the_screen(&b, "tracking").await;
    drop(portal);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ratings_from_tracking_and_the_counter_reach_the_public_dashboard() {
    let portal = Portal::start();
    // A temporary-residence dossier (3 working days), returned on time by the officer.
    let form = portal.get("/api/forms/1.004194").json();
    let agency = form["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("quay.hai", "Sùng Thị Pà", &agency, "supervisor").status, 201);
    let body = json!({"procedure_code": "1.004194", "idempotency_key": "browser-rating-key-0001",
                      "answers": journeys::valid_answers(&form, "Giàng A Lử")});
    let receipt = portal.request("POST", "/api/dossiers", &[("content-type", "application/json")], Some(body.to_string().as_bytes())).json();
    let (code, secret) = (receipt["code"].as_str().unwrap().to_owned(), receipt["secret"].as_str().unwrap().to_owned());
    let signed = portal.request("POST", "/api/desk/session", &[("content-type", "application/json")],
        Some(json!({"username": "quay.hai", "password": "mat-khau-rat-dai-123"}).to_string().as_bytes()));
    let cookie = signed.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    for action in ["accept", "start_processing", "finish", "return_result"] {
        let reply = portal.request("POST", &format!("/api/desk/dossiers/{code}/actions"),
            &[("content-type", "application/json"), ("cookie", &cookie)], Some(json!({"action": action}).to_string().as_bytes()));
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
    }

    // The citizen opens tracking by the QR link and is invited to rate.
    let b = Browser::start().await;
    b.goto(&portal.url(&format!("/track/{code}#{secret}"))).await.unwrap();
    b.until("the rating form", "document.querySelector('#rate fieldset')").await;
    // Sending with a criterion unanswered names it.
    b.find("#rate-submit").await.click().await.unwrap();
    b.until("the missing criteria", "document.querySelector('#rating-error')?.textContent.includes('Hài lòng chung')").await;
    for (criterion, choice) in [("time", "very_satisfied"), ("visits", "satisfied"), ("attitude", "very_satisfied"), ("ease", "not_satisfied"), ("overall", "satisfied")] {
        b.find(&format!("label[for='rate-{criterion}-{choice}']")).await.click().await.unwrap();
    }
    b.find("#rate-comment").await.send_keys("Cán bộ hướng dẫn tận tình.").await.unwrap();
    b.find("#rate-submit").await.click().await.unwrap();
    b.until("the thanks", "document.querySelector('#rating-thanks')?.textContent").await;
    b.screenshot("rating-sent").await;

    // The counter screen: the officer opens it; a citizen touches a face; it thanks and resets.
    b.client.set_window_size(1024, 768).await.unwrap();
    b.goto(&portal.url("/desk/counter")).await.unwrap();
    b.find("#username").await.send_keys("quay.hai").await.unwrap();
    b.find("#password").await.send_keys("mat-khau-rat-dai-123").await.unwrap();
    b.find("#sign-in").await.click().await.unwrap();
    // The supervisor keeps the agency's counters; a screen opens only at one of them.
    b.find("#counter-new").await.send_keys("Quầy 2").await.unwrap();
    b.find("#counter-add").await.click().await.unwrap();
    b.until("the counter in the list", "document.querySelector('#counter-name option')?.value === 'Quầy 2'").await;
    b.find("#counter-open").await.click().await.unwrap();
    // Locked: only the faces and the officer's exit; no menu, and no way to the queue.
    b.find("#counter-very_satisfied").await;
    assert_eq!(b.js("return document.querySelector('.desk-nav') === null && document.querySelector('#sign-out') === null").await, json!(true));
    b.goto(&portal.url("/desk")).await.unwrap();
    b.until("still the faces after a reload at the queue's address", "document.querySelector('#counter-question') && !document.querySelector('#queue')").await;
    b.find("#counter-very_satisfied").await.click().await.unwrap();
    b.until("the counter's thanks", "document.querySelector('#counter-thanks')").await;
    b.screenshot("counter-thanks").await;
    b.until("the screen ready again", "document.querySelector('#counter-question')").await;
    // The officer leaves with the password and is back at the desk.
    b.find("#counter-close").await.click().await.unwrap();
    b.find("#counter-password").await.send_keys("mat-khau-rat-dai-123").await.unwrap();
    b.find("#counter-exit").await.click().await.unwrap();
    b.until("the desk's menu again", "document.querySelector('.desk-nav') && document.querySelector('#counter-open')").await;

    // The supervisor's page lists the officer, the counter and the comment.
    b.goto(&portal.url("/desk/ratings")).await.unwrap();
    b.until("the comment", "document.querySelector('#staff-comments')?.textContent.includes('Cán bộ hướng dẫn tận tình.')").await;
    let counters = b.js("return document.querySelector('#staff-counters').textContent").await.as_str().unwrap().to_owned();
    assert!(counters.contains("Quầy 2"), "{counters}");
    // Months as on the public dashboard (11/2026), not as stored (2026-11).
    let month = b.js("return document.querySelector('#staff-counters tbody td').textContent").await.as_str().unwrap().to_owned();
    assert!(month.len() == 7 && month.as_bytes()[2] == b'/' && month[3..].parse::<u32>().is_ok(), "{month}");

    // The public dashboard: 6 answers, 5 satisfied = 83.3 %; the return on time; CSV to download.
    b.goto(&portal.url("/dashboard")).await.unwrap();
    let summary = b.until("the satisfaction summary", "document.querySelector('#satisfaction-summary')?.textContent").await;
    assert!(summary.as_str().unwrap().contains("83.3%"), "{summary}");
    assert!(b.js("return document.querySelector('#on-time-summary').textContent").await.as_str().unwrap().contains("100.0%"));
    let first_row = b.js("return [...document.querySelectorAll('#figures tbody tr:first-child td')].map(td => td.textContent)").await;
    // Then the transparency group's citizens' reports: none this month, so no rates.
    assert_eq!(first_row, json!(["83.3%", "3", "2", "1", "100.0%", "1", "100.0%", "1", "0", "—", "—"]));
    assert!(b.js("return document.querySelector('#reports-received').textContent").await.as_str().unwrap().ends_with(": 0"));
    assert!(b.js("return document.querySelector('#chart-satisfaction .target')").await.is_object(), "the 80% target line");
    assert!(b.js("return document.querySelector('#chart-satisfaction desc').textContent").await.as_str().unwrap().contains("83.3%"));
    assert_eq!(b.js("return document.querySelector('#dashboard-csv').getAttribute('href')").await, "/api/stats.csv");
    // The agency alone says the same (it is the only one).
    b.js(&format!("const s = document.querySelector('#dashboard-scope'); s.value = '{agency}'; s.dispatchEvent(new Event('change')); return true")).await;
    let agency_row = b.js("return [...document.querySelectorAll('#figures tbody tr:first-child td')].map(td => td.textContent)").await;
    assert_eq!(agency_row, first_row);
    b.screenshot("dashboard").await;
    drop(portal);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_menu_offers_languages_that_read_through_and_script_fonts_only_for_those_who_need_them() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/")).await.unwrap();
    // Thái, Ê Đê and Jrai hold a name or two: not offered, so nobody picks Vietnamese by another name.
    b.until("the languages that read through",
        "[...document.querySelectorAll('#language-select option')].map(o => o.value).join(' ') === 'vi en hmn km'").await;
    // Nothing but Vietnamese on the first visit: no script font fetched.
    assert_eq!(b.js("return document.querySelectorAll('link[id^=font-]').length").await, 0);
    let fonts = "performance.getEntriesByType('resource').filter(r => r.name.includes('/fonts/')).map(r => r.name.split('/').pop()).sort().join(' ')";
    assert_eq!(b.js(&format!("return {fonts}")).await, "");

    let choose = |lang: &str| format!("const s = document.querySelector('#language-select'); s.value = '{lang}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true");
    // Khmer: the interface in Khmer, and the Khmer font loads (and only it).
    b.js(&choose("km")).await;
    b.until("Khmer text", "document.documentElement.lang === 'km' && document.body.innerText.includes('តើអ្នកត្រូវធ្វើនីតិវិធីអ្វី')").await;
    b.until("the Khmer font in use", "document.fonts.check('20px \"Noto Sans Khmer\"', 'ក')").await;
    b.until("the Khmer font fetched", &format!("{fonts} === 'NotoSansKhmer-Regular.woff2 khmer.css'")).await;
    assert!(b.js("return document.querySelector('.draft-note').textContent").await.as_str().unwrap().contains("ការបកប្រែ"));
    b.screenshot("language-khmer").await;

    // A device that chose Ê Đê before the menu was honest reads Vietnamese, and says so.
    b.js("localStorage.setItem('motcua.lang', 'rad'); document.cookie = 'motcua_prefs=rad.0; path=/'; return true").await;
    b.reload().await.unwrap();
    b.until("Vietnamese instead", "document.documentElement.lang === 'vi' && document.querySelector('#language-select').value === 'vi' && localStorage.getItem('motcua.lang') === 'vi'").await;
    assert!(!b.js("return document.body.innerText").await.as_str().unwrap().contains("search.label"), "a raw key leaked");

    // The province's translators bring Thái to the whole interface and publish it:
    // the menu offers it on the next page, without a rebuild.
    let thai = portal.publish_whole_language("blt", "ꪼꪕꪒꪾ");
    assert_eq!(thai["offered"], true, "{thai}");
    b.reload().await.unwrap();
    b.until("Thái in the menu", "[...document.querySelectorAll('#language-select option')].map(o => o.value).includes('blt')").await;
    b.js(&choose("blt")).await;
    b.until("the Thái interface", "document.documentElement.lang === 'blt' && document.querySelector('#search-submit').textContent.includes('ꪼꪕꪒꪾ')").await;
    b.until("the Tai Viet font fetched", &format!("{fonts}.includes('NotoSansTaiViet-Regular.woff2')")).await;
    b.reload().await.unwrap();
    b.until("Tai Dam after reload", "document.documentElement.lang === 'blt' && document.querySelector('#font-tai-viet') && document.querySelector('#language-select').value === 'blt'").await;
    drop(portal);
    b.close().await;
}

/// A translator of H'Mông, in the studio: translates and vouches for the
/// first question of a form, records it with the microphone, listens back,
/// publishes; a citizen in H'Mông then hears that recording from read-aloud
/// with no signal, from the copy the service worker kept.
#[tokio::test(flavor = "multi_thread")]
async fn a_translator_records_a_question_and_a_citizen_hears_it_with_no_signal() {
    let portal = Portal::start();
    assert_eq!(portal.create_translator("hoa.lo", "hmn").status, 201);
    let b = Browser::start_with_microphone().await;
    b.sign_in_at_desk(&portal, "hoa.lo").await;
    // A translator's desk is the studio, and nothing else.
    b.find("#studio-title").await;
    assert!(b.js("return document.querySelector('a[href=\"/desk/admin\"]')").await.is_null());
    let published = b.until("what citizens have", "document.querySelector('#studio-published')?.textContent").await;
    assert!(published.as_str().unwrap().contains("(100%)"), "H'Mông covers the interface: {published}");

    // The first question of a form, found among the questions.
    b.js("const s = document.querySelector('#studio-group'); s.value = 'form'; s.dispatchEvent(new Event('change')); return true").await;
    b.find("#studio-show-all").await.click().await.unwrap();
    let key = "form.common.applicant_name";
    let row = format!("li[data-key=\"{key}\"]");
    for _ in 0..40 {
        if b.js(&format!("return !!document.querySelector('{row}')")).await == json!(true) {
            break;
        }
        b.find("#studio-next").await.click().await.unwrap();
    }
    let field = b.find(&format!("{row} textarea")).await;
    field.clear().await.unwrap();
    field.send_keys("Koj lub npe").await.unwrap();
    b.find(&format!("{row} .studio-reviewed")).await.click().await.unwrap();
    b.find(&format!("{row} .studio-save")).await.click().await.unwrap();
    let said = b.until("saved and vouched for", &format!("document.querySelector('{row} .studio-said')?.textContent.includes('hoa.lo') && document.querySelector('{row} .studio-said').textContent")).await;
    assert!(said.as_str().unwrap().contains("Đã lưu"), "{said}");

    // Recorded with the microphone, stopped, listened back from the portal.
    b.find(&format!("{row} .studio-record")).await.click().await.unwrap();
    b.until("recording", &format!("document.querySelector('{row} .studio-record').getAttribute('aria-pressed') === 'true'")).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    b.find(&format!("{row} .studio-record")).await.click().await.unwrap();
    b.until("the recording to listen to", &format!("document.querySelector('{row} audio.studio-listen')")).await;
    let heard = b.client.execute_async(&format!("const done = arguments[arguments.length - 1];
        fetch(document.querySelector('{row} audio.studio-listen').src).then(async r => done([r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength]));"), vec![]).await.unwrap();
    assert_eq!((heard[0].clone(), heard[1].clone()), (json!(200), json!("audio/webm")), "{heard}");
    assert!(heard[2].as_u64().unwrap() > 1000, "a second of sound: {heard}");

    // The same voice for a choice question and each of its choices (uploaded
    // as a translation team's recordings would be), published with it.
    let voice = portal.admin("GET", &format!("/api/translations/hmn/recordings/{key}"), None).body;
    let form = portal.get("/api/forms/1.000656").json();
    let relationship = form["questions"].as_array().unwrap().iter().find(|q| q["id"] == "relationship").unwrap().clone();
    let mut choice_keys = vec![relationship["label_key"].as_str().unwrap().to_owned()];
    choice_keys.extend(relationship["choices"].as_array().unwrap().iter().map(|c| c["label_key"].as_str().unwrap().to_owned()));
    let token = format!("Bearer {}", journeys::DESK_ADMIN_TOKEN);
    for k in &choice_keys {
        let put = portal.request("PUT", &format!("/api/translations/hmn/recordings/{k}"), &[("authorization", &token), ("content-type", "audio/webm")], Some(&voice));
        assert_eq!(put.status, 201, "{k}: {}", put.text());
    }

    // Published: the text and the voice reach citizens.
    b.find("#studio-publish").await.click().await.unwrap();
    let done = b.until("published", "document.querySelector('#studio-result')?.textContent").await;
    assert!(done.as_str().unwrap().contains("Đã công bố phiên bản 2"), "{done}");
    let audit = portal.admin("GET", "/api/admin/audit", None).json();
    let entries = audit.as_array().or(audit["entries"].as_array()).cloned().unwrap_or_default();
    for action in ["translation.save", "recording.save", "translation.publish"] {
        assert!(entries.iter().any(|e| e["actor"] == "hoa.lo" && e["action"] == action), "{action} by the translator: {audit}");
    }

    // A citizen in H'Mông, once with signal: the app, the data and the voices are kept.
    b.goto(&portal.url("/")).await.unwrap();
    b.js("localStorage.setItem('motcua.lang', 'hmn'); document.cookie = 'motcua_prefs=hmn.0; path=/'; return true").await;
    b.reload().await.unwrap();
    until_offline_ready(&b).await;
    // An English voice for the same question, published too: a phone keeps only its own language's.
    let english = [&[0x1A, 0x45, 0xDF, 0xA3][..], &[7u8; 3000][..]].concat();
    let token = format!("Bearer {}", journeys::DESK_ADMIN_TOKEN);
    let put = portal.request("PUT", &format!("/api/translations/en/recordings/{key}"), &[("authorization", &token), ("content-type", "audio/webm")], Some(&english));
    assert_eq!(put.status, 201, "{}", put.text());
    assert_eq!(portal.admin("POST", "/api/translations/en/publish", Some(&json!({}))).status, 200);
    let kept = |wanted: &str| format!("(caches.open('motcua-audio-v1').then(c => c.keys()).then(k => {{ window.__kept = k.map(r => r.url).join(' '); }}), (window.__kept || '').includes('{wanted}') && window.__kept)");
    b.goto(&portal.url("/procedures/1.000656/apply")).await.unwrap();
    let on_phone = b.until("the voice kept", &kept(&format!("/audio/hmn/{key}?v=1"))).await;
    assert!(!on_phone.as_str().unwrap().contains("/audio/en/"), "a phone keeps its own language's voices only: {on_phone}");
    // A kiosk serves everyone: it keeps every offered language's.
    b.goto(&portal.url("/procedures/1.000656/apply?kiosk=1")).await.unwrap();
    let on_kiosk = b.until("every language's voices on the kiosk", &kept(&format!("/audio/en/{key}?v=1"))).await;
    assert!(on_kiosk.as_str().unwrap().contains(&format!("/audio/hmn/{key}?v=1")), "{on_kiosk}");
    b.goto(&portal.url("/?kiosk=0")).await.unwrap();
    b.until("a phone again", "!document.documentElement.classList.contains('kiosk')").await;

    // No signal: the question reads in H'Mông and read-aloud plays the recording.
    let (port, _state) = portal.stop();
    b.goto(&format!("http://127.0.0.1:{port}/procedures/1.000656/apply")).await.unwrap();
    b.until("the question in H'Mông", "document.querySelector('h2, legend, label') && document.body.innerText.includes('Koj lub npe')").await;
    b.js("window.__played = []; const play = HTMLMediaElement.prototype.play;
          HTMLMediaElement.prototype.play = function () { const p = play.call(this); window.__played.push(this.src); p.then(() => window.__played.push('ok'), e => window.__played.push('' + e)); return p; }; return true").await;
    b.find("#read-question").await.click().await.unwrap();
    let played = b.until("the recording played", "window.__played.length >= 2 && window.__played.join(' ')").await;
    assert!(played.as_str().unwrap().contains(&format!("/audio/hmn/{key}?v=1 ok")), "{played}");
    let page = b.js("return document.body.innerText").await;
    assert!(!page.as_str().unwrap().contains(&locale_text("hmn", "read_aloud.no_voice")), "no 'no voice' note: {page}");

    // A choice question reads its choices after it, each in its recorded voice.
    for answer in ["Lò Văn Páo", "079203001234", "0912345678"] {
        b.find("#answer").await.send_keys(answer).await.unwrap();
        b.find("#form-continue").await.click().await.unwrap();
        b.until("the next question", &format!("document.querySelector('#answer') && document.querySelector('#answer').value !== '{answer}'")).await;
    }
    b.until("the choice question", "document.querySelectorAll('input[type=radio][name=answer]').length > 1").await;
    b.js("window.__played = []; return true").await;
    b.find("#read-question").await.click().await.unwrap();
    let n = choice_keys.len();
    let played = b.until("the question and every choice played", &format!("window.__played.filter(p => p === 'ok').length >= {n} && window.__played.filter(p => p !== 'ok')")).await;
    let expected: Vec<String> = choice_keys.iter().map(|k| format!("http://127.0.0.1:{port}/audio/hmn/{k}?v=1")).collect();
    assert_eq!(played, json!(expected), "in order: the question, then each choice");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_warns_when_idle_then_wipes_what_the_last_person_typed() {
    let portal = Portal::start();
    let b = Browser::start().await;
    // The administrator switches the device to kiosk mode once (a short idle time for the test).
    b.goto(&portal.url("/?kiosk=1&idle=8")).await.unwrap();
    b.until("kiosk mode", "document.documentElement.classList.contains('kiosk')").await;
    let height = b.js("return document.querySelector('#search-submit').getBoundingClientRect().height").await;
    assert!(height.as_f64().unwrap() >= 56.0, "kiosk targets are 56 px: {height}");

    // A citizen starts a form: the answer is saved on the device as they type.
    b.goto(&portal.url("/procedures/1.004194/apply")).await.unwrap();
    b.find("#answer").await.send_keys("Hoàng Văn Sình").await.unwrap();
    b.until("the draft saved", "localStorage.getItem('motcua.draft.1.004194')?.includes('Hoàng Văn Sình')").await;
    b.js("sessionStorage.setItem('motcua.search', '?q=khai+sinh'); return true").await;

    // Left alone: a countdown warns, and a touch cancels it, keeping everything.
    let warning = b.until("the idle warning", "document.querySelector('#idle-warning')?.textContent").await;
    assert!(warning.as_str().unwrap().contains("giây"), "{warning}");
    assert_eq!(b.js("return document.activeElement?.id").await, "idle-continue", "the warning takes the focus");
    b.screenshot("kiosk-idle-warning").await;
    b.find("#idle-continue").await.click().await.unwrap();
    b.until("the warning gone", "!document.querySelector('#idle-warning')").await;
    assert!(b.js("return localStorage.getItem('motcua.draft.1.004194')").await.as_str().unwrap().contains("Hoàng Văn Sình"));

    // Left alone again: wiped and back at the start, the kiosk setting kept, nothing else.
    b.until("the wipe", "location.pathname === '/' && localStorage.getItem('motcua.draft.1.004194') === null").await;
    // What the app writes again on start (the default language, text size and an
    // empty last search) is all there is: nothing of the last person.
    let stored = b.js("return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])").await;
    let stored = stored.as_str().unwrap();
    for personal in ["Hoàng", "khai", "draft", "receipts"] {
        assert!(!stored.contains(personal), "{personal} left behind: {stored}");
    }
    let keys = b.js("return Object.keys(localStorage).sort().join(' ')").await;
    assert_eq!(keys, "motcua.kiosk motcua.lang motcua.large");
    b.until("still a kiosk", "document.documentElement.classList.contains('kiosk')").await;
    drop(portal);
    b.close().await;
}

/// Taps a key of the on-screen keypad, found by what it shows (or its label).
async fn tap(b: &Browser, key: &str) {
    let xpath = format!("//div[@id='keypad']//button[normalize-space(.)='{key}' or @aria-label='{key}']");
    let button = b.client.wait().at_most(WAIT).for_element(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("key {key}: {e}"));
    button.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_has_a_vietnamese_keypad_and_prints_the_receipt() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/?kiosk=1&idle=900")).await.unwrap();
    b.until("kiosk mode", "document.documentElement.classList.contains('kiosk')").await;

    // Touching the search box opens the letters; tones go where Vietnamese spelling puts them.
    b.find("#search-q").await.click().await.unwrap();
    b.until("the letter keypad", "document.querySelector('#keypad')?.dataset.layout === 'letters'").await;
    let key_height = b.js("return document.querySelector('#keypad button').getBoundingClientRect().height").await;
    assert!(key_height.as_f64().unwrap() >= 56.0, "keys are kiosk targets: {key_height}");
    for key in ["k", "h", "a", "i", "Dấu sắc", "Dấu cách", "s", "i", "n", "h"] {
        tap(&b, key).await;
    }
    assert_eq!(b.js("return document.querySelector('#search-q').value").await, "khái sinh");
    assert_eq!(b.js("return document.activeElement.id").await, "search-q", "the keys leave the caret in the box");
    tap(&b, "Xóa một chữ").await;
    tap(&b, "h").await;
    tap(&b, "Xong, đi tiếp").await;
    b.until("the results", "document.querySelector('#results a[href=\"/procedures/1.001193\"]')").await;

    // A form: a name with capitals and tones, then digits for the citizen ID.
    b.goto(&portal.url("/procedures/1.004194/apply")).await.unwrap();
    b.find("#answer").await.click().await.unwrap();
    for key in ["Chữ hoa", "L", "o", "Dấu huyền", "Dấu cách", "Chữ hoa", "V", "ă", "n"] {
        tap(&b, key).await;
    }
    assert_eq!(b.js("return document.querySelector('#answer').value").await, "Lò Văn");
    b.until("the draft saved from the keypad", "localStorage.getItem('motcua.draft.1.004194')?.includes('Lò Văn')").await;
    tap(&b, "Xong, đi tiếp").await;
    b.until("the date step", "document.querySelector('#answer')?.type === 'date'").await;
    assert!(b.js("return document.querySelector('#keypad')").await.is_null(), "no keypad for a date");
    b.js("const a = document.querySelector('#answer'); a.value = '1990-02-03'; a.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
    b.find("#form-continue").await.click().await.unwrap();
    b.find("input[type=radio][name=answer]").await.click().await.unwrap();
    b.find("#form-continue").await.click().await.unwrap();
    b.until("the citizen ID step", "document.querySelector('#answer')?.inputMode === 'numeric'").await;
    b.find("#answer").await.click().await.unwrap();
    b.until("the digit keypad", "document.querySelector('#keypad')?.dataset.layout === 'digits'").await;
    for digit in "014090000321".chars() {
        tap(&b, &digit.to_string()).await;
    }
    assert_eq!(b.js("return document.querySelector('#answer').value").await, "014090000321");
    let (box_bottom, keypad_top) = (
        b.js("return document.querySelector('#answer').getBoundingClientRect().bottom").await,
        b.js("return document.querySelector('#keypad').getBoundingClientRect().top").await,
    );
    assert!(box_bottom.as_f64() <= keypad_top.as_f64(), "the keypad hides the box: {box_bottom} > {keypad_top}");
    b.screenshot("kiosk-keypad").await;
    tap(&b, "Ẩn bàn phím").await;
    for _ in 0..3 {
        b.find("#form-back").await.click().await.unwrap();
    }

    // The rest, and the receipt prints itself once, with the QR code to go on from a phone.
    fill_whole_form(&b).await;
    b.js("window.__printed = 0; window.print = () => { window.__printed += 1; }; return true").await;
    b.find("#form-submit").await.click().await.unwrap();
    b.until("the receipt", "document.querySelector('#receipt-status')?.dataset.state === 'received'").await;
    b.until("printed", "window.__printed === 1").await;
    b.until("the QR code", "document.querySelector('#receipt-qr svg')").await;
    drop(portal);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_help_and_errors_can_be_read_aloud() {
    let portal = Portal::start();
    let b = Browser::start().await;
    b.goto(&portal.url("/procedures/1.004194/apply")).await.unwrap();
    b.find("#read-question").await;
    // Headless Chromium has no voices: give it a Vietnamese one and listen to what is spoken.
    b.js("window.__spoken = []; speechSynthesis.getVoices = () => [{lang: 'vi-VN', name: 'test'}];
          speechSynthesis.speak = u => window.__spoken.push([u.text, u.lang]); return true").await;
    let question = b.js("return document.querySelector('#question').textContent.trim()").await;
    b.find("#read-question").await.click().await.unwrap();
    let spoken = b.until("the question spoken", "window.__spoken.length === 1 && window.__spoken[0]").await;
    assert_eq!(spoken, json!([question, "vi"]));
    // The error at the field too.
    b.find("#form-continue").await.click().await.unwrap();
    let error = b.until("the field error", "document.querySelector('#answer-error')?.textContent").await;
    b.find("#read-error").await.click().await.unwrap();
    let spoken = b.until("the error spoken", "window.__spoken.length === 2 && window.__spoken[1]").await;
    assert_eq!(spoken, json!([error, "vi"]));
    // A language the device has no voice for says so instead of reading it wrongly.
    b.js("const s = document.querySelector('#language-select'); s.value = 'km'; s.dispatchEvent(new Event('change', {bubbles: true})); return true").await;
    b.until("Khmer", "document.documentElement.lang === 'km'").await;
    b.find("#read-question").await.click().await.unwrap();
    b.until("no voice", "document.querySelector('#read-question + [role=status]')?.textContent").await;
    assert_eq!(b.js("return window.__spoken.length").await, 2);
    drop(portal);
    b.close().await;
}

/// axe-core (npm, installed by scripts/setup into .tools/) on a page as shown now:
/// the WCAG 2.x A and AA rules; returns "rule (n nodes): target…" per violation.
async fn axe_violations(b: &Browser) -> Vec<String> {
    let axe = std::fs::read_to_string(repo_root().join(".tools/node_modules/axe-core/axe.min.js"))
        .expect("axe-core is installed by scripts/setup into .tools/");
    b.js(&format!("{axe}; return true")).await;
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
                .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe ran");
    result.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_in_every_language_passes_axe() {
    let portal = Portal::start();
    let b = Browser::start().await;
    // A dossier to track, and an officer signed in for the desk's pages.
    let form = portal.get("/api/forms/1.004194").json();
    let agency = form["agency_id"].as_str().unwrap().to_owned();
    let body = json!({"procedure_code": "1.004194", "idempotency_key": "axe-check-key-000000001",
                      "answers": journeys::valid_answers(&form, "Hà Văn Páo")});
    let receipt = portal.request("POST", "/api/dossiers", &[("content-type", "application/json")], Some(body.to_string().as_bytes())).json();
    let (code, secret) = (receipt["code"].as_str().unwrap().to_owned(), receipt["secret"].as_str().unwrap().to_owned());
    // An administrator: every desk page, the administrator's area included.
    assert_eq!(portal.create_officer("axe.check", "Cán bộ kiểm tra", &agency, "administrator").status, 201);
    b.sign_in_at_desk(&portal, "axe.check").await;
    b.find("#queue").await;
    // A returned dossier, to be rated from tracking.
    let body = json!({"procedure_code": "1.004194", "idempotency_key": "axe-check-key-000000002",
                      "answers": journeys::valid_answers(&form, "Hà Thị Mỷ")});
    let returned = portal.request("POST", "/api/dossiers", &[("content-type", "application/json")], Some(body.to_string().as_bytes())).json();
    let signed = portal.request("POST", "/api/desk/session", &[("content-type", "application/json")],
        Some(json!({"username": "axe.check", "password": "mat-khau-rat-dai-123"}).to_string().as_bytes()));
    let cookie = signed.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    for action in ["accept", "start_processing", "finish", "return_result"] {
        let reply = portal.request("POST", &format!("/api/desk/dossiers/{}/actions", returned["code"].as_str().unwrap()),
            &[("content-type", "application/json"), ("cookie", &cookie)], Some(json!({"action": action}).to_string().as_bytes()));
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
    }
    let track = format!("/track/{code}#{secret}");
    let rate = format!("/track/{}#{}", returned["code"].as_str().unwrap(), returned["secret"].as_str().unwrap());
    let desk_dossier = format!("/desk/dossiers/{code}");
    let receipt_page = format!("/receipt/{code}");
    // What the device holds before a page opens: a draft at its check page, a
    // receipt, a dossier waiting in the outbox, one the portal refused.
    let check_draft = "localStorage.setItem('motcua.draft.1.004194', JSON.stringify({key: 'axe-draft-key-000000000001', step: 99, answers: {}, photos: {}}))".to_owned();
    // The same form at "how should we tell you" (after its 11 questions).
    let notify_draft = "localStorage.setItem('motcua.draft.1.004194', JSON.stringify({key: 'axe-draft-key-000000000002', step: 11, answers: {}, photos: {}}))".to_owned();
    let receipts = format!("localStorage.setItem('motcua.receipts', JSON.stringify([{receipt}]))");
    let outbox_item = |key: &str, state: &str| {
        let item = json!({"key": key, "procedure_code": "1.004194", "state": state, "queued_at": "2026-11-23T09:00:00.000+07:00",
            "attempts": 1, "error": {"code": "invalid_parameter", "message": "the form changed"},
            "body": {"procedure_code": "1.004194", "idempotency_key": key, "answers": {}}});
        format!("await new Promise((ok, fail) => {{ const open = indexedDB.open('motcua-outbox', 1);
            open.onupgradeneeded = () => {{ open.result.createObjectStore('outbox', {{keyPath: 'key'}}); open.result.createObjectStore('photos', {{keyPath: 'id'}}); }};
            open.onerror = fail;
            open.onsuccess = () => {{ const tx = open.result.transaction('outbox', 'readwrite'); tx.objectStore('outbox').put({item});
                tx.oncomplete = () => {{ open.result.close(); ok(); }}; }}; }})")
    };
    let (queued, refused) = (outbox_item("axe-queued-key-000000000001", "waiting"), outbox_item("axe-refused-key-00000000001", "refused"));
    struct Page<'a> {
        path: &'a str,
        /// Script run (awaited) on the home page first.
        before: Option<&'a str>,
        ready: &'a str,
        /// A button pressed, and what shows then.
        then: Option<(&'a str, &'a str)>,
    }
    let page = |path, ready| Page { path, before: None, ready, then: None };
    let pages = [
        page("/", "#search-q"),
        page("/procedures/1.001193", "#documents"),
        Page { before: Some("localStorage.removeItem('motcua.draft.1.004194')"), ..page("/procedures/1.004194/apply", "#question") },
        Page { before: Some(&check_draft), then: Some(("#form-submit", "#error-summary")), ..page("/procedures/1.004194/apply", "#check-answers") },
        Page { before: Some(&notify_draft), then: Some(("#form-continue", "#answer-error")), ..page("/procedures/1.004194/apply", "input[name=notify-channel]") },
        Page { before: Some(&receipts), ..page(&receipt_page, "#receipt-status[data-state=received]") },
        Page { before: Some(&queued), ..page("/receipt/axe-queued-key-000000000001", "#receipt-status[data-state=queued]") },
        Page { before: Some(&refused), ..page("/receipt/axe-refused-key-00000000001", "#receipt-status[data-state=refused]") },
        Page { before: Some(&queued), ..page("/", "#outbox") },
        page("/track", "#track-code"),
        page(&track, "#timeline"),
        Page { then: Some(("#rate-submit", "#rating-error")), ..page(&rate, "#rate fieldset") },
        page("/dashboard", "#figures"),
        Page { then: Some(("#search-q", "#keypad")), ..page("/?kiosk=1&idle=3600", "#search-q") },
        page("/desk", "#queue"),
        page(&desk_dossier, "#dossier-history"),
        page("/desk/intake", "#intake-forms"),
        page("/desk/counter", "#counter-name"),
        page("/desk/ratings", "#staff-officers"),
        page("/desk/admin", "#admin-audit"),
        page("/desk/studio", "#studio-strings li"),
    ];
    // axe really looks: an image without a text alternative is reported.
    b.goto(&portal.url("/")).await.unwrap();
    b.find("#search-q").await;
    until_offline_ready(&b).await;
    b.js("const i = document.createElement('img'); i.id = 'no-alt'; i.src = 'data:,'; document.querySelector('main').append(i); return true").await;
    let seeded = axe_violations(&b).await;
    assert!(seeded.iter().any(|v| v.starts_with("image-alt") && v.contains("#no-alt")), "{seeded:?}");

    let mut found = Vec::new();
    // The offered languages (a language below 90% is not in the menu; one chosen before shows Vietnamese).
    for lang in ["vi", "en", "hmn", "km"] {
        for p in &pages {
            // `kiosk=0`: the kiosk page's setting must not follow to the next.
            b.goto(&portal.url("/?kiosk=0")).await.unwrap();
            b.js(&format!("localStorage.setItem('motcua.lang', '{lang}'); document.cookie = 'motcua_prefs={lang}.0; path=/'; return true")).await;
            if let Some(before) = p.before {
                let script = format!("const done = arguments[arguments.length - 1]; (async () => {{ {before}; }})().then(() => done(true), e => done('' + e));");
                assert_eq!(b.client.execute_async(&script, vec![]).await.unwrap(), json!(true), "{}", p.path);
            }
            b.goto(&portal.url(p.path)).await.unwrap();
            b.find(p.ready).await;
            b.until("the page settled", "!document.querySelector('#boot') && !document.querySelector('.status[role=status]')").await;
            for v in axe_violations(&b).await {
                found.push(format!("{lang} {}: {v}", p.path));
            }
            if let Some((press, shows)) = p.then {
                b.find(press).await.click().await.unwrap();
                b.find(shows).await;
                for v in axe_violations(&b).await {
                    found.push(format!("{lang} {} after {press}: {v}", p.path));
                }
            }
        }
    }
    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
    drop(portal);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_publishes_a_catalogue_file_from_the_desk() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("tinh.admin", "Trần Văn Tỉnh", "000.00.06.H56", "administrator").status, 201);
    // The province's next catalogue: the same 53 records, marriage registration renamed.
    let text = std::fs::read_to_string(repo_root().join("data/procedures.json")).unwrap();
    let mut records: Vec<Value> = serde_json::from_str(&text).unwrap();
    records.iter_mut().find(|r| r["code"] == "1.000894").unwrap()["name_vi"] = json!("Thủ tục đăng ký kết hôn (tên mới)");
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), serde_json::to_string(&records).unwrap()).unwrap();

    let b = Browser::start().await;
    b.sign_in_at_desk(&portal, "tinh.admin").await;
    b.find("#nav-admin").await.click().await.unwrap();
    b.until("the imports so far", "document.querySelectorAll('#admin-imports tbody tr').length === 1").await;
    b.until("the calendar's years", "document.querySelector('#admin-calendar')?.textContent.includes('2027')").await;

    b.find("#import-file").await.send_keys(file.path().to_str().unwrap()).await.unwrap();
    b.find("#import-send").await.click().await.unwrap();
    let counts = b.until("the preview", "document.querySelector('#preview-counts')?.textContent").await;
    let counts = counts.as_str().unwrap();
    assert!(counts.contains("Thủ tục: 53") && counts.contains("Thay đổi: 1") && counts.contains("Bãi bỏ: 0"), "{counts}");
    let changed = b.js("return document.querySelector('#preview-changed').textContent").await;
    assert!(changed.as_str().unwrap().contains("1.000894"), "{changed}");
    // Nothing is public before the administrator publishes.
    assert_eq!(portal.get("/api/procedures/1.000894").json()["name"], "Đăng ký kết hôn");
    b.screenshot("desk-admin-preview").await;

    b.find("#import-publish").await.click().await.unwrap();
    b.find("#import-done").await;
    assert_eq!(portal.get("/api/procedures/1.000894").json()["name"], "Đăng ký kết hôn (tên mới)");
    b.until("the new version in the history", "document.querySelectorAll('#admin-imports tbody tr').length === 2").await;
    let audit = b.until("the audit trail", "document.querySelector('#admin-audit')?.textContent.includes('catalogue.publish') && document.querySelector('#admin-audit').textContent").await;
    assert!(audit.as_str().unwrap().contains("tinh.admin"), "{audit}");
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "{violations:?}");
    b.close().await;
}

#[tokio::test]
async fn an_administrator_previews_and_publishes_a_new_form_version_from_the_desk() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("tinh.admin", "Trần Văn Tỉnh", "000.21.06.H56", "administrator").status, 201);
    // The birth form's next version: a new title.
    let text = std::fs::read_to_string(repo_root().join("data/forms/1.001193.json")).unwrap();
    let mut form: Value = serde_json::from_str(&text).unwrap();
    form["title_vi"] = json!("Đăng ký khai sinh (mẫu mới)");
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), form.to_string()).unwrap();

    let b = Browser::start().await;
    b.sign_in_at_desk(&portal, "tinh.admin").await;
    b.find("#nav-admin").await.click().await.unwrap();
    b.until("the published forms", "document.querySelectorAll('#admin-forms-table tbody tr').length === 8").await;

    b.find("#form-file").await.send_keys(file.path().to_str().unwrap()).await.unwrap();
    b.find("#save-form-draft").await.click().await.unwrap();
    let saved = b.until("the draft saved", "document.querySelector('#form-result')?.textContent").await;
    assert!(saved.as_str().unwrap().contains('2') && saved.as_str().unwrap().contains("1.001193"), "{saved}");
    // Citizens still get version 1.
    assert_eq!(portal.get("/api/forms/1.001193").json()["title_vi"], "Đăng ký khai sinh");

    // The preview is the citizen's form, marked as a preview.
    let href = b.until("the preview link", "document.querySelector('a.preview-form[data-code=\"1.001193\"]')?.getAttribute('href')").await;
    assert_eq!(href, json!("/apply/1.001193/preview/2"));
    b.goto(&portal.url("/apply/1.001193/preview/2")).await.unwrap();
    b.find("#preview-banner").await;
    let heading = b
        .until("the new title", "document.querySelector('h1')?.textContent.includes('mẫu mới') && document.querySelector('h1').textContent")
        .await;
    assert!(heading.as_str().unwrap().contains("Đăng ký khai sinh (mẫu mới)"), "{heading}");
    b.screenshot("form-preview").await;
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "preview: {violations:?}");

    b.goto(&portal.url("/desk/admin")).await.unwrap();
    b.find("button.publish-form[data-code=\"1.001193\"]").await.click().await.unwrap();
    let published = b.until("published", "document.querySelector('#publish-result[role=status]')?.textContent").await;
    assert!(published.as_str().unwrap().contains('2'), "{published}");
    let now = portal.get("/api/forms/1.001193").json();
    assert_eq!((now["version"].clone(), now["title_vi"].clone()), (json!(2), json!("Đăng ký khai sinh (mẫu mới)")));
    b.until("the audit trail", "document.querySelector('#admin-audit')?.textContent.includes('form.publish')").await;
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "{violations:?}");
    b.close().await;
}

#[tokio::test]
async fn an_administrator_adds_an_agency_and_an_officer_from_the_desk() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("tinh.admin", "Trần Văn Tỉnh", "000.21.06.H56", "administrator").status, 201);
    let b = Browser::start().await;
    b.sign_in_at_desk(&portal, "tinh.admin").await;
    b.find("#nav-admin").await.click().await.unwrap();
    b.until("the agencies", "document.querySelectorAll('#admin-agencies-table tbody tr').length === 2").await;

    // The provincial centre also receives births.
    b.find("#agency-id").await.send_keys("000.30.06.H56").await.unwrap();
    b.find("#agency-name").await.send_keys("Trung tâm Phục vụ hành chính công tỉnh Lào Cai").await.unwrap();
    b.find("#agency-address").await.send_keys("Đại lộ Trần Hưng Đạo, phường Lào Cai").await.unwrap();
    b.find("#agency-hours").await.send_keys("Thứ Hai đến Thứ Sáu, 7:30–17:00").await.unwrap();
    b.find("#agency-procedures").await.send_keys("1.001193").await.unwrap();
    // A phone the portal refuses: said in Vietnamese, naming the field; nothing typed is lost.
    b.find("#agency-phone").await.send_keys("gọi bảo vệ").await.unwrap();
    b.find("#save-agency").await.click().await.unwrap();
    let refused = b.until("the refusal", "document.querySelector('#agency-result[data-outcome=refused]')?.textContent").await;
    let refused = refused.as_str().unwrap();
    assert!(refused.contains("Chưa lưu được cơ quan") && refused.contains("chỉ gồm chữ số"), "{refused}");
    assert_eq!(b.js("return document.querySelector('#agency-name').value").await, json!("Trung tâm Phục vụ hành chính công tỉnh Lào Cai"));
    b.js("const p = document.querySelector('#agency-phone'); p.value = ''; p.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
    b.find("#save-agency").await.click().await.unwrap();
    b.find("#agency-result[data-outcome=added]").await;
    b.until("the new agency listed", "document.querySelectorAll('#admin-agencies-table tbody tr').length === 3").await;

    // An officer for it, with a first password shown once.
    b.find("#new-officer-username").await.send_keys("binh.le").await.unwrap();
    b.find("#new-officer-name").await.send_keys("Lê Văn Bình").await.unwrap();
    b.until("the agency to choose", "!!document.querySelector('#new-officer-agency option[value=\"000.30.06.H56\"]')").await;
    b.find("#new-officer-agency option[value=\"000.30.06.H56\"]").await.click().await.unwrap();
    b.find("#create-officer").await.click().await.unwrap();
    let password = b.until("the first password", "document.querySelector('#officer-password-value')?.textContent").await;
    let password = password.as_str().unwrap().trim().to_owned();
    let signed_in = portal.post_json("/api/desk/session", None, &json!({"username": "binh.le", "password": password}));
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    b.until("the officer listed", "!!document.querySelector('#admin-officers-table tr[data-username=\"binh.le\"]')").await;
    b.until("the audit trail", "document.querySelector('#admin-audit')?.textContent.includes('officer.create')").await;
    b.screenshot("desk-admin-officers").await;
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "{violations:?}");

    // Citizens read where to go on the procedure page.
    b.goto(&portal.url("/procedures/1.001193")).await.unwrap();
    let places = b.until("where to go", "document.querySelector('#where-to-go')?.textContent.includes('Trung tâm Phục vụ') && document.querySelector('#where-to-go').textContent").await;
    assert!(places.as_str().unwrap().contains("Mù Cang Chải"), "{places}");
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "procedure page: {violations:?}");
    b.close().await;
}

#[tokio::test]
async fn an_administrator_words_the_citizens_messages_and_an_officer_sees_them_go() {
    let gateway = journeys::FakeGateway::start();
    let (url, origin) = (gateway.url(), gateway.origin());
    let portal = Portal::start_with_variables(&[("sms_gateway_url", &url), ("sms_gateway_origin", &origin)]);
    assert_eq!(portal.create_officer("tinh.admin", "Trần Văn Tỉnh", "000.21.06.H56", "administrator").status, 201);
    let b = Browser::start().await;
    b.sign_in_at_desk(&portal, "tinh.admin").await;
    b.find("#nav-admin").await.click().await.unwrap();
    b.until("the templates", "document.querySelectorAll('#admin-templates tbody tr').length >= 14").await;
    b.find("#admin-templates tr[data-template=\"accepted/vi\"] .template-edit").await.click().await.unwrap();
    b.until("the template in the editor", "document.activeElement?.id === 'template-text' && document.querySelector('#template-text').value.includes('{code}')").await;
    // What an SMS costs, as typed: Vietnamese with diacritics is Unicode.
    let sms = b.until("the SMS length", "document.querySelector('#template-sms')?.textContent").await;
    assert!(sms.as_str().unwrap().contains("có dấu"), "{sms}");

    // Without the dossier's code: said as it is typed, and not saved.
    let set = |text: &str| format!("const t = document.querySelector('#template-text'); t.value = {}; t.dispatchEvent(new Event('input', {{bubbles: true}})); return true", json!(text));
    b.js(&set("Ho so da duoc tiep nhan")).await;
    b.until("the problem", "document.querySelector('#template-problem')?.textContent.includes('{code}')").await;
    b.find("#save-template").await.click().await.unwrap();
    let refused = b.until("the refusal", "document.querySelector('#template-result[role=alert]')?.textContent").await;
    assert!(refused.as_str().unwrap().contains("Chưa lưu mẫu tin"), "{refused}");
    assert_eq!(b.js("return document.activeElement.id").await, "template-result", "said where the administrator is looking");

    // Without diacritics it fits one SMS; the preview fills in a sample dossier.
    b.js(&set("Ho so {code} da duoc tiep nhan. Xem: {link}")).await;
    let sms = b.until("one SMS", "document.querySelector('#template-sms')?.textContent.startsWith('1 tin') && document.querySelector('#template-sms').textContent").await;
    assert!(sms.as_str().unwrap().contains("không dấu"), "{sms}");
    let preview = b.js("return document.querySelector('#template-preview').textContent").await;
    assert!(preview.as_str().unwrap().starts_with("Ho so 000.00.12.H39-261126-0001 da duoc tiep nhan"), "{preview}");
    b.find("#save-template").await.click().await.unwrap();
    b.until("saved", "document.querySelector('#template-result[role=status]')?.textContent.includes('Đã lưu')").await;
    b.until("the new words listed", "document.querySelector('#admin-templates tr[data-template=\"accepted/vi\"]')?.textContent.includes('Ho so {code} da duoc')").await;
    b.until("the audit trail", "document.querySelector('#admin-audit')?.textContent.includes('template.save')").await;
    b.screenshot("desk-admin-templates").await;
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "{violations:?}");

    // A citizen who chose SMS is accepted: the message goes in the new words,
    // and the dossier page shows it went and what the gateway said.
    let mut body = portal.birth_submission("browser-notify-key-000001");
    body["notify"] = json!({"channel": "sms", "phone": "0912345678"});
    let receipt = portal.post_json("/api/dossiers", None, &body).json();
    let code = receipt["code"].as_str().unwrap().to_owned();
    b.goto(&portal.url(&format!("/desk/dossiers/{code}"))).await.unwrap();
    b.until("the dossier", "document.querySelector('#action-accept')").await;
    assert!(b.js("return document.querySelector('#dossier-messages')").await.is_null(), "nothing sent yet");
    act(&b, "accept", None).await;
    let row = b.until("the message listed", "document.querySelector('#dossier-messages tbody tr[data-state=sent]')?.textContent").await;
    let row = row.as_str().unwrap();
    assert!(row.contains("Đã gửi") && row.contains("+84912***678") && row.contains("HTTP 202"), "{row}");
    let sent = gateway.wait_for(1);
    assert_eq!(sent[0].body["text"], json!(format!("Ho so {code} da duoc tiep nhan. Xem: {}/track/{code}", portal.base)));
    let violations = axe_violations(&b).await;
    assert!(violations.is_empty(), "{violations:?}");
    b.close().await;
}

/// What the page says when the person acts, on a 320 px phone with 200% text.
#[tokio::test]
async fn feedback_appears_where_the_person_is_looking() {
    let portal = Portal::start();
    let agency = portal.get("/api/forms/1.001193").json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("lan.nguyen", "Nguyễn Thị Lan", &agency, "officer").status, 201);
    let cookie = portal.sign_in("lan.nguyen");
    let act = |code: &str, body: Value| {
        let reply = portal.post_json(&format!("/api/desk/dossiers/{code}/actions"), Some(&cookie), &body);
        assert_eq!(reply.status, 200, "{}", reply.text());
    };
    let submit = |key: &str| portal.post_json("/api/dossiers", None, &portal.birth_submission(key)).json();
    let waiting = submit("feedback-papers-key-00001");
    let done = submit("feedback-rating-key-00001");
    let (waiting_code, done_code) = (waiting["code"].as_str().unwrap(), done["code"].as_str().unwrap());
    act(waiting_code, json!({"action": "accept"}));
    act(waiting_code, json!({"action": "request_documents", "reason": "Thiếu giấy chứng sinh"}));
    for action in ["accept", "start_processing", "finish", "return_result"] {
        act(done_code, json!({"action": action}));
    }
    let b = Browser::start_small_phone_with_large_text().await;
    let in_view = |id: &str| format!("(() => {{ const r = document.querySelector('#{id}')?.getBoundingClientRect(); return !!r && r.top >= 0 && r.bottom <= innerHeight; }})()");

    // Papers asked for: "send" cannot be pressed before a photo, and looks it.
    b.goto(&portal.url(&format!("/track/{waiting_code}#{}", waiting["secret"].as_str().unwrap()))).await.unwrap();
    b.until("the papers asked for", "document.querySelector('#supply-send')").await;
    assert_eq!(b.js("return document.querySelector('#tracking').getAttribute('role')").await, Value::Null, "the card is not re-read on every change");
    let looks = b.js("const s = getComputedStyle(document.querySelector('#supply-send')); return [document.querySelector('#supply-send').disabled, s.backgroundColor, s.cursor]").await;
    assert_eq!(looks, json!([true, "rgb(228, 231, 234)", "not-allowed"]), "a button that cannot be pressed looks it");
    add_photo(&b, "#supply-photos", 1).await;
    b.until("send enabled", "!document.querySelector('#supply-send').disabled").await;
    assert_eq!(b.js("return getComputedStyle(document.querySelector('#supply-send')).backgroundColor").await, json!("rgb(11, 79, 138)"));
    b.find("#supply-send").await.click().await.unwrap();
    b.until("the confirmation, focused", "document.activeElement?.id === 'supply-sent'").await;
    let rect = b.js("const r = document.querySelector('#supply-sent').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]").await;
    assert_eq!(b.js(&format!("return {}", in_view("supply-sent"))).await, json!(true), "said where the person tapped: {rect}");
    let below = b.js("return document.querySelector('#supply-sent').getBoundingClientRect().top >= document.querySelector('#supply-send').getBoundingClientRect().bottom").await;
    assert_eq!(below, json!(true), "under the button pressed");

    // A rating: three faces on one row, and the thanks under the button.
    b.goto(&portal.url(&format!("/track/{done_code}#{}", done["secret"].as_str().unwrap()))).await.unwrap();
    b.until("the rating form", "document.querySelectorAll('.rating-question').length >= 5").await;
    // With 200% text each face takes a row and its words stay whole beside it.
    let widths = b.js("return [...document.querySelectorAll('.face-choice label')].every(l => l.scrollWidth <= l.clientWidth + 1)").await;
    assert_eq!(widths, json!(true), "no word runs out of its face");
    let inside = b.js("const card = document.querySelector('.rating-question').closest('section, form').getBoundingClientRect(); return [...document.querySelectorAll('.face-choice label')].map(l => l.getBoundingClientRect().right - card.right)").await;
    assert!(inside.as_array().unwrap().iter().all(|d| d.as_f64().unwrap() <= 0.5), "the faces stay inside their card: {inside}");
    b.js("document.querySelector('.rating-question').scrollIntoView(); return true").await;
    b.screenshot("faces-320px-large-text").await;
    // At 320 px with the phone's usual text, the three faces share one row.
    let phone = Browser::launch(json!({"mobileEmulation": {"deviceMetrics": {"width": 320, "height": 640, "pixelRatio": 2, "touch": false}}})).await;
    phone.goto(&portal.url(&format!("/track/{done_code}#{}", done["secret"].as_str().unwrap()))).await.unwrap();
    phone.until("the rating form at 320 px", "document.querySelectorAll('.rating-question').length >= 5").await;
    let rows = phone.js("return [...document.querySelectorAll('.rating-question .faces')].map(f => new Set([...f.querySelectorAll('label')].map(l => Math.round(l.getBoundingClientRect().top))).size)").await;
    assert!(rows.as_array().unwrap().iter().all(|n| n == 1), "three faces on one row at 320 px: {rows}");
    phone.js("document.querySelector('.rating-question').scrollIntoView(); return true").await;
    phone.screenshot("faces-320px").await;
    phone.close().await;
    b.js("document.querySelectorAll('.rating-question').forEach(q => q.querySelector('label').click()); return true").await;
    b.find("#rate-submit").await.click().await.unwrap();
    b.until("the thanks, focused", "document.activeElement?.id === 'rating-thanks'").await;
    assert_eq!(b.js(&format!("return {}", in_view("rating-thanks"))).await, json!(true));

    // The dashboard counts it at once; its chart says "%" in type a phone can read.
    b.goto(&portal.url("/dashboard")).await.unwrap();
    b.until("the chart", "document.querySelectorAll('#chart-satisfaction .bar-value').length > 0").await;
    let values = b.js("return [...document.querySelectorAll('#chart-satisfaction .bar-value')].map(t => t.textContent)").await;
    assert!(values.as_array().unwrap().iter().all(|v| v.as_str().unwrap().ends_with('%')), "{values}");
    let smallest = b.js("return Math.min(...[...document.querySelectorAll('.chart text')].map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getBoundingClientRect().width / 320))").await;
    assert!(smallest.as_f64().unwrap() >= 12.0, "chart text {smallest} px");
    let table = b.js("return document.querySelector('#figures').textContent").await;
    assert!(table.as_str().unwrap().contains("câu trả lời"), "counts say what they count: {table}");
    let counted = b.js("return [...document.querySelectorAll('#figures tbody tr')].some(r => r.cells[2].textContent.trim() === '5')").await;
    assert_eq!(counted, json!(true), "the rating just given is counted: {table}");
    b.js("document.querySelector('#chart-satisfaction').scrollIntoView(); return true").await;
    b.screenshot("dashboard-320px-large-text").await;
    b.close().await;
}

/// A phone that runs no JavaScript (a feature phone, Opera Mini's server
/// mode, or JavaScript turned off): the server's pages are the whole portal.
/// Accent-free search, a filter, the procedure's page, the language and text
/// size kept from page to page, the accessibility statement; axe on each.
/// Also run on real Spin (scripts/test).
#[tokio::test(flavor = "multi_thread")]
async fn a_phone_without_javascript_searches_and_reads_a_procedure() {
    let portal = Portal::start();
    let b = Browser::start_without_javascript().await;
    b.goto(&portal.url("/")).await.unwrap();
    assert!(!b.client.find_all(Locator::Css("#results .procedure-card")).await.unwrap().is_empty(), "the catalogue's first page is there");
    let noscript = b.client.find_all(Locator::Css("noscript, #boot")).await.unwrap();
    assert!(noscript.is_empty(), "no 'needs JavaScript' line any more");

    // Search without diacritics: a plain GET form.
    b.find("#search-q").await.send_keys("dang ky khai sinh").await.unwrap();
    b.find("#search-submit").await.click().await.unwrap();
    // (chromedriver runs its own scripts in a page whose scripts are off)
    b.until("the search's page", "location.search.includes('q=dang')").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/");
    assert!(url.query().unwrap_or_default().contains("q=dang+ky+khai+sinh"), "{url}");
    let first = b.find("#results .procedure-card").await.text().await.unwrap();
    assert!(first.contains("Đăng ký khai sinh"), "first result: {first}");
    assert_eq!(b.find("#search-q").await.prop("value").await.unwrap().as_deref(), Some("dang ky khai sinh"));
    let count = b.find("#result-count").await.text().await.unwrap();
    assert!(count.starts_with("Tìm thấy"), "{count}");

    // A filter, applied with the search button.
    b.find("#filter-level").await.select_by_value("commune").await.unwrap();
    b.find("#search-submit").await.click().await.unwrap();
    b.until("the filtered page", "location.search.includes('level=commune')").await;
    let selected = b.find("#filter-level option[selected]").await.attr("value").await.unwrap();
    assert_eq!(selected.as_deref(), Some("commune"), "the filter shows what is applied");

    // The procedure's page: what to bring, where, and the way to apply.
    b.find("#results a.procedure-card[href$='/procedures/1.001193']").await.click().await.unwrap();
    b.until("the procedure's page", "location.pathname === '/procedures/1.001193'").await;
    let heading = b.find("#procedure-name").await;
    assert!(heading.text().await.unwrap().contains("Đăng ký khai sinh"));
    assert_eq!(heading.attr("lang").await.unwrap().as_deref(), Some("vi"));
    let documents = b.client.find_all(Locator::Css("#documents li")).await.unwrap();
    assert!(documents.len() >= 3, "{} documents", documents.len());
    assert!(b.find("#documents").await.text().await.unwrap().contains("Giấy chứng sinh"));
    assert_eq!(b.find("#apply").await.attr("href").await.unwrap().as_deref(), Some("/procedures/1.001193/apply"));
    let title = b.client.title().await.unwrap();
    assert!(title.starts_with("Đăng ký khai sinh"), "{title}");

    // English, chosen in the header's form: the same page, the interface in English.
    b.find("#language-select").await.select_by_value("en").await.unwrap();
    b.find("#language-apply").await.click().await.unwrap();
    b.until("the page in English", "document.documentElement.lang === 'en'").await;
    assert_eq!(b.find("html").await.attr("lang").await.unwrap().as_deref(), Some("en"));
    assert_eq!(b.client.current_url().await.unwrap().path(), "/procedures/1.001193");
    let documents_heading = b.find("#documents-heading").await.text().await.unwrap();
    assert_eq!(documents_heading, locale_text("en", "detail.documents"));
    assert!(b.find("#procedure-name").await.text().await.unwrap().contains("Đăng ký khai sinh"), "the record stays Vietnamese");

    // Large text, then the next page keeps both choices.
    b.find("#text-size-toggle").await.click().await.unwrap();
    b.until("large text", "document.documentElement.className === 'large-text'").await;
    assert_eq!(b.find("html").await.attr("class").await.unwrap().as_deref(), Some("large-text"));
    assert_eq!(b.find("#text-size-toggle").await.attr("aria-pressed").await.unwrap().as_deref(), Some("true"));
    b.goto(&portal.url("/?q=ket+hon")).await.unwrap();
    assert_eq!(b.find("html").await.attr("lang").await.unwrap().as_deref(), Some("en"));
    assert_eq!(b.find("html").await.attr("class").await.unwrap().as_deref(), Some("large-text"));
    assert!(b.find("#results .procedure-card").await.text().await.unwrap().to_lowercase().contains("kết hôn"));

    // The accessibility statement, from the footer.
    b.find("#accessibility-link").await.click().await.unwrap();
    b.until("the statement", "location.pathname === '/accessibility'").await;
    assert_eq!(b.find("h1").await.text().await.unwrap(), locale_text("en", "a11y.title"));
    assert!(b.find("#a11y-report").await.text().await.unwrap().contains(&locale_text("en", "a11y.report.title")));
    assert!(b.find("main").await.text().await.unwrap().contains("WCAG 2.2"));

    // Applying online, one question a page: each a plain form posted to the
    // portal, the answers kept on the server under the draft's cookie.
    b.goto(&portal.url("/procedures/1.001193")).await.unwrap();
    b.find("#apply").await.click().await.unwrap();
    let form = ServerForm { b: &b };
    form.at(0).await;
    assert_eq!(b.find("#form-progress").await.text().await.unwrap(), "Step 1 of 13");
    // A name with a digit is refused, naming the question; what was typed stays.
    form.type_answer("Lò Thị Mai 2").await;
    form.go_on().await;
    b.until("the refusal", "!!document.querySelector('#answer-error')").await;
    assert_eq!(b.find("#answer").await.prop("value").await.unwrap().as_deref(), Some("Lò Thị Mai 2"));
    assert_eq!(b.find("#answer").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert!(b.find("#answer-error").await.text().await.unwrap().contains(&b.find("#question").await.text().await.unwrap()));
    form.answer(0, "Lò Thị Mai").await;
    form.answer(1, "079203001234").await;
    form.answer(2, "0912345678").await;
    form.answer(3, "Lò Văn Pao").await;
    b.find("label[for='answer']").await.click().await.unwrap();
    form.go_on().await;
    form.at(5).await;
    // A date input as the phone's own picker fills it.
    b.js("document.getElementById('answer').value = '2026-11-02'; return true").await;
    form.go_on().await;
    // The address: the province first, then its communes (the page is posted between).
    form.at(6).await;
    assert_eq!(b.find("#answer-commune").await.attr("disabled").await.unwrap().as_deref(), Some("true"));
    b.find("#answer").await.select_by_value("Lào Cai").await.unwrap();
    form.go_on().await;
    b.until("the province's communes", "!document.getElementById('answer-commune').disabled").await;
    b.find("#answer-commune").await.select_by_value("Xã Mù Cang Chải").await.unwrap();
    b.find("#answer-detail").await.send_keys("Bản Na Sang").await.unwrap();
    form.go_on().await;
    form.answer(7, "Lò Thị Mai").await;
    for optional in 8..=10 {
        form.at(optional).await;
        form.go_on().await;
    }
    // The birth notice: a file that is not a photo is refused, then the photo is sent.
    form.at(11).await;
    let fixture = |name: &str| repo_root().join("tests/fixtures").join(name).display().to_string();
    b.find("#answer").await.send_keys(&fixture("not-a-photo.txt")).await.unwrap();
    b.find("#photo-add").await.click().await.unwrap();
    b.until("the refusal", "!!document.querySelector('#answer-error')").await;
    assert_eq!(b.find("#answer-error").await.text().await.unwrap(), locale_text("en", "photo.error.not_a_photo"));
    b.find("#answer").await.send_keys(&fixture("birth-notice.jpg")).await.unwrap();
    b.find("#photo-add").await.click().await.unwrap();
    b.until("the photo in the list", "document.querySelectorAll('#photos li').length === 1").await;
    assert!(b.client.find_all(Locator::Css("#answer-error")).await.unwrap().is_empty());
    form.go_on().await;
    // How to be told: SMS to the phone given.
    form.at(12).await;
    b.find("label[for='answer']").await.click().await.unwrap();
    b.find("#notify-phone").await.send_keys("0912345678").await.unwrap();
    form.go_on().await;
    // Check your answers; one is changed from there, and the page comes back.
    b.until("the check page", "!!document.getElementById('check-answers')").await;
    let answers = b.find("#check-answers").await.text().await.unwrap();
    assert!(answers.contains("Lò Văn Pao") && answers.contains("Bản Na Sang, Xã Mù Cang Chải, Lào Cai"), "{answers}");
    assert!(answers.contains("02/11/2026") && answers.contains("(SMS) — 0912345678"), "{answers}");
    b.find("a.change-answer[href$='step=3&change=1']").await.click().await.unwrap();
    form.at(3).await;
    assert_eq!(b.find("#answer").await.prop("value").await.unwrap().as_deref(), Some("Lò Văn Pao"));
    form.type_answer("Lò Văn Páo").await;
    form.go_on().await;
    b.until("the check page again", "!!document.getElementById('check-answers')").await;
    assert!(b.find("#check-answers").await.text().await.unwrap().contains("Lò Văn Páo"));
    // Sent: the receipt is the answer to the post, with nothing in the address.
    b.find("#form-submit").await.click().await.unwrap();
    b.until("the receipt", "!!document.getElementById('receipt-code')").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!((url.path(), url.query()), ("/procedures/1.001193/apply", None), "{url}");
    let code = b.find("#receipt-code").await.text().await.unwrap();
    let secret = b.find("#receipt-secret").await.text().await.unwrap();
    let (code, secret) = (code.as_str(), secret.as_str());
    assert!(!b.find("#receipt-appointment").await.text().await.unwrap().is_empty());
    b.screenshot("no-javascript-receipt").await;

    // On to tracking: the receipt posts its code and secret (never in a URL).
    b.find("#receipt-track").await.click().await.unwrap();
    b.until("the dossier", "!!document.querySelector('#track-status')").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!((url.path(), url.query(), url.fragment()), ("/track", None, None), "nothing in the address: {url}");
    let status = b.find("#track-status").await.text().await.unwrap();
    assert!(status.contains(&locale_text("en", "status.submitted")), "{status}");
    assert!(b.find("#timeline").await.text().await.unwrap().contains(&locale_text("en", "status.submitted")));
    let told = b.find("#messages-to").await.text().await.unwrap();
    assert!(told.contains("SMS") && !told.contains("0912345678"), "masked: {told}");
    b.find("#messages-stop").await.click().await.unwrap();
    b.until("messages stopped", "!!document.querySelector('#messages-stopped')").await;
    assert_eq!(b.find("#messages-to").await.text().await.unwrap(), locale_text("en", "track.not_told"));
    // A receipt's link: the code is filled in (the secret, after `#`, stays in
    // the browser); a wrong secret is refused.
    b.goto(&portal.url(&format!("/track/{code}"))).await.unwrap();
    assert_eq!(b.find("#track-code").await.prop("value").await.unwrap().as_deref(), Some(code));
    b.find("#track-secret").await.send_keys("not-the-secret").await.unwrap();
    b.find("#track-submit").await.click().await.unwrap();
    b.until("the refusal", "!!document.querySelector('#track-error')").await;
    assert_eq!(b.find("#track-error").await.text().await.unwrap(), locale_text("en", "track.not_found"));
    let tracked = portal.post_json(&format!("/api/dossiers/{code}/tracking"), None, &json!({ "secret": secret })).json();
    assert!(tracked["told_by"].is_null(), "{tracked}");

    // The result is returned at the desk; the citizen looks again and rates the service.
    let agency = portal.get("/api/forms/1.001193").json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("no.js.officer", "Lò Văn Pọm", &agency, "officer").status, 201);
    let cookie = portal.sign_in("no.js.officer");
    // What the form sent, as the officer reads it: every answer, the photo, one dossier.
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    assert_eq!(dossier["answers"]["child_name"], "Lò Văn Páo", "{dossier}");
    assert_eq!(dossier["answers"]["child_birth_place"], "Bản Na Sang, Xã Mù Cang Chải, Lào Cai", "{dossier}");
    assert_eq!(dossier["answers"]["child_birth_date"], "2026-11-02", "{dossier}");
    assert_eq!(dossier["attachments"].as_array().unwrap().len(), 1, "{dossier}");
    for action in ["accept", "start_processing", "finish", "return_result"] {
        let reply = portal.post_json(&format!("/api/desk/dossiers/{code}/actions"), Some(&cookie), &json!({ "action": action }));
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
    }
    b.goto(&portal.url("/track")).await.unwrap();
    b.find("#track-code").await.send_keys(code).await.unwrap();
    b.find("#track-secret").await.send_keys(secret).await.unwrap();
    b.find("#track-submit").await.click().await.unwrap();
    b.until("the rating form", "!!document.querySelector('#rate-submit')").await;
    assert_eq!(b.find("#track-status").await.attr("data-status").await.unwrap().as_deref(), Some("result_returned"));
    // One face is left out: the form says which, and keeps what was chosen and typed.
    let criteria = portal.get("/api/ratings/criteria").json();
    let ids: Vec<String> = criteria.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    for id in &ids[1..] {
        b.find(&format!("label[for='rate-{id}-very_satisfied']")).await.click().await.unwrap();
    }
    b.find("#rate-comment").await.send_keys("Cán bộ giải thích rõ").await.unwrap();
    b.find("#rate-submit").await.click().await.unwrap();
    b.until("the refusal", "!!document.querySelector('#rating-error')").await;
    let said = b.find("#rating-error").await.text().await.unwrap();
    assert!(said.starts_with(&locale_text("en", "rating.missing")), "{said}");
    let kept = b.client.find_all(Locator::Css("input[name^='rate-']:checked")).await.unwrap().len();
    assert_eq!(kept, ids.len() - 1, "the faces chosen are kept");
    assert_eq!(b.find("#rate-comment").await.prop("value").await.unwrap().as_deref(), Some("Cán bộ giải thích rõ"));
    b.find(&format!("label[for='rate-{}-satisfied']", ids[0])).await.click().await.unwrap();
    b.find("#rate-submit").await.click().await.unwrap();
    b.until("the thanks", "!!document.querySelector('#rating-thanks')").await;
    let rated = portal.post_json(&format!("/api/dossiers/{code}/tracking"), None, &json!({ "secret": secret })).json();
    assert_eq!(rated["rating"]["answers"][&ids[0]], "satisfied", "{rated}");
    assert_eq!(rated["rating"]["answers"][&ids[1]], "very_satisfied", "{rated}");
    assert_eq!(rated["rating"]["comment"], "Cán bộ giải thích rõ", "{rated}");

    // A code the catalogue does not have: a page that says so, in English, as a 404.
    b.goto(&portal.url("/procedures/9.999999")).await.unwrap();
    assert_eq!(b.find("h1").await.text().await.unwrap(), locale_text("en", "detail.not_found.title"));
    assert_eq!(portal.get("/procedures/9.999999").status, 404);
    b.screenshot("no-javascript-not-found").await;
    b.close().await;

    // axe on each of these pages as the server draws them, in Vietnamese and
    // in English with large text.
    for path in ["/?q=dang+ky+khai+sinh&level=commune", "/procedures/1.001193", "/accessibility", "/procedures/9.999999", "/track"] {
        for prefs in ["lang=vi&large=0", "lang=en&large=1"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let violations = axe_on_the_servers_page(&portal, &format!("{path}{sep}{prefs}")).await;
            assert!(violations.is_empty(), "{path} ({prefs}): {violations:#?}");
        }
    }
    let violations = axe_on_the_servers_form(&portal).await;
    assert!(violations.is_empty(), "the online form: {violations:#?}");
}

/// The citizens' voice on a phone that runs no JavaScript: a report sent
/// from the plain form (refused once, what was typed and the photo kept),
/// its receipt, the report opened with its secret (posted, never in the
/// address), the answer rated; then a comment on a draft. axe on each page
/// as the server draws it. Also run on real Spin (scripts/test).
#[tokio::test(flavor = "multi_thread")]
async fn a_phone_without_javascript_reports_rates_the_answer_and_comments_on_a_draft() {
    let portal = Portal::start();
    for (username, role) in [("lan.nguyen", "officer"), ("truong.xa", "supervisor")] {
        assert_eq!(portal.create_officer(username, "Cán bộ xã", "000.21.06.H56", role).status, 201);
    }
    let b = Browser::start_without_javascript().await;
    b.goto(&portal.url("/reports")).await.unwrap();
    b.find("#new-report").await.click().await.unwrap();
    b.until("the report form", "location.pathname === '/reports/new'").await;
    b.find("#report-subject-conduct").await.click().await.unwrap();
    b.find("#report-text").await.send_keys("Chờ lâu").await.unwrap();
    b.find("#report-name").await.send_keys("Vàng A Dế").await.unwrap();
    b.find("#report-photos").await.send_keys(&fixture("birth-notice.jpg")).await.unwrap();
    b.find("#report-send").await.click().await.unwrap();
    b.until("the refusal", "!!document.querySelector('#report-text-error')").await;
    let said = b.find("#report-text-error").await.text().await.unwrap();
    assert!(said.contains("Nội dung phản ánh"), "names the field: {said}");
    assert_eq!(b.find("#report-text").await.prop("value").await.unwrap().as_deref(), Some("Chờ lâu"));
    assert_eq!(b.find("#report-name").await.prop("value").await.unwrap().as_deref(), Some("Vàng A Dế"));
    assert_eq!(b.find("#report-subject-conduct").await.prop("checked").await.unwrap().as_deref(), Some("true"));
    assert!(b.find("#report-photos-kept").await.text().await.unwrap().contains('1'), "the photo is kept");
    let text = "Tôi là Vàng A Dế. Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả giấy khai sinh cho con.";
    let area = b.find("#report-text").await;
    area.clear().await.unwrap();
    area.send_keys(text).await.unwrap();
    b.find("#report-send").await.click().await.unwrap();
    b.until("the receipt", "!!document.querySelector('#report-code')").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!((url.path(), url.query()), ("/reports/new", None), "{url}");
    let code = b.find("#report-code").await.text().await.unwrap();
    let secret = b.find("#report-secret").await.text().await.unwrap();
    b.find("#report-open").await.click().await.unwrap();
    b.until("the report", "!!document.querySelector('#report-mine')").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!((url.path(), url.query(), url.fragment()), (format!("/reports/{code}").as_str(), None, None), "nothing secret in the address");
    assert_eq!(b.find("#report-waiting").await.text().await.unwrap(), locale_text("vi", "report.waiting_answer"));
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let photos: i64 = db.query_row("SELECT count(*) FROM report_photos WHERE report_code = ?", [&code], |r| r.get(0)).unwrap();
    assert_eq!(photos, 1, "the photo went with the report");

    // The agency answers it; the supervisor publishes it without the name.
    let officer = portal.sign_in("lan.nguyen");
    let answered = portal.post_json(&format!("/api/reports/desk/{code}/answer"), Some(&officer), &json!({"answer": "Giấy khai sinh đã có. Mời anh nhận tại quầy số 2."}));
    assert_eq!(answered.status, 200, "{}", answered.text());
    let boss = portal.sign_in("truong.xa");
    let public_text = "Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả giấy khai sinh cho con.";
    let published = portal.post_json(&format!("/api/reports/desk/{code}/publication"), Some(&boss), &json!({"publish": true, "public_text": public_text}));
    assert_eq!(published.status, 200, "{}", published.text());

    // From the report's address (a receipt's link loses its secret here): the
    // published report, then the secret typed opens the holder's, and the answer is rated.
    b.goto(&portal.url(&format!("/reports/{code}"))).await.unwrap();
    assert!(b.find(&format!("#report-{code}")).await.text().await.unwrap().contains("quầy số 2"));
    b.find("#report-secret").await.send_keys("SAI-MA-BI-MAT").await.unwrap();
    b.find("#report-secret-form button").await.click().await.unwrap();
    b.until("the refusal", "!!document.querySelector('#report-error')").await;
    b.find("#report-secret").await.send_keys(&secret).await.unwrap();
    b.find("#report-secret-form button").await.click().await.unwrap();
    b.until("the answer", "document.querySelector('#report-answer')?.textContent.includes('quầy số 2')").await;
    b.find("#report-rate-send").await.click().await.unwrap();
    b.until("asked to choose", "!!document.querySelector('#report-rate .alert')").await;
    b.find("label[for=answer-rating-satisfied]").await.click().await.unwrap();
    b.find("#report-rate-send").await.click().await.unwrap();
    b.until("rated", "document.querySelector('#report-rated')?.textContent.includes('Hài lòng')").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!((url.path(), url.query()), (format!("/reports/{code}").as_str(), None));
    let rating: String = db.query_row("SELECT rating FROM reports WHERE code = ?", [&code], |r| r.get(0)).unwrap();
    assert_eq!(rating, "satisfied");

    // Everyone finds it in the public list, answered, without the name.
    b.goto(&portal.url("/reports")).await.unwrap();
    b.find("#report-q").await.send_keys("khai sinh").await.unwrap();
    b.find("#report-status").await.select_by_value("answered").await.unwrap();
    b.find("#report-search button").await.click().await.unwrap();
    b.until("the list", "location.search.includes('status=answered')").await;
    let card = b.find(&format!("#report-{code}")).await.text().await.unwrap();
    assert!(card.contains("quầy số 2") && !card.contains("Vàng A Dế"), "{card}");
    assert_eq!(b.find("#report-status option[selected]").await.attr("value").await.unwrap().as_deref(), Some("answered"));

    // A draft out for comment: the citizen comments on its first part.
    let today = b.js("return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10)").await;
    let draft = json!({
        "title": "Dự thảo: Bộ phận Một cửa xã làm việc sáng thứ Bảy",
        "summary": "Xã mở cửa thêm sáng thứ Bảy để người đi làm nương xa có thể đến làm thủ tục.",
        "sections": [{"heading": "Điều 1. Giờ làm việc", "text": "Sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30."}],
        "opens_on": today, "closes_on": today,
    });
    let made = portal.post_json("/api/consultations", Some(&boss), &draft);
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().unwrap();
    b.goto(&portal.url("/consultations")).await.unwrap();
    b.find(&format!("a[href=\"/consultations/{id}\"]")).await.click().await.unwrap();
    b.until("the draft", "!!document.querySelector('#section-0 form')").await;
    b.find("#comment-0-text").await.send_keys("Nên mở cả chiều thứ Bảy, sáng bà con còn lên nương.").await.unwrap();
    b.find("#comment-0-name").await.send_keys("Giàng A Sử").await.unwrap();
    b.find("#section-0 form button[type=submit]").await.click().await.unwrap();
    b.until("sent for moderation", "!!document.querySelector('#comment-0-sent')").await;
    let comments: i64 = db.query_row("SELECT count(*) FROM consultation_comments WHERE state = 'pending'", [], |r| r.get(0)).unwrap();
    assert_eq!(comments, 1);
    b.screenshot("no-javascript-comment-sent").await;
    b.close().await;

    // axe on each page as the server draws it, in Vietnamese and in English with large text.
    for path in ["/reports", "/reports/new", &format!("/reports/{code}"), "/consultations", &format!("/consultations/{id}")] {
        for prefs in ["lang=vi&large=0", "lang=en&large=1"] {
            let violations = axe_on_the_servers_page(&portal, &format!("{path}?{prefs}")).await;
            assert!(violations.is_empty(), "{path} ({prefs}): {violations:#?}");
        }
    }
}

/// axe on each kind of page of the server's online form, walked in English
/// with large text (as `axe_on_the_servers_page`, the app kept from
/// loading): a refused answer, a choice, an address with its communes, a
/// photo sent, how to be told (refused), check your answers, the receipt.
async fn axe_on_the_servers_form(portal: &Portal) -> Vec<String> {
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setBlockedURLs", json!({ "urls": ["*/motcua-frontend-*", "*/motcua-dossier-*", "*/sw.js"] })).await;
    b.client.goto(&portal.url("/procedures/1.001193/apply?lang=en&large=1")).await.unwrap();
    let form = ServerForm { b: &b };
    let mut violations = Vec::new();
    let mut axe = async |page: &str| {
        b.until(page, "document.readyState === 'complete' && !!document.getElementById('server-page')").await;
        violations.extend(axe_violations(&b).await.into_iter().map(|v| format!("{page}: {v}")));
    };
    let set = |id: &str, value: &str| format!("document.getElementById('{id}').value = '{value}'; return true");
    form.at(0).await;
    b.js(&set("answer", "1")).await;
    form.go_on().await;
    b.until("the refusal", "!!document.querySelector('#answer-error')").await;
    axe("a refused answer").await;
    for (at, value) in [(0, "Lò Thị Mai"), (1, "079203001234"), (2, "0912345678"), (3, "Lò Văn Páo")] {
        b.js(&set("answer", value)).await;
        form.go_on().await;
        form.at(at + 1).await;
    }
    axe("a choice").await;
    b.js("document.getElementById('answer').checked = true; return true").await;
    form.go_on().await;
    form.at(5).await;
    b.js(&set("answer", "2026-11-02")).await;
    form.go_on().await;
    form.at(6).await;
    b.js(&set("answer", "Lào Cai")).await;
    form.go_on().await;
    b.until("the communes", "!document.getElementById('answer-commune').disabled").await;
    axe("an address").await;
    b.js(&format!("{}; {}", set("answer-commune", "Xã Mù Cang Chải").trim_end_matches("; return true"), set("answer-detail", "Bản Na Sang"))).await;
    form.go_on().await;
    form.at(7).await;
    b.js(&set("answer", "Lò Thị Mai")).await;
    form.go_on().await;
    for at in 8..=10 {
        form.at(at).await;
        form.go_on().await;
    }
    form.at(11).await;
    b.find("#answer").await.send_keys(&repo_root().join("tests/fixtures/birth-notice.jpg").display().to_string()).await.unwrap();
    b.find("#photo-add").await.click().await.unwrap();
    b.until("the photo", "document.querySelectorAll('#photos li').length === 1").await;
    axe("a photo sent").await;
    form.go_on().await;
    form.at(12).await;
    form.go_on().await;
    b.until("the refusal", "!!document.querySelector('#answer-error')").await;
    axe("how to be told, refused").await;
    b.js("document.getElementById('answer-3').checked = true; return true").await;
    form.go_on().await;
    b.until("the check page", "!!document.getElementById('check-answers')").await;
    axe("check your answers").await;
    b.find("#form-submit").await.click().await.unwrap();
    b.until("the receipt", "!!document.getElementById('receipt-code')").await;
    axe("the receipt").await;
    b.close().await;
    violations
}

/// The server's online form, one question a page, as a browser without
/// JavaScript walks it: each step is a page whose form carries its number.
struct ServerForm<'a> {
    b: &'a Browser,
}

impl ServerForm<'_> {
    /// Waits for step `at`'s page.
    async fn at(&self, at: usize) {
        self.b.until(&format!("step {at}"), &format!("document.querySelector('input[name=step]')?.value === '{at}'")).await;
    }

    async fn type_answer(&self, text: &str) {
        let input = self.b.find("#answer").await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// "Continue".
    async fn go_on(&self) {
        self.b.find("#form-continue").await.click().await.unwrap();
    }

    /// Types the answer at step `at`, continues, and waits for the next.
    async fn answer(&self, at: usize, text: &str) {
        self.at(at).await;
        self.type_answer(text).await;
        self.go_on().await;
        self.at(at + 1).await;
    }
}

/// axe on the page the server draws for `path`, as a browser without
/// JavaScript shows it. axe needs scripts (and a page whose scripts are off
/// runs none of axe's timers), so it runs in a browser with scripts on that
/// is kept from loading the app and its service worker: the server's page
/// stays as it came.
async fn axe_on_the_servers_page(portal: &Portal, path: &str) -> Vec<String> {
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setBlockedURLs", json!({ "urls": ["*/motcua-frontend-*", "*/motcua-dossier-*", "*/sw.js"] })).await;
    b.client.goto(&portal.url(path)).await.unwrap();
    b.until("the server's page", "document.readyState === 'complete' && !!document.getElementById('server-page')").await;
    let violations = axe_violations(&b).await;
    assert!(b.js("return !!document.getElementById('server-page')").await.as_bool().unwrap(), "the app took over {path}");
    b.close().await;
    violations
}
