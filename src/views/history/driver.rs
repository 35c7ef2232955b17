//! The History view's driver: core's `DeploymentList` and `StateQueue` decide what to ask next; this
//! performs the requests they ask for (through the connection's budget) and hands the answers back. Every
//! task stops with the view.

use std::collections::{HashMap, HashSet, VecDeque};

use deploydeck_core::history::HistoryFilter;
use deploydeck_core::listing::{AskMode, DeploymentList, PageAsk, StateQueue};
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentState, Latest};
use deploydeck_core::request::DeploymentFilter;
use deploydeck_core::rules::{DeploymentRecord, RecordRef};
use leptos::prelude::*;

use crate::clock::{now_ms, sleep_ms};
use crate::net::api::repo::RepoApi;
use crate::tasks::Tasks;

/// Latest-state requests in flight at once (core's budget bounds them again).
const WORKERS: u32 = 6;
/// List pages in flight at once: the budget's other read places stay free for the states on screen.
const PAGE_WORKERS: u32 = 8;

/// The rows the page's filters keep, as positions in the list's rows (newest first): cheap to make and to
/// compare for every page and every batch of states that arrives, where a copy of the rows was not.
pub(super) type Shown = Memo<Vec<u32>>;

/// The view's data, shared by its parts.
#[derive(Clone, Copy)]
pub(super) struct History {
    pub list: RwSignal<DeploymentList>,
    /// Latest statuses known, by deployment (`None`: it has no status).
    pub latest: RwSignal<HashMap<DeploymentId, Option<Latest>>>,
    queue: StoredValue<StateQueue>,
    workers: StoredValue<u32>,
    /// List pages waiting to be fetched, and the tasks fetching them.
    pages: StoredValue<VecDeque<PageAsk>>,
    page_workers: StoredValue<u32>,
    /// Deployments whose states a GraphQL read of their page is fetching (not asked one by one meanwhile).
    in_bulk: StoredValue<HashSet<DeploymentId>>,
    /// Counts finished bulk reads: what one could not give is then asked one by one (tracked).
    pub bulk_reads: RwSignal<u32>,
    /// Bumped when the summaries below the list (environments, chart) should follow the list and its states:
    /// at most a few times a second, not for every page and every batch of states.
    pub summaries: RwSignal<u32>,
    summaries_stale: StoredValue<bool>,
    last_refresh: StoredValue<f64>,
}

impl History {
    pub fn new() -> Self {
        History {
            list: RwSignal::new(DeploymentList::default()),
            latest: RwSignal::new(HashMap::new()),
            queue: StoredValue::new(StateQueue::default()),
            workers: StoredValue::new(0),
            pages: StoredValue::new(VecDeque::new()),
            page_workers: StoredValue::new(0),
            in_bulk: StoredValue::new(HashSet::new()),
            bulk_reads: RwSignal::new(0),
            summaries: RwSignal::new(0),
            summaries_stale: StoredValue::new(false),
            last_refresh: StoredValue::new(now_ms()),
        }
    }

    /// A deployment's latest state: `None` while unknown, `Some(None)` when it has no status (tracked).
    pub fn state_of(&self, id: DeploymentId) -> Option<Option<DeploymentState>> {
        self.latest
            .with(|m| m.get(&id).map(|s| s.as_ref().map(|s| s.state)))
    }

    /// Keeps a latest status that arrived, notifying only when it differs from the one shown.
    fn keep_state(&self, id: DeploymentId, status: Option<Latest>) {
        self.latest
            .maybe_update(|m| m.insert(id, status.clone()) != Some(status));
    }

    /// The listed deployments at these positions, copied (tracked).
    pub fn rows_at(&self, positions: &[u32]) -> Vec<Deployment> {
        self.list.with(|l| {
            positions
                .iter()
                .filter_map(|i| l.rows().get(*i as usize).cloned())
                .collect()
        })
    }

    /// The ids of the listed deployments at these positions (tracked).
    pub fn ids_at(&self, positions: &[u32]) -> Vec<DeploymentId> {
        self.list.with(|l| {
            positions
                .iter()
                .filter_map(|i| l.rows().get(*i as usize).map(|d| d.id))
                .collect()
        })
    }

