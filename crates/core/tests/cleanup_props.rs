//! Planner and run invariants, checked against an independent model of GitHub (not core's `rules`), so a
//! wrong client rule fails here instead of being mirrored.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use deploydeck_core::cleanup::{
    Action, CleanupPlan, CleanupRun, Guard, ItemState, RunStatus, Selection, SelectionDraft,
    StateFilter, Step, TextMatch, Write,
};
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus};
use deploydeck_core::pattern::glob_matches;
use deploydeck_core::response::{ApiError, ConflictKind, RateLimitKind, RetryWait};
use deploydeck_core::rules::DeploymentRecord;
use deploydeck_core::timestamp::Timestamp;
use proptest::prelude::*;

const ENVIRONMENTS: [&str; 4] = ["production", "staging", "review/pr-1", "Production-EU"];
const NOW: i64 = 1_800_000_000;

#[derive(Debug, Clone)]
struct Spec {
    env: usize,
    state: Option<DeploymentState>,
    transient: bool,
    creator: usize,
    age_days: i64,
    git_ref: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..ENVIRONMENTS.len(),
        proptest::option::of(proptest::sample::select(DeploymentState::ALL.to_vec())),
        any::<bool>(),
        0usize..3,
        0i64..100,
        0usize..3,
    )
        .prop_map(|(env, state, transient, creator, age_days, git_ref)| Spec {
            env,
            state,
            transient,
            creator,
            age_days,
            git_ref,
        })
}

fn base_deployment() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/deployment.json")).unwrap()
}

fn base_status() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/deployment-status.json")).unwrap()
}

fn records(specs: &[Spec]) -> Vec<DeploymentRecord> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = i as u64 + 1;
            let mut d = base_deployment();
            d["id"] = id.into();
            d["environment"] = ENVIRONMENTS[s.env].into();
            d["production_environment"] = (ENVIRONMENTS[s.env] == "production").into();
            d["transient_environment"] = s.transient.into();
            d["creator"]["login"] = ["octocat", "hubot", "dependabot[bot]"][s.creator].into();
            d["ref"] = ["main", "release/1.2", "feature/x"][s.git_ref].into();
            let created = Timestamp::from_unix(NOW - s.age_days * 86_400 - (100 - id as i64));
            d["created_at"] = created.to_string().into();
            let deployment: Deployment = serde_json::from_value(d).unwrap();
            let statuses: Vec<DeploymentStatus> = s
                .state
                .map(|state| {
                    let mut st = base_status();
                    st["id"] = (id * 100).into();
                    st["state"] = state.as_str().into();
                    serde_json::from_value(st).unwrap()
                })
                .into_iter()
                .collect();
            DeploymentRecord::new(deployment, &statuses)
        })
        .collect()
}

fn selection() -> impl Strategy<Value = Selection> {
    (
        proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(ENVIRONMENTS.to_vec()),
                Just("review/*"),
                Just("*-eu"),
                Just("PRODUCTION"),
            ],
            0..3,
        ),
        proptest::option::of(prop_oneof![
            Just(TextMatch::Exact("main".into())),
            Just(TextMatch::Prefix("release/".into()))
        ]),
        proptest::collection::vec(
            prop_oneof![
                Just(StateFilter::NoStatus),
                proptest::sample::select(DeploymentState::ALL.to_vec())
                    .prop_map(StateFilter::State)
            ],
            0..3,
        ),
        proptest::option::of(0u32..60),
        0u32..3,
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(
                envs,
                git_ref,
                states,
                older,
                keep,
                transient_only,
                allow_live_production,
                allow_live,
            )| {
                Selection {
                    environments: envs.into_iter().map(str::to_owned).collect(),
                    git_ref,
                    states,
                    older_than_days: older,
                    keep_newest_per_environment: keep,
                    transient_only,
                    allow_live_production,
                    allow_live,
                    ..Selection::default()
                }
            },
        )
}

/// Every environment's live deployment in this test's model of GitHub (its newest deployment whose latest
/// state is success), with whether the environment is a production one.
fn live(specs: &[Spec]) -> BTreeMap<u64, bool> {
    let mut newest: BTreeMap<usize, u64> = BTreeMap::new();
    for (i, s) in specs.iter().enumerate() {
        if s.state == Some(DeploymentState::Success) {
            newest.insert(s.env, i as u64 + 1);
        }
    }
    newest
        .into_iter()
        .map(|(env, id)| (id, ENVIRONMENTS[env].eq_ignore_ascii_case("production")))
        .collect()
}

