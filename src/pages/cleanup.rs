//! The Cleanup view: choose deployments by rules (core's planner), review the plan (a dry run, always
//! first), download a backup, then run it — `inactive` statuses only where GitHub needs one, then DELETE,
//! at the pace core's budget allows — with progress, pause/resume/cancel, retry of failures, an automatic
//! wait on rate limits, and a run kept on this device so a reload continues it. Environments are never
//! deleted: only deployment records.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::rc::Rc;

use deploydeck_core::cleanup::{
    backup_json, eta_ms, report_csv, report_json, Action, CleanupPlan, CleanupRun, ItemState,
    PlanCounts, PlanItem, RunStatus, SavedRun, SelectionDraft, StateFilter, Step,
};
use deploydeck_core::history::format_duration;
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus};
use deploydeck_core::response::{ApiError, RateLimitKind};
use deploydeck_core::rules::DeploymentRecord;
use deploydeck_core::validate::{Field, Problems};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::components::{invalid, Clip, ErrorPanel, FieldProblems, StateBadge};
use crate::download::download;
use crate::session;
use crate::transport::now;
use crate::{app_href, AppState};

/// Latest-state reads in flight at once while the plan is prepared (core's budget bounds them again).
const READERS: usize = 6;
/// How often the progress (ETA, a rate-limit wait) is redrawn while a run is active.
const TICK_MS: u64 = 1_000;

/// Runs `work` on every item with at most `workers` at once.
async fn bounded<T: 'static, F, Fut>(items: Vec<T>, workers: usize, work: F)
where
    F: Fn(T) -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let queue = Rc::new(RefCell::new(VecDeque::from(items)));
    let tasks = (0..workers.max(1)).map(|_| {
        let (queue, work) = (queue.clone(), work.clone());
        async move {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some(item) = next else { break };
                work(item).await;
            }
        }
    });
    futures::future::join_all(tasks).await;
}

