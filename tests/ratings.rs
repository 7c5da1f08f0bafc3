//! Ratings over the API: a returned dossier rated once by its holder
//! (changeable for a day, then fixed), the counter screen (a session
//! required, a limit per minute), and the published figures checked against
//! the ratings and dossiers the test made. Real components, SQLite on disk.

use journeys::{Portal, Reply};
use serde_json::{json, Value};

/// Temporary residence: 3 working days, so the return is counted on time.
const RESIDENCE: &str = "1.004194";

fn post(portal: &Portal, path: &str, cookie: Option<&str>, body: &Value) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    portal.request("POST", path, &headers, Some(body.to_string().as_bytes()))
}

fn sign_in(portal: &Portal, username: &str) -> String {
    let reply = post(portal, "/api/desk/session", None, &json!({"username": username, "password": "mat-khau-rat-dai-123"}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.header("set-cookie").unwrap().split(';').next().unwrap().to_owned()
}

/// Submits a dossier online and has the officer take it to "result returned".
fn returned_dossier(portal: &Portal, cookie: &str, key: &str) -> Value {
    let form = portal.get(&format!("/api/forms/{RESIDENCE}")).json();
    let body = json!({"procedure_code": RESIDENCE, "idempotency_key": key,
                      "answers": journeys::valid_answers(&form, "Vàng Thị Dua")});
    let receipt = post(portal, "/api/dossiers", None, &body);
    assert_eq!(receipt.status, 201, "{}", receipt.text());
    let receipt = receipt.json();
    let code = receipt["code"].as_str().unwrap();
    for action in ["accept", "start_processing", "finish", "return_result"] {
        let reply = post(portal, &format!("/api/desk/dossiers/{code}/actions"), Some(cookie), &json!({"action": action}));
        assert_eq!(reply.status, 200, "{action}: {}", reply.text());
    }
    receipt
}

fn answers(choices: [&str; 5]) -> Value {
    let ids = ["time", "visits", "attitude", "ease", "overall"];
    Value::Object(ids.iter().zip(choices).map(|(id, c)| (id.to_string(), json!(c))).collect())
}

/// The province's row and the agency's for this month.
fn this_month(portal: &Portal, agency: &str) -> (Value, Value) {
    let stats = portal.get("/api/stats");
    assert_eq!(stats.status, 200, "{}", stats.text());
    let rows = stats.json()["rows"].as_array().unwrap().clone();
    let month = rows[0]["month"].as_str().unwrap().to_owned();
    let find = |a: Value| rows.iter().find(|r| r["month"] == month.as_str() && r["agency_id"] == a).cloned().unwrap();
    (find(Value::Null), find(json!(agency)))
}

#[test]
fn a_returned_dossier_is_rated_once_and_the_figures_follow() {
    let portal = Portal::start();
    let agency = portal.get(&format!("/api/forms/{RESIDENCE}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("hoa.tran", "Trần Thị Hoa", &agency, "officer").status, 201);
    let cookie = sign_in(&portal, "hoa.tran");

    let criteria = portal.get("/api/ratings/criteria").json();
    let ids: Vec<&str> = criteria.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["time", "visits", "attitude", "ease", "overall"]);

    // Not yet returned: no rating.
    let form = portal.get(&format!("/api/forms/{RESIDENCE}")).json();
    let open = post(&portal, "/api/dossiers", None, &json!({"procedure_code": RESIDENCE, "idempotency_key": "ratings-open-key-0001",
        "answers": journeys::valid_answers(&form, "Lý Văn Sử")})).json();
    let early = post(&portal, &format!("/api/ratings/dossiers/{}", open["code"].as_str().unwrap()), None,
        &json!({"secret": open["secret"], "answers": answers(["satisfied"; 5])}));
    assert_eq!(early.status, 409, "{}", early.text());
    assert_eq!(early.json()["error"]["field"], "status");

    let receipt = returned_dossier(&portal, &cookie, "ratings-key-0000000001");
    let code = receipt["code"].as_str().unwrap();
    let path = format!("/api/ratings/dossiers/{code}");
    // Tracking invites the holder to rate.
    let tracked = post(&portal, &format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": receipt["secret"]})).json();
    assert_eq!(tracked["can_rate"], true);
    assert_eq!(tracked["rating"], Value::Null);

    // A wrong secret is an unknown dossier; every criterion must be answered.
    let wrong = post(&portal, &path, None, &json!({"secret": "WRONGSECRET0", "answers": answers(["satisfied"; 5])}));
    assert_eq!(wrong.status, 404);
    let mut partial = answers(["satisfied"; 5]);
    partial.as_object_mut().unwrap().remove("ease");
    let missing = post(&portal, &path, None, &json!({"secret": receipt["secret"], "answers": partial}));
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["error"]["issues"], json!([{"field": "ease", "error": "required"}]));
    let bad_choice = post(&portal, &path, None, &json!({"secret": receipt["secret"], "answers": {"time": "so-so"}}));
    assert_eq!(bad_choice.status, 400);

    // 4 of 5 answers satisfied: 80 %.
    let first = post(&portal, &path, None, &json!({"secret": receipt["secret"],
        "answers": answers(["very_satisfied", "satisfied", "very_satisfied", "not_satisfied", "satisfied"]),
        "comment": "  Cán bộ hướng dẫn tận tình.  "}));
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.json()["comment"], "Cán bộ hướng dẫn tận tình.");
    let (province, row) = this_month(&portal, &agency);
    assert_eq!(row["ratings"], json!({"very_satisfied": 2, "satisfied": 2, "not_satisfied": 1}));
    assert_eq!(row["satisfaction"], 80.0);
    assert_eq!(province["satisfaction"], 80.0);
    // Both dossiers received online this month; the returned one on time (3 working days).
    assert_eq!(row["dossiers"], json!({"received": 2, "online": 2, "returned": 1, "on_time": 1}));
    assert_eq!(row["on_time"], 100.0);
    assert_eq!(row["online_dossiers"], 100.0);

    // Changed within the day: the figures move with it, nothing counted twice.
    let changed = post(&portal, &path, None, &json!({"secret": receipt["secret"], "answers": answers(["not_satisfied"; 5])}));
    assert_eq!(changed.status, 200, "{}", changed.text());
    let (_, row) = this_month(&portal, &agency);
    assert_eq!(row["ratings"], json!({"very_satisfied": 0, "satisfied": 0, "not_satisfied": 5}));
    assert_eq!(row["satisfaction"], 0.0);
    let tracked = post(&portal, &format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": receipt["secret"]})).json();
    assert_eq!(tracked["rating"]["answers"]["overall"], "not_satisfied");
    assert_eq!(tracked["rating"]["changeable"], true);

    // A day later the rating is fixed (the clock moved by editing the stored time).
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    db.execute("UPDATE ratings SET created_at = created_at - 86401", []).unwrap();
    let late = post(&portal, &path, None, &json!({"secret": receipt["secret"], "answers": answers(["satisfied"; 5])}));
    assert_eq!(late.status, 409, "{}", late.text());
    assert_eq!(late.json()["error"]["field"], "rating");
    // Nothing of the citizen is stored with the rating but the dossier code.
    let columns: Vec<String> = db.prepare("SELECT * FROM ratings").unwrap().column_names().iter().map(|c| c.to_string()).collect();
    assert_eq!(columns, ["id", "created_at", "at", "month", "agency_id", "officer", "counter", "channel", "dossier_code", "comment"]);
    let officer: String = db.query_row("SELECT officer FROM ratings", [], |r| r.get(0)).unwrap();
    assert_eq!(officer, "hoa.tran", "the officer who returned the result");

    // The CSV says the same as the JSON.
    let csv = portal.get("/api/stats.csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    assert!(text.lines().any(|l| l.contains(&format!("\"{agency}\"")) && l.ends_with(",0.0,0,0,5,2,2,1,1,0,0,0,,")), "{text}");
    assert_eq!(portal.get("/api/stats?months=99").status, 400);
}

