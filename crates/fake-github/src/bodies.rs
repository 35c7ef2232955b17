//! JSON bodies as GitHub sends them (docs/github-api.md §7). Objects are built through deploydeck-core's wire types,
//! which declare fields in the real key order; the large repository and user objects start from GitHub's own
//! OpenAPI examples (`templates/`), so every required member is there.

use deploydeck_wire::model::{
    self, BranchPolicy, CommitRef, DeploymentId, EnvironmentId, Payload, ProtectionRule, Reviewer,
    ShortBranch, SimpleUser, StatusId, UserId,
};
use serde_json::{json, Value};

use crate::hub::runs::{Run, Team};
use crate::hub::{Ctx, Deployment, Environment, Hub, Repo, Role, Status, User, WaitingInRest};
use deploydeck_wire::model::DeploymentState;

const REPOSITORY_TEMPLATE: &str = include_str!("templates/full-repository.json");
const PRIVATE_USER_TEMPLATE: &str = include_str!("templates/private-user.json");
const RATE_LIMIT_TEMPLATE: &str = include_str!("templates/rate-limit-overview.json");

/// `simple-user` (docs/github-api.md §7.1). Bots get GitHub's `%5Bbot%5D` URL form.
pub fn simple_user(ctx: &Ctx, user: &User) -> SimpleUser {
    SimpleUser::with_urls(
        &user.login,
        UserId(user.id),
        user.kind.as_str(),
        &ctx.base,
        &ctx.web(),
    )
}

fn creator(hub: &Hub, ctx: &Ctx, id: u64) -> Option<SimpleUser> {
    hub.user(id).map(|u| simple_user(ctx, u))
}

/// A deployment's node id: REST's `node_id` and GraphQL's `id` are the same (docs/github-api.md §13).
pub fn deployment_node_id(id: u64) -> String {
    format!("{DEPLOYMENT_NODE}{id:X}")
}

pub fn status_node_id(id: u64) -> String {
    format!("{STATUS_NODE}{id:X}")
}

const DEPLOYMENT_NODE: &str = "DE_kwDOHrjKxM4";
const STATUS_NODE: &str = "DES_kwDOHrjKxM5";
const RUN_NODE: &str = "WFR_kwLOAB";
pub(crate) const ENVIRONMENT_NODE: &str = "EN_kwDOHrjKxM4";

/// The deployment a node id names (`None`: not one of this fake's deployment ids).
pub fn deployment_id_of(node_id: &str) -> Option<u64> {
    u64::from_str_radix(node_id.strip_prefix(DEPLOYMENT_NODE)?, 16).ok()
}

/// A workflow run's node id (`WFR_…`, as `workflow_run` writes it) read back.
pub fn run_id_of(node_id: &str) -> Option<u64> {
    u64::from_str_radix(node_id.strip_prefix(RUN_NODE)?, 16).ok()
}

/// An environment's node id (`EN_…`, as `environment_reference` writes it) read back.
pub fn environment_id_of(node_id: &str) -> Option<u64> {
    u64::from_str_radix(node_id.strip_prefix(ENVIRONMENT_NODE)?, 16).ok()
}

pub fn status_id_of(node_id: &str) -> Option<u64> {
    u64::from_str_radix(node_id.strip_prefix(STATUS_NODE)?, 16).ok()
}

pub fn repo_api(ctx: &Ctx, repo: &Repo) -> String {
    format!("{}/repos/{}/{}", ctx.base, repo.owner, repo.name)
}

