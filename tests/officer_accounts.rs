//! The province's administrator manages officer accounts at run time:
//! creates one (the portal makes its first password, shown once), resets a
//! password, disables and enables an account; every step is in the audit
//! trail, and a disabled officer is out at once. The real admin and desk
//! components on the portal.

use journeys::Portal;
use serde_json::{Value, json};

const AGENCY: &str = "000.21.06.H56";

fn sign_in_with(portal: &Portal, username: &str, password: &str) -> journeys::Reply {
    portal.post_json("/api/desk/session", None, &json!({"username": username, "password": password}))
}

fn cookie(reply: &journeys::Reply) -> String {
    reply.header("set-cookie").expect("a session cookie").split(';').next().unwrap().to_owned()
}

#[test]
fn an_administrator_creates_resets_and_disables_an_officer_account() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("thu.admin", "Vũ Thị Thu", AGENCY, "administrator").status, 201);
    let admin = portal.sign_in("thu.admin");
    let as_admin = |method: &str, path: &str, body: Option<Value>| {
        let body = body.map(|b| b.to_string());
        portal.request(method, path, &[("cookie", &admin), ("content-type", "application/json")], body.as_deref().map(str::as_bytes))
    };

    // A new officer at the commune's desk, with a first password shown once.
    let created = as_admin(
        "POST",
        "/api/admin/officers",
        Some(json!({"username": "binh.le", "display_name": "Lê Văn Bình", "agency_id": AGENCY, "role": "officer"})),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    let first = created.json()["temporary_password"].as_str().unwrap().to_owned();
    assert!(first.len() >= 12, "{first}");
    assert_eq!(created.json()["officer"]["active"], true);
    let binh = sign_in_with(&portal, "binh.le", &first);
    assert_eq!(binh.status, 200, "{}", binh.text());
    let binh = cookie(&binh);
    let queue = |c: &str| portal.request("GET", "/api/desk/dossiers?filter=open", &[("cookie", c)], None).status;
    assert_eq!(queue(&binh), 200);

    // The same username twice, an agency the province does not list: refused, naming the field.
    let again = as_admin(
        "POST",
        "/api/admin/officers",
        Some(json!({"username": "binh.le", "display_name": "Another", "agency_id": AGENCY, "role": "officer"})),
    );
    assert_eq!((again.status, again.json()["error"]["field"].clone()), (409, json!("username")));
    let nowhere = as_admin(
        "POST",
        "/api/admin/officers",
        Some(json!({"username": "an.tran", "display_name": "Trần An", "agency_id": "999.99.99.X99", "role": "officer"})),
    );
    assert_eq!((nowhere.status, nowhere.json()["error"]["field"].clone()), (400, json!("agency_id")));

    // A reset: the old password and the open session stop working at once.
    let reset = as_admin("POST", "/api/admin/officers/binh.le/password", Some(json!({})));
    assert_eq!(reset.status, 200, "{}", reset.text());
    let second = reset.json()["temporary_password"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(queue(&binh), 401, "the session before the reset must end");
    assert_eq!(sign_in_with(&portal, "binh.le", &first).status, 401);
    let binh = cookie(&sign_in_with(&portal, "binh.le", &second));
    assert_eq!(queue(&binh), 200);

    // Disabled: out at once, cannot sign in; enabled again: back in.
    let disabled = as_admin("POST", "/api/admin/officers/binh.le/disable", Some(json!({})));
    assert_eq!((disabled.status, disabled.json()["active"].clone()), (200, json!(false)), "{}", disabled.text());
    assert_eq!(queue(&binh), 401);
    assert_eq!(sign_in_with(&portal, "binh.le", &second).status, 401);
    let listed = as_admin("GET", &format!("/api/admin/officers?agency={AGENCY}"), None).json();
    let row = listed.as_array().unwrap().iter().find(|o| o["username"] == "binh.le").cloned().expect("listed");
    assert_eq!((row["active"].clone(), row["display_name"].clone()), (json!(false), json!("Lê Văn Bình")));
    assert_eq!(as_admin("POST", "/api/admin/officers/binh.le/enable", Some(json!({}))).status, 200);
    assert_eq!(sign_in_with(&portal, "binh.le", &second).status, 200);

    // The administrator cannot lock themselves out.
    let own = as_admin("POST", "/api/admin/officers/thu.admin/disable", Some(json!({})));
    assert_eq!(own.status, 409, "{}", own.text());
    assert_eq!(as_admin("POST", "/api/admin/officers/no.such/password", Some(json!({}))).status, 404);

    // Every step is in the audit trail, by the administrator's name, never with a password.
    let audit = as_admin("GET", "/api/admin/audit", None);
    let text = audit.text();
    for action in ["officer.create", "officer.password", "officer.disable", "officer.enable"] {
        assert!(
            audit
                .json()
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["action"] == action && a["subject"] == "binh.le" && a["actor"] == "thu.admin"),
            "{action}: {text}"
        );
    }
    assert!(!text.contains(&first) && !text.contains(&second), "a password in the audit trail");
    assert!(!portal.log_lines().iter().any(|l| l.contains(&first) || l.contains(&second)), "a password in the log");
}

#[test]
fn only_an_administrator_manages_accounts() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("hoa.sup", "Lê Thị Hoa", AGENCY, "supervisor").status, 201);
    let supervisor = portal.sign_in("hoa.sup");
    let body = json!({"username": "x.officer", "display_name": "X", "agency_id": AGENCY, "role": "administrator"}).to_string();
    let tried = portal.request(
        "POST",
        "/api/admin/officers",
        &[("cookie", &supervisor), ("content-type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(tried.status, 403, "{}", tried.text());
    let anonymous = portal.request("POST", "/api/admin/officers/hoa.sup/password", &[("content-type", "application/json")], Some(b"{}"));
    assert_eq!(anonymous.status, 401);
    // Still signed in with the old password: nothing changed.
    assert_eq!(portal.request("GET", "/api/desk/dossiers?filter=open", &[("cookie", &supervisor)], None).status, 200);
}
