//! The History view's decisions, without I/O: its filters as they travel in the address, which filters
//! GitHub applies and which the page applies, the time a deployment spent in each state, the export files,
//! the chart's series and which rows a scrolled window shows.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::api::request::DeploymentFilter;
use crate::github::model::{Deployment, DeploymentState, DeploymentStatus, Latest};
use crate::github::rules::{DeploymentRecord, Record};
use crate::timestamp::Timestamp;
use crate::url::encode_component;

/// The History view's filters: `environment`, `ref`, `sha` and `task` are GitHub's own (sent with the list
/// request, docs/github-api.md §8.1); `creator` and `state` are applied by the page (GitHub cannot filter on them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryFilter {
    pub environment: String,
    pub git_ref: String,
    pub sha: String,
    pub task: String,
    /// A creator's login, compared without regard to case (GitHub logins are case-insensitive).
    pub creator: String,
    pub state: Option<DeploymentState>,
}

/// The query names, in the order they are written.
const NAMES: [&str; 6] = ["environment", "ref", "sha", "task", "creator", "state"];

impl HistoryFilter {
    /// Reads the filters from an address's query (other names, such as `api`, are ignored; an unknown state
    /// is no state filter).
    pub fn from_query(query: &str) -> Self {
        let value = |name: &str| crate::url::query_value(query, name).unwrap_or_default();
        HistoryFilter {
            environment: value("environment"),
            git_ref: value("ref"),
            sha: value("sha"),
            task: value("task"),
            creator: value("creator"),
            state: DeploymentState::parse(&value("state")),
        }
    }

    /// The filters as `name=value` query pairs, encoded, leaving out the empty ones.
    pub fn to_query(&self) -> String {
        let values = [
            self.environment.as_str(),
            self.git_ref.as_str(),
            self.sha.as_str(),
            self.task.as_str(),
            self.creator.as_str(),
            self.state.map(DeploymentState::as_str).unwrap_or(""),
        ];
        NAMES
            .iter()
            .zip(values)
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(n, v)| format!("{n}={}", encode_component(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn is_empty(&self) -> bool {
        self == &HistoryFilter::default()
    }

    /// What GitHub filters (sent with the list request).
    pub fn api_filter(&self) -> DeploymentFilter {
        DeploymentFilter {
            sha: self.sha.trim().to_owned(),
            git_ref: self.git_ref.trim().to_owned(),
            task: self.task.trim().to_owned(),
            environment: self.environment.trim().to_owned(),
        }
    }

    /// Whether the page's own filters need each row's latest state (a state filter does).
    pub fn needs_states(&self) -> bool {
        self.state.is_some()
    }

    /// The page's own filters: `None` while the answer depends on a latest state not loaded yet.
    pub fn keeps(
        &self,
        deployment: &Deployment,
        latest: Option<Option<DeploymentState>>,
    ) -> Option<bool> {
        let creator = self.creator.trim();
        if !creator.is_empty()
            && !deployment
                .creator_login()
                .is_some_and(|login| login.eq_ignore_ascii_case(creator))
        {
            return Some(false);
        }
        match self.state {
            None => Some(true),
            Some(wanted) => latest.map(|state| state == Some(wanted)),
        }
    }
}

/// How long a deployment spent in one state: from that status until the next (or until `now` for the
/// latest, unless it is final — `success`, `failure`, `error` and `inactive` have no end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateSpan {
    pub state: DeploymentState,
    pub since: Timestamp,
    /// `None`: still in this state.
    pub seconds: Option<i64>,
}

/// The states of a deployment in order (oldest first) with the time spent in each, from its statuses in
/// GitHub's order (newest first).
pub fn state_spans(statuses: &[DeploymentStatus], now: Timestamp) -> Vec<StateSpan> {
    let mut oldest_first: Vec<&DeploymentStatus> = statuses.iter().collect();
    crate::order::sort_by_key(&mut oldest_first, |s| (s.created_at, s.id));
    let mut spans = Vec::with_capacity(oldest_first.len());
    for (i, status) in oldest_first.iter().enumerate() {
        let seconds = match oldest_first.get(i + 1) {
            Some(next) => Some(next.created_at.seconds_since(status.created_at).max(0)),
            None if status.state.is_transitional() => None,
            None => None,
        };
        spans.push(StateSpan {
            state: status.state,
            since: status.created_at,
            seconds,
        });
    }
    // The latest transitional state is still running: say for how long so far.
    if let Some(last) = spans.last_mut() {
        if last.state.is_transitional() {
            last.seconds = Some(now.seconds_since(last.since).max(0));
        }
    }
    spans
}

use crate::text::csv_line;
pub use crate::text::format_duration;

/// One exported row: a deployment with its latest status (when loaded).
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow<'a> {
    pub deployment: &'a Deployment,
    pub latest_status: Option<&'a Latest>,
}

/// The two ways History exports its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
}