/// `deployment` (docs/github-api.md §7.2).
pub fn deployment(hub: &Hub, ctx: &Ctx, repo: &Repo, d: &Deployment) -> model::Deployment {
    let url = format!("{}/deployments/{}", repo_api(ctx, repo), d.id);
    model::Deployment {
        statuses_url: format!("{url}/statuses"),
        url,
        id: DeploymentId(d.id),
        node_id: deployment_node_id(d.id),
        task: d.task.clone(),
        original_environment: Some(d.original_environment.clone()),
        environment: d.environment.clone(),
        description: d.description.clone(),
        created_at: d.created_at,
        updated_at: d.updated_at,
        repository_url: repo_api(ctx, repo),
        creator: creator(hub, ctx, d.creator).map(std::sync::Arc::new),
        sha: d.sha.clone(),
        git_ref: d.git_ref.clone(),
        payload: match &d.payload {
            Value::Object(map) => Payload::Object(map.clone()),
            Value::String(s) => Payload::Text(s.clone()),
            _ => Payload::default(),
        },
        transient_environment: d.transient_environment,
        production_environment: d.production_environment,
        performed_via_github_app: is_actions_bot(hub, d.creator)
            .then(|| Box::new(actions_app(ctx))),
    }
}

/// `deployment-status` (docs/github-api.md §7.3): unset strings are `""`.
pub fn status(
    hub: &Hub,
    ctx: &Ctx,
    repo: &Repo,
    d: &Deployment,
    s: &Status,
) -> model::DeploymentStatus {
    let deployment_url = format!("{}/deployments/{}", repo_api(ctx, repo), d.id);
    // A job's status links to its run (what re-running it needs: docs/github-api.md §16).
    let log_url = match s.log_url.is_empty() && is_actions_bot(hub, s.creator) {
        true => run_log_url(ctx, repo, d.id).unwrap_or_default(),
        false => s.log_url.clone(),
    };
    model::DeploymentStatus {
        url: format!("{deployment_url}/statuses/{}", s.id),
        id: StatusId(s.id),
        node_id: status_node_id(s.id),
        state: match (s.state, hub.settings.waiting_in_rest) {
            (DeploymentState::Waiting, WaitingInRest::Queued) => DeploymentState::Queued,
            (state, _) => state,
        },
        creator: creator(hub, ctx, s.creator),
        description: s.description.clone(),
        environment: s.environment.clone(),
        target_url: if s.target_url.is_empty() {
            log_url.clone()
        } else {
            s.target_url.clone()
        },
        created_at: s.created_at,
        updated_at: s.created_at,
        deployment_url,
        repository_url: repo_api(ctx, repo),
        environment_url: s.environment_url.clone(),
        log_url,
        performed_via_github_app: is_actions_bot(hub, s.creator).then(|| actions_app(ctx)),
    }
}

/// `environment` (docs/github-api.md §7.5).
pub fn environment(hub: &Hub, ctx: &Ctx, repo: &Repo, e: &Environment) -> model::Environment {
    let encoded = deploydeck_wire::url::encode_component(&e.name);
    let mut rules = Vec::new();
    if let Some(minutes) = e.wait_timer {
        rules.push(ProtectionRule::WaitTimer {
            id: e.id * 10 + 1,
            node_id: format!("GA_kwDOHrjKxM4{:X}", e.id * 10 + 1),
            wait_timer: Some(minutes),
        });
    }
    if !e.reviewers.is_empty() || !e.reviewer_teams.is_empty() {
        rules.push(ProtectionRule::RequiredReviewers {
            id: e.id * 10 + 2,
            node_id: format!("GA_kwDOHrjKxM4{:X}", e.id * 10 + 2),
            prevent_self_review: Some(e.prevent_self_review),
            reviewers: Some(reviewers(hub, ctx, e)),
        });
    }
    if e.branch_policy.is_some() {
        rules.push(ProtectionRule::BranchPolicy {
            id: e.id * 10 + 3,
            node_id: format!("GA_kwDOHrjKxM4{:X}", e.id * 10 + 3),
        });
    }
    model::Environment {
        id: EnvironmentId(e.id),
        node_id: format!("{ENVIRONMENT_NODE}{:X}", e.id),
        name: e.name.clone(),
        url: format!("{}/environments/{encoded}", repo_api(ctx, repo)),
        html_url: format!(
            "{}/{}/deployments/activity_log?environments_filter={encoded}",
            ctx.web(),
            repo.full_name()
        ),
        created_at: e.created_at,
        updated_at: e.updated_at,
        protection_rules: Some(rules),
        deployment_branch_policy: e.branch_policy.map(|(p, c)| BranchPolicy {
            protected_branches: p,
            custom_branch_policies: c,
        }),
    }
}

