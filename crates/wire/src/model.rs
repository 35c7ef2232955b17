//! GitHub's objects exactly as GitHub sends them (docs/github-api.md §7), and the request bodies Deploydeck sends
//! (docs/github-api.md §8). Fields are declared in the order real responses use, so a decoded object re-encodes to
//! the same JSON.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::timestamp::Timestamp;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        /// 64-bit: real ids already exceed 2^32 (docs/github-api.md §1 "IDs").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                $name(id)
            }
        }
    };
}

id_type!(
    /// A deployment's `id`.
    DeploymentId
);
id_type!(
    /// A deployment status's `id`.
    StatusId
);
id_type!(
    /// A user's (or bot's, or organisation's) `id`.
    UserId
);
id_type!(
    /// An environment's `id`.
    EnvironmentId
);
id_type!(
    /// A repository's `id`.
    RepositoryId
);

/// The states of a deployment status (docs/github-api.md §7.3): the seven a status can be created with, and
/// `waiting` — a job waiting for an environment's reviewers or timer gives its deployment that state (GraphQL's
/// `WAITING`; REST's description has no such value, and whether REST shows it is not known: §14).
/// Exhaustive: an unknown state is a decoding error, not a silent fallback, so a change on GitHub's side is
/// noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentState {
    Error,
    Failure,
    Inactive,
    InProgress,
    Queued,
    Pending,
    Success,
    Waiting,
}

impl DeploymentState {
    /// Every state, in the order a deployment goes through them.
    pub const ALL: [DeploymentState; 8] = [
        DeploymentState::Pending,
        DeploymentState::Waiting,
        DeploymentState::Queued,
        DeploymentState::InProgress,
        DeploymentState::Success,
        DeploymentState::Failure,
        DeploymentState::Error,
        DeploymentState::Inactive,
    ];

    /// The wire name (`in_progress`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentState::Error => "error",
            DeploymentState::Failure => "failure",
            DeploymentState::Inactive => "inactive",
            DeploymentState::InProgress => "in_progress",
            DeploymentState::Queued => "queued",
            DeploymentState::Pending => "pending",
            DeploymentState::Success => "success",
            DeploymentState::Waiting => "waiting",
        }
    }

    /// The states a status can be created with (create-a-deployment-status): all but `waiting`, which only
    /// GitHub Actions gives.
    pub const POSTABLE: [DeploymentState; 7] = [
        DeploymentState::Pending,
        DeploymentState::Queued,
        DeploymentState::InProgress,
        DeploymentState::Success,
        DeploymentState::Failure,
        DeploymentState::Error,
        DeploymentState::Inactive,
    ];

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Words for a person (state is never shown by colour alone).
    pub fn label(self) -> &'static str {
        match self {
            DeploymentState::Error => "Error",
            DeploymentState::Failure => "Failed",
            DeploymentState::Inactive => "Inactive",
            DeploymentState::InProgress => "In progress",
            DeploymentState::Queued => "Queued",
            DeploymentState::Pending => "Pending",
            DeploymentState::Success => "Success",
            DeploymentState::Waiting => "Waiting for review",
        }
    }

    /// The CSS class a view gives a badge of this state (one mapping, not string matching in views).
    pub fn class(self) -> &'static str {
        match self {
            DeploymentState::Error => "state-error",
            DeploymentState::Failure => "state-failure",
            DeploymentState::Inactive => "state-inactive",
            DeploymentState::InProgress => "state-in-progress",
            DeploymentState::Queued => "state-queued",
            DeploymentState::Pending => "state-pending",
            DeploymentState::Success => "state-success",
            DeploymentState::Waiting => "state-waiting",
        }
    }

    /// Whether a deployment in this state is still being worked on (nothing final has been said).
    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            DeploymentState::Pending
                | DeploymentState::Waiting
                | DeploymentState::Queued
                | DeploymentState::InProgress
        )
    }
}

impl fmt::Display for DeploymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `payload`: "object or string", round-tripped verbatim (docs/github-api.md §7.2: both forms are seen in real answers).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Payload {
    Object(Map<String, Value>),
    Text(String),
}

