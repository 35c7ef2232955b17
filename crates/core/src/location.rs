//! The app's own URLs: which API host, which repository, which view — so a link can be shared and a reload
//! lands on the same screen. The token is never part of a location.
//!
//! `/{host}/{owner}/{repo}/{view}` where `host` is `github.com`, a GitHub Enterprise Server host
//! (`ghe.example.com`, `ghe.example.com:8443`), `demo` (the in-page simulated repository), or `custom` with
//! the API base in `?api=` (local servers such as fake-github).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::host::ShownHost;
use crate::model::DeploymentId;
use crate::request::{ApiBase, HostKind, Token};
use crate::url::{decode_component, encode_component, HttpUrl, UrlProblem};
use crate::validate::{Field, Problems, RepoRef};

/// The token the in-page demo accepts (it checks tokens like GitHub; this one is public on purpose).
pub const DEMO_TOKEN: &str = "demo-token";

/// The API base the in-page demo answers on. `.invalid` can never resolve, so nothing leaves the page.
pub const DEMO_API_BASE: &str = "https://demo.deploydeck.invalid";

/// Where API requests go, as the user chose it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum HostChoice {
    GitHubCom,
    /// A GHES host (and port), e.g. `ghe.example.com`.
    Enterprise(String),
    /// Any http(s) API base, e.g. `http://127.0.0.1:8787`.
    Custom(String),
    /// The in-page simulated repository.
    Demo,
}

impl HostChoice {
    /// The API base requests go to.
    pub fn api_base(&self) -> Result<ApiBase, UrlProblem> {
        match self {
            HostChoice::GitHubCom => Ok(ApiBase::github_com()),
            HostChoice::Enterprise(host) => ApiBase::enterprise(host),
            HostChoice::Custom(base) => ApiBase::custom(base),
            HostChoice::Demo => ApiBase::custom(DEMO_API_BASE),
        }
    }

    /// The choice a base corresponds to (a GHES base → its host).
    pub fn from_base(base: &ApiBase) -> HostChoice {
        match base.kind() {
            HostKind::GitHubCom => HostChoice::GitHubCom,
            HostKind::Enterprise => HostChoice::Enterprise(
                HttpUrl::parse(base.root())
                    .map(|u| match u.port {
                        Some(p) => format!("{}:{p}", u.host),
                        None => u.host.to_owned(),
                    })
                    .unwrap_or_default(),
            ),
            HostKind::Custom if base.root() == DEMO_API_BASE => HostChoice::Demo,
            HostKind::Custom => HostChoice::Custom(base.root().to_owned()),
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, HostChoice::Demo)
    }

    /// The first path segment.
    pub fn segment(&self) -> String {
        match self {
            HostChoice::GitHubCom => "github.com".into(),
            HostChoice::Enterprise(host) => host.to_ascii_lowercase(),
            HostChoice::Custom(_) => "custom".into(),
            HostChoice::Demo => "demo".into(),
        }
    }

    /// What a person is shown wherever the host appears (header, forms, the recent list, confirmations): the
    /// host, or the custom base, with its name in the ASCII form requests reach and marked when that form
    /// stands for unusual characters (`crate::host`).
    pub fn shown(&self) -> ShownHost {
        match self {
            HostChoice::GitHubCom => ShownHost::of("github.com"),
            HostChoice::Enterprise(host) => ShownHost::of(host),
            HostChoice::Custom(base) => match HttpUrl::parse(base) {
                Ok(url) => {
                    let ShownHost { unusual, .. } = ShownHost::of(url.host);
                    let name = ApiBase::custom(base)
                        .map(|b| b.root().to_owned())
                        .unwrap_or_else(|_| base.clone());
                    ShownHost { name, unusual }
                }
                Err(_) => ShownHost {
                    name: base.clone(),
                    unusual: !base.is_ascii(),
                },
            },
            HostChoice::Demo => ShownHost {
                name: "Demo (simulated)".into(),
                unusual: false,
            },
        }
    }

    /// The shown host in a sentence: its name, with the mark in brackets when it has one.
    pub fn label(&self) -> String {
        self.shown().to_string()
    }

