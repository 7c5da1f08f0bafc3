//! API journeys: the real catalogue, api-docs and static-files components on
//! the local host, with Spin's SQLite database on disk.

use journeys::{repo_root, Portal};
use serde_json::Value;

fn seed() -> Vec<Value> {
    let text = std::fs::read_to_string(repo_root().join("data/procedures.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn codes(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn search_finds_procedures_without_diacritics_in_any_order() {
    let portal = Portal::start();
    for q in ["dang+ky+khai+sinh", "KHAI+SINH+dang+ky", "%C4%91%C4%83ng+k%C3%BD+khai+sinh", "1.001193"] {
        let reply = portal.get(&format!("/api/procedures?q={q}"));
        assert_eq!(reply.status, 200, "q={q}");
        let page = reply.json();
        assert_eq!(codes(&page).first().map(String::as_str), Some("1.001193"), "q={q}: {page}");
        assert_eq!(page["items"][0]["name"], "Đăng ký khai sinh");
    }
    let none = portal.get("/api/procedures?q=xyzzy+khong+co").json();
    assert_eq!(none["total"], 0);
    assert!(none["items"].as_array().unwrap().is_empty());
}

#[test]
fn filters_and_paging_agree_with_the_seed() {
    let portal = Portal::start();
    let seed = seed();
    let count = |key: &str, value: &str| seed.iter().filter(|r| r[key].as_str() == Some(value)).count();

    let all = portal.get("/api/procedures?per_page=50").json();
    assert_eq!(all["total"].as_u64().unwrap() as usize, seed.len());
    let fields = all["fields"].as_array().unwrap();
    let civil = fields.iter().find(|f| f["name"] == "Hộ tịch").expect("field Hộ tịch listed");
    assert_eq!(civil["count"].as_u64().unwrap() as usize, count("field_vi", "Hộ tịch"));

    let province = portal.get("/api/procedures?level=province&per_page=50").json();
    assert_eq!(province["total"].as_u64().unwrap() as usize, count("level", "province"));
    assert!(province["items"].as_array().unwrap().iter().all(|i| i["level"] == "province"));

    let full = portal.get("/api/procedures?online=full").json();
    assert_eq!(full["total"].as_u64().unwrap() as usize, count("online", "full"));

    let field = portal.get("/api/procedures?field=H%E1%BB%99+t%E1%BB%8Bch&q=khai+sinh").json();
    assert!(field["total"].as_u64().unwrap() >= 2);
    assert!(field["items"].as_array().unwrap().iter().all(|i| i["field"] == "Hộ tịch"));

    let p1 = portal.get("/api/procedures?per_page=5&page=1").json();
    let p2 = portal.get("/api/procedures?per_page=5&page=2").json();
    assert_eq!(codes(&p1).len(), 5);
    assert_eq!(codes(&p2).len(), 5);
    assert!(codes(&p1).iter().all(|c| !codes(&p2).contains(c)), "pages overlap");
    assert_eq!(p2["page"], 2);
    let beyond = portal.get("/api/procedures?page=999").json();
    assert!(beyond["items"].as_array().unwrap().is_empty());
    assert_eq!(beyond["total"].as_u64().unwrap() as usize, seed.len());
}

#[test]
fn detail_returns_the_full_record() {
    let portal = Portal::start();
    let reply = portal.get("/api/procedures/1.001193");
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").unwrap().starts_with("application/json"));
    let p = reply.json();
    assert_eq!(p["name"], "Đăng ký khai sinh");
    assert_eq!(p["field"], "Hộ tịch");
    assert_eq!(p["level"], "commune");
    let docs = p["documents"].as_array().unwrap();
    assert!(docs.iter().any(|d| d["name"].as_str().unwrap().contains("Giấy chứng sinh")), "{docs:?}");
    assert!(docs.iter().any(|d| d["group"] == "Giấy tờ phải nộp"));
    assert!(p["fees"].as_str().unwrap().contains("Miễn phí"));
    assert!(p["source"].as_str().unwrap().contains("dichvucong.gov.vn"));
}

/// The public data phones fetch in bulk for offline use is gzipped for those
/// who take it, and the same JSON once unpacked; small answers go as they are.
#[test]
fn public_data_is_sent_gzipped_to_those_who_take_it() {
    use std::io::Read;
    let portal = Portal::start();
    for path in ["/api/procedures", "/api/procedures?page=2", "/api/forms/1.001193", "/api/units", "/api/units/1"] {
        let plain = portal.request("GET", path, &[], None);
        assert_eq!(plain.status, 200, "{path}");
        assert_eq!(plain.header("content-encoding"), None, "{path}: gzip nobody asked for");
        assert_eq!(plain.header("vary"), Some("accept-encoding"), "{path}");
        let gz = portal.request("GET", path, &[("accept-encoding", "gzip, deflate, br")], None);
        assert_eq!(gz.status, 200, "{path}");
        assert_eq!(gz.header("content-encoding"), Some("gzip"), "{path}");
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&gz.body[..]).read_to_end(&mut unpacked).unwrap();
        let (a, b): (serde_json::Value, serde_json::Value) =
            (serde_json::from_slice(&unpacked).unwrap(), serde_json::from_slice(&plain.body).unwrap());
        assert_eq!(a, b, "{path}");
        assert!(gz.body.len() * 2 < plain.body.len(), "{path}: {} of {} bytes", gz.body.len(), plain.body.len());
        let refused = portal.request("GET", path, &[("accept-encoding", "gzip;q=0")], None);
        assert_eq!(refused.header("content-encoding"), None, "{path}");
    }
    // Errors and small answers are not worth the frame.
    let missing = portal.request("GET", "/api/procedures/9.999999", &[("accept-encoding", "gzip")], None);
    assert_eq!((missing.status, missing.header("content-encoding")), (404, None));
    for path in ["/api/forms", "/api/ratings/criteria"] {
        let small = portal.request("GET", path, &[("accept-encoding", "gzip")], None);
        assert_eq!(small.status, 200, "{path}");
        assert!(small.body.len() < 1024, "{path} has grown: pick another small answer");
        assert_eq!(small.header("content-encoding"), None, "{path}");
    }
}

/// Bad input gets a JSON error naming the parameter, never a 5xx.
#[test]
fn bad_requests_get_clear_errors() {
    let portal = Portal::start();
    let cases: &[(&str, &str, u16, &str, Option<&str>)] = &[
        ("GET", "/api/procedures?level=district", 400, "invalid_parameter", Some("level")),
        ("GET", "/api/procedures?online=4", 400, "invalid_parameter", Some("online")),
        ("GET", "/api/procedures?page=abc", 400, "invalid_parameter", Some("page")),
        ("GET", "/api/procedures?page=0", 400, "invalid_parameter", Some("page")),
        ("GET", "/api/procedures?per_page=1000", 400, "invalid_parameter", Some("per_page")),
        ("GET", "/api/procedures/9.999999", 404, "not_found", None),
        ("GET", "/api/procedures/%3Cscript%3E", 400, "invalid_parameter", Some("code")),
        ("GET", "/api/procedures/%FF%FE", 400, "invalid_parameter", Some("code")),
        ("GET", "/api/procedures/1.001193/extra", 404, "not_found", None),
        ("GET", "/api/no-such-thing", 404, "not_found", None),
        ("POST", "/api/procedures", 405, "method_not_allowed", None),
        ("DELETE", "/api/procedures/1.001193", 405, "method_not_allowed", None),
        ("PUT", "/api/openapi.json", 405, "method_not_allowed", None),
    ];
    for (method, path, status, code, field) in cases {
        let reply = portal.request(method, path, &[], None);
        assert_eq!(reply.status, *status, "{method} {path}: {}", reply.text());
        let body = reply.json();
        assert_eq!(body["error"]["code"], *code, "{method} {path}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
        if let Some(f) = field {
            assert_eq!(body["error"]["field"], *f, "{method} {path}");
        }
        if *status == 405 {
            assert!(reply.header("allow").is_some(), "{method} {path}: 405 without Allow");
        }
    }
    let long = "a".repeat(5000);
    let reply = portal.get(&format!("/api/procedures?q={long}"));
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"]["field"], "q");
    // Hostile bytes in the query are answered, not crashed on.
    let reply = portal.get("/api/procedures?q=%25%5F%27%22%3B--%00&field=%27%20OR%201%3D1");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["total"], 0);
}

/// Every route's real responses match the OpenAPI description the portal serves.
#[test]
fn openapi_description_matches_real_responses() {
    let portal = Portal::start();
    let reply = portal.get("/api/openapi.json");
    assert_eq!(reply.status, 200);
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let on_disk: Value = serde_json::from_str(&std::fs::read_to_string(repo_root().join("api/openapi.json")).unwrap()).unwrap();
    assert!(doc == on_disk, "the served description is not api/openapi.json (rebuild api-docs)");

    let check_bytes = |path: &str, method: &str, template: &str, bytes: Option<Vec<u8>>| -> Value {
        let reply = portal.request(method, path, &[("content-type", "application/json")], bytes.as_deref());
        let op = &doc["paths"][template][method.to_lowercase()];
        let response = if op.is_object() {
            &op["responses"][reply.status.to_string()]
        } else {
            // A method the path does not list: 405 with the common error body.
            assert_eq!(reply.status, 405, "{method} {path} is not described and was not refused");
            &doc["components"]["responses"]["Error"]
        };
        assert!(response.is_object(), "{method} {path} answered {} which is not described", reply.status);
        let response = match response["$ref"].as_str() {
            Some(r) => &doc["components"]["responses"][r.rsplit('/').next().unwrap()],
            None => response,
        };
        let schema = &response["content"]["application/json"]["schema"];
        // Validate against the schema with the whole document as its root, so $refs resolve.
        let mut root = doc.clone();
        root["allOf"] = serde_json::json!([schema]);
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
        let validator = jsonschema::validator_for(&root).expect("schema compiles");
        let body = reply.json();
        let errors: Vec<String> = validator.iter_errors(&body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{method} {path}: {errors:?}");
        body
    };
    let check = |path: &str, method: &str, template: &str, body: Option<&Value>| -> Value {
        check_bytes(path, method, template, body.map(|b| b.to_string().into_bytes()))
    };
    check("/api/procedures?q=dang+ky+khai+sinh", "GET", "/api/procedures", None);
    check("/api/procedures?per_page=50", "GET", "/api/procedures", None);
    check("/api/procedures?level=nowhere", "GET", "/api/procedures", None);
    check("/api/procedures", "POST", "/api/procedures", None);
    for p in seed() {
        let code = p["code"].as_str().unwrap();
        check(&format!("/api/procedures/{code}"), "GET", "/api/procedures/{code}", None);
    }
    check("/api/procedures/0.000000", "GET", "/api/procedures/{code}", None);
    check("/api/procedures/%3C%3E", "GET", "/api/procedures/{code}", None);
    check("/api/openapi.json", "GET", "/api/openapi.json", None);
    let provinces = check("/api/units", "GET", "/api/units", None);
    assert_eq!(provinces.as_array().unwrap().len(), 34);
    let lao_cai = provinces.as_array().unwrap().iter().find(|p| p["name"] == "Lào Cai").unwrap()["code"].clone();
    let communes = check(&format!("/api/units/{lao_cai}"), "GET", "/api/units/{code}", None);
    assert!(communes["communes"].as_array().unwrap().iter().any(|c| c["name"] == "Xã Mù Cang Chải"));
    check("/api/units/9999", "GET", "/api/units/{code}", None);
    check("/api/units/abc", "GET", "/api/units/{code}", None);
    check("/api/units", "POST", "/api/units", None);

    // Forms, submission and tracking.
    let forms = check("/api/forms", "GET", "/api/forms", None);
    assert_eq!(forms.as_array().unwrap().len(), 8);
    check("/api/forms", "POST", "/api/forms", None);
    let form = check("/api/forms/1.001193", "GET", "/api/forms/{code}", None);
    check("/api/forms/9.999999", "GET", "/api/forms/{code}", None);
    let mut answers = serde_json::Map::new();
    for q in form["questions"].as_array().unwrap() {
        let value = match q["kind"].as_str().unwrap() {
            "file" => continue,
            "name" => "Lò Văn Pắng".to_owned(),
            "date" => "2021-06-01".to_owned(),
            "choice" => q["choices"][0]["value"].as_str().unwrap().to_owned(),
            "citizen_id" => "011098000123".to_owned(),
            "phone" => "+84 912 345 678".to_owned(),
            "address" => "Bản Mường, Xã Tú Lệ, Lào Cai".to_owned(),
            _ => "Bản Mường, xã Mường Phăng".to_owned(),
        };
        answers.insert(q["id"].as_str().unwrap().to_owned(), value.into());
    }
    let upload = check_bytes("/api/uploads", "POST", "/api/uploads", Some(journeys::paper_photo()));
    check_bytes("/api/uploads", "POST", "/api/uploads", Some(b"GIF89a not a paper".to_vec()));
    check("/api/uploads", "GET", "/api/uploads", None);
    let submission = serde_json::json!({"procedure_code": "1.001193", "idempotency_key": "openapi-check-000000001",
                                        "answers": answers, "attachments": {"birth_certificate": [upload["id"]]}});
    let receipt = check("/api/dossiers", "POST", "/api/dossiers", Some(&submission));
    check("/api/dossiers", "POST", "/api/dossiers", Some(&submission));
    check("/api/dossiers", "POST", "/api/dossiers", Some(&serde_json::json!({"procedure_code": "1.001193", "idempotency_key": "openapi-check-000000002", "answers": {}})));
    check("/api/dossiers", "GET", "/api/dossiers", None);
    let code = receipt["code"].as_str().unwrap();
    let tracking = format!("/api/dossiers/{code}/tracking");
    check(&tracking, "POST", "/api/dossiers/{code}/tracking", Some(&serde_json::json!({"secret": receipt["secret"]})));
    check(&tracking, "POST", "/api/dossiers/{code}/tracking", Some(&serde_json::json!({"secret": "WRONG"})));
    check(&tracking, "POST", "/api/dossiers/{code}/tracking", Some(&serde_json::json!({"no": "secret"})));
    let documents = format!("/api/dossiers/{code}/documents");
    let paper = check_bytes("/api/uploads", "POST", "/api/uploads", Some(journeys::paper_photo()));
    // Not waiting for papers yet: 409.
    let supply = serde_json::json!({"secret": receipt["secret"], "uploads": [paper["id"]]});
    check(&documents, "POST", "/api/dossiers/{code}/documents", Some(&supply));
    check(&documents, "POST", "/api/dossiers/{code}/documents", Some(&serde_json::json!({"secret": "WRONG", "uploads": []})));

    // The desk, as far as it answers without a session (signed-in answers: tests/desk.rs).
    check("/api/desk/dossiers", "GET", "/api/desk/dossiers", None);
    check("/api/desk/me", "GET", "/api/desk/me", None);
    check("/api/desk/session", "POST", "/api/desk/session", Some(&serde_json::json!({"username": "nobody", "password": "x"})));
    check("/api/desk/admin/officers", "POST", "/api/desk/admin/officers", Some(&serde_json::json!({})));
    check(&format!("/api/desk/dossiers/{code}"), "GET", "/api/desk/dossiers/{code}", None);
    check("/api/intake", "POST", "/api/intake", Some(&submission));

    // Ratings and figures (signed-in and rated answers: tests/ratings.rs).
    check("/api/ratings/criteria", "GET", "/api/ratings/criteria", None);
    let rating = serde_json::json!({"secret": receipt["secret"], "answers": {"overall": "satisfied"}});
    check(&format!("/api/ratings/dossiers/{code}"), "POST", "/api/ratings/dossiers/{code}", Some(&rating));
    check(&format!("/api/ratings/dossiers/{code}"), "POST", "/api/ratings/dossiers/{code}",
          Some(&serde_json::json!({"secret": "WRONG", "answers": {}})));
    check("/api/stats", "GET", "/api/stats", None);
    check("/api/stats?months=0", "GET", "/api/stats", None);
    check("/api/ratings/counter", "GET", "/api/ratings/counter", None);
    check("/api/ratings/counter/taps", "POST", "/api/ratings/counter/taps", Some(&serde_json::json!({"choice": "satisfied"})));
    check("/api/ratings/staff", "GET", "/api/ratings/staff", None);
    check("/api/ratings/counters", "GET", "/api/ratings/counters", None);
    check(&format!("/api/desk/dossiers/{code}/attachments/{}", upload["id"].as_str().unwrap()), "GET",
          "/api/desk/dossiers/{code}/attachments/{id}", None);
}

/// The first requests on an empty database race to migrate and seed it; each
/// must see the whole catalogue, and it must be seeded once.
#[test]
fn concurrent_first_use_seeds_the_database_once() {
    let portal = Portal::start();
    let totals: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| {
                let reply = portal.get("/api/procedures?q=khai+sinh");
                assert_eq!(reply.status, 200, "{}", reply.text());
                portal.get("/api/procedures?per_page=1").json()["total"].as_u64().unwrap()
            }))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(totals.iter().all(|t| *t as usize == seed().len()), "{totals:?}");
    assert!(portal.state_dir().join("sqlite_db.db").exists(), "the default database is not where Spin keeps it");

    // Data survives a restart on the same state folder.
    let (port, state) = portal.stop();
    let again = Portal::start_with(port, state);
    assert_eq!(again.get("/api/procedures?per_page=1").json()["total"].as_u64().unwrap() as usize, seed().len());
}

