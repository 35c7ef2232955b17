//! What a token can do in a repository (core's `access` report): read, write, and what to add.

use deploydeck_core::access::{Ability, AccessReport};
use leptos::prelude::*;

/// What the token can do in this repository, and what to add when it falls short.
#[component]
pub fn AccessPanel(report: AccessReport, login: String) -> impl IntoView {
    let ok = report.read_deployments == Ability::Yes && report.write_deployments == Ability::Yes;
    let line = |label: &'static str, ability: Ability, note: Option<String>| {
        let class = match ability {
            Ability::Yes => "ability yes",
            Ability::No => "ability no",
            Ability::Unknown => "ability unknown",
        };
        view! {
            <li>
                <span class="ability-label">{label}</span>
                <span class=class>{ability.label()}</span>
                {note.map(|n| view! { <span class="muted ability-note">{n}</span> })}
            </li>
        }
    };
    view! {
        <section class="access-panel" class:complete=ok aria-labelledby="access-title" data-testid="access-panel">
            <h2 id="access-title">"What this token can do here"</h2>
            <p>{format!("Signed in as {login}. ")}{report.summary.clone()}</p>
            <ul class="abilities">
                {line("Read deployments", report.read_deployments, None)}
                {line("Create deployments and statuses, clean up", report.write_deployments, None)}
                {line("Approve or reject deployments waiting for review", report.review_deployments, Some(report.review_note.clone()))}
            </ul>
            <Show when={
                let empty = report.advice.is_empty();
                move || !empty
            }>
                <ul class="advice">
                    {report.advice.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
