//! One repository's endpoints over the API handle (`api.repo(&repo)`, as octocrab's `repos(owner, repo)`):
//! core builds each request and decodes each answer; the handle paces, revalidates and performs them.
//!
//! By area, each an `impl RepoApi` block as octocrab's `api/repos/*.rs` are: `reviews`, `states`, `writes`,
//! `environments`, `listing`. Here: the handle, the repository itself, its branches, one deployment.

mod environments;
mod insights;
mod listing;
mod reviews;
mod ship;
mod states;
mod writes;

use deploydeck_core::access::{assess, AccessProbe};
use deploydeck_core::http::HttpRequest;
use deploydeck_core::model::{Deployment, DeploymentId, Repository, ShortBranch};
use deploydeck_core::request::{DeploymentFilter, PageRequest, Token, TokenKind};
use deploydeck_core::response::{decode, decode_page, ApiError};
use deploydeck_core::validate::RepoRef;

use super::{Api, Connected};

pub use insights::LineInParts;
pub use listing::Listing;
pub use states::HearStates;

/// The API handle bound to one repository.
#[derive(Clone)]
pub struct RepoApi {
    api: Api,
    repo: RepoRef,
}

impl RepoApi {
    pub(super) fn new(api: Api, repo: RepoRef) -> RepoApi {
        RepoApi { api, repo }
    }

    /// The connection this handle uses.
    pub fn api(&self) -> &Api {
        &self.api
    }

    fn client(&self) -> &deploydeck_core::request::Client {
        self.api.client()
    }

    pub async fn repository(&self) -> Result<Repository, ApiError> {
        decode(
            &self
                .api
                .send(self.client().get_repository(&self.repo))
                .await,
        )
    }

    /// GET /user, GET /repos/{owner}/{repo} and a one-item deployments read → what the token can do here.
    /// `Err` only when the token itself is refused (or the host cannot be reached).
    pub async fn probe_access(&self) -> Result<Connected, ApiError> {
        let (user, scopes) = self.api.user().await?;
        let repository = self.repository().await;
        let deployments = self
            .api
            .send(self.client().list_deployments(
                &self.repo,
                &DeploymentFilter::default(),
                PageRequest::new(1, 1),
            ))
            .await;
        let deployments: Result<Vec<Deployment>, ApiError> = decode(&deployments);
        let token_kind = self
            .api
            .token()
            .map(Token::kind)
            .unwrap_or(TokenKind::Unknown);
        let report = assess(&AccessProbe {
            token_kind,
            scopes: scopes.as_deref(),
            repository: repository.as_ref(),
            deployments: deployments.as_ref().map(|_| ()),
        });
        Ok(Connected { user, report })
    }

    pub async fn deployment(&self, id: DeploymentId) -> Result<Deployment, ApiError> {
        decode(
            &self
                .api
                .send(self.client().get_deployment(&self.repo, id))
                .await,
        )
    }

    /// Branch names for the ref suggestions: the default branch first, then the first 100 (typing any other
    /// ref still works).
    pub async fn branch_names(&self) -> Result<Vec<String>, ApiError> {
        let default = self.repository().await.ok().map(|r| r.default_branch);
        let request = self
            .client()
            .list_branches(&self.repo, None, PageRequest::new(100, 1));
        let mut names: Vec<String> = decode_page::<ShortBranch>(&self.api.send(request).await)?
            .items
            .into_iter()
            .map(|b| b.name)
            .filter(|name| Some(name) != default.as_ref())
            .collect();
        names.splice(0..0, default);
        Ok(names)
    }

    /// The first page (100, newest first) of the deployments GitHub's filters select.
    pub fn first_deployments(&self, filter: &DeploymentFilter) -> HttpRequest {
        self.client()
            .list_deployments(&self.repo, filter, PageRequest::new(100, 1))
    }
}
