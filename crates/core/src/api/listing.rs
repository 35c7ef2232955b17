//! History's list, sans-IO: every deployment through `Link` pages, the states asked for, the live refresh.
//! The view performs the requests this asks for and hands the answers back (the `handle_*` / `next_*` style
//! of the rest of core); time is passed in.
//!
//! Guarantees (unit and property tests below and in `tests/listing_props.rs`):
//! - a page answered for an earlier set of filters (an older generation) never changes the list;
//! - no deployment is listed twice, though pages shift when deployments are created while paging, and a
//!   refresh never loses a row already listed;
//! - a failed page keeps what was listed and can be asked again; a rate limit is waited out and the list goes
//!   on by itself;
//! - a state is never asked for while it is known or already being asked, and each id waiting is handed out
//!   once;
//! - a plan's reads (`PlanReads`) give every listed deployment the last state read for it, whether the state
//!   came before or after the listing ended.

use std::collections::{HashMap, HashSet};

use crate::api::http::HttpRequest;
use crate::api::links::{check_next, page_param, PagingFault};
use crate::api::response::{broken_paging, ApiError, Page};
use crate::github::model::{Creators, Deployment, DeploymentId, Latest};
use crate::github::rules::DeploymentRecord;
use crate::url::with_page;

/// How often the list is asked again while the tab is visible, unless GitHub asks for longer
/// (`X-Poll-Interval`).
pub const REFRESH_SECS: u64 = 30;

/// A page to fetch for the list of one generation (one set of GitHub's filters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageAsk {
    pub generation: u64,
    pub request: HttpRequest,
}

/// A page of deployments as it came back, with the server's `X-Poll-Interval` (seconds) when sent.
#[derive(Debug, Clone, PartialEq)]
pub struct PageAnswer {
    pub page: Page<Deployment>,
    pub poll_secs: Option<u64>,
}

/// Where listing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStatus {
    Loading,
    LoadingMore,
    Done,
    /// A page failed; the rows listed stay. A rate limit (`ApiError::RateLimited`) goes on by itself.
    Failed(ApiError),
}

/// The deployments listed so far for the current filters, newest first.
///
/// Pages are asked for in parallel once GitHub says how many there are: the first page's `Link` names the
/// `last` one, so every page between is asked for at once (the connection's budget bounds how many are in
/// flight). Without a `last` link, pages are followed one `next` at a time. Answers may come in any order,
/// but the rows grow only from the top down: a page answered before an earlier one waits for it, so the list
/// never shows a gap (and a failed page keeps everything after it back until it is asked again).
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentList {
    rows: Vec<Deployment>,
    ids: HashSet<DeploymentId>,
    status: ListStatus,
    generation: u64,
    /// Every page URL asked for in this generation (so none is asked twice), and those not answered yet.
    asked: Vec<String>,
    outstanding: Vec<String>,
    /// The pages that failed, to ask again (not for a rate limit: that one is asked again by itself).
    failed: Vec<HttpRequest>,
    poll_secs: Option<u64>,
    /// Pages asked in parallel: the number of the next page the rows take, and pages answered ahead of it.
    spread: Option<u32>,
    held: Vec<(u32, Vec<Deployment>)>,
    /// Each creator kept once across the rows.
    creators: Creators,
    /// A next page GitHub named that could not be followed (another origin), or paging that does not end: the
    /// list is cut short there.
    cut_short: Option<ApiError>,
    /// Pages answered in this generation, and the `last` page the host announced first.
    pages_read: u32,
    announced_last: Option<u32>,
}

impl Default for DeploymentList {
    fn default() -> Self {
        DeploymentList {
            rows: Vec::new(),
            ids: HashSet::new(),
            status: ListStatus::Loading,
            generation: 0,
            asked: Vec::new(),
            outstanding: Vec::new(),
            failed: Vec::new(),
            poll_secs: None,
            spread: None,
            held: Vec::new(),
            creators: Creators::default(),
            cut_short: None,
            pages_read: 0,
            announced_last: None,
        }
    }
}

