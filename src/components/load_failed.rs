//! A module of the app that could not be fetched, with what to do (usually: reload).

use leptos::prelude::*;

use crate::on_demand::ModuleLoadError;

/// A part of the app loaded on demand (src/screens.rs) could not be fetched. `offer_reload`: a reload is the
/// way forward (a screen opened by its address); otherwise trying the same action again is (a form, whose
/// content stays as typed).
#[component]
pub fn LoadFailed(error: ModuleLoadError, #[prop(optional)] offer_reload: bool) -> impl IntoView {
    let remedy = if offer_reload {
        "The network may be down, or a new version of Deploydeck was published since this page opened. Reload the page to try again: this address is kept, and so is a token kept for this tab or device."
    } else {
        "The network may be down, or a new version of Deploydeck was published since this page opened. Check the connection and try again: what you typed is kept."
    };
    view! {
        <div class="error-panel" role="alert" data-testid="screen-load-failed">
            <p class="error-what"><strong>"Part of Deploydeck could not be loaded: "</strong>{error.to_string()}"."</p>
            <p class="error-remedy">{remedy}</p>
            {offer_reload.then(|| view! {
                <button type="button" class="button primary" on:click=|_| { let _ = window().location().reload(); }>"Reload"</button>
            })}
        </div>
    }
}
