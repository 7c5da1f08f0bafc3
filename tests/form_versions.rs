//! A province changes a procedure's online form at run time: saved as a
//! draft and checked, previewed, published as the next version; citizens
//! fill the new version, a dossier keeps the version it was filled with, and
//! one filled on an older version is accepted only if it satisfies the new
//! form. The real admin, submission and desk components on the portal.

use journeys::{Portal, repo_root};
use serde_json::{Value, json};

const BIRTH: &str = "1.001193";

fn form_file() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo_root().join(format!("data/forms/{BIRTH}.json"))).unwrap()).unwrap()
}

fn question<'a>(form: &'a Value, id: &str) -> &'a Value {
    form["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap_or_else(|| panic!("no question {id}"))
}

/// The birth form with a new question (the child's ethnicity), required or not.
fn with_ethnicity(required: bool) -> Value {
    let mut form = form_file();
    let questions = form["questions"].as_array_mut().unwrap();
    questions.insert(
        5,
        json!({"id": "child_ethnicity", "kind": "text", "label_key": "form.birth.child_ethnicity",
               "label_vi": "Dân tộc của bé", "officer_label_vi": "Dân tộc của trẻ", "icon": "baby",
               "required": required, "max_chars": 40}),
    );
    form
}

#[test]
fn an_administrator_publishes_a_new_form_version_and_citizens_fill_it() {
    let portal = Portal::start();
    let before = portal.get(&format!("/api/forms/{BIRTH}")).json();
    assert_eq!(before["version"], 1, "the first forms are version 1");
    assert!(before["questions"].as_array().unwrap().iter().all(|q| q["id"] != "child_ethnicity"));

    // Saved as a draft: citizens still get version 1, the preview shows version 2.
    let saved = portal.admin("PUT", &format!("/api/admin/forms/{BIRTH}/draft"), Some(&with_ethnicity(false)));
    assert_eq!(saved.status, 200, "{}", saved.text());
    assert_eq!(saved.json()["version"], 2);
    assert_eq!(saved.json()["published_at"], Value::Null);
    assert_eq!(portal.get(&format!("/api/forms/{BIRTH}")).json()["version"], 1);
    assert_eq!(portal.get(&format!("/api/forms/{BIRTH}/versions/2")).status, 404, "a draft is not public");
    let preview = portal.admin("GET", &format!("/api/admin/forms/{BIRTH}/versions/2"), None);
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(question(&preview.json(), "child_ethnicity")["label_vi"], "Dân tộc của bé");
    let listing = portal.admin("GET", "/api/admin/forms", None).json();
    let row = listing.as_array().unwrap().iter().find(|f| f["procedure_code"] == BIRTH).cloned().unwrap();
    assert_eq!((row["published"].clone(), row["draft"].clone()), (json!(1), json!(2)), "{row}");

    // A dossier begun on version 1 and sent after the change.
    let mut old_draft = portal.birth_submission("form-change-old-version-1");
    old_draft["form_version"] = json!(1);

    let published = portal.admin("POST", &format!("/api/admin/forms/{BIRTH}/versions/2/publish"), Some(&json!({})));
    assert_eq!(published.status, 200, "{}", published.text());
    let now = portal.get(&format!("/api/forms/{BIRTH}")).json();
    assert_eq!(now["version"], 2);
    assert_eq!(question(&now, "child_ethnicity")["officer_label_vi"], "Dân tộc của trẻ");
    // Publishing it again is refused: a published version never changes.
    let again = portal.admin("POST", &format!("/api/admin/forms/{BIRTH}/versions/2/publish"), Some(&json!({})));
    assert_eq!(again.status, 409, "{}", again.text());

    // The old draft still satisfies the form (the new question is optional): accepted, as version 2.
    let receipt = portal.post_json("/api/dossiers", None, &old_draft);
    assert_eq!(receipt.status, 201, "{}", receipt.text());
    // A new dossier answers the new question.
    let mut fresh = portal.birth_submission("form-change-new-version-2");
    fresh["answers"]["child_ethnicity"] = json!("Hmông");
    fresh["form_version"] = json!(2);
    let fresh_receipt = portal.post_json("/api/dossiers", None, &fresh);
    assert_eq!(fresh_receipt.status, 201, "{}", fresh_receipt.text());

    // The desk reads it under the version it was filled with.
    let agency = now["agency_id"].as_str().unwrap();
    assert_eq!(portal.create_officer("mai.tran", "Trần Thị Mai", agency, "officer").status, 201);
    let cookie = portal.sign_in("mai.tran");
    let code = fresh_receipt.json()["code"].as_str().unwrap().to_owned();
    let at_desk = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    assert_eq!(at_desk["form_version"], 2, "{at_desk}");
    assert_eq!(at_desk["answers"]["child_ethnicity"], "Hmông");

    // Both versions stay readable; the history and the audit trail say who did what.
    assert_eq!(portal.get(&format!("/api/forms/{BIRTH}/versions/1")).json()["version"], 1);
    let history = portal.admin("GET", &format!("/api/admin/forms/{BIRTH}"), None).json();
    let versions: Vec<_> = history.as_array().unwrap().iter().map(|v| v["version"].as_u64().unwrap()).collect();
    assert_eq!(versions, [2, 1]);
    assert!(history[0]["published_at"].is_string() && history[0]["saved_by"] == "token", "{history}");
    let audit = portal.admin("GET", "/api/admin/audit", None).json();
    let said: Vec<String> = audit.as_array().unwrap().iter().map(|a| format!("{} {} {}", a["action"], a["subject"], a["detail"])).collect();
    assert!(said.iter().any(|s| s.contains("form.publish") && s.contains(BIRTH) && s.contains("version 2")), "{said:?}");
    assert!(said.iter().any(|s| s.contains("form.draft") && s.contains(BIRTH)), "{said:?}");
}

