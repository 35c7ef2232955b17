//! The fleet's reads (core `fleet`, docs/github-api.md §15): every pinned repository's environments — through
//! GraphQL, up to 25 repositories in one request and the environments beyond their newest 100 in one more; or,
//! when GraphQL cannot be used on this host, through REST, four repositories at a time, each environment's
//! latest state (then older ones until a success), every read conditional and paced by the budget.

use std::collections::HashMap;

use deploydeck_core::fleet::{
    older_asks, read_fleet, read_older, rest_board, rest_needs, rest_row_error, Row,
    REPOS_PER_QUERY,
};
use deploydeck_core::graphql::decode_graphql;
use deploydeck_core::insights::{production_environment, read_names, NAMES_PER_QUERY};
use deploydeck_core::model::Deployment;
use deploydeck_core::request::DeploymentFilter;
use deploydeck_core::response::{decode, ApiError};
use deploydeck_core::validate::RepoRef;

use super::api::repo::RepoApi;
use super::api::Api;
use super::fan_out;

/// Repositories read at once through REST (each reads its states a few at a time, as `latest_states` does).
const REST_REPOS: usize = 4;

impl Api {
    /// Each of `repos`' row (in order): its environments, or its own error. The first failure that is not
    /// about one repository (the token, the quota, the network) ends it.
    pub async fn fleet(&self, repos: &[RepoRef]) -> Result<Vec<Row>, ApiError> {
        if let Some(rows) = self.fleet_graphql(repos).await? {
            return Ok(rows);
        }
        let this = self.clone();
        fan_out::all(
            repos.to_vec(),
            REST_REPOS,
            move |repo| {
                let gh = this.repo(&repo);
                async move {
                    match gh.fleet_row().await {
                        Ok(board) => Ok(Ok(board)),
                        Err(error) => rest_row_error(&repo, error).map(Err),
                    }
                }
            },
            |_, _| {},
        )
        .await
    }

    /// The fleet through GraphQL; `None`: read it through REST (GraphQL cannot be used, or refused).
    async fn fleet_graphql(&self, repos: &[RepoRef]) -> Result<Option<Vec<Row>>, ApiError> {
        let mut rows = Vec::with_capacity(repos.len());
        for chunk in repos.chunks(REPOS_PER_QUERY) {
            let request = self.client().fleet(chunk);
            match self.graphql(request, |r| read_fleet(chunk, r)).await? {
                Some(part) => rows.extend(part),
                None => return Ok(None),
            }
        }
        // Rows index `repos` as a whole, and so do the second document's aliases.
        for asks in older_asks(&rows) {
            let request = self.client().fleet_older(repos, &asks);
            let read = self
                .graphql(request, |r| {
                    let mut filled = rows.clone();
                    read_older(&mut filled, &asks, r).map(|()| filled)
                })
                .await?;
            // Refused: the environments keep their stand-ins (their latest completed deployment).
            if let Some(filled) = read {
                rows = filled;
            }
        }
        Ok(Some(rows))
    }
}

impl Api {
    /// The environments' names of each of `repos` (at most [`NAMES_PER_QUERY`]), in one GraphQL request (one
    /// point): `None` for a repository GraphQL did not resolve, or for every one when GraphQL cannot be used.
    pub async fn environment_names_of(
        &self,
        repos: &[RepoRef],
    ) -> Result<Vec<Option<Vec<String>>>, ApiError> {
        let (request, n) = (self.client().insights_names(repos), repos.len());
        let read = self
            .graphql(request, move |r| {
                decode_graphql::<serde_json::Value>(r).map(|(data, _)| read_names(&data, n))
            })
            .await?;
        Ok(read.unwrap_or_else(|| vec![None; n]))
    }

    /// Each of `repos`' production-like environment, in order (`Ok(None)`: it has none; `Err`: that
    /// repository's own error, in words): the names through GraphQL, 25 repositories a request (one point),
    /// else — or for a repository GraphQL did not resolve — its environment list through REST. The first
    /// failure that is not about one repository ends it.
    pub async fn insights_environments(
        &self,
        repos: &[RepoRef],
    ) -> Result<Vec<Result<Option<String>, String>>, ApiError> {
        let mut names: Vec<Option<Vec<String>>> = Vec::with_capacity(repos.len());
        for chunk in repos.chunks(NAMES_PER_QUERY) {
            names.extend(self.environment_names_of(chunk).await?);
        }
        let this = self.clone();
        let asks: Vec<(RepoRef, Option<Vec<String>>)> = repos.iter().cloned().zip(names).collect();
        fan_out::all(
            asks,
            REST_REPOS,
            move |(repo, known)| {
                let gh = this.repo(&repo);
                async move {
                    let names = match known {
                        Some(names) => names,
                        None => match gh.environment_names().await {
                            Ok(names) => names,
                            Err(error) => return rest_row_error(&repo, error).map(Err),
                        },
                    };
                    Ok(Ok(production_environment(&names)))
                }
            },
            |_, _| {},
        )
        .await
    }
}

impl RepoApi {
    /// One repository's row through REST: its newest 100 deployments, then latest states until each
    /// environment's latest (and what is live, when that is not it) is known.
    async fn fleet_row(&self) -> Result<deploydeck_core::fleet::Board, ApiError> {
        let response = self
            .api()
            .send(self.first_deployments(&DeploymentFilter::default()))
            .await;
        let newest: Vec<Deployment> = decode(&response)?;
        let mut known = HashMap::new();
        loop {
            let needs = rest_needs(&newest, &known);
            if needs.is_empty() {
                return Ok(rest_board(&newest, &known));
            }
            let wanted: Vec<Deployment> = newest
                .iter()
                .filter(|d| needs.contains(&d.id))
                .cloned()
                .collect();
            known.extend(self.latest_states(&wanted, |_| ()).await?);
        }
    }
}