/// Read through `serde_json::Value` rather than `#[serde(untagged)]`: the same result without serde's
/// buffering machinery for untagged enums in the wasm bundle.
impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(Payload::Object(map)),
            Value::String(text) => Ok(Payload::Text(text)),
            other => Err(serde::de::Error::custom(format!(
                "a payload is a JSON object or a string, not {other}"
            ))),
        }
    }
}

impl Default for Payload {
    /// An omitted payload comes back as `{}`.
    fn default() -> Self {
        Payload::Object(Map::new())
    }
}

impl Payload {
    pub fn is_empty(&self) -> bool {
        match self {
            Payload::Object(map) => map.is_empty(),
            Payload::Text(text) => text.is_empty(),
        }
    }

    /// Indented JSON for display (a string payload is shown as the string itself).
    pub fn pretty(&self) -> String {
        match self {
            Payload::Object(map) => {
                serde_json::to_string_pretty(map).unwrap_or_else(|_| String::from("{}"))
            }
            Payload::Text(text) => text.clone(),
        }
    }
}

/// `simple-user` (docs/github-api.md §7.1): a deployment's or status's `creator`, and `GET /user`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimpleUser {
    pub login: String,
    pub id: UserId,
    pub node_id: String,
    pub avatar_url: String,
    /// Required but nullable; real answers send `""`.
    pub gravatar_id: Option<String>,
    pub url: String,
    pub html_url: String,
    pub followers_url: String,
    pub following_url: String,
    pub gists_url: String,
    pub starred_url: String,
    pub subscriptions_url: String,
    pub organizations_url: String,
    pub repos_url: String,
    pub events_url: String,
    pub received_events_url: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_view_type: Option<String>,
    pub site_admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starred_at: Option<String>,
}

impl SimpleUser {
    /// A user with GitHub's URL templates filled in: `api` and `web` are the API and web roots
    /// (`https://api.github.com`, `https://github.com`). Bots' `[bot]` is escaped in URLs as GitHub does.
    pub fn with_urls(login: &str, id: UserId, kind: &str, api: &str, web: &str) -> SimpleUser {
        let escaped = login.replace('[', "%5B").replace(']', "%5D");
        let user = format!("{api}/users/{escaped}");
        SimpleUser {
            login: login.to_owned(),
            id,
            node_id: format!("MDQ6VXNlcn{:08}", id.0),
            avatar_url: format!("https://avatars.githubusercontent.com/u/{}?v=4", id.0),
            gravatar_id: Some(String::new()),
            url: user.clone(),
            // A GitHub App's bot user links to its app's page (`https://github.com/apps/dependabot`).
            html_url: match login.strip_suffix("[bot]").filter(|_| kind == "Bot") {
                Some(app) => format!("{web}/apps/{app}"),
                None => format!("{web}/{login}"),
            },
            followers_url: format!("{user}/followers"),
            following_url: format!("{user}/following{{/other_user}}"),
            gists_url: format!("{user}/gists{{/gist_id}}"),
            starred_url: format!("{user}/starred{{/owner}}{{/repo}}"),
            subscriptions_url: format!("{user}/subscriptions"),
            organizations_url: format!("{user}/orgs"),
            repos_url: format!("{user}/repos"),
            events_url: format!("{user}/events{{/privacy}}"),
            received_events_url: format!("{user}/received_events"),
            kind: kind.to_owned(),
            user_view_type: Some("public".into()),
            site_admin: false,
            name: None,
            email: None,
            starred_at: None,
        }
    }

    pub fn is_bot(&self) -> bool {
        self.kind == "Bot"
    }
}

/// `nullable-integration` (docs/github-api.md §7.4): the GitHub App a deployment was made through, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Integration {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    pub node_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// A simple-user or an enterprise; kept as JSON because Deploydeck only shows its login or name.
    pub owner: Value,
    pub name: String,
    pub description: Option<String>,
    pub external_url: String,
    pub html_url: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub permissions: Map<String, Value>,
    pub events: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installations_count: Option<u64>,
}