/// The local host keeps what it compiled, as Spin keeps its wasmtime cache,
/// so a restart does not compile every component again; a damaged cache
/// costs a compilation, never a failed start.
#[test]
fn a_restart_reuses_compiled_components_and_outlives_a_damaged_cache() {
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    let compiled = || -> Vec<std::path::PathBuf> {
        let dir = cache.path().join("spin-local-host");
        let mut files: Vec<_> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.sort();
        files
    };
    let portal = Portal::start_local_with_env(journeys::free_port(), tempfile::tempdir().unwrap(), &env);
    assert_eq!(portal.get("/api/procedures?q=khai+sinh").status, 200);
    let files = compiled();
    // One per component file in spin.toml (eleven), nothing half-written.
    assert_eq!(files.len(), 11, "{files:?}");
    assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "cwasm")), "{files:?}");
    let (port, state) = portal.stop();

    for file in &files {
        std::fs::write(file, b"not a compiled component").unwrap();
    }
    let again = Portal::start_local_with_env(port, state, &env);
    assert_eq!(again.get("/api/procedures?q=khai+sinh").status, 200);
    assert_eq!(again.get("/").status, 200);
    let log = again.log_lines().join("\n");
    assert!(log.contains("ignoring cached"), "the damaged cache went unnoticed:\n{log}");
    assert_eq!(compiled(), files, "the cache was not mended under the same names");
    assert!(files.iter().all(|f| std::fs::metadata(f).unwrap().len() > 1000), "a damaged entry was kept");
}

