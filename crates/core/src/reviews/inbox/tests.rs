use super::*;
use proptest::prelude::*;
use serde_json::json;

fn repo(full: &str) -> RepoRef {
    let (owner, name) = full.split_once('/').unwrap();
    RepoRef {
        owner: owner.into(),
        name: name.into(),
    }
}

/// A run of `workflow` in `full` for `sha`, started by `actor` `minute` minutes past ten, waiting on
/// `gates` (environment id, name, whether GitHub says alice can approve).
fn run(
    full: &str,
    id: u64,
    workflow: &str,
    sha: &str,
    actor: &str,
    minute: u32,
    gates: &[(u64, &str, bool)],
) -> InboxRun {
    let pending = gates
        .iter()
        .map(|(env, name, can)| {
            serde_json::from_value(json!({
                "environment": {"id": env, "node_id": format!("EN_{env}"), "name": name},
                "wait_timer": 0, "wait_timer_started_at": null,
                "current_user_can_approve": can,
                "reviewers": [{"type": "User", "reviewer": {"login": "alice"}}, {"type": "User", "reviewer": {"login": "bob"}}],
            }))
            .unwrap()
        })
        .collect();
    InboxRun {
        repo: repo(full),
        board: RunUnderReview {
            run: serde_json::from_value(json!({
                "id": id, "node_id": format!("WFR_{id}"), "name": workflow, "display_title": format!("{workflow} of {sha}"), "head_sha": sha,
                "event": "push", "status": "waiting", "actor": {"login": actor}, "run_number": id % 100,
                "created_at": format!("2026-09-21T10:{minute:02}:00Z"), "html_url": "https://github.com/x",
                "pull_requests": if id % 2 == 0 { json!([{"number": 7, "id": 1, "url": "u", "head": {}, "base": {}}]) } else { json!([]) },
            }))
            .unwrap(),
            pending,
            past: vec![],
        },
    }
}

fn seven_for_one_commit() -> Vec<InboxRun> {
    vec![
        run(
            "acme/web",
            11,
            "Deploy",
            "A1B2C3D4",
            "bob",
            5,
            &[(1, "production", true)],
        ),
        run(
            "acme/api",
            21,
            "Deploy",
            "a1b2c3d4",
            "bob",
            3,
            &[(2, "production", true), (3, "staging", true)],
        ),
        run(
            "acme/web",
            12,
            "Assets",
            "a1b2c3d4",
            "bob",
            6,
            &[(1, "production", true)],
        ),
        // alice started this one, and production prevents self-review there.
        run(
            "acme/docs",
            31,
            "Deploy",
            "a1b2c3d4",
            "alice",
            7,
            &[(4, "production", false)],
        ),
        run(
            "acme/web",
            13,
            "Deploy",
            "ffff0000",
            "bob",
            1,
            &[(5, "staging", true)],
        ),
    ]
}

#[test]
fn runs_are_grouped_by_commit_the_one_waiting_longest_first() {
    let groups = group_by_commit(seven_for_one_commit());
    assert_eq!(groups.len(), 2);
    // ffff… started at 10:01, a1b2… at 10:03 (its oldest run).
    assert_eq!(groups[0].sha, "ffff0000");
    let group = &groups[1];
    assert_eq!(
        group.sha, "a1b2c3d4",
        "GitHub's SHA in either case is one commit"
    );
    assert_eq!(group.short_sha(), "a1b2c3d");
    assert_eq!(
        group.since,
        Timestamp::parse("2026-09-21T10:03:00Z").unwrap()
    );
    let labels: Vec<String> = group.runs.iter().map(InboxRun::label).collect();
    assert_eq!(
        labels,
        [
            "acme/api · Deploy #21",
            "acme/docs · Deploy #31",
            "acme/web · Assets #12",
            "acme/web · Deploy #11"
        ]
    );
    assert_eq!(
        group.title, "Deploy of a1b2c3d4",
        "the newest run's title (10:07)"
    );
    assert_eq!(group.pull_requests, [7]);
    assert_eq!(group.environments(), ["production", "staging"]);
    let repos: Vec<String> = group.repositories().iter().map(|r| r.to_string()).collect();
    assert_eq!(repos, ["acme/api", "acme/docs", "acme/web"]);
    assert_eq!(group.decidable("alice", ReviewPermission::Yes), 3);
    assert_eq!(group.decidable("alice", ReviewPermission::No), 0);
}

