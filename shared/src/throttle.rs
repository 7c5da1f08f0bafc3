//! Failed attempts per subject (a dossier code, a username) and per client in
//! a fixed window, so a tracking secret or a password cannot be guessed by
//! trying. The counters live in Spin's key-value store.

use serde::{Deserialize, Serialize};

pub const WINDOW_SECS: i64 = 15 * 60;
pub const MAX_FAILURES: u32 = 10;

/// Failures counted since `window_start` (seconds since the epoch).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    pub window_start: i64,
    pub count: u32,
}

impl Failures {
    /// Seconds to wait before trying again, if the limit is reached.
    pub fn retry_after(&self, now: i64) -> Option<i64> {
        self.retry_after_limit(now, MAX_FAILURES)
    }

    /// The same with another limit: counting uploads rather than failures.
    pub fn retry_after_limit(&self, now: i64, limit: u32) -> Option<i64> {
        let ends = self.window_start + WINDOW_SECS;
        (self.count >= limit && now < ends).then_some(ends - now)
    }

    /// One more failure at `now`; a window that has ended starts again.
    pub fn record(self, now: i64) -> Failures {
        if now >= self.window_start + WINDOW_SECS {
            Failures { window_start: now, count: 1 }
        } else {
            Failures { window_start: self.window_start, count: self.count + 1 }
        }
    }
}

/// The key-value keys for a subject and a client, under `purpose`. Both are
/// hashed, so the store holds neither IP addresses nor usernames.
pub fn keys(purpose: &str, subject: &str, client_addr: &str) -> [String; 2] {
    use sha2::{Digest, Sha256};
    let short = |s: &str| -> String { Sha256::digest(s.as_bytes())[..8].iter().map(|b| format!("{b:02x}")).collect() };
    let ip = client_addr.rsplit_once(':').map_or(client_addr, |(ip, _)| ip);
    [format!("{purpose}-failures:subject:{}", short(subject)), format!("{purpose}-failures:client:{}", short(ip))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_until_the_window_ends() {
        let mut f = Failures::default();
        for i in 0..MAX_FAILURES {
            assert_eq!(f.retry_after(1000), None, "after {i} failures");
            f = f.record(1000);
        }
        assert_eq!(f.retry_after(1000), Some(WINDOW_SECS));
        assert_eq!(f.retry_after(1000 + WINDOW_SECS), None);
        assert_eq!(f.record(1000 + WINDOW_SECS).count, 1);
    }

    #[test]
    fn keys_hold_no_address_or_name() {
        let [subject, client] = keys("sign-in", "lan.nguyen", "203.0.113.7:51234");
        assert!(!subject.contains("lan.nguyen") && subject.starts_with("sign-in-failures:subject:"));
        assert!(!client.contains("203.0.113.7"));
        assert_eq!(keys("sign-in", "x", "203.0.113.7:1")[1], client, "the port is not part of the client");
        assert_ne!(keys("tracking", "lan.nguyen", "1:1")[0], keys("sign-in", "lan.nguyen", "1:1")[0]);
    }
}
