//! The writes: a deployment, a status, a deletion as GitHub allows it, a repository dispatch — and the
//! requests a form would send, for "copy as".

use deploydeck_core::deletion::{self, AfterAnswer, DeleteStep};
use deploydeck_core::http::HttpRequest;
use deploydeck_core::model::{
    DeploymentId, DeploymentState, DeploymentStatus, DispatchEvent, NewDeployment,
    NewDeploymentStatus,
};
use deploydeck_core::response::{
    decode, decode_create_deployment, decode_empty, ApiError, CreateDeploymentOutcome,
};

use super::RepoApi;

impl RepoApi {
    /// The request `create_deployment` would send, for "copy as curl / gh api" (core formats it).
    pub fn create_deployment_request(&self, body: &NewDeployment) -> HttpRequest {
        self.client().create_deployment(&self.repo, body)
    }

    pub fn status_request(&self, id: DeploymentId, body: &NewDeploymentStatus) -> HttpRequest {
        self.client().create_deployment_status(&self.repo, id, body)
    }

    pub fn dispatch_request(&self, body: &DispatchEvent) -> HttpRequest {
        self.client().create_dispatch_event(&self.repo, body)
    }

    /// POST a deployment: 201 created, 202 auto-merged, or the error with its remedy (docs/github-api.md §8.2).
    pub async fn create_deployment(
        &self,
        body: &NewDeployment,
    ) -> Result<CreateDeploymentOutcome, ApiError> {
        let response = self.api.send(self.create_deployment_request(body)).await;
        decode_create_deployment(&response)
    }

    pub async fn create_status(
        &self,
        id: DeploymentId,
        body: &NewDeploymentStatus,
    ) -> Result<DeploymentStatus, ApiError> {
        decode(&self.api.send(self.status_request(id, body)).await)
    }

    /// DELETE a deployment (docs/github-api.md §8.4): 204, or 422 while it is active, 404 when already gone.
    pub async fn delete_deployment(&self, id: DeploymentId) -> Result<(), ApiError> {
        decode_empty(
            &self
                .api
                .send(self.client().delete_deployment(&self.repo, id))
                .await,
        )
    }

    /// Deletes one deployment as GitHub allows, following core's `deletion` sequence (docs/github-api.md §8.4):
    /// an `inactive` status first when it is `active`; otherwise straight away, and — should GitHub refuse it
    /// as active anyway (the docs' stricter reading) — the status then and the DELETE once more. `Ok` when it is
    /// gone (a 404: already); a rate limit ends it with its error (the page says when to try again).
    pub async fn delete_as_allowed(&self, id: DeploymentId, active: bool) -> Result<(), ApiError> {
        let mut step = deletion::first_step(active);
        let mut refused_before = false;
        loop {
            let answer = match step {
                DeleteStep::Deactivate => self.deactivate(id).await,
                DeleteStep::Delete => self.delete_deployment(id).await,
            };
            let error = answer.as_ref().err().cloned();
            match deletion::after(step, answer, refused_before) {
                AfterAnswer::Next(next) => step = next,
                AfterAnswer::RefusedWhileActive => {
                    refused_before = true;
                    step = DeleteStep::Deactivate;
                }
                AfterAnswer::Deleted { .. } => return Ok(()),
                AfterAnswer::Again => {
                    return Err(error.unwrap_or(ApiError::Network {
                        message: "no answer".into(),
                    }))
                }
                AfterAnswer::Failed(error) => return Err(error),
            }
        }
    }

    /// Marks a deployment inactive so GitHub lets it be deleted (docs/github-api.md §8.4: "adding any
    /// non-successful deployment status").
    pub async fn deactivate(&self, id: DeploymentId) -> Result<(), ApiError> {
        self.post_state(
            id,
            DeploymentState::Inactive,
            "Marked inactive by Deploydeck before deleting it",
        )
        .await
    }

    /// POST a status in `state` with `description` (none when empty), nothing read back: a run's step.
    pub async fn post_state(
        &self,
        id: DeploymentId,
        state: DeploymentState,
        description: &str,
    ) -> Result<(), ApiError> {
        let mut body = NewDeploymentStatus::with_state(state);
        body.description = (!description.is_empty()).then(|| description.to_owned());
        self.create_status(id, &body).await.map(|_| ())
    }

    /// POST a repository dispatch: 204, nothing to read.
    pub async fn dispatch(&self, body: &DispatchEvent) -> Result<(), ApiError> {
        decode_empty(&self.api.send(self.dispatch_request(body)).await)
    }
}
