//! A deployment page's first reads — the deployment and its statuses — started by the repository frame with
//! the click that opens the page, while the page's code is still on its way, instead of once it has arrived:
//! on slow 4G the code takes ~2 s and the reads took a round trip (~0.6 s) more after it (issue 30,
//! `benches/screens`). The page takes each answer once; whatever is asked again (a retry, the statuses'
//! refresh) goes to GitHub as before. The reads are the frame's tasks: they stop when the frame goes.

use std::future::Future;

use deploydeck_core::model::{Deployment, DeploymentId, DeploymentStatus};
use deploydeck_core::response::ApiError;
use futures::channel::oneshot;
use leptos::prelude::*;

use crate::net::api::repo::RepoApi;
use crate::tasks::Tasks;

type Answer<T> = oneshot::Receiver<Result<T, ApiError>>;

/// The answers of the reads started early, each taken once.
#[derive(Clone, Copy)]
pub struct EarlyReads {
    deployment: StoredValue<Option<Answer<Deployment>>>,
    statuses: StoredValue<Option<Answer<Vec<DeploymentStatus>>>>,
}

impl EarlyReads {
    /// Starts reading deployment `id` and its statuses as `tasks` (the frame's).
    pub fn start(gh: &RepoApi, id: DeploymentId, tasks: &Tasks) -> Self {
        let deployment = early(tasks, {
            let gh = gh.clone();
            async move { gh.deployment(id).await }
        });
        let statuses = early(tasks, {
            let gh = gh.clone();
            async move { gh.statuses(id).await }
        });
        Self {
            deployment: StoredValue::new(Some(deployment)),
            statuses: StoredValue::new(Some(statuses)),
        }
    }

    /// Nothing read early (no connection yet): the page reads as it always did.
    pub fn none() -> Self {
        Self {
            deployment: StoredValue::new(None),
            statuses: StoredValue::new(None),
        }
    }

    /// The deployment: the early answer the first time, `read` after (or when the early read stopped).
    pub async fn deployment(
        self,
        read: impl Future<Output = Result<Deployment, ApiError>>,
    ) -> Result<Deployment, ApiError> {
        answer_or(
            self.deployment.try_update_value(Option::take).flatten(),
            read,
        )
        .await
    }

    /// The statuses: as `deployment`.
    pub async fn statuses(
        self,
        read: impl Future<Output = Result<Vec<DeploymentStatus>, ApiError>>,
    ) -> Result<Vec<DeploymentStatus>, ApiError> {
        answer_or(self.statuses.try_update_value(Option::take).flatten(), read).await
    }
}

fn early<T: 'static>(
    tasks: &Tasks,
    read: impl Future<Output = Result<T, ApiError>> + 'static,
) -> Answer<T> {
    let (answer, answered) = oneshot::channel();
    tasks.spawn(async move {
        let _ = answer.send(read.await);
    });
    answered
}

/// The early answer if it came, else `read` (never polled, so never sent, when the answer came).
async fn answer_or<T>(
    early: Option<Answer<T>>,
    read: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    if let Some(Ok(answer)) = match early {
        Some(answered) => Some(answered.await),
        None => None,
    } {
        return answer;
    }
    read.await
}