    /// A host from the address: kept in the form connecting to it gives (`from_base`), so a link written
    /// `/g%D1%96thub.com/…` is the host `xn--gthub-n2e.com` everywhere, and matches the connection made to it.
    fn from_segment(segment: &str, api: Option<&str>) -> Option<HostChoice> {
        match segment {
            "github.com" => Some(HostChoice::GitHubCom),
            "demo" => Some(HostChoice::Demo),
            "custom" => Some(HostChoice::from_base(&ApiBase::custom(api?).ok()?)),
            host if host.contains('/') => None,
            host => Some(HostChoice::from_base(&ApiBase::enterprise(host).ok()?)),
        }
    }
}

/// The app's screens for a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Overview,
    Create,
    History,
    /// Deployments waiting for a review (docs/github-api.md §14).
    Reviews,
    Cleanup,
    /// One deployment's page: `…/deployments/{id}`.
    Deployment(DeploymentId),
}

impl View {
    /// The views the navigation lists.
    pub const ALL: [View; 5] = [
        View::Overview,
        View::Create,
        View::History,
        View::Reviews,
        View::Cleanup,
    ];

    /// The path segment of a listed view (a deployment's page is `deployments/{id}`, see `AppLocation::path`).
    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Create => "create",
            View::History => "history",
            View::Reviews => "reviews",
            View::Cleanup => "cleanup",
            View::Deployment(_) => "deployments",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Create => "Create",
            View::History => "History",
            View::Reviews => "Reviews",
            View::Cleanup => "Cleanup",
            View::Deployment(_) => "Deployment",
        }
    }

    pub fn from_slug(slug: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == slug)
    }
}

/// A screen of a repository on a host.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AppLocation {
    pub host: HostChoice,
    pub repo: RepoRef,
    pub view: View,
}

impl AppLocation {
    pub fn new(host: HostChoice, repo: RepoRef, view: View) -> Self {
        AppLocation { host, repo, view }
    }

    /// The same repository, another view.
    pub fn with_view(&self, view: View) -> Self {
        AppLocation {
            view,
            ..self.clone()
        }
    }

    /// The path (relative to the app's base), with `?api=` for a custom host.
    pub fn path(&self) -> String {
        let mut path = format!(
            "/{}/{}/{}/{}",
            encode_segment(&self.host.segment()),
            encode_component(&self.repo.owner),
            encode_component(&self.repo.name),
            self.view.slug()
        );
        if let View::Deployment(id) = self.view {
            path.push_str(&format!("/{}", id.0));
        }
        if let HostChoice::Custom(base) = &self.host {
            path.push_str("?api=");
            path.push_str(&encode_component(base));
        }
        path
    }

    /// Reads a path and query (`api=…`) back; `None` for anything that is not a location.
    pub fn parse(path: &str, query: &str) -> Option<AppLocation> {
        let segments: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .map(|s| decode_component(s).unwrap_or_else(|| s.to_owned()))
            .collect();
        let (host, owner, name, view) = match segments.as_slice() {
            [h, o, n] => (h, o, n, View::Overview),
            [h, o, n, v] => (h, o, n, View::from_slug(v)?),
            [h, o, n, d, id] if d == "deployments" && is_decimal_id(id) => {
                (h, o, n, View::Deployment(DeploymentId(id.parse().ok()?)))
            }
            _ => return None,
        };
        let api = query_value(query, "api");
        let host = HostChoice::from_segment(host, api.as_deref())?;
        let repo = RepoRef::parse(&format!("{owner}/{name}")).ok()?;
        Some(AppLocation { host, repo, view })
    }

    /// `path` with more query pairs (already encoded, `a=1&b=2`) after its own `?api=` if any.
    pub fn path_with_query(&self, query: &str) -> String {
        let path = self.path();
        match (query.is_empty(), path.contains('?')) {
            (true, _) => path,
            (false, true) => format!("{path}&{query}"),
            (false, false) => format!("{path}?{query}"),
        }
    }

    /// Reads back what `path` wrote: a path with its optional `?query`.
    pub fn parse_href(href: &str) -> Option<AppLocation> {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        AppLocation::parse(path, query)
    }
}

/// The fleet of a host: `/{host}/_fleet` (no owner can be named `_fleet`), carrying the pinned list in
/// `?repos=owner/name,…` when the address was shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetLocation {
    pub host: HostChoice,
    /// The list the address carries (`None`: the one kept on this device).
    pub repos: Option<crate::fleet::Pinned>,
}

impl FleetLocation {
    pub const SEGMENT: &'static str = "_fleet";

