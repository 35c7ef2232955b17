//! What the planner needs (every deployment and each one's latest state — through GraphQL a page's states as
//! the page comes — asked for first when that costs much of the quota), the selection kept as a tab draft,
//! and the plan core's planner makes of them.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use deploydeck_core::cleanup::{guard_sentence, CleanupPlan, CleanupRun, SavedRun, SelectionDraft};
use deploydeck_core::cost::{ask_before_planning, ask_before_reading, CostQuestion};
use deploydeck_core::listing::PlanReads;
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::{DeploymentId, Latest};
use deploydeck_core::response::ApiError;
use deploydeck_core::text::{count, grouped};
use leptos::prelude::*;

use super::confirm::ConfirmParts;
use super::environments::EmptyEnvironmentsEntry;
use super::preview::PlanTable;
use super::selection::SelectionForm;
use crate::clock::now;
use crate::components::{CostNotice, ErrorPanel, FormState};
use crate::net::api::repo::{HearStates, Listing};
use crate::net::api::Api;
use crate::session::Draft;
use crate::state::AppState;
use crate::tasks::Tasks;
use crate::views::{loader, OnDemandPart};

#[derive(Clone, PartialEq)]
pub(super) enum Loading {
    /// Listing every deployment (`listed` so far), the latest states read alongside through GraphQL.
    Listing {
        listed: usize,
        states: usize,
    },
    /// Reading would cost much of the quota: waiting for the user's yes.
    Ask(CostQuestion),
    /// Reading the latest states still missing once all are listed.
    States {
        done: usize,
        total: usize,
    },
    Ready,
    Failed(ApiError),
    /// GitHub named a next page where the token must not go: `listed` deployments could be read, and the
    /// plan waits for the user to accept planning over those alone.
    CutShort {
        listed: usize,
        why: ApiError,
    },
}

/// The deployments and their latest states, as they arrive (core's `PlanReads`: one copy of each).
#[derive(Clone, Copy)]
pub(super) struct PlanData {
    pub reads: RwSignal<PlanReads>,
    pub loading: RwSignal<Loading>,
}

impl PlanData {
    fn new() -> Self {
        PlanData {
            reads: RwSignal::new(PlanReads::default()),
            loading: RwSignal::new(Loading::Listing {
                listed: 0,
                states: 0,
            }),
        }
    }

    /// Lists every deployment (all pages) if not yet listed — through GraphQL with each page's states read as
    /// it comes, after asking when that costs much of either quota — then reads the states still missing,
    /// after asking, unless `consent`, when that costs more than core's threshold of the quota.
    fn load(self, api: Api, location: AppLocation, tasks: &Tasks, consent: bool) {
        let data = self;
        tasks.spawn(async move {
            let gh = api.repo(&location.repo);
            // States are kept without telling the page each time (a plan may read 100,000): the plan is
            // made once all are read.
            let heard = move |batch: &[(DeploymentId, Option<Latest>)]| {
                data.reads.update_untracked(|r| r.heard(batch));
                data.report();
            };
            if !data.reads.with_untracked(PlanReads::is_listed) {
                let graphql = api.uses_graphql();
                let states: Option<HearStates> = graphql.then(|| Rc::new(heard) as HearStates);
                let quota = api.quota();
                // Through GraphQL the states come with the pages, so the cost is asked about once the first
                // page says how many there are (REST's states are asked about once all are listed).
                let ask = !consent && graphql;
                let listed = gh
                    .all_deployments(
                        move |listed| {
                            let states = data.reads.with_untracked(PlanReads::states_read);
                            data.loading.set(Loading::Listing { listed, states });
                        },
                        states,
                        move |about| {
                            ask.then(|| ask_before_planning(about, quota.as_ref()))
                                .flatten()
                        },
                    )
                    .await;
                match listed {
                    Ok(Listing::All(all)) => data.reads.update(|r| r.listed(all)),
                    Ok(Listing::Stopped(question)) => {
                        return data.loading.set(Loading::Ask(question))
                    }
                    Ok(Listing::CutShort(some, why)) => {
                        let listed = some.len();
                        data.reads.update(|r| r.listed(some));
                        return data.loading.set(Loading::CutShort { listed, why });
                    }
                    Err(error) => return data.loading.set(Loading::Failed(error)),
                }
            }
            let unread = data.reads.with_untracked(PlanReads::unread);
            if !consent {
                let what = format!(
                    "the latest state of each of the {}",
                    count(unread.len(), "deployment", "deployments")
                );
                let ids: Vec<DeploymentId> = unread.iter().map(|(id, _)| *id).collect();
                if let Some(question) =
                    ask_before_reading(gh.unread_states(&ids), &what, api.quota().as_ref())
                {
                    return data.loading.set(Loading::Ask(question));
                }
            }
            data.report();
            let failed = gh.states_of(&unread, heard).await.err();
            // Every state was kept quietly: now the plan is made.
            data.reads.notify();
            data.loading
                .set(failed.map_or(Loading::Ready, Loading::Failed));
        });
    }

