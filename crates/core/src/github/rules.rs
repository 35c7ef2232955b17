//! What GitHub does and allows with deployments (docs/github-api.md §8.4, §9), as the client predicts it. fake-github
//! implements the server side on its own, so a wrong prediction here is caught by a test, not mirrored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::github::model::{
    Deployment, DeploymentId, DeploymentState, DeploymentStatus, Latest, NewDeploymentStatus,
};
use crate::timestamp::Timestamp;

/// The newest of a deployment's statuses: latest `created_at`, ties broken by the larger id. Lists arrive
/// newest first (docs/github-api.md §4), but that order is not documented, so it is not relied on.
pub fn latest_status(statuses: &[DeploymentStatus]) -> Option<&DeploymentStatus> {
    statuses.iter().max_by_key(|s| (s.created_at, s.id))
}

/// A REST deployment has no state of its own: it is the newest status's state, or none (docs/github-api.md §9).
pub fn latest_state(statuses: &[DeploymentStatus]) -> Option<DeploymentState> {
    latest_status(statuses).map(|s| s.state)
}

/// A deployment with its newest status (`None`: it has none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentRecord {
    pub deployment: Deployment,
    pub latest_status: Option<Latest>,
}

impl DeploymentRecord {
    pub fn new(deployment: Deployment, statuses: &[DeploymentStatus]) -> Self {
        DeploymentRecord {
            latest_status: latest_status(statuses).map(Latest::from),
            deployment,
        }
    }

    /// Each of `deployments` whose latest status `latest` knows (`Some(None)`: it has none), with it, in
    /// order; the ones `latest` does not know (`None`) are left out.
    pub fn join(
        deployments: &[Deployment],
        latest: impl Fn(DeploymentId) -> Option<Option<Latest>>,
    ) -> Vec<DeploymentRecord> {
        deployments
            .iter()
            .filter_map(|d| {
                latest(d.id).map(|latest_status| DeploymentRecord {
                    deployment: d.clone(),
                    latest_status,
                })
            })
            .collect()
    }

    pub fn id(&self) -> DeploymentId {
        self.deployment.id
    }

    pub fn latest_state(&self) -> Option<DeploymentState> {
        self.latest_status.as_ref().map(|s| s.state)
    }

    /// A transient environment's deployment shows as destroyed once inactive (docs/github-api.md §9).
    pub fn is_destroyed(&self) -> bool {
        self.deployment.transient_environment
            && self.latest_state() == Some(DeploymentState::Inactive)
    }
}

/// What is serving an environment now: its newest deployment whose latest status is `success`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveDeployment {
    pub environment: String,
    pub deployment_id: DeploymentId,
    /// When the `success` status was posted.
    pub since: Timestamp,
    /// Who posted it.
    pub by: Option<String>,
    pub production: bool,
    pub transient: bool,
}

/// A deployment with its latest status, owned ([`DeploymentRecord`]) or borrowed ([`RecordRef`]): what the
/// summaries read, so a long list is summed up without copying it.
pub trait Record {
    fn deployment(&self) -> &Deployment;
    fn latest(&self) -> Option<&Latest>;

    fn state(&self) -> Option<DeploymentState> {
        self.latest().map(|s| s.state)
    }
}

impl Record for DeploymentRecord {
    fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    fn latest(&self) -> Option<&Latest> {
        self.latest_status.as_ref()
    }
}

/// A listed deployment and its latest status, borrowed from where they are kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordRef<'a> {
    pub deployment: &'a Deployment,
    pub latest_status: Option<&'a Latest>,
}

impl Record for RecordRef<'_> {
    fn deployment(&self) -> &Deployment {
        self.deployment
    }

    fn latest(&self) -> Option<&Latest> {
        self.latest_status
    }
}

/// The live deployment of every environment that has one, by environment name.
pub fn live_per_environment<R: Record>(records: &[R]) -> BTreeMap<String, LiveDeployment> {
    let mut live: BTreeMap<String, LiveDeployment> = BTreeMap::new();
    for record in records {
        let Some(status) = record.latest() else {
            continue;
        };
        if status.state != DeploymentState::Success {
            continue;
        }
        let d = record.deployment();
        let newer = live
            .get(&d.environment)
            .is_none_or(|current| current.deployment_id < d.id);
        if newer {
            live.insert(
                d.environment.clone(),
                LiveDeployment {
                    environment: d.environment.clone(),
                    deployment_id: d.id,
                    since: status.created_at,
                    by: status.creator.as_ref().map(|c| c.login.clone()),
                    production: d.production_environment,
                    transient: d.transient_environment,
                },
            );
        }
    }
    live
}

