//! The built-in demo (`--demo`, and the app's in-page demo): a few repositories with production, staging and
//! per-PR preview environments and months of realistic history — most deployments succeed, some fail or
//! error, a few are stuck in progress, previews are transient and destroyed when their PR closes.
//!
//! History is made by replaying creations and statuses through the hub's own operations in time order, so
//! auto-inactive and environment records come out as GitHub would produce them. Deterministic for a given
//! `now` (a fixed-seed generator; no randomness source needed, so it also runs in the browser).

use deploydeck_wire::model::DeploymentState;
use deploydeck_wire::Timestamp;
use serde_json::json;

use crate::hub::{
    fake_sha, Access, CommitContext, Hub, NewDeployment, NewStatus, Role, Settings, UserKind,
};
use crate::seed::SeedRun;

/// The token the in-page demo connects with (one definition, in core, shared with the app).
pub use deploydeck_wire::demo::DEMO_TOKEN;

const DAY: i64 = 86_400;

/// xorshift64*: small, deterministic, good enough for made-up history.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

struct RepoPlan {
    owner: &'static str,
    name: &'static str,
    private: bool,
    description: &'static str,
    /// Deployments a day to each long-lived environment.
    per_day: &'static [(&'static str, u64)],
    previews: bool,
    days: i64,
}

/// The demo's repositories, as `owner/name`.
pub const REPOSITORIES: [&str; 3] = ["acme/storefront", "acme/payments-api", "acme/docs"];

const PLANS: [RepoPlan; 3] = [
    RepoPlan {
        owner: "acme",
        name: "storefront",
        private: false,
        description: "The Acme web shop",
        per_day: &[("production", 55), ("staging", 90)],
        previews: true,
        days: 150,
    },
    RepoPlan {
        owner: "acme",
        name: "payments-api",
        private: true,
        description: "Payments service",
        per_day: &[("production", 35), ("production-eu", 30), ("staging", 60)],
        previews: false,
        days: 120,
    },
    RepoPlan {
        owner: "acme",
        name: "docs",
        private: false,
        description: "Developer documentation",
        per_day: &[("github-pages", 40)],
        previews: false,
        days: 90,
    },
];

/// A hub with the demo repositories, users and the demo token (classic, `repo`), history ending at `now`.
pub fn demo_hub(now: Timestamp) -> Hub {
    let mut hub = Hub::new(Settings::default());
    let mut dice = Dice(0x5eed_1234_abcd_0042);
    let humans = ["octocat", "mona", "hubot-ops", "sam-rivera", "li-wei"];
    for login in humans {
        hub.add_user(login, UserKind::User, Some(title(login)));
    }
    let bot = hub.add_user("deploy-bot[bot]", UserKind::Bot, None);
    let octocat = hub.add_user("octocat", UserKind::User, None);
    hub.add_token(
        DEMO_TOKEN,
        octocat,
        Access::Classic {
            scopes: vec!["repo".into(), "workflow".into()],
        },
    );
    for plan in &PLANS {
        seed_repo(&mut hub, &mut dice, plan, now, &humans, bot);
    }
    waiting_runs(&mut hub, now);
    // What will ship: every repository's commits in a line, from what it deployed (hub::commits).
    let logins: std::collections::BTreeMap<u64, String> =
        hub.users.iter().map(|u| (u.id, u.login.clone())).collect();
    for repo in &mut hub.repos {
        repo.build_history(&[], |id| logins.get(&id).cloned());
    }
    hub
}

