//! Bulk cleanup: a planner from deployments (with their latest states) and selection rules to a reviewable
//! plan — deleting what it selects, or posting a status on it — and a run state machine that carries the plan
//! out one request at a time, resumably.
//!
//! Guarantees (property-tested in `tests/cleanup_props.rs`):
//! - the default selection deletes only deployments whose latest state is `inactive`;
//! - the live deployment of any environment is never planned for deletion unless the selection explicitly
//!   allows it (production's behind its own switch) or the user ticks that row;
//! - a deployment that may be running now (pending, queued, in progress or without a status, active within
//!   the last day) is never planned for deletion unless the user ticks that row;
//! - every planned DELETE is one GitHub accepts once the planned deactivation has happened (§8.4): anything
//!   not already `inactive` gets an `inactive` status first, and nothing already inactive gets one;
//! - a run never sends a request for an item once that item is done, across pauses, reloads (serialise →
//!   deserialise → [`CleanupRun::restore`]) and retries; the next step is chosen deterministically;
//! - a status write ([`Write::Status`]: post a status instead of deleting) deletes nothing: each row it takes
//!   gets one status step, never a row already in that state, under the same guard rails.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::api::deletion::{self, AfterAnswer, DeleteStep};
use crate::api::response::ApiError;
use crate::github::model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus};
use crate::github::rules::{live_per_environment, DeploymentRecord};
use crate::github::validate::{Field, Problems};
use crate::pattern::{any_matches, parse_patterns};
use crate::text::count;
use crate::text::csv_line;
use crate::timestamp::Timestamp;

pub mod environments;
pub mod script;

/// An exact or prefix match on a text field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode", content = "text")]
pub enum TextMatch {
    Exact(String),
    Prefix(String),
}

impl TextMatch {
    pub fn matches(&self, value: &str) -> bool {
        match self {
            TextMatch::Exact(text) => value == text,
            TextMatch::Prefix(text) => value.starts_with(text.as_str()),
        }
    }
}

/// A state to select: a deployment's latest state, or "no status yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateFilter {
    NoStatus,
    State(DeploymentState),
}

impl StateFilter {
    fn matches(self, latest: Option<DeploymentState>) -> bool {
        match self {
            StateFilter::NoStatus => latest.is_none(),
            StateFilter::State(s) => latest == Some(s),
        }
    }
}

/// What a run does to each deployment it takes: delete it (a cleanup), or post a status on it (e.g. `error`
/// on deployments stuck in progress, `inactive` on old previews) and keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Write {
    #[default]
    Delete,
    Status {
        state: DeploymentState,
        description: String,
    },
}

impl Write {
    /// The states a bulk status may post: a verdict on what never finished (`error`, `failure`), or
    /// `inactive` (no longer live). Posting `success` or a transitional state in bulk would only mislead.
    pub const STATUS_STATES: [DeploymentState; 3] = [
        DeploymentState::Error,
        DeploymentState::Failure,
        DeploymentState::Inactive,
    ];

    /// The confirmation's heading.
    pub fn heading(&self) -> &'static str {
        match self {
            Write::Delete => "Before anything is deleted",
            Write::Status { .. } => "Before any status is posted",
        }
    }

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

    /// What the typed confirmation asks, when the plan takes what runs now or may be running.
    pub fn typed_label(&self, repository: &str) -> String {
        let what = match self {
            Write::Delete => "This deletes",
            Write::Status { .. } => "This posts a status on",
        };
        format!("{what} what runs now or may be running. Type {repository} to confirm")
    }

    /// The plan table's tick column heading.
    pub fn tick_column(&self) -> &'static str {
        match self {
            Write::Delete => "Delete",
            Write::Status { .. } => "Include",
        }
    }

    /// The state posted, for a status write.
    pub fn status_state(&self) -> Option<DeploymentState> {
        match self {
            Write::Delete => None,
            Write::Status { state, .. } => Some(*state),
        }
    }
}

/// The ready-made "stuck" rule: deployments whose latest state is one of these, with nothing new for hours
/// (GitHub's GraphQL calls a deployment left pending or in progress ABANDONED after 30 minutes; REST's
/// history keeps showing it as running).
pub const STUCK_STATES: [DeploymentState; 3] = [
    DeploymentState::Pending,
    DeploymentState::Queued,
    DeploymentState::InProgress,
];

/// The "stuck" rule's hours, unless the form names others.
pub const STUCK_HOURS: u32 = 2;

/// The selection rules. An empty list or `None` means "no constraint"; every constraint must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Selection {
    /// Only environments these patterns match (`preview/*`, `staging`: see [`crate::pattern`]).
    pub environments: Vec<String>,
    pub git_ref: Option<TextMatch>,
    pub sha: Option<TextMatch>,
    pub task: Option<TextMatch>,
    /// Only deployments created by these logins.
    pub creators: Vec<String>,
    /// Only deployments whose latest state is one of these.
    pub states: Vec<StateFilter>,
    /// Only deployments created more than this many days ago.
    pub older_than_days: Option<u32>,
    /// Always keep the newest N deployments of each environment (counted over all its deployments).
    pub keep_newest_per_environment: u32,
    /// Only deployments made for transient environments.
    pub transient_only: bool,
    /// Let the plan delete what is live in a production environment (off unless the user says so).
    pub allow_live_production: bool,
    /// Let the plan delete what is live in any other environment (off unless the user says so).
    pub allow_live: bool,
    /// Only deployments with nothing new (no status, or creation) for more than this many hours; also how
    /// long an unfinished deployment counts as possibly running (else a day, [`MAY_BE_RUNNING_SECS`]).
    pub idle_hours: Option<u32>,
    /// What the run does to what is selected.
    pub write: Write,
}

impl Selection {
    /// How long after its last activity an unfinished deployment may still be running: the hours the
    /// selection names as idle (the user's own threshold for "stuck"), else a day.
    pub fn may_be_running_secs(&self) -> i64 {
        self.idle_hours
            .map_or(MAY_BE_RUNNING_SECS, |h| i64::from(h.max(1)) * 3_600)
    }
}

/// How long a deployment that is pending, queued, in progress or without a status counts as possibly
/// running: since its last status (or its creation) less than a day ago.
pub const MAY_BE_RUNNING_SECS: i64 = 86_400;

/// What the guard rails keep unless the user includes it: the selection's rules alone never delete it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    /// What a production environment runs now (its newest `success`).
    LiveProduction,
    /// What another environment (staging, a preview) runs now.
    Live,
    /// Pending, queued, in progress or without any status, and active within the last day.
    MayBeRunning,
}

impl Guard {
    /// The guard of `record` at `now`. `live`: `Some(production)` when it is its environment's live
    /// deployment (its newest `success`), with whether that environment is a production one.
    pub fn of(record: &DeploymentRecord, live: Option<bool>, now: Timestamp) -> Option<Guard> {
        Guard::within(record, live, now, MAY_BE_RUNNING_SECS)
    }

    /// [`Guard::of`], an unfinished deployment counting as possibly running for `window_secs` after its last
    /// activity.
    pub fn within(
        record: &DeploymentRecord,
        live: Option<bool>,
        now: Timestamp,
        window_secs: i64,
    ) -> Option<Guard> {
        if let Some(production) = live {
            return Some(if production {
                Guard::LiveProduction
            } else {
                Guard::Live
            });
        }
        let unfinished = record
            .latest_state()
            .is_none_or(DeploymentState::is_transitional);
        // A job waiting for a review is still going however long it waits (up to 30 days, §14).
        let waiting = record.latest_state() == Some(DeploymentState::Waiting);
        (unfinished && (waiting || now.seconds_since(last_activity(record)) < window_secs))
            .then_some(Guard::MayBeRunning)
    }

    /// Why this guard keeps `record`, as the plan says it.
    fn reason(self, record: &DeploymentRecord, now: Timestamp) -> Reason {
        match self {
            Guard::LiveProduction => Reason::LiveProduction,
            Guard::Live => Reason::Live,
            Guard::MayBeRunning => Reason::MayBeRunning {
                latest: record.latest_state(),
                hours: now.seconds_since(last_activity(record)).max(0) / 3_600,
            },
        }
    }
}

/// When anything last happened to a deployment: its newest status, or its creation.
fn last_activity(record: &DeploymentRecord) -> Timestamp {
    record
        .latest_status
        .as_ref()
        .map_or(record.deployment.created_at, |s| {
            s.created_at.max(record.deployment.created_at)
        })
}

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

