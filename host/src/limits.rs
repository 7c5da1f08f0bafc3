//! Limits that keep slow or greedy clients from starving everyone else:
//! how long a request's head and body may take, how many connections one
//! address may hold, and how many requests may run components at once.
//! `spin up` (Spin 4) has none of these in its own HTTP server.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{Result, bail};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};

/// Component instances the pooling allocator holds (`runtime::engine`): the
/// request cap must stay below it, so a full pool never turns into a 500.
pub const POOL_INSTANCES: usize = 128;

#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// From a connection's start, or the end of its previous response, to the
    /// end of the request head. Hyper starts this timer as soon as the
    /// connection is idle, so it is also the keep-alive idle timeout.
    /// `None`: no limit.
    pub header_timeout: Option<Duration>,
    /// Longest wait for the next piece of a request body. `None`: no limit.
    pub body_idle_timeout: Option<Duration>,
    /// After `body_rate_grace`, a body must have averaged at least this many
    /// bytes a second since its head arrived. 0: no minimum.
    pub body_min_rate: u64,
    pub body_rate_grace: Duration,
    /// Connections one client address may hold open at once. 0: no limit.
    pub max_connections_per_address: usize,
    /// Requests from one address running components at once: its share of
    /// the slots below, so one address never holds them all. 0: no share.
    pub max_requests_per_address: usize,
    /// How long a request waits for its address's share (its own earlier
    /// requests) before a 503.
    pub address_queue_timeout: Duration,
    /// Requests running components at once (at most [`POOL_INSTANCES`]).
    pub max_concurrent_requests: usize,
    /// How long a request waits for one of those slots before a 503.
    pub queue_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Some(Duration::from_secs(10)),
            body_idle_timeout: Some(Duration::from_secs(15)),
            body_min_rate: 256,
            body_rate_grace: Duration::from_secs(10),
            max_connections_per_address: 128,
            max_requests_per_address: 50,
            address_queue_timeout: Duration::from_secs(10),
            max_concurrent_requests: 100,
            queue_timeout: Duration::from_secs(1),
        }
    }
}

/// The command-line flags (each also read from `SPIN_LOCAL_HOST_<FLAG>`,
/// e.g. `SPIN_LOCAL_HOST_BODY_IDLE_TIMEOUT`; a flag wins over its variable).
pub const FLAGS: [&str; 9] = [
    "--header-timeout",
    "--body-idle-timeout",
    "--body-min-rate",
    "--body-rate-grace",
    "--max-connections-per-address",
    "--max-requests-per-address",
    "--address-queue-timeout",
    "--max-concurrent-requests",
    "--queue-timeout",
];

/// `--body-idle-timeout` → `SPIN_LOCAL_HOST_BODY_IDLE_TIMEOUT`.
pub fn env_name(flag: &str) -> String {
    format!(
        "SPIN_LOCAL_HOST_{}",
        flag.trim_start_matches('-')
            .to_ascii_uppercase()
            .replace('-', "_")
    )
}

impl Limits {
    /// Sets one limit from its flag's value. Durations are seconds (decimals
    /// allowed); 0 turns a timeout, the minimum rate or the per-address cap off.
    pub fn set(&mut self, flag: &str, value: &str) -> Result<()> {
        let value = value.trim();
        let seconds = || -> Result<Duration> {
            match value.parse::<f64>() {
                Ok(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => {
                    Ok(Duration::from_secs_f64(s))
                }
                _ => bail!("{flag} takes seconds (0 to 86400), not {value:?}"),
            }
        };
        let optional = |d: Duration| (!d.is_zero()).then_some(d);
        let count = || -> Result<u64> {
            value
                .parse::<u64>()
                .map_err(|_| anyhow::anyhow!("{flag} takes a whole number, not {value:?}"))
        };
        match flag {
            "--header-timeout" => self.header_timeout = optional(seconds()?),
            "--body-idle-timeout" => self.body_idle_timeout = optional(seconds()?),
            "--body-min-rate" => self.body_min_rate = count()?,
            "--body-rate-grace" => self.body_rate_grace = seconds()?,
            "--max-connections-per-address" => {
                self.max_connections_per_address = count()?.try_into().unwrap_or(usize::MAX)
            }
            "--max-requests-per-address" => {
                self.max_requests_per_address = count()?.try_into().unwrap_or(usize::MAX)
            }
            "--address-queue-timeout" => self.address_queue_timeout = seconds()?,
            "--max-concurrent-requests" => {
                let n = count()?;
                if n == 0 || n > POOL_INSTANCES as u64 {
                    bail!(
                        "{flag} must be 1 to {POOL_INSTANCES} (the instance pool holds {POOL_INSTANCES}), not {n}"
                    );
                }
                self.max_concurrent_requests = n as usize;
            }
            "--queue-timeout" => self.queue_timeout = seconds()?,
            other => bail!("unknown limit {other:?}"),
        }
        Ok(())
    }
}

/// Per client address: its open connections, and its share of the request slots.
#[derive(Debug, Default)]
pub struct AddressCounts {
    open: Mutex<HashMap<IpAddr, AddressEntry>>,
}

#[derive(Debug)]
struct AddressEntry {
    connections: usize,
    requests: Option<Arc<Semaphore>>,
}

impl AddressCounts {
    /// Counts a new connection from `ip`, unless it already holds
    /// `limits.max_connections_per_address` (`None` then). The count drops
    /// when the guard does.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, limits: &Limits) -> Option<AddressGuard> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let cap = limits.max_connections_per_address;
        if cap != 0 && open.get(&ip).is_some_and(|e| e.connections >= cap) {
            return None;
        }
        let entry = open.entry(ip).or_insert_with(|| AddressEntry {
            connections: 0,
            requests: (limits.max_requests_per_address != 0)
                .then(|| Arc::new(Semaphore::new(limits.max_requests_per_address))),
        });
        entry.connections += 1;
        Some(AddressGuard {
            counts: self.clone(),
            ip,
            requests: entry.requests.clone(),
        })
    }

