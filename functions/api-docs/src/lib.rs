//! API docs component.
//!
//! Routes (see spin.toml):
//! - `GET /api/openapi.json`: the OpenAPI 3.1 description in `api/openapi.json`,
//!   which the journey tests check real responses against;
//! - any other `/api/...` path: a JSON 404, so API clients never get the app's HTML.

#[cfg(target_arch = "wasm32")]
mod handler {
    use http_kit::{error, require_get};
    use motcua_shared::api_error::ApiError;
    use spin_sdk::http::{Request, Response};
    use spin_sdk::http_component;

    const OPENAPI: &str = include_str!("../../../api/openapi.json");

    #[http_component]
    fn handle(req: Request) -> Response {
        let matched = req.header("spin-matched-route").and_then(|v| v.as_str()).unwrap_or("");
        if matched != "/api/openapi.json" {
            return error(ApiError::not_found("no such API route; see /api/openapi.json"));
        }
        if let Err(resp) = require_get(&req) {
            return resp;
        }
        Response::builder()
            .status(200)
            .header("content-type", "application/json; charset=utf-8")
            .header("cache-control", "no-cache")
            .header("access-control-allow-origin", "*")
            .body(OPENAPI)
            .build()
    }
}
