//! What will ship, and doing a deployment again (docs/github-api.md §16).
//!
//! *What will ship*: GitHub's compare of what an environment runs now (the base) with a deployment's commit
//! (the head), read into words — newer, older (a rollback: commits leave), the same, or gone separate ways —
//! and one line per commit. *Again*: a deployment made by a GitHub Actions job is redone by re-running its
//! run (its statuses link to it); any other by a new deployment of the same commit with the same settings,
//! never auto-merged. Everything read from the host is checked here: SHAs are hex, links http(s), text clipped,
//! counts capped, and a run id becomes a path segment only as a number.

use serde::Deserialize;

use crate::api::compare::cut;
/// The comparison, read where both this and insights read it; re-exported so callers keep one path.
pub use crate::api::compare::{is_sha, CommitLine, Comparison, Relation, COMMITS_PER_PAGE};

use crate::api::http::{HttpRequest, Method};
use crate::api::request::{ApiBase, Client, HostKind};
use crate::api::response::ApiError;
use crate::github::model::{Deployment, DeploymentStatus, NewDeployment, RequiredContexts};
use crate::github::validate::RepoRef;
use crate::timestamp::Timestamp;
use crate::url::HttpUrl;

/// GitHub re-runs a workflow run up to 30 days after it started.
pub const RERUN_WINDOW_DAYS: i64 = 30;

fn commits(n: u64) -> String {
    match n {
        1 => "1 commit".into(),
        n => format!("{n} commits"),
    }
}

/// What a comparison means for a deployment to `environment`, in one sentence.
pub fn sentence(c: &Comparison, environment: &str) -> String {
    let env = cut(environment, 80);
    match c.relation {
        Relation::Identical => format!("The same commit as what runs in {env} now: deploying it changes nothing."),
        Relation::Newer => format!("{} newer than what runs in {env}: they arrive.", commits(c.ahead_by)),
        Relation::Older => format!(
            "This is {} older than what runs in {env}: a rollback — those {} leave.",
            commits(c.behind_by),
            commits(c.behind_by)
        ),
        Relation::Diverged => format!(
            "This and what runs in {env} have gone separate ways: {} here are not in {env}, and {} in {env} are not here and leave.",
            commits(c.ahead_by),
            commits(c.behind_by)
        ),
    }
}

/// Whether the commits to list are those that leave (a rollback), not those that arrive.
pub fn lists_leaving(relation: Relation) -> bool {
    relation == Relation::Older
}

/// Words for a compare GitHub could not make: a commit gone (a force-push, a deleted fork or branch) or two
/// histories with nothing in common.
pub fn compare_failure(error: &ApiError) -> Option<&'static str> {
    match error {
        ApiError::NotFound { .. } | ApiError::Validation { .. } => Some(
            "GitHub cannot compare these commits: one of them no longer exists in the repository (a force-push or a deleted branch or fork removes commits), or they share no history. The deployment itself is unaffected.",
        ),
        _ => None,
    }
}

/// What deploying a deployment's commit to its environment would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shipping {
    /// No deployment there has succeeded yet: this would be the first.
    First,
    /// This deployment is what runs there now.
    Live,
    /// The ref typed names no commit of the repository (Create's preview).
    NoSuchRef(String),
    /// Compared with what runs there: the comparison (`base` what runs, `head` this; its counts — its commits
    /// are in `listed`), and the commits listed — those that arrive, or for a rollback those that leave — read
    /// from `range` (`base...head`), `total` in all.
    Compared {
        live: crate::github::model::DeploymentId,
        comparison: Comparison,
        listed: Vec<CommitLine>,
        range: (String, String),
        total: u64,
    },
}

impl Shipping {
    /// Whether deploying this again takes commits away from what runs (the action is then a rollback).
    pub fn is_rollback(&self) -> bool {
        matches!(self, Shipping::Compared { comparison, .. } if comparison.relation == Relation::Older)
    }
}

/// Whether doing a deployment again asks for its environment's name typed out first: GitHub's production flag,
/// or a production-like name (docs/github-api.md §9).
pub fn needs_typed_name(d: &Deployment) -> bool {
    d.production_environment || crate::github::rules::production_rank(&d.environment) == 0
}

