//! Fleet: the repositories a person pinned on one host, and what each of their environments holds now —
//! read for many repositories in one GraphQL request (docs/github-api.md §15).
//!
//! - [`Pinned`]: the list, typed or pinned, validated and without duplicates; kept per host on this device
//!   ([`storage_key`]) and carried by a shareable address (`?repos=acme/web,acme/api`).
//! - [`fleet_document`] / [`Client::fleet`]: each repository aliased `r0`, `r1`, … with its environments and its
//!   newest [`WINDOW`] deployments; [`older_document`] asks the latest deployment of the environments that
//!   window did not reach.
//! - [`read_fleet`]: the answer as one [`Board`] per repository (or its own error), [`columns`] the matrix's
//!   environment names in order.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::api::graphql::{decode_graphql, GraphqlDeploymentState, GraphqlError, GraphqlFailure};
use crate::api::http::{HttpRequest, HttpResponse};
use crate::api::request::Client;
use crate::api::response::ApiError;
use crate::github::model::{Deployment, DeploymentId, DeploymentState, Latest};
use crate::github::validate::RepoRef;
use crate::timestamp::Timestamp;

/// At most this many pinned repositories on a host.
pub const MAX_PINNED: usize = 50;
/// Repositories asked in one document: 25 × (2 connections of 100) stays at one point and 5,000 nodes.
pub const REPOS_PER_QUERY: usize = 25;
/// The newest deployments read of each repository: every environment deployed to among them has its latest
/// there; the rest are asked on their own ([`older_document`]).
pub const WINDOW: usize = 100;
/// Environments asked in one [`older_document`] (one connection each: 100 make one point).
pub const OLDER_PER_QUERY: usize = 100;
/// The newest deployments of each environment [`older_document`] reads: its latest, and what is live there
/// when the latest is not.
pub const OLDER_DEPTH: usize = 20;
/// A deployment pending, queued or in progress this long is stuck (GitHub's GraphQL calls it ABANDONED after
/// 30 minutes).
pub const STUCK_AFTER_S: i64 = 30 * 60;

/// The in-page demo's repositories (fake-github's demo), pinned in the demo until its list is changed.
pub const DEMO_PINNED: &str = "acme/storefront,acme/payments-api,acme/docs";

/// The pinned repositories of one host, in the order pinned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pinned(Vec<RepoRef>);

/// One entry of a typed list that is not a repository, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub entry: String,
    pub why: String,
}

impl Pinned {
    pub fn new(repos: impl IntoIterator<Item = RepoRef>) -> Pinned {
        let mut pinned = Pinned::default();
        for repo in repos {
            pinned.add(repo);
        }
        pinned
    }

    pub fn repos(&self) -> &[RepoRef] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether `repo` is pinned (GitHub's names are case-insensitive).
    pub fn contains(&self, repo: &RepoRef) -> bool {
        self.0.iter().any(|r| same(r, repo))
    }

    /// Pins `repo` at the end; false when it already was, or the list is full.
    pub fn add(&mut self, repo: RepoRef) -> bool {
        if self.contains(&repo) || self.0.len() >= MAX_PINNED {
            return false;
        }
        self.0.push(repo);
        true
    }

    /// Unpins `repo`; false when it was not pinned.
    pub fn remove(&mut self, repo: &RepoRef) -> bool {
        let before = self.0.len();
        self.0.retain(|r| !same(r, repo));
        self.0.len() != before
    }

    /// Reads what a person typed: repositories separated by commas, spaces or lines. Every entry that is not
    /// `owner/name` is refused with its reason; nothing is pinned unless all are good.
    pub fn parse_typed(&self, text: &str) -> Result<Vec<RepoRef>, Vec<Refused>> {
        let mut good = Vec::new();
        let mut refused = Vec::new();
        for entry in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|e| !e.is_empty())
        {
            match RepoRef::parse(entry) {
                Ok(repo) => good.push(repo),
                Err(e) => refused.push(Refused {
                    entry: entry.to_owned(),
                    why: e.message,
                }),
            }
        }
        if good.is_empty() && refused.is_empty() {
            refused.push(Refused {
                entry: String::new(),
                why: "Enter a repository as owner/name, for example octocat/hello-world.".into(),
            });
        }
        let room = MAX_PINNED.saturating_sub(self.0.len());
        let new = good.iter().filter(|r| !self.contains(r)).count();
        if refused.is_empty() && new > room {
            refused.push(Refused {
                entry: String::new(),
                why: format!(
                    "At most {MAX_PINNED} repositories can be pinned on a host: unpin some first."
                ),
            });
        }
        if refused.is_empty() {
            Ok(good)
        } else {
            Err(refused)
        }
    }

