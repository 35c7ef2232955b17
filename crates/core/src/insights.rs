//! Insights: the four delivery measures DORA names — how often an environment is deployed to, how often a
//! deployment fails, how long a failure takes to restore, how long a commit takes to arrive — for one
//! repository's environments over a period, from its deployments and their statuses, without I/O.
//!
//! The definitions and the decided edge cases are written out in `docs/insights.md`; in short:
//!
//! - a deployment's **outcome** is the last `success`, `failure` or `error` among its statuses (in time
//!   order; `inactive` and the waiting states say nothing about how it went, and a status posted after
//!   `inactive` still counts); none of them: *unfinished*, counted apart;
//! - a **period** is half-open (`from` ≤ created < `to`), and its figures read only deployments created before
//!   its end, so a later deployment never changes an earlier period (a failure is restored in the period or
//!   not yet);
//! - environments are one whatever the case of their name (GitHub's names are case-insensitive), shown as the
//!   newest deployment spells it;
//! - times that run backwards (a status older than its deployment, clocks out of step) make a duration of 0,
//!   never a negative one.
//!
//! - [`Sample`]: one deployment as the measures need it; [`read_page`] makes them from the GraphQL read.
//! - [`measure`]: a [`Measures`] per environment for a [`Period`]; [`lead_reads`] the commit comparisons lead
//!   time needs, whose answers come back as [`Shipped`].
//! - [`Band`]: where a figure sits among the 2024 State of DevOps report's clusters, said as it is.
//! - [`export_csv`] / [`export_json`]: what the page shows, as files.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::api::compare::Comparison;
use crate::api::graphql::status_state;
use crate::api::http::HttpRequest;
use crate::api::request::Client;
use crate::github::model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus};
use crate::github::rules::production_rank;
use crate::github::validate::RepoRef;
use crate::text::{count, csv_field, csv_line, decimal, format_duration};
use crate::timestamp::Timestamp;

mod parts;
pub use parts::{LineCommits, LineParts, GUESS_PAGES, MAX_PARTS, PARTS_PAGES};

pub const DAY_S: i64 = 86_400;
/// The longest period the page measures (a year and a day: a leap year's whole).
pub const MAX_DAYS: i64 = 366;
/// Deployments asked per GraphQL page: 100 with their first 100 statuses cost one point (docs/insights.md).
pub const PAGE: usize = 100;
/// Statuses read per deployment in the bulk read; its latest status is asked besides, so a deployment with
/// more still has its outcome.
pub const STATUSES: usize = 100;
/// The most deployments one read keeps (memory and time stay bounded on a hostile or huge host).
pub const MAX_SAMPLES: usize = 100_000;
/// A success replaced this soon by a deployment of a commit the environment ran before was rolled back.
pub const ROLLBACK_WINDOW_S: i64 = DAY_S;

/// One status, as the measures need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub state: DeploymentState,
    pub at: Timestamp,
}

/// One deployment, as the measures need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub id: DeploymentId,
    pub environment: String,
    pub sha: String,
    pub created_at: Timestamp,
    /// Its statuses, in any order.
    pub statuses: Vec<Mark>,
}

/// How a deployment went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "at", rename_all = "snake_case")]
pub enum Outcome {
    Succeeded(Timestamp),
    /// `failure` or `error`.
    Failed(Timestamp),
    Unfinished,
}

impl Sample {
    /// A deployment read through REST, with its statuses.
    pub fn from_rest(deployment: &Deployment, statuses: &[DeploymentStatus]) -> Sample {
        Sample {
            id: deployment.id,
            environment: deployment.environment.chars().take(255).collect(),
            sha: deployment.sha.chars().take(64).collect(),
            created_at: deployment.created_at,
            statuses: statuses
                .iter()
                .map(|s| Mark {
                    state: s.state,
                    at: s.created_at,
                })
                .collect(),
        }
    }

    /// The last `success`, `failure` or `error` by time (ties: the later in the list, as GitHub's ids grow).
    pub fn outcome(&self) -> Outcome {
        let mut last: Option<(Timestamp, usize, DeploymentState)> = None;
        for (n, mark) in self.statuses.iter().enumerate() {
            if !matches!(
                mark.state,
                DeploymentState::Success | DeploymentState::Failure | DeploymentState::Error
            ) {
                continue;
            }
            if last.is_none_or(|(at, i, _)| (mark.at, n) > (at, i)) {
                last = Some((mark.at, n, mark.state));
            }
        }
        match last {
            Some((at, _, DeploymentState::Success)) => Outcome::Succeeded(at),
            Some((at, _, _)) => Outcome::Failed(at),
            None => Outcome::Unfinished,
        }
    }
}

