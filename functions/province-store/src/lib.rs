//! What a province's staff publish and edit at run time, by domain: the
//! procedure catalogue and its imports, the online forms in versions, the
//! receiving agencies, the working-day calendar, the message templates, the translations and recordings, and the administrators'
//! audit trail.
//! One crate owns these tables so every component that reads a procedure
//! (the catalogue, submission, tracking, the desk, the figures) applies the
//! same migrations, whichever touches the database first. It speaks SQL only.

mod agencies;
mod audit;
mod calendar;
mod forms;
mod imports;
mod procedures;
mod templates;
mod translations;

pub use agencies::*;
pub use audit::*;
pub use calendar::*;
pub use forms::*;
pub use templates::*;
pub use translations::*;
pub use imports::*;
pub use procedures::*;

use http_kit::db::{migrate as apply, open_migrated, Migration};
use spin_sdk::sqlite::{Connection, Error};

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "procedures, their words, catalogue versions and imports", apply: create_catalogue },
    Migration { version: 2, name: "the administrators' audit trail", apply: audit::create_table },
    Migration { version: 3, name: "the working-day calendar by year", apply: calendar::create_table },
    Migration { version: 4, name: "procedures' online forms in versions", apply: forms::create_table },
    Migration { version: 5, name: "receiving agencies and their procedures", apply: agencies::create_tables },
    Migration { version: 6, name: "the offline catalogue index, in parts", apply: procedures::create_offline_index },
    Migration { version: 7, name: "search: names starting with the phrase by index, withdrawn out of the word index", apply: procedures::search_by_phrase },
    Migration { version: 8, name: "search: the filters as tokens in the word index", apply: procedures::facets_in_the_word_index },
    Migration { version: 9, name: "message templates per event and language", apply: templates::create_table },
    Migration { version: 10, name: "translations, published language files, recordings and the forms' strings", apply: translations::create_tables },
    Migration { version: 11, name: "the working days each agency has to answer a report", apply: agencies::add_report_answer_days },
];

fn create_catalogue(conn: &Connection) -> Result<(), Error> {
    imports::create_tables(conn)?;
    procedures::create_tables(conn)
}

/// The default database with every province table migrated.
pub fn open() -> Result<Connection, Error> {
    open_migrated("province", MIGRATIONS)
}

/// Applies the province tables' migrations on a connection another store opened.
pub fn migrate(conn: &Connection) -> Result<(), Error> {
    apply(conn, "province", MIGRATIONS)
}

pub(crate) fn text(s: &str) -> spin_sdk::sqlite::Value {
    spin_sdk::sqlite::Value::Text(s.to_owned())
}

pub(crate) fn int(n: impl Into<i64>) -> spin_sdk::sqlite::Value {
    spin_sdk::sqlite::Value::Integer(n.into())
}