/// Unfinished (pending, queued, in progress, or no status) and created less than a day before `NOW` (the
/// model's statuses are all years old, so the deployment's creation is its last activity).
fn may_be_running(s: &Spec) -> bool {
    matches!(
        s.state,
        None | Some(
            DeploymentState::Pending | DeploymentState::Queued | DeploymentState::InProgress
        )
    ) && s.age_days == 0
}

/// GitHub as this test models it: the live deployment of an environment is its newest deployment whose
/// latest state is success; production is the flag, or the name.
fn live_production(specs: &[Spec]) -> BTreeSet<u64> {
    live(specs)
        .into_iter()
        .filter(|(_, production)| *production)
        .map(|(id, _)| id)
        .collect()
}

/// Which reading of GitHub's delete rule the model applies (docs/github-api.md §8.4).
#[derive(Debug, Clone, Copy, PartialEq)]
enum DeleteRule {
    /// GitHub refuses only an active deployment — latest `success`, no newer `success` in its environment —
    /// that shares its environment with another.
    Refined,
    /// The docs' text: only an inactive deployment is deleted.
    Strict,
}

fn refusal() -> ApiError {
    ApiError::Validation {
        message: "Validation Failed".into(),
        issues: vec![deploydeck_core::response::ValidationIssue {
            field: None,
            code: None,
            resource: None,
            message: Some("We cannot delete an active deployment unless it is the only deployment in a given environment.".into()),
        }],
    }
}

/// Applies a run's steps to a model of GitHub under `rule` — what is left of the repository changes as the
/// run deletes — and checks that no inactive status is posted twice and nothing is deleted twice. Returns
/// the requests sent and how many DELETEs GitHub refused.
fn simulate_under(
    specs: &[Spec],
    run: &mut CleanupRun,
    rule: DeleteRule,
) -> (Vec<(u64, Step)>, usize) {
    let mut latest: HashMap<u64, Option<DeploymentState>> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u64 + 1, s.state))
        .collect();
    let env_of = |id: u64| specs[id as usize - 1].env;
    let mut sent = Vec::new();
    let mut refused = 0;
    while let Some((id, step)) = run.next_step() {
        sent.push((id.0, step));
        let state = *latest
            .get(&id.0)
            .expect("the run only touches planned deployments, and each DELETE once");
        let result = match step {
            Step::Deactivate => {
                assert_ne!(
                    state,
                    Some(DeploymentState::Inactive),
                    "redundant inactive status for {id}"
                );
                latest.insert(id.0, Some(DeploymentState::Inactive));
                Ok(())
            }
            Step::Status => unreachable!("a deletion plan never posts a bulk status"),
            Step::Delete => {
                let others = latest
                    .keys()
                    .any(|o| *o != id.0 && env_of(*o) == env_of(id.0));
                let active = state == Some(DeploymentState::Success)
                    && !latest.iter().any(|(o, s)| {
                        *o > id.0
                            && env_of(*o) == env_of(id.0)
                            && *s == Some(DeploymentState::Success)
                    });
                let refuses = match rule {
                    DeleteRule::Refined => active && others,
                    DeleteRule::Strict => {
                        state != Some(DeploymentState::Inactive) && latest.len() > 1
                    }
                };
                if refuses {
                    refused += 1;
                    Err(refusal())
                } else {
                    latest.remove(&id.0);
                    Ok(())
                }
            }
        };
        run.record(id, step, result);
    }
    (sent, refused)
}