    #[cfg(test)]
    fn open(&self, ip: IpAddr) -> usize {
        let open = self.open.lock().unwrap();
        open.get(&ip).map_or(0, |e| e.connections)
    }
}

/// One counted connection.
pub struct AddressGuard {
    counts: Arc<AddressCounts>,
    ip: IpAddr,
    requests: Option<Arc<Semaphore>>,
}

impl AddressGuard {
    /// The address's share of the request slots (`None`: no per-address share).
    pub fn requests(&self) -> Option<Arc<Semaphore>> {
        self.requests.clone()
    }
}

impl Drop for AddressGuard {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = open.get_mut(&self.ip) {
            entry.connections = entry.connections.saturating_sub(1);
            if entry.connections == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// A request body that fails (with a read timeout) when the client pauses
/// longer than the idle timeout between pieces, or sends slower on average
/// than the minimum rate once the grace period is over. The guest's read then
/// fails, it answers, and the server replaces that answer with a 408 and
/// closes the connection (`timed_out` tells it so).
pub struct TimedBody {
    inner: Incoming,
    idle: Option<Duration>,
    min_rate: u64,
    grace: Duration,
    started: Instant,
    last_frame: Instant,
    received: u64,
    timer: Option<Pin<Box<Sleep>>>,
    timed_out: Arc<AtomicBool>,
    failed: bool,
}

impl TimedBody {
    pub fn new(inner: Incoming, limits: &Limits, timed_out: Arc<AtomicBool>) -> Self {
        let now = Instant::now();
        TimedBody {
            inner,
            idle: limits.body_idle_timeout,
            min_rate: limits.body_min_rate,
            grace: limits.body_rate_grace,
            started: now,
            last_frame: now,
            received: 0,
            timer: None,
            timed_out,
            failed: false,
        }
    }

