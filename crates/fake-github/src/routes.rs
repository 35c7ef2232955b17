//! `Hub::handle`: one request in, one response out, as api.github.com answers it — routing (docs/github-api.md §1),
//! common headers (§2), CORS (§3), pagination (§4), rate limits and conditional requests (§5), errors (§6)
//! and the operations (§8).

use deploydeck_wire::http::{Headers, HttpRequest, HttpResponse, Method};
use deploydeck_wire::model::DeploymentState;
use deploydeck_wire::url::{decode_component, HttpUrl};
use deploydeck_wire::Timestamp;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::bodies;

mod graphql_route;
use crate::hub::{
    Access, CreateOutcome, Ctx, DeleteOutcome, Grant, Hub, Level, NewDeployment, NewStatus,
    NonAdmin, Quota, Role,
};

/// §3: GitHub's current preflight allow list.
pub const PREFLIGHT_ALLOW_HEADERS: &str = "Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, GraphQL-Features, X-Github-Next-Global-ID, X-GitHub-Api-Version, X-Fetch-Nonce, Copilot-Integration-Id, DD-CLIENT-TOKEN, X-Client-Application";
/// §2/§3: exposed on every response (2026 recordings, with `Warning`).
pub const EXPOSE_HEADERS: &str = "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset, Warning";
/// §1: the API versions this server knows.
pub const API_VERSIONS: [&str; 2] = ["2022-11-28", "2026-03-10"];

const DOC_LIST: &str = "https://docs.github.com/rest/deployments/deployments#list-deployments";
const DOC_CREATE: &str = "https://docs.github.com/rest/deployments/deployments#create-a-deployment";
const DOC_GET: &str = "https://docs.github.com/rest/deployments/deployments#get-a-deployment";
const DOC_DELETE: &str = "https://docs.github.com/rest/deployments/deployments#delete-a-deployment";
const DOC_STATUSES: &str =
    "https://docs.github.com/rest/deployments/statuses#list-deployment-statuses";
const DOC_CREATE_STATUS: &str =
    "https://docs.github.com/rest/deployments/statuses#create-a-deployment-status";
const DOC_GET_STATUS: &str =
    "https://docs.github.com/rest/deployments/statuses#get-a-deployment-status";
const DOC_DISPATCH: &str =
    "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event";
const DOC_ENVIRONMENTS: &str =
    "https://docs.github.com/rest/deployments/environments#list-environments";
const DOC_ENVIRONMENT: &str =
    "https://docs.github.com/rest/deployments/environments#get-an-environment";
const DOC_DELETE_ENVIRONMENT: &str =
    "https://docs.github.com/rest/deployments/environments#delete-an-environment";
const DOC_BRANCHES: &str = "https://docs.github.com/rest/branches/branches#list-branches";
const DOC_REPO: &str = "https://docs.github.com/rest/repos/repos#get-a-repository";
const DOC_USER: &str = "https://docs.github.com/rest/users/users#get-the-authenticated-user";
const DOC_REST: &str = "https://docs.github.com/rest";
const DOC_RATE_LIMIT: &str = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

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
struct Reply {
    status: u16,
    body: Option<Vec<u8>>,
    headers: Headers,
    /// Counts against the primary quota (false for `/rate_limit`, §5).
    counts: bool,
    /// REST's caching headers on a success (GraphQL answers have none, §13).
    cacheable: bool,
    /// CORS headers (GraphQL's `no_cors` setting answers without them, §13).
    cors: bool,
}

impl Reply {
    fn json<T: Serialize>(status: u16, body: &T) -> Reply {
        Reply {
            status,
            body: Some(serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec())),
            headers: Headers::new(),
            counts: true,
            cacheable: true,
            cors: true,
        }
    }

    fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            headers: Headers::new(),
            counts: true,
            cacheable: true,
            cors: true,
        }
    }

    fn error(status: u16, message: &str, doc: &str) -> Reply {
        Reply::json(status, &ErrorBody::new(status, message, doc))
    }

    fn not_found(doc: &str) -> Reply {
        Reply::error(404, "Not Found", doc)
    }

    /// §6 JSON-schema style 422: `Invalid request.\n\n…`, no `errors[]`.
    fn invalid(detail: &str, doc: &str) -> Reply {
        Reply::error(422, &format!("Invalid request.\n\n{detail}"), doc)
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.append(name, value);
        self
    }
}

/// basic-error / validation-error in GitHub's member order.
#[derive(Serialize)]
struct ErrorBody {
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Value>,
    documentation_url: String,
    status: String,
}

impl ErrorBody {
    fn new(status: u16, message: &str, doc: &str) -> Self {
        ErrorBody {
            message: message.to_owned(),
            errors: None,
            documentation_url: doc.to_owned(),
            status: status.to_string(),
        }
    }

    fn with_errors(mut self, errors: Value) -> Self {
        self.errors = Some(errors);
        self
    }
}

/// Who is calling.
struct Caller {
    user: Option<u64>,
    grant: Option<Grant>,
}

/// What an operation needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Metadata,
    DeploymentsRead,
    DeploymentsWrite,
    ContentsWrite,
    EnvironmentsRead,
    /// Workflow runs, their pending deployments and reviews (§14).
    ActionsRead,
    /// Approving or rejecting a pending deployment: a required reviewer with read access (§14).
    Review,
    /// Deleting an environment: the repository's admins, classic `repo` or fine-grained Administration:
    /// write (§8.14).
    Administration,
}