/// `deployment` (docs/github-api.md §7.2). There is no `state` field: see `rules::latest_state`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    pub url: String,
    pub id: DeploymentId,
    pub node_id: String,
    pub task: String,
    /// Always present in practice; the environment at creation, never changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_environment: Option<String>,
    /// The current environment: a status carrying `environment` moves it (docs/github-api.md §9).
    pub environment: String,
    /// `null` when none was given.
    pub description: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub statuses_url: String,
    pub repository_url: String,
    /// Shared: a list of 100,000 deployments has a handful of creators, each kept once
    /// ([`Creators::share`]).
    pub creator: Option<Arc<SimpleUser>>,
    pub sha: String,
    #[serde(rename = "ref")]
    pub git_ref: String,
    #[serde(default)]
    pub payload: Payload,
    #[serde(default)]
    pub transient_environment: bool,
    #[serde(default)]
    pub production_environment: bool,
    /// Boxed: rare, and large beside the rest of a deployment held by the hundred thousand.
    #[serde(default)]
    pub performed_via_github_app: Option<Box<Integration>>,
}

impl Deployment {
    /// The first seven characters of the SHA, as GitHub shows it.
    pub fn short_sha(&self) -> &str {
        self.sha.get(..7).unwrap_or(&self.sha)
    }

    pub fn creator_login(&self) -> Option<&str> {
        self.creator.as_ref().map(|u| u.login.as_str())
    }
}

/// The creators of a long list, each kept once: every deployment decoded from a page brings its own copy of
/// its creator (a `simple-user` of about a kilobyte), which is swapped for the one already kept when equal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Creators {
    kept: HashMap<UserId, Arc<SimpleUser>>,
}

impl Creators {
    /// `deployments`' creators, now shared with the deployments seen before.
    pub fn share(&mut self, deployments: &mut [Deployment]) {
        for d in deployments {
            let Some(creator) = d.creator.as_mut() else {
                continue;
            };
            match self.kept.get(&creator.id) {
                Some(kept) if kept == creator => *creator = kept.clone(),
                _ => {
                    self.kept.insert(creator.id, creator.clone());
                }
            }
        }
    }
}

/// `deployment-status` (docs/github-api.md §7.3). Unset strings are `""`, never `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentStatus {
    pub url: String,
    pub id: StatusId,
    pub node_id: String,
    pub state: DeploymentState,
    pub creator: Option<SimpleUser>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub environment: String,
    #[serde(default)]
    pub target_url: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deployment_url: String,
    pub repository_url: String,
    #[serde(default)]
    pub environment_url: String,
    #[serde(default)]
    pub log_url: String,
    #[serde(default)]
    pub performed_via_github_app: Option<Integration>,
}

impl DeploymentStatus {
    /// The log link to show: `log_url`, else the legacy `target_url` (setting one sets the other, §9).
    pub fn log_link(&self) -> Option<&str> {
        [&self.log_url, &self.target_url]
            .into_iter()
            .map(String::as_str)
            .find(|u| !u.is_empty())
    }
}

/// Who posted a status, by login: all Deploydeck shows of a creator, and all GraphQL's `Actor` gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub login: String,
}

/// A deployment's newest status as either API gives it: REST's status list (`statuses?per_page=1`) or
/// GraphQL's `Deployment.latestStatus`, which has no REST id or URLs (docs/github-api.md §13). What the
/// views, the summaries, the cleanup rules and the export read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub state: DeploymentState,
    pub created_at: Timestamp,
    pub creator: Option<Login>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub environment: String,
    #[serde(default)]
    pub environment_url: String,
    #[serde(default)]
    pub log_url: String,
    /// REST's id of the status, when it was read through REST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<StatusId>,
}

impl From<&DeploymentStatus> for Latest {
    fn from(s: &DeploymentStatus) -> Self {
        Latest {
            state: s.state,
            created_at: s.created_at,
            creator: s.creator.as_ref().map(|u| Login {
                login: u.login.clone(),
            }),
            description: s.description.clone(),
            environment: s.environment.clone(),
            environment_url: s.environment_url.clone(),
            log_url: s.log_link().unwrap_or_default().to_owned(),
            id: Some(s.id),
        }
    }
}