/// Whether `typed` is the environment's name (surrounding spaces aside; case counts, as names differ by it).
pub fn typed_name_matches(typed: &str, environment: &str) -> bool {
    typed.trim() == environment
}

// ---- doing it again ----

/// How to redo a deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum Redo {
    /// Re-run the GitHub Actions run that made it.
    Rerun { run_id: u64 },
    /// Create a new deployment of the same commit.
    Recreate(Box<NewDeployment>),
}

/// The web address GitHub's pages live at for an API host: github.com for api.github.com, else the host's own
/// origin (GHES serves its API under /api/v3 of the same host).
pub fn web_origin(base: &ApiBase) -> String {
    match base.kind() {
        HostKind::GitHubCom => "https://github.com".into(),
        _ => base.origin(),
    }
}

/// The run a status's link points at: `{web}/{owner}/{repo}/actions/runs/{id}` (maybe with `/job/{n}` or
/// `/attempts/{n}` after it), on this host and this repository only.
pub fn run_in_link(link: &str, web: &str, repo: &RepoRef) -> Option<u64> {
    let url = HttpUrl::parse(link).ok()?;
    if !url.origin().eq_ignore_ascii_case(web.trim_end_matches('/')) {
        return None;
    }
    let path = url.path();
    let mut parts = path.trim_start_matches('/').split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    if !owner.eq_ignore_ascii_case(&repo.owner) || !name.eq_ignore_ascii_case(&repo.name) {
        return None;
    }
    if (parts.next()?, parts.next()?) != ("actions", "runs") {
        return None;
    }
    let id = parts.next()?;
    if id.is_empty() || id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => {}
        (Some("job" | "attempts"), Some(n), None)
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {}
        _ => return None,
    }
    id.parse().ok().filter(|id| *id > 0)
}

/// Whether GitHub Actions made the deployment (the app it came through is `github-actions`).
pub fn made_by_actions(d: &Deployment) -> bool {
    d.performed_via_github_app
        .as_ref()
        .and_then(|app| app.slug.as_deref())
        == Some("github-actions")
}

/// How to redo `d`: re-run its run when GitHub Actions made it and a status links to the run; else a new
/// deployment (`recreate`).
pub fn redo(d: &Deployment, statuses: &[DeploymentStatus], web: &str, repo: &RepoRef) -> Redo {
    if made_by_actions(d) {
        let run = statuses
            .iter()
            .filter_map(|s| s.log_link())
            .find_map(|link| run_in_link(link, web, repo));
        if let Some(run_id) = run {
            return Redo::Rerun { run_id };
        }
    }
    Redo::Recreate(Box::new(recreate(d, RequiredContexts::AllChecks)))
}

/// How `redo` does `d` again, in words, before anything is sent.
pub fn how(redo: &Redo, d: &Deployment) -> String {
    let (short, env) = (d.short_sha(), cut(&d.environment, 80));
    match redo {
        Redo::Rerun { run_id } => format!(
            "GitHub Actions made this deployment, in run {run_id}. Doing it again re-runs that run: its jobs run again for commit {short} and deploy it to {env} as a new deployment."
        ),
        Redo::Recreate(_) => format!(
            "Deploydeck creates a new deployment of commit {short} to {env}: the same task, payload and flags as deployment {}, without merging the default branch into it. Whatever listens to this repository's deployments does the work.",
            d.id.0
        ),
    }
}

/// A new deployment of `d`'s commit with its settings: `ref` the SHA (the branch may have moved), the same
/// environment, task, payload and flags, no auto-merge (merging the default branch into an old commit is never
/// what redoing it means), and the checks as chosen.
pub fn recreate(d: &Deployment, checks: RequiredContexts) -> NewDeployment {
    NewDeployment {
        git_ref: d.sha.clone(),
        task: Some(d.task.clone()),
        auto_merge: Some(false),
        required_contexts: checks,
        payload: (!d.payload.is_empty()).then(|| d.payload.clone()),
        environment: Some(d.environment.clone()),
        description: Some(cut(
            &format!("Again: deployment {} ({})", d.id.0, d.short_sha()),
            140,
        )),
        transient_environment: Some(d.transient_environment),
        production_environment: Some(d.production_environment),
    }
}

