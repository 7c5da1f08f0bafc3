//! GNU gettext PO files for translation teams outside the portal: one entry
//! a string, `msgctxt` its key, `msgid` the Vietnamese, `msgstr` the
//! translation; an entry not yet vouched for (unreviewed, or translated from
//! an older Vietnamese) is `fuzzy`, as translators' tools expect.

use motcua_shared::languages::StudioString;
use polib::catalog::Catalog;
use polib::message::{Message, MessageFlags};
use polib::metadata::CatalogMetadata;
use std::io::BufWriter;

/// The studio's rows as a PO file for `language`.
pub fn export(language: &str, rows: &[StudioString]) -> String {
    let mut metadata = CatalogMetadata::new();
    metadata.project_id_version = "motcua".into();
    metadata.language = language.into();
    metadata.mime_version = "1.0".into();
    metadata.content_type = "text/plain; charset=UTF-8".into();
    metadata.content_transfer_encoding = "8bit".into();
    let mut catalog = Catalog::new(metadata);
    for r in rows {
        let mut flags = MessageFlags::new();
        if !r.text.is_empty() && (r.reviewed_by.is_none() || r.stale) {
            flags.add_flag("fuzzy");
        }
        catalog.append_or_update(
            Message::build_singular()
                .with_msgctxt(r.key.clone())
                .with_msgid(r.vi.clone())
                .with_msgstr(r.text.clone())
                .with_extracted_comments(r.group.as_str().into())
                .with_flags(flags)
                .done(),
        );
    }
    let mut out = BufWriter::new(Vec::new());
    // Writing into memory cannot fail.
    let _ = polib::po_file::write(&catalog, &mut out);
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One translated entry of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The Vietnamese the translator saw.
    pub vi: String,
    pub text: String,
    pub fuzzy: bool,
}

/// The translated entries of a PO file (entries without a key or a
/// translation are skipped); `None` when it is not a PO file.
pub fn import(text: &str) -> Option<Vec<Entry>> {
    let catalog = polib::po_file::parse_from_reader(text.as_bytes()).ok()?;
    Some(
        catalog
            .messages()
            .filter(|m| m.is_singular())
            .filter_map(|m| {
                let key = m.msgctxt()?.to_owned();
                let text = m.msgstr().ok()?.to_owned();
                (!text.trim().is_empty()).then(|| Entry { key, vi: m.msgid().to_owned(), text, fuzzy: m.is_fuzzy() })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_shared::languages::StringGroup;

    fn row(key: &str, vi: &str, text: &str, reviewed: bool) -> StudioString {
        StudioString {
            key: key.into(),
            group: StringGroup::App,
            vi: vi.into(),
            text: text.into(),
            updated_by: None,
            updated_at: None,
            reviewed_by: reviewed.then(|| "t".to_owned()),
            reviewed_at: None,
            stale: false,
            recording: None,
        }
    }

    #[test]
    fn a_file_goes_out_and_comes_back_with_its_keys_quotes_lines_and_fuzzy_marks() {
        let rows = vec![
            row("search.submit", "Tìm", "Nrhiav", true),
            row("apply.note", "Ghi \"rõ\"\nhai dòng", "Sau \"meej\"\nob kab", false),
            row("track.none", "Chưa có", "", false),
        ];
        let po = export("hmn", &rows);
        assert!(po.contains("msgctxt \"search.submit\""), "{po}");
        assert!(po.contains("Language: hmn"));
        let back = import(&po).expect("parses");
        assert_eq!(back.len(), 2, "the untranslated entry carries nothing");
        assert_eq!(back[0], Entry { key: "search.submit".into(), vi: "Tìm".into(), text: "Nrhiav".into(), fuzzy: false });
        assert_eq!(back[1].text, "Sau \"meej\"\nob kab");
        assert!(back[1].fuzzy, "not reviewed: fuzzy");
    }

    #[test]
    fn a_file_from_a_translators_tool_is_read() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: km\\n\"\n\n#, fuzzy\nmsgctxt \"a.b\"\nmsgid \"Xin chào\"\nmsgstr \"សួស្តី\"\n\nmsgctxt \"a.c\"\nmsgid \"Tạm biệt\"\nmsgstr \"លាហើយ\"\n\nmsgid \"no key\"\nmsgstr \"x\"\n";
        let entries = import(po).unwrap();
        assert_eq!(entries.iter().map(|e| (e.key.as_str(), e.fuzzy)).collect::<Vec<_>>(), vec![("a.b", true), ("a.c", false)]);
        assert!(import("msgid \"unterminated").is_none_or(|e| e.is_empty()));
    }
}
