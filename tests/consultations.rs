//! Consultation on drafts over the API: a supervisor puts a draft out for
//! comment; citizens comment per section (moderated before anyone reads
//! them, personal data taken out, the same comment once however often the
//! phone retries); an officer enters what a village meeting said, labelled;
//! after closing, the response report names the comments it answers.
//! Real components, SQLite on disk, on the local host and on real Spin.

use journeys::{input_value, urlencoded, Portal};
use serde_json::{json, Value};

const CENTRE: &str = "000.21.06.H56";

fn draft(today: &str) -> Value {
    json!({
        "title": "Dự thảo: Bộ phận Một cửa xã làm việc sáng thứ Bảy",
        "summary": "Xã mở cửa thêm sáng thứ Bảy để người đi làm nương xa có thể đến làm thủ tục.",
        "sections": [
            {"heading": "Điều 1. Giờ làm việc", "text": "Thứ Hai đến thứ Sáu từ 7 giờ 30 đến 17 giờ; sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30."},
            {"heading": "Điều 2. Hiệu lực", "text": "Quy định có hiệu lực từ ngày 01/01/2027."}
        ],
        "opens_on": today,
        "closes_on": today,
    })
}

fn today() -> String {
    // The portal's clock is Vietnam time, as the dates it shows.
    use motcua_shared::dossier::calendar::{Date, VIETNAM_UTC_OFFSET_SECS};
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    Date::from_unix_time(secs, VIETNAM_UTC_OFFSET_SECS).unwrap().to_string()
}

#[test]
fn a_draft_gets_moderated_comments_a_meetings_word_and_a_response_that_names_them() {
    let portal = Portal::start();
    for (username, role) in [("truong.xa", "supervisor"), ("lan.nguyen", "officer")] {
        assert_eq!(portal.create_officer(username, "Cán bộ xã", CENTRE, role).status, 201);
    }
    let (boss, officer) = (portal.sign_in("truong.xa"), portal.sign_in("lan.nguyen"));
    let today = today();

    // Only a supervisor puts a draft out; a bad draft names its field.
    assert_eq!(portal.post_json("/api/consultations", Some(&officer), &draft(&today)).status, 403);
    assert_eq!(portal.post_json("/api/consultations", None, &draft(&today)).status, 401);
    let mut bad = draft(&today);
    bad["sections"][1]["heading"] = json!(" ");
    let refused = portal.post_json("/api/consultations", Some(&boss), &bad);
    assert_eq!((refused.status, refused.json()["error"]["field"].as_str()), (400, Some("sections.1.heading")));
    let made = portal.post_json("/api/consultations", Some(&boss), &draft(&today));
    assert_eq!(made.status, 201, "{}", made.text());
    let id = made.json()["id"].as_i64().unwrap();
    assert_eq!(made.json()["phase"], "open");
    let listed = portal.get("/api/consultations").json();
    assert_eq!(listed[0]["id"], id);

    // A citizen comments, with a phone number in it; the phone's retry is the same comment.
    let path = format!("/api/consultations/{id}/comments");
    let comment = json!({"idempotency_key": "comment-key-000000001", "section": 0,
                         "text": "Nên mở cả chiều thứ Bảy. Gọi tôi 0912 345 678 nếu cần.", "name": "Giàng A Sử"});
    let sent = portal.post_json(&path, None, &comment);
    assert_eq!((sent.status, sent.json()["state"].as_str()), (201, Some("pending")), "{}", sent.text());
    let again = portal.post_json(&path, None, &comment);
    assert_eq!((again.status, again.json()["id"].as_i64()), (200, sent.json()["id"].as_i64()));
    let anonymous = portal.post_json(&path, None, &json!({"idempotency_key": "comment-key-000000002", "section": 1, "text": "Đồng ý với dự thảo."}));
    assert_eq!(anonymous.status, 201);
    for (body, field) in [
        (json!({"idempotency_key": "comment-key-000000003", "section": 9, "text": "Đồng ý."}), "section"),
        (json!({"idempotency_key": "comment-key-000000004", "section": 0, "text": "ok"}), "text"),
    ] {
        let reply = portal.post_json(&path, None, &body);
        assert_eq!((reply.status, reply.json()["error"]["field"].as_str()), (400, Some(field)), "{}", reply.text());
    }
    // Nothing is public before moderation.
    assert!(portal.get(&format!("/api/consultations/{id}")).json()["comments"].as_array().unwrap().is_empty());

    // An officer enters what the village meeting said, labelled; it is shown at once.
    let paper = json!({"section": 0, "text": "Bà con thôn Nậm Khắt muốn mở cả sáng Chủ nhật trong mùa gặt.",
                       "entered_for": "Họp thôn Nậm Khắt, ngày " });
    let entered = portal.post_json(&format!("/api/consultations/{id}/paper-comments"), Some(&officer), &paper);
    assert_eq!((entered.status, entered.json()["state"].as_str()), (201, Some("published")), "{}", entered.text());
    let paper_id = entered.json()["id"].as_i64().unwrap();
    let no_label = portal.post_json(&format!("/api/consultations/{id}/paper-comments"), Some(&officer), &json!({"section": 0, "text": "Ý kiến không ghi nơi nói.", "entered_for": ""}));
    assert_eq!(no_label.json()["error"]["field"], "entered_for");

    // The supervisor publishes one comment and rejects nothing else twice.
    assert_eq!(portal.request("GET", "/api/consultations/desk/comments", &[("cookie", &officer)], None).status, 403);
    let waiting = portal.request("GET", "/api/consultations/desk/comments", &[("cookie", &boss)], None).json();
    assert_eq!(waiting.as_array().unwrap().len(), 2, "{waiting}");
    let first = sent.json()["id"].as_i64().unwrap();
    let moderate = |comment: i64, publish: bool| {
        portal.post_json(&format!("/api/consultations/desk/comments/{comment}"), Some(&boss), &json!({"publish": publish}))
    };
    assert_eq!(moderate(first, true).status, 200);
    assert_eq!(moderate(first, false).status, 409);
    assert_eq!(moderate(anonymous.json()["id"].as_i64().unwrap(), false).status, 200);
    let shown = portal.get(&format!("/api/consultations/{id}"));
    let raw = shown.text();
    assert!(!raw.contains("0912") && !raw.contains("345 678"), "the phone is not published: {raw}");
    let comments = shown.json()["comments"].clone();
    assert_eq!(comments.as_array().unwrap().len(), 2, "{comments}");
    assert_eq!(comments[0]["name"], "Giàng A Sử");
    assert_eq!(comments[1]["entered_for"], "Họp thôn Nậm Khắt, ngày");
    assert!(!raw.contains("Đồng ý với dự thảo"), "a rejected comment is not shown");

    // No response while it is open; once it has closed, one response naming its comments.
    let respond = |body: Value| portal.post_json(&format!("/api/consultations/{id}/response"), Some(&boss), &body);
    let early = respond(json!({"text": "Xã sẽ mở cả chiều thứ Bảy.", "answers": [first]}));
    assert_eq!(early.status, 409, "{}", early.text());
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    db.execute("UPDATE consultations SET opens_on = '2020-01-01', closes_on = '2020-01-31' WHERE id = ?", [id]).unwrap();
    assert_eq!(portal.post_json(&path, None, &json!({"idempotency_key": "comment-key-000000005", "section": 0, "text": "Muộn rồi."})).status, 409);
    let rejected_id = anonymous.json()["id"].as_i64().unwrap();
    assert_eq!(respond(json!({"text": "Xã sẽ mở cả chiều thứ Bảy.", "answers": [rejected_id]})).json()["error"]["field"], "answers");
    let answer = "Xã mở cửa cả ngày thứ Bảy; mùa gặt mở thêm sáng Chủ nhật như bà con thôn Nậm Khắt đề nghị.";
    let responded = respond(json!({"text": answer, "answers": [first, paper_id]}));
    assert_eq!(responded.status, 200, "{}", responded.text());
    assert_eq!(responded.json()["response"]["answers"], json!([first, paper_id]));
    assert_eq!(respond(json!({"text": answer, "answers": []})).status, 409);
    let listed = portal.get("/api/consultations").json();
    assert_eq!((listed[0]["phase"].as_str(), listed[0]["responded"].as_bool()), (Some("closed"), Some(true)));
}

