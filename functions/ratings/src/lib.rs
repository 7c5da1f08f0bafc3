//! Ratings component: citizens rate the service, the province publishes how
//! it serves.
//!
//! Routes (see spin.toml):
//! - `GET /api/ratings/criteria`: the criteria (data: `criteria.json`)
//! - `POST /api/ratings/dossiers/{code}`: the holder of a returned (or refused)
//!   dossier rates it, once; changeable for a day
//! - `GET|POST|DELETE /api/ratings/counter`: an officer's counter screen session
//! - `POST /api/ratings/counter/taps`: one tap on the counter screen
//! - `GET /api/stats`, `GET /api/stats.csv`: the public figures
//! - `GET /api/ratings/staff`: the supervisor's figures per officer and counter, and comments

use motcua_shared::ratings::Criterion;

const CRITERIA_JSON: &str = include_str!("../criteria.json");

/// The criteria a dossier is rated on, in order.
pub fn criteria() -> Vec<Criterion> {
    serde_json::from_str(CRITERIA_JSON).unwrap_or_default()
}

#[cfg(target_arch = "wasm32")]
mod handler;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_criteria_file_is_valid() {
        let all = criteria();
        assert!(all.len() >= 3);
        assert!(all.iter().any(|c| c.id == motcua_shared::ratings::OVERALL), "the counter screen asks `overall`");
        for c in &all {
            assert_eq!(c.label_key, format!("rating.criterion.{}", c.id));
            assert!(!c.label_vi.trim().is_empty());
        }
    }
}