/// A half-open span of time: `from` ≤ t < `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Period {
    /// The `days` whole UTC days up to and including `now`'s (1 ≤ days ≤ [`MAX_DAYS`]).
    pub fn last_days(now: Timestamp, days: i64) -> Period {
        let days = days.clamp(1, MAX_DAYS);
        let end = now.unix().div_euclid(DAY_S) * DAY_S + DAY_S;
        Period {
            from: Timestamp::from_unix(end - days * DAY_S),
            to: Timestamp::from_unix(end),
        }
    }

    /// A chosen range of UTC days, `first` to `last` inclusive (swapped when reversed, capped at
    /// [`MAX_DAYS`] from `last`).
    pub fn days(first: Timestamp, last: Timestamp) -> Period {
        let (a, b) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        let from = a.unix().div_euclid(DAY_S) * DAY_S;
        let to = b.unix().div_euclid(DAY_S) * DAY_S + DAY_S;
        Period {
            from: Timestamp::from_unix(from.max(to - MAX_DAYS * DAY_S)),
            to: Timestamp::from_unix(to),
        }
    }

    pub fn contains(&self, t: Timestamp) -> bool {
        self.from <= t && t < self.to
    }

    /// Whole days in it (at least 1).
    pub fn day_count(&self) -> i64 {
        (self.to.seconds_since(self.from) + DAY_S - 1)
            .div_euclid(DAY_S)
            .max(1)
    }
}

/// The period a page asks for, as its address carries it: `?days=7` (7, 30 or 90; 30 when left out or
/// unknown) or `?from=2026-11-01&to=2026-11-30` (whole UTC days, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Days(i64),
    Range(Timestamp, Timestamp),
}

/// The periods offered as choices.
pub const SPANS: [i64; 3] = [7, 30, 90];

impl Span {
    pub fn from_query(query: &str) -> Span {
        let value = |name: &str| crate::url::query_value(query, name).unwrap_or_default();
        let day = |text: String| Timestamp::parse(&format!("{}T00:00:00Z", text.trim())).ok();
        if let (Some(from), Some(to)) = (day(value("from")), day(value("to"))) {
            return Span::Range(from, to);
        }
        match value("days").trim().parse::<i64>() {
            Ok(days) if SPANS.contains(&days) => Span::Days(days),
            _ => Span::Days(30),
        }
    }

    pub fn to_query(self) -> String {
        match self {
            Span::Days(days) => format!("days={days}"),
            Span::Range(from, to) => format!("from={}&to={}", day_of(from), day_of(to)),
        }
    }

    /// The period it names, on the day `now` falls in.
    pub fn period(self, now: Timestamp) -> Period {
        match self {
            Span::Days(days) => Period::last_days(now, days),
            Span::Range(from, to) => Period::days(from, to),
        }
    }
}

/// `2026-11-01`: a timestamp's UTC day.
pub fn day_of(t: Timestamp) -> String {
    let (y, m, d, ..) = t.to_civil();
    format!("{y:04}-{m:02}-{d:02}")
}

/// A spread of durations in seconds: how many, the median and the 90th percentile (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub count: usize,
    pub median_s: i64,
    pub p90_s: i64,
}

impl Spread {
    /// `None` for no durations.
    pub fn of(mut durations: Vec<i64>) -> Option<Spread> {
        if durations.is_empty() {
            return None;
        }
        crate::order::sort(&mut durations);
        Some(Spread {
            count: durations.len(),
            median_s: nearest_rank(&durations, 50),
            p90_s: nearest_rank(&durations, 90),
        })
    }
}

/// The `p`th percentile of sorted `values` by nearest rank: the smallest value with at least p % at or below.
fn nearest_rank(sorted: &[i64], p: usize) -> i64 {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// A failed deployment and what restored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restore {
    /// The first failure of a run of failures (the ones after it, before a success, are the same outage).
    pub failed: DeploymentId,
    pub failed_at: Timestamp,
    /// The failures in the run.
    pub failures: usize,
    /// The next success in the environment created before the period's end, and the seconds from the first
    /// failure to it (`None`: not restored in the period).
    pub restored_by: Option<DeploymentId>,
    pub seconds: Option<i64>,
}

/// One day's deployments (UTC), by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Day {
    pub day: i64,
    pub succeeded: usize,
    pub failed: usize,
    pub unfinished: usize,
}

/// The commits a successful deployment brought to its environment since the success before it, when read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShippedCommit {
    pub sha: String,
    /// The commit's committer date: when it came to be as it was deployed (a rebase or squash merge resets it).
    pub at: Timestamp,
}

/// The answers to [`lead_reads`]: by (base SHA, head SHA), the commits head has that base has not (`None`:
/// the comparison failed — unrelated histories, a commit gone — and those commits count as not known).
pub type Shipped = HashMap<(String, String), Option<Vec<ShippedCommit>>>;

/// The commits a comparison's page lists as arriving, with their committer date (the author's when the host
/// gave none; a commit with neither is left out: its lead time is not known).
pub fn shipped_commits(comparison: &Comparison) -> Vec<ShippedCommit> {
    comparison
        .commits
        .iter()
        .filter_map(|c| {
            c.committed_at.or(c.at).map(|at| ShippedCommit {
                sha: c.sha.clone(),
                at,
            })
        })
        .collect()
}

/// Pages of a comparison read for lead time: 100 commits each, so at most 1,000 commits between two successes
/// (more are said as not known, not guessed).
pub const COMPARE_PAGES: u32 = 10;

/// Whether a comparison read for lead time needs another page: its commits so far fall short of `ahead_by`.
pub fn more_commits(ahead_by: u64, read: usize, pages: u32) -> bool {
    (read as u64) < ahead_by && pages < COMPARE_PAGES
}

/// An environment whose pairs of successes are this many or more is read as one line ([`line_reads`]).
pub const LINE_FROM: usize = 4;
/// Pages of one line read at most (100 commits each): 5,000 commits.
pub const LINE_PAGES: u32 = 50;

