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

/// The reads started early, each answer taken once.
#[derive(Clone, Copy)]
pub struct EarlyReads {
    pub(super) deployment: Early<Deployment>,
    pub(super) statuses: Early<Vec<DeploymentStatus>>,
}

impl EarlyReads {
    /// Starts reading deployment `id` and its statuses as `tasks` (the frame's).
    pub fn start(gh: &RepoApi, id: DeploymentId, tasks: &Tasks) -> Self {
        let (a, b) = (gh.clone(), gh.clone());
        Self {
            deployment: Early::start(tasks, async move { a.deployment(id).await }),
            statuses: Early::start(tasks, async move { b.statuses(id).await }),
        }
    }

    /// Nothing read early (no connection yet): the page reads as it always did.
    pub fn none() -> Self {
        Self {
            deployment: Early(StoredValue::new(None)),
            statuses: Early(StoredValue::new(None)),
        }
    }
}

/// One read's answer, on its way or come, until it is taken.
pub(super) struct Early<T: 'static>(StoredValue<Option<oneshot::Receiver<Result<T, ApiError>>>>);

impl<T> Clone for Early<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Early<T> {}

impl<T: Send + 'static> Early<T> {
    fn start(tasks: &Tasks, read: impl Future<Output = Result<T, ApiError>> + 'static) -> Self {
        let (answer, answered) = oneshot::channel();
        tasks.spawn(async move {
            let _ = answer.send(read.await);
        });
        Self(StoredValue::new(Some(answered)))
    }

    /// The early answer the first time (when it came), else `read` — never polled, so never sent, when not needed.
    pub(super) async fn or(
        self,
        read: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        if let Some(answered) = self.0.try_update_value(Option::take).flatten() {
            if let Ok(answer) = answered.await {
                return answer;
            }
        }
        read.await
    }
}
