//! Deployments waiting for a review (docs/github-api.md §14): the runs that wait, what each waits on, whether
//! the person connected can approve it and, if not, why in words — and the review they send. Sans-IO: the
//! app fetches, this decides.

mod inbox;

pub use inbox::{
    group_by_commit, inbox_every, plan_group, read_review_runs, review_runs_document, CommitGroup,
    GroupPlan, GroupRun, InboxRun, LeftAlone, Outcome, Planned, Scope,
};
use serde::{Deserialize, Serialize};

use crate::api::http::{HttpRequest, Method};
use crate::api::request::{Client, PageRequest};
use crate::github::model::Login;
use crate::github::validate::RepoRef;
use crate::text::{count, format_duration};
use crate::Timestamp;

/// A workflow run as the reviews view reads it (a subset of `workflow-run`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkflowRun {
    pub id: u64,
    /// Its GraphQL id (`WFR_…`), which the GraphQL review names.
    #[serde(default)]
    pub node_id: Option<String>,
    /// The workflow's name.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub display_title: String,
    #[serde(default)]
    pub head_branch: Option<String>,
    pub head_sha: String,
    pub event: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub actor: Option<Login>,
    #[serde(default)]
    pub triggering_actor: Option<Login>,
    pub run_number: u64,
    pub created_at: Timestamp,
    pub html_url: String,
    /// The pull requests the run belongs to (empty for a push to a branch, and for a fork's).
    #[serde(default)]
    pub pull_requests: Vec<RunPullRequest>,
}

/// A pull request a workflow run names (a subset of `pull-request-minimal`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RunPullRequest {
    pub number: u64,
}

impl WorkflowRun {
    /// Who started it: the triggering actor (a re-run's), else the actor.
    pub fn started_by(&self) -> Option<&str> {
        self.triggering_actor
            .as_ref()
            .or(self.actor.as_ref())
            .map(|l| l.login.as_str())
    }

    pub fn is_waiting(&self) -> bool {
        self.status.as_deref() == Some("waiting")
    }
}

/// `GET /repos/{o}/{r}/actions/runs`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkflowRunList {
    pub total_count: u64,
    pub workflow_runs: Vec<WorkflowRun>,
}

/// An environment as a pending deployment or a review names it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EnvironmentRef {
    pub id: u64,
    /// Its GraphQL id (`EN_…`), which the GraphQL review names.
    #[serde(default)]
    pub node_id: Option<String>,
    pub name: String,
}

/// One required reviewer: a user (`login`) or a team (`slug`, `name`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RequiredReviewer {
    #[serde(rename = "type")]
    pub kind: String,
    pub reviewer: ReviewerIdentity,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReviewerIdentity {
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl RequiredReviewer {
    /// `octocat`, or `team Ops`.
    pub fn describe(&self) -> String {
        match (
            &self.reviewer.login,
            &self.reviewer.name,
            &self.reviewer.slug,
        ) {
            (Some(login), _, _) => login.clone(),
            (None, Some(name), _) | (None, None, Some(name)) => format!("team {name}"),
            (None, None, None) => format!("a {}", self.kind.to_ascii_lowercase()),
        }
    }

    fn is_user(&self, login: &str) -> bool {
        self.reviewer
            .login
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(login))
    }

    fn is_team(&self) -> bool {
        self.kind == "Team"
    }
}

/// `pending-deployment`: one environment a run waits on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PendingDeployment {
    pub environment: EnvironmentRef,
    /// Minutes.
    pub wait_timer: u32,
    pub wait_timer_started_at: Option<Timestamp>,
    pub current_user_can_approve: bool,
    pub reviewers: Vec<RequiredReviewer>,
}

/// What a reviewer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Approved,
    Rejected,
}

impl ReviewState {
    pub fn verb(self) -> &'static str {
        match self {
            ReviewState::Approved => "approved",
            ReviewState::Rejected => "rejected",
        }
    }
}

/// The body of review-pending-deployments: every member is required (docs/github-api.md §14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewBody {
    pub environment_ids: Vec<u64>,
    pub state: ReviewState,
    pub comment: String,
}

