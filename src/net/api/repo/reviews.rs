//! The runs waiting for a reviewer and their decisions (docs/github-api.md §14).

use deploydeck_core::model::Deployment;
use deploydeck_core::request::PageRequest;
use deploydeck_core::response::{decode, poll_interval, ApiError};
use deploydeck_core::reviews::{ReviewBody, RunUnderReview, WorkflowRun, WorkflowRunList};

use crate::net::fan_out;

use super::RepoApi;

/// Waiting runs whose pending deployments and past reviews are read at once (two requests each).
pub(super) const RUN_READERS: usize = 2;

impl RepoApi {
    /// The runs waiting for a review (the newest 100), each with what it waits on and its past reviews, two
    /// runs at a time (docs/github-api.md §14).
    /// Also GitHub's `X-Poll-Interval` on the list, when it sends one.
    pub async fn runs_under_review(&self) -> Result<(Vec<RunUnderReview>, Option<u64>), ApiError> {
        let (runs, poll) = self.waiting_list().await?;
        let this = self.clone();
        let boards = fan_out::all(
            runs,
            RUN_READERS,
            move |run| {
                let this = this.clone();
                async move { this.run_under_review(run, true).await }
            },
            |_, _| {},
        )
        .await?;
        // A run decided between the list and its own read waits on nothing any more.
        let boards = boards.into_iter().filter(|b| !b.pending.is_empty());
        Ok((boards.collect(), poll))
    }

    /// The runs waiting for a review (the newest 100), as listed, and GitHub's `X-Poll-Interval` on the list.
    pub async fn waiting_list(&self) -> Result<(Vec<WorkflowRun>, Option<u64>), ApiError> {
        let answer = self
            .api
            .send(
                self.client()
                    .list_waiting_runs(&self.repo, PageRequest::new(100, 1)),
            )
            .await;
        let poll = poll_interval(&answer);
        let list: WorkflowRunList = decode(&answer)?;
        Ok((list.workflow_runs, poll))
    }

    /// One waiting run with what it waits on and, when `past`, its past reviews (two reads, else one).
    pub(crate) async fn run_under_review(
        &self,
        run: WorkflowRun,
        past: bool,
    ) -> Result<RunUnderReview, ApiError> {
        let client = self.client();
        let pending = decode(
            &self
                .api
                .send(client.pending_deployments(&self.repo, run.id))
                .await,
        )?;
        let past = if past {
            decode(
                &self
                    .api
                    .send(client.run_approvals(&self.repo, run.id))
                    .await,
            )?
        } else {
            Vec::new()
        };
        Ok(RunUnderReview { run, pending, past })
    }

    /// How many runs wait for a review (one item read: the list's `total_count`).
    pub async fn waiting_runs_count(&self) -> Result<u64, ApiError> {
        let answer = self
            .api
            .send(
                self.client()
                    .list_waiting_runs(&self.repo, PageRequest::new(1, 1)),
            )
            .await;
        decode::<WorkflowRunList>(&answer).map(|list| list.total_count)
    }

    /// Approves or rejects some of a run's environments: the deployments GitHub decided.
    pub async fn review(&self, run: u64, body: &ReviewBody) -> Result<Vec<Deployment>, ApiError> {
        decode(
            &self
                .api
                .send(
                    self.client()
                        .review_pending_deployments(&self.repo, run, body),
                )
                .await,
        )
    }
}
