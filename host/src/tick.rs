//! A timer, when asked (`--tick SECS:PATH`): the host posts `{}` to PATH on
//! its own address every SECS, as a Kubernetes CronJob or a systemd timer
//! would beside real Spin, which has no timer trigger. The request goes
//! through the server like any other (limits, log line); the token, if any,
//! comes from `SPIN_LOCAL_HOST_TICK_TOKEN` and is sent as `authorization:
//! Bearer`, never printed.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub every: Duration,
    pub path: String,
}

impl Tick {
    /// `SECS:PATH`, e.g. `30:/api/admin/notifications/sweep`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (secs, path) = text.split_once(':').ok_or("expected SECS:PATH, e.g. 30:/api/admin/notifications/sweep")?;
        let secs: f64 = secs.trim().parse().map_err(|_| format!("{secs:?} is not a number of seconds"))?;
        if !(0.1..=86_400.0).contains(&secs) {
            return Err("the interval must be from 0.1 s to a day".into());
        }
        if !path.starts_with('/') || path.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            return Err(format!("{path:?} is not a path"));
        }
        Ok(Tick { every: Duration::from_secs_f64(secs), path: path.to_owned() })
    }
}

/// Posts to the path every interval until the host stops.
pub async fn run(tick: Tick, addr: SocketAddr) {
    let mut timer = tokio::time::interval(tick.every);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    timer.tick().await; // the first tick is now: wait one interval
    loop {
        timer.tick().await;
        match post(&tick.path, addr).await {
            Ok(status) if (200..300).contains(&status) => {}
            Ok(status) => eprintln!("spin-local-host: tick {}: HTTP {status}", tick.path),
            Err(e) => eprintln!("spin-local-host: tick {}: {e}", tick.path),
        }
    }
}

async fn post(path: &str, addr: SocketAddr) -> std::io::Result<u16> {
    let token = std::env::var("SPIN_LOCAL_HOST_TICK_TOKEN").unwrap_or_default();
    let auth = if token.is_empty() { String::new() } else { format!("authorization: Bearer {token}\r\n") };
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n{auth}content-length: 2\r\nconnection: close\r\n\r\n{{}}"
    );
    let mut stream = tokio::time::timeout(Duration::from_secs(10), tokio::net::TcpStream::connect(addr)).await??;
    stream.write_all(request.as_bytes()).await?;
    let mut head = vec![0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(120), stream.read(&mut head)).await??;
    let line = String::from_utf8_lossy(&head[..n]);
    line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| std::io::Error::other("no HTTP status"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_is_seconds_and_a_path() {
        assert_eq!(Tick::parse("30:/api/admin/notifications/sweep"), Ok(Tick { every: Duration::from_secs(30), path: "/api/admin/notifications/sweep".into() }));
        assert_eq!(Tick::parse("0.5:/x").unwrap().every, Duration::from_millis(500));
        for bad in ["30", "x:/a", "0:/a", "30:a", "30:/a b", "100000:/a"] {
            assert!(Tick::parse(bad).is_err(), "{bad}");
        }
    }
}