/// `environment-approvals`: one past review of a run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EnvironmentApproval {
    pub environments: Vec<EnvironmentRef>,
    pub state: ReviewState,
    pub user: Login,
    pub comment: String,
}

impl EnvironmentApproval {
    /// "alice approved production, staging: “Ship it!”".
    pub fn sentence(&self) -> String {
        let names: Vec<&str> = self.environments.iter().map(|e| e.name.as_str()).collect();
        let mut text = format!(
            "{} {} {}",
            self.user.login,
            self.state.verb(),
            names.join(", ")
        );
        if !self.comment.trim().is_empty() {
            text.push_str(&format!(": “{}”", self.comment.trim()));
        }
        text
    }
}

/// What the connected person may do about one environment a run waits on, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    CanReview,
    /// Nobody reviews it: it goes on when its wait timer runs out.
    TimerOnly,
    /// The reason, in words, with what would make it possible.
    Cannot(String),
}

impl Verdict {
    /// Why the connected person cannot review it, in words (`None`: they can).
    pub fn reason(self) -> Option<String> {
        match self {
            Verdict::CanReview => None,
            Verdict::TimerOnly => {
                Some("No reviewer: it goes on by itself when its wait timer runs out.".into())
            }
            Verdict::Cannot(why) => Some(why),
        }
    }
}

/// Whether the token may review at all (from the connect check: classic `repo`, fine-grained "Deployments:
/// write"), as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewPermission {
    Yes,
    No,
    Unknown,
}

/// Why `me` can or cannot review `pending` of a run started by `started_by`. GitHub's own
/// `current_user_can_approve` decides; the rest explains it.
pub fn verdict(
    pending: &PendingDeployment,
    me: &str,
    started_by: Option<&str>,
    permission: ReviewPermission,
) -> Verdict {
    if pending.reviewers.is_empty() {
        return Verdict::TimerOnly;
    }
    if pending.current_user_can_approve {
        return match permission {
            ReviewPermission::No => Verdict::Cannot(no_permission()),
            _ => Verdict::CanReview,
        };
    }
    let listed = pending.reviewers.iter().any(|r| r.is_user(me));
    let mine = started_by.is_some_and(|s| s.eq_ignore_ascii_case(me));
    let who = pending
        .reviewers
        .iter()
        .map(RequiredReviewer::describe)
        .collect::<Vec<_>>()
        .join(", ");
    Verdict::Cannot(if listed && mine {
        "You started this run, and this environment prevents self-review: another reviewer must approve it.".into()
    } else if listed && permission == ReviewPermission::No {
        no_permission()
    } else if listed {
        format!("GitHub does not let you review this now (you are a required reviewer). Reviewers: {who}.")
    } else if pending.reviewers.iter().any(RequiredReviewer::is_team) && mine {
        format!("You started this run; if you are in a reviewing team, self-review is prevented here. Reviewers: {who}.")
    } else {
        format!(
            "You are not a required reviewer for {}. Reviewers: {who}.",
            pending.environment.name
        )
    })
}

fn no_permission() -> String {
    "This token cannot review deployments: a classic token needs the repo scope; a fine-grained one “Deployments: read and write” and “Actions: read”.".into()
}

/// Seconds left on the wait timer at `now`, when there is one still counting.
pub fn timer_left(pending: &PendingDeployment, now: Timestamp) -> Option<i64> {
    let started = pending.wait_timer_started_at?;
    let left = i64::from(pending.wait_timer) * 60 - now.seconds_since(started);
    (pending.wait_timer > 0 && left > 0).then_some(left)
}

/// "Wait timer: 4 min 10 s left" / "Wait timer: 5 min, run out".
pub fn timer_text(pending: &PendingDeployment, now: Timestamp) -> Option<String> {
    (pending.wait_timer > 0).then(|| match timer_left(pending, now) {
        Some(left) => format!("Wait timer: {} left", format_duration(left)),
        None => format!(
            "Wait timer: {}, run out",
            count(pending.wait_timer as usize, "minute", "minutes")
        ),
    })
}

