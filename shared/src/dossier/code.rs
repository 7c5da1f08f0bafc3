//! The dossier code (mã hồ sơ) printed on the receipt slip and typed or
//! scanned to track a dossier: `{agency id}-{yyMMdd}-{daily sequence}`,
//! e.g. `000.00.06.H56-231027-0361`. The sequence has four digits (zero-padded)
//! up to 9999 and simply more past it (`…-231027-10000`), so a busy agency's
//! 10,000th dossier of a day gets a code like any other.
//!
//! The daily sequence is allocated in SQL by the submission function, never
//! here: it must come from one statement or transaction per dossier (an
//! `UPDATE counters SET seq = seq + 1 WHERE agency = ? AND day = ? RETURNING seq`
//! after inserting the row for the day), so two desks receiving at the same
//! moment can never print the same code.

use crate::dossier::calendar::{Date, ascii_number};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

pub const MAX_AGENCY_CHARS: usize = 32;
/// Far beyond any agency's day; six digits at most keeps codes easy to type.
pub const MAX_SEQUENCE: u32 = 999_999;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DossierCode {
    agency: String,
    date: Date,
    seq: u32,
}

/// Which part of a code is wrong. Carries no copy of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeError {
    /// Not three parts separated by `-`.
    Format,
    /// Agency id empty, longer than 32, or with a character outside `[A-Za-z0-9.]`.
    Agency,
    /// Not six digits, not a real date, or a year outside 2000–2099 (yy has no century).
    Date,
    /// Not 4 to 6 digits, 0000, or a zero-padded number past 9999.
    Sequence,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeError::Format => "a dossier code has the form AGENCY-yyMMdd-NNNN",
            CodeError::Agency => "the agency id must be 1 to 32 letters, digits or dots",
            CodeError::Date => "the date must be a real date written yyMMdd",
            CodeError::Sequence => "the sequence must be 0001 to 999999",
        })
    }
}

impl std::error::Error for CodeError {}

fn valid_agency(agency: &str) -> bool {
    (1..=MAX_AGENCY_CHARS).contains(&agency.len()) && agency.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

impl DossierCode {
    /// `date` is the receipt date in Vietnam time; only 2000–2099 fit in `yy`.
    pub fn new(agency: &str, date: Date, seq: u32) -> Result<Self, CodeError> {
        if !valid_agency(agency) {
            return Err(CodeError::Agency);
        }
        if !(2000..=2099).contains(&date.year()) {
            return Err(CodeError::Date);
        }
        if !(1..=MAX_SEQUENCE).contains(&seq) {
            return Err(CodeError::Sequence);
        }
        Ok(DossierCode { agency: agency.to_owned(), date, seq })
    }

    pub fn agency(&self) -> &str {
        &self.agency
    }
    pub fn date(&self) -> Date {
        self.date
    }
    pub fn sequence(&self) -> u32 {
        self.seq
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}{:02}{:02}-{:04}",
            self.agency,
            self.date.year() % 100,
            self.date.month(),
            self.date.day(),
            self.seq
        )
    }
}

/// Strict: no surrounding spaces, exact digit widths, case kept as written.
/// A tracking form should trim what the citizen typed before parsing.
impl FromStr for DossierCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The agency id has no '-', so the code splits into exactly three parts.
        let mut parts = s.split('-');
        let (Some(agency), Some(date), Some(seq), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CodeError::Format);
        };
        if !valid_agency(agency) {
            return Err(CodeError::Agency);
        }
        let d = date.as_bytes();
        if d.len() != 6 {
            return Err(CodeError::Date);
        }
        let (Some(yy), Some(mm), Some(dd)) = (ascii_number(&d[0..2]), ascii_number(&d[2..4]), ascii_number(&d[4..6]))
        else {
            return Err(CodeError::Date);
        };
        let date = Date::new(2000 + yy as i32, mm as u8, dd as u8).ok_or(CodeError::Date)?;
        // Exactly four digits, or more without a leading zero: one spelling per code.
        if !(4..=6).contains(&seq.len()) || (seq.len() > 4 && seq.starts_with('0')) {
            return Err(CodeError::Sequence);
        }
        let seq = ascii_number(seq.as_bytes()).ok_or(CodeError::Sequence)?;
        DossierCode::new(agency, date, seq as u32)
    }
}

