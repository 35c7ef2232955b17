//! Which deployments a `success` here would mark inactive (core's rules), read only when a success is what
//! the form will post: the environment's list, then the latest states of just the candidates (earlier,
//! not transient) — and asked first when that costs much of the quota.

use deploydeck_core::cost::{ask_before_reading, CostQuestion};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentState};
use deploydeck_core::response::ApiError;
use deploydeck_core::rules::{
    auto_inactive_candidates, auto_inactive_targets, AutoInactiveScope, DeploymentRecord,
};
use deploydeck_core::text::count;
use deploydeck_core::validate::StatusDraft;
use leptos::prelude::*;

use crate::components::{clipped, CostNotice, ErrorPanel};
use crate::href::app_href;
use crate::net::api::Api;

/// What the preview has read for one environment.
#[derive(Clone)]
enum Read {
    /// Reading the candidates' states would cost much: the question, before anything more is read.
    Ask(CostQuestion),
    /// The candidates with their latest states.
    Records(Vec<DeploymentRecord>),
}

#[component]
pub(super) fn AutoInactivePreview(
    api: Api,
    location: AppLocation,
    deployment: Deployment,
    draft: RwSignal<StatusDraft>,
    /// Bumped after each post: the states it decides over have changed.
    posted: RwSignal<u32>,
) -> impl IntoView {
    let id = deployment.id;
    // The environment a success would be posted in, only while the form would post a success with
    // auto-inactive on (nothing is read otherwise).
    let wanted = Memo::new({
        let current = deployment.environment.clone();
        move |_| {
            draft.with(|d| {
                let body = d.validate().ok()?;
                (body.state == DeploymentState::Success && body.auto_inactive != Some(false)).then(
                    || {
                        let named = d.environment.trim();
                        if named.is_empty() {
                            current.clone()
                        } else {
                            named.to_owned()
                        }
                    },
                )
            })
        }
    });
    let consent = RwSignal::new(false);
    let read = LocalResource::new({
        let gh = api.repo(&location.repo);
        move || {
            posted.track();
            let (gh, environment, consent) = (gh.clone(), wanted.get(), consent.get());
            async move {
                let Some(environment) = environment else {
                    return Ok::<_, ApiError>(None);
                };
                let listed = gh.environment_deployments(&environment).await?;
                let candidates = auto_inactive_candidates(&listed, id, &environment);
                let what = format!(
                    "the latest state of the {} earlier in {}",
                    count(candidates.len(), "deployment", "deployments"),
                    clipped(&environment, 60)
                );
                let unread = gh.unread_states(&candidates);
                if let Some(question) = ask_before_reading(unread, &what, gh.api().quota().as_ref())
                    .filter(|_| !consent)
                {
                    return Ok(Some(Read::Ask(question)));
                }
                let wanted: std::collections::HashSet<DeploymentId> =
                    candidates.into_iter().collect();
                let deployments: Vec<Deployment> = listed
                    .into_iter()
                    .filter(|d| wanted.contains(&d.id))
                    .collect();
                let records = gh.with_latest_states(deployments, |_| ()).await?;
                Ok(Some(Read::Records(records)))
            }
        }
    });
    // Read by the preview's boundary, which re-renders when the read answers — possibly after the page was
    // left and these values disposed (leptos-rs/leptos#3595): a value already gone reads as "nothing yet".
    let targets = move || -> Option<Result<Result<Vec<DeploymentId>, CostQuestion>, ApiError>> {
        let body = draft.try_with(|d| d.validate().ok()).flatten()?;
        wanted.try_get().flatten()?;
        let read = read.try_get().flatten()?;
        Some(read.map(|r| match r {
            None => Ok(Vec::new()),
            Some(Read::Ask(question)) => Err(question),
            Some(Read::Records(mut records)) => {
                records.push(DeploymentRecord::new(deployment.clone(), &[]));
                Ok(auto_inactive_targets(
                    &records,
                    id,
                    &body,
                    AutoInactiveScope::default(),
                ))
            }
        }))
    };
    let off = move || {
        draft
            .try_with(|d| {
                d.validate().is_ok_and(|b| {
                    b.state == DeploymentState::Success && b.auto_inactive == Some(false)
                })
            })
            .unwrap_or(false)
    };
    // Its own boundary: reading the preview must never suspend the page around it (the form would be redrawn
    // and lose the focus).
    view! {
        <div class="auto-inactive-preview" aria-live="polite" data-testid="auto-inactive-preview">
            <Transition fallback=|| ()>{move || {
                if off() {
                    return view! { <p>"Posting this success marks no other deployment inactive."</p> }.into_any();
                }
                match targets() {
                    None => ().into_any(),
                    Some(Err(error)) => view! { <ErrorPanel error context="Could not preview auto-inactive"/> }.into_any(),
                    Some(Ok(Err(question))) => view! {
                        <CostNotice question why="Which earlier deployments this success marks inactive can be shown." action="Show them"
                            on_accept=move || consent.set(true) testid="preview-cost"/>
                    }.into_any(),
                    Some(Ok(Ok(ids))) if ids.is_empty() => view! {
                        <p>"Posting this success marks no other deployment inactive."</p>
                    }.into_any(),
                    Some(Ok(Ok(ids))) => {
                        let environment = wanted.try_get().flatten().unwrap_or_default();
                        view! {
                            <p>{format!("Posting this success will mark {} of {} inactive:", count(ids.len(), "earlier deployment", "earlier deployments"), clipped(&environment, 120))}</p>
                            <ul class="preview-ids">
                                {ids.into_iter().map(|other| {
                                    let href = app_href(&location.with_view(View::Deployment(other)).path());
                                    view! { <li><a href=href data-testid="will-deactivate">{format!("Deployment {}", other.0)}</a></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            }}</Transition>
        </div>
    }
}
