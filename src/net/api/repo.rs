//! One repository's endpoints over the API handle (`api.repo(&repo)`, as octocrab's `repos(owner, repo)`):
//! core builds each request and decodes each answer; the handle paces, revalidates and performs them.

use std::collections::{HashMap, VecDeque};

use deploydeck_core::access::{assess, AccessProbe};
use deploydeck_core::deletion::{self, AfterAnswer, DeleteStep};
use deploydeck_core::graphql::{batches, read_states, StatesRead};
use deploydeck_core::http::HttpRequest;
use deploydeck_core::listing::{DeploymentList, ListStatus, PageAnswer, PageAsk};
use deploydeck_core::model::{
    Deployment, DeploymentId, DeploymentState, DeploymentStatus, DispatchEvent, EnvironmentList,
    Latest, NewDeployment, NewDeploymentStatus, Repository, ShortBranch,
};
use deploydeck_core::request::{DeploymentFilter, PageRequest, Token, TokenKind};
use deploydeck_core::response::{
    decode, decode_create_deployment, decode_empty, decode_page, poll_interval, ApiError,
    CreateDeploymentOutcome,
};
use deploydeck_core::review::{ReviewBody, RunUnderReview, WorkflowRunList};
use deploydeck_core::rules::DeploymentRecord;
use deploydeck_core::validate::RepoRef;

use super::{Api, Connected};
use crate::net::fan_out;

/// Latest-state reads a fan-out keeps in flight at once (core's budget bounds them again).
const STATE_READERS: usize = 6;
/// List pages a full listing keeps in flight at once (core's budget bounds them again).
const PAGE_READERS: usize = 8;
/// Waiting runs whose pending deployments and past reviews are read at once (two requests each).
const RUN_READERS: usize = 2;
/// Environments asked at once whether any deployment is left in them.
const ENVIRONMENT_READERS: usize = 6;
/// GraphQL state reads (100 deployments each) a bulk read keeps in flight at once.
const STATE_BATCHES: usize = 4;

/// Hears latest states as they are read, a batch at a time.
pub type HearStates = std::rc::Rc<dyn Fn(&[(DeploymentId, Option<Latest>)])>;

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
const LIST_AGAIN: u32 = 3;

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

    /// The runs waiting for a review (the newest 100), each with what it waits on and its past reviews, two
    /// runs at a time (docs/github-api.md §14).
    /// Also GitHub's `X-Poll-Interval` on the list, when it sends one.
    pub async fn runs_under_review(&self) -> Result<(Vec<RunUnderReview>, Option<u64>), ApiError> {
        let answer = self
            .api
            .send(
                self.client()
                    .list_waiting_runs(&self.repo, PageRequest::new(100, 1)),
            )
            .await;
        let poll = poll_interval(&answer);
        let list: WorkflowRunList = decode(&answer)?;
        let this = self.clone();
        let boards = fan_out::all(
            list.workflow_runs,
            RUN_READERS,
            move |run| {
                let this = this.clone();
                async move { this.run_under_review(run).await }
            },
            |_, _| {},
        )
        .await?;
        // A run decided between the list and its own read waits on nothing any more.
        let boards = boards.into_iter().filter(|b| !b.pending.is_empty());
        Ok((boards.collect(), poll))
    }

    /// One waiting run with what it waits on and its past reviews (two reads).
    async fn run_under_review(
        &self,
        run: deploydeck_core::review::WorkflowRun,
    ) -> Result<RunUnderReview, ApiError> {
        let client = self.client();
        let pending = decode(
            &self
                .api
                .send(client.pending_deployments(&self.repo, run.id))
                .await,
        )?;
        let past = decode(
            &self
                .api
                .send(client.run_approvals(&self.repo, run.id))
                .await,
        )?;
        Ok(RunUnderReview { run, pending, past })
    }

    /// How many runs wait for a review (one item read: the list's `total_count`).
    pub async fn waiting_runs_count(&self) -> Result<u64, ApiError> {
        let answer = self
            .api
            .send(
                self.client()
                    .list_waiting_runs(&self.repo, PageRequest::new(1, 1)),
            )
            .await;
        decode::<WorkflowRunList>(&answer).map(|list| list.total_count)
    }

    /// Approves or rejects some of a run's environments: the deployments GitHub decided.
    pub async fn review(&self, run: u64, body: &ReviewBody) -> Result<Vec<Deployment>, ApiError> {
        decode(
            &self
                .api
                .send(
                    self.client()
                        .review_pending_deployments(&self.repo, run, body),
                )
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
    async fn states_batch(&self, batch: &[String]) -> Result<Option<StatesRead>, ApiError> {
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

    fn latest_status_request(&self, id: DeploymentId) -> HttpRequest {
        self.client()
            .list_deployment_statuses(&self.repo, id, PageRequest::new(1, 1))
    }

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

    pub async fn deployment(&self, id: DeploymentId) -> Result<Deployment, ApiError> {
        decode(
            &self
                .api
                .send(self.client().get_deployment(&self.repo, id))
                .await,
        )
    }

    /// Every status of a deployment, newest first, all pages (through `Link`). Each page is revalidated
    /// with its ETag, so asking again when nothing changed costs no quota (docs/github-api.md §4).
    pub async fn statuses(&self, id: DeploymentId) -> Result<Vec<DeploymentStatus>, ApiError> {
        let first =
            self.client()
                .list_deployment_statuses(&self.repo, id, PageRequest::new(100, 1));
        self.api.all_pages(first).await
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
        let success = |latest: &Option<Latest>| {
            latest
                .as_ref()
                .is_some_and(|s| s.state == DeploymentState::Success)
        };
        if self.api.uses_graphql() {
            // All of them in one read (a point per 100) rather than one by one until a success.
            let known = self.latest_states(&newer, |_| ()).await?;
            return Ok(Some(!known.values().any(success)));
        }
        for other in newer {
            if success(&self.latest_status(other.id).await?) {
                return Ok(Some(false));
            }
        }
        Ok(Some(true))
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

    /// The first page (100, newest first) of the deployments GitHub's filters select.
    pub fn first_deployments(&self, filter: &DeploymentFilter) -> HttpRequest {
        self.client()
            .list_deployments(&self.repo, filter, PageRequest::new(100, 1))
    }

    /// A deployment's latest status through REST (`statuses?per_page=1`), `None` when it has none yet.
    pub async fn latest_status(&self, id: DeploymentId) -> Result<Option<Latest>, ApiError> {
        let response = self.api.send(self.latest_status_request(id)).await;
        Ok(decode_page::<DeploymentStatus>(&response)?
            .items
            .first()
            .map(Latest::from))
    }
}

/// Each deployment's REST id with its node id (GraphQL's `id`).
fn ids_and_nodes(deployments: &[Deployment]) -> Vec<(DeploymentId, &str)> {
    deployments
        .iter()
        .map(|d| (d.id, d.node_id.as_str()))
        .collect()
}

/// GitHub's filter for one environment's deployments.
fn in_environment(environment: &str) -> DeploymentFilter {
    DeploymentFilter {
        environment: environment.to_owned(),
        ..DeploymentFilter::default()
    }
}
