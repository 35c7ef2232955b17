//! The HTTP server around [`Hub::handle`]: options, injected latency and faults, TLS with a self-signed
//! certificate (so Chromium speaks HTTP/2 to it as it does to api.github.com, docs/architecture.md, "Toolchain"), a
//! request log, and test-only admin endpoints under `/_fake/` (never part of the in-page demo).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method as HttpMethod, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use deploydeck_wire::http::{Headers, HttpRequest, HttpResponse, Method};
use deploydeck_wire::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::hub::{Access, GraphqlMode, Hub, Level, Role, Settings};
use crate::seed::{parse_token_option, Seed, SeedToken};
use crate::{cors_violations, demo};

/// Command-line options (see the README).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub addr: Option<SocketAddr>,
    pub tokens: Vec<SeedToken>,
    pub repos: Vec<String>,
    pub seed: Option<PathBuf>,
    pub demo: bool,
    pub latency_ms: u64,
    pub tls: bool,
    pub rate_limit: Option<u64>,
    pub secondary_limits: bool,
    pub fault_rate: f64,
    /// `--graphql on|off|no-cors` (docs/github-api.md §13).
    pub graphql: GraphqlMode,
}

pub const USAGE: &str = "usage: fake-github [--addr HOST:PORT] [--token VALUE=SCOPES]... [--repo OWNER/NAME]...
                   [--seed FILE] [--demo] [--latency-ms N] [--tls] [--rate-limit N]
                   [--secondary-limits] [--fault-rate P] [--graphql on|off|no-cors]

  --addr HOST:PORT      where to listen (default 127.0.0.1:8787; port 0 picks a free one)
  --token VALUE=SCOPES  a token: classic scopes (t1=repo, t2=repo_deployment,workflow) or fine-grained
                        permissions (ro=fine:deployments:read); append @LOGIN to name its user (default octocat)
  --repo OWNER/NAME     an empty repository (default branch main, one commit), writable by every token's user
  --seed FILE           load a JSON seed (format in the README)
  --demo                load the built-in demo: acme/storefront, acme/payments-api, acme/docs
  --latency-ms N        wait N ms before every response
  --tls                 serve HTTPS (HTTP/2) with a self-signed certificate made at start
  --rate-limit N        primary rate limit per user and hour (default 5000)
  --secondary-limits    enforce GitHub's secondary limits (403 with Retry-After)
  --fault-rate P        answer a fraction P (0..1) of requests with a 502, a stall or a dropped connection
  --graphql MODE        GraphQL at /graphql: on (default), off (404, as a server without it) or no-cors
                        (answers without CORS headers: a browser sees a network error)

The first line of standard output is the base URL.";

