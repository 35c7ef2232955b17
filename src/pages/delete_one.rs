//! Deleting one deployment from its page, with the Cleanup view's rules: core's planner decides over the
//! deployments of its environment (an `inactive` status first when it is still active; what is live in a
//! production environment only when the user says so), and the page explains what GitHub allows.

use deploydeck_core::cleanup::{Action as Plan, CleanupPlan, Reason, Selection};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::Deployment;
use deploydeck_core::response::ApiError;
use deploydeck_core::rules::DeploymentRecord;
use leptos::prelude::*;

use crate::api::Api;
use crate::app_href;
use crate::components::ErrorPanel;
use crate::transport::now;

#[derive(Clone, PartialEq)]
enum Outcome {
    Deleted,
    Failed(ApiError),
}

#[component]
pub fn DeleteDeployment(location: AppLocation, api: Api, deployment: Deployment) -> impl IntoView {
    let id = deployment.id;
    let repo = location.repo.clone();
    // The environment's deployments with their latest states: what the planner's rules look at.
    let records = LocalResource::new({
        let (api, repo, deployment) = (api.clone(), repo.clone(), deployment.clone());
        move || {
            let (api, repo, deployment) = (api.clone(), repo.clone(), deployment.clone());
            async move {
                let mut records = api
                    .environment_records(&repo, &deployment.environment, 100)
                    .await?;
                if !records.iter().any(|r| r.id() == id) {
                    let latest_status = api.latest_status(&repo, id).await?;
                    records.push(DeploymentRecord {
                        deployment,
                        latest_status,
                    });
                }
                Ok::<_, ApiError>(records)
            }
        }
    });
    let allow_live = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    // (what will happen, why) under the same rules as a cleanup.
    let decision = move || {
        records.get().map(|r| {
            r.map(|records| {
                let selection = Selection {
                    allow_live_production: allow_live.get(),
                    ..Selection::default()
                };
                let plan = CleanupPlan::new(&records, &selection, now());
                plan.items
                    .into_iter()
                    .find(|i| i.id == id)
                    .map(|i| (i.action(), i.reason()))
                    .unwrap_or((Plan::Delete, Reason::Inactive))
            })
        })
    };
    let live_production = move || {
        records
            .get()
            .and_then(Result::ok)
            .is_some_and(|records| deploydeck_core::rules::live_production(&records).contains(&id))
    };
    let delete = Action::new_local({
        let (api, repo) = (api.clone(), repo.clone());
        move |action: &Plan| {
            let (api, repo, action) = (api.clone(), repo.clone(), *action);
            async move {
                if action == Plan::DeactivateThenDelete {
                    api.deactivate(&repo, id).await?;
                }
                api.delete_deployment(&repo, id).await
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            confirming.set(false);
            outcome.set(Some(match result {
                // Already gone (deleted elsewhere): what was asked holds.
                Ok(()) | Err(ApiError::NotFound { .. }) => Outcome::Deleted,
                Err(error) => Outcome::Failed(error),
            }));
        }
    });
    let history = app_href(&location.with_view(View::History).path());
    let cleanup = app_href(&location.with_view(View::Cleanup).path());
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
                    let cleanup = cleanup.clone();
                    let failed = match other {
                        Some(Outcome::Failed(error)) => Some(view! { <ErrorPanel error context="GitHub did not delete it"/> }),
                        _ => None,
                    };
                    view! {
                        {failed}
                        {move || match decision() {
                            None => view! { <p class="loading" aria-busy="true">"Checking what GitHub allows…"</p> }.into_any(),
                            Some(Err(error)) => view! { <ErrorPanel error context="Could not check its environment"/> }.into_any(),
                            Some(Ok((action, reason))) => {
                                let explain = match (action, &reason) {
                                    (Plan::Keep, _) => reason.describe(),
                                    (_, Reason::NeedsDeactivation { .. }) => reason.describe(),
                                    _ => "Inactive, so GitHub deletes it as it is.".to_owned(),
                                };
                                view! {
                                    <p data-testid="delete-explanation">{explain}</p>
                                    <Show when=live_production>
                                        <label class="choice guard">
                                            <input type="checkbox" prop:checked=move || allow_live.get()
                                                on:change=move |ev| allow_live.set(event_target_checked(&ev)) data-testid="delete-allow-live"/>
                                            "Delete it although it is what production runs now"
                                        </label>
                                    </Show>
                                    <p class="muted">"Only this deployment record and its statuses go; the environment stays. To delete many, use "<a href=cleanup.clone()>"Cleanup"</a>"."</p>
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
                                                {format!("Yes, delete deployment {}", id.0)}
                                            </button>
                                            <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>"Cancel"</button>
                                        </Show>
                                    </div>
                                }.into_any()
                            }
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}
