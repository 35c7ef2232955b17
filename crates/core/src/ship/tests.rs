use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::github::model::{DeploymentState, Integration, Payload};
use crate::github::rules::tests::{deployment, status};

const A: &str = "1111111111111111111111111111111111111111";
const B: &str = "2222222222222222222222222222222222222222";
const WEB: &str = "https://github.com";

fn repo() -> RepoRef {
    RepoRef {
        owner: "acme".into(),
        name: "web".into(),
    }
}

fn commit(sha: &str, message: &str, login: Option<&str>, link: &str) -> serde_json::Value {
    json!({
        "sha": sha, "node_id": "C_1", "html_url": link, "url": "https://api.github.com/x", "comments_url": "x",
        "commit": {"message": message, "author": {"name": "Mona Lisa", "email": "m@example.com", "date": "2026-11-30T10:00:00Z"},
                   "committer": null, "comment_count": 0, "tree": {"sha": A, "url": "x"}, "url": "x"},
        "author": login.map(|l| json!({"login": l})).unwrap_or(json!({})),
        "committer": null, "parents": []
    })
}

fn comparison(
    status: &str,
    ahead: u64,
    behind: u64,
    commits: Vec<serde_json::Value>,
) -> Result<Comparison, String> {
    let body = json!({"url": "x", "html_url": "x", "permalink_url": "x", "diff_url": "x", "patch_url": "x",
        "base_commit": commit(A, "base", None, "x"), "merge_base_commit": commit(A, "base", None, "x"),
        "status": status, "ahead_by": ahead, "behind_by": behind, "total_commits": ahead, "commits": commits,
        "files": [{"filename": "a"}, {"filename": "b"}]});
    serde_json::from_value(body).map_err(|e| e.to_string())
}

#[test]
fn a_comparison_reads_into_lines_with_the_author_s_login_or_name() {
    let c = comparison(
        "ahead",
        2,
        0,
        vec![
            commit(
                A,
                "Fix the totals\n\nLong body",
                Some("octocat"),
                "https://github.com/acme/web/commit/1111",
            ),
            commit(B, "", None, "https://github.com/acme/web/commit/2222"),
        ],
    )
    .unwrap();
    assert_eq!(c.relation, Relation::Newer);
    assert_eq!((c.ahead_by, c.behind_by, c.files), (2, 0, 2));
    assert_eq!(c.commits[0].headline, "Fix the totals");
    assert_eq!(c.commits[0].author, "octocat");
    assert_eq!(c.commits[0].short_sha(), "1111111");
    assert_eq!(
        c.commits[0].at,
        Some(Timestamp::parse("2026-11-30T10:00:00Z").unwrap())
    );
    assert_eq!(c.commits[1].headline, "(no message)");
    assert_eq!(
        c.commits[1].author, "Mona Lisa",
        "no GitHub user: the commit's author name"
    );
}

#[test]
fn hostile_commits_are_checked_clipped_and_capped() {
    let long = "x".repeat(5000);
    let c = comparison(
        "diverged",
        u64::MAX,
        7,
        vec![
            commit("not-a-sha", "dropped", None, "https://github.com/x"),
            commit(
                A,
                &format!("prod\u{202E}uction {long}"),
                Some(&long),
                "javascript:alert(1)",
            ),
        ],
    )
    .unwrap();
    assert_eq!(c.commits.len(), 1, "a SHA that is not one is left out");
    let line = &c.commits[0];
    assert_eq!(line.link, None, "only http(s) links");
    assert!(line.headline.contains("⟨U+202E⟩"), "{}", line.headline);
    assert!(
        line.headline.chars().count() <= 201 + 10,
        "clipped: {}",
        line.headline.len()
    );
    assert!(line.author.chars().count() <= 61);
    assert_eq!(c.ahead_by, 1_000_000, "a count from the host is capped");
    assert!(comparison("sideways", 0, 0, vec![])
        .unwrap_err()
        .contains("unknown compare status"));
}

#[test]
fn each_relation_is_said_in_words() {
    let c = |relation, ahead_by, behind_by| Comparison {
        relation,
        ahead_by,
        behind_by,
        commits: vec![],
        files: 0,
    };
    assert_eq!(
        sentence(&c(Relation::Newer, 12, 0), "production"),
        "12 commits newer than what runs in production: they arrive."
    );
    assert_eq!(
        sentence(&c(Relation::Older, 0, 3), "production"),
        "This is 3 commits older than what runs in production: a rollback — those 3 commits leave."
    );
    assert_eq!(
        sentence(&c(Relation::Newer, 1, 0), "staging"),
        "1 commit newer than what runs in staging: they arrive."
    );
    assert!(sentence(&c(Relation::Identical, 0, 0), "qa").contains("changes nothing"));
    let diverged = sentence(&c(Relation::Diverged, 2, 5), "production");
    assert!(
        diverged.contains("2 commits here are not in production")
            && diverged.contains("5 commits in production")
    );
    assert!(lists_leaving(Relation::Older) && !lists_leaving(Relation::Newer));
}