impl Need {
    fn is_write(self) -> bool {
        matches!(
            self,
            Need::DeploymentsWrite | Need::ContentsWrite | Need::Review | Need::Administration
        )
    }

    /// The least role a write needs: a reviewer only needs to read the repository.
    fn least_role(self) -> Role {
        match self {
            Need::Review => Role::Read,
            Need::Administration => Role::Admin,
            _ => Role::Write,
        }
    }

    /// Classic scopes that grant this (for `X-Accepted-OAuth-Scopes`).
    fn classic_scopes(self, private: bool) -> &'static [&'static str] {
        match (self, private) {
            (Need::Metadata | Need::EnvironmentsRead | Need::ActionsRead, true) => &["repo"],
            (
                Need::Metadata | Need::EnvironmentsRead | Need::ActionsRead | Need::DeploymentsRead,
                false,
            ) => &[],
            (Need::Review | Need::Administration, _) => &["repo"],
            (Need::DeploymentsRead, true) => &["repo", "repo_deployment"],
            (Need::DeploymentsWrite, true) => &["repo", "repo_deployment"],
            (Need::DeploymentsWrite, false) => &["repo", "repo_deployment", "public_repo"],
            (Need::ContentsWrite, true) => &["repo"],
            (Need::ContentsWrite, false) => &["repo", "public_repo"],
        }
    }

    /// The fine-grained permission (for `X-Accepted-GitHub-Permissions`).
    fn permission(self) -> Option<(&'static str, Level)> {
        match self {
            Need::Metadata => None,
            Need::DeploymentsRead => Some(("deployments", Level::Read)),
            Need::DeploymentsWrite => Some(("deployments", Level::Write)),
            Need::ContentsWrite => Some(("contents", Level::Write)),
            // docs/github-api.md §8.9: fine-grained "Actions: read".
            Need::EnvironmentsRead | Need::ActionsRead => Some(("actions", Level::Read)),
            Need::Review => Some(("deployments", Level::Write)),
            Need::Administration => Some(("administration", Level::Write)),
        }
    }
}

fn accepted_header(need: Need, private: bool) -> (&'static str, String) {
    (
        "X-Accepted-OAuth-Scopes",
        need.classic_scopes(private).join(", "),
    )
}

mod actions;

impl Hub {
    /// Answers one request at `ctx.now`, as GitHub would.
    pub fn handle(&mut self, request: &HttpRequest, ctx: &Ctx) -> HttpResponse {
        self.request_count += 1;
        // Wait timers run out between requests (§14).
        self.advance_runs(ctx.now);
        let request_id = format!(
            "{:04X}:{:04X}:{:X}:{:X}:{:X}",
            self.request_count % 0xFFFF,
            ctx.now.unix() % 0xFFFF,
            self.request_count,
            ctx.now.unix(),
            self.request_count * 7
        );
        let Ok(url) = HttpUrl::parse(&request.url) else {
            let mut r = finish(Reply::error(400, "Bad Request", DOC_REST), &request_id);
            r.headers
                .set("Content-Type", "application/json; charset=utf-8");
            return r;
        };
        // GHES serves the same API under /api/v3 (docs/github-api.md §10).
        let mut ctx = ctx.clone();
        // A server reached through an alias names its own address in what it sends (its `Link`s included).
        if let Some(own) = &self.settings.link_base {
            let path = HttpUrl::parse(&ctx.base)
                .map(|u| u.path().trim_end_matches('/').to_owned())
                .unwrap_or_default();
            ctx.base = format!("{}{path}", own.trim_end_matches('/'));
        }
        let mut path = url.path();
        if let Some(rest) = path.strip_prefix("/api/v3") {
            if rest.is_empty() || rest.starts_with('/') {
                path = rest;
                if !ctx.base.ends_with("/api/v3") {
                    ctx.base.push_str("/api/v3");
                }
            }
        }
        let query = url.query().unwrap_or("");

        // GraphQL: /graphql on github.com, /api/graphql on GHES (docs/github-api.md §13).
        if path == "/graphql" || url.path() == "/api/graphql" {
            return self.graphql_http(request, &ctx, &request_id);
        }

        if request.method == Method::Options {
            return preflight(&request_id);
        }

        finish(self.authenticated(request, &ctx, path, query), &request_id)
    }

    /// Uses up the primary quota (§5) of the user whose token `request` carries, until `seconds` from
    /// `now`: from then on the hub answers that user with GitHub's 403 until the window resets. The fake's
    /// `rate_limit` fault, for a quota running out in the middle of a list or a run.
    pub fn exhaust_quota(&mut self, request: &HttpRequest, now: Timestamp, seconds: i64) {
        let user = request
            .header("Authorization")
            .and_then(bearer_token)
            .and_then(|t| self.tokens.get(t))
            .map(|g| g.user);
        let caller = Caller { user, grant: None };
        // GraphQL's points are their own quota (docs/github-api.md §13).
        let graphql = request
            .url
            .split('?')
            .next()
            .is_some_and(|u| u.ends_with("/graphql"));
        let (key, limit) = if graphql {
            graphql_route::graphql_quota_key(&caller, self.settings.rate_limit_per_hour)
        } else {
            quota_key(&caller, self.settings.rate_limit_per_hour)
        };
        let quota = self.quota(&key, limit, now);
        quota.used = quota.limit;
        quota.reset = now.plus_seconds(seconds);
    }

