//! Reviews: every run of this repository waiting for a review, what it waits on, whether you can approve it
//! and why not — and the approve or reject, with a comment (docs/github-api.md §14). Read again while the tab
//! is visible, at GitHub's `X-Poll-Interval` or every 30 s (conditional requests: an unchanged list costs
//! nothing), and at once after a decision.

mod card;
mod inbox;

pub use inbox::InboxView;

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::DeploymentId;
use deploydeck_core::response::ApiError;
use deploydeck_core::reviews::{
    permission_from_scopes, refresh_every, timer_ran_out, ReviewPermission, RunUnderReview,
};
use futures::future::join;
use leptos::prelude::*;

use crate::clock::{every, now};
use crate::components::ErrorPanel;
use crate::href::app_href;
use crate::state::AppState;
use card::{Decided, RunCard};

/// Who is looking, what the token allows, and the runs waiting.
#[derive(Clone)]
pub(super) struct Board {
    pub me: String,
    pub permission: ReviewPermission,
    pub runs: Vec<RunUnderReview>,
    /// Seconds between reads while the tab is visible (core's `refresh_every`).
    pub every: u64,
}

#[component]
pub fn ReviewsView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let gh = api.repo(&location.repo);
    // Who is looking is read once; the runs at every refresh.
    let viewer = StoredValue::new(None::<(String, ReviewPermission)>);
    let board = LocalResource::new(move || {
        let (api, gh) = (api.clone(), gh.clone());
        async move {
            let ((me, permission), (runs, poll)) = match viewer.get_value() {
                Some(known) => (known, gh.runs_under_review().await?),
                None => {
                    // The first time, who is looking and what waits are asked at once: a round trip sooner.
                    let (user, runs) = join(api.user(), gh.runs_under_review()).await;
                    let (user, scopes) = user?;
                    let known = (user.login, permission_from_scopes(scopes.as_deref()));
                    viewer.set_value(Some(known.clone()));
                    (known, runs?)
                }
            };
            Ok::<_, ApiError>(Board {
                me,
                permission,
                runs,
                every: refresh_every(poll),
            })
        }
    });
    // Live: the wait timers count each second; seconds of visibility are counted, and the list read again when
    // GitHub's interval has passed or a wait timer ran out (the run may have gone on).
    let clock = RwSignal::new(now());
    let visible_for = StoredValue::new(0u64);
    every(1_000, move |visible| {
        let (before, at) = (clock.get_untracked(), now());
        clock.set(at);
        if !visible {
            return;
        }
        let (due, ran_out) = board.with_untracked(|b| match b {
            Some(Ok(b)) => (b.every, timer_ran_out(&b.runs, before, at)),
            _ => (refresh_every(None), false),
        });
        visible_for.update_value(|s| *s += 1);
        if ran_out || visible_for.get_value() >= due {
            visible_for.set_value(0);
            board.refetch();
        }
    });
    let refresh = Callback::new(move |()| board.refetch());
    // The last decision's outcome, kept above the list (the cards are rebuilt when it is read again).
    let outcome = RwSignal::new(None::<Result<Decided, ApiError>>);
    let decided = Callback::new(move |result: Result<Decided, ApiError>| {
        outcome.set(Some(result));
        board.refetch();
    });
    let page_of = {
        let location = location.clone();
        move |id: DeploymentId| app_href(&location.with_view(View::Deployment(id)).path())
    };
    view! {
        <section class="page" data-testid="reviews">
            <h1>"Reviews"</h1>
            <p class="lede">"Workflow runs waiting for a required reviewer before they deploy. Approve or reject one environment or all of a run's, with a comment."</p>
            <div aria-live="polite" data-testid="review-result">
                {move || outcome.get().map(|r| match r {
                    Ok((sentence, ids)) => view! {
                        <p class="ok" role="status">{sentence}" "
                            {ids.into_iter().map(|id| view! { <a href=page_of(id) data-testid="decided-deployment">{format!("Deployment {} ", id.0)}</a> }).collect_view()}
                        </p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error context="GitHub did not take the review (the list was read again)"/> }.into_any(),
                })}
            </div>
            <Transition fallback=|| view! { <p class="loading" aria-busy="true">"Reading the runs waiting for a review…"</p> }>
                {move || {
                    let location = location.clone();
                    Suspend::new(async move {
                        match board.await {
                            Err(error) => view! { <ErrorPanel error context="Could not read the runs waiting for a review" retry=refresh/> }.into_any(),
                            Ok(board) if board.runs.is_empty() => view! {
                                <p data-testid="no-reviews">"No run is waiting for a review in this repository."</p>
                            }.into_any(),
                            Ok(board) => {
                                let Board { me, permission, runs, .. } = board;
                                view! {
                                    <p data-testid="reviews-count" aria-live="polite">{deploydeck_core::text::count(runs.len(), "run waits", "runs wait")}" for a review."</p>
                                    {runs.into_iter().map(|run| view! {
                                        <RunCard run me=me.clone() permission location=location.clone() clock=clock.read_only() on_decided=decided/>
                                    }).collect_view()}
                                }.into_any()
                            }
                        }
                    })
                }}
            </Transition>
        </section>
    }
    .into_any()
}
