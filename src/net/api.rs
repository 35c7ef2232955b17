//! The views' only way to GitHub: builds requests with core, performs them through the transport, keeps
//! the rate-limit gauge current, revalidates GETs with ETags (core's `ConditionalCache`), and decodes with
//! core. A view never formats a URL, reads a header or parses an error body.

use std::sync::{Arc, Mutex};

use deploydeck_core::access::{assess, AccessProbe, AccessReport};
use deploydeck_core::budget::{Budget, Decision, Pacing, RequestClass};
use deploydeck_core::cache::ConditionalCache;
use deploydeck_core::http::{HttpRequest, HttpResponse};
use deploydeck_core::location::HostChoice;
use deploydeck_core::model::{
    Deployment, DeploymentId, DeploymentState, DeploymentStatus, DispatchEvent, EnvironmentList,
    NewDeployment, NewDeploymentStatus, Repository, ShortBranch, SimpleUser,
};
use deploydeck_core::request::{ApiBase, Client, DeploymentFilter, HostKind, PageRequest, Token};
use deploydeck_core::response::{
    decode, decode_create_deployment, decode_empty, decode_page, oauth_scopes, parse_link_header,
    poll_interval, ApiError, CreateDeploymentOutcome, Page, RateLimitKind, RateLimitSnapshot,
};
use deploydeck_core::rules::DeploymentRecord;
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::clock::sleep_ms;
use crate::net::transport::Transport;

/// Latest-state reads a fan-out keeps in flight at once (core's budget bounds them again).
const STATE_READERS: usize = 6;

fn now_millis() -> u64 {
    crate::clock::now_ms() as u64
}

struct Inner {
    host: HostChoice,
    client: Client,
    transport: Transport,
    cache: Mutex<ConditionalCache>,
    /// Core's pacing: bounded concurrency everywhere, GitHub's secondary limits on github.com.
    budget: Mutex<Budget>,
    rate: RwSignal<Option<RateLimitSnapshot>>,
}

/// A connection to one API host with one token.
#[derive(Clone)]
pub struct Api {
    inner: Arc<Inner>,
    abort: Option<SendWrapper<AbortController>>,
}

impl PartialEq for Api {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

/// A request admitted by the budget and not yet answered; dropped unanswered, it is given back.
struct InFlight<'a> {
    api: &'a Api,
    class: RequestClass,
    answered: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if !self.answered {
            if let Ok(mut budget) = self.api.inner.budget.lock() {
                budget.abandoned(self.class, now_millis());
            }
        }
    }
}

/// What the connect probes found.
#[derive(Clone)]
pub struct Connected {
    pub user: SimpleUser,
    pub report: AccessReport,
}

impl Api {
    pub fn new(
        host: HostChoice,
        client: Client,
        transport: Transport,
        rate: RwSignal<Option<RateLimitSnapshot>>,
    ) -> Api {
        let pacing = match client.base().kind() {
            HostKind::GitHubCom => Pacing::github_com(),
            HostKind::Enterprise | HostKind::Custom => Pacing::enterprise(None),
        };
        Api {
            inner: Arc::new(Inner {
                host,
                client,
                transport,
                cache: Mutex::new(ConditionalCache::new(2_000)),
                budget: Mutex::new(Budget::new(pacing)),
                rate,
            }),
            abort: None,
        }
    }

    pub fn host(&self) -> &HostChoice {
        &self.inner.host
    }

    pub fn token(&self) -> Option<&Token> {
        self.inner.client.token()
    }

    pub fn is_demo(&self) -> bool {
        self.inner.transport.is_demo()
    }

    /// A handle whose requests are aborted when the calling component goes away (navigation).
    pub fn scoped(&self) -> Api {
        let controller = AbortController::new().ok().map(SendWrapper::new);
        if let Some(c) = controller.clone() {
            on_cleanup(move || c.abort());
        }
        Api {
            inner: self.inner.clone(),
            abort: controller,
        }
    }

    /// Mutations this connection lets overlap (one at a time on github.com).
    pub fn write_concurrency(&self) -> u32 {
        self.inner
            .budget
            .lock()
            .map(|b| b.pacing().max_concurrent_writes.max(1))
            .unwrap_or(1)
    }

