//! Who is asking and what they may do: the token (§1), a scope or permission a request needs and the refusal
//! that names it (§6), the primary rate limit and GitHub's secondary limits (§5).

use deploydeck_wire::http::{HttpRequest, Method};
use deploydeck_wire::Timestamp;

use crate::hub::{Access, Ctx, Grant, Hub, Level, NonAdmin, Quota, Role};

use super::reply::{conditional, Reply, API_VERSIONS, DOC_RATE_LIMIT, DOC_REST};

/// Who is calling.
pub(super) struct Caller {
    pub(super) user: Option<u64>,
    pub(super) grant: Option<Grant>,
}

/// What an operation needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
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
    /// Commits and comparisons: fine-grained Contents: read (§16).
    ContentsRead,
    /// Re-running a workflow run: classic `repo`, fine-grained Actions: write (§16).
    ActionsWrite,
}

impl Need {
    pub(super) fn is_write(self) -> bool {
        matches!(
            self,
            Need::DeploymentsWrite
                | Need::ContentsWrite
                | Need::Review
                | Need::Administration
                | Need::ActionsWrite
        )
    }

    /// The least role a write needs: a reviewer only needs to read the repository.
    pub(super) fn least_role(self) -> Role {
        match self {
            Need::Review => Role::Read,
            Need::Administration => Role::Admin,
            _ => Role::Write,
        }
    }

    /// Classic scopes that grant this (for `X-Accepted-OAuth-Scopes`).
    pub(super) fn classic_scopes(self, private: bool) -> &'static [&'static str] {
        match (self, private) {
            (
                Need::Metadata | Need::EnvironmentsRead | Need::ActionsRead | Need::ContentsRead,
                true,
            ) => &["repo"],
            (
                Need::Metadata
                | Need::EnvironmentsRead
                | Need::ActionsRead
                | Need::DeploymentsRead
                | Need::ContentsRead,
                false,
            ) => &[],
            (Need::Review | Need::Administration | Need::ActionsWrite, _) => &["repo"],
            (Need::DeploymentsRead, true) => &["repo", "repo_deployment"],
            (Need::DeploymentsWrite, true) => &["repo", "repo_deployment"],
            (Need::DeploymentsWrite, false) => &["repo", "repo_deployment", "public_repo"],
            (Need::ContentsWrite, true) => &["repo"],
            (Need::ContentsWrite, false) => &["repo", "public_repo"],
        }
    }

    /// The fine-grained permission (for `X-Accepted-GitHub-Permissions`).
    pub(super) fn permission(self) -> Option<(&'static str, Level)> {
        match self {
            Need::Metadata => None,
            Need::DeploymentsRead => Some(("deployments", Level::Read)),
            Need::DeploymentsWrite => Some(("deployments", Level::Write)),
            Need::ContentsWrite => Some(("contents", Level::Write)),
            // docs/github-api.md §8.9: fine-grained "Actions: read".
            Need::EnvironmentsRead | Need::ActionsRead => Some(("actions", Level::Read)),
            Need::Review => Some(("deployments", Level::Write)),
            Need::Administration => Some(("administration", Level::Write)),
            Need::ContentsRead => Some(("contents", Level::Read)),
            Need::ActionsWrite => Some(("actions", Level::Write)),
        }
    }
}

pub(super) fn accepted_header(need: Need, private: bool) -> (&'static str, String) {
    (
        "X-Accepted-OAuth-Scopes",
        need.classic_scopes(private).join(", "),
    )
}

pub(super) fn permission_text(permission: &str, level: Level) -> String {
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
pub(super) fn bearer_token(value: &str) -> Option<&str> {
    value
        .split_once(' ')
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token")
        })
        .map(|(_, t)| t.trim())
}

/// §5: `x-ratelimit-*` for a quota of `resource` (`core`, `graphql`).
pub(super) fn quota_headers(reply: &mut Reply, quota: Quota, resource: &str) {
    let headers = &mut reply.headers;
    headers.append("X-RateLimit-Limit", quota.limit.to_string());
    headers.append("X-RateLimit-Remaining", quota.remaining().to_string());
    headers.append("X-RateLimit-Reset", quota.reset.unix().to_string());
    headers.append("X-RateLimit-Used", quota.used.to_string());
    headers.append("X-RateLimit-Resource", resource);
}

pub(super) fn quota_key(caller: &Caller, per_hour: u64) -> (String, u64) {
    match caller.user {
        Some(id) => (format!("user:{id}"), per_hour),
        // §5: 60 an hour unauthenticated.
        None => ("anonymous".into(), 60),
    }
}

impl Hub {
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
            graphql_quota_key(&caller, self.settings.rate_limit_per_hour)
        } else {
            quota_key(&caller, self.settings.rate_limit_per_hour)
        };
        let quota = self.quota(&key, limit, now);
        quota.used = quota.limit;
        quota.reset = now.plus_seconds(seconds);
    }

    pub(super) fn authenticated(
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
    pub(super) fn rate_headers(
        &mut self,
        reply: &mut Reply,
        user: Option<u64>,
        now: Timestamp,
        counts: bool,
    ) {
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

    pub(super) fn secondary_limit(
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

    /// Visibility first (a private repository the caller cannot see is a 404, never a 403, §6), then the
    /// scope or permission the operation needs (403 in GitHub's words, with the accepted scopes or
    /// permission in headers).
    pub(super) fn authorize(
        &self,
        caller: &Caller,
        index: usize,
        need: Need,
        doc: &str,
    ) -> Result<(), Reply> {
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
}

/// GraphQL's points are a quota of their own, beside REST's (§13).
pub(super) fn graphql_quota_key(caller: &Caller, per_hour: u64) -> (String, u64) {
    let (key, limit) = quota_key(caller, per_hour);
    (format!("graphql:{key}"), limit)
}
