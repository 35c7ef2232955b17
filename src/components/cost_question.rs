//! The question before an expensive read (core's `cost::ask_before_reading`): what it costs of the quota,
//! and one button to go ahead. Nothing more is read until it is pressed.

use deploydeck_core::cost::CostQuestion;
use deploydeck_core::text::count;
use leptos::prelude::*;

#[component]
pub fn CostNotice(
    question: CostQuestion,
    /// What needs the read, before the cost ("Planning needs every deployment's latest state.").
    #[prop(into)]
    why: String,
    /// The button's words, before the count ("Read the states").
    #[prop(into)]
    action: String,
    on_accept: impl Fn() + 'static,
    /// The notice's `data-testid`; its button's is the same with `-accept`.
    testid: &'static str,
) -> impl IntoView {
    let accept_id = format!("{testid}-accept");
    view! {
        <div class="notice cost" role="region" aria-label="Cost of this read" data-testid=testid>
            <p>{format!("{why} {}", question.text)}</p>
            <p class="muted">"Nothing more is read until you say so. Answers this page already has cost nothing when they have not changed."</p>
            <p><button type="button" class="button primary" on:click=move |_| on_accept() data-testid=accept_id>
                {format!("{action} ({})", count(question.requests, "request", "requests"))}
            </button></p>
        </div>
    }
}
