//! `multipart/form-data` (RFC 7578), as a browser posts a form with a file
//! input: the server's online form sends a photo this way.
//!
//! Hand-written, and small, because the body is already whole in memory and
//! bounded by the route's limit: the crates that parse it (`multer`,
//! `multipart`) read a stream asynchronously and bring an encoding library
//! and more into a component that has no use for them. Only what browsers
//! send is read: `Content-Disposition: form-data; name="…"; filename="…"`
//! per part; other part headers are skipped.

/// One field of the form.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    /// Present for a file input (empty when no file was chosen).
    pub filename: Option<String>,
    pub body: &'a [u8],
}

/// A body that is not the multipart form it says it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

/// More parts than any of the portal's forms has: a crafted body.
pub const MAX_PARTS: usize = 32;

/// The boundary from a `Content-Type` header, if it is `multipart/form-data`.
pub fn boundary(content_type: &str) -> Option<&str> {
    let mut params = content_type.split(';').map(str::trim);
    if !params.next()?.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let value = params.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then_some(v.trim())
    })?;
    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    // RFC 2046: 1 to 70 characters.
    (!value.is_empty() && value.len() <= 70).then_some(value)
}

/// The parts of `body`, in order.
pub fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Malformed> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    // Parts end with CRLF before the next delimiter.
    let next = format!("\r\n--{boundary}");
    let next = next.as_bytes();
    let start = find(body, delimiter).ok_or(Malformed)?;
    let mut rest = &body[start + delimiter.len()..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or(Malformed)?;
        let header_end = find(rest, b"\r\n\r\n").ok_or(Malformed)?;
        let headers = std::str::from_utf8(&rest[..header_end]).map_err(|_| Malformed)?;
        let content = &rest[header_end + 4..];
        let end = find(content, next).ok_or(Malformed)?;
        let (name, filename) = disposition(headers).ok_or(Malformed)?;
        if parts.len() == MAX_PARTS {
            return Err(Malformed);
        }
        parts.push(Part { name, filename, body: &content[..end] });
        rest = &content[end + next.len()..];
    }
}

/// `name` and `filename` from the part's `Content-Disposition: form-data`.
fn disposition(headers: &str) -> Option<(String, Option<String>)> {
    let line = headers.split("\r\n").find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case("content-disposition").then_some(v)
    })?;
    let mut params = line.split(';').map(str::trim);
    if !params.next()?.eq_ignore_ascii_case("form-data") {
        return None;
    }
    let (mut name, mut filename) = (None, None);
    for p in params {
        let Some((k, v)) = p.split_once('=') else { continue };
        let v = v.trim();
        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v).to_owned();
        match k.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "filename" => filename = Some(v),
            _ => {}
        }
    }
    Some((name?, filename))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as Chromium sends a form with a text field and a file.
    fn body(file: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"------WebKitFormBoundaryx7Q\r\nContent-Disposition: form-data; name=\"step\"\r\n\r\n3\r\n");
        b.extend_from_slice(b"------WebKitFormBoundaryx7Q\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"giay to.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
        b.extend_from_slice(file);
        b.extend_from_slice(b"\r\n------WebKitFormBoundaryx7Q\r\nContent-Disposition: form-data; name=\"do\"\r\n\r\nadd\r\n");
        b.extend_from_slice(b"------WebKitFormBoundaryx7Q--\r\n");
        b
    }

    #[test]
    fn a_form_with_a_photo_gives_its_fields_and_the_photo_bytes() {
        let boundary = boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7Q").unwrap();
        // The photo's bytes hold CRLFs and dashes, as a JPEG's may.
        let photo = b"\xff\xd8\r\n--\r\n----WebKitFormBoundary\xff\xd9";
        let b = body(photo);
        let parts = parse(&b, boundary).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], Part { name: "step".into(), filename: None, body: b"3" });
        assert_eq!(parts[1].name, "photo");
        assert_eq!(parts[1].filename.as_deref(), Some("giay to.jpg"));
        assert_eq!(parts[1].body, photo);
        assert_eq!(parts[2].body, b"add");
    }

    #[test]
    fn no_file_chosen_is_an_empty_part_with_an_empty_file_name() {
        let b = b"--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n";
        let parts = parse(b, "b").unwrap();
        assert_eq!(parts, vec![Part { name: "photo".into(), filename: Some(String::new()), body: b"" }]);
    }

    #[test]
    fn the_boundary_is_read_only_from_a_multipart_form() {
        assert_eq!(boundary("multipart/form-data; boundary=\"a b\""), Some("a b"));
        assert_eq!(boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=xyz"), Some("xyz"));
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary(&format!("multipart/form-data; boundary={}", "x".repeat(71))), None);
    }

    #[test]
    fn crafted_bodies_are_refused_not_read_past() {
        // Cut off before the closing delimiter.
        assert_eq!(parse(b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", "b"), Err(Malformed));
        // No disposition, or not form-data.
        assert_eq!(parse(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b"), Err(Malformed));
        assert_eq!(parse(b"--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--", "b"), Err(Malformed));
        // No boundary at all.
        assert_eq!(parse(b"step=1", "b"), Err(Malformed));
        // Too many parts.
        let many: String = (0..=MAX_PARTS).map(|i| format!("--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nx\r\n")).collect();
        assert_eq!(parse(format!("{many}--b--").as_bytes(), "b"), Err(Malformed));
    }
}
