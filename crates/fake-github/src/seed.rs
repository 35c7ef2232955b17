//! The JSON seed format (`--seed FILE`, `POST /_fake/seed`): users and tokens, repositories with branches,
//! tags, commit contexts, environments, and deployments with their statuses. Documented in the README.
//!
//! Seeded history is taken as written: seeded statuses do not trigger auto-inactive (write the `inactive`
//! statuses the history should have), and nothing is validated beyond its shape, so a seed can hold the
//! hostile data real repositories contain.

use std::collections::BTreeMap;

use deploydeck_wire::model::DeploymentState;
use deploydeck_wire::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::hub::runs::{Decision, Gate, Run, Team};
use crate::hub::{
    fake_sha, Access, Branch, CommitContext, Deployment, Environment, Hub, Level, Role, Settings,
    Status, UserKind,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Seed {
    pub settings: Option<Settings>,
    pub users: Vec<SeedUser>,
    pub tokens: Vec<SeedToken>,
    /// Organisation teams, which environments can name as required reviewers.
    pub teams: Vec<SeedTeam>,
    pub repositories: Vec<SeedRepo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTeam {
    pub org: String,
    pub slug: String,
    /// The slug when left out.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

/// A workflow run whose job waits on protected environments: each gets a deployment in `waiting` (made by
/// github-actions[bot]) until its reviewers decide and its wait timer runs out (docs/github-api.md §14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRun {
    #[serde(default)]
    pub id: Option<u64>,
    /// The workflow's name, e.g. `Deploy`.
    pub workflow: String,
    /// `.github/workflows/<workflow>.yml` when left out.
    #[serde(default)]
    pub path: Option<String>,
    /// The run's title (a commit message's first line); the workflow's name when left out.
    #[serde(default)]
    pub title: Option<String>,
    /// The branch the run is for.
    #[serde(rename = "ref")]
    pub git_ref: String,
    #[serde(default)]
    pub sha: Option<String>,
    /// `push` when left out.
    #[serde(default)]
    pub event: Option<String>,
    /// Who triggered it.
    pub actor: String,
    pub created_at: Timestamp,
    /// The environments its job waits on (created if missing) or, when `conclusion` is given, deployed to.
    pub waits_on: Vec<String>,
    /// `success`: a run that already went through (its deployments `in_progress` then `success`, made by
    /// github-actions[bot] and logged at the run); waiting for reviews when left out.
    #[serde(default)]
    pub conclusion: Option<String>,
    /// The number of the pull request the run belongs to (its `pull_requests`); none when left out.
    #[serde(default)]
    pub pull_request: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub login: String,
    /// `User` (default), `Bot` or `Organization`.
    #[serde(default, rename = "type")]
    pub kind: Option<UserKind>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    pub token: String,
    /// The login the token belongs to (created if missing).
    pub user: String,
    /// Classic scopes, e.g. `["repo"]`. Leave out for a fine-grained token.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Fine-grained permissions, e.g. `{"deployments": "write"}`.
    #[serde(default)]
    pub permissions: Option<BTreeMap<String, Level>>,
    /// Fine-grained: the repositories (`owner/name`) the token may use; all of its user's when left out.
    #[serde(default)]
    pub repositories: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRepo {
    pub owner: String,
    pub name: String,
    #[serde(default)]
    pub private: bool,
    #[serde(default)]
    pub description: Option<String>,
    /// Defaults to `main`.
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Logins and their role: `read`, `write` or `admin` (the owner is always admin).
    #[serde(default)]
    pub collaborators: BTreeMap<String, Role>,
    /// Branch heads; the default branch is added with a made-up commit if missing.
    #[serde(default)]
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Further known commits (so a SHA can be deployed).
    #[serde(default)]
    pub commits: Vec<String>,
    /// Commit statuses and checks by SHA.
    #[serde(default)]
    pub contexts: BTreeMap<String, Vec<CommitContext>>,
    #[serde(default)]
    pub environments: Vec<SeedEnvironment>,
    /// In any order; ids are given in creation order when left out.
    #[serde(default)]
    pub deployments: Vec<SeedDeployment>,
    /// Workflow runs waiting on protected environments (after the deployments above).
    #[serde(default)]
    pub runs: Vec<SeedRun>,
    /// Commits with their parents, oldest first; when left out, made from the deployments (`hub::commits`).
    #[serde(default)]
    pub history: Vec<crate::hub::commits::Commit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedEnvironment {
    pub name: String,
    #[serde(default)]
    pub wait_timer: Option<u32>,
    #[serde(default)]
    pub reviewers: Vec<String>,
    /// Required reviewer teams, by slug (in `teams`).
    #[serde(default)]
    pub reviewer_teams: Vec<String>,
    #[serde(default)]
    pub prevent_self_review: bool,
    /// `[protected_branches, custom_branch_policies]`.
    #[serde(default)]
    pub branch_policy: Option<(bool, bool)>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDeployment {
    #[serde(default)]
    pub id: Option<u64>,
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// Resolved from `ref` when left out.
    #[serde(default)]
    pub sha: Option<String>,
    #[serde(default)]
    pub task: Option<String>,
    #[serde(default)]
    pub payload: Option<Value>,
    pub environment: String,
    /// The environment at creation, when a status later moved it.
    #[serde(default)]
    pub original_environment: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub transient_environment: bool,
    #[serde(default)]
    pub production_environment: Option<bool>,
    pub creator: String,
    pub created_at: Timestamp,
    /// Oldest first.
    #[serde(default)]
    pub statuses: Vec<SeedStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedStatus {
    pub state: DeploymentState,
    #[serde(default)]
    pub creator: Option<String>,
    pub created_at: Timestamp,
    #[serde(default)]
    pub description: String,
    /// The deployment's environment when left out.
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub log_url: String,
    #[serde(default)]
    pub environment_url: String,
}

impl Hub {
    /// A hub holding exactly what the seed describes.
    pub fn from_seed(seed: &Seed, now: Timestamp) -> Hub {
        let mut hub = Hub::new(seed.settings.clone().unwrap_or_default());
        hub.load(seed, now);
        hub
    }

    /// Adds what the seed describes to this hub.
    pub fn load(&mut self, seed: &Seed, now: Timestamp) {
        for u in &seed.users {
            self.add_user(&u.login, u.kind.unwrap_or(UserKind::User), u.name.clone());
        }
        for t in &seed.teams {
            let members = t
                .members
                .iter()
                .map(|login| self.add_user(login, UserKind::User, None))
                .collect();
            let id = 2_000_000 + self.fresh_id();
            self.teams.push(Team {
                id,
                org: t.org.clone(),
                slug: t.slug.clone(),
                name: t.name.clone().unwrap_or_else(|| t.slug.clone()),
                members,
            });
        }
        for r in &seed.repositories {
            self.load_repo(r, now);
        }
        for t in &seed.tokens {
            let user = self.add_user(&t.user, UserKind::User, None);
            let access = match (&t.scopes, &t.permissions) {
                (Some(scopes), _) => Access::Classic {
                    scopes: scopes.clone(),
                },
                (None, permissions) => Access::FineGrained {
                    permissions: permissions.clone().unwrap_or_default(),
                    repositories: t.repositories.clone(),
                },
            };
            self.add_token(&t.token, user, access);
        }
    }

    fn load_repo(&mut self, r: &SeedRepo, now: Timestamp) {
        let index = self.add_repo(&r.owner, &r.name, r.private, r.created_at.unwrap_or(now));
        let default_branch = r.default_branch.clone().unwrap_or_else(|| "main".into());
        let mut collaborators = BTreeMap::new();
        for (login, role) in &r.collaborators {
            let id = self.add_user(login, UserKind::User, None);
            collaborators.insert(id, *role);
        }
        let mut environments = Vec::new();
        for e in &r.environments {
            let reviewers = e
                .reviewers
                .iter()
                .map(|login| self.add_user(login, UserKind::User, None))
                .collect();
            let reviewer_teams = e
                .reviewer_teams
                .iter()
                .filter_map(|slug| self.teams.iter().find(|t| &t.slug == slug).map(|t| t.id))
                .collect();
            let id = 161_088_068 + self.fresh_id();
            let at = e.created_at.unwrap_or(now);
            environments.push(Environment {
                id,
                name: e.name.clone(),
                created_at: at,
                updated_at: at,
                wait_timer: e.wait_timer,
                reviewers,
                reviewer_teams,
                prevent_self_review: e.prevent_self_review,
                branch_policy: e.branch_policy,
            });
        }
        {
            let repo = &mut self.repos[index];
            repo.description = r.description.clone();
            repo.collaborators.extend(collaborators);
            if !r.branches.is_empty() {
                repo.branches = r.branches.clone();
            }
            if repo.branch(&default_branch).is_none() {
                repo.branches.push(Branch {
                    name: default_branch.clone(),
                    sha: fake_sha(&format!("{}/{}@{default_branch}", r.owner, r.name)),
                    behind_by: 0,
                    merge_conflict: false,
                    protected: false,
                });
            }
            repo.default_branch = default_branch;
            repo.tags = r.tags.clone().into_iter().collect();
            let heads: Vec<String> = repo.branches.iter().map(|b| b.sha.clone()).collect();
            repo.commits.extend(heads);
            repo.commits
                .extend(repo.tags.iter().map(|(_, sha)| sha.clone()));
            repo.commits.extend(r.commits.iter().cloned());
            repo.contexts.extend(r.contexts.clone());
            repo.environments.extend(environments);
        }
        let mut deployments: Vec<&SeedDeployment> = r.deployments.iter().collect();
        deployments.sort_by_key(|d| (d.id.unwrap_or(u64::MAX), d.created_at));
        for d in deployments {
            self.load_deployment(index, d);
        }
        self.repos[index].deployments.sort_by_key(|d| d.id);
        for run in &r.runs {
            self.load_run(index, run);
        }
        self.repos[index].runs.sort_by_key(|r| r.id);
        let logins: BTreeMap<u64, String> =
            self.users.iter().map(|u| (u.id, u.login.clone())).collect();
        self.repos[index].build_history(&r.history, |id| logins.get(&id).cloned());
    }

    pub(crate) fn load_run(&mut self, index: usize, r: &SeedRun) {
        let actor = self.add_user(&r.actor, UserKind::User, None);
        self.add_user("github-actions[bot]", UserKind::Bot, None);
        let sha = r.sha.clone().unwrap_or_else(|| {
            self.repos[index]
                .resolve(&r.git_ref)
                .map(|x| x.sha().to_owned())
                .unwrap_or_else(|| fake_sha(&r.git_ref))
        });
        let done = r.conclusion.as_deref() == Some("success");
        let mut gates = Vec::new();
        for environment in &r.waits_on {
            self.ensure_environment(index, environment, r.created_at);
            let seeded = SeedDeployment {
                id: None,
                git_ref: r.git_ref.clone(),
                sha: Some(sha.clone()),
                task: None,
                payload: None,
                environment: environment.clone(),
                original_environment: None,
                description: None,
                transient_environment: false,
                production_environment: None,
                creator: "github-actions[bot]".into(),
                created_at: r.created_at,
                // GraphQL says WAITING; REST, by the `waiting_in_rest` setting (docs/github-api.md §14).
                statuses: match done {
                    false => vec![SeedStatus {
                        state: DeploymentState::Waiting,
                        creator: None,
                        created_at: r.created_at,
                        description: format!("Waiting for a review to deploy to {environment}"),
                        environment: None,
                        log_url: String::new(),
                        environment_url: String::new(),
                    }],
                    true => [DeploymentState::InProgress, DeploymentState::Success]
                        .into_iter()
                        .enumerate()
                        .map(|(n, state)| SeedStatus {
                            state,
                            creator: None,
                            created_at: Timestamp::from_unix(
                                r.created_at.unix() + 60 * (n as i64 + 1),
                            ),
                            description: String::new(),
                            environment: None,
                            log_url: String::new(),
                            environment_url: String::new(),
                        })
                        .collect(),
                },
            };
            let deployment = self.next_deployment_id;
            self.load_deployment(index, &seeded);
            let env = self.repos[index]
                .environment(environment)
                .map(|e| e.id)
                .unwrap_or_default();
            gates.push(Gate {
                environment: env,
                deployment,
                started_at: r.created_at,
                decision: if done {
                    Decision::Open
                } else {
                    Decision::Pending
                },
            });
        }
        let id = r.id.unwrap_or_else(|| 7_000_000_000 + self.fresh_id());
        let workflow_id = 161_335 + self.fresh_id() % 1000;
        let run_number = self.repos[index].runs.len() as u64 + 1;
        self.repos[index].runs.push(Run {
            id,
            workflow_id,
            name: r.workflow.clone(),
            path: r.path.clone().unwrap_or_else(|| {
                format!(
                    ".github/workflows/{}.yml",
                    r.workflow.to_ascii_lowercase().replace(' ', "-")
                )
            }),
            display_title: r.title.clone().unwrap_or_else(|| r.workflow.clone()),
            head_branch: r.git_ref.clone(),
            head_sha: sha,
            event: r.event.clone().unwrap_or_else(|| "push".into()),
            actor,
            run_number,
            created_at: r.created_at,
            updated_at: r.created_at,
            conclusion: done.then_some("success"),
            gates,
            reviews: Vec::new(),
            attempt: 1,
            rerun_deployments: Vec::new(),
            pull_request: r.pull_request,
        });
    }

    fn load_deployment(&mut self, index: usize, d: &SeedDeployment) {
        let creator = self.add_user(&d.creator, UserKind::User, None);
        let id = d.id.unwrap_or(self.next_deployment_id);
        self.next_deployment_id = self.next_deployment_id.max(id + 1);
        let sha = d.sha.clone().unwrap_or_else(|| {
            self.repos[index]
                .resolve(&d.git_ref)
                .map(|r| r.sha().to_owned())
                .unwrap_or_else(|| fake_sha(&d.git_ref))
        });
        let mut statuses = Vec::new();
        let mut environment = d.environment.clone();
        let mut updated_at = d.created_at;
        for s in &d.statuses {
            let status_creator = match &s.creator {
                Some(login) => self.add_user(login, UserKind::User, None),
                None => creator,
            };
            if let Some(e) = &s.environment {
                environment = e.clone();
            }
            updated_at = updated_at.max(s.created_at);
            let target = s.log_url.clone();
            statuses.push(Status {
                id: self.next_status_id,
                state: s.state,
                creator: status_creator,
                description: s.description.clone(),
                environment: environment.clone(),
                target_url: target,
                log_url: s.log_url.clone(),
                environment_url: s.environment_url.clone(),
                created_at: s.created_at,
            });
            self.next_status_id += 1;
        }
        let repo = &mut self.repos[index];
        repo.commits.insert(sha.clone());
        repo.deployments.push(Deployment {
            id,
            sha,
            git_ref: d.git_ref.clone(),
            task: d.task.clone().unwrap_or_else(|| "deploy".into()),
            payload: d
                .payload
                .clone()
                .unwrap_or_else(|| Value::Object(Default::default())),
            original_environment: d
                .original_environment
                .clone()
                .unwrap_or_else(|| d.environment.clone()),
            production_environment: d
                .production_environment
                .unwrap_or(d.environment == "production"),
            environment: environment.clone(),
            description: d.description.clone(),
            creator,
            created_at: d.created_at,
            updated_at,
            transient_environment: d.transient_environment,
            statuses,
        });
        self.ensure_environment(index, &environment, d.created_at);
    }
}

/// Parses a `--token VALUE=SCOPES` option: `t1=repo`, `t2=repo_deployment,workflow`,
/// `ro=fine:deployments:read`, `rw=fine:deployments:write,contents:write`. An optional `@LOGIN` suffix names
/// the token's user (default `octocat`).
pub fn parse_token_option(option: &str) -> Result<SeedToken, String> {
    let (token, rest) = option
        .split_once('=')
        .ok_or_else(|| format!("--token {option:?}: expected VALUE=SCOPES"))?;
    let (spec, user) = match rest.rsplit_once('@') {
        Some((spec, user)) if !user.is_empty() => (spec, user.to_owned()),
        _ => (rest, "octocat".to_owned()),
    };
    if token.is_empty() {
        return Err(format!("--token {option:?}: the token value is empty"));
    }
    let (scopes, permissions) = if let Some(fine) = spec.strip_prefix("fine:") {
        let mut permissions = BTreeMap::new();
        for part in fine.split(',').filter(|p| !p.is_empty()) {
            let (name, level) = part.split_once(':').ok_or_else(|| {
                format!("--token {option:?}: expected fine:PERMISSION:read|write")
            })?;
            let level = match level {
                "read" => Level::Read,
                "write" => Level::Write,
                other => return Err(format!("--token {option:?}: unknown level {other:?}")),
            };
            permissions.insert(name.to_owned(), level);
        }
        (None, Some(permissions))
    } else {
        let scopes = spec
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        (Some(scopes), None)
    };
    Ok(SeedToken {
        token: token.to_owned(),
        user,
        scopes,
        permissions,
        repositories: None,
    })
}