/// `environment` (docs/github-api.md §7.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub id: EnvironmentId,
    pub node_id: String,
    pub name: String,
    pub url: String,
    pub html_url: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection_rules: Option<Vec<ProtectionRule>>,
    /// `null` means every branch may deploy.
    #[serde(default)]
    pub deployment_branch_policy: Option<BranchPolicy>,
}

/// One of an environment's protection rules, told apart by `type`. Read through one flat record
/// ([`ProtectionRuleRecord`]): serde's derive for a tagged enum buffers each rule through its generic `Content`
/// and a visitor per variant, code every screen that lists environments fetched (issue 30).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    try_from = "ProtectionRuleRecord"
)]
pub enum ProtectionRule {
    WaitTimer {
        id: u64,
        node_id: String,
        /// Minutes, 0..=43200.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wait_timer: Option<u32>,
    },
    RequiredReviewers {
        id: u64,
        node_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prevent_self_review: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reviewers: Option<Vec<Reviewer>>,
    },
    BranchPolicy {
        id: u64,
        node_id: String,
    },
}

/// [`ProtectionRule`] as GitHub sends it: `type` and the union of every kind's fields.
#[derive(Deserialize)]
struct ProtectionRuleRecord {
    #[serde(rename = "type")]
    kind: String,
    id: Option<u64>,
    node_id: Option<String>,
    wait_timer: Option<u32>,
    prevent_self_review: Option<bool>,
    reviewers: Option<Vec<Reviewer>>,
}

impl TryFrom<ProtectionRuleRecord> for ProtectionRule {
    type Error = String;

    fn try_from(r: ProtectionRuleRecord) -> Result<ProtectionRule, String> {
        use crate::record::{need, unknown};
        let id = need(r.id, "id")?;
        let node_id = need(r.node_id, "node_id")?;
        Ok(match r.kind.as_str() {
            "wait_timer" => ProtectionRule::WaitTimer {
                id,
                node_id,
                wait_timer: r.wait_timer,
            },
            "required_reviewers" => ProtectionRule::RequiredReviewers {
                id,
                node_id,
                prevent_self_review: r.prevent_self_review,
                reviewers: r.reviewers,
            },
            "branch_policy" => ProtectionRule::BranchPolicy { id, node_id },
            other => return Err(unknown("type", other)),
        })
    }
}

/// A required reviewer: a user or a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reviewer {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A simple-user or a team; kept as JSON because only its login or name is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<Value>,
}

impl Reviewer {
    /// The user's login or the team's name.
    pub fn display_name(&self) -> Option<&str> {
        let r = self.reviewer.as_ref()?;
        r.get("login").or_else(|| r.get("name"))?.as_str()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchPolicy {
    pub protected_branches: bool,
    pub custom_branch_policies: bool,
}

/// `GET /repos/{owner}/{repo}/environments` (docs/github-api.md §8.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentList {
    pub total_count: u64,
    pub environments: Vec<Environment>,
}

/// The parts of `GET /repos/{owner}/{repo}` Deploydeck reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    pub id: RepositoryId,
    pub node_id: String,
    pub name: String,
    pub full_name: String,
    pub private: bool,
    pub owner: SimpleUser,
    pub html_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub default_branch: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// Present when the request was authenticated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<RepositoryPermissions>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RepositoryPermissions {
    pub admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintain: Option<bool>,
    pub push: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triage: Option<bool>,
    pub pull: bool,
}

/// `GET /rate_limit`: only `resources.core` matters here (the top-level `rate` is gone in API 2026-03-10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateLimitOverview {
    pub resources: RateLimitResources,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateLimitResources {
    pub core: RateLimitWindow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitWindow {
    pub limit: u64,
    pub remaining: u64,
    /// Epoch seconds.
    pub reset: i64,
    #[serde(default)]
    pub used: u64,
}

/// `short-branch` (docs/github-api.md §7.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortBranch {
    pub name: String,
    pub commit: CommitRef,
    pub protected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRef {
    pub sha: String,
    pub url: String,
}

/// `branch-with-protection`, the parts Deploydeck reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub name: String,
    pub commit: CommitRef,
    pub protected: bool,
}

