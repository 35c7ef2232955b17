//! The Create view: a deployment (every field GitHub takes, its defaults explained, every answer handled)
//! and a repository dispatch. Each form keeps its draft for this repository in this tab, so nothing typed is
//! lost on an error, on navigation or on reload.

/// A text input's value and its input handler, bound to one field of a draft (before the modules that
/// use it: macros are seen in textual order).
macro_rules! bind {
    ($draft:ident, $field:ident) => {
        (
            move || $draft.with(|d| d.$field.clone()),
            move |ev| $draft.update(|d| d.$field = event_target_value(&ev)),
        )
    };
}

mod dispatch;
mod fields;
mod result;
mod ship;

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::NewDeployment;
use deploydeck_core::response::CreateDeploymentOutcome;
use deploydeck_core::validate::{ContextsChoice, DeploymentDraft, Field};
use leptos::prelude::*;

use crate::components::{invalid, CopyAs, FieldProblems, FormState, Opened};
use crate::net::api::Api;
use crate::router::use_nav;
use crate::session::Draft;
use crate::state::AppState;
use crate::views::{loader, OnDemandPart};

use dispatch::DispatchForm;
use fields::{Choices, PayloadField, Suggestions};
use result::CreateResult;
pub(crate) use ship::{ShipPreview, ShipPreviewParts};

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

#[component]
fn DeploymentForm(location: AppLocation, api: Api) -> impl IntoView {
    let nav = use_nav();
    let repo = location.repo.clone();
    let Opened {
        form,
        draft,
        problems,
        last_error,
        server,
    } = FormState::<DeploymentDraft>::open(Draft::Deployment, &location);

    let gh = api.repo(&repo);
    let branches = LocalResource::new({
        let gh = gh.clone();
        move || {
            let gh = gh.clone();
            async move { gh.branch_names().await.unwrap_or_default() }
        }
    });
    let environments = LocalResource::new({
        let gh = gh.clone();
        move || {
            let gh = gh.clone();
            async move { gh.environment_names().await.unwrap_or_default() }
        }
    });

    let create = Action::new_local({
        let gh = gh.clone();
        move |body: &NewDeployment| {
            let (gh, body) = (gh.clone(), body.clone());
            async move { gh.create_deployment(&body).await }
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
    let retry_skipping_checks = move || {
        draft.update(|d| d.contexts_choice = ContextsChoice::SkipChecks);
        submit_draft();
    };
    let retry_without_merge = move || {
        draft.update(|d| d.auto_merge = false);
        submit_draft();
    };

    let commands = form.commands(DeploymentDraft::validate, move |body| {
        (gh.create_deployment_request(body), gh.api().base().clone())
    });
    // What will ship is read for the ref and environment as last chosen (a field left, a suggestion taken).
    let chosen =
        RwSignal::new(draft.with_untracked(|d| (d.git_ref.clone(), d.environment.clone())));
    let preview = OnDemandPart::new(|| Box::pin(loader::ship_preview()));
    let choose = move |_| {
        let now = draft.with_untracked(|d| (d.git_ref.clone(), d.environment.clone()));
        if chosen.with_untracked(|c| *c != now) {
            chosen.set(now);
        }
    };
    let (git_ref, set_ref) = bind!(draft, git_ref);
    let (task, set_task) = bind!(draft, task);
    let (environment, set_environment) = bind!(draft, environment);
    let (description, set_description) = bind!(draft, description);

    view! {
        <form class="create-form" on:submit=on_submit novalidate data-testid="deployment-form" aria-labelledby="new-deployment">
            <label for="dep-ref">"Ref"</label>
            <input id="dep-ref" type="text" list="dep-refs" autocomplete="off" spellcheck="false" required
                placeholder="main, a tag or a commit SHA" aria-describedby="dep-ref-error"
                aria-invalid=invalid(Field::Ref, problems, server) prop:value=git_ref on:input=set_ref on:change=choose/>
            <Suggestions id="dep-refs" names=branches/>
            <FieldProblems id="dep-ref-error" field=Field::Ref problems server/>

            <label for="dep-environment">"Environment"</label>
            <input id="dep-environment" type="text" list="dep-environments" autocomplete="off" spellcheck="false"
                aria-describedby="dep-environment-hint dep-environment-error"
                aria-invalid=invalid(Field::Environment, problems, server) prop:value=environment on:input=set_environment on:change=choose/>
            <Suggestions id="dep-environments" names=environments/>
            <p id="dep-environment-hint" class="hint">"GitHub's default is production. A new name creates that environment."</p>
            <FieldProblems id="dep-environment-error" field=Field::Environment problems server/>
            {
                let (api, location) = (api.clone(), location.clone());
                move || chosen.with(|(r, _)| !r.trim().is_empty()).then(|| {
                    preview.view(ShipPreviewParts { api: api.clone(), location: location.clone(), chosen })
                })
            }

            <label for="dep-task">"Task"</label>
            <input id="dep-task" type="text" autocomplete="off" spellcheck="false" aria-describedby="dep-task-hint dep-task-error"
                aria-invalid=invalid(Field::Task, problems, server) prop:value=task on:input=set_task/>
            <p id="dep-task-hint" class="hint">"What the deployment does; GitHub's default is deploy (deploy:migrations is another common one)."</p>
            <FieldProblems id="dep-task-error" field=Field::Task problems server/>

            <label for="dep-description">"Description"</label>
            <input id="dep-description" type="text" autocomplete="off" aria-describedby="dep-description-error"
                aria-invalid=invalid(Field::Description, problems, server) prop:value=description on:input=set_description/>
            <FieldProblems id="dep-description-error" field=Field::Description problems server/>

            <PayloadField draft server/>
            <Choices draft problems server/>

            <button type="submit" class="button primary" disabled=move || create.pending().get() data-testid="create-deployment">
                {move || if create.pending().get() { "Creating…" } else { "Create deployment" }}
            </button>
            <CopyAs commands/>

            <CreateResult create api=api.clone() repo=repo.clone() again=submit_draft on_skip_checks=retry_skipping_checks on_no_merge=retry_without_merge/>
        </form>
    }
}