/// An environment's required reviewers: users, then teams (`{type, reviewer}`).
pub fn reviewers(hub: &Hub, ctx: &Ctx, e: &Environment) -> Vec<Reviewer> {
    let users = e
        .reviewers
        .iter()
        .filter_map(|id| hub.user(*id))
        .map(|u| Reviewer {
            kind: Some("User".into()),
            reviewer: serde_json::to_value(simple_user(ctx, u)).ok(),
        });
    let teams = e
        .reviewer_teams
        .iter()
        .filter_map(|id| hub.teams.iter().find(|t| t.id == *id))
        .map(|t| Reviewer {
            kind: Some("Team".into()),
            reviewer: Some(team(ctx, t)),
        });
    users.chain(teams).collect()
}

/// `team` (what a team reviewer is).
fn team(ctx: &Ctx, t: &Team) -> Value {
    let api = format!("{}/organizations/{}/team/{}", ctx.base, t.org, t.id);
    json!({
        "id": t.id,
        "node_id": format!("T_kwDOAB{:X}", t.id),
        "url": api,
        "html_url": format!("{}/orgs/{}/teams/{}", ctx.web(), t.org, t.slug),
        "name": t.name,
        "slug": t.slug,
        "description": null,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": format!("{api}/members{{/member}}"),
        "repositories_url": format!("{api}/repos"),
        "type": "organization",
        "parent": null,
    })
}

/// The environment as a pending deployment or a review names it: `{id, node_id, name, url, html_url}`.
pub fn environment_reference(ctx: &Ctx, repo: &Repo, e: &Environment) -> Value {
    let encoded = deploydeck_wire::url::encode_component(&e.name);
    json!({
        "id": e.id,
        "node_id": format!("{ENVIRONMENT_NODE}{:X}", e.id),
        "name": e.name,
        "url": format!("{}/environments/{encoded}", repo_api(ctx, repo)),
        "html_url": format!("{}/{}/deployments/activity_log?environments_filter={encoded}", ctx.web(), repo.full_name()),
    })
}

/// `workflow-run`: the repository objects from the repository template, the head commit made up from the run.
/// `pull-request-minimal`: the pull request `number` a run belongs to (its head the run's branch and commit, its
/// base the default branch).
fn pull_request_minimal(ctx: &Ctx, repo: &Repo, r: &Run, number: u64) -> Value {
    let side = |git_ref: &str, sha: &str| {
        json!({
            "ref": git_ref,
            "sha": sha,
            "repo": {"id": repo.id, "url": repo_api(ctx, repo), "name": repo.name},
        })
    };
    let base_sha = crate::hub::fake_sha(&format!("base of {}", r.head_sha));
    json!({
        "id": 1_000_000_000 + number,
        "number": number,
        "url": format!("{}/pulls/{number}", repo_api(ctx, repo)),
        "head": side(&r.head_branch, &r.head_sha),
        "base": side(&repo.default_branch, &base_sha),
    })
}