/// One environment's successes read as a line: GitHub's compare from the commit of its oldest success read to
/// that of its newest lists every commit between them, oldest first; each pair of consecutive successes whose
/// commits are both on it takes its commits from there ([`from_line`]) — one request per 100 commits rather
/// than one per pair. Exact when the deployed branch's history is a line (squash or rebase merges); with merge
/// commits, a commit merged after a deployment but dated before it may count as arriving with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LineRead {
    pub base: String,
    pub head: String,
}

/// The lines worth reading for `period`: each environment with [`LINE_FROM`] or more pairs not in `known`,
/// from its oldest success read to its newest (when their commits differ).
pub fn line_reads(samples: &[Sample], period: &Period, known: &Shipped) -> Vec<LineRead> {
    let mut lines: Vec<LineRead> = by_environment(samples, period.to)
        .values()
        .filter_map(|list| {
            let successes: Vec<&&Sample> = list
                .iter()
                .filter(|s| matches!(s.outcome(), Outcome::Succeeded(_)))
                .collect();
            let pairs = successes
                .windows(2)
                .filter(|w| {
                    period.contains(w[1].created_at)
                        && !w[0].sha.eq_ignore_ascii_case(&w[1].sha)
                        && !known.contains_key(&(w[0].sha.clone(), w[1].sha.clone()))
                })
                .count();
            let (first, last) = (successes.first()?, successes.last()?);
            (pairs >= LINE_FROM && !first.sha.eq_ignore_ascii_case(&last.sha)).then(|| LineRead {
                base: first.sha.clone(),
                head: last.sha.clone(),
            })
        })
        .collect();
    crate::order::sort(&mut lines);
    lines.dedup();
    lines
}

/// A line's commits, oldest first, as read: each SHA with its committer date (the author's when the host gave
/// none) if any.
pub fn line_commits(comparison: &Comparison) -> Vec<(String, Option<Timestamp>)> {
    comparison
        .commits
        .iter()
        .map(|c| (c.sha.clone(), c.committed_at.or(c.at)))
        .collect()
}

