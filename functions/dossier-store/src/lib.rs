//! The dossier tables, by domain: dossiers and their audit trail, officers
//! and sessions, uploads, ratings and tallies, messages to citizens, the
//! online form's drafts kept for browsers without JavaScript, citizens'
//! reports with their answers, and consultations on drafts. One crate owns their schema so the
//! submission, tracking, desk, ratings and reports components apply the same
//! migrations in the same order, whichever of them touches the database
//! first. It speaks SQL only: no HTTP, except `holder`, where a citizen's
//! secret meets the throttles.

pub mod drafts;
mod consultations;
mod dossiers;
mod holder;
mod notifications;
mod officers;
mod ratings;
mod reports;
mod tallies;
mod uploads;

pub use consultations::*;
pub use dossiers::*;
pub use holder::{find_for_holder, rate_as_holder, tracking};
pub use notifications::*;
pub use officers::*;
pub use ratings::*;
pub use reports::*;
pub use uploads::*;

use http_kit::db::{open_migrated, Migration};
use spin_sdk::sqlite::{Connection, Error};

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "dossiers, sequences, events, idempotency", apply: dossiers::create_tables },
    Migration { version: 2, name: "officers and desk sessions", apply: officers::create_desk_tables },
    Migration { version: 3, name: "uploads and attachments", apply: uploads::create_upload_table },
    Migration { version: 4, name: "ratings, tallies and counter sessions", apply: ratings::create_rating_tables },
    Migration { version: 5, name: "the open queue in receipt order", apply: dossiers::create_queue_index },
    Migration { version: 6, name: "session scopes and the agency's counters", apply: scopes_and_counters },
    Migration { version: 7, name: "the citizen of each dossier, for the desk's search", apply: dossiers::add_citizen_columns },
    Migration { version: 8, name: "the form version each dossier was filled with", apply: dossiers::add_form_version },
    Migration { version: 9, name: "officer accounts can be disabled", apply: officers::add_disabled_at },
    Migration { version: 10, name: "how citizens are told, and the messages' outbox", apply: notifications::create_tables },
    Migration { version: 11, name: "a translator's language", apply: officers::add_language },
    Migration { version: 12, name: "the online form's drafts kept on the server", apply: drafts::create_tables },
    Migration { version: 13, name: "citizens' reports, their trail, word index, tallies and photos", apply: reports::create_tables },
    Migration { version: 14, name: "consultations on drafts, their comments and responses", apply: consultations::create_tables },
];

fn scopes_and_counters(conn: &Connection) -> Result<(), Error> {
    officers::add_session_scope(conn)?;
    ratings::create_counters(conn)
}

/// The default database with every dossier table migrated, and the
/// province's tables (the procedures dossiers are made under) too.
pub fn open() -> Result<Connection, Error> {
    let conn = open_migrated("dossiers", MIGRATIONS)?;
    province_store::migrate(&conn)?;
    Ok(conn)
}
