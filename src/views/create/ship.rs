//! What the deployment being written would change, once a ref and an environment are chosen: the same reading
//! as a deployment's page (`components::Shipped`), for the commit the ref names now. Read when a field is left
//! or its choice committed (`change`), not at each key: one read per choice.

use deploydeck_core::location::AppLocation;
use leptos::prelude::*;

use crate::components::Shipped;
use crate::net::api::Api;

/// The ref and environment last chosen (as typed; GitHub's default environment when left empty).
pub type Chosen = RwSignal<(String, String)>;

/// What the preview is made of.
pub struct ShipPreviewParts {
    pub api: Api,
    pub location: AppLocation,
    pub chosen: Chosen,
}

/// In its own module with the deployment page's (`views::loader::ship_preview`), fetched once a ref is chosen.
#[component]
pub(crate) fn ShipPreview(parts: ShipPreviewParts) -> impl IntoView {
    let ShipPreviewParts {
        api,
        location,
        chosen,
    } = parts;
    let gh = api.repo(&location.repo);
    let reading = LocalResource::new(move || {
        let (git_ref, environment) = chosen.get();
        let gh = gh.clone();
        async move {
            let git_ref = git_ref.trim().to_owned();
            let environment = match environment.trim() {
                "" => "production".to_owned(),
                e => e.to_owned(),
            };
            if git_ref.is_empty() {
                return None;
            }
            let reading = gh.what_ref_will_ship(&environment, &git_ref).await;
            Some((environment, reading))
        }
    });
    view! {
        <section class="ship-preview" aria-labelledby="create-ship-heading" aria-live="polite" data-testid="create-ship">
            <h3 id="create-ship-heading">"What this deployment changes"</h3>
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Comparing with what runs there…"</p> }>
                {move || {
                    let (api, location) = (api.clone(), location.clone());
                    Suspend::new(async move {
                        match reading.await {
                            None => view! { <p class="muted">"Choose a ref to see the commits it would bring to the environment, or take away."</p> }.into_any(),
                            Some((environment, reading)) => view! { <Shipped api location environment reading/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
