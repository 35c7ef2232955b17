//! What a token can do in a repository, told before the user hits a wall: from `GET /user` (is the token
//! accepted, and a classic token's `X-OAuth-Scopes`), `GET /repos/{owner}/{repo}` (`private`, `permissions`)
//! and a one-item read of its deployments.
//!
//! A fine-grained token's permissions are not visible to a page (GitHub does not expose
//! `X-Accepted-GitHub-Permissions` to browsers, docs/github-api.md §3), so "can write" stays unknown for such tokens
//! until a write is tried — said plainly rather than guessed.

use serde::{Deserialize, Serialize};

use crate::api::request::TokenKind;
use crate::api::response::ApiError;
use crate::github::model::Repository;

/// Yes, no, or cannot be known yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ability {
    Yes,
    No,
    Unknown,
}

impl Ability {
    pub fn label(self) -> &'static str {
        match self {
            Ability::Yes => "Yes",
            Ability::No => "No",
            Ability::Unknown => "Not known yet",
        }
    }
}

/// What the connect screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessReport {
    pub read_deployments: Ability,
    pub write_deployments: Ability,
    /// Approving or rejecting deployments waiting for a review (docs/github-api.md §14): classic `repo`;
    /// fine-grained "Actions: read" and "Deployments: read and write" (not visible to a page).
    pub review_deployments: Ability,
    /// What reviewing needs, or who may review, in one sentence.
    pub review_note: String,
    /// One sentence on the situation.
    pub summary: String,
    /// What to change, when something falls short.
    pub advice: Vec<String>,
}

/// What the three probes answered.
#[derive(Debug, Clone)]
pub struct AccessProbe<'a> {
    pub token_kind: TokenKind,
    /// `X-OAuth-Scopes` of the `GET /user` answer (`None`: not a classic token, or not sent).
    pub scopes: Option<&'a [String]>,
    pub repository: Result<&'a Repository, &'a ApiError>,
    /// `GET …/deployments?per_page=1`.
    pub deployments: Result<(), &'a ApiError>,
}

const CLASSIC_ADVICE: &str =
    "Classic token: add the repo_deployment scope (deployments only) or repo (everything, including private code).";
const FINE_ADVICE: &str =
    "Fine-grained token: include this repository and grant “Deployments: read and write” (repository dispatch also needs “Contents: read and write”).";

