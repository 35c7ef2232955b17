//! Cleanup runs belong to the app, not to the Cleanup view: a run started there keeps going while History, a
//! deployment's page or another repository of the same host is open. Each repository's run has one
//! [`Runner`], kept here for the life of the page: its workers take steps from core's `CleanupRun`, send them
//! at the budget's pace, record the answers and keep the run on this device after each change; it tells the
//! header how the run goes (core's `RunBadge`), and History and the overview which deployments are gone.
//! Its code comes with the run's module (`views::loader::cleanup_runner`), fetched when a run is started, kept
//! on this device or started in another tab — never with Cleanup's plan.
//!
//! A runner stops (its kept run continues when that repository's Cleanup opens again, as after a reload)
//! when the connection it was started on is closed or replaced: the token it sends is then no longer the
//! one the user chose to use.

use std::cell::RefCell;
use std::collections::HashSet;

use deploydeck_core::cleanup::{RunStatus, SavedRun, Step, TabRole, Write};
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::DeploymentId;
use deploydeck_core::response::ApiError;
use leptos::prelude::*;

use crate::clock::{now_ms, sleep_ms};
use crate::net::api::Api;
use crate::session;
use crate::state::AppState;
use crate::tasks::Tasks;

mod indicator;
mod tabs;

use tabs::Lock;

/// How often the header's account of a running run is refreshed (a rate limit's wait changes it without
/// any answer).
const TICK_MS: u64 = 1_000;

thread_local! {
    /// Every repository's runner opened since the page loaded, oldest first.
    static RUNNERS: RefCell<Vec<Runner>> = const { RefCell::new(Vec::new()) };
}

/// Carries one repository's kept run out, whichever screen is open.
#[derive(Clone)]
pub struct Runner {
    /// The connection the run was started on (not a view's: leaving a view aborts nothing here).
    pub api: Api,
    pub location: AppLocation,
    pub run: ArcRwSignal<Option<SavedRun>>,
    /// Whether the last save kept the run on this device.
    pub kept: ArcRwSignal<bool>,
    /// When this page started (or resumed) running, and the answers since: the pace for the ETA.
    pub since: ArcStoredValue<f64>,
    pub answered: ArcStoredValue<usize>,
    /// The run was kept on this device before this page had a runner for it (a reload, a connection opened
    /// again), rather than started or followed here.
    pub restored: ArcStoredValue<bool>,
    /// The user has seen the finished run's report: the header no longer points to it.
    seen: ArcStoredValue<bool>,
    /// The run was started here and is not yet kept on this device (nor known to other tabs): it is, once
    /// this tab holds the run's lock.
    fresh: ArcStoredValue<bool>,
    /// Which tab runs the run: this one, another (this one follows it), or each (no Web Locks).
    pub role: ArcRwSignal<TabRole>,
    lock: ArcStoredValue<Lock>,
    workers: ArcStoredValue<u32>,
    ticking: ArcStoredValue<bool>,
    /// The runner's own tasks: stopped only with the runner (a closed connection, "Plan another cleanup").
    tasks: Tasks,
    state: AppState,
}

/// The runner of `location`'s repository already going in this page on the open connection, if any: a lookup,
/// none of the run's code (Cleanup's plan asks this first; `runner_for` comes with the run's module).
pub fn existing_runner(state: &AppState, location: &AppLocation) -> Option<Runner> {
    let api = state.connection.get_untracked()?;
    RUNNERS.with_borrow(|all| {
        all.iter()
            .find(|r| r.is_for(location) && r.api == api)
            .cloned()
    })
}

