//! The review inbox (`/{host}/_reviews`, docs/github-api.md §14): every run waiting for a required reviewer
//! across the pinned repositories, grouped by the commit it would deploy, and one decision over a whole group —
//! planned here, sent by the app in one GraphQL request or one run at a time through REST (`GroupRun`), each
//! run's outcome said.
//!
//! GitHub scopes an approval to one workflow run (docs/github-api.md §14): a commit deployed by seven workflows
//! waits for seven approvals. A group decision is still seven reviews, one per run; what it saves is finding
//! them and deciding them one by one.

use serde_json::{json, Map, Value};

use super::{verdict, ReviewBody, ReviewPermission, ReviewState, RunUnderReview};
use crate::api::graphql::{decode_graphql, GraphqlFailure};
use crate::api::http::{HttpRequest, HttpResponse};
use crate::api::request::Client;
use crate::api::response::{AccessNeeded, ApiError};
use crate::github::rules::production_first;
use crate::github::validate::RepoRef;
use crate::order;
use crate::text::count;
use crate::Timestamp;

/// A waiting run and the repository it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRun {
    pub repo: RepoRef,
    pub board: RunUnderReview,
}

impl InboxRun {
    /// "acme/web · Deploy #12": which run, in words a list can show.
    pub fn label(&self) -> String {
        let run = &self.board.run;
        format!(
            "{} · {} #{}",
            self.repo,
            run.name.as_deref().unwrap_or("Workflow"),
            run.run_number
        )
    }

    /// The environments this run waits on that `me` may review now (their ids, in GitHub's order), within
    /// `scope`.
    fn reviewable_in(&self, me: &str, permission: ReviewPermission, scope: &Scope) -> Vec<u64> {
        self.board
            .reviewable(me, permission)
            .into_iter()
            .filter(|p| scope.covers(&p.environment.name))
            .map(|p| p.environment.id)
            .collect()
    }
}

/// The runs waiting for one commit: one card of the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitGroup {
    /// The commit, as GitHub names it (lower case).
    pub sha: String,
    /// The pull requests its runs belong to, by number (none for a push to a branch).
    pub pull_requests: Vec<u64>,
    /// The newest run's title (its commit message's first line, or the pull request's title).
    pub title: String,
    /// When its oldest run started: how long the commit has waited.
    pub since: Timestamp,
    /// By repository, workflow and run.
    pub runs: Vec<InboxRun>,
}

impl CommitGroup {
    /// The first seven characters of the SHA, as GitHub shows it.
    pub fn short_sha(&self) -> &str {
        self.sha.get(..7).unwrap_or(&self.sha)
    }

    /// The environments its runs wait on, each once, production-like first, then by name.
    pub fn environments(&self) -> Vec<String> {
        production_first(
            self.runs
                .iter()
                .flat_map(|r| &r.board.pending)
                .map(|p| p.environment.name.as_str()),
        )
    }

    /// The repositories it spans, in order.
    pub fn repositories(&self) -> Vec<&RepoRef> {
        let mut repos: Vec<&RepoRef> = Vec::new();
        for run in &self.runs {
            if !repos.contains(&&run.repo) {
                repos.push(&run.repo);
            }
        }
        repos
    }

    /// How many of its runs `me` may decide something of now.
    pub fn decidable(&self, me: &str, permission: ReviewPermission) -> usize {
        self.runs
            .iter()
            .filter(|r| !r.reviewable_in(me, permission, &Scope::Every).is_empty())
            .count()
    }
}

/// The inbox: `runs` grouped by commit, the commit waiting longest first (then by commit, so the order does not
/// depend on the order the repositories answered in).
pub fn group_by_commit(runs: Vec<InboxRun>) -> Vec<CommitGroup> {
    let mut groups: Vec<CommitGroup> = Vec::new();
    for run in runs {
        let sha = run.board.run.head_sha.to_ascii_lowercase();
        let at = run.board.run.created_at;
        match groups.iter_mut().find(|g| g.sha == sha) {
            Some(group) => {
                group.since = group.since.min(at);
                group.runs.push(run);
            }
            None => groups.push(CommitGroup {
                sha,
                pull_requests: Vec::new(),
                title: String::new(),
                since: at,
                runs: vec![run],
            }),
        }
    }
    for group in &mut groups {
        order::sort_by(&mut group.runs, |a, b| {
            let key = |r: &InboxRun| {
                (
                    r.repo.clone(),
                    r.board.run.name.clone().unwrap_or_default(),
                    r.board.run.id,
                )
            };
            key(a).cmp(&key(b))
        });
        let mut prs: Vec<u64> = group
            .runs
            .iter()
            .flat_map(|r| r.board.run.pull_requests.iter().map(|p| p.number))
            .collect();
        order::sort(&mut prs);
        prs.dedup();
        group.pull_requests = prs;
        // The newest run's title: the latest word on what the commit is (ties: the last in the order above).
        group.title = group
            .runs
            .iter()
            .fold(None::<&InboxRun>, |best, r| match best {
                Some(b) if b.board.run.created_at > r.board.run.created_at => Some(b),
                _ => Some(r),
            })
            .map(|r| r.board.run.display_title.clone())
            .unwrap_or_default();
    }
    order::sort_by(&mut groups, |a, b| {
        a.since.cmp(&b.since).then_with(|| a.sha.cmp(&b.sha))
    });
    groups
}