fn simulate(specs: &[Spec], run: &mut CleanupRun) -> Vec<(u64, Step)> {
    simulate_under(specs, run, DeleteRule::Refined).0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn live_production_is_never_deleted_unless_allowed(specs in proptest::collection::vec(spec(), 0..30), sel in selection()) {
        let plan = CleanupPlan::new(&records(&specs), &sel, Timestamp::from_unix(NOW));
        prop_assert_eq!(plan.items.len(), specs.len());
        if !sel.allow_live_production {
            for id in live_production(&specs) {
                let item = plan.items.iter().find(|i| i.id == DeploymentId(id)).unwrap();
                prop_assert_eq!(item.action(), Action::Keep, "live production deployment {} planned: {:?}", id, item);
            }
        }
    }

    /// What a user gets by clicking through: only deployments whose latest state is inactive.
    #[test]
    fn the_default_selection_deletes_only_inactive_deployments(specs in proptest::collection::vec(spec(), 0..30)) {
        let selection = SelectionDraft::default().selection().unwrap();
        let plan = CleanupPlan::new(&records(&specs), &selection, Timestamp::from_unix(NOW));
        for item in plan.to_delete() {
            prop_assert_eq!(specs[item.id.0 as usize - 1].state, Some(DeploymentState::Inactive), "{:?}", item);
        }
        let inactive = specs.iter().filter(|s| s.state == Some(DeploymentState::Inactive)).count();
        prop_assert_eq!(plan.to_delete().count(), inactive, "and every inactive one");
    }

    /// Nothing live in any environment, and nothing that may be running, is deleted by the rules alone;
    /// ticks one by one include exactly the rows ticked.
    #[test]
    fn live_and_running_deployments_go_only_when_allowed_or_ticked(
        specs in proptest::collection::vec(spec(), 0..30),
        sel in selection(),
        ticks in proptest::collection::vec((0usize..30, any::<bool>()), 0..10),
    ) {
        let mut plan = CleanupPlan::new(&records(&specs), &sel, Timestamp::from_unix(NOW));
        let mut ticked: BTreeSet<u64> = BTreeSet::new();
        for (index, on) in ticks {
            if index < specs.len() {
                let id = DeploymentId(index as u64 + 1);
                let guarded = plan.items.iter().find(|i| i.id == id).unwrap().kept_by_guard();
                plan.choose(id, on);
                if guarded {
                    if on { ticked.insert(id.0); } else { ticked.remove(&id.0); }
                }
            }
        }
        let live = live(&specs);
        for item in plan.to_delete() {
            let id = item.id.0;
            let s = &specs[id as usize - 1];
            match live.get(&id) {
                Some(true) => prop_assert!(sel.allow_live_production || ticked.contains(&id), "live production {} deleted", id),
                Some(false) => prop_assert!(sel.allow_live || ticked.contains(&id), "live {} deleted", id),
                None if may_be_running(s) => prop_assert!(ticked.contains(&id), "{} may be running and was not ticked", id),
                None => {}
            }
        }
        for id in ticked {
            prop_assert!(plan.to_delete().any(|i| i.id.0 == id), "ticked {} is deleted", id);
        }
    }

    /// Under either reading of the rule, every planned deployment is deleted, once, and nothing kept is
    /// touched. Under the refined rule the plan's count is exact unless the run itself made an older success
    /// the newest of its environment (by deleting the newer ones first): then each such refusal costs one
    /// status and one DELETE more. Under the strict rule each refusal does, and nothing else is added.
    #[test]
    fn every_planned_delete_is_accepted_under_either_reading(specs in proptest::collection::vec(spec(), 0..30), sel in selection()) {
        let plan = CleanupPlan::new(&records(&specs), &sel, Timestamp::from_unix(NOW));
        let planned: BTreeSet<u64> = plan.to_delete().map(|i| i.id.0).collect();
        for rule in [DeleteRule::Refined, DeleteRule::Strict] {
            let mut run = CleanupRun::new(&plan);
            let (sent, refused) = simulate_under(&specs, &mut run, rule);
            let touched: BTreeSet<u64> = sent.iter().map(|(id, _)| *id).collect();
            prop_assert_eq!(&touched, &planned, "no request touches a kept deployment");
            prop_assert_eq!(sent.len(), plan.counts().requests + 2 * refused, "the plan's requests, and two per refusal");
            prop_assert_eq!(run.progress().done, planned.len(), "{:?}", rule);
            if rule == DeleteRule::Refined {
                for (id, step) in &sent {
                    let item = run.items.iter().find(|i| i.id.0 == *id).unwrap();
                    if item.refused_while_active {
                        // Refused only because a newer success of its environment was deleted before it.
                        let s = &specs[*id as usize - 1];
                        prop_assert_eq!(s.state, Some(DeploymentState::Success), "{:?}", step);
                        prop_assert!(specs.iter().enumerate().any(|(i, o)| i as u64 + 1 > *id && o.env == s.env
                            && o.state == Some(DeploymentState::Success) && planned.contains(&(i as u64 + 1))));
                    }
                }
            }
        }
    }

    #[test]
    fn selection_rules_are_respected(specs in proptest::collection::vec(spec(), 1..30), sel in selection()) {
        let plan = CleanupPlan::new(&records(&specs), &sel, Timestamp::from_unix(NOW));
        for item in plan.to_delete() {
            let s = &specs[item.id.0 as usize - 1];
            if !sel.environments.is_empty() {
                prop_assert!(sel.environments.iter().any(|p| glob_matches(p, &item.environment)));
            }
            if !sel.states.is_empty() {
                let f = s.state.map_or(StateFilter::NoStatus, StateFilter::State);
                prop_assert!(sel.states.contains(&f));
            }
            if let Some(days) = sel.older_than_days { prop_assert!(s.age_days >= i64::from(days)); }
            if sel.transient_only { prop_assert!(s.transient); }
            let newer_same_env = specs[item.id.0 as usize..].iter().filter(|o| o.env == s.env).count() as u32;
            prop_assert!(newer_same_env >= sel.keep_newest_per_environment, "one of the newest {} was planned", sel.keep_newest_per_environment);
        }
    }

    /// Random answers, pauses, reloads and retries: a done item is never sent again, and the run ends with
    /// every item done once the answers are good.
    #[test]
    fn a_resumed_run_never_repeats_a_done_item(
        specs in proptest::collection::vec(spec(), 1..25),
        script in proptest::collection::vec((0u8..8, 0u8..4), 0..120),
    ) {
        let plan = CleanupPlan::new(&records(&specs), &Selection { allow_live_production: true, ..Selection::default() }, Timestamp::from_unix(NOW));
        let mut run = CleanupRun::new(&plan);
        let mut in_flight: Vec<(DeploymentId, Step)> = Vec::new();
        let mut done: BTreeSet<DeploymentId> = BTreeSet::new();
        let mut deactivated: BTreeSet<DeploymentId> = BTreeSet::new();
        let check = |run: &CleanupRun, done: &mut BTreeSet<DeploymentId>| {
            for item in &run.items {
                if matches!(item.state, ItemState::Done { .. }) { done.insert(item.id); }
            }
        };
        for (op, answer) in script {
            match op {
                0..=2 => if let Some((id, step)) = run.next_step() {
                    prop_assert!(!done.contains(&id), "{} sent again after it was done", id);
                    if step == Step::Deactivate { prop_assert!(!deactivated.contains(&id), "{} deactivated twice without a reload", id); }
                    in_flight.push((id, step));
                },
                3..=5 => if !in_flight.is_empty() {
                    let (id, step) = in_flight.remove(usize::from(answer) % in_flight.len());
                    let result = match answer {
                        0 | 1 => Ok(()),
                        2 => Err(ApiError::Server { status: 502, message: "Bad Gateway".into() }),
                        _ => Err(ApiError::RateLimited { limit: RateLimitKind::Secondary, wait: RetryWait::Seconds(60), message: "secondary".into() }),
                    };
                    if result.is_ok() && step == Step::Deactivate { deactivated.insert(id); }
                    run.record(id, step, result);
                },
                6 => {
                    // Reload: answers in flight are lost; the run is restored from its serialised form.
                    let saved = serde_json::to_string(&run).unwrap();
                    run = serde_json::from_str(&saved).unwrap();
                    run.restore();
                    in_flight.clear();
                    deactivated.clear();
                }
                _ => match answer { 0 => run.pause(), 1 => run.resume(), _ => { run.retry_failed(); } },
            }
            check(&run, &mut done);
        }
        // Finish with good answers.
        run.resume();
        run.retry_failed();
        for (id, step) in in_flight.drain(..) { run.record(id, step, Ok(())); }
        while let Some((id, step)) = run.next_step() {
            prop_assert!(!done.contains(&id), "{} sent again after it was done", id);
            run.record(id, step, Ok(()));
        }
        let p = run.progress();
        prop_assert_eq!((p.done, p.total), (plan.to_delete().count(), plan.to_delete().count()));
    }

    #[test]
    fn runs_are_deterministic(specs in proptest::collection::vec(spec(), 0..20), sel in selection()) {
        let plan = CleanupPlan::new(&records(&specs), &sel, Timestamp::from_unix(NOW));
        let a = simulate(&specs, &mut CleanupRun::new(&plan));
        let b = simulate(&specs, &mut CleanupRun::new(&plan));
        prop_assert_eq!(a, b);
        let reordered: Vec<DeploymentRecord> = records(&specs).into_iter().rev().collect();
        prop_assert_eq!(CleanupPlan::new(&reordered, &sel, Timestamp::from_unix(NOW)), plan, "input order does not matter");
    }
}

