//! One tab runs a kept run. The browser's Web Locks API (one lock per repository's run) decides which: the
//! tab holding the lock sends; any other tab that shows the run follows it through the browser's storage
//! (the holder keeps the run there after every change, and other tabs hear of each change), sends Pause,
//! Resume and Cancel to it the same way (core's `RunCommand`), and waits for the lock — so when the running
//! tab closes, the browser hands the lock to a waiting tab, which takes over from the run as kept (a step
//! whose answer was lost is sent again: a DELETE that had happened answers 404, already gone). Where the
//! browser has no Web Locks, each tab runs what it opens, as before, and the panel says so. The demo
//! simulates its repository inside each page, so there each tab runs its own.
//! <https://developer.mozilla.org/en-US/docs/Web/API/Web_Locks_API>

use deploydeck_core::cleanup::{RunCommand, SavedRun, TabRole};
use js_sys::Function;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::{Runner, RUNNERS};
use crate::session;

/// Frees a lock this tab holds (its callback's promise resolves).
pub(super) struct Release(SendWrapper<Function>);

impl Release {
    fn release(self) {
        let _ = self.0.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
    }
}

/// Where this tab stands with the run's lock.
#[derive(Default)]
pub(super) enum Lock {
    /// Neither holding nor asking.
    #[default]
    Idle,
    /// Asked for (another tab may hold it: then this one follows until it is handed over).
    Asking,
    Held(Release),
}

// `requestLock(name, ifAvailable, granted)`: `navigator.locks.request` (web-sys has it only behind its
// unstable flag), `granted` hearing the function that frees the lock once this tab holds it (the lock's
// promise resolves), or null at once when `ifAvailable` and another tab holds it; false without Web Locks.
// Kept short, and without comments, since it is part of the first load.
// https://developer.mozilla.org/en-US/docs/Web/API/LockManager/request
#[wasm_bindgen(module = "/src/tab_lock.js")]
extern "C" {
    #[wasm_bindgen(js_name = requestLock)]
    fn request_lock_js(name: &str, if_available: bool, granted: &JsValue) -> bool;
}

/// Asks the browser for the lock `name`. `granted` hears `Some` once this tab holds it (until the release is
/// called, or the tab closes); with `if_available`, `None` at once when another tab holds it. `false`: this
/// browser has no Web Locks.
fn request_lock(
    name: &str,
    if_available: bool,
    granted: impl FnOnce(Option<Release>) + 'static,
) -> bool {
    let callback = Closure::once_into_js(move |release: JsValue| {
        granted(
            release
                .dyn_into::<Function>()
                .ok()
                .map(|f| Release(SendWrapper::new(f))),
        )
    });
    request_lock_js(name, if_available, &callback)
}

impl Runner {
    fn lock_name(&self) -> String {
        format!("deploydeck {}", session::run_keys(&self.location).0)
    }

    /// Whether this tab sends the run's requests: it holds the run's lock, or the browser has no locks.
    /// The demo simulates its repository inside each page, so each tab runs its own demo run.
    pub(super) fn may_send(&self) -> bool {
        self.api.is_demo()
            || self.role.get_untracked() == TabRole::Unshared
            || self.lock.with_value(|l| matches!(l, Lock::Held(_)))
    }

    pub(super) fn registered(&self) -> bool {
        RUNNERS.with_borrow(|all| all.iter().any(|r| r.run == self.run))
    }

    /// Asks for the run's lock (unless this tab holds it or is asking already): granted, this tab runs the
    /// run; held by another tab, this one follows it, waiting to take over.
    pub(super) fn claim(&self) {
        if self.api.is_demo() {
            return self.sends_from_here(false);
        }
        // Held already (a run started right after the last one here settled): sent from here.
        if self.fresh.get_value() && self.lock.with_value(|l| matches!(l, Lock::Held(_))) {
            return self.sends_from_here(false);
        }
        if !self.lock.with_value(|l| matches!(l, Lock::Idle)) {
            return;
        }
        self.lock.set_value(Lock::Asking);
        self.role.set(TabRole::Asking);
        let (this, name) = (self.clone(), self.lock_name());
        let asked = request_lock(&name.clone(), true, move |held| match held {
            Some(release) => this.granted(release),
            None => {
                // Another tab runs a run of this repository: this tab shows that one and follows it. A run
                // just started here is not started at all: it was never kept, so no tab knows of it.
                if this.fresh.get_value() {
                    this.fresh.set_value(false);
                    let kept = session::load_run(&this.location)
                        .and_then(|text| SavedRun::from_json_as_kept(&text));
                    this.run.set(kept);
                    this.publish();
                }
                this.role.set(TabRole::Follows);
                let again = this.clone();
                request_lock(&name, false, move |held| {
                    if let Some(release) = held {
                        again.granted(release);
                    }
                });
            }
        });
        if !asked {
            self.lock.set_value(Lock::Idle);
            self.role.set(TabRole::Unshared);
            self.sends_from_here(false);
        }
    }

