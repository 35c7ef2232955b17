//! Doing a deployment again — "Deploy this again", or "Roll back to this" when it is older than what its
//! environment runs, one click on its page (two from a link to it): the mechanism said in words before anything
//! is sent (re-run the GitHub Actions run that made it, or a new deployment of its commit), the environment's
//! name typed out for production, a run past GitHub's 30 days said first with the other way offered, failed
//! checks explained with the choice to skip them. Core chooses and builds (`ship`); this view asks and shows.

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{Deployment, DeploymentId, RequiredContexts};
use deploydeck_core::response::{ApiError, ConflictKind, CreateDeploymentOutcome};
use deploydeck_core::ship::{
    how, made_by_rerun, needs_typed_name, recreate, redo, rerun_failure, rerun_refusal,
    typed_name_matches, web_origin, Redo, RunAge, FOLLOW_RERUN_FOR_S,
};
use deploydeck_core::validate::RepoRef;
use deploydeck_core::Timestamp;
use leptos::prelude::*;

use crate::clock::{every, now};
use crate::components::{clipped, ErrorPanel, FailedChecks};
use crate::href::app_href;
use crate::net::api::Api;
use crate::router::use_nav;
use crate::tasks::Tasks;
use crate::views::diagnostics::WriteRefused;

use super::{ShipReading, Statuses};

/// How often a page looks for the deployment a re-run makes.
const FOLLOW_EVERY_MS: u64 = 5_000;

/// What was sent, and what GitHub said.
#[derive(Clone)]
enum Sent {
    Rerun(u64, Result<(), ApiError>),
    Created(Result<CreateDeploymentOutcome, ApiError>),
}

#[component]
pub(super) fn DoAgain(
    api: Api,
    location: AppLocation,
    deployment: Deployment,
    statuses: Statuses,
    reading: ShipReading,
) -> impl IntoView {
    let nav = use_nav();
    let gh = api.repo(&location.repo);
    let (web, repo) = (web_origin(api.base()), location.repo.clone());
    let d = deployment;
    // The mechanism: from the statuses as read; "a new deployment" once the user chose it over a refused re-run.
    let instead = RwSignal::new(false);
    let plan = Memo::new({
        let d = d.clone();
        move |_| match statuses.with(|s| {
            s.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|list| redo(&d, list, &web, &repo))
        }) {
            Some(Redo::Rerun { .. }) if instead.get() => Some(Redo::Recreate(Box::new(recreate(
                &d,
                RequiredContexts::AllChecks,
            )))),
            other => other,
        }
    });
    let rollback = move || {
        reading
            .get()
            .is_some_and(|r| r.is_ok_and(|s| s.is_rollback()))
    };
    let typed = RwSignal::new(String::new());
    let needs_typed = needs_typed_name(&d);
    // The deployment as the panel's closures read it (a copy handle).
    let d_how = StoredValue::new(d.clone());
    let run = Action::new_local({
        let gh = gh.clone();
        move |id: &u64| {
            let (gh, id) = (gh.clone(), *id);
            async move { gh.run_age(id).await }
        }
    });
    let send = Action::new_local({
        let gh = gh.clone();
        move |redo: &Redo| {
            let (gh, redo) = (gh.clone(), redo.clone());
            async move {
                match redo {
                    Redo::Rerun { run_id } => Sent::Rerun(run_id, gh.rerun(run_id).await),
                    Redo::Recreate(body) => Sent::Created(gh.create_deployment(&body).await),
                }
            }
        }
    });
    // A new deployment opens its page; a re-run starts looking for the deployment it makes.
    let rerun_at = RwSignal::new(None::<Timestamp>);
    Effect::new({
        let location = location.clone();
        move |_| match send.value().get() {
            Some(Sent::Created(Ok(CreateDeploymentOutcome::Created(made)))) => {
                nav.navigate(&location.with_view(View::Deployment(made.id)).path());
            }
            Some(Sent::Rerun(_, Ok(()))) => rerun_at.set(Some(now())),
            _ => {}
        }
    });
    // A re-run's run is read first (once per run): whether GitHub's window is still open is said up front.
    Effect::new(move |asked: Option<Option<u64>>| {
        let wanted = match plan.get() {
            Some(Redo::Rerun { run_id }) => Some(run_id),
            _ => None,
        };
        if let Some(id) = wanted.filter(|id| asked.flatten() != Some(*id)) {
            run.dispatch_local(id);
        }
        wanted.or(asked.flatten())
    });
    let refused = move || {
        run.value()
            .get()
            .and_then(|r| r.ok())
            .and_then(|age: RunAge| rerun_refusal(&age, now()))
    };
    let ready = move || {
        !send.pending().get()
            && plan.get().is_some()
            && (!needs_typed
                || typed.with(|t| d_how.with_value(|d| typed_name_matches(t, &d.environment))))
            && !matches!(plan.get(), Some(Redo::Rerun { .. }) if refused().is_some() || run.pending().get())
    };
    let confirm = move |_| {
        if let Some(redo) = plan.get_untracked() {
            send.dispatch_local(redo);
        }
    };
    let skip_checks = Callback::new({
        let d = d.clone();
        move |()| {
            send.dispatch_local(Redo::Recreate(Box::new(recreate(
                &d,
                RequiredContexts::SkipChecks,
            ))));
        }
    });
    let env_words = clipped(&d.environment, 80);
    // Copy handles for the words the panel shows (its reactive parts are rebuilt as the plan changes).
    let rollback_text = StoredValue::new(format!(
        "This is a rollback: the commits listed above leave {env_words}."
    ));
    let typed_label = StoredValue::new(format!("Type {env_words} to confirm"));
    let history = app_href(&location.with_view(View::History).path());
    let label = move || {
        if rollback() {
            "Roll back to this"
        } else {
            "Deploy this again"
        }
    };
    view! {
        <section aria-labelledby="again-heading" data-testid="again">
            <h2 id="again-heading">{label}</h2>
                <div class="notice" role="group" aria-labelledby="again-heading" data-testid="again-panel">
                    <p data-testid="again-how">{move || plan.with(|p| d_how.with_value(|d| p.as_ref().map(|p| how(p, d))))
                        .unwrap_or_else(|| "Reading its statuses to choose how…".into())}</p>
                    <Show when=rollback><p><strong>{move || rollback_text.get_value()}</strong></p></Show>
                    {move || refused().map(|why| view! {
                        <p class="error-what" role="alert" data-testid="again-refused">{why}</p>
                        <button type="button" class="button" on:click=move |_| instead.set(true) data-testid="again-instead">"Create a new deployment instead"</button>
                    })}
                    {move || run.value().get().and_then(|r| r.err()).map(|error| view! { <p class="error-what" role="alert">{rerun_failure(&error, None, now())}</p> })}
                    <Show when=move || needs_typed>
                        <label for="again-typed">{move || typed_label.get_value()}</label>
                        <input id="again-typed" type="text" autocomplete="off" spellcheck="false" data-testid="again-typed"
                            prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                    </Show>
                    <button type="button" class="button primary" disabled=move || !ready() on:click=confirm data-testid="again-confirm">
                        {move || if send.pending().get() { "Sending…" } else { label() }}
                    </button>
                </div>
            <FollowRerun api=api.clone() location=location.clone() deployment=d.clone() since=rerun_at.into()/>
            <div aria-live="polite" data-testid="again-result">
                {move || send.value().get().map(|sent| {
                    let age = run.value().get_untracked().and_then(|r| r.ok());
                    view! { <AgainResult sent age history=history.clone() api=api.clone() repo=location.repo.clone() skip_checks/> }
                })}
            </div>
        </section>
    }
}