/// The commit a ref names, as `GET …/commits/{ref}` answers (only its SHA is read, and checked).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawSha")]
pub struct CommitSha(pub String);

#[derive(Deserialize)]
struct RawSha {
    sha: String,
}

impl TryFrom<RawSha> for CommitSha {
    type Error = String;

    fn try_from(raw: RawSha) -> Result<Self, String> {
        if is_sha(&raw.sha) {
            Ok(CommitSha(raw.sha.to_ascii_lowercase()))
        } else {
            Err(format!("“{}” is not a commit SHA", cut(&raw.sha, 80)))
        }
    }
}

/// Whether `newest` is what re-running `d`'s run made: a newer deployment of the same commit to the same
/// environment (GitHub does not link a re-run to the deployment its job makes).
pub fn made_by_rerun(d: &Deployment, newest: &Deployment) -> bool {
    newest.id > d.id
        && newest.sha == d.sha
        && newest.environment.eq_ignore_ascii_case(&d.environment)
}

/// How long a page looks for the deployment a re-run makes (its job may wait in a queue for a while).
pub const FOLLOW_RERUN_FOR_S: i64 = 30 * 60;

/// A run as the re-run needs it: when it started (GitHub's window) and its page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RunAge {
    pub id: u64,
    pub created_at: Timestamp,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub html_url: String,
}

/// Why a run cannot be re-run, said before anything is sent: over GitHub's 30 days, or still going.
pub fn rerun_refusal(run: &RunAge, now: Timestamp) -> Option<String> {
    let age = now.unix() - run.created_at.unix();
    let days = age / 86_400;
    if age > RERUN_WINDOW_DAYS * 86_400 {
        return Some(format!(
            "Its run started {days} days ago, and GitHub re-runs a workflow run only within 30 days of its start. Deploy the same commit as a new deployment instead (below): whatever listens to deployments of this repository will act on it."
        ));
    }
    if run.conclusion.is_none() {
        return Some("Its run is still going: wait until it finishes, then re-run it.".into());
    }
    None
}

/// What a refused re-run means, in words.
pub fn rerun_failure(error: &ApiError, run: Option<&RunAge>, now: Timestamp) -> String {
    match error {
        ApiError::Forbidden { .. } => match run.and_then(|r| rerun_refusal(r, now)) {
            Some(why) => why,
            None => "GitHub refused to re-run the run. Re-running needs a classic token with the repo scope, or a fine-grained token with Actions: write on this repository; a run over 30 days old cannot be re-run at all.".into(),
        },
        ApiError::NotFound { .. } => "GitHub no longer has this run (its logs may have been deleted), or this token cannot see the repository's Actions (fine-grained: Actions: read and write). Deploy the commit as a new deployment instead.".into(),
        other => other.to_string(),
    }
}

/// The requests (docs/github-api.md §16), built beside the model they read.
impl Client {
    /// `GET /repos/{o}/{r}/commits/{ref}`: the commit a branch, tag or SHA names (its slashes kept as steps).
    pub fn get_commit(&self, repo: &RepoRef, git_ref: &str) -> Result<HttpRequest, ApiError> {
        let git_ref = crate::api::request::ref_segments("ref", git_ref.trim())?;
        Ok(self.request(
            Method::Get,
            &format!("{}/commits/{git_ref}", Self::repo_path(repo)),
        ))
    }

    /// `GET /repos/{o}/{r}/actions/runs/{run_id}`.
    pub fn get_run(&self, repo: &RepoRef, run: u64) -> HttpRequest {
        self.request(
            Method::Get,
            &format!("{}/actions/runs/{run}", Self::repo_path(repo)),
        )
    }

    /// `POST /repos/{o}/{r}/actions/runs/{run_id}/rerun`.
    pub fn rerun(&self, repo: &RepoRef, run: u64) -> HttpRequest {
        self.request(
            Method::Post,
            &format!("{}/actions/runs/{run}/rerun", Self::repo_path(repo)),
        )
    }
}

#[cfg(test)]
mod tests;
