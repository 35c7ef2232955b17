//! One deployment: what it is, its statuses (followed while the page is open, with conditional requests
//! that cost no quota when nothing changed), a form to post a status — with a preview of what
//! auto-inactive will do — and the single delete under the cleanup's guard rails.
//!
//! `statuses` the list and its timeline; `status_form` the form; `auto_inactive` the preview; `delete` the
//! single delete. The statuses are read once here and shared: the delete section follows them.

mod again;
mod auto_inactive;
mod delete;
mod early;
mod ship;

pub use early::EarlyReads;

pub(crate) use delete::DeleteDeployment;
pub(crate) use ship::ShipSection;
mod status_form;
mod statuses;

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentStatus};
use deploydeck_core::response::ApiError;
use leptos::prelude::*;

use crate::clock::{every, now};
use crate::components::{clipped, Clip, ErrorPanel, Time};
use crate::href::app_href;
use crate::net::api::Api;
use crate::state::AppState;
use crate::tasks::Tasks;
use crate::views::{loader, OnDemandPart};

use status_form::StatusForm;
use statuses::StatusList;

/// How often an open deployment page asks for new statuses (each ask is a conditional GET).
const WATCH_EVERY_MS: u64 = 5_000;

/// What will ship, read once for the page's ship section; its "again" half reads the same answer.
pub(crate) type ShipReading = LocalResource<Result<deploydeck_core::ship::Shipping, ApiError>>;

/// The statuses as last read: `None` before the first answer.
pub type Statuses = RwSignal<Option<Result<Vec<DeploymentStatus>, ApiError>>>;

/// What each section of the page with its own module (what will ship, the single delete) is made of: the page
/// hands it over once the deployment is read.
pub struct SectionParts {
    pub api: Api,
    pub location: AppLocation,
    pub deployment: Deployment,
    pub statuses: Statuses,
}

#[component]
pub fn DeploymentView(
    location: AppLocation,
    id: DeploymentId,
    /// The reads the repository frame started with the click (`EarlyReads::none()`: none).
    early: EarlyReads,
) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let repo = location.repo.clone();
    let tasks = Tasks::new();
    let gh = api.repo(&repo);
    let deployment = LocalResource::new({
        let gh = gh.clone();
        move || {
            let gh = gh.clone();
            async move { early.deployment.or(gh.deployment(id)).await }
        }
    });
    // What will ship and doing it again, and the single delete: their code loads once the deployment is here
    // (loader::ship_section, loader::delete_section).
    let ship = OnDemandPart::new(|| Box::pin(loader::ship_section()));
    let delete = OnDemandPart::new(|| Box::pin(loader::delete_section()));
    // Statuses: loaded, then asked for again every few seconds while the tab is visible.
    let statuses: Statuses = RwSignal::new(None);
    let refresh = {
        let gh = gh.clone();
        move || {
            let gh = gh.clone();
            tasks.spawn(async move {
                let result = early.statuses.or(gh.statuses(id)).await;
                // A failed refresh keeps what was shown; only a first load shows the error.
                if result.is_ok() || statuses.get_untracked().is_none() {
                    statuses.set(Some(result));
                }
            });
        }
    };
    refresh();
    let clock = RwSignal::new(now());
    every(WATCH_EVERY_MS, {
        let refresh = refresh.clone();
        move |visible| {
            clock.set(now());
            if visible {
                refresh();
            }
        }
    });

    // A section with its own module, made once the deployment is read (again if it is read again).
    let section = |part: OnDemandPart<SectionParts>| {
        let (api, location) = (api.clone(), location.clone());
        move || {
            deployment.get().and_then(Result::ok).map(|deployment| {
                let (api, location) = (api.clone(), location.clone());
                part.view(SectionParts {
                    api,
                    location,
                    deployment,
                    statuses,
                })
            })
        }
    };
    let (ship, delete) = (section(ship), section(delete));
    // Two Suspenses over the same read, the on-demand parts beside them (not inside one: OnDemandPart).
    let loading = || view! { <p class="loading" aria-busy="true">"Loading the deployment…"</p> };
    view! {
        <section class="page" data-testid="deployment-page">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match deployment.await {
                        Err(error) => view! {
                            <h1>{format!("Deployment {}", id.0)}</h1>
                            <ErrorPanel error=error context="Could not load the deployment" retry=move || deployment.refetch()/>
                        }.into_any(),
                        Ok(d) => view! { <DeploymentDetails deployment=d/> }.into_any(),
                    }
                })}
            </Suspense>
            {ship}
            <Suspense fallback=|| ()>
                {move || {
                    let (api, location, refresh) = (api.clone(), location.clone(), refresh.clone());
                    Suspend::new(async move {
                        deployment.await.ok().map(|d| view! {
                            <h2>"Statuses "<span class="muted">"(newest first)"</span></h2>
                            <StatusList statuses created_at=d.created_at clock reviews=app_href(&location.with_view(View::Reviews).path())/>
                            <h2 id="post-status">"Post a status"</h2>
                            <StatusForm location=location.clone() api=api.clone() deployment=d.clone() on_posted=refresh/>
                        })
                    })
                }}
            </Suspense>
            {delete}
        </section>
    }
    .into_any()
}

#[component]
fn DeploymentDetails(deployment: Deployment) -> impl IntoView {
    let d = deployment;
    let payload = (!d.payload.is_empty()).then(|| d.payload.pretty());
    view! {
        <h1>{format!("Deployment {} to {}", d.id.0, clipped(&d.environment, 120))}</h1>
        <dl class="facts">
            <dt>"Ref"</dt><dd><code><Clip text=d.git_ref.clone() max=500 expand=true/></code>" at "<code>{d.short_sha().to_owned()}</code></dd>
            <dt>"Task"</dt><dd><Clip text=d.task.clone() max=500 expand=true/></dd>
            <dt>"Environment"</dt><dd><Clip text=d.environment.clone() max=500 expand=true/>
                {d.transient_environment.then(|| view! { <span class="tag">"transient"</span> })}
                {d.production_environment.then(|| view! { <span class="tag">"production"</span> })}
            </dd>
            <dt>"Created"</dt><dd><Time at=d.created_at now=now() exact=true/>
                {format!(" by {}", clipped(d.creator_login().unwrap_or("unknown"), 40))}</dd>
            <dt>"Description"</dt><dd><Clip text=d.description.clone().unwrap_or_else(|| "—".into()) max=500 expand=true/></dd>
        </dl>
        {payload.map(|p| view! {
            <h2>"Payload"</h2>
            <pre class="payload" data-testid="payload">{p}</pre>
        })}
    }
}
