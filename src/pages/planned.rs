//! The Create, History and Cleanup views arrive with their own issues; until then their place in the
//! navigation says what each will do, so the layout and the links are real.

use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

#[component]
pub fn PlannedView(view: View, location: AppLocation) -> impl IntoView {
    let what = match view {
        View::Create => "Create deployments and post their statuses, with every answer GitHub can give explained: checks that failed, an auto-merge instead of a deployment, validation errors on their fields.",
        View::History => "Every deployment with its status timeline, filters, environments and what is live, fast on repositories with thousands of deployments.",
        View::Cleanup => "Delete inactive deployments in bulk with a preview first, at the pace GitHub allows, resumable after a reload.",
        View::Overview | View::Deployment(_) => "",
    };
    let overview = crate::app_href(&location.with_view(View::Overview).path());
    view! {
        <section class="page narrow" data-testid=format!("planned-{}", view.slug())>
            <h1>{view.label()}</h1>
            <p>{what}</p>
            <p class="muted">"This view is not built yet in this version of Deploydeck."</p>
            <p><a href=overview>"Back to the overview"</a></p>
        </section>
    }
}
