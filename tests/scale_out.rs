//! Scaled out as the README says: real Spin with the README's runtime config,
//! the default database on libSQL (sqld) and the default key-value store on
//! Redis, each started here on a free loopback port and stopped after. The
//! citizen's and the officer's journey end to end; simultaneous submissions;
//! and Spin killed while citizens submit, with nothing it acknowledged lost.
//!
//! The tools live beside the project, never in it (`journeys::find_tool`):
//! Spin and sqld from `$SPIN`/`$SQLD`, PATH or `../shared/tools/`, Redis from
//! Debian's `redis-server` (scripts/setup installs it). Where one is missing
//! the journey says why and passes, as on a user's machine without Spin;
//! `REQUIRE_SPIN=1` (set by CI) makes that a failure instead.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use journeys::{Portal, Runtime, find_tool, free_port};
use serde_json::{Value, json};

const BIRTH: &str = "1.001193";
/// Temporary residence: no photo required, so one request is one dossier.
const RESIDENCE: &str = "1.004194";

/// A server process of the test's own, killed when dropped.
struct Service {
    child: Child,
}

impl Service {
    fn start(what: &str, command: &mut Command, port: u16) -> Service {
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        let service = Service { child };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "{what} did not listen on port {port} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        service
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// libSQL and Redis running, and a runtime config that points Spin at them.
struct ScaledOut {
    spin: PathBuf,
    config: PathBuf,
    _sqld: Service,
    _redis: Service,
    _dir: tempfile::TempDir,
}

impl ScaledOut {
    /// `None` (having said why) where a tool is missing and CI did not ask for it.
    fn start() -> Option<ScaledOut> {
        let tools = (|| Ok::<_, String>((find_tool("SPIN", "spin")?, find_tool("SQLD", "sqld")?, find_tool("REDIS_SERVER", "redis-server")?)))();
        let (spin, sqld, redis) = match tools {
            Ok(tools) => tools,
            Err(why) if std::env::var_os("REQUIRE_SPIN").is_some() => panic!("REQUIRE_SPIN is set, but {why}"),
            Err(why) => {
                eprintln!("skipped: the scale-out journey needs Spin, sqld and redis-server: {why}");
                return None;
            }
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let sqld_port = free_port();
        let sqld = Service::start(
            "sqld",
            Command::new(&sqld)
                .arg("--http-listen-addr")
                .arg(format!("127.0.0.1:{sqld_port}"))
                .arg("--db-path")
                .arg(dir.path().join("libsql"))
                .current_dir(dir.path()),
            sqld_port,
        );
        let redis_port = free_port();
        let redis = Service::start(
            "redis-server",
            Command::new(&redis)
                .args(["--bind", "127.0.0.1", "--port", &redis_port.to_string(), "--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(dir.path()),
            redis_port,
        );
        // The README's runtime config, with this test's addresses.
        let config = dir.path().join("runtime-config.toml");
        std::fs::write(
            &config,
            format!(
                "[sqlite_database.default]\ntype = \"libsql\"\nurl = \"http://127.0.0.1:{sqld_port}\"\ntoken = \"unused-by-a-local-sqld\"\n\n\
                 [key_value_store.default]\ntype = \"redis\"\nurl = \"redis://127.0.0.1:{redis_port}\"\n"
            ),
        )
        .expect("write the runtime config");
        Some(ScaledOut { spin, config, _sqld: sqld, _redis: redis, _dir: dir })
    }

    /// Spin with the runtime config, on `port`, with a fresh local state
    /// folder each time: whatever survives a restart lives in libSQL or Redis.
    fn spin_up(&self, port: u16) -> Portal {
        self.spin_up_with(port, &[])
    }

    fn spin_up_with(&self, port: u16, variables: &[(&str, &str)]) -> Portal {
        let runtime = Runtime::Spin { cli: self.spin.clone(), runtime_config: Some(self.config.clone()) };
        // Hundreds of dossiers from this one address: a service centre's
        // setting, as an operator would raise it for kiosks behind one NAT.
        let mut all = vec![("submissions_per_client", "100000")];
        all.extend_from_slice(variables);
        Portal::start_on_with_variables(runtime, port, tempfile::tempdir().expect("temp dir"), &all)
    }
}

fn track(portal: &Portal, receipt: &Value) -> Value {
    let code = receipt["code"].as_str().expect("a code");
    let reply = portal.post_json(&format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": receipt["secret"]}));
    assert_eq!(reply.status, 200, "tracking {code}: {}", reply.text());
    reply.json()
}

fn residence(portal: &Portal, key: &str) -> Value {
    let form = portal.get(&format!("/api/forms/{RESIDENCE}")).json();
    json!({"procedure_code": RESIDENCE, "idempotency_key": key, "answers": journeys::valid_answers(&form, "Vàng Thị Dua")})
}

#[test]
fn a_citizen_and_an_officer_go_end_to_end_on_spin_with_libsql_and_redis() {
    let Some(scaled) = ScaledOut::start() else { return };
    let port = free_port();
    // Messages go to an SMS gateway (a real HTTP server on loopback).
    let gateway = journeys::FakeGateway::start();
    let (url, origin) = (gateway.url(), gateway.origin());
    let portal = scaled.spin_up_with(port, &[("sms_gateway_url", &url), ("sms_gateway_origin", &origin)]);

    // The catalogue, seeded into libSQL on first use.
    let found = portal.get("/api/procedures?q=dang+ky+khai+sinh");
    assert_eq!(found.status, 200, "{}", found.text());
    assert!(found.json()["items"].as_array().unwrap().iter().any(|p| p["code"] == BIRTH), "{}", found.text());
    assert_eq!(portal.get(&format!("/api/procedures/{BIRTH}")).status, 200);
    // Filters ride in libSQL's word index too (a generated column of tokens).
    let commune = portal.get("/api/procedures?q=dang+ky&level=commune&field=H%E1%BB%99+t%E1%BB%8Bch").json();
    let items = commune["items"].as_array().unwrap();
    assert!(items.iter().any(|p| p["code"] == BIRTH), "{commune}");
    assert!(items.iter().all(|p| p["level"] == "commune" && p["field"] == "Hộ tịch"), "{commune}");
    assert_eq!(commune["total"].as_u64(), Some(items.len() as u64), "{commune}");
    // The same search as the server draws it, for a browser without JavaScript.
    let page = portal.get("/?q=dang+ky+khai+sinh").text();
    assert!(page.contains("data-server") && page.contains(&format!("href=\"/procedures/{BIRTH}\"")), "{page}");

    // A birth registration with a photo of the birth notice.
    let form = portal.get(&format!("/api/forms/{BIRTH}")).json();
    let photo = portal.upload(&journeys::paper_photo());
    let submission = json!({"procedure_code": BIRTH, "idempotency_key": "scale-out-birth-0000000001",
        "answers": journeys::valid_answers(&form, "Hoàng Thị Lan"), "attachments": {"birth_certificate": [photo]},
        "notify": {"channel": "sms", "phone": "0912345678"}});
    let receipt = portal.post_json("/api/dossiers", None, &submission);
    assert_eq!(receipt.status, 201, "{}", receipt.text());
    let receipt = receipt.json();
    assert_eq!(track(&portal, &receipt)["status"], "submitted");
    // Tracked from the server's page: the code and secret in the form's body.
    let body = format!("code={}&secret={}", receipt["code"].as_str().unwrap(), receipt["secret"].as_str().unwrap());
    let tracked = portal.request("POST", "/track", &[("content-type", "application/x-www-form-urlencoded")], Some(body.as_bytes()));
    assert_eq!(tracked.status, 200, "{}", tracked.text());
    assert!(tracked.text().contains("data-status=\"submitted\""), "{}", tracked.text());

    // The officer receives it, sees its photo, processes it and returns the result.
    let agency = form["agency_id"].as_str().unwrap();
    assert_eq!(portal.create_officer("lan.nguyen", "Nguyễn Thị Lan", agency, "officer").status, 201);
    let cookie = portal.sign_in("lan.nguyen");
    let code = receipt["code"].as_str().unwrap();
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None);
    assert_eq!(dossier.status, 200, "{}", dossier.text());
    let paper = dossier.json()["attachments"][0]["id"].as_str().expect("the photo, listed for the officer").to_owned();
    let opened = portal.request("GET", &format!("/api/desk/dossiers/{code}/attachments/{paper}"), &[("cookie", &cookie)], None);
    assert_eq!(opened.status, 200);
    assert_eq!(opened.body, journeys::paper_photo());
    for action in ["accept", "start_processing", "finish", "return_result"] {
        let reply = portal.post_json(&format!("/api/desk/dossiers/{code}/actions"), Some(&cookie), &json!({"action": action}));
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
    }
    let tracked = track(&portal, &receipt);
    assert_eq!(tracked["status"], "result_returned");
    assert_eq!(tracked["can_rate"], true);
    // One message each for accepted, result ready and returned, kept in libSQL's outbox.
    let told: Vec<String> = gateway.wait_for(3).iter().map(|r| r.body["text"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(told.len(), 3, "{told:?}");
    assert!(told.iter().all(|t| t.contains(code)), "{told:?}");

    // The citizen rates; the public figures count it.
    let choices: serde_json::Map<String, Value> =
        ["time", "visits", "attitude", "ease", "overall"].iter().map(|id| (id.to_string(), json!("very_satisfied"))).collect();
    let rated = portal.post_json(&format!("/api/ratings/dossiers/{code}"), None, &json!({"secret": receipt["secret"], "answers": choices}));
    assert_eq!(rated.status, 201, "{}", rated.text());
    let stats = portal.get("/api/stats");
    assert_eq!(stats.status, 200, "{}", stats.text());
    let agency_row = stats.json()["rows"].as_array().unwrap().iter().find(|r| r["agency_id"] == agency).cloned().expect("the agency's row");
    // Five criteria answered "very satisfied".
    assert_eq!(agency_row["ratings"], json!({"very_satisfied": 5, "satisfied": 0, "not_satisfied": 0}), "{agency_row}");

    // The languages live there too: the seeded files, a translator's voice (a
    // BLOB through Hrana) and a publication that offers it.
    let index = portal.get("/locales/index.json").json();
    let hmn = index["languages"].as_array().unwrap().iter().find(|e| e["code"] == "hmn").cloned().unwrap();
    assert_eq!(hmn["offered"], true, "{index}");
    let voice = [&[0x1A, 0x45, 0xDF, 0xA3][..], &(0..=255u8).cycle().take(4000).collect::<Vec<_>>()[..]].concat();
    let token = format!("Bearer {}", journeys::DESK_ADMIN_TOKEN);
    let recorded = portal.request("PUT", "/api/translations/hmn/recordings/form.common.applicant_name",
        &[("authorization", &token), ("content-type", "audio/webm")], Some(&voice));
    assert_eq!(recorded.status, 201, "{}", recorded.text());
    let published = portal.admin("POST", "/api/translations/hmn/publish", Some(&json!({})));
    assert_eq!(published.status, 200, "{}", published.text());
    let v = portal.get("/audio/index.json").json()["hmn"]["form.common.applicant_name"]["v"].as_u64().expect("listed");
    let heard = portal.get(&format!("/audio/hmn/form.common.applicant_name?v={v}"));
    assert_eq!((heard.status, heard.body.len()), (200, voice.len()));
    assert_eq!(heard.body, voice);

    // Everything lives in libSQL and Redis, not beside Spin: a new Spin with
    // an empty state folder serves the same dossier and the same session.
    drop(portal);
    let portal = scaled.spin_up(port);
    assert_eq!(track(&portal, &receipt)["status"], "result_returned");
    assert_eq!(portal.get(&format!("/audio/hmn/form.common.applicant_name?v={v}")).body, voice);
    let queue = portal.request("GET", "/api/desk/dossiers?filter=open", &[("cookie", &cookie)], None);
    assert_eq!(queue.status, 200, "the session did not survive: {}", queue.text());
}

#[test]
fn simultaneous_submissions_and_a_killed_spin_lose_nothing_acknowledged() {
    let Some(scaled) = ScaledOut::start() else { return };
    let port = free_port();
    let portal = scaled.spin_up(port);
    let template = residence(&portal, "template");

    // 32 citizens at once: 32 distinct codes, each trackable.
    let receipts: Vec<Value> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..32)
            .map(|i| {
                let (portal, template) = (&portal, &template);
                s.spawn(move || {
                    let mut body = template.clone();
                    body["idempotency_key"] = json!(format!("scale-out-together-{i:08}"));
                    // A 503 (contention) is retried with the same key after
                    // its Retry-After, as the phone's outbox does; a 500 never.
                    for _ in 0..5 {
                        let reply = portal.post_json("/api/dossiers", None, &body);
                        if reply.status == 503 {
                            assert!(reply.header("retry-after").is_some(), "a 503 says when to come back");
                            std::thread::sleep(Duration::from_secs(1));
                            continue;
                        }
                        assert_eq!(reply.status, 201, "{}\nSpin said:\n{}", reply.text(), portal.log_lines().join("\n"));
                        return reply.json();
                    }
                    panic!("still busy after five tries:\n{}", portal.log_lines().join("\n"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut codes: Vec<&str> = receipts.iter().map(|r| r["code"].as_str().unwrap()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 32, "codes were shared: {codes:?}");
    for receipt in &receipts {
        assert_eq!(track(&portal, receipt)["status"], "submitted");
    }

    // Citizens keep submitting while Spin is killed: every receipt it gave
    // out must be there afterwards; every attempt it did not answer is
    // retried with the same key, as the phone's outbox does.
    let acknowledged = Mutex::new(Vec::<(String, Value)>::new());
    let unanswered = Mutex::new(Vec::<String>::new());
    let sent = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for worker in 0..6 {
            let (portal, template, acknowledged, unanswered, sent, stop) =
                (&portal, &template, &acknowledged, &unanswered, &sent, &stop);
            s.spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let key = format!("scale-out-kill-{worker:02}-{n:06}");
                    let mut body = template.clone();
                    body["idempotency_key"] = json!(key);
                    sent.fetch_add(1, Ordering::Relaxed);
                    let reply = portal.try_request("POST", "/api/dossiers", &[("content-type", "application/json")], Some(body.to_string().as_bytes()));
                    match reply {
                        Ok(reply) if reply.status == 201 => acknowledged.lock().unwrap().push((key, reply.json())),
                        Ok(reply) if reply.status >= 500 => unanswered.lock().unwrap().push(key),
                        Ok(reply) => panic!("{key}: {} {}", reply.status, reply.text()),
                        Err(_) => {
                            // Refused or cut off: Spin is down. The citizen will try again.
                            unanswered.lock().unwrap().push(key);
                            break;
                        }
                    }
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while acknowledged.lock().unwrap().len() < 40 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        portal.kill();
        stop.store(true, Ordering::Relaxed);
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    let unanswered = unanswered.into_inner().unwrap();
    assert!(acknowledged.len() >= 40, "only {} submissions were acknowledged before the kill", acknowledged.len());
    assert!(!unanswered.is_empty(), "the kill cut no request off: it tested nothing");

    let portal = scaled.spin_up(port);
    let mut all_codes: Vec<String> = receipts.iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect();
    for (key, receipt) in &acknowledged {
        assert_eq!(track(&portal, receipt)["status"], "submitted", "{key} was acknowledged, then lost");
        all_codes.push(receipt["code"].as_str().unwrap().to_owned());
    }
    // The retries: the dossier the killed Spin may have stored is returned
    // (200), or made now (201); never a second one.
    for key in &unanswered {
        let mut body = template.clone();
        body["idempotency_key"] = json!(key);
        let reply = portal.post_json("/api/dossiers", None, &body);
        assert!(matches!(reply.status, 200 | 201), "{key}: {} {}", reply.status, reply.text());
        let receipt = reply.json();
        assert_eq!(track(&portal, &receipt)["status"], "submitted");
        all_codes.push(receipt["code"].as_str().unwrap().to_owned());
    }
    let total = all_codes.len();
    all_codes.sort();
    all_codes.dedup();
    assert_eq!(all_codes.len(), total, "two submissions share a code");
    eprintln!(
        "scale-out: {} sent during the kill, {} acknowledged and found again, {} retried once",
        sent.load(Ordering::Relaxed),
        acknowledged.len(),
        unanswered.len()
    );
}