    fn authenticated(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        path: &str,
        query: &str,
    ) -> Reply {
        if let Some(version) = request.header("X-GitHub-Api-Version") {
            if !API_VERSIONS.contains(&version.trim()) {
                return Reply::error(
                    400,
                    &format!(
                        "Unsupported 'X-GitHub-Api-Version' header value: {version}. Supported versions are: {}",
                        API_VERSIONS.join(", ")
                    ),
                    "https://docs.github.com/rest/about-the-rest-api/api-versions",
                );
            }
        }
        let caller = match request.header("Authorization") {
            None => Caller {
                user: None,
                grant: None,
            },
            Some(value) => {
                match bearer_token(value)
                    .and_then(|t| self.tokens.get(t))
                    .cloned()
                {
                    Some(grant) => Caller {
                        user: Some(grant.user),
                        grant: Some(grant),
                    },
                    None => {
                        let mut reply = Reply::error(401, "Bad credentials", DOC_REST);
                        self.rate_headers(&mut reply, None, ctx.now, false);
                        return reply;
                    }
                }
            }
        };
        let is_rate_limit = path == "/rate_limit";
        // §5: primary limit.
        if self.settings.rate_limits_enabled && !is_rate_limit {
            let (key, limit) = quota_key(&caller, self.settings.rate_limit_per_hour);
            let quota = *self.quota(&key, limit, ctx.now);
            if quota.remaining() == 0 {
                let who = caller
                    .user
                    .map_or_else(|| "127.0.0.1".to_owned(), |id| format!("user ID {id}"));
                let mut reply = Reply::error(
                    403,
                    &format!("API rate limit exceeded for {who}. If you reach out to GitHub Support for help, please include the request ID."),
                    DOC_RATE_LIMIT,
                );
                self.rate_headers(&mut reply, caller.user, ctx.now, false);
                return reply;
            }
        }
        // §5: secondary limits.
        if self.settings.secondary_limits {
            if let Some(reply) = self.secondary_limit(request, &caller, ctx) {
                let mut reply = reply;
                self.rate_headers(&mut reply, caller.user, ctx.now, false);
                return reply;
            }
        }
        let mut reply = self.route(request, ctx, &caller, path, query);
        if request.method == Method::Get && reply.status == 200 {
            conditional(request, &mut reply);
        }
        if let Some(Grant {
            access: Access::Classic { scopes },
            ..
        }) = &caller.grant
        {
            reply.headers.append("X-OAuth-Scopes", scopes.join(", "));
        }
        let counts = reply.counts && reply.status != 304;
        self.rate_headers(&mut reply, caller.user, ctx.now, counts);
        reply
    }

    /// Adds `x-ratelimit-*`, after counting this request when it `counts` (§5: a 304 does not).
    fn rate_headers(&mut self, reply: &mut Reply, user: Option<u64>, now: Timestamp, counts: bool) {
        if !self.settings.rate_limits_enabled {
            return;
        }
        let caller = Caller { user, grant: None };
        let (key, limit) = quota_key(&caller, self.settings.rate_limit_per_hour);
        let quota = self.quota(&key, limit, now);
        if counts {
            quota.used += 1;
        }
        let quota = *quota;
        quota_headers(reply, quota, "core");
    }

    fn secondary_limit(
        &mut self,
        request: &HttpRequest,
        caller: &Caller,
        ctx: &Ctx,
    ) -> Option<Reply> {
        let limited = |retry: i64| {
            Some(
                Reply::error(
                    403,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                )
                .header("Retry-After", retry.max(1).to_string()),
            )
        };
        if ctx.concurrent > 100 {
            return limited(60);
        }
        if !matches!(request.method, Method::Post | Method::Patch | Method::Put) {
            return None;
        }
        let key = caller.user.unwrap_or(0);
        let now = ctx.now;
        let times = self.creations.entry(key).or_default();
        while times.front().is_some_and(|t| now.seconds_since(*t) >= 3600) {
            times.pop_front();
        }
        let in_minute: Vec<Timestamp> = times
            .iter()
            .copied()
            .filter(|t| now.seconds_since(*t) < 60)
            .collect();
        if in_minute.len() >= 80 {
            return limited(60 - now.seconds_since(in_minute[in_minute.len() - 80]));
        }
        if times.len() >= 500 {
            return limited(3600 - now.seconds_since(times[times.len() - 500]));
        }
        times.push_back(now);
        None
    }

