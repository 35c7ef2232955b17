//! What the run does with what is selected: delete it (a cleanup), or post a status on it and keep it — an
//! `error` on deployments stuck in progress (the ready-made "stuck" rule fills the selection for that), or
//! `inactive` on old previews. The status and its description are checked by core (`SelectionDraft`).

use deploydeck_core::cleanup::{SelectionDraft, Write};
use deploydeck_core::model::DeploymentState;
use deploydeck_core::response::ApiError;
use deploydeck_core::validate::{Field, Problems, STATUS_DESCRIPTION_MAX};
use leptos::prelude::*;

use crate::components::{invalid, FieldProblems};

#[component]
pub(super) fn WriteChoice(
    draft: RwSignal<SelectionDraft>,
    problems: Signal<Problems>,
) -> impl IntoView {
    let no_server = Signal::derive(|| None::<ApiError>);
    let posts = move || draft.with(|d| d.posts_status);
    let set_posts = move |on: bool| draft.update(|d| d.posts_status = on);
    let stuck = move |_| draft.update(|d| *d = std::mem::take(d).stuck());
    let left = move || {
        let used = draft.with(|d| d.status_description.trim().chars().count());
        format!("{used} of {STATUS_DESCRIPTION_MAX} characters")
    };
    view! {
        <fieldset class="write-choice" data-testid="write-choice">
            // The choices say what they do; the legend is for screen readers (the form is long on a phone).
            <legend class="visually-hidden">"What to do with what is selected"</legend>
            <div class="choices">
                <label class="choice"><input type="radio" name="cleanup-write" prop:checked=move || !posts()
                    on:change=move |_| set_posts(false) data-testid="write-delete"/>"Delete what is selected"</label>
                <label class="choice"><input type="radio" name="cleanup-write" prop:checked=posts
                    on:change=move |_| set_posts(true) data-testid="write-status"/>"Post a status on it instead"</label>
                <button type="button" class="button subtle small" on:click=stuck data-testid="stuck-rule">"Stuck deployments…"</button>
            </div>
            <Show when=posts>
                <div class="field-row">
                    <div class="field">
                        <label for="cleanup-status-state">"Status"</label>
                        <select id="cleanup-status-state" aria-describedby="cleanup-status-state-error"
                            aria-invalid=move || invalid(Field::State, problems, no_server)()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                if let Some(state) = Write::STATUS_STATES.into_iter().find(|s| s.as_str() == value) {
                                    draft.update(|d| d.status_state = state);
                                }
                            }>
                            {Write::STATUS_STATES.map(|state| view! {
                                <option value=state.as_str() selected=move || draft.with(|d| d.status_state == state)>{state.label()}</option>
                            })}
                        </select>
                        <FieldProblems id="cleanup-status-state-error" field=Field::State problems server=no_server/>
                    </div>
                    <div class="field wide">
                        <label for="cleanup-status-description">"Description (optional)"</label>
                        <input id="cleanup-status-description" type="text" autocomplete="off"
                            aria-describedby="cleanup-status-description-count cleanup-status-description-error"
                            aria-invalid=move || invalid(Field::Description, problems, no_server)()
                            prop:value=move || draft.with(|d| d.status_description.clone())
                            on:input=move |ev| draft.update(|d| d.status_description = event_target_value(&ev))/>
                        <p id="cleanup-status-description-count" class="hint">{left}</p>
                        <FieldProblems id="cleanup-status-description-error" field=Field::Description problems server=no_server/>
                    </div>
                </div>
                <p class="hint">{move || status_hint(draft.with(|d| d.status_state))}</p>
                <p class="hint">"“Stuck deployments…” selects what is pending, queued or in progress with nothing new for 2 hours (or the hours typed below) and gives it an “Error” status: GitHub's GraphQL calls such a deployment abandoned after 30 minutes, its REST history shows it running for ever."</p>
            </Show>
        </fieldset>
    }
}

fn status_hint(state: DeploymentState) -> &'static str {
    match state {
        DeploymentState::Inactive => "“Inactive” says a deployment is no longer what runs: old previews, environments taken down.",
        _ => "A status is added to each deployment's history: nothing is deleted, and a newer status replaces it as the latest.",
    }
}