#[test]
fn a_missing_commit_is_said_in_words() {
    let gone = ApiError::Validation {
        message: "No commit found for SHA: x".into(),
        issues: vec![],
    };
    assert!(compare_failure(&gone).unwrap().contains("no longer exists"));
    assert!(compare_failure(&ApiError::NotFound {
        message: "Not Found".into()
    })
    .is_some());
    assert_eq!(compare_failure(&ApiError::TimedOut { seconds: 30 }), None);
}

#[test]
fn the_compare_request_takes_only_shas() {
    let client = Client::new(ApiBase::github_com(), None);
    let req = client.compare(&repo(), A, B, 2).unwrap();
    assert_eq!(
        req.url,
        format!("https://api.github.com/repos/acme/web/compare/{A}...{B}?per_page=100&page=2")
    );
    assert!(client.compare(&repo(), "main", B, 1).is_err());
    assert!(client.compare(&repo(), A, "../../user", 1).is_err());
    assert_eq!(
        client.get_commit(&repo(), "feature/x").unwrap().url,
        "https://api.github.com/repos/acme/web/commits/feature/x"
    );
    assert!(client.get_commit(&repo(), "../x").is_err());
    let sha: CommitSha =
        serde_json::from_value(json!({"sha": A.to_uppercase(), "commit": {}})).unwrap();
    assert_eq!(sha.0, A);
    assert!(serde_json::from_value::<CommitSha>(json!({"sha": "<b>"})).is_err());
    assert_eq!(
        client.rerun(&repo(), 42).url,
        "https://api.github.com/repos/acme/web/actions/runs/42/rerun"
    );
}

#[test]
fn a_run_is_read_from_a_status_link_on_this_host_and_repository_only() {
    let r = repo();
    assert_eq!(
        run_in_link("https://github.com/acme/web/actions/runs/123", WEB, &r),
        Some(123)
    );
    assert_eq!(
        run_in_link(
            "https://github.com/ACME/Web/actions/runs/123/job/456",
            WEB,
            &r
        ),
        Some(123)
    );
    assert_eq!(
        run_in_link(
            "https://github.com/acme/web/actions/runs/123/attempts/2",
            WEB,
            &r
        ),
        Some(123)
    );
    for refused in [
        "https://evil.example/acme/web/actions/runs/123",
        "https://github.com/other/web/actions/runs/123",
        "https://github.com/acme/web/actions/runs/12a",
        "https://github.com/acme/web/actions/runs/0",
        "https://github.com/acme/web/actions/runs/123/job/4/x",
        "https://github.com/acme/web/actions/runs/99999999999999999999",
        "https://github.com/acme/web/pull/123",
        "javascript:alert(1)",
        "",
    ] {
        assert_eq!(run_in_link(refused, WEB, &r), None, "{refused}");
    }
    let ghes = ApiBase::enterprise("https://ghe.example.com").unwrap();
    assert_eq!(web_origin(&ghes), "https://ghe.example.com");
    assert_eq!(web_origin(&ApiBase::github_com()), "https://github.com");
}

fn actions_app() -> Integration {
    serde_json::from_value(json!({
        "id": 15368, "slug": "github-actions", "node_id": "x", "owner": {"login": "github"}, "name": "GitHub Actions",
        "description": null, "external_url": "https://help.github.com/en/actions", "html_url": "https://github.com/apps/github-actions",
        "created_at": "2019-08-13T15:36:20Z", "updated_at": "2019-08-13T15:36:20Z", "permissions": {}, "events": []
    }))
    .unwrap()
}