impl DeploymentList {
    pub fn rows(&self) -> &[Deployment] {
        &self.rows
    }

    /// The rows, given up (a listing read to its end hands them over without a copy).
    pub fn into_rows(self) -> Vec<Deployment> {
        self.rows
    }

    pub fn status(&self) -> &ListStatus {
        &self.status
    }

    /// Why the list stops short of what GitHub has, if it does: a next page named where the token must not
    /// go (`ApiError::LinkNotFollowed`), or paging that does not end (`ApiError::PagingBroken`).
    pub fn cut_short(&self) -> Option<&ApiError> {
        self.cut_short.as_ref()
    }

    /// The count line's words for a list cut short (the error itself is shown below it).
    pub fn cut_short_note(&self) -> Option<&'static str> {
        self.cut_short.as_ref().map(|why| match why {
            ApiError::PagingBroken { .. } => {
                " The server's paging broke off, so the list stops here: see below."
            }
            _ => " GitHub has more, which could not be read: see below.",
        })
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether "Load the rest" has pages to ask for again.
    pub fn can_resume(&self) -> bool {
        !self.failed.is_empty()
    }

    /// New filters: the list starts over from `first`, and answers for the old ones are ignored from now on.
    pub fn restart(&mut self, first: HttpRequest) -> PageAsk {
        self.generation += 1;
        self.rows.clear();
        self.ids.clear();
        self.failed.clear();
        self.spread = None;
        self.held.clear();
        self.cut_short = None;
        self.pages_read = 0;
        self.announced_last = None;
        self.asked = vec![first.url.clone()];
        self.outstanding = self.asked.clone();
        self.status = ListStatus::Loading;
        PageAsk {
            generation: self.generation,
            request: first,
        }
    }

    /// The answer to `ask`: the rows it adds (each once), and the pages to fetch next — after the first page,
    /// every page up to the `last` one GitHub names; otherwise the `next` one. `follow` turns a `Link` URL into
    /// a request, or says why it cannot be followed (the list is then [cut short](Self::cut_short)). An answer
    /// for an older generation changes nothing and asks for nothing; no page is asked for twice.
    pub fn handle_page(
        &mut self,
        ask: &PageAsk,
        answer: Result<PageAnswer, ApiError>,
        follow: impl Fn(&str) -> Result<HttpRequest, ApiError>,
    ) -> Vec<PageAsk> {
        if ask.generation != self.generation {
            return Vec::new();
        }
        let url = &ask.request.url;
        match answer {
            Ok(PageAnswer { page, poll_secs }) => {
                self.outstanding.retain(|u| u != url);
                self.failed.retain(|r| &r.url != url);
                if page.links.prev.is_none() {
                    self.poll_secs = poll_secs;
                }
                self.pages_read += 1;
                if self.announced_last.is_none() {
                    self.announced_last = page.links.last_page();
                }
                let this_page = page_param(url);
                let empty = page.items.is_empty();
                self.take_page(this_page, page.items);
                // Paging that does not end stops here, said (docs/github-api.md §4): a next page before this
                // one or already read while pages are followed one by one, past the last announced, too many,
                // after an empty page. Once it has, nothing more is asked for these filters.
                if matches!(self.cut_short, Some(ApiError::PagingBroken { .. })) {
                    self.settle(None);
                    return Vec::new();
                }
                if let Some(next) = page.links.next.as_deref() {
                    let repeated = self.spread.is_none()
                        && follow(next).is_ok_and(|r| self.asked.contains(&r.url));
                    let fault = check_next(
                        this_page,
                        page.links.next_page(),
                        self.announced_last,
                        self.pages_read,
                        empty,
                    )
                    .err()
                    .or(repeated.then(|| PagingFault::Repeats {
                        page: page.links.next_page(),
                    }));
                    if let Some(fault) = fault {
                        self.cut_short.get_or_insert(broken_paging(
                            &fault,
                            self.pages_read,
                            self.rows.len(),
                        ));
                        self.settle(None);
                        return Vec::new();
                    }
                }
                let candidates: Vec<String> = match (
                    page.links.next.as_deref(),
                    page.links.next_page(),
                    page.links.last_page(),
                ) {
                    (Some(next), Some(from), Some(last)) if last >= from => {
                        if self.spread.is_none() {
                            self.spread = Some(from);
                            // Every page is coming: room for their rows at once, rather than growing
                            // (and copying) the rows page after page (`check_next` bounds how many).
                            let per_page = self.rows.len().max(1);
                            self.rows.reserve(per_page * (last - from + 1) as usize);
                        }
                        (from..=last).map(|p| with_page(next, p)).collect()
                    }
                    (Some(next), _, _) => vec![next.to_owned()],
                    (None, _, _) => Vec::new(),
                };
                let mut asks = Vec::new();
                for candidate in candidates {
                    let request = match follow(&candidate) {
                        Ok(request) => request,
                        Err(why) => {
                            self.cut_short.get_or_insert(why);
                            continue;
                        }
                    };
                    if !self.asked.contains(&request.url) {
                        self.asked.push(request.url.clone());
                        self.outstanding.push(request.url.clone());
                        asks.push(PageAsk {
                            generation: self.generation,
                            request,
                        });
                    }
                }
                self.settle(None);
                asks
            }
            Err(error) => {
                // A rate limit: the budget holds every request until GitHub's reset, so asking again now waits
                // for it, then goes on by itself.
                if matches!(error, ApiError::RateLimited { .. }) {
                    self.status = ListStatus::Failed(error);
                    return vec![ask.clone()];
                }
                if !self.failed.iter().any(|r| &r.url == url) {
                    self.failed.push(ask.request.clone());
                }
                self.settle(Some(error));
                Vec::new()
            }
        }
    }

