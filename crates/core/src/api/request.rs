//! Typed operations → [`HttpRequest`]. The one place that builds URLs (API base, GHES path,
//! percent-encoding), headers (only those GitHub's CORS preflight allows, docs/github-api.md §3) and bodies.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::api::http::{HttpRequest, Method};
use crate::api::response::ApiError;
use crate::github::model::{
    DeploymentId, DispatchEvent, NewDeployment, NewDeploymentStatus, StatusId,
};
use crate::github::validate::RepoRef;
use crate::url::{encode_component, path_segment, path_segments, HttpUrl, Scheme, UrlProblem};

/// The REST API version Deploydeck speaks (docs/github-api.md §1: the default, supported until 2028; none of the
/// 2026-03-10 changes touch the operations used here).
pub const API_VERSION: &str = "2022-11-28";

/// The media type for JSON answers (docs/github-api.md §1).
pub const ACCEPT_JSON: &str = "application/vnd.github+json";

/// On GHES also name the legacy previews: harmless on current servers, needed by GHES ≤ 3.3 for
/// `inactive`, `in_progress`, `queued`, `log_url`, `environment_url` and `auto_inactive` (docs/github-api.md §1).
/// 115 bytes: an `Accept` value stays CORS-safelisted only up to 128 (docs/github-api.md §3).
pub const ACCEPT_JSON_WITH_PREVIEWS: &str = "application/vnd.github+json, application/vnd.github.ant-man-preview+json, application/vnd.github.flash-preview+json";

/// The request headers Deploydeck may send (docs/github-api.md §3): anything else fails the preflight.
pub const ALLOWED_REQUEST_HEADERS: [&str; 5] = [
    "Authorization",
    "Accept",
    "Content-Type",
    "X-GitHub-Api-Version",
    "If-None-Match",
];

/// GitHub's maximum page size (docs/github-api.md §4).
pub const MAX_PER_PAGE: u8 = 100;

/// Which kind of server an [`ApiBase`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// api.github.com (GHEC too).
    GitHubCom,
    /// GitHub Enterprise Server, `https://HOST/api/v3`.
    Enterprise,
    /// Any other http(s) base, for local servers such as fake-github.
    Custom,
}

/// Where API requests go, without a trailing slash: `https://api.github.com`, `https://HOST/api/v3`, or a
/// custom base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiBase {
    kind: HostKind,
    root: String,
}

impl ApiBase {
    pub fn github_com() -> Self {
        ApiBase {
            kind: HostKind::GitHubCom,
            root: "https://api.github.com".into(),
        }
    }

    /// A GHES host as a person writes it: `ghe.example.com`, `https://ghe.example.com/`, or the full
    /// `https://ghe.example.com/api/v3`. Without a scheme, https is assumed. `github.com` itself is
    /// recognised and gives [`ApiBase::github_com`].
    pub fn enterprise(input: &str) -> Result<Self, UrlProblem> {
        let input = input.trim();
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        let url = HttpUrl::parse(&with_scheme)?;
        let host = url.host.to_ascii_lowercase();
        if host == "github.com" || host == "api.github.com" || host == "www.github.com" {
            return Ok(Self::github_com());
        }
        Ok(ApiBase {
            kind: HostKind::Enterprise,
            root: format!("{}/api/v3", url.origin()),
        })
    }

    /// Any absolute http(s) base URL, used as given (a trailing slash, query and fragment dropped).
    /// A custom base: any https:// URL, or http:// on this computer (127.0.0.1, localhost) — the only
    /// plain-http origins the app's Content-Security-Policy (`connect-src`, index.html) lets the page reach.
    pub fn custom(input: &str) -> Result<Self, UrlProblem> {
        let url = HttpUrl::parse(input.trim())?;
        let loopback = ["127.0.0.1", "localhost"]
            .iter()
            .any(|h| url.host.eq_ignore_ascii_case(h));
        if url.scheme == Scheme::Http && !loopback {
            return Err(UrlProblem::PlainHttpElsewhere);
        }
        let path = url.path().trim_end_matches('/');
        Ok(ApiBase {
            kind: HostKind::Custom,
            root: format!("{}{}", url.origin(), path),
        })
    }

    pub fn kind(&self) -> HostKind {
        self.kind
    }

