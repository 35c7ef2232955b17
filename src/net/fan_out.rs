//! The one bounded fan-out every "many requests, a few at a time" loop uses (states for a plan or a list,
//! statuses for a backup); core's budget bounds the requests again.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;

/// Runs `work` on every item with at most `workers` at once, in order of the items; returns when all are
/// done. The one fan-out of the app: states for a plan, statuses for a backup.
pub async fn bounded<T: 'static, F, Fut>(items: Vec<T>, workers: usize, work: F)
where
    F: Fn(T) -> Fut + Clone + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let queue = Rc::new(RefCell::new(VecDeque::from(items)));
    let lanes = (0..workers.max(1)).map(|_| {
        let (queue, work) = (queue.clone(), work.clone());
        async move {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some(item) = next else { break };
                work(item).await;
            }
        }
    });
    futures::future::join_all(lanes).await;
}
