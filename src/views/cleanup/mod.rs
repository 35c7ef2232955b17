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

use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

use crate::href::app_href;
use crate::runs::runner_for;
use crate::state::AppState;
use crate::views::{loader, OnDemandPart};

use plan::Planner;

// The parts loaded on demand (views/loader.rs): the run, the confirmation, the environments left empty, and
// the script's text — none of them comes with the plan.
pub(crate) use confirm::{Confirm, ConfirmParts};
pub(crate) use environments::EmptyEnvironmentsPanel;
pub(crate) use run::RunPanel;

#[component]
pub fn CleanupView(location: AppLocation) -> impl IntoView {
    // The repository's run, going on since it was started (in this page, or before a reload: then it
    // continues where it was, unless it was paused or had finished).
    let Some(runner) = runner_for(expect_context::<AppState>(), &location) else {
        return ().into_any();
    };
    let history = app_href(&location.with_view(View::History).path());
    // Whether a run is shown, apart from its progress: the run panel (and its module) is made once per run,
    // not again at every answer.
    let running = Memo::new({
        let run = runner.run.clone();
        move |_| run.with(Option::is_some)
    });
    let run_panel = OnDemandPart::new(|| Box::pin(loader::cleanup_run()));
    view! {
        <section class="page" data-testid="cleanup-view">
            <h1>"Cleanup"</h1>
            <p class="muted">
                "Deletes deployment records; environments only those you tick, once they are left empty (below). By default only inactive deployments are selected, and what is live or may be running is kept unless you include it. Nothing is sent until you have reviewed the plan and confirmed it. "
                <a href=history>"See the full history"</a>
            </p>
            {move || {
                if running.get() {
                    run_panel.view(runner.clone())
                } else {
                    view! { <Planner location=location.clone() runner=runner.clone()/> }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}
