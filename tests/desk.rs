//! The one-stop desk over the API: officers sign in, see only their agency's
//! dossiers, and move a dossier through the lifecycle to "result returned",
//! while the citizen follows it by tracking. Real components, SQLite on disk.

use journeys::{Portal, Reply};
use serde_json::{json, Value};

const BIRTH: &str = "1.001193";

fn post(portal: &Portal, path: &str, cookie: Option<&str>, body: &Value) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    portal.request("POST", path, &headers, Some(body.to_string().as_bytes()))
}

fn get(portal: &Portal, path: &str, cookie: &str) -> Reply {
    portal.request("GET", path, &[("cookie", cookie)], None)
}

fn create_officer(portal: &Portal, username: &str, agency: &str, role: &str) -> Reply {
    portal.create_officer(username, "Cán bộ một cửa", agency, role)
}

/// Signs in and returns the cookie to send back.
fn sign_in(portal: &Portal, username: &str) -> String {
    let reply = post(portal, "/api/desk/session", None, &json!({"username": username, "password": "mat-khau-rat-dai-123"}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let set = reply.header("set-cookie").expect("a session cookie").to_owned();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/api;", "Max-Age="] {
        assert!(set.contains(flag), "cookie without {flag}: {set}");
    }
    set.split(';').next().unwrap().to_owned()
}

fn submit_birth(portal: &Portal, key: &str) -> Value {
    let form = portal.get(&format!("/api/forms/{BIRTH}")).json();
    let answers = journeys::valid_answers(&form, "Hoàng Thị Lan");
    let photo = portal.upload(&journeys::paper_photo());
    let body = json!({"procedure_code": BIRTH, "idempotency_key": key, "answers": answers,
                      "attachments": {"birth_certificate": [photo]}});
    let reply = post(portal, "/api/dossiers", None, &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

fn track(portal: &Portal, receipt: &Value) -> Value {
    let code = receipt["code"].as_str().unwrap();
    let reply = post(portal, &format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": receipt["secret"]}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

#[test]
fn an_officer_takes_a_dossier_from_submitted_to_result_returned() {
    let portal = Portal::start();
    let agency = portal.get(&format!("/api/forms/{BIRTH}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(create_officer(&portal, "lan.nguyen", &agency, "officer").status, 201);
    assert_eq!(create_officer(&portal, "other.agency", "000.99.99.H99", "officer").status, 201);
    let receipt = submit_birth(&portal, "desk-journey-key-000001");
    let code = receipt["code"].as_str().unwrap().to_owned();

    // Nobody signed in sees nothing; a wrong password is refused like an unknown user.
    assert_eq!(portal.get("/api/desk/dossiers").status, 401);
    let wrong = post(&portal, "/api/desk/session", None, &json!({"username": "lan.nguyen", "password": "wrong-password-123"}));
    let unknown = post(&portal, "/api/desk/session", None, &json!({"username": "nobody", "password": "wrong-password-123"}));
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, unknown.body);

    let cookie = sign_in(&portal, "lan.nguyen");
    assert_eq!(get(&portal, "/api/desk/me", &cookie).json()["agency_id"], agency.as_str());
    let new = get(&portal, "/api/desk/dossiers?filter=new", &cookie).json();
    assert!(new.as_array().unwrap().iter().any(|d| d["code"] == code.as_str()), "{new}");
    let dossier = get(&portal, &format!("/api/desk/dossiers/{code}"), &cookie).json();
    assert!(dossier["answers"].as_object().unwrap().values().any(|v| v == "Hoàng Thị Lan"));
    let allowed: Vec<&str> = dossier["allowed_actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(allowed.contains(&"accept") && allowed.contains(&"refuse"), "{allowed:?}");

    // Another agency's officer cannot see it at all.
    let other = sign_in(&portal, "other.agency");
    assert_eq!(get(&portal, &format!("/api/desk/dossiers/{code}"), &other).status, 404);
    assert!(get(&portal, "/api/desk/dossiers?filter=open", &other).json().as_array().unwrap().is_empty());
    assert_eq!(post(&portal, &format!("/api/desk/dossiers/{code}/actions"), Some(&other), &json!({"action": "accept"})).status, 404);

    let act = |body: Value| post(&portal, &format!("/api/desk/dossiers/{code}/actions"), Some(&cookie), &body);
    assert_eq!(act(json!({"action": "accept"})).json()["item"]["status"], "accepted");
    // Only allowed transitions: finishing an accepted dossier is refused and changes nothing.
    let refused = act(json!({"action": "finish"}));
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert_eq!(refused.json()["error"]["field"], "action");
    let no_reason = act(json!({"action": "request_documents", "reason": "  "}));
    assert_eq!(no_reason.status, 400);
    assert_eq!(no_reason.json()["error"]["field"], "reason");
    let requested = act(json!({"action": "request_documents", "reason": "Bổ sung giấy chứng sinh bản chính",
                              "internal_note": "ảnh mờ"}));
    assert_eq!(requested.json()["item"]["status"], "documents_requested");

    // The citizen sees the request and its reason, not the internal note.
    let seen = track(&portal, &receipt);
    assert_eq!(seen["status"], "documents_requested");
    let last = seen["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["note"], "Bổ sung giấy chứng sinh bản chính");
    assert!(!seen.to_string().contains("ảnh mờ"));
    let waiting = get(&portal, "/api/desk/dossiers?filter=waiting", &cookie).json();
    assert!(waiting.as_array().unwrap().iter().any(|d| d["code"] == code.as_str()));

    // The citizen sends the paper from the tracking page: still status 5
    // until the officer accepts it. A wrong secret is an unknown dossier.
    let supply = |secret: &Value, uploads: Vec<String>| {
        post(&portal, &format!("/api/dossiers/{code}/documents"), None, &json!({"secret": secret, "uploads": uploads}))
    };
    let paper = portal.upload(&journeys::paper_photo());
    assert_eq!(supply(&json!("WRONGSECRET0"), vec![paper.clone()]).status, 404);
    assert_eq!(supply(&receipt["secret"], vec![]).json()["error"]["field"], "uploads");
    let supplied = supply(&receipt["secret"], vec![paper.clone()]);
    assert_eq!(supplied.status, 200, "{}", supplied.text());
    let supplied = supplied.json();
    assert_eq!(supplied["status"], "documents_requested");
    assert_eq!(supplied["attachments"].as_array().unwrap().len(), 2);
    assert_eq!(supplied["timeline"].as_array().unwrap().last().unwrap()["by_citizen"], true);
    // An upload is attached once only.
    assert_eq!(supply(&receipt["secret"], vec![paper.clone()]).json()["error"]["issues"][0]["error"], "invalid_attachment");

    // The officer sees both papers and opens the new one: the bytes sent, as
    // the type found at upload, never run as a page.
    let papers = get(&portal, &format!("/api/desk/dossiers/{code}"), &cookie).json()["attachments"].clone();
    assert_eq!(papers.as_array().unwrap().len(), 2, "{papers}");
    assert_eq!(papers[0]["question_id"], "birth_certificate");
    assert_eq!(papers[1]["question_id"], Value::Null);
    let file = get(&portal, &format!("/api/desk/dossiers/{code}/attachments/{paper}"), &cookie);
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("image/jpeg"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert!(file.header("content-security-policy").unwrap().starts_with("sandbox"));
    assert_eq!(file.body, journeys::paper_photo());
    assert_eq!(get(&portal, &format!("/api/desk/dossiers/{code}/attachments/{paper}"), &other).status, 404);
    assert_eq!(portal.get(&format!("/api/desk/dossiers/{code}/attachments/{paper}")).status, 401);

    for (action, status) in [
        ("accept_supplement", "processing"),
        ("finish", "result_ready"),
        ("return_result", "result_returned"),
    ] {
        let reply = act(json!({"action": action}));
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
        assert_eq!(reply.json()["item"]["status"], status, "{action}");
    }
    let done = get(&portal, &format!("/api/desk/dossiers/{code}"), &cookie).json();
    assert!(done["allowed_actions"].as_array().unwrap().is_empty(), "a returned dossier is closed");
    let history = done["history"].as_array().unwrap();
    assert_eq!(history.len(), 7, "{history:?}");
    assert_eq!(history[1]["actor"], "officer:lan.nguyen");
    // The desk shows names, not account ids: the officer's, and none for the citizen (the app says "Công dân").
    assert_eq!(history[0]["actor"], "citizen");
    assert_eq!(history[0]["actor_name"], serde_json::Value::Null);
    assert_eq!(history[1]["actor_name"], "Cán bộ một cửa");
    assert_eq!(history[1]["from"], "submitted");
    assert_eq!(history[1]["to"], "accepted");
    assert_eq!(history[2]["internal_note"], "ảnh mờ");
    let timeline = track(&portal, &receipt)["timeline"].as_array().unwrap().len();
    assert_eq!(timeline, 7);
    // Papers cannot be sent once the desk stopped waiting for them.
    let late = portal.upload(&journeys::paper_photo());
    assert_eq!(supply(&receipt["secret"], vec![late]).status, 409);

    // Signing out ends the session.
    assert_eq!(portal.request("DELETE", "/api/desk/session", &[("cookie", &cookie)], None).status, 204);
    assert_eq!(get(&portal, "/api/desk/dossiers", &cookie).status, 401);

    // The audit trail cannot be edited, even with the database file in hand.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    assert!(db.execute("UPDATE dossier_events SET actor = 'someone else'", []).is_err());
    assert!(db.execute("DELETE FROM dossier_events", []).is_err());
}

#[test]
fn officer_accounts_are_created_only_with_the_admin_token() {
    let portal = Portal::start();
    let body = json!({"username": "x.officer", "display_name": "X", "agency_id": "000.21.06.H56", "role": "officer",
                      "password": "mat-khau-rat-dai-123"});
    let no_token = post(&portal, "/api/desk/admin/officers", None, &body);
    assert_eq!(no_token.status, 404, "the admin route must not show itself");
    let bad = portal.request(
        "POST",
        "/api/desk/admin/officers",
        &[("content-type", "application/json"), ("authorization", "Bearer not-the-token-at-all")],
        Some(body.to_string().as_bytes()),
    );
    assert_eq!(bad.status, 404);
    assert_eq!(create_officer(&portal, "x.officer", "000.21.06.H56", "officer").status, 201);
    assert_eq!(create_officer(&portal, "x.officer", "000.21.06.H56", "officer").status, 409);
    assert_eq!(create_officer(&portal, "Bad Name", "000.21.06.H56", "officer").json()["error"]["field"], "username");
    // Passwords are stored as argon2id hashes only.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let hash: String = db.query_row("SELECT password_hash FROM officers WHERE username = 'x.officer'", [], |r| r.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("mat-khau"));
    // A session cookie only works as JSON: a cross-site form post is refused.
    let cookie = sign_in(&portal, "x.officer");
    let form_post = portal.request(
        "POST",
        "/api/desk/dossiers/X-260101-0001/actions",
        &[("content-type", "application/x-www-form-urlencoded"), ("cookie", &cookie)],
        Some(b"action=accept"),
    );
    assert_eq!(form_post.status, 400);

    // Guessing a password is slowed down: after 10 failures a wrong one
    // waits, but the officer's right password still signs them in.
    for i in 0..10 {
        let reply = post(&portal, "/api/desk/session", None, &json!({"username": "x.officer", "password": format!("guess-{i:08}")}));
        assert_eq!(reply.status, 401, "try {i}");
    }
    let blocked = post(&portal, "/api/desk/session", None, &json!({"username": "x.officer", "password": "guess-again-0011"}));
    assert_eq!(blocked.status, 429, "{}", blocked.text());
    assert!(blocked.header("retry-after").is_some());
    let officer = post(&portal, "/api/desk/session", None, &json!({"username": "x.officer", "password": "mat-khau-rat-dai-123"}));
    assert_eq!(officer.status, 200, "{}", officer.text());
}

#[test]
fn an_officer_enters_a_dossier_for_a_citizen_at_the_counter() {
    let portal = Portal::start();
    let agency = portal.get(&format!("/api/forms/{BIRTH}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(create_officer(&portal, "quay.mot", &agency, "officer").status, 201);
    assert_eq!(create_officer(&portal, "xa.khac", "000.99.99.H99", "officer").status, 201);
    let online = submit_birth(&portal, "intake-online-key-000001");
    let form = portal.get(&format!("/api/forms/{BIRTH}")).json();
    let answers = journeys::valid_answers(&form, "Lò Văn Pấu");
    let photo = portal.upload(&journeys::paper_photo());
    let body = json!({"procedure_code": BIRTH, "idempotency_key": "counter-intake-key-0001", "answers": answers,
                      "attachments": {"birth_certificate": [photo]}});

    // Only a signed-in officer of the receiving agency, and only as JSON.
    assert_eq!(post(&portal, "/api/intake", None, &body).status, 401);
    let other = sign_in(&portal, "xa.khac");
    let wrong_agency = post(&portal, "/api/intake", Some(&other), &body);
    assert_eq!(wrong_agency.status, 400);
    assert_eq!(wrong_agency.json()["error"]["field"], "procedure_code");
    let cookie = sign_in(&portal, "quay.mot");
    let as_form = portal.request(
        "POST",
        "/api/intake",
        &[("content-type", "text/plain"), ("cookie", &cookie)],
        Some(body.to_string().as_bytes()),
    );
    assert_eq!(as_form.status, 400);

    let reply = post(&portal, "/api/intake", Some(&cookie), &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    let receipt = reply.json();
    let code = receipt["code"].as_str().unwrap();
    // The same daily sequence as online dossiers; the citizen gets a secret to track it.
    assert!(code.ends_with("-0002"), "{code} after {}", online["code"]);
    assert_eq!(track(&portal, &receipt)["status"], "accepted");

    let dossier = get(&portal, &format!("/api/desk/dossiers/{code}"), &cookie).json();
    assert_eq!(dossier["item"]["channel"], "desk");
    assert_eq!(dossier["item"]["status"], "accepted");
    let history = dossier["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(history.iter().all(|h| h["actor"] == "officer:quay.mot"));
    assert_eq!(dossier["attachments"].as_array().unwrap().len(), 1);
    // A retry (the officer pressed twice) gives the same receipt.
    let again = post(&portal, "/api/intake", Some(&cookie), &body);
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["code"], code);
    assert_eq!(get(&portal, "/api/desk/dossiers?filter=open", &cookie).json().as_array().unwrap().len(), 2);
}
