//! The languages the portal can speak to citizens, and the province's
//! translations of what they read: which languages exist, how much of the
//! citizen's text each covers, when one is offered in the menu, how a
//! translator's text is checked, and how a voice recording is recognised.
//!
//! Vietnamese is the source: every other language is translated from it by
//! the province's translators in the studio (`/desk/studio`), published
//! without a rebuild, and offered to citizens only once it covers
//! [`OFFERED_FROM_PERCENT`] of the interface. A language below that is
//! kept in the studio, not shown to citizens: a menu that offers a language
//! and then shows Vietnamese everywhere is a broken promise.

use serde::{Deserialize, Serialize};

pub struct Language {
    /// BCP 47 tag: `<html lang>`, the locale file's name, storage.
    pub code: &'static str,
    /// The language's name in itself, for the menu.
    pub name: &'static str,
    /// ISO 15924 script.
    pub script: &'static str,
}

/// Every language the portal knows, Vietnamese first. A province offers
/// those its translators bring to [`OFFERED_FROM_PERCENT`].
pub const LANGUAGES: [Language; 7] = [
    Language { code: "vi", name: "Tiếng Việt", script: "Latn" },
    Language { code: "en", name: "English", script: "Latn" },
    Language { code: "hmn", name: "Lus Hmoob", script: "Latn" },
    Language { code: "blt", name: "ꪼꪕꪒꪾ", script: "Tavt" },
    Language { code: "km", name: "ខ្មែរ", script: "Khmr" },
    Language { code: "rad", name: "Klei Êđê", script: "Latn" },
    Language { code: "jra", name: "Tơlơi Jrai", script: "Latn" },
];

/// A language translated from Vietnamese (not Vietnamese itself).
pub fn translated_language(code: &str) -> Option<&'static Language> {
    LANGUAGES.iter().skip(1).find(|l| l.code == code)
}

/// A language is offered to citizens from this share of the interface strings.
pub const OFFERED_FROM_PERCENT: u32 = 90;

/// Whether `translated` of `total` interface strings is enough to offer the language.
pub fn offered(translated: u32, total: u32) -> bool {
    total > 0 && translated * 100 >= total * OFFERED_FROM_PERCENT
}

/// Where a citizen string comes from, for the studio's grouping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StringGroup {
    /// The apps' own text (buttons, pages, errors).
    App,
    /// A form's question or choice label.
    Form,
    /// A form question's help text (`<label_key>.help`).
    Help,
    /// A rating criterion.
    Rating,
    /// The officers' desk (Vietnamese, and English for the province's
    /// partners): translatable, never counted for citizens.
    Desk,
}

impl StringGroup {
    pub const ALL: [StringGroup; 5] = [StringGroup::App, StringGroup::Form, StringGroup::Help, StringGroup::Rating, StringGroup::Desk];

    pub fn as_str(self) -> &'static str {
        match self {
            StringGroup::App => "app",
            StringGroup::Form => "form",
            StringGroup::Help => "help",
            StringGroup::Rating => "rating",
            StringGroup::Desk => "desk",
        }
    }

    pub fn parse(s: &str) -> Option<StringGroup> {
        StringGroup::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// What decides whether a language is offered: the text of every page
    /// and question. Help texts add to a question that already reads in the
    /// language, so they are counted apart; the desk not at all.
    pub fn counts_for_offering(self) -> bool {
        matches!(self, StringGroup::App | StringGroup::Form | StringGroup::Rating)
    }
}

/// A string citizens (or officers) read, in Vietnamese: what is translated.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub key: String,
    pub vi: String,
    pub group: StringGroup,
}

/// A translation as the province keeps it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredTranslation {
    pub key: String,
    pub text: String,
    /// The Vietnamese it was translated from (stale when that has changed).
    pub source_vi: String,
    pub updated_by: String,
    pub updated_at: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
}

/// The key under which a question's help text is translated and recorded.
pub fn help_key(label_key: &str) -> String {
    format!("{label_key}.help")
}

/// Whether `review` is finished for a language: every string checked by a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    Reviewed,
    Draft,
}

