//! [`HttpResponse`] → typed value, or an [`ApiError`] a UI can act on (docs/github-api.md §5, §6, §8). Also the
//! rate-limit snapshot (§5) and ETags for conditional requests; the `Link` header is `links`.
//!
//! Decoding never panics, whatever the bytes: a body that is not what the contract promises becomes
//! [`ApiError::Decode`].

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::http::{Headers, HttpResponse};
use crate::api::links::{parse_link_header, Links, PagingFault};
use crate::github::model::{AutoMerged, Deployment};
use crate::github::validate::Field;
use crate::timestamp::Timestamp;

// ---- rate limits (docs/github-api.md §5) ----

/// What the `x-ratelimit-*` headers of one response said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitSnapshot {
    pub limit: u64,
    pub remaining: u64,
    pub used: Option<u64>,
    /// When the window resets.
    pub reset: Timestamp,
    pub resource: Option<String>,
}

impl RateLimitSnapshot {
    /// `None` when the server sends no rate-limit headers (GHES with rate limits off, docs/github-api.md §5).
    pub fn from_headers(headers: &Headers) -> Option<Self> {
        let num = |name: &str| headers.get(name).and_then(|v| v.trim().parse::<u64>().ok());
        Some(RateLimitSnapshot {
            limit: num("x-ratelimit-limit")?,
            remaining: num("x-ratelimit-remaining")?,
            used: num("x-ratelimit-used"),
            reset: Timestamp::from_unix(
                headers
                    .get("x-ratelimit-reset")
                    .and_then(|v| v.trim().parse::<i64>().ok())?,
            ),
            resource: headers.get("x-ratelimit-resource").map(str::to_owned),
        })
    }

    pub fn is_exhausted(&self) -> bool {
        self.remaining == 0
    }

    /// Whether this is REST's quota (`x-ratelimit-resource: core`, or no resource named) — GraphQL's points
    /// (`graphql`) are another quota (docs/github-api.md §13).
    pub fn is_core(&self) -> bool {
        self.resource.as_deref().is_none_or(|r| r == "core")
    }

    /// Less than a tenth of the hour's quota is left: time to warn.
    pub fn is_running_low(&self) -> bool {
        self.remaining.saturating_mul(10) < self.limit
    }
}

/// The `ETag` of a response, verbatim (strong or weak), to send back as `If-None-Match`.
pub fn etag(response: &HttpResponse) -> Option<&str> {
    response.header("etag").filter(|v| !v.is_empty())
}

/// The longest `X-Poll-Interval` taken at its word: a live view asks again at least hourly, whatever a server
/// says (docs/github-api.md §5, "Waits from headers").
pub const MAX_POLL_SECS: u64 = 3_600;

/// `X-Poll-Interval` in seconds, when the server asks clients to poll no faster (at most [`MAX_POLL_SECS`]).
pub fn poll_interval(response: &HttpResponse) -> Option<u64> {
    response
        .header("x-poll-interval")?
        .trim()
        .parse::<u64>()
        .ok()
        .map(|secs| secs.min(MAX_POLL_SECS))
}

/// `Retry-After` in seconds (GitHub sends delta-seconds).
pub fn retry_after(headers: &Headers) -> Option<u64> {
    headers.get("retry-after")?.trim().parse().ok()
}

/// A classic token's scopes from `X-OAuth-Scopes` (`None` when absent: fine-grained and App tokens).
pub fn oauth_scopes(headers: &Headers) -> Option<Vec<String>> {
    headers.get("x-oauth-scopes").map(split_list)
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

// ---- errors (docs/github-api.md §6) ----

/// Which rate limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateLimitKind {
    /// The hourly quota (`x-ratelimit-remaining: 0`).
    Primary,
    /// GitHub's abuse protection: too many requests too fast, or too many at once.
    Secondary,
}

