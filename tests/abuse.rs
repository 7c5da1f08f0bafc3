//! Hostile traffic at the components, over the real local host: guessers in
//! parallel, someone trying to lock a citizen or an officer out, huge bodies
//! on read-only routes, a forged Host header, one address flooding dossiers,
//! a day past 9,999 dossiers, and a queue longer than one page.
//!
//! Other clients are other loopback addresses (`Portal::request_from`): the
//! portal tells clients apart by address, as it would on the internet.

use journeys::{Portal, Reply};
use serde_json::{json, Value};
use std::net::Ipv4Addr;

const GUESSER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 5);
const HOLDER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 6);

fn post_from(portal: &Portal, from: Ipv4Addr, path: &str, body: &Value) -> Reply {
    portal.request_from(from, "POST", path, &[("content-type", "application/json")], Some(body.to_string().as_bytes()))
}

fn submit(portal: &Portal, key: &str) -> Value {
    let reply = portal.post_json("/api/dossiers", None, &portal.birth_submission(key));
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

/// Runs `n` copies of `work` at once and returns their statuses.
fn in_parallel(n: usize, work: impl Fn(usize) -> u16 + Sync) -> Vec<u16> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|i| s.spawn({ let work = &work; move || work(i) })).collect();
        handles.into_iter().map(|h| h.join().expect("a request thread")).collect()
    })
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[test]
fn a_hundred_parallel_guesses_get_no_more_than_ten_tries_and_the_citizen_still_gets_in() {
    let portal = Portal::start();
    let receipt = submit(&portal, "abuse-guess-key-000000001");
    let code = receipt["code"].as_str().unwrap();
    let path = format!("/api/dossiers/{code}/tracking");

    let statuses = in_parallel(100, |i| post_from(&portal, GUESSER, &path, &json!({ "secret": format!("WRONG{i:07}") })).status);
    assert!(count(&statuses, 404) <= 10, "more than the limit got an answer: {statuses:?}");
    assert!(count(&statuses, 429) > 0, "{statuses:?}");
    // The host may also turn away connections past its cap per address (503).
    assert_eq!(count(&statuses, 404) + count(&statuses, 429) + count(&statuses, 503), 100, "{statuses:?}");

    // The rightful holder, from another address and from the guesser's own
    // (one NAT), opens the dossier; so does rating's and papers' shared check.
    for from in [HOLDER, GUESSER] {
        let reply = post_from(&portal, from, &path, &json!({ "secret": receipt["secret"] }));
        assert_eq!(reply.status, 200, "from {from}: {}", reply.text());
        assert_eq!(reply.json()["code"], code);
    }
    // The guesser is still slowed, however the holder fared.
    let again = post_from(&portal, GUESSER, &path, &json!({ "secret": "WRONG9999999" }));
    assert_eq!(again.status, 429, "{}", again.text());
    assert!(again.header("retry-after").is_some_and(|s| s.parse::<u32>().is_ok_and(|n| n >= 1)));
}

#[test]
fn parallel_wrong_passwords_are_limited_and_the_officer_still_signs_in() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("lo.van.minh", "Lò Văn Minh", "000.00.06.H56", "officer").status, 201);
    let wrong = json!({"username": "lo.van.minh", "password": "not-the-password-1234"});
    let statuses = in_parallel(30, |_| post_from(&portal, GUESSER, "/api/desk/session", &wrong).status);
    assert!(count(&statuses, 401) <= 10, "more than the limit got an answer: {statuses:?}");
    assert!(count(&statuses, 429) > 0, "{statuses:?}");
    assert_eq!(count(&statuses, 401) + count(&statuses, 429) + count(&statuses, 503), 30, "{statuses:?}");

    let right = json!({"username": "lo.van.minh", "password": "mat-khau-rat-dai-123"});
    for from in [HOLDER, GUESSER] {
        let reply = post_from(&portal, from, "/api/desk/session", &right);
        assert_eq!(reply.status, 200, "from {from}: {}", reply.text());
    }
}