/// One language as `/locales/index.json` lists it: what the menu is built from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocaleEntry {
    pub code: String,
    pub name: String,
    pub script: String,
    /// `reviewed` once a person has checked every string published.
    pub review: Review,
    /// The published version (0: never published; Vietnamese is built in).
    pub version: u32,
    /// Interface strings (apps, form labels and choices, rating criteria).
    pub strings: u32,
    pub translated: u32,
    /// Help texts, counted apart.
    pub help: u32,
    pub help_translated: u32,
    /// Recordings published for read-aloud.
    pub recordings: u32,
    /// In the citizens' menu: at least [`OFFERED_FROM_PERCENT`] translated.
    pub offered: bool,
}

impl LocaleEntry {
    pub fn percent(&self) -> u32 {
        (self.translated * 100).checked_div(self.strings).unwrap_or(100)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LocaleIndex {
    pub languages: Vec<LocaleEntry>,
}

/// One string as the studio shows it, beside its Vietnamese.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudioString {
    pub key: String,
    pub group: StringGroup,
    pub vi: String,
    /// Empty when not translated.
    pub text: String,
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    /// The Vietnamese changed after this was translated: check it again.
    pub stale: bool,
    pub recording: Option<RecordingInfo>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordingInfo {
    pub bytes: u32,
    pub mime: String,
    pub recorded_by: String,
    pub recorded_at: String,
    /// Citizens hear it (published); else only the studio.
    pub published: bool,
}

/// A language in the studio: every citizen string, what is published and what is not yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudioLanguage {
    pub code: String,
    pub name: String,
    pub strings: Vec<StudioString>,
    /// What citizens have now.
    pub published: LocaleEntry,
    /// What they would have if it were published now.
    pub draft: LocaleEntry,
}

/// `PUT /api/translations/{lang}/strings/{key}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationEdit {
    /// Empty removes the translation (the string shows in Vietnamese).
    pub text: String,
    /// The translator vouches for it (recorded with their name and the time).
    #[serde(default)]
    pub reviewed: bool,
}

pub const MAX_TRANSLATION_CHARS: usize = 2000;

/// Why a translation cannot be saved: said to the translator with the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TranslationProblem {
    /// `{name}` placeholders must be exactly the Vietnamese ones.
    Placeholders,
    TooLong,
    /// Control characters other than a line break.
    ControlCharacters,
}

impl TranslationProblem {
    pub fn explain(self) -> &'static str {
        match self {
            TranslationProblem::Placeholders => "keep the {placeholders} exactly as in the Vietnamese, each once",
            TranslationProblem::TooLong => "at most 2000 characters",
            TranslationProblem::ControlCharacters => "only letters, signs and line breaks",
        }
    }
}

fn placeholders(s: &str) -> Vec<&str> {
    let mut names: Vec<&str> = s.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect();
    names.sort_unstable();
    names
}

/// Checks a translation of `vi` (an empty one is always fine: it removes it).
pub fn check_translation(vi: &str, text: &str) -> Result<(), TranslationProblem> {
    if text.trim().is_empty() {
        return Ok(());
    }
    if text.chars().count() > MAX_TRANSLATION_CHARS {
        return Err(TranslationProblem::TooLong);
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(TranslationProblem::ControlCharacters);
    }
    if placeholders(vi) != placeholders(text) {
        return Err(TranslationProblem::Placeholders);
    }
    Ok(())
}

/// `POST /api/translations/{lang}/import`: a translators' file, read by the
/// browser and sent as JSON (so a cross-site form cannot post one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub format: ImportFormat,
    pub text: String,
    /// The file was checked by a person: its entries not marked fuzzy are
    /// saved as reviewed by the one importing it.
    #[serde(default)]
    pub reviewed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// GNU gettext PO, as exported (`msgctxt` is the key).
    Po,
    /// A locale file (`{"_meta": …, "key": "text"}`), the portal's own format.
    LocaleJson,
}

/// What an import of a translators' file did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub applied: u32,
    pub unchanged: u32,
    /// Keys the portal does not have (a file for another version).
    pub unknown: Vec<String>,
    pub refused: Vec<RefusedString>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedString {
    pub key: String,
    pub problem: TranslationProblem,
}

/// A recording, at most this big: a sentence or two of speech in Opus is
/// 10–40 KB, so this leaves room for a slow reader without letting one
/// upload fill the database.
pub const MAX_RECORDING_BYTES: usize = 300 * 1024;

