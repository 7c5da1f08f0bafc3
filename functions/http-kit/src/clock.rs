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
    let local = unix_now() + i64::from(VIETNAM_OFFSET_SECS);
    let secs = local.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}+07:00", today(), secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Seconds since the epoch, for rate-limit windows.
pub fn unix_seconds() -> i64 {
    unix_now()
}
