//! Catalogue search: the parameters (validated the same way in the browser and
//! in the catalogue function) and the ranking rule.

use crate::api_error::ApiError;
use crate::catalogue::{Level, OnlineLevel};
use crate::text::{fold, words};
use validator::Validate;

pub const MAX_QUERY_CHARS: u64 = 200;
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 50;
/// At most this many query words are searched; more add nothing to a search.
pub const MAX_QUERY_WORDS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq, Validate)]
pub struct SearchParams {
    /// Words in any order, with or without diacritics.
    #[validate(length(max = 200))]
    pub q: String,
    /// A field (lĩnh vực) exactly as the catalogue names it.
    #[validate(length(max = 200))]
    pub field: Option<String>,
    pub level: Option<Level>,
    pub online: Option<OnlineLevel>,
    #[validate(range(min = 1, max = 10000))]
    pub page: u32,
    #[validate(range(min = 1, max = 50))]
    pub per_page: u32,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams { q: String::new(), field: None, level: None, online: None, page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl SearchParams {
    /// Reads decoded query-string pairs. Unknown parameters are ignored (links
    /// get tracking tags added); a known one with a bad value is an error that
    /// names it.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, ApiError> {
        let mut p = SearchParams::default();
        for (key, value) in pairs {
            let value = value.as_ref().trim();
            match key.as_ref() {
                "q" => p.q = value.to_owned(),
                "field" if !value.is_empty() => p.field = Some(value.to_owned()),
                "level" if !value.is_empty() => {
                    p.level = Some(Level::parse(value).ok_or_else(|| {
                        ApiError::invalid("level", "level must be one of: central, province, commune")
                    })?)
                }
                "online" if !value.is_empty() => {
                    p.online = Some(OnlineLevel::parse(value).ok_or_else(|| {
                        ApiError::invalid("online", "online must be one of: full, partial, unknown")
                    })?)
                }
                "page" => p.page = parse_number("page", value)?,
                "per_page" => p.per_page = parse_number("per_page", value)?,
                _ => {}
            }
        }
        p.check()?;
        Ok(p)
    }

    /// Runs the validation rules and turns the first failure into an error naming its field.
    pub fn check(&self) -> Result<(), ApiError> {
        let Err(errors) = self.validate() else { return Ok(()) };
        let mut fields: Vec<_> = errors.field_errors().into_keys().collect();
        fields.sort();
        let field = fields.first().map(|f| f.to_string()).unwrap_or_default();
        let message = match field.as_str() {
            "q" | "field" => format!("{field} must be at most {MAX_QUERY_CHARS} characters"),
            "page" => "page must be a whole number from 1 to 10000".to_owned(),
            "per_page" => format!("per_page must be a whole number from 1 to {MAX_PER_PAGE}"),
            _ => format!("{field} is not valid"),
        };
        Err(ApiError::invalid(&field, message))
    }

    /// The query string that reproduces these parameters (defaults left out),
    /// so a search can live in the page URL.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(f) = &self.field {
            pairs.push(("field", f.clone()));
        }
        if let Some(l) = self.level {
            pairs.push(("level", l.as_str().to_owned()));
        }
        if let Some(o) = self.online {
            pairs.push(("online", o.as_str().to_owned()));
        }
        if self.page != 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs
    }

    /// The query's folded words, at most [`MAX_QUERY_WORDS`] (the server's
    /// search and the phone's offline search read the same ones).
    pub fn query_words(&self) -> Vec<String> {
        words(&self.q).into_iter().take(MAX_QUERY_WORDS).collect()
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> usize {
        (self.page as usize - 1) * self.per_page as usize
    }
}

fn parse_number(field: &str, value: &str) -> Result<u32, ApiError> {
    value.parse::<u32>().map_err(|_| ApiError::invalid(field, format!("{field} must be a whole number")))
}

/// The folded text a procedure is searched by.
pub struct SearchKeys {
    pub code: String,
    /// Folded name.
    pub name: String,
    /// Folded name, code, field and result together.
    pub text: String,
}

impl SearchKeys {
    pub fn new(code: &str, name: &str, field: &str, result: Option<&str>) -> Self {
        let name = fold(name);
        let text = format!("{} {} {} {}", code, name, fold(field), fold(result.unwrap_or("")));
        SearchKeys { code: code.to_owned(), name, text }
    }
}