impl Serialize for DossierCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DossierCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn formats_the_provincial_example() {
        let code = DossierCode::new("000.00.06.H56", date("2023-10-27"), 361).unwrap();
        assert_eq!(code.to_string(), "000.00.06.H56-231027-0361");
        assert_eq!(DossierCode::new("X", date("2000-01-01"), 1).unwrap().to_string(), "X-000101-0001");
        assert_eq!(DossierCode::new("H56", date("2099-12-31"), 9999).unwrap().to_string(), "H56-991231-9999");
    }

    #[test]
    fn a_busy_day_goes_on_past_9999() {
        let code = DossierCode::new("H56", date("2026-11-25"), 10_000).unwrap();
        assert_eq!(code.to_string(), "H56-261125-10000");
        assert_eq!("H56-261125-10000".parse::<DossierCode>(), Ok(code));
        assert_eq!("H56-261125-999999".parse::<DossierCode>().unwrap().sequence(), 999_999);
        assert_eq!("H56-261125-010000".parse::<DossierCode>(), Err(CodeError::Sequence), "one spelling per code");
        assert_eq!("H56-261125-1000000".parse::<DossierCode>(), Err(CodeError::Sequence));
    }

    #[test]
    fn parses_its_parts() {
        let code: DossierCode = "000.00.06.H56-231027-0361".parse().unwrap();
        assert_eq!(code.agency(), "000.00.06.H56");
        assert_eq!(code.date(), date("2023-10-27"));
        assert_eq!(code.sequence(), 361);
    }

    #[test]
    fn round_trips() {
        let agency_32 = "A".repeat(32);
        for (agency, day, seq) in [
            ("000.00.06.H56", "2023-10-27", 361),
            ("h56", "2024-02-29", 1),
            (agency_32.as_str(), "2026-02-17", 9999),
            ("...", "2031-07-01", 10),
            ("0", "2000-01-01", 100),
        ] {
            let code = DossierCode::new(agency, date(day), seq).unwrap();
            let text = code.to_string();
            assert_eq!(text.parse::<DossierCode>(), Ok(code.clone()), "{text}");
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<DossierCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn new_rejects_bad_parts() {
        let day = date("2023-10-27");
        assert_eq!(DossierCode::new("", day, 1), Err(CodeError::Agency));
        assert_eq!(DossierCode::new(&"A".repeat(33), day, 1), Err(CodeError::Agency));
        assert_eq!(DossierCode::new("H-56", day, 1), Err(CodeError::Agency));
        assert_eq!(DossierCode::new("H 56", day, 1), Err(CodeError::Agency));
        assert_eq!(DossierCode::new("Hà", day, 1), Err(CodeError::Agency));
        assert_eq!(DossierCode::new("H56", day, 0), Err(CodeError::Sequence));
        assert_eq!(DossierCode::new("H56", day, 1_000_000), Err(CodeError::Sequence));
        assert_eq!(DossierCode::new("H56", date("1999-12-31"), 1), Err(CodeError::Date));
        assert_eq!(DossierCode::new("H56", date("2100-01-01"), 1), Err(CodeError::Date));
    }

    #[test]
    fn parse_rejects_malformed_codes() {
        let cases = [
            ("", CodeError::Format),
            ("000.00.06.H56", CodeError::Format),
            ("000.00.06.H56-231027", CodeError::Format),
            ("000.00.06.H56-231027-0361-1", CodeError::Format),
            ("000.00.06-H56-231027-0361", CodeError::Format),
            ("-231027-0361", CodeError::Agency),
            (" 000.00.06.H56-231027-0361", CodeError::Agency),
            ("000.00.06.H56 -231027-0361", CodeError::Agency),
            ("000_00.H56-231027-0361", CodeError::Agency),
            ("ĐK.H56-231027-0361", CodeError::Agency),
            ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-231027-0361", CodeError::Agency),
            ("H56-23102-0361", CodeError::Date),
            ("H56-2310270-0361", CodeError::Date),
            ("H56-231327-0361", CodeError::Date),
            ("H56-230229-0361", CodeError::Date),
            ("H56-231000-0361", CodeError::Date),
            ("H56-+31027-0361", CodeError::Date),
            ("H56-２31027-0361", CodeError::Date),
            ("H56-231027-361", CodeError::Sequence),
            ("H56-231027-00361", CodeError::Sequence),
            ("H56-231027-0000", CodeError::Sequence),
            ("H56-231027-+361", CodeError::Sequence),
            ("H56-231027-036a", CodeError::Sequence),
            ("H56-231027-0361 ", CodeError::Sequence),
            ("H56-231027-０361", CodeError::Sequence),
        ];
        for (text, err) in cases {
            assert_eq!(text.parse::<DossierCode>(), Err(err), "{text:?}");
        }
        assert!(serde_json::from_str::<DossierCode>("\"H56-231027-0000\"").is_err());
        // Leap day in a leap year is fine.
        assert!("H56-240229-0001".parse::<DossierCode>().is_ok());
    }

    #[test]
    fn orders_by_agency_then_date_then_sequence() {
        let a: DossierCode = "H56-231027-0002".parse().unwrap();
        let b: DossierCode = "H56-231027-0010".parse().unwrap();
        let c: DossierCode = "H56-231028-0001".parse().unwrap();
        assert!(a < b && b < c);
    }
}
