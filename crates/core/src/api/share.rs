//! "Copy as curl" and "copy as gh api": the exact request a form would send, as a command to paste in a
//! shell — with the token written as `$GITHUB_TOKEN`, never the real one, and never expanded onto a command
//! line, where other users of the computer could read it in the process list (`ps`).

use crate::api::http::HttpRequest;
use crate::api::request::{ApiBase, HostKind};
pub use crate::text::shell_quote;

/// The variable the commands read the token from.
pub const TOKEN_VARIABLE: &str = "GITHUB_TOKEN";

/// The start of a curl command that reads its `Authorization` header from standard input: `printf` is built
/// into every POSIX shell (sh, dash, bash, zsh), so the expanded token is on no process's command line, and curl
/// gets it through `--config -` (as the cleanup script sends it).
pub const CURL_WITH_TOKEN_ON_STDIN: &str =
    "printf 'header = \"Authorization: Bearer %s\"\\n' \"$GITHUB_TOKEN\" |\n  curl --config -";

/// `curl` with the request's method, URL, headers (but `Authorization`, whatever token it holds: read from
/// `$GITHUB_TOKEN` on standard input) and body.
pub fn as_curl(req: &HttpRequest) -> String {
    let mut lines = vec![format!(
        "{CURL_WITH_TOKEN_ON_STDIN} -X {} {}",
        req.method.as_str(),
        shell_quote(&req.url)
    )];
    for (name, value) in req.headers.iter() {
        if !name.eq_ignore_ascii_case("Authorization") {
            lines.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
    }
    if let Some(body) = &req.body {
        lines.push(format!("-d {}", shell_quote(body)));
    }
    lines.join(" \\\n  ")
}

/// `gh api` for the same request: the endpoint relative to the API base, `--hostname` for GHES, the
/// headers except `Authorization` (gh reads the token from `GH_TOKEN`) and the body on standard input.
/// `None` for a custom API base, which gh cannot address.
pub fn as_gh_api(req: &HttpRequest, base: &ApiBase) -> Option<String> {
    let endpoint = req.url.strip_prefix(base.root())?;
    let mut words = vec![format!("GH_TOKEN=${TOKEN_VARIABLE} gh api")];
    match base.kind() {
        HostKind::GitHubCom => {}
        HostKind::Enterprise => words.push(format!("--hostname {}", base.display_name())),
        HostKind::Custom => return None,
    }
    words.push(format!("--method {}", req.method.as_str()));
    for (name, value) in req.headers.iter() {
        if !name.eq_ignore_ascii_case("Authorization") {
            words.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
    }
    words.push(shell_quote(endpoint));
    let mut command = words.join(" \\\n  ");
    if let Some(body) = &req.body {
        // A compact JSON body is one line, so it can never end the here-document early.
        command.push_str(" \\\n  --input - <<'JSON'\n");
        command.push_str(body);
        command.push_str("\nJSON");
    }
    Some(command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::{Client, Token};
    use crate::github::model::DeploymentId;
    use crate::github::validate::{DeploymentDraft, RepoRef};
    use proptest::prelude::*;

    /// Reads a shell line's words as a POSIX shell would for the quoting used here (single quotes,
    /// `'\''`, double quotes without expansion, backslash-newline continuations).
    fn shell_words(text: &str) -> Vec<String> {
        let text = text.replace("\\\n", " ");
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    let w = word.get_or_insert_with(String::new);
                    for q in chars.by_ref() {
                        if q == '\'' {
                            break;
                        }
                        w.push(q);
                    }
                }
                '"' => {
                    let w = word.get_or_insert_with(String::new);
                    for q in chars.by_ref() {
                        if q == '"' {
                            break;
                        }
                        w.push(q);
                    }
                }
                '\\' => {
                    if let Some(next) = chars.next() {
                        word.get_or_insert_with(String::new).push(next);
                    }
                }
                ' ' | '\n' => words.extend(word.take()),
                c => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        words
    }

    fn create_request(base: ApiBase, token: &str, description: &str) -> HttpRequest {
        let client = Client::new(base, Token::new(token));
        let repo = RepoRef::parse("acme/web").unwrap();
        let draft = DeploymentDraft {
            git_ref: "main".into(),
            description: description.into(),
            ..DeploymentDraft::default()
        };
        client.create_deployment(&repo, &draft.validate().unwrap())
    }

    #[test]
    fn curl_sends_what_the_app_sends_with_the_token_on_its_standard_input() {
        let req = create_request(ApiBase::github_com(), "ghp_secret123", "it's live");
        let curl = as_curl(&req);
        assert!(!curl.contains("ghp_secret123"));
        let (printf, curl) = curl.split_once('|').unwrap();
        assert_eq!(
            shell_words(printf),
            [
                "printf",
                "header = \"Authorization: Bearer %s\"\\n",
                "$GITHUB_TOKEN"
            ],
            "the token expanded only as the argument of the shell's own printf"
        );
        assert!(!curl.contains("GITHUB_TOKEN") && !curl.contains("Authorization"));
        let words = shell_words(curl);
        assert_eq!(
            &words[..6],
            [
                "curl",
                "--config",
                "-",
                "-X",
                "POST",
                "https://api.github.com/repos/acme/web/deployments"
            ]
        );
        assert!(words.contains(&"X-GitHub-Api-Version: 2022-11-28".to_owned()));
        assert_eq!(words.last(), req.body.as_ref());
    }

    #[test]
    fn gh_api_names_the_endpoint_and_the_ghes_host() {
        let req = create_request(
            ApiBase::enterprise("ghe.example.com").unwrap(),
            "ghp_secret123",
            "x",
        );
        let gh = as_gh_api(&req, &ApiBase::enterprise("ghe.example.com").unwrap()).unwrap();
        assert!(!gh.contains("ghp_secret123"));
        assert!(gh.starts_with(
            "GH_TOKEN=$GITHUB_TOKEN gh api \\\n  --hostname ghe.example.com \\\n  --method POST"
        ));
        assert!(gh.contains("'/repos/acme/web/deployments' \\\n  --input - <<'JSON'\n{"));
        assert!(gh.ends_with("}\nJSON"));
        let get = Client::new(ApiBase::github_com(), None)
            .get_deployment(&RepoRef::parse("acme/web").unwrap(), DeploymentId(7));
        let gh = as_gh_api(&get, &ApiBase::github_com()).unwrap();
        assert!(gh.ends_with("'/repos/acme/web/deployments/7'"));
        assert!(!gh.contains("--input"));
        let custom = ApiBase::custom("http://127.0.0.1:8787").unwrap();
        assert_eq!(
            as_gh_api(&create_request(custom.clone(), "t", "x"), &custom),
            None
        );
    }

    proptest! {
        #[test]
        fn no_command_ever_holds_the_token_and_curl_keeps_the_body_exact(
            token in "[A-Za-z0-9_]{8,40}",
            description in "\\PC{0,60}",
        ) {
            let req = create_request(ApiBase::github_com(), &token, &description);
            let curl = as_curl(&req);
            let gh = as_gh_api(&req, &ApiBase::github_com()).unwrap();
            prop_assert!(!curl.contains(&token));
            prop_assert!(!gh.contains(&token));
            let words = shell_words(curl.split_once('|').unwrap().1);
            prop_assert_eq!(words.last(), req.body.as_ref());
            prop_assert!(!words.iter().any(|w| w.contains("GITHUB_TOKEN")));
            prop_assert_eq!(shell_words(&shell_quote(&description)), vec![description.clone()]);
        }
    }
}
