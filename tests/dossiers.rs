//! Dossier journeys over the API: submit with a receipt, retry safely, track
//! with the secret, and every refusal named. Real submission and tracking
//! components on the local host, SQLite on disk.

use journeys::Portal;
use serde_json::{json, Value};

const BIRTH: &str = "1.001193";

fn post(portal: &Portal, path: &str, body: &Value) -> journeys::Reply {
    portal.request("POST", path, &[("content-type", "application/json")], Some(body.to_string().as_bytes()))
}

#[test]
fn a_dossier_is_received_once_and_tracked_with_its_secret() {
    let portal = Portal::start();
    let form = portal.get(&format!("/api/forms/{BIRTH}"));
    assert_eq!(form.status, 200);
    let form = form.json();
    assert_eq!(form["procedure_code"], BIRTH);
    assert!(form["questions"].as_array().unwrap().len() >= 5);

    let submission = portal.birth_submission("device-key-0000000000000001");
    let first = post(&portal, "/api/dossiers", &submission);
    assert_eq!(first.status, 201, "{}", first.text());
    let receipt = first.json();
    let code = receipt["code"].as_str().unwrap().to_owned();
    let agency = form["agency_id"].as_str().unwrap();
    assert!(code.starts_with(&format!("{agency}-")) && code.ends_with("-0001"), "{code}");
    assert_eq!(receipt["procedure_name"], "Đăng ký khai sinh");
    assert!(!receipt["documents_to_bring"].as_array().unwrap().is_empty());
    let secret = receipt["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 12);
    // The QR code opens tracking with the secret in the fragment, never sent to a server.
    assert_eq!(receipt["tracking_url"], format!("{}/track/{code}#{secret}", portal.base));
    assert!(receipt["qr_svg"].as_str().unwrap().contains("<svg"));

    // A retry after a dropped connection: the same receipt, never a second dossier.
    let again = post(&portal, "/api/dossiers", &submission);
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json(), receipt);
    // The same key with other answers is refused, not silently merged.
    let mut changed = submission.clone();
    let name = form["questions"].as_array().unwrap().iter().find(|q| q["kind"] == "name").expect("a name question");
    changed["answers"][name["id"].as_str().unwrap()] = json!("Nguyễn Văn Bình");
    let conflict = post(&portal, "/api/dossiers", &changed);
    assert_eq!(conflict.status, 409, "{}", conflict.text());
    assert_eq!(conflict.json()["error"]["field"], "idempotency_key");
    // A second dossier gets the next number.
    let second = post(&portal, "/api/dossiers", &portal.birth_submission("device-key-0000000000000002")).json();
    assert!(second["code"].as_str().unwrap().ends_with("-0002"), "{second}");
    assert_ne!(second["secret"], receipt["secret"]);

    // Tracking with the secret, as typed from paper (lower case, a dash).
    let typed = format!("{}-{}", &secret[..6].to_lowercase(), &secret[6..]);
    let tracked = post(&portal, &format!("/api/dossiers/{code}/tracking"), &json!({ "secret": typed }));
    assert_eq!(tracked.status, 200, "{}", tracked.text());
    let tracked = tracked.json();
    assert_eq!(tracked["code"], code.as_str());
    assert_eq!(tracked["status"], "submitted");
    assert_eq!(tracked["overdue"], false);
    assert_eq!(tracked["timeline"].as_array().unwrap().len(), 1);
    assert!(tracked.get("answers").is_none(), "tracking must not echo personal data");

    // A wrong secret is answered exactly like an unknown code.
    let wrong = post(&portal, &format!("/api/dossiers/{code}/tracking"), &json!({ "secret": "AAAAAAAAAAAA" }));
    let unknown = post(&portal, "/api/dossiers/X-260101-0001/tracking", &json!({ "secret": secret }));
    assert_eq!(wrong.status, 404);
    assert_eq!(wrong.body, unknown.body);

    // Nothing the citizen typed, nor the code or secret, reaches the log.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = portal.log_lines().join("\n");
    for private in ["Nguyễn", "079203001234", "0912345678", code.as_str(), secret.as_str()] {
        assert!(!log.contains(private), "the log holds {private:?}:\n{log}");
    }
}