/// Why the plan chose an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Reason {
    OtherEnvironment,
    RefDoesNotMatch,
    ShaDoesNotMatch,
    TaskDoesNotMatch,
    OtherCreator,
    OtherState,
    NotTransient,
    TooRecent {
        age_days: i64,
    },
    AmongNewest {
        rank: u32,
        keep: u32,
    },
    LiveProduction,
    /// Live in a non-production environment.
    Live,
    /// Unfinished and recent: it may be running now.
    MayBeRunning {
        latest: Option<DeploymentState>,
        hours: i64,
    },
    UntickedByUser,
    /// A row the guard rails kept, ticked by the user.
    TickedByUser {
        was: Box<Reason>,
    },
    /// Selected and already inactive.
    Inactive,
    /// Selected, and not active under GitHub's rule (docs/github-api.md §8.4): its latest status is not
    /// `success`, or a newer success replaced it. Deleted without an `inactive` status first; should GitHub
    /// refuse anyway (the docs' stricter reading), the run posts one and deletes again.
    NotActive {
        latest: Option<DeploymentState>,
    },
    /// Selected, and the only deployment of its environment: GitHub deletes it whatever its state.
    OnlyInEnvironment,
    /// Something new happened to it within the selection's idle hours.
    RecentlyActive {
        hours: i64,
    },
    /// Its latest state is already the one the status write posts.
    AlreadyInState {
        state: DeploymentState,
    },
    /// Selected: it gets the status write's status.
    GetsStatus {
        latest: Option<DeploymentState>,
    },
    /// Selected and active: its latest status is `success`, nothing newer in its environment replaced it,
    /// and the environment has other deployments. Needs an `inactive` status first.
    NeedsDeactivation {
        latest: Option<DeploymentState>,
    },
}

