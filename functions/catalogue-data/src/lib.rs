//! The seed file: real procedure records copied from `shared/data/procedures.json`
//! (facts with their source). The catalogue loads them into the database on
//! first use; the submission function reads a procedure's name, processing
//! time and documents from here for its receipts, so it never depends on the
//! catalogue's tables existing.

pub mod units;

use motcua_shared::catalogue::{Procedure, SeedRecord};
use motcua_shared::search::SearchKeys;
use std::sync::OnceLock;

const SEED_JSON: &str = include_str!("../seed/procedures.json");

pub fn procedures() -> Result<Vec<Procedure>, serde_json::Error> {
    let records: Vec<SeedRecord> = serde_json::from_str(SEED_JSON)?;
    Ok(records.into_iter().map(Procedure::from).collect())
}

/// One procedure's record by code. The 400 KB seed is parsed once per
/// component instance, not once per lookup (a desk queue looks up every row).
pub fn procedure(code: &str) -> Option<&'static Procedure> {
    static ALL: OnceLock<Vec<Procedure>> = OnceLock::new();
    ALL.get_or_init(|| procedures().unwrap_or_default()).iter().find(|p| p.code == code)
}

/// The folded words a procedure is found by, as stored beside it.
pub fn search_keys(p: &Procedure) -> SearchKeys {
    SearchKeys::new(&p.code, &p.name, &p.field, p.result.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_shared::search::rank;
    use motcua_shared::text::words;
    use std::collections::HashSet;

    #[test]
    fn seed_has_unique_codes_and_sources() {
        let all = procedures().unwrap();
        assert!(all.len() >= 50, "seed holds {} records", all.len());
        let codes: HashSet<_> = all.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes.len(), all.len(), "codes repeat in the seed");
        assert!(all.iter().all(|p| !p.source.is_empty() && !p.name.is_empty()));
    }

    #[test]
    fn unaccented_birth_registration_finds_it_first() {
        let all = procedures().unwrap();
        let items = all.iter().map(|p| (p.code.clone(), search_keys(p))).collect();
        let found = rank(&words("dang ky khai sinh"), items);
        assert_eq!(found.first().map(String::as_str), Some("1.001193"));
    }
}
