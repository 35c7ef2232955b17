//! What will ship and doing a deployment again (docs/github-api.md §16): what an environment runs now, a page
//! of GitHub's compare (kept by ETag: asking again costs no quota), a run's age and its re-run. Core builds
//! each request and reads each answer (`deploydeck_core::ship`).

use deploydeck_core::model::{Deployment, DeploymentId};
use deploydeck_core::request::PageRequest;
use deploydeck_core::response::{decode, decode_empty, ApiError};
use deploydeck_core::ship::{lists_leaving, CommitSha, Comparison, RunAge, Shipping};

use super::environments::in_environment;
use super::RepoApi;

/// How many of an environment's newest deployments are looked at to find the one it runs.
const LIVE_LOOKS: usize = 100;

impl RepoApi {
    /// What `environment` runs now: the newest of its latest 100 deployments whose latest state is `success`
    /// (docs/github-api.md §9); `None` when none is (read as `is_live` reads the newer ones: `first_success`).
    pub async fn live_in(&self, environment: &str) -> Result<Option<Deployment>, ApiError> {
        let mut newest: Vec<Deployment> = Vec::new();
        let first = self.first_deployments(&in_environment(environment));
        self.api
            .pages(first, decode, |page: Vec<Deployment>| {
                newest.extend(page);
                newest.len() < LIVE_LOOKS
            })
            .await?;
        newest.truncate(LIVE_LOOKS);
        self.first_success(newest).await
    }

    /// What deploying commit `sha` to `environment` would change: what runs there now, compared with it, and
    /// the first page of the commits that arrive (or, for a rollback, that leave). `this`: the deployment of
    /// that commit being looked at, if any (when it is what runs, that is said).
    pub async fn what_will_ship(
        &self,
        environment: &str,
        sha: &str,
        this: Option<DeploymentId>,
    ) -> Result<Shipping, ApiError> {
        let Some(live) = self.live_in(environment).await? else {
            return Ok(Shipping::First);
        };
        if Some(live.id) == this {
            return Ok(Shipping::Live);
        }
        let mut comparison = self.compare(&live.sha, sha, 1).await?;
        // The commits listed: those that arrive (this page's own), or for a rollback those that leave — the
        // same compare the other way round.
        let (range, total, listed) = if lists_leaving(comparison.relation) {
            let leaving = self.compare(sha, &live.sha, 1).await?;
            (
                (sha.to_owned(), live.sha.clone()),
                leaving.ahead_by,
                leaving.commits,
            )
        } else {
            let arriving = std::mem::take(&mut comparison.commits);
            (
                (live.sha.clone(), sha.to_owned()),
                comparison.ahead_by,
                arriving,
            )
        };
        Ok(Shipping::Compared {
            live: live.id,
            comparison,
            listed,
            range,
            total,
        })
    }

    /// [`RepoApi::what_will_ship`] for a ref as typed (a branch, tag or SHA): the commit it names first.
    pub async fn what_ref_will_ship(
        &self,
        environment: &str,
        git_ref: &str,
    ) -> Result<Shipping, ApiError> {
        let request = self.client().get_commit(&self.repo, git_ref)?;
        match decode(&self.api.send(request).await) {
            Ok(CommitSha(sha)) => self.what_will_ship(environment, &sha, None).await,
            Err(ApiError::NotFound { .. } | ApiError::Validation { .. }) => {
                Ok(Shipping::NoSuchRef(git_ref.to_owned()))
            }
            Err(other) => Err(other),
        }
    }

    /// Page `page` of GitHub's compare of two commits (100 commits a page, oldest first).
    pub async fn compare(&self, base: &str, head: &str, page: u32) -> Result<Comparison, ApiError> {
        let request = self.client().compare(&self.repo, base, head, page)?;
        decode(&self.api.send(request).await)
    }

    /// The newest deployment of `environment` (one item; asked again, a free 304 while nothing changed).
    pub async fn newest_in(&self, environment: &str) -> Result<Option<Deployment>, ApiError> {
        let request = self.client().list_deployments(
            &self.repo,
            &in_environment(environment),
            PageRequest::new(1, 1),
        );
        Ok(decode::<Vec<Deployment>>(&self.api.send(request).await)?
            .into_iter()
            .next())
    }

    /// A workflow run's start and outcome (what its re-run needs to know first).
    pub async fn run_age(&self, run: u64) -> Result<RunAge, ApiError> {
        decode(&self.api.send(self.client().get_run(&self.repo, run)).await)
    }

    /// Re-runs a workflow run: GitHub answers 201 and the run starts again for the same commit.
    pub async fn rerun(&self, run: u64) -> Result<(), ApiError> {
        decode_empty(&self.api.send(self.client().rerun(&self.repo, run)).await)
    }
}
