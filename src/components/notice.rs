//! A notice the header says once for the whole app (GraphQL given up for REST on this host), until dismissed.

use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn HeaderNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notice.get().map(|text| {
            view! {
                <div class="header-notice" role="status" data-testid="header-notice">
                    <span>{text}</span>
                    <button type="button" class="link-button" on:click=move |_| state.notice.set(None)
                        aria-label="Dismiss this notice">"Dismiss"</button>
                </div>
            }
        })
    }
}
