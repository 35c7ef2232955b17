//! The views' only way to GitHub: builds requests with core, performs them through the transport, keeps
//! the rate-limit gauge current, revalidates GETs with ETags (core's `ConditionalCache`), and decodes with
//! core. A view never formats a URL, reads a header or parses an error body.

use std::sync::{Arc, Mutex};

use deploydeck_core::access::AccessReport;
use deploydeck_core::budget::{Budget, Decision, Pacing, RequestClass};
use deploydeck_core::cache::ConditionalCache;
use deploydeck_core::connect::form::HostChoice;
use deploydeck_core::graphql::{decode_graphql, GraphqlFailure};
use deploydeck_core::http::{HttpRequest, HttpResponse};
use deploydeck_core::links::{parse_link_header, PageTrail};
use deploydeck_core::listing::PageAnswer;
use deploydeck_core::model::{Deployment, SimpleUser};
use deploydeck_core::request::{ApiBase, Client, HostKind, Token};
use deploydeck_core::response::{
    broken_paging, decode, decode_page, oauth_scopes, poll_interval, ApiError, RateLimitKind,
    RateLimitSnapshot,
};
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

pub mod repo;

use crate::clock::sleep_ms;
use crate::net::transport::Transport;
use repo::RepoApi;

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
    /// Why GraphQL is not used on this host for the rest of the session (`None`: it is tried).
    rest_only: Mutex<Option<String>>,
    /// The notice the header shows once when GraphQL is given up for REST.
    notice: RwSignal<Option<String>>,
    /// Until when a read waits for a per-minute window of GitHub's secondary limits (not a hold).
    paced_until: Mutex<Option<u64>>,
    /// GraphQL has answered on this host in this session: a request sent there that gets no answer may have run.
    graphql_answered: std::sync::atomic::AtomicBool,
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
        notice: RwSignal<Option<String>>,
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
                // Revalidation profits what is asked again (first pages, single reads), not a listing of thousands of
                // pages: 8 MB of bodies at most.
                cache: Mutex::new(ConditionalCache::new(2_000).max_bytes(8 << 20)),
                budget: Mutex::new(Budget::new(pacing)),
                rate,
                rest_only: Mutex::new(None),
                notice,
                paced_until: Mutex::new(None),
                graphql_answered: std::sync::atomic::AtomicBool::new(false),
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

    /// The pacing of this connection's requests (github.com's limits, or the pause set for GHES).
    pub fn pacing(&self) -> Pacing {
        self.inner
            .budget
            .lock()
            .map(|b| b.pacing().clone())
            .unwrap_or_else(|_| Pacing::unpaced())
    }

    /// What the confirmation says of the pace of writes on this host (core's words from core's numbers).
    pub fn pace_note(&self) -> String {
        deploydeck_core::budget::pace_note(
            &self.pacing(),
            self.is_github_com(),
            self.quota().as_ref(),
        )
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

    /// What to say of the wait besides "waiting for the rate limit", when it is not the server's own (a reset
    /// already past by this computer's clock, a wait longer than an hour asked): core's words.
    pub fn hold_note(&self) -> Option<String> {
        let budget = self.inner.budget.lock().ok()?;
        budget.hold(now_millis()).and_then(|hold| hold.note())
    }

    /// How long GitHub's rate limit still holds requests back (ms), and which limit, if it does: REST's, or
    /// GraphQL's hourly points (its primary limit) while reads wait for them.
    pub fn hold_left(&self) -> Option<(u64, RateLimitKind)> {
        let now = now_millis();
        let budget = self.inner.budget.lock().ok()?;
        budget
            .hold(now)
            .map(|hold| (hold.until.saturating_sub(now), hold.limit))
            .or_else(|| {
                budget
                    .graphql_hold(now)
                    .map(|until| (until - now, RateLimitKind::Primary))
            })
    }

    /// How long reads wait for one of GitHub's per-minute windows, with what to say about it (`None`: they
    /// are not waiting, or a rate limit holds them, which [`Api::hold_left`] tells).
    pub fn window_wait(&self) -> Option<String> {
        let now = now_millis();
        let until = (*self.inner.paced_until.lock().ok()?)?;
        let budget = self.inner.budget.lock().ok()?;
        (until > now && budget.hold(now).is_none())
            .then(|| deploydeck_core::budget::window_note(until - now, budget.pacing()))
    }

    /// Whether reads go through GraphQL on this host (until it cannot be used there, for this session).
    pub fn uses_graphql(&self) -> bool {
        self.inner
            .rest_only
            .lock()
            .map(|r| r.is_none())
            .unwrap_or(false)
    }

    /// One GraphQL request, `read` decoding its answer: waits out GraphQL's own rate limit (a RATE_LIMITED
    /// answer holds GraphQL until its reset, then asks again). `Ok(None)`: read this through REST instead —
    /// GraphQL cannot be used on this host (from now on, said once in the header), or this document was
    /// refused.
    pub(super) async fn graphql<T>(
        &self,
        request: HttpRequest,
        read: impl Fn(&HttpResponse) -> Result<T, GraphqlFailure>,
    ) -> Result<Option<T>, ApiError> {
        loop {
            if !self.uses_graphql() {
                return Ok(None);
            }
            let hold = self
                .inner
                .budget
                .lock()
                .ok()
                .and_then(|b| b.graphql_hold(now_millis()));
            if let Some(until) = hold {
                sleep_ms(until.saturating_sub(now_millis()).max(1)).await;
                continue;
            }
            let failure = match read(&self.send(request.clone()).await) {
                Ok(answer) => {
                    self.inner
                        .graphql_answered
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                    return Ok(Some(answer));
                }
                Err(failure) => failure,
            };
            if let Some(until) = failure.wait_until(now_millis()) {
                if let Ok(mut budget) = self.inner.budget.lock() {
                    budget.hold_graphql(until);
                }
                continue;
            }
            return match failure {
                GraphqlFailure::Api(error) => Err(error),
                GraphqlFailure::Refused(_) | GraphqlFailure::RateLimited { .. } => Ok(None),
                GraphqlFailure::Unavailable { .. } => {
                    self.rest_from_now_on(&failure);
                    Ok(None)
                }
            };
        }
    }

    /// Whether a GraphQL write may go now: GraphQL is used on this host and has answered here (asked first with
    /// the cheapest query when it has not), so that a write that then gets no answer is known to have reached it
    /// — rather than GraphQL being absent or refused by the browser, where the write never ran.
    pub(crate) async fn graphql_writable(&self) -> bool {
        if !self.uses_graphql() {
            return false;
        }
        if self
            .inner
            .graphql_answered
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            return true;
        }
        let probe = self.client().graphql_probe();
        matches!(
            self.graphql(probe, |r| decode_graphql::<serde_json::Value>(r)
                .map(|_| ()))
                .await,
            Ok(Some(()))
        )
    }

    /// GraphQL cannot be used on this host: REST for the rest of the session, said once.
    fn rest_from_now_on(&self, failure: &GraphqlFailure) {
        let Some(note) = failure.note() else {
            return;
        };
        let first = self
            .inner
            .rest_only
            .lock()
            .map(|mut r| r.replace(note.clone()).is_none())
            .unwrap_or(false);
        if first {
            self.inner.notice.set(Some(note));
        }
    }

    /// The token's quota as the last answer gave it (`None`: no answer yet, or a host without rate limits).
    pub fn quota(&self) -> Option<RateLimitSnapshot> {
        self.inner.rate.get_untracked()
    }

    /// The quota before a costly read is weighed: as the last answer gave it, else asked (`GET /rate_limit`
    /// costs none) — a read started before any REST answer arrived (a deep link's first request) must not pass
    /// for a host without limits. `None`: the host has none.
    pub async fn known_quota(&self) -> Option<RateLimitSnapshot> {
        if let Some(known) = self.quota() {
            return Some(known);
        }
        self.send(self.client().get_rate_limit()).await;
        self.quota()
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
        let answer = self.send_once(request.clone(), true).await;
        if answer.status == 304 {
            // "Not modified", but the kept answer is gone (a write to the repository forgot it while this
            // read was on its way): ask again without a condition.
            return self.send_once(request, false).await;
        }
        answer
    }

    async fn send_once(&self, request: HttpRequest, conditional: bool) -> HttpResponse {
        let class = RequestClass::of_request(&request);
        self.admit(class).await;
        // If this future is dropped before the answer (its view went away and stopped its tasks), the budget
        // must not count the request as in flight for ever.
        let mut in_flight = InFlight {
            api: self,
            class,
            answered: false,
        };
        let request = match self.inner.cache.lock() {
            Ok(cache) if conditional => cache.prepare(request),
            _ => request,
        };
        let signal = self.abort.as_ref().map(|c| c.signal());
        let mut response = self.inner.transport.send(&request, signal.as_ref()).await;
        in_flight.answered = true;
        if let Ok(mut budget) = self.inner.budget.lock() {
            // Also writes onto a rate-limit answer the wait core keeps when the server's cannot be used.
            budget.finished(class, now_millis(), &mut response);
        }
        // The gauge shows REST's quota; GraphQL's points are another one.
        if let Some(snapshot) =
            RateLimitSnapshot::from_headers(&response.headers).filter(RateLimitSnapshot::is_core)
        {
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
                Decision::At(at) => {
                    if class == RequestClass::Read {
                        if let Ok(mut until) = self.inner.paced_until.lock() {
                            *until = Some(at);
                        }
                    }
                    sleep_ms(at.saturating_sub(now).max(1)).await
                }
                Decision::WhenOneFinishes => sleep_ms(10).await,
            }
        }
    }

    pub async fn user(&self) -> Result<(SimpleUser, Option<Vec<String>>), ApiError> {
        let response = self.send(self.inner.client.get_authenticated_user()).await;
        let scopes = oauth_scopes(&response.headers);
        decode(&response).map(|user| (user, scopes))
    }

    /// The handle for one repository's endpoints (as octocrab's `repos(owner, repo)`).
    pub fn repo(&self, repo: &RepoRef) -> RepoApi {
        RepoApi::new(self.clone(), repo.clone())
    }

    /// Core's request builder for this host and token.
    pub(super) fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The API base, for "copy as gh api" (GHES needs `--hostname`).
    pub fn base(&self) -> &ApiBase {
        self.inner.client.base()
    }

    /// The request for a `Link` URL from an earlier answer — only on the API's own origin (core checks);
    /// otherwise why not, as the error that says the list stops there.
    pub fn follow(&self, url: &str) -> Result<HttpRequest, ApiError> {
        self.inner
            .client
            .follow_link(url)
            .map_err(|_| ApiError::LinkNotFollowed {
                link: url.to_owned(),
                expected: self.inner.client.base().origin(),
            })
    }

    /// Whether an answer to `request` is kept (so asking again is conditional, and free when unchanged).
    pub(super) fn is_kept(&self, request: &HttpRequest) -> bool {
        self.inner
            .cache
            .lock()
            .map(|cache| cache.get(&request.url).is_some())
            .unwrap_or(false)
    }

    /// One page of deployments as core's list takes it: its `Link`s and the server's `X-Poll-Interval`
    /// (seconds) when sent.
    pub async fn deployments_page(&self, request: HttpRequest) -> Result<PageAnswer, ApiError> {
        let response = self.send(request).await;
        let poll_secs = poll_interval(&response);
        decode_page::<Deployment>(&response).map(|page| PageAnswer { page, poll_secs })
    }

    /// Every item of every page from `first` on (through `Link`).
    pub(super) async fn all_pages<T: serde::de::DeserializeOwned>(
        &self,
        first: HttpRequest,
    ) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        self.pages(first, decode, |page: Vec<T>| {
            items.extend(page);
            true
        })
        .await?;
        Ok(items)
    }

    /// The one `Link` pager: every page from `first` on, `read` decoding each answer's items and `page`
    /// hearing them as they arrive, until there is no `next` page or `page` says stop (false). The first
    /// failure ends it. `Link`s are followed only on the API's own origin (core's `follow_link`): a next page
    /// elsewhere ends it with `ApiError::LinkNotFollowed`, never a list silently cut short; paging that does not
    /// end (core's `PageTrail`: a page already read, pages past the last announced) ends it with
    /// `ApiError::PagingBroken`.
    pub(super) async fn pages<T>(
        &self,
        first: HttpRequest,
        read: impl Fn(&HttpResponse) -> Result<Vec<T>, ApiError>,
        mut page: impl FnMut(Vec<T>) -> bool,
    ) -> Result<(), ApiError> {
        let mut trail = PageTrail::new(&first.url);
        let mut next = Some(first);
        while let Some(request) = next.take() {
            let response = self.send(request.clone()).await;
            let items = read(&response)?;
            let count = items.len();
            if page(items) {
                let links = response
                    .header("link")
                    .map(parse_link_header)
                    .unwrap_or_default();
                match trail.next(&request.url, count, &links) {
                    Ok(Some(url)) => next = Some(self.follow(&url)?),
                    Ok(None) => {}
                    Err(fault) => {
                        let (pages, items) = trail.read();
                        return Err(broken_paging(&fault, pages, items));
                    }
                }
            }
        }
        Ok(())
    }
}
