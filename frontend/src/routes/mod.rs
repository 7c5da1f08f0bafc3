//! One file per page.

pub mod apply;
pub mod not_found;
pub mod procedure;
pub mod receipt;
pub mod search;
pub mod track;