#[test]
fn wrong_administrator_tokens_are_throttled_and_compared_whole() {
    let portal = Portal::start();
    let body = json!({"username": "ha.thi.thu", "display_name": "Hà Thị Thu", "agency_id": "000.00.06.H56",
                      "role": "officer", "password": "mat-khau-rat-dai-123"});
    let send = |token: &str| {
        portal.request_from(GUESSER, "POST", "/api/desk/admin/officers",
            &[("content-type", "application/json"), ("authorization", &format!("Bearer {token}"))], Some(body.to_string().as_bytes()))
    };
    // A prefix of the right token is as wrong as any other.
    let prefix = &journeys::DESK_ADMIN_TOKEN[..10];
    let statuses: Vec<u16> = (0..7).map(|i| send(if i % 2 == 0 { prefix } else { "guess-guess-guess-guess" }).status).collect();
    assert_eq!(&statuses[..5], &[404; 5], "{statuses:?}");
    assert_eq!(&statuses[5..], &[429; 2], "{statuses:?}");
    assert_eq!(send(journeys::DESK_ADMIN_TOKEN).status, 201, "the operator's own token still works");
}

/// Sends `Content-Length: 40 MB` and writes the body on another thread while
/// the answer is read, as a hostile client would.
fn huge_body(portal: &Portal, method: &str, path: &str) -> Reply {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", portal.port)).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).ok();
    let head = format!("{method} {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\ncontent-length: 40000000\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("send head");
    let mut writer = stream.try_clone().expect("clone");
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..(40_000_000 / chunk.len()) {
            if writer.write_all(&chunk).is_err() {
                break; // the portal answered and closed: as it should
            }
        }
    });
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let _ = sender.join();
    journeys::parse_reply(&raw).unwrap_or_else(|| panic!("{method} {path}: no HTTP answer ({} bytes)", raw.len()))
}

#[test]
fn forty_megabyte_bodies_get_413_on_every_route_and_the_portal_keeps_serving() {
    let portal = Portal::start();
    for (method, path) in [
        ("GET", "/api/procedures"),
        ("GET", "/api/procedures/1.001193"),
        ("GET", "/api/openapi.json"),
        ("GET", "/"),
        ("GET", "/api/stats"),
        ("POST", "/api/dossiers"),
        ("POST", "/api/uploads"),
    ] {
        let reply = huge_body(&portal, method, path);
        assert_eq!(reply.status, 413, "{method} {path}: {}", String::from_utf8_lossy(&reply.body));
    }
    assert_eq!(portal.get("/api/procedures?q=khai%20sinh").status, 200);
}

#[test]
fn a_forged_host_header_never_reaches_a_receipt() {
    // Unconfigured: a non-loopback Host gets a relative link, never its own.
    let portal = Portal::start();
    let mut submission = portal.birth_submission("abuse-host-key-0000000001");
    let reply = portal.request("POST", "/api/dossiers", &[("content-type", "application/json"), ("host", "evil.example")],
        Some(submission.to_string().as_bytes()));
    assert_eq!(reply.status, 201, "{}", reply.text());
    let receipt = reply.json();
    let url = receipt["tracking_url"].as_str().unwrap();
    assert!(url.starts_with("/track/") && !url.contains("evil"), "{url}");
    drop(portal);

    // Configured as a province would: every link names the public origin.
    let origin = "https://dichvucong.laocai.gov.vn";
    let portal = Portal::start_with_variables(&[("public_origin", origin)]);
    submission = portal.birth_submission("abuse-host-key-0000000002");
    let reply = portal.request("POST", "/api/dossiers", &[("content-type", "application/json"), ("host", "evil.example")],
        Some(submission.to_string().as_bytes()));
    let receipt = reply.json();
    let url = receipt["tracking_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{origin}/track/")), "{url}");
    assert!(!receipt["qr_svg"].as_str().unwrap().is_empty());

    // Over https (here behind a TLS-terminating proxy: the request itself is
    // plain http) the desk's cookie is __Host- and Secure.
    assert_eq!(portal.create_officer("vang.a.sinh", "Vàng A Sính", "000.00.06.H56", "officer").status, 201);
    let signed = portal.post_json("/api/desk/session", None, &json!({"username": "vang.a.sinh", "password": "mat-khau-rat-dai-123"}));
    assert_eq!(signed.status, 200, "{}", signed.text());
    let set = signed.header("set-cookie").unwrap();
    assert!(set.starts_with("__Host-motcua_desk=") && set.contains("; Secure") && set.contains("Path=/;"), "{set}");
    let cookie = set.split(';').next().unwrap();
    let me = portal.request("GET", "/api/desk/me", &[("cookie", cookie)], None);
    assert_eq!(me.status, 200, "{}", me.text());
}

