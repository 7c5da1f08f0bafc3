//! Citizens' reports over the API: sent once however often the phone
//! retries, routed by a supervisor, answered within the agency's working
//! days with the citizen told by SMS (a real fake gateway on loopback),
//! moderated, published without personal data, searched, rated, and
//! counted in the public figures. Private reports stay private; limits
//! are per client and never lock the holder out. Real components, SQLite
//! on disk, on the local host and on real Spin.

use journeys::{input_value, text_of, urlencoded, FakeGateway, Portal, Reply};
use serde_json::{json, Value};

const CENTRE: &str = "000.21.06.H56"; // first of the province's list: unaddressed reports land here
const POLICE: &str = "000.25.06.H56";

fn portal_with(gateway: &FakeGateway, extra: &[(&str, &str)]) -> Portal {
    let (url, origin) = (gateway.url(), gateway.origin());
    let mut variables = vec![
        ("sms_gateway_url", url.as_str()),
        ("sms_gateway_token", "gateway-token-123"),
        ("sms_gateway_origin", origin.as_str()),
        ("notify_retry_seconds", "0"),
    ];
    variables.extend_from_slice(extra);
    Portal::start_with_variables(&variables)
}

fn send(portal: &Portal, body: &Value) -> Reply {
    portal.post_json("/api/reports", None, body)
}

fn report(key: &str, text: &str) -> Value {
    json!({"idempotency_key": key, "subject": "service", "text": text})
}

fn desk(portal: &Portal, cookie: &str, path: &str) -> Reply {
    portal.request("GET", path, &[("cookie", cookie)], None)
}

fn officer(portal: &Portal, username: &str, agency: &str, role: &str) -> String {
    assert_eq!(portal.create_officer(username, "Cán bộ", agency, role).status, 201);
    portal.sign_in(username)
}