#[test]
fn the_host_logs_routes_not_personal_data() {
    let portal = Portal::start();
    let reply = portal.get("/api/procedures?q=Nguyen+Thi+Mai+079203001234");
    assert_eq!(reply.status, 200);
    let _ = portal.get("/api/procedures/1.001193");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = portal.log_lines().join("\n");
    if portal.runtime.is_local_host() {
        // The local host's own request line (Spin logs no requests at all).
        assert!(log.contains("/api/procedures"), "no request line was logged:\n{log}");
        assert!(log.contains("200"), "{log}");
    }
    for secret in ["Nguyen", "079203001234", "1.001193"] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}

#[test]
fn the_app_is_served_compressed_and_cached_well() {
    let portal = Portal::start();
    // The catalogue app's shell, as the service worker keeps it.
    let index = portal.get("/index.html");
    assert_eq!(index.status, 200);
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert!(index.header("content-security-policy").is_some());
    assert!(index.text().contains("/motcua-frontend-"), "{}", index.text());

    // The catalogue's pages are drawn by the server, inside that shell: its
    // stylesheet and boot script, the app named for the boot script to load.
    for path in ["/", "/procedures/1.001193", "/accessibility"] {
        let page = portal.request("GET", path, &[("accept-encoding", "gzip")], None);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.header("content-type").unwrap().starts_with("text/html"), "{path}");
        // Each person's language and size (a cookie): no shared cache keeps it.
        assert_eq!(page.header("cache-control"), Some("private, no-cache"), "{path}");
        assert_eq!(page.header("vary"), Some("accept-encoding, cookie"), "{path}");
        assert_eq!(page.header("content-encoding"), Some("gzip"), "{path}");
        assert!(page.header("content-security-policy").is_some(), "{path}");
        let mut html = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&page.body[..]), &mut html).unwrap();
        assert!(html.contains("data-server data-app=/motcua-frontend-"), "{path}: {html}");
        assert!(html.contains("<div id=server-page>") && html.contains("<main id=\"main\""), "{path}");
        assert!(!html.contains("type=module"), "{path}: the app is loaded by the boot script, not at once");
    }
    let procedure = portal.get("/procedures/1.001193").text();
    assert!(procedure.contains("Đăng ký khai sinh") && procedure.contains("id=\"documents\""), "{procedure}");

    // The other apps' pages get their shells: the dossier pages, the desk.
    for (path, bundle) in [
        ("/procedures/1.001193/apply", "/dossier/motcua-dossier-"),
        ("/track", "/dossier/motcua-dossier-"),
        ("/reports", "/dossier/motcua-dossier-"),
        ("/reports/new", "/dossier/motcua-dossier-"),
        ("/consultations", "/dossier/motcua-dossier-"),
        ("/receipt/000.21.06.H56-260101-0001", "/dossier/motcua-dossier-"),
        ("/desk/dossiers/000.21.06.H56-260101-0001", "/desk/motcua-desk-"),
    ] {
        let shell = portal.get(path);
        assert_eq!(shell.status, 200, "{path}");
        assert!(shell.text().contains(bundle), "{path} did not get the shell with {bundle}");
    }

    // Revalidation answers 304 with no body.
    let etag = index.header("etag").expect("etag").to_owned();
    let again = portal.request("GET", "/index.html", &[("if-none-match", &etag)], None);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // The wasm bundle: hashed name, immutable, precompressed siblings chosen by Accept-Encoding.
    let dist = repo_root().join("frontend/dist");
    let wasm = std::fs::read_dir(&dist)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .find(|n| n.ends_with(".wasm"))
        .expect("a .wasm in frontend/dist");
    let path = format!("/{wasm}");
    let plain = portal.request("GET", &path, &[("accept-encoding", "identity")], None);
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-type"), Some("application/wasm"));
    assert_eq!(plain.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, std::fs::read(dist.join(&wasm)).unwrap());
    let br = portal.request("GET", &path, &[("accept-encoding", "gzip, deflate, br")], None);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.body, std::fs::read(dist.join(format!("{wasm}.br"))).unwrap());
    assert!(br.body.len() < plain.body.len() / 2);
    let gz = portal.request("GET", &path, &[("accept-encoding", "gzip")], None);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("vary"), Some("accept-encoding"));

    // A language's strings (fetched only by those who choose it), as the
    // province last published them: revalidated by their version, compressed.
    let hmn = portal.request("GET", "/locales/hmn.json", &[("accept-encoding", "gzip, br")], None);
    assert_eq!(hmn.status, 200);
    assert!(hmn.header("content-type").unwrap().starts_with("application/json"));
    assert_eq!(hmn.header("cache-control"), Some("no-cache"));
    assert_eq!(hmn.header("content-encoding"), Some("gzip"));
    assert!(hmn.header("etag").is_some());
    assert!(!dist.join("locales").exists(), "the languages are the province's data, not files of the build");

    assert_eq!(portal.get("/missing-0123456789abcdef.js").status, 404);
    assert_eq!(portal.request("POST", "/", &[], Some(b"x")).status, 405);
}

/// The host refuses a manifest Spin would refuse, naming the problem.
#[test]
fn a_bad_manifest_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("spin_manifest_version = 3\n", "version"),
        (
            "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"ghost\"\n",
            "ghost",
        ),
        ("spin_manifest_version = 2\n[application\nname = \"x\"\n", "line"),
    ];
    for (manifest, named) in cases {
        let path = dir.path().join("spin.toml");
        std::fs::write(&path, manifest).unwrap();
        let out = std::process::Command::new(repo_root().join("target/host/spin-local-host"))
            .arg("--manifest")
            .arg(&path)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .output()
            .unwrap();
        assert!(!out.status.success(), "accepted:\n{manifest}");
        let said = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(said.contains(named), "the refusal of\n{manifest}\ndoes not name {named:?}: {said}");
    }
}
