//! The province's receiving agencies (cơ quan tiếp nhận): where a citizen
//! goes with their papers. The administrator keeps them as data; the receipt
//! and the procedure page show the place, its hours and its phone.

use crate::catalogue_import::is_procedure_code;
use crate::dossier::calendar::Date;
use crate::dossier::code::DossierCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The most procedures one agency is listed as receiving.
pub const MAX_AGENCY_PROCEDURES: usize = 5000;

/// An agency as the administrator keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Mã định danh, the prefix of the dossier codes it issues (`000.21.06.H56`).
    pub id: String,
    pub name: String,
    pub address: String,
    /// In words, as the office posts them: "Thứ Hai đến Thứ Sáu, 7:30–11:30 và 13:30–17:00".
    pub opening_hours: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Codes of the procedures it receives.
    #[serde(default)]
    pub procedures: Vec<String>,
    /// Working days it has to answer a citizen's report; absent is
    /// `reports::DEFAULT_ANSWER_DAYS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_answer_days: Option<u32>,
}

/// Where to go, as citizens read it on a receipt or a procedure page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyPlace {
    pub id: String,
    pub name: String,
    pub address: String,
    pub opening_hours: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// An agency in the administrator's list: how many procedures it receives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyListing {
    #[serde(flatten)]
    pub place: AgencyPlace,
    pub procedures: u32,
}

impl Agency {
    pub fn place(&self) -> AgencyPlace {
        AgencyPlace {
            id: self.id.clone(),
            name: self.name.clone(),
            address: self.address.clone(),
            opening_hours: self.opening_hours.clone(),
            phone: self.phone.clone(),
        }
    }
}

/// Checks an agency before it is saved; the first problem, as (field, message).
pub fn check_agency(a: &Agency) -> Result<(), (&'static str, String)> {
    let some_day = Date::new(2026, 1, 1).expect("a real date");
    if DossierCode::new(&a.id, some_day, 1).is_err() {
        return Err(("id", "an agency code starts dossier codes: 1 to 32 letters, digits or dots".into()));
    }
    for (field, value, max) in [("name", &a.name, 200), ("address", &a.address, 300), ("opening_hours", &a.opening_hours, 200)] {
        let n = value.trim().chars().count();
        if n == 0 {
            return Err((field, "must not be empty".into()));
        }
        if n > max || value.chars().any(char::is_control) {
            return Err((field, format!("at most {max} characters on one line")));
        }
    }
    if let Some(phone) = &a.phone {
        let ok = (6..=20).contains(&phone.len()) && phone.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c));
        if !ok {
            return Err(("phone", "digits, spaces and + - . ( ), 6 to 20 characters".into()));
        }
    }
    if a.report_answer_days.is_some_and(|d| !crate::reports::ANSWER_DAYS.contains(&d)) {
        return Err(("report_answer_days", "working days to answer a report: 1 to 30".into()));
    }
    if a.procedures.len() > MAX_AGENCY_PROCEDURES {
        return Err(("procedures", format!("at most {MAX_AGENCY_PROCEDURES} procedures")));
    }
    let mut seen = BTreeSet::new();
    for code in &a.procedures {
        if !is_procedure_code(code) {
            return Err(("procedures", format!("{code:?} is not a procedure code")));
        }
        if !seen.insert(code) {
            return Err(("procedures", format!("{code} is listed twice")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency() -> Agency {
        Agency {
            id: "000.21.06.H56".into(),
            name: "Bộ phận Một cửa UBND xã".into(),
            address: "Xã Mù Cang Chải, Lào Cai".into(),
            opening_hours: "Thứ Hai đến Thứ Sáu".into(),
            phone: Some("0214 3878 123".into()),
            procedures: vec!["1.001193".into()],
            report_answer_days: None,
        }
    }

    #[test]
    fn an_agency_is_checked_field_by_field() {
        assert_eq!(check_agency(&agency()), Ok(()));
        assert_eq!(check_agency(&Agency { id: "bad id".into(), ..agency() }).unwrap_err().0, "id");
        assert_eq!(check_agency(&Agency { name: " ".into(), ..agency() }).unwrap_err().0, "name");
        assert_eq!(check_agency(&Agency { address: "a\nb".into(), ..agency() }).unwrap_err().0, "address");
        assert_eq!(check_agency(&Agency { phone: Some("call me".into()), ..agency() }).unwrap_err().0, "phone");
        let twice = Agency { procedures: vec!["1.001193".into(), "1.001193".into()], ..agency() };
        assert!(check_agency(&twice).unwrap_err().1.contains("twice"));
        assert_eq!(check_agency(&Agency { procedures: vec!["no code!".into()], ..agency() }).unwrap_err().0, "procedures");
        assert_eq!(check_agency(&Agency { report_answer_days: Some(0), ..agency() }).unwrap_err().0, "report_answer_days");
        assert_eq!(check_agency(&Agency { report_answer_days: Some(5), ..agency() }), Ok(()));
    }
}
