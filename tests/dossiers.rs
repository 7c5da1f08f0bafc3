//! Dossier journeys over the API: submit with a receipt, retry safely, track
//! with the secret, and every refusal named. Real submission and tracking
//! components on the local host, SQLite on disk.

use journeys::Portal;
use serde_json::{json, Map, Value};

const BIRTH: &str = "1.001193";

/// A complete, valid answer for every non-file question of a form.
fn answers_for(form: &Value) -> Map<String, Value> {
    let mut answers = Map::new();
    for q in form["questions"].as_array().unwrap() {
        let value = match q["kind"].as_str().unwrap() {
            "file" => continue,
            "name" => "Nguyễn Thị Mai".to_owned(),
            "date" => "2020-01-15".to_owned(),
            "choice" => q["choices"][0]["value"].as_str().unwrap().to_owned(),
            "citizen_id" => "079203001234".to_owned(),
            "phone" => "0912345678".to_owned(),
            "address" => "Số 1, thôn Bản Lầu".to_owned(),
            _ => "Trạm y tế xã".to_owned(),
        };
        answers.insert(q["id"].as_str().unwrap().to_owned(), Value::String(value));
    }
    answers
}

fn post(portal: &Portal, path: &str, body: &Value) -> journeys::Reply {
    portal.request("POST", path, &[("content-type", "application/json")], Some(body.to_string().as_bytes()))
}

fn birth_submission(portal: &Portal, key: &str) -> Value {
    let form = portal.get(&format!("/api/forms/{BIRTH}")).json();
    json!({ "procedure_code": BIRTH, "idempotency_key": key, "answers": answers_for(&form) })
}

#[test]
fn a_dossier_is_received_once_and_tracked_with_its_secret() {
    let portal = Portal::start();
    let form = portal.get(&format!("/api/forms/{BIRTH}"));
    assert_eq!(form.status, 200);
    let form = form.json();
    assert_eq!(form["procedure_code"], BIRTH);
    assert!(form["questions"].as_array().unwrap().len() >= 5);

    let submission = birth_submission(&portal, "device-key-0000000000000001");
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
    let second = post(&portal, "/api/dossiers", &birth_submission(&portal, "device-key-0000000000000002")).json();
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
    let valid = birth_submission(&portal, "device-key-0000000000000003");

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
                    let reply = post(portal, "/api/dossiers", &birth_submission(portal, &format!("parallel-key-{i:08}-abcdef")));
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
fn guessing_tracking_secrets_is_slowed_down() {
    let portal = Portal::start();
    let receipt = post(&portal, "/api/dossiers", &birth_submission(&portal, "device-key-0000000000000005")).json();
    let code = receipt["code"].as_str().unwrap();
    let path = format!("/api/dossiers/{code}/tracking");
    for i in 0..10 {
        let reply = post(&portal, &path, &json!({ "secret": format!("GUESS{i:07}") }));
        assert_eq!(reply.status, 404, "try {i}");
    }
    let blocked = post(&portal, &path, &json!({ "secret": receipt["secret"] }));
    assert_eq!(blocked.status, 429, "{}", blocked.text());
    assert!(blocked.header("retry-after").is_some());
    assert_eq!(blocked.json()["error"]["code"], "too_many_requests");
}
