//! Every environment at a glance: what is live there now, since when and by whom, its recent states, and what
//! a rollback would go back to (a link to that deployment's page, where it is said and done).

use deploydeck_core::history::environments;
use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

use super::driver::History;
use crate::clock::now;
use crate::components::{clipped, Clip, StateBadge, Time};
use crate::href::app_href;

/// What the table is drawn from: every listed deployment once each has its state, else the ones that do.
fn environments_basis(known: usize, total: usize) -> String {
    if known == total {
        format!("From all {total} deployments listed, each with its latest state.")
    } else {
        format!("From the {known} of {total} deployments whose latest state is loaded (scroll or export to load more).")
    }
}

#[component]
pub(super) fn Environments(h: History, location: AppLocation) -> impl IntoView {
    move || {
        h.summaries.track();
        let (envs, known) = h.with_known(None, |records| (environments(records), records.len()));
        let total = h.list.with_untracked(|l| l.rows().len());
        let location = location.clone();
        view! {
            <p class="muted">{environments_basis(known, total)}</p>
            <table class="deployments environments cards" data-testid="environments">
                <thead><tr>
                    <th scope="col">"Environment"</th><th scope="col">"Live now"</th><th scope="col">"Since"</th>
                    <th scope="col">"By"</th><th scope="col">"Recent"</th><th scope="col">"Roll back"</th>
                </tr></thead>
                <tbody>
                    {envs.into_iter().map(|e| {
                        let live = e.live.clone();
                        let location = location.clone();
                        view! {
                            <tr data-testid="environment-row">
                                <th scope="row"><Clip text=e.name.clone()/>
                                    {e.transient.then(|| view! { <span class="tag">"transient"</span> })}
                                    {e.destroyed.then(|| view! { <span class="tag">"destroyed"</span> })}
                                </th>
                                <td data-label="Live now">{match &live {
                                    Some(l) => {
                                        let href = app_href(&location.with_view(View::Deployment(l.deployment_id)).path());
                                        view! { <a href=href>{format!("Deployment {}", l.deployment_id.0)}</a> }.into_any()
                                    }
                                    None => view! { <span class="muted">"Nothing live"</span> }.into_any(),
                                }}</td>
                                <td data-label="Since">{live.as_ref().map(|l| view! { <Time at=l.since now=now()/> })}</td>
                                <td data-label="By"><Clip text=live.as_ref().and_then(|l| l.by.clone()).unwrap_or_default() max=40/></td>
                                <td class="recent-states" data-label="Recent">{e.recent.into_iter().map(|(_, s)| view! { <StateBadge state=s/> }).collect_view()}</td>
                                <td data-label="Roll back">{e.previous.map(|id| {
                                    let href = app_href(&location.with_view(View::Deployment(id)).path());
                                    let label = format!("Roll back {} to deployment {}", clipped(&e.name, 80), id.0);
                                    view! { <a href=href aria-label=label data-testid="rollback-link">{format!("To deployment {}", id.0)}</a> }
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    }
}