impl Options {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut o = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--addr" => {
                    let v = value("--addr")?;
                    o.addr = Some(v.parse().map_err(|_| {
                        format!("--addr {v:?}: expected HOST:PORT, e.g. 127.0.0.1:8787")
                    })?);
                }
                "--token" => o.tokens.push(parse_token_option(&value("--token")?)?),
                "--repo" => {
                    let v = value("--repo")?;
                    if v.split('/').count() != 2 || v.split('/').any(str::is_empty) {
                        return Err(format!("--repo {v:?}: expected OWNER/NAME"));
                    }
                    o.repos.push(v);
                }
                "--seed" => o.seed = Some(PathBuf::from(value("--seed")?)),
                "--demo" => o.demo = true,
                "--latency-ms" => {
                    let v = value("--latency-ms")?;
                    o.latency_ms = v
                        .parse()
                        .map_err(|_| format!("--latency-ms {v:?}: expected a number"))?;
                }
                "--tls" => o.tls = true,
                "--rate-limit" => {
                    let v = value("--rate-limit")?;
                    o.rate_limit = Some(
                        v.parse()
                            .map_err(|_| format!("--rate-limit {v:?}: expected a number"))?,
                    );
                }
                "--secondary-limits" => o.secondary_limits = true,
                "--graphql" => {
                    let v = value("--graphql")?;
                    o.graphql = match v.as_str() {
                        "on" => GraphqlMode::On,
                        "off" => GraphqlMode::Off,
                        "no-cors" => GraphqlMode::NoCors,
                        _ => return Err(format!("--graphql {v:?}: expected on, off or no-cors")),
                    };
                }
                "--fault-rate" => {
                    let v = value("--fault-rate")?;
                    let p: f64 = v.parse().map_err(|_| {
                        format!("--fault-rate {v:?}: expected a number from 0 to 1")
                    })?;
                    if !(0.0..=1.0).contains(&p) {
                        return Err(format!("--fault-rate {v:?}: expected a number from 0 to 1"));
                    }
                    o.fault_rate = p;
                }
                "-h" | "--help" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
            }
        }
        Ok(o)
    }

    fn settings(&self) -> Settings {
        let mut settings = Settings::default();
        if let Some(limit) = self.rate_limit {
            settings.rate_limit_per_hour = limit;
        }
        settings.secondary_limits = self.secondary_limits;
        settings.graphql = self.graphql;
        settings
    }

    /// The hub these options describe, at `now`: the demo or an empty hub, then the seed file, the
    /// How to connect to this fake from Deploydeck: the address, each token it knows and a repository. Its
    /// tokens are test values, printed so nobody has to look them up.
    pub fn connect_hints(&self, base: &str) -> Vec<String> {
        let mut lines = vec![format!(
            "in Deploydeck choose “Custom API address” and enter {base} (or {base}/api/v3 to play a GitHub Enterprise Server)"
        )];
        if self.demo {
            lines.push(format!(
                "token: {} (classic, repo scope); repositories: {}",
                demo::DEMO_TOKEN,
                demo::REPOSITORIES.join(", ")
            ));
        }
        for token in &self.tokens {
            let access = match (&token.scopes, &token.permissions) {
                (Some(scopes), _) => format!("classic: {}", scopes.join(",")),
                (None, Some(permissions)) => format!(
                    "fine-grained: {}",
                    permissions
                        .iter()
                        .map(|(k, v)| format!(
                            "{k}:{}",
                            if *v == Level::Write { "write" } else { "read" }
                        ))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                (None, None) => "fine-grained".to_owned(),
            };
            lines.push(format!(
                "token: {} ({access}) as {}",
                token.token, token.user
            ));
        }
        if !self.repos.is_empty() {
            lines.push(format!("repositories: {}", self.repos.join(", ")));
        }
        lines
    }

    /// repositories and the tokens (whose users may write to every repository named here or in the demo).
    pub fn build_hub(&self, now: Timestamp, seed: Option<&Seed>) -> Result<Hub, String> {
        let mut hub = if self.demo {
            demo::demo_hub(now)
        } else {
            Hub::new(self.settings())
        };
        hub.settings.rate_limit_per_hour = self.settings().rate_limit_per_hour;
        hub.settings.secondary_limits = self.secondary_limits;
        hub.settings.graphql = self.graphql;
        let file_seed;
        let seed = match (seed, &self.seed) {
            (Some(s), _) => Some(s),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("--seed {}: {e}", path.display()))?;
                file_seed = serde_json::from_str::<Seed>(&text)
                    .map_err(|e| format!("--seed {}: {e}", path.display()))?;
                Some(&file_seed)
            }
            (None, None) => None,
        };
        if let Some(seed) = seed {
            if let Some(settings) = &seed.settings {
                hub.settings = settings.clone();
            }
            hub.load(seed, now);
        }
        let mut writable: Vec<usize> = Vec::new();
        for full in &self.repos {
            let (owner, name) = full.split_once('/').unwrap_or((full, ""));
            writable.push(hub.add_repo(owner, name, false, now));
        }
        if self.demo {
            writable.extend(0..hub.repos.len());
        }
        let seed = Seed {
            tokens: self.tokens.clone(),
            ..Seed::default()
        };
        hub.load(&seed, now);
        for token in &self.tokens {
            if let Some(user) = hub.user_by_login(&token.user).map(|u| u.id) {
                for &index in &writable {
                    hub.repos[index]
                        .collaborators
                        .entry(user)
                        .or_insert(Role::Admin);
                }
            }
        }
        Ok(hub)
    }
}

/// One line of the request log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogEntry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    /// Names of the request's headers, lower case, in order.
    pub header_names: Vec<String>,
    /// Headers a browser's preflight would have refused (docs/github-api.md §3): should stay empty.
    pub cors_violations: Vec<String>,
    /// Milliseconds since the Unix epoch.
    pub started_ms: u64,
    pub ended_ms: u64,
    /// The injected fault, if any (one of [`FAULT_KINDS`]).
    pub fault: Option<String>,
}