    /// `f` over the listed deployments at `positions` (every one when `None`) whose latest state is known,
    /// borrowed with it: the summaries read the whole list without copying it (not tracked: they follow
    /// `summaries`).
    pub fn with_known<T>(
        &self,
        positions: Option<&[u32]>,
        f: impl FnOnce(&[RecordRef<'_>]) -> T,
    ) -> T {
        self.list.with_untracked(|l| {
            self.latest.with_untracked(|m| {
                let rows = l.rows();
                let picked: Box<dyn Iterator<Item = &Deployment>> = match positions {
                    Some(at) => Box::new(at.iter().filter_map(|i| rows.get(*i as usize))),
                    None => Box::new(rows.iter()),
                };
                let known: Vec<RecordRef<'_>> = picked
                    .filter_map(|d| {
                        m.get(&d.id).map(|latest| RecordRef {
                            deployment: d,
                            latest_status: latest.as_ref(),
                        })
                    })
                    .collect();
                f(&known)
            })
        })
    }

    /// Every deployment of `rows` with its latest status; an unknown one as having none (never dropped).
    pub fn all_records(&self, rows: &[Deployment]) -> Vec<DeploymentRecord> {
        self.latest.with_untracked(|m| {
            DeploymentRecord::join(rows, |id| Some(m.get(&id).cloned().flatten()))
        })
    }

    /// The ids among `ids` whose state is not known yet.
    pub fn unknown(&self, ids: &[DeploymentId]) -> Vec<DeploymentId> {
        self.latest.with_untracked(|m| {
            ids.iter()
                .filter(|id| !m.contains_key(id))
                .copied()
                .collect()
        })
    }

    /// The ids a state filter cannot decide yet (their state is unknown), in list order (tracked).
    pub fn undecided(&self, filter: &HistoryFilter) -> Vec<DeploymentId> {
        self.list.with(|l| {
            l.rows()
                .iter()
                .filter(|d| filter.keeps(d, self.state_of(d.id)).is_none())
                .map(|d| d.id)
                .collect()
        })
    }

    /// Keeps the summaries following the list and its states, at most every `every_ms` (while the view lives).
    pub fn follow_summaries(&self, every_ms: u64) {
        let h = *self;
        Effect::new(move |_| {
            h.list.track();
            h.latest.track();
            h.summaries_stale.set_value(true);
        });
        crate::clock::every(every_ms, move |_| {
            if h.summaries_stale.get_value() {
                h.summaries_stale.set_value(false);
                h.summaries.update(|n| *n += 1);
            }
        });
    }

    /// How many listed deployments have their state known (tracked).
    pub fn known_states(&self) -> usize {
        self.list.with(|l| {
            self.latest
                .with(|m| l.rows().iter().filter(|d| m.contains_key(&d.id)).count())
        })
    }

    /// Whether no state is waiting or being asked.
    pub fn states_idle(&self) -> bool {
        self.queue.with_value(StateQueue::is_idle)
    }

    pub fn refresh_due(&self, visible: bool) -> bool {
        let last = self.last_refresh.get_value();
        self.list
            .with_untracked(|l| l.refresh_due(last, now_ms(), visible))
    }
}

/// Performs what the list and the state queue ask for.
#[derive(Clone)]
pub(super) struct Driver {
    pub h: History,
    gh: RepoApi,
    tasks: Tasks,
}

impl Driver {
    pub fn new(h: History, gh: RepoApi, tasks: Tasks) -> Self {
        Driver { h, gh, tasks }
    }

    /// GitHub's filters changed: the list from its first page.
    pub fn load(&self, filter: &DeploymentFilter) {
        let first = self.gh.first_deployments(filter);
        if let Some(ask) = self.h.list.try_update(|l| l.restart(first)) {
            // Pages of the old filters still waiting would only be dropped as stale: forget them.
            self.h.pages.update_value(VecDeque::clear);
            self.pages(vec![ask]);
        }
    }

    /// "Load the rest": the pages that failed, again.
    pub fn load_rest(&self) {
        if let Some(asks) = self.h.list.try_update(DeploymentList::resume) {
            self.pages(asks);
        }
    }

    /// Fetches the pages the list asks for — after the first, every page up to the last at once — a few at a
    /// time, after the states of the rows on screen, handing each answer back to the list.
    fn pages(&self, asks: Vec<PageAsk>) {
        let h = self.h;
        h.pages.update_value(|q| q.extend(asks));
        while h.page_workers.get_value() < PAGE_WORKERS && h.pages.with_value(|q| !q.is_empty()) {
            h.page_workers.update_value(|w| *w += 1);
            let (this, api) = (self.clone(), self.gh.api().clone());
            self.tasks.spawn(async move {
                loop {
                    // The states of the rows on screen go first: a page waits while any is still to be asked.
                    while h.queue.try_with_value(StateQueue::has_waiting) == Some(true) {
                        sleep_ms(20).await;
                    }
                    let Some(Some(ask)) = h.pages.try_update_value(VecDeque::pop_front) else {
                        break;
                    };
                    let answer = api.deployments_page(ask.request.clone()).await;
                    if let Ok(answer) = &answer {
                        this.bulk_states(&answer.page.items);
                    }
                    let more = h
                        .list
                        .try_update(|l| l.handle_page(&ask, answer, |url| api.follow(url)))
                        .unwrap_or_default();
                    if !more.is_empty() {
                        this.pages(more);
                    }
                }
                h.page_workers.update_value(|w| *w = w.saturating_sub(1));
            });
        }
    }

    /// Reads the states of a page's deployments in one GraphQL request (when GraphQL is used on this host),
    /// so every listed deployment gets its state, on screen or not. What it could not give is left to the
    /// one-by-one asks of the rows on screen.
    fn bulk_states(&self, page: &[Deployment]) {
        let h = self.h;
        if !self.gh.api().uses_graphql() {
            return;
        }
        // Only the ids: the page itself goes to the list.
        let page: Vec<(DeploymentId, String)> = h.latest.with_untracked(|m| {
            page.iter()
                .filter(|d| !m.contains_key(&d.id))
                .map(|d| (d.id, d.node_id.clone()))
                .collect()
        });
        h.in_bulk
            .update_value(|b| b.extend(page.iter().map(|(id, _)| *id)));
        let gh = self.gh.clone();
        self.tasks.spawn(async move {
            // What this could not give (a failure, GraphQL given up, a deployment not resolved) stays unknown
            // ("…"): the rows on screen are then asked one by one, and the next refresh asks again.
            let _ = gh
                .bulk_states(&page, move |batch| {
                    h.latest.update(|m| m.extend(batch.iter().cloned()));
                })
                .await;
            h.in_bulk.update_value(|b| {
                for (id, _) in &page {
                    b.remove(id);
                }
            });
            h.bulk_reads.update(|n| *n += 1);
        });
    }

    /// Asks for the states of `ids` (the last first), a few at a time; known ones, and ones a bulk read is
    /// fetching, are not asked again.
    pub fn ask_states(&self, ids: Vec<DeploymentId>, mode: AskMode) {
        let h = self.h;
        h.queue.update_value(|q| {
            q.ask(ids, mode, |id| {
                h.latest.with_untracked(|m| m.contains_key(&id))
                    || h.in_bulk.with_value(|b| b.contains(&id))
            })
        });
        while h.workers.get_value() < WORKERS && h.queue.with_value(StateQueue::has_waiting) {
            h.workers.update_value(|w| *w += 1);
            let gh = self.gh.clone();
            self.tasks.spawn(async move {
                while let Some(Some(id)) = h.queue.try_update_value(StateQueue::take_next) {
                    let answer = gh.latest_status(id).await;
                    h.queue.update_value(|q| q.done(id));
                    // A failed ask leaves the state unknown ("…"); the next refresh asks again.
                    if let Ok(status) = answer {
                        h.keep_state(id, status);
                    }
                }
                h.workers.update_value(|w| *w = w.saturating_sub(1));
            });
        }
    }

    /// Live: the first page and the states on screen, asked again — conditional requests, so an unchanged
    /// answer is a free 304. Each state on its own task, so a moving window cannot drop it.
    pub fn refresh(&self, on_screen: Vec<DeploymentId>, filter: &DeploymentFilter) {
        let h = self.h;
        h.last_refresh.set_value(now_ms());
        for id in on_screen {
            let gh = self.gh.clone();
            self.tasks.spawn(async move {
                if let Ok(status) = gh.latest_status(id).await {
                    h.keep_state(id, status);
                }
            });
        }
        let generation = h.list.with_untracked(DeploymentList::generation);
        let (api, first) = (self.gh.api().clone(), self.gh.first_deployments(filter));
        self.tasks.spawn(async move {
            if let Ok(answer) = api.deployments_page(first).await {
                h.list
                    .maybe_update(|l| l.handle_refresh(generation, answer));
            }
        });
    }
}

impl Driver {
    /// What exporting `ids` would cost when it is more than core's threshold of the quota.
    pub fn export_cost(&self, ids: &[DeploymentId]) -> Option<deploydeck_core::cost::CostQuestion> {
        let unknown = self.h.unknown(ids);
        let what = format!(
            "the latest state of the {} not read yet",
            deploydeck_core::text::count(unknown.len(), "deployment", "deployments")
        );
        deploydeck_core::cost::ask_before_reading(
            self.gh.unread_states(&unknown),
            &what,
            self.gh.api().quota().as_ref(),
        )
    }

    /// Asks for every state of `ids` (at the budget's pace), then calls `done`. Scrolling meanwhile may replace
    /// the queue, so what is still missing is asked for again until nothing more arrives; a state that could
    /// not be had stays unknown.
    pub fn when_states_read(&self, ids: Vec<DeploymentId>, done: impl FnOnce() + 'static) {
        let this = self.clone();
        self.tasks.spawn(async move {
            let (mut stalled, mut left) = (0, usize::MAX);
            loop {
                let missing = this.h.unknown(&ids);
                if missing.is_empty() || stalled >= 50 {
                    break;
                }
                stalled = if missing.len() < left { 0 } else { stalled + 1 };
                left = missing.len();
                if this.h.states_idle() {
                    this.ask_states(missing, AskMode::Also);
                }
                crate::clock::sleep_ms(100).await;
            }
            done();
        });
    }
}