/// A few workflow runs waiting for a review of their production deployment (docs/github-api.md §14): two the
/// demo's user may approve, one they started themselves (self-review is prevented).
fn waiting_runs(hub: &mut Hub, now: Timestamp) {
    let runs = [
        (
            "acme/storefront",
            "Deploy",
            "Checkout: remember the last payment method",
            "main",
            "mona",
            20 * 60,
        ),
        (
            "acme/storefront",
            "Deploy",
            "Fix the header on small screens",
            "main",
            "octocat",
            2 * 3600,
        ),
        (
            "acme/payments-api",
            "Release",
            "Retry refunds after a gateway timeout",
            "main",
            "sam-rivera",
            45 * 60,
        ),
    ];
    for (repo, workflow, title, git_ref, actor, ago) in runs {
        let (owner, name) = repo.split_once('/').unwrap_or_default();
        let Some(index) = hub.repo_index(owner, name) else {
            continue;
        };
        let run = SeedRun {
            id: None,
            workflow: workflow.into(),
            path: None,
            title: Some(title.into()),
            git_ref: git_ref.into(),
            sha: None,
            event: Some("push".into()),
            actor: actor.into(),
            created_at: now.plus_seconds(-ago),
            waits_on: vec!["production".into()],
            conclusion: None,
            pull_request: None,
        };
        hub.load_run(index, &run);
    }
}

#[cfg(test)]
#[test]
fn the_named_repositories_are_the_demo_s() {
    let named: Vec<String> = PLANS
        .iter()
        .map(|p| format!("{}/{}", p.owner, p.name))
        .collect();
    assert_eq!(named, REPOSITORIES);
}

fn title(login: &str) -> String {
    login
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn seed_repo(
    hub: &mut Hub,
    dice: &mut Dice,
    plan: &RepoPlan,
    now: Timestamp,
    humans: &[&str],
    bot: u64,
) {
    let start = now.plus_seconds(-plan.days * DAY);
    let (index, people) = create_repo(hub, plan, start, humans, bot);
    let events = plan_events(dice, plan, start);
    let mut previews: Vec<(u64, u64, Timestamp)> = Vec::new();
    for (n, (at, event)) in events.into_iter().enumerate() {
        if at >= now {
            continue;
        }
        let made = Made {
            index,
            n,
            at,
            now,
            people: &people,
            bot,
        };
        if let Some(preview) = deploy(hub, dice, plan, &made, event) {
            previews.push(preview);
        }
    }
    close_previews(hub, index, bot, previews, now);
    finish_branches(hub, index);
}

/// The repository, its people (the first two admins), the bot, and its environments: production protected by
/// a wait timer and two reviewers (not of their own runs), staging open to every branch.
fn create_repo(
    hub: &mut Hub,
    plan: &RepoPlan,
    start: Timestamp,
    humans: &[&str],
    bot: u64,
) -> (usize, Vec<u64>) {
    let index = hub.add_repo(
        plan.owner,
        plan.name,
        plan.private,
        start.plus_seconds(-30 * DAY),
    );
    let people: Vec<u64> = humans
        .iter()
        .map(|l| hub.add_user(l, UserKind::User, None))
        .collect();
    {
        let repo = &mut hub.repos[index];
        repo.description = Some(plan.description.into());
        for (i, id) in people.iter().enumerate() {
            repo.collaborators
                .insert(*id, if i < 2 { Role::Admin } else { Role::Write });
        }
        repo.collaborators.insert(bot, Role::Write);
    }
    for (name, _) in plan.per_day {
        hub.create_environment(index, name, start);
    }
    if let Some(env) = hub.repos[index]
        .environments
        .iter_mut()
        .find(|e| e.name == "production")
    {
        env.wait_timer = Some(5);
        // The demo's user (octocat) reviews production, but not a run of their own.
        env.reviewers = vec![people[0], people[1]];
        env.prevent_self_review = true;
        env.branch_policy = Some((true, false));
    }
    (index, people)
}

/// Every deployment of the plan's days, in time order: each environment's daily chances, and a preview for
/// most days' pull requests.
fn plan_events(dice: &mut Dice, plan: &RepoPlan, start: Timestamp) -> Vec<(Timestamp, Event)> {
    let mut events: Vec<(Timestamp, Event)> = Vec::new();
    for day in 0..plan.days {
        let midnight = start.plus_seconds(day * DAY);
        for (env, per_day_percent) in plan.per_day {
            let mut chances = *per_day_percent;
            while chances > 0 {
                if dice.chance(chances.min(100)) {
                    let at = midnight.plus_seconds(8 * 3600 + dice.below(10 * 3600) as i64);
                    events.push((
                        at,
                        Event::Deploy {
                            environment: env,
                            pr: None,
                        },
                    ));
                }
                chances = chances.saturating_sub(100);
            }
        }
        if plan.previews && dice.chance(70) {
            let pr = 100 + day as u64 * 2 + dice.below(2);
            let at = midnight.plus_seconds(9 * 3600 + dice.below(8 * 3600) as i64);
            events.push((
                at,
                Event::Deploy {
                    environment: "preview",
                    pr: Some(pr),
                },
            ));
        }
    }
    events.sort_by_key(|(at, _)| *at);
    events
}

/// Where one event's deployment is made.
struct Made<'a> {
    index: usize,
    /// Its place among the repository's events (its commit, run and version come from it).
    n: usize,
    at: Timestamp,
    now: Timestamp,
    people: &'a [u64],
    bot: u64,
}