/// What can go wrong between a browser and GitHub, as the fake injects it:
/// - `502`: a server error with GitHub's JSON body;
/// - `stall`: the answer held back for `stall_ms`;
/// - `drop`: the connection reset before the body;
/// - `truncated`: the real answer, its body cut in half (a connection cut short);
/// - `invalid_json`: a 200 JSON answer whose body is not JSON;
/// - `html`: a 200 `text/html` page, as a proxy or a sign-in page answers;
/// - `bare`: the real answer with only its CORS headers (no rate-limit headers, `Link`, `ETag`, type);
/// - `rate_limit`: the caller's primary quota is used up at this request, until `reset_s` later: this
///   request and every later one get GitHub's own 403 (§5) until the window resets — or, for a GraphQL
///   request, GraphQL's own points, answered with a 200 and RATE_LIMITED (§13).
///
/// And what a broken or hostile host may send instead of GitHub's answer (docs/github-api.md §4, §5: what the
/// client must survive):
/// - `self_link`: the real answer, its `Link` naming the page itself as the next one;
/// - `endless_link`: the real answer, its `Link` naming the following page number as the next one, for ever
///   (and no `last`);
/// - `secondary`: a 403 secondary-limit refusal whose `Retry-After` is `retry_after` as given, however absurd
///   (`18446744073709551615`, `0`, `-5`), or absent;
/// - `quota`: a 403 primary-limit refusal (`X-RateLimit-Remaining: 0`) whose `X-RateLimit-Reset` is `reset` as
///   given (`0`: 1970; a time already past; `soon`), or `reset_s` from now.
///
/// Neither kind of refusal makes the request take effect.
pub const FAULT_KINDS: [&str; 12] = [
    "rate_limit",
    "502",
    "stall",
    "drop",
    "truncated",
    "invalid_json",
    "html",
    "bare",
    "self_link",
    "endless_link",
    "secondary",
    "quota",
];

/// Injected faults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// The fraction of matching API requests that get a fault.
    pub rate: f64,
    /// Which faults to draw from ([`FAULT_KINDS`]).
    pub kinds: Vec<String>,
    /// How long a stall holds the answer.
    pub stall_ms: u64,
    /// How long a `rate_limit` fault's quota window has left.
    pub reset_s: u64,
    /// A `secondary` fault's `Retry-After`, sent as written (none when left out).
    pub retry_after: Option<String>,
    /// A `quota` fault's `X-RateLimit-Reset`, sent as written (`reset_s` from now when left out).
    pub reset: Option<String>,
    /// Only requests whose path and query (`/repos/o/r/deployments?per_page=100&page=2`) contain this text
    /// match (all when left out).
    pub path_contains: Option<String>,
    /// Only requests with this method match (all but OPTIONS when left out).
    pub method: Option<String>,
    /// The first `skip` matching requests pass untouched (a fault in the middle of a list or a run).
    pub skip: u64,
    /// At most this many faults, then none (unlimited when left out).
    pub limit: Option<u64>,
    /// Matching requests seen so far, and faults injected (kept by the fake).
    pub seen: u64,
    pub injected: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rate: 0.0,
            kinds: vec!["502".into(), "stall".into(), "drop".into()],
            stall_ms: 15_000,
            reset_s: 60,
            retry_after: None,
            reset: None,
            path_contains: None,
            method: None,
            skip: 0,
            limit: None,
            seen: 0,
            injected: 0,
        }
    }
}

struct Shared {
    options: Options,
    hub: Mutex<Hub>,
    log: Mutex<Vec<LogEntry>>,
    faults: Mutex<Faults>,
    latency_ms: AtomicU64,
    in_flight: AtomicUsize,
    seq: AtomicU64,
    dice: Mutex<u64>,
    scheme: &'static str,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in one request must not take the fake down for the rest of a test run.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis(now_ms() as i64)
}