#[test]
fn an_actions_deployment_is_re_run_and_any_other_made_again() {
    let mut d = deployment(7, "production");
    d.payload = Payload::Text("{\"region\":\"eu\"}".into());
    d.transient_environment = true;
    let mut s = status(70, &d, DeploymentState::Success);
    s.log_url = "https://github.com/acme/web/actions/runs/555/job/9".into();
    match redo(&d, std::slice::from_ref(&s), WEB, &repo()) {
        Redo::Recreate(new) => {
            assert_eq!(
                new.git_ref, d.sha,
                "the SHA, not the branch that may have moved"
            );
            assert_eq!(new.auto_merge, Some(false));
            assert_eq!(new.required_contexts, RequiredContexts::AllChecks);
            assert_eq!(new.environment.as_deref(), Some("production"));
            assert_eq!(new.task.as_deref(), Some("deploy"));
            assert_eq!(new.payload, Some(d.payload.clone()));
            assert_eq!(
                (new.transient_environment, new.production_environment),
                (Some(true), Some(true))
            );
        }
        other => panic!("not made by Actions, yet {other:?}"),
    }
    d.performed_via_github_app = Some(Box::new(actions_app()));
    assert_eq!(
        redo(&d, std::slice::from_ref(&s), WEB, &repo()),
        Redo::Rerun { run_id: 555 }
    );
    s.log_url = "https://elsewhere.example/acme/web/actions/runs/555".into();
    assert!(
        matches!(redo(&d, &[s], WEB, &repo()), Redo::Recreate(_)),
        "a link elsewhere is no run of ours"
    );
    assert_eq!(
        recreate(&d, RequiredContexts::SkipChecks).required_contexts,
        RequiredContexts::SkipChecks
    );
}

#[test]
fn a_run_over_thirty_days_old_or_still_going_is_not_re_run() {
    let now = Timestamp::parse("2026-12-06T12:00:00Z").unwrap();
    let run = |days: i64, conclusion: Option<&str>| RunAge {
        id: 1,
        created_at: now.plus_seconds(-days * 86_400 - 60),
        conclusion: conclusion.map(str::to_owned),
        html_url: String::new(),
    };
    assert_eq!(rerun_refusal(&run(29, Some("success")), now), None);
    let old = rerun_refusal(&run(31, Some("success")), now).unwrap();
    assert!(
        old.contains("31 days ago") && old.contains("within 30 days"),
        "{old}"
    );
    assert!(
        rerun_refusal(&run(30, Some("success")), now).is_some(),
        "30 days and a minute is past the window"
    );
    assert!(rerun_refusal(&run(1, None), now)
        .unwrap()
        .contains("still going"));
    let refused = ApiError::Forbidden {
        message: "no".into(),
        needed: Default::default(),
    };
    assert!(rerun_failure(&refused, Some(&run(40, Some("success"))), now).contains("40 days ago"));
    assert!(rerun_failure(&refused, None, now).contains("Actions: write"));
}

proptest! {
    /// Any text: no panic, and what is accepted names a run of this repository on this host.
    #[test]
    fn run_links_never_panic(link in ".{0,120}") {
        if let Some(id) = run_in_link(&link, WEB, &repo()) {
            prop_assert!(id > 0);
            let lower = link.to_ascii_lowercase();
            prop_assert!(lower.starts_with("https://github.com/acme/web/actions/runs/"), "{}", link);
        }
    }

    /// Every run's own link reads back as that run.
    #[test]
    fn a_run_s_link_round_trips(id in 1u64..u64::MAX, job in proptest::option::of(0u64..1_000_000)) {
        let link = match job {
            Some(job) => format!("https://github.com/acme/web/actions/runs/{id}/job/{job}"),
            None => format!("https://github.com/acme/web/actions/runs/{id}"),
        };
        prop_assert_eq!(run_in_link(&link, WEB, &repo()), Some(id));
    }

    /// Any counts and status: the sentence is bounded and names the environment.
    #[test]
    fn sentences_are_bounded(ahead in any::<u64>(), behind in any::<u64>(), env in ".{0,300}") {
        for status in ["ahead", "behind", "identical", "diverged"] {
            let c = comparison(status, ahead, behind, vec![]).unwrap();
            let s = sentence(&c, &env);
            prop_assert!(s.chars().count() < 600);
        }
    }
}

#[test]
fn production_asks_for_its_name_typed_out() {
    let mut d = deployment(1, "production");
    assert!(needs_typed_name(&d));
    d.environment = "prod-eu".into();
    d.production_environment = false;
    assert!(needs_typed_name(&d), "a production-like name");
    d.environment = "staging".into();
    assert!(!needs_typed_name(&d));
    assert!(typed_name_matches(" production ", "production"));
    assert!(!typed_name_matches("Production", "production"));
    assert!(!typed_name_matches("", "production"));
}

#[test]
fn the_deployment_a_re_run_made_is_newer_of_the_same_commit_and_environment() {
    let d = deployment(7, "production");
    let mut newer = deployment(9, "Production");
    assert!(made_by_rerun(&d, &newer));
    assert!(!made_by_rerun(&newer, &d), "older");
    newer.sha = B.into();
    assert!(!made_by_rerun(&d, &newer), "another commit");
    assert!(
        !made_by_rerun(&d, &deployment(9, "staging")),
        "another environment"
    );
}