/// One event's commit, deployment and statuses (queued, in progress, then most often a verdict); a preview's
/// pull request, deployment and verdict time when it succeeded (so it can be closed later).
fn deploy(
    hub: &mut Hub,
    dice: &mut Dice,
    plan: &RepoPlan,
    made: &Made<'_>,
    event: Event,
) -> Option<(u64, u64, Timestamp)> {
    let Made {
        index,
        n,
        at,
        now,
        people,
        bot,
    } = *made;
    let Event::Deploy { environment, pr } = event;
    let sha = fake_sha(&format!("{}/{}#{n}", plan.owner, plan.name));
    let (git_ref, env_name, transient) = match pr {
        Some(pr) => (format!("feature/pr-{pr}"), format!("preview/pr-{pr}"), true),
        None if environment == "staging" || environment == "github-pages" => {
            ("main".to_owned(), environment.to_owned(), false)
        }
        None => (
            if dice.chance(80) {
                "main".to_owned()
            } else {
                format!("v{}.{}.{}", 2 + n / 200, (n / 20) % 10, n % 20)
            },
            environment.to_owned(),
            false,
        ),
    };
    record_commit(hub, index, &git_ref, &sha);
    let creator = if dice.chance(60) {
        bot
    } else {
        *dice.pick(people)
    };
    let description = match pr {
        Some(pr) => format!("Preview for pull request #{pr}"),
        None => format!("Deploy {} to {env_name}", &sha[..7]),
    };
    let new = NewDeployment {
        git_ref: git_ref.clone(),
        task: Some(if dice.chance(5) {
            "deploy:migrations".into()
        } else {
            "deploy".into()
        }),
        auto_merge: Some(false),
        required_contexts: Some(Vec::new()),
        payload: Some(json!({"triggered_by": "demo", "build": n})),
        environment: Some(env_name.clone()),
        description: Some(description),
        transient_environment: Some(transient),
        production_environment: None,
    };
    let crate::hub::CreateOutcome::Created(id) = hub.create_deployment(index, creator, new, at)
    else {
        return None;
    };
    let log = format!(
        "https://ci.acme.example/{}/{}/runs/{n}",
        plan.owner, plan.name
    );
    let url = match pr {
        Some(pr) => format!("https://pr-{pr}.preview.acme.example"),
        None => format!("https://{env_name}.{}.acme.example", plan.name),
    };
    let recent = now.seconds_since(at) < 2 * DAY;
    let mut t = at.plus_seconds(5 + dice.below(30) as i64);
    let status = |state: DeploymentState, description: &str| {
        let mut s = NewStatus::with_state(state);
        s.description = Some(description.to_owned());
        s.log_url = Some(log.clone());
        if state == DeploymentState::Success {
            s.environment_url = Some(url.clone());
        }
        s
    };
    hub.add_status(
        index,
        id,
        bot,
        status(DeploymentState::Queued, "Waiting for a runner"),
        t,
    );
    t = t.plus_seconds(10 + dice.below(120) as i64);
    hub.add_status(
        index,
        id,
        bot,
        status(DeploymentState::InProgress, "Deploying"),
        t,
    );
    t = t.plus_seconds(60 + dice.below(600) as i64);
    let roll = dice.below(100);
    if recent && roll < 15 {
        return None; // still in progress
    }
    let (state, words) = match roll {
        0..=2 => return None, // stuck in progress for good
        3..=9 => (DeploymentState::Failure, "Health checks failed"),
        10..=12 => (DeploymentState::Error, "Runner lost connection"),
        _ => (DeploymentState::Success, "Deployed"),
    };
    if t >= now {
        return None;
    }
    hub.add_status(index, id, bot, status(state, words), t);
    pr.map(|pr| (pr, id, t))
}