    /// The list as an address carries it: `acme/web,acme/api`.
    pub fn query_value(&self) -> String {
        self.0
            .iter()
            .map(RepoRef::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads an address's list back: entries that are not repositories are left out, duplicates once.
    pub fn from_query_value(value: &str) -> Pinned {
        Pinned::new(value.split(',').filter_map(|e| RepoRef::parse(e).ok()))
    }

    /// The list as kept on this device: `owner/name` a line (plain text, as the recent list is kept).
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(RepoRef::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads what [`Pinned::to_stored`] wrote; lines that are not repositories are left out.
    pub fn from_stored(text: &str) -> Pinned {
        Pinned::new(text.lines().filter_map(|e| RepoRef::parse(e).ok()))
    }

    /// Pins `repo`, or unpins it when it was pinned; whether it is pinned now (a full list takes no more).
    pub fn toggle(&mut self, repo: &RepoRef) -> bool {
        if !self.remove(repo) {
            self.add(repo.clone());
        }
        self.contains(repo)
    }
}

fn same(a: &RepoRef, b: &RepoRef) -> bool {
    a.owner.eq_ignore_ascii_case(&b.owner) && a.name.eq_ignore_ascii_case(&b.name)
}

/// Where a host's pinned list is kept on this device (its API origin; never beside the token).
pub fn storage_key(api_origin: &str) -> String {
    format!("deploydeck.fleet:{api_origin}")
}

const CELL_FRAGMENT: &str = "fragment Cell on Deployment {
  id
  databaseId
  environment
  state
  createdAt
  commitOid
  ref { name }
  creator { __typename login }
  latestStatus { state createdAt description }
}";

/// Each of `count` repositories (variables `$o0`/`$n0`, …) aliased `r0`, `r1`, …: its environments (with the
/// one live now) and its newest [`WINDOW`] deployments.
pub fn fleet_document(count: usize) -> String {
    let variables: Vec<String> = (0..count)
        .map(|i| format!("$o{i}: String!, $n{i}: String!"))
        .collect();
    let fields: Vec<String> = (0..count)
        .map(|i| format!("  r{i}: repository(owner: $o{i}, name: $n{i}) {{ ...Fleet }}"))
        .collect();
    format!(
        "query Fleet({}) {{\n{}\n  rateLimit {{ cost remaining resetAt }}\n}}\n\nfragment Fleet on Repository {{\n  nameWithOwner\n  environments(first: 100) {{ totalCount nodes {{ name latestCompletedDeployment {{ ...Cell }} }} }}\n  deployments(first: {WINDOW}, orderBy: {{field: CREATED_AT, direction: DESC}}) {{ nodes {{ ...Cell }} }}\n}}\n\n{CELL_FRAGMENT}",
        variables.join(", "),
        fields.join("\n"),
    )
}

/// The latest deployment of each of `asks` (repository index, environment), aliased `r{i}` and `e{j}`.
pub fn older_document(asks: &[(usize, usize)]) -> String {
    let mut variables = Vec::new();
    let mut repos: Vec<(usize, Vec<usize>)> = Vec::new();
    for (n, &(repo, _)) in asks.iter().enumerate() {
        match repos.iter_mut().find(|(r, _)| *r == repo) {
            Some((_, envs)) => envs.push(n),
            None => {
                variables.push(format!("$o{repo}: String!, $n{repo}: String!"));
                repos.push((repo, vec![n]));
            }
        }
        variables.push(format!("$e{n}: String!"));
    }
    let fields: Vec<String> = repos
        .iter()
        .map(|(repo, envs)| {
            let inner: Vec<String> = envs
                .iter()
                .map(|n| format!("    e{n}: deployments(environments: [$e{n}], first: {OLDER_DEPTH}, orderBy: {{field: CREATED_AT, direction: DESC}}) {{ nodes {{ ...Cell }} }}"))
                .collect();
            format!(
                "  r{repo}: repository(owner: $o{repo}, name: $n{repo}) {{\n{}\n  }}",
                inner.join("\n")
            )
        })
        .collect();
    format!(
        "query FleetOlder({}) {{\n{}\n}}\n\n{CELL_FRAGMENT}",
        variables.join(", "),
        fields.join("\n")
    )
}

impl Client {
    /// The fleet's first read of `repos` (at most [`REPOS_PER_QUERY`]).
    pub fn fleet(&self, repos: &[RepoRef]) -> HttpRequest {
        let mut variables = Map::new();
        for (i, repo) in repos.iter().enumerate() {
            variables.insert(format!("o{i}"), json!(repo.owner));
            variables.insert(format!("n{i}"), json!(repo.name));
        }
        self.graphql(&fleet_document(repos.len()), Value::Object(variables))
    }

    /// The latest deployment of environments the first read's window did not reach: `asks` are
    /// (index into `repos`, environment name).
    pub fn fleet_older(&self, repos: &[RepoRef], asks: &[(usize, String)]) -> HttpRequest {
        let mut variables = Map::new();
        let mut shape = Vec::new();
        for (n, (repo, environment)) in asks.iter().enumerate() {
            if let Some(r) = repos.get(*repo) {
                variables.insert(format!("o{repo}"), json!(r.owner));
                variables.insert(format!("n{repo}"), json!(r.name));
            }
            variables.insert(format!("e{n}"), json!(environment));
            shape.push((*repo, n));
        }
        self.graphql(&older_document(&shape), Value::Object(variables))
    }
}

/// A deployment as a cell shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellDeployment {
    /// The node id (GraphQL).
    pub id: String,
    pub database_id: DeploymentId,
    #[serde(default)]
    pub environment: Option<String>,
    pub state: Option<GraphqlDeploymentState>,
    pub created_at: Timestamp,
    pub commit_oid: String,
    #[serde(default, rename = "ref")]
    pub git_ref: Option<RefName>,
    #[serde(default)]
    pub creator: Option<Creator>,
    #[serde(default)]
    pub latest_status: Option<CellStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RefName {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Creator {
    pub login: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellStatus {
    pub created_at: Timestamp,
    #[serde(default)]
    pub description: Option<String>,
}

impl CellDeployment {
    pub fn short_sha(&self) -> &str {
        self.commit_oid.get(..7).unwrap_or(&self.commit_oid)
    }

    /// The branch or tag, when it still exists.
    pub fn ref_name(&self) -> Option<&str> {
        self.git_ref.as_ref().map(|r| r.name.as_str())
    }

    pub fn who(&self) -> &str {
        self.creator
            .as_ref()
            .map_or("someone", |c| c.login.as_str())
    }

    fn environment_name(&self) -> &str {
        self.environment.as_deref().unwrap_or_default()
    }

    /// Live now: GitHub's ACTIVE (the newest success of its environment), or a success.
    fn is_live(&self) -> bool {
        matches!(
            self.state,
            Some(GraphqlDeploymentState::Active | GraphqlDeploymentState::Success)
        )
    }
}

/// What a cell says of its environment's latest deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The latest deployment is live.
    Live,
    /// The latest failed or errored: what is live (if anything) is older.
    Failed,
    /// Pending, queued or in progress for more than 30 minutes, or abandoned.
    Stuck,
    /// Waiting for a required reviewer.
    Waiting,
    /// Pending, queued or in progress, recently.
    Going,
    /// Inactive: nothing is live there.
    Inactive,
    /// No status yet.
    Unknown,
}

impl Mark {
    /// The words a cell shows beside its colour.
    pub fn words(self) -> &'static str {
        match self {
            Mark::Live => "Live",
            Mark::Failed => "Failed",
            Mark::Stuck => "Stuck",
            Mark::Waiting => "Waiting for review",
            Mark::Going => "Deploying",
            Mark::Inactive => "Inactive",
            Mark::Unknown => "No status",
        }
    }

    /// The cell's CSS class (its colour).
    pub fn class(self) -> &'static str {
        match self {
            Mark::Live => "mark-live",
            Mark::Failed => "mark-failed",
            Mark::Stuck => "mark-stuck",
            Mark::Waiting => "mark-waiting",
            Mark::Going => "mark-going",
            Mark::Inactive => "mark-inactive",
            Mark::Unknown => "mark-unknown",
        }
    }
}

/// The mark of a latest deployment at `now`.
pub fn mark(latest: &CellDeployment, now: Timestamp) -> Mark {
    use GraphqlDeploymentState as S;
    match latest.state {
        Some(S::Active | S::Success) => Mark::Live,
        Some(S::Failure | S::Error) => Mark::Failed,
        Some(S::Abandoned) => Mark::Stuck,
        Some(S::Waiting) => Mark::Waiting,
        Some(S::Pending | S::Queued | S::InProgress) => {
            let since = latest
                .latest_status
                .as_ref()
                .map_or(latest.created_at, |s| s.created_at);
            if now.seconds_since(since) > STUCK_AFTER_S {
                Mark::Stuck
            } else {
                Mark::Going
            }
        }
        Some(S::Inactive | S::Destroyed) => Mark::Inactive,
        None => Mark::Unknown,
    }
}

/// One environment of one repository: its latest deployment and, when that is not it, the one live there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub environment: String,
    pub latest: CellDeployment,
    /// What is live when the latest is not (older; `None`: nothing is known live).
    pub live: Option<CellDeployment>,
}

