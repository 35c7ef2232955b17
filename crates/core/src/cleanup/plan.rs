//! The plan: every listed deployment with what happens to it and why — the guard rails (live, production,
//! may be running) keep what the rules alone must never delete — its counts, the rows a page shows, the
//! confirmation's kinds and how long the run takes.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::github::model::{DeploymentId, DeploymentState};
use crate::github::rules::{live_per_environment, DeploymentRecord};
use crate::text::count;
use crate::timestamp::Timestamp;

use super::guard::{keep_reason, Guard, Reason};
use super::select::{Selection, Write, STUCK_STATES};

/// Deleting one deployment from its page, under the same guard rails as a cleanup: what will happen and
/// why. `live`: as for [`Guard::of`]; `include` is the user's tick past a guard rail.
pub fn single_delete(
    record: &DeploymentRecord,
    live: Option<bool>,
    include: bool,
    now: Timestamp,
) -> (Action, Reason) {
    match Guard::of(record, live, now) {
        Some(guard) if !include => (Action::Keep, guard.reason(record, now)),
        // Live is what GitHub calls active; whether it shares its environment is not read here, so it is
        // taken to (the reading that asks for the inactive status).
        _ => delete_proposal(record.latest_state(), live.is_some(), false),
    }
}

/// What the plan does with one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Post an `inactive` status, then DELETE.
    DeactivateThenDelete,
    /// Already inactive: DELETE.
    Delete,
    /// Post the status write's status (nothing is deleted).
    PostStatus,
    Keep,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::DeactivateThenDelete => "Deactivate, then delete",
            Action::Delete => "Delete",
            Action::PostStatus => "Post the status",
            Action::Keep => "Keep",
        }
    }

    /// Requests this action costs.
    pub fn request_count(self) -> usize {
        match self {
            Action::DeactivateThenDelete => 2,
            Action::Delete | Action::PostStatus => 1,
            Action::Keep => 0,
        }
    }
}

/// One row of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub id: DeploymentId,
    pub environment: String,
    pub git_ref: String,
    pub sha: String,
    pub task: String,
    pub creator: Option<String>,
    pub created_at: Timestamp,
    pub latest: Option<DeploymentState>,
    /// What the rules propose.
    pub proposal: Action,
    pub reason: Reason,
    /// The user unticked this row in the preview.
    pub unticked: bool,
    /// What the guard rails say of this deployment, whatever the selection.
    #[serde(default)]
    pub guard: Option<Guard>,
    /// The user ticked this row although a guard rail kept it.
    #[serde(default)]
    pub ticked: bool,
    /// The newest success of its environment: GitHub counts it as active (docs/github-api.md §8.4).
    #[serde(default)]
    pub live: bool,
    /// The plan posts a status rather than deleting (a ticked guarded row gets the status too).
    #[serde(default)]
    pub posts_status: bool,
    /// The only deployment of its environment: GitHub deletes it whatever its state.
    #[serde(default)]
    pub alone: bool,
}

impl PlanItem {
    /// Whether a guard rail (not the selection's rules) is what keeps this row: the user may tick it.
    pub fn kept_by_guard(&self) -> bool {
        self.proposal == Action::Keep
            && matches!(
                self.reason,
                Reason::LiveProduction | Reason::Live | Reason::MayBeRunning { .. }
            )
    }

    /// The row's tick, as a screen reader names it: "Delete deployment 7", "Post the status on deployment 7".
    pub fn tick_label(&self) -> String {
        if self.posts_status {
            format!("Post the status on deployment {}", self.id.0)
        } else {
            format!("Delete deployment {}", self.id.0)
        }
    }

    /// Whether the user may tick or untick this row.
    pub fn can_choose(&self) -> bool {
        self.proposal != Action::Keep || self.kept_by_guard()
    }

    /// What will happen: the proposal, unless the user unticked it, or ticked a row a guard rail kept.
    pub fn action(&self) -> Action {
        if self.unticked {
            Action::Keep
        } else if self.ticked && self.kept_by_guard() && self.posts_status {
            Action::PostStatus
        } else if self.ticked && self.kept_by_guard() {
            delete_proposal(self.latest, self.live, self.alone).0
        } else {
            self.proposal
        }
    }