proptest! {
    /// The creators list: whatever is typed, no item is empty, carries a separator or starts with `@`, and no
    /// login appears twice; every login typed plainly is kept.
    #[test]
    fn parse_list_never_panics_and_keeps_each_login_once(text in "[ ,@a-zA-Z0-9\\-\\t\\n]{0,60}") {
        let items = deploydeck_core::cleanup::parse_list(&text);
        for (i, item) in items.iter().enumerate() {
            prop_assert!(!item.is_empty());
            prop_assert!(!item.contains([',', ' ', '\t', '\n']));
            prop_assert!(!item.starts_with('@'));
            prop_assert!(!items[..i].iter().any(|o| o.eq_ignore_ascii_case(item)));
        }
        for word in text.split([',', ' ', '\t', '\n']) {
            let word = word.trim_start_matches('@');
            if !word.is_empty() {
                prop_assert!(items.iter().any(|i| i.eq_ignore_ascii_case(word)));
            }
        }
    }

    /// The selection form never panics, and what it accepts has counts in range and a hexadecimal SHA.
    #[test]
    fn the_selection_form_accepts_only_what_it_can_plan(
        sha in ".{0,50}", days in ".{0,8}", keep in "[0-9]{0,7}|.{0,4}", creators in ".{0,30}",
    ) {
        let draft = deploydeck_core::cleanup::SelectionDraft {
            sha, older_than_days: days, keep_newest: keep, creators,
            ..Default::default()
        };
        if let Ok(selection) = draft.selection() {
            if let Some(TextMatch::Exact(s) | TextMatch::Prefix(s)) = &selection.sha {
                prop_assert!(s.len() <= 40 && s.chars().all(|c| c.is_ascii_hexdigit()));
            }
            prop_assert!(selection.older_than_days.is_none_or(|d| d <= 36_500));
            prop_assert!(selection.keep_newest_per_environment <= 36_500);
        }
    }
}