/// What a line read (`commits`: all of them, oldest first, the base left out) says about the pairs
/// [`lead_reads`] asks for: the commits between two successes both on it (none when the later is not ahead —
/// a redeploy or a rollback). Pairs off the line are left to their own comparison.
pub fn from_line(
    samples: &[Sample],
    period: &Period,
    line: &LineRead,
    commits: &[(String, Option<Timestamp>)],
) -> Shipped {
    let mut at: HashMap<String, usize> = HashMap::with_capacity(commits.len() + 1);
    at.insert(line.base.to_ascii_lowercase(), 0);
    for (n, (sha, _)) in commits.iter().enumerate() {
        at.insert(sha.to_ascii_lowercase(), n + 1);
    }
    let mut out = Shipped::new();
    for read in lead_reads(samples, period) {
        let (Some(&a), Some(&b)) = (
            at.get(&read.base.to_ascii_lowercase()),
            at.get(&read.head.to_ascii_lowercase()),
        ) else {
            continue;
        };
        let between = if b > a {
            commits[a..b]
                .iter()
                .filter_map(|(sha, at)| {
                    at.map(|at| ShippedCommit {
                        sha: sha.clone(),
                        at,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        out.insert((read.base, read.head), Some(between));
    }
    out
}

/// A comparison lead time needs: the commits between an environment's success and the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LeadRead {
    pub base: String,
    pub head: String,
}

/// The measures of one environment over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measures {
    /// As its newest deployment spells it.
    pub environment: String,
    /// Production-like by name (`production`, `prod-eu`, `live`): what the fleet's row shows.
    pub production_like: bool,
    /// Deployments created in the period.
    pub deployments: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub unfinished: usize,
    /// Every day of the period, oldest first; its `succeeded` sum to [`Measures::succeeded`].
    pub days: Vec<Day>,
    /// Successes replaced within [`ROLLBACK_WINDOW_S`] by a deployment of an older commit (a rollback).
    pub rolled_back: Vec<DeploymentId>,
    pub restores: Vec<Restore>,
    pub restore: Option<Spread>,
    /// Lead time per commit, over the commits whose comparison was read.
    pub lead: Option<Spread>,
    /// Every commit's lead time in seconds (the distribution's chart).
    pub lead_times: Vec<i64>,
    /// Successes whose commits are not known (their comparison not read, or it failed; the environment's
    /// first success, which has nothing to compare with).
    pub lead_unknown: usize,
}

impl Measures {
    /// Successful deployments per day, in hundredths (integer arithmetic: `text::decimal` prints it).
    pub fn per_day_hundredths(&self, period: &Period) -> i64 {
        (self.succeeded as i64 * 100) / period.day_count()
    }

    /// `failed` of the finished deployments, in tenths of a percent (`None`: none finished).
    pub fn failure_permille(&self) -> Option<i64> {
        let finished = self.succeeded + self.failed;
        (finished > 0).then(|| (self.failed as i64 * 1000 + finished as i64 / 2) / finished as i64)
    }

    /// Rolled-back successes of the successes, in tenths of a percent.
    pub fn rollback_permille(&self) -> Option<i64> {
        (self.succeeded > 0).then(|| {
            (self.rolled_back.len() as i64 * 1000 + self.succeeded as i64 / 2)
                / self.succeeded as i64
        })
    }

    /// Failures not restored in the period.
    pub fn open_failures(&self) -> usize {
        self.restores
            .iter()
            .filter(|r| r.restored_by.is_none())
            .count()
    }
}

/// The samples of one environment (any case), oldest first (created, then id), from before `to`.
fn by_environment(samples: &[Sample], to: Timestamp) -> BTreeMap<String, Vec<&Sample>> {
    let mut groups: BTreeMap<String, Vec<&Sample>> = BTreeMap::new();
    for s in samples.iter().filter(|s| s.created_at < to) {
        groups
            .entry(s.environment.to_lowercase())
            .or_default()
            .push(s);
    }
    for list in groups.values_mut() {
        crate::order::sort_by_key(list, |s| (s.created_at, s.id));
    }
    groups
}

/// The comparisons lead time needs for `period`: for each success created in it, the commits since the
/// environment's success before it (none for a redeploy of the same commit, or for the first success).
pub fn lead_reads(samples: &[Sample], period: &Period) -> Vec<LeadRead> {
    let mut reads: Vec<LeadRead> = Vec::new();
    for list in by_environment(samples, period.to).values() {
        let mut before: Option<&str> = None;
        for s in list {
            if !matches!(s.outcome(), Outcome::Succeeded(_)) {
                continue;
            }
            if let Some(base) = before {
                if period.contains(s.created_at) && !base.eq_ignore_ascii_case(&s.sha) {
                    reads.push(LeadRead {
                        base: base.to_owned(),
                        head: s.sha.clone(),
                    });
                }
            }
            before = Some(&s.sha);
        }
    }
    crate::order::sort(&mut reads);
    reads.dedup();
    reads
}

/// [`lead_reads`] not in `known`: the comparisons still to read.
pub fn unread_pairs(samples: &[Sample], period: &Period, known: &Shipped) -> Vec<LeadRead> {
    lead_reads(samples, period)
        .into_iter()
        .filter(|r| !known.contains_key(&(r.base.clone(), r.head.clone())))
        .collect()
}

/// The measures of every environment deployed to before `period` ends, production-like first, then by name.
/// Environments with no deployment in the period are left out.
pub fn measure(samples: &[Sample], period: &Period, shipped: &Shipped) -> Vec<Measures> {
    let mut all: Vec<Measures> = by_environment(samples, period.to)
        .values()
        .map(|list| environment(list, period, shipped))
        .filter(|m| m.deployments > 0)
        .collect();
    crate::order::sort_by(&mut all, |a, b| {
        (
            production_rank(&a.environment),
            a.environment.to_lowercase(),
        )
            .cmp(&(
                production_rank(&b.environment),
                b.environment.to_lowercase(),
            ))
    });
    all
}

/// One environment's measures: `list` oldest first, every one created before the period's end.
fn environment(list: &[&Sample], period: &Period, shipped: &Shipped) -> Measures {
    let name = list.last().map_or(String::new(), |s| s.environment.clone());
    let first_day = period.from.unix().div_euclid(DAY_S);
    let mut days: Vec<Day> = (0..period.day_count())
        .map(|n| Day {
            day: first_day + n,
            ..Day::default()
        })
        .collect();
    let mut m = Measures {
        production_like: production_rank(&name) == 0,
        environment: name,
        deployments: 0,
        succeeded: 0,
        failed: 0,
        unfinished: 0,
        days: Vec::new(),
        rolled_back: Vec::new(),
        restores: Vec::new(),
        restore: None,
        lead: None,
        lead_times: Vec::new(),
        lead_unknown: 0,
    };
    // The successes so far: (sha, when it succeeded, id), oldest first.
    let mut successes: Vec<(&str, Timestamp, DeploymentId)> = Vec::new();
    // The open run of failures: (first failure, when, how many).
    let mut outage: Option<(DeploymentId, Timestamp, usize, bool)> = None;
    let mut counted: HashSet<&str> = HashSet::new();
    for s in list {
        let inside = period.contains(s.created_at);
        let outcome = s.outcome();
        if inside {
            m.deployments += 1;
            let day = s.created_at.unix().div_euclid(DAY_S) - first_day;
            let slot = usize::try_from(day).ok().and_then(|d| days.get_mut(d));
            match outcome {
                Outcome::Succeeded(_) => m.succeeded += 1,
                Outcome::Failed(_) => m.failed += 1,
                Outcome::Unfinished => m.unfinished += 1,
            }
            if let Some(slot) = slot {
                match outcome {
                    Outcome::Succeeded(_) => slot.succeeded += 1,
                    Outcome::Failed(_) => slot.failed += 1,
                    Outcome::Unfinished => slot.unfinished += 1,
                }
            }
        }
        match outcome {
            Outcome::Failed(at) => {
                if outage.is_none() {
                    outage = Some((s.id, at, 0, inside));
                }
                if let Some(o) = outage.as_mut() {
                    o.2 += 1;
                    o.3 |= inside;
                }
            }
            Outcome::Succeeded(at) => {
                if let Some((failed, failed_at, failures, seen)) = outage.take() {
                    if seen && inside {
                        m.restores.push(Restore {
                            failed,
                            failed_at,
                            failures,
                            restored_by: Some(s.id),
                            seconds: Some(at.seconds_since(failed_at).max(0)),
                        });
                    }
                }
                if inside {
                    rollback(&mut m, &successes, s, at, shipped);
                    lead(&mut m, &successes, s, at, shipped, &mut counted);
                }
                successes.push((&s.sha, at, s.id));
            }
            Outcome::Unfinished => {}
        }
    }
    if let Some((failed, failed_at, failures, true)) = outage {
        m.restores.push(Restore {
            failed,
            failed_at,
            failures,
            restored_by: None,
            seconds: None,
        });
    }
    m.days = days;
    m.restore = Spread::of(m.restores.iter().filter_map(|r| r.seconds).collect());
    m.lead = Spread::of(m.lead_times.clone());
    m
}

/// `s` (a success at `at`) rolls back the success before it, within [`ROLLBACK_WINDOW_S`] of it, when it
/// deploys an older commit: the comparison from that success's commit brought none (`s` is behind it), or —
/// not read — the environment ran `s`'s commit before that success.
fn rollback(
    m: &mut Measures,
    successes: &[(&str, Timestamp, DeploymentId)],
    s: &Sample,
    at: Timestamp,
    shipped: &Shipped,
) {
    let Some((&(previous_sha, previous_at, previous_id), older)) = successes.split_last() else {
        return;
    };
    if previous_sha.eq_ignore_ascii_case(&s.sha)
        || at.seconds_since(previous_at) > ROLLBACK_WINDOW_S
    {
        return;
    }
    let older_commit = match shipped.get(&(previous_sha.to_owned(), s.sha.clone())) {
        Some(Some(commits)) => commits.is_empty(),
        _ => older
            .iter()
            .any(|(sha, _, _)| sha.eq_ignore_ascii_case(&s.sha)),
    };
    if older_commit {
        m.rolled_back.push(previous_id);
    }
}

/// The lead time of each commit `s` (a success at `at`) brought, first arrivals only.
fn lead<'a>(
    m: &mut Measures,
    successes: &[(&str, Timestamp, DeploymentId)],
    s: &'a Sample,
    at: Timestamp,
    shipped: &'a Shipped,
    counted: &mut HashSet<&'a str>,
) {
    let Some(&(base, _, _)) = successes.last() else {
        m.lead_unknown += 1;
        return;
    };
    if base.eq_ignore_ascii_case(&s.sha) {
        return;
    }
    match shipped.get(&(base.to_owned(), s.sha.clone())) {
        Some(Some(commits)) => {
            for c in commits {
                if counted.insert(&c.sha) {
                    m.lead_times.push(at.seconds_since(c.at).max(0));
                }
            }
        }
        _ => m.lead_unknown += 1,
    }
}

/// The level a figure sits at among the clusters of DORA's 2024 Accelerate State of DevOps report
/// (docs/insights.md cites the table). A band describes one figure; no overall grade is made of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Elite,
    High,
    Medium,
    Low,
    /// Beyond the report's low cluster.
    BelowLow,
}

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::Elite => "elite",
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
            Band::BelowLow => "below low",
        }
    }

    /// Deployment frequency from `succeeded` successes over `days` days: on demand (daily or more) elite, daily
    /// to weekly high, weekly to monthly medium, monthly to every six months low. `None` for no success: too
    /// little to place.
    pub fn frequency(succeeded: usize, days: i64) -> Option<Band> {
        let n = succeeded as i64;
        let days = days.max(1);
        Some(match n {
            0 => return None,
            n if n >= days => Band::Elite,
            n if n * 7 >= days => Band::High,
            n if n * 30 >= days => Band::Medium,
            n if n * 182 >= days => Band::Low,
            _ => Band::BelowLow,
        })
    }

    /// Change lead time (the median): under a day elite, under a week high, under a month medium, under six
    /// months low.
    pub fn lead(median_s: i64) -> Band {
        match median_s {
            s if s < DAY_S => Band::Elite,
            s if s < 7 * DAY_S => Band::High,
            s if s < 30 * DAY_S => Band::Medium,
            s if s < 182 * DAY_S => Band::Low,
            _ => Band::BelowLow,
        }
    }

    /// Failed deployment recovery time (the median): under an hour elite, under a day high (and medium, whose
    /// cluster shares it), under a month low.
    pub fn recovery(median_s: i64) -> Band {
        match median_s {
            s if s < 3600 => Band::Elite,
            s if s < DAY_S => Band::High,
            s if s < 30 * DAY_S => Band::Low,
            _ => Band::BelowLow,
        }
    }
}