#[test]
fn refused_submissions_name_what_to_fix() {
    let portal = Portal::start();
    let valid = portal.birth_submission("device-key-0000000000000003");

    let mut empty = valid.clone();
    empty["answers"] = json!({});
    let reply = post(&portal, "/api/dossiers", &empty);
    assert_eq!(reply.status, 400, "{}", reply.text());
    let issues = reply.json()["error"]["issues"].as_array().unwrap().clone();
    assert!(issues.len() >= 3, "{issues:?}");
    assert!(issues.iter().all(|i| i["error"] == "required"), "{issues:?}");

    let mut bad = valid.clone();
    let form = portal.get(&format!("/api/forms/{BIRTH}")).json();
    let phone = form["questions"].as_array().unwrap().iter().find(|q| q["kind"] == "phone").expect("a phone question");
    let phone_id = phone["id"].as_str().unwrap();
    bad["answers"][phone_id] = json!("12345");
    bad["answers"]["no_such_question"] = json!("x");
    let reply = post(&portal, "/api/dossiers", &bad);
    assert_eq!(reply.status, 400);
    let body = reply.json();
    let issues = body["error"]["issues"].as_array().unwrap();
    assert!(issues.iter().any(|i| i["field"] == phone_id && i["error"] == "invalid_phone"), "{issues:?}");
    assert!(issues.iter().any(|i| i["field"] == "no_such_question" && i["error"] == "unknown_field"), "{issues:?}");
    assert!(!body.to_string().contains("12345"), "the typed value was echoed");

    // An address names a commune of that province, from the official list.
    let place = form["questions"].as_array().unwrap().iter().find(|q| q["kind"] == "address").expect("an address question");
    let place_id = place["id"].as_str().unwrap();
    for (address, error) in [("Bản Na Sang, Xã Mù Cang Chải, Cao Bằng", "invalid_address"), ("Lào Cai", "invalid_address")] {
        let mut wrong = valid.clone();
        wrong["answers"][place_id] = json!(address);
        let reply = post(&portal, "/api/dossiers", &wrong);
        assert_eq!(reply.status, 400, "{address}: {}", reply.text());
        assert_eq!(reply.json()["error"]["issues"], json!([{"field": place_id, "error": error}]), "{address}");
    }

    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"not json".to_vec(), 400, "body"),
        (vec![b' '; 70 * 1024], 413, "body"),
        (json!({"procedure_code": BIRTH, "idempotency_key": "short", "answers": {}}).to_string().into_bytes(), 400, "idempotency_key"),
        (json!({"procedure_code": "9.999999", "idempotency_key": "device-key-0000000000000004", "answers": {}}).to_string().into_bytes(), 400, "procedure_code"),
    ];
    for (body, status, field) in cases {
        let reply = portal.request("POST", "/api/dossiers", &[("content-type", "application/json")], Some(&body));
        assert_eq!(reply.status, status, "{}", reply.text());
        assert_eq!(reply.json()["error"]["field"], field);
    }
    assert_eq!(portal.get("/api/dossiers").status, 405);
    assert_eq!(portal.get("/api/forms/9.999999").status, 404);
    assert_eq!(portal.get("/api/dossiers/X-260101-0001/tracking").status, 405);
    // No dossier was stored by any of these.
    let ok = post(&portal, "/api/dossiers", &valid).json();
    assert!(ok["code"].as_str().unwrap().ends_with("-0001"), "{ok}");
}