    /// The path (relative to the app's base) with `?repos=` when it carries a list, and `api=` for a custom
    /// host.
    pub fn path(&self) -> String {
        let mut path = format!(
            "/{}/{}",
            encode_segment(&self.host.segment()),
            Self::SEGMENT
        );
        let mut query = Vec::new();
        if let Some(repos) = &self.repos {
            // `/` and `,` stay readable in a shared address.
            query.push(format!(
                "repos={}",
                encode_component(&repos.query_value())
                    .replace("%2F", "/")
                    .replace("%2C", ",")
            ));
        }
        if let HostChoice::Custom(base) = &self.host {
            query.push(format!("api={}", encode_component(base)));
        }
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query.join("&"));
        }
        path
    }

    /// Reads a path and query back; `None` for anything that is not a fleet.
    pub fn parse(path: &str, query: &str) -> Option<FleetLocation> {
        let host = Self::host_of(path, query)?;
        let repos = query_value(query, "repos").map(|v| crate::fleet::Pinned::from_query_value(&v));
        Some(FleetLocation { host, repos })
    }

    /// The host of a fleet's address, without reading its list (`None`: not a fleet).
    pub fn host_of(path: &str, query: &str) -> Option<HostChoice> {
        let (host, fleet) = path.trim_matches('/').split_once('/')?;
        if fleet != Self::SEGMENT {
            return None;
        }
        let host = decode_component(host).unwrap_or_else(|| host.to_owned());
        HostChoice::from_segment(&host, query_value(query, "api").as_deref())
    }
}

impl fmt::Display for AppLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// A deployment id as written in a path: decimal digits, no sign or leading zero.
fn is_decimal_id(text: &str) -> bool {
    !text.is_empty() && !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit())
}

/// Keeps `:` readable in `host:port`; everything else as a component.
fn encode_segment(segment: &str) -> String {
    encode_component(segment).replace("%3A", ":")
}

/// The part of a link's `href` after the app's `base` (its public URL without the trailing `/`, `""` at the
/// root) when the link is a same-origin absolute path into the app — the links the app's router follows
/// without a reload. Anything else (`https://…`, `//host/…`, `#main`, a path outside the base) is `None`.
pub fn internal_href<'a>(href: &'a str, base: &str) -> Option<&'a str> {
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let rest = href.strip_prefix(base)?;
    rest.starts_with('/').then_some(rest)
}

/// The decoded value of `name` in a query string.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| decode_component(&v.replace('+', " ")))
}

/// Which kind of host the connect form points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostKindChoice {
    #[default]
    GitHubCom,
    Enterprise,
    Custom,
}

impl HostKindChoice {
    pub const ALL: [HostKindChoice; 3] = [
        HostKindChoice::GitHubCom,
        HostKindChoice::Enterprise,
        HostKindChoice::Custom,
    ];

    /// The form's value for this choice (the static first screen uses the same ones).
    pub fn value(self) -> &'static str {
        match self {
            HostKindChoice::GitHubCom => "github",
            HostKindChoice::Enterprise => "enterprise",
            HostKindChoice::Custom => "custom",
        }
    }

    /// The choice a form value names; anything else is github.com.
    pub fn from_value(value: &str) -> HostKindChoice {
        Self::ALL
            .into_iter()
            .find(|k| k.value() == value)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            HostKindChoice::GitHubCom => "GitHub.com",
            HostKindChoice::Enterprise => "GitHub Enterprise Server",
            HostKindChoice::Custom => "Custom API address",
        }
    }
}

/// Where to create a token for the host being chosen: a classic token with the `repo_deployment` scope
/// pre-selected (GitHub's token page takes `scopes` and `description` in its address), and the
/// fine-grained token page (which takes no pre-selection: its address parameters are not supported). `None`
/// for a custom API address (its tokens are the server's own) or a GHES host not yet typed correctly.
pub fn new_token_pages(kind: HostKindChoice, enterprise_host: &str) -> Option<(String, String)> {
    let web = match kind {
        HostKindChoice::GitHubCom => "https://github.com".to_owned(),
        HostKindChoice::Enterprise => {
            let base = ApiBase::enterprise(enterprise_host).ok()?;
            base.root().strip_suffix("/api/v3")?.to_owned()
        }
        HostKindChoice::Custom => return None,
    };
    Some((
        format!("{web}/settings/tokens/new?scopes=repo_deployment&description=Deploydeck"),
        format!("{web}/settings/personal-access-tokens/new"),
    ))
}

