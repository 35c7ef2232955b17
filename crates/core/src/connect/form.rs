//! The connect form as typed (`ConnectDraft`, checked all at once), and the host it chooses (`HostChoice`):
//! github.com, a GitHub Enterprise Server, a custom API address, or the in-page demo — with where each one's
//! tokens are made.

use serde::{Deserialize, Serialize};

use crate::api::request::{ApiBase, HostKind, Token};
use crate::github::validate::{Field, Problems, RepoRef};
use crate::host::ShownHost;
use crate::url::{HttpUrl, UrlProblem};

pub use deploydeck_wire::demo::{DEMO_API_BASE, DEMO_TOKEN};

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
    pub(crate) fn from_segment(segment: &str, api: Option<&str>) -> Option<HostChoice> {
        match segment {
            "github.com" => Some(HostChoice::GitHubCom),
            "demo" => Some(HostChoice::Demo),
            "custom" => Some(HostChoice::from_base(&ApiBase::custom(api?).ok()?)),
            host if host.contains('/') => None,
            host => Some(HostChoice::from_base(&ApiBase::enterprise(host).ok()?)),
        }
    }
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
    /// The API origin the person said yes to sending the token to, on a form a link opened (`crate::connect::trust`).
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
            let client = crate::api::request::Client::new(crate::api::request::ApiBase::github_com(), crate::api::request::Token::new(&token));
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
}