    /// The base URL, without a trailing slash.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The only origin a token is ever sent to.
    pub fn origin(&self) -> String {
        HttpUrl::parse(&self.root)
            .map(|u| u.origin())
            .unwrap_or_default()
    }

    /// A short name for the header: `github.com`, the GHES host, or the custom base.
    pub fn display_name(&self) -> String {
        match self.kind {
            HostKind::GitHubCom => "github.com".into(),
            HostKind::Enterprise => HttpUrl::parse(&self.root)
                .map(|u| u.host.to_owned())
                .unwrap_or_else(|_| self.root.clone()),
            HostKind::Custom => self.root.clone(),
        }
    }

    fn accept(&self) -> &'static str {
        match self.kind {
            HostKind::Enterprise => ACCEPT_JSON_WITH_PREVIEWS,
            HostKind::GitHubCom | HostKind::Custom => ACCEPT_JSON,
        }
    }
}

/// What a token looks like from its prefix (GitHub's documented token prefixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// `ghp_`: a classic personal access token, with scopes.
    Classic,
    /// `github_pat_`: a fine-grained personal access token, with repository permissions.
    FineGrained,
    /// `gho_`: an OAuth app token (scopes).
    OAuth,
    /// `ghu_` / `ghs_`: a GitHub App user or installation token (permissions).
    App,
    /// Anything else (old 40-hex tokens, GHES tokens, test tokens).
    Unknown,
}

/// The user's token. Its `Debug` is redacted and it has no `Display` and no `Serialize`, so it cannot end up
/// in a log, a URL or a saved file by accident; [`Token::expose`] is the one explicit way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Surrounding whitespace (a common paste accident) is removed. `None` when nothing is left.
    pub fn new(text: &str) -> Option<Token> {
        let text = text.trim();
        (!text.is_empty()).then(|| Token(text.to_owned()))
    }

    /// The secret itself, for the `Authorization` header and the storage the user chose.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> TokenKind {
        let t = self.0.as_str();
        if t.starts_with("github_pat_") {
            TokenKind::FineGrained
        } else if t.starts_with("ghp_") {
            TokenKind::Classic
        } else if t.starts_with("gho_") {
            TokenKind::OAuth
        } else if t.starts_with("ghu_") || t.starts_with("ghs_") {
            TokenKind::App
        } else {
            TokenKind::Unknown
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// `per_page` and `page` (docs/github-api.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub per_page: u8,
    pub page: u32,
}

impl PageRequest {
    /// The first page of the largest size GitHub serves: fewest requests for a full list.
    pub const FIRST_FULL: PageRequest = PageRequest {
        per_page: MAX_PER_PAGE,
        page: 1,
    };

    pub fn new(per_page: u8, page: u32) -> Self {
        PageRequest {
            per_page: per_page.clamp(1, MAX_PER_PAGE),
            page: page.max(1),
        }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::FIRST_FULL
    }
}

/// The server-side filters of list-deployments (docs/github-api.md §8.1). Empty means "no filter": the parameter
/// is left out, never sent as the docs' literal "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentFilter {
    pub sha: String,
    pub git_ref: String,
    pub task: String,
    pub environment: String,
}

/// Why a `Link` URL is not followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowError {
    #[error("the link {0:?} is not an http(s) URL")]
    NotHttp(String),
    /// Following it would send the token to another host.
    #[error("the link points to {found}, not to the API host {expected}; it was not followed")]
    OtherOrigin { expected: String, found: String },
}

/// Builds requests for one API base and (optionally) one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    base: ApiBase,
    token: Option<Token>,
}

impl Client {
    pub fn new(base: ApiBase, token: Option<Token>) -> Self {
        Client { base, token }
    }

    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    pub(crate) fn request(&self, method: Method, path_and_query: &str) -> HttpRequest {
        self.request_to(method, format!("{}{}", self.base.root, path_and_query))
    }

    fn request_to(&self, method: Method, url: String) -> HttpRequest {
        let mut req = HttpRequest::new(method, url);
        req.headers.append("Accept", self.base.accept());
        req.headers.append("X-GitHub-Api-Version", API_VERSION);
        if let Some(token) = &self.token {
            req.headers
                .append("Authorization", format!("Bearer {}", token.expose()));
        }
        req
    }