impl Reason {
    /// The sentence the preview table shows.
    pub fn describe(&self) -> String {
        match self {
            Reason::OtherEnvironment => "Environment not selected".into(),
            Reason::RefDoesNotMatch => "Ref does not match".into(),
            Reason::ShaDoesNotMatch => "SHA does not match".into(),
            Reason::TaskDoesNotMatch => "Task does not match".into(),
            Reason::OtherCreator => "Created by someone else".into(),
            Reason::OtherState => "State not selected".into(),
            Reason::NotTransient => "Not a transient environment".into(),
            Reason::TooRecent { age_days } => format!("Only {age_days} day(s) old"),
            Reason::AmongNewest { rank, keep } => {
                format!("Newest {keep} of its environment are kept (this is #{rank})")
            }
            Reason::LiveProduction => {
                "Live in a production environment: kept unless you allow it".into()
            }
            Reason::Live => "Live in its environment now: kept unless you include it".into(),
            Reason::MayBeRunning {
                latest: Some(DeploymentState::Waiting),
                hours,
            } => format!(
                "Waiting for a review ({}): its job goes on once reviewed. Kept unless you tick it",
                if *hours < 1 {
                    "for less than an hour".to_owned()
                } else {
                    format!("for {}", count(*hours as usize, "hour", "hours"))
                }
            ),
            Reason::MayBeRunning { latest, hours } => format!(
                "{} {}: it may be running now. Kept unless you tick it",
                match latest {
                    Some(state) => state.label(),
                    None => "No status",
                },
                if *hours < 1 {
                    "within the last hour".to_owned()
                } else {
                    format!("{} ago", count(*hours as usize, "hour", "hours"))
                }
            ),
            Reason::UntickedByUser => "Unticked by you".into(),
            Reason::TickedByUser { was } => format!("Ticked by you (was: {})", was.describe()),
            Reason::Inactive => "Inactive: GitHub allows deleting it".into(),
            Reason::OnlyInEnvironment => "The only deployment of its environment: GitHub deletes it without an inactive status first".into(),
            Reason::NotActive { latest } => format!(
                "{}: not active, so GitHub deletes it without an inactive status first",
                latest.map_or("No status", DeploymentState::label)
            ),
            Reason::RecentlyActive { hours } => format!(
                "Active {}: not idle long enough",
                if *hours < 1 {
                    "within the last hour".to_owned()
                } else {
                    format!("{} ago", count(*hours as usize, "hour", "hours"))
                }
            ),
            Reason::AlreadyInState { state } => format!("Already “{}”", state.label()),
            Reason::GetsStatus { latest } => format!(
                "{}: selected for the status",
                latest.map_or("No status", DeploymentState::label)
            ),
            Reason::NeedsDeactivation { .. } => "Active (its latest status is “Success” and nothing newer replaced it), and GitHub refuses to delete an active deployment that shares its environment: Deploydeck first posts an “inactive” status, then deletes it".into(),
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
        sorted.sort_by_key(|r| std::cmp::Reverse(r.id()));
        sorted.dedup_by_key(|r| r.id());

        // Every environment's live deployment, and whether the environment is a production one (flagged
        // `production_environment`, or named "production" in any case).
        let live: BTreeMap<DeploymentId, bool> = live_per_environment(records)
            .values()
            .map(|l| {
                (
                    l.deployment_id,
                    crate::github::rules::is_production(&l.environment, l.production),
                )
            })
            .collect();

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

/// What the guard rails keep (by guard, as `kept_by_guards` counts them), and how to include it.
pub fn guard_sentence(kept: &BTreeMap<Guard, usize>) -> String {
    let parts: Vec<String> = kept
        .iter()
        .map(|(guard, n)| match guard {
            Guard::LiveProduction => format!("{n} live in a production environment"),
            Guard::Live => format!("{n} live in another environment"),
            Guard::MayBeRunning => format!("{n} that may be running now"),
        })
        .collect();
    format!(
        "Kept by the guard rails although the rules select them: {}. Tick a row in the plan to include it, or use the switches above for everything live.",
        parts.join(", ")
    )
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

/// The pause between writes typed on the confirmation (GHES and custom hosts): whole milliseconds, empty
/// for none.
pub fn parse_spacing(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u64>()
        .ok()
        .filter(|ms| *ms <= 60_000)
        .ok_or_else(|| {
            format!("“{}” is not a pause Deploydeck can use: type whole milliseconds from 0 to 60000 (0 for none).", crate::text::clip(text, 20).shown)
        })
}

fn keep_reason(
    record: &DeploymentRecord,
    rank: u32,
    selection: &Selection,
    now: Timestamp,
    guard: Option<Guard>,
) -> Option<Reason> {
    let d = &record.deployment;
    if !selection.environments.is_empty() && !any_matches(&selection.environments, &d.environment) {
        return Some(Reason::OtherEnvironment);
    }
    let misses = |m: &Option<TextMatch>, value: &str| m.as_ref().is_some_and(|m| !m.matches(value));
    if misses(&selection.git_ref, &d.git_ref) {
        return Some(Reason::RefDoesNotMatch);
    }
    if misses(&selection.sha, &d.sha) {
        return Some(Reason::ShaDoesNotMatch);
    }
    if misses(&selection.task, &d.task) {
        return Some(Reason::TaskDoesNotMatch);
    }
    if !selection.creators.is_empty()
        && !d
            .creator_login()
            .is_some_and(|login| selection.creators.iter().any(|c| c == login))
    {
        return Some(Reason::OtherCreator);
    }
    if !selection.states.is_empty()
        && !selection
            .states
            .iter()
            .any(|s| s.matches(record.latest_state()))
    {
        return Some(Reason::OtherState);
    }
    if selection.transient_only && !d.transient_environment {
        return Some(Reason::NotTransient);
    }
    if let Some(days) = selection.older_than_days {
        let age_days = now.seconds_since(d.created_at).div_euclid(86_400);
        if age_days < i64::from(days) {
            return Some(Reason::TooRecent { age_days });
        }
    }
    if let Some(hours) = selection.idle_hours {
        let idle = now.seconds_since(last_activity(record)).max(0) / 3_600;
        if idle < i64::from(hours) {
            return Some(Reason::RecentlyActive { hours: idle });
        }
    }
    if let Some(state) = selection.write.status_state() {
        if record.latest_state() == Some(state) {
            return Some(Reason::AlreadyInState { state });
        }
    }
    if rank <= selection.keep_newest_per_environment {
        return Some(Reason::AmongNewest {
            rank,
            keep: selection.keep_newest_per_environment,
        });
    }
    match guard {
        Some(Guard::LiveProduction) if !selection.allow_live_production => {
            Some(Reason::LiveProduction)
        }
        Some(Guard::Live) if !selection.allow_live => Some(Reason::Live),
        Some(Guard::MayBeRunning) => Some(Guard::MayBeRunning.reason(record, now)),
        _ => None,
    }
}

// ---- the run ----

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

/// Where one item of a run stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ItemState {
    Pending { next: Step },
    InFlight { step: Step },
    Done { already_gone: bool },
    Failed { step: Step, error: ApiError },
    Skipped,
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

/// What a tab that shows a kept run, but does not run it, asks of the tab that does (the Web Locks API keeps a
/// kept run to one tab; the others follow it and send these through the browser's storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunCommand {
    Pause,
    Resume,
    Cancel,
    RetryFailed,
}

#[derive(Serialize, Deserialize)]
struct CommandMessage {
    command: RunCommand,
    /// When it was sent: the same command twice is two messages (storage tells other tabs only of a change).
    sent_ms: u64,
}

impl RunCommand {
    /// Carries it out on the run.
    pub fn apply(self, run: &mut CleanupRun) {
        match self {
            RunCommand::Pause => run.pause(),
            RunCommand::Resume => run.resume(),
            RunCommand::Cancel => run.cancel(),
            RunCommand::RetryFailed => {
                run.retry_failed();
                run.resume();
            }
        }
    }

    /// Whether the run sends again after it.
    pub fn sends(self) -> bool {
        matches!(self, RunCommand::Resume | RunCommand::RetryFailed)
    }

    /// The message another tab reads.
    pub fn to_message(self, sent_ms: u64) -> String {
        serde_json::to_string(&CommandMessage {
            command: self,
            sent_ms,
        })
        .unwrap_or_default()
    }

    /// A message read back; `None` for anything else.
    pub fn from_message(text: &str) -> Option<RunCommand> {
        serde_json::from_str::<CommandMessage>(text)
            .ok()
            .map(|m| m.command)
    }
}

/// Which tab carries a kept run out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabRole {
    /// Asking the browser whether another tab runs it: nothing is sent meanwhile.
    Asking,
    /// This tab runs it (the other tabs follow).
    Runs,
    /// Another tab runs it: this one shows its progress, sends Pause, Resume and Cancel to it, and takes
    /// over if that tab closes.
    Follows,
    /// The browser cannot tell its tabs apart (no Web Locks): each tab that opens the run would send it.
    Unshared,
}

impl TabRole {
    /// Whether this tab sends the run's requests.
    pub fn sends(self) -> bool {
        matches!(self, TabRole::Runs | TabRole::Unshared)
    }

    /// What the run's panel says of it (nothing when this tab simply runs it).
    pub fn note(self) -> Option<&'static str> {
        match self {
            TabRole::Asking => Some("Checking whether another tab of this browser is running this cleanup…"),
            TabRole::Runs => None,
            TabRole::Follows => Some("This cleanup is running in another tab of this browser: its progress shows here, and Pause, Resume and Cancel reach that tab. If that tab closes, this one takes over where it stopped."),
            TabRole::Unshared => Some("This browser cannot tell its tabs apart (it has no Web Locks): keep this cleanup open in one tab only, or each tab would send its requests."),
        }
    }
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

/// A name from the API on one line (a label must not be broken by a line break it carries).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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

// ---- the selection form ----

/// The selection as the form holds it (what was typed), kept as a draft so nothing typed is lost. Its
/// default selects only deployments whose latest state is `inactive`: what a cleanup is for, and nothing
/// that runs now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SelectionDraft {
    /// Environment names or patterns, separated by commas (empty: every environment).
    pub environments: String,
    pub git_ref: String,
    pub ref_prefix: bool,
    pub sha: String,
    pub sha_prefix: bool,
    pub task: String,
    pub task_prefix: bool,
    /// Logins, separated by commas or spaces (`@` allowed).
    pub creators: String,
    pub states: Vec<StateFilter>,
    /// Whole days, empty for "any age".
    pub older_than_days: String,
    /// Whole number, empty for none.
    pub keep_newest: String,
    pub transient_only: bool,
    pub allow_live_production: bool,
    pub allow_live: bool,
    /// Whole hours, empty for "any".
    pub idle_hours: String,
    /// Post a status on what is selected instead of deleting it.
    pub posts_status: bool,
    /// The status to post (one of [`Write::STATUS_STATES`]).
    pub status_state: DeploymentState,
    /// Its description (at most 140 characters).
    pub status_description: String,
}

impl SelectionDraft {
    /// The ready-made "stuck" rule: pending, queued or in progress with nothing new for the hours typed (else
    /// [`STUCK_HOURS`]), given an `error` status that says so. The rest of the selection is left as it was.
    pub fn stuck(mut self) -> SelectionDraft {
        let hours = self
            .idle_hours
            .trim()
            .parse()
            .ok()
            .filter(|h| *h > 0)
            .unwrap_or(STUCK_HOURS);
        self.states = STUCK_STATES
            .iter()
            .map(|s| StateFilter::State(*s))
            .collect();
        self.idle_hours = hours.to_string();
        self.posts_status = true;
        self.status_state = DeploymentState::Error;
        self.status_description = format!(
            "Marked as errored by Deploydeck: no progress for more than {}",
            count(hours as usize, "hour", "hours")
        );
        self
    }
}

impl Default for SelectionDraft {
    fn default() -> Self {
        SelectionDraft {
            environments: String::new(),
            git_ref: String::new(),
            ref_prefix: false,
            sha: String::new(),
            sha_prefix: false,
            task: String::new(),
            task_prefix: false,
            creators: String::new(),
            states: vec![StateFilter::State(DeploymentState::Inactive)],
            older_than_days: String::new(),
            keep_newest: String::new(),
            transient_only: false,
            allow_live_production: false,
            allow_live: false,
            idle_hours: String::new(),
            posts_status: false,
            status_state: DeploymentState::Error,
            status_description: String::new(),
        }
    }
}

/// At most this many days (a century) or deployments kept per environment.
const MAX_COUNT: u32 = 36_500;

impl SelectionDraft {
    /// The rules this draft describes, or each field's problem.
    pub fn selection(&self) -> Result<Selection, Problems> {
        let mut problems = Problems::default();
        let text = |value: &str, prefix: bool| {
            let value = value.trim();
            (!value.is_empty()).then(|| {
                if prefix {
                    TextMatch::Prefix(value.to_owned())
                } else {
                    TextMatch::Exact(value.to_owned())
                }
            })
        };
        let sha = self.sha.trim();
        if !sha.chars().all(|c| c.is_ascii_hexdigit()) || sha.len() > 40 {
            problems.add(
                Field::Sha,
                "A SHA is up to 40 hexadecimal characters (0-9, a-f).",
            );
        }
        let creators = parse_list(&self.creators);
        if let Some(bad) = creators.iter().find(|c| !is_login(c)) {
            problems.add(
                Field::Creators,
                format!("“{bad}” is not a GitHub login: letters, digits and hyphens (and [bot] for apps)."),
            );
        }
        let older_than_days =
            parse_count(&self.older_than_days, Field::OlderThanDays, &mut problems);
        let keep_newest = parse_count(&self.keep_newest, Field::KeepNewest, &mut problems);
        let idle_hours = parse_count(&self.idle_hours, Field::IdleHours, &mut problems);
        if idle_hours == Some(0) {
            problems.add(
                Field::IdleHours,
                "At least 1 hour, or empty for any (a deployment active within the last day is kept unless ticked).",
            );
        }
        let write = if self.posts_status {
            if !Write::STATUS_STATES.contains(&self.status_state) {
                problems.add(
                    Field::State,
                    "Choose “Error”, “Failure” or “Inactive”: the statuses Deploydeck posts in bulk.",
                );
            }
            crate::github::validate::check_status_description(
                self.status_description.trim(),
                &mut problems,
            );
            Write::Status {
                state: self.status_state,
                description: self.status_description.trim().to_owned(),
            }
        } else {
            Write::Delete
        };
        problems.into_result(|| Selection {
            environments: parse_patterns(&self.environments)
                .into_iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            git_ref: text(&self.git_ref, self.ref_prefix),
            sha: text(&sha.to_ascii_lowercase(), self.sha_prefix),
            task: text(&self.task, self.task_prefix),
            creators,
            states: self.states.clone(),
            older_than_days,
            keep_newest_per_environment: keep_newest.unwrap_or(0),
            transient_only: self.transient_only,
            allow_live_production: self.allow_live_production,
            allow_live: self.allow_live,
            idle_hours: idle_hours.filter(|h| *h > 0),
            write,
        })
    }
}

/// The items of a list typed as "a, b c": split on commas and white space, leading `@`s dropped, empty
/// items and repeats (case-insensitive, first kept) left out.
pub fn parse_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split(|c: char| c == ',' || c.is_whitespace()) {
        let item = item.trim_start_matches('@');
        if !item.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
            out.push(item.to_owned());
        }
    }
    out
}