#[test]
fn one_address_cannot_flood_dossiers_and_others_still_submit() {
    let portal = Portal::start_with_variables(&[("submissions_per_client", "3")]);
    let bodies: Vec<Value> = (0..5).map(|i| portal.birth_submission(&format!("abuse-flood-key-{i:010}"))).collect();
    let statuses = in_parallel(5, |i| post_from(&portal, GUESSER, "/api/dossiers", &bodies[i]).status);
    assert_eq!(count(&statuses, 201), 3, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 2, "{statuses:?}");
    let other = post_from(&portal, HOLDER, "/api/dossiers", &portal.birth_submission("abuse-flood-key-other00001"));
    assert_eq!(other.status, 201, "{}", other.text());
}

#[test]
fn the_ten_thousandth_dossier_of_a_day_gets_a_code_and_is_tracked() {
    let portal = Portal::start();
    let first = submit(&portal, "abuse-busy-day-0000000001");
    let code = first["code"].as_str().unwrap();
    // A busy agency: 9,999 dossiers already today.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    db.execute("UPDATE dossier_sequences SET last = 9999", []).unwrap();
    let next = submit(&portal, "abuse-busy-day-0000000002");
    let next_code = next["code"].as_str().unwrap();
    assert_eq!(next_code, format!("{}-10000", code.rsplit_once('-').unwrap().0));
    let tracked = portal.post_json(&format!("/api/dossiers/{next_code}/tracking"), None, &json!({ "secret": next["secret"] }));
    assert_eq!(tracked.status, 200, "{}", tracked.text());
}

#[test]
fn the_desk_pages_through_every_open_dossier() {
    let portal = Portal::start();
    let first = submit(&portal, "abuse-queue-key-000000001");
    let agency = first["code"].as_str().unwrap().split('-').next().unwrap();
    assert_eq!(portal.create_officer("sung.a.pao", "Sùng A Páo", agency, "officer").status, 201);
    // 249 more open dossiers, copied in the database (submitting each would
    // only make the test slow): 250 in all, more than two pages.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let code = first["code"].as_str().unwrap();
    let prefix = code.rsplit_once('-').unwrap().0;
    // The day's numbers run past 9,999 (a busy agency): 2..=240, then 9,990..=9,999 and 10,000.
    let numbers: Vec<u32> = (2..=239).chain(9_990..=10_000).collect();
    for n in numbers.iter().copied() {
        db.execute(
            "INSERT INTO dossiers (code, procedure_code, agency_id, secret_hash, status, channel, received_on,
                                   appointment_on, answers, created_at, updated_at)
             SELECT ?, procedure_code, agency_id, secret_hash, status, channel, received_on, appointment_on, answers,
                    created_at, updated_at FROM dossiers WHERE code = ?",
            rusqlite::params![format!("{prefix}-{n:04}"), code],
        )
        .unwrap();
    }
    let cookie = portal.sign_in("sung.a.pao");
    let mut seen = Vec::new();
    let mut next = Some("/api/desk/dossiers?filter=open".to_owned());
    while let Some(path) = next.take() {
        let page = portal.request("GET", &path, &[("cookie", &cookie)], None);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        let items = page.json();
        let items = items.as_array().unwrap();
        assert!(items.len() <= 100, "a page holds at most 100");
        seen.extend(items.iter().map(|d| d["code"].as_str().unwrap().to_owned()));
        next = page.header("link").map(|l| {
            assert!(l.ends_with("; rel=\"next\""), "{l}");
            l.trim_start_matches('<').split('>').next().unwrap().to_owned()
        });
        assert!(seen.len() <= 250, "pages repeat dossiers");
    }
    let expected: Vec<String> = std::iter::once(1).chain(numbers).map(|n| format!("{prefix}-{n:04}")).collect();
    assert_eq!(expected.len(), 250);
    assert_eq!(seen, expected, "every open dossier once, in the order received");
    let bad = portal.request("GET", "/api/desk/dossiers?after=x'--", &[("cookie", &cookie)], None);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["field"], "after");
}

