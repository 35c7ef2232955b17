//! The review inbox's reads and decisions (core `reviews::inbox`): every pinned repository's list of waiting
//! runs, then what each run waits on — each step one bounded fan-out over all the repositories, not a
//! repository after another; a group decision in one GraphQL request, or a review at a time through REST.
//! Every read is conditional (core's `ConditionalCache`): an unchanged list is a 304 and costs no quota. A
//! repository that cannot be read says so in its own line; a run gone between its list and its read is left
//! out; the first failure that is not about one repository (the token, the quota, the network) ends the read.

use deploydeck_core::fleet::rest_row_error;
use deploydeck_core::response::{error_from, ApiError};
use deploydeck_core::reviews::{read_review_runs, GroupPlan, GroupRun, InboxRun, WorkflowRun};
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use super::api::Api;
use super::fan_out;

/// Reads in flight at once, as many as the transport lets through (core's `Pacing`: 12).
const AT_ONCE: usize = 12;

/// What the inbox read: the waiting runs of every repository that answered, why each other one did not, and
/// the longest `X-Poll-Interval` GitHub asked for.
#[derive(Debug, Clone, Default)]
pub struct InboxRead {
    pub runs: Vec<InboxRun>,
    pub problems: Vec<String>,
    pub poll: Option<u64>,
}

impl Api {
    /// The runs waiting for a review in `repos` (the newest 100 of each).
    pub async fn inbox(&self, repos: &[RepoRef]) -> Result<InboxRead, ApiError> {
        let this = self.clone();
        let lists = fan_out::all(
            repos.to_vec(),
            AT_ONCE,
            move |repo| {
                let gh = this.repo(&repo);
                async move {
                    match gh.waiting_list().await {
                        Ok((runs, poll)) => Ok(Ok((repo, runs, poll))),
                        Err(error) => rest_row_error(&repo, error).map(Err),
                    }
                }
            },
            |_, _| {},
        )
        .await?;
        let mut read = InboxRead::default();
        let mut asks: Vec<(RepoRef, WorkflowRun)> = Vec::new();
        for list in lists {
            match list {
                Ok((repo, runs, poll)) => {
                    read.poll = read.poll.max(poll);
                    asks.extend(runs.into_iter().map(|run| (repo.clone(), run)));
                }
                Err(problem) => read.problems.push(problem),
            }
        }
        let this = self.clone();
        let boards = fan_out::all(
            asks,
            AT_ONCE,
            move |(repo, run)| {
                let gh = this.repo(&repo);
                async move {
                    match gh.run_under_review(run, false).await {
                        Ok(board) => Ok(Some(InboxRun { repo, board })),
                        // Deleted, or out of reach, since it was listed: nothing waits there any more.
                        Err(ApiError::NotFound { .. }) => Ok(None),
                        Err(error) => Err(error),
                    }
                }
            },
            |_, _| {},
        )
        .await?;
        // A run decided between the list and its own read waits on nothing any more.
        read.runs = boards
            .into_iter()
            .flatten()
            .filter(|r| !r.board.pending.is_empty())
            .collect();
        Ok(read)
    }
}

impl Api {
    /// Sends the group decision in `decision` and records each run's answer there as it comes: every review in
    /// one GraphQL request where this host reads through GraphQL and GitHub gave each run's GraphQL ids (one
    /// write instead of one a second on github.com), else — or when that request never ran — one at a time
    /// through REST, paced as every write is.
    pub async fn decide(&self, decision: RwSignal<Option<GroupRun>>) {
        let batch = if self.graphql_writable().await {
            decision
                .try_update(|d| d.as_mut().map(GroupRun::next_batch))
                .flatten()
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        if !batch.is_empty() {
            let plan = decision
                .try_with_untracked(|d| d.as_ref().map(|r| r.plan().clone()))
                .flatten();
            let answers = match plan {
                Some(plan) => self.review_runs(&plan, &batch).await,
                None => None,
            };
            decision.try_update(|d| {
                let Some(run) = d else { return };
                match &answers {
                    Some(Ok(answers)) => {
                        for (index, answer) in batch.iter().zip(answers) {
                            run.record_at(*index, answer.as_ref().map(|_| ()));
                        }
                    }
                    Some(Err(error)) => {
                        for index in &batch {
                            run.record_at(*index, Err(error));
                        }
                    }
                    None => run.release(),
                }
            });
        }
        loop {
            let next = decision
                .try_update(|d| d.as_mut().and_then(|r| r.next_item().cloned()))
                .flatten();
            let Some(item) = next else { break };
            let answer = self.repo(&item.repo).review(item.run, &item.body).await;
            decision.try_update(|d| {
                if let Some(run) = d {
                    run.record(answer.as_ref().map(|_| ()));
                }
            });
        }
    }

    /// The reviews of `plan`'s `items` in one GraphQL request: each run's answer, in order; `Err` when no answer
    /// came (whether GitHub took them is not known); `None` when the request cannot go or did not run (no
    /// GraphQL ids, GraphQL refused or absent here, its own limit): send them through REST.
    async fn review_runs(
        &self,
        plan: &GroupPlan,
        items: &[usize],
    ) -> Option<Result<Vec<Result<(), ApiError>>, ApiError>> {
        let request = self.client().review_runs(plan, items)?;
        let response = self.send(request).await;
        match read_review_runs(&response, items.len()) {
            Ok(answers) => Some(Ok(answers)),
            // Sent, and no answer to read: it may have run.
            Err(_) if matches!(response.status, 0 | 502 | 504) => Some(Err(error_from(&response))),
            Err(_) => None,
        }
    }
}