#[test]
fn a_group_decision_covers_what_you_may_review_and_says_what_it_leaves_alone() {
    let groups = group_by_commit(seven_for_one_commit());
    let group = &groups[1];
    let plan = plan_group(
        group,
        "alice",
        ReviewPermission::Yes,
        Scope::Only("Production".into()),
        ReviewState::Approved,
        " Ship it ",
    )
    .unwrap();
    assert_eq!(plan.title(), "Approve 3 runs for a1b2c3d → Production");
    let sent: Vec<(String, Vec<u64>)> = plan
        .items
        .iter()
        .map(|i| (i.label.clone(), i.body.environment_ids.clone()))
        .collect();
    assert_eq!(
        sent,
        [
            ("acme/api · Deploy #21".to_owned(), vec![2]),
            ("acme/web · Assets #12".to_owned(), vec![1]),
            ("acme/web · Deploy #11".to_owned(), vec![1]),
        ]
    );
    assert!(plan.items.iter().all(|i| i.body.comment == "Ship it"));
    assert_eq!(plan.left.len(), 1);
    assert_eq!(plan.left[0].label, "acme/docs · Deploy #31");
    assert!(
        plan.left[0].why.contains("prevents self-review"),
        "{}",
        plan.left[0].why
    );

    // Every environment: the api run's staging too.
    let every = plan_group(
        group,
        "alice",
        ReviewPermission::Yes,
        Scope::Every,
        ReviewState::Rejected,
        "",
    )
    .unwrap();
    assert_eq!(
        every.title(),
        "Reject 3 runs for a1b2c3d → production, staging"
    );
    assert_eq!(every.items[0].environments, ["production", "staging"]);

    // Nothing to send: why, in words.
    assert_eq!(
        plan_group(
            group,
            "alice",
            ReviewPermission::Yes,
            Scope::Only("qa".into()),
            ReviewState::Approved,
            ""
        ),
        Err("No run of this commit waits on qa.".into())
    );
    let refused = plan_group(
        group,
        "alice",
        ReviewPermission::No,
        Scope::Every,
        ReviewState::Approved,
        "",
    )
    .unwrap_err();
    assert!(
        refused
            .starts_with("Nothing here is yours to decide: This token cannot review deployments"),
        "{refused}"
    );
}

#[test]
fn the_inbox_is_read_at_github_s_poll_interval_or_every_minute() {
    assert_eq!(inbox_every(None), 60);
    assert_eq!(inbox_every(Some(0)), 60);
    assert_eq!(inbox_every(Some(90)), 90);
}

fn not_waiting() -> ApiError {
    ApiError::Validation {
        message: "There are no pending deployment requests to approve or reject".into(),
        issues: vec![],
    }
}

fn not_reviewer() -> ApiError {
    ApiError::Validation {
        message: "You are not a required reviewer for the production environment".into(),
        issues: vec![],
    }
}

/// alice's approval of every environment of `group` she may review, without a comment.
fn alice_approves_every_one(group: &CommitGroup) -> GroupPlan {
    plan_group(
        group,
        "alice",
        ReviewPermission::Yes,
        Scope::Every,
        ReviewState::Approved,
        "",
    )
    .unwrap()
}

