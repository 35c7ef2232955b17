//! Performs a core `HttpRequest` and hands back an `HttpResponse`: with `fetch` (gloo-net) against a real
//! API host, or with the demo simulator. Failures never escape as Rust errors: a request that gets no HTTP
//! answer (offline, DNS, TLS, a CORS refusal, an abort) comes back as status 0, which core decodes as
//! `ApiError::Network` (docs/github-api.md §3).
//!
//! The demo simulator (fake-github's handler and demo seed, `crates/demo-wasm`) is a separate wasm module,
//! fetched from `{base}/demo/` the first time the demo is used, so the app's first load does not carry it.

use std::cell::RefCell;
use std::collections::HashMap;

use deploydeck_core::floodgate::{Floodgate, RequestKey};
use deploydeck_core::http::{is_own_marker, HttpRequest, HttpResponse, Method, TextResponse};
use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestMode};

/// Where requests go.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// The browser's `fetch`.
    Fetch,
    /// The simulated GitHub running inside the page.
    Demo,
}

fn network_failure(message: String) -> HttpResponse {
    let mut response = HttpResponse::new(0);
    response.body = serde_json::json!({ "message": message })
        .to_string()
        .into_bytes();
    response
}

impl Transport {
    pub fn is_demo(&self) -> bool {
        *self == Transport::Demo
    }

    /// Sends `request`. GETs go out with `cache: no-cache` (the browser may not serve a copy up to 60 s
    /// stale after a change, docs/github-api.md §3); credentials are never sent (the token is in `Authorization`).
    ///
    /// Every request first passes its host's floodgate (core's `floodgate`): the same request refused is not
    /// sent again within a second, and no host gets more than `Floodgate::CEILING` requests a second from
    /// this tab — whatever goes wrong above, it becomes slow, never a flood.
    pub async fn send(&self, request: &HttpRequest, abort: Option<&AbortSignal>) -> HttpResponse {
        let gate = gate_of(self, request);
        let key = RequestKey::of(request);
        loop {
            let now = crate::clock::now_ms() as u64;
            let wait = GATES.with_borrow_mut(|gates| {
                let floodgate = gates.entry(gate.clone()).or_default();
                let wait = floodgate.next_send(key, now);
                if wait.is_none() {
                    floodgate.sent(now);
                }
                wait
            });
            match wait {
                Some(at) => crate::clock::sleep_ms(at.saturating_sub(now).max(1)).await,
                None => break,
            }
        }
        let response = match self {
            Transport::Demo => demo(request).await,
            Transport::Fetch => fetch(request, abort).await,
        };
        let now = crate::clock::now_ms() as u64;
        GATES.with_borrow_mut(|gates| {
            gates
                .entry(gate)
                .or_default()
                .answered(key, response.status, now)
        });
        response
    }
}

thread_local! {
    /// One floodgate per API host (origin), for the whole tab: every connection to that host shares it.
    static GATES: RefCell<HashMap<String, Floodgate>> = RefCell::new(HashMap::new());
}

/// The floodgate a request passes: its URL's origin (the demo has one of its own).
fn gate_of(transport: &Transport, request: &HttpRequest) -> String {
    if transport.is_demo() {
        return "demo".into();
    }
    deploydeck_core::url::HttpUrl::parse(&request.url)
        .map(|u| u.origin())
        .unwrap_or_default()
}

/// How many times this tab's floodgates held a request back (0 while everything above behaves): for tests
/// and the console.
pub fn times_slowed() -> u64 {
    GATES.with_borrow(|gates| gates.values().map(Floodgate::slowed).sum())
}

async fn demo(request: &HttpRequest) -> HttpResponse {
    let Ok(json) = serde_json::to_string(request) else {
        return network_failure("the demo could not read the request".into());
    };
    let answer = match demo_answer(&json).await {
        Ok(answer) => answer,
        Err(message) => return network_failure(format!("the demo could not be loaded: {message}")),
    };
    match serde_json::from_str::<TextResponse>(&answer) {
        Ok(response) => {
            let mut response: HttpResponse = response.into();
            let markers: Vec<String> = response
                .headers
                .names()
                .filter(|n| is_own_marker(n))
                .map(str::to_owned)
                .collect();
            for name in markers {
                response.headers.remove(&name);
            }
            response
        }
        Err(e) => network_failure(format!("the demo answered something unreadable: {e}")),
    }
}

