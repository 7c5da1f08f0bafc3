//! The form descriptions embedded from `forms/`.

use motcua_shared::forms::{FormSpec, FormSummary};

include!(concat!(env!("OUT_DIR"), "/forms.rs"));

/// The form for a procedure, if it can be done online here.
pub fn find(procedure_code: &str) -> Option<FormSpec> {
    FORMS.iter().find(|(code, _)| *code == procedure_code).and_then(|(_, json)| serde_json::from_str(json).ok())
}

/// Every form, as the desk's intake page lists them.
pub fn all() -> Vec<FormSummary> {
    FORMS
        .iter()
        .filter_map(|(_, json)| serde_json::from_str::<FormSpec>(json).ok())
        .map(|f| FormSummary { procedure_code: f.procedure_code, agency_id: f.agency_id, title_vi: f.title_vi })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue a fresh portal imports first.
    const FIRST_CATALOGUE: &str = include_str!("../../../data/procedures.json");

    #[test]
    fn every_embedded_form_parses_and_names_its_procedure() {
        assert!(FORMS.len() >= 8, "only {} forms", FORMS.len());
        for (code, json) in FORMS {
            let spec: FormSpec = serde_json::from_str(json).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(spec.procedure_code, *code);
            assert!(FIRST_CATALOGUE.contains(&format!("\"code\": \"{code}\"")), "{code} is not in data/procedures.json");
            assert!(find(code).is_some());
        }
        assert!(find("9.999999").is_none());
        assert_eq!(all().len(), FORMS.len());
    }
}
