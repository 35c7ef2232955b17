//! The run: a plan carried out one request at a time, resumably — its items' states, the next step, each
//! answer recorded (a deletion follows `api::deletion`), pause, resume, cancel, retry — its progress and the
//! header's badge, and the run as kept between reloads.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::api::deletion::{self, AfterAnswer, DeleteStep};
use crate::api::response::ApiError;
use crate::github::model::DeploymentId;
use crate::timestamp::Timestamp;

use crate::text::one_line;

use super::plan::{Action, CleanupPlan, PlanCounts, MAX_PACE_MS};
use super::select::Write;

/// One request of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// `POST …/statuses` with `state: inactive`.
    Deactivate,
    /// `DELETE …/deployments/{id}`.
    Delete,
    /// `POST …/statuses` with the run's status write.
    Status,
}

impl Step {
    /// The step of a deletion's sequence this is (core's `deletion`); `None` for a status run's step.
    pub fn deletion(self) -> Option<DeleteStep> {
        match self {
            Step::Deactivate => Some(DeleteStep::Deactivate),
            Step::Delete => Some(DeleteStep::Delete),
            Step::Status => None,
        }
    }
}

/// Where one item of a run stands. Read back through one flat record ([`ItemRecord`]), in the form written here:
/// serde's derive would buffer each item, and the error in it, through its generic `Content` (why: `api::records`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", try_from = "ItemRecord")]
pub enum ItemState {
    Pending { next: Step },
    InFlight { step: Step },
    Done { already_gone: bool },
    Failed { step: Step, error: ApiError },
    Skipped,
}

/// [`ItemState`] as written: `state` and the union of every variant's fields.
#[derive(Deserialize)]
struct ItemRecord {
    state: String,
    next: Option<Step>,
    step: Option<Step>,
    already_gone: Option<bool>,
    error: Option<ApiError>,
}

impl TryFrom<ItemRecord> for ItemState {
    type Error = String;

    fn try_from(r: ItemRecord) -> Result<ItemState, String> {
        use crate::api::records::{need, unknown};
        Ok(match r.state.as_str() {
            "pending" => ItemState::Pending {
                next: need(r.next, "next")?,
            },
            "in_flight" => ItemState::InFlight {
                step: need(r.step, "step")?,
            },
            "done" => ItemState::Done {
                already_gone: need(r.already_gone, "already_gone")?,
            },
            "failed" => ItemState::Failed {
                step: need(r.step, "step")?,
                error: need(r.error, "error")?,
            },
            "skipped" => ItemState::Skipped,
            other => return Err(unknown("state", other)),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunItem {
    pub id: DeploymentId,
    pub environment: String,
    #[serde(default)]
    pub git_ref: String,
    #[serde(default)]
    pub sha: String,
    pub action: Action,
    pub state: ItemState,
    /// GitHub refused its DELETE while it was active (the docs' stricter rule), so an `inactive` status was
    /// posted and the DELETE sent once more.
    #[serde(default)]
    pub refused_while_active: bool,
}

impl RunItem {
    /// The item's outcome in a word or two, for the table and the report.
    pub fn outcome(&self) -> &'static str {
        match (self.action, &self.state) {
            (
                Action::PostStatus,
                ItemState::Done {
                    already_gone: false,
                },
            ) => "status posted",
            (_, state) => state.outcome(),
        }
    }

    /// Why an `inactive` status is (or was) posted before deleting it, if one is.
    pub fn inactive_first(&self) -> Option<&'static str> {
        if self.refused_while_active {
            Some("GitHub refused to delete it while active")
        } else if self.action == Action::DeactivateThenDelete {
            Some("active: the newest success of its environment")
        } else {
            None
        }
    }
}

/// Whether the run hands out steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Paused,
    /// Cancelled by the user: pending items were skipped.
    Cancelled,
}

/// What recording an answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// The deactivation is done; the delete is next.
    Deactivated,
    /// The item is done.
    Finished,
    /// The item failed; `retry_failed` puts it back.
    Failed,
    /// A rate limit: the step goes back to pending, to be sent again once the budget allows.
    Requeued,
    /// GitHub refused the DELETE while the deployment is active: an `inactive` status is next, then the
    /// DELETE again.
    RefusedWhileActive,
    /// No such step was in flight (a stale answer after a restore): nothing changed.
    Ignored,
}