#[test]
fn a_dossier_filled_on_an_older_form_is_refused_naming_what_changed() {
    let portal = Portal::start();
    // Made under version 1 and received: it keeps version 1.
    let made = portal.post_json("/api/dossiers", None, &portal.birth_submission("older-form-received-0001"));
    assert_eq!(made.status, 201, "{}", made.text());
    let mut queued = portal.birth_submission("older-form-queued-00001");
    queued["form_version"] = json!(1);

    // Version 2 asks a new required question.
    let version = portal.publish_form(&with_ethnicity(true));
    assert_eq!(version, 2);

    let refused = portal.post_json("/api/dossiers", None, &queued);
    assert_eq!(refused.status, 400, "{}", refused.text());
    let error = &refused.json()["error"];
    assert!(error["message"].as_str().unwrap().contains("the form changed"), "{error}");
    assert_eq!(error["issues"], json!([{"field": "child_ethnicity", "error": "required"}]), "{error}");
    // Corrected, with the same key, it is received.
    queued["answers"]["child_ethnicity"] = json!("Thái");
    queued["form_version"] = json!(2);
    let received = portal.post_json("/api/dossiers", None, &queued);
    assert_eq!(received.status, 201, "{}", received.text());

    // The dossier made before the change is still read under version 1.
    let agency = form_file()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("lan.check", "Nguyễn Thị Lan", &agency, "officer").status, 201);
    let cookie = portal.sign_in("lan.check");
    let code = made.json()["code"].as_str().unwrap().to_owned();
    let at_desk = portal.request("GET", &format!("/api/desk/dossiers/{code}"), &[("cookie", &cookie)], None).json();
    assert_eq!(at_desk["form_version"], 1, "{at_desk}");
    let v1 = portal.get(&format!("/api/forms/{BIRTH}/versions/1")).json();
    assert!(v1["questions"].as_array().unwrap().iter().all(|q| q["id"] != "child_ethnicity"));
}

#[test]
fn a_bad_form_is_refused_naming_the_problem_and_only_administrators_change_forms() {
    let portal = Portal::start();
    let mut broken = form_file();
    broken["questions"][1]["id"] = broken["questions"][0]["id"].clone();
    let refused = portal.admin("PUT", &format!("/api/admin/forms/{BIRTH}/draft"), Some(&broken));
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert_eq!(refused.json()["error"]["field"], "questions");
    assert!(refused.text().contains("applicant_name") && refused.text().contains("id repeats"), "{}", refused.text());
    // Nothing was saved.
    let history = portal.admin("GET", &format!("/api/admin/forms/{BIRTH}"), None).json();
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");

    let elsewhere = portal.admin("PUT", "/api/admin/forms/1.000656/draft", Some(&form_file()));
    assert_eq!(elsewhere.status, 400, "the path and the form name different procedures: {}", elsewhere.text());
    assert_eq!(elsewhere.json()["error"]["field"], "procedure_code");
    let unpublished = portal.admin("POST", &format!("/api/admin/forms/{BIRTH}/versions/7/publish"), Some(&json!({})));
    assert_eq!(unpublished.status, 404);

    // A supervisor signed in at the desk may not; nobody may without signing in.
    let agency = form_file()["agency_id"].as_str().unwrap().to_owned();
    assert_eq!(portal.create_officer("hoa.sup", "Lê Thị Hoa", &agency, "supervisor").status, 201);
    let cookie = portal.sign_in("hoa.sup");
    let body = form_file().to_string();
    let path = format!("/api/admin/forms/{BIRTH}/draft");
    let supervisor = portal.request("PUT", &path, &[("cookie", &cookie), ("content-type", "application/json")], Some(body.as_bytes()));
    assert_eq!(supervisor.status, 403, "{}", supervisor.text());
    let nobody = portal.request("PUT", &path, &[("content-type", "application/json")], Some(body.as_bytes()));
    assert_eq!(nobody.status, 401, "{}", nobody.text());
}

#[test]
fn an_administrator_publishes_forms_with_the_documented_script() {
    let portal = Portal::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("birth.json");
    std::fs::write(&path, with_ethnicity(false).to_string()).unwrap();
    let run = |args: &[&str]| portal.script("forms", args);
    let (ok, said) = run(&["publish", path.to_str().unwrap(), "--draft"]);
    assert!(ok && said.contains("version 2 saved as a draft"), "{said}");
    assert_eq!(portal.get(&format!("/api/forms/{BIRTH}")).json()["version"], 1);
    let (ok, said) = run(&["publish", path.to_str().unwrap()]);
    assert!(ok && said.contains("version 2 published"), "{said}");
    assert_eq!(portal.get(&format!("/api/forms/{BIRTH}")).json()["version"], 2);
    let (ok, said) = run(&["list"]);
    assert!(ok && said.contains(BIRTH) && said.contains("v2"), "{said}");

    // A broken file is refused with the portal's words, and nothing changes.
    std::fs::write(&path, json!({"procedure_code": BIRTH, "agency_id": "x", "title_vi": "", "questions": []}).to_string()).unwrap();
    let (ok, said) = run(&["publish", path.to_str().unwrap()]);
    assert!(!ok && said.contains("title_vi is empty") && said.contains("no questions"), "{said}");
    assert_eq!(portal.get(&format!("/api/forms/{BIRTH}")).json()["version"], 2);
}