#[test]
fn the_counter_screen_locks_the_tablet_to_the_faces_and_counts_each_tap_once() {
    let portal = Portal::start();
    let agency = "000.21.06.H56";
    assert_eq!(portal.create_officer("quay.ba", "Lò Văn Hùng", agency, "officer").status, 201);
    assert_eq!(portal.create_officer("truong.phong", "Hà Thị Mai", agency, "supervisor").status, 201);
    let desk = sign_in(&portal, "quay.ba");
    let boss = sign_in(&portal, "truong.phong");

    // Counters come from the supervisor's list, not free text.
    let add = |cookie: &str, name: &str| post(&portal, "/api/ratings/counters", Some(cookie), &json!({"name": name}));
    assert_eq!(add(&desk, "Quầy 9").status, 403, "only the supervisor keeps the list");
    assert_eq!(add(&boss, "Quầy 3").status, 201);
    assert_eq!(add(&boss, "Quầy 4").json(), json!(["Quầy 3", "Quầy 4"]));
    assert_eq!(add(&boss, "Quầy 4").status, 409);
    assert_eq!(portal.request("DELETE", "/api/ratings/counters/Qu%E1%BA%A7y%204", &[("cookie", &boss)], None).status, 204);
    assert_eq!(portal.request("GET", "/api/ratings/counters", &[("cookie", &desk)], None).json(), json!(["Quầy 3"]));

    // No session, no ratings: not signed in, then no counter open.
    assert_eq!(post(&portal, "/api/ratings/counter/taps", None, &json!({"choice": "satisfied"})).status, 401);
    assert_eq!(post(&portal, "/api/ratings/counter/taps", Some(&desk), &json!({"choice": "satisfied"})).status, 401);
    assert_eq!(post(&portal, "/api/ratings/counter", Some(&desk), &json!({"counter": "  "})).status, 400);
    let made_up = post(&portal, "/api/ratings/counter", Some(&desk), &json!({"counter": "Quầy ma"}));
    assert_eq!(made_up.status, 400, "{}", made_up.text());
    assert_eq!(made_up.json()["error"]["field"], "counter");
    let opened = post(&portal, "/api/ratings/counter", Some(&desk), &json!({"counter": "Quầy 3"}));
    assert_eq!(opened.status, 200, "{}", opened.text());
    assert_eq!(opened.json()["counter"], "Quầy 3");

    // The tablet's session is now the counter's only: no queue, no dossier, no intake.
    let cookie = opened.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    assert_ne!(cookie, desk);
    assert_eq!(portal.request("GET", "/api/desk/dossiers", &[("cookie", &desk)], None).status, 401, "the desk session ended");
    for path in ["/api/desk/dossiers", "/api/desk/me", "/api/ratings/staff", "/api/ratings/counters"] {
        assert_eq!(portal.request("GET", path, &[("cookie", &cookie)], None).status, 401, "{path} from the counter");
    }
    assert_eq!(portal.request("GET", "/api/ratings/counter", &[("cookie", &cookie)], None).json()["channel"], "counter");
    let tap = |choice: &str| post(&portal, "/api/ratings/counter/taps", Some(&cookie), &json!({"choice": choice}));

    // Six taps a minute are counted; more are refused (a child tapping away).
    let mut counted = 0;
    for (i, choice) in ["very_satisfied", "very_satisfied", "satisfied", "not_satisfied", "satisfied", "very_satisfied"].iter().enumerate() {
        let reply = tap(choice);
        if reply.status == 429 {
            // The minute turned over mid-test: the earlier taps count in the old minute.
            break;
        }
        assert_eq!(reply.status, 201, "tap {i}: {}", reply.text());
        counted += 1;
    }
    if counted == 6 {
        let over = tap("satisfied");
        assert_eq!(over.status, 429, "{}", over.text());
        assert!(over.header("retry-after").is_some());
    }
    assert_eq!(tap("meh").status, 400);

    // The figures: the agency's month and the supervisor's view per officer and counter.
    let (_, row) = this_month(&portal, agency);
    assert_eq!(row["ratings"]["very_satisfied"].as_u64().unwrap() + row["ratings"]["satisfied"].as_u64().unwrap()
        + row["ratings"]["not_satisfied"].as_u64().unwrap(), counted);
    assert_eq!(portal.request("GET", "/api/ratings/staff", &[("cookie", &cookie)], None).status, 401);
    let staff = portal.request("GET", "/api/ratings/staff", &[("cookie", &boss)], None);
    assert_eq!(staff.status, 200, "{}", staff.text());
    let staff = staff.json();
    assert_eq!(staff["officers"][0]["who"], "officer:quay.ba");
    assert_eq!(staff["counters"][0]["who"], "counter:Quầy 3");
    assert_eq!(staff["officers"][0]["ratings"], staff["counters"][0]["ratings"]);
    if counted == 6 {
        // 5 of 6 satisfied.
        assert_eq!(staff["officers"][0]["satisfaction"], 83.3);
    }

    // Only the officer's password leaves the screen; the device is the desk again.
    let exit = |password: &str| {
        portal.request("DELETE", "/api/ratings/counter", &[("content-type", "application/json"), ("cookie", &cookie)],
            Some(json!({"password": password}).to_string().as_bytes()))
    };
    assert_eq!(exit("a-citizen-guessing").status, 401);
    let back = exit("mat-khau-rat-dai-123");
    assert_eq!(back.status, 200, "{}", back.text());
    assert_eq!(back.json()["username"], "quay.ba");
    let desk_again = back.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(portal.request("GET", "/api/desk/dossiers", &[("cookie", &desk_again)], None).status, 200);
    // Closed: the screen takes no more ratings.
    assert_eq!(tap("satisfied").status, 401);
    let cookie = desk_again;
    // A cross-site form cannot open a counter with the officer's cookie.
    let form_post = portal.request(
        "POST",
        "/api/ratings/counter",
        &[("content-type", "application/x-www-form-urlencoded"), ("cookie", &cookie)],
        Some(b"counter=x"),
    );
    assert_eq!(form_post.status, 400);

    // A screen left open on a tablet is closed from the desk on another device: its taps stop.
    let reopened = post(&portal, "/api/ratings/counter", Some(&cookie), &json!({"counter": "Quầy 3"}));
    assert_eq!(reopened.status, 200, "{}", reopened.text());
    let tablet = reopened.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let elsewhere = sign_in(&portal, "quay.ba");
    assert_eq!(portal.request("DELETE", "/api/ratings/counter", &[("cookie", &elsewhere)], None).status, 204);
    assert_eq!(post(&portal, "/api/ratings/counter/taps", Some(&tablet), &json!({"choice": "satisfied"})).status, 409);
}

