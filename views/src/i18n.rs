//! Interface text in Vietnamese (the default), English, H'Mông, Thái (Tai Dam,
//! Tai Viet script), Khmer, Ê Đê and Jrai.
//!
//! Vietnamese (`locales/vi.json`) is built into the app: it is the source the
//! province's translators translate from. Every other language is province
//! data, published from the studio (`/desk/studio`, the languages function)
//! and fetched as `/locales/<code>.json?v=<version>` when chosen; the menu
//! offers only the languages `/locales/index.json` says cover 90% of the
//! interface (`state.rs`). The files in `locales/` other than `vi.json` are the
//! first versions a new portal publishes. A file is flat keys to strings plus a
//! `_meta` entry (`name` in the language itself, `review`: "reviewed" or
//! "draft", `script`). A string a language lacks (or leaves blank) falls back
//! to Vietnamese, one string at a time, so a half-finished translation is
//! still usable.
//!
//! The H'Mông file is written in RPA (Romanized Popular Alphabet, "Lus Hmoob"),
//! which most Hmong readers in Vietnam also read and which phones type without
//! special keyboards. Every language but Vietnamese is "draft" until a native
//! speaker reviews it; the Tai Dam, Ê Đê and Jrai files hold only the few
//! strings we could write with confidence, and the rest shows in Vietnamese.
//! Tai Viet and Khmer letters need fonts many phones lack: [`Lang::font`] names
//! the one the app loads when, and only when, such a language is chosen.
//!
//! Hand-written rather than leptos_i18n: we want a runtime, per-string fallback
//! to Vietnamese (leptos_i18n resolves fallbacks at compile time, per locale),
//! a review state per language that the page can show, and a coverage report
//! that translators can read; its codegen and ICU plural support also add build
//! time and bundle size that this small app does not need. The
//! app looks strings up with `ui.t(…)` or `ui.tr(…)` and a literal key (never a built one), so
//! the test below finds every key the code uses by scanning the sources.
//!
//! Nothing here touches the browser, so `cargo test -p motcua-views` runs it natively;
//! the server's pages (`functions/pages`) look strings up the same way.

use serde::Deserialize;
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
    Hmn,
    /// Thái (Tai Dam), in the Tai Viet script: needs the Noto Sans Tai Viet font.
    Blt,
    /// Khmer, in the Khmer script: needs the Noto Sans Khmer font.
    Km,
    /// Ê Đê (Rade), Latin script.
    Rad,
    /// Jrai, Latin script.
    Jra,
}

impl Lang {
    pub const ALL: [Lang; 7] = [Lang::Vi, Lang::En, Lang::Hmn, Lang::Blt, Lang::Km, Lang::Rad, Lang::Jra];

    /// The BCP 47 tag, used for `<html lang>`, the language menu and storage.
    pub fn code(self) -> &'static str {
        motcua_shared::languages::LANGUAGES[self.index()].code
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The language's name in itself, for the language menu before its file
    /// is fetched (a test checks it equals the file's `_meta.name`).
    pub fn name(self) -> &'static str {
        motcua_shared::languages::LANGUAGES[self.index()].name
    }

    /// The web font a script needs that phones often lack, loaded only when
    /// the language is chosen (`public/fonts/<name>.css`).
    pub fn font(self) -> Option<&'static str> {
        match self {
            Lang::Blt => Some("tai-viet"),
            Lang::Km => Some("khmer"),
            _ => None,
        }
    }

    /// The file's `_meta`, once its strings are here.
    pub fn meta(self) -> Option<&'static Meta> {
        loaded(self).map(|l| &l.meta)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    Reviewed,
    Draft,
}

#[derive(Debug, Deserialize)]
pub struct Meta {
    /// The language's name in itself ("Tiếng Việt", "English", "Lus Hmoob").
    pub name: String,
    pub review: Review,
    #[allow(dead_code)] // read by translators and the coverage report
    pub script: String,
}

