//! A province publishes its catalogue at run time: imports checked record by
//! record, a preview, publishing as one version, withdrawn procedures kept
//! for the dossiers made under them, and the documented script at 2,000
//! records. The real admin and catalogue components on the portal.

use journeys::{repo_root, Portal, DESK_ADMIN_TOKEN};
use serde_json::{json, Value};
use std::process::Command;

fn seed() -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(repo_root().join("data/procedures.json")).unwrap()).unwrap()
}

fn synthetic(n: usize) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = Command::new("python3")
        .arg(repo_root().join("scripts/synthetic-catalogue.py"))
        .arg(n.to_string())
        .stdout(file.reopen().unwrap())
        .status()
        .unwrap();
    assert!(out.success());
    file
}

/// Runs one of the province's documented scripts (`scripts/catalogue`, `scripts/calendar`) against the portal.
fn script(portal: &Portal, name: &str, args: &[&str]) -> std::process::Output {
    Command::new(repo_root().join("scripts").join(name))
        .args(args)
        .env("DESK_ADMIN_TOKEN", DESK_ADMIN_TOKEN)
        .env("PORTAL", &portal.base)
        .output()
        .unwrap()
}

#[test]
fn an_administrator_imports_2000_procedures_with_the_documented_script() {
    let portal = Portal::start();
    let file = synthetic(2_000);
    let path = file.path().to_str().unwrap();

    let preview = script(&portal, "catalogue", &["import", path, "--preview"]);
    let said = String::from_utf8_lossy(&preview.stdout);
    assert!(preview.status.success(), "{said}\n{}", String::from_utf8_lossy(&preview.stderr));
    assert!(said.contains("2000 records") && said.contains("new: 1947") && said.contains("unchanged: 53"), "{said}");
    // A preview publishes nothing.
    assert_eq!(portal.get("/api/procedures?per_page=1").json()["total"], 53);

    let published = script(&portal, "catalogue", &["import", path, "--yes"]);
    let said = String::from_utf8_lossy(&published.stdout);
    assert!(published.status.success() && said.contains("published import"), "{said}");
    let all = portal.get("/api/procedures?per_page=1").json();
    assert_eq!(all["total"], 2000);
    let records: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let last = records.last().unwrap()["code"].as_str().unwrap();
    assert_eq!(portal.get(&format!("/api/procedures/{last}")).status, 200);
    let found = portal.get("/api/procedures?q=dang+ky+khai+sinh").json();
    assert_eq!(found["items"][0]["code"], "1.001193", "{found}");
    assert!(found["total"].as_u64().unwrap() > 1);
    let page2 = portal.get("/api/procedures?page=2&field=H%E1%BB%99+t%E1%BB%8Bch").json();
    assert_eq!(page2["page"], 2);
    assert!(!page2["items"].as_array().unwrap().is_empty(), "{page2}");

    // The history and the audit trail say who published what.
    let history = script(&portal, "catalogue", &["history"]);
    let said = String::from_utf8_lossy(&history.stdout);
    // The preview's draft was discarded when the later import was published.
    assert!(said.contains("published") && said.contains("discarded"), "{said}");
    let audit = portal.admin("GET", "/api/admin/audit", None).json();
    let publishes: Vec<&Value> = audit.as_array().unwrap().iter().filter(|c| c["action"] == "catalogue.publish").collect();
    assert_eq!(publishes.len(), 2, "{audit}");
    assert_eq!(publishes[0]["actor"], "token");
    assert!(publishes[0]["detail"].as_str().unwrap().contains("1947 new"), "{audit}");
}

#[test]
fn a_bad_file_is_reported_record_by_record_and_nothing_is_published() {
    let portal = Portal::start();
    let mut records = seed();
    records[1].as_object_mut().unwrap().remove("name_vi");
    records[2]["level"] = json!("district");
    records[3]["code"] = records[0]["code"].clone();
    let id = portal.import_catalogue(&records);

    let preview = portal.admin("GET", &format!("/api/admin/catalogue/imports/{id}"), None).json();
    let problems: Vec<(u64, &str)> =
        preview["problems"].as_array().unwrap().iter().map(|p| (p["position"].as_u64().unwrap(), p["field"].as_str().unwrap())).collect();
    assert_eq!(problems, vec![(2, "name_vi"), (3, "level"), (4, "code")], "{preview}");
    assert_eq!(preview["problems"][0]["code"], records[1]["code"]);
    assert_eq!(preview["import"]["counts"]["problems"], 3);

    let refused = portal.admin("POST", &format!("/api/admin/catalogue/imports/{id}/publish"), Some(&json!({})));
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert_eq!(refused.json()["error"]["field"], "import");
    // Every procedure is still there, the three faulty ones included.
    assert_eq!(portal.get("/api/procedures?per_page=1").json()["total"], 53);
    assert_eq!(portal.get(&format!("/api/procedures/{}", seed()[3]["code"].as_str().unwrap())).status, 200);
}