/// The report's change fail rates are not ordered with its levels (elite 5 %, medium 10 %, high 20 %, low
/// 40 %), so a rate is said against each rather than given a level: the lowest cluster rate it is at or under.
pub fn failure_against_clusters(permille: i64) -> &'static str {
    match permille {
        p if p <= 50 => "at or under the elite cluster's 5 %",
        p if p <= 100 => "at or under the medium cluster's 10 %",
        p if p <= 200 => "at or under the high cluster's 20 %",
        p if p <= 400 => "at or under the low cluster's 40 %",
        _ => "above every cluster's rate (the low cluster's is 40 %)",
    }
}

/// GraphQL points the rest of the read costs at most, from the first page's total (one per 100).
pub fn points_for(total: usize) -> usize {
    total.min(MAX_SAMPLES).div_ceil(PAGE)
}

/// A tenth-of-a-percent figure as people read it: `12.5 %`.
pub fn percent(permille: i64) -> String {
    format!("{} %", decimal(permille as f64 / 10.0))
}

// ----- In words -----

/// The lead-time distribution's buckets: each an upper bound in seconds (exclusive), the last unbounded.
pub const LEAD_BUCKETS: [(&str, i64); 5] = [
    ("under an hour", 3600),
    ("1 hour to 1 day", DAY_S),
    ("1 day to 1 week", 7 * DAY_S),
    ("1 week to 30 days", 30 * DAY_S),
    ("30 days or more", i64::MAX),
];

