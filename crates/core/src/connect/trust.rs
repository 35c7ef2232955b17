//! A first token for a host is a decision. A link can choose the API host (`/custom/…?api=…`, `/{ghes-host}/…`),
//! so a screen opened by a link that needs a token says plainly where the token will go, and — for a host
//! that is not github.com, not this computer and never connected to from this browser — sends nothing until
//! the person says yes to that host. Hosts connected to before are remembered (their API origins, never a
//! token). docs/architecture.md, "Where a token may go".

use crate::api::request::Token;
use crate::connect::form::{ConnectDraft, HostChoice};
use crate::github::validate::{Field, Problems, RepoRef};
use crate::url::HttpUrl;

/// The API origins this browser has connected to, most recent first; never a token. Stored one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownHosts(Vec<String>);

impl KnownHosts {
    /// How many are remembered: more than anyone switches between, few enough to read at once.
    pub const MAX: usize = 64;

    /// The stored list; anything that is not an http(s) origin (written by hand, or by another version) is
    /// left out.
    pub fn parse(text: &str) -> KnownHosts {
        let mut known = KnownHosts::default();
        for line in text.lines() {
            let is_origin = HttpUrl::parse(line).is_ok_and(|u| u.origin() == line);
            if is_origin && !known.0.iter().any(|o| o == line) && known.0.len() < Self::MAX {
                known.0.push(line.to_owned());
            }
        }
        known
    }

    pub fn to_text(&self) -> String {
        self.0.join("\n")
    }

    /// Puts `host` first (the demo is not remembered: it needs no token). Whether the list changed.
    pub fn remember(&mut self, host: &HostChoice) -> bool {
        let Some(origin) = origin_of(host) else {
            return false;
        };
        if self.0.first() == Some(&origin) {
            return false;
        }
        self.0.retain(|o| o != &origin);
        self.0.insert(0, origin);
        self.0.truncate(Self::MAX);
        true
    }

    /// Also knows the hosts of `recent` (the recent repositories: connected to before this list existed).
    pub fn and(mut self, recent: impl IntoIterator<Item = HostChoice>) -> KnownHosts {
        for origin in recent.into_iter().filter_map(|h| origin_of(&h)) {
            if !self.0.contains(&origin) {
                self.0.push(origin);
            }
        }
        self
    }

    pub fn knows(&self, host: &HostChoice) -> bool {
        origin_of(host).is_some_and(|origin| self.0.contains(&origin))
    }

    /// The hosts (with their ports) of the remembered origins, as requests reach them.
    pub fn hosts(&self) -> Vec<String> {
        self.0.iter().filter_map(|origin| host_of(origin)).collect()
    }
}

/// Where a token for a host a link opened would go, for the warning: the host split at its registrable domain
/// (the part its owner registered, which the view emphasises), and — when it may be passing for GitHub or for
/// a host used before — why, in words (`crate::connect::lookalike`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub parts: crate::connect::lookalike::HostParts,
    pub lookalike: Option<String>,
}

impl Destination {
    /// `None` for github.com and the demo (no warning needed).
    pub fn of(host: &HostChoice, known: &KnownHosts) -> Option<Destination> {
        let base = host.api_base().ok()?;
        if matches!(host, HostChoice::GitHubCom | HostChoice::Demo) {
            return None;
        }
        let name = host_of(&base.origin())?;
        let known: Vec<String> = known.hosts().into_iter().filter(|k| *k != name).collect();
        Some(Destination {
            parts: crate::connect::lookalike::HostParts::of(&name),
            lookalike: crate::connect::lookalike::warning(&name, &known),
        })
    }
}

/// The host (and port) of an origin, as requests reach it.
fn host_of(origin: &str) -> Option<String> {
    let origin = HttpUrl::parse(origin).ok()?.origin();
    origin.split_once("://").map(|(_, host)| host.to_owned())
}

/// Where a host's token goes: its API origin. The demo has none (nothing leaves the page).
fn origin_of(host: &HostChoice) -> Option<String> {
    (!host.is_demo())
        .then(|| host.api_base().ok().map(|b| b.origin()))
        .flatten()
}

/// How a screen opened by a link meets the host it needs a token for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Connected to from this browser before; its token is only not kept any more (a new tab, memory only).
    Returning,
    /// Never connected to from this browser. `ask`: the token goes there only after an explicit yes.
    New { ask: bool },
}

