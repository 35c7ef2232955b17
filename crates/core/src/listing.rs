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
//!   once.

use std::collections::HashSet;

use crate::http::HttpRequest;
use crate::model::{Deployment, DeploymentId};
use crate::response::{ApiError, Page};

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
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentList {
    rows: Vec<Deployment>,
    ids: HashSet<DeploymentId>,
    status: ListStatus,
    generation: u64,
    /// The page that failed, to go on from (not for a rate limit: that one is asked again by itself).
    resume: Option<HttpRequest>,
    poll_secs: Option<u64>,
}

impl Default for DeploymentList {
    fn default() -> Self {
        DeploymentList {
            rows: Vec::new(),
            ids: HashSet::new(),
            status: ListStatus::Loading,
            generation: 0,
            resume: None,
            poll_secs: None,
        }
    }
}

impl DeploymentList {
    pub fn rows(&self) -> &[Deployment] {
        &self.rows
    }

    pub fn status(&self) -> &ListStatus {
        &self.status
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether "Load the rest" has a page to ask for again.
    pub fn can_resume(&self) -> bool {
        self.resume.is_some()
    }

    /// New filters: the list starts over from `first`, and answers for the old ones are ignored from now on.
    pub fn restart(&mut self, first: HttpRequest) -> PageAsk {
        self.generation += 1;
        self.rows.clear();
        self.ids.clear();
        self.resume = None;
        self.status = ListStatus::Loading;
        PageAsk {
            generation: self.generation,
            request: first,
        }
    }

    /// The answer to `ask`: the rows it adds (each once), and the next page to fetch, if any. `follow` turns a
    /// `Link` URL into the next request (`None` when it cannot be followed). An answer for an older
    /// generation changes nothing and asks for nothing.
    pub fn handle_page(
        &mut self,
        ask: &PageAsk,
        answer: Result<PageAnswer, ApiError>,
        follow: impl Fn(&str) -> Option<HttpRequest>,
    ) -> Option<PageAsk> {
        if ask.generation != self.generation {
            return None;
        }
        match answer {
            Ok(PageAnswer { page, poll_secs }) => {
                if page.links.prev.is_none() {
                    self.poll_secs = poll_secs;
                }
                self.extend(page.items);
                let next = page.links.next.as_deref().and_then(follow);
                self.status = if next.is_some() {
                    ListStatus::LoadingMore
                } else {
                    ListStatus::Done
                };
                next.map(|request| PageAsk {
                    generation: self.generation,
                    request,
                })
            }
            Err(error) => {
                // A rate limit: the budget holds every request until GitHub's reset, so asking again now waits
                // for it, then goes on by itself.
                let waits = matches!(error, ApiError::RateLimited { .. });
                self.status = ListStatus::Failed(error);
                if waits {
                    self.resume = None;
                    Some(ask.clone())
                } else {
                    self.resume = Some(ask.request.clone());
                    None
                }
            }
        }
    }

    /// "Load the rest": the failed page again, the rows listed staying.
    pub fn resume(&mut self) -> Option<PageAsk> {
        let request = self.resume.take()?;
        self.status = if self.rows.is_empty() {
            ListStatus::Loading
        } else {
            ListStatus::LoadingMore
        };
        Some(PageAsk {
            generation: self.generation,
            request,
        })
    }

    /// A refresh's first page (asked at `generation`): deployments made since are added at the top, newest
    /// first; nothing listed is lost or doubled. Returns whether the list changed.
    pub fn handle_refresh(&mut self, generation: u64, answer: PageAnswer) -> bool {
        if generation != self.generation {
            return false;
        }
        self.poll_secs = answer.poll_secs;
        let new: Vec<Deployment> = answer
            .page
            .items
            .into_iter()
            .filter(|d| !self.ids.contains(&d.id))
            .collect();
        if new.is_empty() {
            return false;
        }
        self.extend(new);
        self.rows.sort_by_key(|d| std::cmp::Reverse(d.id));
        true
    }

    /// Whether the live refresh is due: the tab is visible and the interval (GitHub's `X-Poll-Interval` if it
    /// is longer than ours) has passed since the last one.
    pub fn refresh_due(&self, last_ms: f64, now_ms: f64, visible: bool) -> bool {
        let wait = self.poll_secs.unwrap_or(0).max(REFRESH_SECS) as f64 * 1000.0;
        visible && now_ms - last_ms >= wait
    }

    fn extend(&mut self, items: Vec<Deployment>) {
        for d in items {
            if self.ids.insert(d.id) {
                self.rows.push(d);
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;
    use crate::response::{Links, RateLimitKind, RetryWait};
    use crate::rules::tests::deployment;

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

    fn follow(url: &str) -> Option<HttpRequest> {
        url.strip_prefix("page=")?.parse().ok().map(request)
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
            .unwrap();
        assert_eq!(second.request, request(2));
        assert_eq!(list.status(), &ListStatus::LoadingMore);
        // A deployment made meanwhile shifted the pages: 7 comes again, and is listed once.
        assert_eq!(
            list.handle_page(&second, Ok(page(&[7, 6], None)), follow),
            None
        );
        assert_eq!(ids(&list), [9, 8, 7, 6]);
        assert_eq!(list.status(), &ListStatus::Done);
    }

    #[test]
    fn an_answer_for_earlier_filters_changes_nothing() {
        let mut list = DeploymentList::default();
        let old = list.restart(request(1));
        let new = list.restart(request(1));
        assert_eq!(
            list.handle_page(&old, Ok(page(&[5], Some(2))), follow),
            None
        );
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
            .unwrap();
        let error = ApiError::Server {
            status: 502,
            message: "Bad Gateway".into(),
        };
        assert_eq!(list.handle_page(&second, Err(error.clone()), follow), None);
        assert_eq!(list.status(), &ListStatus::Failed(error));
        assert!(list.can_resume());
        let again = list.resume().unwrap();
        assert_eq!(again.request, request(2));
        assert_eq!(list.status(), &ListStatus::LoadingMore);
        let limited = ApiError::RateLimited {
            limit: RateLimitKind::Primary,
            wait: RetryWait::Seconds(60),
            message: "API rate limit exceeded".into(),
        };
        assert_eq!(
            list.handle_page(&again, Err(limited), follow),
            Some(again.clone())
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
