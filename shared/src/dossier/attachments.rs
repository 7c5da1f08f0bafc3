//! Photos and scans of papers attached to a dossier.
//!
//! The browser resizes and recompresses photos (JPEG, longest side
//! [`RESIZE_TO_PX`]) before sending them one by one to `POST /api/uploads`,
//! which answers with an unguessable upload id; the submission (or, later, a
//! supplement at tracking) names the ids it attaches. Whoever holds an id may
//! attach it once; ids never attached are deleted after [`UPLOAD_TTL_SECS`].
//!
//! The type is decided by the bytes ([`sniff`]), never by the file name or the
//! `Content-Type` the client claims, in the browser and again in the function.

use crate::forms::{FormSpec, QuestionKind};
use crate::validation::{FieldError, FieldIssue};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The largest attachment the function stores. A phone photo recompressed by
/// the browser is 150–400 KB; a PDF scan is sent as it is.
pub const MAX_ATTACHMENT_BYTES: usize = 2 * 1024 * 1024;
/// The largest file the browser accepts from the camera or gallery before
/// recompressing it (phone cameras make 3–12 MB photos).
pub const MAX_PICKED_BYTES: usize = 30 * 1024 * 1024;
/// The browser scales photos so their longest side is at most this.
pub const RESIZE_TO_PX: u32 = 1600;
/// Photos per file question, and per supplement.
pub const MAX_FILES_PER_QUESTION: usize = 5;
/// An upload nobody attached is deleted after this long.
pub const UPLOAD_TTL_SECS: i64 = 2 * 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    Jpeg,
    Png,
    Pdf,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Pdf => "application/pdf",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpeg",
            MediaType::Png => "png",
            MediaType::Pdf => "pdf",
        }
    }

    pub fn parse(s: &str) -> Option<MediaType> {
        [MediaType::Jpeg, MediaType::Png, MediaType::Pdf].into_iter().find(|m| m.as_str() == s)
    }
}

/// Why an upload is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadError {
    Empty,
    TooLarge,
    /// Not a whole JPEG, PNG or PDF file.
    NotAPhotoOrPdf,
}

/// The file's type from its bytes: a JPEG starts with an SOI marker and ends
/// with EOI; a PNG has its signature, an IHDR chunk first and an IEND chunk
/// last; a PDF starts with `%PDF-` and has `%%EOF` near its end. The ends are
/// checked too, so a truncated upload (a dropped connection) is refused
/// rather than stored half.
pub fn sniff(bytes: &[u8]) -> Result<MediaType, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(UploadError::TooLarge);
    }
    // Some encoders pad after the end marker; allow a little.
    let tail = |n: usize| &bytes[bytes.len().saturating_sub(n)..];
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && tail(64).windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Ok(MediaType::Jpeg);
    }
    const PNG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if bytes.starts_with(&PNG) && bytes.get(12..16) == Some(b"IHDR") && tail(12).starts_with(b"\0\0\0\0IEND") {
        return Ok(MediaType::Png);
    }
    if bytes.starts_with(b"%PDF-") && tail(1024).windows(5).any(|w| w == b"%%EOF") {
        return Ok(MediaType::Pdf);
    }
    Err(UploadError::NotAPhotoOrPdf)
}

/// An upload id: 32 lowercase hex digits (128 random bits).
pub fn valid_upload_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What `POST /api/uploads` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    pub id: String,
    pub media_type: MediaType,
    pub bytes: u64,
}

/// An attachment as the desk and tracking list it (no content).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: String,
    /// The file question it answers; `None` for papers supplied later, at tracking.
    pub question_id: Option<String>,
    pub media_type: MediaType,
    pub bytes: u64,
    /// `YYYY-MM-DDTHH:MM:SS+07:00`
    pub attached_at: String,
}

