//! The form descriptions embedded from `forms/`.

use motcua_shared::forms::FormSpec;

include!(concat!(env!("OUT_DIR"), "/forms.rs"));

/// The form for a procedure, if it can be done online here.
pub fn find(procedure_code: &str) -> Option<FormSpec> {
    FORMS.iter().find(|(code, _)| *code == procedure_code).and_then(|(_, json)| serde_json::from_str(json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_form_parses_and_names_its_procedure() {
        assert!(FORMS.len() >= 8, "only {} forms", FORMS.len());
        for (code, json) in FORMS {
            let spec: FormSpec = serde_json::from_str(json).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(spec.procedure_code, *code);
            assert!(catalogue_data::procedure(code).is_some(), "{code} is not in the catalogue");
            assert!(find(code).is_some());
        }
        assert!(find("9.999999").is_none());
    }
}