    /// Where listing stands after an answer: a failure shown until its page is asked again, else done once
    /// no page is waiting.
    fn settle(&mut self, error: Option<ApiError>) {
        if let Some(error) = error {
            self.status = ListStatus::Failed(error);
        } else if self.failed.is_empty() {
            self.status = if self.outstanding.is_empty() {
                ListStatus::Done
            } else {
                ListStatus::LoadingMore
            };
        }
    }

    /// "Load the rest": the failed pages again, the rows listed staying.
    pub fn resume(&mut self) -> Vec<PageAsk> {
        let failed = std::mem::take(&mut self.failed);
        if failed.is_empty() {
            return Vec::new();
        }
        self.status = if self.rows.is_empty() {
            ListStatus::Loading
        } else {
            ListStatus::LoadingMore
        };
        failed
            .into_iter()
            .map(|request| PageAsk {
                generation: self.generation,
                request,
            })
            .collect()
    }

    /// A refresh's first page (asked at `generation`): deployments made since are added at the top, newest
    /// first; nothing listed is lost or doubled. Returns whether the list changed.
    pub fn handle_refresh(&mut self, generation: u64, answer: PageAnswer) -> bool {
        if generation != self.generation {
            return false;
        }
        self.poll_secs = answer.poll_secs;
        let before = self.rows.len();
        self.extend(answer.page.items);
        self.rows.len() != before
    }

    /// Whether the live refresh is due: the tab is visible and the interval (GitHub's `X-Poll-Interval` if it
    /// is longer than ours) has passed since the last one.
    pub fn refresh_due(&self, last_ms: f64, now_ms: f64, visible: bool) -> bool {
        let wait = self.poll_secs.unwrap_or(0).max(REFRESH_SECS) as f64 * 1000.0;
        visible && now_ms - last_ms >= wait
    }

