//! Field checks the form engine runs in the browser (to tell the citizen at
//! once) and again in the function (the browser can be bypassed).
//!
//! Each check returns the value normalised (trimmed, separators removed) or a
//! [`FieldError`]. Errors carry only a code and, in [`FieldIssue`], the field
//! name: never the value typed, so an ID number or phone cannot end up in a
//! log line or on a shared kiosk's screen from an error.
//!
//! No clock access: checks about dates take `today` from the caller.

use crate::api_error::ApiError;
use crate::dossier::calendar::{Date, ascii_number};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const NAME_MIN_CHARS: usize = 2;
pub const NAME_MAX_CHARS: usize = 100;

/// Why a field is refused. The snake_case code is what the browser translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooShort,
    TooLong,
    InvalidCitizenId,
    /// The ID's birth-year digits disagree with the date of birth given.
    CitizenIdBirthYearMismatch,
    InvalidPhone,
    InvalidName,
    InvalidDate,
    FutureDate,
    /// An answer to a question the form does not have.
    UnknownField,
    /// A choice that is not one of the question's options.
    InvalidChoice,
    /// A photo that was not received, has expired or is already used.
    InvalidAttachment,
    /// An address without a province and commune from the official list.
    InvalidAddress,
    InvalidEmail,
}

impl FieldError {
    pub const ALL: [FieldError; 14] = [
        FieldError::Required,
        FieldError::TooShort,
        FieldError::TooLong,
        FieldError::InvalidCitizenId,
        FieldError::CitizenIdBirthYearMismatch,
        FieldError::InvalidPhone,
        FieldError::InvalidName,
        FieldError::InvalidDate,
        FieldError::FutureDate,
        FieldError::UnknownField,
        FieldError::InvalidChoice,
        FieldError::InvalidAttachment,
        FieldError::InvalidAddress,
        FieldError::InvalidEmail,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooShort => "too_short",
            FieldError::TooLong => "too_long",
            FieldError::InvalidCitizenId => "invalid_citizen_id",
            FieldError::CitizenIdBirthYearMismatch => "citizen_id_birth_year_mismatch",
            FieldError::InvalidPhone => "invalid_phone",
            FieldError::InvalidName => "invalid_name",
            FieldError::InvalidDate => "invalid_date",
            FieldError::FutureDate => "future_date",
            FieldError::UnknownField => "unknown_field",
            FieldError::InvalidChoice => "invalid_choice",
            FieldError::InvalidAttachment => "invalid_attachment",
            FieldError::InvalidAddress => "invalid_address",
            FieldError::InvalidEmail => "invalid_email",
        }
    }

    /// For developers and logs; citizens see the translation of [`FieldError::code`].
    pub fn message(self) -> &'static str {
        match self {
            FieldError::Required => "a value is required",
            FieldError::TooShort => "the value is too short",
            FieldError::TooLong => "the value is too long",
            FieldError::InvalidCitizenId => "not a valid 12-digit citizen ID number",
            FieldError::CitizenIdBirthYearMismatch => "the citizen ID does not match the year of birth",
            FieldError::InvalidPhone => "not a Vietnamese mobile number",
            FieldError::InvalidName => "a name holds letters, spaces, apostrophes and hyphens only",
            FieldError::InvalidDate => "not a valid date",
            FieldError::FutureDate => "the date is in the future",
            FieldError::UnknownField => "the form has no such question",
            FieldError::InvalidChoice => "not one of the options",
            FieldError::InvalidAttachment => "a photo was not received, has expired or is already used; add it again",
            FieldError::InvalidAddress => "choose the province and the commune from the lists, then the house, village or hamlet",
            FieldError::InvalidEmail => "not an e-mail address (name@example.vn)",
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for FieldError {}

/// A refused field: its name and the code, nothing of the value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    pub field: String,
    pub error: FieldError,
}

impl FieldIssue {
    pub fn new(field: &str, error: FieldError) -> Self {
        FieldIssue { field: field.to_owned(), error }
    }

