//! Environments a cleanup leaves empty, and deleting them (docs/github-api.md §8.14). Preview deployments leave
//! an environment each behind; deleting one also deletes its settings (protection rules, reviewers, wait timer,
//! branch policy, secrets), so nothing is ticked by default, a production-like environment is only ever
//! ticked one by one, the token's right to do it is checked up front, and the settings can be downloaded
//! first.

use serde::Serialize;

use crate::api::response::ApiError;
use crate::github::model::RepositoryPermissions;
use crate::text::count;
use crate::timestamp::Timestamp;

/// One environment with no deployment left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyEnvironment {
    pub name: String,
    /// Production-like by its name (`production`, `prod-eu`, `live`…): never ticked but one by one.
    pub production: bool,
    pub ticked: bool,
    pub outcome: Option<EnvironmentOutcome>,
    /// Why no request about it can be made (`.`, `..`: a name every URL parser rewrites, docs/github-api.md
    /// §1): shown, never ticked, never sent.
    pub unreachable: Option<String>,
}

impl EmptyEnvironment {
    /// What the list says of an environment that cannot be acted on from here, and the way out.
    pub fn unreachable_note(&self) -> Option<String> {
        self.unreachable.as_ref().map(|why| {
            format!("Cannot be deleted from here: {why}. Delete it in the repository's Settings → Environments on GitHub.")
        })
    }
}

/// What deleting one environment came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvironmentOutcome {
    Deleted,
    /// 404: deleted meanwhile (elsewhere, or by a request whose answer was lost).
    AlreadyGone,
    Failed(ApiError),
}

impl EnvironmentOutcome {
    pub fn word(&self) -> String {
        match self {
            EnvironmentOutcome::Deleted => "deleted".into(),
            EnvironmentOutcome::AlreadyGone => "already gone".into(),
            EnvironmentOutcome::Failed(error) => format!("failed: {error}"),
        }
    }

    /// What one DELETE's answer means; `None` for a rate limit (the same request goes again once allowed).
    pub fn of(answer: Result<(), ApiError>) -> Option<EnvironmentOutcome> {
        match answer {
            Ok(()) => Some(EnvironmentOutcome::Deleted),
            Err(ApiError::NotFound { .. }) => Some(EnvironmentOutcome::AlreadyGone),
            Err(ApiError::RateLimited { .. }) => None,
            // A browser cannot read which permission GitHub wanted (`X-Accepted-GitHub-Permissions` is not
            // exposed to pages): for this operation it is Administration (docs/github-api.md §8.14).
            Err(ApiError::Forbidden {
                message,
                mut needed,
            }) => {
                if needed.classic_scopes.is_empty() && needed.fine_grained.is_none() {
                    needed.fine_grained = Some("administration=write".into());
                }
                Some(EnvironmentOutcome::Failed(ApiError::Forbidden {
                    message,
                    needed,
                }))
            }
            Err(error) => Some(EnvironmentOutcome::Failed(error)),
        }
    }
}

/// The environments with no deployment left, in name order, each unticked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmptyEnvironments {
    pub items: Vec<EmptyEnvironment>,
}

impl EmptyEnvironments {
    /// `environments`: every environment of the repository with how many deployments it still has; the ones
    /// with none, unticked.
    pub fn new(environments: impl IntoIterator<Item = (String, usize)>) -> Self {
        let mut items: Vec<EmptyEnvironment> = environments
            .into_iter()
            .filter(|(_, left)| *left == 0)
            .map(|(name, _)| EmptyEnvironment {
                production: crate::github::rules::looks_like_production(&name),
                unreachable: crate::url::dot_segment_problem(&name).map(str::to_owned),
                name,
                ticked: false,
                outcome: None,
            })
            .collect();
        crate::order::sort_by_key(&mut items, |e| e.name.to_lowercase());
        items.dedup_by(|a, b| a.name.eq_ignore_ascii_case(&b.name));
        EmptyEnvironments { items }
    }

    /// Ticks or unticks one, by its own tick (the only way a production-like one is ticked).
    pub fn set(&mut self, name: &str, ticked: bool) -> bool {
        match self.items.iter_mut().find(|e| e.name == name) {
            Some(item)
                if item.outcome.is_none()
                    && item.unreachable.is_none()
                    && item.ticked != ticked =>
            {
                item.ticked = ticked;
                true
            }
            _ => false,
        }
    }

    /// "Tick all but production": every one not production-like and not done; production-like ones keep
    /// their own tick. `false` unticks every one.
    pub fn tick_all(&mut self, ticked: bool) {
        for item in self
            .items
            .iter_mut()
            .filter(|e| e.outcome.is_none() && e.unreachable.is_none())
        {
            if !ticked || !item.production {
                item.ticked = ticked;
            }
        }
    }

    /// The ticked ones still to delete, in order.
    fn ticked(&self) -> impl Iterator<Item = &EmptyEnvironment> {
        self.items
            .iter()
            .filter(|e| e.ticked && e.outcome.is_none())
    }