/// One repository's row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Board {
    /// Environments with a deployment, by name.
    pub cells: Vec<Cell>,
    /// Environments that look transient (previews): counted, not given a column.
    pub previews: usize,
    /// Environment records whose latest deployment is older than the window: read by [`older_document`]
    /// (meanwhile their cell, if any, shows their latest completed deployment).
    pub unread: Vec<String>,
}

/// A repository's row, or why it could not be read (it alone).
pub type Row = Result<Board, String>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RepoNode {
    environments: Connection<EnvironmentNode>,
    deployments: Connection<CellDeployment>,
}

#[derive(Deserialize)]
struct Connection<T> {
    nodes: Vec<Option<T>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnvironmentNode {
    name: String,
    #[serde(default)]
    latest_completed_deployment: Option<CellDeployment>,
}

/// Whether an environment is a preview (transient: GitHub's GraphQL has no flag for it, so by its state or
/// its name): `pr-123`, `preview/…`, `review-app-…`, `pull/7`, or its latest destroyed.
pub fn looks_transient(name: &str, latest: Option<&CellDeployment>) -> bool {
    if latest.is_some_and(|d| d.state == Some(GraphqlDeploymentState::Destroyed)) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let numbered = |prefix: &str| {
        lower.strip_prefix(prefix).is_some_and(|rest| {
            let rest = rest.trim_start_matches(['-', '_', '/', '#']);
            !rest.is_empty() && rest.bytes().take_while(u8::is_ascii_digit).count() > 0
        })
    };
    lower.starts_with("preview")
        || lower.starts_with("review-app")
        || lower.starts_with("review/")
        || numbered("pr")
        || numbered("pull")
}

/// Reads one repository of the first answer into its row.
fn board_of(node: RepoNode) -> Board {
    let mut cells: Vec<Cell> = Vec::new();
    let window: Vec<CellDeployment> = node.deployments.nodes.into_iter().flatten().collect();
    // Newest first: the first of each environment is its latest.
    for d in &window {
        let name = d.environment_name();
        if name.is_empty() {
            continue;
        }
        match cells
            .iter_mut()
            .find(|c| c.environment.eq_ignore_ascii_case(name))
        {
            None => cells.push(Cell {
                environment: name.to_owned(),
                latest: d.clone(),
                live: None,
            }),
            Some(cell) => {
                if !cell.latest.is_live() && cell.live.is_none() && d.is_live() {
                    cell.live = Some(d.clone());
                }
            }
        }
    }
    let mut unread = Vec::new();
    for env in node.environments.nodes.into_iter().flatten() {
        match cells
            .iter_mut()
            .find(|c| c.environment.eq_ignore_ascii_case(&env.name))
        {
            Some(cell) => {
                if !cell.latest.is_live() && cell.live.is_none() {
                    cell.live = env
                        .latest_completed_deployment
                        .filter(CellDeployment::is_live);
                }
            }
            None => {
                // Beyond the window: its latest completed one stands in until its latest is read.
                if let Some(completed) = env.latest_completed_deployment {
                    cells.push(Cell {
                        environment: env.name.clone(),
                        latest: completed,
                        live: None,
                    });
                }
                unread.push(env.name);
            }
        }
    }
    let (previews, cells): (Vec<Cell>, Vec<Cell>) = cells
        .into_iter()
        .partition(|c| looks_transient(&c.environment, Some(&c.latest)));
    unread.retain(|name| {
        !previews
            .iter()
            .any(|p| p.environment.eq_ignore_ascii_case(name))
    });
    // A latest that is not live, with nothing live found: its environment's older ones are read for it.
    for cell in &cells {
        if !cell.latest.is_live() && cell.live.is_none() && !unread.contains(&cell.environment) {
            unread.push(cell.environment.clone());
        }
    }
    let before = unread.len();
    unread.retain(|name| !looks_transient(name, None));
    Board {
        cells,
        previews: previews.len() + (before - unread.len()),
        unread,
    }
}

/// The first answer for `repos` (in the order asked): each repository's row, or its own error — not found
/// (or not visible to this token), or refused.
pub fn read_fleet(repos: &[RepoRef], response: &HttpResponse) -> Result<Vec<Row>, GraphqlFailure> {
    let (data, errors) = decode_graphql::<Map<String, Value>>(response)?;
    Ok((0..repos.len())
        .map(|i| {
            let key = format!("r{i}");
            match data
                .get(&key)
                .cloned()
                .map(serde_json::from_value::<Option<RepoNode>>)
            {
                Some(Ok(Some(node))) => Ok(board_of(node)),
                Some(Err(_)) => {
                    Err("GitHub's answer for this repository could not be read.".into())
                }
                _ => Err(row_error(&key, &repos[i], &errors)),
            }
        })
        .collect())
}

/// Why repository `repo` (alias `key`) came back null, in words with what to do.
fn row_error(key: &str, repo: &RepoRef, errors: &[GraphqlError]) -> String {
    let mine = errors
        .iter()
        .find(|e| e.path.first().and_then(Value::as_str) == Some(key));
    match mine.and_then(|e| e.kind.as_deref()) {
        Some("FORBIDDEN") => refused(repo),
        _ => not_found(repo),
    }
}

fn refused(repo: &RepoRef) -> String {
    format!("This token may not read the deployments of {repo}: give it access to the repository (a fine-grained token: “Deployments: read”).")
}

fn not_found(repo: &RepoRef) -> String {
    format!("{repo} was not found, or this token cannot see it: check the name, or give the token access to it (a classic token needs the repo scope for a private repository).")
}

/// REST: a failed read of one repository — its row's own error when it is about that repository (not found,
/// refused), else the whole fleet's (the token, the quota, the network).
pub fn rest_row_error(repo: &RepoRef, error: ApiError) -> Result<String, ApiError> {
    match error {
        ApiError::NotFound { .. } => Ok(not_found(repo)),
        ApiError::Forbidden { .. } if !error.is_transient() => Ok(refused(repo)),
        other => Err(other),
    }
}

/// The second answer: each environment asked (in the order of `asks`) gets its latest deployment, and what is
/// live there when that is not; an environment with none (deleted meanwhile) is left as it was.
pub fn read_older(
    rows: &mut [Row],
    asks: &[(usize, String)],
    response: &HttpResponse,
) -> Result<(), GraphqlFailure> {
    let (data, _) = decode_graphql::<Map<String, Value>>(response)?;
    for (n, (repo, environment)) in asks.iter().enumerate() {
        let newest: Vec<CellDeployment> = data
            .get(&format!("r{repo}"))
            .and_then(|r| r.get(format!("e{n}")))
            .and_then(|c| c.get("nodes"))
            .and_then(Value::as_array)
            .map(|nodes| {
                nodes
                    .iter()
                    .filter_map(|d| serde_json::from_value(d.clone()).ok())
                    .collect()
            })
            .unwrap_or_default();
        let Some(Ok(board)) = rows.get_mut(*repo) else {
            continue;
        };
        board.unread.retain(|u| u != environment);
        let Some(latest) = newest.first().cloned() else {
            continue;
        };
        let found_live = newest.iter().find(|d| d.is_live()).cloned();
        let cell = match board
            .cells
            .iter_mut()
            .position(|c| c.environment.eq_ignore_ascii_case(environment))
        {
            Some(i) => &mut board.cells[i],
            None => {
                board.cells.push(Cell {
                    environment: environment.clone(),
                    latest: latest.clone(),
                    live: None,
                });
                board.cells.last_mut().expect("just pushed")
            }
        };
        // A stand-in (the latest completed) that was live stays said as live.
        let before = std::mem::replace(&mut cell.latest, latest);
        if cell.latest.is_live() {
            cell.live = None;
        } else if cell.live.is_none() {
            cell.live = found_live
                .or_else(|| (before.is_live() && before.id != cell.latest.id).then_some(before));
        }
    }
    Ok(())
}

/// Every (row index, environment) the first answer left unread, in batches of [`OLDER_PER_QUERY`].
pub fn older_asks(rows: &[Row]) -> Vec<Vec<(usize, String)>> {
    let all: Vec<(usize, String)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().ok().map(|b| (i, b)))
        .flat_map(|(i, b)| b.unread.iter().map(move |e| (i, e.clone())))
        .collect();
    all.chunks(OLDER_PER_QUERY).map(<[_]>::to_vec).collect()
}