    pub fn reason(&self) -> Reason {
        if self.unticked {
            Reason::UntickedByUser
        } else if self.ticked && self.kept_by_guard() {
            Reason::TickedByUser {
                was: Box::new(self.reason.clone()),
            }
        } else {
            self.reason.clone()
        }
    }
}

/// How a deployment in state `latest` is deleted (docs/github-api.md §8.4): GitHub refuses the DELETE of an
/// active one — `live`, the newest success of its environment — unless it is `alone` there, so only then is
/// an `inactive` status posted first.
fn delete_proposal(latest: Option<DeploymentState>, live: bool, alone: bool) -> (Action, Reason) {
    let success = latest == Some(DeploymentState::Success);
    if live && success && !alone {
        (
            Action::DeactivateThenDelete,
            Reason::NeedsDeactivation { latest },
        )
    } else if live && success {
        (Action::Delete, Reason::OnlyInEnvironment)
    } else if latest == Some(DeploymentState::Inactive) {
        (Action::Delete, Reason::Inactive)
    } else {
        (Action::Delete, Reason::NotActive { latest })
    }
}

/// The plan's words for a write: they need its counts, so they live here rather than beside [`Write`].
impl Write {
    /// The start button: "Delete 16 deployments", "Post the status on 2 deployments".
    pub fn start_label(&self, counts: &PlanCounts) -> String {
        match self {
            Write::Delete => format!(
                "Delete {}",
                count(counts.deletions(), "deployment", "deployments")
            ),
            Write::Status { .. } => format!(
                "Post the status on {}",
                count(counts.status, "deployment", "deployments")
            ),
        }
    }
}

/// Totals for the live count and the confirmation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCounts {
    pub deactivate_then_delete: usize,
    pub delete: usize,
    /// Deployments that get the status write's status (in the state named).
    #[serde(default)]
    pub status: usize,
    #[serde(default)]
    pub status_state: Option<DeploymentState>,
    pub keep: usize,
    /// Requests the run will make: the minimum this plan needs.
    pub requests: usize,
}

impl PlanCounts {
    /// Statuses the plan posts (an `inactive` one before a deletion, or the status write's).
    pub fn creates(&self) -> usize {
        self.deactivate_then_delete + self.status
    }

    /// Deployments the plan deletes (with or without an `inactive` status first).
    pub fn deletions(&self) -> usize {
        self.deactivate_then_delete + self.delete
    }

    /// The plan's live count: "16 deployments will be deleted (7 marked inactive first), 97 kept; 39
    /// requests to GitHub."
    pub fn sentence(&self) -> String {
        if let Some(state) = self.status_state {
            return format!(
                "{} will get an “{}” status, {} kept; {} to GitHub. Nothing is deleted.",
                count(self.status, "deployment", "deployments"),
                state.label(),
                self.keep,
                count(self.requests, "request", "requests"),
            );
        }
        format!(
            "{} will be deleted ({} marked inactive first), {} kept; {} to GitHub.",
            count(self.deletions(), "deployment", "deployments"),
            self.deactivate_then_delete,
            self.keep,
            count(self.requests, "request", "requests"),
        )
    }
}

/// A reviewable plan: every deployment given, newest first, with its action and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanupPlan {
    pub selection: Selection,
    pub made_at: Timestamp,
    pub items: Vec<PlanItem>,
}