/// `git-ref` (docs/github-api.md §7.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitRef {
    #[serde(rename = "ref")]
    pub name: String,
    pub node_id: String,
    pub url: String,
    pub object: GitObject,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitObject {
    #[serde(rename = "type")]
    pub kind: String,
    pub sha: String,
    pub url: String,
}

// ---- request bodies (docs/github-api.md §8.2, §8.6, §8.8) ----

/// `required_contexts`, a three-way choice whose first branch is "leave the field out".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RequiredContexts {
    /// Omitted: GitHub checks every context on the commit.
    #[default]
    AllChecks,
    /// `[]`: GitHub checks nothing.
    SkipChecks,
    /// Only these contexts must be `success`.
    Only(Vec<String>),
}

impl RequiredContexts {
    pub fn is_all_checks(&self) -> bool {
        matches!(self, RequiredContexts::AllChecks)
    }

    /// The JSON value to send; `None` means the field is left out.
    pub fn to_json(&self) -> Option<Vec<String>> {
        match self {
            RequiredContexts::AllChecks => None,
            RequiredContexts::SkipChecks => Some(Vec::new()),
            RequiredContexts::Only(list) => Some(list.clone()),
        }
    }
}

fn serialize_required_contexts<S: serde::Serializer>(
    value: &RequiredContexts,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.to_json().unwrap_or_default().serialize(serializer)
}

fn deserialize_required_contexts<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<RequiredContexts, D::Error> {
    let list = Vec::<String>::deserialize(deserializer)?;
    Ok(if list.is_empty() {
        RequiredContexts::SkipChecks
    } else {
        RequiredContexts::Only(list)
    })
}

/// The body of `POST /repos/{owner}/{repo}/deployments`. Built by `validate::DeploymentDraft::validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDeployment {
    #[serde(rename = "ref")]
    pub git_ref: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_merge: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "RequiredContexts::is_all_checks",
        serialize_with = "serialize_required_contexts",
        deserialize_with = "deserialize_required_contexts"
    )]
    pub required_contexts: RequiredContexts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Payload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transient_environment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_environment: Option<bool>,
}

impl NewDeployment {
    /// A request for `git_ref` with every other field left to GitHub's defaults.
    pub fn for_ref(git_ref: impl Into<String>) -> Self {
        NewDeployment {
            git_ref: git_ref.into(),
            task: None,
            auto_merge: None,
            required_contexts: RequiredContexts::AllChecks,
            payload: None,
            environment: None,
            description: None,
            transient_environment: None,
            production_environment: None,
        }
    }

    /// The environment GitHub will use: `production` when none is given (docs/github-api.md §8.2).
    pub fn effective_environment(&self) -> &str {
        self.environment.as_deref().unwrap_or("production")
    }
}

/// The body of `POST …/deployments/{id}/statuses`. Built by `validate::StatusDraft::validate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDeploymentStatus {
    pub state: DeploymentState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_inactive: Option<bool>,
}

impl NewDeploymentStatus {
    pub fn with_state(state: DeploymentState) -> Self {
        NewDeploymentStatus {
            state,
            target_url: None,
            log_url: None,
            description: None,
            environment: None,
            environment_url: None,
            auto_inactive: None,
        }
    }
}

/// The body of `POST /repos/{owner}/{repo}/dispatches`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchEvent {
    pub event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_payload: Option<Map<String, Value>>,
}