/// The runner of `location`'s repository on the open connection: the one already going, or a new one with
/// the run kept on this device (which continues where it stopped, unless it was paused or had finished).
/// `None` before connecting.
pub fn runner_for(state: AppState, location: &AppLocation) -> Option<Runner> {
    let api = state.connection.get_untracked()?;
    if let Some(runner) = existing_runner(&state, location) {
        return Some(runner);
    }
    // One started on another connection stops: the token it sends is no longer the one chosen.
    if let Some(stale) = RUNNERS.with_borrow(|all| all.iter().find(|r| r.is_for(location)).cloned())
    {
        stale.stop();
    }
    let kept = session::load_run(location).and_then(|text| SavedRun::from_json(&text));
    let restored = kept.is_some();
    let unsettled = kept.as_ref().is_some_and(|s| !s.run.is_settled());
    let runner = Runner {
        api,
        location: location.clone(),
        run: ArcRwSignal::new(kept),
        kept: ArcRwSignal::new(true),
        since: ArcStoredValue::new(now_ms()),
        answered: ArcStoredValue::new(0),
        restored: ArcStoredValue::new(restored),
        seen: ArcStoredValue::new(false),
        fresh: ArcStoredValue::new(false),
        role: ArcRwSignal::new(TabRole::Runs),
        lock: ArcStoredValue::new(Lock::Idle),
        workers: ArcStoredValue::new(0),
        ticking: ArcStoredValue::new(false),
        tasks: Tasks::default(),
        state,
    };
    RUNNERS.with_borrow_mut(|all| all.push(runner.clone()));
    indicator::install();
    runner.ask_before_unload();
    runner.listen_to_other_tabs();
    if unsettled {
        // Sent only by the tab that holds the run's lock.
        runner.claim();
    }
    runner.publish();
    Some(runner)
}

/// The deployments a run of `location`'s repository has removed so far (tracked: it grows as the run goes).
/// Empty when no run of that repository was opened since the page loaded.
pub fn gone(location: &AppLocation) -> Signal<HashSet<DeploymentId>> {
    let run = RUNNERS.with_borrow(|all| {
        all.iter()
            .find(|r| r.is_for(location))
            .map(|r| r.run.clone())
    });
    match run {
        Some(run) => {
            let gone = Memo::new(move |_| {
                run.with(|r| r.as_ref().map(|s| s.run.gone()).unwrap_or_default())
            });
            gone.into()
        }
        None => Signal::stored(HashSet::new()),
    }
}

impl Runner {
    /// Whether this runner carries out `location`'s repository's run.
    fn is_for(&self, location: &AppLocation) -> bool {
        self.location.host == location.host && self.location.repo == location.repo
    }

    /// Whether the run is going: running, with steps pending or in flight.
    fn going(&self) -> bool {
        self.run.with_untracked(|r| {
            r.as_ref()
                .is_some_and(|s| s.run.status == RunStatus::Running && !s.run.is_settled())
        })
    }

    /// Whether there is nothing left to send: no run, or one settled.
    fn settled(&self) -> bool {
        self.run
            .with_untracked(|r| r.as_ref().is_none_or(|s| s.run.is_settled()))
    }

    /// Keeps the run on this device (the tab that runs it only) and tells the header.
    fn save(&self) {
        if !self.may_send() {
            return self.publish();
        }
        let json = self
            .run
            .with_untracked(|r| r.as_ref().map(SavedRun::to_json));
        if let Some(json) = json {
            let kept = session::save_run(&self.location, &json);
            self.kept
                .maybe_update(|k| std::mem::replace(k, kept) != kept);
        }
        self.publish();
    }

    /// Starts `saved` (a plan just confirmed): kept on this device, then sent — once this tab holds the run's
    /// lock. Kept any earlier, another tab would hear of the run and could ask for the lock first: the browser
    /// grants it in the order its requests reach it, not the order tabs make them, so the tab that only
    /// learnt of the run could take it over (at its own pace, the starting tab sending nothing).
    pub fn start(&self, saved: SavedRun) {
        self.seen.set_value(false);
        self.restored.set_value(false);
        self.run.set(Some(saved));
        self.fresh.set_value(true);
        self.starts_again();
        // This tab runs it once the browser says no other tab does (at once, unless one is running
        // another run of this repository: then that run is shown, followed, and this one is not started).
        self.claim();
        self.publish();
    }

    /// Forgets the finished run (on this device too), to plan another.
    pub fn forget(&self) {
        session::clear_run(&self.location);
        self.run.set(None);
        self.release();
        self.publish();
    }

    /// The user sees the run's panel: once it is over, the header no longer needs to point to it.
    pub fn seen(&self) {
        let settled = self
            .run
            .with_untracked(|r| r.as_ref().is_some_and(|s| s.run.is_settled()));
        if settled && !self.seen.get_value() {
            self.seen.set_value(true);
            self.publish();
        }
    }