#[cfg(feature = "demo-inline")]
async fn demo_answer(request_json: &str) -> Result<String, String> {
    Ok(deploydeck_demo::answer(
        request_json,
        crate::clock::now_ms(),
    ))
}

#[cfg(not(feature = "demo-inline"))]
async fn demo_answer(request_json: &str) -> Result<String, String> {
    let url = format!("{}/demo/deploydeck_demo.js", crate::href::app_base());
    let module = loader::load_demo(&url)
        .await
        .map_err(|e| format!("{e:?}"))?;
    loader::demo_handle(&module, request_json, crate::clock::now_ms()).map_err(|e| format!("{e:?}"))
}

#[cfg(not(feature = "demo-inline"))]
mod loader {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/demo_loader.js")]
    extern "C" {
        #[wasm_bindgen(catch, js_name = loadDemo)]
        pub async fn load_demo(url: &str) -> Result<JsValue, JsValue>;

        #[wasm_bindgen(catch, js_name = demoHandle)]
        pub fn demo_handle(module: &JsValue, request: &str, now_ms: f64)
            -> Result<String, JsValue>;
    }
}

/// How long one request may take, its whole body included, before the page gives up on it: a stalled
/// connection would otherwise leave a screen waiting for minutes with nothing said. Core turns the answer
/// into `ApiError::TimedOut`, which every screen shows with its way forward.
pub const TIMEOUT_SECONDS: u64 = 30;

/// Whether this browser has `AbortSignal.timeout` and `AbortSignal.any`.
fn has_signal_helpers() -> bool {
    let Ok(class) = js_sys::Reflect::get(&js_sys::global(), &"AbortSignal".into()) else {
        return false;
    };
    ["timeout", "any"]
        .iter()
        .all(|name| js_sys::Reflect::get(&class, &(*name).into()).is_ok_and(|f| f.is_function()))
}

async fn fetch(request: &HttpRequest, abort: Option<&AbortSignal>) -> HttpResponse {
    // The caller's signal (leaving a screen) and the time limit both stop the request. A browser without
    // AbortSignal.timeout/any (older than 2023) keeps the caller's signal alone.
    let timer = has_signal_helpers()
        .then(|| AbortSignal::timeout_with_u32((TIMEOUT_SECONDS * 1000) as u32));
    let signal = match (abort, &timer) {
        (Some(outer), Some(timer)) => Some(AbortSignal::any(&js_sys::Array::of2(outer, timer))),
        (None, Some(timer)) => Some(timer.clone()),
        (outer, None) => outer.cloned(),
    };
    let gave_up = |message: String| {
        if timer.as_ref().is_some_and(AbortSignal::aborted) {
            HttpResponse::timed_out(TIMEOUT_SECONDS)
        } else {
            network_failure(message)
        }
    };
    let method = match request.method {
        Method::Get => FetchMethod::GET,
        Method::Head => FetchMethod::HEAD,
        Method::Post => FetchMethod::POST,
        Method::Patch => FetchMethod::PATCH,
        Method::Put => FetchMethod::PUT,
        Method::Delete => FetchMethod::DELETE,
        Method::Options => FetchMethod::OPTIONS,
    };
    // A read is revalidated, never served from the browser's copy. Anything else is never cached by the
    // browser anyway, and left at `default`: with `no-cache`, Chromium also skips its preflight cache, so every
    // GraphQL POST would wait for a CORS preflight of its own.
    let cache = if request.method == Method::Get {
        RequestCache::NoCache
    } else {
        RequestCache::Default
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .mode(RequestMode::Cors)
        .credentials(RequestCredentials::Omit)
        .cache(cache)
        .abort_signal(signal.as_ref());
    for (name, value) in request.headers.iter() {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    };
    let built = match built {
        Ok(built) => built,
        Err(e) => return network_failure(format!("the request could not be built: {e}")),
    };
    let response = match built.send().await {
        Ok(response) => response,
        // The browser gives no detail for network and CORS failures, on purpose.
        Err(e) => return gave_up(format!("{e}")),
    };
    let mut out = HttpResponse::new(response.status());
    // Deploydeck's own markers (a time-out, a wait core set) are written here and by core alone, never taken
    // from a server.
    for (name, value) in response.headers().entries() {
        if !is_own_marker(&name) {
            out.headers.append(name, value);
        }
    }
    out.body = match response.binary().await {
        Ok(bytes) => bytes,
        Err(e) => return gave_up(format!("the answer was cut off: {e}")),
    };
    out
}