impl ExportFormat {
    /// The file's text, type and name.
    pub fn file(self, records: &[DeploymentRecord]) -> (String, &'static str, &'static str) {
        match self {
            ExportFormat::Json => (export_json(records), "application/json", "deployments.json"),
            ExportFormat::Csv => (export_csv(records), "text/csv", "deployments.csv"),
        }
    }
}

/// The filtered list as JSON: each deployment as GitHub sent it, with its latest status.
pub fn export_json(records: &[DeploymentRecord]) -> String {
    let rows: Vec<ExportRow<'_>> = records
        .iter()
        .map(|r| ExportRow {
            deployment: &r.deployment,
            latest_status: r.latest_status.as_ref(),
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
}

const CSV_HEADER: [&str; 12] = [
    "id",
    "environment",
    "ref",
    "sha",
    "task",
    "creator",
    "created_at",
    "latest_state",
    "latest_state_at",
    "description",
    "transient",
    "production",
];

/// The filtered list as CSV: every field quoted, and defused where a spreadsheet would read a formula
/// (`text::csv_line`).
pub fn export_csv(records: &[DeploymentRecord]) -> String {
    let mut out = csv_line(&CSV_HEADER);
    for r in records {
        let d = &r.deployment;
        let latest = r.latest_status.as_ref();
        out.push_str(&csv_line(&[
            d.id.0.to_string(),
            d.environment.clone(),
            d.git_ref.clone(),
            d.sha.clone(),
            d.task.clone(),
            d.creator_login().unwrap_or_default().to_owned(),
            d.created_at.to_string(),
            latest
                .map(|s| s.state.as_str().to_owned())
                .unwrap_or_default(),
            latest.map(|s| s.created_at.to_string()).unwrap_or_default(),
            d.description.clone().unwrap_or_default(),
            d.transient_environment.to_string(),
            d.production_environment.to_string(),
        ]));
    }
    out
}

/// How a deployment ended, for the chart's colours (and its legend's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Succeeded,
    Failed,
    InProgress,
    Inactive,
    NoStatus,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Succeeded,
        Outcome::Failed,
        Outcome::InProgress,
        Outcome::Inactive,
        Outcome::NoStatus,
    ];

    pub fn of(latest: Option<DeploymentState>) -> Outcome {
        match latest {
            Some(DeploymentState::Success) => Outcome::Succeeded,
            Some(DeploymentState::Failure | DeploymentState::Error) => Outcome::Failed,
            Some(DeploymentState::Inactive) => Outcome::Inactive,
            Some(_) => Outcome::InProgress,
            None => Outcome::NoStatus,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::InProgress => "in progress",
            Outcome::Inactive => "inactive",
            Outcome::NoStatus => "no status",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Outcome::Succeeded => "outcome-succeeded",
            Outcome::Failed => "outcome-failed",
            Outcome::InProgress => "outcome-in-progress",
            Outcome::Inactive => "outcome-inactive",
            Outcome::NoStatus => "outcome-none",
        }
    }
}

/// The chart: per environment (most deployments first, at most `max_environments`), per day, how many
/// deployments were created and how they ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Days as `YYYY-MM-DD`, oldest first, every day from the first to the last (gaps included).
    pub days: Vec<String>,
    pub environments: Vec<ChartRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartRow {
    pub environment: String,
    /// Per day (aligned with `Chart::days`), counts per outcome.
    pub counts: Vec<BTreeMap<Outcome, u32>>,
}

impl Chart {
    pub fn max_per_day(&self) -> u32 {
        self.environments
            .iter()
            .flat_map(|e| e.counts.iter().map(|c| c.values().sum::<u32>()))
            .max()
            .unwrap_or(0)
    }
}

