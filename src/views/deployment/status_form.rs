//! The post-a-status form: the seven states a status can be created with, the description's live counter, the links, an environment to
//! move to, auto-inactive — every field checked before sending, the draft kept, GitHub's refusal on its
//! field, copy as curl / gh api.

use deploydeck_core::location::AppLocation;
use deploydeck_core::model::{Deployment, DeploymentState, NewDeploymentStatus};
use deploydeck_core::validate::{Field, StatusDraft};
use leptos::prelude::*;

use super::auto_inactive::AutoInactivePreview;
use crate::components::{clipped, invalid, CopyAs, FieldProblems, FormState, Opened, RadioGroup};
use crate::net::api::Api;
use crate::session::Draft;
use crate::views::diagnostics::WriteRefused;

#[component]
pub(super) fn StatusForm(
    location: AppLocation,
    api: Api,
    deployment: Deployment,
    on_posted: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let repo = location.repo.clone();
    let id = deployment.id;
    let Opened {
        form,
        draft,
        problems,
        last_error,
        server,
    } = FormState::<StatusDraft>::open(Draft::Status(id), &location);

    let current_environment = deployment.environment.clone();
    // Each successful post bumps this: the preview reads again what it now decides over.
    let posted = RwSignal::new(0u32);
    let gh = api.repo(&repo);
    let post = Action::new_local({
        let gh = gh.clone();
        move |body: &NewDeploymentStatus| {
            let (gh, body) = (gh.clone(), body.clone());
            async move { gh.create_status(id, &body).await }
        }
    });
    Effect::new(move |_| match post.value().get() {
        Some(Ok(_)) => {
            last_error.set(None);
            posted.update(|n| *n += 1);
            on_posted();
        }
        Some(Err(error)) => last_error.set(Some(error)),
        None => {}
    });
    let on_submit = form.on_submit(StatusDraft::validate, move |body| {
        post.dispatch_local(body);
    });
    let commands = form.commands(StatusDraft::validate, move |body| {
        (gh.status_request(id, body), gh.api().base().clone())
    });
    let text = |get: fn(&StatusDraft) -> &String, set: fn(&mut StatusDraft, String)| {
        (
            move || draft.with(|d| get(d).clone()),
            move |ev| draft.update(|d| set(d, event_target_value(&ev))),
        )
    };
    let (description, set_description) = text(|d| &d.description, |d, v| d.description = v);
    let (log_url, set_log_url) = text(|d| &d.log_url, |d, v| d.log_url = v);
    let (environment_url, set_environment_url) =
        text(|d| &d.environment_url, |d, v| d.environment_url = v);
    let (env_name, set_env_name) = text(|d| &d.environment, |d, v| d.environment = v);
    let remaining = move || draft.with(|d| d.description_remaining());

    view! {
        <form class="status-form" on:submit=on_submit novalidate data-testid="status-form" aria-labelledby="post-status">
            <fieldset aria-describedby="status-state-error">
                <legend>"State"</legend>
                <div class="states">
                    <RadioGroup name="status-state" value=state_value
                        selected=Signal::derive(move || draft.with(|d| d.state))
                        on_choose=move |s| draft.update(|d| d.state = s)
                        choices=DeploymentState::POSTABLE.into_iter().map(|s| (Some(s), s.label())).collect()/>
                </div>
                <FieldProblems id="status-state-error" field=Field::State problems server/>
            </fieldset>

            <label for="status-description">"Description"</label>
            <input id="status-description" type="text" autocomplete="off" aria-describedby="status-description-count status-description-error"
                aria-invalid=invalid(Field::Description, problems, server) prop:value=description on:input=set_description/>
            <p id="status-description-count" class="hint" class:over=move || remaining() < 0 aria-live="polite">
                {move || {
                    let left = remaining();
                    if left >= 0 { format!("{left} of 140 characters left") } else { format!("{} characters too many (GitHub allows 140)", -left) }
                }}
            </p>
            <FieldProblems id="status-description-error" field=Field::Description problems server/>

            <label for="status-log-url">"Log URL"</label>
            <input id="status-log-url" type="url" autocomplete="off" placeholder="https://…" aria-describedby="status-log-url-error"
                aria-invalid=invalid(Field::LogUrl, problems, server) prop:value=log_url on:input=set_log_url/>
            <FieldProblems id="status-log-url-error" field=Field::LogUrl problems server/>

            <label for="status-environment-url">"Environment URL"</label>
            <input id="status-environment-url" type="url" autocomplete="off" placeholder="https://…" aria-describedby="status-environment-url-error"
                aria-invalid=invalid(Field::EnvironmentUrl, problems, server) prop:value=environment_url on:input=set_environment_url/>
            <FieldProblems id="status-environment-url-error" field=Field::EnvironmentUrl problems server/>

            <label for="status-environment">"Environment"</label>
            <input id="status-environment" type="text" autocomplete="off" spellcheck="false" placeholder=current_environment.clone()
                aria-describedby="status-environment-hint status-environment-error"
                aria-invalid=invalid(Field::Environment, problems, server) prop:value=env_name on:input=set_env_name/>
            <p id="status-environment-hint" class="hint">{format!("Blank keeps it in {}; another name moves the deployment there.", clipped(&current_environment, 120))}</p>
            <FieldProblems id="status-environment-error" field=Field::Environment problems server/>

            <label class="choice">
                <input type="checkbox" prop:checked=move || draft.with(|d| d.auto_inactive)
                    on:change=move |ev| draft.update(|d| d.auto_inactive = event_target_checked(&ev))/>
                "Auto-inactive (GitHub's default: on): a success marks the earlier successful deployments of the same environment inactive."
            </label>
            <AutoInactivePreview api=api.clone() location=location.clone() deployment=deployment.clone() draft posted/>

            <button type="submit" class="button primary" disabled=move || post.pending().get() data-testid="post-status">
                {move || if post.pending().get() { "Posting…" } else { "Post status" }}
            </button>
            <CopyAs commands/>
            <div aria-live="polite" data-testid="status-result">
                {move || post.value().get().map(|result| match result {
                    Ok(status) => view! { <p class="ok" role="status">{format!("Posted: {}.", status.state.label())}</p> }.into_any(),
                    Err(error) => view! {
                        <WriteRefused error context="The status was not posted" api=api.clone() repo=repo.clone()/>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}

/// A state's wire name as the radio's value.
fn state_value(state: Option<DeploymentState>) -> &'static str {
    state.map_or("", DeploymentState::as_str)
}