pub struct Locale {
    pub meta: Meta,
    pub strings: BTreeMap<String, String>,
}

/// `{"_meta": {...}, "key": "text", ...}` without going through `serde_json::Value`.
impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LocaleVisitor;
        impl<'de> Visitor<'de> for LocaleVisitor {
            type Value = Locale;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of strings with a _meta entry")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Locale, A::Error> {
                let mut meta = None;
                let mut strings = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "_meta" {
                        meta = Some(map.next_value()?);
                    } else {
                        let text: String = map.next_value()?;
                        strings.insert(key, text);
                    }
                }
                let meta = meta.ok_or_else(|| A::Error::missing_field("_meta"))?;
                Ok(Locale { meta, strings })
            }
        }
        deserializer.deserialize_map(LocaleVisitor)
    }
}

/// Built in: every string falls back to it.
const VIETNAMESE: &str = include_str!("../../frontend/locales/vi.json");

/// The strings of each language once here, in the order of [`Lang::ALL`].
static LOADED: [OnceLock<Locale>; 7] = [const { OnceLock::new() }; 7];

fn loaded(lang: Lang) -> Option<&'static Locale> {
    let slot = &LOADED[lang.index()];
    if lang == Lang::Vi {
        // The tests parse every file, so a broken file fails `cargo test`, not the citizen's phone.
        return Some(slot.get_or_init(|| serde_json::from_str(VIETNAMESE).expect("vi.json is valid")));
    }
    slot.get()
}

/// Whether `lang`'s strings are here (Vietnamese always is).
pub fn is_loaded(lang: Lang) -> bool {
    loaded(lang).is_some()
}

/// Takes a fetched locale file; false if it does not parse (then Vietnamese shows).
pub fn install(lang: Lang, json: &str) -> bool {
    match serde_json::from_str::<Locale>(json) {
        Ok(locale) => {
            let _ = LOADED[lang.index()].set(locale);
            true
        }
        Err(_) => false,
    }
}

/// The text for `key` in `lang`, else in Vietnamese. Never the raw key and
/// never blank: a key missing from vi.json fails the tests.
pub fn text(lang: Lang, key: &str) -> &'static str {
    let vi = loaded(Lang::Vi).expect("Vietnamese is built in");
    lookup(loaded(lang), vi, key)
}

fn lookup<'a>(chosen: Option<&'a Locale>, vi: &'a Locale, key: &str) -> &'a str {
    chosen
        .into_iter()
        .chain([vi])
        .find_map(|l| l.strings.get(key).filter(|s| !s.trim().is_empty()))
        .map_or("…", String::as_str)
}

/// A form's own label key (`form.…`, named in the form file, not in the code):
/// the text in `lang`, else in Vietnamese, else `None` (the caller shows the
/// form's Vietnamese label).
pub fn form_text(lang: Lang, key: &str) -> Option<&'static str> {
    [lang, Lang::Vi].into_iter().filter_map(loaded).find_map(|l| l.strings.get(key).filter(|s| !s.trim().is_empty())).map(String::as_str)
}

