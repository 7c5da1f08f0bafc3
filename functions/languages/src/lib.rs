//! Languages component: the citizen's languages as the province publishes
//! them, and the translators' studio.
//!
//! Routes (see spin.toml):
//! - `GET /locales/index.json`: every language, its coverage, review state
//!   and published version; the apps build their language menu from it
//! - `GET /locales/{lang}.json`: the published strings (`ETag` = version)
//! - `GET /audio/index.json`, `GET /audio/{lang}/{key}?v=`: published recordings
//! - `/api/translations/…`: the studio, for a translator of the language or
//!   the administrator: the strings beside the Vietnamese, saving, review,
//!   recordings, PO export and import, publishing
//!
//! The strings come from three places: the apps' own (`frontend/locales/vi.json`,
//! compiled in: they change with the code that shows them), the rating
//! criteria (compiled in for the same reason), and the published forms
//! (province data, kept by province-store when a form is published).
//! Everything else here is plain Rust that `cargo test -p languages` runs.

pub mod po;

use motcua_shared::languages::{
    offered, LocaleEntry, RecordingInfo, Review, Source, StoredTranslation, StringGroup, StudioString, LANGUAGES,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const APP_VI: &str = include_str!("../../../frontend/locales/vi.json");
const CRITERIA: &str = include_str!("../../ratings/criteria.json");

/// The apps' strings and the rating criteria, by key.
pub fn compiled_sources() -> Vec<Source> {
    let mut out = Vec::new();
    if let Ok(Value::Object(app)) = serde_json::from_str::<Value>(APP_VI) {
        for (key, vi) in app {
            let (Some(vi), false) = (vi.as_str(), key == "_meta") else { continue };
            let group = if key.starts_with("desk.") { StringGroup::Desk } else { StringGroup::App };
            out.push(Source { key, vi: vi.to_owned(), group });
        }
    }
    #[derive(serde::Deserialize)]
    struct Criterion {
        label_key: String,
        label_vi: String,
    }
    for c in serde_json::from_str::<Vec<Criterion>>(CRITERIA).unwrap_or_default() {
        out.push(Source { key: c.label_key, vi: c.label_vi, group: StringGroup::Rating });
    }
    out
}

/// Every source, the compiled ones and the forms', one per key, sorted by key.
pub fn all_sources(forms: impl IntoIterator<Item = Source>) -> Vec<Source> {
    let mut by_key: BTreeMap<String, Source> = BTreeMap::new();
    for s in forms.into_iter().chain(compiled_sources()) {
        by_key.insert(s.key.clone(), s);
    }
    by_key.into_values().collect()
}

/// The studio's rows: each source beside its translation and recording.
pub fn studio_rows(
    sources: &[Source],
    stored: &BTreeMap<String, StoredTranslation>,
    recordings: &BTreeMap<String, RecordingInfo>,
) -> Vec<StudioString> {
    sources
        .iter()
        .map(|s| {
            let t = stored.get(&s.key);
            StudioString {
                key: s.key.clone(),
                group: s.group,
                vi: s.vi.clone(),
                text: t.map(|t| t.text.clone()).unwrap_or_default(),
                updated_by: t.map(|t| t.updated_by.clone()),
                updated_at: t.map(|t| t.updated_at.clone()),
                reviewed_by: t.and_then(|t| t.reviewed_by.clone()),
                reviewed_at: t.and_then(|t| t.reviewed_at.clone()),
                stale: t.is_some_and(|t| t.source_vi != s.vi),
                recording: recordings.get(&s.key).cloned(),
            }
        })
        .collect()
}

/// The index line a language would have with these rows, as `version`.
pub fn entry_for(code: &str, rows: &[StudioString], version: u32, published_recordings: u32) -> LocaleEntry {
    let lang = LANGUAGES.iter().find(|l| l.code == code);
    let counted = |help: bool| rows.iter().filter(move |r| if help { r.group == StringGroup::Help } else { r.group.counts_for_offering() });
    let done = |r: &&StudioString| !r.text.trim().is_empty();
    let strings = counted(false).count() as u32;
    let translated = counted(false).filter(done).count() as u32;
    let help = counted(true).count() as u32;
    let help_translated = counted(true).filter(done).count() as u32;
    // Reviewed: a person vouched for every citizen string as it reads now.
    let all_reviewed = rows
        .iter()
        .filter(|r| r.group != StringGroup::Desk)
        .all(|r| !r.text.trim().is_empty() && r.reviewed_by.is_some() && !r.stale);
    LocaleEntry {
        code: code.to_owned(),
        name: lang.map_or(code, |l| l.name).to_owned(),
        script: lang.map_or("Latn", |l| l.script).to_owned(),
        review: if all_reviewed { Review::Reviewed } else { Review::Draft },
        version,
        strings,
        translated,
        help,
        help_translated,
        recordings: published_recordings,
        offered: offered(translated, strings),
    }
}

/// The locale file citizens fetch: `_meta` and every translated string.
pub fn locale_file(entry: &LocaleEntry, rows: &[StudioString]) -> String {
    let mut file = Map::new();
    let review = match entry.review {
        Review::Reviewed => "reviewed",
        Review::Draft => "draft",
    };
    file.insert("_meta".into(), serde_json::json!({ "name": entry.name, "review": review, "script": entry.script, "version": entry.version }));
    for r in rows.iter().filter(|r| !r.text.trim().is_empty()) {
        file.insert(r.key.clone(), Value::String(r.text.clone()));
    }
    Value::Object(file).to_string()
}

/// The index line of a language never published.
pub fn unpublished(code: &str, rows_for_counts: &[Source]) -> LocaleEntry {
    let rows: Vec<StudioString> = studio_rows(rows_for_counts, &BTreeMap::new(), &BTreeMap::new());
    entry_for(code, &rows, 0, 0)
}

/// Vietnamese, built into the apps: always offered, always whole.
pub fn vietnamese(sources: &[Source]) -> LocaleEntry {
    let count = |f: &dyn Fn(StringGroup) -> bool| sources.iter().filter(|s| f(s.group)).count() as u32;
    let strings = count(&|g| g.counts_for_offering());
    let help = count(&|g| g == StringGroup::Help);
    LocaleEntry {
        code: "vi".into(),
        name: LANGUAGES[0].name.into(),
        script: LANGUAGES[0].script.into(),
        review: Review::Reviewed,
        version: 0,
        strings,
        translated: strings,
        help,
        help_translated: help,
        recordings: 0,
        offered: true,
    }
}

/// A locale file's strings (`_meta` left out), for importing one.
pub fn read_locale_file(json: &str) -> Option<BTreeMap<String, String>> {
    let Value::Object(map) = serde_json::from_str(json).ok()? else { return None };
    Some(map.into_iter().filter(|(k, _)| k != "_meta").filter_map(|(k, v)| Some((k, v.as_str()?.to_owned()))).collect())
}

#[cfg(target_arch = "wasm32")]
mod handler;

#[cfg(test)]
mod tests {
    use super::*;

    fn source(key: &str, vi: &str, group: StringGroup) -> Source {
        Source { key: key.into(), vi: vi.into(), group }
    }

    #[test]
    fn the_compiled_sources_hold_the_apps_strings_and_the_criteria() {
        let all = compiled_sources();
        assert!(all.iter().any(|s| s.key == "search.submit" && s.group == StringGroup::App));
        assert!(all.iter().any(|s| s.key.starts_with("desk.") && s.group == StringGroup::Desk));
        assert!(all.iter().any(|s| s.key == "rating.criterion.overall" && s.group == StringGroup::Rating));
        assert!(all.iter().all(|s| s.key != "_meta" && !s.vi.trim().is_empty()));
    }

    #[test]
    fn coverage_counts_the_interface_and_the_help_apart_and_never_the_desk() {
        let sources = vec![
            source("a.one", "Một", StringGroup::App),
            source("form.x", "Câu hỏi", StringGroup::Form),
            source("form.x.help", "Giúp", StringGroup::Help),
            source("desk.y", "Bàn", StringGroup::Desk),
        ];
        let mut stored = BTreeMap::new();
        stored.insert("a.one".into(), StoredTranslation { text: "One".into(), source_vi: "Một".into(), reviewed_by: Some("t".into()), ..Default::default() });
        stored.insert("desk.y".into(), StoredTranslation { text: "Desk".into(), source_vi: "Bàn".into(), ..Default::default() });
        let rows = studio_rows(&sources, &stored, &BTreeMap::new());
        let e = entry_for("hmn", &rows, 3, 0);
        assert_eq!((e.strings, e.translated, e.help, e.help_translated), (2, 1, 1, 0));
        assert!(!e.offered, "half is not 90%");
        assert_eq!(e.review, Review::Draft);
        assert_eq!(e.name, "Lus Hmoob");
        stored.insert("form.x".into(), StoredTranslation { text: "Question".into(), source_vi: "Câu hỏi".into(), reviewed_by: Some("t".into()), ..Default::default() });
        let rows = studio_rows(&sources, &stored, &BTreeMap::new());
        let e = entry_for("hmn", &rows, 4, 0);
        assert!(e.offered, "every interface string: offered, help or not");
        assert_eq!(e.review, Review::Draft, "the help text is not reviewed");
        let file: Value = serde_json::from_str(&locale_file(&e, &rows)).unwrap();
        assert_eq!(file["form.x"], "Question");
        assert_eq!(file["desk.y"], "Desk", "the desk's English reaches the desk");
        assert_eq!(file["_meta"]["review"], "draft");
        assert!(file.get("form.x.help").is_none());
    }

    #[test]
    fn a_translation_of_an_older_vietnamese_is_stale() {
        let sources = vec![source("a.one", "Một mới", StringGroup::App)];
        let mut stored = BTreeMap::new();
        stored.insert("a.one".into(), StoredTranslation { text: "One".into(), source_vi: "Một".into(), reviewed_by: Some("t".into()), ..Default::default() });
        let rows = studio_rows(&sources, &stored, &BTreeMap::new());
        assert!(rows[0].stale);
        assert_eq!(entry_for("en", &rows, 1, 0).review, Review::Draft, "stale is not reviewed");
    }

    #[test]
    fn vietnamese_is_whole_and_a_language_never_published_is_empty() {
        let sources = all_sources([source("form.x", "Câu hỏi", StringGroup::Form)]);
        let vi = vietnamese(&sources);
        assert!(vi.offered && vi.translated == vi.strings && vi.strings > 100);
        let blt = unpublished("blt", &sources);
        assert_eq!((blt.translated, blt.version, blt.offered), (0, 0, false));
        assert_eq!(blt.strings, vi.strings);
        assert_eq!(read_locale_file(r#"{"_meta":{"name":"x"},"a.b":"c","n":1}"#).unwrap().into_iter().collect::<Vec<_>>(), vec![("a.b".to_owned(), "c".to_owned())]);
    }
}