/// A GitHub login: letters, digits and single hyphens, or an app's `name[bot]`.
fn is_login(text: &str) -> bool {
    let name = text.strip_suffix("[bot]").unwrap_or(text);
    !name.is_empty()
        && name.len() <= 39
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn parse_count(text: &str, field: Field, problems: &mut Problems) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<u32>() {
        Ok(n) if n <= MAX_COUNT => Some(n),
        _ => {
            problems.add(
                field,
                format!("A whole number from 0 to {MAX_COUNT}, or empty."),
            );
            None
        }
    }
}

// ---- the run, kept; its report; the backup ----

/// A run as kept in the browser's storage between reloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRun {
    /// `owner/repo` on its host, for the report.
    pub repository: String,
    pub started_at: Timestamp,
    /// What the plan needed: the requests a run without failures makes.
    pub planned: PlanCounts,
    pub run: CleanupRun,
}

impl SavedRun {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::rules::tests::record;
    use DeploymentState::*;

    const DAY: i64 = 86_400;

    fn now() -> Timestamp {
        Timestamp::from_unix(1_700_000_000 + 400 * DAY)
    }

    #[test]
    fn the_confirmation_says_how_long_and_points_a_long_run_to_the_script() {
        let counts = |deactivate_then_delete, delete| PlanCounts {
            deactivate_then_delete,
            delete,
            keep: 0,
            requests: 0,
            ..PlanCounts::default()
        };
        assert_eq!(
            duration_note(&counts(0, 40), 52_000, true),
            "At GitHub's pace this run takes about 52 s for 40 deletions, plus any wait GitHub asks for."
        );
        assert_eq!(
            duration_note(&counts(1, 0), 2_100, false),
            "At the pace set here this run takes about 3 s for 1 deletion and 1 “inactive” status, plus any wait GitHub asks for."
        );
        // 100,000 deletions a second apart, 300 ms an answer.
        let long = duration_note(&counts(12, 99_988), 130_000_000, true);
        assert!(long.starts_with("At GitHub's pace this run takes about 1 d 12 h for 100,000 deletions and 12 “inactive” statuses: keep this tab open"), "{long}");
        assert!(long.contains("download it as a script"));
        assert!(
            !duration_note(&counts(0, 10), (LONG_RUN_SECS - 1) * 1_000, true).contains("script")
        );
    }

    fn sample() -> Vec<DeploymentRecord> {
        vec![
            record(1, "production", Some(Inactive)),
            record(2, "production", Some(Success)),
            record(3, "staging", Some(Success)),
            record(4, "staging", Some(Failure)),
            record(5, "staging", None),
            record(6, "review/pr-7", Some(Inactive)),
        ]
    }

    fn action_of(plan: &CleanupPlan, id: u64) -> (Action, Reason) {
        let item = plan
            .items
            .iter()
            .find(|i| i.id == DeploymentId(id))
            .unwrap();
        (item.action(), item.reason())
    }

    /// Every rule open and live non-production deployments allowed: what the run's tests plan over.
    fn everything() -> Selection {
        Selection {
            allow_live: true,
            ..Selection::default()
        }
    }

    #[test]
    fn what_is_live_in_any_environment_is_kept_unless_allowed() {
        let plan = CleanupPlan::new(&sample(), &Selection::default(), now());
        assert_eq!(action_of(&plan, 2), (Action::Keep, Reason::LiveProduction));
        assert_eq!(action_of(&plan, 3), (Action::Keep, Reason::Live));
        assert_eq!(
            plan.kept_by_guards(),
            BTreeMap::from([(Guard::LiveProduction, 1), (Guard::Live, 1)])
        );
        let mut ticked = plan.clone();
        assert!(
            ticked.choose(DeploymentId(3), true),
            "a guarded row can be ticked one by one"
        );
        assert_eq!(
            ticked.items.iter().find(|i| i.id.0 == 3).unwrap().action(),
            Action::DeactivateThenDelete
        );
        assert_eq!(
            action_of(&ticked, 3).1,
            Reason::TickedByUser {
                was: Box::new(Reason::Live)
            }
        );
        assert!(
            !ticked.choose(DeploymentId(4), true),
            "already deleted: nothing changes"
        );
        let kinds = ticked.deletion_kinds();
        assert_eq!(
            (kinds.live, kinds.live_environments.clone()),
            (1, vec!["staging".to_owned()])
        );
        assert!(kinds.needs_typed_confirmation());
        assert!(!plan.deletion_kinds().needs_typed_confirmation());
        assert_eq!(
            plan.deletion_kinds().describe(),
            "2 inactive, 1 failed, 1 without any status"
        );
        assert!(
            kinds.confirmed_by(" o/r ", "o/r"),
            "spaces around the name are fine"
        );
        assert!(!kinds.confirmed_by("o/r2", "o/r"));
        assert!(!kinds.confirmed_by("", "o/r"));
        assert!(
            plan.deletion_kinds().confirmed_by("", "o/r"),
            "nothing live: no name asked"
        );
        assert_eq!(ticked.counts().deactivate_then_delete, 1);
        assert_eq!(
            ticked.confirmation("o/r", "GitHub.com"),
            "Deploydeck will delete 5 deployments from o/r on GitHub.com: 2 inactive, 1 failed, 1 without any status, 1 live now (staging). 1 gets an “inactive” status first, as GitHub refuses to delete an active deployment (the newest success of an environment that has others); should GitHub refuse another as active, it gets the status then and is deleted again. Deleted deployments cannot be restored; environments are not touched."
        );
        assert!(plan.confirmation("o/r", "GitHub.com").contains(
            "None is active, so none gets an “inactive” status first; should GitHub refuse another"
        ));
    }

    #[test]
    fn the_preview_shows_rows_by_what_happens_to_them() {
        let mut plan = CleanupPlan::new(&sample(), &Selection::default(), now());
        let ids = |which: PlanRows, plan: &CleanupPlan| -> Vec<u64> {
            plan.positions(which)
                .into_iter()
                .map(|at| plan.items[at as usize].id.0)
                .collect()
        };
        assert_eq!(ids(PlanRows::Deleted, &plan), vec![6, 5, 4, 1]);
        assert_eq!(ids(PlanRows::Guarded, &plan), vec![3, 2]);
        assert_eq!(ids(PlanRows::Kept, &plan), vec![3, 2]);
        assert_eq!(ids(PlanRows::All, &plan), vec![6, 5, 4, 3, 2, 1]);
        plan.set_unticked(DeploymentId(4), true);
        assert_eq!(
            ids(PlanRows::Deleted, &plan),
            vec![6, 5, 4, 1],
            "an unticked row stays where it can be ticked again"
        );
        assert_eq!(ids(PlanRows::Kept, &plan), vec![4, 3, 2]);
        for which in PlanRows::ALL {
            assert_eq!(PlanRows::from_value(which.value()), which);
        }
        assert_eq!(PlanRows::from_value("bogus"), PlanRows::Deleted);
    }

    #[test]
    fn the_header_badge_of_a_run_going_on_elsewhere() {
        let p = Progress {
            total: 500,
            done: 118,
            failed: 2,
            pending: 379,
            in_flight: 1,
            skipped: 0,
            requests_left: 380,
            deletes_left: 380,
        };
        let b = p.badge(RunStatus::Running, false, "acme/tidy");
        assert_eq!(b.text, "Cleanup 120/500 · 2 failed");
        assert_eq!(
            b.label,
            "Cleanup of acme/tidy: 118 of 500 done, 2 failed. Open the run."
        );
        assert!(b.alert);
        let b = p.badge(RunStatus::Running, true, "acme/tidy");
        assert_eq!(b.text, "Cleanup 120/500 · waiting · 2 failed");
        assert_eq!(
            b.label,
            "Cleanup of acme/tidy: 118 of 500 done, 2 failed, waiting for GitHub's rate limit. Open the run."
        );
        let clean = Progress {
            failed: 0,
            done: 120,
            ..p
        };
        let b = clean.badge(RunStatus::Paused, true, "acme/tidy");
        assert_eq!(
            b.text, "Cleanup paused 120/500",
            "a paused run waits for no limit"
        );
        assert!(!b.alert);
        assert_eq!(
            b.label,
            "Cleanup of acme/tidy: 120 of 500 done, paused. Open the run."
        );
        let finished = Progress {
            done: 500,
            pending: 0,
            in_flight: 0,
            failed: 0,
            requests_left: 0,
            ..p
        };
        assert_eq!(
            finished.badge(RunStatus::Running, false, "o/r").text,
            "Cleanup done 500/500"
        );
        let cancelled = Progress {
            done: 120,
            skipped: 380,
            pending: 0,
            in_flight: 0,
            failed: 0,
            ..p
        };
        let b = cancelled.badge(RunStatus::Cancelled, false, "o/r\nEvil");
        assert_eq!(b.text, "Cleanup cancelled 500/500");
        assert_eq!(
            b.label,
            "Cleanup of o/r Evil: 120 of 500 done, cancelled. Open the run."
        );
    }

