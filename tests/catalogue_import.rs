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

#[test]
fn an_administrator_imports_2000_procedures_with_the_documented_script() {
    let portal = Portal::start();
    let file = synthetic(2_000);
    let path = file.path().to_str().unwrap();

    let preview = portal.script_output("catalogue", &["import", path, "--preview"]);
    let said = String::from_utf8_lossy(&preview.stdout);
    assert!(preview.status.success(), "{said}\n{}", String::from_utf8_lossy(&preview.stderr));
    assert!(said.contains("2000 records") && said.contains("new: 1947") && said.contains("unchanged: 53"), "{said}");
    // A preview publishes nothing.
    assert_eq!(portal.get("/api/procedures?per_page=1").json()["total"], 53);

    let published = portal.script_output("catalogue", &["import", path, "--yes"]);
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
    let history = portal.script_output("catalogue", &["history"]);
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
    let births_before = portal.get("/api/procedures?q=khai+sinh").json()["total"].as_u64().unwrap();
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
    assert_eq!(search["total"].as_u64().unwrap(), births_before - 1, "the withdrawn procedure is not counted: {search}");
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
    let out = portal.script_output("calendar", &["import", file.path().to_str().unwrap()]);
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

#[test]
fn a_phone_keeps_the_whole_catalogue_in_a_few_compact_parts() {
    let portal = Portal::start();
    let first = portal.get("/api/procedure-index");
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("cache-control"), Some("no-cache"), "a phone must learn of a new catalogue at once");
    let first = first.json();
    assert_eq!((first["total"].clone(), first["parts"].clone()), (json!(53), json!(1)), "{first}");

    // 2,500 procedures: two parts of at most 2,000, every procedure once, in name order.
    let file = synthetic(2_500);
    let records: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
    let id = portal.import_catalogue(&records);
    assert_eq!(portal.admin("POST", &format!("/api/admin/catalogue/imports/{id}/publish"), Some(&json!({}))).status, 200);
    let index = portal.get("/api/procedure-index").json();
    assert_eq!((index["total"].clone(), index["parts"].clone()), (json!(2500), json!(2)), "{index}");
    let version = index["version"].as_u64().unwrap();
    assert_ne!(version, first["version"].as_u64().unwrap());
    let mut codes = Vec::new();
    for part in 0..2 {
        let reply = portal.get(&format!("/api/procedure-index/{version}/{part}"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.header("cache-control"), Some("public, max-age=31536000, immutable"));
        let items = reply.json()["items"].as_array().unwrap().clone();
        assert!(items.len() <= 2000);
        codes.extend(items.iter().map(|i| i["code"].as_str().unwrap().to_owned()));
    }
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((codes.len(), unique.len()), (2500, 2500));
    // In the catalogue's name order: the first part begins as the listing's first pages do.
    let listing: Vec<String> = (1..=2)
        .flat_map(|page| portal.get(&format!("/api/procedures?per_page=50&page={page}")).json()["items"].as_array().unwrap().clone())
        .map(|i| i["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes[..100], listing[..], "the index is in the listing's order");
    assert_eq!(portal.get(&format!("/api/procedure-index/{version}/2")).status, 404);
    // The older version's parts are gone: a phone fetches the new ones.
    assert_eq!(portal.get(&format!("/api/procedure-index/{}/0", first["version"])).status, 404);
}

/// The issue's "done when": from a fresh portal, an administrator imports
/// 2,000 procedures, publishes a new form for one of them, adds an agency and
/// an officer and publishes the 2028 calendar, all with the documented
/// scripts; citizens and officers see it at once.
#[test]
fn a_province_sets_up_a_fresh_portal_with_its_documented_scripts() {
    let portal = Portal::start();
    let dir = tempfile::tempdir().unwrap();
    let catalogue = synthetic(2_000);
    let ok = |name: &str, args: &[&str]| {
        let out = portal.script_output(name, args);
        let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "scripts/{name} {args:?}: {said}");
        said
    };
    ok("catalogue", &["import", catalogue.path().to_str().unwrap(), "--yes"]);
    assert_eq!(portal.get("/api/procedures?per_page=1").json()["total"], 2000);

    // A new version of the marriage form: one more optional question.
    let mut form: Value = serde_json::from_str(&std::fs::read_to_string(repo_root().join("data/forms/1.000894.json")).unwrap()).unwrap();
    form["questions"].as_array_mut().unwrap().insert(3, json!({"id": "wedding_place", "kind": "text",
        "label_key": "form.marriage.wedding_place", "label_vi": "Nơi tổ chức lễ cưới", "icon": "rings", "required": false}));
    let form_file = dir.path().join("marriage.json");
    std::fs::write(&form_file, form.to_string()).unwrap();
    assert!(ok("forms", &["publish", form_file.to_str().unwrap()]).contains("version 2 published"));

    // The provincial centre receives marriages too.
    let agencies = dir.path().join("agencies.json");
    std::fs::write(&agencies, json!({"agencies": [{"id": "000.30.06.H56", "name": "Trung tâm Phục vụ hành chính công tỉnh",
        "address": "Phường Lào Cai, tỉnh Lào Cai", "opening_hours": "Thứ Hai đến Thứ Sáu, 7:30–17:00", "procedures": ["1.000894"]}]}).to_string()).unwrap();
    ok("agencies", &["put", agencies.to_str().unwrap()]);

    // An officer there (the password through stdin, never argv).
    let officer = Command::new(repo_root().join("scripts/officer"))
        .args(["mai.hoang", "Hoàng Thị Mai", "000.30.06.H56", "officer"])
        .env("DESK_ADMIN_TOKEN", DESK_ADMIN_TOKEN)
        .env("PORTAL", &portal.base)
        .stdin(std::process::Stdio::piped())
        .output_with_stdin("mat-khau-rat-dai-123\n");
    assert!(officer.status.success(), "{}", String::from_utf8_lossy(&officer.stderr));

    // The 2028 calendar, as the government announces it.
    let calendar = dir.path().join("2028.json");
    std::fs::write(&calendar, json!({"source": "test", "years": {"2028": [
        {"date": "2028-01-03", "name_vi": "Tết Dương lịch (nghỉ bù)"},
        {"date": "2028-01-26", "name_vi": "Tết Nguyên Đán"}, {"date": "2028-01-27", "name_vi": "Tết Nguyên Đán"},
        {"date": "2028-01-28", "name_vi": "Tết Nguyên Đán"}, {"date": "2028-01-31", "name_vi": "Tết Nguyên Đán"},
        {"date": "2028-02-01", "name_vi": "Tết Nguyên Đán"}]}, "workdays": {}}).to_string()).unwrap();
    ok("calendar", &["import", calendar.to_str().unwrap()]);

    // Citizens fill version 2 and read where to go; the officer signs in; the desk sees 2028.
    assert_eq!(portal.get("/api/forms/1.000894").json()["version"], 2);
    let places = portal.get("/api/procedures/1.000894").json()["where_to_go"].clone();
    assert!(places.as_array().unwrap().iter().any(|p| p["id"] == "000.30.06.H56"), "{places}");
    let cookie = portal.sign_in("mai.hoang");
    let notice = portal.request("GET", "/api/desk/calendar", &[("cookie", &cookie)], None).json();
    assert_eq!(notice["last_year"], 2028, "{notice}");
    let audit = portal.admin("GET", "/api/admin/audit", None).text();
    for action in ["catalogue.publish", "form.publish", "agency.save", "officer.create", "calendar.publish"] {
        assert!(audit.contains(action), "{action} missing from the audit trail: {audit}");
    }
}

trait OutputWithStdin {
    fn output_with_stdin(&mut self, input: &str) -> std::process::Output;
}

impl OutputWithStdin for Command {
    fn output_with_stdin(&mut self, input: &str) -> std::process::Output {
        use std::io::Write;
        let mut child = self.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }
}

/// At real size a common query reads its first pages in index order (the
/// names starting with the phrase): the same order the ranking rule gives
/// over the whole catalogue, as the phone's offline search ranks it.
#[test]
fn a_common_search_at_real_size_ranks_as_the_rule_says() {
    use motcua_shared::search::{rank, SearchKeys, SearchParams};
    let portal = Portal::start();
    let file = synthetic(2_500);
    let records: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
    let id = portal.import_catalogue(&records);
    assert_eq!(portal.admin("POST", &format!("/api/admin/catalogue/imports/{id}/publish"), Some(&json!({}))).status, 200);
    let index = portal.get("/api/procedure-index").json();
    let mut all = Vec::new();
    for part in 0..index["parts"].as_u64().unwrap() {
        let items = portal.get(&format!("/api/procedure-index/{}/{part}", index["version"])).json()["items"].as_array().unwrap().clone();
        all.extend(items);
    }
    for q in ["dang ky khai sinh", "Đăng ký kết hôn", "chung thuc"] {
        let params = SearchParams::from_pairs(vec![("q".to_owned(), q.to_owned())]).unwrap();
        let words = params.query_words();
        let keyed = all
            .iter()
            .map(|i| {
                let (code, name, field) = (i["code"].as_str().unwrap(), i["name"].as_str().unwrap(), i["field"].as_str().unwrap());
                (code.to_owned(), SearchKeys::new(code, name, field, None))
            })
            .collect();
        let ranked = rank(&words, keyed);
        for page in 1..=2 {
            let encoded: String =
                q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
            let reply = portal.get(&format!("/api/procedures?q={encoded}&page={page}")).json();
            let codes: Vec<&str> = reply["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
            let expected: Vec<&str> = ranked.iter().skip((page - 1) * 20).take(20).map(String::as_str).collect();
            assert_eq!(codes, expected, "{q}, page {page}");
        }
    }
}

/// Every page of a search, 50 at a time: the codes in order, and the total.
fn every_page(portal: &Portal, query: &str) -> (Vec<(String, Value)>, u64) {
    let (mut found, mut total) = (Vec::new(), 0);
    for page in 1.. {
        let reply = portal.get(&format!("/api/procedures?{query}&per_page=50&page={page}")).json();
        total = reply["total"].as_u64().unwrap();
        let items = reply["items"].as_array().unwrap();
        found.extend(items.iter().map(|i| (i["code"].as_str().unwrap().to_owned(), i.clone())));
        if items.len() < 50 {
            break;
        }
    }
    (found, total)
}

#[test]
fn a_filtered_word_search_finds_and_counts_exactly_the_matches_in_that_filter() {
    let portal = Portal::start();
    let file = synthetic(700);
    let records: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
    let id = portal.import_catalogue(&records);
    assert_eq!(portal.admin("POST", &format!("/api/admin/catalogue/imports/{id}/publish"), Some(&json!({}))).status, 200);
    for words in ["q=dang+ky", "q=chung+thuc", "q=giay+phep"] {
        let (everything, total) = every_page(&portal, words);
        assert_eq!(everything.len() as u64, total, "{words}");
        assert!(total > 50, "{words}: a search over more than one page ({total})");
        // The filters as the facets index them: a level, an online level, a
        // field with diacritics, and two at once.
        let filters: [(&str, fn(&Value) -> bool); 4] = [
            ("level=commune", |i| i["level"] == "commune"),
            ("online=full", |i| i["online"] == "full"),
            ("field=H%E1%BB%99+t%E1%BB%8Bch", |i| i["field"] == "Hộ tịch"),
            ("level=province&online=partial", |i| i["level"] == "province" && i["online"] == "partial"),
        ];
        for (filter, keeps) in filters {
            let (filtered, filtered_total) = every_page(&portal, &format!("{words}&{filter}"));
            let expected: Vec<&String> = everything.iter().filter(|(_, i)| keeps(i)).map(|(c, _)| c).collect();
            let codes: Vec<&String> = filtered.iter().map(|(c, _)| c).collect();
            assert_eq!(codes, expected, "{words}&{filter}: the unfiltered order, filtered");
            assert_eq!(filtered_total, expected.len() as u64, "{words}&{filter}: the count");
        }
    }
}

/// The province's scripts ask a busy portal (503) again after its
/// Retry-After, a few times, and then stop with the portal's words. The
/// portal is a real HTTP server on loopback that answers as told.
#[test]
fn the_documented_scripts_ask_a_busy_portal_again_then_say_why_they_stop() {
    use journeys::{FakeGateway, GatewayReply};
    let busy = r#"{"error":{"code":"service_unavailable","message":"the service is busy; please try again in a moment"}}"#;
    let portal = FakeGateway::start();
    let history = || {
        Command::new(repo_root().join("scripts/catalogue"))
            .arg("history")
            .env("DESK_ADMIN_TOKEN", DESK_ADMIN_TOKEN)
            .env("PORTAL", portal.origin())
            .output()
            .unwrap()
    };
    portal.then([GatewayReply::Answer(503, busy.into()), GatewayReply::Answer(200, "[]".into())]);
    let out = history();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(portal.received().len(), 2, "asked once more after the 503");
    portal.then((0..5).map(|_| GatewayReply::Answer(503, busy.into())));
    let out = history();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("503") && said.contains("busy"), "{said}");
    assert_eq!(portal.received().len(), 7, "five times in all, then it stops");
}