/// The deployments live in a production environment (flagged `production_environment`, or named
/// "production" in any case): what the cleanup and the single delete keep unless the user allows it.
pub fn live_production(records: &[DeploymentRecord]) -> Vec<DeploymentId> {
    live_per_environment(records)
        .values()
        .filter(|l| l.production || l.environment.eq_ignore_ascii_case("production"))
        .map(|l| l.deployment_id)
        .collect()
}

/// Which reading of auto-inactive to predict (docs/github-api.md §9; §12 item 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoInactiveScope {
    /// Since the 2018 flash preview (promoted 2021), production deployments are marked inactive too.
    #[default]
    IncludeProduction,
    /// The docs' literal text: "non-transient, non-production" deployments only.
    ExcludeProduction,
}

/// The deployments that posting `status` on deployment `target` will mark inactive (docs/github-api.md §9): for a
/// `success` with `auto_inactive` not false, every *prior* deployment in the same environment (the status's
/// `environment` if it names one, else the target's) that is non-transient and whose latest state is
/// `success`.
pub fn auto_inactive_targets(
    records: &[DeploymentRecord],
    target: DeploymentId,
    status: &NewDeploymentStatus,
    scope: AutoInactiveScope,
) -> Vec<DeploymentId> {
    if status.state != DeploymentState::Success || status.auto_inactive == Some(false) {
        return Vec::new();
    }
    let Some(target_record) = records.iter().find(|r| r.id() == target) else {
        return Vec::new();
    };
    let environment = status
        .environment
        .as_deref()
        .unwrap_or(&target_record.deployment.environment);
    let mut ids: Vec<DeploymentId> = records
        .iter()
        .filter(|r| {
            let d = &r.deployment;
            d.id < target
                && d.environment == environment
                && !d.transient_environment
                && r.latest_state() == Some(DeploymentState::Success)
                && !(scope == AutoInactiveScope::ExcludeProduction && d.production_environment)
        })
        .map(DeploymentRecord::id)
        .collect();
    crate::order::sort_by_key(&mut ids, |id| std::cmp::Reverse(*id));
    ids
}

/// The deployments whose latest state decides what a `success` on `target` in `environment` marks inactive
/// (the ones [`auto_inactive_targets`] looks at): earlier, same environment, not transient. Only these need
/// their state read for the preview, not every deployment of the environment.
pub fn auto_inactive_candidates(
    deployments: &[Deployment],
    target: DeploymentId,
    environment: &str,
) -> Vec<DeploymentId> {
    deployments
        .iter()
        .filter(|d| d.id < target && d.environment == environment && !d.transient_environment)
        .map(|d| d.id)
        .collect()
}

/// How long a new deployment may wait for its first status before the page says nothing has picked it up.
/// Something that performs deployments (a deployment-event listener, a workflow `on: deployment`) normally
/// posts `queued`/`in_progress` within seconds.
pub const FIRST_STATUS_EXPECTED_WITHIN_SECS: i64 = 20;

/// Whether a deployment created at `created_at` has gone without any status for longer than expected.
pub fn nothing_picked_it_up(created_at: Timestamp, now: Timestamp, statuses: usize) -> bool {
    statuses == 0 && now.seconds_since(created_at) > FIRST_STATUS_EXPECTED_WITHIN_SECS
}

// ---- production (two rules, on purpose: one GitHub's, one a guess) ----

/// Production as GitHub itself marks it: a deployment flagged `production_environment`, or its environment
/// named exactly `production` in any case (GitHub's default for the flag, docs/github-api.md §9). What the
/// cleanup's guard rails protect.
pub fn is_production(environment: &str, flagged: bool) -> bool {
    flagged || environment.eq_ignore_ascii_case("production")
}

/// Whether an environment's *name* reads as production (`production`, `prod-eu`, `prd`, `live`), not staging:
/// a guess, for ordering the fleet's columns and for the environments a cleanup deletes only one by one. Wider
/// than [`is_production`], and never used where GitHub's own flag is known.
pub fn looks_like_production(name: &str) -> bool {
    production_rank(name) == 0
}

/// Environment `names` each once (GitHub's names are case-insensitive: the first spelling stays),
/// production-like first, then staging-like, then the rest, each group by name: how the fleet's columns and a
/// commit's environments in the review inbox are ordered.
pub fn production_first<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut once: Vec<String> = Vec::new();
    for name in names {
        if !once.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            once.push(name.to_owned());
        }
    }
    crate::order::sort_by(&mut once, |a, b| {
        production_rank(a)
            .cmp(&production_rank(b))
            .then_with(|| a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()))
    });
    once
}

