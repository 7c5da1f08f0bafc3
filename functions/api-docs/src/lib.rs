//! API docs component.
//!
//! Routes (see spin.toml):
//! - `GET /api/openapi.json`: the OpenAPI 3.1 description in `api/openapi.json`,
//!   which the journey tests check real responses against;
//! - any other `/api/...` path: a JSON 404, so API clients never get the app's HTML.

#[cfg(target_arch = "wasm32")]
mod handler {
    use http_kit::{method_not_allowed, serve, Result};
    use motcua_shared::api_error::ApiError;
    use spin_sdk::http::{IncomingRequest, Method, Request, Response};
    use spin_sdk::http_component;

    const OPENAPI: &str = include_str!("../../../api/openapi.json");

    #[http_component]
    async fn handle(req: IncomingRequest) -> Response {
        serve(req, "api-docs", |_| 1024, routes).await
    }

    fn routes(req: &Request) -> Result<Response> {
        if http_kit::header(req, "spin-matched-route") != "/api/openapi.json" {
            return Err(ApiError::not_found("no such API route; see /api/openapi.json").into());
        }
        if *req.method() != Method::Get {
            return method_not_allowed("GET");
        }
        Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json; charset=utf-8")
            .header("cache-control", "no-cache")
            .header("access-control-allow-origin", "*")
            .body(OPENAPI)
            .build())
    }
}