    /// A page's rows: added now, unless pages are asked in parallel and an earlier one has not come yet.
    fn take_page(&mut self, number: Option<u32>, items: Vec<Deployment>) {
        match (self.spread, number) {
            (Some(next), Some(n)) if n > next => {
                self.held.retain(|(held, _)| *held != n);
                self.held.push((n, items));
            }
            (Some(next), Some(n)) if n == next => {
                self.extend(items);
                let mut next = next + 1;
                while let Some(at) = self.held.iter().position(|(held, _)| *held == next) {
                    let (_, items) = self.held.swap_remove(at);
                    self.extend(items);
                    next += 1;
                }
                self.spread = Some(next);
            }
            _ => self.extend(items),
        }
    }

    /// Adds the deployments not listed yet, keeping the rows newest first.
    fn extend(&mut self, mut items: Vec<Deployment>) {
        self.creators.share(&mut items);
        let mut in_order = true;
        for d in items {
            if self.ids.insert(d.id) {
                in_order &= self.rows.last().is_none_or(|last| d.id < last.id);
                self.rows.push(d);
            }
        }
        if !in_order {
            crate::order::sort_by_key(&mut self.rows, |d| std::cmp::Reverse(d.id));
        }
    }
}

/// How a batch of ids joins the state queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskMode {
    /// Replaces what is waiting (rows scrolled past are no longer asked for).
    Only,
    /// Adds to what is waiting.
    Also,
}

/// The latest states to ask for, a few at a time: what is on screen is asked for first (pushed last, taken
/// from the end).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateQueue {
    waiting: Vec<DeploymentId>,
    in_flight: HashSet<DeploymentId>,
}

impl StateQueue {
    /// Asks for the states of `ids` (the last one first); `known` ids and those already being asked are
    /// left out.
    pub fn ask(
        &mut self,
        ids: impl IntoIterator<Item = DeploymentId>,
        mode: AskMode,
        known: impl Fn(DeploymentId) -> bool,
    ) {
        if mode == AskMode::Only {
            self.waiting.clear();
        }
        for id in ids {
            if !known(id) && !self.in_flight.contains(&id) {
                self.waiting.retain(|x| *x != id);
                self.waiting.push(id);
            }
        }
    }

    /// The next state to ask for, now counted as being asked.
    pub fn take_next(&mut self) -> Option<DeploymentId> {
        let id = self.waiting.pop()?;
        self.in_flight.insert(id);
        Some(id)
    }

    /// The answer for `id` arrived (or failed: a later ask may try again).
    pub fn done(&mut self, id: DeploymentId) {
        self.in_flight.remove(&id);
    }

    pub fn is_idle(&self) -> bool {
        self.waiting.is_empty() && self.in_flight.is_empty()
    }

    pub fn has_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }
}

/// Every deployment a plan covers with its latest state, as the reads arrive: the states of a page may come
/// (through GraphQL, while the list is still paging) before the listing ends, so they wait apart until their
/// deployment is listed. One copy of each deployment: a plan may cover 100,000.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanReads {
    /// Newest first, each deployment once, once listed.
    records: Vec<DeploymentRecord>,
    listed: bool,
    /// States heard for deployments not listed yet.
    early: HashMap<DeploymentId, Option<Latest>>,
    /// The deployments whose latest state was read (`None` included: it has none).
    known: HashSet<DeploymentId>,
}

impl PlanReads {
    /// The listing ended: these are the deployments (any order; one of each id kept). States heard before
    /// join them.
    pub fn listed(&mut self, mut deployments: Vec<Deployment>) {
        crate::order::sort_by_key(&mut deployments, |d| std::cmp::Reverse(d.id));
        deployments.dedup_by_key(|d| d.id);
        let mut early = std::mem::take(&mut self.early);
        self.records = deployments
            .into_iter()
            .map(|deployment| DeploymentRecord {
                latest_status: early.remove(&deployment.id).flatten(),
                deployment,
            })
            .collect();
        self.known
            .retain(|id| self.records.binary_search_by(|r| id.cmp(&r.id())).is_ok());
        self.listed = true;
    }