/// The header's indicator of a run in the background ([`Progress::badge`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunBadge {
    /// A few words: "Cleanup 120/500 · waiting · 2 failed".
    pub text: String,
    /// The whole sentence, for a screen reader and a pointer's title.
    pub label: String,
    /// Some items failed: the header marks it.
    pub alert: bool,
}

/// Counts for the progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub total: usize,
    pub done: usize,
    pub failed: usize,
    pub pending: usize,
    pub in_flight: usize,
    pub skipped: usize,
    /// Requests still needed by pending and in-flight items.
    pub requests_left: usize,
    /// Of those, the DELETEs (the rest create content: statuses, which GitHub paces more strictly).
    #[serde(default)]
    pub deletes_left: usize,
}

impl Progress {
    /// "12 of 40 done, 1 failed, 27 remaining, 3 skipped".
    pub fn summary(&self) -> String {
        let skipped = if self.skipped > 0 {
            format!(", {} skipped", self.skipped)
        } else {
            String::new()
        };
        format!(
            "{} of {} done, {} failed, {} remaining{skipped}",
            self.done,
            self.total,
            self.failed,
            self.pending + self.in_flight,
        )
    }

    /// Nothing pending and nothing in flight.
    pub fn is_settled(&self) -> bool {
        self.pending == 0 && self.in_flight == 0
    }

    /// The header's compact account of a run that goes on while other screens are open: a few words
    /// ("Cleanup 120/500 · 2 failed"), and the sentence a screen reader hears ("Cleanup of acme/tidy: 120 of
    /// 500 done, 2 failed, waiting for GitHub's rate limit. Open the run."). `waiting`: a rate limit holds
    /// the run back (it continues by itself).
    pub fn badge(&self, status: RunStatus, waiting: bool, repository: &str) -> RunBadge {
        let handled = self.done + self.failed + self.skipped;
        let (word, state) = match (status, self.is_settled()) {
            (RunStatus::Cancelled, true) => ("Cleanup cancelled", Some("cancelled")),
            (_, true) => ("Cleanup done", Some("finished")),
            (RunStatus::Paused, false) => ("Cleanup paused", Some("paused")),
            (RunStatus::Cancelled, false) => ("Cancelling", Some("cancelling")),
            (RunStatus::Running, false) if waiting => {
                ("Cleanup", Some("waiting for GitHub's rate limit"))
            }
            (RunStatus::Running, false) => ("Cleanup", None),
        };
        let mut text = format!("{word} {handled}/{}", self.total);
        if waiting && status == RunStatus::Running && !self.is_settled() {
            text.push_str(" · waiting");
        }
        if self.failed > 0 {
            text.push_str(&format!(" · {} failed", self.failed));
        }
        let mut label = format!(
            "Cleanup of {}: {} of {} done",
            one_line(repository),
            self.done,
            self.total
        );
        if self.failed > 0 {
            label.push_str(&format!(", {} failed", self.failed));
        }
        if let Some(state) = state {
            label.push_str(&format!(", {state}"));
        }
        label.push_str(". Open the run.");
        RunBadge {
            text,
            label,
            alert: self.failed > 0,
        }
    }

