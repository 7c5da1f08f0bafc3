//! The online form as a browser without JavaScript posts it
//! (`/procedures/{code}/apply`), at the HTTP level: the draft's cookie, what
//! each post keeps and answers, crafted posts, another client's view, and
//! the same submit twice. The browser journey (browser.rs,
//! `a_phone_without_javascript_…`) walks the same pages in Chromium.

use journeys::{paper_photo, text_of, urlencoded, valid_answers, Portal, Reply};

const FORM: &str = "/procedures/1.001193/apply";

fn post(portal: &Portal, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    portal.request("POST", FORM, &headers, Some(&urlencoded(fields)))
}

/// A multipart post with a photo, as a browser sends a file input.
fn post_photo(portal: &Portal, cookie: &str, step: usize, photo: &[u8]) -> Reply {
    let mut body = Vec::new();
    for (name, value) in [("step", step.to_string()), ("do", "add".to_owned())] {
        body.extend_from_slice(format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"giay.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
    body.extend_from_slice(photo);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    portal.request("POST", FORM, &[("content-type", "multipart/form-data; boundary=XyZ"), ("cookie", cookie)], Some(&body))
}

#[test]
fn a_form_posted_without_javascript_keeps_each_answer_and_sends_one_dossier() {
    let portal = Portal::start();
    let form = portal.get("/api/forms/1.001193").json();
    let questions = form["questions"].as_array().unwrap().clone();
    let answers = valid_answers(&form, "Lò Thị Mai");

    // A first visit: the first question, and nothing kept yet.
    let first = portal.get(FORM);
    assert_eq!(first.status, 200);
    assert!(first.text().contains(r#"name="step" value="0""#), "{}", first.text());
    assert!(first.header("set-cookie").is_none(), "a visit alone keeps nothing");

    // A refused answer: kept, shown as typed, and the draft's cookie set.
    let refused = post(&portal, None, &[("step", "0"), ("answer", "Lò Thị Mai 2"), ("do", "continue")]);
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains(r#"value="Lò Thị Mai 2""#) && refused.text().contains("answer-error"), "{}", refused.text());
    assert_eq!(refused.header("cache-control"), Some("no-store"));
    let set_cookie = refused.header("set-cookie").expect("the draft's cookie").to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let id = cookie.strip_prefix("motcua_form=").expect(&set_cookie);
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{set_cookie}");
    assert!(set_cookie.ends_with("; Path=/procedures/1.001193/apply; Max-Age=172800; HttpOnly; SameSite=Lax"), "{set_cookie}");
    let kept = portal.request("GET", FORM, &[("cookie", &cookie)], None);
    assert!(kept.text().contains(r#"value="Lò Thị Mai 2""#), "what was typed is kept: {}", kept.text());

    // Each answer: on to the next step.
    let n = questions.len();
    for (at, q) in questions.iter().enumerate() {
        let id = q["id"].as_str().unwrap();
        let step = at.to_string();
        let reply = match q["kind"].as_str().unwrap() {
            "file" => {
                let sent = post_photo(&portal, &cookie, at, &paper_photo());
                assert_eq!(sent.status, 303, "{}", sent.text());
                post(&portal, Some(&cookie), &[("step", &step), ("do", "continue")])
            }
            "address" => {
                let (detail, rest) = answers[id].as_str().unwrap().split_once(", ").unwrap();
                let (commune, province) = rest.split_once(", ").unwrap();
                post(&portal, Some(&cookie), &[("step", &step), ("province", province), ("commune", commune), ("detail", detail)])
            }
            _ => post(&portal, Some(&cookie), &[("step", &step), ("answer", answers.get(id).and_then(|a| a.as_str()).unwrap_or(""))]),
        };
        assert_eq!(reply.status, 303, "{id}: {}", reply.text());
        assert_eq!(reply.header("location"), Some(format!("{FORM}?step={}", at + 1).as_str()), "{id}");
        assert!(reply.header("set-cookie").is_none(), "one draft: {id}");
    }
    let told = post(&portal, Some(&cookie), &[("step", &n.to_string()), ("channel", "sms"), ("phone", "09123")]);
    assert_eq!(told.status, 400, "a phone number too short is refused");
    let told = post(&portal, Some(&cookie), &[("step", &n.to_string()), ("channel", "sms"), ("phone", "0912345678"), ("email", "khong@dung.vn")]);
    assert_eq!(told.header("location"), Some(format!("{FORM}?step={}", n + 1).as_str()));

    // Another client sees none of it, with no cookie or a made-up one.
    for other in [None, Some("motcua_form=0123456789abcdef0123456789abcdef")] {
        let headers: Vec<(&str, &str)> = other.map(|c| ("cookie", c)).into_iter().collect();
        let page = portal.request("GET", &format!("{FORM}?step={}", n + 1), &headers, None);
        assert!(!page.text().contains("Lò Thị Mai") && page.text().contains(r#"name="step" value="0""#), "{}", page.text());
    }

    // Crafted posts get a page that says so, never a failure of ours.
    let crafted = portal.request("POST", FORM, &[("content-type", "multipart/form-data; boundary=XyZ"), ("cookie", &cookie)], Some(b"--XyZ\r\nno"));
    assert_eq!(crafted.status, 400);
    assert!(crafted.header("content-type").unwrap().starts_with("text/html"));
    let beyond = post(&portal, Some(&cookie), &[("step", "99999"), ("do", "continue")]);
    assert_eq!(beyond.header("location"), Some(format!("{FORM}?step={}", n + 1).as_str()));

    // Sent: the receipt; the same submit again (a reload) gives the same one.
    let sent = post(&portal, Some(&cookie), &[("step", &(n + 1).to_string()), ("do", "submit")]);
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert_eq!(sent.header("cache-control"), Some("no-store"));
    let (code, secret) = (text_of(&sent.text(), "receipt-code"), text_of(&sent.text(), "receipt-secret"));
    let again = post(&portal, Some(&cookie), &[("step", &(n + 1).to_string()), ("do", "submit")]);
    assert_eq!((text_of(&again.text(), "receipt-code"), text_of(&again.text(), "receipt-secret")), (code.clone(), secret.clone()));
    let tracked = portal.post_json(&format!("/api/dossiers/{code}/tracking"), None, &serde_json::json!({ "secret": secret }));
    assert_eq!(tracked.status, 200, "{}", tracked.text());
    assert_eq!(tracked.json()["told_by"]["channel"], "sms", "{}", tracked.text());
    // The form again, after sending: a new, blank one.
    let fresh = portal.request("GET", FORM, &[("cookie", &cookie)], None);
    assert!(!fresh.text().contains("Lò Thị Mai"), "{}", fresh.text());
}
