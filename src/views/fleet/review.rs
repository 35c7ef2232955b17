//! A cell waiting for a review: the runs waiting on that environment, read when asked, each approved or
//! rejected from the matrix when GitHub says this token may (the Reviews view has the rest: comments, every
//! environment of a run, past reviews).

use deploydeck_core::response::ApiError;
use deploydeck_core::reviews::{outcome_sentence, ReviewState, RunUnderReview};
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::components::{clipped, ErrorPanel};
use crate::state::AppState;
use crate::tasks::Tasks;

#[component]
pub(super) fn CellReview(
    repo: RepoRef,
    environment: String,
    /// A decision was taken (what happened, said above the matrix, which is read again).
    on_decided: Callback<String>,
) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let gh = api.repo(&repo);
    let runs = RwSignal::new(None::<Result<Vec<RunUnderReview>, ApiError>>);
    let refused = RwSignal::new(None::<ApiError>);
    let opened = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let tasks = Tasks::new();
    let wanted = environment.clone();
    let read = {
        let (gh, tasks) = (gh.clone(), tasks.clone());
        move |_| {
            let (gh, wanted) = (gh.clone(), wanted.clone());
            opened.set(true);
            tasks.spawn(async move {
                let found = gh.runs_under_review().await.map(|(all, _)| {
                    all.into_iter()
                        .filter(|r| {
                            r.pending
                                .iter()
                                .any(|p| p.environment.name.eq_ignore_ascii_case(&wanted))
                        })
                        .collect()
                });
                runs.try_set(Some(found));
            });
        }
    };
    let decide = move |run: RunUnderReview, state: ReviewState, environment: String| {
        let gh = gh.clone();
        busy.set(true);
        tasks.spawn(async move {
            let ids: Vec<u64> = run
                .pending
                .iter()
                .filter(|p| p.environment.name.eq_ignore_ascii_case(&environment))
                .map(|p| p.environment.id)
                .collect();
            let Ok(body) = run.review(&ids, state, "") else {
                busy.try_set(false);
                return;
            };
            match gh.review(run.run.id, &body).await {
                Ok(_) => on_decided.run(outcome_sentence(
                    state,
                    &[environment.as_str()],
                    &clipped(&run.run.display_title, 80),
                )),
                Err(error) => {
                    refused.try_set(Some(error));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="cell-review" data-testid="cell-review-panel">
            {move || match runs.get() {
                None if opened.get() => view! { <p class="loading" aria-busy="true">"Reading the runs waiting…"</p> }.into_any(),
                None => view! { <button type="button" class="button subtle" data-testid="cell-review-open" on:click=read.clone()>"Approve or reject…"</button> }.into_any(),
                Some(Err(error)) => view! { <ErrorPanel error context="Could not read the runs waiting for a review"/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"No run waits on this environment any more."</p> }.into_any(),
                Some(Ok(list)) => list.into_iter().map(|run| {
                    let environment = environment.clone();
                    let mine = run.pending.iter().any(|p| p.environment.name.eq_ignore_ascii_case(&environment) && p.current_user_can_approve);
                    let title = format!("{} #{}", clipped(&run.run.display_title, 80), run.run.run_number);
                    let (approve, reject) = ((run.clone(), environment.clone()), (run, environment));
                    let (approving, rejecting) = (decide.clone(), decide.clone());
                    view! {
                        <div class="run-line">
                            <p>{title}</p>
                            {if mine {
                                view! {
                                    <button type="button" class="button primary" data-testid="cell-approve" disabled=move || busy.get()
                                        on:click=move |_| approving(approve.0.clone(), ReviewState::Approved, approve.1.clone())>"Approve"</button>
                                    " "
                                    <button type="button" class="button danger-subtle" data-testid="cell-reject" disabled=move || busy.get()
                                        on:click=move |_| rejecting(reject.0.clone(), ReviewState::Rejected, reject.1.clone())>"Reject"</button>
                                }.into_any()
                            } else {
                                view! { <p class="muted" data-testid="cell-cannot">"GitHub does not let this token review it here (not a required reviewer, self-review prevented, or the token lacks the permission): the Reviews view says why."</p> }.into_any()
                            }}
                        </div>
                    }
                }).collect_view().into_any(),
            }}
            <div aria-live="polite">
                {move || refused.get().map(|error| view! { <ErrorPanel error context="GitHub did not take the review"/> })}
            </div>
        </div>
    }
    .into_any()
}
