//! What a post of the server's online form says (`/procedures/{code}/apply`),
//! read from an urlencoded or multipart body, and the draft cookie. Pure,
//! tested natively; `apply.rs` acts on it.

use crate::multipart::{self, Malformed};

/// The draft's cookie: a random id, its hash the draft's key in the database.
pub const DRAFT_COOKIE: &str = "motcua_form";

/// A posted step of the form.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Posted<'a> {
    fields: Vec<(String, String)>,
    /// The photo's bytes, when a file was chosen.
    pub photo: Option<&'a [u8]>,
    /// Every photo chosen (a report's file input takes several).
    pub photos: Vec<&'a [u8]>,
}

/// The button pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Continue,
    /// Send the chosen photo and stay at the question.
    AddPhoto,
    /// Take off the photo at this index (from 0).
    RemovePhoto(usize),
    Submit,
}

impl<'a> Posted<'a> {
    /// `content_type` is the request's; a body that is neither form encoding is empty.
    pub fn read(content_type: &str, body: &'a [u8]) -> Result<Self, Malformed> {
        if let Some(boundary) = multipart::boundary(content_type) {
            let mut posted = Posted::default();
            for part in multipart::parse(body, boundary)? {
                match part.filename {
                    // A file input without a chosen file sends an empty part.
                    Some(_) if part.name == "photo" && !part.body.is_empty() => {
                        posted.photo.get_or_insert(part.body);
                        posted.photos.push(part.body);
                    }
                    Some(_) => {}
                    None => {
                        let value = std::str::from_utf8(part.body).map_err(|_| Malformed)?;
                        posted.fields.push((part.name, value.to_owned()));
                    }
                }
            }
            return Ok(posted);
        }
        let fields = form_urlencoded::parse(body).into_owned().collect();
        Ok(Posted { fields, ..Posted::default() })
    }

    /// A field's value, or "" (the first, if sent twice).
    pub fn field(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value of a field sent several times, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Whether the field was sent at all: a disabled select is not.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// The step posted, at most `last`.
    pub fn step(&self, last: usize) -> usize {
        self.field("step").trim().parse::<usize>().unwrap_or(0).min(last)
    }

    /// Posted from the check page's "change" link: continuing goes back there.
    pub fn change(&self) -> bool {
        self.field("change") == "1"
    }

    pub fn action(&self) -> Action {
        match self.field("do") {
            "add" => Action::AddPhoto,
            "submit" => Action::Submit,
            other => match other.strip_prefix("remove-").and_then(|i| i.parse().ok()) {
                Some(i) => Action::RemovePhoto(i),
                None => Action::Continue,
            },
        }
    }
}

/// The draft id in a `Cookie` header, if it has the shape we make.
pub fn draft_id(cookie_header: &str) -> Option<&str> {
    cookie_header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == DRAFT_COOKIE)
        .map(|(_, v)| v.trim())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `Set-Cookie` for a draft: only this form's pages get it, no script reads
/// it, and another site's post does not carry it (so reaches no draft).
pub fn draft_cookie(id: &str, form_path: &str, https: bool, max_age: i64) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{DRAFT_COOKIE}={id}; Path={form_path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// An address answer as the app composes it: `detail, commune, province`,
/// or "" when nothing was given.
pub fn address(detail: &str, commune: &str, province: &str) -> String {
    let (d, c, p) = (detail.trim(), commune.trim(), province.trim());
    if d.is_empty() && c.is_empty() && p.is_empty() { String::new() } else { format!("{d}, {c}, {p}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_urlencoded_step_gives_its_answer_and_button() {
        let posted = Posted::read("application/x-www-form-urlencoded", b"step=2&answer=Nguy%E1%BB%85n+V%C4%83n+A&do=continue").unwrap();
        assert_eq!(posted.field("answer"), "Nguyễn Văn A");
        assert_eq!(posted.step(9), 2);
        assert_eq!(posted.action(), Action::Continue);
        assert!(!posted.has("commune"));
        assert_eq!(posted.photo, None);
    }

    #[test]
    fn a_crafted_step_or_button_stays_in_the_form() {
        let posted = Posted::read("application/x-www-form-urlencoded", b"step=99999999999999999999&do=remove-x").unwrap();
        assert_eq!(posted.step(4), 0, "a step that is not a number is the first");
        assert_eq!(Posted::read("", b"step=12").unwrap().step(4), 4);
        assert_eq!(posted.action(), Action::Continue);
        assert_eq!(Posted::read("", b"do=remove-3").unwrap().action(), Action::RemovePhoto(3));
    }

    #[test]
    fn a_multipart_step_gives_the_photo_only_when_one_was_chosen() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"step\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff\r\n--b\r\nContent-Disposition: form-data; name=\"do\"\r\n\r\nadd\r\n--b--\r\n";
        let posted = Posted::read("multipart/form-data; boundary=b", body).unwrap();
        assert_eq!(posted.photo, Some(&b"\xff\xd8\xff"[..]));
        assert_eq!(posted.action(), Action::AddPhoto);
        let empty = b"--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n\r\n\r\n--b--\r\n";
        assert_eq!(Posted::read("multipart/form-data; boundary=b", empty).unwrap().photo, None);
        assert_eq!(Posted::read("multipart/form-data; boundary=b", b"junk"), Err(Malformed));
    }

    #[test]
    fn a_report_posts_several_photos_and_keeps_those_sent_before() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"photo_id\"\r\n\r\nu1\r\n--b\r\nContent-Disposition: form-data; name=\"photo_id\"\r\n\r\nu2\r\n--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\nA\r\n--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"b.png\"\r\n\r\nB\r\n--b--\r\n";
        let posted = Posted::read("multipart/form-data; boundary=b", body).unwrap();
        assert_eq!(posted.all("photo_id"), ["u1", "u2"]);
        assert_eq!(posted.photos, [&b"A"[..], &b"B"[..]]);
        assert_eq!(posted.photo, Some(&b"A"[..]));
    }

    #[test]
    fn only_a_well_formed_draft_id_is_read_from_the_cookies() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(draft_id(&format!("motcua_prefs=vi.0; motcua_form={id}")), Some(id));
        assert_eq!(draft_id("motcua_form=../../etc"), None);
        assert_eq!(draft_id("motcua_form_x=0123456789abcdef0123456789abcdef"), None);
        let cookie = draft_cookie(id, "/procedures/1.001193/apply", true, 60);
        assert_eq!(cookie, format!("motcua_form={id}; Path=/procedures/1.001193/apply; Max-Age=60; HttpOnly; SameSite=Lax; Secure"));
    }

    #[test]
    fn an_address_is_composed_as_the_app_does() {
        assert_eq!(address(" Thôn 3 ", "Xã Mù Cang Chải", "Lào Cai"), "Thôn 3, Xã Mù Cang Chải, Lào Cai");
        assert_eq!(address(" ", "", ""), "");
    }
}