/// REST (when GraphQL cannot be used): the deployments read of each environment, newest first, while looking
/// for what is live — its latest, then older ones until a success.
pub const REST_DEPTH: usize = 3;

/// REST: which deployments of `newest` (one repository's, newest first) still need their latest state read:
/// per environment (previews aside), the newest whose state is unknown among its first [`REST_DEPTH`], until
/// one is a success. Asked again after each round of reads until it is empty.
pub fn rest_needs(
    newest: &[Deployment],
    known: &HashMap<DeploymentId, Option<Latest>>,
) -> Vec<DeploymentId> {
    let mut needs = Vec::new();
    for group in by_environment(newest) {
        if is_preview(group[0]) {
            continue;
        }
        for d in group.iter().take(REST_DEPTH) {
            match known.get(&d.id) {
                None => {
                    needs.push(d.id);
                    break;
                }
                Some(Some(l)) if l.state == DeploymentState::Success => break,
                Some(_) => {}
            }
        }
    }
    needs
}

/// REST: one repository's row from its newest deployments and the latest states read ([`rest_needs`]).
pub fn rest_board(newest: &[Deployment], known: &HashMap<DeploymentId, Option<Latest>>) -> Board {
    let mut board = Board::default();
    for group in by_environment(newest) {
        let first = group[0];
        if is_preview(first) {
            board.previews += 1;
            continue;
        }
        let cell_of = |d: &Deployment| rest_cell(d, known.get(&d.id).cloned().flatten());
        let latest = cell_of(first);
        let live = (!latest.is_live())
            .then(|| {
                group
                    .iter()
                    .skip(1)
                    .take(REST_DEPTH - 1)
                    .map(|d| cell_of(d))
                    .find(CellDeployment::is_live)
            })
            .flatten();
        board.cells.push(Cell {
            environment: first.environment.clone(),
            latest,
            live,
        });
    }
    board
}