    /// The API error body: `invalid_parameter` naming the field, with the
    /// field error's code at the start of the message ("invalid_phone: …").
    pub fn to_api_error(&self) -> ApiError {
        ApiError::invalid(&self.field, format!("{}: {}", self.error.code(), self.error.message()))
    }
}

/// Trimmed free text that must be present and at most `max_chars` characters.
pub fn required_text(input: &str, max_chars: usize) -> Result<String, FieldError> {
    text_within(input, 1..=max_chars)
}

/// Trimmed free text whose length in characters is within `chars`.
pub fn text_within(input: &str, chars: std::ops::RangeInclusive<usize>) -> Result<String, FieldError> {
    let text = input.trim();
    match text.chars().count() {
        0 => Err(FieldError::Required),
        n if n < *chars.start() => Err(FieldError::TooShort),
        n if n > *chars.end() => Err(FieldError::TooLong),
        _ => Ok(text.to_owned()),
    }
}

/// An optional line a person types (the name they sign with, where a
/// comment was said): blank is none; longer than `max_chars`, or broken
/// over lines, is too long for one line.
pub fn optional_line(input: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(line) if line.chars().count() > max_chars || line.chars().any(char::is_control) => Err(FieldError::TooLong),
        Some(line) => Ok(Some(line.to_owned())),
    }
}

// ---------------------------------------------------------------------------
// Addresses

/// An address as the form's pickers make it: `detail, commune, province`
/// (`Thôn Nà Pồng, Xã Mù Cang Chải, Lào Cai`), the official names last.
/// Returns it cleaned (spaces collapsed around and inside each part); whether
/// the commune is in that province is checked where the list is
/// ([`place_known`] with the function's copy of the official list).
pub fn address(input: &str, max_chars: usize) -> Result<String, FieldError> {
    let (detail, commune, province) = split_address(input).ok_or(FieldError::InvalidAddress)?;
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = format!("{}, {}, {}", collapse(detail), collapse(commune), collapse(province));
    if clean.chars().count() > max_chars { Err(FieldError::TooLong) } else { Ok(clean) }
}

/// `(detail, commune, province)`, each non-blank; the detail may hold commas.
pub fn split_address(input: &str) -> Option<(&str, &str, &str)> {
    let mut parts = input.rsplitn(3, ',').map(str::trim);
    let province = parts.next()?;
    let commune = parts.next()?;
    let detail = parts.next()?;
    (![detail, commune, province].iter().any(|p| p.is_empty())).then_some((detail, commune, province))
}

/// Whether a cleaned address names a commune of that province, by `known(province, commune)`.
pub fn place_known(clean: &str, known: impl Fn(&str, &str) -> bool) -> bool {
    split_address(clean).is_some_and(|(_, commune, province)| known(province, commune))
}

// ---------------------------------------------------------------------------
// Citizen ID (số định danh cá nhân / căn cước, 12 digits)