/// When a request may be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryWait {
    /// This many seconds after the answer arrived (`Retry-After`, or GitHub's "at least a minute").
    Seconds(u64),
    /// At this moment (`x-ratelimit-reset`).
    Until(Timestamp),
    /// What the server named could not be used as it was (see [`WaitWhy`]): Deploydeck waits `secs` instead.
    Instead { secs: u64, why: WaitWhy },
}

impl RetryWait {
    /// The moment to retry, given when the answer arrived.
    pub fn retry_at(self, answered_at: Timestamp) -> Timestamp {
        match self {
            RetryWait::Seconds(s) | RetryWait::Instead { secs: s, .. } => {
                answered_at.plus_seconds(i64::try_from(s).unwrap_or(i64::MAX))
            }
            RetryWait::Until(t) => t,
        }
    }
}

/// Whether a wait is the one the server named, and if not, why Deploydeck keeps another (docs/github-api.md §5,
/// "Waits from headers").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "snake_case",
    tag = "kind",
    try_from = "crate::api::records::WaitWhyRecord"
)]
pub enum WaitWhy {
    /// As the server asked.
    AsAsked,
    /// The server asked for more than an hour (`asked_secs`), longer than any GitHub limit lasts: Deploydeck
    /// waits an hour, then asks once more.
    TooLong { asked_secs: u64 },
    /// The reset time the server named is already past by this computer's clock: the clock runs ahead of the
    /// server's (or the value is stale). Sending again at once would be refused again, many times a second.
    ResetPassed,
    /// A refusal with no usable time (`Retry-After: 0`, nothing readable).
    NoTime,
}

impl WaitWhy {
    /// The short form in [`crate::api::http::ADJUSTED_WAIT_HEADER`].
    pub fn token(self) -> String {
        match self {
            WaitWhy::AsAsked => "as-asked".into(),
            WaitWhy::TooLong { asked_secs } => format!("asked={asked_secs}"),
            WaitWhy::ResetPassed => "reset-passed".into(),
            WaitWhy::NoTime => "no-time".into(),
        }
    }

    /// Reads [`WaitWhy::token`]'s form; anything else is `None`.
    pub fn from_token(token: &str) -> Option<WaitWhy> {
        Some(match token {
            "as-asked" => WaitWhy::AsAsked,
            "reset-passed" => WaitWhy::ResetPassed,
            "no-time" => WaitWhy::NoTime,
            other => WaitWhy::TooLong {
                asked_secs: other.strip_prefix("asked=")?.parse().ok()?,
            },
        })
    }

    /// What the page says of a wait that is not the server's own (`None` for one that is).
    pub fn note(self) -> Option<String> {
        match self {
            WaitWhy::AsAsked => None,
            WaitWhy::TooLong { asked_secs } => Some(format!(
                "The server asked to wait {}, longer than any GitHub limit lasts: Deploydeck waits at most an hour, then asks once more.",
                crate::text::long_duration(asked_secs)
            )),
            WaitWhy::ResetPassed => Some("The rate limit's reset time the server sent has already passed by this computer's clock, so the clock probably runs ahead of the server's (or the server sent an old time). Deploydeck does not send again at once: it waits a minute, then longer each time it is refused. Check this computer's clock.".into()),
            WaitWhy::NoTime => Some("The server refused the request without saying how long to wait: Deploydeck waits a minute, then longer each time it is refused.".into()),
        }
    }
}

/// What a token would need for the request that was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessNeeded {
    /// Classic scopes that would be accepted (`X-Accepted-OAuth-Scopes`).
    pub classic_scopes: Vec<String>,
    /// The classic token's own scopes (`X-OAuth-Scopes`), when it is one.
    pub token_scopes: Option<Vec<String>>,
    /// The fine-grained permission, e.g. `deployments=write` (`X-Accepted-GitHub-Permissions`, where the
    /// browser can read it).
    pub fine_grained: Option<String>,
    /// The message said a fine-grained token or an App lacked a permission.
    pub fine_grained_refused: bool,
}