    /// Their names.
    pub fn chosen(&self) -> Vec<String> {
        self.ticked().map(|e| e.name.clone()).collect()
    }

    /// Whether the deletion asks for the repository's name typed: a production-like one is ticked.
    pub fn needs_typed_confirmation(&self) -> bool {
        self.ticked().any(|e| e.production)
    }

    /// The confirmation's sentence.
    pub fn confirmation(&self, repository: &str) -> String {
        let chosen = self.chosen();
        let production: Vec<&str> = self
            .ticked()
            .filter(|e| e.production)
            .map(|e| e.name.as_str())
            .collect();
        let warning = match production.len() {
            0 => String::new(),
            _ => format!(
                " This includes {} ({}).",
                count(
                    production.len(),
                    "production-like environment",
                    "production-like environments"
                ),
                production.join(", ")
            ),
        };
        format!(
            "Deploydeck will delete {} from {repository}: {}. Each one's protection rules, required reviewers, wait timer, branch policy, secrets and variables go with it and cannot be restored; download their settings first to keep a record.{warning}",
            count(chosen.len(), "environment", "environments"),
            chosen.join(", ")
        )
    }

    /// Records one answer; whether it settled that environment (a rate limit does not).
    pub fn record(&mut self, name: &str, answer: Result<(), ApiError>) -> bool {
        let Some(outcome) = EnvironmentOutcome::of(answer) else {
            return false;
        };
        if let Some(item) = self.items.iter_mut().find(|e| e.name == name) {
            item.outcome = Some(outcome);
            item.ticked = false;
        }
        true
    }

    /// A refusal that every other deletion would meet too (the token refused, or lacking a permission): the
    /// deletion stops at it, and it is said with what to do.
    pub fn refusal(&self) -> Option<&ApiError> {
        self.items.iter().find_map(|e| match &e.outcome {
            Some(EnvironmentOutcome::Failed(
                error @ (ApiError::Unauthorized { .. } | ApiError::Forbidden { .. }),
            )) => Some(error),
            _ => None,
        })
    }

