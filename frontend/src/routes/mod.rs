//! One file per page.

pub mod not_found;
pub mod procedure;
pub mod search;
