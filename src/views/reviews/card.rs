//! One waiting run: its workflow, ref, commit, who started it and when; each environment it waits on with its
//! wait timer, reviewers and your verdict; the review form; its past reviews.

use deploydeck_core::location::AppLocation;
use deploydeck_core::model::DeploymentId;
use deploydeck_core::response::ApiError;
use deploydeck_core::reviews::{
    outcome_sentence, timer_text, verdict, ReviewPermission, ReviewState, RunUnderReview, Verdict,
};
use deploydeck_core::url::is_http_url;
use deploydeck_core::Timestamp;
use leptos::prelude::*;

use crate::components::{clipped, Time};
use crate::state::AppState;

/// What GitHub decided: the sentence to say, and the deployments it moved on (their pages follow them).
pub(super) type Decided = (String, Vec<DeploymentId>);

#[component]
pub(super) fn RunCard(
    run: RunUnderReview,
    me: String,
    permission: ReviewPermission,
    location: AppLocation,
    /// Now, moved on each second: the wait timers count down with it.
    clock: ReadSignal<Timestamp>,
    on_decided: Callback<Result<Decided, ApiError>>,
) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let gh = api.repo(&location.repo);
    let reviewable: Vec<u64> = run
        .reviewable(&me, permission)
        .iter()
        .map(|p| p.environment.id)
        .collect();
    let ticked = RwSignal::new(reviewable.clone());
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let run_id = run.run.id;
    let title = clipped(&run.run.display_title, 120);
    let decide = Action::new_local({
        let (run, title) = (run.clone(), title.clone());
        move |state: &ReviewState| {
            let (gh, state) = (gh.clone(), *state);
            let body = run.review(&ticked.get_untracked(), state, &comment.get_untracked());
            let names: Vec<String> = body
                .as_ref()
                .map(|b| {
                    run.names(&b.environment_ids)
                        .into_iter()
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let title = title.clone();
            async move {
                let body = body.map_err(Err)?;
                let decided = gh.review(run_id, &body).await.map_err(Ok)?;
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let ids = decided.iter().map(|d| d.id).collect();
                Ok::<_, Result<_, String>>((outcome_sentence(state, &names, &title), ids))
            }
        }
    });
    // A decision, or a refusal because the run moved on, is said above the list, which is read again.
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(decided)) => on_decided.run(Ok(decided)),
        Some(Err(Ok(error))) => on_decided.run(Err(error)),
        Some(Err(Err(missing))) => problem.set(Some(missing)),
        None => {}
    });
    let started = clipped(run.run.started_by().unwrap_or("someone"), 80);
    let sha = run.run.head_sha.chars().take(7).collect::<String>();
    let workflow = run.run.name.clone().unwrap_or_else(|| "Workflow".into());
    let branch = run.run.head_branch.clone().unwrap_or_default();
    let now = clock.get_untracked();
    let can_any = !reviewable.is_empty();
    let started_run = run.run.started_by().map(str::to_owned);
    view! {
        <article class="run-card" data-testid="run-card" data-run=run_id.to_string() aria-labelledby=format!("run-{run_id}")>
            <h2 id=format!("run-{run_id}")>{title.clone()}</h2>
            <p class="muted">
                {format!("{} #{} · {} · {} · started by {started} ", clipped(&workflow, 80), run.run.run_number, clipped(&branch, 80), sha)}
                <Time at=run.run.created_at now/>
            </p>
            <ul class="gates">
                {run.pending.iter().map(|p| {
                    let id = p.environment.id;
                    let v = verdict(p, &me, started_run.as_deref(), permission);
                    let reviewers = p.reviewers.iter().map(|r| r.describe()).collect::<Vec<_>>().join(", ");
                    let timer = (p.wait_timer > 0).then(|| {
                        let p = p.clone();
                        move || timer_text(&p, clock.get()).map(|t| format!(" · {t}"))
                    });
                    let name = clipped(&p.environment.name, 120);
                    view! {
                        <li class="gate" data-testid="gate" data-environment=p.environment.name.clone()>
                            {match v.clone() {
                                Verdict::CanReview => view! {
                                    <label class="choice"><input type="checkbox" prop:checked=move || ticked.with(|t| t.contains(&id))
                                        on:change=move |ev| { let on = event_target_checked(&ev); ticked.update(|t| { t.retain(|x| *x != id); if on { t.push(id); } }); }/>
                                        <strong>{name.clone()}</strong></label>
                                }.into_any(),
                                _ => view! { <strong>{name.clone()}</strong> }.into_any(),
                            }}
                            {timer.map(|t| view! { <span class="timer" role="timer" data-testid="timer">{t}</span> })}
                            {(!reviewers.is_empty()).then(|| view! { <span class="muted">{format!(" · Reviewers: {}", clipped(&reviewers, 200))}</span> })}
                            {v.reason().map(|why| view! { <p class="muted" data-testid="verdict">{why}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || can_any>
                <label for=format!("comment-{run_id}")>"Comment (sent with the decision, shown on the run)"</label>
                <textarea id=format!("comment-{run_id}") rows="2" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))/>
                <div class="actions">
                    <button type="button" class="button primary" data-testid="approve" disabled=move || decide.pending().get()
                        on:click=move |_| { problem.set(None); decide.dispatch_local(ReviewState::Approved); }>"Approve ticked"</button>
                    <button type="button" class="button danger-subtle" data-testid="reject" disabled=move || decide.pending().get()
                        on:click=move |_| { problem.set(None); decide.dispatch_local(ReviewState::Rejected); }>"Reject ticked"</button>
                </div>
            </Show>
            <div aria-live="polite">
                {move || problem.get().map(|p| view! { <p class="field-error" data-testid="review-problem">{p}</p> })}
            </div>
            {(!run.past.is_empty()).then(|| view! {
                <details><summary>"Past reviews"</summary>
                    <ul data-testid="past-reviews">{run.past.iter().map(|a| view! { <li>{clipped(&a.sentence(), 300)}</li> }).collect_view()}</ul>
                </details>
            })}
            {is_http_url(&run.run.html_url).then(|| view! {
                <p><a href=run.run.html_url.clone() target="_blank" rel="noopener noreferrer">"The run on GitHub"</a></p>
            })}
        </article>
    }
    .into_any()
}