proptest! {
    /// A pattern without wildcards names one environment (ignoring ASCII case); `prefix*` is "starts with";
    /// `*` alone matches every name; and the matcher never panics.
    #[test]
    fn environment_patterns_match_as_written(name in "[a-zA-Z0-9/_. -]{0,20}", other in "[a-zA-Z0-9/_. -]{0,20}", cut in 0usize..21) {
        prop_assert!(glob_matches(&name, &name) || name.trim() != name);
        prop_assert_eq!(glob_matches(&name, &other), name.trim().eq_ignore_ascii_case(&other) , "{:?} vs {:?}", name, other);
        let prefix: String = name.chars().take(cut).collect();
        prop_assert_eq!(glob_matches(&format!("{prefix}*"), &other), other.to_ascii_lowercase().starts_with(&prefix.trim_start().to_ascii_lowercase()));
        prop_assert!(glob_matches("*", &other));
    }

    #[test]
    fn the_matcher_never_panics(pattern in ".{0,12}", name in ".{0,24}") {
        let _ = glob_matches(&pattern, &name);
    }
}

proptest! {
    /// The run panel's words follow the run: "finished" only once nothing is pending or in flight, "some
    /// items failed" exactly when a settled run that was not cancelled has failures, the summary's numbers
    /// add up, and a time left only while running with requests left.
    #[test]
    fn the_run_panel_says_what_the_run_is(
        runs in proptest::collection::vec(spec(), 0..12), answers in proptest::collection::vec(0u8..4, 0..30),
        status in proptest::sample::select(vec![RunStatus::Running, RunStatus::Paused, RunStatus::Cancelled]),
        answered in 0usize..10, elapsed in 0u64..100_000, held in 0u64..10_000,
        repository in "[a-z/\\n\\t\u{7f}\u{85}]{0,12}",
    ) {
        let plan = CleanupPlan::new(&records(&runs), &Selection { allow_live: true, ..Selection::default() }, Timestamp::from_unix(NOW));
        let mut run = CleanupRun::new(&plan);
        for answer in answers {
            let Some((id, step)) = run.next_step() else { break };
            let result = match answer {
                0 => Err(ApiError::Conflict { message: "Conflict".into(), conflict: ConflictKind::Other }),
                _ => Ok(()),
            };
            run.record(id, step, result);
        }
        let p = run.progress();
        let heading = p.heading(status);
        let settled = p.pending == 0 && p.in_flight == 0;
        prop_assert_eq!(heading.contains("finished") || heading == "Cleanup cancelled", settled);
        prop_assert_eq!(heading == "Cleanup finished: some items failed", settled && p.failed > 0 && status != RunStatus::Cancelled);
        let summary = p.summary();
        let expected = format!("{} of {} done, {} failed, {} remaining", p.done, p.total, p.failed, p.pending + p.in_flight);
        prop_assert!(summary.starts_with(&expected), "{summary}");
        prop_assert_eq!(p.done + p.failed + p.pending + p.in_flight + p.skipped, p.total);
        prop_assert!(p.deletes_left <= p.requests_left && p.deletes_left == p.pending + p.in_flight, "a deletion run: one DELETE left per item left");
        let left = p.time_left(status, answered, elapsed, held, |_, _| 1_000);
        prop_assert_eq!(left.is_some(), status == RunStatus::Running && p.requests_left > 0);
        // The header's badge: the same numbers, "waiting" only while running and not settled, marked exactly
        // when something failed, one line whatever the repository's name, and every deployment gone counted.
        let badge = p.badge(status, held > 0, repository.as_str());
        let shown = format!("{}/{}", p.done + p.failed + p.skipped, p.total);
        prop_assert!(badge.text.contains(&shown), "{}", badge.text);
        prop_assert_eq!(badge.text.contains("waiting"), held > 0 && status == RunStatus::Running && !settled);
        prop_assert_eq!(badge.alert, p.failed > 0);
        let done_words = format!(": {} of {} done", p.done, p.total);
        prop_assert!(badge.label.contains(&done_words), "{}", badge.label);
        prop_assert!(!badge.label.chars().any(char::is_control) && badge.label.ends_with("Open the run."));
        prop_assert_eq!(run.gone().len(), p.done);
    }
}

