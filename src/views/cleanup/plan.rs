//! What the planner needs (every deployment, then each one's latest state: asked for first when that costs
//! much of the quota), the selection kept as a tab draft, and the plan core's planner makes of them.

use std::collections::{BTreeMap, HashMap};

use deploydeck_core::cleanup::{guard_sentence, CleanupPlan, CleanupRun, SavedRun, SelectionDraft};
use deploydeck_core::cost::{ask_before_reading, CostQuestion};
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::{Deployment, DeploymentId, Latest};
use deploydeck_core::response::ApiError;
use deploydeck_core::rules::DeploymentRecord;
use deploydeck_core::text::count;
use leptos::prelude::*;

use super::confirm::Confirm;
use super::preview::PlanTable;
use super::run::Runner;
use super::selection::SelectionForm;
use crate::clock::now;
use crate::components::{CostNotice, ErrorPanel, FormState};
use crate::net::api::Api;
use crate::session::Draft;
use crate::tasks::Tasks;

#[derive(Clone, PartialEq)]
pub(super) enum Loading {
    Listing(usize),
    /// Reading every state would cost much of the quota: waiting for the user's yes.
    Ask(CostQuestion),
    States {
        done: usize,
        total: usize,
    },
    Ready,
    Failed(ApiError),
}

/// The deployments and their latest states, as they arrive.
#[derive(Clone, Copy)]
pub(super) struct PlanData {
    pub deployments: RwSignal<Vec<Deployment>>,
    latest: RwSignal<BTreeMap<DeploymentId, Option<Latest>>>,
    pub loading: RwSignal<Loading>,
}

impl PlanData {
    fn new() -> Self {
        PlanData {
            deployments: RwSignal::new(Vec::new()),
            latest: RwSignal::new(BTreeMap::new()),
            loading: RwSignal::new(Loading::Listing(0)),
        }
    }

    /// Lists every deployment (all pages) if not yet listed, then reads the states still missing — after
    /// asking, unless `consent`, when that costs more than core's threshold of the quota.
    fn load(self, api: Api, location: AppLocation, tasks: &Tasks, consent: bool) {
        let data = self;
        tasks.spawn(async move {
            let gh = api.repo(&location.repo);
            if data.deployments.with_untracked(Vec::is_empty) {
                let listed = gh
                    .all_deployments(|n| data.loading.set(Loading::Listing(n)))
                    .await;
                match listed {
                    Ok(all) => data.deployments.set(all),
                    Err(error) => return data.loading.set(Loading::Failed(error)),
                }
            }
            // Only the ids are kept apart: the deployments themselves are not copied (a plan may cover 100,000).
            let missing: Vec<DeploymentId> = data.deployments.with_untracked(|ds| {
                data.latest.with_untracked(|m| {
                    ds.iter()
                        .map(|d| d.id)
                        .filter(|id| !m.contains_key(id))
                        .collect()
                })
            });
            let total = data.deployments.with_untracked(Vec::len);
            if !consent {
                let what = format!(
                    "the latest state of each of the {}",
                    count(missing.len(), "deployment", "deployments")
                );
                let unread = gh.unread_states(&missing);
                if let Some(question) = ask_before_reading(unread, &what, api.quota().as_ref()) {
                    return data.loading.set(Loading::Ask(question));
                }
            }
            let report = move || {
                let done = data.latest.with_untracked(BTreeMap::len);
                data.loading.set(Loading::States { done, total });
            };
            report();
            let missing: std::collections::HashSet<DeploymentId> = missing.into_iter().collect();
            let wanted: Vec<(DeploymentId, String)> = data.deployments.with_untracked(|ds| {
                ds.iter()
                    .filter(|d| missing.contains(&d.id))
                    .map(|d| (d.id, d.node_id.clone()))
                    .collect()
            });
            let wanted: Vec<(DeploymentId, &str)> = wanted
                .iter()
                .map(|(id, node)| (*id, node.as_str()))
                .collect();
            let read = gh
                .states_of(&wanted, move |batch| {
                    data.latest.update(|m| m.extend(batch.iter().cloned()));
                    report();
                })
                .await;
            let failed = read.err();
            data.loading
                .set(failed.map_or(Loading::Ready, Loading::Failed));
        });
    }

