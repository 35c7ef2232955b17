//! GitHub's 409 for a commit whose required checks did not all pass (docs/github-api.md §8.2): every checked
//! context with its state, and the way past it — sending again with the checks skipped. Create and a
//! deployment's "again" show it alike.

use deploydeck_core::response::ContextState;
use leptos::prelude::*;

#[component]
pub fn FailedChecks(
    contexts: Vec<ContextState>,
    /// What the button says ("Create anyway, skipping checks").
    action: &'static str,
    on_skip: Callback<()>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="notice" data-testid=testid>
            <p>"These checks on the commit did not all pass:"</p>
            <ul class="contexts">
                {contexts.into_iter().map(|c| view! { <li><code>{c.context}</code>" — "{c.state}</li> }).collect_view()}
            </ul>
            <button type="button" class="button primary" on:click=move |_| on_skip.run(())>{action}</button>
        </div>
    }
}
