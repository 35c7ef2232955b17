//! The demo simulator as a separate wasm module, so the app's first load does not carry it: the app imports
//! this module only when "Try the demo" is chosen, and hands it requests as JSON.
//!
//! One hub per page, made on the first request with months of history ending then.

use std::cell::RefCell;

use deploydeck_wire::demo::DEMO_API_BASE;
use deploydeck_wire::http::{HttpRequest, HttpResponse, TextResponse};
use deploydeck_wire::Timestamp;
use fake_github::{Ctx, Hub};
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static HUB: RefCell<Option<Hub>> = const { RefCell::new(None) };
}

/// Answers one request (`HttpRequest` as JSON) at `now_ms`, as a core `TextResponse` in JSON.
pub fn answer(request_json: &str, now_ms: f64) -> String {
    let now = Timestamp::from_unix_millis(now_ms as i64);
    let response = match serde_json::from_str::<HttpRequest>(request_json) {
        Ok(request) => HUB.with(|cell| {
            let mut hub = cell.borrow_mut();
            hub.get_or_insert_with(|| fake_github::demo::demo_hub(now))
                .handle(&request, &Ctx::new(now, DEMO_API_BASE))
        }),
        Err(e) => {
            let mut r = HttpResponse::new(400);
            r.body = format!("{{\"message\":\"the demo could not read the request: {e}\"}}")
                .into_bytes();
            r
        }
    };
    serde_json::to_string(&TextResponse::from(response))
        .unwrap_or_else(|_| String::from("{\"status\":500,\"headers\":[],\"body\":\"\"}"))
}

/// The JavaScript entry point.
#[wasm_bindgen]
pub fn handle(request_json: &str, now_ms: f64) -> String {
    answer(request_json, now_ms)
}

/// The token the demo accepts.
#[wasm_bindgen]
pub fn demo_token() -> String {
    fake_github::demo::DEMO_TOKEN.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use deploydeck_wire::http::Method;

    #[test]
    fn requests_cross_as_json_and_the_hub_persists_between_them() {
        let mut req = HttpRequest::new(
            Method::Post,
            format!("{DEMO_API_BASE}/repos/acme/docs/deployments"),
        );
        req.headers.append(
            "Authorization",
            format!("Bearer {}", fake_github::demo::DEMO_TOKEN),
        );
        req.body =
            Some(r#"{"ref":"main","environment":"github-pages","required_contexts":[]}"#.into());
        let created: TextResponse =
            serde_json::from_str(&answer(&serde_json::to_string(&req).unwrap(), 1.79e12)).unwrap();
        assert_eq!(created.status, 201, "{}", created.body);
        let id = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["id"]
            .as_u64()
            .unwrap();
        let mut get = req.clone();
        get.method = Method::Get;
        get.body = None;
        get.url = format!("{DEMO_API_BASE}/repos/acme/docs/deployments/{id}");
        let fetched: TextResponse =
            serde_json::from_str(&answer(&serde_json::to_string(&get).unwrap(), 1.79e12)).unwrap();
        assert_eq!(fetched.status, 200, "the same hub answers the next request");
    }

    #[test]
    fn a_request_that_is_not_json_gets_a_400() {
        let r: TextResponse = serde_json::from_str(&answer("nope", 0.0)).unwrap();
        assert_eq!(r.status, 400);
    }
}
