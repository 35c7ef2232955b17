//! The header's gauge of the token's hourly quota, from the last answer's rate-limit headers.

use leptos::prelude::*;

use crate::clock::now;
use crate::state::AppState;

/// Remaining / limit and the reset time, from the last answer's `x-ratelimit-*` headers.
#[component]
pub fn RateGauge() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.rate.get().map(|snapshot| {
            let low = snapshot.is_running_low();
            let reset = snapshot.reset.relative_to(now());
            view! {
                <div class="rate-gauge" class:low=low data-testid="rate-gauge"
                    title="GitHub API requests left in this hour for this token">
                    <meter min="0" max=snapshot.limit value=snapshot.remaining low=snapshot.limit / 10
                        aria-label="API requests left this hour"></meter>
                    <span>{format!("{} / {} requests left", snapshot.remaining, snapshot.limit)}</span>
                    <span class="muted">{format!(" · resets {reset}")}</span>
                </div>
            }
        })
    }
}
