//! The fake's state — users and tokens, repositories with branches, commit contexts, deployments, statuses
//! and environments — and GitHub's server-side behaviour over it (docs/github-api.md §8, §9). Written on its own: it
//! never asks deploydeck-core's `rules` or `cleanup` what GitHub does, so a wrong client rule is caught by a
//! test instead of being mirrored here.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use deploydeck_wire::model::DeploymentState;
use deploydeck_wire::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod commits;
pub mod runs;

use runs::{ApprovalOutcome, Run, Team};

/// Where the contract lists two readings, which one the fake plays (docs/github-api.md §12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// §9 / §12.5: the docs' "non-production" wording (true) or the flash-preview behaviour that also marks
    /// production deployments inactive (false, the default: observed behaviour).
    pub auto_inactive_skips_production: bool,
    /// §8.4 / §12.4: an active deployment may be deleted when it is the only one "in a given environment"
    /// (the error text; default) or only when it is the only one in the repository (the docs).
    pub delete_scope: DeleteScope,
    /// §8.4: which deployments the delete rule protects — only an active one (latest status `success`, not
    /// superseded by a newer success in its environment: our reading, the default) or every one not inactive
    /// (the docs' stricter wording).
    pub delete_rule: DeleteRule,
    /// §5: the primary limit per user and hour (`x-ratelimit-limit`).
    pub rate_limit_per_hour: u64,
    /// §5: how long a quota window lasts (GitHub: an hour). Tests shorten it to see a reset.
    pub rate_limit_window_s: u64,
    /// §5: GHES has rate limits off by default: no `x-ratelimit-*` headers, never a 403 for quota.
    pub rate_limits_enabled: bool,
    /// §5: GitHub's secondary limits: > 100 concurrent requests, > 80 content-creating requests a minute
    /// or > 500 an hour → 403 with `Retry-After`.
    pub secondary_limits: bool,
    /// §12.6: creating a deployment for a new environment name creates the environment record.
    pub auto_create_environments: bool,
    /// §13: GraphQL served (`on`), absent (`off`: a 404, as a server without it), or answered without CORS
    /// headers (`no_cors`: a browser sees a network error) — CORS on `/graphql` is not documented.
    pub graphql: GraphqlMode,
    /// §4: the origin the pagination `Link`s name (`None`: the one the request came to). Another one plays a
    /// server reached through an alias, which names its own address: a client must not follow it with the
    /// token.
    pub link_base: Option<String>,
    /// §14: what an approved deployment goes on to — `in_progress` (the job runs) or `success` (the default:
    /// the job finished, as a client looking later sees it). Not documented by GitHub.
    pub approval_outcome: ApprovalOutcome,
    /// §14: how REST shows the status of a deployment whose job waits for a review — `queued` (the default: REST's
    /// description has no `waiting`) or `waiting` (GraphQL's state, which REST may well send too). Unknown.
    pub waiting_in_rest: WaitingInRest,
    /// §8.14: what a collaborator without admin rights who can see the repository gets for an admin-only
    /// operation (deleting an environment) — `forbidden` (403 "Must have admin rights to Repository.", our
    /// reading: what GitHub answers for its other admin-only endpoints) or `not_found` (a 404, as for what one
    /// may not see). Not documented.
    #[serde(default)]
    pub non_admin: NonAdmin,
    /// The message of the 403 that refuses re-running a run over 30 days old: GitHub documents the window,
    /// not the words (docs/github-api.md §16), so the client reads only the status and the run's age.
    pub rerun_too_old_message: String,
    /// §14: `X-Poll-Interval` (seconds) on the list of workflow runs, asking clients to poll it no faster; none
    /// when left out. GitHub documents the header for its events and notifications, not for runs: unknown.
    #[serde(default)]
    pub poll_interval_s: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonAdmin {
    #[default]
    Forbidden,
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitingInRest {
    #[default]
    Queued,
    Waiting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GraphqlMode {
    #[default]
    On,
    Off,
    NoCors,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_inactive_skips_production: false,
            delete_scope: DeleteScope::Environment,
            delete_rule: DeleteRule::Active,
            rate_limit_per_hour: 5000,
            rate_limit_window_s: 3600,
            rate_limits_enabled: true,
            secondary_limits: false,
            auto_create_environments: true,
            graphql: GraphqlMode::On,
            link_base: None,
            approval_outcome: ApprovalOutcome::default(),
            waiting_in_rest: WaitingInRest::default(),
            non_admin: NonAdmin::default(),
            rerun_too_old_message:
                "Unable to re-run this workflow run because it was created over a month ago".into(),
            poll_interval_s: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteRule {
    #[default]
    Active,
    NotInactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteScope {
    Environment,
    Repository,
}

/// What a request is handled with, besides the request itself.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub now: Timestamp,
    /// The API base the request came in on (`http://127.0.0.1:8787`, or with `/api/v3`): URLs in bodies
    /// and `Link` headers are built from it so clients can follow them.
    pub base: String,
    /// Requests in flight on the server, this one included (for the secondary limit on concurrency).
    pub concurrent: usize,
}

impl Ctx {
    pub fn new(now: Timestamp, base: impl Into<String>) -> Self {
        Ctx {
            now,
            base: base.into().trim_end_matches('/').to_owned(),
            concurrent: 1,
        }
    }

    /// The web address matching the API base: github.com for api.github.com, the host root otherwise.
    pub fn web(&self) -> String {
        if self.base == "https://api.github.com" {
            return "https://github.com".into();
        }
        self.base.trim_end_matches("/api/v3").to_owned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserKind {
    User,
    Bot,
    Organization,
}

impl UserKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UserKind::User => "User",
            UserKind::Bot => "Bot",
            UserKind::Organization => "Organization",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: u64,
    pub login: String,
    pub kind: UserKind,
    pub name: Option<String>,
}

/// A fine-grained permission level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Read,
    Write,
}

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// A classic token (or OAuth token) with scopes (`repo`, `repo_deployment`, `public_repo`, …).
    Classic { scopes: Vec<String> },
    /// A fine-grained token: repository permissions, on the listed repositories (`None`: all of the
    /// owner's).
    FineGrained {
        permissions: BTreeMap<String, Level>,
        repositories: Option<Vec<String>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub user: u64,
    pub access: Access,
}

/// A collaborator's role on a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Read,
    Write,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub name: String,
    pub sha: String,
    /// Commits of the default branch this branch lacks: create-deployment with auto_merge merges them (202).
    #[serde(default)]
    pub behind_by: u32,
    /// Merging the default branch into this one conflicts (409).
    #[serde(default)]
    pub merge_conflict: bool,
    #[serde(default)]
    pub protected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitContext {
    pub context: String,
    /// A commit status or check state (`success`, `pending`, `failure`, `error`).
    pub state: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub id: u64,
    pub state: DeploymentState,
    pub creator: u64,
    pub description: String,
    pub environment: String,
    pub target_url: String,
    pub log_url: String,
    pub environment_url: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    pub id: u64,
    pub sha: String,
    pub git_ref: String,
    pub task: String,
    /// An object or a string, returned verbatim (docs/github-api.md §7.2: both forms are seen in real answers).
    pub payload: Value,
    pub original_environment: String,
    pub environment: String,
    pub description: Option<String>,
    pub creator: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub transient_environment: bool,
    pub production_environment: bool,
    /// Oldest first.
    pub statuses: Vec<Status>,
}

impl Deployment {
    /// The newest status (by time, then id).
    pub fn latest_status(&self) -> Option<&Status> {
        self.statuses.iter().max_by_key(|s| (s.created_at, s.id))
    }

    /// GitHub's notion: the state of the newest status (docs/github-api.md §9).
    pub fn state(&self) -> Option<DeploymentState> {
        self.latest_status().map(|s| s.state)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub id: u64,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub wait_timer: Option<u32>,
    pub reviewers: Vec<u64>,
    /// Required reviewer teams (ids in `Hub::teams`).
    pub reviewer_teams: Vec<u64>,
    pub prevent_self_review: bool,
    /// `(protected_branches, custom_branch_policies)`; `None` = every branch may deploy.
    pub branch_policy: Option<(bool, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub event_type: String,
    pub client_payload: Value,
    pub user: u64,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Repo {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub private: bool,
    pub description: Option<String>,
    pub default_branch: String,
    pub created_at: Timestamp,
    pub branches: Vec<Branch>,
    pub tags: Vec<(String, String)>,
    /// Every commit the repository knows (branch heads and tags included).
    pub commits: BTreeSet<String>,
    /// Their parents, messages and authors (`commits.rs`); a known commit missing here is a root.
    pub history: BTreeMap<String, commits::Commit>,
    pub contexts: BTreeMap<String, Vec<CommitContext>>,
    pub collaborators: BTreeMap<u64, Role>,
    /// Ascending id.
    pub deployments: Vec<Deployment>,
    pub environments: Vec<Environment>,
    pub dispatches: Vec<Dispatch>,
    /// Workflow runs, ascending id.
    pub runs: Vec<Run>,
}

impl Repo {
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// Deployments are kept in id order (a seed is sorted, a new one takes the next id): a binary search.
    pub fn deployment(&self, id: u64) -> Option<&Deployment> {
        self.deployments
            .binary_search_by_key(&id, |d| d.id)
            .ok()
            .map(|i| &self.deployments[i])
    }

    /// Active: its latest status is `success` and no newer deployment of its environment has `success` as
    /// its latest (docs/github-api.md §9, §13: GraphQL's ACTIVE).
    pub fn is_active(&self, d: &Deployment) -> bool {
        let newer = self.deployments.partition_point(|o| o.id <= d.id);
        d.state() == Some(DeploymentState::Success)
            && !self.deployments[newer..].iter().any(|o| {
                o.environment.eq_ignore_ascii_case(&d.environment)
                    && o.state() == Some(DeploymentState::Success)
            })
    }

    fn deployment_mut(&mut self, id: u64) -> Option<&mut Deployment> {
        let i = self.deployments.binary_search_by_key(&id, |d| d.id).ok()?;
        self.deployments.get_mut(i)
    }

    pub fn branch(&self, name: &str) -> Option<&Branch> {
        self.branches.iter().find(|b| b.name == name)
    }

    /// Resolves a branch, tag or SHA (full, or a unique prefix of at least 7) to a commit.
    pub fn resolve(&self, git_ref: &str) -> Option<Resolved> {
        let short = git_ref
            .strip_prefix("refs/heads/")
            .or_else(|| git_ref.strip_prefix("refs/tags/"))
            .unwrap_or(git_ref);
        if let Some(b) = self.branch(short) {
            return Some(Resolved::Branch(b.name.clone(), b.sha.clone()));
        }
        if let Some((_, sha)) = self.tags.iter().find(|(t, _)| t == short) {
            return Some(Resolved::Commit(sha.clone()));
        }
        if git_ref.len() >= 7 && git_ref.bytes().all(|b| b.is_ascii_hexdigit()) {
            let lower = git_ref.to_ascii_lowercase();
            // A whole SHA is looked up, not matched against every commit as a prefix.
            if let Some(sha) = self.commits.get(&lower) {
                return Some(Resolved::Commit(sha.clone()));
            }
            let mut matches = self.commits.iter().filter(|c| c.starts_with(&lower));
            if let (Some(sha), None) = (matches.next(), matches.next()) {
                return Some(Resolved::Commit(sha.clone()));
            }
        }
        None
    }

    pub fn role_of(&self, user: &User) -> Option<Role> {
        if user.login.eq_ignore_ascii_case(&self.owner) {
            return Some(Role::Admin);
        }
        self.collaborators.get(&user.id).copied()
    }

    /// The environment record of a name (case-insensitive, docs/github-api.md §7.5).
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// §8.14: removes the environment (its settings and protection rules); its deployments stay, as they
    /// name it in text. Whether it was there.
    pub fn delete_environment(&mut self, name: &str) -> bool {
        let before = self.environments.len();
        self.environments
            .retain(|e| !e.name.eq_ignore_ascii_case(name));
        self.environments.len() < before
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Branch(String, String),
    Commit(String),
}

impl Resolved {
    pub fn sha(&self) -> &str {
        match self {
            Resolved::Branch(_, sha) | Resolved::Commit(sha) => sha,
        }
    }
}

/// A create-deployment request, already type-checked.
#[derive(Debug, Clone, Default)]
pub struct NewDeployment {
    pub git_ref: String,
    pub task: Option<String>,
    pub auto_merge: Option<bool>,
    pub required_contexts: Option<Vec<String>>,
    pub payload: Option<Value>,
    pub environment: Option<String>,
    pub description: Option<String>,
    pub transient_environment: Option<bool>,
    pub production_environment: Option<bool>,
}

/// What create-deployment did (docs/github-api.md §8.2).
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    Created(u64),
    /// 202: the default branch was merged into the ref instead.
    AutoMerged {
        base: String,
        head: String,
    },
    /// 422 "No ref found for: …".
    NoRef(String),
    /// 409: the auto-merge conflicted.
    MergeConflict {
        base: String,
        head: String,
    },
    /// 409: required contexts not all `success`; every checked context with its state.
    ChecksFailed {
        git_ref: String,
        contexts: Vec<CommitContext>,
    },
}

/// A create-status request, already type-checked: the wire type of the request body.
pub use deploydeck_wire::model::NewDeploymentStatus as NewStatus;

/// What delete-deployment did (docs/github-api.md §8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    NotFound,
    /// Still active and not alone in its environment (or repository): 422.
    Refused,
}

/// Where a user's primary quota stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u64,
    pub used: u64,
    pub reset: Timestamp,
}

impl Quota {
    pub fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }
}

/// The whole fake GitHub.
#[derive(Debug, Clone)]
pub struct Hub {
    pub settings: Settings,
    pub users: Vec<User>,
    pub tokens: HashMap<String, Grant>,
    pub repos: Vec<Repo>,
    pub teams: Vec<Team>,
    pub(crate) next_id: u64,
    pub(crate) next_deployment_id: u64,
    pub(crate) next_status_id: u64,
    pub(crate) quotas: HashMap<String, Quota>,
    pub(crate) creations: HashMap<u64, VecDeque<Timestamp>>,
    /// GraphQL's secondary-limit points in the last minute, by user.
    pub(crate) graphql_points: HashMap<u64, VecDeque<(Timestamp, u64)>>,
    pub(crate) request_count: u64,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new(Settings::default())
    }
}

impl Hub {
    pub fn new(settings: Settings) -> Self {
        Hub {
            settings,
            users: Vec::new(),
            tokens: HashMap::new(),
            repos: Vec::new(),
            teams: Vec::new(),
            next_id: 1000,
            // Real ids already exceed 2^32 for deployments and 2^31 for statuses (docs/github-api.md §1): so do ours.
            next_deployment_id: 4_442_074_271,
            next_status_id: 2_151_661_540,
            quotas: HashMap::new(),
            creations: HashMap::new(),
            graphql_points: HashMap::new(),
            request_count: 0,
        }
    }

    pub(crate) fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds a user (or returns the existing one's id).
    pub fn add_user(&mut self, login: &str, kind: UserKind, name: Option<String>) -> u64 {
        if let Some(u) = self.user_by_login(login) {
            return u.id;
        }
        let id = self.fresh_id();
        self.users.push(User {
            id,
            login: login.to_owned(),
            kind,
            name,
        });
        id
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_by_login(&self, login: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.login.eq_ignore_ascii_case(login))
    }

    pub fn add_token(&mut self, token: &str, user: u64, access: Access) {
        self.tokens.insert(token.to_owned(), Grant { user, access });
    }

    /// An empty repository whose default branch `main` has one commit.
    pub fn add_repo(&mut self, owner: &str, name: &str, private: bool, now: Timestamp) -> usize {
        if let Some(i) = self.repo_index(owner, name) {
            return i;
        }
        self.add_user(owner, UserKind::Organization, None);
        let id = 515_435_940 + self.fresh_id();
        let sha = fake_sha(&format!("{owner}/{name}@initial"));
        self.repos.push(Repo {
            id,
            owner: owner.to_owned(),
            name: name.to_owned(),
            private,
            description: None,
            default_branch: "main".into(),
            created_at: now,
            branches: vec![Branch {
                name: "main".into(),
                sha: sha.clone(),
                behind_by: 0,
                merge_conflict: false,
                protected: false,
            }],
            tags: Vec::new(),
            commits: BTreeSet::from([sha]),
            history: BTreeMap::new(),
            contexts: BTreeMap::new(),
            collaborators: BTreeMap::new(),
            deployments: Vec::new(),
            environments: Vec::new(),
            dispatches: Vec::new(),
            runs: Vec::new(),
        });
        self.repos.len() - 1
    }

    /// Owner and name are case-insensitive (docs/github-api.md §1).
    pub fn repo_index(&self, owner: &str, name: &str) -> Option<usize> {
        self.repos
            .iter()
            .position(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(name))
    }

    pub fn repo(&self, owner: &str, name: &str) -> Option<&Repo> {
        self.repo_index(owner, name).map(|i| &self.repos[i])
    }

    /// With `auto_create_environments`, the environment record of a name used by a deployment or status.
    pub(crate) fn ensure_environment(&mut self, repo: usize, name: &str, now: Timestamp) {
        if self.settings.auto_create_environments {
            self.create_environment(repo, name, now);
        }
    }

    /// Adds an environment record unless one of that name (case-insensitive) exists.
    pub fn create_environment(&mut self, repo: usize, name: &str, now: Timestamp) {
        if self.repos[repo].environment(name).is_some() {
            return;
        }
        let id = 161_088_068 + self.fresh_id();
        self.repos[repo].environments.push(Environment {
            id,
            name: name.to_owned(),
            created_at: now,
            updated_at: now,
            wait_timer: None,
            reviewers: Vec::new(),
            reviewer_teams: Vec::new(),
            prevent_self_review: false,
            branch_policy: None,
        });
    }

    /// create-deployment (docs/github-api.md §8.2, fake algorithm): resolve the ref → auto-merge when behind the
    /// default branch (202, or 409 on conflict) → check required contexts (409) → create (201).
    pub fn create_deployment(
        &mut self,
        repo_index: usize,
        creator: u64,
        new: NewDeployment,
        now: Timestamp,
    ) -> CreateOutcome {
        let repo = &mut self.repos[repo_index];
        let Some(resolved) = repo.resolve(&new.git_ref) else {
            return CreateOutcome::NoRef(new.git_ref);
        };
        if new.auto_merge != Some(false) {
            if let Resolved::Branch(name, _) = &resolved {
                let base = repo.default_branch.clone();
                let branch = repo.branches.iter_mut().find(|b| &b.name == name);
                if let Some(branch) = branch.filter(|b| b.name != base && b.behind_by > 0) {
                    if branch.merge_conflict {
                        return CreateOutcome::MergeConflict {
                            base,
                            head: branch.name.clone(),
                        };
                    }
                    let merged = fake_sha(&format!("merge {base} into {} at {}", branch.sha, now));
                    let previous = std::mem::replace(&mut branch.sha, merged.clone());
                    branch.behind_by = 0;
                    let head = branch.name.clone();
                    repo.add_commit(
                        &merged,
                        &previous,
                        format!("Merge branch '{base}' into {head}"),
                        now,
                    );
                    return CreateOutcome::AutoMerged { base, head };
                }
            }
        }
        let sha = resolved.sha().to_owned();
        let on_commit: Vec<CommitContext> = repo.contexts.get(&sha).cloned().unwrap_or_default();
        let required: Vec<String> = match &new.required_contexts {
            Some(list) => list.clone(),
            None => {
                let mut all: Vec<String> = on_commit.iter().map(|c| c.context.clone()).collect();
                all.dedup();
                all
            }
        };
        let state_of = |context: &str| {
            on_commit
                .iter()
                .rev()
                .find(|c| c.context == context)
                .map(|c| c.state.clone())
        };
        if required
            .iter()
            .any(|c| state_of(c).as_deref() != Some("success"))
        {
            let mut contexts: Vec<CommitContext> = on_commit.clone();
            for c in &required {
                if state_of(c).is_none() {
                    contexts.push(CommitContext {
                        context: c.clone(),
                        state: "missing".into(),
                    });
                }
            }
            return CreateOutcome::ChecksFailed {
                git_ref: new.git_ref,
                contexts,
            };
        }
        let environment = new.environment.unwrap_or_else(|| "production".into());
        let id = self.next_deployment_id;
        self.next_deployment_id += 1;
        let deployment = Deployment {
            id,
            sha,
            task: new.task.unwrap_or_else(|| "deploy".into()),
            payload: new
                .payload
                .unwrap_or_else(|| Value::Object(Default::default())),
            original_environment: environment.clone(),
            // §9: true iff the environment is `production`, unless given.
            production_environment: new
                .production_environment
                .unwrap_or(environment == "production"),
            transient_environment: new.transient_environment.unwrap_or(false),
            environment: environment.clone(),
            description: new.description,
            creator,
            created_at: now,
            updated_at: now,
            git_ref: new.git_ref,
            statuses: Vec::new(),
        };
        self.repos[repo_index].deployments.push(deployment);
        self.ensure_environment(repo_index, &environment, now);
        CreateOutcome::Created(id)
    }

    /// create-deployment-status (docs/github-api.md §8.6, §9): the environment defaults to the previous status's,
    /// else the deployment's, and moves the deployment; `log_url` and `target_url` mirror each other; a
    /// `success` marks prior deployments of that environment inactive (auto_inactive). Returns the new
    /// status's id, or `None` for an unknown deployment.
    pub fn add_status(
        &mut self,
        repo_index: usize,
        deployment_id: u64,
        creator: u64,
        new: NewStatus,
        now: Timestamp,
    ) -> Option<u64> {
        let status_id = self.next_status_id;
        let skips_production = self.settings.auto_inactive_skips_production;
        let repo = &mut self.repos[repo_index];
        let deployment = repo.deployment_mut(deployment_id)?;
        let previous_environment = deployment
            .latest_status()
            .map(|s| s.environment.clone())
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| deployment.environment.clone());
        let environment = new
            .environment
            .clone()
            .filter(|e| !e.is_empty())
            .unwrap_or(previous_environment);
        let log_url = new.log_url.clone().or_else(|| new.target_url.clone());
        let target_url = new.target_url.clone().or_else(|| new.log_url.clone());
        deployment.statuses.push(Status {
            id: status_id,
            state: new.state,
            creator,
            description: new.description.clone().unwrap_or_default(),
            environment: environment.clone(),
            target_url: target_url.unwrap_or_default(),
            log_url: log_url.unwrap_or_default(),
            environment_url: new.environment_url.clone().unwrap_or_default(),
            created_at: now,
        });
        deployment.environment = environment.clone();
        deployment.updated_at = now;
        self.next_status_id += 1;

        if new.state == DeploymentState::Success && new.auto_inactive != Some(false) {
            let mut auto_ids = Vec::new();
            for prior in repo.deployments.iter_mut() {
                let latest_is_success = prior.state() == Some(DeploymentState::Success);
                if prior.id < deployment_id
                    && prior.environment == environment
                    && !prior.transient_environment
                    && latest_is_success
                    && !(skips_production && prior.production_environment)
                {
                    auto_ids.push(prior.id);
                }
            }
            for id in auto_ids {
                let sid = self.next_status_id;
                self.next_status_id += 1;
                if let Some(prior) = self.repos[repo_index].deployment_mut(id) {
                    prior.statuses.push(Status {
                        id: sid,
                        state: DeploymentState::Inactive,
                        creator,
                        description: String::new(),
                        environment: environment.clone(),
                        target_url: String::new(),
                        log_url: String::new(),
                        environment_url: String::new(),
                        created_at: now,
                    });
                    prior.updated_at = now;
                }
            }
        }
        self.ensure_environment(repo_index, &environment, now);
        Some(status_id)
    }

    /// delete-deployment's rule (docs/github-api.md §8.4): inactive deployments may go; an active one only when it
    /// is the only deployment of its environment (or of the repository, per `delete_scope`). A deployment
    /// with no status counts as active.
    pub fn delete_deployment(&mut self, repo_index: usize, id: u64) -> DeleteOutcome {
        let (scope, rule) = (self.settings.delete_scope, self.settings.delete_rule);
        let repo = &mut self.repos[repo_index];
        let Some(position) = repo.deployments.iter().position(|d| d.id == id) else {
            return DeleteOutcome::NotFound;
        };
        let d = &repo.deployments[position];
        let protected = match rule {
            DeleteRule::Active => repo.is_active(d),
            DeleteRule::NotInactive => d.state() != Some(DeploymentState::Inactive),
        };
        let alone = match scope {
            DeleteScope::Environment => {
                repo.deployments
                    .iter()
                    .filter(|o| o.environment == d.environment)
                    .count()
                    == 1
            }
            DeleteScope::Repository => repo.deployments.len() == 1,
        };
        if protected && !alone {
            return DeleteOutcome::Refused;
        }
        repo.deployments.remove(position);
        DeleteOutcome::Deleted
    }

    /// The user's primary quota at `now`, a new window starting when the last one reset.
    pub(crate) fn quota(&mut self, key: &str, limit: u64, now: Timestamp) -> &mut Quota {
        let window = self.settings.rate_limit_window_s.max(1) as i64;
        let quota = self.quotas.entry(key.to_owned()).or_insert(Quota {
            limit,
            used: 0,
            reset: now.plus_seconds(window),
        });
        if quota.reset <= now {
            *quota = Quota {
                limit,
                used: 0,
                reset: now.plus_seconds(window),
            };
        }
        quota.limit = limit;
        quota
    }
}

/// A deterministic 40-hex "commit SHA" for a text: FNV-1a, then splitmix64's finaliser so that similar texts
/// give unrelated SHAs (as real ones are). Stable across runs.
pub fn fake_sha(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::with_capacity(48);
    for round in 0..3u64 {
        let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(round + 1));
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.push_str(&format!("{z:016x}"));
    }
    out.truncate(40);
    out
}

#[cfg(test)]
mod tests {
    use super::fake_sha;

    #[test]
    fn fake_shas_are_40_hex_and_similar_texts_differ_early() {
        let a = fake_sha("acme/storefront#1");
        let b = fake_sha("acme/storefront#2");
        assert_eq!(a.len(), 40);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a[..7], b[..7], "short SHAs must tell deployments apart");
        assert_eq!(a, fake_sha("acme/storefront#1"));
    }
}
