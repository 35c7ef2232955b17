//! The Create view: a deployment (every field GitHub takes, its defaults explained, every answer handled)
//! and a repository dispatch. Each form keeps its draft for this repository in this tab, so nothing typed is
//! lost on an error, on navigation or on reload.

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{DispatchEvent, NewDeployment};
use deploydeck_core::response::{ApiError, ConflictKind, CreateDeploymentOutcome};
use deploydeck_core::validate::{
    pretty_json, ContextsChoice, DeploymentDraft, DispatchDraft, Field, PayloadKind, Problems,
    ProductionChoice,
};
use leptos::prelude::*;

use crate::components::{invalid, CopyAs, ErrorPanel, FieldProblems, FormState};
use crate::net::api::Api;
use crate::router::use_nav;
use crate::state::AppState;
use crate::views::diagnostics::AccessDiagnostics;

#[component]
pub fn CreateView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    view! {
        <section class="page" data-testid="create-view">
            <h1>"Create"</h1>
            <h2 id="new-deployment">"New deployment"</h2>
            <DeploymentForm location=location.clone() api=api.clone()/>
            <h2 id="dispatch">"Repository dispatch"</h2>
            <DispatchForm location=location api=api/>
        </section>
    }
    .into_any()
}

/// One text input bound to a draft field, with its label, hint and problems.
macro_rules! bind {
    ($draft:ident, $field:ident) => {
        (
            move || $draft.with(|d| d.$field.clone()),
            move |ev| $draft.update(|d| d.$field = event_target_value(&ev)),
        )
    };
}