    #[test]
    fn another_tab_commands_the_run_and_each_role_says_what_it_does() {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let mut run = CleanupRun::new(&plan);
        let (id, step) = run.next_step().unwrap();
        run.record(
            id,
            step,
            Err(ApiError::Server {
                status: 502,
                message: "Bad Gateway".into(),
            }),
        );
        for (command, status) in [
            (RunCommand::Pause, RunStatus::Paused),
            (RunCommand::Resume, RunStatus::Running),
            (RunCommand::Cancel, RunStatus::Cancelled),
            (RunCommand::RetryFailed, RunStatus::Running),
        ] {
            let text = command.to_message(1_700_000_000_000);
            assert_eq!(RunCommand::from_message(&text), Some(command), "{text}");
            assert_ne!(
                text,
                command.to_message(1_700_000_000_001),
                "each sending is a change"
            );
            command.apply(&mut run);
            assert_eq!(run.status, status, "{command:?}");
            assert_eq!(command.sends(), status == RunStatus::Running);
        }
        assert_eq!(run.progress().failed, 0, "retried");
        assert_eq!(
            RunCommand::from_message("{\"command\":\"delete_all\"}"),
            None
        );
        assert_eq!(RunCommand::from_message("pause"), None);

        assert!(TabRole::Runs.sends() && TabRole::Unshared.sends());
        assert!(!TabRole::Follows.sends() && !TabRole::Asking.sends());
        assert_eq!(TabRole::Runs.note(), None);
        assert!(TabRole::Follows.note().unwrap().contains("takes over"));
        assert!(TabRole::Unshared.note().unwrap().contains("one tab only"));

        // A follower shows the run as kept, a step in flight still in flight.
        let mut run = CleanupRun::new(&plan);
        run.next_step();
        let saved = SavedRun {
            repository: "o/r".into(),
            started_at: now(),
            planned: plan.counts(),
            run,
        };
        let json = saved.to_json();
        assert_eq!(
            SavedRun::from_json_as_kept(&json)
                .unwrap()
                .run
                .progress()
                .in_flight,
            1
        );
        assert_eq!(
            SavedRun::from_json(&json).unwrap().run.progress().in_flight,
            0
        );
    }

    #[test]
    fn a_run_says_which_deployments_are_gone() {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let mut run = CleanupRun::new(&plan);
        assert!(run.gone().is_empty());
        let mut answered = 0;
        while let Some((id, step)) = run.next_step() {
            let answer = if id.0 == 5 && step == Step::Delete {
                Err(ApiError::NotFound {
                    message: "Not Found".into(),
                })
            } else if id.0 == 4 {
                Err(ApiError::Server {
                    status: 500,
                    message: "boom".into(),
                })
            } else {
                Ok(())
            };
            run.record(id, step, answer);
            answered += 1;
            if answered == 1 {
                assert_eq!(run.gone(), HashSet::from([id]));
            }
        }
        let gone = run.gone();
        assert!(gone.contains(&DeploymentId(5)), "already gone is gone too");
        assert!(!gone.contains(&DeploymentId(4)), "a failure is not gone");
        assert_eq!(gone.len(), run.progress().done);
    }

    #[test]
    fn the_plan_and_run_sentences() {
        let c = PlanCounts {
            deactivate_then_delete: 7,
            delete: 9,
            keep: 1,
            requests: 23,
            ..PlanCounts::default()
        };
        assert_eq!(
            c.sentence(),
            "16 deployments will be deleted (7 marked inactive first), 1 kept; 23 requests to GitHub."
        );
        let kept = BTreeMap::from([(Guard::Live, 2), (Guard::MayBeRunning, 1)]);
        assert_eq!(
            guard_sentence(&kept),
            "Kept by the guard rails although the rules select them: 2 live in another environment, 1 that may be running now. Tick a row in the plan to include it, or use the switches above for everything live."
        );
        assert_eq!(
            hold_note(200_001, crate::api::response::RateLimitKind::Primary),
            "GitHub's hourly rate limit is used up: waiting 3 min 21 s before the next request. The run continues by itself; you can leave it running."
        );
        let p = Progress {
            total: 10,
            done: 4,
            failed: 1,
            pending: 3,
            in_flight: 1,
            skipped: 1,
            requests_left: 5,
            deletes_left: 4,
        };
        assert_eq!(
            p.summary(),
            "4 of 10 done, 1 failed, 4 remaining, 1 skipped"
        );
        assert_eq!(p.heading(RunStatus::Paused), "Cleanup paused");
        // No pace yet: the connection's estimate for 1 status and 4 deletions, plus the hold.
        let left = p.time_left(RunStatus::Running, 0, 0, 2_000, |creates, deletes| {
            assert_eq!((creates, deletes), (1, 4));
            58_000
        });
        assert_eq!(left.as_deref(), Some("About 1 min 0 s left"));
        // From the pace so far: 5 answers in 10 s → 10 s for the 5 left.
        let left = p.time_left(RunStatus::Running, 5, 10_000, 0, |_, _| unreachable!());
        assert_eq!(left.as_deref(), Some("About 10 s left"));
    }

    #[test]
    fn a_pause_is_whole_milliseconds_up_to_a_minute() {
        assert_eq!(parse_spacing(""), Ok(0));
        assert_eq!(parse_spacing(" 250 "), Ok(250));
        assert_eq!(parse_spacing("60000"), Ok(60_000));
        for bad in ["60001", "-1", "1.5", "fast", "１０"] {
            let problem = parse_spacing(bad).unwrap_err();
            assert!(
                problem.contains(bad) && problem.contains("0 to 60000"),
                "{problem}"
            );
        }
    }

    /// A record whose latest status (or creation, without one) was `hours_ago`.
    fn idle(
        id: u64,
        environment: &str,
        state: Option<DeploymentState>,
        hours_ago: i64,
    ) -> DeploymentRecord {
        let mut r = record(id, environment, state);
        r.deployment.created_at = now().plus_seconds(-hours_ago * 3_600 - 60);
        if let Some(s) = r.latest_status.as_mut() {
            s.created_at = now().plus_seconds(-hours_ago * 3_600);
        }
        r
    }