/// How many of `times` fall in each of [`LEAD_BUCKETS`] (they sum to `times.len()`).
pub fn lead_histogram(times: &[i64]) -> [usize; 5] {
    let mut counts = [0; 5];
    for &t in times {
        let bucket = LEAD_BUCKETS
            .iter()
            .position(|&(_, below)| t < below)
            .unwrap_or(LEAD_BUCKETS.len() - 1);
        counts[bucket] += 1;
    }
    counts
}

/// One environment's figures in words, as the page and its table show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// "0.71 a day (5 successful in 7 days)".
    pub frequency: String,
    pub frequency_band: Option<Band>,
    /// "37.5 % (3 of 8 finished)", or that none finished.
    pub failure: String,
    /// The rate said against the report's clusters (`failure_against_clusters`).
    pub failure_against: Option<&'static str>,
    /// "1 of 5 successes rolled back within a day (20 %)".
    pub rolled_back: String,
    /// "median 2 h 10 min, 90th percentile 2 h 10 min (1 restore)", or why there is none.
    pub restore: String,
    pub restore_band: Option<Band>,
    /// "1 failure not restored in the period", when any.
    pub not_restored: Option<String>,
    /// "median 1 h 40 min, 90th percentile 22 h 10 min (5 commits)", or why there is none.
    pub lead: String,
    pub lead_band: Option<Band>,
    /// "4 successful deployments whose commits are not known", when any.
    pub lead_unknown: Option<String>,
}

fn spread(s: &Spread, noun: (&str, &str)) -> String {
    format!(
        "median {}, 90th percentile {} ({})",
        format_duration(s.median_s),
        format_duration(s.p90_s),
        count(s.count, noun.0, noun.1)
    )
}

/// `m`'s figures over `period` in words.
pub fn said(m: &Measures, period: &Period) -> Said {
    let days = period.day_count();
    let per_day = decimal(m.per_day_hundredths(period) as f64 / 100.0);
    let finished = m.succeeded + m.failed;
    let failure_permille = m.failure_permille();
    let open = m.open_failures();
    Said {
        frequency: format!(
            "{per_day} a day ({} in {})",
            count(m.succeeded, "successful", "successful"),
            count(days as usize, "day", "days")
        ),
        frequency_band: Band::frequency(m.succeeded, days),
        failure: match failure_permille {
            Some(p) => format!("{} ({} of {} finished)", percent(p), m.failed, finished),
            None => "no deployment finished".into(),
        },
        failure_against: failure_permille.map(failure_against_clusters),
        rolled_back: match m.rollback_permille() {
            Some(p) => format!(
                "{} of {} rolled back within a day ({})",
                m.rolled_back.len(),
                count(m.succeeded, "success", "successes"),
                percent(p)
            ),
            None => "no success to roll back".into(),
        },
        restore: match (&m.restore, m.restores.is_empty()) {
            (Some(s), _) => spread(s, ("restore", "restores")),
            (None, true) => "no failure in the period".into(),
            (None, false) => "not restored yet".into(),
        },
        restore_band: m.restore.map(|s| Band::recovery(s.median_s)),
        not_restored: (open > 0).then(|| {
            format!(
                "{} not restored in the period",
                count(open, "failure", "failures")
            )
        }),
        lead: match &m.lead {
            Some(s) => spread(s, ("commit", "commits")),
            None if m.succeeded == 0 => "no successful deployment".into(),
            None => "no commit's arrival known".into(),
        },
        lead_band: m.lead.map(|s| Band::lead(s.median_s)),
        lead_unknown: (m.lead_unknown > 0).then(|| {
            format!(
                "{} whose commits are not known",
                count(
                    m.lead_unknown,
                    "successful deployment",
                    "successful deployments"
                )
            )
        }),
    }
}

// ----- The read -----

/// What each page of the read asks of a deployment: its outcome's statuses, its environment and commit.
macro_rules! insights_page {
    () => {
        "fragment InsightsPage on DeploymentConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes {
    databaseId
    environment
    commitOid
    createdAt
    latestStatus { state createdAt }
    statuses(first: 100) { nodes { state createdAt } }
  }
}"
    };
}

/// The bulk read: a repository's deployments newest first, 100 a page with their statuses and latest status
/// (one point a page; docs/insights.md) — every environment's, or one environment's ([`ONE_ENVIRONMENT`]).
pub const DOCUMENT: &str = concat!(
    "query Insights($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      ...InsightsPage
    }
  }
  rateLimit { cost remaining resetAt }
}

",
    insights_page!()
);