/// Seconds after a wait timer runs out at which the list is read again: at once, and once more for a server
/// whose clock is a little behind this browser's.
pub const READ_AFTER_RUN_OUT: [i64; 2] = [0, 5];

/// Whether the list is due a read because a wait timer of `runs` ran out between `before` and `now` (or did so
/// a `READ_AFTER_RUN_OUT` while ago): a run waiting only on its timer, or approved and waiting for it, goes on
/// by itself then.
pub fn timer_ran_out(runs: &[RunUnderReview], before: Timestamp, now: Timestamp) -> bool {
    pending_ran_out(runs.iter().flat_map(|r| &r.pending), before, now)
}

/// [`timer_ran_out`] over the environments `pending` waits on, wherever their runs are kept (the inbox's groups).
pub fn pending_ran_out<'a>(
    pending: impl IntoIterator<Item = &'a PendingDeployment>,
    before: Timestamp,
    now: Timestamp,
) -> bool {
    pending
        .into_iter()
        .filter(|p| p.wait_timer > 0)
        .filter_map(|p| {
            let started = p.wait_timer_started_at?;
            Some(started.plus_seconds(i64::from(p.wait_timer) * 60))
        })
        .any(|end| {
            READ_AFTER_RUN_OUT.iter().any(|after| {
                let at = end.plus_seconds(*after);
                before < at && at <= now
            })
        })
}

/// One waiting run with what it waits on and its past reviews: a card of the reviews view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunUnderReview {
    pub run: WorkflowRun,
    pub pending: Vec<PendingDeployment>,
    pub past: Vec<EnvironmentApproval>,
}

impl RunUnderReview {
    /// The environments `me` may review now, in GitHub's order: what "all" means for this run.
    pub fn reviewable(&self, me: &str, permission: ReviewPermission) -> Vec<&PendingDeployment> {
        self.pending
            .iter()
            .filter(|p| verdict(p, me, self.run.started_by(), permission) == Verdict::CanReview)
            .collect()
    }

    /// The review of the ticked environments, or what is missing.
    pub fn review(
        &self,
        ticked: &[u64],
        state: ReviewState,
        comment: &str,
    ) -> Result<ReviewBody, String> {
        let ids: Vec<u64> = self
            .pending
            .iter()
            .map(|p| p.environment.id)
            .filter(|id| ticked.contains(id))
            .collect();
        if ids.is_empty() {
            return Err("Tick at least one environment to review.".into());
        }
        Ok(ReviewBody {
            environment_ids: ids,
            state,
            comment: comment.trim().to_owned(),
        })
    }

    /// The names of `ids`, in the run's order.
    pub fn names(&self, ids: &[u64]) -> Vec<&str> {
        self.pending
            .iter()
            .filter(|p| ids.contains(&p.environment.id))
            .map(|p| p.environment.name.as_str())
            .collect()
    }
}

/// What the connect check's scopes say about reviewing: a classic token needs `repo`; a fine-grained one's
/// permissions cannot be seen by a web page.
pub fn permission_from_scopes(scopes: Option<&[String]>) -> ReviewPermission {
    match scopes {
        Some(scopes) if scopes.iter().any(|s| s == "repo") => ReviewPermission::Yes,
        Some(_) => ReviewPermission::No,
        None => ReviewPermission::Unknown,
    }
}

/// Seconds between two reads of the waiting runs while the tab is visible: GitHub's `X-Poll-Interval` when it
/// sends one, else 30 s.
pub fn refresh_every(poll_interval: Option<u64>) -> u64 {
    poll_interval.filter(|p| *p > 0).unwrap_or(30)
}

/// What the view says once GitHub accepted a review of `environments`.
pub fn outcome_sentence(state: ReviewState, environments: &[&str], run_title: &str) -> String {
    let list = environments.join(", ");
    match state {
        ReviewState::Approved => format!(
            "Approved {list} for “{run_title}”: the job goes on once any wait timer runs out. Its deployment's page follows its new statuses."
        ),
        ReviewState::Rejected => format!("Rejected {list} for “{run_title}”: the job fails and the run ends."),
    }
}