    fn route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        path: &str,
        query: &str,
    ) -> Reply {
        // A trailing slash is a 404 (docs/github-api.md §1).
        if path.len() > 1 && path.ends_with('/') {
            return Reply::not_found(DOC_REST);
        }
        let segments: Vec<String> = path
            .split('/')
            .skip(1)
            .map(|s| decode_component(s).unwrap_or_else(|| s.to_owned()))
            .collect();
        let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
        let m = request.method;
        match (m, seg.as_slice()) {
            (Method::Get, ["user"]) => self.get_user(ctx, caller),
            (Method::Get, ["rate_limit"]) => self.get_rate_limit(caller, ctx),
            (_, ["repos", owner, name, rest @ ..]) => {
                let Some(index) = self.repo_index(owner, name) else {
                    return Reply::not_found(doc_for(m, rest));
                };
                self.repo_route(request, ctx, caller, index, rest, query)
            }
            _ => Reply::not_found(DOC_REST),
        }
    }

    fn repo_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
        rest: &[&str],
        query: &str,
    ) -> Reply {
        let m = request.method;
        let need = match (m, rest) {
            (Method::Get, []) => Need::Metadata,
            (Method::Get, ["deployments", ..]) => Need::DeploymentsRead,
            (Method::Post | Method::Delete, ["deployments", ..]) => Need::DeploymentsWrite,
            (Method::Post, ["dispatches"]) => Need::ContentsWrite,
            (Method::Get, ["environments", ..]) => Need::EnvironmentsRead,
            (Method::Delete, ["environments", _]) => Need::Administration,
            (Method::Get, ["branches"]) => Need::Metadata,
            (Method::Get, ["actions", "runs", ..]) => Need::ActionsRead,
            (Method::Post, ["actions", "runs", _, "pending_deployments"]) => Need::Review,
            _ => return Reply::not_found(DOC_REST),
        };
        if let Err(reply) = self.authorize(caller, index, need, doc_for(m, rest)) {
            return reply;
        }
        let path = request_path(&request.url);
        let role = caller
            .user
            .and_then(|id| self.user(id))
            .and_then(|u| self.repos[index].role_of(u));
        let reply = match (m, rest) {
            (Method::Get, []) => Reply::json(
                200,
                &bodies::repository(self, ctx, &self.repos[index], role),
            ),
            (Method::Get, ["deployments"]) => self.list_deployments(ctx, index, &path, query),
            (Method::Post, ["deployments"]) => self
                .create_deployment_route(request, ctx, caller, index)
                .unwrap_or_else(|reply| reply),
            (Method::Get, ["deployments", id]) => match parse_id(id)
                .and_then(|id| self.repos[index].deployment(id))
            {
                Some(d) => Reply::json(200, &bodies::deployment(self, ctx, &self.repos[index], d)),
                None => Reply::not_found(DOC_GET),
            },
            (Method::Delete, ["deployments", id]) => self.delete_route(index, id),
            (Method::Get, ["deployments", id, "statuses"]) => {
                self.list_statuses(ctx, index, id, &path, query)
            }
            (Method::Post, ["deployments", id, "statuses"]) => {
                self.create_status_route(request, ctx, caller, index, id)
            }
            (Method::Get, ["deployments", id, "statuses", status_id]) => {
                self.get_status(ctx, index, id, status_id)
            }
            (Method::Post, ["dispatches"]) => self.dispatch_route(request, ctx, caller, index),
            (Method::Get, ["environments"]) => self.list_environments(ctx, index, &path, query),
            (Method::Get, ["environments", name]) => match self.repos[index].environment(name) {
                Some(e) => Reply::json(200, &bodies::environment(self, ctx, &self.repos[index], e)),
                None => Reply::not_found(DOC_ENVIRONMENT),
            },
            (Method::Delete, ["environments", name]) => {
                if self.repos[index].delete_environment(name) {
                    Reply::empty(204)
                } else {
                    Reply::not_found(DOC_DELETE_ENVIRONMENT)
                }
            }
            (Method::Get, ["branches"]) => self.list_branches(ctx, index, &path, query),
            (Method::Get, ["actions", "runs"]) => self.list_runs(ctx, index, &path, query),
            (Method::Get, ["actions", "runs", id]) => self.get_run(ctx, index, id),
            (Method::Get, ["actions", "runs", id, "pending_deployments"]) => {
                self.pending_deployments(ctx, caller, index, id)
            }
            (Method::Post, ["actions", "runs", id, "pending_deployments"]) => {
                self.review_route(request, ctx, caller, index, id)
            }
            (Method::Get, ["actions", "runs", id, "approvals"]) => self.approvals(ctx, index, id),
            _ => Reply::not_found(DOC_REST),
        };
        let private = self.repos[index].private;
        match &caller.grant {
            Some(Grant {
                access: Access::Classic { .. },
                ..
            }) => {
                let (name, value) = accepted_header(need, private);
                reply.header(name, value)
            }
            Some(Grant {
                access: Access::FineGrained { .. },
                ..
            }) => match need.permission() {
                Some((p, l)) => {
                    reply.header("X-Accepted-GitHub-Permissions", permission_text(p, l))
                }
                None => reply.header("X-Accepted-GitHub-Permissions", "metadata=read"),
            },
            None => reply,
        }
    }

    /// Visibility first (a private repository the caller cannot see is a 404, never a 403, §6), then the
    /// scope or permission the operation needs (403 in GitHub's words, with the accepted scopes or
    /// permission in headers).
    fn authorize(&self, caller: &Caller, index: usize, need: Need, doc: &str) -> Result<(), Reply> {
        let repo = &self.repos[index];
        let user = caller.user.and_then(|id| self.user(id));
        let role = user.and_then(|u| repo.role_of(u));
        let hidden = || Reply::not_found(doc);
        let Some(grant) = &caller.grant else {
            // Anonymous: public repositories are readable (§8.1); writes need authentication.
            if repo.private {
                return Err(hidden());
            }
            if need.is_write() {
                return Err(Reply::error(401, "Requires authentication", doc));
            }
            return Ok(());
        };
        match &grant.access {
            Access::Classic { scopes } => {
                let has = |s: &str| scopes.iter().any(|x| x == s);
                if repo.private && (role.is_none() || !(has("repo") || has("repo_deployment"))) {
                    return Err(hidden());
                }
                let accepted = need.classic_scopes(repo.private);
                if !accepted.is_empty() && !accepted.iter().any(|s| has(s)) {
                    // Without `repo`, a private repository's metadata and environments stay invisible.
                    if repo.private
                        && matches!(
                            need,
                            Need::Metadata
                                | Need::EnvironmentsRead
                                | Need::ActionsRead
                                | Need::ContentsWrite
                        )
                    {
                        let (name, value) = accepted_header(need, repo.private);
                        return Err(hidden().header(name, value));
                    }
                    let (name, value) = accepted_header(need, repo.private);
                    return Err(Reply::error(
                        403,
                        "Resource not accessible by personal access token",
                        doc,
                    )
                    .header(name, value));
                }
                if need.is_write() && role.is_none_or(|r| r < need.least_role()) {
                    // Someone who sees the repository but is not its admin (§8.14, a setting).
                    if need == Need::Administration
                        && (role.is_some() || !repo.private)
                        && self.settings.non_admin == NonAdmin::Forbidden
                    {
                        return Err(Reply::error(
                            403,
                            "Must have admin rights to Repository.",
                            doc,
                        ));
                    }
                    return Err(hidden());
                }
                Ok(())
            }
            Access::FineGrained {
                permissions,
                repositories,
            } => {
                let selected = match repositories {
                    Some(list) => list
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(&repo.full_name())),
                    None => {
                        user.is_some_and(|u| u.login.eq_ignore_ascii_case(&repo.owner))
                            || role.is_some()
                    }
                };
                if repo.private && (!selected || role.is_none()) {
                    return Err(hidden());
                }
                if let Some((permission, level)) = need.permission() {
                    let granted = permissions.get(permission).copied();
                    let write_blocked =
                        need.is_write() && role.is_none_or(|r| r < need.least_role());
                    if (!selected && need.is_write())
                        || granted.is_none_or(|g| g < level)
                        || write_blocked
                    {
                        return Err(Reply::error(
                            403,
                            "Resource not accessible by personal access token",
                            doc,
                        )
                        .header(
                            "X-Accepted-GitHub-Permissions",
                            permission_text(permission, level),
                        ));
                    }
                }
                Ok(())
            }
        }
    }

    fn get_user(&self, ctx: &Ctx, caller: &Caller) -> Reply {
        match caller.user.and_then(|id| self.user(id)) {
            Some(user) => Reply::json(200, &bodies::private_user(ctx, user)),
            None => Reply::error(401, "Requires authentication", DOC_USER),
        }
    }

    fn get_rate_limit(&mut self, caller: &Caller, ctx: &Ctx) -> Reply {
        let (key, limit) = quota_key(caller, self.settings.rate_limit_per_hour);
        let q = *self.quota(&key, limit, ctx.now);
        let mut reply = Reply::json(200, &bodies::rate_limit(q.limit, q.used, q.reset.unix()));
        reply.counts = false;
        reply
    }

    fn list_deployments(&self, ctx: &Ctx, index: usize, path: &str, query: &str) -> Reply {
        let repo = &self.repos[index];
        let params = parse_query(query);
        let filter = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let (sha, git_ref, task, environment) = (
            filter("sha"),
            filter("ref"),
            filter("task"),
            filter("environment"),
        );
        // Newest first (docs/github-api.md §4).
        let items: Vec<_> = repo
            .deployments
            .iter()
            .rev()
            .filter(|d| sha.is_none_or(|s| d.sha == s))
            .filter(|d| git_ref.is_none_or(|r| d.git_ref == r))
            .filter(|d| task.is_none_or(|t| d.task == t))
            .filter(|d| environment.is_none_or(|e| d.environment == e))
            .collect();
        paginate(ctx, path, &params, items.len(), |range| {
            let page: Vec<_> = items[range]
                .iter()
                .map(|d| bodies::deployment(self, ctx, repo, d))
                .collect();
            serde_json::to_vec(&page)
        })
    }

    fn create_deployment_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
    ) -> Result<Reply, Reply> {
        let body = json_object(request)?;
        let new =
            read_new_deployment(&body).map_err(|detail| Reply::invalid(&detail, DOC_CREATE))?;
        let creator = caller.user.unwrap_or(0);
        Ok(match self.create_deployment(index, creator, new, ctx.now) {
            CreateOutcome::Created(id) => {
                let repo = &self.repos[index];
                let Some(d) = repo.deployment(id) else { return Err(Reply::error(500, "Server Error", DOC_CREATE)) };
                let body = bodies::deployment(self, ctx, repo, d);
                let location = body.url.clone();
                Reply::json(201, &body).header("Location", location)
            }
            CreateOutcome::AutoMerged { base, head } => {
                Reply::json(202, &json!({"message": format!("Auto-merged {base} into {head} on deployment.")}))
            }
            CreateOutcome::NoRef(r) => Reply::error(422, &format!("No ref found for: {r}"), DOC_CREATE),
            CreateOutcome::MergeConflict { base, head } => {
                Reply::error(409, &format!("Conflict merging {base} into {head}."), DOC_CREATE)
            }
            CreateOutcome::ChecksFailed { git_ref, contexts } => Reply::json(
                409,
                &ErrorBody::new(409, &format!("Conflict: Commit status checks failed for {git_ref}."), DOC_CREATE)
                    .with_errors(json!([{
                        "contexts": contexts.iter().map(|c| json!({"context": c.context, "state": c.state})).collect::<Vec<_>>(),
                        "resource": "Deployment",
                        "field": "required_contexts",
                        "code": "invalid"
                    }])),
            ),
        })
    }

    fn delete_route(&mut self, index: usize, id: &str) -> Reply {
        let Some(id) = parse_id(id) else {
            return Reply::not_found(DOC_DELETE);
        };
        match self.delete_deployment(index, id) {
            DeleteOutcome::Deleted => Reply::empty(204),
            DeleteOutcome::NotFound => Reply::not_found(DOC_DELETE),
            // docs/github-api.md §8.4: validation-error-simple, errors[] as plain strings.
            DeleteOutcome::Refused => Reply::json(
                422,
                &ErrorBody::new(422, "Validation Failed", DOC_DELETE).with_errors(json!([
                    "We cannot delete an active deployment unless it is the only deployment in a given environment."
                ])),
            ),
        }
    }

    fn list_statuses(&self, ctx: &Ctx, index: usize, id: &str, path: &str, query: &str) -> Reply {
        let repo = &self.repos[index];
        let Some(d) = parse_id(id).and_then(|id| repo.deployment(id)) else {
            return Reply::not_found(DOC_STATUSES);
        };
        let mut statuses: Vec<_> = d.statuses.iter().collect();
        statuses.sort_by_key(|s| std::cmp::Reverse((s.created_at, s.id)));
        let params = parse_query(query);
        paginate(ctx, path, &params, statuses.len(), |range| {
            let page: Vec<_> = statuses[range]
                .iter()
                .map(|s| bodies::status(self, ctx, repo, d, s))
                .collect();
            serde_json::to_vec(&page)
        })
    }

    fn create_status_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
        id: &str,
    ) -> Reply {
        let Some(id) = parse_id(id).filter(|id| self.repos[index].deployment(*id).is_some()) else {
            return Reply::not_found(DOC_CREATE_STATUS);
        };
        let new = json_object(request).and_then(|body| read_new_status(&body));
        let new = match new {
            Ok(new) => new,
            Err(reply) => return reply,
        };
        let Some(status_id) = self.add_status(index, id, caller.user.unwrap_or(0), new, ctx.now)
        else {
            return Reply::not_found(DOC_CREATE_STATUS);
        };
        let repo = &self.repos[index];
        let (Some(d), Some(s)) = (
            repo.deployment(id),
            repo.deployment(id)
                .and_then(|d| d.statuses.iter().find(|s| s.id == status_id)),
        ) else {
            return Reply::error(500, "Server Error", DOC_CREATE_STATUS);
        };
        let body = bodies::status(self, ctx, repo, d, s);
        let location = body.url.clone();
        Reply::json(201, &body).header("Location", location)
    }

    fn get_status(&self, ctx: &Ctx, index: usize, id: &str, status_id: &str) -> Reply {
        let repo = &self.repos[index];
        let found = parse_id(id)
            .and_then(|id| repo.deployment(id))
            .and_then(|d| {
                parse_id(status_id)
                    .and_then(|sid| d.statuses.iter().find(|s| s.id == sid))
                    .map(|s| (d, s))
            });
        match found {
            Some((d, s)) => Reply::json(200, &bodies::status(self, ctx, repo, d, s)),
            None => Reply::not_found(DOC_GET_STATUS),
        }
    }

    fn dispatch_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
    ) -> Reply {
        let (event_type, client_payload) =
            match json_object(request).and_then(|body| read_dispatch(&body)) {
                Ok(dispatch) => dispatch,
                Err(reply) => return reply,
            };
        self.repos[index].dispatches.push(crate::hub::Dispatch {
            event_type,
            client_payload,
            user: caller.user.unwrap_or(0),
            at: ctx.now,
        });
        Reply::empty(204)
    }

    fn list_environments(&self, ctx: &Ctx, index: usize, path: &str, query: &str) -> Reply {
        let repo = &self.repos[index];
        let mut environments: Vec<_> = repo.environments.iter().collect();
        environments.sort_by_key(|e| e.name.to_ascii_lowercase());
        let params = parse_query(query);
        let total = environments.len();
        paginate(ctx, path, &params, total, |range| {
            let page: Vec<_> = environments[range]
                .iter()
                .map(|e| bodies::environment(self, ctx, repo, e))
                .collect();
            serde_json::to_vec(&json!({"total_count": total, "environments": page}))
        })
    }

    fn list_branches(&self, ctx: &Ctx, index: usize, path: &str, query: &str) -> Reply {
        let repo = &self.repos[index];
        let params = parse_query(query);
        let protected = params
            .iter()
            .find(|(k, _)| k == "protected")
            .map(|(_, v)| v == "true");
        let mut branches: Vec<_> = repo
            .branches
            .iter()
            .filter(|b| protected.is_none_or(|p| b.protected == p))
            .collect();
        branches.sort_by(|a, b| a.name.cmp(&b.name));
        paginate(ctx, path, &params, branches.len(), |range| {
            let page: Vec<_> = branches[range]
                .iter()
                .map(|b| bodies::short_branch(ctx, repo, &b.name, &b.sha, b.protected))
                .collect();
            serde_json::to_vec(&page)
        })
    }
}