#[component]
pub fn CleanupView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let kept = session::load_run(&location).and_then(|text| SavedRun::from_json(&text));
    let restored = kept.is_some();
    let runner = Runner {
        api: api.clone(),
        location: StoredValue::new(location.clone()),
        run: RwSignal::new(kept),
        workers: StoredValue::new(0),
        since: StoredValue::new(js_sys::Date::now()),
        answered: StoredValue::new(0),
    };
    // A run kept from before a reload (or from before leaving this view) continues where it was, unless it
    // was paused or had finished.
    runner.pump();
    let history = app_href(&location.with_view(View::History).path());
    view! {
        <section class="page" data-testid="cleanup-view">
            <h1>"Cleanup"</h1>
            <p class="muted">
                "Deletes deployment records, never environments. GitHub only deletes inactive deployments, so anything still active gets an “inactive” status first. Nothing is sent until you have reviewed the plan and confirmed it. "
                <a href=history>"See the full history"</a>
            </p>
            {move || {
                if runner.run.with(Option::is_some) {
                    view! { <RunPanel runner=runner.clone() restored/> }.into_any()
                } else {
                    view! { <Planner location=location.clone() runner=runner.clone()/> }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}

// ---- the run ----

/// Carries a kept run out: workers take steps from core's `CleanupRun` (which never hands out a done item),
/// send them through the budget, record the answers, and keep the run on this device after each change.
#[derive(Clone)]
struct Runner {
    api: Api,
    location: StoredValue<AppLocation>,
    run: RwSignal<Option<SavedRun>>,
    workers: StoredValue<u32>,
    /// When this page started (or resumed) running, and the answers since: the pace for the ETA.
    since: StoredValue<f64>,
    answered: StoredValue<usize>,
}

impl Runner {
    fn save(&self) {
        if let (Some(location), Some(Some(json))) = (
            self.location.try_get_value(),
            self.run
                .try_with_untracked(|r| r.as_ref().map(SavedRun::to_json)),
        ) {
            session::save_run(&location, &json);
        }
    }

    fn update(&self, change: impl FnOnce(&mut CleanupRun)) {
        self.run.update(|r| {
            if let Some(saved) = r {
                change(&mut saved.run);
            }
        });
        self.save();
    }

    fn starts_again(&self) {
        self.since.set_value(js_sys::Date::now());
        self.answered.set_value(0);
    }

    /// Starts workers (as many mutations as the connection lets overlap) while steps are waiting.
    fn pump(&self) {
        let repo = self.location.with_value(|l| l.repo.clone());
        let max = self.api.write_concurrency();
        let waiting = self.run.with_untracked(|r| {
            r.as_ref()
                .is_some_and(|s| s.run.status == RunStatus::Running && s.run.progress().pending > 0)
        });
        if !waiting {
            return;
        }
        while self.workers.get_value() < max {
            self.workers.update_value(|w| *w += 1);
            let (this, repo) = (self.clone(), repo.clone());
            spawn_local(async move {
                // Leaving the view disposes the signals: the worker stops, and the run kept on this device
                // (with this step in flight) continues when the view opens again.
                while let Some(Some((id, step))) = this
                    .run
                    .try_update(|r| r.as_mut().and_then(|s| s.run.next_step()))
                {
                    this.save();
                    let result = match step {
                        Step::Deactivate => this.api.deactivate(&repo, id).await,
                        Step::Delete => this.api.delete_deployment(&repo, id).await,
                    };
                    let recorded = this.run.try_update(|r| {
                        if let Some(saved) = r {
                            saved.run.record(id, step, result);
                        }
                    });
                    if recorded.is_none() {
                        return;
                    }
                    this.answered.update_value(|n| *n += 1);
                    this.save();
                }
                this.workers.try_update_value(|w| *w = w.saturating_sub(1));
            });
        }
    }
}

#[component]
fn RunPanel(runner: Runner, restored: bool) -> impl IntoView {
    let run = runner.run;
    let api = runner.api.clone();
    let clock = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || clock.set(js_sys::Date::now()),
        std::time::Duration::from_millis(TICK_MS),
    ) {
        on_cleanup(move || handle.clear());
    }
    let progress = Memo::new(move |_| {
        run.with(|r| r.as_ref().map(|s| s.run.progress()))
            .unwrap_or_default()
    });
    let status = Memo::new(move |_| run.with(|r| r.as_ref().map(|s| s.run.status)));
    let settled = Memo::new(move |_| run.with(|r| r.as_ref().is_none_or(|s| s.run.is_settled())));

    // What holds the run back: GitHub's rate limit (it continues by itself), or a pause.
    let hold = {
        let api = api.clone();
        move || {
            clock.track();
            api.hold_left().map(|(left_ms, limit)| {
                let which = match limit {
                    RateLimitKind::Primary => "GitHub's hourly rate limit is used up",
                    RateLimitKind::Secondary => "GitHub asked to slow down (secondary rate limit)",
                };
                format!(
                    "{which}: waiting {} before the next request. The run continues by itself; you can leave it running.",
                    format_duration(left_ms.div_ceil(1000) as i64)
                )
            })
        }
    };
    let eta = {
        let (api, runner) = (api.clone(), runner.clone());
        move || {
            clock.track();
            let p = progress.get();
            if p.requests_left == 0 || status.get() != Some(RunStatus::Running) {
                return None;
            }
            let elapsed = (js_sys::Date::now() - runner.since.get_value()).max(0.0) as u64;
            let ms = eta_ms(runner.answered.get_value(), elapsed, p.requests_left).unwrap_or_else(
                || {
                    let deletes = (p.pending + p.in_flight) as u32;
                    let creates = (p.requests_left as u32).saturating_sub(deletes);
                    api.estimate_writes_ms(creates, deletes)
                },
            );
            // The pace so far knows nothing of a rate limit's wait still ahead: add it.
            let held = api.hold_left().map_or(0, |(left_ms, _)| left_ms);
            Some(format!(
                "About {} left",
                format_duration(((ms + held) / 1000) as i64)
            ))
        }
    };

    let pause = {
        let runner = runner.clone();
        move |_| runner.update(CleanupRun::pause)
    };
    let resume = {
        let runner = runner.clone();
        move |_| {
            runner.update(CleanupRun::resume);
            runner.starts_again();
            runner.pump();
        }
    };
    let cancel = {
        let runner = runner.clone();
        move |_| runner.update(CleanupRun::cancel)
    };
    let retry = {
        let runner = runner.clone();
        move |_| {
            runner.update(|r| {
                r.retry_failed();
                r.resume();
            });
            runner.starts_again();
            runner.pump();
        }
    };
    let report = move |csv: bool| {
        run.with_untracked(|r| {
            if let Some(saved) = r {
                if csv {
                    download(&report_csv(&saved.run), "text/csv", "cleanup-report.csv");
                } else {
                    download(
                        &report_json(saved, now()),
                        "application/json",
                        "cleanup-report.json",
                    );
                }
            }
        })
    };
    let start_over = {
        let runner = runner.clone();
        move |_| {
            runner.location.with_value(session::clear_run);
            runner.run.set(None);
        }
    };
    let failures = Memo::new(move |_| {
        run.with(|r| {
            r.as_ref()
                .map(|s| s.run.failures_by_message())
                .unwrap_or_default()
        })
    });
    let summary = move || {
        let p = progress.get();
        format!(
            "{} of {} done, {} failed, {} remaining{}",
            p.done,
            p.total,
            p.failed,
            p.pending + p.in_flight,
            if p.skipped > 0 {
                format!(", {} skipped", p.skipped)
            } else {
                String::new()
            }
        )
    };
    let requests = move || {
        run.with(|r| {
            r.as_ref().map(|s| {
                format!(
                    "Requests sent: {} (the plan needed {}).",
                    s.run.requests_sent, s.planned.requests
                )
            })
        })
    };
    let heading = move || match (status.get(), settled.get()) {
        (Some(RunStatus::Cancelled), true) => "Cleanup cancelled",
        (_, true) if progress.get().failed > 0 => "Cleanup finished: some items failed",
        (_, true) => "Cleanup finished",
        (Some(RunStatus::Paused), false) => "Cleanup paused",
        (Some(RunStatus::Cancelled), false) => "Cancelling…",
        _ => "Cleaning up…",
    };
    view! {
        <div class="cleanup-run" data-testid="cleanup-run">
            <h2 data-testid="run-heading">{heading}</h2>
            <Show when=move || restored && !settled.get()>
                <p class="notice" data-testid="run-restored">"This run was kept on this device and continues where it stopped: nothing already done is sent again."</p>
            </Show>
            <progress
                max=move || progress.get().total.max(1)
                value=move || progress.get().done + progress.get().failed + progress.get().skipped
                aria-label="Cleanup progress"
                data-testid="run-progress"
            ></progress>
            <p role="status" aria-live="polite" data-testid="run-summary">{summary}</p>
            <Show when=move || !settled.get()>
                <p class="muted">"The run goes on while this view is open. It is kept on this device: after a reload, or when you come back to Cleanup, it continues where it stopped."</p>
            </Show>
            <p class="muted" data-testid="run-eta">{eta}</p>
            <p class="muted" data-testid="run-requests">{requests}</p>
            {move || hold().map(|text| view! { <p class="notice" role="status" data-testid="run-hold">{text}</p> })}
            <div class="actions">
                <Show when=move || !settled.get() && status.get() == Some(RunStatus::Running)>
                    <button type="button" class="button" on:click=pause.clone() data-testid="run-pause">"Pause"</button>
                </Show>
                <Show when=move || !settled.get() && status.get() == Some(RunStatus::Paused)>
                    <button type="button" class="button primary" on:click=resume.clone() data-testid="run-resume">"Resume"</button>
                </Show>
                <Show when=move || !settled.get() && status.get() != Some(RunStatus::Cancelled)>
                    <button type="button" class="button danger-subtle" on:click=cancel.clone() data-testid="run-cancel">"Cancel the rest"</button>
                </Show>
                <Show when=move || (progress.get().failed > 0) && progress.get().in_flight == 0>
                    <button type="button" class="button primary" on:click=retry.clone() data-testid="run-retry">
                        {move || format!("Retry {} failed", progress.get().failed)}
                    </button>
                </Show>
            </div>
            <Show when=move || !failures.with(BTreeMap::is_empty)>
                <h3>"Failed"</h3>
                <ul class="failures" data-testid="run-failures">
                    {move || failures.get().into_iter().map(|(message, ids)| view! {
                        <li>
                            <strong>{format!("{} deployment(s): ", ids.len())}</strong>
                            {message}
                            <span class="muted">{format!(" ({})", ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(", "))}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted">"Failed items stay in the run: “Retry failed” sends only them, from the step that failed."</p>
            </Show>
            <Show when=move || settled.get()>
                <div class="actions" data-testid="run-report">
                    <button type="button" class="button" on:click=move |_| report(false) data-testid="report-json">"Download the report (JSON)"</button>
                    <button type="button" class="button" on:click=move |_| report(true) data-testid="report-csv">"Download the report (CSV)"</button>
                    <button type="button" class="button subtle" on:click=start_over data-testid="run-start-over">"Plan another cleanup"</button>
                </div>
            </Show>
            <RunItems run/>
        </div>
    }
}

/// The run's items that are not simply done: in progress, waiting, failed or skipped (the done ones are
/// counted above and listed in the report).
#[component]
fn RunItems(run: RwSignal<Option<SavedRun>>) -> impl IntoView {
    let rows = Memo::new(move |_| {
        run.with(|r| {
            r.as_ref()
                .map(|s| {
                    s.run
                        .items
                        .iter()
                        .filter(|i| {
                            matches!(
                                i.state,
                                ItemState::Failed { .. } | ItemState::InFlight { .. }
                            )
                        })
                        .map(|i| {
                            let detail = match &i.state {
                                ItemState::Failed { step, error } => {
                                    format!("{} failed: {error}", capitalise(step.label()))
                                }
                                ItemState::InFlight { step } => capitalise(step.label()),
                                _ => String::new(),
                            };
                            (i.id, i.environment.clone(), i.state.outcome(), detail)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || !rows.with(Vec::is_empty)>
            <table class="deployments run-items" data-testid="run-items">
                <caption class="visually-hidden">"Items in progress or failed"</caption>
                <thead><tr><th scope="col">"Deployment"</th><th scope="col">"Environment"</th><th scope="col">"Outcome"</th><th scope="col">"Detail"</th></tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|(id, environment, outcome, detail)| view! {
                        <tr data-testid="run-item"><td>{id.0}</td><td><Clip text=environment/></td><td>{outcome}</td><td>{detail}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

// ---- the plan ----

#[derive(Clone, PartialEq)]
enum Loading {
    Listing(usize),
    States { done: usize, total: usize },
    Ready,
    Failed(ApiError),
}

/// Which rows the preview shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    Deleted,
    Kept,
    All,
}

#[component]
fn Planner(location: AppLocation, runner: Runner) -> impl IntoView {
    let api = runner.api.clone();
    let repo = location.repo.clone();
    let deployments = RwSignal::new(Vec::<Deployment>::new());
    let latest = RwSignal::new(BTreeMap::<DeploymentId, Option<DeploymentStatus>>::new());
    let loading = RwSignal::new(Loading::Listing(0));

    // Every deployment (all pages), then each one's latest state: the planner needs them all.
    let load = {
        let (api, repo) = (api.clone(), repo.clone());
        move || {
            let (api, repo) = (api.clone(), repo.clone());
            spawn_local(async move {
                if deployments.with_untracked(Vec::is_empty) {
                    let all = match api
                        .all_deployments(&repo, |n| {
                            loading.try_set(Loading::Listing(n));
                        })
                        .await
                    {
                        Ok(all) => all,
                        Err(error) => {
                            loading.try_set(Loading::Failed(error));
                            return;
                        }
                    };
                    if deployments.try_set(all).is_some() {
                        return;
                    }
                }
                let missing: Vec<DeploymentId> = deployments.with_untracked(|ds| {
                    latest.with_untracked(|m| {
                        ds.iter()
                            .map(|d| d.id)
                            .filter(|id| !m.contains_key(id))
                            .collect()
                    })
                });
                let total = deployments.with_untracked(Vec::len);
                let failure = Rc::new(RefCell::new(None::<ApiError>));
                let report = move || {
                    let done = latest.try_with_untracked(BTreeMap::len).unwrap_or(0);
                    loading.try_set(Loading::States { done, total });
                };
                report();
                bounded(missing, READERS, {
                    let (api, repo, failure) = (api.clone(), repo.clone(), failure.clone());
                    move |id| {
                        let (api, repo, failure) = (api.clone(), repo.clone(), failure.clone());
                        async move {
                            if failure.borrow().is_some() {
                                return;
                            }
                            match api.latest_status(&repo, id).await {
                                Ok(status) => {
                                    latest.try_update(|m| m.insert(id, status));
                                    report();
                                }
                                Err(error) => *failure.borrow_mut() = Some(error),
                            }
                        }
                    }
                })
                .await;
                let failed = failure.borrow_mut().take();
                loading.try_set(match failed {
                    Some(error) => Loading::Failed(error),
                    None => Loading::Ready,
                });
            });
        }
    };
    load();

    let records = Memo::new(move |_| {
        if loading.get() != Loading::Ready {
            return Vec::new();
        }
        deployments.with(|ds| {
            latest.with(|m| {
                ds.iter()
                    .map(|d| DeploymentRecord {
                        deployment: d.clone(),
                        latest_status: m.get(&d.id).cloned().flatten(),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let environments = Memo::new(move |_| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        deployments.with(|ds| {
            for d in ds {
                *counts.entry(d.environment.clone()).or_default() += 1;
            }
        });
        counts.into_iter().collect::<Vec<_>>()
    });

    // The selection, kept as a draft for this tab (nothing typed is lost on a reload or a failure).
    let draft = RwSignal::new(
        session::load_draft::<SelectionDraft>("cleanup", &location).unwrap_or_default(),
    );
    Effect::new({
        let location = location.clone();
        move |_| draft.with(|d| session::save_draft("cleanup", &location, d))
    });
    let selection = Memo::new(move |_| draft.with(SelectionDraft::selection));
    let problems =
        Signal::derive(move || selection.with(|s| s.as_ref().err().cloned().unwrap_or_default()));
    let unticked = RwSignal::new(HashSet::<DeploymentId>::new());
    let plan = Memo::new(move |_| {
        let Ok(selection) = selection.get() else {
            return None;
        };
        let mut plan = records.with(|r| CleanupPlan::new(r, &selection, now()));
        unticked.with(|u| {
            for id in u {
                plan.set_unticked(*id, true);
            }
        });
        Some(plan)
    });
    let counts = Memo::new(move |_| plan.with(|p| p.as_ref().map(CleanupPlan::counts)));
    let kept_live = Memo::new(move |_| {
        plan.with(|p| {
            p.as_ref().map_or(0, |p| {
                p.items
                    .iter()
                    .filter(|i| i.reason() == deploydeck_core::cleanup::Reason::LiveProduction)
                    .count()
            })
        })
    });
    let confirming = RwSignal::new(false);

    let start = {
        let runner = runner.clone();
        let location = location.clone();
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
            session::save_run(&location, &saved.to_json());
            runner.starts_again();
            runner.run.set(Some(saved));
            runner.pump();
        }
    };

    let retry_load = {
        let load = load.clone();
        move |_| {
            loading.set(Loading::Listing(0));
            load();
        }
    };
    let loading_text = move || match loading.get() {
        Loading::Listing(0) => Some("Listing the deployments…".to_owned()),
        Loading::Listing(n) => Some(format!("Listing the deployments… {n} so far")),
        Loading::States { done, total } => Some(format!(
            "Reading each deployment's latest state: {done} of {total}"
        )),
        _ => None,
    };

    let (table_location, confirm_location) = (location.clone(), location.clone());
    view! {
        {move || loading_text().map(|text| view! { <p class="loading" role="status" aria-busy="true" data-testid="cleanup-loading">{text}</p> })}
        {move || match loading.get() {
            Loading::Failed(error) => view! {
                <ErrorPanel error context="Could not read the deployments to plan"/>
                <p><button type="button" class="button primary" on:click=retry_load.clone()>"Try again"</button></p>
            }.into_any(),
            _ => ().into_any(),
        }}
        <SelectionForm draft problems environments/>
        <div class="plan-count" role="status" aria-live="polite" data-testid="plan-count">
            {move || match (counts.get(), loading.get()) {
                (_, Loading::Failed(_)) => String::new(),
                (_, l) if l != Loading::Ready => "The plan appears once every deployment's state is read.".to_owned(),
                (None, _) => "Correct the selection to see the plan.".to_owned(),
                (Some(c), _) => count_sentence(&c),
            }}
        </div>
        <Show when=move || { kept_live.get() > 0 }>
            <p class="notice" data-testid="guard-live-production">
                {move || format!(
                    "{} deployment(s) live in a production environment are kept. Tick “Also delete what is live in production” to include them.",
                    kept_live.get()
                )}
            </p>
        </Show>
        <Show when=move || plan.with(|p| p.is_some()) && loading.get() == Loading::Ready>
            <PlanTable plan unticked location=table_location.clone()/>
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    disabled=move || counts.get().is_none_or(|c| c.requests == 0) || confirming.get()
                    on:click=move |_| confirming.set(true)
                    data-testid="review-run"
                >"Review and start the cleanup…"</button>
            </div>
        </Show>
        <Show when=move || confirming.get() && plan.with(Option::is_some)>
            <Confirm
                api=api.clone()
                location=confirm_location.clone()
                plan
                deployments
                on_start=start.clone()
                on_back=move || confirming.set(false)
            />
        </Show>
    }
}

fn count_sentence(c: &PlanCounts) -> String {
    let delete = c.deletions();
    format!(
        "{delete} deployment(s) will be deleted ({} marked inactive first), {} kept; {} request(s) to GitHub.",
        c.deactivate_then_delete, c.keep, c.requests
    )
}

#[component]
fn SelectionForm(
    draft: RwSignal<SelectionDraft>,
    problems: Signal<Problems>,
    environments: Memo<Vec<(String, usize)>>,
) -> impl IntoView {
    let flag = move |get: fn(&SelectionDraft) -> bool, set: fn(&mut SelectionDraft, bool)| {
        (
            move || draft.with(get),
            move |ev| draft.update(|d| set(d, event_target_checked(&ev))),
        )
    };
    let (transient, transient_input) = flag(|d| d.transient_only, |d, v| d.transient_only = v);
    let (live, live_input) = flag(
        |d| d.allow_live_production,
        |d, v| d.allow_live_production = v,
    );
    let state_choices: Vec<(StateFilter, &'static str)> =
        std::iter::once((StateFilter::NoStatus, "No status"))
            .chain(
                DeploymentState::ALL
                    .into_iter()
                    .map(|s| (StateFilter::State(s), s.label())),
            )
            .collect();
    view! {
        <form class="form cleanup-form" on:submit=|ev| ev.prevent_default() data-testid="cleanup-form">
            <fieldset>
                <legend>"Environments (none ticked: all)"</legend>
                <div class="choices">
                    {move || environments.get().into_iter().map(|(name, count)| {
                        let checked = { let name = name.clone(); move || draft.with(|d| d.environments.contains(&name)) };
                        let toggle = { let name = name.clone(); move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|d| {
                                d.environments.retain(|e| e != &name);
                                if on { d.environments.push(name.clone()); }
                            });
                        }};
                        view! {
                            <label class="choice"><input type="checkbox" prop:checked=checked on:change=toggle/><Clip text=name.clone()/>{format!(" ({count})")}</label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="field-row">
                <SelectionField draft problems id="cleanup-ref" label="Ref" get=|d| &d.git_ref set=|d, v| d.git_ref = v
                    prefix=(|d: &SelectionDraft| d.ref_prefix, |d: &mut SelectionDraft, v| d.ref_prefix = v)/>
                <SelectionField draft problems id="cleanup-sha" label="SHA" get=|d| &d.sha set=|d, v| d.sha = v field=Field::Sha error_id="cleanup-sha-error"
                    prefix=(|d: &SelectionDraft| d.sha_prefix, |d: &mut SelectionDraft, v| d.sha_prefix = v)/>
                <SelectionField draft problems id="cleanup-task" label="Task" get=|d| &d.task set=|d, v| d.task = v
                    prefix=(|d: &SelectionDraft| d.task_prefix, |d: &mut SelectionDraft, v| d.task_prefix = v)/>
            </div>
            <div class="field-row">
                <SelectionField draft problems id="cleanup-creators" label="Created by" get=|d| &d.creators set=|d, v| d.creators = v
                    field=Field::Creators error_id="cleanup-creators-error" placeholder="logins, e.g. mona, dependabot[bot]"/>
                <SelectionField draft problems id="cleanup-older" label="Older than (days)" get=|d| &d.older_than_days
                    set=|d, v| d.older_than_days = v field=Field::OlderThanDays error_id="cleanup-older-error" numeric=true/>
                <SelectionField draft problems id="cleanup-keep" label="Keep the newest per environment" get=|d| &d.keep_newest
                    set=|d, v| d.keep_newest = v field=Field::KeepNewest error_id="cleanup-keep-error" numeric=true/>
            </div>
            <fieldset>
                <legend>"Latest state (none ticked: any)"</legend>
                <div class="choices">
                    {state_choices.into_iter().map(|(state, label)| {
                        let checked = move || draft.with(|d| d.states.contains(&state));
                        let toggle = move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|d| {
                                d.states.retain(|s| *s != state);
                                if on { d.states.push(state); }
                            });
                        };
                        view! { <label class="choice"><input type="checkbox" prop:checked=checked on:change=toggle/>{label}</label> }
                    }).collect_view()}
                </div>
            </fieldset>
            <label class="choice"><input type="checkbox" prop:checked=transient on:change=transient_input/>"Transient environments only"</label>
            <div class="guard">
                <label class="choice"><input type="checkbox" prop:checked=live on:change=live_input data-testid="allow-live-production"/>
                    "Also delete what is live in production"</label>
                <p class="muted">"Off by default: the deployment each production environment runs now is kept."</p>
            </div>
        </form>
    }
}

type Flag = (fn(&SelectionDraft) -> bool, fn(&mut SelectionDraft, bool));

/// One text field of the selection, with its problems (when the form checks it) and an optional
/// "starts with" box.
#[component]
fn SelectionField(
    draft: RwSignal<SelectionDraft>,
    problems: Signal<Problems>,
    id: &'static str,
    label: &'static str,
    get: fn(&SelectionDraft) -> &String,
    set: fn(&mut SelectionDraft, String),
    #[prop(optional)] field: Option<Field>,
    /// Where the field's problems are said (`aria-describedby`), when it has checks.
    #[prop(optional)]
    error_id: &'static str,
    #[prop(optional)] prefix: Option<Flag>,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let no_server = Signal::derive(|| None::<ApiError>);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" autocomplete="off" placeholder=placeholder
                inputmode=numeric.then_some("numeric")
                prop:value=move || draft.with(|d| get(d).clone())
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))
                aria-invalid=move || field.map(|f| invalid(f, problems, no_server)())
                aria-describedby=field.map(|_| error_id)/>
            {prefix.map(|(get, set)| view! {
                <label class="choice"><input type="checkbox" prop:checked=move || draft.with(get)
                    on:change=move |ev| draft.update(|d| set(d, event_target_checked(&ev)))/>"starts with"</label>
            })}
            {field.map(|f| view! { <FieldProblems id=error_id field=f problems server=no_server/> })}
        </div>
    }
}

#[component]
fn PlanTable(
    plan: Memo<Option<CleanupPlan>>,
    unticked: RwSignal<HashSet<DeploymentId>>,
    location: AppLocation,
) -> impl IntoView {
    let show = RwSignal::new(Rows::Deleted);
    let rows = Memo::new(move |_| {
        let which = show.get();
        plan.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.items
                        .iter()
                        .filter(|i| match which {
                            Rows::All => true,
                            Rows::Deleted => i.action() != Action::Keep || i.unticked,
                            Rows::Kept => i.action() == Action::Keep,
                        })
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let choose = move |ev| {
        show.set(match event_target_value(&ev).as_str() {
            "kept" => Rows::Kept,
            "all" => Rows::All,
            _ => Rows::Deleted,
        })
    };
    view! {
        <div class="plan" data-testid="plan">
            <div class="field inline">
                <label for="plan-show">"Show"</label>
                <select id="plan-show" on:change=choose data-testid="plan-show">
                    <option value="deleted">"What will be deleted"</option>
                    <option value="kept">"What is kept"</option>
                    <option value="all">"Everything"</option>
                </select>
            </div>
            <div class="table-scroll">
                <table class="deployments plan-table">
                    <caption class="visually-hidden">"The cleanup plan: each deployment, its latest state, what will happen and why"</caption>
                    <thead><tr>
                        <th scope="col">"Delete"</th><th scope="col">"Deployment"</th><th scope="col">"Environment"</th>
                        <th scope="col">"Ref"</th><th scope="col">"Latest state"</th><th scope="col">"Action"</th><th scope="col">"Why"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|i| (i.id, i.action(), i.reason().describe()) let:item>
                            <PlanRow item unticked location=location.clone()/>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="muted" data-testid="plan-empty">"No deployment in this list."</p>
            </Show>
        </div>
    }
}

#[component]
fn PlanRow(
    item: PlanItem,
    unticked: RwSignal<HashSet<DeploymentId>>,
    location: AppLocation,
) -> impl IntoView {
    let id = item.id;
    let can_tick = item.proposal != Action::Keep;
    let ticked = item.action() != Action::Keep;
    let href = app_href(&location.with_view(View::Deployment(id)).path());
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        unticked.update(|u| {
            if on {
                u.remove(&id);
            } else {
                u.insert(id);
            }
        });
    };
    view! {
        <tr data-testid="plan-row" data-id=id.0.to_string() class:kept=!ticked>
            <td>
                <input type="checkbox" checked=ticked disabled=!can_tick on:change=toggle
                    aria-label=format!("Delete deployment {}", id.0)/>
            </td>
            <td><a href=href>{id.0}</a></td>
            <td><Clip text=item.environment.clone()/></td>
            <td class="ref"><Clip text=item.git_ref.clone()/></td>
            <td><StateBadge state=item.latest/></td>
            <td data-testid="plan-action">{item.action().label()}</td>
            <td class="muted" data-testid="plan-reason">{item.reason().describe()}</td>
        </tr>
    }
}

/// The last step before anything is sent: what will happen, the pace, and the backup.
#[component]
fn Confirm(
    api: Api,
    location: AppLocation,
    plan: Memo<Option<CleanupPlan>>,
    deployments: RwSignal<Vec<Deployment>>,
    on_start: impl Fn() + Clone + Send + Sync + 'static,
    on_back: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let counts = move || plan.with(|p| p.as_ref().map(CleanupPlan::counts).unwrap_or_default());
    let backup = RwSignal::new(None::<Result<usize, ApiError>>);
    let backing_up = RwSignal::new(None::<(usize, usize)>);
    let make_backup = {
        let (api, location) = (api.clone(), location.clone());
        move |_| {
            let Some(plan) = plan.get_untracked() else {
                return;
            };
            let ids: Vec<DeploymentId> = plan.to_delete().map(|i| i.id).collect();
            let total = ids.len();
            let entries: Vec<(Deployment, Vec<DeploymentStatus>)> =
                deployments.with_untracked(|ds| {
                    ids.iter()
                        .filter_map(|id| ds.iter().find(|d| d.id == *id).cloned())
                        .map(|d| (d, Vec::new()))
                        .collect()
                });
            let entries = Rc::new(RefCell::new(entries));
            let failure = Rc::new(RefCell::new(None::<ApiError>));
            backing_up.set(Some((0, total)));
            backup.set(None);
            let (api, location) = (api.clone(), location.clone());
            spawn_local(async move {
                let indexes: Vec<usize> = (0..total).collect();
                bounded(indexes, READERS, {
                    let (api, repo, entries, failure) = (
                        api.clone(),
                        location.repo.clone(),
                        entries.clone(),
                        failure.clone(),
                    );
                    move |index| {
                        let (api, repo, entries, failure) =
                            (api.clone(), repo.clone(), entries.clone(), failure.clone());
                        async move {
                            if failure.borrow().is_some() {
                                return;
                            }
                            let id = entries.borrow()[index].0.id;
                            match api.statuses(&repo, id).await {
                                Ok(statuses) => {
                                    entries.borrow_mut()[index].1 = statuses;
                                    backing_up.try_update(|b| {
                                        if let Some((done, _)) = b {
                                            *done += 1
                                        }
                                    });
                                }
                                Err(error) => *failure.borrow_mut() = Some(error),
                            }
                        }
                    }
                })
                .await;
                backing_up.try_set(None);
                let failed = failure.borrow_mut().take();
                match failed {
                    Some(error) => {
                        backup.try_set(Some(Err(error)));
                    }
                    None => {
                        let text =
                            backup_json(&location.repo.to_string(), now(), &entries.borrow());
                        download(
                            &text,
                            "application/json",
                            &format!(
                                "deployments-backup-{}-{}.json",
                                location.repo.owner, location.repo.name
                            ),
                        );
                        backup.try_set(Some(Ok(total)));
                    }
                }
            });
        }
    };
    let github_com = api.is_github_com();
    let spacing = RwSignal::new(String::from("0"));
    let set_spacing = {
        let api = api.clone();
        move |ev| {
            let text = event_target_value(&ev);
            spacing.set(text.clone());
            api.set_write_spacing(text.trim().parse().unwrap_or(0));
        }
    };
    let pace = if github_com {
        "Paced to GitHub's secondary limits: one change at a time about a second apart, at most 80 “inactive” statuses a minute and 500 an hour. A rate-limit answer pauses the run until GitHub allows more; it then continues by itself."
    } else {
        "GitHub Enterprise Server has no rate limits unless its administrator set them: changes go out four at a time with no pause. If your server limits requests, set a pause below."
    };
    let (start, back) = (on_start.clone(), on_back.clone());
    view! {
        <section class="confirm" aria-labelledby="confirm-heading" data-testid="confirm">
            <h2 id="confirm-heading">"Before anything is deleted"</h2>
            <p data-testid="confirm-summary">{move || {
                let c = counts();
                format!(
                    "Deploydeck will post {} “inactive” status(es) and delete {} deployment(s) from {} on {}. Deleted deployments cannot be restored; environments are not touched.",
                    c.deactivate_then_delete, c.deletions(), location.repo, location.host.label()
                )
            }}</p>
            <p class="muted">{pace}</p>
            <Show when=move || !github_com>
                <div class="field inline">
                    <label for="cleanup-spacing">"Pause between changes (ms, 0 for none)"</label>
                    <input id="cleanup-spacing" type="text" inputmode="numeric" prop:value=move || spacing.get() on:input=set_spacing.clone()/>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="button" on:click=make_backup disabled=move || backing_up.with(Option::is_some) data-testid="backup">
                    "Download a backup first (JSON: each deployment with all its statuses)"
                </button>
            </div>
            <p role="status" aria-live="polite" data-testid="backup-status">{move || match (backing_up.get(), backup.get()) {
                (Some((done, total)), _) => format!("Reading statuses for the backup: {done} of {total}"),
                (None, Some(Ok(n))) => format!("Backup downloaded: {n} deployment(s) with their statuses."),
                _ => String::new(),
            }}</p>
            {move || match backup.get() {
                Some(Err(error)) => view! { <ErrorPanel error context="The backup could not be made"/> }.into_any(),
                _ => ().into_any(),
            }}
            <div class="actions">
                <button type="button" class="button danger" on:click=move |_| start() data-testid="start-run">
                    {move || format!("Delete {} deployment(s)", counts().deletions())}
                </button>
                <button type="button" class="button subtle" on:click=move |_| back()>"Back to the plan"</button>
            </div>
        </section>
    }
}
