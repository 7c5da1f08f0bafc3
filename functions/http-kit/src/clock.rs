//! Time as the one-stop desks keep it: Vietnam (UTC+7, no daylight saving).

use motcua_shared::dossier::calendar::Date;
use std::time::{SystemTime, UNIX_EPOCH};

const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Today's date in Vietnam.
pub fn today() -> Date {
    Date::from_unix_time(unix_now(), VIETNAM_OFFSET_SECS).unwrap_or_else(|| Date::new(1970, 1, 1).expect("valid"))
}

/// Now as `YYYY-MM-DDTHH:MM:SS+07:00`.
pub fn now_iso() -> String {
    iso_at(unix_now())
}

/// `YYYY-MM-DDTHH:MM:SS+07:00` for a time in seconds since the epoch.
pub fn iso_at(secs: i64) -> String {
    let day = Date::from_unix_time(secs, VIETNAM_OFFSET_SECS).map(|d| d.to_string()).unwrap_or_default();
    let s = (secs + i64::from(VIETNAM_OFFSET_SECS)).rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}+07:00", s / 3600, s % 3600 / 60, s % 60)
}

/// Seconds since the epoch, for rate-limit windows.
pub fn unix_seconds() -> i64 {
    unix_now()
}