    /// The run panel's heading for a run in `status` with this progress.
    pub fn heading(&self, status: RunStatus) -> &'static str {
        match (status, self.is_settled()) {
            (RunStatus::Cancelled, true) => "Cleanup cancelled",
            (_, true) if self.failed > 0 => "Cleanup finished: some items failed",
            (_, true) => "Cleanup finished",
            (RunStatus::Paused, false) => "Cleanup paused",
            (RunStatus::Cancelled, false) => "Cancelling…",
            (RunStatus::Running, false) => "Cleaning up…",
        }
    }

    /// "About 3 min 20 s left" while a run goes on: from the pace so far once a few answers are in, else
    /// from the connection's own estimate (`estimate_writes_ms(creates, deletes)`), plus a rate limit's
    /// wait still ahead (`held_ms`), which the pace so far knows nothing of.
    pub fn time_left(
        &self,
        status: RunStatus,
        answered: usize,
        elapsed_ms: u64,
        held_ms: u64,
        estimate_writes_ms: impl FnOnce(u32, u32) -> u64,
    ) -> Option<String> {
        if self.requests_left == 0 || status != RunStatus::Running {
            return None;
        }
        let ms = eta_ms(answered, elapsed_ms, self.requests_left).unwrap_or_else(|| {
            let deletes = self.deletes_left as u32;
            let creates = (self.requests_left as u32).saturating_sub(deletes);
            estimate_writes_ms(creates, deletes)
        });
        Some(format!(
            "About {} left",
            crate::text::format_duration(((ms + held_ms) / 1000) as i64)
        ))
    }
}

/// Carries a plan out. Serialisable so it survives a reload; deterministic: the next step is always the
/// first pending item in plan order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanupRun {
    pub status: RunStatus,
    pub items: Vec<RunItem>,
    /// Requests handed out so far (resends after a failure, a rate limit or a reload included): the
    /// report compares it with what the plan needed.
    #[serde(default)]
    pub requests_sent: usize,
    /// What each item gets: deleted, or the status posted.
    #[serde(default)]
    pub write: Write,
}

impl CleanupRun {
    /// A run over every row of `plan` that is not kept.
    pub fn new(plan: &CleanupPlan) -> Self {
        CleanupRun {
            status: RunStatus::Running,
            items: plan
                .to_delete()
                .map(|item| RunItem {
                    id: item.id,
                    environment: item.environment.clone(),
                    git_ref: item.git_ref.clone(),
                    sha: item.sha.clone(),
                    action: item.action(),
                    state: ItemState::Pending {
                        next: match item.action() {
                            Action::DeactivateThenDelete => Step::Deactivate,
                            Action::PostStatus => Step::Status,
                            _ => Step::Delete,
                        },
                    },
                    refused_while_active: false,
                })
                .collect(),
            requests_sent: 0,
            write: plan.selection.write.clone(),
        }
    }

    /// After a reload: answers to in-flight requests were lost, so those steps go back to pending. A lost
    /// DELETE that did happen answers 404 when resent, which counts as done; a lost deactivation is sent
    /// again (a second `inactive` status is harmless).
    pub fn restore(&mut self) {
        for item in &mut self.items {
            if let ItemState::InFlight { step } = item.state {
                item.state = ItemState::Pending { next: step };
            }
        }
    }

    /// The next request to send, marked in flight; `None` when paused, cancelled or nothing is pending.
    pub fn next_step(&mut self) -> Option<(DeploymentId, Step)> {
        if self.status != RunStatus::Running {
            return None;
        }
        let item = self
            .items
            .iter_mut()
            .find(|i| matches!(i.state, ItemState::Pending { .. }))?;
        let ItemState::Pending { next } = item.state else {
            return None;
        };
        item.state = ItemState::InFlight { step: next };
        self.requests_sent += 1;
        Some((item.id, next))
    }