    /// What the confirmation says of the pace of writes on this host (core's words from core's numbers).
    pub fn pace_note(&self) -> String {
        let pacing = self
            .inner
            .budget
            .lock()
            .map(|b| b.pacing().clone())
            .unwrap_or_else(|_| Pacing::unpaced());
        deploydeck_core::budget::pace_note(&pacing, self.is_github_com(), self.quota().as_ref())
    }

    /// Whether requests go to github.com (paced to GitHub's secondary limits; GHES pacing is a setting).
    pub fn is_github_com(&self) -> bool {
        self.base().kind() == HostKind::GitHubCom
    }

    /// GHES and custom hosts: the pause between mutations (0: none, mutations may overlap). github.com keeps
    /// GitHub's limits.
    pub fn set_write_spacing(&self, spacing_ms: u64) {
        if self.is_github_com() {
            return;
        }
        if let Ok(mut budget) = self.inner.budget.lock() {
            budget.set_pacing(Pacing::enterprise(Some(spacing_ms)));
        }
    }

    /// How long GitHub's rate limit still holds requests back (ms), and which limit, if it does.
    pub fn hold_left(&self) -> Option<(u64, RateLimitKind)> {
        let now = now_millis();
        let budget = self.inner.budget.lock().ok()?;
        budget
            .hold(now)
            .map(|hold| (hold.until.saturating_sub(now), hold.limit))
    }

    /// The token's quota as the last answer gave it (`None`: no answer yet, or a host without rate limits).
    pub fn quota(&self) -> Option<RateLimitSnapshot> {
        self.inner.rate.get_untracked()
    }

    /// How many of these deployments' latest states are not kept from an earlier answer: reading those costs
    /// quota; a kept one is asked again conditionally, and an unchanged answer (304) costs nothing.
    pub fn unread_states(&self, repo: &RepoRef, ids: &[DeploymentId]) -> usize {
        let Ok(cache) = self.inner.cache.lock() else {
            return ids.len();
        };
        ids.iter()
            .filter(|id| {
                cache
                    .get(&self.latest_status_request(repo, **id).url)
                    .is_none()
            })
            .count()
    }

    fn latest_status_request(&self, repo: &RepoRef, id: DeploymentId) -> HttpRequest {
        self.inner
            .client
            .list_deployment_statuses(repo, id, PageRequest::new(1, 1))
    }

    /// A rough time for `creates` inactive statuses and `deletes` deletions at this connection's pace.
    pub fn estimate_writes_ms(&self, creates: u32, deletes: u32) -> u64 {
        self.inner
            .budget
            .lock()
            .map(|b| b.estimate_writes_ms(creates, deletes, 300))
            .unwrap_or(0)
    }

    /// Performs one request when core's budget lets it go (bounded concurrency, GitHub's limits, a hold
    /// after a rate limit): conditional when an answer is kept, gauge updated from the answer.
    pub async fn send(&self, request: HttpRequest) -> HttpResponse {
        let class = RequestClass::of(request.method);
        self.admit(class).await;
        // If this future is dropped before the answer (its view went away and stopped its tasks), the budget
        // must not count the request as in flight for ever.
        let mut in_flight = InFlight {
            api: self,
            class,
            answered: false,
        };
        let request = match self.inner.cache.lock() {
            Ok(cache) => cache.prepare(request),
            Err(_) => request,
        };
        let signal = self.abort.as_ref().map(|c| c.signal());
        let response = self.inner.transport.send(&request, signal.as_ref()).await;
        in_flight.answered = true;
        if let Ok(mut budget) = self.inner.budget.lock() {
            budget.finished(class, now_millis(), &response);
        }
        if let Some(snapshot) = RateLimitSnapshot::from_headers(&response.headers) {
            self.inner.rate.set(Some(snapshot));
        }
        match self.inner.cache.lock() {
            Ok(mut cache) => cache.settle(&request, response).0,
            Err(_) => response,
        }
    }

    /// Waits until the budget lets a request of `class` go, and counts it as started.
    async fn admit(&self, class: RequestClass) {
        loop {
            let now = now_millis();
            let decision = match self.inner.budget.lock() {
                Ok(mut budget) => {
                    let decision = budget.decide(class, now);
                    if decision == Decision::Now {
                        budget.started(class, now);
                    }
                    decision
                }
                Err(_) => Decision::Now,
            };
            match decision {
                Decision::Now => return,
                Decision::At(at) => sleep_ms(at.saturating_sub(now).max(1)).await,
                Decision::WhenOneFinishes => sleep_ms(10).await,
            }
        }
    }