#[test]
fn simultaneous_submissions_never_share_a_code() {
    let portal = Portal::start();
    let codes: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..12)
            .map(|i| {
                let portal = &portal;
                s.spawn(move || {
                    let reply = post(portal, "/api/dossiers", &portal.birth_submission(&format!("parallel-key-{i:08}-abcdef")));
                    assert_eq!(reply.status, 201, "{}", reply.text());
                    reply.json()["code"].as_str().unwrap().to_owned()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sequences: Vec<String> = codes.iter().map(|c| c.rsplit('-').next().unwrap().to_owned()).collect();
    sequences.sort();
    let expected: Vec<String> = (1..=12).map(|n| format!("{n:04}")).collect();
    assert_eq!(sequences, expected, "{codes:?}");
}

#[test]
fn guessing_tracking_secrets_is_slowed_down_but_the_holder_gets_in() {
    let portal = Portal::start();
    let receipt = post(&portal, "/api/dossiers", &portal.birth_submission("device-key-0000000000000005")).json();
    let code = receipt["code"].as_str().unwrap();
    let path = format!("/api/dossiers/{code}/tracking");
    for i in 0..10 {
        let reply = post(&portal, &path, &json!({ "secret": format!("GUESS{i:07}") }));
        assert_eq!(reply.status, 404, "try {i}");
    }
    let blocked = post(&portal, &path, &json!({ "secret": "GUESS0000011" }));
    assert_eq!(blocked.status, 429, "{}", blocked.text());
    assert!(blocked.header("retry-after").is_some_and(|s| s.parse::<u32>().is_ok_and(|n| n > 0)));
    assert_eq!(blocked.json()["error"]["code"], "too_many_requests");
    // The right secret is never refused, even from the guesser's own address
    // (a family behind one router, a service centre behind one NAT).
    let holder = post(&portal, &path, &json!({ "secret": receipt["secret"] }));
    assert_eq!(holder.status, 200, "{}", holder.text());
}

#[test]
fn photos_are_checked_by_their_bytes_and_attached_once() {
    let portal = Portal::start();
    let photo = journeys::paper_photo();
    let up = portal.request("POST", "/api/uploads", &[("content-type", "image/jpeg")], Some(&photo));
    assert_eq!(up.status, 201, "{}", up.text());
    let up = up.json();
    assert_eq!(up["media_type"], "jpeg");
    assert_eq!(up["bytes"], photo.len());
    let id = up["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);

    // A web page named like a photo, an empty body, half a photo (dropped
    // connection) and a file over 2 MB are refused, each naming the file.
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let half = photo[..photo.len() / 2].to_vec();
    let mut huge = photo.clone();
    huge.splice(4..4, std::iter::repeat_n(0u8, 2 * 1024 * 1024));
    for (body, status) in [(html, 400), (Vec::new(), 400), (half, 400), (huge, 413)] {
        let reply = portal.request("POST", "/api/uploads", &[("content-type", "image/jpeg")], Some(&body));
        assert_eq!(reply.status, status, "{}", reply.text());
        let field = reply.json()["error"]["field"].clone();
        assert!(field == "file" || field == "body", "{field}");
    }
    assert_eq!(portal.get("/api/uploads").status, 405);

    // The birth notice photo is required; an id nobody uploaded is refused.
    let mut submission = portal.birth_submission("photo-key-00000000000001");
    let mut without = submission.clone();
    without["attachments"] = json!({});
    let reply = post(&portal, "/api/dossiers", &without);
    assert_eq!(reply.status, 400);
    let issues = reply.json()["error"]["issues"].clone();
    assert_eq!(issues, json!([{"field": "birth_certificate", "error": "required"}]));
    let mut forged = submission.clone();
    forged["attachments"]["birth_certificate"] = json!(["0123456789abcdef0123456789abcdef"]);
    let reply = post(&portal, "/api/dossiers", &forged);
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.json()["error"]["issues"][0]["error"], "invalid_attachment");

    // Two photos on one question; the first submission takes them.
    submission["attachments"]["birth_certificate"].as_array_mut().unwrap().push(json!(id));
    let first = post(&portal, "/api/dossiers", &submission);
    assert_eq!(first.status, 201, "{}", first.text());
    let receipt = first.json();
    // Another dossier cannot reuse an upload that is already someone's paper.
    let mut thief = portal.birth_submission("photo-key-00000000000002");
    thief["attachments"]["birth_certificate"] = json!([id]);
    let reply = post(&portal, "/api/dossiers", &thief);
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.json()["error"]["issues"][0]["field"], "birth_certificate");
    // ... and the failed attempt stored nothing, not even its number.
    let next = post(&portal, "/api/dossiers", &portal.birth_submission("photo-key-00000000000003")).json();
    assert!(next["code"].as_str().unwrap().ends_with("-0002"), "{next}");

    // Tracking lists the papers on file, not their content.
    let code = receipt["code"].as_str().unwrap();
    let tracked = post(&portal, &format!("/api/dossiers/{code}/tracking"), &json!({"secret": receipt["secret"]})).json();
    let papers = tracked["attachments"].as_array().unwrap();
    assert_eq!(papers.len(), 2, "{tracked}");
    assert!(papers.iter().all(|p| p["question_id"] == "birth_certificate" && p["media_type"] == "jpeg"));

    // Attached papers are part of the record: they cannot be changed or deleted.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    assert!(db.execute("DELETE FROM uploads WHERE dossier_code IS NOT NULL", []).is_err());
    assert!(db.execute("UPDATE uploads SET content = x'00' WHERE dossier_code IS NOT NULL", []).is_err());
    let stored: Vec<u8> = db.query_row("SELECT content FROM uploads WHERE id = ?", [&id], |r| r.get(0)).unwrap();
    assert_eq!(stored, photo);
}

#[test]
fn uploads_are_limited_per_client() {
    // The operator's limit (spin.toml `uploads_per_client`), set low to see it work.
    let portal = Portal::start_with_variables(&[("uploads_per_client", "3")]);
    for _ in 0..3 {
        portal.upload(&journeys::paper_photo());
    }
    let reply = portal.request("POST", "/api/uploads", &[("content-type", "image/jpeg")], Some(&journeys::paper_photo()));
    assert_eq!(reply.status, 429, "{}", reply.text());
    assert!(reply.header("retry-after").is_some_and(|s| s.parse::<u32>().is_ok_and(|n| n > 0 && n <= 900)));
}