#[test]
fn a_group_run_sends_one_at_a_time_and_says_every_outcome() {
    let groups = group_by_commit(seven_for_one_commit());
    let plan = alice_approves_every_one(&groups[1]);
    let mut run = GroupRun::new(plan);
    assert_eq!(run.next_item().unwrap().run, 21);
    assert!(run.next_item().is_none(), "one review out at a time");
    run.record(Ok(()));
    assert_eq!(run.next_item().unwrap().run, 12);
    run.record(Err(&not_waiting()));
    assert_eq!(run.next_item().unwrap().run, 11);
    run.record(Err(&not_reviewer()));
    assert!(run.next_item().is_none());
    assert!(run.is_done());
    assert_eq!(
        run.outcomes(),
        [
            Outcome::Decided(ReviewState::Approved),
            Outcome::Elsewhere,
            Outcome::Refused("GitHub rejected the request: You are not a required reviewer for the production environment".into()),
        ]
    );
    assert_eq!(
        run.summary(),
        "1 approved · 1 already decided elsewhere · 1 refused"
    );
    assert!(run.outcomes()[1]
        .detail()
        .unwrap()
        .contains("no longer waits"));
}

#[test]
fn an_answer_that_would_refuse_every_run_stops_the_decision_and_says_what_was_not_sent() {
    let groups = group_by_commit(seven_for_one_commit());
    let plan = alice_approves_every_one(&groups[1]);
    let mut run = GroupRun::new(plan.clone());
    run.next_item();
    run.record(Err(&ApiError::Forbidden {
        message: "Resource not accessible by personal access token".into(),
        needed: Default::default(),
    }));
    assert!(run.next_item().is_none());
    assert!(run.is_done());
    assert!(
        matches!(&run.outcomes()[0], Outcome::Refused(why) if why.contains("Resource not accessible"))
    );
    assert!(
        matches!(&run.outcomes()[1], Outcome::NotSent(why) if why.contains("stopped at acme/api · Deploy #21"))
    );
    assert_eq!(run.summary(), "1 refused · 2 not sent");

    // No answer: not known whether it was taken, and the rest not sent.
    let mut run = GroupRun::new(plan);
    run.next_item();
    run.record(Ok(()));
    run.next_item();
    run.record(Err(&ApiError::Network {
        message: "Failed to fetch".into(),
    }));
    assert!(matches!(&run.outcomes()[1], Outcome::Unknown(why) if why.contains("read again")));
    assert_eq!(run.summary(), "1 approved · 1 no answer · 1 not sent");
    // An answer with nothing out is ignored.
    run.record(Ok(()));
    assert_eq!(run.summary(), "1 approved · 1 no answer · 1 not sent");
}

#[test]
fn a_group_decision_goes_in_one_graphql_request_and_each_run_s_answer_is_read_from_its_alias() {
    let groups = group_by_commit(seven_for_one_commit());
    let plan = plan_group(
        &groups[1],
        "alice",
        ReviewPermission::Yes,
        Scope::Every,
        ReviewState::Approved,
        " Go ",
    )
    .unwrap();
    assert_eq!(
        plan.items[0].nodes,
        Some(("WFR_21".into(), vec!["EN_2".into(), "EN_3".into()]))
    );
    let document = review_runs_document(ReviewState::Approved, 2);
    assert!(document.starts_with(
        "mutation ReviewRuns($w0: ID!, $e0: [ID!]!, $w1: ID!, $e1: [ID!]!, $comment: String) {"
    ));
    assert!(document.contains("r1: approveDeployments(input: {workflowRunId: $w1, environmentIds: $e1, comment: $comment}) { clientMutationId }"));
    assert!(review_runs_document(ReviewState::Rejected, 1).contains("r0: rejectDeployments("));

    let mut run = GroupRun::new(plan.clone());
    let batch = run.next_batch();
    assert_eq!(batch, [0, 1, 2]);
    assert!(
        run.next_item().is_none() && run.next_batch().is_empty(),
        "nothing more while a request is out"
    );
    let client = Client::new(
        crate::api::request::ApiBase::github_com(),
        crate::api::request::Token::new("t"),
    );
    let request = client.review_runs(&plan, &batch).unwrap();
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["variables"]["w2"], "WFR_11");
    assert_eq!(body["variables"]["e0"], json!(["EN_2", "EN_3"]));
    assert_eq!(body["variables"]["comment"], "Go");

    // r0 taken, r1 decided meanwhile, r2 refused.
    let mut answer = HttpResponse::new(200);
    answer.body = json!({
            "data": {"r0": {"clientMutationId": null}, "r1": null, "r2": null},
            "errors": [
                {"type": "FORBIDDEN", "path": ["r2"], "message": "Resource not accessible by personal access token"},
                {"type": "UNPROCESSABLE", "path": ["r1"], "message": "There are no pending deployment requests to approve or reject"},
            ]
        })
        .to_string()
        .into_bytes();
    let answers = read_review_runs(&answer, 3).unwrap();
    assert_eq!(answers[0], Ok(()));
    let forbidden = answers[2].as_ref().unwrap_err();
    assert!(
        forbidden.remedy().contains("repo"),
        "{}",
        forbidden.remedy()
    );
    assert!(
        forbidden.remedy().contains("Deployments: read and write"),
        "{}",
        forbidden.remedy()
    );
    // Recorded in any order.
    for index in [2, 0, 1] {
        run.record_at(index, answers[index].as_ref().map(|_| ()));
    }
    assert!(run.is_done());
    assert_eq!(
        run.summary(),
        "1 approved · 1 already decided elsewhere · 1 refused"
    );
    // A document GitHub refused as a whole is not a per-run answer.
    let mut refused = HttpResponse::new(200);
    refused.body =
        br#"{"errors":[{"message":"Variable $w0 of type ID! was provided invalid value"}]}"#
            .to_vec();
    assert!(read_review_runs(&refused, 1).is_err());
    // A request that never ran gives its items back, to go one at a time.
    let mut again = GroupRun::new(plan.clone());
    assert_eq!(again.next_batch(), [0, 1, 2]);
    again.release();
    assert_eq!(again.next_item().map(|i| i.run), Some(21));
    // A plan whose run GitHub gave no GraphQL id goes through REST.
    let mut bare = plan.clone();
    bare.items[1].nodes = None;
    assert!(client.review_runs(&bare, &[0, 1]).is_none());
}