/// The same rating from the server's tracking page (a browser without
/// JavaScript posts a form): a comment of the full length in Khmer (three
/// bytes a letter, each percent-encoded) goes through; a body past any real form is
/// refused unread.
#[test]
fn a_rating_posted_from_the_servers_tracking_page_takes_a_whole_comment() {
    let portal = Portal::start();
    let agency = portal.get(&format!("/api/forms/{RESIDENCE}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("minh.vu", "Vũ Văn Minh", &agency, "officer").status, 201);
    let cookie = sign_in(&portal, "minh.vu");
    let receipt = returned_dossier(&portal, &cookie, "ratings-form-key-0001");
    let (code, secret) = (receipt["code"].as_str().unwrap(), receipt["secret"].as_str().unwrap());
    let comment: String = "សេវាល្អណាស់ ".chars().cycle().take(motcua_shared::ratings::MAX_COMMENT_CHARS).collect();
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("code", code).append_pair("secret", secret).append_pair("do", "rate").append_pair("comment", &comment);
    for id in ["time", "visits", "attitude", "ease", "overall"] {
        form.append_pair(&format!("rate-{id}"), "very_satisfied");
    }
    let body = form.finish();
    assert!(body.len() > 8000, "the comment is sent percent-encoded: {} bytes", body.len());
    let page = portal.request("POST", "/track", &[("content-type", "application/x-www-form-urlencoded")], Some(body.as_bytes()));
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page.text().contains("id=\"rating-thanks\""), "{}", page.text());
    let tracked = post(&portal, &format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": secret})).json();
    assert_eq!(tracked["rating"]["comment"], comment.trim());
    assert_eq!(tracked["rating"]["answers"]["overall"], "very_satisfied");

    let huge = vec![b'a'; 64 * 1024];
    let refused = portal.request("POST", "/track", &[("content-type", "application/x-www-form-urlencoded")], Some(&huge));
    assert_eq!(refused.status, 413);
}