/// How production-like an environment's name is: 0 production, 1 staging and the like, 2 the rest.
pub fn production_rank(name: &str) -> u8 {
    let lower = name.to_ascii_lowercase();
    let words = |list: &[&str]| list.iter().any(|w| lower.contains(w));
    if words(&["stag", "preprod", "pre-prod", "uat", "qa"]) {
        1
    } else if words(&["prod"]) || lower == "prd" || lower == "live" || lower.starts_with("live-") {
        0
    } else {
        2
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use crate::github::model::{Payload, SimpleUser, StatusId, UserId};

    pub fn user(login: &str) -> SimpleUser {
        SimpleUser::with_urls(
            login,
            UserId(1),
            "User",
            "https://api.github.com",
            "https://github.com",
        )
    }

    pub fn deployment(id: u64, environment: &str) -> Deployment {
        let url = format!("https://api.github.com/repos/o/r/deployments/{id}");
        Deployment {
            statuses_url: format!("{url}/statuses"),
            url,
            id: DeploymentId(id),
            node_id: format!("DE_{id}"),
            task: "deploy".into(),
            original_environment: Some(environment.into()),
            environment: environment.into(),
            description: None,
            created_at: Timestamp::from_unix(1_700_000_000 + id as i64 * 60),
            updated_at: Timestamp::from_unix(1_700_000_000 + id as i64 * 60),
            repository_url: "https://api.github.com/repos/o/r".into(),
            creator: Some(user("octocat").into()),
            sha: "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d".into(),
            git_ref: "main".into(),
            payload: Payload::default(),
            transient_environment: false,
            production_environment: environment == "production",
            performed_via_github_app: None,
        }
    }

    pub fn status(id: u64, deployment: &Deployment, state: DeploymentState) -> DeploymentStatus {
        DeploymentStatus {
            url: format!("{}/statuses/{id}", deployment.url),
            id: StatusId(id),
            node_id: format!("DES_{id}"),
            state,
            creator: Some(user("deployer")),
            description: String::new(),
            environment: deployment.environment.clone(),
            target_url: String::new(),
            created_at: deployment.created_at.plus_seconds(id as i64),
            updated_at: deployment.created_at.plus_seconds(id as i64),
            deployment_url: deployment.url.clone(),
            repository_url: deployment.repository_url.clone(),
            environment_url: String::new(),
            log_url: String::new(),
            performed_via_github_app: None,
        }
    }

    pub fn record(id: u64, environment: &str, state: Option<DeploymentState>) -> DeploymentRecord {
        let d = deployment(id, environment);
        let statuses: Vec<DeploymentStatus> =
            state.map(|s| status(id * 10, &d, s)).into_iter().collect();
        DeploymentRecord::new(d, &statuses)
    }

    #[test]
    fn production_is_githubs_flag_or_exact_name_and_a_production_like_name_is_a_wider_guess() {
        // GitHub's own: the flag, or the name `production` in any case — nothing else.
        assert!(is_production("Production", false));
        assert!(is_production("eu-west", true));
        for not in ["prod", "prod-eu", "live", "production-2", "staging"] {
            assert!(!is_production(not, false), "{not}");
        }
        // The guess reads more names as production, never staging-like ones.
        for like in ["production", "prod-eu", "PRD", "live", "live-eu", "eu-prod"] {
            assert!(looks_like_production(like), "{like}");
        }
        for not in [
            "staging",
            "preprod",
            "pre-prod-eu",
            "uat",
            "qa",
            "review/pr-1",
            "lively",
            "..",
            "",
        ] {
            assert!(!looks_like_production(not), "{not}");
        }
        assert_eq!(["prod", "staging", "docs"].map(production_rank), [0, 1, 2]);
    }

    proptest::proptest! {
        /// Whatever GitHub itself calls production by its name, the guess does too: the wider rule never
        /// leaves out what the narrower one protects.
        #[test]
        fn everything_github_calls_production_by_name_the_guess_calls_production(name in "(?i)production") {
            proptest::prop_assert!(is_production(&name, false));
            proptest::prop_assert!(looks_like_production(&name));
        }
    }

    #[test]
    fn join_keeps_order_and_leaves_out_only_the_unknown() {
        let ds = vec![deployment(3, "a"), deployment(2, "b"), deployment(1, "c")];
        let ok = status(9, &ds[0], DeploymentState::Success);
        let known = |id: DeploymentId| match id.0 {
            3 => Some(Some(Latest::from(&ok))),
            1 => Some(None),
            _ => None,
        };
        let joined = DeploymentRecord::join(&ds, known);
        assert_eq!(
            joined
                .iter()
                .map(|r| (r.id().0, r.latest_state()))
                .collect::<Vec<_>>(),
            vec![(3, Some(DeploymentState::Success)), (1, None)]
        );
        let every = DeploymentRecord::join(&ds, |id| Some(known(id).flatten()));
        assert_eq!(every.len(), 3);
        assert_eq!(every[1].latest_status, None);
    }

    #[test]
    fn latest_status_is_the_newest_whatever_the_order() {
        let d = deployment(1, "staging");
        let statuses = vec![
            status(3, &d, DeploymentState::InProgress),
            status(9, &d, DeploymentState::Success),
            status(1, &d, DeploymentState::Queued),
        ];
        assert_eq!(latest_state(&statuses), Some(DeploymentState::Success));
        assert_eq!(latest_state(&[]), None);
    }

    #[test]
    fn the_live_deployment_is_the_newest_success_per_environment() {
        let records = vec![
            record(1, "production", Some(DeploymentState::Inactive)),
            record(2, "production", Some(DeploymentState::Success)),
            record(3, "production", Some(DeploymentState::InProgress)),
            record(4, "staging", Some(DeploymentState::Success)),
            record(5, "staging", Some(DeploymentState::Success)),
            record(6, "review/pr-1", Some(DeploymentState::Failure)),
        ];
        let live = live_per_environment(&records);
        assert_eq!(live.len(), 2);
        assert_eq!(live["production"].deployment_id, DeploymentId(2));
        assert!(live["production"].production);
        assert_eq!(live["staging"].deployment_id, DeploymentId(5));
        assert_eq!(live["staging"].by.as_deref(), Some("deployer"));
    }

    #[test]
    fn auto_inactive_marks_prior_successful_non_transient_deployments_of_the_environment() {
        let mut records = vec![
            record(1, "staging", Some(DeploymentState::Success)),
            record(2, "staging", Some(DeploymentState::Failure)),
            record(3, "staging", Some(DeploymentState::Success)),
            record(4, "production", Some(DeploymentState::Success)),
            record(5, "staging", Some(DeploymentState::InProgress)),
            record(6, "staging", Some(DeploymentState::Success)),
        ];
        records[0].deployment.transient_environment = true;
        let success = NewDeploymentStatus::with_state(DeploymentState::Success);
        let scope = AutoInactiveScope::IncludeProduction;
        assert_eq!(
            auto_inactive_targets(&records, DeploymentId(5), &success, scope),
            [DeploymentId(3)]
        );
        let mut moved = success.clone();
        moved.environment = Some("production".into());
        assert_eq!(
            auto_inactive_targets(&records, DeploymentId(5), &moved, scope),
            [DeploymentId(4)]
        );
        assert!(auto_inactive_targets(
            &records,
            DeploymentId(5),
            &moved,
            AutoInactiveScope::ExcludeProduction
        )
        .is_empty());
        let mut off = success.clone();
        off.auto_inactive = Some(false);
        assert!(auto_inactive_targets(&records, DeploymentId(5), &off, scope).is_empty());
        let failure = NewDeploymentStatus::with_state(DeploymentState::Failure);
        assert!(auto_inactive_targets(&records, DeploymentId(5), &failure, scope).is_empty());
        assert!(auto_inactive_targets(&records, DeploymentId(99), &success, scope).is_empty());
    }

    #[test]
    fn only_earlier_non_transient_deployments_of_the_environment_are_candidates() {
        let mut ds: Vec<Deployment> = [
            (1, "staging"),
            (2, "staging"),
            (3, "production"),
            (4, "staging"),
            (5, "staging"),
        ]
        .into_iter()
        .map(|(id, env)| deployment(id, env))
        .collect();
        ds[1].transient_environment = true;
        assert_eq!(
            auto_inactive_candidates(&ds, DeploymentId(4), "staging"),
            [DeploymentId(1)]
        );
        assert_eq!(
            auto_inactive_candidates(&ds, DeploymentId(5), "production"),
            [DeploymentId(3)]
        );
    }

    #[test]
    fn transient_inactive_deployments_show_as_destroyed() {
        let mut r = record(1, "review/pr-7", Some(DeploymentState::Inactive));
        assert!(!r.is_destroyed());
        r.deployment.transient_environment = true;
        assert!(r.is_destroyed());
    }

    #[test]
    fn a_deployment_without_status_is_flagged_only_after_the_expected_wait() {
        let created = Timestamp::parse("2026-11-21T10:00:00Z").unwrap();
        assert!(!nothing_picked_it_up(
            created,
            created.plus_seconds(FIRST_STATUS_EXPECTED_WITHIN_SECS),
            0
        ));
        assert!(nothing_picked_it_up(
            created,
            created.plus_seconds(FIRST_STATUS_EXPECTED_WITHIN_SECS + 1),
            0
        ));
        assert!(!nothing_picked_it_up(
            created,
            created.plus_seconds(3600),
            1
        ));
    }
}
