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

/// A birth registration whose applicant is `name`, with this ID number and phone
/// (the child and the parents answer `name` too, and the ID `079203001234`).
fn submit_birth_as(portal: &Portal, key: &str, name: &str, id: &str, phone: &str) -> Value {
    let form = portal.get(&format!("/api/forms/{BIRTH}")).json();
    let mut answers = journeys::valid_answers(&form, name);
    answers.insert("applicant_id".into(), id.into());
    answers.insert("applicant_phone".into(), phone.into());
    let photo = portal.upload(&journeys::paper_photo());
    let body = json!({"procedure_code": BIRTH, "idempotency_key": key, "answers": answers,
                      "attachments": {"birth_certificate": [photo]}});
    let reply = post(portal, "/api/dossiers", None, &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

/// The codes a desk search answers, in its order.
fn found(portal: &Portal, cookie: &str, q: &str) -> Vec<String> {
    let encoded: String = q
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    let reply = get(portal, &format!("/api/desk/dossiers?q={encoded}"), cookie);
    assert_eq!(reply.status, 200, "{q}: {}\n{}", reply.text(), portal.log_lines().join("\n"));
    assert!(reply.header("link").is_none(), "a search has no next page");
    reply.json().as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
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

#[test]
fn an_officer_finds_a_dossier_by_citizen_name_id_or_phone() {
    let portal = Portal::start();
    let agency = portal.get(&format!("/api/forms/{BIRTH}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(create_officer(&portal, "tim.kiem", &agency, "officer").status, 201);
    assert_eq!(create_officer(&portal, "xa.khac", "000.99.99.H99", "officer").status, 201);
    let lan = submit_birth_as(&portal, "search-key-lan-000000001", "Hoàng Thị Lan", "079203001234", "0912345678");
    let lan2 = submit_birth_as(&portal, "search-key-lan-000000002", "Nguyễn Văn Lân", "001185012345", "0987654321");
    let tuan = submit_birth_as(&portal, "search-key-tuan-00000001", "Hoàng Minh Tuấn", "038090001234", "0356789012");
    let [lan, lan2, tuan] = [&lan, &lan2, &tuan].map(|r| r["code"].as_str().unwrap().to_owned());
    let cookie = sign_in(&portal, "tim.kiem");
    let find = |q: &str| found(&portal, &cookie, q);

    // A name as heard: with or without tone marks, any case, its beginning;
    // one word also finds the given name. In name order.
    assert_eq!(find("Hoàng Thị Lan"), [lan.clone()]);
    assert_eq!(find("  hoang   THI lan "), [lan.clone()]);
    assert_eq!(find("hoang thi"), [lan.clone()]);
    assert_eq!(find("Hoàng"), [tuan.clone(), lan.clone()], "hoang minh tuan, then hoang thi lan");
    let mut given = find("lân");
    given.sort();
    assert_eq!(given, [lan.clone(), lan2.clone()]);
    assert!(find("Trần").is_empty());
    // The applicant's ID number, exactly (spaces as typed from the card); the
    // parents' numbers on the same forms are not the citizen's.
    assert_eq!(find("001 185 012345"), [lan2.clone()]);
    assert_eq!(find("079203001234"), [lan.clone()]);
    assert!(find("07920300123").is_empty());
    // The phone, however it is written.
    assert_eq!(find("+84 987 654 321"), [lan2.clone()]);
    assert_eq!(find("0356.789.012"), [tuan.clone()]);
    // The code, whole or its beginning, in any case, with or without the agency.
    assert_eq!(find(&tuan.to_lowercase()), [tuan.clone()]);
    let (prefix, _) = tuan.rsplit_once('-').unwrap();
    assert_eq!(find(prefix), [tuan.clone(), lan2.clone(), lan.clone()], "newest first");
    let day_and_number = tuan.strip_prefix(&format!("{agency}-")).unwrap();
    assert_eq!(find(day_and_number), [tuan.clone()]);

    // Every row names its citizen, in the queue and in what a search finds.
    let hit = get(&portal, "/api/desk/dossiers?q=tuan", &cookie).json();
    assert_eq!(hit[0]["citizen_name"], "Hoàng Minh Tuấn");
    assert_eq!(hit[0]["papers_sent"], false);
    // Closed dossiers too: a refused one leaves the queue but is still found.
    let refused = post(&portal, &format!("/api/desk/dossiers/{lan}/actions"), Some(&cookie),
                       &json!({"action": "refuse", "reason": "Không thuộc thẩm quyền"}));
    assert_eq!(refused.status, 200, "{}", refused.text());
    let open = get(&portal, "/api/desk/dossiers?filter=open", &cookie).json();
    assert!(!open.as_array().unwrap().iter().any(|d| d["code"] == lan.as_str()));
    let refused = get(&portal, "/api/desk/dossiers?q=079203001234", &cookie).json();
    assert_eq!(refused[0]["status"], "refused");
    // An empty search is the queue, with its paging.
    assert_eq!(get(&portal, "/api/desk/dossiers?q=+&filter=open", &cookie).json(), open);
    // Too long to be anything: said plainly.
    let long = get(&portal, &format!("/api/desk/dossiers?q={}", "a".repeat(101)), &cookie);
    assert_eq!(long.status, 400);
    assert_eq!(long.json()["error"]["field"], "q");
    // Another agency finds nothing of this one, whatever it types.
    let other = sign_in(&portal, "xa.khac");
    for q in ["Hoàng", "079203001234", "0912345678", tuan.as_str(), day_and_number] {
        assert!(found(&portal, &other, q).is_empty(), "{q}");
    }
    assert_eq!(portal.get("/api/desk/dossiers?q=hoang").status, 401);

    // Each kind of search reads its own index, scoped by the agency: never
    // every dossier of every year.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let plan = |sql: &str| -> String {
        let mut stmt = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    };
    for (sql, index) in [
        ("SELECT code FROM dossiers WHERE agency_id = 'a' AND citizen_id = 'x' ORDER BY received_on DESC LIMIT 50", "dossiers_citizen_id"),
        ("SELECT code FROM dossiers WHERE agency_id = 'a' AND citizen_phone = 'x' ORDER BY received_on DESC LIMIT 50", "dossiers_citizen_phone"),
        ("SELECT code FROM dossiers WHERE agency_id = 'a' AND citizen_name_key >= 'x' AND citizen_name_key < 'y'
          ORDER BY citizen_name_key, received_on DESC LIMIT 50", "dossiers_citizen_name"),
        ("SELECT code FROM dossiers WHERE agency_id = 'a' AND citizen_given_key >= 'x' AND citizen_given_key < 'y'
          ORDER BY citizen_given_key, received_on DESC LIMIT 50", "dossiers_citizen_given"),
        ("SELECT code FROM dossiers WHERE code >= 'x' AND code < 'y' AND +agency_id = 'a' ORDER BY code DESC LIMIT 50", "sqlite_autoindex_dossiers_1"),
    ] {
        let plan = plan(sql);
        assert!(plan.contains(&format!("USING INDEX {index}")) || plan.contains(&format!("USING COVERING INDEX {index}")), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "sorted as read: {plan}");
    }

    // Dossiers stored before the search existed are found too: migration 7
    // fills the columns from the stored answers (run again here on the
    // schema as it was before it, with the later migrations undone too).
    let applied: i64 = db.query_row("SELECT COUNT(*) FROM schema_migrations WHERE component = 'dossiers' AND version = 7", [], |r| r.get(0)).unwrap();
    assert_eq!(applied, 1);
    for sql in [
        "DROP INDEX dossiers_citizen_name",
        "DROP INDEX dossiers_citizen_given",
        "DROP INDEX dossiers_citizen_id",
        "DROP INDEX dossiers_citizen_phone",
        "ALTER TABLE dossiers DROP COLUMN citizen_name",
        "ALTER TABLE dossiers DROP COLUMN citizen_name_key",
        "ALTER TABLE dossiers DROP COLUMN citizen_given_key",
        "ALTER TABLE dossiers DROP COLUMN citizen_id",
        "ALTER TABLE dossiers DROP COLUMN citizen_phone",
        "ALTER TABLE dossiers DROP COLUMN form_version",
        "ALTER TABLE officers DROP COLUMN disabled_at",
        "DROP TABLE notifications",
        "ALTER TABLE dossiers DROP COLUMN notify_channel",
        "ALTER TABLE dossiers DROP COLUMN notify_to",
        "ALTER TABLE dossiers DROP COLUMN language",
        "ALTER TABLE officers DROP COLUMN language",
        "DROP TABLE form_drafts",
        "DROP TABLE report_photos",
        "DROP TABLE reports",
        "DROP TABLE report_sequences",
        "DROP TABLE report_events",
        "DROP TABLE report_words",
        "DROP TABLE report_tallies",
        "DROP TABLE consultation_comments",
        "DROP TABLE consultations",
        "DELETE FROM schema_migrations WHERE component = 'dossiers' AND version >= 7",
    ] {
        db.execute(sql, []).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    drop(db);
    assert_eq!(find("nguyen van lan"), [lan2.clone()]);
    assert_eq!(find("0356789012"), [tuan.clone()]);
    let queue = get(&portal, "/api/desk/dossiers?filter=open", &cookie).json();
    assert!(queue.as_array().unwrap().iter().all(|d| !d["citizen_name"].as_str().unwrap().is_empty()), "{queue}");
}

#[test]
fn the_queue_shows_names_and_flags_papers_sent() {
    let portal = Portal::start();
    let agency = portal.get(&format!("/api/forms/{BIRTH}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(create_officer(&portal, "hang.doi", &agency, "officer").status, 201);
    let sent = submit_birth_as(&portal, "papers-sent-key-00000001", "Lò Thị Xuân", "011195000123", "0961234567");
    let waiting = submit_birth_as(&portal, "papers-wait-key-00000001", "Giàng A Páo", "010088000321", "0371234567");
    let [code, other] = [&sent, &waiting].map(|r| r["code"].as_str().unwrap().to_owned());
    let cookie = sign_in(&portal, "hang.doi");
    for c in [&code, &other] {
        for body in [json!({"action": "accept"}), json!({"action": "request_documents", "reason": "Bổ sung ảnh giấy chứng sinh"})] {
            let reply = post(&portal, &format!("/api/desk/dossiers/{c}/actions"), Some(&cookie), &body);
            assert_eq!(reply.status, 200, "{}", reply.text());
        }
    }
    let row = |filter: &str, c: &str| -> Value {
        let queue = get(&portal, &format!("/api/desk/dossiers?filter={filter}"), &cookie).json();
        queue.as_array().unwrap().iter().find(|d| d["code"] == c).cloned().unwrap_or_else(|| panic!("{c} not in {filter}: {queue}"))
    };
    // The citizen's name on every row; asked for papers, nobody has sent any yet.
    assert_eq!(row("open", &code)["citizen_name"], "Lò Thị Xuân");
    assert_eq!(row("open", &other)["citizen_name"], "Giàng A Páo");
    assert_eq!(row("waiting", &code)["papers_sent"], false);

    // The citizen sends the papers from the tracking page: the row says so
    // (still status 5, until an officer accepts them), and so does the dossier.
    let paper = portal.upload(&journeys::paper_photo());
    let supplied = post(&portal, &format!("/api/dossiers/{code}/documents"), None, &json!({"secret": sent["secret"], "uploads": [paper]}));
    assert_eq!(supplied.status, 200, "{}", supplied.text());
    for filter in ["open", "waiting"] {
        let r = row(filter, &code);
        assert_eq!((r["status"].as_str(), r["papers_sent"].as_bool()), (Some("documents_requested"), Some(true)), "{filter}");
        assert_eq!(row(filter, &other)["papers_sent"], false, "{filter}: only the one whose papers came");
    }
    let dossier = get(&portal, &format!("/api/desk/dossiers/{code}"), &cookie).json();
    assert_eq!(dossier["item"]["papers_sent"], true);
    assert_eq!(dossier["item"]["citizen_name"], "Lò Thị Xuân");
    assert_eq!(found(&portal, &cookie, "xuan"), [code.clone()]);
    assert_eq!(get(&portal, "/api/desk/dossiers?q=xuan", &cookie).json()[0]["papers_sent"], true);

    // Once the officer takes the papers, the flag is gone.
    let accepted = post(&portal, &format!("/api/desk/dossiers/{code}/actions"), Some(&cookie), &json!({"action": "accept_supplement"}));
    assert_eq!(accepted.json()["item"]["papers_sent"], false);
    assert_eq!(row("open", &code)["papers_sent"], false);
}
