//! Pieces shared by the pages.

pub mod address;
pub mod chart;
pub use motcua_views::faces;
pub mod focus;
pub mod header;
pub use motcua_views::icon;
pub mod keypad;
pub mod kiosk;
pub mod labels;
pub mod load_error;
pub mod notify_choice;
pub mod offline_ready;
pub mod outbox_notice;
pub mod page_heading;
pub mod read_aloud;
