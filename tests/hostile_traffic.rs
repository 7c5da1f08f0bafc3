//! Hostile-traffic journeys on the local host: clients that open many
//! connections and then send their uploads a few bytes at a time (or not at
//! all) must not keep anyone else from the portal, and the host must say
//! "busy, come back" (503 with Retry-After), never fail with a 500.
//!
//! The slow clients come from their own loopback addresses (Linux routes all
//! of 127/8 to `lo`); the citizen searches from 127.0.0.1 through the harness.
//! These journeys are about the local host's own server, so they always run
//! on it (real Spin has no such limits: see host/README.md).

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use journeys::{Portal, free_port};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// What became of one slow request.
#[derive(Debug, Clone)]
enum Outcome {
    /// An answer came (its status and head), and the connection was then closed.
    Answered { status: u16, head: String },
    /// Closed (or reset) with no answer.
    Closed,
    /// Still open and unanswered when the journey stopped waiting.
    StillOpen,
}

impl Outcome {
    fn status(&self) -> Option<u16> {
        match self {
            Outcome::Answered { status, .. } => Some(*status),
            _ => None,
        }
    }
    fn header(&self, name: &str) -> Option<String> {
        let Outcome::Answered { head, .. } = self else { return None };
        head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio")
}

/// A TCP connection to the portal from the loopback address `from`.
async fn connect_from(from: Ipv4Addr, port: u16) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.bind(SocketAddr::from((from, 0))).unwrap_or_else(|e| panic!("bind {from}: {e}"));
    socket.connect(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await.unwrap_or_else(|e| panic!("connect from {from}: {e}"))
}

/// Announces a 1 MB photo upload, then sends only its first 3 bytes.
async fn start_slow_upload(from: Ipv4Addr, port: u16) -> TcpStream {
    let mut stream = connect_from(from, port).await;
    let head = format!(
        "POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n"
    );
    // One write, so a refusal right after the head does not race the 3 bytes.
    let mut request = head.into_bytes();
    request.extend_from_slice(b"\xff\xd8\xff");
    stream.write_all(&request).await.expect("send head and 3 bytes");
    stream
}

/// Reads whatever the portal answers until it closes the connection (or `wait` passes).
async fn outcome(mut stream: TcpStream, wait: Duration) -> (Outcome, Instant) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => {
                let outcome = if got.is_empty() { Outcome::StillOpen } else { parse(&got) };
                return (outcome, Instant::now());
            }
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    let outcome = if got.is_empty() { Outcome::Closed } else { parse(&got) };
    (outcome, Instant::now())
}

fn parse(response: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(response);
    let head = text.split("\r\n\r\n").next().unwrap_or_default().to_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    Outcome::Answered { status, head }
}

/// A search from the loopback address `from`, on a connection of its own.
async fn search_from(from: Ipv4Addr, port: u16) -> Outcome {
    let mut stream = connect_from(from, port).await;
    let request =
        format!("GET /api/procedures?q=dang+ky+khai+sinh HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send search");
    outcome(stream, Duration::from_secs(30)).await.0
}

/// Slow requests may be refused (503), timed out (408), refused as bad or too
/// large (400, 413) or simply closed: never a 500, and never left hanging.
fn assert_refused_cleanly(outcomes: &[Outcome], portal: &Portal) {
    for (i, o) in outcomes.iter().enumerate() {
        let fine = match o {
            Outcome::Answered { status, .. } => matches!(status, 503 | 408 | 400 | 413),
            Outcome::Closed => true,
            Outcome::StillOpen => false,
        };
        assert!(fine, "slow request {i}: {o:?}\nhost log:\n{}", portal.log_lines().join("\n"));
        if o.status() == Some(503) {
            assert!(o.header("retry-after").is_some(), "a 503 without Retry-After: {o:?}");
        }
    }
}