/// Replaces `{name}` placeholders: `fill("Trang {page}", &[("page", "2")])`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn repo() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// Where the locale files, the shells, boot.js and the service worker are.
    fn frontend() -> std::path::PathBuf {
        repo().join("frontend")
    }

    /// Every literal key passed to the lookup calls (`t` or `tr`, then a quoted key) in the sources.
    fn keys_used_in_sources() -> BTreeSet<String> {
        fn walk(dir: &Path, files: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, files);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let mut files = Vec::new();
        // The app, these shared views and the server's pages all look strings up.
        for dir in ["views/src", "frontend/src", "functions/pages/src"] {
            walk(&repo().join(dir), &mut files);
        }
        let mut keys = BTreeSet::new();
        for src in files {
            // A `("` right after the identifier `t` or `tr` starts a key.
            for (at, _) in src.match_indices("(\"") {
                let ident = src[..at].rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
                if ident == "t" || ident == "tr" {
                    let after = &src[at + 2..];
                    if let Some(end) = after.find('"') {
                        keys.insert(after[..end].to_owned());
                    }
                }
            }
        }
        keys
    }

    /// Every file, read from disk (the app itself fetches them one by one).
    fn locales() -> Vec<Locale> {
        Lang::ALL
            .iter()
            .map(|l| {
                let path = frontend().join(format!("locales/{}.json", l.code()));
                let json = std::fs::read_to_string(&path).unwrap();
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            })
            .collect()
    }

    fn placeholders(s: &str) -> BTreeSet<&str> {
        s.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect()
    }

    /// `Lang` names the languages of `shared::languages::LANGUAGES`, in its order.
    #[test]
    fn the_languages_are_the_shared_ones() {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        let shared: Vec<&str> = motcua_shared::languages::LANGUAGES.iter().map(|l| l.code).collect();
        assert_eq!(codes, shared);
        assert_eq!(Lang::parse("blt"), Some(Lang::Blt));
    }

    #[test]
    fn every_locale_parses_with_meta() {
        let all = locales();
        for lang in Lang::ALL {
            let meta = &all[lang.index()].meta;
            assert_eq!(meta.name, lang.name(), "{}: _meta.name and Lang::name", lang.code());
            assert!(!meta.name.trim().is_empty(), "{}: _meta.name", lang.code());
            let script = motcua_shared::languages::LANGUAGES[lang.index()].script;
            assert_eq!(meta.script, script, "{}: _meta.script", lang.code());
            // A script with its own font ships one.
            if let Some(font) = lang.font() {
                let css = frontend().join(format!("public/fonts/{font}.css"));
                assert!(css.exists(), "{} has no {}", lang.code(), css.display());
            }
        }
        assert_eq!(Lang::Vi.meta().map(|m| m.review), Some(Review::Reviewed), "built in");
        assert!(Lang::Hmn.meta().is_none() && text(Lang::Hmn, "search.submit") == text(Lang::Vi, "search.submit"), "not fetched: Vietnamese");
        assert!(install(Lang::Hmn, &std::fs::read_to_string(frontend().join("locales/hmn.json")).unwrap()));
        assert_eq!(Lang::Hmn.meta().map(|m| m.name.as_str()), Some("Lus Hmoob"));
        assert_ne!(text(Lang::Hmn, "search.submit"), text(Lang::Vi, "search.submit"));
        assert!(!install(Lang::En, "{\"no\": \"meta\"}"), "a broken file is refused");
    }

    /// The shells' boot script (which starts fetching the chosen language's
    /// file) and the service worker (which keeps every file for offline use)
    /// list the languages in JavaScript: they must list exactly Lang::ALL.
    #[test]
    fn the_boot_script_and_the_service_worker_know_every_language() {
        let codes: Vec<String> = Lang::ALL.iter().skip(1).map(|l| format!("'{}'", l.code())).collect();
        let expected = format!("[{}]", codes.join(", "));
        let dir = frontend();
        let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(sw.contains(&format!("const LOCALES = {expected}")), "sw.js LOCALES must be {expected}");
        let boot = std::fs::read_to_string(dir.join("boot.js")).unwrap();
        assert!(boot.contains(&expected.replace('\'', "\"")), "boot.js must list {expected}");
        for shell in ["index.html", "dossier.html", "desk.html"] {
            let html = std::fs::read_to_string(dir.join(shell)).unwrap();
            assert!(html.contains(r#"<link data-trunk rel="inline" href="boot.js">"#), "{shell} must inline boot.js");
        }
    }

    #[test]
    fn every_key_used_in_the_code_is_in_vietnamese() {
        let used = keys_used_in_sources();
        assert!(used.len() > 40, "the scan found only {} keys: has the lookup pattern changed?", used.len());
        let all = locales();
        let vi = &all[Lang::Vi.index()].strings;
        let missing: Vec<_> = used.iter().filter(|k| vi.get(*k).is_none_or(|s| s.trim().is_empty())).collect();
        assert!(missing.is_empty(), "keys used in src/ but missing or blank in vi.json: {missing:?}");
        let unused: Vec<_> = vi.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "keys in vi.json that no code uses (remove them): {unused:?}");
    }

    #[test]
    fn translations_keep_the_placeholders() {
        let all = locales();
        let vi = &all[Lang::Vi.index()].strings;
        for lang in Lang::ALL.into_iter().skip(1) {
            for (key, text) in &all[lang.index()].strings {
                if let Some(source) = vi.get(key) {
                    assert_eq!(placeholders(text), placeholders(source), "{}.json: {key}", lang.code());
                }
            }
        }
    }

    /// H'Mông and Khmer are meant to be read alone, from the first page to the
    /// printed receipt: every string but the officers' desk (`desk.*`, which
    /// stays Vietnamese) is translated, so a new key cannot slip in untranslated.
    #[test]
    fn hmong_and_khmer_cover_every_citizen_string() {
        let all = locales();
        let vi = &all[Lang::Vi.index()].strings;
        for lang in [Lang::Hmn, Lang::Km] {
            let strings = &all[lang.index()].strings;
            let missing: Vec<_> = vi
                .keys()
                .filter(|k| !k.starts_with("desk.") && strings.get(*k).is_none_or(|s| s.trim().is_empty()))
                .collect();
            assert!(missing.is_empty(), "{}.json lacks citizen strings: {missing:?}", lang.code());
        }
    }

    /// Run with `cargo test -p motcua-frontend coverage -- --nocapture` to read it.
    #[test]
    fn coverage_report() {
        let all = locales();
        let vi = &all[Lang::Vi.index()].strings;
        println!("translation coverage against vi.json ({} keys):", vi.len());
        for lang in Lang::ALL.into_iter().skip(1) {
            let strings = &all[lang.index()].strings;
            let missing: Vec<_> =
                vi.keys().filter(|k| strings.get(*k).is_none_or(|s| s.trim().is_empty())).collect();
            let stale: Vec<_> = strings.keys().filter(|k| !vi.contains_key(*k)).collect();
            println!(
                "  {} ({:?}): {}/{} translated; missing (shown in Vietnamese): {:?}; not in vi.json: {:?}",
                lang.code(),
                all[lang.index()].meta.review,
                vi.len() - missing.len(),
                vi.len(),
                missing,
                stale
            );
        }
    }

    #[test]
    fn a_missing_string_falls_back_to_vietnamese() {
        let parse = |s: &str| serde_json::from_str::<Locale>(s).unwrap();
        let meta = r#""_meta":{"name":"x","review":"draft","script":"Latn"}"#;
        let vi = parse(&format!(r#"{{{meta},"a":"Việt a","b":"Việt b"}}"#));
        let hmn = parse(&format!(r#"{{{meta},"a":"Hmoob a","b":"  ","c":"Hmoob c"}}"#));
        assert_eq!(lookup(Some(&hmn), &vi, "a"), "Hmoob a");
        assert_eq!(lookup(Some(&hmn), &vi, "b"), "Việt b", "blank counts as missing");
        assert_eq!(lookup(None, &vi, "a"), "Việt a", "not fetched yet");
        assert_eq!(lookup(Some(&hmn), &vi, "nowhere"), "…");
        assert!(serde_json::from_str::<Locale>(r#"{"a":"b"}"#).is_err(), "_meta is required");
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(fill("Trang {page} / {pages}.", &[("page", "2"), ("pages", "7")]), "Trang 2 / 7.");
        assert_eq!(Lang::parse("hmn"), Some(Lang::Hmn));
        assert_eq!(Lang::parse("fr"), None);
    }
}
