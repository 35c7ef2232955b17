//! A cleanup run's panel: progress, what holds the run back, failures (with a retry), and the report. The
//! run itself is carried out by the app's `runs::Runner`, so it goes on while other screens are open.

use std::collections::BTreeMap;

use deploydeck_core::cleanup::{
    hold_note, report_csv, report_json, ItemState, Progress, RunCommand, RunStatus, SavedRun, Write,
};
use deploydeck_core::history::ExportFormat;
use deploydeck_core::model::DeploymentId;
use deploydeck_core::text::count;
use leptos::prelude::*;

use crate::clock::{every, now, now_ms};
use crate::components::Clip;
use crate::download::download;
use crate::runs::Runner;

use super::environments::EmptyEnvironmentsEntry;
use super::script::ScriptDownload;

/// How often the progress (ETA, a rate-limit wait) is redrawn while the panel is on screen.
const TICK_MS: u64 = 1_000;

#[component]
pub(crate) fn RunPanel(runner: Runner) -> impl IntoView {
    let run = RwSignal::from(runner.run.clone());
    let restored = runner.restored.get_value();
    let role = RwSignal::from(runner.role.clone());
    let kept = RwSignal::from(runner.kept.clone());
    let script_location = runner.location.clone();
    let (location, environments_api) = (
        StoredValue::new(runner.location.clone()),
        StoredValue::new(runner.api.clone()),
    );
    let api = runner.api.clone();
    let clock = RwSignal::new(now_ms());
    every(TICK_MS, move |_| clock.set(now_ms()));
    let progress = Memo::new(move |_| {
        run.with(|r| r.as_ref().map(|s| s.run.progress()))
            .unwrap_or_default()
    });
    let status = Memo::new(move |_| run.with(|r| r.as_ref().map(|s| s.run.status)));
    // No run is settled too: its progress is empty.
    let settled = Memo::new(move |_| progress.get().is_settled());

    // What holds the run back: GitHub's rate limit (it continues by itself), or a pause.
    let hold = {
        let api = api.clone();
        move || {
            clock.track();
            // When the wait is not the server's own (a reset already past here, a wait of days asked), core
            // says why after the note.
            api.hold_left()
                .map(|(left_ms, limit)| match api.hold_note() {
                    Some(why) => format!("{} {why}", hold_note(left_ms, limit)),
                    None => hold_note(left_ms, limit),
                })
        }
    };
    let eta = {
        let (api, runner) = (api.clone(), runner.clone());
        move || {
            clock.track();
            // The pace is the running tab's: another tab's estimate would be a guess.
            if !runner.role.get().sends() {
                return None;
            }
            let elapsed = (now_ms() - runner.since.get_value()).max(0.0) as u64;
            let held = api.hold_left().map_or(0, |(left_ms, _)| left_ms);
            progress.get().time_left(
                status.get()?,
                runner.answered.get_value(),
                elapsed,
                held,
                |creates, deletes| api.estimate_writes_ms(creates, deletes),
            )
        }
    };
    let summary = move || progress.get().summary();
    let requests = move || run.with(|r| r.as_ref().map(SavedRun::requests_sentence));
    let heading = move || {
        progress
            .get()
            .heading(status.get().unwrap_or(RunStatus::Running))
    };
    // Once the run is over and its panel on screen, the header no longer needs to point to it.
    Effect::new({
        let runner = runner.clone();
        move |_| {
            if settled.get() {
                runner.seen();
            }
        }
    });
    let rest = Signal::derive(move || run.with(|r| r.as_ref().map(|s| s.run.clone())));
    view! {
        <div class="cleanup-run" data-testid="cleanup-run">
            <h2 data-testid="run-heading">{heading}</h2>
            {move || role.get().note().filter(|_| !settled.get()).map(|note| view! { <p class="notice" role="status" data-testid="run-tab">{note}</p> })}
            <Show when=move || restored && !settled.get() && role.get().sends()>
                <p class="notice" data-testid="run-restored">"This run was kept on this device and continues where it stopped: nothing already done is sent again."</p>
            </Show>
            <progress
                max=move || progress.get().total.max(1)
                value=move || progress.get().done + progress.get().failed + progress.get().skipped
                aria-label="Cleanup progress"
                data-testid="run-progress"
            ></progress>
            <p role="status" aria-live="polite" data-testid="run-summary">{summary}</p>
            <Show when=move || !settled.get() && kept.get() && role.get().sends()>
                <p class="muted">"The run goes on while you use the rest of the app on this host: History, a deployment's page, another repository (the header shows how it goes). It is kept on this device: after a reload, or if the connection is closed, it continues where it stopped when you come back to this Cleanup."</p>
            </Show>
            <Show when=move || !settled.get() && !kept.get()>
                <p class="notice" role="alert" data-testid="run-not-kept">"This run could not be kept on this device: the browser's storage for this site is full (or turned off). It goes on while this tab stays open, but a reload or closing the tab stops it; what is left would then have to be planned again. Keep this tab open until it finishes."</p>
            </Show>
            <p class="muted" data-testid="run-eta">{eta}</p>
            <p class="muted" data-testid="run-requests">{requests}</p>
            {move || hold().map(|text| view! { <p class="notice" role="status" data-testid="run-hold">{text}</p> })}
            <RunControls runner=runner.clone() progress status settled/>
            <Show when=move || !settled.get() && status.get() == Some(RunStatus::Paused)>
                <ScriptDownload api=api.clone() location=script_location.clone() run=rest
                    pace_changed=Signal::stored(String::new()) allowed=Signal::stored(true)
                    heading="Or finish it elsewhere"
                    note="Leave this run paused here (or cancel the rest) while the script runs, so the two do not send the same requests."/>
            </Show>
            <RunFailures run/>
            <Show when=move || settled.get()>
                <RunReport runner=runner.clone()/>
                // A status run deletes nothing: no environment is left empty by it.
                <Show when=move || run.with(|r| r.as_ref().is_some_and(|s| s.run.write == Write::Delete))>
                    <EmptyEnvironmentsEntry api=environments_api.get_value() location=location.get_value()/>
                </Show>
            </Show>
            <RunItems run/>
        </div>
    }
}

