//! What will ship: what the deployment's environment runs now, compared with this deployment's commit — in
//! words (newer, a rollback, the same, gone separate ways) and the commits that arrive or leave, a page of 100
//! at a time (`components::Shipped`). The reading and its words are core's (`ship`); the requests the API
//! handle's (`what_will_ship`).

use deploydeck_core::location::AppLocation;
use deploydeck_core::model::Deployment;
use deploydeck_core::response::ApiError;
use deploydeck_core::ship::Shipping;
use leptos::prelude::*;

use crate::components::Shipped;
use crate::net::api::Api;

/// What will ship, read once for the page; the "again" section below reads the same answer.
pub(crate) type ShipReading = LocalResource<Result<Shipping, ApiError>>;

#[component]
pub(super) fn WhatWillShip(
    api: Api,
    location: AppLocation,
    deployment: Deployment,
    reading: ShipReading,
) -> impl IntoView {
    let environment = deployment.environment.clone();
    view! {
        <section aria-labelledby="ship-heading" data-testid="what-will-ship">
            <h2 id="ship-heading">{format!("What deploying this to {} changes", deploydeck_core::text::clip(&environment, 80).shown)}</h2>
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