/// One failed commit-status context of a 409 (docs/github-api.md §8.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextState {
    pub context: String,
    pub state: String,
}

/// The kinds of 409 create-deployment answers (docs/github-api.md §8.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "snake_case",
    tag = "kind",
    try_from = "crate::api::records::ConflictRecord"
)]
pub enum ConflictKind {
    /// Auto-merge of the default branch into the ref conflicted.
    MergeConflict {
        base: Option<String>,
        head: Option<String>,
    },
    /// Required commit-status checks were not all `success`: every checked context, successful ones too.
    FailedChecks { contexts: Vec<ContextState> },
    /// A 409 of another kind (e.g. "Git Repository is empty.").
    Other,
}

/// One entry of a 422's `errors` (object form) or a plain string (validation-error-simple).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationIssue {
    pub field: Option<String>,
    pub code: Option<String>,
    pub resource: Option<String>,
    pub message: Option<String>,
}

impl ValidationIssue {
    /// The form field this issue belongs to, if it names one of ours.
    pub fn form_field(&self) -> Option<Field> {
        Field::from_api_name(self.field.as_deref()?)
    }

    /// A sentence for the person: GitHub's message, or one made from the code.
    pub fn describe(&self) -> String {
        if let Some(message) = self.message.as_deref().filter(|m| !m.is_empty()) {
            return message.to_owned();
        }
        let field = self.field.as_deref().unwrap_or("a field");
        match self.code.as_deref() {
            Some("missing_field") => format!("{field} is required."),
            Some("missing") => format!("{field} refers to something that does not exist."),
            Some("invalid") => format!("{field} is not valid."),
            Some("already_exists") => format!("{field} is already in use."),
            Some("unprocessable") => format!("{field} could not be processed."),
            _ => format!("GitHub refused {field}."),
        }
    }
}

/// Every way a GitHub API call can fail, each with what a UI needs to say what happened and what to do.
/// `Clone` so it can live in signals and in a persisted cleanup run (read back through `records`, in the form
/// written here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(
    rename_all = "snake_case",
    tag = "kind",
    try_from = "crate::api::records::ErrorRecord"
)]
pub enum ApiError {
    /// 401: no token, or GitHub does not accept it.
    #[error("GitHub did not accept the token ({message}).")]
    Unauthorized { message: String },
    /// 403 that is not a rate limit: the token lacks a scope or permission.
    #[error("GitHub refused this request: {message}")]
    Forbidden {
        message: String,
        needed: AccessNeeded,
    },
    /// 404: missing — or private and invisible to this token (GitHub never says 403 there, docs/github-api.md §6).
    #[error("GitHub answered “{message}”.")]
    NotFound { message: String },
    /// 409 (docs/github-api.md §8.2).
    #[error("GitHub reported a conflict: {message}")]
    Conflict {
        message: String,
        conflict: ConflictKind,
    },
    /// 422 with its field errors (object and plain-string forms).
    #[error("GitHub rejected the request: {message}")]
    Validation {
        message: String,
        issues: Vec<ValidationIssue>,
    },
    /// 403/429 rate limits (docs/github-api.md §5).
    #[error("{}", rate_limit_sentence(*.limit))]
    RateLimited {
        limit: RateLimitKind,
        wait: RetryWait,
        message: String,
    },
    /// 5xx.
    #[error("GitHub had a server error ({status}): {message}")]
    Server { status: u16, message: String },
    /// Status 0: no HTTP answer — offline, DNS, TLS, or a CORS refusal (docs/github-api.md §3).
    #[error("No answer from the API server: {message}")]
    Network { message: String },
    /// No answer within the transport's time limit (a stalled connection or server).
    #[error("GitHub did not answer within {seconds} seconds.")]
    TimedOut { seconds: u64 },
    /// A success status whose body is not what the contract promises.
    #[error("GitHub's answer could not be read: {message}")]
    Decode { message: String },
    /// Any other status (400 bad JSON, 410 retired API version, a redirect, …).
    #[error("GitHub answered {status}: {message}")]
    Unexpected { status: u16, message: String },
    /// GitHub has more pages, but its `Link` to the next one is not on the API address connected to (a
    /// server reached through another name): following it would send the token elsewhere, so the list
    /// stops there (docs/github-api.md §4).
    #[error("GitHub has more, but names its next page at {link}, not on the address you connected to ({expected}): Deploydeck sends your token only there, so the rest was not read.")]
    LinkNotFollowed { link: String, expected: String },
    /// The host's `Link` paging does not end (a `next` back to a page already read, pages past the last one
    /// it announced, no end at all): the read stopped rather than ask for ever (docs/github-api.md §4).
    #[error("The server's paging is broken: {why}. Deploydeck stopped there, after {pages} pages ({items} items read), rather than ask for ever.")]
    PagingBroken {
        why: String,
        pages: u32,
        items: usize,
    },
    /// A name from the data or the form that cannot be one step of an API address (`.`, `..`, empty): every URL
    /// parser rewrites it, so the request would reach another address (docs/github-api.md §1).
    #[error("The {what} “{name}” cannot be used in an API address: {why}.")]
    NotAPathSegment {
        what: String,
        name: String,
        why: String,
    },
}