    /// Records the answer to a step handed out by [`CleanupRun::next_step`].
    pub fn record(
        &mut self,
        id: DeploymentId,
        step: Step,
        result: Result<(), ApiError>,
    ) -> Recorded {
        let Some(item) = self
            .items
            .iter_mut()
            .find(|i| i.id == id && i.state == ItemState::InFlight { step })
        else {
            return Recorded::Ignored;
        };
        let (state, recorded) = match step.deletion() {
            // The deletion's own sequence (core's `deletion`), as the single delete follows it too.
            Some(delete_step) => {
                match deletion::after(delete_step, result, item.refused_while_active) {
                    AfterAnswer::Next(DeleteStep::Delete) => (
                        ItemState::Pending { next: Step::Delete },
                        Recorded::Deactivated,
                    ),
                    AfterAnswer::Next(DeleteStep::Deactivate) => (
                        ItemState::Pending {
                            next: Step::Deactivate,
                        },
                        Recorded::Requeued,
                    ),
                    AfterAnswer::RefusedWhileActive => {
                        item.refused_while_active = true;
                        (
                            ItemState::Pending {
                                next: Step::Deactivate,
                            },
                            Recorded::RefusedWhileActive,
                        )
                    }
                    AfterAnswer::Deleted { already_gone } => {
                        (ItemState::Done { already_gone }, Recorded::Finished)
                    }
                    AfterAnswer::Again => (ItemState::Pending { next: step }, Recorded::Requeued),
                    AfterAnswer::Failed(error) => {
                        (ItemState::Failed { step, error }, Recorded::Failed)
                    }
                }
            }
            // A status run's one step: posted, or gone already, or waiting out a limit, or failed.
            None => match result {
                Ok(()) => (
                    ItemState::Done {
                        already_gone: false,
                    },
                    Recorded::Finished,
                ),
                Err(ApiError::NotFound { .. }) => {
                    (ItemState::Done { already_gone: true }, Recorded::Finished)
                }
                Err(ApiError::RateLimited { .. }) => {
                    (ItemState::Pending { next: step }, Recorded::Requeued)
                }
                Err(error) => (ItemState::Failed { step, error }, Recorded::Failed),
            },
        };
        item.state = state;
        recorded
    }

    pub fn pause(&mut self) {
        if self.status == RunStatus::Running {
            self.status = RunStatus::Paused;
        }
    }

    pub fn resume(&mut self) {
        if self.status == RunStatus::Paused {
            self.status = RunStatus::Running;
        }
    }

    /// Stops handing out steps; pending items are skipped. In-flight answers are still recorded.
    pub fn cancel(&mut self) {
        self.status = RunStatus::Cancelled;
        for item in &mut self.items {
            if matches!(item.state, ItemState::Pending { .. }) {
                item.state = ItemState::Skipped;
            }
        }
    }

    /// Puts every failed item back at the step that failed. Returns how many.
    pub fn retry_failed(&mut self) -> usize {
        let mut count = 0;
        for item in &mut self.items {
            if let ItemState::Failed { step, .. } = item.state {
                item.state = ItemState::Pending { next: step };
                count += 1;
            }
        }
        if count > 0 && self.status == RunStatus::Cancelled {
            self.status = RunStatus::Running;
        }
        count
    }

    pub fn progress(&self) -> Progress {
        let mut p = Progress {
            total: self.items.len(),
            ..Progress::default()
        };
        for item in &self.items {
            match &item.state {
                ItemState::Pending { next: step } | ItemState::InFlight { step } => {
                    if matches!(item.state, ItemState::Pending { .. }) {
                        p.pending += 1;
                    } else {
                        p.in_flight += 1;
                    }
                    p.requests_left += steps_from(*step);
                    p.deletes_left += usize::from(*step != Step::Status);
                }
                ItemState::Done { .. } => p.done += 1,
                ItemState::Failed { .. } => p.failed += 1,
                ItemState::Skipped => p.skipped += 1,
            }
        }
        p
    }

    /// Nothing pending or in flight.
    pub fn is_settled(&self) -> bool {
        self.progress().is_settled()
    }

    /// The deployments this run has removed (deleted, or found already gone): History and the overview
    /// leave them out while the run goes on elsewhere in the app.
    pub fn gone(&self) -> HashSet<DeploymentId> {
        self.items
            .iter()
            .filter(|i| i.action != Action::PostStatus && matches!(i.state, ItemState::Done { .. }))
            .map(|i| i.id)
            .collect()
    }

    /// Failures grouped by message, for the summary above the failed rows.
    pub fn failures_by_message(&self) -> BTreeMap<String, Vec<DeploymentId>> {
        let mut map: BTreeMap<String, Vec<DeploymentId>> = BTreeMap::new();
        for item in &self.items {
            if let ItemState::Failed { error, .. } = &item.state {
                map.entry(error.to_string()).or_default().push(item.id);
            }
        }
        map
    }
}

