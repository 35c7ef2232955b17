//! Replies as GitHub sends them: the error body (§6), the headers every answer carries (§2), CORS — the
//! preflight and the exposed headers, and what a browser would refuse (§3) — and ETags for conditional requests (§5).

use deploydeck_wire::http::{Headers, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

/// §3: GitHub's current preflight allow list.
pub const PREFLIGHT_ALLOW_HEADERS: &str = "Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, GraphQL-Features, X-Github-Next-Global-ID, X-GitHub-Api-Version, X-Fetch-Nonce, Copilot-Integration-Id, DD-CLIENT-TOKEN, X-Client-Application";

/// §2/§3: exposed on every response (2026 recordings, with `Warning`).
pub const EXPOSE_HEADERS: &str = "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset, Warning";

/// §1: the API versions this server knows.
pub const API_VERSIONS: [&str; 2] = ["2022-11-28", "2026-03-10"];

pub(super) const DOC_REST: &str = "https://docs.github.com/rest";

pub(super) const DOC_RATE_LIMIT: &str =
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

/// Request headers a browser may send to GitHub: the preflight allow list plus the CORS-safelisted ones.
/// A request carrying anything else would have failed its preflight in a browser (§3).
pub fn cors_violations(request: &HttpRequest) -> Vec<String> {
    const SAFELISTED: [&str; 4] = [
        "accept",
        "accept-language",
        "content-language",
        "content-type",
    ];
    // Headers a user agent adds itself, never set by the page.
    const USER_AGENT_SET: [&str; 14] = [
        "host",
        "connection",
        "content-length",
        "user-agent",
        "origin",
        "referer",
        "accept-encoding",
        "sec-fetch-mode",
        "sec-fetch-site",
        "sec-fetch-dest",
        "sec-ch-ua",
        "sec-ch-ua-mobile",
        "sec-ch-ua-platform",
        "cache-control",
    ];
    let allowed: Vec<String> = PREFLIGHT_ALLOW_HEADERS
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    request
        .headers
        .names()
        .map(str::to_ascii_lowercase)
        .filter(|name| {
            !allowed.contains(name)
                && !SAFELISTED.contains(&name.as_str())
                && !USER_AGENT_SET.contains(&name.as_str())
                && !name.starts_with("sec-")
                && !name.starts_with("access-control-request-")
                && !name.starts_with(':')
        })
        .collect()
}

/// What a route produced, before the common headers.
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) body: Option<Vec<u8>>,
    pub(super) headers: Headers,
    /// Counts against the primary quota (false for `/rate_limit`, §5).
    pub(super) counts: bool,
    /// REST's caching headers on a success (GraphQL answers have none, §13).
    pub(super) cacheable: bool,
    /// CORS headers (GraphQL's `no_cors` setting answers without them, §13).
    pub(super) cors: bool,
}

impl Reply {
    pub(super) fn json<T: Serialize>(status: u16, body: &T) -> Reply {
        Reply {
            status,
            body: Some(serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec())),
            headers: Headers::new(),
            counts: true,
            cacheable: true,
            cors: true,
        }
    }

    pub(super) fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            headers: Headers::new(),
            counts: true,
            cacheable: true,
            cors: true,
        }
    }

    pub(super) fn error(status: u16, message: &str, doc: &str) -> Reply {
        Reply::json(status, &ErrorBody::new(status, message, doc))
    }

    pub(super) fn not_found(doc: &str) -> Reply {
        Reply::error(404, "Not Found", doc)
    }

    /// §6 JSON-schema style 422: `Invalid request.\n\n…`, no `errors[]`.
    pub(super) fn invalid(detail: &str, doc: &str) -> Reply {
        Reply::error(422, &format!("Invalid request.\n\n{detail}"), doc)
    }

    pub(super) fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.append(name, value);
        self
    }
}

/// basic-error / validation-error in GitHub's member order.
#[derive(Serialize)]
pub(super) struct ErrorBody {
    pub(super) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) errors: Option<Value>,
    pub(super) documentation_url: String,
    pub(super) status: String,
}

impl ErrorBody {
    pub(super) fn new(status: u16, message: &str, doc: &str) -> Self {
        ErrorBody {
            message: message.to_owned(),
            errors: None,
            documentation_url: doc.to_owned(),
            status: status.to_string(),
        }
    }

    pub(super) fn with_errors(mut self, errors: Value) -> Self {
        self.errors = Some(errors);
        self
    }
}

/// §3: the static 204 answer to every preflight.
pub(super) fn preflight(request_id: &str) -> HttpResponse {
    let mut headers = Headers::new();
    headers.append("Access-Control-Allow-Origin", "*");
    headers.append("Access-Control-Allow-Headers", PREFLIGHT_ALLOW_HEADERS);
    headers.append(
        "Access-Control-Allow-Methods",
        "GET, POST, PATCH, PUT, DELETE",
    );
    headers.append("Access-Control-Max-Age", "86400");
    headers.append("Vary", "Accept-Encoding, Accept, X-Requested-With");
    headers.append("X-GitHub-Request-Id", request_id);
    HttpResponse {
        status: 204,
        headers,
        body: Vec::new(),
    }
}