    /// Every deployment with its latest status, once all are read (empty before).
    fn records(&self) -> Vec<DeploymentRecord> {
        if self.loading.get() != Loading::Ready {
            return Vec::new();
        }
        // Every state is read once Ready; one that is somehow missing counts as having none (never dropped).
        self.deployments.with(|ds| {
            self.latest
                .with(|m| DeploymentRecord::join(ds, |id| Some(m.get(&id).cloned().flatten())))
        })
    }

    /// Each environment with its number of deployments, by name.
    fn environments(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        self.deployments.with(|ds| {
            for d in ds {
                *counts.entry(d.environment.clone()).or_default() += 1;
            }
        });
        counts.into_iter().collect()
    }
}

#[component]
pub(super) fn Planner(location: AppLocation, runner: Runner) -> impl IntoView {
    let api = runner.api.clone();
    let tasks = runner.tasks.clone();
    let data = PlanData::new();
    data.load(api.clone(), location.clone(), &tasks, false);

    let records = Memo::new(move |_| data.records());
    let environments = Memo::new(move |_| data.environments());
    // The selection, kept as a draft for this tab (nothing typed is lost on a reload or a failure).
    let draft = FormState::<SelectionDraft>::kept(Draft::CleanupSelection, &location).draft;
    let selection = Memo::new(move |_| draft.with(SelectionDraft::selection));
    let problems =
        Signal::derive(move || selection.with(|s| s.as_ref().err().cloned().unwrap_or_default()));
    // The user's ticks, by row: false keeps a row the rules delete, true includes one a guard rail kept.
    let choices = RwSignal::new(HashMap::<DeploymentId, bool>::new());
    let plan = Memo::new(move |_| {
        let selection = selection.get().ok()?;
        let mut plan = records.with(|r| CleanupPlan::new(r, &selection, now()));
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
        let (runner, location) = (runner.clone(), location.clone());
        move || {
            let Some(plan) = plan.get_untracked() else {
                return;
            };
            let saved = SavedRun {
                repository: format!("{} on {}", location.repo, location.host.label()),
                started_at: now(),
                planned: plan.counts(),
                run: CleanupRun::new(&plan),
            };
            crate::session::save_run(&location, &saved.to_json());
            runner.starts_again();
            runner.run.set(Some(saved));
            runner.pump();
        }
    };
    let read_anyway = {
        let (api, location, tasks) = (api.clone(), location.clone(), tasks.clone());
        move |consent: bool| {
            data.loading.set(Loading::Listing(0));
            data.load(api.clone(), location.clone(), &tasks, consent);
        }
    };

    let (table_location, confirm_location) = (location.clone(), location.clone());
    view! {
        <LoadingStatus data read=read_anyway/>
        <SelectionForm draft problems environments/>
        <div class="plan-count" role="status" aria-live="polite" data-testid="plan-count">
            {move || match (counts.get(), data.loading.get()) {
                (_, Loading::Failed(_) | Loading::Ask(_)) => String::new(),
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
            <Confirm api=api.clone() location=confirm_location.clone() plan deployments=data.deployments
                on_start=start.clone() on_back=move || confirming.set(false)/>
        </Show>
    }
}

/// Where reading stands: listing, reading states, waiting for a yes to an expensive read, or failed.
#[component]
fn LoadingStatus(
    data: PlanData,
    read: impl Fn(bool) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let text = move || match data.loading.get() {
        Loading::Listing(0) => Some("Listing the deployments…".to_owned()),
        Loading::Listing(n) => Some(format!("Listing the deployments… {n} so far")),
        Loading::States { done, total } => Some(format!(
            "Reading each deployment's latest state: {done} of {total}"
        )),
        _ => None,
    };
    view! {
        {move || text().map(|text| view! { <p class="loading" role="status" aria-busy="true" data-testid="cleanup-loading">{text}</p> })}
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
            _ => ().into_any(),
        }}
    }
}