/// Builds the chart from records whose states are known (`None` latest: no status yet), over the last
/// `max_days` days that have deployments.
pub fn chart<R: Record>(records: &[R], max_environments: usize, max_days: usize) -> Chart {
    let day_of = |t: Timestamp| {
        let (y, m, d, ..) = t.to_civil();
        (y, m, d)
    };
    let Some(last) = records.iter().map(|r| r.deployment().created_at).max() else {
        return Chart {
            days: Vec::new(),
            environments: Vec::new(),
        };
    };
    let first_allowed = last.plus_seconds(-86_400 * (max_days.max(1) as i64 - 1));
    let first = records
        .iter()
        .map(|r| r.deployment().created_at)
        .filter(|t| *t >= first_allowed || day_of(*t) == day_of(first_allowed))
        .min()
        .unwrap_or(last);
    let mut days = Vec::new();
    let mut index: BTreeMap<(i64, u32, u32), usize> = BTreeMap::new();
    let mut day = first;
    while day_of(day) <= day_of(last) {
        let (y, m, d) = day_of(day);
        index.insert((y, m, d), days.len());
        days.push(format!("{y:04}-{m:02}-{d:02}"));
        day = day.plus_seconds(86_400);
    }
    let mut per_env: BTreeMap<&str, Vec<BTreeMap<Outcome, u32>>> = BTreeMap::new();
    for r in records {
        let d = r.deployment();
        let Some(&i) = index.get(&day_of(d.created_at)) else {
            continue;
        };
        let counts = per_env
            .entry(d.environment.as_str())
            .or_insert_with(|| vec![BTreeMap::new(); days.len()]);
        *counts[i].entry(Outcome::of(r.state())).or_insert(0) += 1;
    }
    let mut environments: Vec<ChartRow> = per_env
        .into_iter()
        .map(|(environment, counts)| ChartRow {
            environment: environment.to_owned(),
            counts,
        })
        .collect();
    let total = |row: &ChartRow| -> u32 { row.counts.iter().flat_map(|c| c.values()).sum() };
    crate::order::sort_by(&mut environments, |a, b| {
        total(b)
            .cmp(&total(a))
            .then(a.environment.cmp(&b.environment))
    });
    environments.truncate(max_environments);
    Chart { days, environments }
}

/// One environment at a glance, from the deployments whose latest states are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentSummary {
    pub name: String,
    /// What serves it now (its newest deployment whose latest state is `success`).
    pub live: Option<crate::github::rules::LiveDeployment>,
    /// Its newest deployments (at most 5), newest first, with their latest states.
    pub recent: Vec<(crate::github::model::DeploymentId, Option<DeploymentState>)>,
    pub deployments: usize,
    /// What a rollback would go back to: the newest deployment older than what is live, of another commit,
    /// that succeeded and was replaced (latest state `inactive`, as auto-inactive leaves it, or `success`).
    /// `None` for previews and where nothing is live.
    pub previous: Option<crate::github::model::DeploymentId>,
    /// Its deployments are transient (a preview); `destroyed` once all of them are inactive.
    pub transient: bool,
    pub destroyed: bool,
}

/// Every environment of `records`, most recently deployed first.
pub fn environments<R: Record>(records: &[R]) -> Vec<EnvironmentSummary> {
    let live = crate::github::rules::live_per_environment(records);
    let mut by_name: BTreeMap<&str, Vec<&R>> = BTreeMap::new();
    for r in records {
        by_name
            .entry(r.deployment().environment.as_str())
            .or_default()
            .push(r);
    }
    let mut out: Vec<EnvironmentSummary> = by_name
        .into_iter()
        .map(|(name, mut list)| {
            crate::order::sort_by_key(&mut list, |r| std::cmp::Reverse(r.deployment().id));
            let transient = list.iter().all(|r| r.deployment().transient_environment);
            let live = live.get(name).cloned();
            let live_sha = live.as_ref().and_then(|l| {
                list.iter()
                    .find(|r| r.deployment().id == l.deployment_id)
                    .map(|r| r.deployment().sha.as_str())
            });
            let previous = live_sha.filter(|_| !transient).and_then(|sha| {
                let below = live.as_ref().map(|l| l.deployment_id)?;
                list.iter()
                    .filter(|r| r.deployment().id < below && r.deployment().sha != sha)
                    .find(|r| {
                        matches!(
                            r.state(),
                            Some(DeploymentState::Inactive | DeploymentState::Success)
                        )
                    })
                    .map(|r| r.deployment().id)
            });
            EnvironmentSummary {
                name: name.to_owned(),
                live,
                previous,
                recent: list
                    .iter()
                    .take(5)
                    .map(|r| (r.deployment().id, r.state()))
                    .collect(),
                deployments: list.len(),
                transient,
                destroyed: transient
                    && list
                        .iter()
                        .all(|r| r.state() == Some(DeploymentState::Inactive)),
            }
        })
        .collect();
    crate::order::sort_by(&mut out, |a, b| {
        b.recent
            .first()
            .map(|r| r.0)
            .cmp(&a.recent.first().map(|r| r.0))
    });
    out
}