fn steps_from(step: Step) -> usize {
    match step {
        Step::Deactivate => 2,
        Step::Delete | Step::Status => 1,
    }
}

impl ItemState {
    /// The item's outcome in a word or two, for the table and the report.
    pub fn outcome(&self) -> &'static str {
        match self {
            ItemState::Pending { .. } => "pending",
            ItemState::InFlight { .. } => "in progress",
            ItemState::Done {
                already_gone: false,
            } => "deleted",
            ItemState::Done { already_gone: true } => "already gone",
            ItemState::Failed { .. } => "failed",
            ItemState::Skipped => "skipped",
        }
    }
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::Deactivate => "posting the inactive status",
            Step::Delete => "deleting",
            Step::Status => "posting the status",
        }
    }
}

/// A run as kept in the browser's storage between reloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRun {
    /// `owner/repo` on its host, for the report.
    pub repository: String,
    pub started_at: Timestamp,
    /// What the plan needed: the requests a run without failures makes.
    pub planned: PlanCounts,
    pub run: CleanupRun,
    /// The pause between changes the run was started with (ms; GHES's setting — github.com keeps GitHub's
    /// own limits whatever this says), so that a tab taking the run over, or this one after a reload, sends
    /// at the pace the user chose rather than at its connection's default. `None` in runs kept before it was
    /// recorded: the connection's pace then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace_ms: Option<u64>,
}

impl SavedRun {
    /// The pause between changes to send this run at, capped ([`MAX_PACE_MS`]); `None`: the connection's.
    pub fn pace(&self) -> Option<u64> {
        self.pace_ms.map(|ms| ms.min(MAX_PACE_MS))
    }

    /// "Requests sent: 12 (the plan needed 10; GitHub refused 1 delete as active: it got an “inactive” status
    /// and was deleted again)."
    pub fn requests_sentence(&self) -> String {
        let refused = self
            .run
            .items
            .iter()
            .filter(|i| i.refused_while_active)
            .count();
        let why = match refused {
            0 => String::new(),
            1 => "; GitHub refused 1 delete as active: it got an “inactive” status and was deleted again".to_owned(),
            n => format!("; GitHub refused {n} deletes as active: each got an “inactive” status and was deleted again"),
        };
        format!(
            "Requests sent: {} (the plan needed {}{why}).",
            self.run.requests_sent, self.planned.requests
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A kept run as the tab running it left it (steps in flight still in flight): what a tab that follows
    /// it shows.
    pub fn from_json_as_kept(text: &str) -> Option<SavedRun> {
        serde_json::from_str(text).ok()
    }

    /// A kept run, ready to continue: answers lost with the page are sent again ([`CleanupRun::restore`]).
    /// `None` for anything unreadable (an older format, or edited by hand).
    pub fn from_json(text: &str) -> Option<SavedRun> {
        let mut saved: SavedRun = serde_json::from_str(text).ok()?;
        saved.run.restore();
        Some(saved)
    }
}

/// What a rate limit's hold means for a run: which limit, how long, and that nothing needs doing.
pub fn hold_note(left_ms: u64, limit: crate::api::response::RateLimitKind) -> String {
    let which = match limit {
        crate::api::response::RateLimitKind::Primary => "GitHub's hourly rate limit is used up",
        crate::api::response::RateLimitKind::Secondary => {
            "GitHub asked to slow down (secondary rate limit)"
        }
    };
    format!(
        "{which}: waiting {} before the next request. The run continues by itself; you can leave it running.",
        crate::text::format_duration(left_ms.div_ceil(1000) as i64)
    )
}

/// The time left, from the pace so far: `None` until a few requests have been answered.
pub fn eta_ms(requests_answered: usize, elapsed_ms: u64, requests_left: usize) -> Option<u64> {
    if requests_answered < 3 || elapsed_ms == 0 {
        return None;
    }
    Some(elapsed_ms.saturating_mul(requests_left as u64) / requests_answered as u64)
}