/// Checks which uploads a submission attaches to which file question: only
/// file questions, at most [`MAX_FILES_PER_QUESTION`] each, well-formed ids
/// used once, and at least one for each required file question. Issues name
/// the question ([`FieldError::Required`], [`FieldError::TooLong`] for too
/// many photos, [`FieldError::UnknownField`], [`FieldError::InvalidAttachment`]).
pub fn validate_attachments(spec: &FormSpec, attachments: &BTreeMap<String, Vec<String>>) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let mut seen = BTreeSet::new();
    for q in spec.questions.iter().filter(|q| q.kind == QuestionKind::File) {
        let ids = attachments.get(&q.id).map(Vec::as_slice).unwrap_or_default();
        if ids.is_empty() && q.required {
            issues.push(FieldIssue::new(&q.id, FieldError::Required));
        } else if ids.len() > MAX_FILES_PER_QUESTION {
            issues.push(FieldIssue::new(&q.id, FieldError::TooLong));
        } else if !ids.iter().all(|id| valid_upload_id(id) && seen.insert(id.as_str())) {
            issues.push(FieldIssue::new(&q.id, FieldError::InvalidAttachment));
        }
    }
    for id in attachments.keys() {
        if spec.question(id).is_none_or(|q| q.kind != QuestionKind::File) {
            issues.push(FieldIssue::new(id, FieldError::UnknownField));
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Question;

    fn jpeg() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
        b.extend([7u8; 100]);
        b.extend([0xFF, 0xD9]);
        b
    }

    fn png() -> Vec<u8> {
        let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        b.extend(b"IHDR");
        b.extend([1u8; 40]);
        b.extend(b"\0\0\0\0IEND\xAE\x42\x60\x82");
        b
    }

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(&jpeg()), Ok(MediaType::Jpeg));
        assert_eq!(sniff(&png()), Ok(MediaType::Png));
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), Ok(MediaType::Pdf));
        // A renamed text or HTML file is refused whatever it claims to be.
        assert_eq!(sniff(b"<html><script>alert(1)</script></html>"), Err(UploadError::NotAPhotoOrPdf));
        assert_eq!(sniff(b""), Err(UploadError::Empty));
    }

    #[test]
    fn truncated_files_are_refused() {
        let j = jpeg();
        assert_eq!(sniff(&j[..j.len() - 2]), Err(UploadError::NotAPhotoOrPdf));
        let p = png();
        assert_eq!(sniff(&p[..p.len() - 4]), Err(UploadError::NotAPhotoOrPdf));
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj\n"), Err(UploadError::NotAPhotoOrPdf));
    }

    #[test]
    fn size_limit() {
        let mut big = jpeg();
        big.splice(4..4, std::iter::repeat_n(0u8, MAX_ATTACHMENT_BYTES));
        assert_eq!(sniff(&big), Err(UploadError::TooLarge));
    }

    fn spec() -> FormSpec {
        let q = |id: &str, kind, required| Question {
            id: id.into(),
            kind,
            label_key: format!("form.t.{id}"),
            label_vi: "x".into(),
            help_vi: None,
            officer_label_vi: None,
            icon: "camera".into(),
            required,
            choices: vec![],
            max_chars: None,
            not_in_future: false,
        };
        FormSpec {
            procedure_code: "1".into(),
            agency_id: "A".into(),
            title_vi: "t".into(),
            questions: vec![
                q("name", QuestionKind::Name, true),
                q("id_photo", QuestionKind::File, true),
                q("extra_photo", QuestionKind::File, false),
            ],
            version: 0,
        }
    }

    fn id(n: u8) -> String {
        format!("{n:032x}")
    }

    #[test]
    fn attachments_per_question() {
        let s = spec();
        let ok: BTreeMap<_, _> = [("id_photo".to_string(), vec![id(1), id(2)])].into();
        assert!(validate_attachments(&s, &ok).is_empty());

        let issues = validate_attachments(&s, &BTreeMap::new());
        assert_eq!(issues, vec![FieldIssue::new("id_photo", FieldError::Required)]);

        let bad: BTreeMap<_, _> = [
            ("id_photo".to_string(), (1..=6).map(id).collect()),
            ("extra_photo".to_string(), vec!["../etc/passwd".into()]),
            ("name".to_string(), vec![id(9)]),
            ("nope".to_string(), vec![id(8)]),
        ]
        .into();
        assert_eq!(
            validate_attachments(&s, &bad),
            vec![
                FieldIssue::new("id_photo", FieldError::TooLong),
                FieldIssue::new("extra_photo", FieldError::InvalidAttachment),
                FieldIssue::new("name", FieldError::UnknownField),
                FieldIssue::new("nope", FieldError::UnknownField),
            ]
        );
        // One upload cannot answer two questions.
        let twice: BTreeMap<_, _> =
            [("id_photo".to_string(), vec![id(1)]), ("extra_photo".to_string(), vec![id(1)])].into();
        assert_eq!(validate_attachments(&s, &twice), vec![FieldIssue::new("extra_photo", FieldError::InvalidAttachment)]);
    }
}