/// The Actions endpoints of a review (docs/github-api.md §14), built here beside the model they read and
/// write, as `graphql` adds GraphQL's to `Client`.
impl Client {
    /// §14 `GET /repos/{owner}/{repo}/actions/runs?status=waiting`: the runs waiting for a review, newest first.
    pub fn list_waiting_runs(&self, repo: &RepoRef, page: PageRequest) -> HttpRequest {
        let path = format!("{}/actions/runs", Self::repo_path(repo));
        let query = vec![("status", "waiting".to_owned())];
        self.request(Method::Get, &Self::paged(path, page, query))
    }

    /// §14 `GET …/actions/runs/{run_id}/pending_deployments`.
    pub fn pending_deployments(&self, repo: &RepoRef, run: u64) -> HttpRequest {
        let path = format!(
            "{}/actions/runs/{run}/pending_deployments",
            Self::repo_path(repo)
        );
        self.request(Method::Get, &path)
    }

    /// §14 `POST …/actions/runs/{run_id}/pending_deployments`: approve or reject.
    pub fn review_pending_deployments(
        &self,
        repo: &RepoRef,
        run: u64,
        body: &ReviewBody,
    ) -> HttpRequest {
        let path = format!(
            "{}/actions/runs/{run}/pending_deployments",
            Self::repo_path(repo)
        );
        Self::with_json(self.request(Method::Post, &path), body)
    }