/// What a phone keeps of its language's recordings for offline read-aloud,
/// and what a kiosk keeps of every offered language's.
pub const PHONE_AUDIO_BUDGET_BYTES: u64 = 5 * 1024 * 1024;
pub const KIOSK_AUDIO_BUDGET_BYTES: u64 = 50 * 1024 * 1024;

/// The audio type of a recording, read from its first bytes (never from
/// what the browser claims): WebM or Ogg (Opus, what MediaRecorder makes in
/// Chromium and Firefox), MP4/M4A (Safari), MP3.
pub fn audio_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 12 {
        return None;
    }
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("audio/webm")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else if &bytes[4..8] == b"ftyp" {
        Some("audio/mp4")
    } else if bytes.starts_with(b"ID3") || (bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        Some("audio/mpeg")
    } else {
        None
    }
}

/// `/audio/index.json`: per language, each recorded key's version and size,
/// so read-aloud asks for `/audio/<lang>/<key>?v=<version>` (a new recording
/// is a new address) and the service worker keeps what fits its budget.
pub type AudioIndex = std::collections::BTreeMap<String, std::collections::BTreeMap<String, AudioFile>>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AudioFile {
    pub v: u32,
    pub bytes: u32,
}

/// A string key as the locale files write them: dotted snake_case words.
pub fn valid_key(key: &str) -> bool {
    (1..=120).contains(&key.len())
        && key.split('.').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_offered_from_ninety_percent() {
        assert!(offered(90, 100));
        assert!(!offered(89, 100));
        assert!(offered(378, 378));
        assert!(!offered(0, 0), "nothing to translate yet is not a language");
        assert_eq!(translated_language("hmn").map(|l| l.name), Some("Lus Hmoob"));
        assert!(translated_language("vi").is_none(), "Vietnamese is the source");
        assert!(translated_language("fr").is_none());
    }

    #[test]
    fn a_translation_keeps_the_placeholders_and_is_plain_text() {
        let vi = "Còn {days} ngày làm việc cho hồ sơ {code}.";
        assert_eq!(check_translation(vi, "{code}: {days} working days left."), Ok(()));
        assert_eq!(check_translation(vi, "{days} working days left."), Err(TranslationProblem::Placeholders));
        assert_eq!(check_translation(vi, "{days} {days} {code}"), Err(TranslationProblem::Placeholders));
        assert_eq!(check_translation(vi, "{dias} {code}"), Err(TranslationProblem::Placeholders));
        assert_eq!(check_translation(vi, ""), Ok(()), "empty removes it");
        assert_eq!(check_translation("a", "line\nbreak"), Ok(()));
        assert_eq!(check_translation("a", "bell\u{7}"), Err(TranslationProblem::ControlCharacters));
        assert_eq!(check_translation("a", &"x".repeat(MAX_TRANSLATION_CHARS + 1)), Err(TranslationProblem::TooLong));
    }

    #[test]
    fn recordings_are_recognised_by_their_bytes() {
        let pad = |head: &[u8]| [head, &[0u8; 16]].concat();
        assert_eq!(audio_type(&pad(&[0x1A, 0x45, 0xDF, 0xA3])), Some("audio/webm"));
        assert_eq!(audio_type(&pad(b"OggS")), Some("audio/ogg"));
        assert_eq!(audio_type(&pad(b"\0\0\0\x20ftypM4A ")), Some("audio/mp4"));
        assert_eq!(audio_type(&pad(b"ID3")), Some("audio/mpeg"));
        assert_eq!(audio_type(&pad(b"<script>")), None);
        assert_eq!(audio_type(&pad(b"\x89PNG")), None);
        assert_eq!(audio_type(b"OggS"), None, "too short to be speech");
    }

    #[test]
    fn keys_are_dotted_words() {
        assert!(valid_key("form.birth.child_name.help"));
        assert!(valid_key("rating.criterion.time"));
        assert!(!valid_key("form..x") && !valid_key("../etc") && !valid_key("Form.X") && !valid_key(""));
        assert_eq!(help_key("form.common.applicant_name"), "form.common.applicant_name.help");
        assert!(!StringGroup::Help.counts_for_offering() && StringGroup::Form.counts_for_offering());
    }
}