/// What GitHub answered, in words, with the way forward: the run re-running (History shows its deployment), the
/// new deployment opening, failed checks with the choice to skip them, or the refusal explained.
#[component]
fn AgainResult(
    sent: Sent,
    age: Option<RunAge>,
    history: String,
    api: Api,
    repo: RepoRef,
    skip_checks: Callback<()>,
) -> impl IntoView {
    match sent {
        Sent::Rerun(run_id, Ok(())) => view! {
            <p class="ok">{format!("GitHub is re-running run {run_id}. ")}<a href=history>"Its new deployment shows in History"</a>" once its job starts."</p>
        }.into_any(),
        Sent::Rerun(_, Err(error)) => view! {
            <p class="error-what" role="alert">{rerun_failure(&error, age.as_ref(), now())}</p>
        }.into_any(),
        Sent::Created(Ok(CreateDeploymentOutcome::Created(made))) => view! {
            <p class="ok">{format!("Created deployment {}. Opening it…", made.id.0)}</p>
        }.into_any(),
        Sent::Created(Ok(CreateDeploymentOutcome::AutoMerged(merged))) => view! {
            <p class="notice">{format!("GitHub merged instead of deploying: “{}”.", merged.message)}</p>
        }.into_any(),
        Sent::Created(Err(error)) => match &error {
            ApiError::Conflict { conflict: ConflictKind::FailedChecks { contexts }, .. } => view! {
                <ErrorPanel error=error.clone() context="No deployment was made"/>
                <FailedChecks contexts=contexts.clone() action="Deploy anyway, skipping checks" on_skip=skip_checks testid="again-failed-checks"/>
            }.into_any(),
            _ => view! { <WriteRefused error context="No deployment was made" api repo/> }.into_any(),
        },
    }
}

/// After a re-run: looks every few seconds (while the tab is visible, for up to half an hour) for the
/// deployment the run's job makes, and links to it once it is there — GitHub links neither to the other.
#[component]
fn FollowRerun(
    api: Api,
    location: AppLocation,
    deployment: Deployment,
    since: Signal<Option<Timestamp>>,
) -> impl IntoView {
    let gh = api.repo(&location.repo);
    let tasks = Tasks::new();
    let made = RwSignal::new(None::<DeploymentId>);
    every(FOLLOW_EVERY_MS, move |visible| {
        let Some(started) = since.get_untracked() else {
            return;
        };
        if !visible
            || made.get_untracked().is_some()
            || now().seconds_since(started) > FOLLOW_RERUN_FOR_S
        {
            return;
        }
        let (gh, d) = (gh.clone(), deployment.clone());
        tasks.spawn(async move {
            if let Ok(Some(newest)) = gh.newest_in(&d.environment).await {
                if made_by_rerun(&d, &newest) {
                    made.set(Some(newest.id));
                }
            }
        });
    });
    move || {
        made.get().map(|id| {
            let href = app_href(&location.with_view(View::Deployment(id)).path());
            view! { <p class="ok" data-testid="again-made">"The re-run made "<a href=href>{format!("deployment {}", id.0)}</a>": its page follows it."</p> }
        })
    }
}
