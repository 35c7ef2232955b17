//! The selection: the rules a person sets (environments, ref, SHA, task, creator, state, age, keep the newest N,
//! transient), what the run writes (delete, or a status), the form as typed and its checks, and the ready-made
//! stuck rule.

use serde::{Deserialize, Serialize};

use crate::github::model::DeploymentState;
use crate::github::validate::{Field, Problems};
use crate::pattern::parse_patterns;
use crate::text::count;

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
    pub(super) fn matches(self, latest: Option<DeploymentState>) -> bool {
        match self {
            StateFilter::NoStatus => latest.is_none(),
            StateFilter::State(s) => latest == Some(s),
        }
    }
}

/// How long a deployment that is pending, queued, in progress or without a status counts as possibly
/// running: since its last status (or its creation) less than a day ago.
pub const MAY_BE_RUNNING_SECS: i64 = 86_400;

/// What a run does to each deployment it takes: delete it (a cleanup), or post a status on it (e.g. `error`
/// on deployments stuck in progress, `inactive` on old previews) and keep it.
///
/// Read back (a kept run) through one flat record, [`WriteRecord`], in the form written here (why: `api::records`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", try_from = "WriteRecord")]
pub enum Write {
    #[default]
    Delete,
    Status {
        state: DeploymentState,
        description: String,
    },
}

/// [`Write`] as written: `kind` and the fields of `status`.
#[derive(Deserialize)]
struct WriteRecord {
    kind: String,
    state: Option<DeploymentState>,
    description: Option<String>,
}

impl TryFrom<WriteRecord> for Write {
    type Error = String;

    fn try_from(r: WriteRecord) -> Result<Write, String> {
        use crate::api::records::{need, unknown};
        Ok(match r.kind.as_str() {
            "delete" => Write::Delete,
            "status" => Write::Status {
                state: need(r.state, "state")?,
                description: need(r.description, "description")?,
            },
            other => return Err(unknown("kind", other)),
        })
    }
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