impl Shared {
    fn roll(&self) -> f64 {
        let mut x = lock(&self.dice);
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        (*x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Binds, prints the base URL as the first line of standard output, and serves until stopped.
pub async fn run(options: Options) -> Result<(), String> {
    let hub = options.build_hub(now(), None)?;
    let addr = options
        .addr
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8787)));
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let scheme = if options.tls { "https" } else { "http" };
    let faults = Faults {
        rate: options.fault_rate,
        ..Faults::default()
    };
    let shared = Arc::new(Shared {
        latency_ms: AtomicU64::new(options.latency_ms),
        options: options.clone(),
        hub: Mutex::new(hub),
        log: Mutex::new(Vec::new()),
        faults: Mutex::new(faults),
        in_flight: AtomicUsize::new(0),
        seq: AtomicU64::new(0),
        dice: Mutex::new(now_ms() | 1),
        scheme,
    });
    // A seed of a large repository (`POST /_fake/seed`) is bigger than axum's 2 MB default.
    let app = Router::new()
        .fallback(entry)
        .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
        .with_state(shared);
    println!("{scheme}://{local}");
    eprintln!(
        "fake-github: serving {} on {scheme}://{local}",
        if options.demo { "the demo" } else { "the API" }
    );
    for line in options.connect_hints(&format!("{scheme}://{local}")) {
        eprintln!("fake-github: {line}");
    }
    if options.tls {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let cert = rcgen::generate_simple_self_signed(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            local.ip().to_string(),
        ])
        .map_err(|e| format!("cannot make a certificate: {e}"))?;
        let config = axum_server::tls_rustls::RustlsConfig::from_pem(
            cert.cert.pem().into_bytes(),
            cert.signing_key.serialize_pem().into_bytes(),
        )
        .await
        .map_err(|e| format!("TLS configuration: {e}"))?;
        axum_server::from_tcp_rustls(listener, config)
            .map_err(|e| e.to_string())?
            .serve(app.into_make_service())
            .await
            .map_err(|e| e.to_string())
    } else {
        axum_server::from_tcp(listener)
            .map_err(|e| e.to_string())?
            .serve(app.into_make_service())
            .await
            .map_err(|e| e.to_string())
    }
}

/// Counts a request in flight for as long as it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn entry(
    State(shared): State<Arc<Shared>>,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    if let Some(admin_path) = path.strip_prefix("/_fake/") {
        return admin(
            &shared,
            &method,
            admin_path,
            uri.query().unwrap_or(""),
            &body,
        );
    }
    let started = now_ms();
    let concurrent = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _guard = InFlight(&shared.in_flight);
    let request = to_request(&shared, &method, &uri, &headers, &body);
    let latency = shared.latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let fault = draw_fault(
        &shared,
        &method,
        &format!("{path}?{}", uri.query().unwrap_or("")),
    );
    let response = match &fault {
        Some(drawn) => faulted(&shared, &request, concurrent, drawn).await,
        None => Some(handle(&shared, &request, concurrent)),
    };
    let status = response.as_ref().map_or(0, |r| r.status);
    log(
        &shared,
        &request,
        &path,
        uri.query(),
        status,
        started,
        fault.map(|f| f.kind),
    );
    response.map_or_else(dropped, to_axum)
}

/// The request as the pure handler takes it: the API base from the `Host` it was sent to (so `Link`s name it).
fn to_request(
    shared: &Shared,
    method: &HttpMethod,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> HttpRequest {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "127.0.0.1".into());
    let base = format!("{}://{host}", shared.scheme);
    let mut request = HttpRequest::new(
        Method::parse(method.as_str()).unwrap_or(Method::Get),
        format!(
            "{base}{}",
            uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
        ),
    );
    request.headers = headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect::<Headers>();
    if !body.is_empty() {
        match String::from_utf8(body.to_vec()) {
            Ok(text) => request.body = Some(text),
            // §1: not UTF-8 cannot be JSON.
            Err(_) => request.body = Some(String::from("\u{0}")),
        }
    }
    request
}

/// A fault drawn for one request, with what it needs.
struct Drawn {
    kind: String,
    stall_ms: u64,
    reset_s: u64,
    retry_after: Option<String>,
    reset: Option<String>,
}

