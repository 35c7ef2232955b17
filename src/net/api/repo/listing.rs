//! Deployments listed: the newest few with their states (the overview), and every one (Cleanup's plan).

use std::collections::VecDeque;

use deploydeck_core::graphql::{batches, StatesRead};
use deploydeck_core::listing::{DeploymentList, ListStatus, PageAnswer, PageAsk};
use deploydeck_core::model::Deployment;
use deploydeck_core::request::{DeploymentFilter, PageRequest};
use deploydeck_core::response::{decode_page, ApiError};
use deploydeck_core::rules::DeploymentRecord;

use super::states::{HearStates, STATE_BATCHES};
use super::RepoApi;

/// List pages a full listing keeps in flight at once (core's budget bounds them again).
pub(super) const PAGE_READERS: usize = 8;

/// What [`RepoApi::all_deployments`] listed.
pub enum Listing<Why> {
    /// Every deployment, newest first.
    All(Vec<Deployment>),
    /// Stopped after the first page, for the reason its `stop` gave.
    Stopped(Why),
    /// What could be listed: GitHub named a next page where the token must not go (the error says where).
    CutShort(Vec<Deployment>, ApiError),
}

/// How many times the overview's newest deployments are listed again when one vanished between the list and
/// its status read.
pub(super) const LIST_AGAIN: u32 = 3;

impl RepoApi {
    /// The newest `count` deployments, each with its latest status (one `statuses?per_page=1` each).
    pub async fn recent_deployments(&self, count: u8) -> Result<Vec<DeploymentRecord>, ApiError> {
        // A deployment deleted between the list and its status read (a cleanup run going on, here or
        // elsewhere) answers 404: the list is read again, so what is shown is what is there now.
        let mut tries = 0;
        loop {
            let request = self.client().list_deployments(
                &self.repo,
                &DeploymentFilter::default(),
                PageRequest::new(count, 1),
            );
            let page = decode_page::<Deployment>(&self.api.send(request).await)?;
            match self.with_latest_states(page.items, |_| ()).await {
                Err(ApiError::NotFound { .. }) if tries < LIST_AGAIN => tries += 1,
                read => return read,
            }
        }
    }

    /// Every deployment of the repository, newest first, with the count so far after each page: the first
    /// page, then — once its `Link` names the last — every other page at once, a few in flight (core's
    /// `DeploymentList` decides what to ask and puts the answers in order). With `states`, each page's latest
    /// states are read through GraphQL as the page arrives (a point per page, beside the listing) and told to
    /// `states`; what GraphQL could not give is read afterwards as [`RepoApi::states_of`] does. Once the
    /// first page says how many there are, about, `stop` hears it and may stop the listing there, giving
    /// why (to ask the user first). The first failure ends it.
    pub async fn all_deployments<Why>(
        &self,
        mut progress: impl FnMut(usize),
        states: Option<HearStates>,
        stop: impl FnOnce(usize) -> Option<Why>,
    ) -> Result<Listing<Why>, ApiError> {
        use futures::future::{FutureExt, LocalBoxFuture};
        use futures::stream::{FuturesUnordered, StreamExt};
        enum Done {
            Page(PageAsk, Result<PageAnswer, ApiError>),
            States(Result<Option<StatesRead>, ApiError>),
        }
        let mut list = DeploymentList::default();
        let mut pages: VecDeque<PageAsk> =
            VecDeque::from([list.restart(self.first_deployments(&DeploymentFilter::default()))]);
        let mut to_read: VecDeque<Vec<String>> = VecDeque::new();
        let (mut pages_out, mut batches_out) = (0, 0);
        let mut in_flight: FuturesUnordered<LocalBoxFuture<'static, Done>> =
            FuturesUnordered::new();
        let graphql = states.is_some() && self.api.uses_graphql();
        let mut stop = Some(stop);
        loop {
            while pages_out < PAGE_READERS {
                let Some(ask) = pages.pop_front() else { break };
                let api = self.api.clone();
                pages_out += 1;
                in_flight.push(
                    async move {
                        let answer = api.deployments_page(ask.request.clone()).await;
                        Done::Page(ask, answer)
                    }
                    .boxed_local(),
                );
            }
            while batches_out < STATE_BATCHES {
                let Some(batch) = to_read.pop_front() else {
                    break;
                };
                let this = self.clone();
                batches_out += 1;
                in_flight.push(
                    async move { Done::States(this.states_batch(&batch).await) }.boxed_local(),
                );
            }
            let Some(done) = in_flight.next().await else {
                break;
            };
            match done {
                Done::Page(ask, answer) => {
                    pages_out -= 1;
                    if let (true, Ok(answer)) = (graphql, &answer) {
                        let ids: Vec<String> = answer
                            .page
                            .items
                            .iter()
                            .map(|d| d.node_id.clone())
                            .collect();
                        to_read.extend(batches(&ids));
                    }
                    let first = list.rows().is_empty();
                    let asks = list.handle_page(&ask, answer, |url| self.api.follow(url));
                    if let (true, Some(stop)) = (first, stop.take()) {
                        if let Some(why) = stop(list.rows().len() * (1 + asks.len())) {
                            return Ok(Listing::Stopped(why));
                        }
                    }
                    pages.extend(asks);
                    if let ListStatus::Failed(error) = list.status() {
                        if !matches!(error, ApiError::RateLimited { .. }) {
                            return Err(error.clone());
                        }
                    }
                    progress(list.rows().len());
                }
                Done::States(read) => {
                    batches_out -= 1;
                    // `None`: GraphQL cannot be used (or refused this document): read afterwards.
                    if let (Some(read), Some(states)) = (read?, &states) {
                        states(&read.found);
                    }
                }
            }
        }
        match list.cut_short().cloned() {
            Some(why) => Ok(Listing::CutShort(list.into_rows(), why)),
            None => Ok(Listing::All(list.into_rows())),
        }
    }
}