/// Province codes that open a 12-digit ID number (Circular 07/2016/TT-BCA,
/// now 59/2021/TT-BCA): the 63 provinces before the July 2025 merger, coded as
/// in the national list of administrative units. The code is the place of
/// birth registration, so IDs issued long ago keep the old province; the 34
/// merged provinces kept codes from this list.
pub const ID_PROVINCES: [(u16, &str); 63] = [
    (1, "Hà Nội"),
    (2, "Hà Giang"),
    (4, "Cao Bằng"),
    (6, "Bắc Kạn"),
    (8, "Tuyên Quang"),
    (10, "Lào Cai"),
    (11, "Điện Biên"),
    (12, "Lai Châu"),
    (14, "Sơn La"),
    (15, "Yên Bái"),
    (17, "Hòa Bình"),
    (19, "Thái Nguyên"),
    (20, "Lạng Sơn"),
    (22, "Quảng Ninh"),
    (24, "Bắc Giang"),
    (25, "Phú Thọ"),
    (26, "Vĩnh Phúc"),
    (27, "Bắc Ninh"),
    (30, "Hải Dương"),
    (31, "Hải Phòng"),
    (33, "Hưng Yên"),
    (34, "Thái Bình"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (37, "Ninh Bình"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (42, "Hà Tĩnh"),
    (44, "Quảng Bình"),
    (45, "Quảng Trị"),
    (46, "Thừa Thiên Huế"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (51, "Quảng Ngãi"),
    (52, "Bình Định"),
    (54, "Phú Yên"),
    (56, "Khánh Hòa"),
    (58, "Ninh Thuận"),
    (60, "Bình Thuận"),
    (62, "Kon Tum"),
    (64, "Gia Lai"),
    (66, "Đắk Lắk"),
    (67, "Đắk Nông"),
    (68, "Lâm Đồng"),
    (70, "Bình Phước"),
    (72, "Tây Ninh"),
    (74, "Bình Dương"),
    (75, "Đồng Nai"),
    (77, "Bà Rịa - Vũng Tàu"),
    (79, "Hồ Chí Minh"),
    (80, "Long An"),
    (82, "Tiền Giang"),
    (83, "Bến Tre"),
    (84, "Trà Vinh"),
    (86, "Vĩnh Long"),
    (87, "Đồng Tháp"),
    (89, "An Giang"),
    (91, "Kiên Giang"),
    (92, "Cần Thơ"),
    (93, "Hậu Giang"),
    (94, "Sóc Trăng"),
    (95, "Bạc Liêu"),
    (96, "Cà Mau"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// A checked 12-digit ID number. `Debug` masks it, so it cannot leak into logs by accident.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CitizenId(String);

impl fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CitizenId({}*********)", &self.0[..3])
    }
}

impl CitizenId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn digits(&self, range: std::ops::Range<usize>) -> u32 {
        ascii_number(&self.0.as_bytes()[range]).unwrap_or(0)
    }

    pub fn province_code(&self) -> u16 {
        self.digits(0..3) as u16
    }

    pub fn province_name(&self) -> &'static str {
        province_name(self.province_code()).unwrap_or("")
    }

    /// The 4th digit: even for men, odd for women; 0–1 born 1900–1999, 2–3 born 2000–2099.
    pub fn sex(&self) -> Sex {
        if self.digits(3..4).is_multiple_of(2) { Sex::Male } else { Sex::Female }
    }

    pub fn birth_year(&self) -> i32 {
        1900 + 100 * (self.digits(3..4) / 2) as i32 + self.digits(4..6) as i32
    }

    /// A cross-field check for forms asking both: [`FieldError::CitizenIdBirthYearMismatch`] when false.
    pub fn matches_birth_date(&self, date_of_birth: Date) -> bool {
        self.birth_year() == date_of_birth.year()
    }
}

pub fn province_name(code: u16) -> Option<&'static str> {
    ID_PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

/// A 12-digit ID number: ASCII digits only (spaces people type between groups
/// are dropped), a known province code, a 4th digit 0–3 (born 1900–2099; 4–9
/// mean the 22nd to 24th centuries, not yet possible) and a birth year not
/// after `today`. The old 9-digit CMND is refused.
pub fn citizen_id(input: &str, today: Date) -> Result<CitizenId, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::Required);
    }
    let number: String = input.chars().filter(|&c| c != ' ').collect();
    if number.len() != 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::InvalidCitizenId);
    }
    let id = CitizenId(number);
    if province_name(id.province_code()).is_none() || id.digits(3..4) > 3 || id.birth_year() > today.year() {
        return Err(FieldError::InvalidCitizenId);
    }
    Ok(id)
}

// ---------------------------------------------------------------------------
// Phone

/// A Vietnamese mobile number, returned as `0xxxxxxxxx`. Accepts `+84` or `84`
/// in front (with or without the 0 after it) and spaces, dots or hyphens
/// between groups. The second digit must be a mobile range (3, 5, 7, 8, 9);
/// landlines (02x, 11 digits) are refused.
pub fn phone(input: &str) -> Result<String, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::Required);
    }
    let compact: String = input.chars().filter(|&c| !(c.is_whitespace() || c == '.' || c == '-')).collect();
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        rest
    } else if compact.starts_with("84") && compact.len() >= 11 {
        &compact[2..]
    } else if compact.starts_with('0') {
        compact.as_str()
    } else {
        return Err(FieldError::InvalidPhone);
    };
    let national = national.strip_prefix('0').unwrap_or(national);
    let b = national.as_bytes();
    if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) || !matches!(b[0], b'3' | b'5' | b'7' | b'8' | b'9') {
        return Err(FieldError::InvalidPhone);
    }
    Ok(format!("0{national}"))
}

