//! What a run did, as JSON and CSV, and the backup of what it will delete, offered before it starts.

use serde::Serialize;

use crate::github::model::{Deployment, DeploymentId, DeploymentStatus};
use crate::text::csv_line;
use crate::timestamp::Timestamp;

use super::plan::Action;
use super::run::{CleanupRun, ItemState, Progress, RunItem, RunStatus, SavedRun, Step};

#[derive(Serialize)]
struct ReportItem<'a> {
    id: DeploymentId,
    environment: &'a str,
    #[serde(rename = "ref")]
    git_ref: &'a str,
    sha: &'a str,
    action: Action,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    inactive_first: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed_step: Option<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl<'a> ReportItem<'a> {
    fn of(item: &'a RunItem) -> Self {
        let (failed_step, error) = match &item.state {
            ItemState::Failed { step, error } => (Some(*step), Some(error.to_string())),
            _ => (None, None),
        };
        ReportItem {
            id: item.id,
            environment: &item.environment,
            git_ref: &item.git_ref,
            sha: &item.sha,
            action: item.action,
            outcome: item.outcome(),
            inactive_first: item.inactive_first(),
            failed_step,
            error,
        }
    }
}

#[derive(Serialize)]
struct Report<'a> {
    repository: &'a str,
    started_at: Timestamp,
    reported_at: Timestamp,
    status: RunStatus,
    progress: Progress,
    planned_requests: usize,
    requests_sent: usize,
    items: Vec<ReportItem<'a>>,
}

/// What the run did, as JSON: totals, then every item with its outcome and any failure's reason.
pub fn report_json(saved: &SavedRun, now: Timestamp) -> String {
    let report = Report {
        repository: &saved.repository,
        started_at: saved.started_at,
        reported_at: now,
        status: saved.run.status,
        progress: saved.run.progress(),
        planned_requests: saved.planned.requests,
        requests_sent: saved.run.requests_sent,
        items: saved.run.items.iter().map(ReportItem::of).collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// What the run did, as CSV (quoted and formula-safe like the History export: `text::csv_line`), one line per
/// item.
pub fn report_csv(run: &CleanupRun) -> String {
    let mut out = csv_line(&[
        "id",
        "environment",
        "ref",
        "sha",
        "action",
        "outcome",
        "inactive_first",
        "failed_step",
        "error",
    ]);
    for item in &run.items {
        let row = ReportItem::of(item);
        out.push_str(&csv_line(&[
            row.id.0.to_string(),
            row.environment.to_owned(),
            row.git_ref.to_owned(),
            row.sha.to_owned(),
            row.action.label().to_owned(),
            row.outcome.to_owned(),
            row.inactive_first.unwrap_or_default().to_owned(),
            row.failed_step
                .map(|s| s.label().to_owned())
                .unwrap_or_default(),
            row.error.unwrap_or_default(),
        ]));
    }
    out
}

#[derive(Serialize)]
struct BackupEntry<'a> {
    deployment: &'a Deployment,
    statuses: &'a [DeploymentStatus],
}

#[derive(Serialize)]
struct Backup<'a> {
    repository: &'a str,
    made_at: Timestamp,
    deployments: Vec<BackupEntry<'a>>,
}

/// The backup offered before a run: every planned deployment as GitHub sent it, with all its statuses.
pub fn backup_json(
    repository: &str,
    made_at: Timestamp,
    entries: &[(Deployment, Vec<DeploymentStatus>)],
) -> String {
    let backup = Backup {
        repository,
        made_at,
        deployments: entries
            .iter()
            .map(|(deployment, statuses)| BackupEntry {
                deployment,
                statuses,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&backup).unwrap_or_default()
}
