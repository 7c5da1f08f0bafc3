//! One file per page.

pub mod accessibility;
pub mod apply;
pub mod consultation;
pub mod consultations;
pub mod dashboard;
pub mod not_found;
pub mod preview;
pub mod procedure;
pub mod rate;
pub mod receipt;
pub mod report;
pub mod report_new;
pub mod reports;
pub mod search;
pub mod track;
