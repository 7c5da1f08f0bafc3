//! A province keeps its receiving agencies as data: where each is, its
//! hours, and what it receives; citizens read where to go on the procedure
//! page and on the receipt. The real admin, catalogue and submission
//! components on the portal.

use journeys::Portal;
use serde_json::json;

const BIRTH: &str = "1.001193";

fn new_agency(procedures: &[&str]) -> serde_json::Value {
    json!({"id": "000.30.06.H56", "name": "Trung tâm Phục vụ hành chính công tỉnh Lào Cai",
           "address": "Đại lộ Trần Hưng Đạo, phường Lào Cai, tỉnh Lào Cai",
           "opening_hours": "Thứ Hai đến Thứ Sáu, 7:30–17:00; sáng Thứ Bảy 7:30–11:30",
           "phone": "0214 3840 000", "procedures": procedures})
}

#[test]
fn a_citizen_reads_where_to_go_on_the_procedure_page_and_the_receipt() {
    let portal = Portal::start();
    let page = portal.get(&format!("/api/procedures/{BIRTH}")).json();
    assert_eq!(page["code"], BIRTH);
    let places = page["where_to_go"].as_array().expect("where to go");
    assert_eq!(places.len(), 1, "{page}");
    assert_eq!(places[0]["name"], "Bộ phận Một cửa, Ủy ban nhân dân xã Mù Cang Chải");
    assert!(places[0]["opening_hours"].as_str().unwrap().contains("7:30"));

    let receipt = portal.post_json("/api/dossiers", None, &portal.birth_submission("where-to-go-receipt-01"));
    assert_eq!(receipt.status, 201, "{}", receipt.text());
    let receipt = receipt.json();
    assert_eq!(receipt["where_to_go"]["id"], "000.21.06.H56", "{receipt}");
    assert!(receipt["where_to_go"]["address"].as_str().unwrap().contains("Mù Cang Chải"));
}

#[test]
fn an_administrator_adds_an_agency_and_changes_what_it_receives() {
    let portal = Portal::start();
    let added = portal.admin("PUT", "/api/admin/agencies/000.30.06.H56", Some(&new_agency(&[BIRTH, "1.000894"])));
    assert_eq!(added.status, 201, "{}", added.text());
    assert_eq!(added.json()["procedures"], json!(["1.000894", BIRTH]));
    let page = portal.get(&format!("/api/procedures/{BIRTH}")).json();
    let names: Vec<&str> = page["where_to_go"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"Trung tâm Phục vụ hành chính công tỉnh Lào Cai"));

    // It stops receiving births: the page says so at once (no rebuild).
    let changed = portal.admin("PUT", "/api/admin/agencies/000.30.06.H56", Some(&new_agency(&["1.000894"])));
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(portal.get(&format!("/api/procedures/{BIRTH}")).json()["where_to_go"].as_array().unwrap().len(), 1);
    let listing = portal.admin("GET", "/api/admin/agencies", None).json();
    let row = listing.as_array().unwrap().iter().find(|a| a["id"] == "000.30.06.H56").cloned().expect("listed");
    assert_eq!(row["procedures"], 1, "{row}");
    let audit = portal.admin("GET", "/api/admin/audit", None).json();
    assert!(
        audit.as_array().unwrap().iter().any(|a| a["action"] == "agency.save"
            && a["subject"] == "000.30.06.H56"
            && a["detail"].as_str().unwrap().starts_with("changed")),
        "{audit}"
    );

    // Refusals name the field; nothing is saved.
    let mut bad = new_agency(&[]);
    bad["phone"] = json!("ring the bell");
    let refused = portal.admin("PUT", "/api/admin/agencies/000.30.06.H56", Some(&bad));
    assert_eq!((refused.status, refused.json()["error"]["field"].clone()), (400, json!("phone")), "{}", refused.text());
    let elsewhere = portal.admin("PUT", "/api/admin/agencies/000.31.06.H56", Some(&new_agency(&[])));
    assert_eq!(elsewhere.json()["error"]["field"], "id");
    assert_eq!(portal.admin("GET", "/api/admin/agencies/000.31.06.H56", None).status, 404);
    let agency = portal.admin("GET", "/api/admin/agencies/000.30.06.H56", None).json();
    assert_eq!(agency["phone"], "0214 3840 000");

    // A supervisor may not.
    assert_eq!(portal.create_officer("hoa.sup", "Lê Thị Hoa", "000.21.06.H56", "supervisor").status, 201);
    let cookie = portal.sign_in("hoa.sup");
    let body = new_agency(&[]).to_string();
    let supervisor = portal.request(
        "PUT",
        "/api/admin/agencies/000.30.06.H56",
        &[("cookie", &cookie), ("content-type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(supervisor.status, 403);
}

#[test]
fn an_administrator_keeps_agencies_with_the_documented_script() {
    let portal = Portal::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agencies.json");
    std::fs::write(&file, json!({"agencies": [new_agency(&[BIRTH])]}).to_string()).unwrap();
    let run = |args: &[&str]| portal.script("agencies", args);
    let (ok, said) = run(&["put", file.to_str().unwrap()]);
    assert!(ok && said.contains("000.30.06.H56") && said.contains("1 procedures"), "{said}");
    let (ok, said) = run(&["list"]);
    assert!(ok && said.contains("000.21.06.H56") && said.contains("Trung tâm Phục vụ hành chính công"), "{said}");
    std::fs::write(&file, json!({"agencies": [{"id": "000.30.06.H56", "name": "", "address": "x", "opening_hours": "x"}]}).to_string())
        .unwrap();
    let (ok, said) = run(&["put", file.to_str().unwrap()]);
    assert!(!ok && said.contains("name") && said.contains("must not be empty"), "{said}");
}