    #[test]
    fn the_stuck_rule_posts_an_error_status_on_what_has_been_idle_and_deletes_nothing() {
        let records = vec![
            idle(11, "staging", Some(InProgress), 5),
            idle(12, "staging", Some(Pending), 1),
            idle(13, "review/pr-9", Some(Queued), 30),
            idle(14, "staging", Some(Success), 40),
            idle(15, "staging", Some(Error), 50),
            idle(16, "staging", None, 60),
        ];
        let six = SelectionDraft {
            idle_hours: " 6 ".into(),
            ..SelectionDraft::default()
        };
        assert_eq!(six.stuck().idle_hours, "6", "the hours typed are kept");
        let draft = SelectionDraft::default().stuck();
        assert_eq!(
            draft.status_description,
            "Marked as errored by Deploydeck: no progress for more than 2 hours"
        );
        let selection = draft.selection().unwrap();
        assert_eq!(selection.idle_hours, Some(2));
        assert_eq!(selection.may_be_running_secs(), 2 * 3_600);
        let plan = CleanupPlan::new(&records, &selection, now());
        assert_eq!(
            action_of(&plan, 11),
            (Action::PostStatus, Reason::GetsStatus { latest: Some(InProgress) }),
            "in progress, nothing new for 5 hours: past the user's own threshold, so no guard keeps it"
        );
        assert_eq!(
            action_of(&plan, 12),
            (Action::Keep, Reason::RecentlyActive { hours: 1 })
        );
        assert_eq!(
            action_of(&plan, 12).1.describe(),
            "Active 1 hour ago: not idle long enough"
        );
        assert_eq!(action_of(&plan, 13).0, Action::PostStatus);
        assert_eq!(
            action_of(&plan, 14),
            (Action::Keep, Reason::OtherState),
            "the live success is not stuck"
        );
        assert_eq!(action_of(&plan, 15).0, Action::Keep);
        assert_eq!(
            action_of(&plan, 16).0,
            Action::Keep,
            "no status: not one of the stuck states"
        );
        let counts = plan.counts();
        assert_eq!((counts.status, counts.keep, counts.requests), (2, 4, 2));
        assert_eq!(
            counts.sentence(),
            "2 deployments will get an “Error” status, 4 kept; 2 requests to GitHub. Nothing is deleted."
        );
        assert_eq!(
            plan.confirmation("acme/tidy", "github.com"),
            "Deploydeck will post an “Error” status (“Marked as errored by Deploydeck: no progress for more than 2 hours”) on 2 deployments of acme/tidy on github.com: 2 pending, queued or in progress with nothing new since. Nothing is deleted; a status cannot be taken back, but a newer one replaces it."
        );
        assert!(duration_note(&counts, 16_000, true).contains("for 2 statuses"));
        let write = &selection.write;
        assert_eq!(write.heading(), "Before any status is posted");
        assert_eq!(
            write.start_label(&counts),
            "Post the status on 2 deployments"
        );
        let row = plan.items.iter().find(|i| i.id.0 == 11).unwrap();
        assert_eq!(row.tick_label(), "Post the status on deployment 11");
        assert_eq!(PlanRows::Deleted.label_for(write), "What gets the status");
        assert_eq!(
            write.typed_label("o/r"),
            "This posts a status on what runs now or may be running. Type o/r to confirm"
        );
        assert_eq!(Write::Delete.start_label(&counts), "Delete 0 deployments");
        assert_eq!(
            PlanRows::Deleted.label_for(&Write::Delete),
            "What will be deleted"
        );

        // The run posts the status, once each, and deletes nothing; a deployment gone meanwhile is gone.
        let mut run = CleanupRun::new(&plan);
        assert_eq!(run.write, selection.write);
        let mut sent = Vec::new();
        while let Some((id, step)) = run.next_step() {
            sent.push((id.0, step));
            let answer = if id.0 == 13 {
                Err(ApiError::NotFound {
                    message: "Not Found".into(),
                })
            } else {
                Ok(())
            };
            run.record(id, step, answer);
        }
        assert_eq!(sent, [(13, Step::Status), (11, Step::Status)]);
        let outcomes: Vec<_> = run.items.iter().map(|i| (i.id.0, i.outcome())).collect();
        assert_eq!(outcomes, [(13, "already gone"), (11, "status posted")]);
        assert_eq!(run.progress().done, 2);
        assert!(
            run.gone().is_empty(),
            "a status run removes nothing from History"
        );
        assert!(crate::text::read_csv(&report_csv(&run), ',')
            .iter()
            .any(|row| row[5] == "status posted"));
    }

    #[test]
    fn a_status_write_skips_what_already_has_it_and_keeps_the_guard_rails() {
        let mut records = sample();
        records.push(idle(7, "staging", Some(InProgress), 3));
        let selection = Selection {
            write: Write::Status {
                state: Inactive,
                description: String::new(),
            },
            ..Selection::default()
        };
        let plan = CleanupPlan::new(&records, &selection, now());
        assert_eq!(
            action_of(&plan, 1),
            (Action::Keep, Reason::AlreadyInState { state: Inactive })
        );
        assert_eq!(action_of(&plan, 1).1.describe(), "Already “Inactive”");
        assert_eq!(action_of(&plan, 2), (Action::Keep, Reason::LiveProduction));
        assert_eq!(action_of(&plan, 3), (Action::Keep, Reason::Live));
        assert_eq!(
            action_of(&plan, 4),
            (
                Action::PostStatus,
                Reason::GetsStatus {
                    latest: Some(Failure)
                }
            )
        );
        // Without idle hours, a day: in progress 3 hours ago may be running, kept unless ticked.
        assert!(matches!(
            action_of(&plan, 7),
            (Action::Keep, Reason::MayBeRunning { .. })
        ));
        let mut plan = plan;
        assert!(plan.choose(DeploymentId(7), true));
        assert_eq!(
            plan.items.iter().find(|i| i.id.0 == 7).unwrap().action(),
            Action::PostStatus,
            "a ticked row gets the status, never a deletion"
        );
        assert!(plan.to_delete().all(|i| i.action() == Action::PostStatus));
        assert!(
            plan.confirmation("o/r", "h")
                .contains("post an “Inactive” status on 3 deployments"),
            "{}",
            plan.confirmation("o/r", "h")
        );
    }

    #[test]
    fn the_status_fields_say_what_is_wrong() {
        let draft = SelectionDraft {
            posts_status: true,
            status_state: Success,
            status_description: "x".repeat(141),
            idle_hours: "0".into(),
            ..SelectionDraft::default()
        };
        let problems = draft.selection().unwrap_err();
        assert_eq!(
            problems.for_field(Field::State).next(),
            Some("Choose “Error”, “Failure” or “Inactive”: the statuses Deploydeck posts in bulk.")
        );
        assert_eq!(
            problems.for_field(Field::Description).next(),
            Some("A status description can have at most 140 characters; this one has 141.")
        );
        assert!(problems
            .for_field(Field::IdleHours)
            .next()
            .unwrap()
            .starts_with("At least 1 hour"));
        let fine = SelectionDraft {
            posts_status: false,
            status_state: Success,
            ..SelectionDraft::default()
        };
        assert_eq!(
            fine.selection().unwrap().write,
            Write::Delete,
            "the status fields count only for a status write"
        );
    }

    #[test]
    fn an_unfinished_recent_deployment_may_be_running_and_only_a_tick_deletes_it() {
        let mut recent = record(7, "staging", Some(InProgress));
        recent.deployment.created_at = now().plus_seconds(-3 * 3_600);
        if let Some(s) = recent.latest_status.as_mut() {
            s.created_at = now().plus_seconds(-2 * 3_600);
        }
        let mut fresh = record(8, "staging", None);
        fresh.deployment.created_at = now().plus_seconds(-60);
        let mut old = record(9, "staging", Some(Queued));
        old.deployment.created_at = now().plus_seconds(-2 * DAY);
        if let Some(s) = old.latest_status.as_mut() {
            s.created_at = now().plus_seconds(-2 * DAY);
        }
        let mut records = sample();
        records.extend([recent, fresh, old]);
        let mut plan = CleanupPlan::new(&records, &everything(), now());
        assert_eq!(
            action_of(&plan, 7),
            (
                Action::Keep,
                Reason::MayBeRunning {
                    latest: Some(InProgress),
                    hours: 2
                }
            )
        );
        assert_eq!(
            action_of(&plan, 7).1.describe(),
            "In progress 2 hours ago: it may be running now. Kept unless you tick it"
        );
        assert_eq!(action_of(&plan, 8).0, Action::Keep);
        assert_eq!(
            action_of(&plan, 9),
            (
                Action::Delete,
                Reason::NotActive {
                    latest: Some(Queued)
                }
            ),
            "a day without news: not running, and not active under GitHub's rule"
        );
        let allow_all = Selection {
            allow_live_production: true,
            ..everything()
        };
        assert_eq!(
            action_of(&CleanupPlan::new(&records, &allow_all, now()), 7).0,
            Action::Keep,
            "no switch includes them: only a tick"
        );
        assert!(plan.choose(DeploymentId(7), true));
        assert_eq!(
            action_of(&plan, 7).0,
            Action::Delete,
            "in progress is not active: no status first"
        );
        assert_eq!(plan.deletion_kinds().may_be_running, 1);
        assert!(plan.choose(DeploymentId(7), false));
        assert_eq!(action_of(&plan, 7).0, Action::Keep);
    }

    #[test]
    fn a_single_delete_keeps_to_the_guard_rails_unless_ticked() {
        let live = record(3, "staging", Some(Success));
        assert_eq!(
            single_delete(&live, Some(false), false, now()),
            (Action::Keep, Reason::Live)
        );
        assert_eq!(
            single_delete(&live, Some(false), true, now()).0,
            Action::DeactivateThenDelete
        );
        assert_eq!(
            single_delete(&live, Some(true), false, now()).1,
            Reason::LiveProduction
        );
        let old_success = record(2, "staging", Some(Success));
        assert_eq!(
            single_delete(&old_success, None, false, now()),
            (
                Action::Delete,
                Reason::NotActive {
                    latest: Some(Success)
                }
            ),
            "a success that is no longer live is not guarded, and not active"
        );
        let gone = record(1, "staging", Some(Inactive));
        assert_eq!(
            single_delete(&gone, None, false, now()),
            (Action::Delete, Reason::Inactive)
        );
        let mut running = record(4, "staging", Some(InProgress));
        running.deployment.created_at = now().plus_seconds(-600);
        assert!(matches!(
            single_delete(&running, None, false, now()),
            (Action::Keep, Reason::MayBeRunning { .. })
        ));
        // A job waiting for a review is kept however long it has waited; the same state a week old is not.
        let mut waiting = record(5, "production", Some(Waiting));
        waiting.deployment.created_at = now().plus_seconds(-7 * 86_400);
        if let Some(s) = waiting.latest_status.as_mut() {
            s.created_at = waiting.deployment.created_at;
        }
        let (action, reason) = single_delete(&waiting, None, false, now());
        assert_eq!(action, Action::Keep);
        assert_eq!(
            reason.describe(),
            "Waiting for a review (for 168 hours): its job goes on once reviewed. Kept unless you tick it"
        );
        let mut old_queued = waiting.clone();
        if let Some(s) = old_queued.latest_status.as_mut() {
            s.state = Queued;
        }
        assert_eq!(
            single_delete(&old_queued, None, false, now()).0,
            Action::Delete
        );
    }

