//! One way every component handles a request: read the body within the
//! route's limit (413 past it), run the component's routes, turn a
//! [`Failure`] into the JSON error shape, and add the security headers every
//! answer carries. A component's handler is then its route table:
//!
//! ```text
//! #[http_component]
//! async fn handle(req: IncomingRequest) -> Response {
//!     http_kit::serve(req, "tracking", |_| 8 * 1024, routes).await
//! }
//! ```

use crate::failure::{Failure, Result};
use motcua_shared::api_error::ApiError;
use spin_sdk::http::{IncomingRequest, Request, Response};

/// Serves one request. `limit` picks the body limit from the matched route
/// (Spin's `spin-matched-route`, before the body is read); `routes` answers.
pub async fn serve(
    req: IncomingRequest,
    component: &str,
    limit: impl FnOnce(&str) -> usize,
    routes: impl FnOnce(&Request) -> Result<Response>,
) -> Response {
    let limit = limit(&header(&req, "spin-matched-route"));
    let mut resp = match crate::read_within(req, limit).await {
        Ok(req) => routes(&req).unwrap_or_else(|f| f.into_response(component)),
        Err(resp) => resp,
    };
    secure(&mut resp);
    resp
}

/// Headers on every answer: no MIME sniffing, no referrer (paths carry
/// dossier codes), no framing.
fn secure(resp: &mut Response) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        if resp.header(name).is_none() {
            resp.set_header(name, value);
        }
    }
}

fn header(req: &IncomingRequest, name: &str) -> String {
    req.headers().get(&name.to_owned()).first().and_then(|v| String::from_utf8(v.clone()).ok()).unwrap_or_default()
}

/// A 405 naming the methods the route takes.
pub fn method_not_allowed<T>(allowed: &str) -> Result<T> {
    Err(Failure::Api(ApiError::method_not_allowed(allowed)))
}

/// A 404 for a path no route of the component answers.
pub fn no_route<T>() -> Result<T> {
    Err(Failure::Api(ApiError::not_found("no such route")))
}