pub fn workflow_run(hub: &Hub, ctx: &Ctx, repo: &Repo, r: &Run) -> Value {
    let api = format!("{}/actions/runs/{}", repo_api(ctx, repo), r.id);
    let web = format!("{}/{}/actions/runs/{}", ctx.web(), repo.full_name(), r.id);
    let actor = hub.user(r.actor).map(|u| simple_user(ctx, u));
    let repository = repository(hub, ctx, repo, None);
    json!({
        "id": r.id,
        "name": r.name,
        "node_id": format!("{RUN_NODE}{:X}", r.id),
        "check_suite_id": r.id + 1,
        "check_suite_node_id": format!("CS_kwDOAB{:X}", r.id + 1),
        "head_branch": r.head_branch,
        "head_sha": r.head_sha,
        "path": r.path,
        "display_title": r.display_title,
        "run_number": r.run_number,
        "event": r.event,
        "status": r.status(),
        "conclusion": r.conclusion,
        "workflow_id": r.workflow_id,
        "url": api,
        "html_url": web,
        "pull_requests": r.pull_request.map(|n| vec![pull_request_minimal(ctx, repo, r, n)]).unwrap_or_default(),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "actor": actor,
        "run_attempt": r.attempt,
        "run_started_at": r.created_at,
        "triggering_actor": actor,
        "jobs_url": format!("{api}/jobs"),
        "logs_url": format!("{api}/logs"),
        "check_suite_url": format!("{}/check-suites/{}", repo_api(ctx, repo), r.id + 1),
        "artifacts_url": format!("{api}/artifacts"),
        "cancel_url": format!("{api}/cancel"),
        "rerun_url": format!("{api}/rerun"),
        "previous_attempt_url": null,
        "workflow_url": format!("{}/actions/workflows/{}", repo_api(ctx, repo), r.workflow_id),
        "head_commit": {
            "id": r.head_sha,
            "tree_id": crate::hub::fake_sha(&format!("tree of {}", r.head_sha)),
            "message": r.display_title,
            "timestamp": r.created_at,
            "author": {
                "name": actor.as_ref().map(|a| a.login.clone()),
                "email": actor.as_ref().map(|a| format!("{}@users.noreply.github.com", a.login)),
            },
            "committer": {"name": "GitHub", "email": "noreply@github.com"},
        },
        "repository": repository,
        "head_repository": repository,
    })
}

pub fn short_branch(ctx: &Ctx, repo: &Repo, name: &str, sha: &str, protected: bool) -> ShortBranch {
    ShortBranch {
        name: name.to_owned(),
        commit: CommitRef {
            sha: sha.to_owned(),
            url: format!("{}/commits/{sha}", repo_api(ctx, repo)),
        },
        protected,
    }
}

