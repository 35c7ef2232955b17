//! Workflow runs whose jobs wait for an environment's protection rules — required reviewers (users and teams),
//! a wait timer, "prevent self-review" — and the deployments those jobs create (docs/github-api.md §14).
//!
//! A run waits on one gate per protected environment. A gate opens when its reviewers approved it (one
//! reviewer is enough) and its wait timer has run out; then its deployment goes `in_progress` and, by the
//! `approval_outcome` setting, on to `success` with the run completed. A rejection fails the gate's
//! deployment and the run. Time is only looked at when a request comes (`Hub::advance_runs`).

use deploydeck_wire::model::DeploymentState;
use deploydeck_wire::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Hub, NewStatus};

/// What an approval leads to, which GitHub does not document: the job starts (`in_progress`, the run goes on)
/// or, as a client polling later sees it, has already finished (`success`, the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalOutcome {
    InProgress,
    #[default]
    Success,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: u64,
    pub org: String,
    pub slug: String,
    pub name: String,
    pub members: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u64,
    pub workflow_id: u64,
    /// The workflow's name.
    pub name: String,
    /// `.github/workflows/deploy.yml`.
    pub path: String,
    pub display_title: String,
    pub head_branch: String,
    pub head_sha: String,
    pub event: String,
    pub actor: u64,
    pub run_number: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// `None` while the run goes on; `success` or `failure` once it completed.
    pub conclusion: Option<&'static str>,
    pub gates: Vec<Gate>,
    /// Oldest first.
    pub reviews: Vec<Review>,
    /// 1, and one more for each re-run.
    pub attempt: u64,
    /// Deployments its re-runs made (its first attempt's are the gates').
    pub rerun_deployments: Vec<u64>,
    /// The pull request it belongs to, by number.
    pub pull_request: Option<u64>,
}

/// One protected environment a run's job waits on, and the deployment the job created for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub environment: u64,
    pub deployment: u64,
    pub started_at: Timestamp,
    pub decision: Decision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Pending,
    /// Approved, waiting for its timer.
    Approved,
    Rejected,
    /// Its job went on.
    Open,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub environments: Vec<u64>,
    pub approved: bool,
    pub user: u64,
    pub comment: String,
}

impl Run {
    pub fn status(&self) -> &'static str {
        if self.conclusion.is_some() {
            "completed"
        } else if self.gates.iter().any(|g| g.is_waiting()) {
            "waiting"
        } else {
            "in_progress"
        }
    }

    pub fn gate(&self, environment: u64) -> Option<&Gate> {
        self.gates.iter().find(|g| g.environment == environment)
    }
}

impl Gate {
    pub fn is_waiting(&self) -> bool {
        matches!(self.decision, Decision::Pending | Decision::Approved)
    }
}

/// A review as asked: `{environment_ids, state, comment}` and who asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAsked {
    pub environments: Vec<u64>,
    pub approved: bool,
    pub comment: String,
    pub user: u64,
}

/// Why a review is refused (docs/github-api.md §14: our readings of GitHub's refusals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// The run waits on none of these environments any more (decided, or the run ended).
    NotWaiting,
    /// An id that is not one of the run's environments.
    UnknownEnvironment(u64),
    NotReviewer(String),
    SelfReview(String),
}

impl Hub {
    /// Whether `user` may review `environment`'s gate of `run`: a required reviewer (or a member of a required
    /// team), and not the run's own actor where self-review is prevented.
    pub fn can_review(
        &self,
        repo: usize,
        run: &Run,
        environment: u64,
        user: u64,
    ) -> Result<(), ReviewRefusal> {
        let Some(env) = self.repos[repo]
            .environments
            .iter()
            .find(|e| e.id == environment)
        else {
            return Err(ReviewRefusal::UnknownEnvironment(environment));
        };
        let reviewer = env.reviewers.contains(&user)
            || env.reviewer_teams.iter().any(|t| {
                self.teams
                    .iter()
                    .any(|team| team.id == *t && team.members.contains(&user))
            });
        if !reviewer {
            return Err(ReviewRefusal::NotReviewer(env.name.clone()));
        }
        if env.prevent_self_review && run.actor == user {
            return Err(ReviewRefusal::SelfReview(env.name.clone()));
        }
        Ok(())
    }

    /// Approves or rejects environments of a run for a user (review-pending-deployments): every one must wait
    /// and be the user's to review, or nothing changes. Returns the ids of the deployments it decided.
    pub fn review(
        &mut self,
        repo: usize,
        run_id: u64,
        asked: &ReviewAsked,
        now: Timestamp,
    ) -> Result<Vec<u64>, ReviewRefusal> {
        let ReviewAsked {
            environments,
            approved,
            comment,
            user,
        } = asked;
        let (environments, approved, user) = (environments.as_slice(), *approved, *user);
        let Some(run) = self.repos[repo].runs.iter().find(|r| r.id == run_id) else {
            return Err(ReviewRefusal::NotWaiting);
        };
        if run.conclusion.is_some() || environments.is_empty() {
            return Err(ReviewRefusal::NotWaiting);
        }
        for &environment in environments {
            match run.gate(environment) {
                None if !self.repos[repo]
                    .environments
                    .iter()
                    .any(|e| e.id == environment) =>
                {
                    return Err(ReviewRefusal::UnknownEnvironment(environment))
                }
                Some(g) if g.decision == Decision::Pending => {}
                _ => return Err(ReviewRefusal::NotWaiting),
            }
            self.can_review(repo, run, environment, user)?;
        }
        let run = self.repos[repo]
            .runs
            .iter_mut()
            .find(|r| r.id == run_id)
            .expect("found above");
        run.reviews.push(Review {
            environments: environments.to_vec(),
            approved,
            user,
            comment: comment.clone(),
        });
        run.updated_at = now;
        let mut decided = Vec::new();
        for gate in run
            .gates
            .iter_mut()
            .filter(|g| environments.contains(&g.environment))
        {
            gate.decision = if approved {
                Decision::Approved
            } else {
                Decision::Rejected
            };
            decided.push(gate.deployment);
        }
        if !approved {
            run.conclusion = Some("failure");
            for &deployment in &decided {
                self.job_status(
                    repo,
                    deployment,
                    DeploymentState::Failure,
                    "Rejected by a reviewer",
                    now,
                );
            }
        }
        self.advance_runs(now);
        Ok(decided)
    }

