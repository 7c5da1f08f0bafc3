//! Citizens are told what changed: a message per change of their dossier,
//! on the channel they chose, through a real (fake) SMS gateway on loopback;
//! none lost when the gateway fails or the host is killed mid-send, none
//! sent twice, none for a citizen who said no.

use journeys::{FakeGateway, GatewayReply, Portal};
use serde_json::{json, Value};

const BIRTH: &str = "1.001193";

/// A portal whose SMS channel posts to `gateway`: retries at once and a
/// sender's lease of one second, so a journey sees them within seconds.
fn portal_with(gateway: &FakeGateway) -> Portal {
    let (url, origin) = (gateway.url(), gateway.origin());
    Portal::start_with_variables(&[
        ("sms_gateway_url", &url),
        ("sms_gateway_token", "gateway-token-123"),
        ("sms_gateway_origin", &origin),
        ("notify_retry_seconds", "0"),
        ("notify_lease_seconds", "1"),
    ])
}

fn officer(portal: &Portal) -> String {
    let agency = portal.get(&format!("/api/forms/{BIRTH}")).json()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("lan.nguyen", "Nguyễn Thị Lan", &agency, "officer").status, 201);
    portal.sign_in("lan.nguyen")
}

/// A birth registration whose citizen asked to be told by `notify`.
fn submit(portal: &Portal, key: &str, notify: Value, language: Option<&str>) -> Value {
    let mut body = portal.birth_submission(key);
    body["notify"] = notify;
    if let Some(l) = language {
        body["language"] = json!(l);
    }
    let reply = portal.post_json("/api/dossiers", None, &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

fn act(portal: &Portal, cookie: &str, code: &str, body: Value) -> Value {
    let reply = portal.post_json(&format!("/api/desk/dossiers/{code}/actions"), Some(cookie), &body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn sweep(portal: &Portal) -> Value {
    let reply = portal.admin("POST", "/api/admin/notifications/sweep", Some(&json!({})));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

#[test]
fn a_citizen_who_chose_sms_is_told_of_each_change_once_with_the_reason() {
    let gateway = FakeGateway::start();
    let portal = portal_with(&gateway);
    let cookie = officer(&portal);
    let receipt = submit(&portal, "notify-journey-key-00001", json!({"channel": "sms", "phone": "0912 345 678"}), None);
    let (code, secret) = (receipt["code"].as_str().unwrap(), receipt["secret"].as_str().unwrap());
    assert!(gateway.received().is_empty(), "nothing is sent before the desk acts");

    act(&portal, &cookie, code, json!({"action": "accept"}));
    let sent = gateway.wait_for(1);
    assert_eq!(sent.len(), 1, "one message for the acceptance");
    let message = &sent[0];
    assert_eq!(message.path, "/v1/messages");
    assert_eq!(message.header("authorization"), Some("Bearer gateway-token-123"));
    assert_eq!(message.body["to"], "+84912345678");
    let text = message.body["text"].as_str().unwrap();
    assert!(text.contains(code) && text.contains("đã được tiếp nhận"), "{text}");
    assert!(text.contains(&format!("{}/track/{code}", portal.base)), "the tracking link: {text}");
    assert!(!text.contains(secret), "never the secret: {text}");
    let key = message.body["idempotency_key"].as_str().unwrap().to_owned();
    assert_eq!(message.header("idempotency-key"), Some(key.as_str()));

    act(&portal, &cookie, code, json!({"action": "request_documents", "reason": "Thiếu bản chính giấy chứng sinh"}));
    let sent = gateway.wait_for(2);
    assert_eq!(sent.len(), 2);
    let text = sent[1].body["text"].as_str().unwrap();
    assert!(text.contains("Thiếu bản chính giấy chứng sinh"), "what to bring: {text}");
    assert_ne!(sent[1].body["idempotency_key"], json!(key), "a new message, a new key");

    // The officer sees each message and what the gateway said.
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    let messages = dossier["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{dossier}");
    assert_eq!(messages[0]["event"], "accepted");
    assert_eq!(messages[1]["event"], "documents_requested");
    for m in messages {
        assert_eq!(m["state"], "sent");
        assert_eq!(m["to"], "+84912***678", "masked for the officer");
        assert!(m["gateway_said"].as_str().unwrap().starts_with("HTTP 202"), "{m}");
    }
    // Nothing already sent is sent again by the sweep.
    assert_eq!(sweep(&portal)["sent"], 0);
    assert_eq!(gateway.received().len(), 2);

    // The citizen sees how they are told, masked; nothing personal is logged.
    let tracked = portal.post_json(&format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": secret})).json();
    assert_eq!(tracked["told_by"], json!({"channel": "sms", "to": "+84912***678"}));
    let log = portal.log_lines().join("\n");
    assert!(!log.contains("912345678") && !log.contains("giấy chứng sinh"), "personal data in the host's log:\n{log}");
}

#[test]
fn a_gateway_that_fails_three_times_gets_the_message_once_it_recovers() {
    let gateway = FakeGateway::start();
    let portal = portal_with(&gateway);
    let cookie = officer(&portal);
    let receipt = submit(&portal, "notify-journey-key-00002", json!({"channel": "sms", "phone": "0987654321"}), None);
    let code = receipt["code"].as_str().unwrap();
    gateway.then([
        GatewayReply::Answer(503, "maintenance".into()),
        GatewayReply::Answer(502, String::new()),
        GatewayReply::Answer(429, "slow down".into()),
    ]);

    // The officer's action succeeds whatever the gateway does.
    assert_eq!(act(&portal, &cookie, code, json!({"action": "accept"}))["item"]["status"], "accepted");
    assert_eq!(gateway.wait_for(1).len(), 1);
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    let first = &dossier["messages"][0];
    assert_eq!(first["state"], "queued", "{first}");
    assert_eq!(first["gateway_said"], "HTTP 503: maintenance", "what the gateway said, as it said it");

    // The scheduler's sweeps: two more failures, then the gateway takes it.
    let mut sent = 0;
    for _ in 0..3 {
        sent += sweep(&portal)["sent"].as_u64().unwrap();
    }
    assert_eq!(sent, 1);
    let got = gateway.received();
    assert_eq!(got.len(), 4, "three failures and the one that worked");
    let keys: std::collections::BTreeSet<&str> = got.iter().map(|r| r.body["idempotency_key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 1, "every try carries the same key: {keys:?}");
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    assert_eq!(dossier["messages"][0]["state"], "sent");
    assert_eq!(dossier["messages"][0]["attempts"], 4);
    assert_eq!(sweep(&portal)["sent"], 0);
}

#[test]
fn a_host_killed_while_sending_sends_the_message_once_after_restart() {
    let gateway = FakeGateway::start();
    let (url, origin) = (gateway.url(), gateway.origin());
    let variables = [
        ("sms_gateway_url", url.as_str()),
        ("sms_gateway_origin", origin.as_str()),
        ("notify_retry_seconds", "0"),
        ("notify_lease_seconds", "1"),
    ];
    let state = tempfile::tempdir().unwrap();
    let port = journeys::free_port();
    let portal = Portal::start_on_with_variables(journeys::Runtime::from_env(), port, state, &variables);
    let cookie = officer(&portal);
    let receipt = submit(&portal, "notify-journey-key-00003", json!({"channel": "sms", "phone": "0912345678"}), None);
    let code = receipt["code"].as_str().unwrap().to_owned();

    // The gateway takes the message and never answers; the host is killed
    // while it waits: the change is committed, the send unfinished.
    gateway.then([GatewayReply::Hang]);
    let acting = {
        let (base, cookie, code) = (portal.base.clone(), cookie.clone(), code.clone());
        std::thread::spawn(move || {
            let _ = ureq::post(&format!("{base}/api/desk/dossiers/{code}/actions"))
                .header("content-type", "application/json")
                .header("cookie", &cookie)
                .send(json!({"action": "accept"}).to_string());
        })
    };
    assert_eq!(gateway.wait_for(1).len(), 1, "the gateway got the message");
    let (port, state) = portal.stop();
    let _ = acting.join();

    let portal = Portal::start_on_with_variables(journeys::Runtime::from_env(), port, state, &variables);
    let cookie = portal.sign_in("lan.nguyen");
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    assert_eq!(dossier["item"]["status"], "accepted", "the change was committed before the send");
    assert_eq!(dossier["messages"][0]["state"], "sending", "{dossier}");
    // Once the dead sender's lease is over, the sweep sends it, with the same key.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(sweep(&portal)["sent"], 1);
    let got = gateway.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body["idempotency_key"], got[1].body["idempotency_key"], "the gateway counts it once");
    assert_eq!(sweep(&portal)["sent"], 0);
}

#[test]
fn a_citizen_who_stops_messages_gets_none_and_one_who_chose_none_was_never_asked_twice() {
    let gateway = FakeGateway::start();
    let portal = portal_with(&gateway);
    let cookie = officer(&portal);
    let quiet = submit(&portal, "notify-journey-key-00004", json!({"channel": "none"}), None);
    let told = submit(&portal, "notify-journey-key-00005", json!({"channel": "sms", "phone": "0912345678"}), None);
    act(&portal, &cookie, quiet["code"].as_str().unwrap(), json!({"action": "accept"}));

    // The citizen stops messages from the tracking page, with the secret.
    let code = told["code"].as_str().unwrap();
    let stop = |secret: &str| portal.post_json(&format!("/api/dossiers/{code}/messages"), None, &json!({"secret": secret, "notify": {"channel": "none"}}));
    assert_eq!(stop("WRONGSECRET0").status, 404);
    let stopped = stop(told["secret"].as_str().unwrap());
    assert_eq!(stopped.status, 200, "{}", stopped.text());
    assert_eq!(stopped.json()["told_by"], Value::Null);
    act(&portal, &cookie, code, json!({"action": "accept"}));
    assert_eq!(sweep(&portal)["sent"], 0);
    assert!(gateway.received().is_empty(), "{:?}", gateway.received());

    // A choice is checked like an answer, naming the field.
    let mut body = portal.birth_submission("notify-journey-key-00006");
    body["notify"] = json!({"channel": "sms", "phone": "0212345678"});
    let refused = portal.post_json("/api/dossiers", None, &body);
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["error"]["issues"][0], json!({"field": "notify.phone", "error": "invalid_phone"}));
    body["notify"] = json!({"channel": "email", "email": "lan@"});
    assert_eq!(portal.post_json("/api/dossiers", None, &body).json()["error"]["issues"][0]["field"], "notify.email");
    body["notify"] = json!({"channel": "fax"});
    assert_eq!(portal.post_json("/api/dossiers", None, &body).status, 400);
}

#[test]
fn a_province_edits_a_template_and_citizens_read_it_in_their_language() {
    let gateway = FakeGateway::start();
    let portal = portal_with(&gateway);
    let cookie = officer(&portal);

    // Refused with the field named: a template must name the dossier and, for a refusal, the reason.
    let put = |event: &str, language: &str, text: &str| {
        portal.admin("PUT", &format!("/api/admin/notification-templates/{event}/{language}"), Some(&json!({"text": text})))
    };
    let no_code = put("accepted", "en", "Your dossier was accepted");
    assert_eq!((no_code.status, no_code.json()["error"]["field"].clone()), (400, json!("text")));
    assert_eq!(put("refused", "vi", "Hồ sơ {code} bị từ chối").json()["error"]["field"], "text");
    assert_eq!(put("accepted", "en", "{code} {secret}").status, 400);
    assert_eq!(put("accepted", "en", "Accepted: {code}. Track: {link}").status, 200);

    // The preview says what an SMS costs: diacritics make it Unicode.
    let preview = portal.admin("POST", "/api/admin/notification-templates/preview",
        Some(&json!({"event": "accepted", "text": "Hồ sơ {code} đã được tiếp nhận. Theo dõi: {link}"}))).json();
    assert_eq!(preview["sms"]["unicode"], true);
    assert_eq!(preview["sms"]["parts"], 2, "{preview}");
    let plain = portal.admin("POST", "/api/admin/notification-templates/preview",
        Some(&json!({"event": "accepted", "text": "Ho so {code} da duoc tiep nhan"}))).json();
    assert_eq!((plain["sms"]["unicode"].clone(), plain["sms"]["parts"].clone()), (json!(false), json!(1)));

    // English for the citizen who used the app in English; Vietnamese for a
    // language the province has no template in.
    let english = submit(&portal, "notify-journey-key-00007", json!({"channel": "sms", "phone": "0912345678"}), Some("en"));
    let hmong = submit(&portal, "notify-journey-key-00008", json!({"channel": "sms", "phone": "0912345679"}), Some("hmn"));
    act(&portal, &cookie, english["code"].as_str().unwrap(), json!({"action": "accept"}));
    act(&portal, &cookie, hmong["code"].as_str().unwrap(), json!({"action": "accept"}));
    let got = gateway.wait_for(2);
    let text_to = |to: &str| got.iter().find(|r| r.body["to"] == to).map(|r| r.body["text"].as_str().unwrap().to_owned()).unwrap();
    assert!(text_to("+84912345678").starts_with(&format!("Accepted: {}", english["code"].as_str().unwrap())), "{got:?}");
    assert!(text_to("+84912345679").contains("đã được tiếp nhận"), "{got:?}");

    // Every change is in the audit trail.
    let audit = portal.admin("GET", "/api/admin/audit", None).json().to_string();
    assert!(audit.contains("template.save") && audit.contains("accepted/en"), "{audit}");
}

#[test]
fn a_gateway_the_manifest_does_not_allow_is_refused_and_the_officer_sees_why() {
    let gateway = FakeGateway::start();
    // The URL is set but its host is not in allowed_outbound_hosts (the origin variable keeps its default).
    let url = gateway.url();
    let portal = Portal::start_with_variables(&[("sms_gateway_url", &url), ("notify_retry_seconds", "0")]);
    let cookie = officer(&portal);
    let receipt = submit(&portal, "notify-journey-key-00009", json!({"channel": "sms", "phone": "0912345678"}), None);
    let code = receipt["code"].as_str().unwrap();
    act(&portal, &cookie, code, json!({"action": "accept"}));
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    let message = &dossier["messages"][0];
    assert_eq!(message["state"], "failed", "{message}");
    assert!(message["gateway_said"].as_str().unwrap().contains("allowed_outbound_hosts"), "{message}");
    assert!(gateway.received().is_empty());

    // A channel without a gateway is off: the message says so, the action went through.
    let email = submit(&portal, "notify-journey-key-00010", json!({"channel": "email", "email": "lan@example.vn"}), None);
    let code = email["code"].as_str().unwrap();
    assert_eq!(act(&portal, &cookie, code, json!({"action": "accept"}))["item"]["status"], "accepted");
    let dossier = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    assert_eq!(dossier["messages"][0]["gateway_said"], "the email channel is off: mail_api_url is not set");
}

#[test]
fn the_local_host_sends_what_is_due_on_an_interval_when_asked() {
    // Spin has no timer: beside it a CronJob or systemd timer calls the sweep.
    if !journeys::Runtime::from_env().is_local_host() {
        return;
    }
    let gateway = FakeGateway::start();
    let (url, origin) = (gateway.url(), gateway.origin());
    let portal = Portal::start_local_with_env(
        journeys::free_port(),
        tempfile::tempdir().unwrap(),
        &[
            ("SPIN_VARIABLE_SMS_GATEWAY_URL", &url),
            ("SPIN_VARIABLE_SMS_GATEWAY_ORIGIN", &origin),
            ("SPIN_VARIABLE_NOTIFY_RETRY_SECONDS", "0"),
            ("SPIN_LOCAL_HOST_TICK", "0.5:/api/admin/notifications/sweep"),
            ("SPIN_LOCAL_HOST_TICK_TOKEN", journeys::DESK_ADMIN_TOKEN),
        ],
    );
    let cookie = officer(&portal);
    let receipt = submit(&portal, "notify-journey-key-00011", json!({"channel": "zalo", "phone": "0912345678"}), None);
    // Zalo is off on this portal; the SMS is what the tick must retry. Switch the citizen to SMS.
    let code = receipt["code"].as_str().unwrap();
    let changed = portal.post_json(&format!("/api/dossiers/{code}/messages"), None,
        &json!({"secret": receipt["secret"], "notify": {"channel": "sms", "phone": "0912345678"}}));
    assert_eq!(changed.json()["told_by"], json!({"channel": "sms", "to": "+84912***678"}));
    gateway.then([GatewayReply::Answer(503, "busy".into())]);
    act(&portal, &cookie, code, json!({"action": "accept"}));
    // Nobody calls the sweep: the host's tick does, and the second try goes through.
    let got = gateway.wait_for(2);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].body["idempotency_key"], got[1].body["idempotency_key"]);
    let log = portal.log_lines().join("\n");
    assert!(!log.contains(journeys::DESK_ADMIN_TOKEN), "the tick's token is never printed");
}
