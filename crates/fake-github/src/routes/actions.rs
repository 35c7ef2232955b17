//! The Actions endpoints a reviewer needs (docs/github-api.md §14): workflow runs, a run's pending deployments,
//! the review of them, and a run's past reviews.

use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::paging::{paginate, parse_id, parse_query};
use super::read::json_object;
use super::reply::{ErrorBody, Reply, DOC_REST};
use crate::bodies;
use crate::hub::runs::{Decision, ReviewAsked, ReviewRefusal, Run};
use crate::hub::{Ctx, Hub, Repo};

pub(super) const DOC_RUNS: &str =
    "https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository";
pub(super) const DOC_RUN: &str =
    "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run";
pub(super) const DOC_PENDING: &str =
    "https://docs.github.com/rest/actions/workflow-runs#get-pending-deployments-for-a-workflow-run";
pub(super) const DOC_REVIEW: &str =
    "https://docs.github.com/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run";
pub(super) const DOC_APPROVALS: &str =
    "https://docs.github.com/rest/actions/workflow-runs#get-the-review-history-for-a-workflow-run";

/// The documentation URL for an Actions path (`rest` after `actions/`).
pub(super) fn doc_for(rest: &[&str]) -> &'static str {
    match rest {
        ["runs"] => DOC_RUNS,
        ["runs", _] => DOC_RUN,
        ["runs", _, "pending_deployments"] => DOC_PENDING,
        ["runs", _, "approvals"] => DOC_APPROVALS,
        _ => DOC_REST,
    }
}

impl Hub {
    /// list-workflow-runs-for-a-repository: newest first, `status` filtering by status or conclusion.
    pub(super) fn list_runs(&self, ctx: &Ctx, index: usize, path: &str, query: &str) -> Reply {
        let repo = &self.repos[index];
        let params = parse_query(query);
        let wanted = params
            .iter()
            .find(|(k, _)| k == "status")
            .map(|(_, v)| v.as_str());
        let runs: Vec<_> = repo
            .runs
            .iter()
            .rev()
            .filter(|r| wanted.is_none_or(|w| r.status() == w || r.conclusion == Some(w)))
            .collect();
        let total = runs.len();
        let reply = paginate(ctx, path, &params, total, |range| {
            let page: Vec<_> = runs[range]
                .iter()
                .map(|r| bodies::workflow_run(self, ctx, repo, r))
                .collect();
            serde_json::to_vec(&json!({"total_count": total, "workflow_runs": page}))
        });
        match self.settings.poll_interval_s {
            Some(seconds) => reply.header("x-poll-interval", seconds.to_string()),
            None => reply,
        }
    }

    pub(super) fn get_run(&self, ctx: &Ctx, index: usize, id: &str) -> Reply {
        let repo = &self.repos[index];
        match find_run(repo, id) {
            Some(run) => Reply::json(200, &bodies::workflow_run(self, ctx, repo, run)),
            None => Reply::not_found(DOC_RUN),
        }
    }

    /// get-pending-deployments-for-a-workflow-run: the gates still waiting, with whether the caller can
    /// approve each.
    pub(super) fn pending_deployments(
        &self,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
        id: &str,
    ) -> Reply {
        let repo = &self.repos[index];
        let Some(run) = find_run(repo, id) else {
            return Reply::not_found(DOC_PENDING);
        };
        let pending: Vec<Value> = run
            .gates
            .iter()
            .filter(|g| g.is_waiting() && run.conclusion.is_none())
            .filter_map(|g| {
                let env = repo.environments.iter().find(|e| e.id == g.environment)?;
                let can = g.decision == Decision::Pending
                    && caller
                        .user
                        .is_some_and(|u| self.can_review(index, run, env.id, u).is_ok());
                Some(json!({
                    "environment": bodies::environment_reference(ctx, repo, env),
                    "wait_timer": env.wait_timer.unwrap_or(0),
                    "wait_timer_started_at": env.wait_timer.map(|_| g.started_at),
                    "current_user_can_approve": can,
                    "reviewers": bodies::reviewers(self, ctx, env),
                }))
            })
            .collect();
        Reply::json(200, &pending)
    }