// ---------------------------------------------------------------------------
// Personal names

/// Letters of Latin script: ASCII, Latin-1 and Latin Extended A/B (ă, đ, ĩ,
/// ũ, ơ, ư; letters of minority orthographies and foreigners' names) and
/// Latin Extended Additional (ạ, ế, ỹ and the rest of Vietnamese).
fn is_name_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic())
}

/// Combining diacritics, for names typed in decomposed form (macOS, some keyboards).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Apostrophes (H'Hen Niê, H'Mông) in their ASCII, typographic and modifier forms.
fn is_name_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '-')
}

/// A personal name: letters (all Vietnamese diacritics included), single
/// spaces, apostrophes and hyphens, 2..=100 characters. Runs of spaces are
/// collapsed; a space, apostrophe or hyphen must come after a letter, and
/// the name must end with one. Digits and other symbols are refused.
pub fn person_name(input: &str) -> Result<String, FieldError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldError::Required);
    }
    let mut after_letter = false;
    for c in name.chars() {
        if is_name_letter(c) {
            after_letter = true;
        } else if is_combining_mark(c) || c == ' ' || is_name_joiner(c) {
            if !after_letter {
                return Err(FieldError::InvalidName);
            }
            after_letter = is_combining_mark(c);
        } else {
            return Err(FieldError::InvalidName);
        }
    }
    if !after_letter {
        return Err(FieldError::InvalidName);
    }
    let len = name.chars().count();
    if len < NAME_MIN_CHARS {
        Err(FieldError::TooShort)
    } else if len > NAME_MAX_CHARS {
        Err(FieldError::TooLong)
    } else {
        Ok(name)
    }
}

// ---------------------------------------------------------------------------
// Dates

/// A date as `YYYY-MM-DD` (what `<input type="date">` sends) or as Vietnamese
/// write it, `dd/mm/yyyy` (day and month may have one digit).
pub fn date(input: &str) -> Result<Date, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::Required);
    }
    if let Ok(d) = input.parse::<Date>() {
        return Ok(d);
    }
    let mut parts = input.split('/');
    let (Some(d), Some(m), Some(y), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(FieldError::InvalidDate);
    };
    if !(1..=2).contains(&d.len()) || !(1..=2).contains(&m.len()) || y.len() != 4 {
        return Err(FieldError::InvalidDate);
    }
    match (ascii_number(d.as_bytes()), ascii_number(m.as_bytes()), ascii_number(y.as_bytes())) {
        (Some(d), Some(m), Some(y)) => Date::new(y as i32, m as u8, d as u8).ok_or(FieldError::InvalidDate),
        _ => Err(FieldError::InvalidDate),
    }
}

/// Today is allowed; tomorrow is not.
pub fn not_in_future(date: Date, today: Date) -> Result<Date, FieldError> {
    if date > today { Err(FieldError::FutureDate) } else { Ok(date) }
}

/// A date typed by the citizen that must not be after `today` (issue dates, events).
pub fn past_date(input: &str, today: Date) -> Result<Date, FieldError> {
    not_in_future(date(input)?, today)
}

