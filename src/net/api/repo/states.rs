//! Latest states and every status: through GraphQL a hundred at a time, else through REST a few at a time
//! (docs/github-api.md §13).

use std::collections::HashMap;

use deploydeck_core::graphql::{batches, read_states, StatesRead};
use deploydeck_core::http::HttpRequest;
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentStatus, Latest};
use deploydeck_core::request::PageRequest;
use deploydeck_core::response::{decode_page, ApiError};
use deploydeck_core::rules::DeploymentRecord;

use crate::net::fan_out;

use super::RepoApi;

/// Latest-state reads a fan-out keeps in flight at once (core's budget bounds them again).
pub(super) const STATE_READERS: usize = 6;

/// GraphQL state reads (100 deployments each) a bulk read keeps in flight at once.
pub(super) const STATE_BATCHES: usize = 4;

/// Hears latest states as they are read, a batch at a time.
pub type HearStates = std::rc::Rc<dyn Fn(&[(DeploymentId, Option<Latest>)])>;

/// Each deployment's REST id with its node id (GraphQL's `id`).
pub(super) fn ids_and_nodes(deployments: &[Deployment]) -> Vec<(DeploymentId, &str)> {
    deployments
        .iter()
        .map(|d| (d.id, d.node_id.as_str()))
        .collect()
}

impl RepoApi {
    /// Each deployment with its latest status, in the order given (as [`RepoApi::latest_states`] reads them).
    pub async fn with_latest_states(
        &self,
        deployments: Vec<Deployment>,
        each: impl Fn(&[(DeploymentId, Option<Latest>)]) + 'static,
    ) -> Result<Vec<DeploymentRecord>, ApiError> {
        let mut known = self.latest_states(&deployments, each).await?;
        Ok(deployments
            .into_iter()
            .map(|deployment| DeploymentRecord {
                latest_status: known.remove(&deployment.id).flatten(),
                deployment,
            })
            .collect())
    }

    /// The latest status of each of `deployments`: through GraphQL, one request per 100 (docs/github-api.md
    /// §13); what GraphQL could not give (it cannot be used on this host, or a deployment did not resolve)
    /// through REST, a few at a time. `each` hears the states as they arrive, a batch at a time (so a caller
    /// keeps what was read even if a later read fails). The first failure ends it.
    pub async fn latest_states(
        &self,
        deployments: &[Deployment],
        each: impl Fn(&[(DeploymentId, Option<Latest>)]) + 'static,
    ) -> Result<HashMap<DeploymentId, Option<Latest>>, ApiError> {
        self.states_of(&ids_and_nodes(deployments), each).await
    }

