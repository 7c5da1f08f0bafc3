//! The citizen's pages as Leptos views, one source for two renderers:
//! - the browser app (`frontend/`, `csr`) draws them with live signals;
//! - the pages component (`functions/pages`, `ssr`) renders them to HTML on
//!   the server, for the first paint and for browsers that run no JavaScript
//!   (or not our WebAssembly).
//!
//! Nothing here touches the browser: what only the app does (fetching,
//! storage, focus after an in-app page change) stays in `frontend/`, and what
//! only the server does (reading the request, the database) in the component.

pub mod accessibility;
pub mod consultations;
pub mod faces;
pub mod form;
pub mod frame;
pub mod i18n;
pub mod icon;
pub mod labels;
pub mod procedure;
pub mod procedure_card;
pub mod rating;
pub mod receipt;
pub mod reports;
pub mod search;
pub mod tracking;
pub mod ui;
