//! Limits on how often something may happen, per client address or per
//! subject (a dossier code, a username), in a fixed window. The counting is
//! one SQL statement (`http_kit::throttle`); the rules are here, so tests
//! run them natively.
//!
//! Two kinds, because a government service must never lock out the rightful
//! holder: *work* limits (uploads, submissions, taps) count every request;
//! *failure* limits count only wrong secrets and passwords, after the check,
//! so a right secret or password is always accepted whoever failed before.
//! The 60-bit tracking secret (and the password) carries the security; the
//! failure limits slow a guesser down and bound the work they cause.

use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// What is counted and per what, e.g. `wrong-secret:client`.
    pub name: &'static str,
    /// Events allowed in one window; the next is refused until it ends.
    pub max: u32,
    pub window_secs: i64,
}

impl Limit {
    /// Seconds to wait when `count` events (this one included) fell in a
    /// window that ends at `window_ends`; `None` while within the limit.
    pub fn wait(&self, count: u32, window_ends: i64, now: i64) -> Option<i64> {
        (count > self.max).then(|| (window_ends - now).max(1))
    }

    /// The same limit with another maximum (an operator's variable).
    pub const fn with_max(self, max: u32) -> Limit {
        Limit { max, ..self }
    }
}

/// Wrong tracking secrets from one client address, any dossier.
pub const WRONG_SECRET_PER_CLIENT: Limit = Limit { name: "wrong-secret:client", max: 10, window_secs: 15 * 60 };
/// Wrong secrets for one dossier code from anywhere: past `max`, each further
/// wrong guess waits twice as long as the one before ([`growing_wait`]).
pub const WRONG_SECRET_PER_CODE: Limit = Limit { name: "wrong-secret:code", max: 10, window_secs: 60 * 60 };
/// Wrong passwords from one client address, any username.
pub const WRONG_PASSWORD_PER_CLIENT: Limit = Limit { name: "wrong-password:client", max: 10, window_secs: 15 * 60 };
/// Wrong passwords for one username from anywhere, with a growing wait.
pub const WRONG_PASSWORD_PER_USER: Limit = Limit { name: "wrong-password:user", max: 10, window_secs: 60 * 60 };
/// Wrong administrator tokens from one client address.
pub const WRONG_ADMIN_TOKEN_PER_CLIENT: Limit = Limit { name: "wrong-admin-token:client", max: 5, window_secs: 15 * 60 };
/// Photo uploads from one client address (the operator's `uploads_per_client` sets `max`).
pub const UPLOADS_PER_CLIENT: Limit = Limit { name: "uploads:client", max: 300, window_secs: 15 * 60 };
/// New dossiers from one client address (the operator's `submissions_per_client` sets `max`).
/// A service centre puts many citizens behind one address: generous on purpose.
pub const SUBMISSIONS_PER_CLIENT: Limit = Limit { name: "submissions:client", max: 60, window_secs: 15 * 60 };
/// Citizens' reports from one client address (the operator's
/// `reports_per_client` sets `max`): a kiosk at a service centre sends many.
pub const REPORTS_PER_CLIENT: Limit = Limit { name: "reports:client", max: 30, window_secs: 15 * 60 };
/// Comments on drafts from one client address (the operator's
/// `comments_per_client` sets `max`).
pub const COMMENTS_PER_CLIENT: Limit = Limit { name: "comments:client", max: 30, window_secs: 15 * 60 };
/// Online forms begun without JavaScript (drafts kept on the server) from one
/// client address: each is a row until it expires. Several per dossier are
/// normal (a cleared cookie, a second procedure), and a service centre puts
/// many citizens behind one address.
pub const FORM_DRAFTS_PER_CLIENT: Limit = Limit { name: "form-drafts:client", max: 240, window_secs: 15 * 60 };

/// Taps on one counter's screen a minute: a stuck finger or a script cannot
/// flood the figures.
pub const COUNTER_TAPS: Limit =
    Limit { name: "counter-taps", max: crate::ratings::COUNTER_RATINGS_PER_MINUTE, window_secs: 60 };

/// The wait a subject-wide failure limit asks of the next wrong guess: none
/// up to `limit.max` failures, then 2, 4, 8 … seconds, never past the window.
pub fn growing_wait(limit: &Limit, failures: u32) -> Option<i64> {
    let over = failures.checked_sub(limit.max).filter(|n| *n > 0)?;
    Some(2i64.checked_pow(over.min(30)).unwrap_or(i64::MAX).min(limit.window_secs))
}

/// The stored key for a subject under a limit: hashed, so the table holds
/// neither IP addresses nor usernames nor dossier codes.
pub fn key(limit: &Limit, subject: &str) -> String {
    let digest = Sha256::digest(subject.as_bytes());
    let short: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}:{short}", limit.name)
}

/// The client's address without the port (`spin-client-addr` is `ip:port`,
/// `[v6]:port` for IPv6): one client is one address, whatever its sockets.
pub fn client_ip(client_addr: &str) -> &str {
    let ip = client_addr.rsplit_once(':').map_or(client_addr, |(ip, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) && !ip.ends_with(':') { ip } else { client_addr }
    });
    ip.trim_start_matches('[').trim_end_matches(']')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_lets_max_events_through_and_refuses_the_next_until_the_window_ends() {
        let l = Limit { name: "t", max: 3, window_secs: 60 };
        for count in 1..=3 {
            assert_eq!(l.wait(count, 1060, 1000), None, "event {count}");
        }
        assert_eq!(l.wait(4, 1060, 1000), Some(60));
        assert_eq!(l.wait(4, 1060, 1059), Some(1));
        assert_eq!(l.with_max(10).wait(4, 1060, 1000), None);
    }

    #[test]
    fn the_wait_for_one_subject_grows_with_each_failure_and_stops_at_the_window() {
        let l = WRONG_SECRET_PER_CODE;
        assert_eq!(growing_wait(&l, 0), None);
        assert_eq!(growing_wait(&l, l.max), None);
        assert_eq!(growing_wait(&l, l.max + 1), Some(2));
        assert_eq!(growing_wait(&l, l.max + 2), Some(4));
        assert_eq!(growing_wait(&l, l.max + 5), Some(32));
        assert_eq!(growing_wait(&l, l.max + 40), Some(l.window_secs));
        assert_eq!(growing_wait(&l, u32::MAX), Some(l.window_secs));
    }

    #[test]
    fn keys_hold_no_address_or_name() {
        let k = key(&WRONG_PASSWORD_PER_USER, "lan.nguyen");
        assert!(!k.contains("lan.nguyen") && k.starts_with("wrong-password:user:"));
        assert_ne!(k, key(&WRONG_PASSWORD_PER_CLIENT, "lan.nguyen"));
        assert_ne!(k, key(&WRONG_PASSWORD_PER_USER, "lan.nguyen2"));
    }

    #[test]
    fn a_client_is_its_address_whatever_the_port() {
        assert_eq!(client_ip("203.0.113.7:51234"), "203.0.113.7");
        assert_eq!(client_ip("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(client_ip("203.0.113.7"), "203.0.113.7");
        assert_eq!(client_ip(""), "");
    }
}