    #[test]
    fn environments_are_chosen_by_pattern() {
        let mut records = sample();
        records.push(record(7, "review/pr-8", Some(Inactive)));
        let selection = Selection {
            environments: vec!["review/*".into(), "PRODUCTION".into()],
            ..everything()
        };
        let plan = CleanupPlan::new(&records, &selection, now());
        assert_eq!(
            plan.to_delete().map(|i| i.id.0).collect::<Vec<_>>(),
            [7, 6, 1]
        );
        assert_eq!(
            action_of(&plan, 3),
            (Action::Keep, Reason::OtherEnvironment)
        );
    }

    #[test]
    fn the_plan_deactivates_only_what_github_counts_as_active_and_keeps_live_production() {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        assert_eq!(
            plan.items.iter().map(|i| i.id.0).collect::<Vec<_>>(),
            [6, 5, 4, 3, 2, 1]
        );
        assert_eq!(action_of(&plan, 1), (Action::Delete, Reason::Inactive));
        assert_eq!(action_of(&plan, 2), (Action::Keep, Reason::LiveProduction));
        assert_eq!(
            action_of(&plan, 3),
            (
                Action::DeactivateThenDelete,
                Reason::NeedsDeactivation {
                    latest: Some(Success)
                }
            ),
            "the newest success of an environment with others"
        );
        assert_eq!(
            action_of(&plan, 4),
            (
                Action::Delete,
                Reason::NotActive {
                    latest: Some(Failure)
                }
            )
        );
        assert_eq!(
            action_of(&plan, 5),
            (Action::Delete, Reason::NotActive { latest: None })
        );
        assert_eq!(
            action_of(&plan, 5).1.describe(),
            "No status: not active, so GitHub deletes it without an inactive status first"
        );
        assert_eq!(
            plan.counts(),
            PlanCounts {
                deactivate_then_delete: 1,
                delete: 4,
                keep: 1,
                requests: 6,
                ..PlanCounts::default()
            }
        );
        let allowed = Selection {
            allow_live_production: true,
            ..everything()
        };
        let plan = CleanupPlan::new(&sample(), &allowed, now());
        assert_eq!(action_of(&plan, 2).0, Action::DeactivateThenDelete);

        // A success replaced by a newer success is not active; the only deployment of an environment is
        // deleted whatever its state.
        let mut records = sample();
        records.push(record(7, "staging", Some(Success)));
        records.push(record(8, "qa", Some(Success)));
        let plan = CleanupPlan::new(&records, &everything(), now());
        assert_eq!(
            action_of(&plan, 3),
            (
                Action::Delete,
                Reason::NotActive {
                    latest: Some(Success)
                }
            )
        );
        assert_eq!(action_of(&plan, 7).0, Action::DeactivateThenDelete);
        assert_eq!(
            action_of(&plan, 8),
            (Action::Delete, Reason::OnlyInEnvironment)
        );
    }

    #[test]
    fn a_delete_github_refuses_while_active_gets_its_status_then_one_more_try() {
        let refusal = || {
            ApiError::Validation {
            message: "Validation Failed".into(),
            issues: vec![crate::api::response::ValidationIssue {
                field: None,
                code: None,
                resource: None,
                message: Some("We cannot delete an active deployment unless it is the only deployment in a given environment.".into()),
            }],
        }
        };
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let mut run = CleanupRun::new(&plan);
        let mut sent = Vec::new();
        while let Some((id, step)) = run.next_step() {
            sent.push((id.0, step));
            // The stricter reading: every DELETE of a deployment not yet marked inactive is refused.
            let marked = sent
                .iter()
                .any(|(i, s)| *i == id.0 && *s == Step::Deactivate);
            let answer = match step {
                Step::Delete if id.0 != 6 && id.0 != 1 && !marked => Err(refusal()),
                _ => Ok(()),
            };
            let recorded = run.record(id, step, answer.clone());
            if answer.is_err() {
                assert_eq!(recorded, Recorded::RefusedWhileActive);
            }
        }
        use Step::*;
        assert_eq!(
            sent,
            [
                (6, Delete),
                (5, Delete),
                (5, Deactivate),
                (5, Delete),
                (4, Delete),
                (4, Deactivate),
                (4, Delete),
                (3, Deactivate),
                (3, Delete),
                (1, Delete)
            ]
        );
        assert_eq!(run.progress().done, 5);
        assert_eq!(run.requests_sent, 10);
        let saved = SavedRun {
            repository: "o/r".into(),
            started_at: now(),
            planned: plan.counts(),
            run: run.clone(),
        };
        assert_eq!(
            saved.requests_sentence(),
            "Requests sent: 10 (the plan needed 6; GitHub refused 2 deletes as active: each got an “inactive” status and was deleted again)."
        );
        let five = run.items.iter().find(|i| i.id == DeploymentId(5)).unwrap();
        assert_eq!(
            five.inactive_first(),
            Some("GitHub refused to delete it while active")
        );

        // Refused again after its status: a failure, not a loop.
        let mut run = CleanupRun::new(&plan);
        run.next_step();
        run.record(DeploymentId(6), Step::Delete, Ok(()));
        for step in [Step::Delete, Step::Deactivate, Step::Delete] {
            assert_eq!(run.next_step(), Some((DeploymentId(5), step)));
            let answer = if step == Step::Delete {
                Err(refusal())
            } else {
                Ok(())
            };
            run.record(DeploymentId(5), step, answer);
        }
        assert_eq!(run.progress().failed, 1);
    }

    #[test]
    fn each_selection_rule_keeps_with_its_reason() {
        let recs = sample();
        let check = |selection: Selection, id: u64, reason: Reason| {
            let plan = CleanupPlan::new(&recs, &selection, now());
            assert_eq!(
                action_of(&plan, id),
                (Action::Keep, reason),
                "{selection:?}"
            );
        };
        check(
            Selection {
                environments: vec!["staging".into()],
                ..Default::default()
            },
            1,
            Reason::OtherEnvironment,
        );
        check(
            Selection {
                git_ref: Some(TextMatch::Prefix("release/".into())),
                ..Default::default()
            },
            3,
            Reason::RefDoesNotMatch,
        );
        check(
            Selection {
                sha: Some(TextMatch::Exact("a84d88e".into())),
                ..Default::default()
            },
            3,
            Reason::ShaDoesNotMatch,
        );
        check(
            Selection {
                task: Some(TextMatch::Exact("deploy:migrations".into())),
                ..Default::default()
            },
            3,
            Reason::TaskDoesNotMatch,
        );
        check(
            Selection {
                creators: vec!["hubot".into()],
                ..Default::default()
            },
            3,
            Reason::OtherCreator,
        );
        check(
            Selection {
                states: vec![StateFilter::State(Inactive)],
                ..Default::default()
            },
            3,
            Reason::OtherState,
        );
        check(
            Selection {
                transient_only: true,
                ..Default::default()
            },
            6,
            Reason::NotTransient,
        );
        check(
            Selection {
                older_than_days: Some(400),
                ..Default::default()
            },
            6,
            Reason::TooRecent { age_days: 399 },
        );
        check(
            Selection {
                keep_newest_per_environment: 2,
                ..Default::default()
            },
            4,
            Reason::AmongNewest { rank: 2, keep: 2 },
        );

        let plan = CleanupPlan::new(
            &recs,
            &Selection {
                sha: Some(TextMatch::Prefix("a84d88e".into())),
                states: vec![StateFilter::NoStatus],
                ..Default::default()
            },
            now(),
        );
        assert_eq!(plan.to_delete().map(|i| i.id.0).collect::<Vec<_>>(), [5]);
    }