/// [`DOCUMENT`]'s first page, with the repository's environments' names (to read them side by side next
/// without a round trip of its own; still one point).
pub const FIRST_PAGE: &str = concat!(
    "query InsightsFirst($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    deployments(first: 100, orderBy: {field: CREATED_AT, direction: DESC}) {
      ...InsightsPage
    }
    environments(first: 100) { nodes { name } }
  }
  rateLimit { cost remaining resetAt }
}

",
    insights_page!()
);

/// [`DOCUMENT`] for one environment (the fleet reads each repository's production-like one).
pub const ONE_ENVIRONMENT: &str = concat!(
    "query InsightsOf($owner: String!, $name: String!, $environment: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$environment], first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      ...InsightsPage
    }
  }
  rateLimit { cost remaining resetAt }
}

",
    insights_page!()
);

/// Repositories whose environment names one [`names_document`] asks (one connection of 100 each: 25 cost
/// one point).
pub const NAMES_PER_QUERY: usize = 25;

/// The environment names of `count` repositories (variables `$o0`/`$n0`, …, aliased `r0`, `r1`, …).
pub fn names_document(count: usize) -> String {
    let variables: Vec<String> = (0..count)
        .map(|i| format!("$o{i}: String!, $n{i}: String!"))
        .collect();
    let fields: Vec<String> = (0..count)
        .map(|i| format!("  r{i}: repository(owner: $o{i}, name: $n{i}) {{ environments(first: 100) {{ nodes {{ name }} }} }}"))
        .collect();
    format!(
        "query InsightsNames({}) {{\n{}\n}}",
        variables.join(", "),
        fields.join("\n")
    )
}