/// A date of birth: not in the future and not before 1900 (the ID scheme starts there).
pub fn birth_date(input: &str, today: Date) -> Result<Date, FieldError> {
    let d = past_date(input, today)?;
    if d.year() < 1900 { Err(FieldError::InvalidDate) } else { Ok(d) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_end_with_commune_and_province() {
        assert_eq!(
            address("  Thôn  Nà Pồng,  số 4,Xã Mù Cang Chải ,  Lào Cai ", 500),
            Ok("Thôn Nà Pồng, số 4, Xã Mù Cang Chải, Lào Cai".to_owned())
        );
        for bad in ["Lào Cai", "Xã Mù Cang Chải, Lào Cai", " , Xã A, Lào Cai", "Thôn B, , Lào Cai", "Thôn B, Xã A,  "] {
            assert_eq!(address(bad, 500), Err(FieldError::InvalidAddress), "{bad:?}");
        }
        assert_eq!(address("Thôn B, Xã A, Lào Cai", 10), Err(FieldError::TooLong));
        let known = |p: &str, c: &str| p == "Lào Cai" && c == "Xã Mù Cang Chải";
        assert!(place_known("Thôn B, Xã Mù Cang Chải, Lào Cai", known));
        assert!(!place_known("Thôn B, Xã Mù Cang Chải, Cao Bằng", known));
    }

    fn today() -> Date {
        "2026-03-10".parse().unwrap()
    }

    #[test]
    fn error_codes_are_stable_snake_case() {
        for e in FieldError::ALL {
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{}\"", e.code()));
            assert_eq!(e.to_string(), e.code());
        }
        let api = FieldIssue::new("phone", FieldError::InvalidPhone).to_api_error();
        assert_eq!(api.field.as_deref(), Some("phone"));
        assert!(api.message.starts_with("invalid_phone: "));
    }

    #[test]
    fn required_text_trims_and_limits() {
        assert_eq!(required_text("  Hà Nội ", 10), Ok("Hà Nội".into()));
        assert_eq!(required_text(" \t\n", 10), Err(FieldError::Required));
        assert_eq!(required_text("ạạạ", 3), Ok("ạạạ".into()));
        assert_eq!(required_text("ạạạạ", 3), Err(FieldError::TooLong));
    }

    #[test]
    fn province_table_has_63_distinct_codes() {
        assert_eq!(ID_PROVINCES.len(), 63);
        let mut codes: Vec<u16> = ID_PROVINCES.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 63);
        assert_eq!(codes.first(), Some(&1));
        assert_eq!(codes.last(), Some(&96));
    }

    #[test]
    fn citizen_ids() {
        let id = citizen_id("001203012345", today()).unwrap();
        assert_eq!(id.province_code(), 1);
        assert_eq!(id.province_name(), "Hà Nội");
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_year(), 2003);
        let id = citizen_id(" 084 185 012345 ", today()).unwrap();
        assert_eq!(id.as_str(), "084185012345");
        assert_eq!(id.province_name(), "Trà Vinh");
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.birth_year(), 1985);
        assert!(id.matches_birth_date("1985-07-01".parse().unwrap()));
        assert!(!id.matches_birth_date("1986-07-01".parse().unwrap()));
        assert_eq!(citizen_id("096326000001", today()).unwrap().birth_year(), 2026);
        assert_eq!(citizen_id("079099000001", today()).unwrap().birth_year(), 1999);
        assert_eq!(citizen_id("", today()), Err(FieldError::Required));
        for bad in [
            "000203012345",  // no province 000
            "003203012345",  // 003 is not a province code
            "097203012345",  // beyond 096
            "001403012345",  // 22nd century
            "001927012345",  // 4th digit 9
            "001227012345",  // born 2027, after today
            "00120301234",   // 11 digits
            "0012030123456", // 13 digits
            "123456789",     // old 9-digit CMND
            "００1203012345", // full-width digits
            "001-203-012345",
            "001.203.012345",
            "00120301234a",
            "+01203012345",
        ] {
            assert_eq!(citizen_id(bad, today()), Err(FieldError::InvalidCitizenId), "{bad}");
        }
        // The Debug output masks the number.
        assert_eq!(format!("{:?}", citizen_id("001203012345", today()).unwrap()), "CitizenId(001*********)");
    }

    #[test]
    fn phones() {
        for (input, want) in [
            ("0912345678", "0912345678"),
            (" 0912 345 678 ", "0912345678"),
            ("0912.345.678", "0912345678"),
            ("091-234-5678", "0912345678"),
            ("+84912345678", "0912345678"),
            ("+84 912 345 678", "0912345678"),
            ("+84 0912 345 678", "0912345678"),
            ("84912345678", "0912345678"),
            ("0321234567", "0321234567"),
            ("0561234567", "0561234567"),
            ("0701234567", "0701234567"),
            ("0861234567", "0861234567"),
        ] {
            assert_eq!(phone(input), Ok(want.to_owned()), "{input}");
        }
        assert_eq!(phone("   "), Err(FieldError::Required));
        for bad in [
            "09123456789",   // 11 digits
            "091234567",     // 9 digits
            "0212345678",    // 02x is a landline range
            "02123456789",   // landline, 11 digits
            "0112345678",
            "0012345678",
            "912345678",     // no leading 0
            "+85912345678",  // another country
            "+8491234567",   // too short after +84
            "０９12345678",   // full-width digits
            "0912345678x",
            "0912/345/678",
            "(091)2345678",
            "84-0912-345-6789",
        ] {
            assert_eq!(phone(bad), Err(FieldError::InvalidPhone), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(person_name("  Nguyễn   Thị  Minh Khai "), Ok("Nguyễn Thị Minh Khai".into()));
        assert_eq!(person_name("H'Hen Niê"), Ok("H'Hen Niê".into()));
        assert_eq!(person_name("H\u{2019}Hen Niê"), Ok("H\u{2019}Hen Niê".into()));
        assert_eq!(person_name("Y-Ngông Niê Kdăm"), Ok("Y-Ngông Niê Kdăm".into()));
        assert_eq!(person_name("Lý"), Ok("Lý".into()));
        assert_eq!(person_name("Ng"), Ok("Ng".into()));
        assert_eq!(person_name("Anna Müller"), Ok("Anna Müller".into()));
        // Decomposed: "Lê" as L + e + combining circumflex.
        assert_eq!(person_name("Le\u{0302} Va\u{0306}n"), Ok("Le\u{0302} Va\u{0306}n".into()));
        let every_vietnamese_letter = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
        assert!(person_name(every_vietnamese_letter).is_ok());
        assert!(person_name(&every_vietnamese_letter.to_uppercase()).is_ok());
        assert_eq!(person_name(""), Err(FieldError::Required));
        assert_eq!(person_name("  \t "), Err(FieldError::Required));
        assert_eq!(person_name("A"), Err(FieldError::TooShort));
        assert_eq!(person_name(&"a".repeat(100)), Ok("a".repeat(100)));
        assert_eq!(person_name(&"ễ".repeat(101)), Err(FieldError::TooLong));
        for bad in [
            "Nguyễn Văn 2",
            "Nguyen Van A1",
            "Trần ３",
            "Lê.Văn",
            "Lê_Văn",
            "-Lan",
            "Lan-",
            "Lan'",
            "'Lan",
            "Lan - Anh",
            "Lan--Anh",
            "\u{0302}Lan",
            "Nguyễn@Văn",
            "Nguyễn, Văn",
            "王小明",
            "Иван",
            "Anh 😀",
        ] {
            assert_eq!(person_name(bad), Err(FieldError::InvalidName), "{bad}");
        }
    }

    #[test]
    fn dates() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(date("2026-03-10"), Ok(d("2026-03-10")));
        assert_eq!(date(" 10/03/2026 "), Ok(d("2026-03-10")));
        assert_eq!(date("1/3/2026"), Ok(d("2026-03-01")));
        assert_eq!(date(""), Err(FieldError::Required));
        for bad in ["2026-02-30", "31/04/2026", "10/03/26", "10-03-2026", "2026/03/10", "１0/03/2026", "001/03/2026", "10/3/2026/1"] {
            assert_eq!(date(bad), Err(FieldError::InvalidDate), "{bad}");
        }
        assert_eq!(past_date("2026-03-10", today()), Ok(today()));
        assert_eq!(past_date("2026-03-11", today()), Err(FieldError::FutureDate));
        assert_eq!(past_date("11/03/2026", today()), Err(FieldError::FutureDate));
        assert_eq!(not_in_future(d("2025-12-31"), today()), Ok(d("2025-12-31")));
        assert_eq!(birth_date("01/01/1900", today()), Ok(d("1900-01-01")));
        assert_eq!(birth_date("31/12/1899", today()), Err(FieldError::InvalidDate));
        assert_eq!(birth_date("2027-01-01", today()), Err(FieldError::FutureDate));
    }
}