#[component]
fn DeploymentForm(location: AppLocation, api: Api) -> impl IntoView {
    let nav = use_nav();
    let repo = location.repo.clone();
    let form = FormState::<DeploymentDraft>::kept("deployment".into(), &location);
    let FormState {
        draft,
        problems,
        last_error,
    } = form;
    let server = form.server();

    let branches = LocalResource::new({
        let (api, repo) = (api.clone(), repo.clone());
        move || {
            let (api, repo) = (api.clone(), repo.clone());
            async move { api.branch_names(&repo).await.unwrap_or_default() }
        }
    });
    let environments = LocalResource::new({
        let (api, repo) = (api.clone(), repo.clone());
        move || {
            let (api, repo) = (api.clone(), repo.clone());
            async move { api.environment_names(&repo).await.unwrap_or_default() }
        }
    });

    let create = Action::new_local({
        let (api, repo) = (api.clone(), repo.clone());
        move |body: &NewDeployment| {
            let (api, repo, body) = (api.clone(), repo.clone(), body.clone());
            async move { api.create_deployment(&repo, &body).await }
        }
    });
    // 201: the new deployment's page.
    Effect::new({
        let location = location.clone();
        move |_| {
            if let Some(Ok(CreateDeploymentOutcome::Created(d))) = create.value().get() {
                nav.navigate(&location.with_view(View::Deployment(d.id)).path());
            }
        }
    });
    let submit_draft = move || {
        if let Some(body) = form.checked(DeploymentDraft::validate) {
            create.dispatch_local(body);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit_draft();
    };
    Effect::new(move |_| {
        if let Some(Err(error)) = create.value().get() {
            last_error.set(Some(error));
        }
    });
    let retry_skipping_checks = move |_| {
        draft.update(|d| d.contexts_choice = ContextsChoice::SkipChecks);
        submit_draft();
    };
    let retry_without_merge = move |_| {
        draft.update(|d| d.auto_merge = false);
        submit_draft();
    };

    let commands = form.commands(DeploymentDraft::validate, {
        let (api, repo) = (api.clone(), repo.clone());
        move |body| {
            (
                api.create_deployment_request(&repo, body),
                api.base().clone(),
            )
        }
    });
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

    let (git_ref, set_ref) = bind!(draft, git_ref);
    let (task, set_task) = bind!(draft, task);
    let (environment, set_environment) = bind!(draft, environment);
    let (description, set_description) = bind!(draft, description);
    let (payload, set_payload) = bind!(draft, payload);
    let (contexts, set_contexts) = bind!(draft, contexts);
    let kind = move || draft.with(|d| d.payload_kind);
    let choice = move || draft.with(|d| d.contexts_choice);
    let production = move || draft.with(|d| d.production_environment);

    view! {
        <form class="create-form" on:submit=on_submit novalidate data-testid="deployment-form" aria-labelledby="new-deployment">
            <label for="dep-ref">"Ref"</label>
            <input id="dep-ref" type="text" list="dep-refs" autocomplete="off" spellcheck="false" required
                placeholder="main, a tag or a commit SHA" aria-describedby="dep-ref-error"
                aria-invalid=invalid(Field::Ref, problems, server) prop:value=git_ref on:input=set_ref/>
            <datalist id="dep-refs">
                {move || branches.get().map(|names| names.into_iter().map(|n| view! { <option value=n/> }).collect_view())}
            </datalist>
            <FieldProblems id="dep-ref-error" field=Field::Ref problems server/>

            <label for="dep-environment">"Environment"</label>
            <input id="dep-environment" type="text" list="dep-environments" autocomplete="off" spellcheck="false"
                aria-describedby="dep-environment-hint dep-environment-error"
                aria-invalid=invalid(Field::Environment, problems, server) prop:value=environment on:input=set_environment/>
            <datalist id="dep-environments">
                {move || environments.get().map(|names| names.into_iter().map(|n| view! { <option value=n/> }).collect_view())}
            </datalist>
            <p id="dep-environment-hint" class="hint">"GitHub's default is production. A new name creates that environment."</p>
            <FieldProblems id="dep-environment-error" field=Field::Environment problems server/>

            <label for="dep-task">"Task"</label>
            <input id="dep-task" type="text" autocomplete="off" spellcheck="false" aria-describedby="dep-task-hint dep-task-error"
                aria-invalid=invalid(Field::Task, problems, server) prop:value=task on:input=set_task/>
            <p id="dep-task-hint" class="hint">"What the deployment does; GitHub's default is deploy (deploy:migrations is another common one)."</p>
            <FieldProblems id="dep-task-error" field=Field::Task problems server/>

            <label for="dep-description">"Description"</label>
            <input id="dep-description" type="text" autocomplete="off" aria-describedby="dep-description-error"
                aria-invalid=invalid(Field::Description, problems, server) prop:value=description on:input=set_description/>
            <FieldProblems id="dep-description-error" field=Field::Description problems server/>

            <fieldset>
                <legend>"Payload"</legend>
                <label class="choice">
                    <input type="radio" name="dep-payload-kind" checked=move || kind() == PayloadKind::Json
                        on:change=move |_| draft.update(|d| d.payload_kind = PayloadKind::Json)/>
                    "A JSON object"
                </label>
                <label class="choice">
                    <input type="radio" name="dep-payload-kind" checked=move || kind() == PayloadKind::Text
                        on:change=move |_| draft.update(|d| d.payload_kind = PayloadKind::Text)/>
                    "Plain text"
                </label>
                <label for="dep-payload" class="visually-hidden">"Payload"</label>
                <textarea id="dep-payload" rows="5" spellcheck="false" class="code" aria-describedby="dep-payload-live dep-payload-error"
                    aria-invalid=move || if payload_live().is_empty() { "false" } else { "true" }
                    prop:value=payload on:input=set_payload></textarea>
                <p id="dep-payload-live" class="field-error" aria-live="polite">{payload_live}</p>
                <Show when=move || kind() == PayloadKind::Json>
                    <button type="button" class="button subtle" on:click=format_payload>"Format JSON"</button>
                </Show>
                <p class="hint">"Extra information for whatever performs the deployment; it reads it from the deployment event."</p>
                <FieldProblems id="dep-payload-error" field=Field::Payload problems=RwSignal::new(Problems::default()) server/>
            </fieldset>

            <fieldset aria-describedby="dep-contexts-error">
                <legend>"Required checks"</legend>
                <label class="choice">
                    <input type="radio" name="dep-contexts" checked=move || choice() == ContextsChoice::AllChecks
                        on:change=move |_| draft.update(|d| d.contexts_choice = ContextsChoice::AllChecks)/>
                    "All checks (GitHub's default): every commit status and check on the commit must have passed"
                </label>
                <label class="choice">
                    <input type="radio" name="dep-contexts" checked=move || choice() == ContextsChoice::SkipChecks
                        on:change=move |_| draft.update(|d| d.contexts_choice = ContextsChoice::SkipChecks)/>
                    "Skip checks: deploy without looking at any (sends an empty list)"
                </label>
                <label class="choice">
                    <input type="radio" name="dep-contexts" checked=move || choice() == ContextsChoice::Only
                        on:change=move |_| draft.update(|d| d.contexts_choice = ContextsChoice::Only)/>
                    "Only these checks must have passed:"
                </label>
                <Show when=move || choice() == ContextsChoice::Only>
                    <label for="dep-contexts-list" class="visually-hidden">"Check names"</label>
                    <textarea id="dep-contexts-list" rows="3" spellcheck="false" placeholder="ci/build, ci/test"
                        aria-invalid=invalid(Field::RequiredContexts, problems, server)
                        prop:value=contexts on:input=set_contexts></textarea>
                </Show>
                <FieldProblems id="dep-contexts-error" field=Field::RequiredContexts problems server/>
            </fieldset>

            <fieldset>
                <legend>"Options"</legend>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || draft.with(|d| d.auto_merge)
                        on:change=move |ev| draft.update(|d| d.auto_merge = event_target_checked(&ev))/>
                    "Auto-merge (GitHub's default: on): when the ref is behind the default branch, GitHub merges the default branch into it first and answers with that merge instead of a deployment; you then create again."
                </label>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || draft.with(|d| d.transient_environment)
                        on:change=move |ev| draft.update(|d| d.transient_environment = event_target_checked(&ev))/>
                    "Transient environment (default: off): one that goes away, like a pull-request preview."
                </label>
            </fieldset>

            <fieldset>
                <legend>"Production environment"</legend>
                <label class="choice">
                    <input type="radio" name="dep-production" checked=move || production() == ProductionChoice::ApiDefault
                        on:change=move |_| draft.update(|d| d.production_environment = ProductionChoice::ApiDefault)/>
                    "GitHub's default: yes only for an environment named production"
                </label>
                <label class="choice">
                    <input type="radio" name="dep-production" checked=move || production() == ProductionChoice::Yes
                        on:change=move |_| draft.update(|d| d.production_environment = ProductionChoice::Yes)/>
                    "Yes"
                </label>
                <label class="choice">
                    <input type="radio" name="dep-production" checked=move || production() == ProductionChoice::No
                        on:change=move |_| draft.update(|d| d.production_environment = ProductionChoice::No)/>
                    "No"
                </label>
                <p class="hint" data-testid="effective-production">{move || if draft.with(|d| d.effective_production()) {
                    "This deployment will be a production deployment."
                } else {
                    "This deployment will not be a production deployment."
                }}</p>
            </fieldset>

            <button type="submit" class="button primary" disabled=move || create.pending().get() data-testid="create-deployment">
                {move || if create.pending().get() { "Creating…" } else { "Create deployment" }}
            </button>
            <CopyAs commands/>

            <div class="create-result" aria-live="polite" data-testid="create-result">
                {move || create.value().get().map(|outcome| match outcome {
                    Ok(CreateDeploymentOutcome::Created(d)) => view! {
                        <p class="ok">{format!("Created deployment {}. Opening it…", d.id.0)}</p>
                    }.into_any(),
                    Ok(CreateDeploymentOutcome::AutoMerged(merged)) => view! {
                        <div class="notice" role="status" data-testid="auto-merged">
                            <p><strong>"No deployment yet: GitHub merged the default branch into this ref first."</strong></p>
                            <p>{format!("GitHub said: “{}”. The ref now points at that merge commit; create again to deploy it (or turn auto-merge off to deploy the ref as it was).", merged.message)}</p>
                            <button type="button" class="button primary" on:click=move |_| submit_draft()>"Create again"</button>
                        </div>
                    }.into_any(),
                    Err(error) => {
                        let extra = match &error {
                            ApiError::Conflict { conflict: ConflictKind::FailedChecks { contexts }, .. } => view! {
                                <div class="notice" data-testid="failed-checks">
                                    <p>"These checks on the commit did not all pass:"</p>
                                    <ul class="contexts">
                                        {contexts.iter().map(|c| view! {
                                            <li><code>{c.context.clone()}</code>" — "{c.state.clone()}</li>
                                        }).collect_view()}
                                    </ul>
                                    <button type="button" class="button primary" on:click=retry_skipping_checks>"Create anyway, skipping checks"</button>
                                </div>
                            }.into_any(),
                            ApiError::Conflict { conflict: ConflictKind::MergeConflict { base, head }, .. } => {
                                let base = base.clone().unwrap_or_else(|| "the default branch".into());
                                let head = head.clone().unwrap_or_else(|| "this ref".into());
                                view! {
                                    <div class="notice" data-testid="merge-conflict">
                                        <p>{format!("Merging {base} into {head} conflicts, so GitHub made no deployment. Resolve the conflict in {head}, or deploy {head} as it is without merging.")}</p>
                                        <button type="button" class="button primary" on:click=retry_without_merge>"Create without auto-merge"</button>
                                    </div>
                                }.into_any()
                            }
                            _ => view! { <AccessDiagnostics error=error.clone() api=api.clone() repo=repo.clone()/> }.into_any(),
                        };
                        view! {
                            <ErrorPanel error=error context="The deployment was not created"/>
                            {extra}
                        }.into_any()
                    }
                })}
            </div>
        </form>
    }
}

#[component]
fn DispatchForm(location: AppLocation, api: Api) -> impl IntoView {
    let repo = location.repo.clone();
    let form = FormState::<DispatchDraft>::kept("dispatch".into(), &location);
    let FormState {
        draft,
        problems,
        last_error,
    } = form;
    let server = form.server();
    let send = Action::new_local({
        let (api, repo) = (api.clone(), repo.clone());
        move |body: &DispatchEvent| {
            let (api, repo, body) = (api.clone(), repo.clone(), body.clone());
            async move { api.dispatch(&repo, &body).await.map(|()| body.event_type) }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            last_error.set(result.err());
        }
    });
    let on_submit = form.on_submit(DispatchDraft::validate, move |body| {
        send.dispatch_local(body);
    });
    let commands = form.commands(DispatchDraft::validate, {
        let (api, repo) = (api.clone(), repo.clone());
        move |body| (api.dispatch_request(&repo, body), api.base().clone())
    });
    let (event_type, set_event_type) = bind!(draft, event_type);
    let (payload, set_payload) = bind!(draft, client_payload);
    let format_payload = move |_| {
        draft.update(|d| {
            if let Some(pretty) = pretty_json(&d.client_payload) {
                d.client_payload = pretty;
            }
        })
    };
    view! {
        <form class="dispatch-form" on:submit=on_submit novalidate data-testid="dispatch-form" aria-labelledby="dispatch">
            <p class="hint">"Sends a repository_dispatch event: workflows with on: repository_dispatch (types: the event type) run, with client_payload in github.event."</p>
            <label for="dispatch-event-type">"Event type"</label>
            <input id="dispatch-event-type" type="text" autocomplete="off" spellcheck="false" placeholder="deploy-preview"
                aria-describedby="dispatch-event-type-error" aria-invalid=invalid(Field::EventType, problems, server)
                prop:value=event_type on:input=set_event_type/>
            <FieldProblems id="dispatch-event-type-error" field=Field::EventType problems server/>
            <label for="dispatch-payload">"Client payload (a JSON object, at most 10 top-level keys)"</label>
            <textarea id="dispatch-payload" rows="4" spellcheck="false" class="code" aria-describedby="dispatch-payload-error"
                aria-invalid=invalid(Field::ClientPayload, problems, server) prop:value=payload on:input=set_payload></textarea>
            <button type="button" class="button subtle" on:click=format_payload>"Format JSON"</button>
            <FieldProblems id="dispatch-payload-error" field=Field::ClientPayload problems server/>
            <button type="submit" class="button primary" disabled=move || send.pending().get() data-testid="send-dispatch">
                {move || if send.pending().get() { "Sending…" } else { "Send dispatch" }}
            </button>
            <CopyAs commands/>
            <div aria-live="polite" data-testid="dispatch-result">
                {move || send.value().get().map(|result| match result {
                    Ok(event_type) => view! {
                        <p class="ok" role="status">{format!("Sent: GitHub accepted the {event_type} event (204). Workflows listening for it start in the Actions tab.")}</p>
                    }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel error=error.clone() context="The dispatch was not sent"/>
                        <AccessDiagnostics error api=api.clone() repo=repo.clone()/>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}