    /// Sends at the pace the run was started with (the user's pause between changes), whichever tab started
    /// it: this tab's connection takes it, as the confirmation's field would set it.
    fn keep_pace(&self) {
        let pace = self
            .run
            .with_untracked(|r| r.as_ref().and_then(SavedRun::pace));
        if let Some(ms) = pace {
            self.api.set_write_spacing(ms);
        }
    }

    pub fn starts_again(&self) {
        self.since.set_value(now_ms());
        self.answered.set_value(0);
    }

    /// Closing the tab (or reloading) while the run goes asks first, whichever screen is open: the kept run
    /// would continue on return, but only then.
    fn ask_before_unload(&self) {
        let this = self.clone();
        // For the page's life, like the runner (it asks nothing once the runner has stopped).
        let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
            let going = this.going();
            if going && this.may_send() && this.registered() {
                ev.prevent_default();
                ev.set_return_value(
                    "A cleanup run is still going: leaving stops it until you come back.",
                );
            }
        });
    }

    /// Whether the connection this run was started on is still the open one.
    fn connected(&self) -> bool {
        self.state
            .connection
            .with_untracked(|c| c.as_ref() == Some(&self.api))
    }

    /// Stops sending (the kept run stays on this device, with any step in flight to be sent again) and
    /// leaves the header.
    fn stop(&self) {
        self.tasks.stop();
        self.release();
        RUNNERS.with_borrow_mut(|all| all.retain(|r| r.run != self.run));
        self.publish();
    }

    /// Starts workers (as many mutations as the connection lets overlap) while steps are waiting.
    pub fn pump(&self) {
        let max = self.api.write_concurrency();
        let waiting = self.run.with_untracked(|r| {
            r.as_ref()
                .is_some_and(|s| s.run.status == RunStatus::Running && s.run.progress().pending > 0)
        });
        if !waiting || !self.may_send() {
            return;
        }
        self.tick();
        while self.workers.get_value() < max {
            self.workers.update_value(|w| *w += 1);
            let (this, gh) = (self.clone(), self.api.repo(&self.location.repo));
            self.tasks.spawn(async move {
                loop {
                    if !this.connected() {
                        return this.stop();
                    }
                    if !this.may_send() {
                        break;
                    }
                    let next = this
                        .run
                        .try_update(|r| r.as_mut().and_then(|s| s.run.next_step()))
                        .flatten();
                    let Some((id, step)) = next else { break };
                    this.save();
                    let write = this
                        .run
                        .with_untracked(|r| r.as_ref().map(|s| s.run.write.clone()))
                        .unwrap_or_default();
                    let result = match (step, write) {
                        (Step::Deactivate, _) => gh.deactivate(id).await,
                        (Step::Delete, _) => gh.delete_deployment(id).await,
                        (Step::Status, Write::Status { state, description }) => {
                            gh.post_state(id, state, &description).await
                        }
                        // A status step in a run without a status to post cannot be made: a kept run
                        // edited by hand. It fails, saying so, rather than guessing.
                        (Step::Status, Write::Delete) => Err(ApiError::Decode {
                            message: "this kept run has a status step but no status to post".into(),
                        }),
                    };
                    this.run.update(|r| {
                        if let Some(saved) = r {
                            saved.run.record(id, step, result);
                        }
                    });
                    this.answered.update_value(|n| *n += 1);
                    this.save();
                }
                this.workers.update_value(|w| *w = w.saturating_sub(1));
                if this.workers.get_value() == 0 {
                    this.release_if_done();
                }
            });
        }
    }

    /// While the run goes, the header's account follows a rate limit's wait (no answer comes meanwhile),
    /// and a closed connection stops the run even while it waits.
    fn tick(&self) {
        if self.ticking.get_value() {
            return;
        }
        self.ticking.set_value(true);
        let this = self.clone();
        self.tasks.spawn(async move {
            loop {
                sleep_ms(TICK_MS).await;
                if !this.connected() {
                    return this.stop();
                }
                this.publish();
                let going = this.going();
                if !going {
                    break;
                }
            }
            this.ticking.set_value(false);
        });
    }
}