    /// How many states are read: while listing, beside the count listed; then, of how many.
    fn report(self) {
        let (listed, done, total) = self
            .reads
            .with_untracked(|r| (r.is_listed(), r.states_read(), r.records().len()));
        if listed {
            self.loading.set(Loading::States { done, total });
        } else if let Loading::Listing { listed, .. } = self.loading.get_untracked() {
            self.loading.set(Loading::Listing {
                listed,
                states: done,
            });
        }
    }

    /// Each environment with its number of deployments, by name.
    fn environments(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        self.reads.with(|r| {
            for record in r.records() {
                *counts
                    .entry(record.deployment.environment.clone())
                    .or_default() += 1;
            }
        });
        counts.into_iter().collect()
    }
}

#[component]
pub(super) fn Planner(location: AppLocation, start: Callback<SavedRun>) -> impl IntoView {
    // The plan's reads are the view's (they stop when it goes away); the run, once started, is the app's.
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let tasks = Tasks::new();
    let data = PlanData::new();
    data.load(api.clone(), location.clone(), &tasks, false);

    let environments = Memo::new(move |_| data.environments());
    // The selection, kept as a draft for this tab (nothing typed is lost on a reload or a failure).
    let draft = FormState::<SelectionDraft>::kept(Draft::CleanupSelection, &location).draft;
    let selection = Memo::new(move |_| draft.with(SelectionDraft::selection));
    let problems =
        Signal::derive(move || selection.with(|s| s.as_ref().err().cloned().unwrap_or_default()));
    // The user's ticks, by row: false keeps a row the rules delete, true includes one a guard rail kept.
    let choices = RwSignal::new(HashMap::<DeploymentId, bool>::new());
    let plan = Memo::new(move |_| {
        if data.loading.get() != Loading::Ready {
            return None;
        }
        let selection = selection.get().ok()?;
        let mut plan = data
            .reads
            .with(|r| CleanupPlan::new(r.records(), &selection, now()));
        choices.with(|c| {
            for (id, delete) in c {
                plan.choose(*id, *delete);
            }
        });
        Some(plan)
    });
    let counts = Memo::new(move |_| plan.with(|p| p.as_ref().map(CleanupPlan::counts)));
    let guarded = Memo::new(move |_| {
        plan.with(|p| p.as_ref().map(CleanupPlan::kept_by_guards))
            .unwrap_or_default()
    });
    let confirming = RwSignal::new(false);

    let start = {
        let (api, location) = (api.clone(), location.clone());
        move || {
            let Some(plan) = plan.get_untracked() else {
                return;
            };
            let saved = SavedRun {
                repository: format!("{} on {}", location.repo, location.host.label()),
                started_at: now(),
                planned: plan.counts(),
                run: CleanupRun::new(&plan),
                // The pause the confirmation set: kept with the run, so that any tab sending it keeps it.
                pace_ms: Some(api.pacing().write_spacing_ms),
            };
            start.run(saved);
        }
    };
    let read_anyway = {
        let (api, location, tasks) = (api.clone(), location.clone(), tasks.clone());
        move |consent: bool| {
            data.loading.set(Loading::Listing {
                listed: 0,
                states: 0,
            });
            data.load(api.clone(), location.clone(), &tasks, consent);
        }
    };

    let (table_location, confirm_location, environments_location) =
        (location.clone(), location.clone(), location.clone());
    let environments_api = api.clone();
    let confirm = OnDemandPart::new(|| Box::pin(loader::cleanup_confirm()));
    view! {
        <LoadingStatus data read=read_anyway api=api.clone()/>
        <SelectionForm draft problems environments/>
        <div class="plan-count" role="status" aria-live="polite" data-testid="plan-count">
            {move || match (counts.get(), data.loading.get()) {
                (_, Loading::Failed(_) | Loading::Ask(_) | Loading::CutShort { .. }) => String::new(),
                (_, l) if l != Loading::Ready => "The plan appears once every deployment's state is read.".to_owned(),
                (None, _) => "Correct the selection to see the plan.".to_owned(),
                (Some(c), _) => c.sentence(),
            }}
        </div>
        <Show when=move || !guarded.with(BTreeMap::is_empty)>
            <p class="notice" data-testid="guard-kept">{move || guard_sentence(&guarded.get())}</p>
        </Show>
        <Show when=move || plan.with(Option::is_some) && data.loading.get() == Loading::Ready>
            <PlanTable plan choices location=table_location.clone()/>
            <div class="actions">
                <button type="button" class="button primary"
                    disabled=move || counts.get().is_none_or(|c| c.requests == 0) || confirming.get()
                    on:click=move |_| confirming.set(true) data-testid="review-run"
                >"Review and start the cleanup…"</button>
            </div>
        </Show>
        <Show when=move || confirming.get() && plan.with(Option::is_some)>
            {confirm.view(ConfirmParts {
                api: api.clone(),
                location: confirm_location.clone(),
                plan,
                reads: data.reads,
                on_start: Callback::new({ let start = start.clone(); move |()| start() }),
                on_back: Callback::new(move |()| confirming.set(false)),
            })}
        </Show>
        <EmptyEnvironmentsEntry api=environments_api location=environments_location/>
    }
    .into_any()
}