/// Each repository's environment names from [`names_document`]'s answer, in order (`None`: that repository
/// was not found or not readable).
pub fn read_names(data: &Value, count: usize) -> Vec<Option<Vec<String>>> {
    (0..count)
        .map(|i| {
            let nodes = data
                .get(format!("r{i}"))?
                .get("environments")?
                .get("nodes")?;
            Some(
                nodes
                    .as_array()?
                    .iter()
                    .filter_map(|n| {
                        n.get("name")?
                            .as_str()
                            .map(|s| s.chars().take(255).collect())
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The environment a repository's fleet row measures: one named `production` (any case), else the first
/// production-like name (`prod-eu`, `live`) in name order; `None` when it has none.
pub fn production_environment(names: &[String]) -> Option<String> {
    if let Some(exact) = names.iter().find(|n| n.eq_ignore_ascii_case("production")) {
        return Some(exact.clone());
    }
    let mut like: Vec<&String> = names.iter().filter(|n| production_rank(n) == 0).collect();
    crate::order::sort_by_key(&mut like, |n| n.to_lowercase());
    like.first().map(|n| (*n).clone())
}

impl Client {
    /// One page of [`DOCUMENT`] (`after`: the previous page's end cursor), or of [`ONE_ENVIRONMENT`].
    pub fn insights_page(
        &self,
        repo: &RepoRef,
        environment: Option<&str>,
        after: Option<&str>,
    ) -> HttpRequest {
        match environment {
            None => match after {
                None => self.graphql(
                    FIRST_PAGE,
                    json!({"owner": repo.owner, "name": repo.name}),
                ),
                Some(after) => self.graphql(
                    DOCUMENT,
                    json!({"owner": repo.owner, "name": repo.name, "after": after}),
                ),
            },
            Some(environment) => self.graphql(
                ONE_ENVIRONMENT,
                json!({"owner": repo.owner, "name": repo.name, "environment": environment, "after": after}),
            ),
        }
    }

    /// The environment names of `repos` (at most [`NAMES_PER_QUERY`]).
    pub fn insights_names(&self, repos: &[RepoRef]) -> HttpRequest {
        let mut variables = serde_json::Map::new();
        for (i, repo) in repos.iter().enumerate() {
            variables.insert(format!("o{i}"), json!(repo.owner));
            variables.insert(format!("n{i}"), json!(repo.name));
        }
        self.graphql(&names_document(repos.len()), Value::Object(variables))
    }
}

#[derive(Debug, Deserialize)]
struct Data {
    repository: Option<Repository>,
}

#[derive(Debug, Deserialize)]
struct Repository {
    deployments: Connection,
    /// [`FIRST_PAGE`]'s only.
    #[serde(default)]
    environments: Option<StatusNodes<Named>>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection {
    #[serde(default)]
    total_count: usize,
    page_info: PageInfo,
    #[serde(default)]
    nodes: Vec<Option<Node>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Node {
    database_id: Option<DeploymentId>,
    environment: Option<String>,
    commit_oid: String,
    created_at: Timestamp,
    latest_status: Option<NodeStatus>,
    statuses: Option<StatusNodes>,
}

#[derive(Debug, Deserialize)]
struct StatusNodes<T = NodeStatus> {
    #[serde(default = "Vec::new")]
    nodes: Vec<Option<T>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeStatus {
    #[serde(deserialize_with = "status_state")]
    state: DeploymentState,
    created_at: Timestamp,
}

/// One page of the read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub samples: Vec<Sample>,
    /// The next page's cursor; `None` when this was the last, or when the page reached past `since` (the
    /// list is newest first: nothing after it is in the period).
    pub next: Option<String>,
    /// How many deployments the repository has in all (what the whole read could cost at most).
    pub total: usize,
    /// The repository's environments' names (each clipped to 255 characters), asked with the first page
    /// ([`FIRST_PAGE`]) so that reading them side by side costs no round trip of its own; `None` on others.
    pub names: Option<Vec<String>>,
}

/// A page of [`DOCUMENT`]'s answer (`data` as `decode_graphql` gives it), keeping the deployments created at
/// or after `since`. A node without a database id or an environment is skipped; an environment name is
/// clipped to GitHub's 255 characters; a cursor that does not move ends the read.
pub fn read_page(data: Value, since: Timestamp, after: Option<&str>) -> Result<Page, String> {
    let data: Data = serde_json::from_value(data).map_err(|e| e.to_string())?;
    let repository = data
        .repository
        .ok_or_else(|| "the repository was not found".to_owned())?;
    let names = repository.environments.map(|e| {
        e.nodes
            .into_iter()
            .flatten()
            .map(|n| n.name.chars().take(255).collect())
            .collect()
    });
    let connection = repository.deployments;
    let mut reached_since = false;
    let mut samples = Vec::with_capacity(connection.nodes.len());
    for node in connection.nodes.into_iter().flatten() {
        if node.created_at < since {
            reached_since = true;
            continue;
        }
        let (Some(id), Some(environment)) = (node.database_id, node.environment) else {
            continue;
        };
        let mut statuses: Vec<Mark> = node
            .statuses
            .map(|s| s.nodes.into_iter().flatten().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .take(STATUSES)
            .map(|s| Mark {
                state: s.state,
                at: s.created_at,
            })
            .collect();
        if let Some(latest) = node.latest_status {
            let mark = Mark {
                state: latest.state,
                at: latest.created_at,
            };
            if !statuses.contains(&mark) {
                statuses.push(mark);
            }
        }
        samples.push(Sample {
            id,
            environment: environment.chars().take(255).collect(),
            sha: node.commit_oid.chars().take(64).collect(),
            created_at: node.created_at,
            statuses,
        });
    }
    let next = match (
        connection.page_info.has_next_page,
        connection.page_info.end_cursor,
    ) {
        (true, Some(cursor)) if !reached_since && after != Some(cursor.as_str()) => Some(cursor),
        _ => None,
    };
    Ok(Page {
        samples,
        next,
        total: connection.total_count.min(MAX_SAMPLES * 10),
        names,
    })
}

// ----- Exports -----

/// The figures as a CSV file: one row per environment.
pub fn export_csv(measures: &[Measures], period: &Period) -> String {
    let mut out = csv_line(&[
        "environment",
        "from",
        "to",
        "deployments",
        "succeeded",
        "failed",
        "unfinished",
        "successes_per_day",
        "change_failure_rate_percent",
        "rolled_back",
        "restores",
        "not_restored",
        "restore_median_s",
        "restore_p90_s",
        "lead_commits",
        "lead_median_s",
        "lead_p90_s",
        "lead_unknown_deployments",
    ]);
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for m in measures {
        out.push_str(&csv_line(&[
            m.environment.clone(),
            period.from.to_string(),
            period.to.to_string(),
            m.deployments.to_string(),
            m.succeeded.to_string(),
            m.failed.to_string(),
            m.unfinished.to_string(),
            decimal(m.per_day_hundredths(period) as f64 / 100.0),
            m.failure_permille()
                .map(|p| decimal(p as f64 / 10.0))
                .unwrap_or_default(),
            m.rolled_back.len().to_string(),
            m.restores
                .iter()
                .filter(|r| r.seconds.is_some())
                .count()
                .to_string(),
            m.open_failures().to_string(),
            opt(m.restore.map(|s| s.median_s)),
            opt(m.restore.map(|s| s.p90_s)),
            m.lead.map_or(0, |s| s.count).to_string(),
            opt(m.lead.map(|s| s.median_s)),
            opt(m.lead.map(|s| s.p90_s)),
            m.lead_unknown.to_string(),
        ]));
    }
    out
}

/// One repository's row of the fleet's insights: the environment measured (`None`: none is production-like)
/// and its measures (`None`: no deployment there in the period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetRow {
    pub repository: String,
    pub environment: Option<String>,
    pub measures: Option<Measures>,
}

/// The fleet's figures as a CSV file: one row per repository, the columns of [`export_csv`] after its name.
pub fn export_fleet_csv(rows: &[FleetRow], period: &Period) -> String {
    let single = export_csv(&[], period);
    let mut out = format!("\"repository\",{single}");
    for row in rows {
        let line = match &row.measures {
            Some(m) => export_csv(std::slice::from_ref(m), period)
                .split_once("\r\n")
                .map(|(_, line)| line.to_owned())
                .unwrap_or_default(),
            None => csv_line(&[row.environment.clone().unwrap_or_default()]),
        };
        out.push_str(&csv_field(&row.repository));
        out.push(',');
        out.push_str(&line);
    }
    out
}

/// The fleet's figures as JSON: the period and each repository's row.
pub fn export_fleet_json(rows: &[FleetRow], period: &Period) -> String {
    let body = json!({"period": period, "repositories": rows});
    serde_json::to_string_pretty(&body).unwrap_or_default()
}

/// The figures as JSON: the period and every environment's measures, as computed.
pub fn export_json(measures: &[Measures], period: &Period) -> String {
    let body = json!({"period": period, "environments": measures});
    serde_json::to_string_pretty(&body).unwrap_or_default()
}

#[cfg(test)]
mod tests;
