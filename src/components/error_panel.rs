//! Every API failure as the user sees it: what happened, then what to do, with an optional Try again.

use deploydeck_core::response::ApiError;
use leptos::prelude::*;

/// Every API failure is shown here: what happened, then what to do. Text only (never HTML from the API).
/// `retry`: a "Try again" button, where asking again is the way forward (a read that failed).
#[component]
pub fn ErrorPanel(
    error: ApiError,
    #[prop(optional, into)] context: Option<String>,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let remedy = error.remedy();
    let what = error.to_string();
    view! {
        <div class="error-panel" role="alert" data-testid="error-panel">
            <p class="error-what">
                <strong>{context.map(|c| format!("{c}: "))}</strong>
                {what}
            </p>
            <p class="error-remedy">{remedy}</p>
            {retry.map(|retry| view! {
                <button type="button" class="button primary" on:click=move |_| retry.run(()) data-testid="try-again">"Try again"</button>
            })}
        </div>
    }
}