    /// This tab holds the lock: it runs the run, as the tab before it kept it (steps in flight when that
    /// tab went are sent again).
    fn granted(&self, release: Release) {
        if !self.registered() {
            return release.release();
        }
        self.lock.set_value(Lock::Held(release));
        self.role.set(TabRole::Runs);
        self.sends_from_here(true);
    }

    /// This tab sends the run from now on: a run started here is kept on this device first (other tabs hear
    /// of it only now); with `reload`, any other is taken as kept — by the tab that had it, or by this one
    /// (what this tab holds stays when none could be kept: the storage is full). It goes at the pace it was
    /// started with.
    fn sends_from_here(&self, reload: bool) {
        if self.fresh.get_value() {
            self.fresh.set_value(false);
        } else if let Some(kept) = reload
            .then(|| session::load_run(&self.location))
            .flatten()
            .and_then(|text| SavedRun::from_json(&text))
        {
            self.run.set(Some(kept));
        }
        self.keep_pace();
        self.starts_again();
        self.save();
        self.pump();
        self.release_if_done();
    }

    /// A run with nothing left to send needs no lock: a retry asks for it again.
    pub(super) fn release_if_done(&self) {
        if self.settled() {
            self.release();
        }
    }

    /// Frees the lock if this tab holds it (a stopped runner, a run with nothing left to send).
    pub(super) fn release(&self) {
        let held = self
            .lock
            .try_update_value(|l| match l {
                Lock::Held(_) => Some(std::mem::take(l)),
                _ => None,
            })
            .flatten();
        if let Some(Lock::Held(release)) = held {
            release.release();
        }
    }

    /// Pause, Resume, Cancel the rest or Retry the failed, from this tab: carried out here when this tab
    /// runs the run (or nobody does: a finished run's retry), else sent to the tab that does.
    pub fn command(&self, command: RunCommand) {
        if self.may_send() || self.settled() {
            self.carry_out(command);
        } else {
            session::send_run_command(
                &self.location,
                &command.to_message(crate::clock::now_ms() as u64),
            );
        }
    }

    fn carry_out(&self, command: RunCommand) {
        let here = self.may_send();
        self.run.update(|r| {
            if let Some(saved) = r {
                command.apply(&mut saved.run);
            }
        });
        if here {
            self.save();
        } else if let Some(json) = self
            .run
            .with_untracked(|r| r.as_ref().map(SavedRun::to_json))
        {
            // Nobody runs it: kept for the tab that will (this one, once the lock is granted).
            session::save_run(&self.location, &json);
        }
        if command.sends() {
            self.starts_again();
            if here {
                self.pump();
            } else {
                self.claim();
            }
        }
    }

    /// Hears the other tabs: the run as the running tab keeps it (while this tab does not run it), and the
    /// commands they send (while it does). For the page's life, like the runner. The run is read again only
    /// when its text changed (a storage event may be about any key).
    pub(super) fn listen_to_other_tabs(&self) {
        if self.api.is_demo() {
            return;
        }
        let this = self.clone();
        let last = ArcStoredValue::new(session::load_run(&self.location));
        let _ = window_event_listener(leptos::ev::storage, move |_| {
            if !this.registered() {
                return;
            }
            if this.may_send() {
                let command = session::run_command(&this.location);
                if let Some(command) = command.as_deref().and_then(RunCommand::from_message) {
                    session::clear_run_command(&this.location);
                    this.carry_out(command);
                }
                return;
            }
            let text = session::load_run(&this.location);
            if last.with_value(|l| *l == text) {
                return;
            }
            let shown = text.as_deref().and_then(SavedRun::from_json_as_kept);
            last.set_value(text);
            // Another tab's run is shown: nothing started here waits to be kept any more.
            this.fresh.set_value(false);
            let unsettled = shown.as_ref().is_some_and(|s| !s.run.is_settled());
            this.run.set(shown);
            this.publish();
            if unsettled {
                this.claim();
            }
        });
    }
}