impl Arrival {
    pub fn of(host: &HostChoice, known: &KnownHosts) -> Arrival {
        if host.is_demo() || known.knows(host) {
            Arrival::Returning
        } else {
            Arrival::New {
                ask: needs_a_yes(host),
            }
        }
    }
}

/// github.com and this computer need no yes; any other host a link names does, until connected to once.
fn needs_a_yes(host: &HostChoice) -> bool {
    match host {
        HostChoice::GitHubCom | HostChoice::Demo => false,
        HostChoice::Enterprise(_) | HostChoice::Custom(_) => !host
            .api_base()
            .is_ok_and(|b| HttpUrl::parse(b.root()).is_ok_and(|u| u.is_loopback())),
    }
}

/// What the screen says above the connect form: where the token goes, and — for a host never used here —
/// that it is not github.com and what it is.
pub fn arrival_text(host: &HostChoice, arrival: Arrival) -> String {
    let shown = host.shown();
    let destination = host
        .api_base()
        .map(|b| b.root().to_owned())
        .unwrap_or_else(|_| shown.name.clone());
    let unusual = if shown.unusual {
        " Its name has unusual characters, shown as requests reach it (xn--…): in its own letters it could pass for a familiar name."
    } else {
        ""
    };
    match (arrival, host) {
        (Arrival::Returning, _) => format!(
            "No token is kept for {shown} in this tab (a token kept in memory only is gone after a reload). Paste it again to continue; nothing else is needed."
        ),
        (Arrival::New { .. }, HostChoice::GitHubCom | HostChoice::Demo) => format!(
            "You have not connected to {shown} from this browser before. The token you paste is sent to {destination} (GitHub) and nowhere else."
        ),
        (Arrival::New { ask: false }, _) => format!(
            "You have not connected to {shown} from this browser before. It is a server on this computer, not github.com; the token you paste is sent to {destination} and nowhere else."
        ),
        (Arrival::New { ask: true }, HostChoice::Enterprise(_)) => format!(
            "This link opens a GitHub Enterprise Server you have never connected to from this browser: {shown}. It is not github.com. The token you paste would be sent to {destination} — only if it is your organization's server.{unusual}"
        ),
        (Arrival::New { ask: true }, _) => format!(
            "This link opens an API address you have never connected to from this browser: {destination}. It is not github.com. Send a token only to a server you know.{unusual}"
        ),
    }
}

/// The yes a host needs before a token goes to it, on a form a link opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenQuestion {
    /// The origin the yes is for: a yes to one host is never a yes to another typed after it.
    pub origin: String,
    /// The checkbox's words.
    pub label: String,
}

impl ConnectDraft {
    /// The yes this draft's host needs on a form a link opened; `None` when it needs none (github.com, this
    /// computer, a host connected to before) or the host is not valid yet.
    pub fn question(&self, known: &KnownHosts) -> Option<TokenQuestion> {
        let host = self.host().ok()?;
        (Arrival::of(&host, known) == Arrival::New { ask: true }).then(|| TokenQuestion {
            origin: origin_of(&host).unwrap_or_default(),
            label: format!("Yes, send my token to {}", host.shown()),
        })
    }

    /// Whether the question (if any) is answered yes for the host in the draft now.
    pub fn answered(&self, question: &TokenQuestion) -> bool {
        self.trusted.as_deref() == Some(question.origin.as_str())
    }