/// §2: the headers of every response, then the route's own.
pub(super) fn finish(reply: Reply, request_id: &str) -> HttpResponse {
    let mut headers = Headers::new();
    headers.append("Server", "github.com");
    if reply.body.is_some() {
        headers.append("Content-Type", "application/json; charset=utf-8");
    }
    if reply.cacheable && matches!(reply.status, 200 | 201 | 304) {
        headers.append("Cache-Control", "private, max-age=60, s-maxage=60");
        headers.append("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
    }
    headers.append("X-GitHub-Media-Type", "github.v3; format=json");
    headers.append("X-GitHub-Api-Version-Selected", "2022-11-28");
    for (name, value) in reply.headers.iter() {
        headers.append(name, value);
    }
    if reply.cors {
        headers.append("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        headers.append("Access-Control-Allow-Origin", "*");
    }
    headers.append(
        "Strict-Transport-Security",
        "max-age=31536000; includeSubdomains; preload",
    );
    headers.append("X-Frame-Options", "deny");
    headers.append("X-Content-Type-Options", "nosniff");
    headers.append("X-XSS-Protection", "0");
    headers.append(
        "Referrer-Policy",
        "origin-when-cross-origin, strict-origin-when-cross-origin",
    );
    headers.append("Content-Security-Policy", "default-src 'none'");
    headers.append("Vary", "Accept-Encoding, Accept, X-Requested-With");
    headers.append("X-GitHub-Request-Id", request_id);
    HttpResponse {
        status: reply.status,
        headers,
        body: reply.body.unwrap_or_default(),
    }
}

/// §5: a strong ETag over the body; a matching `If-None-Match` turns the 200 into a bodiless 304 — decided
/// before the request is counted, since a 304 costs no quota.
pub(super) fn conditional(request: &HttpRequest, reply: &mut Reply) {
    let tag = etag_for(reply.body.as_deref().unwrap_or_default());
    let matches = request.header("If-None-Match").is_some_and(|sent| {
        sent.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == tag || t == "*")
    });
    reply.headers.append("ETag", tag);
    if matches {
        reply.status = 304;
        reply.body = None;
    }
}

/// `"<64 hex>"`, as recorded (docs/github-api.md §2): four 64-bit lanes over the body, eight bytes a step (one
/// pass: a long list's body is hashed on every read, and the fake's time is taken from the browser's in benches).
pub fn etag_for(body: &[u8]) -> String {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut lanes: [u64; 4] = [
        0x9e37_79b9_7f4a_7c15,
        0xa076_1d64_78bd_642f,
        0xe703_7ed1_a0b4_28db,
        0x8ebc_6af0_9c88_c6e3,
    ];
    let mut words = body.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        for (i, lane) in lanes.iter_mut().enumerate() {
            *lane = (*lane ^ w.rotate_left(16 * i as u32)).wrapping_mul(PRIME);
        }
    }
    for b in words
        .remainder()
        .iter()
        .copied()
        .chain((body.len() as u64).to_le_bytes())
    {
        for lane in &mut lanes {
            *lane = (*lane ^ u64::from(b)).wrapping_mul(PRIME);
        }
    }
    let mut out = String::from("\"");
    for (i, lane) in lanes.iter().enumerate() {
        let mixed = lane ^ lanes[(i + 1) % 4].rotate_left(29);
        out.push_str(&format!("{mixed:016x}"));
    }
    out.push('"');
    out
}

// The documentation links GitHub puts in its error bodies, per operation (§6).

pub(super) const DOC_LIST: &str =
    "https://docs.github.com/rest/deployments/deployments#list-deployments";
pub(super) const DOC_CREATE: &str =
    "https://docs.github.com/rest/deployments/deployments#create-a-deployment";
pub(super) const DOC_GET: &str =
    "https://docs.github.com/rest/deployments/deployments#get-a-deployment";
pub(super) const DOC_DELETE: &str =
    "https://docs.github.com/rest/deployments/deployments#delete-a-deployment";
pub(super) const DOC_STATUSES: &str =
    "https://docs.github.com/rest/deployments/statuses#list-deployment-statuses";
pub(super) const DOC_CREATE_STATUS: &str =
    "https://docs.github.com/rest/deployments/statuses#create-a-deployment-status";
pub(super) const DOC_GET_STATUS: &str =
    "https://docs.github.com/rest/deployments/statuses#get-a-deployment-status";
pub(super) const DOC_DISPATCH: &str =
    "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event";
pub(super) const DOC_ENVIRONMENTS: &str =
    "https://docs.github.com/rest/deployments/environments#list-environments";
pub(super) const DOC_ENVIRONMENT: &str =
    "https://docs.github.com/rest/deployments/environments#get-an-environment";
pub(super) const DOC_DELETE_ENVIRONMENT: &str =
    "https://docs.github.com/rest/deployments/environments#delete-an-environment";
pub(super) const DOC_BRANCHES: &str =
    "https://docs.github.com/rest/branches/branches#list-branches";
pub(super) const DOC_REPO: &str = "https://docs.github.com/rest/repos/repos#get-a-repository";
pub(super) const DOC_USER: &str =
    "https://docs.github.com/rest/users/users#get-the-authenticated-user";

#[cfg(test)]
mod tests {
    use super::etag_for;

    #[test]
    fn an_etag_is_64_hex_and_changes_with_any_byte_or_the_length() {
        let body: Vec<u8> = (0..1000u32).map(|n| (n * 7 % 251) as u8).collect();
        let tag = etag_for(&body);
        assert_eq!(tag.len(), 66);
        assert!(tag.starts_with('"') && tag.ends_with('"'));
        assert!(tag[1..65].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(etag_for(&body), tag, "the same body, the same tag");
        let mut seen = std::collections::HashSet::from([tag]);
        // Every byte position (in the eight-byte steps and in the tail) and every length matters.
        for at in [0, 1, 7, 8, 500, 991, 992, 999] {
            let mut changed = body.clone();
            changed[at] ^= 1;
            assert!(seen.insert(etag_for(&changed)), "byte {at}");
        }
        for len in [0, 1, 8, 999] {
            assert!(seen.insert(etag_for(&body[..len])), "length {len}");
        }
        assert!(seen.insert(etag_for(&[0u8; 16])));
        assert!(seen.insert(etag_for(&[0u8; 17])), "trailing zeros count");
    }
}