fn permission_text(permission: &str, level: Level) -> String {
    format!(
        "{permission}={}",
        if level == Level::Write {
            "write"
        } else {
            "read"
        }
    )
}

/// The token of an `Authorization` value (`Bearer T` or `token T`, §1); `None` for another scheme.
fn bearer_token(value: &str) -> Option<&str> {
    value
        .split_once(' ')
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token")
        })
        .map(|(_, t)| t.trim())
}

/// §5: `x-ratelimit-*` for a quota of `resource` (`core`, `graphql`).
fn quota_headers(reply: &mut Reply, quota: Quota, resource: &str) {
    let headers = &mut reply.headers;
    headers.append("X-RateLimit-Limit", quota.limit.to_string());
    headers.append("X-RateLimit-Remaining", quota.remaining().to_string());
    headers.append("X-RateLimit-Reset", quota.reset.unix().to_string());
    headers.append("X-RateLimit-Used", quota.used.to_string());
    headers.append("X-RateLimit-Resource", resource);
}

fn quota_key(caller: &Caller, per_hour: u64) -> (String, u64) {
    match caller.user {
        Some(id) => (format!("user:{id}"), per_hour),
        // §5: 60 an hour unauthenticated.
        None => ("anonymous".into(), 60),
    }
}

fn doc_for(method: Method, rest: &[&str]) -> &'static str {
    match (method, rest) {
        (Method::Get, []) => DOC_REPO,
        (Method::Get, ["deployments"]) => DOC_LIST,
        (Method::Post, ["deployments"]) => DOC_CREATE,
        (Method::Get, ["deployments", _]) => DOC_GET,
        (Method::Delete, ["deployments", _]) => DOC_DELETE,
        (Method::Get, ["deployments", _, "statuses"]) => DOC_STATUSES,
        (Method::Post, ["deployments", _, "statuses"]) => DOC_CREATE_STATUS,
        (Method::Get, ["deployments", _, "statuses", _]) => DOC_GET_STATUS,
        (Method::Post, ["dispatches"]) => DOC_DISPATCH,
        (Method::Get, ["environments"]) => DOC_ENVIRONMENTS,
        (Method::Get, ["environments", _]) => DOC_ENVIRONMENT,
        (Method::Delete, ["environments", _]) => DOC_DELETE_ENVIRONMENT,
        (Method::Get, ["branches"]) => DOC_BRANCHES,
        (_, ["actions", rest @ ..]) => actions::doc_for(rest),
        _ => DOC_REST,
    }
}