    pub(crate) fn with_json<T: Serialize>(mut req: HttpRequest, body: &T) -> HttpRequest {
        // Serialising these plain structs cannot fail: no maps with non-string keys, no custom errors.
        req.body = Some(serde_json::to_string(body).unwrap_or_else(|_| String::from("{}")));
        req.headers.append("Content-Type", "application/json");
        req
    }

    pub(crate) fn repo_path(repo: &RepoRef) -> String {
        format!(
            "/repos/{}/{}",
            encode_component(&repo.owner),
            encode_component(&repo.name)
        )
    }

    pub(crate) fn paged(path: String, page: PageRequest, mut query: Vec<(&str, String)>) -> String {
        query.push(("per_page", page.per_page.to_string()));
        query.push(("page", page.page.to_string()));
        with_query(path, &query)
    }

    // ---- docs/github-api.md §8 ----

    /// §8.1 `GET /repos/{owner}/{repo}/deployments`.
    pub fn list_deployments(
        &self,
        repo: &RepoRef,
        filter: &DeploymentFilter,
        page: PageRequest,
    ) -> HttpRequest {
        let query = [
            ("sha", &filter.sha),
            ("ref", &filter.git_ref),
            ("task", &filter.task),
            ("environment", &filter.environment),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
        let path = format!("{}/deployments", Self::repo_path(repo));
        self.request(Method::Get, &Self::paged(path, page, query))
    }

    /// §8.2 `POST /repos/{owner}/{repo}/deployments`.
    pub fn create_deployment(&self, repo: &RepoRef, body: &NewDeployment) -> HttpRequest {
        let req = self.request(
            Method::Post,
            &format!("{}/deployments", Self::repo_path(repo)),
        );
        Self::with_json(req, body)
    }

    /// §8.3 `GET /repos/{owner}/{repo}/deployments/{deployment_id}`.
    pub fn get_deployment(&self, repo: &RepoRef, id: DeploymentId) -> HttpRequest {
        self.request(
            Method::Get,
            &format!("{}/deployments/{id}", Self::repo_path(repo)),
        )
    }

    /// §8.4 `DELETE /repos/{owner}/{repo}/deployments/{deployment_id}`.
    pub fn delete_deployment(&self, repo: &RepoRef, id: DeploymentId) -> HttpRequest {
        self.request(
            Method::Delete,
            &format!("{}/deployments/{id}", Self::repo_path(repo)),
        )
    }

    /// §8.5 `GET …/deployments/{deployment_id}/statuses`. With `per_page = 1` it is the cheapest way to
    /// learn a deployment's latest state (newest first, docs/github-api.md §4).
    pub fn list_deployment_statuses(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
        page: PageRequest,
    ) -> HttpRequest {
        let path = format!("{}/deployments/{id}/statuses", Self::repo_path(repo));
        self.request(Method::Get, &Self::paged(path, page, Vec::new()))
    }

    /// §8.6 `POST …/deployments/{deployment_id}/statuses`.
    pub fn create_deployment_status(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
        body: &NewDeploymentStatus,
    ) -> HttpRequest {
        let req = self.request(
            Method::Post,
            &format!("{}/deployments/{id}/statuses", Self::repo_path(repo)),
        );
        Self::with_json(req, body)
    }

    /// §8.7 `GET …/deployments/{deployment_id}/statuses/{status_id}`.
    pub fn get_deployment_status(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
        status: StatusId,
    ) -> HttpRequest {
        self.request(
            Method::Get,
            &format!(
                "{}/deployments/{id}/statuses/{status}",
                Self::repo_path(repo)
            ),
        )
    }

    /// §8.8 `POST /repos/{owner}/{repo}/dispatches`.
    pub fn create_dispatch_event(&self, repo: &RepoRef, body: &DispatchEvent) -> HttpRequest {
        let req = self.request(
            Method::Post,
            &format!("{}/dispatches", Self::repo_path(repo)),
        );
        Self::with_json(req, body)
    }

    /// §8.9 `GET /repos/{owner}/{repo}/environments`.
    pub fn list_environments(&self, repo: &RepoRef, page: PageRequest) -> HttpRequest {
        let path = format!("{}/environments", Self::repo_path(repo));
        self.request(Method::Get, &Self::paged(path, page, Vec::new()))
    }

    /// §8.10 `GET /repos/{owner}/{repo}/environments/{environment_name}`: the name is one encoded segment
    /// (`/` → `%2F`); a name that cannot be one (`.`, `..`) is refused, nothing built.
    pub fn get_environment(&self, repo: &RepoRef, name: &str) -> Result<HttpRequest, ApiError> {
        let name = environment_segment(name)?;
        Ok(self.request(
            Method::Get,
            &format!("{}/environments/{name}", Self::repo_path(repo)),
        ))
    }

    /// §8.14 `DELETE /repos/{owner}/{repo}/environments/{environment_name}` (admins only); a name that cannot
    /// be one step of the address is refused, nothing built.
    pub fn delete_environment(&self, repo: &RepoRef, name: &str) -> Result<HttpRequest, ApiError> {
        let name = environment_segment(name)?;
        Ok(self.request(
            Method::Delete,
            &format!("{}/environments/{name}", Self::repo_path(repo)),
        ))
    }

    /// §8.11 `GET /repos/{owner}/{repo}/branches`.
    pub fn list_branches(
        &self,
        repo: &RepoRef,
        protected: Option<bool>,
        page: PageRequest,
    ) -> HttpRequest {
        let query = protected
            .map(|p| vec![("protected", p.to_string())])
            .unwrap_or_default();
        let path = format!("{}/branches", Self::repo_path(repo));
        self.request(Method::Get, &Self::paged(path, page, query))
    }

    /// §8.12 `GET /repos/{owner}/{repo}/branches/{branch}`: multi-segment, slashes stay.
    pub fn get_branch(&self, repo: &RepoRef, branch: &str) -> Result<HttpRequest, ApiError> {
        let branch = ref_segments("branch", branch)?;
        Ok(self.request(
            Method::Get,
            &format!("{}/branches/{branch}", Self::repo_path(repo)),
        ))
    }

    /// §8.13 `GET /repos/{owner}/{repo}/git/ref/{ref}` with `ref` like `heads/main` or `tags/v1`.
    pub fn get_git_ref(&self, repo: &RepoRef, git_ref: &str) -> Result<HttpRequest, ApiError> {
        let git_ref = ref_segments("ref", git_ref.trim_start_matches("refs/"))?;
        Ok(self.request(
            Method::Get,
            &format!("{}/git/ref/{git_ref}", Self::repo_path(repo)),
        ))
    }

    /// §8.13 `GET /repos/{owner}/{repo}/git/matching-refs/{ref}` (prefix match).
    pub fn list_matching_refs(
        &self,
        repo: &RepoRef,
        prefix: &str,
    ) -> Result<HttpRequest, ApiError> {
        let prefix = ref_segments("ref", prefix.trim_start_matches("refs/"))?;
        Ok(self.request(
            Method::Get,
            &format!("{}/git/matching-refs/{prefix}", Self::repo_path(repo)),
        ))
    }

    /// `GET /repos/{owner}/{repo}/commits/{ref}` answered as the bare SHA (docs/github-api.md §8.13): the cheapest
    /// "does this ref exist" check for a branch, tag or SHA.
    pub fn resolve_commit_sha(
        &self,
        repo: &RepoRef,
        git_ref: &str,
    ) -> Result<HttpRequest, ApiError> {
        let git_ref = ref_segments("ref", git_ref)?;
        let mut req = self.request(
            Method::Get,
            &format!("{}/commits/{git_ref}", Self::repo_path(repo)),
        );
        req.headers.set("Accept", "application/vnd.github.sha");
        Ok(req)
    }

    /// `GET /user`: who the token belongs to; its `X-OAuth-Scopes` tells a classic token's scopes.
    pub fn get_authenticated_user(&self) -> HttpRequest {
        self.request(Method::Get, "/user")
    }

    /// `GET /repos/{owner}/{repo}`: `permissions` tells what the token may do there.
    pub fn get_repository(&self, repo: &RepoRef) -> HttpRequest {
        self.request(Method::Get, &Self::repo_path(repo))
    }

    /// `GET /rate_limit`: does not count against the primary limit (docs/github-api.md §5).
    pub fn get_rate_limit(&self) -> HttpRequest {
        self.request(Method::Get, "/rate_limit")
    }

    /// A `Link` URL (next, last, …), followed verbatim with the same headers (docs/github-api.md §4) — but only on the
    /// API's own origin, so a link can never carry the token elsewhere.
    pub fn follow_link(&self, url: &str) -> Result<HttpRequest, FollowError> {
        let parsed = HttpUrl::parse(url).map_err(|_| FollowError::NotHttp(url.to_owned()))?;
        let expected = self.base.origin();
        let found = parsed.origin();
        if found != expected {
            return Err(FollowError::OtherOrigin { expected, found });
        }
        Ok(self.request_to(Method::Get, url.to_owned()))
    }
}

/// Adds `If-None-Match` so an unchanged answer comes back as a 304 that costs no quota (docs/github-api.md §5).
/// An environment name as one step of an API address, or the error that names it (docs/github-api.md §1).
fn environment_segment(name: &str) -> Result<String, ApiError> {
    path_segment(name).map_err(|why| ApiError::NotAPathSegment {
        what: "environment".into(),
        name: name.to_owned(),
        why: why.to_owned(),
    })
}

/// A branch or ref name as steps of an API address (its slashes kept), or the error that names it.
pub(crate) fn ref_segments(what: &str, name: &str) -> Result<String, ApiError> {
    path_segments(name).map_err(|why| ApiError::NotAPathSegment {
        what: what.to_owned(),
        name: name.to_owned(),
        why: format!("one of its parts is empty, “.” or “..”: {why}"),
    })
}

pub fn conditional(mut req: HttpRequest, etag: &str) -> HttpRequest {
    req.headers.set("If-None-Match", etag);
    req
}

fn with_query(mut path: String, query: &[(&str, String)]) -> String {
    for (i, (key, value)) in query.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.push_str(key);
        path.push('=');
        path.push_str(&encode_component(value));
    }
    path
}