/// How well a procedure matches the query words; `None` when some word is
/// missing. Code matches rank first, then the query as a phrase in the name,
/// then words in the name, then words only in the field or result.
pub fn score(words: &[String], keys: &SearchKeys) -> Option<u32> {
    if words.is_empty() {
        return Some(0);
    }
    let mut score = 0;
    for w in words {
        if keys.code == *w {
            score += 10_000;
        } else if w.contains('.') && keys.code.starts_with(w.as_str()) {
            score += 5_000;
        } else if keys.name.contains(w.as_str()) {
            score += 100;
        } else if keys.text.contains(w.as_str()) {
            score += 10;
        } else {
            return None;
        }
    }
    let phrase = words.join(" ");
    if keys.name.starts_with(&phrase) {
        score += 2_000;
    } else if keys.name.contains(&phrase) {
        score += 1_000;
    }
    Some(score)
}

/// Orders matches best first; ties go to the shorter (more general) name, then
/// the code. With no query words the whole catalogue comes in name order.
pub fn rank<T>(words: &[String], items: Vec<(T, SearchKeys)>) -> Vec<T> {
    let mut scored: Vec<(u32, SearchKeys, T)> = items
        .into_iter()
        .filter_map(|(item, keys)| score(words, &keys).map(|s| (s, keys, item)))
        .collect();
    if words.is_empty() {
        scored.sort_by(|a, b| a.1.name.cmp(&b.1.name).then_with(|| a.1.code.cmp(&b.1.code)));
    } else {
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.name.chars().count().cmp(&b.1.name.chars().count()))
                .then_with(|| a.1.code.cmp(&b.1.code))
        });
    }
    scored.into_iter().map(|(_, _, item)| item).collect()
}

/// `?q=dang+ky&level=commune`, or "" for the defaults: used for both the page
/// URL and the API URL, from the shared `SearchParams::to_query_pairs`.
pub fn query_string(params: &SearchParams) -> String {
    let pairs = params.to_query_pairs();
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        out.push_str(&encode(value, true));
    }
    out
}

/// Percent-encodes everything but RFC 3986's unreserved characters; in a query
/// a space becomes `+` (what forms send, and easy to read in a shared link).
pub fn encode(s: &str, plus_for_space: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' if plus_for_space => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api_error::ErrorCode;

    fn keys(code: &str, name: &str, field: &str) -> SearchKeys {
        SearchKeys::new(code, name, field, None)
    }

    #[test]
    fn unaccented_words_in_any_order_match() {
        let k = keys("1.001193", "Đăng ký khai sinh", "Hộ tịch");
        assert!(score(&words("dang ky khai sinh"), &k).is_some());
        assert!(score(&words("khai sinh dang ky"), &k).is_some());
        assert!(score(&words("ĐĂNG KÝ"), &k).is_some());
        assert!(score(&words("ho tich"), &k).is_some());
        assert!(score(&words("ket hon"), &k).is_none());
    }

    #[test]
    fn code_and_name_matches_rank_first() {
        let items = vec![
            ("field-only", keys("2.000001", "Cấp bản sao trích lục", "Khai sinh")),
            ("longer-name", keys("2.001023", "Liên thông đăng ký khai sinh, cấp thẻ BHYT", "Hộ tịch")),
            ("exact", keys("1.001193", "Đăng ký khai sinh", "Hộ tịch")),
        ];
        assert_eq!(rank(&words("khai sinh"), items), vec!["exact", "longer-name", "field-only"]);

        let items = vec![("a", keys("1.001193", "Đăng ký khai sinh", "Hộ tịch")), ("b", keys("1.000001", "Khác", "Khác"))];
        assert_eq!(rank(&words("1.000001"), items), vec!["b"]);
    }

    #[test]
    fn empty_query_lists_everything_by_name() {
        let items = vec![("t", keys("1", "Tách hộ", "x")), ("c", keys("2", "Chứng thực", "x")), ("d", keys("3", "Đăng ký", "x"))];
        assert_eq!(rank(&[], items), vec!["c", "d", "t"]);
    }

    #[test]
    fn params_round_trip_through_the_query_string() {
        let p = SearchParams::from_pairs([("q", "khai sinh"), ("level", "commune"), ("page", "2"), ("utm_source", "x")]).unwrap();
        assert_eq!(p.level, Some(Level::Commune));
        assert_eq!(p.page, 2);
        let again = SearchParams::from_pairs(p.to_query_pairs()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn bad_parameters_name_the_parameter() {
        let cases = [
            (("level", "district"), "level"),
            (("online", "4"), "online"),
            (("page", "0"), "page"),
            (("page", "abc"), "page"),
            (("per_page", "500"), "per_page"),
        ];
        for ((k, v), field) in cases {
            let err = SearchParams::from_pairs([(k, v)]).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidParameter);
            assert_eq!(err.field.as_deref(), Some(field), "{k}={v}");
        }
        let long = "a".repeat(201);
        assert_eq!(SearchParams::from_pairs([("q", long.as_str())]).unwrap_err().field.as_deref(), Some("q"));
    }
}