fn parse_id(text: &str) -> Option<u64> {
    text.parse().ok()
}

/// The path of a request URL as sent (still encoded), for `Link` URLs.
fn request_path(url: &str) -> String {
    HttpUrl::parse(url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default()
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                let s = s.replace('+', " ");
                decode_component(&s).unwrap_or(s)
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// §4: `per_page` (default 30, silently clamped to 100) and `page`; `Link` (prev, next, last, first) only
/// when there is more than one page, keeping the other query parameters and `per_page` as sent.
fn paginate(
    ctx: &Ctx,
    path: &str,
    params: &[(String, String)],
    total: usize,
    render: impl FnOnce(std::ops::Range<usize>) -> serde_json::Result<Vec<u8>>,
) -> Reply {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let per_page = get("per_page").filter(|n| *n > 0).unwrap_or(30).min(100);
    let page = get("page").filter(|n| *n > 0).unwrap_or(1);
    let start = (page - 1).saturating_mul(per_page).min(total);
    let end = (start + per_page).min(total);
    let body = render(start..end).unwrap_or_else(|_| b"[]".to_vec());
    let mut reply = Reply {
        status: 200,
        body: Some(body),
        headers: Headers::new(),
        counts: true,
        cacheable: true,
        cors: true,
    };
    let last = total.div_ceil(per_page).max(1);
    if last > 1 || page > 1 {
        let base = ctx.base.trim_end_matches("/api/v3");
        let path = if ctx.base.ends_with("/api/v3") && !path.starts_with("/api/v3") {
            format!("/api/v3{path}")
        } else {
            path.to_owned()
        };
        let link_to = |n: usize| {
            let mut q: Vec<String> = params
                .iter()
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        deploydeck_wire::url::encode_component(k),
                        deploydeck_wire::url::encode_component(v)
                    )
                })
                .collect();
            q.push(format!("page={n}"));
            format!("<{base}{path}?{}>", q.join("&"))
        };
        let mut parts = Vec::new();
        if page > 1 {
            parts.push(format!("{}; rel=\"prev\"", link_to(page - 1)));
        }
        if page < last {
            parts.push(format!("{}; rel=\"next\"", link_to(page + 1)));
            parts.push(format!("{}; rel=\"last\"", link_to(last)));
        }
        if page > 1 {
            parts.push(format!("{}; rel=\"first\"", link_to(1)));
        }
        if !parts.is_empty() {
            reply.headers.append("Link", parts.join(", "));
        }
    }
    reply
}