/// [`ApiError::PagingBroken`] for `fault` (`links`), after `pages` pages of `items` items.
pub fn broken_paging(fault: &PagingFault, pages: u32, items: usize) -> ApiError {
    ApiError::PagingBroken {
        why: fault.to_string(),
        pages,
        items,
    }
}

fn rate_limit_sentence(kind: RateLimitKind) -> &'static str {
    match kind {
        RateLimitKind::Primary => "This token has used up its hourly GitHub API quota.",
        RateLimitKind::Secondary => "GitHub is slowing this client down (secondary rate limit).",
    }
}

impl ApiError {
    /// The HTTP status this error came from (0 for network failures and decode errors of a 2xx).
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthorized { .. } => 401,
            ApiError::Forbidden { .. } => 403,
            ApiError::NotFound { .. } => 404,
            ApiError::Conflict { .. } => 409,
            ApiError::Validation { .. } => 422,
            ApiError::RateLimited { .. } => 429,
            ApiError::Server { status, .. } | ApiError::Unexpected { status, .. } => *status,
            ApiError::Network { .. }
            | ApiError::TimedOut { .. }
            | ApiError::Decode { .. }
            | ApiError::LinkNotFollowed { .. }
            | ApiError::PagingBroken { .. }
            | ApiError::NotAPathSegment { .. } => 0,
        }
    }

    /// GitHub's 422 for deleting an active deployment: "We cannot delete an active deployment unless it is the
    /// only deployment in a given environment." (docs/github-api.md §8.4).
    pub fn is_active_refusal(&self) -> bool {
        let ApiError::Validation { message, issues } = self else {
            return false;
        };
        std::iter::once(message.as_str())
            .chain(issues.iter().filter_map(|i| i.message.as_deref()))
            .any(|text| text.contains("cannot delete an active deployment"))
    }

    /// Whether the same request may succeed if simply tried again later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Network { .. }
                | ApiError::TimedOut { .. }
        )
    }

    /// What the person should do next, in plain words.
    pub fn remedy(&self) -> String {
        match self {
            ApiError::Unauthorized { .. } => "The token may be mistyped, expired or revoked. Create a new token (classic with the repo_deployment or repo scope, or fine-grained with Deployments: read and write) and connect again.".into(),
            ApiError::Forbidden { needed, .. } => forbidden_remedy(needed),
            ApiError::NotFound { .. } => "Check the owner and repository name. GitHub answers “Not Found” rather than “Forbidden” when a token cannot see a private repository: a classic token needs the repo scope, a fine-grained token must include this repository with Deployments: read (and write to change anything).".into(),
            ApiError::Conflict { conflict, .. } => match conflict {
                ConflictKind::MergeConflict { base, head } => format!(
                    "GitHub tried to merge {} into {} before deploying and hit a conflict. Resolve it in the branch, or create the deployment again with auto-merge turned off.",
                    base.as_deref().unwrap_or("the default branch"),
                    head.as_deref().unwrap_or("the ref"),
                ),
                ConflictKind::FailedChecks { contexts } => {
                    let failing: Vec<String> = contexts
                        .iter()
                        .filter(|c| c.state != "success")
                        .map(|c| format!("{} ({})", c.context, c.state))
                        .collect();
                    format!(
                        "These checks are not successful: {}. Wait for them, list only the checks that matter, or create the deployment anyway with checks skipped.",
                        if failing.is_empty() { "none reported".to_owned() } else { failing.join(", ") }
                    )
                }
                ConflictKind::Other => "Reload and try again; if it persists, the repository may be empty or in a state GitHub cannot deploy from.".into(),
            },
            ApiError::Validation { .. } => "Correct the fields marked and send again; nothing you typed was lost.".into(),
            ApiError::RateLimited { limit, wait, .. } => match (limit, wait) {
                (_, RetryWait::Until(t)) => {
                    let (_, _, _, h, m, sec) = t.to_civil();
                    format!("The quota resets at {h:02}:{m:02}:{sec:02} UTC: try again then. A cleanup run and the History list wait for it and go on by themselves.")
                }
                (RateLimitKind::Secondary, RetryWait::Seconds(s)) => format!("Wait {s} seconds before trying again; Deploydeck slows down and resumes by itself."),
                (RateLimitKind::Primary, RetryWait::Seconds(s)) => format!("Wait {s} seconds before trying again."),
                (_, RetryWait::Instead { secs, why }) => format!(
                    "{} Try again in {}; a cleanup run and the History list wait and go on by themselves.",
                    why.note().unwrap_or_default(),
                    crate::text::long_duration(*secs)
                ),
            },
            ApiError::Server { .. } => "This is GitHub's side. Try again in a moment; nothing was lost.".into(),
            ApiError::Network { .. } => "Check the connection and the API address. A wrong address, a certificate problem or a server that does not allow this page's origin (CORS) all look like this in a browser.".into(),
            ApiError::TimedOut { .. } => "Try again: a slow connection or a busy server looks like this, and nothing on this page was lost. A change sent just before may still have been made: check it before sending it again.".into(),
            ApiError::Decode { .. } => "Try again: an answer cut off on the way looks like this. If it happens every time, check the API address: a proxy or sign-in page may be answering instead of GitHub's API.".into(),
            ApiError::Unexpected { status: 410, .. } => "This API version is retired on this server; Deploydeck needs updating.".into(),
            ApiError::Unexpected { .. } => "Try again; if it persists, report it with the message above.".into(),
            ApiError::LinkNotFollowed { link, .. } => format!(
                "Connect through the address the server names ({}) to read everything; what was read so far is kept.",
                crate::url::HttpUrl::parse(link).map_or_else(|_| link.clone(), |u| u.origin())
            ),
            ApiError::PagingBroken { .. } => "What was read is kept. GitHub's API does not page this way: a proxy in front of the server, or a server that is not GitHub, may be rewriting its `Link` headers. Tell whoever runs it; GitHub's own pages show the rest.".into(),
            ApiError::NotAPathSegment { what, .. } => format!(
                "Nothing was sent. Deploydeck cannot act on this {what} through the API: use GitHub's own pages for it (for an environment, the repository's Settings → Environments), or rename it there."
            ),
        }
    }

    /// The 422 issues for one form field, as sentences.
    pub fn messages_for(&self, field: Field) -> Vec<String> {
        match self {
            ApiError::Validation { issues, .. } => issues
                .iter()
                .filter(|i| i.form_field() == Some(field))
                .map(ValidationIssue::describe)
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn forbidden_remedy(needed: &AccessNeeded) -> String {
    if !needed.classic_scopes.is_empty() {
        let has = needed.token_scopes.as_ref().map(|s| {
            if s.is_empty() {
                "no scopes".to_owned()
            } else {
                s.join(", ")
            }
        });
        return format!(
            "Give the classic token one of these scopes: {}{}. Or use a fine-grained token with Deployments: read and write on this repository.",
            needed.classic_scopes.join(", "),
            has.map(|h| format!(" (it has {h})")).unwrap_or_default()
        );
    }
    if let Some(permission) = &needed.fine_grained {
        return format!(
            "Edit the fine-grained token and grant {} on this repository.",
            describe_permission(permission)
        );
    }
    if needed.fine_grained_refused {
        return "Edit the fine-grained token: include this repository and grant Deployments: read and write (repository dispatch needs Contents: read and write).".into();
    }
    "The token lacks a permission for this. A classic token needs repo_deployment or repo; a fine-grained token needs Deployments: read and write on this repository.".into()
}

/// `deployments=write` → `Deployments: read and write`.
fn describe_permission(permission: &str) -> String {
    permission
        .split(',')
        .map(|p| {
            let (name, level) = p.trim().split_once('=').unwrap_or((p.trim(), "read"));
            // Permission names are ASCII; ASCII case mapping keeps Unicode's case tables out of the bundle.
            let mut title: String = name.replace('_', " ");
            if let Some(first) = title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            let level = if level == "write" {
                "read and write"
            } else {
                level
            };
            format!("{title}: {level}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error body's members we read (docs/github-api.md §6); anything missing or oddly typed is tolerated.
struct ErrorBody {
    message: String,
    errors: Vec<Value>,
}

fn read_error_body(response: &HttpResponse) -> ErrorBody {
    let value: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    let message = value
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let text = response.text_lossy();
            let text = text.trim();
            if text.is_empty() || text.starts_with('<') {
                default_reason(response.status).to_owned()
            } else {
                text.chars().take(200).collect()
            }
        });
    let errors = value
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    ErrorBody { message, errors }
}

fn default_reason(status: u16) -> &'static str {
    match status {
        0 => "the request did not reach the server",
        400 => "Bad Request",
        401 => "Requires authentication",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "unexpected answer",
    }
}

/// When a rate-limited request may go again (docs/github-api.md §5): `Retry-After` wins; else the reset time for
/// the primary limit; else at least 60 s. What the budget kept instead, when it could not use that
/// (`ADJUSTED_WAIT_HEADER`), wins over all of them.
fn retry_wait(headers: &Headers, limit: RateLimitKind) -> RetryWait {
    let adjusted = headers
        .get(crate::api::http::ADJUSTED_WAIT_HEADER)
        .and_then(|v| v.split_once(';'))
        .and_then(|(secs, why)| Some((secs.parse().ok()?, WaitWhy::from_token(why)?)));
    if let Some((secs, why)) = adjusted {
        return RetryWait::Instead { secs, why };
    }
    match (retry_after(headers), limit) {
        (Some(secs), _) => RetryWait::Seconds(secs),
        (None, RateLimitKind::Primary) => RateLimitSnapshot::from_headers(headers)
            .map(|s| RetryWait::Until(s.reset))
            .unwrap_or(RetryWait::Seconds(60)),
        (None, RateLimitKind::Secondary) => RetryWait::Seconds(60),
    }
}

/// Turns any non-success response into an [`ApiError`]. (A 2xx given here becomes `Unexpected`.)
pub fn error_from(response: &HttpResponse) -> ApiError {
    let status = response.status;
    let body = read_error_body(response);
    let message = body.message;
    let headers = &response.headers;
    let remaining = headers
        .get("x-ratelimit-remaining")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let lower = message.to_ascii_lowercase();
    let secondary = lower.contains("secondary rate limit") || lower.contains("abuse detection");

    if status == 0 {
        if let Some(seconds) = headers
            .get(crate::api::http::TIMED_OUT_HEADER)
            .and_then(|v| v.parse().ok())
        {
            return ApiError::TimedOut { seconds };
        }
        return ApiError::Network { message };
    }
    if (status == 403 || status == 429) && (secondary || remaining == Some(0) || status == 429) {
        let limit = if remaining == Some(0) && !secondary {
            RateLimitKind::Primary
        } else {
            RateLimitKind::Secondary
        };
        let wait = retry_wait(headers, limit);
        return ApiError::RateLimited {
            limit,
            wait,
            message,
        };
    }
    match status {
        401 => ApiError::Unauthorized { message },
        403 => {
            let classic_scopes = headers
                .get("x-accepted-oauth-scopes")
                .map(split_list)
                .unwrap_or_default();
            let token_scopes = oauth_scopes(headers);
            // Only name scopes when the token lacks all of them: otherwise the scopes are not the problem.
            let lacks_scope = token_scopes
                .as_ref()
                .is_none_or(|have| !classic_scopes.iter().any(|s| have.contains(s)));
            ApiError::Forbidden {
                needed: AccessNeeded {
                    classic_scopes: if lacks_scope {
                        classic_scopes
                    } else {
                        Vec::new()
                    },
                    token_scopes,
                    fine_grained: headers
                        .get("x-accepted-github-permissions")
                        .map(str::to_owned),
                    fine_grained_refused: lower.contains("resource not accessible by"),
                },
                message,
            }
        }
        404 => ApiError::NotFound { message },
        409 => {
            let contexts = body
                .errors
                .iter()
                .find_map(|e| e.get("contexts"))
                .and_then(Value::as_array);
            let conflict = if let Some(contexts) = contexts {
                ConflictKind::FailedChecks {
                    contexts: contexts
                        .iter()
                        .map(|c| ContextState {
                            context: str_member(c, "context").unwrap_or_default(),
                            state: str_member(c, "state").unwrap_or_default(),
                        })
                        .collect(),
                }
            } else if let Some(rest) = message.strip_prefix("Conflict merging ") {
                let rest = rest.trim_end_matches('.');
                let (base, head) = match rest.split_once(" into ") {
                    Some((b, h)) => (Some(b.to_owned()), Some(h.to_owned())),
                    None => (None, None),
                };
                ConflictKind::MergeConflict { base, head }
            } else {
                ConflictKind::Other
            };
            ApiError::Conflict { message, conflict }
        }
        422 => {
            let mut issues: Vec<ValidationIssue> = body
                .errors
                .iter()
                .map(|e| match e {
                    Value::String(s) => ValidationIssue {
                        field: None,
                        code: None,
                        resource: None,
                        message: Some(s.clone()),
                    },
                    other => ValidationIssue {
                        field: str_member(other, "field"),
                        code: str_member(other, "code"),
                        resource: str_member(other, "resource"),
                        message: str_member(other, "message"),
                    },
                })
                .collect();
            if issues.is_empty() {
                if let Some(field) = field_named_in(&message) {
                    issues.push(ValidationIssue {
                        field: Some(field),
                        code: None,
                        resource: None,
                        message: Some(message.replace("Invalid request.\n\n", "")),
                    });
                }
            }
            ApiError::Validation { message, issues }
        }
        500..=599 => ApiError::Server { status, message },
        _ => ApiError::Unexpected { status, message },
    }
}

fn str_member(value: &Value, name: &str) -> Option<String> {
    value.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The field a message without `errors[]` is about: `"ref" wasn't supplied.`, `For 'properties/state', …`,
/// `No ref found for: x` (docs/github-api.md §6, §8.2).
fn field_named_in(message: &str) -> Option<String> {
    if message.starts_with("No ref found for") {
        return Some("ref".into());
    }
    if let Some(start) = message.find("'properties/") {
        let rest = &message[start + "'properties/".len()..];
        return rest.split(['\'', '/']).next().map(str::to_owned);
    }
    let start = message.find('"')? + 1;
    let len = message[start..].find('"')?;
    let name = &message[start..start + len];
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .then(|| name.to_owned())
}

// ---- success decoding ----

fn check_json_content_type(response: &HttpResponse) -> Result<(), ApiError> {
    match response.header("content-type") {
        Some(ct) if !ct.to_ascii_lowercase().contains("json") => Err(ApiError::Decode {
            message: format!("expected JSON but the server sent {ct}"),
        }),
        _ => Ok(()),
    }
}

fn decode_body<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, ApiError> {
    check_json_content_type(response)?;
    serde_json::from_slice(&response.body).map_err(|e| ApiError::Decode {
        message: if response.body.is_empty() {
            "the body is empty".to_owned()
        } else {
            e.to_string()
        },
    })
}

/// A 2xx JSON answer → `T`; anything else → [`ApiError`].
pub fn decode<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, ApiError> {
    if !response.is_success() {
        return Err(error_from(response));
    }
    decode_body(response)
}

/// A 2xx answer whose body does not matter (204 of delete and dispatch).
pub fn decode_empty(response: &HttpResponse) -> Result<(), ApiError> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from(response))
    }
}

/// The answer to a conditional request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fresh<T> {
    /// A new body, and its ETag to send next time.
    Modified { value: T, etag: Option<String> },
    /// 304: what you have is current (and the request cost no quota, docs/github-api.md §5).
    NotModified,
}

