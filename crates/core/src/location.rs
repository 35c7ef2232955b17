//! The app's own URLs: which API host, which repository, which view — so a link can be shared and a reload
//! lands on the same screen. The token is never part of a location.
//!
//! `/{host}/{owner}/{repo}/{view}` where `host` is `github.com`, a GitHub Enterprise Server host
//! (`ghe.example.com`, `ghe.example.com:8443`), `demo` (the in-page simulated repository), or `custom` with
//! the API base in `?api=` (local servers such as fake-github).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::connect::form::HostChoice;
use crate::github::model::DeploymentId;
use crate::github::validate::RepoRef;
use crate::url::{decode_component, encode_component, query_value};

/// The app's screens for a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Overview,
    Create,
    History,
    /// The four delivery measures per environment (docs/insights.md).
    Insights,
    /// Deployments waiting for a review (docs/github-api.md §14).
    Reviews,
    Cleanup,
    /// One deployment's page: `…/deployments/{id}`.
    Deployment(DeploymentId),
}

impl View {
    /// The views the navigation lists.
    pub const ALL: [View; 6] = [
        View::Overview,
        View::Create,
        View::History,
        View::Insights,
        View::Reviews,
        View::Cleanup,
    ];

    /// The path segment of a listed view (a deployment's page is `deployments/{id}`, see `AppLocation::path`).
    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Create => "create",
            View::History => "history",
            View::Insights => "insights",
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
            View::Insights => "Insights",
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
        with_query(self.path(), query)
    }

    /// Reads back what `path` wrote: a path with its optional `?query`.
    pub fn parse_href(href: &str) -> Option<AppLocation> {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        AppLocation::parse(path, query)
    }
}

/// The screens over a host's pinned repositories: what each environment holds now (`/{host}/_fleet`), the
/// delivery measures of each one's production (`/{host}/_insights`), and every run waiting for a review, by
/// commit (`/{host}/_reviews`). No owner can be named with a leading `_`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FleetScreen {
    #[default]
    Board,
    Insights,
    /// The review inbox (`reviews::inbox`).
    Reviews,
}

impl FleetScreen {
    pub const ALL: [FleetScreen; 3] = [
        FleetScreen::Board,
        FleetScreen::Reviews,
        FleetScreen::Insights,
    ];

    pub fn segment(self) -> &'static str {
        match self {
            FleetScreen::Board => "_fleet",
            FleetScreen::Insights => "_insights",
            FleetScreen::Reviews => "_reviews",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FleetScreen::Board => "Environments now",
            FleetScreen::Insights => "Insights",
            FleetScreen::Reviews => "Reviews waiting",
        }
    }
}

/// A fleet screen of a host, carrying the pinned list in `?repos=owner/name,…` when the address was shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetLocation {
    pub host: HostChoice,
    /// The list the address carries (`None`: the one kept on this device).
    pub repos: Option<crate::fleet::Pinned>,
    pub screen: FleetScreen,
}

impl FleetLocation {
    /// The board's segment (`FleetScreen::segment` names each screen's).
    pub const SEGMENT: &'static str = "_fleet";

    /// The same fleet, another screen.
    pub fn with_screen(&self, screen: FleetScreen) -> FleetLocation {
        FleetLocation {
            screen,
            ..self.clone()
        }
    }

    /// `path` with more query pairs (already encoded) after its own.
    pub fn path_with_query(&self, query: &str) -> String {
        with_query(self.path(), query)
    }

    /// The path (relative to the app's base) with `?repos=` when it carries a list, and `api=` for a custom
    /// host.
    pub fn path(&self) -> String {
        let mut path = format!(
            "/{}/{}",
            encode_segment(&self.host.segment()),
            self.screen.segment()
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
        let (host, screen) = Self::screen_of(path, query)?;
        let repos = query_value(query, "repos").map(|v| crate::fleet::Pinned::from_query_value(&v));
        Some(FleetLocation {
            host,
            repos,
            screen,
        })
    }

    /// The host of a fleet's address, without reading its list (`None`: not a fleet screen).
    pub fn host_of(path: &str, query: &str) -> Option<HostChoice> {
        Self::screen_of(path, query).map(|(host, _)| host)
    }

    /// The host and the screen of a fleet's address (`None`: not a fleet screen).
    pub fn screen_of(path: &str, query: &str) -> Option<(HostChoice, FleetScreen)> {
        let (host, segment) = path.trim_matches('/').split_once('/')?;
        let screen = FleetScreen::ALL
            .into_iter()
            .find(|s| s.segment() == segment)?;
        let host = decode_component(host).unwrap_or_else(|| host.to_owned());
        HostChoice::from_segment(&host, query_value(query, "api").as_deref()).map(|h| (h, screen))
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

/// `path` with more query pairs (already encoded, `a=1&b=2`) after its own `?…` if any.
fn with_query(path: String, query: &str) -> String {
    match (query.is_empty(), path.contains('?')) {
        (true, _) => path,
        (false, true) => format!("{path}&{query}"),
        (false, false) => format!("{path}?{query}"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::ApiBase;
    use proptest::prelude::*;

    fn repo() -> RepoRef {
        RepoRef::parse("acme/web").unwrap()
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
            let fleet = FleetLocation {
                host,
                repos,
                screen: FleetScreen::Board,
            };
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
        assert_eq!(FleetLocation::parse("/github.com/_other", ""), None);
        // The insights screen of the same fleet, with its period after the list.
        let insights =
            FleetLocation::parse("/github.com/_insights", "repos=acme/web&days=7").unwrap();
        assert_eq!(insights.screen, FleetScreen::Insights);
        assert_eq!(
            insights.path_with_query("days=7"),
            "/github.com/_insights?repos=acme/web&days=7"
        );
        assert_eq!(
            insights.with_screen(FleetScreen::Board).path(),
            "/github.com/_fleet?repos=acme/web"
        );
        // The review inbox of the same fleet.
        let inbox = insights.with_screen(FleetScreen::Reviews);
        assert_eq!(inbox.path(), "/github.com/_reviews?repos=acme/web");
        assert_eq!(
            FleetLocation::screen_of("/github.com/_reviews", ""),
            Some((HostChoice::GitHubCom, FleetScreen::Reviews))
        );
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
            screen in proptest::sample::select(FleetScreen::ALL.to_vec()),
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
            let fleet = FleetLocation { host, repos: carried.then_some(repos), screen };
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