#[test]
fn a_phone_without_javascript_reads_a_draft_and_comments_once_on_a_section() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("truong.xa", "Cán bộ xã", CENTRE, "supervisor").status, 201);
    let boss = portal.sign_in("truong.xa");
    let made = portal.post_json("/api/consultations", Some(&boss), &draft(&today()));
    let id = made.json()["id"].as_i64().unwrap();
    let list = portal.get("/consultations");
    assert_eq!(list.status, 200);
    assert!(list.text().contains(&format!("href=\"/consultations/{id}\"")), "{}", list.text());

    let path = format!("/consultations/{id}");
    let page = portal.get(&path);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains(&format!("method=\"post\" action=\"/consultations/{id}#section-1\"")), "{html}");
    let key = input_value(&html[html.find("id=\"section-1\"").unwrap()..], "key").expect("the section's key");
    let post = |fields: &[(&str, &str)]| portal.request("POST", &path, &[("content-type", "application/x-www-form-urlencoded")], Some(&urlencoded(fields)));

    // Too short: that section's form again, the field named, what was typed kept.
    let refused = post(&[("section", "1"), ("key", &key), ("text", "Hay"), ("name", "Giàng A Sử")]);
    assert_eq!(refused.status, 400);
    let html = refused.text();
    assert!(html.contains("id=\"comment-1-error\""), "{html}");
    assert!(html.contains(">Hay</textarea>") && html.contains("value=\"Giàng A Sử\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");

    // Sent, and the same post again (a reload) is the same comment.
    let fields = [("section", "1"), ("key", key.as_str()), ("text", "Nên ghi rõ ngày bắt đầu cho bà con ở bản xa."), ("name", "")];
    let sent = post(&fields);
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.text().contains("id=\"comment-1-sent\""), "{}", sent.text());
    assert_eq!(sent.header("cache-control"), Some("no-store"));
    assert_eq!(post(&fields).status, 200);
    let pending = portal.request("GET", "/api/consultations/desk/comments", &[("cookie", &boss)], None).json();
    assert_eq!(pending.as_array().unwrap().len(), 1, "one comment, waiting for moderation: {pending}");
    assert_eq!(pending[0]["section"], 1);

    // A crafted section, and a draft that is closed: said, not stored.
    assert_eq!(post(&[("section", "9"), ("key", &key), ("text", "Một ý kiến đủ dài.")]).status, 400);
    let db = rusqlite::Connection::open(portal.state_dir().join("sqlite_db.db")).unwrap();
    db.execute("UPDATE consultations SET opens_on = '2020-01-01', closes_on = '2020-01-31'", []).unwrap();
    let closed = post(&[("section", "0"), ("key", &key), ("text", "Một ý kiến đủ dài nữa.")]);
    assert_eq!(closed.status, 409);
    assert!(closed.text().contains("không còn mở") && closed.text().contains("Một ý kiến đủ dài nữa."), "said, and what was typed given back: {}", closed.text());
    assert_eq!(portal.get("/consultations/0").status, 404);
    assert_eq!(portal.get("/consultations/abc").status, 404);
}