#[test]
fn a_withdrawn_procedure_stays_readable_for_its_dossiers() {
    let portal = Portal::start();
    let receipt = portal.post_json("/api/dossiers", None, &portal.birth_submission("import-journey-key-0001"));
    assert_eq!(receipt.status, 201, "{}", receipt.text());
    let receipt = receipt.json();

    // The next catalogue leaves birth registration out, and renames marriage registration.
    let mut records: Vec<Value> = seed().into_iter().filter(|r| r["code"] != "1.001193").collect();
    let marriage = records.iter_mut().find(|r| r["code"] == "1.000894").expect("marriage registration in the seed");
    marriage["name_vi"] = json!("Thủ tục đăng ký kết hôn (tên mới)");
    let id = portal.import_catalogue(&records);
    let preview = portal.admin("GET", &format!("/api/admin/catalogue/imports/{id}"), None).json();
    assert_eq!(preview["import"]["counts"]["withdrawn"], 1, "{preview}");
    assert_eq!(preview["withdrawn"][0]["code"], "1.001193");
    assert_eq!(preview["import"]["counts"]["changed"], 1);
    assert_eq!(preview["changed"][0]["code"], "1.000894");
    assert_eq!(preview["import"]["counts"]["added"], 0);
    let published = portal.admin("POST", &format!("/api/admin/catalogue/imports/{id}/publish"), Some(&json!({})));
    assert_eq!(published.status, 200, "{}", published.text());

    assert_eq!(portal.get("/api/procedures/1.001193").status, 404);
    let search = portal.get("/api/procedures?q=khai+sinh").json();
    assert!(search["items"].as_array().unwrap().iter().all(|i| i["code"] != "1.001193"), "{search}");
    assert_eq!(portal.get("/api/procedures/1.000894").json()["name"], "Đăng ký kết hôn (tên mới)");
    // The citizen's dossier still names its procedure.
    let code = receipt["code"].as_str().unwrap();
    let tracked = portal.post_json(&format!("/api/dossiers/{code}/tracking"), None, &json!({"secret": receipt["secret"]}));
    assert_eq!(tracked.status, 200, "{}", tracked.text());
    assert_eq!(tracked.json()["procedure_name"], "Đăng ký khai sinh");
    // A new dossier for it is refused, naming the procedure.
    let again = portal.post_json("/api/dossiers", None, &portal.birth_submission("import-journey-key-0002"));
    assert_eq!(again.status, 400, "{}", again.text());
    assert_eq!(again.json()["error"]["field"], "procedure_code");
}

#[test]
fn only_the_operator_or_an_administrator_may_import() {
    let portal = Portal::start();
    let anonymous = portal.post_json("/api/admin/catalogue/imports", None, &json!({}));
    assert_eq!(anonymous.status, 401);
    let wrong = portal.request("POST", "/api/admin/catalogue/imports", &[("authorization", "Bearer not-the-token-at-all"), ("content-type", "application/json")], Some(b"{}"));
    assert_eq!(wrong.status, 404);
    assert_eq!(portal.create_officer("lan.check", "Nguyễn Thị Lan", "000.00.06.H56", "supervisor").status, 201);
    let supervisor = portal.sign_in("lan.check");
    let refused = portal.post_json("/api/admin/catalogue/imports", Some(&supervisor), &json!({}));
    assert_eq!(refused.status, 403);
    assert_eq!(portal.create_officer("tinh.admin", "Trần Văn Tỉnh", "000.00.06.H56", "administrator").status, 201);
    let admin = portal.sign_in("tinh.admin");
    let started = portal.post_json("/api/admin/catalogue/imports", Some(&admin), &json!({}));
    assert_eq!(started.status, 201, "{}", started.text());
    assert_eq!(started.json()["created_by"], "tinh.admin");
}