    pub async fn user(&self) -> Result<(SimpleUser, Option<Vec<String>>), ApiError> {
        let response = self.send(self.inner.client.get_authenticated_user()).await;
        let scopes = oauth_scopes(&response.headers);
        decode(&response).map(|user| (user, scopes))
    }

    pub async fn repository(&self, repo: &RepoRef) -> Result<Repository, ApiError> {
        decode(&self.send(self.inner.client.get_repository(repo)).await)
    }

    /// GET /user, GET /repos/{owner}/{repo} and a one-item deployments read → what the token can do here.
    /// `Err` only when the token itself is refused (or the host cannot be reached).
    pub async fn probe_access(&self, repo: &RepoRef) -> Result<Connected, ApiError> {
        let (user, scopes) = self.user().await?;
        let repository = self.repository(repo).await;
        let deployments = self
            .send(self.inner.client.list_deployments(
                repo,
                &DeploymentFilter::default(),
                PageRequest::new(1, 1),
            ))
            .await;
        let deployments: Result<Vec<Deployment>, ApiError> = decode(&deployments);
        let token_kind = self
            .token()
            .map(Token::kind)
            .unwrap_or(deploydeck_core::request::TokenKind::Unknown);
        let report = assess(&AccessProbe {
            token_kind,
            scopes: scopes.as_deref(),
            repository: repository.as_ref(),
            deployments: deployments.as_ref().map(|_| ()),
        });
        Ok(Connected { user, report })
    }

    /// The newest `count` deployments, each with its latest status (one `statuses?per_page=1` each).
    pub async fn recent_deployments(
        &self,
        repo: &RepoRef,
        count: u8,
    ) -> Result<Vec<DeploymentRecord>, ApiError> {
        self.records(repo, &DeploymentFilter::default(), count)
            .await
    }

    async fn records(
        &self,
        repo: &RepoRef,
        filter: &DeploymentFilter,
        count: u8,
    ) -> Result<Vec<DeploymentRecord>, ApiError> {
        let response = self
            .send(
                self.inner
                    .client
                    .list_deployments(repo, filter, PageRequest::new(count, 1)),
            )
            .await;
        let page = decode_page::<Deployment>(&response)?;
        self.with_latest_states(repo, page.items, |_, _| ()).await
    }

    /// Each deployment with its latest status, read a few at a time (the budget bounds them again), in the
    /// order given; `each` hears every state as it arrives (so a caller keeps what was read even if a later
    /// read fails). The first failure ends it.
    pub async fn with_latest_states(
        &self,
        repo: &RepoRef,
        deployments: Vec<Deployment>,
        each: impl Fn(DeploymentId, &Option<DeploymentStatus>) + 'static,
    ) -> Result<Vec<DeploymentRecord>, ApiError> {
        use std::cell::RefCell;
        use std::rc::Rc;
        let total = deployments.len();
        let slots: Rc<RefCell<Vec<Option<Option<DeploymentStatus>>>>> =
            Rc::new(RefCell::new(vec![None; total]));
        let failure = Rc::new(RefCell::new(None::<ApiError>));
        let ids: Vec<(usize, DeploymentId)> =
            deployments.iter().map(|d| d.id).enumerate().collect();
        let each = Rc::new(each);
        crate::net::fan_out::bounded(ids, STATE_READERS, {
            let (api, repo, slots, failure) =
                (self.clone(), repo.clone(), slots.clone(), failure.clone());
            move |(index, id)| {
                let (api, repo, slots, failure, each) = (
                    api.clone(),
                    repo.clone(),
                    slots.clone(),
                    failure.clone(),
                    each.clone(),
                );
                async move {
                    if failure.borrow().is_some() {
                        return;
                    }
                    match api.latest_status(&repo, id).await {
                        Ok(status) => {
                            each(id, &status);
                            slots.borrow_mut()[index] = Some(status);
                        }
                        Err(error) => *failure.borrow_mut() = Some(error),
                    }
                }
            }
        })
        .await;
        if let Some(error) = failure.borrow_mut().take() {
            return Err(error);
        }
        let slots = slots.take();
        Ok(deployments
            .into_iter()
            .zip(slots)
            .map(|(deployment, latest)| DeploymentRecord {
                deployment,
                latest_status: latest.flatten(),
            })
            .collect())
    }