/// Whether this request gets a fault, and which (counted in the faults' `seen` and `injected`).
fn draw_fault(shared: &Shared, method: &HttpMethod, path_and_query: &str) -> Option<Drawn> {
    let mut faults = lock(&shared.faults);
    let matches = faults.rate > 0.0
        && !faults.kinds.is_empty()
        && *method != HttpMethod::OPTIONS
        && faults
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
        && faults
            .path_contains
            .as_deref()
            .is_none_or(|p| path_and_query.contains(p));
    if matches {
        faults.seen += 1;
    }
    let inject = matches
        && faults.seen > faults.skip
        && faults.limit.is_none_or(|l| faults.injected < l)
        && shared.roll() < faults.rate;
    inject.then(|| {
        faults.injected += 1;
        Drawn {
            kind: faults.kinds
                [(shared.roll() * faults.kinds.len() as f64) as usize % faults.kinds.len()]
            .clone(),
            stall_ms: faults.stall_ms,
            reset_s: faults.reset_s,
            retry_after: faults.retry_after.clone(),
            reset: faults.reset.clone(),
        }
    })
}

/// The answer under a fault (README: /_fake/faults); `None`: the connection drops.
async fn faulted(
    shared: &Shared,
    request: &HttpRequest,
    concurrent: usize,
    fault: &Drawn,
) -> Option<HttpResponse> {
    Some(match fault.kind.as_str() {
        "self_link" => {
            let response = without_validators(handle(shared, request, concurrent));
            with_next(response, &request.url)
        }
        "endless_link" => {
            let response = without_validators(handle(shared, request, concurrent));
            let page = deploydeck_wire::url::page_param(&request.url).unwrap_or(1);
            let next = deploydeck_wire::url::with_page(&request.url, page.saturating_add(1));
            with_next(response, &next)
        }
        "secondary" => refusal(
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
            fault.retry_after.as_deref(),
            None,
        ),
        "quota" => {
            let reset = fault
                .reset
                .clone()
                .unwrap_or_else(|| (now().unix() + fault.reset_s as i64).to_string());
            refusal(
                "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
                None,
                Some(&reset),
            )
        }
        "rate_limit" => {
            lock(&shared.hub).exhaust_quota(request, now(), fault.reset_s as i64);
            handle(shared, request, concurrent)
        }
        "502" => server_error(),
        "stall" => {
            tokio::time::sleep(Duration::from_millis(fault.stall_ms)).await;
            handle(shared, request, concurrent)
        }
        "truncated" => {
            // A whole answer cut on the way: not a 304 (the browser would serve its cached copy instead).
            let mut whole = request.clone();
            whole.headers.remove("if-none-match");
            whole.headers.remove("if-modified-since");
            let mut response = handle(shared, &whole, concurrent);
            let half = response.body.len() / 2;
            response.body.truncate(half);
            without_validators(response)
        }
        "invalid_json" => {
            let mut response = without_validators(handle(shared, request, concurrent));
            response.status = 200;
            response.body = b"{\"message\": Server Error".to_vec();
            response
        }
        "html" => page_instead(),
        "bare" => {
            let mut response = handle(shared, request, concurrent);
            let kept: Vec<(String, String)> = response
                .headers
                .iter()
                .filter(|(n, _)| n.to_ascii_lowercase().starts_with("access-control-"))
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect();
            response.headers = Headers::default();
            for (n, v) in kept {
                response.headers.append(&n, &v);
            }
            response
        }
        "drop" => return None,
        _ => handle(shared, request, concurrent),
    })
}

fn handle(shared: &Shared, request: &HttpRequest, concurrent: usize) -> HttpResponse {
    let ctx = crate::Ctx {
        concurrent,
        ..crate::Ctx::new(
            now(),
            request.url.split('/').take(3).collect::<Vec<_>>().join("/"),
        )
    };
    lock(&shared.hub).handle(request, &ctx)
}

fn log(
    shared: &Shared,
    request: &HttpRequest,
    path: &str,
    query: Option<&str>,
    status: u16,
    started: u64,
    fault: Option<String>,
) {
    let entry = LogEntry {
        seq: shared.seq.fetch_add(1, Ordering::SeqCst) + 1,
        method: request.method.to_string(),
        path: path.to_owned(),
        query: query.unwrap_or("").to_owned(),
        status,
        header_names: request
            .headers
            .names()
            .map(str::to_ascii_lowercase)
            .collect(),
        cors_violations: if request.method == Method::Options {
            Vec::new()
        } else {
            cors_violations(request)
        },
        started_ms: started,
        ended_ms: now_ms(),
        fault,
    };
    lock(&shared.log).push(entry);
}

