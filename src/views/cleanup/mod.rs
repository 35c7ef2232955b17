//! The Cleanup view: choose deployments by rules (core's planner), review the plan (a dry run, always
//! first), download a backup, then run it — `inactive` statuses only where GitHub needs one, then DELETE,
//! at the pace core's budget allows — with progress, pause/resume/cancel, retry of failures, an automatic
//! wait on rate limits, and a run kept on this device so a reload continues it. The run belongs to the app
//! (`runs`): it goes on while other screens of the host are open. The run deletes deployment
//! records only; once it is over, the environments left empty can be deleted on purpose, each ticked.
//!
//! Safe by default: the selection starts at "latest state inactive"; what is live in any environment and
//! what may be running now are kept by guard rails (core's `Guard`) unless included explicitly.
//!
//! `plan` loads what the planner needs and holds the selection; `selection` is the form; `preview` the
//! plan's table; `confirm` the last step with the backup; `script` the plan as a shell script to run elsewhere;
//! `environments` the environments left empty; `run` the run itself. The view's own module carries the plan
//! only: the run, the confirmation, the environments and the script's text each load on demand when first
//! shown (`views/loader.rs`).

mod confirm;
mod environments;
mod plan;
mod preview;
mod run;
mod script;
mod selection;
mod write;

use deploydeck_core::cleanup::SavedRun;
use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

use crate::components::LoadFailed;
use crate::href::app_href;
use crate::on_demand::ModuleLoadError;
use crate::runs::existing_runner;
use crate::session;
use crate::state::AppState;
use crate::views::{loader, OnDemandPart};

use plan::Planner;

// The parts loaded on demand (views/loader.rs): the run, the confirmation, the environments left empty, and
// the script's text — none of them comes with the plan.
pub(crate) use confirm::{Confirm, ConfirmParts};
pub(crate) use environments::EmptyEnvironmentsPanel;
pub(crate) use run::RunPanel;

/// What the view shows: the plan, a run, or the run's code on its way.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Plan,
    Run,
    Opening,
}

#[component]
pub fn CleanupView(location: AppLocation) -> impl IntoView {
    let state = expect_context::<AppState>();
    if state.connection.get_untracked().is_none() {
        return ().into_any();
    }
    // The repository's run, going on since it was started (in this page, or before a reload: then it
    // continues where it was, unless it was paused or had finished). Its runner is looked up here; made,
    // when a run is kept on this device or started, by the run's module (`loader::cleanup_runner`), so the
    // plan does not carry the run's code.
    let runner = RwSignal::new(existing_runner(&state, &location));
    let opening = RwSignal::new(false);
    let failed = RwSignal::new(None::<ModuleLoadError>);
    let fetch_runner = {
        let location = location.clone();
        move |start: Option<SavedRun>| {
            let location = location.clone();
            opening.set(true);
            leptos::task::spawn_local(async move {
                match loader::cleanup_runner(state, location, start).await {
                    Ok(made) => {
                        runner.try_set(made);
                    }
                    Err(error) => {
                        failed.try_set(Some(error));
                    }
                }
                opening.try_set(false);
            });
        }
    };
    let kept_here = {
        let location = location.clone();
        move || runner.get_untracked().is_none() && session::load_run(&location).is_some()
    };
    if kept_here() {
        fetch_runner(None);
    }
    // A run of this repository started in another tab is kept on this device: this tab then follows it (not
    // in the demo, whose repository each tab simulates on its own, as its runner does).
    if !location.host.is_demo() {
        let listener = window_event_listener(leptos::ev::storage, {
            let fetch_runner = fetch_runner.clone();
            move |_| {
                if kept_here() && !opening.get_untracked() {
                    fetch_runner(None);
                }
            }
        });
        on_cleanup(move || listener.remove());
    }
    let start = Callback::new(move |saved: SavedRun| fetch_runner(Some(saved)));

    let history = app_href(&location.with_view(View::History).path());
    // Whether a run is shown, apart from its progress: the run panel (and its module) is made once per run,
    // not again at every answer.
    let shown = Memo::new(move |_| {
        let running = runner.with(|r| r.as_ref().is_some_and(|r| r.run.with(Option::is_some)));
        match (running, opening.get()) {
            (true, _) => Shown::Run,
            (false, true) => Shown::Opening,
            (false, false) => Shown::Plan,
        }
    });
    let run_panel = OnDemandPart::new(|| Box::pin(loader::cleanup_run()));
    view! {
        <section class="page" data-testid="cleanup-view">
            <h1>"Cleanup"</h1>
            <p class="muted">
                "Deletes deployment records; environments only those you tick, once they are left empty (below). By default only inactive deployments are selected, and what is live or may be running is kept unless you include it. Nothing is sent until you have reviewed the plan and confirmed it. "
                <a href=history>"See the full history"</a>
            </p>
            {move || failed.get().map(|error| view! { <LoadFailed error offer_reload=true/> })}
            {move || match (shown.get(), runner.get_untracked()) {
                (Shown::Run, Some(runner)) => run_panel.view(runner),
                (Shown::Opening, _) => view! { <p class="loading" role="status">"Opening the run…"</p> }.into_any(),
                _ => view! { <Planner location=location.clone() start/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}