    /// Opens every gate whose reviewers approved (or that has none) once its wait timer has run out, and
    /// completes runs with nothing left to wait for, as `approval_outcome` says.
    pub fn advance_runs(&mut self, now: Timestamp) {
        let outcome = self.settings.approval_outcome;
        for repo in 0..self.repos.len() {
            let mut opened = Vec::new();
            let environments = self.repos[repo].environments.clone();
            for run in self.repos[repo]
                .runs
                .iter_mut()
                .filter(|r| r.conclusion.is_none())
            {
                for gate in run.gates.iter_mut() {
                    let Some(env) = environments.iter().find(|e| e.id == gate.environment) else {
                        continue;
                    };
                    let reviewed = env.reviewers.is_empty() && env.reviewer_teams.is_empty()
                        || gate.decision == Decision::Approved;
                    let timer_done = now.seconds_since(gate.started_at)
                        >= i64::from(env.wait_timer.unwrap_or(0)) * 60;
                    if gate.is_waiting() && reviewed && timer_done {
                        gate.decision = Decision::Open;
                        opened.push(gate.deployment);
                        run.updated_at = now;
                    }
                }
                if !opened.is_empty()
                    && outcome == ApprovalOutcome::Success
                    && run.gates.iter().all(|g| g.decision == Decision::Open)
                {
                    run.conclusion = Some("success");
                }
            }
            for deployment in opened {
                self.job_status(
                    repo,
                    deployment,
                    DeploymentState::InProgress,
                    "The job started",
                    now,
                );
                if outcome == ApprovalOutcome::Success {
                    self.job_status(
                        repo,
                        deployment,
                        DeploymentState::Success,
                        "The job finished",
                        now,
                    );
                }
            }
        }
    }

    fn job_status(
        &mut self,
        repo: usize,
        deployment: u64,
        state: DeploymentState,
        description: &str,
        now: Timestamp,
    ) {
        let actions = self.add_user("github-actions[bot]", crate::hub::UserKind::Bot, None);
        self.add_status(
            repo,
            deployment,
            actions,
            NewStatus {
                description: Some(description.to_owned()),
                ..NewStatus::with_state(state)
            },
            now,
        );
    }

    /// re-run-a-workflow (docs/github-api.md §16): the run starts again for the same commit, and its job
    /// deploys again to each environment it deployed to (a new deployment by github-actions[bot], `in_progress`
    /// then `success`). GitHub refuses a run created more than 30 days ago and one still going.
    pub fn rerun(&mut self, repo: usize, run_id: u64, now: Timestamp) -> Result<(), RerunRefusal> {
        let actions = self.add_user("github-actions[bot]", crate::hub::UserKind::Bot, None);
        let r = &self.repos[repo];
        let run = r
            .runs
            .iter()
            .find(|x| x.id == run_id)
            .ok_or(RerunRefusal::NotFound)?;
        if now.unix() - run.created_at.unix() > RERUN_WINDOW_S {
            return Err(RerunRefusal::TooOld);
        }
        if run.conclusion.is_none() {
            return Err(RerunRefusal::Running);
        }
        let earlier: Vec<crate::hub::Deployment> = run
            .gates
            .iter()
            .filter_map(|g| r.deployment(g.deployment).cloned())
            .collect();
        let mut made = Vec::new();
        for d in earlier {
            let id = self.next_deployment_id;
            self.next_deployment_id += 1;
            self.repos[repo].deployments.push(crate::hub::Deployment {
                id,
                creator: actions,
                created_at: now,
                updated_at: now,
                statuses: Vec::new(),
                description: None,
                ..d
            });
            for state in [DeploymentState::InProgress, DeploymentState::Success] {
                self.add_status(repo, id, actions, NewStatus::with_state(state), now);
            }
            made.push(id);
        }
        if let Some(run) = self.repos[repo].runs.iter_mut().find(|x| x.id == run_id) {
            run.attempt += 1;
            run.updated_at = now;
            run.conclusion = Some("success");
            run.rerun_deployments.extend(made);
        }
        Ok(())
    }
}

/// GitHub re-runs a workflow run up to 30 days after it started (docs/github-api.md §16).
pub const RERUN_WINDOW_S: i64 = 30 * 24 * 3600;

/// Why a re-run is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RerunRefusal {
    NotFound,
    TooOld,
    Running,
}