/// A REST deployment to a preview environment (transient, or named like one).
fn is_preview(d: &Deployment) -> bool {
    d.transient_environment || looks_transient(&d.environment, None)
}

/// `newest` grouped by environment (case-insensitively), each group newest first, groups in order of their
/// newest.
fn by_environment(newest: &[Deployment]) -> Vec<Vec<&Deployment>> {
    let mut groups: Vec<Vec<&Deployment>> = Vec::new();
    for d in newest {
        match groups
            .iter_mut()
            .find(|g| g[0].environment.eq_ignore_ascii_case(&d.environment))
        {
            Some(g) => g.push(d),
            None => groups.push(vec![d]),
        }
    }
    groups
}

/// A REST deployment with its latest status, as a cell shows it (its state as GraphQL names it).
fn rest_cell(d: &Deployment, latest: Option<Latest>) -> CellDeployment {
    use GraphqlDeploymentState as S;
    let state = latest.as_ref().map(|l| match l.state {
        DeploymentState::Error => S::Error,
        DeploymentState::Failure => S::Failure,
        DeploymentState::Inactive => S::Inactive,
        DeploymentState::InProgress => S::InProgress,
        DeploymentState::Queued => S::Queued,
        DeploymentState::Pending => S::Pending,
        DeploymentState::Success => S::Success,
        DeploymentState::Waiting => S::Waiting,
    });
    CellDeployment {
        id: d.node_id.clone(),
        database_id: d.id,
        environment: Some(d.environment.clone()),
        state,
        created_at: d.created_at,
        commit_oid: d.sha.clone(),
        git_ref: Some(RefName {
            name: d.git_ref.clone(),
        }),
        creator: d.creator.as_ref().map(|c| Creator {
            login: c.login.clone(),
        }),
        latest_status: latest.map(|l| CellStatus {
            created_at: l.created_at,
            description: Some(l.description),
        }),
    }
}

/// The matrix's columns: every environment name of `rows` (case-insensitively once), production-like first,
/// then staging-like, then the rest, each group by name.
pub fn columns(rows: &[Row]) -> Vec<String> {
    crate::github::rules::production_first(
        rows.iter()
            .filter_map(|r| r.as_ref().ok())
            .flat_map(|board| &board.cells)
            .map(|cell| cell.environment.as_str()),
    )
}

impl Board {
    /// This repository's cell of the column `environment`.
    pub fn cell(&self, environment: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.environment.eq_ignore_ascii_case(environment))
    }
}

#[cfg(test)]
mod tests;