/// Temporary residence (1.004194): 3 working days, no photo required.
fn residence_submission(portal: &Portal, key: &str) -> Value {
    let form = portal.get("/api/forms/1.004194").json();
    json!({ "procedure_code": "1.004194", "idempotency_key": key, "answers": journeys::valid_answers(&form, "Lò Văn Pằng") })
}

fn date(text: &str) -> (i32, u32, u32) {
    let parts: Vec<&str> = text.split('-').collect();
    (parts[0].parse().unwrap(), parts[1].parse().unwrap(), parts[2].parse().unwrap())
}

#[test]
fn an_administrator_publishes_the_2028_calendar_and_the_clock_reads_it_at_once() {
    let portal = Portal::start();
    assert_eq!(portal.create_officer("lan.check", "Nguyễn Thị Lan", "000.00.06.H56", "officer").status, 201);
    let officer = portal.sign_in("lan.check");
    let notice = portal.request("GET", "/api/desk/calendar", &[("cookie", &officer)], None).json();
    assert_eq!((notice["last_year"].as_i64(), notice["next_year"].as_i64()), (Some(2027), Some(2028)), "{notice}");

    // 2028 with the documented script: Tết from Wednesday 26 January, and a make-up Saturday.
    let file = tempfile::NamedTempFile::new().unwrap();
    let days = |list: &[(&str, &str)]| list.iter().map(|(d, n)| json!({"date": d, "name_vi": n})).collect::<Vec<_>>();
    let year_2028 = json!({"source": "journey", "years": {"2028": days(&[("2028-01-03", "Nghỉ bù Tết Dương lịch"), ("2028-01-26", "Tết Nguyên Đán"),
        ("2028-01-27", "Tết Nguyên Đán"), ("2028-01-28", "Tết Nguyên Đán"), ("2028-01-31", "Tết Nguyên Đán"), ("2028-02-01", "Tết Nguyên Đán")])},
        "workdays": {"2028": days(&[("2028-01-22", "Làm bù")])}});
    std::fs::write(file.path(), year_2028.to_string()).unwrap();
    let out = script(&portal, "calendar", &["import", file.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let notice = portal.request("GET", "/api/desk/calendar", &[("cookie", &officer)], None).json();
    assert_eq!((notice["last_year"].as_i64(), notice["warn"].as_bool()), (Some(2028), Some(false)), "{notice}");
    let years = portal.admin("GET", "/api/admin/calendar", None).json();
    assert_eq!(years.as_array().unwrap().last().unwrap()["workdays"][0]["date"], "2028-01-22");
    let audit = portal.admin("GET", "/api/admin/audit", None).json();
    assert!(audit.as_array().unwrap().iter().any(|c| c["action"] == "calendar.publish" && c["subject"] == "2028"), "{audit}");

    // A make-up working day on a Monday is refused, naming the field; nothing changes.
    let bad = json!({"year": 2028, "days_off": [], "workdays": [{"date": "2028-01-24", "name_vi": "Làm bù"}]});
    let refused = portal.admin("PUT", "/api/admin/calendar/2028", Some(&bad));
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert_eq!(refused.json()["error"]["field"], "days_off");
    assert_eq!(portal.admin("GET", "/api/admin/calendar", None).json(), years);

    // A new day off before a dossier's appointment moves the next dossier's appointment one working day.
    let first = portal.post_json("/api/dossiers", None, &residence_submission(&portal, "calendar-journey-key-0001")).json();
    let appointment = first["appointment_on"].as_str().expect("an appointment date").to_owned();
    let (y, m, d) = date(&appointment);
    let year = years.as_array().unwrap().iter().find(|v| v["year"] == y).expect("the appointment's year is published").clone();
    let mut days_off = year["days_off"].as_array().unwrap().clone();
    // The appointment day itself becomes a day off (a weekday, since it was a working day).
    days_off.push(json!({"date": appointment, "name_vi": "Nghỉ đột xuất"}));
    let changed = json!({"year": y, "days_off": days_off, "workdays": year["workdays"]});
    assert_eq!(portal.admin("PUT", &format!("/api/admin/calendar/{y}"), Some(&changed)).status, 200);
    let second = portal.post_json("/api/dossiers", None, &residence_submission(&portal, "calendar-journey-key-0002")).json();
    let later = second["appointment_on"].as_str().expect("an appointment date");
    assert!(later > appointment.as_str(), "{appointment} then {later} ({y}-{m}-{d})");
}