/// The 202 answer to create-deployment: GitHub merged the default branch into the ref instead of creating
/// a deployment (docs/github-api.md §8.2). Not a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoMerged {
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(id: u64, creator: Option<SimpleUser>) -> Deployment {
        let mut d: Deployment =
            serde_json::from_str(include_str!("../../core/tests/fixtures/deployment.json"))
                .unwrap();
        d.id = DeploymentId(id);
        d.creator = creator.map(Arc::new);
        d
    }

    #[test]
    fn a_list_keeps_each_creator_once_and_tells_apart_what_differs() {
        let user = |login: &str, id: u64| {
            SimpleUser::with_urls(
                login,
                UserId(id),
                "User",
                "https://api.github.com",
                "https://github.com",
            )
        };
        let mut creators = Creators::default();
        let mut first = vec![deployment(1, Some(user("mona", 7))), deployment(2, None)];
        let mut second = vec![
            deployment(3, Some(user("mona", 7))),
            deployment(4, Some(user("hubot", 8))),
            deployment(5, Some(user("mona-renamed", 7))),
        ];
        creators.share(&mut first);
        creators.share(&mut second);
        let mona = first[0].creator.as_ref().unwrap();
        assert!(
            Arc::ptr_eq(mona, second[0].creator.as_ref().unwrap()),
            "one copy"
        );
        assert_eq!(second[1].creator_login(), Some("hubot"));
        assert_eq!(
            second[2].creator_login(),
            Some("mona-renamed"),
            "a creator whose answer changed keeps what GitHub sent"
        );
        assert_eq!(first[1].creator, None);
        // What is shared encodes as it was sent.
        let json = serde_json::to_value(&second[0]).unwrap();
        assert_eq!(json["creator"]["login"], "mona");
    }

    #[test]
    fn protection_rules_read_as_github_sends_them_and_back_as_written() {
        // GitHub's example of an environment's rules (docs/github-api.md §8.9).
        let json = r#"[
            {"id":3736,"node_id":"MDQ6R2F0ZTM3MzY=","type":"wait_timer","wait_timer":30},
            {"id":3755,"node_id":"MDQ6R2F0ZTM3NTU=","prevent_self_review":false,"type":"required_reviewers",
             "reviewers":[{"type":"User","reviewer":{"login":"octocat","id":1}},{"type":"Team","reviewer":{"name":"Justice League","id":1}}]},
            {"id":3756,"node_id":"MDQ6R2F0ZTM3NTY=","type":"branch_policy"}
        ]"#;
        let rules: Vec<ProtectionRule> = serde_json::from_str(json).unwrap();
        assert_eq!(
            rules[0],
            ProtectionRule::WaitTimer {
                id: 3736,
                node_id: "MDQ6R2F0ZTM3MzY=".into(),
                wait_timer: Some(30)
            }
        );
        let ProtectionRule::RequiredReviewers {
            prevent_self_review,
            reviewers,
            ..
        } = &rules[1]
        else {
            panic!("{:?}", rules[1]);
        };
        assert_eq!(*prevent_self_review, Some(false));
        let names: Vec<_> = reviewers
            .iter()
            .flatten()
            .filter_map(Reviewer::display_name)
            .collect();
        assert_eq!(names, ["octocat", "Justice League"]);
        assert_eq!(
            rules[2],
            ProtectionRule::BranchPolicy {
                id: 3756,
                node_id: "MDQ6R2F0ZTM3NTY=".into()
            }
        );
        // What the fake writes (the derived Serialize) reads back the same.
        let again: Vec<ProtectionRule> =
            serde_json::from_str(&serde_json::to_string(&rules).unwrap()).unwrap();
        assert_eq!(again, rules);
        // Optional fields absent; required ones and unknown kinds refused by name.
        let bare: ProtectionRule =
            serde_json::from_str(r#"{"id":1,"node_id":"n","type":"required_reviewers"}"#).unwrap();
        assert_eq!(
            bare,
            ProtectionRule::RequiredReviewers {
                id: 1,
                node_id: "n".into(),
                prevent_self_review: None,
                reviewers: None
            }
        );
        let err =
            serde_json::from_str::<ProtectionRule>(r#"{"id":1,"type":"wait_timer"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `node_id`"), "{err}");
        let err = serde_json::from_str::<ProtectionRule>(r#"{"id":1,"node_id":"n","type":"moat"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("unknown type `moat`"), "{err}");
    }
}
