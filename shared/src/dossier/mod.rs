//! Dossiers (hồ sơ): their code, their lifecycle and the working-day clock
//! that sets the appointment date.

pub mod calendar;
pub mod code;
pub mod lifecycle;
pub mod api;
pub mod attachments;
pub mod secret;
