//! The Cleanup view: choose deployments by rules (core's planner), review the plan (a dry run, always
//! first), download a backup, then run it — `inactive` statuses only where GitHub needs one, then DELETE,
//! at the pace core's budget allows — with progress, pause/resume/cancel, retry of failures, an automatic
//! wait on rate limits, and a run kept on this device so a reload continues it. The run deletes deployment
//! records only; once it is over, the environments left empty can be deleted on purpose, each ticked.
//!
//! Safe by default: the selection starts at "latest state inactive"; what is live in any environment and
//! what may be running now are kept by guard rails (core's `Guard`) unless included explicitly.
//!
//! `plan` loads what the planner needs and holds the selection; `selection` is the form; `preview` the
//! plan's table; `confirm` the last step with the backup; `script` the plan as a shell script to run elsewhere; `environments` the environments left empty; `run` the
//! run itself.

mod confirm;
mod environments;
mod plan;
mod preview;
mod run;
mod script;
mod selection;

use deploydeck_core::cleanup::SavedRun;
use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

use crate::href::app_href;
use crate::session;
use crate::state::AppState;
use crate::tasks::Tasks;

use plan::Planner;
use run::{RunPanel, Runner};

#[component]
pub fn CleanupView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let kept = session::load_run(&location).and_then(|text| SavedRun::from_json(&text));
    let restored = kept.is_some();
    let runner = Runner {
        api: api.clone(),
        location: StoredValue::new(location.clone()),
        run: RwSignal::new(kept),
        tasks: Tasks::new(),
        workers: StoredValue::new(0),
        since: StoredValue::new(crate::clock::now_ms()),
        answered: StoredValue::new(0),
        kept: RwSignal::new(true),
    };
    // A run kept from before a reload (or from before leaving this view) continues where it was, unless it
    // was paused or had finished.
    runner.pump();
    let history = app_href(&location.with_view(View::History).path());
    view! {
        <section class="page" data-testid="cleanup-view">
            <h1>"Cleanup"</h1>
            <p class="muted">
                "Deletes deployment records; environments only those you tick, once they are left empty (below). By default only inactive deployments are selected, and what is live or may be running is kept unless you include it. Nothing is sent until you have reviewed the plan and confirmed it. "
                <a href=history>"See the full history"</a>
            </p>
            {move || {
                if runner.run.with(Option::is_some) {
                    view! { <RunPanel runner=runner.clone() restored/> }.into_any()
                } else {
                    view! { <Planner location=location.clone() runner=runner.clone()/> }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}