fn codes(page: &Value) -> Vec<String> {
    page["reports"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_report_is_routed_answered_on_time_told_published_without_personal_data_and_rated() {
    let gateway = FakeGateway::start();
    let portal = portal_with(&gateway, &[]);
    let centre_boss = officer(&portal, "truong.centre", CENTRE, "supervisor");
    let police = officer(&portal, "can.bo.ca", POLICE, "officer");
    let police_boss = officer(&portal, "truong.ca", POLICE, "supervisor");

    // Sent without naming an agency, with a name, a phone in the text and SMS for the answer.
    let text = "Tôi là Vàng A Dế, gọi 0912 345 678. Xếp hàng làm căn cước ở xã quá lâu, chờ từ 7 giờ đến 11 giờ.";
    let mut body = report("report-journey-key-0001", text);
    body["subject"] = json!("conduct");
    body["name"] = json!("Vàng A Dế");
    body["notify"] = json!({"channel": "sms", "phone": "0912 345 678"});
    body["language"] = json!("hmn");
    // A photo of the queue, uploaded first like a dossier's papers.
    let photo = portal.upload(&journeys::paper_photo());
    body["photos"] = json!([photo]);
    let sent = send(&portal, &body);
    assert_eq!(sent.status, 201, "{}\n{}", sent.text(), portal.log_lines().join("\n"));
    let receipt = sent.json();
    let (code, secret) = (receipt["code"].as_str().unwrap().to_owned(), receipt["secret"].as_str().unwrap().to_owned());
    assert!(code.starts_with("PA-") && secret.len() == 12, "{receipt}");
    assert!(receipt["agency_name"].as_str().unwrap().contains("Ủy ban nhân dân"), "{receipt}");
    assert!(receipt["due_on"].as_str().unwrap() > receipt["received_on"].as_str().unwrap());
    // The outbox sends it again after a dropped connection: the same report, the same secret.
    let again = send(&portal, &body);
    assert_eq!((again.status, again.json()["code"].as_str(), again.json()["secret"].as_str()), (200, Some(code.as_str()), Some(secret.as_str())));
    let reused = send(&portal, &report("report-journey-key-0001", "Một phản ánh khác dùng lại khoá cũ."));
    assert_eq!((reused.status, reused.json()["error"]["field"].as_str()), (409, Some("idempotency_key")));
    // A photo that is not an unused upload refuses the report, naming the field; nothing is stored.
    let bad_photo = send(&portal, &json!({"idempotency_key": "report-photo-key-000001", "text": "Ảnh không có thật.", "photos": ["no-such-upload"]}));
    assert_eq!((bad_photo.status, bad_photo.json()["error"]["field"].as_str()), (400, Some("photos")), "{}", bad_photo.text());

    // Only the holder reads it; nothing is public before moderation.
    let holder = |s: &str| portal.post_json(&format!("/api/reports/{code}/holder"), None, &json!({"secret": s}));
    assert_eq!(holder("WRONGSECRET0").status, 404);
    let mine = holder(&secret.to_lowercase());
    assert_eq!(mine.status, 200, "{}", mine.text());
    assert_eq!((mine.json()["status"].as_str(), mine.json()["text"].as_str()), (Some("received"), Some(text)));
    assert_eq!(portal.get(&format!("/api/reports/{code}")).status, 404);
    assert!(codes(&portal.get("/api/reports").json()).is_empty());

    // Another agency sees nothing; the centre's supervisor routes it to the police.
    assert_eq!(desk(&portal, &police, &format!("/api/reports/desk/{code}")).status, 404);
    let open = desk(&portal, &centre_boss, "/api/reports/desk?list=open").json();
    assert_eq!(codes(&open), [code.clone()]);
    assert_eq!(open["reports"][0]["overdue"], false);
    let route = |cookie: &str, to: &str| {
        portal.post_json(&format!("/api/reports/desk/{code}/route"), Some(cookie), &json!({"agency_id": to, "note": "Việc cấp căn cước"}))
    };
    assert_eq!(route(&centre_boss, "000.99.99.H99").json()["error"]["field"], "agency_id");
    let routed = route(&centre_boss, POLICE);
    assert_eq!(routed.status, 200, "{}", routed.text());
    assert_eq!(routed.json()["agency_id"], POLICE);
    assert_eq!(desk(&portal, &centre_boss, &format!("/api/reports/desk/{code}")).status, 404);
    let seen = desk(&portal, &police, &format!("/api/reports/desk/{code}")).json();
    assert_eq!((seen["name"].as_str(), seen["text"].as_str()), (Some("Vàng A Dế"), Some(text)));
    // The photo went with it, to the agency only.
    assert_eq!(seen["photos"][0]["id"], photo.as_str());
    let picture = desk(&portal, &police, &format!("/api/reports/desk/{code}/photos/{photo}"));
    assert_eq!((picture.status, picture.header("content-type")), (200, Some("image/jpeg")));
    assert!(picture.header("content-security-policy").unwrap().starts_with("sandbox"));
    assert_eq!(desk(&portal, &centre_boss, &format!("/api/reports/desk/{code}/photos/{photo}")).status, 404);

    // The officer answers once; the citizen is told by SMS with the report's page.
    let answer = |body: Value| portal.post_json(&format!("/api/reports/desk/{code}/answer"), Some(&police), &body);
    assert_eq!(answer(json!({"answer": "  "})).json()["error"]["field"], "answer");
    let answered = answer(json!({"answer": "Từ tháng 12, xã mở thêm một quầy căn cước vào buổi sáng."}));
    assert_eq!(answered.status, 200, "{}", answered.text());
    assert_eq!(answered.json()["status"], "answered");
    // The page after an action is the whole page: the photo is still on it.
    assert_eq!(answered.json()["photos"][0]["id"], photo.as_str());
    assert_eq!(answer(json!({"answer": "Lần hai"})).status, 409);
    let told = gateway.wait_for(1);
    assert_eq!(told[0].body["to"], "+84912345678");
    let sms = told[0].body["text"].as_str().unwrap();
    assert!(sms.contains(&code) && sms.contains(&format!("/reports/{code}")) && !sms.contains(&secret), "{sms}");

    // An officer cannot publish; the supervisor reads the text with personal data taken out.
    let publication = |cookie: &str, body: Value| portal.post_json(&format!("/api/reports/desk/{code}/publication"), Some(cookie), &body);
    assert_eq!(publication(&police, json!({"publish": true})).status, 403);
    assert_eq!(codes(&desk(&portal, &police_boss, "/api/reports/desk?list=moderation").json()), [code.clone()]);
    let proposed = desk(&portal, &police_boss, &format!("/api/reports/desk/{code}")).json()["public_text"].as_str().unwrap().to_owned();
    assert!(!proposed.contains("0912") && proposed.contains("Xếp hàng"), "{proposed}");
    // The moderator also takes out the name, which no rule can find.
    let public_text = proposed.replace("Tôi là Vàng A Dế, gọi", "Tôi gọi");
    let published = publication(&police_boss, json!({"publish": true, "public_text": public_text}));
    assert_eq!(published.status, 200, "{}", published.text());
    assert!(codes(&desk(&portal, &police_boss, "/api/reports/desk?list=moderation").json()).is_empty());

    // The public reads it without the name, the phone or the contact; search and filters find it.
    let public = portal.get(&format!("/api/reports/{code}"));
    assert_eq!(public.status, 200, "{}", public.text());
    let raw = public.text();
    for personal in ["Dế", "0912", "345 678", "+84", "sms"] {
        assert!(!raw.contains(personal), "{personal} in {raw}");
    }
    let public = public.json();
    assert_eq!((public["on_time"].as_bool(), public["agency_id"].as_str()), (Some(true), Some(POLICE)));
    assert!(public["answer"].as_str().unwrap().contains("quầy căn cước"));
    for query in ["q=xep%20hang%20can%20cuoc", "q=QUAY", "agency=000.25.06.H56&status=answered", "status=answered"] {
        assert_eq!(codes(&portal.get(&format!("/api/reports?{query}")).json()), [code.clone()], "{query}");
    }
    for query in ["q=ho%20chieu", "agency=000.21.06.H56", "status=received"] {
        assert!(codes(&portal.get(&format!("/api/reports?{query}")).json()).is_empty(), "{query}");
    }
    assert_eq!(portal.get("/api/reports?status=lost").json()["error"]["field"], "status");

    // The citizen rates the answer, once; the figures count it.
    let rate = |choice: &str| portal.post_json(&format!("/api/reports/{code}/rating"), None, &json!({"secret": secret, "choice": choice}));
    let rated = rate("satisfied");
    assert_eq!(rated.status, 201, "{}", rated.text());
    assert_eq!(rated.json()["rating"], "satisfied");
    assert_eq!(rate("not_satisfied").status, 409);
    let stats = portal.get("/api/stats").json();
    let month = stats["rows"][0]["month"].as_str().unwrap().to_owned();
    let row = |agency: Value| stats["rows"].as_array().unwrap().iter().find(|r| r["month"] == month.as_str() && r["agency_id"] == agency).cloned().unwrap();
    // Received by the centre (where it landed), answered on time by the police.
    assert_eq!(row(json!(CENTRE))["reports"]["received"], 1);
    let police_row = row(json!(POLICE));
    assert_eq!((police_row["reports"]["answered_on_time"].as_u64(), police_row["reports_on_time"].as_f64()), (Some(1), Some(100.0)));
    assert_eq!(row(Value::Null)["report_satisfaction"], 100.0);
    let csv = portal.get("/api/stats.csv").text();
    assert!(csv.lines().next().unwrap().ends_with("reports_on_time_pct,report_satisfaction_pct"), "{csv}");

    // The trail says who did what; nothing personal reached the log.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let trail: Vec<String> = db
        .prepare("SELECT what || ' ' || actor FROM report_events WHERE report_code = ? ORDER BY id")
        .unwrap()
        .query_map([&code], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(trail, ["received citizen", "routed officer:truong.centre", "answered officer:can.bo.ca", "published officer:truong.ca", "rated citizen"]);
    let log = portal.log_lines().join("\n");
    assert!(!log.contains("0912") && !log.contains("Vàng A Dế") && !log.contains(&secret), "{log}");

    // Every list reads an index of just its rows, in the order it shows them:
    // never every report of every year, never a sort of them.
    let plan = |sql: &str| -> String {
        let mut stmt = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    };
    let published = "SELECT code FROM reports WHERE publication = 'published'";
    for (sql, index) in [
        (format!("{published} ORDER BY rowid DESC LIMIT 21"), "reports_published"),
        (format!("{published} AND status = 'answered' AND rowid < 99 ORDER BY rowid DESC LIMIT 21"), "reports_published_status"),
        (format!("{published} AND agency_id = 'a' ORDER BY rowid DESC LIMIT 21"), "reports_published_agency"),
        (format!("{published} AND agency_id = 'a' AND status = 'received' ORDER BY rowid DESC LIMIT 21"), "reports_published_agency_status"),
        ("SELECT code FROM reports WHERE agency_id = 'a' AND status = 'received' ORDER BY due_on, code LIMIT 21".into(), "reports_open"),
        ("SELECT code FROM reports WHERE agency_id = 'a' AND publication = 'pending' ORDER BY received_on, code LIMIT 21".into(), "reports_to_moderate"),
        ("SELECT code FROM reports WHERE agency_id = 'a' AND status = 'answered' ORDER BY answered_on DESC, code DESC LIMIT 21".into(), "reports_answered"),
    ] {
        let plan = plan(&sql);
        assert!(plan.contains(&format!("USING INDEX {index}")) || plan.contains(&format!("USING COVERING INDEX {index}")), "{sql}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "sorted as read: {plan}");
    }
    // Searching: the word index of published reports leads, in rowid order.
    let search = plan("SELECT r.code FROM report_words w CROSS JOIN reports r ON r.rowid = w.rowid
                       WHERE report_words MATCH 'xep*' AND r.publication = 'published' AND r.agency_id = 'a'
                       AND w.rowid < 99 ORDER BY w.rowid DESC LIMIT 21");
    assert!(search.starts_with("SCAN w VIRTUAL TABLE INDEX") && search.contains("SEARCH r USING INTEGER PRIMARY KEY"), "{search}");
    assert!(!search.contains("TEMP B-TREE"), "{search}");
}

#[test]
fn private_reports_stay_private_bad_input_names_the_field_and_limits_spare_the_holder() {
    let gateway = FakeGateway::start();
    let portal = portal_with(&gateway, &[("reports_per_client", "3")]);
    let boss = officer(&portal, "truong.centre", CENTRE, "supervisor");

    // Bad input: the field is named, nothing is stored.
    for (body, field) in [
        (report("report-bad-key-000001", "ngắn"), "text"),
        (json!({"idempotency_key": "short", "text": "Một phản ánh đủ dài để gửi."}), "idempotency_key"),
        (json!({"idempotency_key": "report-bad-key-000002", "text": "Một phản ánh đủ dài để gửi.", "notify": {"channel": "sms", "phone": "12"}}), "notify.phone"),
        (json!({"idempotency_key": "report-bad-key-000003", "text": "Một phản ánh đủ dài để gửi.", "agency_id": "000.99.99.H99"}), "agency_id"),
    ] {
        let reply = send(&portal, &body);
        assert_eq!(reply.status, 400, "{}\n{}", reply.text(), portal.log_lines().join("\n"));
        let error = reply.json()["error"].clone();
        let named = error["field"].as_str().map(str::to_owned).or_else(|| error["fields"][0]["field"].as_str().map(str::to_owned));
        assert_eq!(named.as_deref(), Some(field), "{error}");
    }
    assert_eq!(portal.post_json("/api/reports", None, &json!("not a report")).status, 400);

    // A private report is answered but never moderated onto the list.
    let mut private = report("report-private-key-0001", "Cán bộ tiếp dân nói năng thiếu tôn trọng với mẹ tôi.");
    private["private"] = json!(true);
    private["agency_id"] = json!(CENTRE);
    let receipt = send(&portal, &private).json();
    let (code, secret) = (receipt["code"].as_str().unwrap().to_owned(), receipt["secret"].as_str().unwrap().to_owned());
    assert!(codes(&desk(&portal, &boss, "/api/reports/desk?list=moderation").json()).is_empty());
    let published = portal.post_json(&format!("/api/reports/desk/{code}/publication"), Some(&boss), &json!({"publish": true}));
    assert_eq!((published.status, published.json()["error"]["field"].as_str()), (409, Some("publication")));
    // Rated only once answered.
    let early = portal.post_json(&format!("/api/reports/{code}/rating"), None, &json!({"secret": secret, "choice": "satisfied"}));
    assert_eq!(early.status, 409);

    // Overdue once its day has passed unanswered.
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    db.execute("UPDATE reports SET due_on = '2020-01-02' WHERE code = ?", [&code]).unwrap();
    let open = desk(&portal, &boss, "/api/reports/desk?list=open").json();
    assert_eq!(open["reports"][0]["overdue"], true, "{open}");
    assert_eq!(desk(&portal, &boss, "/api/reports/desk?list=everything").status, 400);
    assert_eq!(portal.get("/api/reports/desk").status, 401);

    // Three new reports per client in the window (this portal's setting): the fourth waits,
    // but the first sent again is still its receipt.
    for key in ["report-limit-key-00001", "report-limit-key-00002"] {
        assert_eq!(send(&portal, &report(key, "Nhà vệ sinh ở trung tâm bị khoá.")).status, 201);
    }
    let over = send(&portal, &report("report-limit-key-00003", "Nhà vệ sinh ở trung tâm bị khoá."));
    assert_eq!(over.status, 429, "{}", over.text());
    assert!(over.header("retry-after").is_some());
    assert_eq!(send(&portal, &private).status, 200);

    // Guessing secrets is throttled; the holder's own secret still opens it.
    let guess = |s: &str| portal.post_json(&format!("/api/reports/{code}/holder"), None, &json!({"secret": s}));
    let statuses: Vec<u16> = (0..12).map(|i| guess(&format!("WRONGSECRET{i:X}")).status).collect();
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(guess(&secret).status, 200);
}

/// A page's form, posted as a browser without JavaScript posts it:
/// multipart (the report form has a file input), the photos as files.
fn multipart(fields: &[(&str, &str)], photos: &[&[u8]]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    for photo in photos {
        body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"anh.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
        body.extend_from_slice(photo);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--XyZ--\r\n");
    body
}

fn post_page(portal: &Portal, path: &str, body: &[u8]) -> Reply {
    portal.request("POST", path, &[("content-type", "multipart/form-data; boundary=XyZ")], Some(body))
}

#[test]
fn a_phone_without_javascript_sends_a_report_with_a_photo_once_and_opens_it_with_its_secret() {
    let portal = Portal::start();
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    let page = portal.get("/reports/new");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains(r#"<form id="report-form" method="post" action="/reports/new" enctype="multipart/form-data""#), "{html}");
    let key = input_value(&html, "key").expect("the form's key");
    assert_eq!(key.len(), 32, "{key}");

    // Too short: the page again, the field named, the text and the photo kept.
    let photo = journeys::paper_photo();
    let first = [("key", key.as_str()), ("subject", "conduct"), ("text", "Chờ lâu"), ("name", "Vàng A Dế"), ("phone", "0912345678")];
    let refused = post_page(&portal, "/reports/new", &multipart(&first, &[&photo]));
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header("cache-control"), Some("no-store"));
    let html = refused.text();
    assert!(html.contains(r#"id="report-text-error""#) && html.contains(">Chờ lâu</textarea>"), "{html}");
    assert!(html.contains(r#"value="Vàng A Dế""#) && html.contains(r#"value="0912345678""#), "{html}");
    assert!(html.contains(r#"id="report-subject-conduct" value="conduct" checked>"#), "{html}");
    let kept = input_value(&html, "photo_id").expect("the photo kept as sent");
    assert!(text_of(&html, "report-photos-kept").contains('1'), "{html}");
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM reports"), 0);

    // Fixed and sent: the receipt is the post's answer; the same post again
    // (a reload) is the same report, with its one photo.
    let text = "Cán bộ tiếp nhận hẹn tôi ba lần mà chưa trả giấy khai sinh cho con.";
    let fixed = [("key", key.as_str()), ("subject", "conduct"), ("text", text), ("name", "Vàng A Dế"), ("photo_id", kept.as_str())];
    let sent = post_page(&portal, "/reports/new", &multipart(&fixed, &[]));
    assert_eq!(sent.status, 201, "{}", sent.text());
    assert_eq!(sent.header("cache-control"), Some("no-store"));
    let html = sent.text();
    let (code, secret) = (text_of(&html, "report-code"), text_of(&html, "report-secret"));
    assert!(code.starts_with("PA-"), "{code}");
    assert!(!html.contains(&format!("#{secret}")), "the secret is in no link: {html}");
    let again = post_page(&portal, "/reports/new", &multipart(&fixed, &[]));
    assert_eq!(again.status, 200);
    assert_eq!((text_of(&again.text(), "report-code"), text_of(&again.text(), "report-secret")), (code.clone(), secret.clone()));
    assert_eq!(count("SELECT count(*) FROM reports"), 1, "one report however often it is posted");
    assert_eq!(count("SELECT count(*) FROM report_photos"), 1);
    let stored: (String, String) = db.query_row("SELECT subject, name FROM reports", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(stored, ("conduct".to_owned(), "Vàng A Dế".to_owned()));
    // Changed after sending (the back button): a new report, not a refusal.
    let changed = [("key", key.as_str()), ("subject", "service"), ("text", "Phòng chờ không có ghế cho người già ngồi.")];
    let other = post_page(&portal, "/reports/new", &multipart(&changed, &[]));
    assert_eq!(other.status, 201);
    assert_ne!(text_of(&other.text(), "report-code"), code);

    // The report's page: the secret posted in the body opens it; a wrong one is refused.
    let path = format!("/reports/{code}");
    let visit = portal.get(&path);
    assert_eq!(visit.status, 200);
    assert!(visit.text().contains(&format!(r#"<form id="report-secret-form" method="post" action="/reports/{code}""#)), "{}", visit.text());
    assert!(!visit.text().contains(text), "not published: {}", visit.text());
    let form = |fields: &[(&str, &str)]| portal.request("POST", &path, &[("content-type", "application/x-www-form-urlencoded")], Some(&urlencoded(fields)));
    let wrong = form(&[("secret", "KHONG-DUNG")]);
    assert_eq!(wrong.status, 404);
    assert!(wrong.text().contains(r#"id="report-error""#));
    let mine = form(&[("secret", &secret.to_lowercase())]);
    assert_eq!(mine.status, 200);
    assert_eq!(mine.header("cache-control"), Some("no-store"));
    assert!(mine.text().contains(text) && mine.text().contains(r#"id="report-waiting""#), "{}", mine.text());

    // Bad links name the parameter; an unknown code is a page that says so.
    let bad = portal.get("/reports?status=lost");
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains(r#"id="reports-invalid""#), "{}", bad.text());
    assert_eq!(portal.get("/reports/not-a-code").status, 404);
    assert_eq!(portal.request("DELETE", "/reports/new", &[], None).status, 405);
}
