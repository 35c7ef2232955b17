//! The work a view starts in the background, tied to the view: when the view goes away (navigation, a new
//! filter that replaces it), every task it started is stopped before it runs again, so no task ever touches
//! the view's disposed signals ("Tried to access a reactive value that has already been disposed", then a
//! dead page). Leptos' own `spawn_local_scoped_with_cancellation` binds a task to the owner current at the
//! call, and an event handler has none; a `Tasks` made while the component is built keeps its owner.
//!
//! Also here: the one bounded fan-out every "many requests, a few at a time" loop uses.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::on_cleanup;
use leptos::task::spawn_local;

#[derive(Default)]
struct Running {
    closed: bool,
    next: u64,
    handles: HashMap<u64, AbortHandle>,
}

/// The tasks of one view. Cheap to clone; every clone stops with the view that made the first.
#[derive(Clone, Default)]
pub struct Tasks(Arc<Mutex<Running>>);

impl Tasks {
    /// Tasks stopped when the current reactive owner (the component being built) is cleaned up.
    pub fn new() -> Tasks {
        let tasks = Tasks::default();
        let closing = tasks.clone();
        on_cleanup(move || closing.stop_all());
        tasks
    }

    /// Runs `work` until it ends or the view goes away, whichever is first. Nothing starts once the view has
    /// gone.
    pub fn spawn(&self, work: impl Future<Output = ()> + 'static) {
        let (handle, registration) = AbortHandle::new_pair();
        let id = {
            let Ok(mut running) = self.0.lock() else {
                return;
            };
            if running.closed {
                return;
            }
            running.next += 1;
            let id = running.next;
            running.handles.insert(id, handle);
            id
        };
        let tasks = self.clone();
        spawn_local(async move {
            let _ = Abortable::new(work, registration).await;
            if let Ok(mut running) = tasks.0.lock() {
                running.handles.remove(&id);
            }
        });
    }

    fn stop_all(&self) {
        if let Ok(mut running) = self.0.lock() {
            running.closed = true;
            for (_, handle) in running.handles.drain() {
                handle.abort();
            }
        }
    }
}

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