/// The connect form as typed. Deliberately not serialisable, and its `Debug` leaves the token out: it holds it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnectDraft {
    pub kind: HostKindChoice,
    pub enterprise_host: String,
    pub custom_base: String,
    pub token: String,
    pub repo: String,
    /// The API origin the person said yes to sending the token to, on a form a link opened (`crate::trust`).
    pub trusted: Option<String>,
}

impl std::fmt::Debug for ConnectDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectDraft")
            .field("kind", &self.kind)
            .field("enterprise_host", &self.enterprise_host)
            .field("custom_base", &self.custom_base)
            .field(
                "token",
                &if self.token.is_empty() {
                    "<empty>"
                } else {
                    "<redacted>"
                },
            )
            .field("repo", &self.repo)
            .field("trusted", &self.trusted)
            .finish()
    }
}

impl ConnectDraft {
    /// A draft for an existing choice (the token left blank).
    pub fn for_location(host: &HostChoice, repo: &RepoRef) -> ConnectDraft {
        ConnectDraft {
            repo: repo.to_string(),
            ..ConnectDraft::for_host(host)
        }
    }

    /// The form filled in for `host` (its kind and address), with no repository yet.
    pub fn for_host(host: &HostChoice) -> ConnectDraft {
        let mut draft = ConnectDraft::default();
        match host {
            HostChoice::GitHubCom | HostChoice::Demo => {}
            HostChoice::Enterprise(h) => {
                draft.kind = HostKindChoice::Enterprise;
                draft.enterprise_host = h.clone();
            }
            HostChoice::Custom(base) => {
                draft.kind = HostKindChoice::Custom;
                draft.custom_base = base.clone();
            }
        }
        draft
    }

    /// The host the draft names, or what is wrong with it (said for the host field).
    pub fn host(&self) -> Result<HostChoice, String> {
        match self.kind {
            HostKindChoice::GitHubCom => Ok(HostChoice::GitHubCom),
            HostKindChoice::Enterprise => ApiBase::enterprise(&self.enterprise_host)
                .map(|base| HostChoice::from_base(&base))
                .map_err(|problem| format!("Enter your GitHub Enterprise Server host, for example ghe.example.com: this one {problem}.")),
            HostKindChoice::Custom => ApiBase::custom(&self.custom_base)
                .map(|base| HostChoice::from_base(&base))
                .map_err(|problem| format!("Enter the API's base URL, for example http://127.0.0.1:8787: this one {problem}.")),
        }
    }

