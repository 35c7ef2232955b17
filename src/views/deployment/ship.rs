//! What will ship: what the deployment's environment runs now, compared with this deployment's commit — in
//! words (newer, a rollback, the same, gone separate ways) and the commits that arrive or leave, a page of 100
//! at a time (`components::Shipped`). The reading and its words are core's (`ship`); the requests the API
//! handle's (`what_will_ship`).

use deploydeck_core::location::AppLocation;
use deploydeck_core::model::Deployment;
use leptos::prelude::*;

use super::again::DoAgain;
use super::{SectionParts, ShipReading};
use crate::components::{clipped, Shipped};
use crate::net::api::Api;

/// What will ship and doing it again, in their own module (`views::loader::ship_section`): the comparison is
/// read once here and both halves show it.
#[component]
pub(crate) fn ShipSection(parts: SectionParts) -> impl IntoView {
    let SectionParts {
        api,
        location,
        deployment: d,
        statuses,
    } = parts;
    let gh = api.repo(&location.repo);
    let (environment, sha, id) = (d.environment.clone(), d.sha.clone(), d.id);
    let reading: ShipReading = LocalResource::new(move || {
        let (gh, environment, sha) = (gh.clone(), environment.clone(), sha.clone());
        async move { gh.what_will_ship(&environment, &sha, Some(id)).await }
    });
    let again = (api.clone(), location.clone(), d.clone());
    view! {
        <WhatWillShip api location deployment=d reading/>
        // Its label waits for the comparison: its own Suspense, so the rest of the page does not.
        <Suspense fallback=|| ()>
            {let again = again.clone(); move || view! { <DoAgain api=again.0.clone() location=again.1.clone() deployment=again.2.clone() statuses reading/> }}
        </Suspense>
    }
}

#[component]
fn WhatWillShip(
    api: Api,
    location: AppLocation,
    deployment: Deployment,
    reading: ShipReading,
) -> impl IntoView {
    let environment = deployment.environment.clone();
    view! {
        <section aria-labelledby="ship-heading" data-testid="what-will-ship">
            <h2 id="ship-heading">{format!("What deploying this to {} changes", clipped(&environment, 80))}</h2>
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Comparing with what runs there…"</p> }>
                {move || {
                    let (api, location, environment) = (api.clone(), location.clone(), environment.clone());
                    Suspend::new(async move {
                        view! { <Shipped api location environment reading=reading.await/> }
                    })
                }}
            </Suspense>
        </section>
    }
}