impl CleanupPlan {
    /// Plans `records` under `selection` at time `now`.
    pub fn new(records: &[DeploymentRecord], selection: &Selection, now: Timestamp) -> Self {
        let mut sorted: Vec<&DeploymentRecord> = records.iter().collect();
        crate::order::sort_by_key(&mut sorted, |r| std::cmp::Reverse(r.id()));
        sorted.dedup_by_key(|r| r.id());

        // Every environment's live deployment, and whether the environment is a production one (flagged
        // `production_environment`, or named "production" in any case).
        // Inserted one by one: collecting into a map sorts the pairs first, with a copy of the standard
        // library's sort of its own (crate::order says why that matters).
        let mut live: BTreeMap<DeploymentId, bool> = BTreeMap::new();
        for l in live_per_environment(records).values() {
            let production = crate::github::rules::is_production(&l.environment, l.production);
            live.insert(l.deployment_id, production);
        }

        // GitHub refuses to delete an active deployment — the live one of its environment — only when the
        // environment has others (docs/github-api.md §8.4).
        let mut in_environment: HashMap<&str, usize> = HashMap::new();
        for r in &sorted {
            *in_environment
                .entry(r.deployment.environment.as_str())
                .or_default() += 1;
        }
        let mut rank_in_environment: HashMap<&str, u32> = HashMap::new();
        let posts_status = selection.write != Write::Delete;
        let items = sorted
            .into_iter()
            .map(|record| {
                let d = &record.deployment;
                let rank = rank_in_environment
                    .entry(d.environment.as_str())
                    .or_insert(0);
                *rank += 1;
                let latest = record.latest_state();
                let guard = Guard::within(
                    record,
                    live.get(&d.id).copied(),
                    now,
                    selection.may_be_running_secs(),
                );
                let is_live = live.contains_key(&d.id);
                let alone = in_environment.get(d.environment.as_str()) == Some(&1);
                let (proposal, reason) = match keep_reason(record, *rank, selection, now, guard) {
                    Some(reason) => (Action::Keep, reason),
                    None if posts_status => (Action::PostStatus, Reason::GetsStatus { latest }),
                    None => delete_proposal(latest, is_live, alone),
                };
                PlanItem {
                    id: d.id,
                    environment: d.environment.clone(),
                    git_ref: d.git_ref.clone(),
                    sha: d.sha.clone(),
                    task: d.task.clone(),
                    creator: d.creator_login().map(str::to_owned),
                    created_at: d.created_at,
                    latest,
                    proposal,
                    reason,
                    unticked: false,
                    guard,
                    ticked: false,
                    live: is_live,
                    posts_status,
                    alone,
                }
            })
            .collect();
        CleanupPlan {
            selection: selection.clone(),
            made_at: now,
            items,
        }
    }

    /// Unticks (or ticks again) a row the rules proposed to delete. Returns whether anything changed;
    /// rows the rules keep cannot be ticked.
    pub fn set_unticked(&mut self, id: DeploymentId, unticked: bool) -> bool {
        match self.items.iter_mut().find(|i| i.id == id) {
            Some(item) if item.proposal != Action::Keep && item.unticked != unticked => {
                item.unticked = unticked;
                true
            }
            _ => false,
        }
    }

    /// The user's tick on one row: `delete` false keeps a row the rules would delete; `delete` true
    /// includes a row that only a guard rail kept (one by one, never by a rule). Returns whether anything
    /// changed; a row the selection's rules keep cannot be ticked.
    pub fn choose(&mut self, id: DeploymentId, delete: bool) -> bool {
        let Some(item) = self.items.iter_mut().find(|i| i.id == id) else {
            return false;
        };
        if item.proposal != Action::Keep {
            let changed = item.unticked == delete;
            item.unticked = !delete;
            changed
        } else if item.kept_by_guard() {
            let changed = item.ticked != delete;
            item.ticked = delete;
            changed
        } else {
            false
        }
    }

    pub fn counts(&self) -> PlanCounts {
        let mut counts = PlanCounts::default();
        for item in &self.items {
            let action = item.action();
            match action {
                Action::DeactivateThenDelete => counts.deactivate_then_delete += 1,
                Action::Delete => counts.delete += 1,
                Action::PostStatus => counts.status += 1,
                Action::Keep => counts.keep += 1,
            }
            counts.requests += action.request_count();
        }
        counts.status_state = self.selection.write.status_state();
        counts
    }

    /// The rows the run takes (deleted, or given the status), in plan order.
    pub fn to_delete(&self) -> impl Iterator<Item = &PlanItem> {
        self.items.iter().filter(|i| i.action() != Action::Keep)
    }

    /// What the plan deletes, by kind: for the confirmation, which says exactly what will go.
    pub fn deletion_kinds(&self) -> DeletionKinds {
        let mut kinds = DeletionKinds::default();
        for item in self.to_delete() {
            match item.guard {
                Some(Guard::LiveProduction | Guard::Live) => {
                    kinds.live += 1;
                    if !kinds.live_environments.contains(&item.environment) {
                        kinds.live_environments.push(item.environment.clone());
                    }
                }
                Some(Guard::MayBeRunning) => kinds.may_be_running += 1,
                None => match item.latest {
                    Some(DeploymentState::Inactive) => kinds.inactive += 1,
                    Some(DeploymentState::Failure | DeploymentState::Error) => kinds.failed += 1,
                    None => kinds.no_status += 1,
                    Some(state) if STUCK_STATES.contains(&state) => kinds.stuck += 1,
                    Some(_) => kinds.other += 1,
                },
            }
        }
        kinds
    }

