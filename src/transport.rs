//! Performs a core `HttpRequest` and hands back an `HttpResponse`: with `fetch` (gloo-net) against a real
//! API host, or inside the page against fake-github's handler for the demo. Failures never escape as Rust
//! errors: a request that gets no HTTP answer (offline, DNS, TLS, a CORS refusal, an abort) comes back as
//! status 0, which core decodes as `ApiError::Network` (CONTRACT §3).

#[cfg(feature = "demo")]
use std::sync::{Arc, Mutex};

use deploydeck_core::http::{HttpRequest, HttpResponse, Method};
use deploydeck_core::Timestamp;
use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestMode};

/// Where requests go.
#[derive(Clone)]
pub enum Transport {
    /// The browser's `fetch`.
    Fetch,
    /// The in-page simulated GitHub.
    #[cfg(feature = "demo")]
    Demo(Arc<Mutex<fake_github::Hub>>),
}

/// Milliseconds since the epoch, from the browser clock.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(js_sys::Date::now() as i64)
}

fn network_failure(message: String) -> HttpResponse {
    let mut response = HttpResponse::new(0);
    response.body = serde_json::json!({ "message": message })
        .to_string()
        .into_bytes();
    response
}

impl Transport {
    /// The in-page demo, created once per page load with months of history ending now.
    #[cfg(feature = "demo")]
    pub fn demo() -> Transport {
        static DEMO: std::sync::OnceLock<Arc<Mutex<fake_github::Hub>>> = std::sync::OnceLock::new();
        Transport::Demo(
            DEMO.get_or_init(|| Arc::new(Mutex::new(fake_github::demo::demo_hub(now()))))
                .clone(),
        )
    }

    /// Built without the demo: requests to the demo host fail like an unreachable host.
    #[cfg(not(feature = "demo"))]
    pub fn demo() -> Transport {
        Transport::Fetch
    }

    pub fn is_demo(&self) -> bool {
        #[cfg(feature = "demo")]
        return matches!(self, Transport::Demo(_));
        #[cfg(not(feature = "demo"))]
        false
    }

    /// Sends `request`. Reads go out with `cache: no-cache` (the browser may not serve a copy up to 60 s
    /// stale after a change, CONTRACT §3); credentials are never sent (the token is in `Authorization`).
    pub async fn send(&self, request: &HttpRequest, abort: Option<&AbortSignal>) -> HttpResponse {
        match self {
            #[cfg(feature = "demo")]
            Transport::Demo(hub) => {
                let mut hub = match hub.lock() {
                    Ok(hub) => hub,
                    Err(poisoned) => poisoned.into_inner(),
                };
                hub.handle(
                    request,
                    &fake_github::Ctx::new(now(), deploydeck_core::location::DEMO_API_BASE),
                )
            }
            Transport::Fetch => fetch(request, abort).await,
        }
    }
}

async fn fetch(request: &HttpRequest, abort: Option<&AbortSignal>) -> HttpResponse {
    let method = match request.method {
        Method::Get => FetchMethod::GET,
        Method::Head => FetchMethod::HEAD,
        Method::Post => FetchMethod::POST,
        Method::Patch => FetchMethod::PATCH,
        Method::Put => FetchMethod::PUT,
        Method::Delete => FetchMethod::DELETE,
        Method::Options => FetchMethod::OPTIONS,
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .mode(RequestMode::Cors)
        .credentials(RequestCredentials::Omit)
        .cache(RequestCache::NoCache)
        .abort_signal(abort);
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
        Err(e) => return network_failure(format!("{e}")),
    };
    let mut out = HttpResponse::new(response.status());
    for (name, value) in response.headers().entries() {
        out.headers.append(name, value);
    }
    out.body = match response.binary().await {
        Ok(bytes) => bytes,
        Err(e) => return network_failure(format!("the answer was cut off: {e}")),
    };
    out
}
