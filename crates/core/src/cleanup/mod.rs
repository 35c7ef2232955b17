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
//!
//! # Stages, and how to drive a run
//!
//! `select` (the rules, the form) → `plan` ([`CleanupPlan::build`]: every deployment with its action and reason,
//! the guard rails) → `run` ([`CleanupRun`]) → `report`; `tabs` keeps a kept run to one tab; `script` turns a
//! run into a POSIX shell script; `environments` deletes the environments a cleanup leaves empty.
//!
//! A run is driven like a sans-IO protocol state machine: call [`CleanupRun::next_step`] for the next request
//! (`None`: paused, cancelled, or nothing pending), perform it, and hand its answer to [`CleanupRun::record`] —
//! in any order when several are in flight; after a reload, [`CleanupRun::restore`] puts what was in flight
//! back. Commands from the person ([`RunCommand`]) change its status between steps.

mod guard;
mod plan;
mod report;
mod run;
mod select;
mod tabs;

pub mod environments;
pub mod script;

#[cfg(test)]
mod tests;

pub use guard::{guard_sentence, Guard, Reason};
pub use plan::{
    duration_note, parse_spacing, single_delete, Action, CleanupPlan, DeletionKinds, PlanCounts,
    PlanItem, PlanRows, LONG_RUN_SECS, MAX_PACE_MS,
};
pub use report::{backup_json, report_csv, report_json};
pub use run::{
    eta_ms, hold_note, CleanupRun, ItemState, Progress, Recorded, RunBadge, RunItem, RunStatus,
    SavedRun, Step,
};
pub use select::{
    parse_list, Selection, SelectionDraft, StateFilter, TextMatch, Write, MAY_BE_RUNNING_SECS,
    STUCK_HOURS, STUCK_STATES,
};
pub use tabs::{RunCommand, TabRole};