    /// §14 `GET …/actions/runs/{run_id}/approvals`: a run's past reviews.
    pub fn run_approvals(&self, repo: &RepoRef, run: u64) -> HttpRequest {
        let path = format!("{}/actions/runs/{run}/approvals", Self::repo_path(repo));
        self.request(Method::Get, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn pending(can: bool, reviewers: serde_json::Value, timer: u32) -> PendingDeployment {
        serde_json::from_value(json!({
            "environment": {"id": 161171787, "node_id": "EN_x", "name": "production", "url": "u", "html_url": "h"},
            "wait_timer": timer,
            "wait_timer_started_at": if timer > 0 { json!("2026-09-21T10:00:00Z") } else { json!(null) },
            "current_user_can_approve": can,
            "reviewers": reviewers,
        }))
        .unwrap()
    }

    fn alice_and_ops() -> serde_json::Value {
        json!([
            {"type": "User", "reviewer": {"login": "alice", "id": 1}},
            {"type": "Team", "reviewer": {"slug": "ops", "name": "Ops", "id": 2}}
        ])
    }

    #[test]
    fn the_verdict_says_why_not_in_words() {
        let yes = pending(true, alice_and_ops(), 0);
        assert_eq!(
            verdict(&yes, "alice", Some("bob"), ReviewPermission::Unknown),
            Verdict::CanReview
        );
        assert!(matches!(
            verdict(&yes, "alice", Some("bob"), ReviewPermission::No),
            Verdict::Cannot(why) if why.contains("needs the repo scope")
        ));
        let no = pending(false, alice_and_ops(), 0);
        assert_eq!(
            verdict(&no, "dave", Some("bob"), ReviewPermission::Yes),
            Verdict::Cannot(
                "You are not a required reviewer for production. Reviewers: alice, team Ops."
                    .into()
            )
        );
        assert!(matches!(
            verdict(&no, "alice", Some("alice"), ReviewPermission::Yes),
            Verdict::Cannot(why) if why.contains("prevents self-review")
        ));
        assert_eq!(
            verdict(
                &pending(false, json!([]), 5),
                "alice",
                None,
                ReviewPermission::Yes
            ),
            Verdict::TimerOnly
        );
    }

    #[test]
    fn the_wait_timer_counts_down_then_says_it_ran_out() {
        let p = pending(true, alice_and_ops(), 5);
        let at = |t: &str| Timestamp::parse(t).unwrap();
        assert_eq!(timer_left(&p, at("2026-09-21T10:01:00Z")), Some(240));
        assert_eq!(
            timer_text(&p, at("2026-09-21T10:01:00Z")).unwrap(),
            format!("Wait timer: {} left", format_duration(240))
        );
        assert_eq!(timer_left(&p, at("2026-09-21T10:05:00Z")), None);
        assert_eq!(
            timer_text(&p, at("2026-09-21T10:06:00Z")).unwrap(),
            "Wait timer: 5 minutes, run out"
        );
        assert_eq!(
            timer_text(
                &pending(true, alice_and_ops(), 0),
                at("2026-09-21T10:06:00Z")
            ),
            None
        );
    }

    fn board_of(pending: Vec<PendingDeployment>) -> RunUnderReview {
        RunUnderReview {
            run: serde_json::from_value(json!({
                "id": 7, "display_title": "Ship", "head_sha": "a", "event": "push", "status": "waiting",
                "actor": {"login": "bob"}, "run_number": 3, "created_at": "2026-09-21T10:00:00Z", "html_url": "h"
            }))
            .unwrap(),
            pending,
            past: vec![],
        }
    }

    #[test]
    fn the_list_is_read_again_when_a_wait_timer_runs_out_and_only_then() {
        let at = |t: &str| Timestamp::parse(t).unwrap();
        let runs = [board_of(vec![
            pending(true, alice_and_ops(), 0),
            pending(false, json!([]), 5),
        ])];
        // Still counting on both sides of the tick.
        assert!(!timer_ran_out(
            &runs,
            at("2026-09-21T10:04:58Z"),
            at("2026-09-21T10:04:59Z")
        ));
        // The tick that reaches zero.
        assert!(timer_ran_out(
            &runs,
            at("2026-09-21T10:04:59Z"),
            at("2026-09-21T10:05:00Z")
        ));
        // Already run out: not on every later tick — only once more, 5 s on.
        assert!(!timer_ran_out(
            &runs,
            at("2026-09-21T10:05:00Z"),
            at("2026-09-21T10:05:01Z")
        ));
        assert!(timer_ran_out(
            &runs,
            at("2026-09-21T10:05:04Z"),
            at("2026-09-21T10:05:05Z")
        ));
        assert!(!timer_ran_out(
            &runs,
            at("2026-09-21T10:05:05Z"),
            at("2026-09-21T10:05:06Z")
        ));
        // A throttled tab's tick that jumps over the end still reads.
        assert!(timer_ran_out(
            &runs,
            at("2026-09-21T10:03:00Z"),
            at("2026-09-21T10:06:00Z")
        ));
        // No timer at all.
        assert!(!timer_ran_out(
            &[board_of(vec![pending(true, alice_and_ops(), 0)])],
            at("2026-09-21T10:00:00Z"),
            at("2026-09-21T11:00:00Z")
        ));
    }

    #[test]
    fn a_review_is_sent_with_every_member_and_past_ones_read_as_sentences() {
        let body = ReviewBody {
            environment_ids: vec![1, 2],
            state: ReviewState::Rejected,
            comment: String::new(),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"environment_ids": [1, 2], "state": "rejected", "comment": ""})
        );
        let past: EnvironmentApproval = serde_json::from_value(json!({
            "environments": [{"id": 1, "name": "production"}, {"id": 2, "name": "staging"}],
            "state": "approved", "user": {"login": "alice"}, "comment": " Ship it! "
        }))
        .unwrap();
        assert_eq!(
            past.sentence(),
            "alice approved production, staging: “Ship it!”"
        );
    }

