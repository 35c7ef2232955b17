//! The work a view starts in the background, tied to the view: when the view goes away (navigation, a new
//! filter that replaces it), every task it started is stopped before it runs again, so no task ever touches
//! the view's disposed signals ("Tried to access a reactive value that has already been disposed", then a
//! dead page). Leptos' own `spawn_local_scoped_with_cancellation` binds a task to the owner current at the
//! call, and an event handler has none; a `Tasks` made while the component is built keeps its owner.

use std::collections::HashMap;
use std::future::Future;
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

    /// Stops every task, and any started later (tasks made with `Tasks::default()`, owned by no view, stop
    /// only this way).
    pub fn stop(&self) {
        self.stop_all();
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