    /// review-pending-deployments-for-a-workflow-run: `{environment_ids, state, comment}`, all required.
    pub(super) fn review_route(
        &mut self,
        request: &super::HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
        id: &str,
    ) -> Reply {
        let body = match json_object(request) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let (environments, approved, comment) = match read_review(&body) {
            Ok(review) => review,
            Err(detail) => return Reply::invalid(&detail, DOC_REVIEW),
        };
        let Some(run_id) =
            parse_id(id).filter(|id| self.repos[index].runs.iter().any(|r| r.id == *id))
        else {
            return Reply::not_found(DOC_REVIEW);
        };
        let asked = ReviewAsked {
            environments,
            approved,
            comment,
            user: caller.user.unwrap_or(0),
        };
        match self.review(index, run_id, &asked, ctx.now) {
            Ok(decided) => {
                let repo = &self.repos[index];
                let body: Vec<_> = decided
                    .iter()
                    .filter_map(|id| repo.deployment(*id))
                    .map(|d| bodies::deployment(self, ctx, repo, d))
                    .collect();
                Reply::json(200, &body)
            }
            Err(refusal) => refused(refusal),
        }
    }

    /// get-the-review-history-for-a-workflow-run: oldest first.
    pub(super) fn approvals(&self, ctx: &Ctx, index: usize, id: &str) -> Reply {
        let repo = &self.repos[index];
        let Some(run) = find_run(repo, id) else {
            return Reply::not_found(DOC_APPROVALS);
        };
        let reviews: Vec<Value> = run
            .reviews
            .iter()
            .map(|r| {
                let environments: Vec<Value> = r
                    .environments
                    .iter()
                    .filter_map(|e| repo.environments.iter().find(|x| x.id == *e))
                    .map(|e| bodies::environment_reference(ctx, repo, e))
                    .collect();
                json!({
                    "environments": environments,
                    "state": if r.approved { "approved" } else { "rejected" },
                    "user": self.user(r.user).map(|u| bodies::simple_user(ctx, u)),
                    "comment": r.comment,
                })
            })
            .collect();
        Reply::json(200, &reviews)
    }
}

/// The run `id` (as written in the path) names, if the repository has it.
fn find_run<'r>(repo: &'r Repo, id: &str) -> Option<&'r Run> {
    parse_id(id).and_then(|id| repo.runs.iter().find(|r| r.id == id))
}

/// The body's three required members, checked as GitHub's JSON schema does (`Invalid request.` 422s).
fn read_review(body: &Map<String, Value>) -> Result<(Vec<u64>, bool, String), String> {
    for name in ["environment_ids", "state", "comment"] {
        if !body.contains_key(name) {
            return Err(format!("\"{name}\" wasn't supplied."));
        }
    }
    let ids = match &body["environment_ids"] {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_u64()
                    .ok_or_else(|| format!("For 'items', {v} is not an integer."))
            })
            .collect::<Result<Vec<_>, _>>()?,
        other => {
            return Err(format!(
                "For 'properties/environment_ids', {other} is not an array."
            ))
        }
    };
    let approved = match &body["state"] {
        Value::String(s) if s == "approved" => true,
        Value::String(s) if s == "rejected" => false,
        other => {
            return Err(format!(
                "For 'properties/state', {other} is not a member of [\"approved\", \"rejected\"]."
            ))
        }
    };
    let comment = match &body["comment"] {
        Value::String(s) => s.clone(),
        other => {
            return Err(format!(
                "For 'properties/comment', {other} is not a string."
            ))
        }
    };
    Ok((ids, approved, comment))
}

/// A refused review, in GitHub's error shape (docs/github-api.md §14: the wording is our reading).
fn refused(refusal: ReviewRefusal) -> Reply {
    Reply::json(
        422,
        &ErrorBody::new(422, &refusal_message(refusal), DOC_REVIEW),
    )
}

/// A refused review's words, the same in REST and GraphQL (our reading).
pub(super) fn refusal_message(refusal: ReviewRefusal) -> String {
    match refusal {
        ReviewRefusal::NotWaiting => "There are no pending deployment requests to approve or reject".to_owned(),
        ReviewRefusal::UnknownEnvironment(id) => {
            format!("Environment {id} is not an environment this workflow run is waiting on")
        }
        ReviewRefusal::NotReviewer(env) => {
            format!("You are not a required reviewer for the {env} environment")
        }
        ReviewRefusal::SelfReview(env) => format!(
            "You cannot approve your own deployment to the {env} environment: self-review is prevented"
        ),
    }
}