/// The commit a deployment is made from: a tag for a version, else the branch's head.
fn record_commit(hub: &mut Hub, index: usize, git_ref: &str, sha: &str) {
    let repo = &mut hub.repos[index];
    repo.commits.insert(sha.to_owned());
    if git_ref.starts_with('v') {
        repo.tags.push((git_ref.to_owned(), sha.to_owned()));
    } else {
        match repo.branches.iter_mut().find(|b| b.name == git_ref) {
            Some(b) => b.sha = sha.to_owned(),
            None => repo.branches.push(crate::hub::Branch {
                name: git_ref.to_owned(),
                sha: sha.to_owned(),
                behind_by: 0,
                merge_conflict: false,
                protected: false,
            }),
        }
    }
}

/// Most previews are destroyed when their pull request closes, a few days later.
fn close_previews(
    hub: &mut Hub,
    index: usize,
    bot: u64,
    previews: Vec<(u64, u64, Timestamp)>,
    now: Timestamp,
) {
    for (pr, id, at) in previews {
        let closed = at.plus_seconds(DAY + (pr as i64 % 5) * DAY);
        if closed < now && pr % 7 != 0 {
            let mut s = NewStatus::with_state(DeploymentState::Inactive);
            s.description = Some(format!("Pull request #{pr} closed"));
            hub.add_status(index, id, bot, s, closed);
        }
    }
}

enum Event {
    Deploy {
        environment: &'static str,
        pr: Option<u64>,
    },
}

/// Branches that show the create view's outcomes: one behind main (202 auto-merge), one that conflicts
/// (409), one whose checks fail (409 with contexts); main's head has passing checks.
fn finish_branches(hub: &mut Hub, index: usize) {
    let repo = &mut hub.repos[index];
    let main = repo
        .branch("main")
        .map(|b| b.sha.clone())
        .unwrap_or_default();
    repo.contexts.insert(
        main,
        vec![
            CommitContext {
                context: "ci/build".into(),
                state: "success".into(),
            },
            CommitContext {
                context: "ci/test".into(),
                state: "success".into(),
            },
        ],
    );
    for (name, behind, conflict, checks) in [
        ("feature/checkout-v2", 3, false, "success"),
        ("feature/legacy-cart", 5, true, "success"),
        ("feature/flaky-tests", 0, false, "failure"),
    ] {
        let sha = fake_sha(&format!("{}/{}", repo.full_name(), name));
        repo.commits.insert(sha.clone());
        repo.contexts.insert(
            sha.clone(),
            vec![
                CommitContext {
                    context: "ci/build".into(),
                    state: "success".into(),
                },
                CommitContext {
                    context: "ci/test".into(),
                    state: checks.into(),
                },
            ],
        );
        repo.branches.push(crate::hub::Branch {
            name: name.into(),
            sha,
            behind_by: behind,
            merge_conflict: conflict,
            protected: false,
        });
    }
    if let Some(b) = repo.branches.iter_mut().find(|b| b.name == "main") {
        b.protected = true;
    }
}