/// §1: a body must be JSON, and a JSON object.
fn json_object(request: &HttpRequest) -> Result<Map<String, Value>, Reply> {
    let text = request.body.as_deref().unwrap_or("");
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Reply::error(400, "Body should be a JSON object", DOC_REST)),
        Err(_) => Err(Reply::error(400, "Problems parsing JSON", DOC_REST)),
    }
}

fn string_field(
    body: &Map<String, Value>,
    name: &str,
    nullable: bool,
) -> Result<Option<String>, String> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Null) if nullable => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("For 'properties/{name}', {other} is not a string.")),
    }
}

fn bool_field(body: &Map<String, Value>, name: &str) -> Result<Option<bool>, String> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(format!(
            "For 'properties/{name}', {other} is not a boolean."
        )),
    }
}

fn read_new_deployment(body: &Map<String, Value>) -> Result<NewDeployment, String> {
    let git_ref =
        string_field(body, "ref", false)?.ok_or_else(|| "\"ref\" wasn't supplied.".to_owned())?;
    let required_contexts = match body.get("required_contexts") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("For 'items', {v} is not a string."))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(format!(
                "For 'properties/required_contexts', {other} is not an array."
            ))
        }
    };
    let payload = match body.get("payload") {
        None => None,
        Some(v @ (Value::Object(_) | Value::String(_))) => Some(v.clone()),
        Some(other) => {
            return Err(format!(
                "For 'properties/payload', {other} is not an object or a string."
            ))
        }
    };
    Ok(NewDeployment {
        git_ref,
        task: string_field(body, "task", false)?,
        auto_merge: bool_field(body, "auto_merge")?,
        required_contexts,
        payload,
        environment: string_field(body, "environment", false)?,
        description: string_field(body, "description", true)?,
        transient_environment: bool_field(body, "transient_environment")?,
        production_environment: bool_field(body, "production_environment")?,
    })
}