    #[test]
    fn a_run_s_review_takes_the_ticked_environments_in_order_and_all_means_what_i_may_review() {
        let run: WorkflowRun = serde_json::from_value(json!({
            "id": 7, "display_title": "Ship", "head_sha": "a", "event": "push", "status": "waiting",
            "actor": {"login": "bob"}, "run_number": 3, "created_at": "2026-09-21T10:00:00Z", "html_url": "h"
        }))
        .unwrap();
        let mut staging = pending(false, alice_and_ops(), 0);
        staging.environment = EnvironmentRef {
            id: 2,
            node_id: None,
            name: "staging".into(),
        };
        let board = RunUnderReview {
            run,
            pending: vec![pending(true, alice_and_ops(), 0), staging],
            past: vec![],
        };
        let all: Vec<u64> = board
            .reviewable("alice", ReviewPermission::Unknown)
            .iter()
            .map(|p| p.environment.id)
            .collect();
        assert_eq!(all, [161171787]);
        assert!(board.reviewable("alice", ReviewPermission::No).is_empty());
        let body = board
            .review(&[2, 161171787], ReviewState::Approved, "  ok ")
            .unwrap();
        assert_eq!(body.environment_ids, [161171787, 2]);
        assert_eq!(body.comment, "ok");
        assert_eq!(
            board.names(&body.environment_ids),
            ["production", "staging"]
        );
        assert_eq!(
            board.review(&[], ReviewState::Rejected, ""),
            Err("Tick at least one environment to review.".into())
        );
        assert_eq!(
            permission_from_scopes(Some(&["repo".into()])),
            ReviewPermission::Yes
        );
        assert_eq!(
            permission_from_scopes(Some(&["repo_deployment".into()])),
            ReviewPermission::No
        );
        assert_eq!(permission_from_scopes(None), ReviewPermission::Unknown);
    }

    #[test]
    fn the_list_is_read_again_at_github_s_poll_interval_or_every_30_seconds() {
        assert_eq!(refresh_every(None), 30);
        assert_eq!(refresh_every(Some(0)), 30);
        assert_eq!(refresh_every(Some(60)), 60);
    }

    proptest! {
        /// The timer only counts down, and a clock moving on one second at a time reads the list on the tick
        /// the timer runs out and on the one 5 s later, never on another.
        #[test]
        fn a_wait_timer_counts_down_and_runs_out_on_one_tick(minutes in 1u32..30, start in -100i64..2_000, ticks in 1usize..200) {
            let runs = [board_of(vec![pending(false, json!([]), minutes)])];
            let origin = Timestamp::parse("2026-09-21T10:00:00Z").unwrap();
            let mut ran_out = 0;
            let mut last = timer_left(&runs[0].pending[0], origin.plus_seconds(start));
            for i in 1..=ticks as i64 {
                let (before, now) = (origin.plus_seconds(start + i - 1), origin.plus_seconds(start + i));
                let left = timer_left(&runs[0].pending[0], now);
                prop_assert!(left.unwrap_or(0) <= last.unwrap_or(0));
                let end = i64::from(minutes) * 60;
                if timer_ran_out(&runs, before, now) {
                    ran_out += 1;
                    prop_assert!(READ_AFTER_RUN_OUT.iter().any(|after| start + i == end + after));
                }
                last = left;
            }
            let end = i64::from(minutes) * 60;
            let crossed = READ_AFTER_RUN_OUT
                .iter()
                .filter(|after| start < end + *after && start + ticks as i64 >= end + *after)
                .count();
            prop_assert_eq!(ran_out, crossed);
        }

        /// GitHub's answer decides: whatever the names, a verdict is CanReview only when GitHub said the user can
        /// approve and the token is not known to lack the permission.
        #[test]
        fn only_github_s_yes_offers_a_review(
            can in any::<bool>(),
            me in "[a-z]{1,6}",
            by in proptest::option::of("[a-z]{1,6}"),
            users in proptest::collection::vec("[a-z]{1,6}", 0..3),
            teams in 0usize..2,
            permission in proptest::sample::select(vec![ReviewPermission::Yes, ReviewPermission::No, ReviewPermission::Unknown]),
        ) {
            let mut reviewers: Vec<serde_json::Value> = users.iter().map(|u| json!({"type": "User", "reviewer": {"login": u}})).collect();
            reviewers.extend((0..teams).map(|i| json!({"type": "Team", "reviewer": {"slug": format!("t{i}"), "name": format!("T{i}")}})));
            let p = pending(can, json!(reviewers), 0);
            let v = verdict(&p, &me, by.as_deref(), permission);
            let offered = v == Verdict::CanReview;
            prop_assert_eq!(offered, can && !p.reviewers.is_empty() && permission != ReviewPermission::No);
            if let Verdict::Cannot(why) = v {
                prop_assert!(!why.is_empty() && why.ends_with('.'));
            }
        }
    }
}