/// 200 sockets from one address each announce a 1 MB upload and send 3 bytes,
/// then hold on. A citizen elsewhere still finds procedures at once; the slow
/// uploads are refused or timed out (never a 500), and once their body
/// timeout has passed their address is served again.
#[test]
fn a_citizen_still_finds_procedures_while_slow_clients_hold_200_sockets() {
    let state = tempfile::tempdir().expect("temp dir");
    // Default connection and request caps; the body timeouts are spelled out
    // so the journey knows how long the slow uploads may hold their slots.
    let portal = Portal::start_local_with_env(
        free_port(),
        state,
        &[("SPIN_LOCAL_HOST_BODY_IDLE_TIMEOUT", "15"), ("SPIN_LOCAL_HOST_BODY_RATE_GRACE", "15")],
    );
    assert_eq!(portal.get("/api/procedures?q=khai+sinh").status, 200, "first use: migrate and seed");
    let rt = runtime();
    let slow_address = Ipv4Addr::new(127, 0, 0, 3);
    let streams = rt.block_on(async {
        let mut streams = Vec::new();
        for _ in 0..200 {
            streams.push(start_slow_upload(slow_address, portal.port).await);
        }
        streams
    });
    let sent = Instant::now();
    let slow: Vec<_> = streams.into_iter().map(|s| rt.spawn(outcome(s, Duration::from_secs(90)))).collect();
    // Let the host take in every request head before the citizen comes.
    std::thread::sleep(Duration::from_millis(500));

    let asked = Instant::now();
    let reply = portal.try_request("GET", "/api/procedures?q=dang+ky+khai+sinh", &[], None);
    let answered = Instant::now();
    let reply = reply.unwrap_or_else(|e| panic!("the citizen's search failed: {e}\nhost log:\n{}", portal.log_lines().join("\n")));
    assert_eq!(reply.status, 200, "{}\nhost log:\n{}", reply.text(), portal.log_lines().join("\n"));
    assert_eq!(reply.json()["items"][0]["code"], "1.001193");
    assert!(answered - asked < Duration::from_secs(10), "the search took {:?}", answered - asked);

    let outcomes: Vec<(Outcome, Instant)> = rt.block_on(async {
        let mut all = Vec::new();
        for handle in slow {
            all.push(handle.await.expect("slow client task"));
        }
        all
    });
    // The search was answered while the slow uploads still held their sockets
    // and request slots: those over the per-address connection cap were
    // refused at once, those over the address's share of request slots after
    // a wait (503 both), and the rest let go by the body timeout, well after
    // the search.
    let open_at_answer = outcomes.iter().filter(|(_, at)| *at > answered).count();
    assert!(open_at_answer >= 32, "only {open_at_answer} slow sockets were still open when the search was answered");
    let outcomes: Vec<Outcome> = outcomes.into_iter().map(|(o, _)| o).collect();
    assert_refused_cleanly(&outcomes, &portal);
    assert!(outcomes.iter().any(|o| o.status() == Some(503)), "200 sockets from one address, none refused: {outcomes:?}");
    assert!(
        outcomes.iter().any(|o| matches!(o, Outcome::Answered { status: 408, .. } | Outcome::Closed)),
        "none timed out: {outcomes:?}"
    );
    assert!(sent.elapsed() < Duration::from_secs(80), "the slow uploads were held for {:?}", sent.elapsed());

    // Their body timeout has passed: the address's connections and request
    // slots are free again, and it is served like anyone else.
    let again = rt.block_on(search_from(slow_address, portal.port));
    assert_eq!(again.status(), Some(200), "{again:?}\nhost log:\n{}", portal.log_lines().join("\n"));
}

/// When every request slot is held (here 3, by trickling uploads from three
/// addresses), a citizen is told to come back (503, Retry-After, the portal's
/// JSON error) within about a second instead of waiting or failing; once the
/// uploads fall below the minimum rate they are cut off and searches work again.
#[test]
fn a_busy_portal_says_come_back_later_instead_of_failing() {
    let state = tempfile::tempdir().expect("temp dir");
    let portal = Portal::start_local_with_env(
        free_port(),
        state,
        &[
            ("SPIN_LOCAL_HOST_MAX_CONCURRENT_REQUESTS", "3"),
            ("SPIN_LOCAL_HOST_QUEUE_TIMEOUT", "0.5"),
            ("SPIN_LOCAL_HOST_BODY_IDLE_TIMEOUT", "5"),
            ("SPIN_LOCAL_HOST_BODY_RATE_GRACE", "12"),
            ("SPIN_LOCAL_HOST_BODY_MIN_RATE", "256"),
        ],
    );
    assert_eq!(portal.get("/api/procedures?q=khai+sinh").status, 200, "first use: migrate and seed");
    let rt = runtime();
    // One byte every half second: never idle long enough for the idle
    // timeout, far below 256 bytes/s, so cut off when the grace ends.
    let trickling: Vec<_> = (11..14)
        .map(|last| {
            let port = portal.port;
            rt.spawn(async move {
                let mut stream = start_slow_upload(Ipv4Addr::new(127, 0, 0, last), port).await;
                let start = tokio::time::Instant::now();
                while start.elapsed() < Duration::from_secs(60) {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    if stream.write_all(b"x").await.is_err() {
                        break; // the host has closed it
                    }
                    // Stop once the host has answered.
                    let mut probe = [0u8; 1];
                    if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), stream.peek(&mut probe)).await {
                        if n > 0 {
                            break;
                        }
                    }
                }
                outcome(stream, Duration::from_secs(30)).await.0
            })
        })
        .collect();

    // Search until the slots are seen busy: every answer meanwhile is a 200.
    let started = Instant::now();
    let busy = loop {
        let reply = portal.request("GET", "/api/procedures?q=dang+ky+khai+sinh", &[], None);
        match reply.status {
            503 => break reply,
            200 if started.elapsed() < Duration::from_secs(10) => std::thread::sleep(Duration::from_millis(100)),
            status => panic!(
                "expected the held slots to give a 503, got {status} after {:?}: {}\nhost log:\n{}",
                started.elapsed(),
                reply.text(),
                portal.log_lines().join("\n")
            ),
        }
    };
    let retry_after: u64 = busy.header("retry-after").expect("a Retry-After header").parse().expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "Retry-After: {retry_after}");
    assert!(busy.header("content-type").unwrap_or_default().starts_with("application/json"), "{:?}", busy.headers);
    let error = busy.json();
    assert_eq!(error["error"]["code"], "service_unavailable", "{error}");
    assert!(error["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");

    // The trickling uploads are cut off (408, or closed) and the slots are free again.
    let outcomes: Vec<Outcome> = rt.block_on(async {
        let mut all = Vec::new();
        for handle in trickling {
            all.push(handle.await.expect("trickling client task"));
        }
        all
    });
    assert_refused_cleanly(&outcomes, &portal);
    let freed = Instant::now();
    loop {
        let reply = portal.request("GET", "/api/procedures?q=dang+ky+khai+sinh", &[], None);
        match reply.status {
            200 => break,
            503 if freed.elapsed() < Duration::from_secs(20) => std::thread::sleep(Duration::from_millis(200)),
            status => panic!("after the uploads were cut off: {status} {}\nhost log:\n{}", reply.text(), portal.log_lines().join("\n")),
        }
    }
}
