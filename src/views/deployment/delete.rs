//! Deleting one deployment from its page, under the cleanup's guard rails (core's `single_delete`): an
//! `inactive` status first when it is still active; what an environment runs now, or what may be running,
//! only after a tick. It follows the page's statuses, so a status just posted changes what it says, and it
//! reads little: its own statuses are the page's, and only when it is a success are the newer deployments
//! of its environment read (newest first, stopping at the first success) to know whether it is live.

use deploydeck_core::cleanup::{single_delete, Action as Plan, Reason};
use deploydeck_core::location::View;
use deploydeck_core::model::{DeploymentState, Latest};
use deploydeck_core::response::ApiError;
use deploydeck_core::rules::is_production;
use deploydeck_core::rules::{latest_status, DeploymentRecord};
use leptos::prelude::*;

use super::SectionParts;
use crate::clock::now;
use crate::components::{clipped, ErrorPanel};
use crate::href::app_href;

/// Newer deployments of the environment read at most to tell whether this one is live; past that it is
/// treated as live (the reading that never deletes what runs).
const LIVE_CHECK_AT_MOST: usize = 50;

#[derive(Clone, PartialEq)]
enum Outcome {
    Deleted,
    Failed(ApiError),
}

/// The single delete, in its own module (`views::loader::delete_section`): most readers of a deployment's page
/// do not delete it, and its code (the guard rails, the liveness check) need not come before the page shows.
#[component]
pub(crate) fn DeleteDeployment(parts: SectionParts) -> impl IntoView {
    let SectionParts {
        api,
        location,
        deployment,
        statuses,
    } = parts;
    let id = deployment.id;
    let gh = api.repo(&location.repo);
    let record = Memo::new({
        let deployment = deployment.clone();
        move |_| {
            statuses.with(|s| match s {
                Some(Ok(list)) => Some(Ok(DeploymentRecord {
                    deployment: deployment.clone(),
                    latest_status: latest_status(list).map(Latest::from),
                })),
                Some(Err(error)) => Some(Err(error.clone())),
                None => None,
            })
        }
    });
    let succeeded = Memo::new(move |_| {
        record.with(
            |r| matches!(r, Some(Ok(r)) if r.latest_state() == Some(DeploymentState::Success)),
        )
    });
    // Only a success can be live: then, is a newer one of its environment a success?
    let live = LocalResource::new({
        let (gh, environment) = (gh.clone(), deployment.environment.clone());
        move || {
            let (gh, environment, check) = (gh.clone(), environment.clone(), succeeded.get());
            async move {
                if !check {
                    return Ok(false);
                }
                let live = gh.is_live(&environment, id, LIVE_CHECK_AT_MOST).await?;
                Ok::<_, ApiError>(live.unwrap_or(true))
            }
        }
    });
    let include = RwSignal::new(false);
    let production = is_production(&deployment.environment, deployment.production_environment);
    // (what will happen, why), or what stopped the check. Read by the section's boundary, which re-renders
    // when the liveness check answers — possibly after the page was left and these values disposed
    // (leptos-rs/leptos#3595): a value already gone reads as "not yet".
    let decision = move || -> Option<Result<(Plan, Reason), ApiError>> {
        let record = record.try_get().flatten()?;
        let live = live.try_get().flatten()?;
        let include = include.try_get()?;
        Some(record.and_then(|record| {
            let live = live?.then_some(production);
            Ok(single_delete(&record, live, include, now()))
        }))
    };
    let delete = Action::new_local({
        let gh = gh.clone();
        move |action: &Plan| {
            let (gh, action) = (gh.clone(), *action);
            async move {
                gh.delete_as_allowed(id, action == Plan::DeactivateThenDelete)
                    .await
            }
        }
    });
    let confirming = RwSignal::new(false);
    let outcome = Memo::new(move |_| {
        delete.value().get().map(|result| match result {
            // Already gone (deleted elsewhere): what was asked holds.
            Ok(()) | Err(ApiError::NotFound { .. }) => Outcome::Deleted,
            Err(error) => Outcome::Failed(error),
        })
    });
    let history = app_href(&location.with_view(View::History).path());
    let cleanup = app_href(&location.with_view(View::Cleanup).path());
    let environment = clipped(&deployment.environment, 60);
    view! {
        <section class="delete-one" aria-labelledby="delete-heading" data-testid="delete-deployment">
            <h2 id="delete-heading">"Delete this deployment"</h2>
            {move || match outcome.get() {
                Some(Outcome::Deleted) => view! {
                    <p class="notice" role="status" data-testid="delete-done">
                        {format!("Deployment {} was deleted. ", id.0)}
                        <a href=history.clone()>"Back to the history"</a>
                    </p>
                }.into_any(),
                other => {
                    let (cleanup, environment) = (cleanup.clone(), environment.clone());
                    let failed = match other {
                        Some(Outcome::Failed(error)) => Some(view! { <ErrorPanel error context="GitHub did not delete it"/> }),
                        _ => None,
                    };
                    // Its own boundary: the liveness check must never suspend the page around it.
                    view! {
                        {failed}
                        <Transition fallback=|| view! { <p class="loading" aria-busy="true">"Checking what GitHub allows…"</p> }>{move || match decision() {
                            None => view! { <p class="loading" aria-busy="true">"Checking what GitHub allows…"</p> }.into_any(),
                            Some(Err(error)) => view! { <ErrorPanel error context="Could not check whether it is live"/> }.into_any(),
                            Some(Ok((action, reason))) => view! {
                                <DeleteChoice action reason include confirming delete environment=environment.clone() cleanup=cleanup.clone() id=id.0/>
                            }.into_any(),
                        }}</Transition>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// What will happen and why, the tick past a guard rail, and the two-step button.
#[component]
fn DeleteChoice(
    action: Plan,
    reason: Reason,
    include: RwSignal<bool>,
    confirming: RwSignal<bool>,
    delete: Action<Plan, Result<(), ApiError>>,
    environment: String,
    cleanup: String,
    id: u64,
) -> impl IntoView {
    let explain = match (action, &reason) {
        (Plan::Keep, _) | (_, Reason::NeedsDeactivation { .. }) => reason.describe(),
        _ => "Inactive, so GitHub deletes it as it is.".to_owned(),
    };
    let guard = match &reason {
        Reason::LiveProduction => {
            Some("Delete it although it is what production runs now".to_owned())
        }
        Reason::Live => Some(format!(
            "Delete it although it is what {environment} runs now"
        )),
        Reason::MayBeRunning { .. } => Some("Delete it although it may be running now".to_owned()),
        _ => None,
    };
    // Once ticked, the reason no longer names the guard: keep the tick on screen to untick it.
    let guard = guard.or_else(|| {
        include
            .get_untracked()
            .then(|| "Delete it although a guard rail kept it".to_owned())
    });
    view! {
        <p data-testid="delete-explanation">{explain}</p>
        {guard.map(|label| view! {
            <label class="choice guard">
                <input type="checkbox" prop:checked=move || include.get()
                    on:change=move |ev| include.set(event_target_checked(&ev)) data-testid="delete-allow-live"/>
                {label}
            </label>
        })}
        <p class="muted">"Only this deployment record and its statuses go; the environment stays. To delete many, use "<a href=cleanup>"Cleanup"</a>"."</p>
        <div class="actions">
            <Show when=move || !confirming.get()>
                <button type="button" class="button danger-subtle" disabled=action == Plan::Keep
                    on:click=move |_| confirming.set(true) data-testid="delete-start">
                    {match action { Plan::DeactivateThenDelete => "Mark inactive and delete…", _ => "Delete…" }}
                </button>
            </Show>
            <Show when=move || confirming.get()>
                <button type="button" class="button danger" disabled=move || delete.pending().get()
                    on:click=move |_| { delete.dispatch(action); } data-testid="delete-confirm">
                    {format!("Yes, delete deployment {id}")}
                </button>
                <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>"Cancel"</button>
            </Show>
        </div>
    }
}