/// Seconds between two reads of the inbox while its tab is visible: the longest `X-Poll-Interval` GitHub sent on
/// the repositories' lists, else a minute (it reads every pinned repository: twice the Reviews view's pause).
pub fn inbox_every(poll_interval: Option<u64>) -> u64 {
    poll_interval.filter(|p| *p > 0).unwrap_or(60)
}

/// Which environments a group decision covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every environment each run waits on that you may review.
    Every,
    /// Only the one of this name (GitHub's names are case-insensitive).
    Only(String),
}

impl Scope {
    fn covers(&self, environment: &str) -> bool {
        match self {
            Scope::Every => true,
            Scope::Only(name) => name.eq_ignore_ascii_case(environment),
        }
    }
}

/// One review a group decision sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub repo: RepoRef,
    pub run: u64,
    /// "acme/web · Deploy #12".
    pub label: String,
    /// The environments it decides, in the run's order.
    pub environments: Vec<String>,
    pub body: ReviewBody,
    /// The run's and the environments' GraphQL ids, when GitHub gave every one (the GraphQL review needs them).
    pub nodes: Option<(String, Vec<String>)>,
}

/// A run of the group the decision leaves alone, and why in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftAlone {
    pub label: String,
    pub why: String,
}

/// A decision over a group, before it is sent: what the confirmation lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPlan {
    pub state: ReviewState,
    pub short_sha: String,
    pub scope: Scope,
    pub items: Vec<Planned>,
    pub left: Vec<LeftAlone>,
}

impl GroupPlan {
    /// "Approve 7 runs for a1b2c3d → production": what the button and the confirmation say.
    pub fn title(&self) -> String {
        let verb = match self.state {
            ReviewState::Approved => "Approve",
            ReviewState::Rejected => "Reject",
        };
        let target = match &self.scope {
            Scope::Only(name) => name.clone(),
            Scope::Every => {
                let mut names: Vec<&str> = Vec::new();
                for name in self.items.iter().flat_map(|i| &i.environments) {
                    if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                        names.push(name);
                    }
                }
                names.join(", ")
            }
        };
        format!(
            "{verb} {} for {} → {target}",
            count(self.items.len(), "run", "runs"),
            self.short_sha
        )
    }
}

/// The decision `state` with `comment` over `group`, within `scope`: a review for every run with an environment
/// in scope that `me` may review, and why each other run that waits in scope is left alone. `Err` says why
/// nothing would be sent.
pub fn plan_group(
    group: &CommitGroup,
    me: &str,
    permission: ReviewPermission,
    scope: Scope,
    state: ReviewState,
    comment: &str,
) -> Result<GroupPlan, String> {
    let mut items = Vec::new();
    let mut left = Vec::new();
    for run in &group.runs {
        let ids = run.reviewable_in(me, permission, &scope);
        if let Ok(body) = run.board.review(&ids, state, comment) {
            let environment_nodes: Option<Vec<String>> = body
                .environment_ids
                .iter()
                .map(|id| {
                    run.board
                        .pending
                        .iter()
                        .find(|p| p.environment.id == *id)
                        .and_then(|p| p.environment.node_id.clone())
                })
                .collect();
            items.push(Planned {
                repo: run.repo.clone(),
                run: run.board.run.id,
                label: run.label(),
                environments: run
                    .board
                    .names(&ids)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                nodes: run.board.run.node_id.clone().zip(environment_nodes),
                body,
            });
            continue;
        }
        // Waits in scope, but nothing of it is yours: the first reason GitHub's answer gives.
        let why = run
            .board
            .pending
            .iter()
            .filter(|p| scope.covers(&p.environment.name))
            .find_map(|p| verdict(p, me, run.board.run.started_by(), permission).reason());
        if let Some(why) = why {
            left.push(LeftAlone {
                label: run.label(),
                why,
            });
        }
    }
    if items.is_empty() {
        return Err(match (&scope, left.first()) {
            (_, Some(first)) => format!("Nothing here is yours to decide: {}", first.why),
            (Scope::Only(name), None) => format!("No run of this commit waits on {name}."),
            (Scope::Every, None) => "No run of this commit waits for a review any more.".into(),
        });
    }
    Ok(GroupPlan {
        state,
        short_sha: group.short_sha().to_owned(),
        scope,
        items,
        left,
    })
}