    /// "2 deleted, 1 already gone, 1 failed".
    pub fn summary(&self) -> String {
        let mut tally = [0usize; 3];
        for item in &self.items {
            match item.outcome {
                Some(EnvironmentOutcome::Deleted) => tally[0] += 1,
                Some(EnvironmentOutcome::AlreadyGone) => tally[1] += 1,
                Some(EnvironmentOutcome::Failed(_)) => tally[2] += 1,
                None => {}
            }
        }
        ["deleted", "already gone", "failed"]
            .into_iter()
            .zip(tally)
            .filter(|(_, n)| *n > 0)
            .map(|(word, n)| format!("{} {word}", crate::text::grouped(n)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why this connection may not delete environments, with what to do; `None` when it may (as far as can be
/// told before trying: a fine-grained token's Administration permission shows only in GitHub's answer).
pub fn admin_problem(
    permissions: Option<&RepositoryPermissions>,
    repository: &str,
) -> Option<String> {
    match permissions {
        Some(p) if p.admin => None,
        Some(_) => Some(format!("Deleting an environment needs admin rights on {repository}, and this account does not have them there. Ask an admin of the repository to delete them, or to give you the admin role; the list below stays as a record.")),
        None => Some(format!("GitHub did not say whether this token may administer {repository} (it sends the account's permissions only to a signed-in token). Deleting an environment needs admin rights on the repository and a token with the repo scope or, fine-grained, Administration: write.")),
    }
}

#[derive(Serialize)]
struct Backup<'a> {
    repository: &'a str,
    made_at: Timestamp,
    /// Each environment as `GET …/environments/{name}` returned it.
    environments: &'a [serde_json::Value],
}

/// The environments' settings as GitHub returned them, for a record before they are deleted.
pub fn environments_backup_json(
    repository: &str,
    made_at: Timestamp,
    environments: &[serde_json::Value],
) -> String {
    serde_json::to_string_pretty(&Backup {
        repository,
        made_at,
        environments,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn listed(names: &[(&str, usize)]) -> EmptyEnvironments {
        EmptyEnvironments::new(names.iter().map(|(n, c)| (n.to_string(), *c)))
    }

    #[test]
    fn only_environments_with_no_deployment_left_are_offered_unticked_and_production_is_marked() {
        let mut envs = listed(&[
            ("preview/pr-2", 0),
            ("staging", 3),
            ("Production", 0),
            ("preview/pr-1", 0),
        ]);
        let names: Vec<_> = envs
            .items
            .iter()
            .map(|e| (e.name.as_str(), e.production, e.ticked))
            .collect();
        assert_eq!(
            names,
            [
                ("preview/pr-1", false, false),
                ("preview/pr-2", false, false),
                ("Production", true, false)
            ]
        );
        assert!(envs.chosen().is_empty(), "nothing ticked by default");
        envs.tick_all(true);
        assert_eq!(
            envs.chosen(),
            ["preview/pr-1", "preview/pr-2"],
            "production only one by one"
        );
        assert!(!envs.needs_typed_confirmation());
        assert!(envs.set("Production", true));
        assert!(envs.needs_typed_confirmation());
        assert!(envs
            .confirmation("acme/web")
            .ends_with("This includes 1 production-like environment (Production)."));
        envs.tick_all(false);
        assert!(envs.chosen().is_empty());
    }

    #[test]
    fn answers_settle_environments_and_a_rate_limit_sends_again() {
        let mut envs = listed(&[("a", 0), ("b", 0), ("c", 0)]);
        envs.tick_all(true);
        let limited = ApiError::RateLimited {
            message: "slow down".into(),
            wait: crate::api::response::RetryWait::Seconds(60),
            limit: crate::api::response::RateLimitKind::Secondary,
        };
        assert!(!envs.record("a", Err(limited)));
        assert_eq!(envs.chosen(), ["a", "b", "c"]);
        assert!(envs.record("a", Ok(())));
        assert!(envs.record(
            "b",
            Err(ApiError::NotFound {
                message: "Not Found".into()
            })
        ));
        let refused = ApiError::Network {
            message: "offline".into(),
        };
        assert!(envs.record("c", Err(refused)));
        assert_eq!(
            envs.refusal(),
            None,
            "a network failure is this one's alone"
        );
        assert_eq!(envs.summary(), "1 deleted, 1 already gone, 1 failed");
        assert!(envs.chosen().is_empty());
        assert!(
            !envs.set("a", true),
            "a settled environment is not ticked again"
        );
    }

    #[test]
    fn a_refusal_every_deletion_would_meet_stops_the_rest() {
        let mut envs = listed(&[("a", 0), ("b", 0)]);
        envs.tick_all(true);
        let refused = ApiError::Unauthorized {
            message: "Bad credentials".into(),
        };
        assert!(envs.record("a", Err(refused.clone())));
        assert_eq!(envs.refusal(), Some(&refused));
        assert_eq!(
            envs.chosen(),
            ["b"],
            "b is still to do, once the token is mended"
        );
    }

    #[test]
    fn a_fine_grained_refusal_names_administration() {
        let needed = crate::api::response::AccessNeeded {
            fine_grained_refused: true,
            ..Default::default()
        };
        let refused = ApiError::Forbidden {
            message: "Resource not accessible by personal access token".into(),
            needed,
        };
        let Some(EnvironmentOutcome::Failed(error)) = EnvironmentOutcome::of(Err(refused)) else {
            panic!("a failure");
        };
        assert!(
            error
                .remedy()
                .starts_with("Edit the fine-grained token and grant Administration"),
            "{}",
            error.remedy()
        );
    }

    #[test]
    fn the_admin_check_says_what_to_do() {
        let mut p = RepositoryPermissions {
            admin: true,
            maintain: None,
            push: true,
            triage: None,
            pull: true,
        };
        assert_eq!(admin_problem(Some(&p), "acme/web"), None);
        p.admin = false;
        assert!(admin_problem(Some(&p), "acme/web")
            .unwrap()
            .starts_with("Deleting an environment needs admin rights on acme/web"));
        assert!(admin_problem(None, "acme/web")
            .unwrap()
            .contains("Administration: write"));
    }

    #[test]
    fn an_environment_named_dot_dot_is_listed_with_why_and_never_ticked() {
        let mut envs = listed(&[("..", 0), (".", 0), ("preview/pr-1", 0), ("...", 0)]);
        envs.tick_all(true);
        assert_eq!(
            envs.chosen(),
            ["...", "preview/pr-1"],
            "“...” is an ordinary name"
        );
        assert!(!envs.set("..", true));
        assert!(!envs.set(".", true));
        let dots = envs.items.iter().find(|e| e.name == "..").unwrap();
        let note = dots.unreachable_note().unwrap();
        assert!(note.starts_with("Cannot be deleted from here: “..” is read by every URL parser as “the folder above”"), "{note}");
        assert!(note.ends_with("Delete it in the repository's Settings → Environments on GitHub."));
        assert!(envs
            .items
            .iter()
            .find(|e| e.name == "...")
            .unwrap()
            .unreachable
            .is_none());
    }

    proptest! {
        #[test]
        fn ticking_all_never_ticks_production_and_never_offers_a_used_environment(
            envs in proptest::collection::vec(("(production|prod-eu|live|staging|preview/pr-[0-9]{1,3}|qa|\\.|\\.\\.)", 0usize..3), 0..20),
            untick_first in any::<bool>(),
        ) {
            let mut list = EmptyEnvironments::new(envs.clone());
            if untick_first { list.tick_all(false); }
            list.tick_all(true);
            for item in &list.items {
                prop_assert!(envs.iter().any(|(n, c)| n.eq_ignore_ascii_case(&item.name) && *c == 0));
                prop_assert_eq!(item.ticked, !item.production && item.unreachable.is_none());
            }
            prop_assert!(!list.needs_typed_confirmation());
            prop_assert!(list.chosen().iter().all(|n| crate::url::path_segment(n).is_ok()), "nothing chosen that cannot be sent");
        }
    }
}