/// Where reading stands: listing, reading states (and what GitHub's limits hold back), waiting for a yes to
/// an expensive read, or failed.
#[component]
fn LoadingStatus(
    data: PlanData,
    read: impl Fn(bool) + Clone + Send + Sync + 'static,
    api: Api,
) -> impl IntoView {
    let clock = RwSignal::new(0u32);
    crate::clock::every(1_000, move |_| clock.update(|n| *n += 1));
    let waiting = move || {
        clock.track();
        matches!(
            data.loading.get(),
            Loading::Listing { .. } | Loading::States { .. }
        )
        .then(|| api.window_wait())
        .flatten()
    };
    let text = move || match data.loading.get() {
        Loading::Listing { listed: 0, .. } => Some("Listing the deployments…".to_owned()),
        Loading::Listing { listed, states: 0 } => Some(format!(
            "Listing the deployments… {} so far",
            grouped(listed)
        )),
        Loading::Listing { listed, states } => Some(format!(
            "Listing the deployments… {} so far; {} latest states read",
            grouped(listed),
            grouped(states)
        )),
        Loading::States { done, total } => Some(format!(
            "Reading each deployment's latest state: {} of {}",
            grouped(done),
            grouped(total)
        )),
        _ => None,
    };
    view! {
        {move || text().map(|text| view! { <p class="loading" role="status" aria-busy="true" data-testid="cleanup-loading">{text}</p> })}
        {move || waiting().map(|note| view! { <p class="muted" data-testid="cleanup-paced">{note}</p> })}
        {move || match data.loading.get() {
            Loading::Ask(question) => {
                let read = read.clone();
                view! {
                    <CostNotice question why="Planning needs every deployment's latest state." action="Read the states"
                        on_accept=move || read(true) testid="cost-question"/>
                }.into_any()
            }
            Loading::Failed(error) => {
                let read = read.clone();
                view! {
                    <ErrorPanel error context="Could not read the deployments to plan"/>
                    <p><button type="button" class="button primary" on:click=move |_| read(false)>"Try again"</button></p>
                }.into_any()
            }
            Loading::CutShort { listed, why } => {
                let read = read.clone();
                view! {
                    <ErrorPanel error=why context="Only some of the deployments could be listed"/>
                    <p class="notice" data-testid="plan-cut-short">{format!(
                        "A plan over these {} alone would not see the others: what is live or newer among them stays unknown.",
                        count(listed, "deployment", "deployments")
                    )}</p>
                    <p><button type="button" class="button" on:click=move |_| read(false) data-testid="plan-partial">
                        {format!("Plan over the {} listed anyway", count(listed, "deployment", "deployments"))}
                    </button></p>
                }.into_any()
            }
            _ => ().into_any(),
        }}
    }
}
