//! Environments: their names, which have no deployment left, their settings, deleting them, and whether a
//! deployment is still what one runs.

use deploydeck_core::model::{Deployment, DeploymentId, DeploymentState, EnvironmentList, Latest};
use deploydeck_core::request::{DeploymentFilter, PageRequest};
use deploydeck_core::response::{decode, decode_empty, decode_page, ApiError};

use crate::net::fan_out;

use super::RepoApi;

/// Environments asked at once whether any deployment is left in them.
pub(super) const ENVIRONMENT_READERS: usize = 6;

impl RepoApi {
    /// Environment names for the suggestions: every page (through `Link`), at most 10 pages of 100.
    pub async fn environment_names(&self) -> Result<Vec<String>, ApiError> {
        let first = self
            .client()
            .list_environments(&self.repo, PageRequest::new(100, 1));
        let decode_list = |response: &deploydeck_core::http::HttpResponse| {
            decode::<EnvironmentList>(response)
                .map(|list| list.environments.into_iter().map(|e| e.name).collect())
        };
        let mut names = Vec::new();
        let mut pages = 0;
        self.api
            .pages(first, decode_list, |page: Vec<String>| {
                names.extend(page);
                pages += 1;
                pages < 10
            })
            .await?;
        Ok(names)
    }

    /// Every environment with whether any deployment is left in it (1) or none (0): the list, then one
    /// `?environment=…&per_page=1` read per environment, a few at a time (docs/github-api.md §8.1, §8.9).
    pub async fn environments_with_deployments(&self) -> Result<Vec<(String, usize)>, ApiError> {
        let names = self.environment_names().await?;
        let this = self.clone();
        let left = fan_out::all(
            names.clone(),
            ENVIRONMENT_READERS,
            move |name: String| {
                let this = this.clone();
                async move {
                    let request = this.client().list_deployments(
                        &this.repo,
                        &in_environment(&name),
                        PageRequest::new(1, 1),
                    );
                    decode_page::<Deployment>(&this.api.send(request).await).map(|p| p.items.len())
                }
            },
            |_, _| {},
        )
        .await?;
        Ok(names.into_iter().zip(left).collect())
    }

    /// Each environment's settings as GitHub returns them, in order (a record before deleting them), a few at
    /// a time.
    pub async fn environments_settings(
        &self,
        names: Vec<String>,
    ) -> Result<Vec<serde_json::Value>, ApiError> {
        let this = self.clone();
        fan_out::all(
            names,
            ENVIRONMENT_READERS,
            move |name: String| {
                let this = this.clone();
                async move {
                    let request = this.client().get_environment(&this.repo, &name)?;
                    decode(&this.api.send(request).await)
                }
            },
            |_, _| {},
        )
        .await
    }

    /// DELETEs environments one at a time (docs/github-api.md §8.14: 204, 404 when already gone; admins only).
    /// Each answer goes to `record`, which says whether it settled that environment (`Some(true)`), wants
    /// the same request again (`Some(false)`: a rate limit, which core's budget holds until GitHub allows),
    /// or ends the work (`None`: a refusal every other deletion would meet, or the view gone).
    pub async fn delete_environments(
        &self,
        names: Vec<String>,
        mut record: impl FnMut(&str, Result<(), ApiError>) -> Option<bool>,
    ) {
        for name in names {
            loop {
                // A name that is no path segment (`..`) is refused by core before anything is sent.
                let answer = match self.client().delete_environment(&self.repo, &name) {
                    Ok(request) => decode_empty(&self.api.send(request).await),
                    Err(refused) => Err(refused),
                };
                match record(&name, answer) {
                    Some(true) => break,
                    Some(false) => continue,
                    None => return,
                }
            }
        }
    }

    /// Every deployment of `environment`, newest first (all pages, 100 a page).
    pub async fn environment_deployments(
        &self,
        environment: &str,
    ) -> Result<Vec<Deployment>, ApiError> {
        self.api
            .all_pages(self.first_deployments(&in_environment(environment)))
            .await
    }

    /// Whether deployment `id` — whose own latest state is `success` — is still what `environment` runs:
    /// no newer deployment there has `success` as its latest state. Reads only the newer ones' states,
    /// newest first, and stops at the first success. `Ok(None)` when more than `at_most` would have to be
    /// read: the caller treats it as live (the reading that never deletes what runs).
    pub async fn is_live(
        &self,
        environment: &str,
        id: DeploymentId,
        at_most: usize,
    ) -> Result<Option<bool>, ApiError> {
        let mut newer: Vec<Deployment> = Vec::new();
        let first = self.first_deployments(&in_environment(environment));
        self.api
            .pages(first, decode, |page: Vec<Deployment>| {
                let reached = page.iter().any(|d| d.id <= id);
                newer.extend(page.into_iter().filter(|other| other.id > id));
                !reached && newer.len() <= at_most
            })
            .await?;
        if newer.len() > at_most {
            return Ok(None);
        }
        Ok(Some(self.first_success(newer).await?.is_none()))
    }

    /// The first of `deployments` (in their order) whose latest state is `success`: all their states in one
    /// GraphQL read (a point per 100) where it answers, else through REST one by one until that success.
    pub(super) async fn first_success(
        &self,
        deployments: Vec<Deployment>,
    ) -> Result<Option<Deployment>, ApiError> {
        let success =
            |latest: Option<&Latest>| latest.is_some_and(|s| s.state == DeploymentState::Success);
        if self.api.uses_graphql() {
            let known = self.latest_states(&deployments, |_| ()).await?;
            return Ok(deployments
                .into_iter()
                .find(|d| success(known.get(&d.id).and_then(Option::as_ref))));
        }
        for d in deployments {
            if success(self.latest_status(d.id).await?.as_ref()) {
                return Ok(Some(d));
            }
        }
        Ok(None)
    }
}

/// GitHub's filter for one environment's deployments.
pub(super) fn in_environment(environment: &str) -> DeploymentFilter {
    DeploymentFilter {
        environment: environment.to_owned(),
        ..DeploymentFilter::default()
    }
}