    /// Every problem at once, or what to connect to.
    pub fn validate(&self) -> Result<(HostChoice, Token, RepoRef), Problems> {
        let mut problems = Problems::default();
        let host = match self.host() {
            Ok(host) => Some(host),
            Err(problem) => {
                problems.add(Field::ApiBase, problem);
                None
            }
        };
        let token = Token::new(&self.token);
        if token.is_none() {
            problems.add(
                Field::Token,
                "Paste a personal access token: classic (ghp_…) with repo_deployment or repo, or fine-grained (github_pat_…) with Deployments: read and write.",
            );
        } else if self.token.trim().chars().any(char::is_whitespace) {
            problems.add(
                Field::Token,
                "A token has no spaces inside; check that only the token was pasted.",
            );
        }
        let repo = match RepoRef::parse(&self.repo) {
            Ok(repo) => Some(repo),
            Err(e) => {
                problems.add(Field::Repository, e.message);
                None
            }
        };
        match (host, token, repo) {
            (Some(h), Some(t), Some(r)) if problems.is_empty() => Ok((h, t, r)),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod token_page_tests {
    use super::*;

    #[test]
    fn token_pages_follow_the_host() {
        let (classic, fine) = new_token_pages(HostKindChoice::GitHubCom, "").unwrap();
        assert_eq!(
            classic,
            "https://github.com/settings/tokens/new?scopes=repo_deployment&description=Deploydeck"
        );
        assert_eq!(
            fine,
            "https://github.com/settings/personal-access-tokens/new"
        );
        let (classic, _) = new_token_pages(HostKindChoice::Enterprise, "ghe.example.com").unwrap();
        assert!(classic.starts_with("https://ghe.example.com/settings/tokens/new?"));
        assert_eq!(
            new_token_pages(HostKindChoice::Enterprise, "not a host"),
            None
        );
        assert_eq!(new_token_pages(HostKindChoice::Custom, ""), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn repo() -> RepoRef {
        RepoRef::parse("acme/web").unwrap()
    }

    proptest! {
        /// Whatever holds a token prints it nowhere: the connect form, the client, a request with its
        /// `Authorization` header (what a log or a panic message would show).
        #[test]
        fn debug_output_never_holds_the_token(token in "[A-Za-z0-9_]{12,40}") {
            let draft = ConnectDraft { token: token.clone(), repo: "acme/web".into(), ..ConnectDraft::default() };
            let client = crate::request::Client::new(crate::request::ApiBase::github_com(), crate::request::Token::new(&token));
            let request = client.get_repository(&repo());
            for printed in [format!("{draft:?}"), format!("{client:?}"), format!("{request:?}"), format!("{:#?}", request)] {
                prop_assert!(!printed.contains(&token), "{}", printed);
            }
            let shown = format!("{draft:?}");
            prop_assert!(shown.contains("<redacted>"));
        }
    }

    #[test]
    fn host_kind_values_read_back() {
        for kind in HostKindChoice::ALL {
            assert_eq!(HostKindChoice::from_value(kind.value()), kind);
        }
        assert_eq!(
            HostKindChoice::from_value("elsewhere"),
            HostKindChoice::GitHubCom
        );
    }

    #[test]
    fn locations_print_and_parse_back() {
        let cases = [
            (HostChoice::GitHubCom, "/github.com/acme/web/history"),
            (
                HostChoice::Enterprise("ghe.example.com:8443".into()),
                "/ghe.example.com:8443/acme/web/history",
            ),
            (HostChoice::Demo, "/demo/acme/web/history"),
            (
                HostChoice::Custom("http://127.0.0.1:8787".into()),
                "/custom/acme/web/history?api=http%3A%2F%2F127.0.0.1%3A8787",
            ),
        ];
        for (host, expected) in cases {
            let location = AppLocation::new(host, repo(), View::History);
            assert_eq!(location.path(), expected);
            let (path, query) = expected.split_once('?').unwrap_or((expected, ""));
            assert_eq!(AppLocation::parse(path, query), Some(location));
        }
    }

    #[test]
    fn a_fleet_address_prints_and_parses_back_with_or_without_its_list() {
        use crate::fleet::Pinned;
        let list = Pinned::new([repo(), RepoRef::parse("acme/api").unwrap()]);
        let cases = [
            (HostChoice::GitHubCom, None, "/github.com/_fleet"),
            (
                HostChoice::GitHubCom,
                Some(list.clone()),
                "/github.com/_fleet?repos=acme/web,acme/api",
            ),
            (
                HostChoice::Custom("http://127.0.0.1:8787".into()),
                Some(list),
                "/custom/_fleet?repos=acme/web,acme/api&api=http%3A%2F%2F127.0.0.1%3A8787",
            ),
            (HostChoice::Demo, None, "/demo/_fleet"),
        ];
        for (host, repos, expected) in cases {
            let fleet = FleetLocation { host, repos };
            assert_eq!(fleet.path(), expected);
            let (path, query) = expected.split_once('?').unwrap_or((expected, ""));
            assert_eq!(FleetLocation::parse(path, query), Some(fleet));
            assert_eq!(
                AppLocation::parse(path, query),
                None,
                "no repository screen"
            );
        }
        assert_eq!(FleetLocation::parse("/github.com/acme/web", ""), None);
        assert_eq!(FleetLocation::parse("/github.com/_fleet/x", ""), None);
        // A crafted list keeps only repositories.
        let crafted =
            FleetLocation::parse("/github.com/_fleet", "repos=acme/web,%3Cb%3E,acme/WEB").unwrap();
        assert_eq!(crafted.repos.unwrap().repos(), [repo()]);
    }

    #[test]
    fn a_host_from_a_link_is_the_host_requests_reach_and_is_shown_so() {
        let look_alike = AppLocation::parse("/g%D1%96thub.com/acme/web/overview", "").unwrap();
        assert_eq!(
            look_alike.host,
            HostChoice::Enterprise("xn--gthub-n2e.com".into())
        );
        assert_eq!(
            look_alike.host.label(),
            "xn--gthub-n2e.com (unusual characters)"
        );
        assert_eq!(look_alike.path(), "/xn--gthub-n2e.com/acme/web/overview");
        assert_eq!(
            look_alike.host.api_base().unwrap().origin(),
            "https://xn--gthub-n2e.com"
        );
        let custom = AppLocation::parse(
            "/custom/acme/web/overview",
            "api=https%3A%2F%2FAPI.github.com.evil.example%2F",
        )
        .unwrap();
        assert_eq!(
            custom.host,
            HostChoice::Custom("https://api.github.com.evil.example".into())
        );
        let shown = custom.host.shown();
        assert_eq!(
            (shown.name.as_str(), shown.unusual),
            ("https://api.github.com.evil.example", false)
        );
        let custom_look_alike = AppLocation::parse(
            "/custom/a/b/overview",
            "api=https%3A%2F%2Fg%D1%96thub.com%2Fapi",
        )
        .unwrap();
        assert_eq!(
            custom_look_alike.host.label(),
            "https://xn--gthub-n2e.com/api (unusual characters)"
        );
        // The ASCII form in the link is the same host, with the same mark.
        assert_eq!(
            AppLocation::parse("/xn--gthub-n2e.com/acme/web/overview", "").map(|l| l.host),
            Some(look_alike.host.clone())
        );
        assert!(look_alike.host.shown().unusual);
        assert!(!HostChoice::GitHubCom.shown().unusual);
    }

    #[test]
    fn the_view_defaults_to_the_overview_and_junk_is_not_a_location() {
        assert_eq!(
            AppLocation::parse("/github.com/acme/web", "").unwrap().view,
            View::Overview
        );
        for (path, query) in [
            ("/", ""),
            ("/github.com/acme", ""),
            ("/github.com/acme/web/nope", ""),
            ("/custom/acme/web/create", ""),
            ("/custom/acme/web/create", "api=javascript%3Aalert(1)"),
            ("/github.com/a b/web", ""),
        ] {
            assert_eq!(AppLocation::parse(path, query), None, "{path}?{query}");
        }
    }

    #[test]
    fn hosts_map_to_api_bases() {
        assert_eq!(
            HostChoice::GitHubCom.api_base().unwrap().root(),
            "https://api.github.com"
        );
        assert_eq!(
            HostChoice::Enterprise("ghe.example.com".into())
                .api_base()
                .unwrap()
                .root(),
            "https://ghe.example.com/api/v3"
        );
        let demo = HostChoice::Demo.api_base().unwrap();
        assert_eq!(HostChoice::from_base(&demo), HostChoice::Demo);
        let ghes = ApiBase::enterprise("ghe.example.com:8443").unwrap();
        assert_eq!(
            HostChoice::from_base(&ghes),
            HostChoice::Enterprise("ghe.example.com:8443".into())
        );
    }

    #[test]
    fn the_connect_form_reports_every_problem_and_maps_hosts() {
        let empty = ConnectDraft {
            kind: HostKindChoice::Enterprise,
            ..ConnectDraft::default()
        };
        let problems = empty.validate().unwrap_err();
        assert_eq!(
            problems.fields().collect::<Vec<_>>(),
            [Field::ApiBase, Field::Token, Field::Repository]
        );
        let ok = ConnectDraft {
            kind: HostKindChoice::Enterprise,
            enterprise_host: "https://ghe.example.com/".into(),
            token: " ghp_abc \n".into(),
            repo: "acme/web".into(),
            ..ConnectDraft::default()
        };
        let (host, token, repo) = ok.validate().unwrap();
        assert_eq!(host, HostChoice::Enterprise("ghe.example.com".into()));
        assert_eq!(token.expose(), "ghp_abc");
        assert_eq!(repo.to_string(), "acme/web");
        let custom = ConnectDraft {
            kind: HostKindChoice::Custom,
            custom_base: "http://127.0.0.1:8787/".into(),
            ..ok.clone()
        };
        assert_eq!(
            custom.validate().unwrap().0,
            HostChoice::Custom("http://127.0.0.1:8787".into())
        );
        let spaced = ConnectDraft {
            token: "ghp_a ghp_b".into(),
            ..ok.clone()
        };
        assert_eq!(
            spaced.validate().unwrap_err().fields().collect::<Vec<_>>(),
            [Field::Token]
        );
        let again = ConnectDraft::for_location(&HostChoice::Custom("http://x:1".into()), &repo);
        assert_eq!(
            (again.kind, again.custom_base.as_str(), again.token.as_str()),
            (HostKindChoice::Custom, "http://x:1", "")
        );
    }

    #[test]
    fn only_absolute_paths_under_the_base_are_internal_links() {
        assert_eq!(
            internal_href("/github.com/a/b/history", ""),
            Some("/github.com/a/b/history")
        );
        assert_eq!(
            internal_href("/sub/demo/a/b/overview", "/sub"),
            Some("/demo/a/b/overview")
        );
        assert_eq!(internal_href("/sub/", "/sub"), Some("/"));
        assert_eq!(internal_href("/sub", "/sub"), None);
        assert_eq!(internal_href("/subway/x", "/sub"), None);
        assert_eq!(internal_href("/other/x", "/sub"), None);
        assert_eq!(internal_href("//evil.example/x", ""), None);
        assert_eq!(internal_href("https://github.com/acme", ""), None);
        assert_eq!(internal_href("#main", ""), None);
        assert_eq!(internal_href("", ""), None);
    }

    proptest! {
        /// Any pinned list on any kind of host reads back from the fleet's address.
        #[test]
        fn every_fleet_address_reads_back(
            names in proptest::collection::vec(("[a-zA-Z0-9][a-zA-Z0-9-]{0,8}", "[a-zA-Z0-9._-]{1,10}"), 0..8),
            kind in 0usize..4,
            carried in any::<bool>(),
        ) {
            let repos = crate::fleet::Pinned::new(
                names.iter().filter_map(|(o, n)| RepoRef::parse(&format!("{o}/{n}")).ok()),
            );
            let host = [
                HostChoice::GitHubCom,
                HostChoice::Enterprise("ghe.example.com".into()),
                HostChoice::Custom("http://127.0.0.1:8787/api/v3".into()),
                HostChoice::Demo,
            ][kind].clone();
            let fleet = FleetLocation { host, repos: carried.then_some(repos) };
            let path = fleet.path();
            let (p, q) = path.split_once('?').unwrap_or((&path, ""));
            prop_assert_eq!(FleetLocation::parse(p, q), Some(fleet));
        }

        #[test]
        fn an_internal_link_is_a_path_inside_the_base(href in "\\PC{0,40}", base in "(/[a-z]{1,6}){0,2}") {
            if let Some(rest) = internal_href(&href, &base) {
                prop_assert!(rest.starts_with('/'));
                prop_assert_eq!(format!("{base}{rest}"), href.clone());
                prop_assert!(!href.starts_with("//"));
            }
        }

        #[test]
        fn any_repository_location_round_trips(
            owner in "[A-Za-z0-9][A-Za-z0-9-]{0,20}",
            name in "[A-Za-z0-9._-]{1,30}",
            view in 0usize..6,
            id in 1u64..,
            port in proptest::option::of(1u16..),
        ) {
            prop_assume!(name != "." && name != "..");
            let repo = RepoRef::parse(&format!("{owner}/{name}")).unwrap();
            // As connecting to them gives them (a default port left out, names in their ASCII form).
            let ghes = match port { Some(p) => format!("ghe.example.com:{p}"), None => "gh\u{e9}.example.com".into() };
            let hosts = [
                HostChoice::GitHubCom,
                HostChoice::Demo,
                HostChoice::from_base(&ApiBase::enterprise(&ghes).unwrap()),
                HostChoice::from_base(&ApiBase::custom(&format!("http://127.0.0.1:{}", port.unwrap_or(8787))).unwrap()),
            ];
            for host in hosts {
                let view = View::ALL.get(view).copied().unwrap_or(View::Deployment(DeploymentId(id)));
                let location = AppLocation::new(host, repo.clone(), view);
                prop_assert_eq!(AppLocation::parse_href(&location.path()), Some(location.clone()));
                let with = location.path_with_query("state=success&ref=a%2Fb");
                let (path, query) = with.split_once('?').unwrap();
                prop_assert_eq!(AppLocation::parse(path, query), Some(location.clone()));
                prop_assert_eq!(query_value(query, "ref"), Some("a/b".to_owned()));
            }
        }

        #[test]
        fn parsing_never_panics(path in "(/[^/?]{0,12}){0,6}", query in "\\PC{0,30}") {
            let _ = AppLocation::parse(&path, &query);
        }
    }
}
