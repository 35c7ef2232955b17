//! A repository at a glance: what the token can do here, and the newest deployments with their states.

use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

use crate::clock::now;
use crate::components::{AccessPanel, DeploymentRow, ErrorPanel};
use crate::href::app_href;
use crate::state::AppState;

const RECENT: u8 = 10;

#[component]
pub fn Overview(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let repo = location.repo.clone();
    let gh = api.repo(&repo);
    let access = LocalResource::new({
        let gh = gh.clone();
        move || {
            let gh = gh.clone();
            async move { gh.probe_access().await }
        }
    });
    let recent = LocalResource::new(move || {
        let gh = gh.clone();
        async move { gh.recent_deployments(RECENT).await }
    });
    // A cleanup run of this repository going on elsewhere in the app: what it deletes leaves the list.
    let gone = crate::runs::gone(&location);
    let demo = location.host.is_demo();
    let heading = location.repo.to_string();
    let history = app_href(&location.with_view(View::History).path());
    let create = app_href(&location.with_view(View::Create).path());
    view! {
        <section class="page" data-testid="overview">
            <h1>{heading}</h1>
            <Show when=move || demo>
                <p class="demo-note" role="note">
                    "This is a simulated repository running inside the page. Nothing is sent to GitHub; changes are lost on reload."
                </p>
            </Show>
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Checking access…"</p> }>
                {move || Suspend::new(async move {
                    match access.await {
                        Ok(connected) => view! { <AccessPanel report=connected.report login=connected.user.login/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error=error context="Could not check access" retry=move || access.refetch()/> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>"Newest deployments"</h2>
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Loading deployments…"</p> }>
                {move || { let location = location.clone(); let (history, create) = (history.clone(), create.clone()); Suspend::new(async move {
                    match recent.await {
                        Err(error) => view! { <ErrorPanel error=error context="Could not list deployments" retry=move || recent.refetch()/> }.into_any(),
                        Ok(records) if records.is_empty() => view! {
                            <p data-testid="no-deployments">"No deployments yet. "<a href=create.clone()>"Create one"</a>"."</p>
                        }.into_any(),
                        Ok(records) => {
                            let now = now();
                            view! {
                                <table class="deployments cards" data-testid="recent-deployments">
                                    <caption class="visually-hidden">"The newest deployments with their latest state"</caption>
                                    <thead><tr>
                                        <th scope="col">"Deployment"</th><th scope="col">"State"</th><th scope="col">"Environment"</th><th scope="col">"Ref"</th>
                                        <th scope="col">"Commit"</th><th scope="col">"By"</th><th scope="col">"Created"</th>
                                        <th scope="col">"Description"</th>
                                    </tr></thead>
                                    <tbody>
                                        {move || records.iter().filter(|r| gone.with(|g| !g.contains(&r.id()))).cloned().map(|r| {
                                            let href = app_href(&location.with_view(View::Deployment(r.id())).path());
                                            let reviews = app_href(&location.with_view(View::Reviews).path());
                                            let environment_url = r.latest_status.as_ref().map(|s| s.environment_url.clone());
                                            let state = Some(r.latest_state());
                                            view! { <DeploymentRow deployment=r.deployment state href now environment_url=environment_url.unwrap_or_default() reviews testid="deployment-row"/> }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <p><a href=history.clone() data-testid="see-all">"See every deployment in History"</a></p>
                            }.into_any()
                        }
                    }
                })}}
            </Suspense>
        </section>
    }
    .into_any()
}