    #[test]
    fn unticking_a_row_keeps_it_and_ticking_restores_the_proposal() {
        let mut plan = CleanupPlan::new(&sample(), &everything(), now());
        assert!(plan.set_unticked(DeploymentId(3), true));
        assert_eq!(action_of(&plan, 3), (Action::Keep, Reason::UntickedByUser));
        assert!(
            !plan.set_unticked(DeploymentId(2), false),
            "a guard-rail row cannot be ticked"
        );
        assert!(plan.set_unticked(DeploymentId(3), false));
        assert_eq!(action_of(&plan, 3).0, Action::DeactivateThenDelete);
    }

    #[test]
    fn a_run_posts_inactive_only_before_an_active_deployment_and_counts_progress() {
        let mut plan = CleanupPlan::new(&sample(), &everything(), now());
        plan.set_unticked(DeploymentId(4), true);
        let mut run = CleanupRun::new(&plan);
        assert_eq!(run.progress().requests_left, 5);
        let mut sent = Vec::new();
        while let Some((id, step)) = run.next_step() {
            sent.push((id.0, step));
            run.record(id, step, Ok(()));
        }
        use Step::*;
        assert_eq!(
            sent,
            [
                (6, Delete),
                (5, Delete),
                (3, Deactivate),
                (3, Delete),
                (1, Delete)
            ],
            "only 3, the live success of an environment with others, gets a status first"
        );
        assert_eq!(
            run.progress(),
            Progress {
                total: 4,
                done: 4,
                ..Progress::default()
            }
        );
    }

    #[test]
    fn failures_are_kept_rate_limits_requeue_and_404_counts_as_gone() {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let mut run = CleanupRun::new(&plan);
        let (id, step) = run.next_step().unwrap();
        let server = ApiError::Server {
            status: 502,
            message: "Bad Gateway".into(),
        };
        assert_eq!(run.record(id, step, Err(server.clone())), Recorded::Failed);
        assert_eq!(
            run.record(id, step, Ok(())),
            Recorded::Ignored,
            "a stale answer changes nothing"
        );
        let (id2, step2) = run.next_step().unwrap();
        let limited = ApiError::RateLimited {
            limit: crate::api::response::RateLimitKind::Secondary,
            wait: crate::api::response::RetryWait::Seconds(60),
            message: "You have exceeded a secondary rate limit".into(),
        };
        assert_eq!(run.record(id2, step2, Err(limited)), Recorded::Requeued);
        assert_eq!(run.next_step(), Some((id2, step2)));
        assert_eq!(
            run.record(
                id2,
                step2,
                Err(ApiError::NotFound {
                    message: "Not Found".into()
                })
            ),
            Recorded::Finished
        );
        assert_eq!(run.failures_by_message().len(), 1);
        assert_eq!(run.retry_failed(), 1);
        assert_eq!(run.next_step(), Some((id, step)));
    }

    #[test]
    fn pause_resume_cancel_and_restore() {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let mut run = CleanupRun::new(&plan);
        let (id, step) = run.next_step().unwrap();
        run.pause();
        assert_eq!(run.next_step(), None);
        let mut reloaded: CleanupRun =
            serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap();
        reloaded.restore();
        reloaded.resume();
        assert_eq!(
            reloaded.next_step(),
            Some((id, step)),
            "the lost in-flight step is sent again"
        );
        reloaded.cancel();
        assert_eq!(reloaded.next_step(), None);
        assert_eq!(reloaded.record(id, step, Ok(())), Recorded::Finished);
        let p = reloaded.progress();
        assert_eq!((p.done, p.skipped, p.pending), (1, p.total - 1, 0));
        assert!(reloaded.is_settled());
    }

    #[test]
    fn the_selection_form_becomes_rules_or_says_which_field_is_wrong() {
        let draft = SelectionDraft {
            environments: "staging, preview/* ,".into(),
            git_ref: " release/ ".into(),
            ref_prefix: true,
            sha: "A84D88E".into(),
            creators: "@mona, hubot  dependabot[bot],MONA".into(),
            older_than_days: "30".into(),
            keep_newest: "".into(),
            ..SelectionDraft::default()
        };
        let selection = draft.selection().unwrap();
        assert_eq!(
            selection.git_ref,
            Some(TextMatch::Prefix("release/".into()))
        );
        assert_eq!(selection.sha, Some(TextMatch::Exact("a84d88e".into())));
        assert_eq!(selection.environments, ["staging", "preview/*"]);
        assert_eq!(
            selection.states,
            [StateFilter::State(DeploymentState::Inactive)],
            "by default only inactive deployments are selected"
        );
        assert_eq!(selection.task, None);
        assert_eq!(selection.creators, ["mona", "hubot", "dependabot[bot]"]);
        assert_eq!(selection.older_than_days, Some(30));
        assert_eq!(selection.keep_newest_per_environment, 0);

        let bad = SelectionDraft {
            sha: "not-a-sha".into(),
            creators: "mona <script>".into(),
            older_than_days: "-1".into(),
            keep_newest: "1.5".into(),
            ..SelectionDraft::default()
        };
        let problems = bad.selection().unwrap_err();
        for field in [
            Field::Sha,
            Field::Creators,
            Field::OlderThanDays,
            Field::KeepNewest,
        ] {
            assert_eq!(problems.for_field(field).count(), 1, "{field:?}");
        }
    }

    #[test]
    fn a_saved_run_comes_back_ready_to_continue_and_its_report_says_what_happened() {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let mut run = CleanupRun::new(&plan);
        let (first, step) = run.next_step().unwrap();
        run.record(first, step, Ok(()));
        let (second, step) = run.next_step().unwrap();
        run.record(
            second,
            step,
            Err(ApiError::Server {
                status: 502,
                message: "Bad Gateway".into(),
            }),
        );
        let (lost, lost_step) = run.next_step().unwrap();
        let saved = SavedRun {
            repository: "acme/shop".into(),
            started_at: now(),
            planned: plan.counts(),
            run,
        };
        let mut back = SavedRun::from_json(&saved.to_json()).unwrap();
        assert_eq!(back.run.progress().in_flight, 0);
        assert_eq!(
            back.run.next_step(),
            Some((lost, lost_step)),
            "the lost step goes again"
        );
        assert_eq!(SavedRun::from_json("{\"run\": 1}"), None);

        let rows = crate::text::read_csv(&report_csv(&saved.run), ',');
        assert_eq!(
            rows[0],
            [
                "id",
                "environment",
                "ref",
                "sha",
                "action",
                "outcome",
                "inactive_first",
                "failed_step",
                "error"
            ]
        );
        assert_eq!(
            (rows[1][0].clone(), rows[1][5].as_str()),
            (first.0.to_string(), "deleted")
        );
        assert_eq!(
            (rows[2][5].as_str(), rows[2][7].as_str()),
            ("failed", "deleting"),
            "{:?}",
            rows[2]
        );
        assert_eq!(
            rows[4][6], "active: the newest success of its environment",
            "{:?}",
            rows[4]
        );
        let json: serde_json::Value = serde_json::from_str(&report_json(&saved, now())).unwrap();
        assert_eq!(json["planned_requests"], 6);
        assert_eq!(json["requests_sent"], 3);
        assert_eq!(json["progress"]["done"], 1);
        assert_eq!(json["items"][1]["outcome"], "failed");
        assert_eq!(json["items"][1]["failed_step"], "delete");
        assert!(json["items"][0].get("error").is_none());
        assert_eq!(
            json["items"][3]["inactive_first"],
            "active: the newest success of its environment"
        );
    }

    #[test]
    fn the_backup_holds_each_deployment_with_every_status() {
        let d = crate::github::rules::tests::deployment(7, "staging");
        let statuses = vec![
            crate::github::rules::tests::status(2, &d, Success),
            crate::github::rules::tests::status(1, &d, Queued),
        ];
        let json: serde_json::Value =
            serde_json::from_str(&backup_json("acme/shop", now(), &[(d.clone(), statuses)]))
                .unwrap();
        assert_eq!(json["repository"], "acme/shop");
        assert_eq!(json["deployments"][0]["deployment"]["id"], 7);
        assert_eq!(json["deployments"][0]["statuses"][1]["state"], "queued");
    }

    #[test]
    fn the_eta_follows_the_pace_so_far() {
        assert_eq!(eta_ms(2, 2_000, 10), None, "too early to say");
        assert_eq!(eta_ms(10, 5_000, 20), Some(10_000));
        assert_eq!(eta_ms(10, 5_000, 0), Some(0));
    }
}