/// What became of one run of a group decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not sent yet.
    Waiting,
    /// GitHub took it.
    Decided(ReviewState),
    /// GitHub says the run waits on none of these any more: someone decided it meanwhile, elsewhere, or its
    /// timer or a cancel moved it on.
    Elsewhere,
    /// GitHub refused this run's review: its words and what to do.
    Refused(String),
    /// No answer came: whether GitHub took it is not known until the inbox is read again.
    Unknown(String),
    /// Not sent: the decision stopped before it (why).
    NotSent(String),
}

impl Outcome {
    /// A short word for the list ("approved", "already decided elsewhere", …).
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Waiting => "waiting to be sent",
            Outcome::Decided(ReviewState::Approved) => "approved",
            Outcome::Decided(ReviewState::Rejected) => "rejected",
            Outcome::Elsewhere => "already decided elsewhere",
            Outcome::Refused(_) => "refused",
            Outcome::Unknown(_) => "no answer",
            Outcome::NotSent(_) => "not sent",
        }
    }

    /// The sentence under the word, when there is more to say.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Outcome::Refused(why) | Outcome::Unknown(why) | Outcome::NotSent(why) => Some(why),
            Outcome::Elsewhere => {
                Some("GitHub says the run no longer waits on it: someone decided it meanwhile, or its wait timer or a cancel moved it on.")
            }
            _ => None,
        }
    }
}

/// The message of GitHub's 422 for a run that waits on none of the environments sent (docs/github-api.md §14).
const NOT_WAITING: &str = "no pending deployment requests";

/// A group decision being sent, in the plan's order: one review at a time through REST ([`GroupRun::next_item`],
/// then [`GroupRun::record`] with GitHub's answer, until `next_item` says nothing is left), or every one in one
/// GraphQL request ([`GroupRun::next_batch`], then [`GroupRun::record_at`] for each answer). A refusal of one
/// run goes on to the next; an answer that would refuse every one (the token, its scope, the quota, no answer at
/// all) stops it, and what was not sent says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRun {
    plan: GroupPlan,
    outcomes: Vec<Outcome>,
    sending: Vec<usize>,
}

impl GroupRun {
    pub fn new(plan: GroupPlan) -> Self {
        let outcomes = vec![Outcome::Waiting; plan.items.len()];
        GroupRun {
            plan,
            outcomes,
            sending: Vec::new(),
        }
    }

    pub fn plan(&self) -> &GroupPlan {
        &self.plan
    }

    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// Whether item `index` is being sent.
    pub fn is_sending(&self, index: usize) -> bool {
        self.sending.contains(&index)
    }

    fn waiting(&self) -> Vec<usize> {
        (0..self.outcomes.len())
            .filter(|i| self.outcomes[*i] == Outcome::Waiting && !self.sending.contains(i))
            .collect()
    }

    /// The next item to send (marked as being sent), or `None` when every one has its outcome or some are out.
    pub fn next_item(&mut self) -> Option<&Planned> {
        if !self.sending.is_empty() {
            return None;
        }
        let index = *self.waiting().first()?;
        self.sending.push(index);
        self.plan.items.get(index)
    }

    /// Every item still to send (marked as being sent), for one request that carries them all; empty when
    /// some are out already.
    pub fn next_batch(&mut self) -> Vec<usize> {
        if !self.sending.is_empty() {
            return Vec::new();
        }
        self.sending = self.waiting();
        self.sending.clone()
    }

    /// The items being sent go back to be sent again (their request never ran: GraphQL could not be used).
    pub fn release(&mut self) {
        self.sending.clear();
    }

    /// GitHub's answer to the item being sent one at a time (`Ok`: it took the review). Ignored when none is.
    pub fn record(&mut self, answer: Result<(), &ApiError>) {
        if let Some(index) = self.sending.first().copied() {
            self.record_at(index, answer);
        }
    }

    /// GitHub's answer to item `index`, which is being sent. Ignored for an item that is not.
    pub fn record_at(&mut self, index: usize, answer: Result<(), &ApiError>) {
        let Some(at) = self.sending.iter().position(|i| *i == index) else {
            return;
        };
        self.sending.remove(at);
        let (outcome, stop) = match answer {
            Ok(()) => (Outcome::Decided(self.plan.state), false),
            Err(ApiError::Validation { message, .. })
                if message.to_ascii_lowercase().contains(NOT_WAITING) =>
            {
                (Outcome::Elsewhere, false)
            }
            Err(error @ (ApiError::Validation { .. } | ApiError::NotFound { .. })) => {
                (Outcome::Refused(error.to_string()), false)
            }
            Err(error) if error.is_transient() && !matches!(error, ApiError::RateLimited { .. }) => (
                Outcome::Unknown(format!(
                    "{error} Whether GitHub took it is not known: the inbox is read again to show it."
                )),
                true,
            ),
            Err(error) => (
                Outcome::Refused(format!("{error} {}", error.remedy())),
                true,
            ),
        };
        self.outcomes[index] = outcome;
        if stop {
            let at = self.plan.items[index].label.clone();
            for i in self.waiting() {
                self.outcomes[i] = Outcome::NotSent(format!(
                    "The decision stopped at {at}, whose answer would refuse this one too. Read the inbox again, then decide what is left."
                ));
            }
        }
    }