/// Whether `name: value` may be sent cross-origin to GitHub without failing the preflight (docs/github-api.md §3):
/// a header in GitHub's allow list, or `Accept` with a CORS-safelisted value.
pub fn is_cors_allowed_header(name: &str, value: &str) -> bool {
    if name.eq_ignore_ascii_case("Accept") {
        return is_cors_safelisted_value(value);
    }
    ALLOWED_REQUEST_HEADERS
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(name))
}

/// Fetch's rule for a safelisted `Accept` value: at most 128 bytes, none of the CORS-unsafe bytes.
pub fn is_cors_safelisted_value(value: &str) -> bool {
    value.len() <= 128
        && value
            .bytes()
            .all(|b| !(b < 0x20 && b != b'\t') && b != 0x7f && !b"\"():<>?@[\\]{}".contains(&b))
}

#[cfg(test)]
mod custom_base_tests {
    use super::*;

    #[test]
    fn plain_http_is_taken_only_on_this_computer_as_the_policy_allows() {
        assert!(ApiBase::custom("http://127.0.0.1:8787").is_ok());
        assert!(ApiBase::custom("http://LOCALHOST:3000/api").is_ok());
        assert!(ApiBase::custom("https://intranet.example:8443").is_ok());
        assert_eq!(
            ApiBase::custom("http://intranet.example:8080"),
            Err(UrlProblem::PlainHttpElsewhere)
        );
        assert_eq!(
            ApiBase::custom("http://192.168.1.20"),
            Err(UrlProblem::PlainHttpElsewhere)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::model::{DeploymentState, RequiredContexts};

    fn repo() -> RepoRef {
        RepoRef::parse("octo-org/hello.world").unwrap()
    }

    fn client() -> Client {
        Client::new(ApiBase::github_com(), Token::new("ghp_abc"))
    }

    fn every_operation(c: &Client) -> Vec<HttpRequest> {
        let r = repo();
        let id = DeploymentId(4_442_074_271);
        let mut body = NewDeployment::for_ref("main");
        body.required_contexts = RequiredContexts::SkipChecks;
        vec![
            c.list_deployments(&r, &DeploymentFilter::default(), PageRequest::FIRST_FULL),
            c.create_deployment(&r, &body),
            c.get_deployment(&r, id),
            c.delete_deployment(&r, id),
            c.list_deployment_statuses(&r, id, PageRequest::new(1, 1)),
            c.create_deployment_status(
                &r,
                id,
                &NewDeploymentStatus::with_state(DeploymentState::Inactive),
            ),
            c.get_deployment_status(&r, id, StatusId(2_151_661_540)),
            c.create_dispatch_event(
                &r,
                &DispatchEvent {
                    event_type: "go".into(),
                    client_payload: None,
                },
            ),
            c.list_environments(&r, PageRequest::default()),
            c.get_environment(&r, "review/pr 12").unwrap(),
            c.list_branches(&r, Some(true), PageRequest::default()),
            c.get_branch(&r, "feature/x").unwrap(),
            c.get_git_ref(&r, "refs/heads/feature/x").unwrap(),
            c.list_matching_refs(&r, "heads/feat").unwrap(),
            c.resolve_commit_sha(&r, "v1.0").unwrap(),
            c.get_authenticated_user(),
            c.get_repository(&r),
            c.get_rate_limit(),
        ]
    }

    #[test]
    fn a_name_that_is_no_path_segment_builds_no_request_and_says_which() {
        let (c, r) = (client(), RepoRef::parse("acme/web").unwrap());
        for name in ["..", "."] {
            for built in [c.get_environment(&r, name), c.delete_environment(&r, name)] {
                let error = built.unwrap_err();
                assert!(
                    matches!(&error, ApiError::NotAPathSegment { what, name: n, .. } if what == "environment" && n == name)
                );
                assert!(error.to_string().starts_with(&format!(
                    "The environment “{name}” cannot be used in an API address"
                )));
                assert!(error.remedy().starts_with("Nothing was sent."));
            }
        }
        assert!(c.get_branch(&r, "feature/../main").is_err());
        assert!(c.get_git_ref(&r, "refs/heads/.").is_err());
        assert!(c.resolve_commit_sha(&r, "..").is_err());
        assert!(c.list_matching_refs(&r, "heads//x").is_err());
        assert_eq!(
            c.delete_environment(&r, "review/..").unwrap().url,
            "https://api.github.com/repos/acme/web/environments/review%2F.."
        );
    }

    #[test]
    fn every_operation_sends_only_cors_allowed_headers() {
        let enterprise = Client::new(
            ApiBase::enterprise("ghe.example.com").unwrap(),
            Token::new("t"),
        );
        for c in [client(), enterprise] {
            for req in every_operation(&c) {
                for (name, value) in req.headers.iter() {
                    assert!(
                        is_cors_allowed_header(name, value),
                        "{} {}: {name}: {value}",
                        req.method,
                        req.url
                    );
                }
                assert_eq!(req.header("X-GitHub-Api-Version"), Some(API_VERSION));
                assert_eq!(req.header("Authorization").is_some(), c.token().is_some());
                assert_eq!(
                    req.header("Content-Type").is_some(),
                    req.body.is_some(),
                    "{}",
                    req.url
                );
            }
        }
    }

    #[test]
    fn urls_follow_the_contract_paths() {
        let urls: Vec<String> = every_operation(&client())
            .into_iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect();
        let base = "https://api.github.com/repos/octo-org/hello.world";
        let id = 4_442_074_271u64;
        assert_eq!(
            urls,
            [
                format!("GET {base}/deployments?per_page=100&page=1"),
                format!("POST {base}/deployments"),
                format!("GET {base}/deployments/{id}"),
                format!("DELETE {base}/deployments/{id}"),
                format!("GET {base}/deployments/{id}/statuses?per_page=1&page=1"),
                format!("POST {base}/deployments/{id}/statuses"),
                format!("GET {base}/deployments/{id}/statuses/2151661540"),
                format!("POST {base}/dispatches"),
                format!("GET {base}/environments?per_page=100&page=1"),
                format!("GET {base}/environments/review%2Fpr%2012"),
                format!("GET {base}/branches?protected=true&per_page=100&page=1"),
                format!("GET {base}/branches/feature/x"),
                format!("GET {base}/git/ref/heads/feature/x"),
                format!("GET {base}/git/matching-refs/heads/feat"),
                format!("GET {base}/commits/v1.0"),
                "GET https://api.github.com/user".to_owned(),
                format!("GET {base}"),
                "GET https://api.github.com/rate_limit".to_owned(),
            ]
        );
    }

    #[test]
    fn filters_are_encoded_and_empty_ones_left_out() {
        let filter = DeploymentFilter {
            environment: "review/pr 12".into(),
            git_ref: "  ".into(),
            task: "deploy:migrations".into(),
            sha: String::new(),
        };
        let req = client().list_deployments(&repo(), &filter, PageRequest::new(250, 0));
        assert_eq!(
            req.url,
            "https://api.github.com/repos/octo-org/hello.world/deployments?task=deploy%3Amigrations&environment=review%2Fpr%2012&per_page=100&page=1"
        );
        assert!(!req.url.contains("none"));
    }

    #[test]
    fn enterprise_hosts_get_api_v3_and_the_preview_media_types() {
        for input in [
            "ghe.example.com",
            "https://GHE.example.com/",
            "https://ghe.example.com/api/v3/",
        ] {
            let base = ApiBase::enterprise(input).unwrap();
            assert_eq!(base.root(), "https://ghe.example.com/api/v3", "{input}");
            assert_eq!(base.kind(), HostKind::Enterprise);
        }
        assert_eq!(
            ApiBase::enterprise("github.com").unwrap(),
            ApiBase::github_com()
        );
        let c = Client::new(ApiBase::enterprise("ghe.example.com:8443").unwrap(), None);
        let req = c.get_rate_limit();
        assert_eq!(req.url, "https://ghe.example.com:8443/api/v3/rate_limit");
        assert_eq!(req.header("Accept"), Some(ACCEPT_JSON_WITH_PREVIEWS));
        assert!(ACCEPT_JSON_WITH_PREVIEWS.len() <= 128);
        assert!(ApiBase::enterprise("javascript:alert(1)").is_err());
    }

    #[test]
    fn custom_bases_keep_their_path_without_trailing_slash() {
        let base = ApiBase::custom("http://127.0.0.1:8787/").unwrap();
        assert_eq!(base.root(), "http://127.0.0.1:8787");
        let base = ApiBase::custom("https://proxy.example/github/").unwrap();
        let req = Client::new(base, None).get_authenticated_user();
        assert_eq!(req.url, "https://proxy.example/github/user");
        assert_eq!(
            ApiBase::custom("file:///etc/passwd"),
            Err(UrlProblem::NotHttp)
        );
    }

    #[test]
    fn links_are_followed_only_on_the_api_origin() {
        let c = client();
        let next = "https://api.github.com/repositories/515435940/deployments?per_page=100&page=2";
        let req = c.follow_link(next).unwrap();
        assert_eq!(req.url, next);
        assert!(req.header("Authorization").is_some());
        assert!(matches!(
            c.follow_link("https://evil.example/repos?page=2"),
            Err(FollowError::OtherOrigin { .. })
        ));
        assert!(matches!(
            c.follow_link("http://api.github.com/x"),
            Err(FollowError::OtherOrigin { .. })
        ));
        assert!(matches!(
            c.follow_link("javascript:x"),
            Err(FollowError::NotHttp(_))
        ));
    }

    #[test]
    fn the_token_goes_in_the_authorization_header_only() {
        let c = Client::new(ApiBase::github_com(), Token::new("  github_pat_SECRET \n"));
        assert_eq!(c.token().unwrap().kind(), TokenKind::FineGrained);
        for req in every_operation(&c) {
            assert!(!req.url.contains("SECRET"));
            assert!(!req.body.clone().unwrap_or_default().contains("SECRET"));
            assert_eq!(
                req.header("Authorization"),
                Some("Bearer github_pat_SECRET")
            );
            assert!(!format!("{req:?}").contains("SECRET"));
        }
        assert_eq!(format!("{:?}", c), format!("{:?}", c).replace("SECRET", ""));
        assert_eq!(Token::new("   "), None);
    }

    #[test]
    fn conditional_requests_carry_the_etag_verbatim() {
        let req = conditional(client().get_rate_limit(), "W/\"abc\"");
        assert_eq!(req.header("If-None-Match"), Some("W/\"abc\""));
    }

    #[test]
    fn bodies_are_the_validated_json() {
        let mut s = NewDeploymentStatus::with_state(DeploymentState::Success);
        s.log_url = Some("https://example.com/log".into());
        let req = client().create_deployment_status(&repo(), DeploymentId(1), &s);
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"state":"success","log_url":"https://example.com/log"}"#)
        );
        assert_eq!(req.header("Content-Type"), Some("application/json"));
    }
}