    /// [`RepoApi::latest_states`] by REST id and node id (what a caller holding many deployments keeps apart
    /// rather than copying them).
    pub async fn states_of(
        &self,
        wanted: &[(DeploymentId, impl AsRef<str>)],
        each: impl Fn(&[(DeploymentId, Option<Latest>)]) + 'static,
    ) -> Result<HashMap<DeploymentId, Option<Latest>>, ApiError> {
        let each = std::rc::Rc::new(each);
        let mut known: HashMap<DeploymentId, Option<Latest>> = HashMap::new();
        let heard = each.clone();
        if let Some(read) = self.bulk_states(wanted, move |batch| heard(batch)).await? {
            known.extend(read);
        }
        let rest: Vec<DeploymentId> = wanted
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| !known.contains_key(id))
            .collect();
        let heard = rest.clone();
        let this = self.clone();
        let states = fan_out::all(
            rest.clone(),
            STATE_READERS,
            move |id| {
                let this = this.clone();
                async move { this.latest_status(id).await }
            },
            move |index, status: &Option<Latest>| each(&[(heard[index], status.clone())]),
        )
        .await?;
        known.extend(rest.into_iter().zip(states));
        Ok(known)
    }

    /// The latest status of each of `deployments` through GraphQL's `nodes(ids:)`: one request (one point)
    /// per 100, a few requests at once, `each` hearing every batch as it arrives. Deployments GitHub did not
    /// resolve are left out. `None`: GraphQL cannot be used on this host (or refused the document) — read
    /// through REST.
    pub async fn bulk_states(
        &self,
        wanted: &[(DeploymentId, impl AsRef<str>)],
        each: impl Fn(&[(DeploymentId, Option<Latest>)]) + 'static,
    ) -> Result<Option<Vec<(DeploymentId, Option<Latest>)>>, ApiError> {
        if !self.api.uses_graphql() {
            return Ok(None);
        }
        let ids: Vec<String> = wanted
            .iter()
            .map(|(_, node)| node.as_ref().to_owned())
            .collect();
        let this = self.clone();
        let answers = fan_out::all(
            batches(&ids),
            STATE_BATCHES,
            move |batch: Vec<String>| {
                let this = this.clone();
                async move { this.states_batch(&batch).await }
            },
            move |_, read: &Option<StatesRead>| {
                if let Some(read) = read {
                    each(&read.found);
                }
            },
        )
        .await?;
        let mut found = Vec::with_capacity(wanted.len());
        for answer in answers {
            let Some(read) = answer else {
                return Ok(None);
            };
            found.extend(read.found);
        }
        Ok(Some(found))
    }

    /// One GraphQL read of up to 100 deployments' latest states (one point), by node id. `None`: read them
    /// through REST (GraphQL cannot be used on this host, or refused the document).
    pub(super) async fn states_batch(
        &self,
        batch: &[String],
    ) -> Result<Option<StatesRead>, ApiError> {
        let request = self.client().deployment_states(batch);
        self.api
            .graphql(request, |response| read_states(batch, response))
            .await
    }

    /// What reading these deployments' latest states costs, in requests: through GraphQL one per 100 (of
    /// GraphQL's own points); through REST one per state not kept from an earlier answer (a kept one is asked
    /// again conditionally, and an unchanged answer, 304, costs nothing).
    pub fn unread_states(&self, ids: &[DeploymentId]) -> usize {
        if self.api.uses_graphql() {
            return ids
                .len()
                .div_ceil(deploydeck_core::graphql::NODES_PER_QUERY);
        }
        ids.iter()
            .filter(|id| !self.api.is_kept(&self.latest_status_request(**id)))
            .count()
    }

    /// Every status of each deployment (all pages each), a few deployments at a time; `done` hears each one
    /// as it is read. The first failure ends it.
    pub async fn all_statuses(
        &self,
        ids: Vec<DeploymentId>,
        workers: usize,
        done: impl Fn(usize, &Vec<DeploymentStatus>) + 'static,
    ) -> Result<Vec<Vec<DeploymentStatus>>, ApiError> {
        let this = self.clone();
        fan_out::all(
            ids,
            workers,
            move |id| {
                let this = this.clone();
                async move { this.statuses(id).await }
            },
            done,
        )
        .await
    }

    pub(super) fn latest_status_request(&self, id: DeploymentId) -> HttpRequest {
        self.client()
            .list_deployment_statuses(&self.repo, id, PageRequest::new(1, 1))
    }

    /// A deployment's latest status through REST (`statuses?per_page=1`), `None` when it has none yet.
    pub async fn latest_status(&self, id: DeploymentId) -> Result<Option<Latest>, ApiError> {
        let response = self.api.send(self.latest_status_request(id)).await;
        Ok(decode_page::<DeploymentStatus>(&response)?
            .items
            .first()
            .map(Latest::from))
    }

    /// Every status of a deployment, newest first, all pages (through `Link`). Each page is revalidated
    /// with its ETag, so asking again when nothing changed costs no quota (docs/github-api.md §4).
    pub async fn statuses(&self, id: DeploymentId) -> Result<Vec<DeploymentStatus>, ApiError> {
        let first =
            self.client()
                .list_deployment_statuses(&self.repo, id, PageRequest::new(100, 1));
        self.api.all_pages(first).await
    }
}
