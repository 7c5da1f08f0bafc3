//! Interface words for codes (shared with the server's pages, see
//! `motcua_views::labels`), and for what only the app meets: a failed fetch.

use crate::api::FetchError;
use crate::state::Ui;
pub use motcua_views::labels::*;

pub fn fetch_error(ui: Ui, error: &FetchError) -> String {
    match error {
        FetchError::Network => ui.t("error.network").to_owned(),
        FetchError::Unexpected => ui.t("error.unexpected").to_owned(),
        FetchError::Api(e) => api_error(ui, e),
    }
}
