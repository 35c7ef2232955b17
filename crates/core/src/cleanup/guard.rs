//! The guard rails and the reasons: what the selection's rules alone never delete (what runs in production or
//! elsewhere, what may be running now), and why the plan keeps or acts on each row, in words.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::github::model::DeploymentState;
use crate::github::rules::DeploymentRecord;
use crate::pattern::any_matches;
use crate::text::count;
use crate::timestamp::Timestamp;

use super::select::{Selection, TextMatch, MAY_BE_RUNNING_SECS};

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
    pub(super) fn reason(self, record: &DeploymentRecord, now: Timestamp) -> Reason {
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

pub(super) fn keep_reason(
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
