//! Sending: claim what is due, call its gateway, record what it said. Each
//! step is one statement of its own (no transaction held over a network
//! call); the claim's lease and the idempotency key make a crash mid-send
//! harmless: the next sweep sends again with the same key.

use crate::gateway::{call_for, outcome_of, Call, Gateways, Message};
use motcua_shared::notify::{DeliveryState, Outcome};
use serde::Serialize;
use spin_sdk::sqlite::{Connection, Error};
use wasi::http::types::{ErrorCode, Fields, Method, OutgoingBody, OutgoingRequest, RequestOptions, Scheme};
use wasi::io::streams::StreamError;

/// How long a gateway may take: an officer's click waits for it.
const CONNECT_TIMEOUT_NS: u64 = 3_000_000_000;
const ANSWER_TIMEOUT_NS: u64 = 5_000_000_000;

/// What a sweep did, for the scheduler's log (counts only: no personal data).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sweep {
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
    /// Claimed meanwhile by another sender.
    pub skipped: u32,
}

/// The operator's settings: gateways, the first retry's delay and the lease.
pub struct Settings {
    pub gateways: Gateways,
    pub retry_base_secs: i64,
    pub lease_secs: i64,
    /// The portal's public origin, for the tracking link Zalo's template shows.
    pub origin: String,
}

impl Settings {
    pub fn from_variables(origin: String) -> Self {
        let get = |name: &str| spin_sdk::variables::get(name).unwrap_or_default();
        let secs = |name: &str, default: i64| get(name).trim().parse::<i64>().ok().filter(|s| *s >= 0).unwrap_or(default);
        Settings {
            gateways: Gateways::from_variables(get),
            retry_base_secs: secs("notify_retry_seconds", 60),
            lease_secs: secs("notify_lease_seconds", 120).max(1),
            origin,
        }
    }
}

/// Sends up to `limit` due messages (of one dossier, or all), oldest first.
pub fn send_due(conn: &Connection, settings: &Settings, dossier: Option<&str>, limit: u32) -> Result<Sweep, Error> {
    let mut sweep = Sweep::default();
    let now = http_kit::clock::unix_seconds();
    for id in dossier_store::due(conn, now, dossier, limit)? {
        let Some(claimed) = dossier_store::claim(conn, id, http_kit::clock::unix_seconds(), settings.lease_secs)? else {
            sweep.skipped += 1;
            continue;
        };
        let link = crate::tell::holder_link(&settings.origin, &claimed.dossier_code);
        let message = Message {
            dossier_code: &claimed.dossier_code,
            to: &claimed.to,
            text: &claimed.text,
            link: &link,
            idempotency_key: &claimed.idempotency_key,
        };
        let outcome = match call_for(&settings.gateways, &message) {
            Ok(call) => match post(&call) {
                Ok((status, body)) => outcome_of(claimed.to.channel, status, &body),
                Err(failure) => failure,
            },
            Err(refused) => refused,
        };
        let (at, secs) = (http_kit::clock::now_iso(), http_kit::clock::unix_seconds());
        match dossier_store::record(conn, &claimed, &outcome, &at, secs, settings.retry_base_secs)? {
            DeliveryState::Sent => sweep.sent += 1,
            DeliveryState::Queued => sweep.retrying += 1,
            _ => sweep.failed += 1,
        }
    }
    Ok(sweep)
}

/// One POST through `wasi:http`, with timeouts; a failure to reach the
/// gateway is tried again later, a denial (not in `allowed_outbound_hosts`)
/// is not.
fn post(call: &Call) -> Result<(u16, Vec<u8>), Outcome> {
    let again = |said: String| Outcome::TryAgain { gateway_said: said };
    let (scheme, rest) = call.url.split_once("://").ok_or_else(|| Outcome::Refused { gateway_said: format!("not a URL: {}", call.url) })?;
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    // A length, not chunks: the simplest gateways read only that.
    let length = ("content-length".to_owned(), call.body.len().to_string().into_bytes());
    let headers: Vec<(String, Vec<u8>)> =
        call.headers.iter().map(|(k, v)| (k.clone(), v.clone().into_bytes())).chain([length]).collect();
    let fields = Fields::from_list(&headers).map_err(|e| Outcome::Refused { gateway_said: format!("a header was refused: {e:?}") })?;
    let request = OutgoingRequest::new(fields);
    let scheme = if scheme == "http" { Scheme::Http } else { Scheme::Https };
    let set = request
        .set_method(&Method::Post)
        .and(request.set_scheme(Some(&scheme)))
        .and(request.set_authority(Some(authority)))
        .and(request.set_path_with_query(Some(path)));
    set.map_err(|()| Outcome::Refused { gateway_said: format!("not a URL: {}", call.url) })?;
    let body = request.body().map_err(|()| again("no request body".into()))?;
    let options = RequestOptions::new();
    let _ = options.set_connect_timeout(Some(CONNECT_TIMEOUT_NS));
    let _ = options.set_first_byte_timeout(Some(ANSWER_TIMEOUT_NS));
    let _ = options.set_between_bytes_timeout(Some(ANSWER_TIMEOUT_NS));
    let pending = wasi::http::outgoing_handler::handle(request, Some(options)).map_err(failure)?;
    // A request refused or cut off closes the body; the answer says why.
    let mut written = Ok(());
    if let Ok(stream) = body.write() {
        for chunk in call.body.chunks(4096) {
            written = stream.blocking_write_and_flush(chunk);
            if written.is_err() {
                break;
            }
        }
    }
    let finished = OutgoingBody::finish(body, None);
    pending.subscribe().block();
    let response = match pending.get() {
        Some(Ok(Ok(response))) => response,
        Some(Ok(Err(code))) => return Err(failure(code)),
        _ => return Err(again("no answer".into())),
    };
    if let Err(e) = written {
        return Err(again(format!("sending the request: {}", stream_error(e))));
    }
    finished.map_err(failure)?;
    let status = response.status();
    let mut answer = Vec::new();
    if let Ok(body) = response.consume() {
        if let Ok(stream) = body.stream() {
            // What the gateway said, enough of it to record (the rest is not read).
            while answer.len() < 2048 {
                match stream.blocking_read(2048) {
                    Ok(chunk) => answer.extend(chunk),
                    Err(_) => break,
                }
            }
        }
    }
    Ok((status, answer))
}

fn failure(code: ErrorCode) -> Outcome {
    match code {
        ErrorCode::HttpRequestDenied => {
            Outcome::Refused { gateway_said: "refused by the portal: the gateway's host is not in allowed_outbound_hosts".into() }
        }
        other => Outcome::TryAgain { gateway_said: format!("could not reach the gateway: {other:?}") },
    }
}

fn stream_error(e: StreamError) -> String {
    match e {
        StreamError::Closed => "closed".into(),
        StreamError::LastOperationFailed(e) => e.to_debug_string(),
    }
}