/// A 502 as a gateway in front of GitHub gives it, with CORS headers so a browser can read it.
/// A corrupted answer carries no `ETag` or `Last-Modified`: the browser's cache must not keep it as the
/// current copy (a later request would get a 304 and the corrupted body again).
fn without_validators(mut response: HttpResponse) -> HttpResponse {
    response.headers.remove("etag");
    response.headers.remove("last-modified");
    response
}

/// A sign-in page where the API should be (a captive portal or a proxy): 200, `text/html`.
fn page_instead() -> HttpResponse {
    let mut response = HttpResponse::new(200);
    response
        .headers
        .append("Content-Type", "text/html; charset=utf-8");
    response.headers.append("Access-Control-Allow-Origin", "*");
    response.body = b"<!doctype html><title>Sign in</title><h1>Sign in to continue</h1>".to_vec();
    response
}

/// The answer with a `Link` that names only `next` (a broken or hostile host's paging).
fn with_next(mut response: HttpResponse, next: &str) -> HttpResponse {
    response.headers.remove("link");
    response
        .headers
        .append("Link", format!("<{next}>; rel=\"next\""));
    response
}

/// A 403 rate-limit refusal as a broken or hostile host sends it: GitHub's shape, with `Retry-After` and
/// `X-RateLimit-Reset` exactly as given (a primary-limit one when `reset` is given), readable by a page (CORS).
fn refusal(message: &str, retry_after: Option<&str>, reset: Option<&str>) -> HttpResponse {
    let mut response = HttpResponse::new(403);
    let headers = &mut response.headers;
    headers.append("Content-Type", "application/json; charset=utf-8");
    headers.append("Access-Control-Allow-Origin", "*");
    headers.append(
        "Access-Control-Expose-Headers",
        crate::routes::EXPOSE_HEADERS,
    );
    headers.append("X-RateLimit-Limit", "5000");
    headers.append("X-RateLimit-Resource", "core");
    match reset {
        Some(reset) => {
            headers.append("X-RateLimit-Remaining", "0");
            headers.append("X-RateLimit-Used", "5000");
            headers.append("X-RateLimit-Reset", reset);
        }
        None => {
            headers.append("X-RateLimit-Remaining", "4000");
            headers.append("X-RateLimit-Used", "1000");
            headers.append("X-RateLimit-Reset", (now().unix() + 1800).to_string());
        }
    }
    if let Some(retry_after) = retry_after {
        headers.append("Retry-After", retry_after);
    }
    response.body = serde_json::json!({
        "message": message,
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    })
    .to_string()
    .into_bytes();
    response
}

fn server_error() -> HttpResponse {
    let mut response = HttpResponse::new(502);
    response
        .headers
        .append("Content-Type", "application/json; charset=utf-8");
    response.headers.append("Access-Control-Allow-Origin", "*");
    response.body = br#"{"message":"Server Error"}"#.to_vec();
    response
}

/// A body that fails at once: the connection (or HTTP/2 stream) is reset, as when a connection drops.
struct Broken;

impl http_body::Body for Broken {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected fault: dropped connection",
        ))))
    }
}

fn dropped() -> Response {
    let mut response = Response::new(Body::new(Broken));
    response
        .headers_mut()
        .insert("content-length", HeaderValue::from_static("64"));
    response
}

fn to_axum(response: HttpResponse) -> Response {
    let mut out = Response::new(Body::from(response.body));
    *out.status_mut() =
        StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in response.headers.iter() {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            out.headers_mut().append(n, v);
        }
    }
    out
}

fn admin_json(status: StatusCode, value: serde_json::Value) -> Response {
    let mut r = (status, value.to_string()).into_response();
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    r.headers_mut()
        .insert("access-control-allow-origin", HeaderValue::from_static("*"));
    r
}