pub fn decode_conditional<T: DeserializeOwned>(
    response: &HttpResponse,
) -> Result<Fresh<T>, ApiError> {
    if response.status == 304 {
        return Ok(Fresh::NotModified);
    }
    let value = decode(response)?;
    Ok(Fresh::Modified {
        value,
        etag: etag(response).map(str::to_owned),
    })
}

/// One page of a list, with where the others are.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub links: Links,
    pub etag: Option<String>,
}

/// A 2xx JSON array with its `Link` header.
pub fn decode_page<T: DeserializeOwned>(response: &HttpResponse) -> Result<Page<T>, ApiError> {
    let items = decode(response)?;
    Ok(Page {
        items,
        links: response
            .header("link")
            .map(parse_link_header)
            .unwrap_or_default(),
        etag: etag(response).map(str::to_owned),
    })
}

/// What create-deployment produced (docs/github-api.md §8.2).
#[derive(Debug, Clone, PartialEq)]
pub enum CreateDeploymentOutcome {
    /// 201: the deployment.
    Created(Box<Deployment>),
    /// 202: GitHub merged the default branch into the ref instead; create again to deploy.
    AutoMerged(AutoMerged),
}

pub fn decode_create_deployment(
    response: &HttpResponse,
) -> Result<CreateDeploymentOutcome, ApiError> {
    match response.status {
        202 => decode_body(response).map(CreateDeploymentOutcome::AutoMerged),
        _ => decode(response).map(|d| CreateDeploymentOutcome::Created(Box::new(d))),
    }
}

/// `GET /repos/{o}/{r}/commits/{ref}` with the `sha` media type answers the bare SHA as text.
pub fn decode_commit_sha(response: &HttpResponse) -> Result<String, ApiError> {
    if !response.is_success() {
        return Err(error_from(response));
    }
    let text = String::from_utf8_lossy(&response.body).trim().to_owned();
    if text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(text)
    } else {
        Err(ApiError::Decode {
            message: "expected a 40-character commit SHA".into(),
        })
    }
}

impl fmt::Display for ContextState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.context, self.state)
    }
}