    /// The positions in `items` of the rows `which` shows, in plan order (positions, not copies: a plan may
    /// hold 100,000 rows and the preview shows a page of them).
    pub fn positions(&self, which: PlanRows) -> Vec<u32> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| which.shows(i))
            .map(|(at, _)| at as u32)
            .collect()
    }

    /// How many rows each guard rail keeps (and the user has not ticked).
    pub fn kept_by_guards(&self) -> BTreeMap<Guard, usize> {
        let mut kept = BTreeMap::new();
        for item in &self.items {
            if item.action() == Action::Keep && item.kept_by_guard() {
                if let Some(guard) = item.guard {
                    *kept.entry(guard).or_insert(0) += 1;
                }
            }
        }
        kept
    }
}

/// Which rows the plan's preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlanRows {
    /// What will be deleted, and what the user unticked (so it can be ticked again).
    #[default]
    Deleted,
    /// What a guard rail keeps.
    Guarded,
    Kept,
    All,
}

impl PlanRows {
    pub const ALL: [PlanRows; 4] = [
        PlanRows::Deleted,
        PlanRows::Guarded,
        PlanRows::Kept,
        PlanRows::All,
    ];

    pub fn shows(self, item: &PlanItem) -> bool {
        match self {
            PlanRows::All => true,
            PlanRows::Deleted => item.action() != Action::Keep || item.unticked,
            PlanRows::Guarded => item.kept_by_guard(),
            PlanRows::Kept => item.action() == Action::Keep,
        }
    }

    /// The value of its `<option>`.
    pub fn value(self) -> &'static str {
        match self {
            PlanRows::Deleted => "deleted",
            PlanRows::Guarded => "guarded",
            PlanRows::Kept => "kept",
            PlanRows::All => "all",
        }
    }

    pub fn from_value(value: &str) -> PlanRows {
        Self::ALL
            .into_iter()
            .find(|r| r.value() == value)
            .unwrap_or_default()
    }

    /// The option's words under a plan making `write`.
    pub fn label_for(self, write: &Write) -> &'static str {
        match (self, write) {
            (PlanRows::Deleted, Write::Status { .. }) => "What gets the status",
            _ => self.label(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanRows::Deleted => "What will be deleted",
            PlanRows::Guarded => "What the guard rails keep",
            PlanRows::Kept => "What is kept",
            PlanRows::All => "Everything",
        }
    }
}

/// What a plan deletes, by kind (each deployment counted once: a live or possibly running one under that
/// heading, the rest by latest state).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeletionKinds {
    pub inactive: usize,
    /// Latest state `failure` or `error`.
    pub failed: usize,
    pub no_status: usize,
    /// Live now in their environment (production's included), and which environments.
    pub live: usize,
    pub live_environments: Vec<String>,
    /// Unfinished and recent: may be running now.
    pub may_be_running: usize,
    /// Pending, queued or in progress, and idle past the may-be-running window: stuck.
    pub stuck: usize,
    /// Any other state (an older success no longer live).
    pub other: usize,
}

impl DeletionKinds {
    /// "9 inactive, 3 failed, 2 live now (staging, preview/pr-8)": the kinds present, in that order.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.inactive > 0 {
            parts.push(format!("{} inactive", self.inactive));
        }
        if self.failed > 0 {
            parts.push(format!("{} failed", self.failed));
        }
        if self.no_status > 0 {
            parts.push(format!("{} without any status", self.no_status));
        }
        if self.stuck > 0 {
            parts.push(format!(
                "{} pending, queued or in progress with nothing new since",
                self.stuck
            ));
        }
        if self.other > 0 {
            parts.push(format!("{} in another state", self.other));
        }
        if self.live > 0 {
            parts.push(format!(
                "{} live now ({})",
                self.live,
                self.live_environments.join(", ")
            ));
        }
        if self.may_be_running > 0 {
            parts.push(format!("{} that may be running now", self.may_be_running));
        }
        parts.join(", ")
    }

    /// Whether the plan deletes what runs now or may be running: the confirmation then asks for the
    /// repository's name to be typed.
    pub fn needs_typed_confirmation(&self) -> bool {
        self.live > 0 || self.may_be_running > 0
    }

    /// Whether what was typed lets the run start: always, unless the plan deletes what runs now or may be
    /// running — then only the repository's name (`owner/name`), surrounding spaces aside.
    pub fn confirmed_by(&self, typed: &str, repository: &str) -> bool {
        !self.needs_typed_confirmation() || typed.trim() == repository
    }
}