fn arb_runs() -> impl Strategy<Value = Vec<InboxRun>> {
    let one = (
        0usize..3,
        1u64..10_000,
        0usize..4,
        0usize..4,
        0u32..60,
        proptest::collection::vec((1u64..6, any::<bool>()), 1..4),
    );
    proptest::collection::vec(one, 0..12).prop_map(|specs| {
        let mut seen = std::collections::HashSet::new();
        specs
            .into_iter()
            .filter(|(r, id, ..)| seen.insert((*r, *id)))
            .map(|(r, id, w, s, minute, gates)| {
                let names = ["production", "staging", "qa", "prod-eu", "dev"];
                let gates: Vec<(u64, &str, bool)> = gates
                    .iter()
                    .map(|(env, can)| (*env, names[*env as usize - 1], *can))
                    .collect();
                let mut gates_unique: Vec<(u64, &str, bool)> = Vec::new();
                for g in gates {
                    if !gates_unique.iter().any(|x| x.0 == g.0) {
                        gates_unique.push(g);
                    }
                }
                run(
                    ["acme/web", "acme/api", "other/x"][r],
                    id,
                    ["Deploy", "Assets", "Docs", "Infra"][w],
                    ["aaaa", "AAAA", "bbbb", "cccc"][s],
                    "bob",
                    minute,
                    &gates_unique,
                )
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Answer {
    Took,
    Elsewhere,
    NotReviewer,
    Forbidden,
    Network,
}

impl Answer {
    fn error(&self) -> Option<ApiError> {
        match self {
            Answer::Took => None,
            Answer::Elsewhere => Some(not_waiting()),
            Answer::NotReviewer => Some(not_reviewer()),
            Answer::Forbidden => Some(ApiError::Forbidden {
                message: "no".into(),
                needed: Default::default(),
            }),
            Answer::Network => Some(ApiError::Network {
                message: "x".into(),
            }),
        }
    }
}

proptest! {
    /// Grouping is a partition by commit (any case), in an order that does not depend on the order the
    /// repositories answered in.
    #[test]
    fn grouping_keeps_every_run_once_and_ignores_the_arrival_order(runs in arb_runs(), seed in any::<u64>()) {
        let groups = group_by_commit(runs.clone());
        let mut shuffled = runs.clone();
        // A deterministic shuffle from the seed.
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(&group_by_commit(shuffled), &groups);
        let total: usize = groups.iter().map(|g| g.runs.len()).sum();
        prop_assert_eq!(total, runs.len());
        for g in &groups {
            prop_assert!(g.runs.iter().all(|r| r.board.run.head_sha.to_ascii_lowercase() == g.sha));
            prop_assert!(g.runs.iter().all(|r| r.board.run.created_at >= g.since));
        }
        let shas: std::collections::HashSet<&str> = groups.iter().map(|g| g.sha.as_str()).collect();
        prop_assert_eq!(shas.len(), groups.len());
        prop_assert!(groups.windows(2).all(|w| w[0].since <= w[1].since));
    }

    /// A plan sends only what GitHub says you may review, within its scope, and a run appears in it once; a
    /// group run, one at a time or all in one request, whatever GitHub answers, sends each item at most once,
    /// stops after an answer that would refuse all, and ends with an outcome for every item — counted whole by
    /// its summary.
    #[test]
    fn a_group_decision_sends_only_what_is_yours_once_and_accounts_for_all(
        runs in arb_runs(),
        only in proptest::option::of(proptest::sample::select(vec!["production", "STAGING", "qa"])),
        answers in proptest::collection::vec(
            proptest::sample::select(vec![Answer::Took, Answer::Took, Answer::Elsewhere, Answer::NotReviewer, Answer::Forbidden, Answer::Network]),
            0..20,
        ),
        batched in any::<bool>(),
    ) {
        for group in group_by_commit(runs) {
            let scope = only.map_or(Scope::Every, |n| Scope::Only(n.to_owned()));
            let Ok(plan) = plan_group(&group, "alice", ReviewPermission::Yes, scope.clone(), ReviewState::Approved, "") else {
                continue;
            };
            for item in &plan.items {
                let run = group.runs.iter().find(|r| r.repo == item.repo && r.board.run.id == item.run).unwrap();
                for id in &item.body.environment_ids {
                    let p = run.board.pending.iter().find(|p| p.environment.id == *id).unwrap();
                    prop_assert!(p.current_user_can_approve);
                    prop_assert!(scope.covers(&p.environment.name));
                }
            }
            let mut keys: Vec<(RepoRef, u64)> = plan.items.iter().map(|i| (i.repo.clone(), i.run)).collect();
            let before = keys.len();
            keys.sort();
            keys.dedup();
            prop_assert_eq!(keys.len(), before);

            let mut run = GroupRun::new(plan.clone());
            let mut sent = Vec::new();
            let mut answers = answers.iter().cycle();
            let mut stopped = false;
            if batched {
                // One request for all, its answers recorded in reverse order.
                let batch = run.next_batch();
                prop_assert_eq!(batch.len(), plan.items.len());
                for index in batch.into_iter().rev() {
                    sent.push((plan.items[index].repo.clone(), plan.items[index].run));
                    let error = answers.next().cloned().unwrap_or(Answer::Took).error();
                    run.record_at(index, error.as_ref().map_or(Ok(()), Err));
                }
                prop_assert!(run.next_batch().is_empty());
            }
            while let Some(item) = run.next_item() {
                prop_assert!(!stopped, "nothing is sent after a stop");
                let key = (item.repo.clone(), item.run);
                prop_assert!(!sent.contains(&key));
                sent.push(key);
                let answer = answers.next().cloned().unwrap_or(Answer::Took);
                stopped = matches!(answer, Answer::Forbidden | Answer::Network);
                let error = answer.error();
                run.record(error.as_ref().map_or(Ok(()), Err));
            }
            prop_assert!(run.is_done());
            prop_assert!(!run.outcomes().contains(&Outcome::Waiting));
            let counted: usize = run
                .summary()
                .split(" · ")
                .map(|part| part.split(' ').next().unwrap().parse::<usize>().unwrap())
                .sum();
            prop_assert_eq!(counted, plan.items.len());
            let not_sent = run.outcomes().iter().filter(|o| matches!(o, Outcome::NotSent(_))).count();
            prop_assert_eq!(sent.len() + not_sent, plan.items.len());
        }
    }
}