    /// Every item has its outcome.
    pub fn is_done(&self) -> bool {
        self.sending.is_empty() && !self.outcomes.contains(&Outcome::Waiting)
    }

    /// "5 approved · 1 already decided elsewhere · 1 refused": the outcomes counted, in the plan's order of
    /// words, none left out.
    pub fn summary(&self) -> String {
        let mut words: Vec<(&'static str, usize)> = Vec::new();
        for o in &self.outcomes {
            match words.iter_mut().find(|(w, _)| *w == o.word()) {
                Some((_, n)) => *n += 1,
                None => words.push((o.word(), 1)),
            }
        }
        words
            .into_iter()
            .map(|(w, n)| format!("{} {w}", crate::text::grouped(n)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// One `approveDeployments` (or `rejectDeployments`) per run, aliased `r0`, `r1`, … in one mutation, with one
/// comment (variables `$w0`/`$e0` per run, `$comment`): GitHub's GraphQL review (docs/github-api.md §14).
pub fn review_runs_document(state: ReviewState, count: usize) -> String {
    let field = match state {
        ReviewState::Approved => "approveDeployments",
        ReviewState::Rejected => "rejectDeployments",
    };
    let mut variables: Vec<String> = (0..count)
        .map(|i| format!("$w{i}: ID!, $e{i}: [ID!]!"))
        .collect();
    variables.push("$comment: String".into());
    let fields: Vec<String> = (0..count)
        .map(|i| {
            format!("  r{i}: {field}(input: {{workflowRunId: $w{i}, environmentIds: $e{i}, comment: $comment}}) {{ clientMutationId }}")
        })
        .collect();
    format!(
        "mutation ReviewRuns({}) {{\n{}\n}}",
        variables.join(", "),
        fields.join("\n")
    )
}

impl Client {
    /// The reviews of `plan`'s `items` in one GraphQL request; `None` when one lacks its GraphQL ids.
    pub fn review_runs(&self, plan: &GroupPlan, items: &[usize]) -> Option<HttpRequest> {
        let mut variables = Map::new();
        for (n, index) in items.iter().enumerate() {
            let (run, environments) = plan.items.get(*index)?.nodes.as_ref()?;
            variables.insert(format!("w{n}"), json!(run));
            variables.insert(format!("e{n}"), json!(environments));
        }
        let comment = plan
            .items
            .first()
            .map(|i| i.body.comment.clone())
            .unwrap_or_default();
        variables.insert("comment".into(), json!(comment));
        Some(self.graphql(
            &review_runs_document(plan.state, items.len()),
            Value::Object(variables),
        ))
    }
}

/// The answer to [`review_runs_document`] over `count` runs: each run's, in order — taken, or refused as REST
/// would have said it (the error whose `path` is its alias). `Err`: the document as a whole did not run.
pub fn read_review_runs(
    response: &HttpResponse,
    count: usize,
) -> Result<Vec<Result<(), ApiError>>, GraphqlFailure> {
    let (data, errors) = decode_graphql::<Map<String, Value>>(response)?;
    Ok((0..count)
        .map(|n| {
            let alias = format!("r{n}");
            if data.get(&alias).is_some_and(Value::is_object) {
                return Ok(());
            }
            let error = errors
                .iter()
                .find(|e| e.path.first().and_then(Value::as_str) == Some(alias.as_str()));
            let message = error.map_or_else(
                || "GitHub's answer said nothing of this run.".to_owned(),
                |e| e.message.clone(),
            );
            Err(match error.and_then(|e| e.kind.as_deref()) {
                // What a review needs (docs/github-api.md §14): classic `repo`, fine-grained Deployments: write.
                Some("FORBIDDEN") => ApiError::Forbidden {
                    message,
                    needed: AccessNeeded {
                        classic_scopes: vec!["repo".into()],
                        fine_grained: Some("deployments=write".into()),
                        ..AccessNeeded::default()
                    },
                },
                Some("NOT_FOUND") => ApiError::NotFound { message },
                Some("UNPROCESSABLE") => ApiError::Validation {
                    message,
                    issues: Vec::new(),
                },
                _ => ApiError::Unexpected {
                    status: 200,
                    message,
                },
            })
        })
        .collect())
}

#[cfg(test)]
mod tests;