/// Replaces the template's placeholders in every string.
fn fill(value: &mut Value, replacements: &[(&str, &str)]) {
    match value {
        Value::String(s) => {
            for (from, to) in replacements {
                if s.contains(from) {
                    *s = s.replace(from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, replacements)),
        Value::Object(map) => map.values_mut().for_each(|v| fill(v, replacements)),
        _ => {}
    }
}

/// `full-repository` for `GET /repos/{owner}/{repo}`, with `permissions` when the caller is known.
pub fn repository(hub: &Hub, ctx: &Ctx, repo: &Repo, role: Option<Role>) -> Value {
    let mut value: Value = serde_json::from_str(REPOSITORY_TEMPLATE).unwrap_or(Value::Null);
    let repo_api = repo_api(ctx, repo);
    let repo_web = format!("{}/{}", ctx.web(), repo.full_name());
    let host = ctx
        .web()
        .split("://")
        .nth(1)
        .unwrap_or("github.com")
        .to_owned();
    let full_name = repo.full_name();
    fill(
        &mut value,
        &[
            ("{repo_api}", &repo_api),
            ("{repo_web}", &repo_web),
            ("{host}", &host),
            ("{full_name}", &full_name),
        ],
    );
    let owner = hub
        .user_by_login(&repo.owner)
        .map(|u| simple_user(ctx, u))
        .and_then(|u| serde_json::to_value(u).ok())
        .unwrap_or(Value::Null);
    let stamp = repo.created_at.to_string();
    if let Value::Object(map) = &mut value {
        map.insert("id".into(), json!(repo.id));
        map.insert(
            "node_id".into(),
            json!(format!("R_kgDOHrjKxA{:X}", repo.id)),
        );
        map.insert("name".into(), json!(repo.name));
        map.insert("full_name".into(), json!(full_name));
        map.insert("owner".into(), owner);
        map.insert("private".into(), json!(repo.private));
        map.insert(
            "visibility".into(),
            json!(if repo.private { "private" } else { "public" }),
        );
        map.insert("description".into(), json!(repo.description));
        map.insert("default_branch".into(), json!(repo.default_branch));
        map.insert("homepage".into(), Value::Null);
        // Required by the schema, absent from the spec's own example.
        map.insert("has_discussions".into(), json!(false));
        map.insert("created_at".into(), json!(stamp));
        map.insert("updated_at".into(), json!(stamp));
        map.insert("pushed_at".into(), json!(stamp));
        match role {
            Some(role) => map.insert(
                "permissions".into(),
                json!({
                    "admin": role >= Role::Admin,
                    "maintain": role >= Role::Admin,
                    "push": role >= Role::Write,
                    "triage": role >= Role::Write,
                    "pull": true
                }),
            ),
            None => map.remove("permissions"),
        };
    }
    value
}

/// `private-user` for `GET /user`.
pub fn private_user(ctx: &Ctx, user: &User) -> Value {
    let mut value: Value = serde_json::from_str(PRIVATE_USER_TEMPLATE).unwrap_or(Value::Null);
    let simple = serde_json::to_value(simple_user(ctx, user)).unwrap_or(Value::Null);
    if let (Value::Object(map), Value::Object(simple)) = (&mut value, simple) {
        for (k, v) in simple {
            map.insert(k, v);
        }
        map.insert("user_view_type".into(), json!("private"));
        map.insert("name".into(), json!(user.name));
        map.insert("email".into(), Value::Null);
        map.insert("blog".into(), json!(""));
        map.insert("company".into(), Value::Null);
        map.insert("location".into(), Value::Null);
        map.insert("bio".into(), Value::Null);
        map.insert("hireable".into(), Value::Null);
        map.insert("twitter_username".into(), Value::Null);
    }
    value
}

/// `rate-limit-overview` for `GET /rate_limit`, with the caller's core window in `resources.core` and
/// the legacy `rate`.
pub fn rate_limit(limit: u64, used: u64, reset: i64) -> Value {
    let mut value: Value = serde_json::from_str(RATE_LIMIT_TEMPLATE).unwrap_or(Value::Null);
    let core = json!({"limit": limit, "used": used, "remaining": limit.saturating_sub(used), "reset": reset});
    value["resources"]["core"] = core.clone();
    value["rate"] = core;
    value
}

/// The `github-actions` app (`integration`), as GitHub names it on deployments its jobs make (§7.4).
pub fn actions_app(ctx: &Ctx) -> model::Integration {
    let stamp = deploydeck_wire::Timestamp::from_unix(1_565_712_000);
    model::Integration {
        id: 15368,
        slug: Some("github-actions".into()),
        node_id: "MDM6QXBwMTUzNjg=".into(),
        client_id: None,
        owner: serde_json::to_value(SimpleUser::with_urls(
            "github",
            UserId(9919),
            "Organization",
            &ctx.base,
            &ctx.web(),
        ))
        .unwrap_or(Value::Null),
        name: "GitHub Actions".into(),
        description: Some("Automate your workflow from idea to production".into()),
        external_url: "https://help.github.com/en/actions".into(),
        html_url: format!("{}/apps/github-actions", ctx.web()),
        created_at: stamp,
        updated_at: stamp,
        permissions: serde_json::from_value(
            json!({"actions": "write", "deployments": "write", "contents": "write"}),
        )
        .unwrap_or_default(),
        events: vec![
            "deployment".into(),
            "deployment_status".into(),
            "push".into(),
        ],
        installations_count: None,
    }
}

/// Whether a user is GitHub Actions' bot: what it makes was made through the `github-actions` app.
pub fn is_actions_bot(hub: &Hub, id: u64) -> bool {
    hub.user(id)
        .is_some_and(|u| u.login == "github-actions[bot]")
}

/// The web address of the run whose job made deployment `id`, if a run did (its statuses' log).
pub fn run_log_url(ctx: &Ctx, repo: &Repo, id: u64) -> Option<String> {
    let run = repo.runs.iter().find(|r| {
        r.gates.iter().any(|g| g.deployment == id) || r.rerun_deployments.contains(&id)
    })?;
    Some(format!(
        "{}/{}/actions/runs/{}/job/{}",
        ctx.web(),
        repo.full_name(),
        run.id,
        run.id + 11
    ))
}

/// `commit` (GET …/commits/{ref}, and each commit of a comparison without `stats`/`files`).
pub fn commit(
    hub: &Hub,
    ctx: &Ctx,
    repo: &Repo,
    c: &crate::hub::commits::Commit,
    whole: bool,
) -> Value {
    let api = repo_api(ctx, repo);
    let web = format!("{}/{}", ctx.web(), repo.full_name());
    let user = c
        .author
        .as_deref()
        .and_then(|login| hub.user_by_login(login));
    let name = user
        .and_then(|u| u.name.clone().or_else(|| Some(u.login.clone())))
        .or_else(|| c.author.clone())
        .unwrap_or_else(|| "Deploydeck Fake".into());
    let email = user
        .map(|u| format!("{}+{}@users.noreply.github.com", u.id, u.login))
        .unwrap_or_else(|| "fake@example.com".into());
    let date = c.date.unwrap_or(repo.created_at);
    let person = json!({"name": name, "email": email, "date": date});
    let author = user.map(|u| serde_json::to_value(simple_user(ctx, u)).unwrap_or(Value::Null));
    let tree = crate::hub::fake_sha(&format!("tree of {}", c.sha));
    let mut body = json!({
        "sha": c.sha,
        "node_id": format!("C_kwDOAB{}", &c.sha[..c.sha.len().min(12)]),
        "commit": {
            "author": person,
            "committer": {"name": "GitHub", "email": "noreply@github.com", "date": date},
            "message": c.message,
            "tree": {"sha": tree, "url": format!("{api}/git/trees/{tree}")},
            "url": format!("{api}/git/commits/{}", c.sha),
            "comment_count": 0,
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null}
        },
        "url": format!("{api}/commits/{}", c.sha),
        "html_url": format!("{web}/commit/{}", c.sha),
        "comments_url": format!("{api}/commits/{}/comments", c.sha),
        "author": author.clone(),
        "committer": author,
        "parents": c.parent.iter().map(|p| json!({
            "sha": p, "url": format!("{api}/commits/{p}"), "html_url": format!("{web}/commit/{p}")
        })).collect::<Vec<_>>(),
    });
    if whole {
        let files = diff_entries(ctx, repo, &c.sha, c.files.iter());
        body["stats"] = json!({"total": 3 * files.len(), "additions": 2 * files.len(), "deletions": files.len()});
        body["files"] = Value::Array(files);
    }
    body
}

/// `diff-entry`s: each path `modified`, two lines added and one removed, as of commit `sha`.
pub fn diff_entries<'a>(
    ctx: &Ctx,
    repo: &Repo,
    sha: &str,
    paths: impl Iterator<Item = &'a String>,
) -> Vec<Value> {
    let web = format!("{}/{}", ctx.web(), repo.full_name());
    paths
        .map(|path| {
            json!({
                "sha": crate::hub::fake_sha(&format!("{sha}:{path}")),
                "filename": path,
                "status": "modified",
                "additions": 2, "deletions": 1, "changes": 3,
                "blob_url": format!("{web}/blob/{sha}/{path}"),
                "raw_url": format!("{web}/raw/{sha}/{path}"),
                "contents_url": format!("{}/contents/{path}?ref={sha}", repo_api(ctx, repo)),
                "patch": "@@ -1 +1,2 @@\n-old\n+new\n+more"
            })
        })
        .collect()
}
