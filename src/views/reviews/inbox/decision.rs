//! A group decision as it is sent and once it is: its title, how far it got, and each run's outcome with
//! GitHub's words — nothing half-done left unsaid. Kept above the list, which is read again when it ends.

use deploydeck_core::reviews::{GroupRun, Outcome};
use leptos::html;
use leptos::prelude::*;

use crate::components::clipped;

/// The panel: present once a decision starts, its content moving with it (the section itself stays, so the
/// focus given to it when the decision starts stays too).
#[component]
pub(super) fn DecisionPanel(
    decision: RwSignal<Option<GroupRun>>,
    panel_ref: NodeRef<html::Section>,
) -> impl IntoView {
    view! {
        <Show when=move || decision.with(Option::is_some)>
            <section class="notice" tabindex="-1" node_ref=panel_ref data-testid="group-decision" aria-labelledby="group-decision-title">
                {move || decision.get().map(|run| view! { <Outcomes run/> })}
            </section>
        </Show>
    }
}

/// Where a decision is: its title, how far it got, each run's outcome and what it left alone.
#[component]
fn Outcomes(run: GroupRun) -> impl IntoView {
    let plan = run.plan();
    let total = plan.items.len();
    let done = run
        .outcomes()
        .iter()
        .filter(|o| **o != Outcome::Waiting)
        .count();
    let progress = if run.is_done() {
        format!("Done: {}.", run.summary())
    } else {
        format!("Sending {} of {total}, one at a time…", done + 1)
    };
    view! {
        <h2 id="group-decision-title">{plan.title()}</h2>
        <p role="status" data-testid="group-progress" aria-busy=(!run.is_done()).to_string()>{progress}</p>
        <ul>
            {plan.items.iter().zip(run.outcomes()).enumerate().map(|(n, (item, outcome))| {
                let word = if run.is_sending(n) { "sending…" } else { outcome.word() };
                view! {
                    <li data-testid="group-outcome" data-run=item.run.to_string() data-outcome=word>
                        {format!("{} → {}: ", clipped(&item.label, 160), clipped(&item.environments.join(", "), 200))}
                        <strong>{word}</strong>
                        {outcome.detail().map(|d| format!(" — {}", clipped(d, 400)))}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!plan.left.is_empty()).then(|| view! {
            <p class="muted">{format!("Left alone: {}.", plan.left.iter().map(|l| clipped(&l.label, 160)).collect::<Vec<_>>().join(", "))}</p>
        })}
    }
}