/// `/_fake/…`: reset, seed, requests, faults, latency, dispatches.
fn admin(shared: &Shared, method: &HttpMethod, path: &str, query: &str, body: &[u8]) -> Response {
    let bad = |message: String| admin_json(StatusCode::BAD_REQUEST, json!({"message": message}));
    match (method.as_str(), path) {
        ("POST", "reset") => match shared.options.build_hub(now(), None) {
            Ok(hub) => {
                *lock(&shared.hub) = hub;
                lock(&shared.log).clear();
                *lock(&shared.faults) = Faults {
                    rate: shared.options.fault_rate,
                    ..Faults::default()
                };
                shared
                    .latency_ms
                    .store(shared.options.latency_ms, Ordering::Relaxed);
                admin_json(StatusCode::OK, json!({"reset": true}))
            }
            Err(e) => bad(e),
        },
        ("POST", "seed") => match serde_json::from_slice::<Seed>(body) {
            Ok(seed) => {
                let keep_demo = Options {
                    demo: false,
                    seed: None,
                    ..shared.options.clone()
                };
                match keep_demo.build_hub(now(), Some(&seed)) {
                    Ok(hub) => {
                        *lock(&shared.hub) = hub;
                        admin_json(StatusCode::OK, json!({"loaded": true}))
                    }
                    Err(e) => bad(e),
                }
            }
            Err(e) => bad(format!("not a seed: {e}")),
        },
        ("GET", "requests") => {
            let since: u64 = query
                .split('&')
                .find_map(|p| p.strip_prefix("since="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let log: Vec<LogEntry> = lock(&shared.log)
                .iter()
                .filter(|e| e.seq > since)
                .cloned()
                .collect();
            admin_json(
                StatusCode::OK,
                serde_json::to_value(log).unwrap_or_default(),
            )
        }
        ("DELETE", "requests") => {
            lock(&shared.log).clear();
            admin_json(StatusCode::OK, json!({"cleared": true}))
        }
        ("GET", "faults") => admin_json(
            StatusCode::OK,
            serde_json::to_value(lock(&shared.faults).clone()).unwrap_or_default(),
        ),
        ("POST", "faults") => match serde_json::from_slice::<Faults>(body) {
            Ok(mut f)
                if (0.0..=1.0).contains(&f.rate)
                    && f.kinds.iter().all(|k| FAULT_KINDS.contains(&k.as_str())) =>
            {
                f.seen = 0;
                f.injected = 0;
                *lock(&shared.faults) = f.clone();
                admin_json(StatusCode::OK, serde_json::to_value(f).unwrap_or_default())
            }
            Ok(_) => bad(format!(
                "rate must be 0..1 and kinds among {}",
                FAULT_KINDS.join(", ")
            )),
            Err(e) => bad(e.to_string()),
        },
        ("DELETE", "faults") => {
            *lock(&shared.faults) = Faults::default();
            admin_json(StatusCode::OK, json!({"rate": 0.0}))
        }
        ("POST", "latency") => match serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["ms"].as_u64())
        {
            Some(ms) => {
                shared.latency_ms.store(ms, Ordering::Relaxed);
                admin_json(StatusCode::OK, json!({"ms": ms}))
            }
            None => bad("expected {\"ms\": N}".into()),
        },
        ("POST", "settings") => match serde_json::from_slice::<Settings>(body) {
            Ok(settings) => {
                lock(&shared.hub).settings = settings.clone();
                admin_json(
                    StatusCode::OK,
                    serde_json::to_value(settings).unwrap_or_default(),
                )
            }
            Err(e) => bad(e.to_string()),
        },
        ("GET", "dispatches") => {
            let hub = lock(&shared.hub);
            let all: Vec<serde_json::Value> = hub
                .repos
                .iter()
                .flat_map(|r| {
                    r.dispatches.iter().map(move |d| {
                        json!({"repository": r.full_name(), "event_type": d.event_type, "client_payload": d.client_payload, "at": d.at.to_string()})
                    })
                })
                .collect();
            admin_json(StatusCode::OK, json!(all))
        }
        ("GET", "tokens") => {
            let hub = lock(&shared.hub);
            let tokens: Vec<serde_json::Value> = hub
                .tokens
                .iter()
                .map(|(t, g)| {
                    let user = hub.user(g.user).map(|u| u.login.clone());
                    match &g.access {
                        Access::Classic { scopes } => json!({"token": t, "user": user, "scopes": scopes}),
                        Access::FineGrained { permissions, repositories } => json!({"token": t, "user": user, "permissions": permissions, "repositories": repositories}),
                    }
                })
                .collect();
            admin_json(StatusCode::OK, json!(tokens))
        }
        _ => admin_json(
            StatusCode::NOT_FOUND,
            json!({"message": format!("no admin endpoint {method} /_fake/{path}")}),
        ),
    }
}