    /// When the body is too slow if nothing more arrives before then.
    fn deadline(&self) -> Option<Instant> {
        let idle = self.idle.map(|d| self.last_frame + d);
        let rate = (self.min_rate > 0).then(|| {
            // Averaging `min_rate` means `received` bytes are enough until
            // `received / min_rate` seconds after the start.
            let earned = Duration::from_secs_f64(self.received as f64 / self.min_rate as f64);
            self.started + self.grace.max(earned)
        });
        match (idle, rate) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                this.last_frame = Instant::now();
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.failed = true;
                Poll::Ready(Some(Err(e.into())))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let Some(deadline) = this.deadline() else {
                    return Poll::Pending;
                };
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                if timer.as_mut().poll(cx).is_ready() {
                    this.failed = true;
                    this.timed_out.store(true, Ordering::Relaxed);
                    return Poll::Ready(Some(Err(
                        wasmtime_wasi_http::Error::ConnectionReadTimeout,
                    )));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_and_validate() {
        let mut l = Limits::default();
        l.set("--header-timeout", "2.5").unwrap();
        assert_eq!(l.header_timeout, Some(Duration::from_millis(2500)));
        l.set("--body-idle-timeout", "0").unwrap();
        assert_eq!(l.body_idle_timeout, None);
        l.set("--body-min-rate", "1000").unwrap();
        assert_eq!(l.body_min_rate, 1000);
        l.set("--max-concurrent-requests", "128").unwrap();
        assert!(l.set("--max-concurrent-requests", "129").is_err());
        assert!(l.set("--max-concurrent-requests", "0").is_err());
        assert!(l.set("--queue-timeout", "-1").is_err());
        assert!(l.set("--queue-timeout", "soon").is_err());
        assert!(l.set("--max-connections-per-address", "1.5").is_err());
        assert_eq!(
            env_name("--max-connections-per-address"),
            "SPIN_LOCAL_HOST_MAX_CONNECTIONS_PER_ADDRESS"
        );
        assert!(Limits::default().max_concurrent_requests < POOL_INSTANCES);
    }

    /// Serves one request whose body goes through a `TimedBody`, and
    /// reports what reading it all gave (the body's length, or a timeout).
    async fn read_body_sent_as(
        limits: Limits,
        pieces: Vec<(Duration, &'static [u8])>,
    ) -> Result<usize, bool> {
        use http_body_util::BodyExt;
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let tx = std::sync::Mutex::new(Some(tx));
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let timed_out = Arc::new(AtomicBool::new(false));
                let body = TimedBody::new(req.into_body(), &limits, timed_out.clone());
                let tx = tx.lock().unwrap().take();
                async move {
                    let result = match body.collect().await {
                        Ok(all) => Ok(all.to_bytes().len()),
                        Err(_) => Err(timed_out.load(Ordering::Relaxed)),
                    };
                    let _ = tx.map(|tx| tx.send(result));
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(String::new()))
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let total: usize = pieces.iter().map(|(_, p)| p.len()).sum();
        let head = format!(
            "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n\r\n",
            total + 1
        );
        client.write_all(head.as_bytes()).await.unwrap();
        let writer = tokio::spawn(async move {
            for (pause, piece) in pieces {
                tokio::time::sleep(pause).await;
                if client.write_all(piece).await.is_err() {
                    return;
                }
            }
            let _ = client.write_all(b"!").await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let result = tokio::time::timeout(Duration::from_secs(10), rx)
            .await
            .unwrap()
            .unwrap();
        writer.abort();
        server.abort();
        result
    }

    #[tokio::test]
    async fn slow_bodies_fail_with_a_timeout_and_steady_ones_arrive() {
        let limits = Limits {
            body_idle_timeout: Some(Duration::from_millis(300)),
            body_min_rate: 0,
            ..Limits::default()
        };
        let steady = vec![(Duration::from_millis(50), &b"abc"[..]); 10];
        assert_eq!(read_body_sent_as(limits.clone(), steady).await, Ok(31));
        let stalled = vec![
            (Duration::ZERO, &b"abc"[..]),
            (Duration::from_secs(3), &b"def"[..]),
        ];
        assert_eq!(
            read_body_sent_as(limits, stalled).await,
            Err(true),
            "idle too long"
        );

        // A byte every 100 ms never idles out, but is far below 1000 bytes/s.
        let trickle = Limits {
            body_idle_timeout: Some(Duration::from_secs(5)),
            body_min_rate: 1000,
            body_rate_grace: Duration::from_millis(500),
            ..Limits::default()
        };
        let bytes = vec![(Duration::from_millis(100), &b"x"[..]); 30];
        assert_eq!(
            read_body_sent_as(trickle, bytes).await,
            Err(true),
            "too slow on average"
        );
    }

    #[test]
    fn connections_are_counted_per_address() {
        let counts = Arc::new(AddressCounts::default());
        let limits = Limits {
            max_connections_per_address: 2,
            max_requests_per_address: 1,
            ..Limits::default()
        };
        let a: IpAddr = "127.0.0.3".parse().unwrap();
        let b: IpAddr = "127.0.0.4".parse().unwrap();
        let first = counts.admit(a, &limits).unwrap();
        let second = counts.admit(a, &limits).unwrap();
        assert!(counts.admit(a, &limits).is_none(), "third from one address");
        let other = counts.admit(b, &limits).unwrap();
        assert_eq!(counts.open(a), 2);

        // One share of request slots per address, whichever connection asks.
        let held = first.requests().unwrap().try_acquire_owned().unwrap();
        assert!(second.requests().unwrap().try_acquire_owned().is_err());
        assert!(other.requests().unwrap().try_acquire_owned().is_ok());
        drop(held);
        assert!(second.requests().unwrap().try_acquire_owned().is_ok());

        drop(first);
        let third = counts.admit(a, &limits).unwrap();
        drop((second, third, other));
        assert_eq!(counts.open(a), 0);
        assert!(
            counts.open.lock().unwrap().is_empty(),
            "no entries left behind"
        );

        let unlimited = Limits {
            max_connections_per_address: 0,
            max_requests_per_address: 0,
            ..Limits::default()
        };
        let many: Vec<_> = (0..1000)
            .map(|_| counts.admit(a, &unlimited).unwrap())
            .collect();
        assert!(many[0].requests().is_none());
    }
}
