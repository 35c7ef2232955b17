//! The Create form's richer fields: the payload (JSON checked as it is typed, formatted on request, or plain
//! text), which checks must have passed, the options, and whether it is a production deployment — each with
//! GitHub's default spelled out; and the suggestions a text field offers while they are read.

use deploydeck_core::response::ApiError;
use deploydeck_core::validate::{
    pretty_json, ContextsChoice, DeploymentDraft, Field, PayloadKind, Problems, ProductionChoice,
};
use leptos::prelude::*;

use crate::components::{invalid, FieldProblems, RadioGroup};

#[component]
pub(super) fn PayloadField(
    draft: RwSignal<DeploymentDraft>,
    server: Signal<Option<ApiError>>,
) -> impl IntoView {
    // The payload is checked as it is typed; the other fields when the form is sent.
    let payload_live = move || {
        draft.with(|d| {
            d.validate()
                .err()
                .map(|p| p.for_field(Field::Payload).collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        })
    };
    let format_payload = move |_| {
        draft.update(|d| {
            if let Some(pretty) = pretty_json(&d.payload) {
                d.payload = pretty;
            }
        })
    };
    let kind = Signal::derive(move || draft.with(|d| d.payload_kind));
    view! {
        <fieldset>
            <legend>"Payload"</legend>
            <RadioGroup name="dep-payload-kind" selected=kind
                choices=vec![(PayloadKind::Json, "A JSON object"), (PayloadKind::Text, "Plain text")]
                on_choose=move |k| draft.update(|d| d.payload_kind = k)/>
            <label for="dep-payload" class="visually-hidden">"Payload"</label>
            <textarea id="dep-payload" rows="5" spellcheck="false" class="code" aria-describedby="dep-payload-live dep-payload-error"
                aria-invalid=move || if payload_live().is_empty() { "false" } else { "true" }
                prop:value=move || draft.with(|d| d.payload.clone())
                on:input=move |ev| draft.update(|d| d.payload = event_target_value(&ev))></textarea>
            <p id="dep-payload-live" class="field-error" aria-live="polite">{payload_live}</p>
            <Show when=move || kind.get() == PayloadKind::Json>
                <button type="button" class="button subtle" on:click=format_payload>"Format JSON"</button>
            </Show>
            <p class="hint">"Extra information for whatever performs the deployment; it reads it from the deployment event."</p>
            <FieldProblems id="dep-payload-error" field=Field::Payload problems=RwSignal::new(Problems::default()) server/>
        </fieldset>
    }
}

/// Required checks, the options, and production.
#[component]
pub(super) fn Choices(
    draft: RwSignal<DeploymentDraft>,
    problems: RwSignal<Problems>,
    server: Signal<Option<ApiError>>,
) -> impl IntoView {
    let choice = Signal::derive(move || draft.with(|d| d.contexts_choice));
    let production = Signal::derive(move || draft.with(|d| d.production_environment));
    let flag = move |get: fn(&DeploymentDraft) -> bool, set: fn(&mut DeploymentDraft, bool)| {
        (
            move || draft.with(get),
            move |ev| draft.update(|d| set(d, event_target_checked(&ev))),
        )
    };
    let (auto_merge, set_auto_merge) = flag(|d| d.auto_merge, |d, v| d.auto_merge = v);
    let (transient, set_transient) = flag(
        |d| d.transient_environment,
        |d, v| d.transient_environment = v,
    );
    view! {
        <fieldset aria-describedby="dep-contexts-error">
            <legend>"Required checks"</legend>
            <RadioGroup name="dep-contexts" selected=choice on_choose=move |c| draft.update(|d| d.contexts_choice = c) choices=vec![
                (ContextsChoice::AllChecks, "All checks (GitHub's default): every commit status and check on the commit must have passed"),
                (ContextsChoice::SkipChecks, "Skip checks: deploy without looking at any (sends an empty list)"),
                (ContextsChoice::Only, "Only these checks must have passed:"),
            ]/>
            <Show when=move || choice.get() == ContextsChoice::Only>
                <label for="dep-contexts-list" class="visually-hidden">"Check names"</label>
                <textarea id="dep-contexts-list" rows="3" spellcheck="false" placeholder="ci/build, ci/test"
                    aria-invalid=invalid(Field::RequiredContexts, problems, server)
                    prop:value=move || draft.with(|d| d.contexts.clone())
                    on:input=move |ev| draft.update(|d| d.contexts = event_target_value(&ev))></textarea>
            </Show>
            <FieldProblems id="dep-contexts-error" field=Field::RequiredContexts problems server/>
        </fieldset>

        <fieldset>
            <legend>"Options"</legend>
            <label class="choice">
                <input type="checkbox" prop:checked=auto_merge on:change=set_auto_merge/>
                "Auto-merge (GitHub's default: on): when the ref is behind the default branch, GitHub merges the default branch into it first and answers with that merge instead of a deployment; you then create again."
            </label>
            <label class="choice">
                <input type="checkbox" prop:checked=transient on:change=set_transient/>
                "Transient environment (default: off): one that goes away, like a pull-request preview."
            </label>
        </fieldset>

        <fieldset>
            <legend>"Production environment"</legend>
            <RadioGroup name="dep-production" selected=production on_choose=move |p| draft.update(|d| d.production_environment = p) choices=vec![
                (ProductionChoice::ApiDefault, "GitHub's default: yes only for an environment named production"),
                (ProductionChoice::Yes, "Yes"),
                (ProductionChoice::No, "No"),
            ]/>
            <p class="hint" data-testid="effective-production">{move || if draft.with(|d| d.effective_production()) {
                "This deployment will be a production deployment."
            } else {
                "This deployment will not be a production deployment."
            }}</p>
        </fieldset>
    }
}

/// A `<datalist>` of names read in the background (branches, environments): its own `Suspense`, so the form
/// around it is usable at once and the suggestions join it when they arrive. Leptos's `Suspense` waits for every
/// resource read under it: read directly in the form, the two lists (three requests one after another) kept
/// the whole Create form off the screen for 1.7 s on slow 4G (issue 30). A failed read offers nothing: the
/// fields take any name.
#[component]
pub(super) fn Suggestions(id: &'static str, names: LocalResource<Vec<String>>) -> impl IntoView {
    view! {
        <datalist id=id>
            <Suspense fallback=|| ()>
                {move || names.get().map(|names| names.into_iter().map(|n| view! { <option value=n/> }).collect_view())}
            </Suspense>
        </datalist>
    }
}