/// `event_type` (1..100 characters) and `client_payload` (an object of at most 10 members, under 64 KiB),
/// docs/github-api.md §8.8.
fn read_dispatch(body: &Map<String, Value>) -> Result<(String, Value), Reply> {
    let invalid = |detail: String| Reply::invalid(&detail, DOC_DISPATCH);
    let event_type = match body.get("event_type") {
        None => return Err(invalid("\"event_type\" wasn't supplied.".into())),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(invalid(format!(
                "For 'properties/event_type', {other} is not a string."
            )))
        }
    };
    let length = event_type.chars().count();
    if length == 0 || length > 100 {
        let message = if length == 0 {
            "event_type can't be blank"
        } else {
            "event_type is too long (maximum is 100 characters)"
        };
        return Err(Reply::json(
            422,
            &ErrorBody::new(422, "Validation Failed", DOC_DISPATCH)
                .with_errors(json!([{"resource": "Repository", "code": "custom", "field": "event_type", "message": message}])),
        ));
    }
    let client_payload = match body.get("client_payload") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::Object(map)) if map.len() > 10 => {
            return Err(invalid(format!(
                "No more than 10 properties are allowed; {} were supplied.",
                map.len()
            )))
        }
        Some(Value::Object(map))
            if serde_json::to_vec(map).map(|b| b.len()).unwrap_or(0) >= 64 * 1024 =>
        {
            return Err(invalid("client_payload is too large.".into()))
        }
        Some(Value::Object(map)) => Value::Object(map.clone()),
        Some(other) => {
            return Err(invalid(format!(
                "For 'properties/client_payload', {other} is not an object."
            )))
        }
    };
    Ok((event_type, client_payload))
}

fn read_new_status(body: &Map<String, Value>) -> Result<NewStatus, Reply> {
    let invalid = |detail: String| Reply::invalid(&detail, DOC_CREATE_STATUS);
    let state = match body.get("state") {
        None => return Err(invalid("\"state\" wasn't supplied.".into())),
        Some(Value::String(s)) => DeploymentState::parse(s).filter(|s| DeploymentState::POSTABLE.contains(s)).ok_or_else(|| {
            invalid(format!(
                "For 'properties/state', \"{s}\" is not one of: error, failure, inactive, in_progress, queued, pending, success."
            ))
        })?,
        Some(other) => return Err(invalid(format!("For 'properties/state', {other} is not a string."))),
    };
    let text = |name: &str| string_field(body, name, false).map_err(invalid);
    let description = text("description")?;
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 140)
    {
        // docs/github-api.md §12.1: GitHub's exact text is unrecorded; a 422 on the field is the contract's reading.
        return Err(Reply::json(
            422,
            &ErrorBody::new(422, "Validation Failed", DOC_CREATE_STATUS).with_errors(json!([{
                "resource": "DeploymentStatus",
                "code": "custom",
                "field": "description",
                "message": "description is too long (maximum is 140 characters)"
            }])),
        ));
    }
    Ok(NewStatus {
        state,
        target_url: text("target_url")?,
        log_url: text("log_url")?,
        description,
        environment: text("environment")?,
        environment_url: text("environment_url")?,
        auto_inactive: bool_field(body, "auto_inactive").map_err(invalid)?,
    })
}

/// §3: the static 204 answer to every preflight.
fn preflight(request_id: &str) -> HttpResponse {
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
fn finish(reply: Reply, request_id: &str) -> HttpResponse {
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
fn conditional(request: &HttpRequest, reply: &mut Reply) {
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

/// `"<64 hex>"`, as recorded (docs/github-api.md §2).
pub fn etag_for(body: &[u8]) -> String {
    let mut out = String::from("\"");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..4 {
        let mut h = seed;
        for b in body {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
        seed = h.rotate_left(17) ^ 0xa076_1d64_78bd_642f;
    }
    out.push('"');
    out
}