/// Reads the probes into a report.
pub fn assess(probe: &AccessProbe<'_>) -> AccessReport {
    let has = |scope: &str| probe.scopes.is_some_and(|s| s.iter().any(|x| x == scope));
    let classic = probe.scopes.is_some();
    let read = match probe.deployments {
        Ok(()) => Ability::Yes,
        Err(ApiError::NotFound { .. } | ApiError::Forbidden { .. }) => Ability::No,
        Err(_) => Ability::Unknown,
    };
    let (private, push) = match probe.repository {
        Ok(repo) => (
            Some(repo.private),
            repo.permissions
                .map(|p| p.push || p.admin || p.maintain == Some(true)),
        ),
        Err(_) => (None, None),
    };
    let write = if read == Ability::No || push == Some(false) {
        Ability::No
    } else if classic {
        let scope_ok =
            has("repo") || has("repo_deployment") || (private == Some(false) && has("public_repo"));
        if !scope_ok {
            Ability::No
        } else if push == Some(true) {
            Ability::Yes
        } else {
            Ability::Unknown
        }
    } else {
        Ability::Unknown
    };

    let mut advice = Vec::new();
    let summary = match (read, write) {
        (Ability::Yes, Ability::Yes) => "This token can read and write deployments here.".to_owned(),
        (Ability::Yes, Ability::No) if push == Some(false) => {
            advice.push("Your account has read access only: ask a repository admin for write (push) access to create deployments, post statuses or clean up.".into());
            "This token can read deployments here, but your account cannot write to this repository.".to_owned()
        }
        (Ability::Yes, Ability::No) => {
            advice.push(CLASSIC_ADVICE.into());
            "This token can read deployments here, but its scopes do not allow writing them.".to_owned()
        }
        (Ability::Yes, _) => {
            advice.push("GitHub does not show a web page what a fine-grained token may write: if a change is refused, Deploydeck will say which permission to add.".into());
            advice.push(FINE_ADVICE.into());
            "This token can read deployments here; whether it can write them shows on the first change.".to_owned()
        }
        (Ability::No, _) => {
            advice.push("Check the owner and repository name.".into());
            advice.push(if classic { CLASSIC_ADVICE.into() } else { FINE_ADVICE.into() });
            if probe.token_kind == TokenKind::FineGrained || !classic {
                advice.push("A fine-grained token for an organisation's repository must be created under that organisation (resource owner) and approved if the organisation requires it.".into());
            }
            "This token cannot read this repository's deployments: GitHub answers “Not Found” for a private repository a token cannot see.".to_owned()
        }
        (Ability::Unknown, _) => {
            "Deploydeck could not check this token's access (the check itself failed); see the error above and try again.".to_owned()
        }
    };
    if classic && has("repo") && read == Ability::Yes {
        advice.push("This classic token has the broad repo scope; repo_deployment alone is enough for Deploydeck (except repository dispatch).".into());
    }
    let (review, review_note) = if read == Ability::No {
        (
            Ability::No,
            "Reviewing needs the deployments to be readable first.",
        )
    } else if classic && has("repo") {
        (
            Ability::Yes,
            "Only an environment's required reviewers can approve its deployments.",
        )
    } else if classic {
        (
            Ability::No,
            "Reviewing deployments waiting for approval needs the repo scope on a classic token.",
        )
    } else {
        (Ability::Unknown, "GitHub does not show a web page a fine-grained token's permissions: reviewing needs “Actions: read” and “Deployments: read and write”, and only required reviewers can approve.")
    };
    AccessReport {
        read_deployments: read,
        write_deployments: write,
        review_deployments: review,
        review_note: review_note.into(),
        summary,
        advice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::model::RepositoryPermissions;

    fn repo(private: bool, push: bool) -> Repository {
        let d: crate::github::model::Deployment =
            serde_json::from_str(include_str!("../../tests/fixtures/deployment.json")).unwrap();
        Repository {
            id: crate::github::model::RepositoryId(1),
            node_id: "R_1".into(),
            name: "web".into(),
            full_name: "acme/web".into(),
            private,
            owner: (*d.creator.unwrap()).clone(),
            html_url: "https://github.com/acme/web".into(),
            description: None,
            default_branch: "main".into(),
            archived: None,
            permissions: Some(RepositoryPermissions {
                admin: false,
                maintain: None,
                push,
                triage: None,
                pull: true,
            }),
        }
    }

    fn scopes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// The report for a classic token with `scopes` on `repo` whose deployments could be read.
    fn classic(list: &[&str], repo: &Repository) -> AccessReport {
        let s = scopes(list);
        assess(&AccessProbe {
            token_kind: TokenKind::Classic,
            scopes: Some(&s),
            repository: Ok(repo),
            deployments: Ok(()),
        })
    }

    #[test]
    fn a_classic_token_with_repo_deployment_and_push_can_read_and_write() {
        let report = classic(&["repo_deployment"], &repo(true, true));
        assert_eq!(
            (report.read_deployments, report.write_deployments),
            (Ability::Yes, Ability::Yes)
        );
        assert!(report.advice.is_empty());
        assert_eq!(report.review_deployments, Ability::No);
        assert!(report.review_note.contains("needs the repo scope"));
    }

    #[test]
    fn reviewing_is_said_up_front_for_each_kind_of_token() {
        let report = classic(&["repo"], &repo(true, true));
        assert_eq!(report.review_deployments, Ability::Yes);
        assert!(report.review_note.contains("required reviewers"));
        let r = repo(true, true);
        let fine = assess(&AccessProbe {
            token_kind: TokenKind::FineGrained,
            scopes: None,
            repository: Ok(&r),
            deployments: Ok(()),
        });
        assert_eq!(fine.review_deployments, Ability::Unknown);
        assert!(fine.review_note.contains("“Actions: read”"));
    }

    #[test]
    fn a_classic_token_without_a_deployment_scope_is_told_which_to_add() {
        let report = classic(&["read:org"], &repo(false, true));
        assert_eq!(
            (report.read_deployments, report.write_deployments),
            (Ability::Yes, Ability::No)
        );
        assert!(report.advice.iter().any(|a| a.contains("repo_deployment")));
    }

    #[test]
    fn read_only_collaborators_are_told_to_ask_for_push_access() {
        let report = classic(&["repo"], &repo(false, false));
        assert_eq!(report.write_deployments, Ability::No);
        assert!(report.advice[0].contains("push"));
    }

    #[test]
    fn fine_grained_write_is_unknown_and_said_so() {
        let r = repo(true, true);
        let report = assess(&AccessProbe {
            token_kind: TokenKind::FineGrained,
            scopes: None,
            repository: Ok(&r),
            deployments: Ok(()),
        });
        assert_eq!(
            (report.read_deployments, report.write_deployments),
            (Ability::Yes, Ability::Unknown)
        );
        assert!(report
            .advice
            .iter()
            .any(|a| a.contains("Deployments: read and write")));
    }

    #[test]
    fn an_invisible_repository_explains_the_404() {
        let not_found = ApiError::NotFound {
            message: "Not Found".into(),
        };
        let report = assess(&AccessProbe {
            token_kind: TokenKind::FineGrained,
            scopes: None,
            repository: Err(&not_found),
            deployments: Err(&not_found),
        });
        assert_eq!(
            (report.read_deployments, report.write_deployments),
            (Ability::No, Ability::No)
        );
        assert!(report.summary.contains("Not Found"));
        assert!(report.advice.iter().any(|a| a.contains("resource owner")));
    }
}