impl CleanupPlan {
    /// The confirmation's sentence: how many go, from where, of which kinds, and how many get an
    /// `inactive` status first.
    pub fn confirmation(&self, repository: &str, host: &str) -> String {
        let c = self.counts();
        if let Write::Status { state, description } = &self.selection.write {
            let said = if description.trim().is_empty() {
                String::new()
            } else {
                format!(" (“{}”)", crate::text::clip(description.trim(), 140).shown)
            };
            return format!(
                "Deploydeck will post an “{}” status{said} on {} of {repository} on {host}: {}. Nothing is deleted; a status cannot be taken back, but a newer one replaces it.",
                state.label(),
                count(c.status, "deployment", "deployments"),
                self.deletion_kinds().describe(),
            );
        }
        let first = match c.deactivate_then_delete {
            0 => "None is active, so none gets an “inactive” status first".to_owned(),
            1 => "1 gets an “inactive” status first, as GitHub refuses to delete an active deployment (the newest success of an environment that has others)".to_owned(),
            n => format!("{n} get an “inactive” status first, as GitHub refuses to delete an active deployment (the newest success of an environment that has others)"),
        };
        format!(
            "Deploydeck will delete {} from {repository} on {host}: {}. {first}; should GitHub refuse another as active, it gets the status then and is deleted again. Deleted deployments cannot be restored; environments are not touched.",
            count(c.deletions(), "deployment", "deployments"),
            self.deletion_kinds().describe(),
        )
    }
}

/// A run longer than this is worth running elsewhere: the confirmation says so and points to the script.
pub const LONG_RUN_SECS: u64 = 30 * 60;

/// What the confirmation says of the run's length before it starts (`estimate_ms`: the connection's estimate
/// for the plan's writes), and for a long run, what that means: "At GitHub's pace this run takes about 1 d 12 h
/// for 100,000 deletions: keep this tab open while it runs, or download it as a script…".
pub fn duration_note(counts: &PlanCounts, estimate_ms: u64, github_com: bool) -> String {
    let pace = if github_com {
        "At GitHub's pace"
    } else {
        "At the pace set here"
    };
    let secs = estimate_ms.div_ceil(1_000);
    let about = crate::text::format_duration(secs as i64);
    let statuses = match counts.deactivate_then_delete {
        0 => String::new(),
        n => format!(
            " and {}",
            count(n, "“inactive” status", "“inactive” statuses")
        ),
    };
    let what = if counts.status > 0 {
        count(counts.status, "status", "statuses")
    } else {
        format!(
            "{}{statuses}",
            count(counts.deletions(), "deletion", "deletions")
        )
    };
    if secs >= LONG_RUN_SECS {
        format!("{pace} this run takes about {about} for {what}: keep this tab open while it runs (closing it pauses the run, and it resumes when you come back), or download it as a script below and run it elsewhere.")
    } else {
        format!("{pace} this run takes about {about} for {what}, plus any wait GitHub asks for.")
    }
}

/// The longest pause between changes the form takes, and a kept run keeps: a kept run is text on this device
/// that anyone may edit, so what it says is capped, not trusted.
pub const MAX_PACE_MS: u64 = 60_000;

/// The pause between writes typed on the confirmation (GHES and custom hosts): whole milliseconds, empty
/// for none.
pub fn parse_spacing(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u64>()
        .ok()
        .filter(|ms| *ms <= MAX_PACE_MS)
        .ok_or_else(|| {
            format!("“{}” is not a pause Deploydeck can use: type whole milliseconds from 0 to 60000 (0 for none).", crate::text::clip(text, 20).shown)
        })
}