    /// States read (`None`: the deployment has no status yet); a later read of the same deployment wins.
    pub fn heard(&mut self, batch: &[(DeploymentId, Option<Latest>)]) {
        for (id, latest) in batch {
            if !self.listed {
                self.known.insert(*id);
                self.early.insert(*id, latest.clone());
            } else if let Ok(at) = self.records.binary_search_by(|r| id.cmp(&r.id())) {
                self.known.insert(*id);
                self.records[at].latest_status = latest.clone();
            }
        }
    }

    pub fn is_listed(&self) -> bool {
        self.listed
    }

    /// Every listed deployment with its latest state (empty until listed), newest first.
    pub fn records(&self) -> &[DeploymentRecord] {
        &self.records
    }

    /// How many latest states were read.
    pub fn states_read(&self) -> usize {
        self.known.len()
    }

    /// The listed deployments whose state is still to read: REST id and node id.
    pub fn unread(&self) -> Vec<(DeploymentId, String)> {
        self.records
            .iter()
            .filter(|r| !self.known.contains(&r.id()))
            .map(|r| (r.id(), r.deployment.node_id.clone()))
            .collect()
    }

    /// Listed, and every state read.
    pub fn is_complete(&self) -> bool {
        self.listed && self.records.iter().all(|r| self.known.contains(&r.id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::http::Method;
    use crate::api::links::Links;
    use crate::api::response::{RateLimitKind, RetryWait};
    use crate::github::rules::tests::deployment;

    fn request(page: u32) -> HttpRequest {
        HttpRequest::new(
            Method::Get,
            format!("https://api.github.com/repos/o/r/deployments?per_page=100&page={page}"),
        )
    }

    fn page(ids: &[u64], next: Option<u32>) -> PageAnswer {
        PageAnswer {
            page: Page {
                items: ids.iter().map(|id| deployment(*id, "staging")).collect(),
                links: Links {
                    next: next.map(|n| format!("page={n}")),
                    ..Links::default()
                },
                etag: None,
            },
            poll_secs: None,
        }
    }

    fn follow(url: &str) -> Result<HttpRequest, ApiError> {
        url.strip_prefix("page=")
            .and_then(|n| n.parse().ok())
            .map(request)
            .ok_or_else(|| ApiError::LinkNotFollowed {
                link: url.to_owned(),
                expected: "https://api.github.com".into(),
            })
    }

    fn ids(list: &DeploymentList) -> Vec<u64> {
        list.rows().iter().map(|d| d.id.0).collect()
    }

    #[test]
    fn pages_are_listed_in_order_each_deployment_once_and_the_list_ends_with_the_last() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let second = list
            .handle_page(&first, Ok(page(&[9, 8, 7], Some(2))), follow)
            .remove(0);
        assert_eq!(second.request, request(2));
        assert_eq!(list.status(), &ListStatus::LoadingMore);
        // A deployment made meanwhile shifted the pages: 7 comes again, and is listed once.
        assert_eq!(
            list.handle_page(&second, Ok(page(&[7, 6], None)), follow),
            []
        );
        assert_eq!(ids(&list), [9, 8, 7, 6]);
        assert_eq!(list.status(), &ListStatus::Done);
    }

    /// A page answer whose `Link` names `next` and `last` as GitHub's full URLs.
    fn linked(ids: &[u64], next: Option<u32>, last: Option<u32>) -> PageAnswer {
        let mut answer = page(ids, None);
        answer.page.links.next = next.map(|n| request(n).url);
        answer.page.links.last = last.map(|n| request(n).url);
        answer
    }

    fn follow_url(url: &str) -> Result<HttpRequest, ApiError> {
        Ok(HttpRequest::new(Method::Get, url))
    }

    #[test]
    fn once_the_last_page_is_known_every_page_is_asked_at_once_and_answers_may_come_in_any_order() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let asks = list.handle_page(&first, Ok(linked(&[20, 19], Some(2), Some(4))), follow_url);
        assert_eq!(
            asks.iter()
                .map(|a| a.request.url.clone())
                .collect::<Vec<_>>(),
            [2, 3, 4].map(|n| request(n).url),
            "pages 2 to 4, in order"
        );
        // Page 4 first: it waits for 2 and 3, so the list never shows a gap.
        assert!(list
            .handle_page(&asks[2], Ok(linked(&[14, 13], None, None)), follow_url)
            .is_empty());
        assert_eq!(ids(&list), [20, 19]);
        assert!(
            list.handle_page(
                &asks[0],
                Ok(linked(&[18, 17], Some(3), Some(4))),
                follow_url
            )
            .is_empty(),
            "page 3 is asked already"
        );
        assert_eq!(ids(&list), [20, 19, 18, 17]);
        assert_eq!(list.status(), &ListStatus::LoadingMore);
        // Page 3 fails: what came stays, the failure shows, and only page 3 is asked again.
        let error = ApiError::Server {
            status: 502,
            message: "Bad Gateway".into(),
        };
        assert!(list
            .handle_page(&asks[1], Err(error.clone()), follow_url)
            .is_empty());
        assert_eq!(list.status(), &ListStatus::Failed(error));
        assert_eq!(ids(&list), [20, 19, 18, 17], "page 4 still waits for 3");
        let again = list.resume();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].request, request(3));
        list.handle_page(
            &again[0],
            Ok(linked(&[16, 15], Some(4), Some(4))),
            follow_url,
        );
        assert_eq!(ids(&list), [20, 19, 18, 17, 16, 15, 14, 13]);
        assert_eq!(list.status(), &ListStatus::Done);
    }

    fn broken(list: &DeploymentList) -> String {
        match list.cut_short() {
            Some(ApiError::PagingBroken { why, .. }) => why.clone(),
            other => panic!("not cut short by broken paging: {other:?}"),
        }
    }

    #[test]
    fn a_next_link_to_the_page_itself_ends_the_list_and_says_so() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        assert!(list
            .handle_page(&first, Ok(linked(&[9, 8], Some(1), None)), follow_url)
            .is_empty());
        assert_eq!(ids(&list), [9, 8], "what was read stays");
        assert_eq!(list.status(), &ListStatus::Done);
        assert_eq!(broken(&list), "page 1 names page 1 as the next one");
        assert!(list.cut_short_note().unwrap().contains("paging broke off"));
        let ApiError::PagingBroken { pages, items, .. } = list.cut_short().unwrap() else {
            unreachable!()
        };
        assert_eq!((*pages, *items), (1, 2));
    }

    #[test]
    fn a_next_link_back_to_a_page_already_read_ends_the_list() {
        // Without page numbers to compare, the URL already asked tells.
        let mut list = DeploymentList::default();
        let first = list.restart(HttpRequest::new(Method::Get, "https://api.github.com/a"));
        let mut answer = page(&[9], None);
        answer.page.links.next = Some("https://api.github.com/b".into());
        let second = list.handle_page(&first, Ok(answer), follow_url).remove(0);
        let mut answer = page(&[8], None);
        answer.page.links.next = Some("https://api.github.com/a".into());
        assert!(list.handle_page(&second, Ok(answer), follow_url).is_empty());
        assert_eq!(ids(&list), [9, 8]);
        assert_eq!(broken(&list), "its next page is one that was already read");
    }

    #[test]
    fn pages_past_the_announced_last_or_an_absurd_last_end_the_list() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let asks = list.handle_page(&first, Ok(linked(&[30], Some(2), Some(3))), follow_url);
        assert_eq!(asks.len(), 2);
        list.handle_page(&asks[0], Ok(linked(&[29], Some(3), Some(3))), follow_url);
        // The last page names page 40 as the next: far past the 3 announced (a list growing by a few
        // pages while read is not that).
        assert!(list
            .handle_page(&asks[1], Ok(linked(&[28], Some(40), Some(40))), follow_url)
            .is_empty());
        assert_eq!(ids(&list), [30, 29, 28]);
        assert_eq!(
            broken(&list),
            "it announced 3 pages, then named page 40 as the next one"
        );

        // A `last` of four billion pages asks for nothing (and reserves nothing).
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        assert!(list
            .handle_page(
                &first,
                Ok(linked(&[9], Some(2), Some(u32::MAX))),
                follow_url
            )
            .is_empty());
        assert!(broken(&list).contains("more than 10,000 pages"));
        // New filters start clean.
        list.restart(request(1));
        assert!(list.cut_short().is_none());
    }

    #[test]
    fn an_empty_page_that_names_a_next_one_ends_the_list() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let second = list
            .handle_page(&first, Ok(linked(&[9], Some(2), None)), follow_url)
            .remove(0);
        assert!(list
            .handle_page(&second, Ok(linked(&[], Some(3), None)), follow_url)
            .is_empty());
        assert_eq!(broken(&list), "a page with nothing on it names a next page");
    }

    #[test]
    fn an_endless_chain_without_a_last_page_ends_at_the_ceiling() {
        let mut list = DeploymentList::default();
        let mut ask = list.restart(request(1));
        let mut pages = 0;
        loop {
            pages += 1;
            let n = page_param(&ask.request.url).unwrap();
            let mut asks = list.handle_page(
                &ask,
                Ok(linked(&[u64::from(n)], Some(n + 1), None)),
                follow_url,
            );
            if asks.is_empty() {
                break;
            }
            ask = asks.remove(0);
            assert!(pages <= crate::api::links::UNANNOUNCED_PAGES);
        }
        assert_eq!(pages, crate::api::links::UNANNOUNCED_PAGES);
        assert!(broken(&list).contains("without ever saying how many"));
    }

    #[test]
    fn a_list_that_grew_while_paging_follows_the_last_page_s_next() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let asks = list.handle_page(&first, Ok(linked(&[9, 8], Some(2), Some(2))), follow_url);
        assert_eq!(asks.len(), 1);
        // Deployments made meanwhile pushed one more page behind the last.
        let more = list.handle_page(&asks[0], Ok(linked(&[8, 7], Some(3), Some(3))), follow_url);
        assert_eq!(more.len(), 1);
        assert_eq!(more[0].request, request(3));
        assert_eq!(list.status(), &ListStatus::LoadingMore);
        list.handle_page(&more[0], Ok(linked(&[6], None, None)), follow_url);
        assert_eq!(ids(&list), [9, 8, 7, 6]);
        assert_eq!(list.status(), &ListStatus::Done);
    }

    #[test]
    fn a_next_page_that_cannot_be_followed_cuts_the_list_short_and_says_why_until_new_filters() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let elsewhere = |url: &str| -> Result<HttpRequest, ApiError> {
            Err(ApiError::LinkNotFollowed {
                link: url.to_owned(),
                expected: "https://ghe.example.com".into(),
            })
        };
        let asks = list.handle_page(&first, Ok(linked(&[9, 8], Some(2), Some(3))), elsewhere);
        assert!(
            asks.is_empty(),
            "nothing is asked where the token must not go"
        );
        assert_eq!(ids(&list), [9, 8]);
        assert_eq!(list.status(), &ListStatus::Done);
        assert!(matches!(
            list.cut_short(),
            Some(ApiError::LinkNotFollowed { expected, .. }) if expected == "https://ghe.example.com"
        ));
        list.restart(request(1));
        assert_eq!(list.cut_short(), None);
    }

    #[test]
    fn a_page_url_gets_its_page_number() {
        assert_eq!(
            with_page(
                "https://api.github.com/repos/o/r/deployments?per_page=100&page=2",
                7
            ),
            "https://api.github.com/repos/o/r/deployments?per_page=100&page=7"
        );
        assert_eq!(
            with_page("https://h/x?environment=prod", 3),
            "https://h/x?environment=prod&page=3"
        );
    }

    #[test]
    fn an_answer_for_earlier_filters_changes_nothing() {
        let mut list = DeploymentList::default();
        let old = list.restart(request(1));
        let new = list.restart(request(1));
        assert_eq!(list.handle_page(&old, Ok(page(&[5], Some(2))), follow), []);
        assert!(list.rows().is_empty());
        assert_eq!(list.status(), &ListStatus::Loading);
        list.handle_page(&new, Ok(page(&[4], None)), follow);
        assert_eq!(ids(&list), [4]);
        assert!(!list.handle_refresh(old.generation, page(&[6, 4], None)));
    }

    #[test]
    fn a_failed_page_keeps_the_rows_and_is_asked_again_on_demand_a_rate_limit_by_itself() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        let second = list
            .handle_page(&first, Ok(page(&[9, 8], Some(2))), follow)
            .remove(0);
        let error = ApiError::Server {
            status: 502,
            message: "Bad Gateway".into(),
        };
        assert_eq!(list.handle_page(&second, Err(error.clone()), follow), []);
        assert_eq!(list.status(), &ListStatus::Failed(error));
        assert!(list.can_resume());
        let again = list.resume().remove(0);
        assert_eq!(again.request, request(2));
        assert_eq!(list.status(), &ListStatus::LoadingMore);
        let limited = ApiError::RateLimited {
            limit: RateLimitKind::Primary,
            wait: RetryWait::Seconds(60),
            message: "API rate limit exceeded".into(),
        };
        assert_eq!(
            list.handle_page(&again, Err(limited), follow),
            std::slice::from_ref(&again)
        );
        assert!(!list.can_resume(), "nothing to press: it goes on by itself");
        list.handle_page(&again, Ok(page(&[7], None)), follow);
        assert_eq!(ids(&list), [9, 8, 7]);
    }

    #[test]
    fn a_refresh_adds_what_is_new_at_the_top() {
        let mut list = DeploymentList::default();
        let first = list.restart(request(1));
        list.handle_page(&first, Ok(page(&[5, 4], None)), follow);
        assert!(list.handle_refresh(first.generation, page(&[7, 6, 5], None)));
        assert_eq!(ids(&list), [7, 6, 5, 4]);
        assert!(!list.handle_refresh(first.generation, page(&[7, 6, 5], None)));
    }

    #[test]
    fn a_refresh_is_due_after_the_longer_of_ours_and_github_s_interval_while_visible() {
        let mut list = DeploymentList::default();
        assert!(!list.refresh_due(0.0, 29_999.0, true));
        assert!(list.refresh_due(0.0, 30_000.0, true));
        assert!(!list.refresh_due(0.0, 30_000.0, false));
        let first = list.restart(request(1));
        let mut answer = page(&[1], None);
        answer.poll_secs = Some(60);
        list.handle_page(&first, Ok(answer), follow);
        assert!(!list.refresh_due(0.0, 59_000.0, true));
        assert!(list.refresh_due(0.0, 60_000.0, true));
    }

    #[test]
    fn the_state_queue_asks_for_what_is_on_screen_first_and_nothing_twice() {
        let mut queue = StateQueue::default();
        let known = |id: DeploymentId| id.0 == 3;
        queue.ask([1, 2, 3, 4].map(DeploymentId), AskMode::Only, known);
        assert_eq!(queue.take_next(), Some(DeploymentId(4)));
        queue.ask([4, 5].map(DeploymentId), AskMode::Also, known);
        assert_eq!(
            queue.take_next(),
            Some(DeploymentId(5)),
            "4 is being asked already"
        );
        queue.ask([6].map(DeploymentId), AskMode::Only, known);
        assert_eq!(
            queue.take_next(),
            Some(DeploymentId(6)),
            "scrolled past: 1 and 2 are no longer asked"
        );
        assert_eq!(queue.take_next(), None);
        assert!(!queue.is_idle());
        for id in [4, 5, 6] {
            queue.done(DeploymentId(id));
        }
        assert!(queue.is_idle());
    }
}