    /// The request `create_deployment` would send, for "copy as curl / gh api" (core formats it).
    pub fn create_deployment_request(&self, repo: &RepoRef, body: &NewDeployment) -> HttpRequest {
        self.inner.client.create_deployment(repo, body)
    }

    pub fn status_request(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
        body: &NewDeploymentStatus,
    ) -> HttpRequest {
        self.inner.client.create_deployment_status(repo, id, body)
    }

    pub fn dispatch_request(&self, repo: &RepoRef, body: &DispatchEvent) -> HttpRequest {
        self.inner.client.create_dispatch_event(repo, body)
    }

    /// The API base, for "copy as gh api" (GHES needs `--hostname`).
    pub fn base(&self) -> &ApiBase {
        self.inner.client.base()
    }

    /// POST a deployment: 201 created, 202 auto-merged, or the error with its remedy (docs/github-api.md §8.2).
    pub async fn create_deployment(
        &self,
        repo: &RepoRef,
        body: &NewDeployment,
    ) -> Result<CreateDeploymentOutcome, ApiError> {
        let response = self.send(self.create_deployment_request(repo, body)).await;
        decode_create_deployment(&response)
    }

    pub async fn deployment(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
    ) -> Result<Deployment, ApiError> {
        decode(&self.send(self.inner.client.get_deployment(repo, id)).await)
    }

    /// Every status of a deployment, newest first, all pages (through `Link`). Each page is revalidated
    /// with its ETag, so asking again when nothing changed costs no quota (docs/github-api.md §4).
    pub async fn statuses(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
    ) -> Result<Vec<DeploymentStatus>, ApiError> {
        let first = self
            .inner
            .client
            .list_deployment_statuses(repo, id, PageRequest::new(100, 1));
        self.all_pages(first).await
    }

    pub async fn create_status(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
        body: &NewDeploymentStatus,
    ) -> Result<DeploymentStatus, ApiError> {
        decode(&self.send(self.status_request(repo, id, body)).await)
    }

    /// DELETE a deployment (docs/github-api.md §8.4): 204, or 422 while it is active, 404 when already gone.
    pub async fn delete_deployment(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
    ) -> Result<(), ApiError> {
        decode_empty(
            &self
                .send(self.inner.client.delete_deployment(repo, id))
                .await,
        )
    }

    /// Marks a deployment inactive so GitHub lets it be deleted (docs/github-api.md §8.4: "adding any non-successful
    /// deployment status").
    pub async fn deactivate(&self, repo: &RepoRef, id: DeploymentId) -> Result<(), ApiError> {
        let mut body = NewDeploymentStatus::with_state(DeploymentState::Inactive);
        body.description = Some("Marked inactive by Deploydeck before deleting it".into());
        self.create_status(repo, id, &body).await.map(|_| ())
    }

    /// POST a repository dispatch: 204, nothing to read.
    pub async fn dispatch(&self, repo: &RepoRef, body: &DispatchEvent) -> Result<(), ApiError> {
        decode_empty(&self.send(self.dispatch_request(repo, body)).await)
    }

    /// Branch names for the ref suggestions: the default branch first, then the first 100 (typing any other
    /// ref still works).
    pub async fn branch_names(&self, repo: &RepoRef) -> Result<Vec<String>, ApiError> {
        let default = self.repository(repo).await.ok().map(|r| r.default_branch);
        let response = self
            .send(
                self.inner
                    .client
                    .list_branches(repo, None, PageRequest::new(100, 1)),
            )
            .await;
        let mut names: Vec<String> = decode_page::<ShortBranch>(&response)?
            .items
            .into_iter()
            .map(|b| b.name)
            .filter(|name| Some(name) != default.as_ref())
            .collect();
        names.splice(0..0, default);
        Ok(names)
    }

    /// Environment names for the suggestions: every page (through `Link`), at most 10 pages of 100.
    pub async fn environment_names(&self, repo: &RepoRef) -> Result<Vec<String>, ApiError> {
        let mut names = Vec::new();
        let mut next = Some(
            self.inner
                .client
                .list_environments(repo, PageRequest::new(100, 1)),
        );
        for _ in 0..10 {
            let Some(request) = next.take() else { break };
            let response = self.send(request).await;
            let list: EnvironmentList = decode(&response)?;
            names.extend(list.environments.into_iter().map(|e| e.name));
            next = response
                .header("link")
                .map(parse_link_header)
                .and_then(|links| links.next)
                .and_then(|url| self.follow(&url));
        }
        Ok(names)
    }