proptest! {
    /// A status write deletes nothing: each row it takes gets exactly one status step and is then done;
    /// never a row already in that state; what is live only when allowed or ticked, and what may be running
    /// only when ticked one by one.
    #[test]
    fn a_status_plan_posts_one_status_per_row_and_deletes_nothing(
        specs in proptest::collection::vec(spec(), 0..30),
        sel in selection(),
        state in proptest::sample::select(Write::STATUS_STATES.to_vec()),
        idle in proptest::option::of(1u32..72),
        ticks in proptest::collection::vec((0usize..30, any::<bool>()), 0..10),
    ) {
        let sel = Selection { write: Write::Status { state, description: "stuck".into() }, idle_hours: idle, ..sel };
        let mut plan = CleanupPlan::new(&records(&specs), &sel, Timestamp::from_unix(NOW));
        for (i, tick) in ticks {
            if let Some(id) = plan.items.get(i).map(|item| item.id) {
                plan.choose(id, tick);
            }
        }
        for item in &plan.items {
            let action = item.action();
            prop_assert!(matches!(action, Action::PostStatus | Action::Keep), "{:?}", item);
            if action == Action::PostStatus {
                prop_assert_ne!(item.latest, Some(state), "already “{}”: {:?}", state.as_str(), item);
                match item.guard {
                    Some(Guard::LiveProduction) => prop_assert!(sel.allow_live_production || item.ticked),
                    Some(Guard::Live) => prop_assert!(sel.allow_live || item.ticked),
                    Some(Guard::MayBeRunning) => prop_assert!(item.ticked),
                    None => {}
                }
            }
        }
        let counts = plan.counts();
        prop_assert_eq!(counts.deletions(), 0);
        prop_assert_eq!(counts.requests, counts.status);
        let mut run = CleanupRun::new(&plan);
        let p = run.progress();
        prop_assert_eq!((p.requests_left, p.deletes_left), (counts.status, 0), "every request left creates a status");
        let mut sent = BTreeSet::new();
        while let Some((id, step)) = run.next_step() {
            prop_assert_eq!(step, Step::Status);
            prop_assert!(sent.insert(id), "{} twice", id);
            run.record(id, step, Ok(()));
        }
        prop_assert_eq!(sent.len(), counts.status);
        prop_assert!(run.items.iter().all(|i| i.outcome() == "status posted"));
    }
}