/// The rows a scrolled list shows: `[start, end)` of `total` rows of `row_height` pixels, for a viewport of
/// `viewport` pixels scrolled by `scroll_top`, with `overscan` rows either side.
pub fn visible_rows(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    total: usize,
    overscan: usize,
) -> (usize, usize) {
    if total == 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let count = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(total);
    let end = first
        .saturating_add(count)
        .saturating_add(overscan)
        .min(total);
    (start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::model::DeploymentId;
    use crate::github::rules::tests::{deployment, record, status};
    use proptest::prelude::*;

    #[test]
    fn filters_travel_in_the_query_and_split_between_github_and_the_page() {
        let filter = HistoryFilter::from_query(
            "?api=http%3A%2F%2Fx&environment=prod%20eu&ref=main&creator=Mona&state=success&x=1",
        );
        assert_eq!(filter.environment, "prod eu");
        assert_eq!(filter.state, Some(DeploymentState::Success));
        assert_eq!(
            filter.to_query(),
            "environment=prod%20eu&ref=main&creator=Mona&state=success"
        );
        assert_eq!(filter.api_filter().environment, "prod eu");
        assert!(filter.needs_states());
        assert_eq!(HistoryFilter::from_query("state=bogus").state, None);
        assert!(HistoryFilter::from_query("").is_empty());

        let mut d = deployment(1, "production");
        assert_eq!(filter.keeps(&d, None), Some(false), "creator differs");
        std::sync::Arc::make_mut(d.creator.as_mut().unwrap()).login = "mona".into();
        assert_eq!(filter.keeps(&d, None), None, "state not known yet");
        assert_eq!(
            filter.keeps(&d, Some(Some(DeploymentState::Success))),
            Some(true)
        );
        assert_eq!(filter.keeps(&d, Some(None)), Some(false));
    }

    #[test]
    fn each_state_lasts_until_the_next_status_and_a_running_one_until_now() {
        let d = deployment(1, "production");
        let mut queued = status(1, &d, DeploymentState::Queued);
        let mut running = status(2, &d, DeploymentState::InProgress);
        let mut done = status(3, &d, DeploymentState::Success);
        let t0 = Timestamp::parse("2026-11-21T10:00:00Z").unwrap();
        queued.created_at = t0;
        running.created_at = t0.plus_seconds(12);
        done.created_at = t0.plus_seconds(200);
        let spans = state_spans(
            &[done.clone(), running.clone(), queued.clone()],
            t0.plus_seconds(999),
        );
        let got: Vec<_> = spans.iter().map(|s| (s.state, s.seconds)).collect();
        assert_eq!(
            got,
            [
                (DeploymentState::Queued, Some(12)),
                (DeploymentState::InProgress, Some(188)),
                (DeploymentState::Success, None)
            ]
        );
        let spans = state_spans(&[running, queued], t0.plus_seconds(70));
        assert_eq!(spans.last().map(|s| s.seconds), Some(Some(58)));
        assert_eq!(format_duration(12), "12 s");
        assert_eq!(format_duration(200), "3 min 20 s");
        assert_eq!(format_duration(7_500), "2 h 5 min");
        assert_eq!(format_duration(100_000), "1 d 3 h");
    }

    #[test]
    fn csv_quotes_every_field_and_defuses_formulas() {
        let mut r = record(7, "pr-1;=HYPERLINK(\"x\")", Some(DeploymentState::Success));
        r.deployment.description = Some("=HYPERLINK(\"x\"), and \"more\"\nline".into());
        let csv = export_csv(&[r]);
        assert!(csv.starts_with("\"id\",\"environment\",\"ref\""));
        let rows = crate::text::read_csv(&csv, ',');
        assert_eq!(rows[0], CSV_HEADER);
        assert_eq!(rows[1][0], "7");
        assert_eq!(rows[1][1], "pr-1;'=HYPERLINK(\"x\")");
        assert_eq!(rows[1][7], "success");
        assert_eq!(rows[1][9], "'=HYPERLINK(\"x\"), and \"more\"\nline");
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn json_export_keeps_each_deployment_with_its_latest_status() {
        let records = [
            record(7, "production", Some(DeploymentState::Success)),
            record(8, "qa", None),
        ];
        let value: serde_json::Value = serde_json::from_str(&export_json(&records)).unwrap();
        assert_eq!(value[0]["deployment"]["id"], 7);
        assert_eq!(value[0]["latest_status"]["state"], "success");
        assert!(value[1]["latest_status"].is_null());
    }

    #[test]
    fn the_chart_counts_outcomes_per_environment_per_day() {
        let mut records = vec![
            record(1, "production", Some(DeploymentState::Success)),
            record(2, "production", Some(DeploymentState::Failure)),
            record(3, "staging", None),
        ];
        let t0 = Timestamp::parse("2026-11-19T10:00:00Z").unwrap();
        records[0].deployment.created_at = t0;
        records[1].deployment.created_at = t0.plus_seconds(2 * 86_400);
        records[2].deployment.created_at = t0.plus_seconds(2 * 86_400 + 60);
        let chart = chart(&records, 10, 30);
        assert_eq!(chart.days, ["2026-11-19", "2026-11-20", "2026-11-21"]);
        assert_eq!(chart.environments[0].environment, "production");
        assert_eq!(
            chart.environments[0].counts[0].get(&Outcome::Succeeded),
            Some(&1)
        );
        assert_eq!(
            chart.environments[0].counts[2].get(&Outcome::Failed),
            Some(&1)
        );
        assert_eq!(
            chart.environments[1].counts[2].get(&Outcome::NoStatus),
            Some(&1)
        );
        assert_eq!(chart.max_per_day(), 1);
        let _ = DeploymentId(0);
    }

    #[test]
    fn environments_say_what_is_live_and_which_previews_are_gone() {
        let mut preview_old = record(1, "preview/pr-1", Some(DeploymentState::Inactive));
        preview_old.deployment.transient_environment = true;
        let mut preview_live = record(2, "preview/pr-2", Some(DeploymentState::Success));
        preview_live.deployment.transient_environment = true;
        let records = [
            preview_old,
            preview_live,
            record(3, "production", Some(DeploymentState::Success)),
            record(4, "production", Some(DeploymentState::Failure)),
        ];
        let envs = environments(&records);
        let names: Vec<_> = envs.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["production", "preview/pr-2", "preview/pr-1"]);
        assert_eq!(envs[0].live.as_ref().map(|l| l.deployment_id.0), Some(3));
        assert_eq!(
            envs[0].recent.iter().map(|r| r.0 .0).collect::<Vec<_>>(),
            [4, 3]
        );
        assert!(!envs[0].transient);
        assert!(envs[1].transient && !envs[1].destroyed);
        assert!(envs[2].transient && envs[2].destroyed && envs[2].live.is_none());
        assert_eq!(envs[1].previous, None, "a preview is not rolled back");
    }

    #[test]
    fn an_environment_names_what_a_rollback_would_go_back_to() {
        let on = |id, state, sha: &str| {
            let mut r = record(id, "production", Some(state));
            r.deployment.sha = sha.repeat(40);
            r
        };
        let records = [
            on(1, DeploymentState::Inactive, "a"),
            on(2, DeploymentState::Failure, "b"),
            on(3, DeploymentState::Inactive, "c"),
            on(4, DeploymentState::Inactive, "d"),
            on(5, DeploymentState::Success, "d"),
            on(6, DeploymentState::Failure, "e"),
        ];
        let envs = environments(&records);
        assert_eq!(envs[0].live.as_ref().map(|l| l.deployment_id.0), Some(5));
        // Not 6 (newer, failed), not 4 (the same commit as what runs), not 2 (it failed): 3.
        assert_eq!(envs[0].previous, Some(DeploymentId(3)));
        assert_eq!(
            environments(&records[..1])[0].previous,
            None,
            "nothing is live"
        );
    }

    proptest! {
        #[test]
        fn any_filter_round_trips_through_the_query(
            environment in "\\PC{0,12}", git_ref in "\\PC{0,12}", creator in "[A-Za-z0-9-]{0,10}", state in 0usize..8,
        ) {
            let filter = HistoryFilter {
                environment: environment.trim().to_owned(),
                git_ref: git_ref.trim().to_owned(),
                creator,
                state: DeploymentState::ALL.get(state).copied(),
                ..HistoryFilter::default()
            };
            prop_assert_eq!(HistoryFilter::from_query(&filter.to_query()), filter);
        }

        #[test]
        fn the_window_always_covers_the_viewport_within_the_list(
            scroll in 0.0f64..500_000.0, viewport in 0.0f64..3_000.0, total in 0usize..10_000, overscan in 0usize..20,
        ) {
            let (start, end) = visible_rows(scroll, viewport, 40.0, total, overscan);
            prop_assert!(start <= end && end <= total);
            let first_visible = ((scroll / 40.0).floor() as usize).min(total);
            let last_visible = (((scroll + viewport) / 40.0).ceil() as usize).min(total);
            prop_assert!(start <= first_visible);
            prop_assert!(end >= last_visible);
        }
    }
}
