//! A deployment's statuses, newest first and numbered in the order they happened (the timeline above them
//! reads oldest to newest with the same numbers' order), with what to expect when none has arrived.

use deploydeck_core::history::{format_duration, state_spans};
use deploydeck_core::model::DeploymentState;
use deploydeck_core::rules::nothing_picked_it_up;
use deploydeck_core::url::is_http_url;
use leptos::prelude::*;

use super::Statuses;
use crate::components::{clipped, Clip, ErrorPanel, StateBadge, Time};

#[component]
pub(super) fn StatusList(
    statuses: Statuses,
    created_at: deploydeck_core::Timestamp,
    clock: RwSignal<deploydeck_core::Timestamp>,
    /// The repository's Reviews view, where a deployment waiting for a reviewer is approved or rejected.
    reviews: String,
) -> impl IntoView {
    move || match statuses.get() {
        None => view! { <p class="loading" aria-busy="true">"Loading statuses…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorPanel error=error context="Could not load the statuses"/> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            let quiet = nothing_picked_it_up(created_at, clock.get(), 0);
            view! {
                <p data-testid="no-status">"No status yet. This page follows the deployment and shows statuses as they arrive."</p>
                {quiet.then(|| view! {
                    <div class="notice" role="status" data-testid="nothing-picked-up">
                        <p><strong>"Nothing has picked this deployment up yet."</strong></p>
                        <p>"Creating a deployment only records it and sends a deployment event. Something must act on that event and post statuses: a workflow with on: deployment (a deployment created with a personal token triggers it; one created with a workflow's GITHUB_TOKEN does not), a GitHub App or webhook listening for deployment events, or a person posting a status below."</p>
                    </div>
                })}
            }
            .into_any()
        }
        Some(Ok(list)) => {
            let now = clock.get();
            let spans = state_spans(&list, now);
            let timeline = spans
                .iter()
                .map(|s| match s.seconds {
                    Some(secs) => format!("{} {}", s.state.label(), format_duration(secs)),
                    None => s.state.label().to_owned(),
                })
                .collect::<Vec<_>>()
                .join(" → ");
            let waits = list
                .first()
                .is_some_and(|s| s.state == DeploymentState::Waiting);
            view! {
                {waits.then(|| view! {
                    <p class="notice" data-testid="waits-for-review">"This deployment waits for a required reviewer. "
                        <a href=reviews.clone() data-testid="review-link">"Review it in Reviews"</a></p>
                })}
                <p class="spans" data-testid="state-spans"><strong>"Time in each state: "</strong>{timeline}</p>
                <ol class="statuses" reversed data-testid="statuses">
                    {list.into_iter().map(|s| {
                        let log = s.log_link().filter(|u| is_http_url(u)).map(str::to_owned);
                        let env_url = Some(s.environment_url.clone()).filter(|u| is_http_url(u));
                        view! {
                            <li data-testid="status">
                                <StateBadge state=Some(s.state)/>
                                " "<Time at=s.created_at now/>
                                {format!(" by {} in {}", clipped(s.creator.as_ref().map(|c| c.login.as_str()).unwrap_or("unknown"), 40), clipped(&s.environment, 120))}
                                {(!s.description.is_empty()).then(|| view! { " — "<span class="description"><Clip text=s.description.clone() max=500 expand=true/></span> })}
                                {log.map(|u| view! { " " <a href=u rel="noopener noreferrer" target="_blank">"log"</a> })}
                                {env_url.map(|u| view! { " " <a href=u rel="noopener noreferrer" target="_blank">"environment"</a> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
            .into_any()
        }
    }
}