    /// [`ConnectDraft::validate`], and on a form a link opened, the yes to a host that needs one.
    pub fn validate_linked(
        &self,
        known: &KnownHosts,
    ) -> Result<(HostChoice, Token, RepoRef), Problems> {
        let checked = self.validate();
        let Some(question) = self.question(known).filter(|q| !self.answered(q)) else {
            return checked;
        };
        let mut problems = checked.err().unwrap_or_default();
        problems.add(
            Field::TokenDestination,
            format!(
                "This link chose where the token goes, not you. Tick “{}” if you know this server, or choose github.com or another address above.",
                question.label
            ),
        );
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::form::HostKindChoice;
    use crate::location::AppLocation;
    use proptest::prelude::*;

    fn linked(path: &str, query: &str) -> ConnectDraft {
        let location = AppLocation::parse(path, query).unwrap();
        ConnectDraft {
            token: "ghp_abc".into(),
            ..ConnectDraft::for_location(&location.host, &location.repo)
        }
    }

    #[test]
    fn a_look_alike_host_is_named_for_what_it_is_with_its_registrable_domain_apart() {
        let known = KnownHosts::parse("https://ghe.acme.com");
        let phish = HostChoice::Enterprise("api.github.com.evil.example".into());
        let d = Destination::of(&phish, &known).unwrap();
        assert_eq!(
            (d.parts.prefix.as_str(), d.parts.registrable.as_str()),
            ("api.github.com.", "evil.example")
        );
        assert!(d
            .lookalike
            .unwrap()
            .starts_with("It looks like GitHub, but is evil.example"));
        let near = HostChoice::Enterprise("ghe.acme.co".into());
        assert_eq!(
            Destination::of(&near, &known).unwrap().lookalike.unwrap(),
            "It looks like ghe.acme.com, but is acme.co, one character away."
        );
        let custom = HostChoice::Custom("https://xn--gthub-n2e.com/api".into());
        assert!(Destination::of(&custom, &known)
            .unwrap()
            .lookalike
            .unwrap()
            .starts_with("It looks like github.com, but is xn--gthub-n2e.com"));
        // The server used before is no look-alike of itself; github.com needs no warning at all.
        let same = HostChoice::Enterprise("ghe.acme.com".into());
        assert_eq!(Destination::of(&same, &known).unwrap().lookalike, None);
        assert_eq!(Destination::of(&HostChoice::GitHubCom, &known), None);
        assert_eq!(known.hosts(), ["ghe.acme.com"]);
    }

    #[test]
    fn a_crafted_link_sends_nothing_until_the_host_is_confirmed() {
        let known = KnownHosts::default();
        for (path, query, label) in [
            (
                "/custom/octo/hello/overview",
                "api=https%3A%2F%2Fapi.github.com.evil.example",
                "Yes, send my token to https://api.github.com.evil.example",
            ),
            (
                "/api.github.com.evil.example/octo/hello/overview",
                "",
                "Yes, send my token to api.github.com.evil.example",
            ),
            (
                "/g%D1%96thub.com/octo/hello/overview",
                "",
                "Yes, send my token to xn--gthub-n2e.com (unusual characters)",
            ),
        ] {
            let mut draft = linked(path, query);
            let problems = draft.validate_linked(&known).unwrap_err();
            assert_eq!(
                problems.fields().collect::<Vec<_>>(),
                [Field::TokenDestination],
                "{path}"
            );
            let question = draft.question(&known).unwrap();
            assert_eq!(question.label, label);
            draft.trusted = Some(question.origin.clone());
            assert!(draft.validate_linked(&known).is_ok(), "{path}");
            // A yes to one host is not a yes to another typed in its place.
            draft.kind = HostKindChoice::Enterprise;
            draft.enterprise_host = "ghe.other.example".into();
            assert!(draft.validate_linked(&known).is_err());
        }
    }

    #[test]
    fn github_com_this_computer_and_hosts_used_before_need_no_yes() {
        let mut known = KnownHosts::default();
        assert!(linked("/github.com/a/b/overview", "")
            .validate_linked(&known)
            .is_ok());
        assert!(
            linked("/custom/a/b/overview", "api=http%3A%2F%2F127.0.0.1%3A8787")
                .validate_linked(&known)
                .is_ok()
        );
        assert!(
            linked("/custom/a/b/overview", "api=https%3A%2F%2Flocalhost%3A8443")
                .validate_linked(&known)
                .is_ok()
        );
        let ghes = linked("/ghe.example.com/a/b/overview", "");
        assert!(ghes.validate_linked(&known).is_err());
        assert!(known.remember(&HostChoice::Enterprise("GHE.example.com".into())));
        assert!(ghes.validate_linked(&known).is_ok());
        // Hosts of the recent list were connected to before the list of hosts existed.
        let recent = KnownHosts::default().and([HostChoice::Enterprise("ghe.example.com".into())]);
        assert!(ghes.validate_linked(&recent).is_ok());
    }

    #[test]
    fn the_words_say_where_the_token_goes() {
        let never = KnownHosts::default();
        let text = |path: &str, query: &str| {
            let host = AppLocation::parse(path, query).unwrap().host;
            arrival_text(&host, Arrival::of(&host, &never))
        };
        let custom = text(
            "/custom/o/r/overview",
            "api=https%3A%2F%2Fapi.github.com.evil.example",
        );
        assert!(custom.contains("an API address you have never connected to from this browser: https://api.github.com.evil.example. It is not github.com."));
        assert!(!custom.contains("Paste it again"));
        let ghes = text("/ghe.example.com/o/r/overview", "");
        assert!(ghes.contains("a GitHub Enterprise Server you have never connected to from this browser: ghe.example.com. It is not github.com. The token you paste would be sent to https://ghe.example.com/api/v3"));
        let look_alike = text("/g%D1%96thub.com/o/r/overview", "");
        assert!(look_alike.contains("xn--gthub-n2e.com (unusual characters)"));
        assert!(look_alike
            .contains("Its name has unusual characters, shown as requests reach it (xn--…)"));
        assert!(look_alike.contains("It is not github.com."));
        let github = text("/github.com/o/r/overview", "");
        assert!(github.contains("sent to https://api.github.com (GitHub) and nowhere else"));
        let mut known = KnownHosts::default();
        known.remember(&HostChoice::GitHubCom);
        let host = HostChoice::GitHubCom;
        assert!(arrival_text(&host, Arrival::of(&host, &known)).contains("Paste it again"));
    }

    #[test]
    fn the_stored_list_keeps_origins_only_newest_first_and_bounded() {
        let known = KnownHosts::parse(
            "https://api.github.com\nhttps://ghe.example.com\nnot an origin\nhttps://ghe.example.com/api/v3\nhttps://api.github.com\nghp_secret",
        );
        assert_eq!(
            known.to_text(),
            "https://api.github.com\nhttps://ghe.example.com"
        );
        let mut known = KnownHosts::default();
        for i in 0..100 {
            known.remember(&HostChoice::Enterprise(format!("ghe{i}.example.com")));
        }
        assert!(!known.remember(&HostChoice::Enterprise("ghe99.example.com".into())));
        assert!(!known.remember(&HostChoice::Demo));
        assert_eq!(KnownHosts::parse(&known.to_text()), known);
        assert!(known.knows(&HostChoice::Enterprise("ghe99.example.com".into())));
        assert!(!known.knows(&HostChoice::Enterprise("ghe0.example.com".into())));
        assert_eq!(known.to_text().lines().count(), KnownHosts::MAX);
    }

    proptest! {
        /// Whatever a link names and whatever was connected to before, a token can go to a host that is not
        /// github.com, not this computer and not known only with a yes to that very origin.
        #[test]
        fn no_token_goes_to_an_unknown_host_without_a_yes_to_it(
            name in "[a-z]{1,8}(\\.[a-z]{1,8}){0,2}",
            port in proptest::option::of(1u16..),
            custom in any::<bool>(),
            look_alike in any::<bool>(),
            before in proptest::collection::vec("[a-z]{1,8}\\.example", 0..4),
            yes_to in proptest::option::of("https://[a-z]{1,8}\\.example"),
        ) {
            let name = if look_alike { name.replacen('o', "\u{43e}", 1) } else { name };
            let host_text = match port { Some(p) => format!("{name}:{p}"), None => name };
            let host = if custom {
                HostChoice::Custom(format!("https://{host_text}/api"))
            } else {
                HostChoice::Enterprise(host_text)
            };
            let mut known = KnownHosts::default();
            for h in &before {
                known.remember(&HostChoice::Enterprise(h.clone()));
            }
            let draft = ConnectDraft {
                trusted: yes_to.clone(),
                token: "ghp_abc".into(),
                repo: "o/r".into(),
                ..ConnectDraft::for_location(&host, &RepoRef::parse("o/r").unwrap())
            };
            if let Ok((to, _, _)) = draft.validate_linked(&known) {
                let origin = to.api_base().unwrap().origin();
                let free = matches!(to, HostChoice::GitHubCom)
                    || known.knows(&to)
                    || HttpUrl::parse(&origin).unwrap().is_loopback();
                prop_assert!(free || yes_to.as_deref() == Some(origin.as_str()), "{origin} without a yes");
            }
        }
    }
}
