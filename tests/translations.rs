//! The province's translators bring a language to its citizens: the menu
//! offers only languages that cover 90% of the interface; a translator of one
//! language edits, reviews, exports and imports PO files, records voices and
//! publishes, without a rebuild; the phone takes the new version by its cache
//! tag; a translator sees no dossier; every step is in the audit trail. The
//! real languages, admin and desk components on the portal.

use journeys::{Portal, Reply, placeholders};
use serde_json::{Value, json};

const AGENCY: &str = "000.21.06.H56";

fn entry(index: &Value, code: &str) -> Value {
    index["languages"].as_array().unwrap().iter().find(|e| e["code"] == code).cloned().unwrap_or_else(|| panic!("{code} is not listed: {index}"))
}

/// A translator account for `language`, signed in: its session cookie.
fn translator(portal: &Portal, username: &str, language: &str) -> String {
    let created = portal.admin(
        "POST",
        "/api/admin/officers",
        Some(&json!({"username": username, "display_name": "Lò Văn Páo", "agency_id": AGENCY, "role": "translator", "language": language})),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    let password = created.json()["temporary_password"].as_str().unwrap().to_owned();
    let signed = portal.post_json("/api/desk/session", None, &json!({"username": username, "password": password}));
    assert_eq!(signed.status, 200, "{}", signed.text());
    signed.header("set-cookie").unwrap().split(';').next().unwrap().to_owned()
}

fn as_cookie(portal: &Portal, cookie: &str, method: &str, path: &str, body: Option<Value>) -> Reply {
    let body = body.map(|b| b.to_string());
    portal.request(method, path, &[("cookie", cookie), ("content-type", "application/json")], body.as_deref().map(str::as_bytes))
}


#[test]
fn the_menu_offers_only_languages_that_read_through() {
    let portal = Portal::start();
    let index = portal.get("/locales/index.json");
    assert_eq!(index.status, 200, "{}", index.text());
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let index = index.json();
    let vi = entry(&index, "vi");
    assert_eq!((vi["offered"].clone(), vi["review"].clone()), (json!(true), json!("reviewed")));
    for code in ["en", "hmn", "km"] {
        let e = entry(&index, code);
        assert_eq!(e["offered"], true, "{code} covers the interface: {e}");
        assert_eq!(e["translated"], e["strings"], "{code}: {e}");
        assert_eq!(e["review"], "draft", "no native speaker has reviewed {code} yet");
        assert!(e["version"].as_u64().unwrap() >= 1);
    }
    // Thái, Ê Đê and Jrai hold a name or two: not offered, their coverage said.
    for code in ["blt", "rad", "jra"] {
        let e = entry(&index, code);
        assert_eq!(e["offered"], false, "{code}: {e}");
        assert!(e["translated"].as_u64().unwrap() * 10 < e["strings"].as_u64().unwrap(), "{code}: {e}");
    }
    // A language's strings, with its version as the cache tag: a phone that has it gets a 304.
    let hmn = portal.get("/locales/hmn.json");
    assert_eq!(hmn.status, 200);
    assert_eq!(hmn.json()["_meta"]["name"], "Lus Hmoob");
    let tag = hmn.header("etag").expect("an ETag").to_owned();
    let again = portal.request("GET", "/locales/hmn.json", &[("if-none-match", &tag)], None);
    assert_eq!(again.status, 304);
    assert_eq!(portal.get("/locales/fr.json").status, 404);
    assert_eq!(portal.get("/locales/vi.json").status, 404, "Vietnamese is built into the apps");
}

#[test]
fn a_translator_brings_thai_to_ninety_percent_and_citizens_get_it_without_a_rebuild() {
    let portal = Portal::start();
    let cookie = translator(&portal, "pao.lo", "blt");
    let me = as_cookie(&portal, &cookie, "GET", "/api/desk/me", None);
    assert_eq!((me.status, me.json()["role"].clone(), me.json()["language"].clone()), (200, json!("translator"), json!("blt")));

    // A translator sees no dossier and no other language.
    assert_eq!(as_cookie(&portal, &cookie, "GET", "/api/desk/dossiers?filter=open", None).status, 401);
    assert_eq!(as_cookie(&portal, &cookie, "GET", "/api/translations/km", None).status, 403);
    assert_eq!(as_cookie(&portal, &cookie, "GET", "/api/admin/audit", None).status, 403);
    let mine = as_cookie(&portal, &cookie, "GET", "/api/translations", None).json();
    assert_eq!(mine["languages"].as_array().unwrap().iter().map(|e| e["code"].clone()).collect::<Vec<_>>(), vec![json!("blt")]);

    // Every citizen string beside the Vietnamese: the apps', the forms' with their help, the criteria.
    let studio = as_cookie(&portal, &cookie, "GET", "/api/translations/blt", None).json();
    let strings = studio["strings"].as_array().unwrap();
    for (key, group) in [("search.submit", "app"), ("form.common.applicant_name", "form"), ("form.common.applicant_name.help", "help"), ("rating.criterion.overall", "rating")] {
        let s = strings.iter().find(|s| s["key"] == key).unwrap_or_else(|| panic!("{key} is not in the studio"));
        assert_eq!(s["group"], group, "{key}");
        assert!(!s["vi"].as_str().unwrap().is_empty());
    }
    assert_eq!(studio["published"]["offered"], false);
    let was = studio["published"]["version"].as_u64().unwrap();

    // One string typed: its placeholders are checked, naming the field.
    let with_count = strings.iter().find(|s| s["vi"].as_str().unwrap().contains('{') && s["group"] == "app").unwrap();
    let key = with_count["key"].as_str().unwrap();
    let lost = as_cookie(&portal, &cookie, "PUT", &format!("/api/translations/blt/strings/{key}"), Some(json!({"text": "ꪼꪕ"})));
    assert_eq!((lost.status, lost.json()["error"]["field"].clone()), (400, json!("text")), "{}", lost.text());
    let kept = format!("ꪼꪕ {}", placeholders(with_count["vi"].as_str().unwrap()));
    let saved = as_cookie(&portal, &cookie, "PUT", &format!("/api/translations/blt/strings/{key}"), Some(json!({"text": kept, "reviewed": true})));
    assert_eq!(saved.status, 200, "{}", saved.text());
    assert_eq!((saved.json()["reviewed_by"].clone(), saved.json()["text"].clone()), (json!("pao.lo"), json!(kept)));

    // The rest through a PO file, as a translation team's tool would return it.
    let po = as_cookie(&portal, &cookie, "GET", "/api/translations/blt/po", None);
    assert_eq!(po.status, 200);
    assert!(po.header("content-disposition").unwrap().contains("motcua-blt.po"));
    let po = po.text();
    assert!(po.contains("msgctxt \"search.submit\""), "{}", &po[..400.min(po.len())]);
    let filled = fill_po(&po);
    let imported = as_cookie(&portal, &cookie, "POST", "/api/translations/blt/import", Some(json!({"format": "po", "text": filled})));
    assert_eq!(imported.status, 200, "{}", imported.text());
    let report = imported.json();
    assert!(report["applied"].as_u64().unwrap() > 300, "{report}");
    assert_eq!(report["refused"], json!([]), "{report}");
    let bad = as_cookie(&portal, &cookie, "POST", "/api/translations/blt/import", Some(json!({"format": "po", "text": "msgid \"\"\nmsgstr \"Language: blt\\n\"\n\nmsgctxt \"search.submit\"\nmsgid \"Tìm\"\nmsgstr \"{oops}\"\n\nmsgctxt \"no.such.key\"\nmsgid \"x\"\nmsgstr \"y\"\n"})));
    assert_eq!(bad.json()["refused"][0]["key"], "search.submit", "{}", bad.text());
    assert_eq!(bad.json()["unknown"], json!(["no.such.key"]));

    // Not yet published: citizens still do not have it.
    assert_eq!(entry(&portal.get("/locales/index.json").json(), "blt")["offered"], false);
    assert!(portal.get("/locales/blt.json").json().get("search.submit").is_none(), "the published file is as it was");

    // A voice for the first question, checked by its bytes and size.
    let question = "form.common.applicant_name";
    let audio = |bytes: &[u8], kind: &str| {
        portal.request("PUT", &format!("/api/translations/blt/recordings/{question}"), &[("cookie", &cookie), ("content-type", kind)], Some(bytes))
    };
    let webm = [&[0x1A, 0x45, 0xDF, 0xA3][..], &[0x9F; 2000][..]].concat();
    assert_eq!(audio(b"<script>alert(1)</script>", "audio/webm").status, 400);
    assert_eq!(audio(&webm, "text/plain").json()["error"]["field"], "content-type");
    assert_eq!(audio(&vec![0x1A; 400 * 1024], "audio/webm").status, 413);
    let recorded = audio(&webm, "audio/webm;codecs=opus");
    assert_eq!(recorded.status, 201, "{}", recorded.text());
    assert_eq!((recorded.json()["published"].clone(), recorded.json()["bytes"].clone()), (json!(false), json!(webm.len())));
    let listen = as_cookie(&portal, &cookie, "GET", &format!("/api/translations/blt/recordings/{question}"), None);
    assert_eq!((listen.status, listen.body.clone()), (200, webm.clone()), "listens back before publishing");
    assert_eq!(portal.get("/audio/index.json").json().get("blt"), None, "not published yet");

    // Published: the menu offers Thái, the file and the voice are served, with new cache tags.
    let published = as_cookie(&portal, &cookie, "POST", "/api/translations/blt/publish", Some(json!({})));
    assert_eq!(published.status, 200, "{}", published.text());
    assert_eq!((published.json()["version"].clone(), published.json()["offered"].clone()), (json!(was + 1), json!(true)));
    let index = portal.get("/locales/index.json").json();
    assert_eq!(entry(&index, "blt")["offered"], true);
    let file = portal.get("/locales/blt.json");
    assert_eq!(file.json()[key], kept);
    assert_eq!(file.json()["search.submit"], "ꪼꪕ");
    let first_tag = file.header("etag").unwrap().to_owned();
    let voices = portal.get("/audio/index.json").json();
    assert_eq!(voices["blt"][question]["v"], 1, "{voices}");
    let voice = portal.get(&format!("/audio/blt/{question}?v=1"));
    assert_eq!((voice.status, voice.header("content-type")), (200, Some("audio/webm")));
    assert_eq!(voice.body, webm);
    assert!(voice.header("cache-control").unwrap().contains("immutable"));

    // A new take waits beside the published one; discarded, the published one remains.
    assert_eq!(audio(&webm, "audio/webm").json()["published"], false);
    let discarded = as_cookie(&portal, &cookie, "DELETE", &format!("/api/translations/blt/recordings/{question}"), None);
    assert_eq!(discarded.status, 200, "{}", discarded.text());
    assert_eq!(discarded.json()["published"], true, "the published recording remains: {}", discarded.text());
    assert_eq!(as_cookie(&portal, &cookie, "DELETE", &format!("/api/translations/blt/recordings/{question}"), None).status, 404);

    // A correction reaches phones that kept the first version: the tag changed.
    as_cookie(&portal, &cookie, "PUT", "/api/translations/blt/strings/search.submit", Some(json!({"text": "ꪼꪕꪒ", "reviewed": true})));
    as_cookie(&portal, &cookie, "POST", "/api/translations/blt/publish", Some(json!({})));
    let stale = portal.request("GET", "/locales/blt.json", &[("if-none-match", &first_tag)], None);
    assert_eq!(stale.status, 200);
    assert_eq!(stale.json()["search.submit"], "ꪼꪕꪒ");

    // Every step in the audit trail, under the translator's name.
    let audit = portal.admin("GET", "/api/admin/audit", None).json();
    let actions: Vec<(String, String)> = audit
        .as_array()
        .or(audit["entries"].as_array())
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "pao.lo")
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["subject"].as_str().unwrap().to_owned()))
        .collect();
    for wanted in ["translation.save", "translation.import", "recording.save", "recording.discard", "translation.publish"] {
        assert!(actions.iter().any(|(a, _)| a == wanted), "{wanted} not in {actions:?}");
    }
}

/// Fills every entry's `msgstr` with Tai Viet letters and the entry's placeholders.
fn fill_po(po: &str) -> String {
    let mut out = String::new();
    let mut msgid = String::new();
    let mut in_msgid = false;
    for line in po.lines() {
        if let Some(rest) = line.strip_prefix("msgid ") {
            msgid = rest.trim_matches('"').to_owned();
            in_msgid = true;
            out.push_str(line);
        } else if line.starts_with("msgstr ") {
            in_msgid = false;
            if msgid.is_empty() {
                out.push_str(line); // the header
            } else {
                let p = placeholders(&msgid);
                out.push_str(&format!("msgstr \"{}\"", if p.is_empty() { "ꪼꪕ".to_owned() } else { format!("ꪼꪕ {p}") }));
            }
        } else if in_msgid && line.starts_with('"') {
            msgid.push_str(line.trim_matches('"'));
            out.push_str(line);
        } else if line.starts_with('"') && !msgid.is_empty() {
            // the rest of a multi-line msgstr: replaced above
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