#[test]
fn the_officer_script_keeps_the_password_and_the_token_off_command_lines() {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let portal = Portal::start();
    // curl and python3 wrapped to record their arguments, as `ps` would show them.
    let bin = tempfile::tempdir().unwrap();
    let argv_log = bin.path().join("argv.log");
    for tool in ["curl", "python3"] {
        let found = std::process::Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().unwrap();
        let real = String::from_utf8(found.stdout).unwrap().trim().to_owned();
        assert!(!real.is_empty(), "{tool} is needed");
        let wrapper = bin.path().join(tool);
        std::fs::write(&wrapper, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\nexec '{real}' \"$@\"\n", argv_log.display())).unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let password = "mat-khau-rat-dai-123";
    let mut child = std::process::Command::new("bash")
        .arg(journeys::repo_root().join("scripts/officer"))
        .args(["tran.van.an", "Trần Văn An", "000.21.06.H56", "officer"])
        .env("PATH", format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default()))
        .env("DESK_ADMIN_TOKEN", journeys::DESK_ADMIN_TOKEN)
        .env("PORTAL", &portal.base)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("tran.van.an"), "{out:?}");
    let argv = std::fs::read_to_string(&argv_log).unwrap();
    assert!(argv.contains("/api/desk/admin/officers"), "the wrappers saw the calls: {argv}");
    assert!(!argv.contains(password) && !argv.contains(journeys::DESK_ADMIN_TOKEN), "a secret on a command line: {argv}");
    // The account works: sign_in asserts a 200 and a session cookie.
    portal.sign_in("tran.van.an");
}

#[test]
fn the_pages_run_no_inline_script_the_build_did_not_hash() {
    let portal = Portal::start();
    for path in ["/", "/procedures/1.001193", "/accessibility", "/desk", "/track/X-260101-0001", "/reports", "/reports/new", "/consultations"] {
        let page = portal.get(path);
        assert_eq!(page.status, 200, "{path}");
        let csp = page.header("content-security-policy").unwrap_or_default().to_owned();
        let script_src = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap_or_default();
        assert!(!script_src.contains("unsafe-inline"), "{path}: {csp}");
        assert!(script_src.contains("'sha256-"), "{path}: the build's hashes are missing: {csp}");
        // Every inline script of the page is one of the hashed ones.
        let html = page.text();
        for script in html.split("<script").skip(1) {
            let (attrs, rest) = script.split_once('>').unwrap();
            let body = rest.split("</script>").next().unwrap();
            if attrs.contains("src=") || body.is_empty() {
                continue;
            }
            use base64::Engine;
            use sha2::Digest;
            let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes()));
            assert!(script_src.contains(&format!("'sha256-{hash}'")), "{path}: an inline script without its hash");
        }
    }
}
