//! History's list under random sequences of filters, pages, failures, refreshes and state asks: no stale page
//! let in, no row lost or doubled, no state asked twice at once.

use std::collections::{BTreeSet, HashSet};

use deploydeck_core::http::{HttpRequest, Method};
use deploydeck_core::links::Links;
use deploydeck_core::listing::{
    AskMode, DeploymentList, ListStatus, PageAnswer, PageAsk, StateQueue,
};
use deploydeck_core::model::{Deployment, DeploymentId};
use deploydeck_core::response::{ApiError, Page};
use proptest::prelude::*;

fn deployment(id: u64) -> Deployment {
    let mut d: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/deployment.json")).unwrap();
    d["id"] = id.into();
    serde_json::from_value(d).unwrap()
}

fn request(n: u64) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("https://api.github.com/x?page={n}"))
}

fn answer(ids: &[u64], next: bool) -> PageAnswer {
    PageAnswer {
        page: Page {
            items: ids.iter().copied().map(deployment).collect(),
            links: Links {
                next: next.then(|| "next".to_owned()),
                ..Links::default()
            },
            etag: None,
        },
        poll_secs: None,
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// New filters.
    Restart,
    /// The answer to the ask at this index of those made so far (an old one may be stale), with these ids.
    Answer(usize, Vec<u64>, bool),
    Fail(usize),
    Resume,
    Refresh(usize, Vec<u64>),
}

fn op() -> impl Strategy<Value = Op> {
    let ids = proptest::collection::vec(1u64..60, 0..6);
    prop_oneof![
        1 => Just(Op::Restart),
        4 => (0usize..8, ids.clone(), any::<bool>()).prop_map(|(i, ids, next)| Op::Answer(i, ids, next)),
        1 => (0usize..8).prop_map(Op::Fail),
        1 => Just(Op::Resume),
        2 => (0usize..8, ids).prop_map(|(i, ids)| Op::Refresh(i, ids)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn no_stale_page_gets_in_and_no_row_is_lost_or_doubled(ops in proptest::collection::vec(op(), 1..40)) {
        let mut list = DeploymentList::default();
        let mut asks: Vec<PageAsk> = vec![list.restart(request(1))];
        // The model: the ids the current generation's answers brought, in the order they came.
        let mut expected: BTreeSet<u64> = BTreeSet::new();
        let mut counter = 1;
        for op in ops {
            let before: Vec<u64> = list.rows().iter().map(|d| d.id.0).collect();
            let restart = matches!(op, Op::Restart);
            match op {
                Op::Restart => {
                    counter += 1;
                    asks.push(list.restart(request(counter)));
                    expected.clear();
                    prop_assert!(list.rows().is_empty());
                }
                Op::Answer(i, ids, next) => {
                    let ask = asks[i % asks.len()].clone();
                    let current = ask.generation == list.generation();
                    counter += 1;
                    let n = counter;
                    let follow = move |_: &str| Ok(request(n));
                    let more = list.handle_page(&ask, Ok(answer(&ids, next)), follow);
                    if current {
                        expected.extend(ids.iter().copied());
                        // Every next page is asked for, unless the host's paging broke (here: an empty page
                        // that names a next one), which ends the list for these filters.
                        let broken = matches!(list.cut_short(), Some(ApiError::PagingBroken { .. }));
                        prop_assert_eq!(!more.is_empty(), next && !broken);
                        if next && ids.is_empty() {
                            prop_assert!(broken, "an empty page naming a next one is broken paging");
                        }
                        asks.extend(more);
                    } else {
                        prop_assert!(more.is_empty());
                        let after: Vec<u64> = list.rows().iter().map(|d| d.id.0).collect();
                        prop_assert_eq!(&after, &before, "a stale page changed the list");
                    }
                }
                Op::Fail(i) => {
                    let ask = asks[i % asks.len()].clone();
                    let current = ask.generation == list.generation();
                    let error = ApiError::Server { status: 502, message: "Bad Gateway".into() };
                    prop_assert!(list.handle_page(&ask, Err(error.clone()), |_| Err(error.clone())).is_empty());
                    if current {
                        prop_assert_eq!(list.status(), &ListStatus::Failed(error));
                        prop_assert!(list.can_resume());
                    }
                    let after: Vec<u64> = list.rows().iter().map(|d| d.id.0).collect();
                    prop_assert_eq!(&after, &before, "a failure lost rows");
                }
                Op::Resume => {
                    for again in list.resume() {
                        prop_assert_eq!(again.generation, list.generation());
                        asks.push(again);
                    }
                }
                Op::Refresh(i, ids) => {
                    let generation = asks[i % asks.len()].generation;
                    let changed = list.handle_refresh(generation, answer(&ids, false));
                    if generation == list.generation() {
                        let new = ids.iter().any(|id| !expected.contains(id));
                        prop_assert_eq!(changed, new);
                        expected.extend(ids.iter().copied());
                    } else {
                        prop_assert!(!changed);
                    }
                }
            }
            let listed: Vec<u64> = list.rows().iter().map(|d| d.id.0).collect();
            let unique: HashSet<u64> = listed.iter().copied().collect();
            prop_assert_eq!(unique.len(), listed.len(), "a row listed twice: {:?}", listed);
            prop_assert_eq!(unique, expected.iter().copied().collect::<HashSet<_>>());
            if !restart {
                for id in &before {
                    prop_assert!(listed.contains(id), "row {} lost", id);
                }
            }
        }
    }

    /// A state is handed out only when not known and not already being asked; each waiting id once.
    #[test]
    fn the_state_queue_never_asks_twice_at_once(
        steps in proptest::collection::vec((0u8..4, proptest::collection::vec(1u64..30, 0..8)), 1..50),
    ) {
        let mut queue = StateQueue::default();
        let mut known: HashSet<u64> = HashSet::new();
        let mut asking: HashSet<u64> = HashSet::new();
        for (kind, ids) in steps {
            match kind {
                0 | 1 => {
                    let mode = if kind == 0 { AskMode::Only } else { AskMode::Also };
                    let k = known.clone();
                    queue.ask(ids.iter().copied().map(DeploymentId), mode, move |id| k.contains(&id.0));
                }
                2 => {
                    if let Some(id) = queue.take_next() {
                        prop_assert!(!known.contains(&id.0), "{} is known", id.0);
                        prop_assert!(asking.insert(id.0), "{} handed out while being asked", id.0);
                    }
                }
                _ => {
                    if let Some(&id) = asking.iter().next() {
                        asking.remove(&id);
                        queue.done(DeploymentId(id));
                        known.insert(id);
                    }
                }
            }
        }
        while let Some(id) = queue.take_next() {
            prop_assert!(!known.contains(&id.0));
            prop_assert!(asking.insert(id.0));
        }
    }
}

fn paged(n: u32) -> HttpRequest {
    HttpRequest::new(
        Method::Get,
        format!("https://api.github.com/repos/o/r/deployments?per_page=3&page={n}"),
    )
}

/// GitHub's answer for page `n` of `total` deployments (newest first, 3 a page), with its `Link`.
fn github_page(total: u64, n: u32) -> PageAnswer {
    let pages = total.div_ceil(3).max(1) as u32;
    let ids: Vec<u64> = (0..3u64)
        .map(|i| total.saturating_sub((u64::from(n) - 1) * 3 + i))
        .filter(|id| *id > 0)
        .collect();
    PageAnswer {
        page: Page {
            items: ids.into_iter().map(deployment).collect(),
            links: Links {
                next: (n < pages).then(|| paged(n + 1).url),
                last: (n < pages).then(|| paged(pages).url),
                prev: (n > 1).then(|| paged(n - 1).url),
                ..Links::default()
            },
            etag: None,
        },
        poll_secs: None,
    }
}

fn page_number(request: &HttpRequest) -> u32 {
    request.url.rsplit("page=").next().unwrap().parse().unwrap()
}

proptest! {
    /// Pages asked in parallel and answered in any order, some failing and asked again: the rows are always
    /// the newest ones without a gap; in the end every deployment is listed exactly once, newest first, no page
    /// is asked twice, and the list is done.
    #[test]
    fn parallel_pages_in_any_order_list_everything_once(
        total in 0u64..40, order in proptest::collection::vec(any::<prop::sample::Index>(), 0..60),
        failures in proptest::collection::vec(any::<bool>(), 0..60),
    ) {
        let mut list = DeploymentList::default();
        let mut waiting: Vec<PageAsk> = vec![list.restart(paged(1))];
        let follow = |url: &str| Ok(HttpRequest::new(Method::Get, url));
        let mut asked_pages: Vec<u32> = vec![1];
        let mut step = 0;
        while !waiting.is_empty() || list.can_resume() {
            if waiting.is_empty() {
                waiting.extend(list.resume());
            }
            let pick = order.get(step).map_or(0, |i| i.index(waiting.len()));
            let ask = waiting.remove(pick);
            let fail = failures.get(step).copied().unwrap_or(false) && step < 40;
            step += 1;
            if fail {
                let error = ApiError::Server { status: 502, message: "Bad Gateway".into() };
                prop_assert!(list.handle_page(&ask, Err(error), follow).is_empty());
                continue;
            }
            let more = list.handle_page(&ask, Ok(github_page(total, page_number(&ask.request))), follow);
            let shown: Vec<u64> = list.rows().iter().map(|d| d.id.0).collect();
            let top: Vec<u64> = (1..=total).rev().take(shown.len()).collect();
            prop_assert_eq!(shown, top, "the rows are the newest, without a gap");
            for m in &more {
                let n = page_number(&m.request);
                prop_assert!(!asked_pages.contains(&n), "page {} asked twice", n);
                asked_pages.push(n);
            }
            waiting.extend(more);
        }
        let listed: Vec<u64> = list.rows().iter().map(|d| d.id.0).collect();
        let expected: Vec<u64> = (1..=total).rev().collect();
        prop_assert_eq!(listed, expected);
        prop_assert_eq!(list.status(), &ListStatus::Done);
    }
}

mod plan_reads {
    use std::collections::HashMap;

    use deploydeck_core::listing::PlanReads;
    use deploydeck_core::model::{DeploymentId, DeploymentState, Latest, Timestamp};
    use proptest::prelude::*;

    fn latest(state: u8) -> Option<Latest> {
        (state > 0).then(|| Latest {
            state: DeploymentState::ALL[usize::from(state - 1) % 7],
            created_at: Timestamp::from_unix(1_700_000_000),
            creator: None,
            description: String::new(),
            environment: String::new(),
            environment_url: String::new(),
            log_url: String::new(),
            id: None,
        })
    }

    proptest! {
        /// States heard before and after the listing: every listed deployment ends with the last state heard
        /// for it, newest first, each once; what was never heard is what is left to read.
        #[test]
        fn every_listed_deployment_has_the_last_state_heard_for_it(
            listed in proptest::collection::vec(1u64..80, 0..60),
            before in proptest::collection::vec((1u64..100, 0u8..8), 0..40),
            after in proptest::collection::vec((1u64..100, 0u8..8), 0..40),
        ) {
            let mut reads = PlanReads::default();
            let batch = |pairs: &[(u64, u8)]| -> Vec<(DeploymentId, Option<Latest>)> {
                pairs.iter().map(|(id, s)| (DeploymentId(*id), latest(*s))).collect()
            };
            for chunk in before.chunks(7) {
                reads.heard(&batch(chunk));
            }
            prop_assert!(reads.records().is_empty() && !reads.is_listed());
            reads.listed(listed.iter().copied().map(super::deployment).collect());
            for chunk in after.chunks(7) {
                reads.heard(&batch(chunk));
            }
            let mut last: HashMap<u64, u8> = HashMap::new();
            for (id, s) in before.iter().chain(&after) {
                last.insert(*id, *s);
            }
            let mut ids: Vec<u64> = listed.clone();
            ids.sort_unstable_by(|a, b| b.cmp(a));
            ids.dedup();
            let got: Vec<u64> = reads.records().iter().map(|r| r.id().0).collect();
            prop_assert_eq!(&got, &ids);
            for r in reads.records() {
                prop_assert_eq!(&r.latest_status, &last.get(&r.id().0).and_then(|s| latest(*s)));
            }
            let unread: Vec<u64> = reads.unread().iter().map(|(id, _)| id.0).collect();
            let expected: Vec<u64> = ids.iter().copied().filter(|id| !last.contains_key(id)).collect();
            prop_assert_eq!(&unread, &expected);
            prop_assert_eq!(reads.is_complete(), expected.is_empty());
            prop_assert_eq!(reads.states_read(), ids.len() - expected.len());
        }
    }
}