    /// Every deployment of `environment`, newest first (all pages, 100 a page).
    pub async fn environment_deployments(
        &self,
        repo: &RepoRef,
        environment: &str,
    ) -> Result<Vec<Deployment>, ApiError> {
        let filter = DeploymentFilter {
            environment: environment.to_owned(),
            ..DeploymentFilter::default()
        };
        self.all_pages(self.first_deployments(repo, &filter)).await
    }

    /// Whether deployment `id` — whose own latest state is `success` — is still what `environment` runs:
    /// no newer deployment there has `success` as its latest state. Reads only the newer ones' states,
    /// newest first, and stops at the first success. `Ok(None)` when more than `at_most` would have to be
    /// read: the caller treats it as live (the reading that never deletes what runs).
    pub async fn is_live(
        &self,
        repo: &RepoRef,
        environment: &str,
        id: DeploymentId,
        at_most: usize,
    ) -> Result<Option<bool>, ApiError> {
        let filter = DeploymentFilter {
            environment: environment.to_owned(),
            ..DeploymentFilter::default()
        };
        let mut newer: Vec<DeploymentId> = Vec::new();
        let mut next = Some(self.first_deployments(repo, &filter));
        while let Some(request) = next.take() {
            let page = decode_page::<Deployment>(&self.send(request).await)?;
            let reached = page.items.iter().any(|d| d.id <= id);
            newer.extend(page.items.iter().map(|d| d.id).filter(|other| *other > id));
            if newer.len() > at_most {
                return Ok(None);
            }
            if !reached {
                next = page.links.next.as_deref().and_then(|url| self.follow(url));
            }
        }
        for other in newer {
            let latest = self.latest_status(repo, other).await?;
            if latest.is_some_and(|s| s.state == DeploymentState::Success) {
                return Ok(Some(false));
            }
        }
        Ok(Some(true))
    }

    async fn all_pages<T: serde::de::DeserializeOwned>(
        &self,
        first: HttpRequest,
    ) -> Result<Vec<T>, ApiError> {
        self.all_pages_counted(first, |_| ()).await
    }

    /// Every page from `first` through `Link`, telling `progress` how many items have arrived so far.
    async fn all_pages_counted<T: serde::de::DeserializeOwned>(
        &self,
        first: HttpRequest,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(first);
        while let Some(request) = next.take() {
            let page = decode_page::<T>(&self.send(request).await)?;
            items.extend(page.items);
            progress(items.len());
            next = page.links.next.as_deref().and_then(|url| self.follow(url));
        }
        Ok(items)
    }

    /// Every deployment of the repository, newest first (all pages), with the count so far after each page.
    pub async fn all_deployments(
        &self,
        repo: &RepoRef,
        progress: impl FnMut(usize),
    ) -> Result<Vec<Deployment>, ApiError> {
        self.all_pages_counted(
            self.first_deployments(repo, &DeploymentFilter::default()),
            progress,
        )
        .await
    }

    /// The first page (100, newest first) of the deployments GitHub's filters select.
    pub fn first_deployments(&self, repo: &RepoRef, filter: &DeploymentFilter) -> HttpRequest {
        self.inner
            .client
            .list_deployments(repo, filter, PageRequest::new(100, 1))
    }

    /// The request for a `Link` URL from an earlier answer (only on the API's own origin, core checks).
    pub fn follow(&self, url: &str) -> Option<HttpRequest> {
        self.inner.client.follow_link(url).ok()
    }

    /// One page of deployments, with its `Link`s and the server's `X-Poll-Interval` (seconds) when sent.
    pub async fn deployments_page(
        &self,
        request: HttpRequest,
    ) -> Result<(Page<Deployment>, Option<u64>), ApiError> {
        let response = self.send(request).await;
        let interval = poll_interval(&response);
        decode_page::<Deployment>(&response).map(|page| (page, interval))
    }

    /// A deployment's latest status (`statuses?per_page=1`), `None` when it has none yet.
    pub async fn latest_status(
        &self,
        repo: &RepoRef,
        id: DeploymentId,
    ) -> Result<Option<DeploymentStatus>, ApiError> {
        let response = self.send(self.latest_status_request(repo, id)).await;
        Ok(decode_page::<DeploymentStatus>(&response)?
            .items
            .into_iter()
            .next())
    }
}