/// Pause, resume, cancel the rest, retry the failed.
#[component]
fn RunControls(
    runner: Runner,
    progress: Memo<Progress>,
    status: Memo<Option<RunStatus>>,
    settled: Memo<bool>,
) -> impl IntoView {
    // Carried out here, or sent to the tab that runs the run.
    let command = move |command: RunCommand| {
        let runner = runner.clone();
        move |_| runner.command(command)
    };
    let (pause, resume, cancel, retry) = (
        command(RunCommand::Pause),
        command(RunCommand::Resume),
        command(RunCommand::Cancel),
        command(RunCommand::RetryFailed),
    );
    view! {
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
    }
}

/// The failures, grouped by what GitHub said.
#[component]
fn RunFailures(run: RwSignal<Option<SavedRun>>) -> impl IntoView {
    let failures = Memo::new(move |_| {
        run.with(|r| {
            r.as_ref()
                .map(|s| s.run.failures_by_message())
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || !failures.with(BTreeMap::is_empty)>
            <h3>"Failed"</h3>
            <ul class="failures" data-testid="run-failures">
                {move || failures.get().into_iter().map(|(message, ids)| view! {
                    <li>
                        <strong>{format!("{}: ", count(ids.len(), "deployment", "deployments"))}</strong>
                        {message}
                        <span class="muted">{format!(" ({})", ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(", "))}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="muted">"Failed items stay in the run: “Retry failed” sends only them, from the step that failed."</p>
        </Show>
    }
}

/// Items the on-screen report lists at most (the downloaded report has every one).
const REPORT_ROWS: usize = 200;

/// Once the run is over: what happened to each deployment, on screen and as JSON or CSV, and the way to plan
/// another cleanup.
#[component]
fn RunReport(runner: Runner) -> impl IntoView {
    let run = RwSignal::from(runner.run.clone());
    let report = move |format: ExportFormat| {
        run.with_untracked(|r| {
            if let Some(saved) = r {
                let (text, mime, name) = match format {
                    ExportFormat::Csv => (report_csv(&saved.run), "text/csv", "cleanup-report.csv"),
                    ExportFormat::Json => (
                        report_json(saved, now()),
                        "application/json",
                        "cleanup-report.json",
                    ),
                };
                download(&text, mime, name);
            }
        })
    };
    let start_over = move |_| runner.forget();
    type ReportRow = (DeploymentId, String, String, &'static str);
    let items = Memo::new(move |_| -> (Vec<ReportRow>, usize) {
        run.with(|r| {
            r.as_ref()
                .map(|s| {
                    let rows = s.run.items.iter().take(REPORT_ROWS);
                    let rows =
                        rows.map(|i| (i.id, i.environment.clone(), i.git_ref.clone(), i.outcome()));
                    (rows.collect(), s.run.items.len())
                })
                .unwrap_or_default()
        })
    });
    view! {
        <div class="actions" data-testid="run-report">
            <button type="button" class="button" on:click=move |_| report(ExportFormat::Json) data-testid="report-json">"Download the report (JSON)"</button>
            <button type="button" class="button" on:click=move |_| report(ExportFormat::Csv) data-testid="report-csv">"Download the report (CSV)"</button>
            <button type="button" class="button subtle" on:click=start_over data-testid="run-start-over">"Plan another cleanup"</button>
        </div>
        <details class="run-report-list" data-testid="run-report-list">
            <summary>{move || format!("What happened to each of the {}", count(items.with(|i| i.1), "deployment", "deployments"))}</summary>
            <table class="deployments cards">
                <caption class="visually-hidden">"The cleanup report: each deployment and its outcome"</caption>
                <thead><tr><th scope="col">"Deployment"</th><th scope="col">"Outcome"</th><th scope="col">"Environment"</th><th scope="col">"Ref"</th></tr></thead>
                <tbody>
                    {move || items.get().0.into_iter().map(|(id, environment, git_ref, outcome)| view! {
                        <tr data-testid="report-row"><td>{id.0}</td><td>{outcome}</td><td data-label="Environment"><Clip text=environment/></td><td data-label="Ref"><Clip text=git_ref/></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {move || {
                let (shown, total) = items.with(|i| (i.0.len(), i.1));
                (total > shown).then(|| view! { <p class="muted">{format!("and {} more: the downloaded report lists every one.", count(total - shown, "deployment", "deployments"))}</p> })
            }}
        </details>
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
                            (i.id, i.environment.clone(), i.outcome(), detail)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || !rows.with(Vec::is_empty)>
            <table class="deployments run-items cards" data-testid="run-items">
                <caption class="visually-hidden">"Items in progress or failed"</caption>
                <thead><tr><th scope="col">"Deployment"</th><th scope="col">"Environment"</th><th scope="col">"Outcome"</th><th scope="col">"Detail"</th></tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|(id, environment, outcome, detail)| view! {
                        <tr data-testid="run-item"><td>{id.0}</td><td data-label="Environment"><Clip text=environment/></td><td data-label="Outcome">{outcome}</td><td data-label="Detail">{detail}</td></tr>
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
