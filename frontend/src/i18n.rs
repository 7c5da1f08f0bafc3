//! Interface text in Vietnamese (the default), English, H'Mông, Thái (Tai Dam,
//! Tai Viet script), Khmer, Ê Đê and Jrai.
//!
//! Translators edit `locales/*.json`: flat keys to strings, plus a `_meta`
//! entry (`name` in the language itself, `review`: "reviewed" or "draft",
//! `script`). The files are embedded at build time and parsed once. A string a
//! language lacks (or leaves blank) falls back to Vietnamese, one string at a
//! time, so a half-finished translation is still usable.
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
//! Nothing here touches the browser, so `cargo test -p motcua-frontend` runs it natively.

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
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
            Lang::Hmn => "hmn",
            Lang::Blt => "blt",
            Lang::Km => "km",
            Lang::Rad => "rad",
            Lang::Jra => "jra",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn index(self) -> usize {
        self as usize
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

    pub fn meta(self) -> &'static Meta {
        &locales()[self.index()].meta
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

/// In the order of [`Lang::ALL`].
const SOURCES: [&str; 7] = [
    include_str!("../locales/vi.json"),
    include_str!("../locales/en.json"),
    include_str!("../locales/hmn.json"),
    include_str!("../locales/blt.json"),
    include_str!("../locales/km.json"),
    include_str!("../locales/rad.json"),
    include_str!("../locales/jra.json"),
];

fn locales() -> &'static [Locale; 7] {
    static LOCALES: OnceLock<[Locale; 7]> = OnceLock::new();
    // The tests parse every file, so a broken file fails `cargo test`, not the citizen's phone.
    LOCALES.get_or_init(|| SOURCES.map(|s| serde_json::from_str(s).expect("locale files are valid")))
}

/// The text for `key` in `lang`, else in Vietnamese, else in English. Never the
/// raw key and never blank: a key missing from vi.json fails the tests.
pub fn text(lang: Lang, key: &str) -> &'static str {
    lookup(locales(), lang, key)
}

fn lookup<'a>(all: &'a [Locale], lang: Lang, key: &str) -> &'a str {
    [lang, Lang::Vi, Lang::En]
        .into_iter()
        .find_map(|l| all[l.index()].strings.get(key).filter(|s| !s.trim().is_empty()))
        .map_or("…", String::as_str)
}

/// A form's own label key (`form.…`, named in the form file, not in the code):
/// the text in `lang`, else in Vietnamese, else `None` (the caller shows the
/// form's Vietnamese label).
pub fn form_text(lang: Lang, key: &str) -> Option<&'static str> {
    let all = locales();
    [lang, Lang::Vi].into_iter().find_map(|l| all[l.index()].strings.get(key).filter(|s| !s.trim().is_empty())).map(String::as_str)
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
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
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

    fn placeholders(s: &str) -> BTreeSet<&str> {
        s.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect()
    }

    #[test]
    fn every_locale_parses_with_meta() {
        for lang in Lang::ALL {
            let meta = lang.meta();
            assert!(!meta.name.trim().is_empty(), "{}: _meta.name", lang.code());
            let script = match lang {
                Lang::Blt => "Tavt",
                Lang::Km => "Khmr",
                _ => "Latn",
            };
            assert_eq!(meta.script, script, "{}: _meta.script", lang.code());
            // A script with its own font ships one.
            if let Some(font) = lang.font() {
                let css = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("public/fonts/{font}.css"));
                assert!(css.exists(), "{} has no {}", lang.code(), css.display());
            }
        }
        assert_eq!(Lang::Vi.meta().name, "Tiếng Việt");
        assert_eq!(Lang::En.meta().name, "English");
        assert_eq!(Lang::Hmn.meta().name, "Lus Hmoob");
        assert_eq!(Lang::Vi.meta().review, Review::Reviewed);
    }

    #[test]
    fn every_key_used_in_the_code_is_in_vietnamese() {
        let used = keys_used_in_sources();
        assert!(used.len() > 40, "the scan found only {} keys: has the lookup pattern changed?", used.len());
        let vi = &locales()[Lang::Vi.index()].strings;
        let missing: Vec<_> = used.iter().filter(|k| vi.get(*k).is_none_or(|s| s.trim().is_empty())).collect();
        assert!(missing.is_empty(), "keys used in src/ but missing or blank in vi.json: {missing:?}");
        let unused: Vec<_> = vi.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "keys in vi.json that no code uses (remove them): {unused:?}");
    }

    #[test]
    fn translations_keep_the_placeholders() {
        let vi = &locales()[Lang::Vi.index()].strings;
        for lang in [Lang::En, Lang::Hmn] {
            for (key, text) in &locales()[lang.index()].strings {
                if let Some(source) = vi.get(key) {
                    assert_eq!(placeholders(text), placeholders(source), "{}.json: {key}", lang.code());
                }
            }
        }
    }

    /// Run with `cargo test -p motcua-frontend coverage -- --nocapture` to read it.
    #[test]
    fn coverage_report() {
        let vi = &locales()[Lang::Vi.index()].strings;
        println!("translation coverage against vi.json ({} keys):", vi.len());
        for lang in Lang::ALL.into_iter().skip(1) {
            let strings = &locales()[lang.index()].strings;
            let missing: Vec<_> =
                vi.keys().filter(|k| strings.get(*k).is_none_or(|s| s.trim().is_empty())).collect();
            let stale: Vec<_> = strings.keys().filter(|k| !vi.contains_key(*k)).collect();
            println!(
                "  {} ({:?}): {}/{} translated; missing (shown in Vietnamese): {:?}; not in vi.json: {:?}",
                lang.code(),
                lang.meta().review,
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
        let all = [
            parse(&format!(r#"{{{meta},"a":"Việt a","b":"Việt b"}}"#)),
            parse(&format!(r#"{{{meta},"a":"English a","c":"English c"}}"#)),
            parse(&format!(r#"{{{meta},"a":"Hmoob a","b":"  "}}"#)),
        ];
        assert_eq!(lookup(&all, Lang::Hmn, "a"), "Hmoob a");
        assert_eq!(lookup(&all, Lang::Hmn, "b"), "Việt b", "blank counts as missing");
        assert_eq!(lookup(&all, Lang::En, "b"), "Việt b");
        assert_eq!(lookup(&all, Lang::Vi, "c"), "English c");
        assert_eq!(lookup(&all, Lang::Vi, "nowhere"), "…");
        assert!(serde_json::from_str::<Locale>(r#"{"a":"b"}"#).is_err(), "_meta is required");
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(fill("Trang {page} / {pages}.", &[("page", "2"), ("pages", "7")]), "Trang 2 / 7.");
        assert_eq!(Lang::parse("hmn"), Some(Lang::Hmn));
        assert_eq!(Lang::parse("fr"), None);
    }
}
