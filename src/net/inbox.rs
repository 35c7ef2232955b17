//! The review inbox's reads (core `reviews::inbox`): every pinned repository's waiting runs with what each
//! waits on, a few repositories at a time. Every read is conditional (core's `ConditionalCache`): an unchanged
//! list is a 304 and costs no quota. A repository that cannot be read says so in its own line; the first
//! failure that is not about one repository (the token, the quota, the network) ends the read.

use deploydeck_core::fleet::rest_row_error;
use deploydeck_core::response::ApiError;
use deploydeck_core::reviews::InboxRun;
use deploydeck_core::validate::RepoRef;

use super::api::Api;
use super::fan_out;

/// Repositories read at once (each reads its runs' pending deployments two at a time).
const REPOS_AT_ONCE: usize = 4;

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
        let answers = fan_out::all(
            repos.to_vec(),
            REPOS_AT_ONCE,
            move |repo| {
                let gh = this.repo(&repo);
                async move {
                    match gh.waiting_runs(false).await {
                        Ok((boards, poll)) => Ok(Ok((repo, boards, poll))),
                        Err(error) => rest_row_error(&repo, error).map(Err),
                    }
                }
            },
            |_, _| {},
        )
        .await?;
        let mut read = InboxRead::default();
        for answer in answers {
            match answer {
                Ok((repo, boards, poll)) => {
                    read.poll = read.poll.max(poll);
                    read.runs.extend(boards.into_iter().map(|board| InboxRun {
                        repo: repo.clone(),
                        board,
                    }));
                }
                Err(problem) => read.problems.push(problem),
            }
        }
        Ok(read)
    }
}
