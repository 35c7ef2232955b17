use proptest::prelude::*;
use serde_json::json;

use super::*;

/// 2026-11-01T00:00:00Z, the period's first day.
const T0: i64 = 1_793_491_200;
const H: i64 = 3600;

fn at(day: i64, hour: i64, minute: i64) -> Timestamp {
    Timestamp::from_unix(T0 + day * DAY_S + hour * H + minute * 60)
}

fn sample(
    id: u64,
    environment: &str,
    sha: &str,
    created: Timestamp,
    marks: &[(DeploymentState, Timestamp)],
) -> Sample {
    Sample {
        id: DeploymentId(id),
        environment: environment.into(),
        sha: sha.into(),
        created_at: created,
        statuses: marks
            .iter()
            .map(|&(state, at)| Mark { state, at })
            .collect(),
    }
}

fn commits(list: &[(&str, Timestamp)]) -> Option<Vec<ShippedCommit>> {
    Some(
        list.iter()
            .map(|&(sha, at)| ShippedCommit {
                sha: sha.into(),
                at,
            })
            .collect(),
    )
}

fn period() -> Period {
    Period {
        from: at(0, 0, 0),
        to: at(7, 0, 0),
    }
}

use DeploymentState::{Error, Failure, InProgress, Inactive, Success};

/// The worked example (production, 2026-11-01 to 11-07, 7 days):
///
/// | id | created | sha | statuses | outcome |
/// |---|---|---|---|---|
/// | 10 | day −2 10:00 | A | success 10:05 | before the period: context only |
/// | 1 | day 0 10:00 | A | success 10:05 | success (a redeploy of A: no commits) |
/// | 2 | day 1 10:00 | B | success 10:10, inactive day 2 12:30 | success; brings b1 (day 0 12:00), b2 (day 1 09:00) |
/// | 3 | day 2 10:00 | C | in_progress 10:01, failure 10:20 | failure: an outage starts |
/// | 4 | day 2 11:00 | D | error 11:05 | error: the same outage |
/// | 5 | day 2 12:00 | E | success 12:30, inactive 15:05 | success: restores (2 h 10 min = 7,800 s); brings c (08:00), d (10:50), e (11:50) |
/// | 6 | day 2 15:00 | B | success 15:05 | success: B is behind E (compare brought nothing) within a day: rolls 5 back |
/// | 7 | day 3 10:00 | E | success 10:01 (environment "production") | success: E again, ahead of B: its commits arrived already |
/// | 8 | day 4 10:00 | F | failure 10:30 | failure: not restored in the period |
/// | 11 | day 5 09:00 | H | none (environment "Production") | unfinished |
/// | 9 | day 8 10:00 | G | success | after the period: ignored |
///
/// Figures: 9 deployments, 5 succeeded, 3 failed, 1 unfinished; 5/7 = 0.71 a day; failure rate 3/8 = 37.5 %;
/// rolled back: 5; restores: 3 → 5 in 7,800 s, 8 open; lead times (s): b1 79,800 (day 1 10:10 − day 0 12:00),
/// b2 4,200, c 16,200, d 6,000, e 2,400 → sorted 2,400 4,200 6,000 16,200 79,800: median (rank 3) 6,000, p90
/// (rank 5) 79,800.
fn worked() -> (Vec<Sample>, Shipped) {
    let p = "production";
    let samples = vec![
        sample(10, p, "A", at(-2, 10, 0), &[(Success, at(-2, 10, 5))]),
        sample(1, p, "A", at(0, 10, 0), &[(Success, at(0, 10, 5))]),
        sample(
            2,
            p,
            "B",
            at(1, 10, 0),
            &[(Inactive, at(2, 12, 30)), (Success, at(1, 10, 10))],
        ),
        sample(
            3,
            p,
            "C",
            at(2, 10, 0),
            &[(InProgress, at(2, 10, 1)), (Failure, at(2, 10, 20))],
        ),
        sample(4, p, "D", at(2, 11, 0), &[(Error, at(2, 11, 5))]),
        sample(
            5,
            p,
            "E",
            at(2, 12, 0),
            &[(Success, at(2, 12, 30)), (Inactive, at(2, 15, 5))],
        ),
        sample(6, p, "B", at(2, 15, 0), &[(Success, at(2, 15, 5))]),
        sample(7, p, "E", at(3, 10, 0), &[(Success, at(3, 10, 1))]),
        sample(8, p, "F", at(4, 10, 0), &[(Failure, at(4, 10, 30))]),
        sample(11, "Production", "H", at(5, 9, 0), &[]),
        sample(9, p, "G", at(8, 10, 0), &[(Success, at(8, 10, 5))]),
    ];
    let mut shipped = Shipped::new();
    shipped.insert(
        ("A".into(), "B".into()),
        commits(&[("b1", at(0, 12, 0)), ("b2", at(1, 9, 0))]),
    );
    let ce = commits(&[
        ("c", at(2, 8, 0)),
        ("d", at(2, 10, 50)),
        ("e", at(2, 11, 50)),
    ]);
    shipped.insert(("B".into(), "E".into()), ce);
    shipped.insert(("E".into(), "B".into()), Some(vec![]));
    (samples, shipped)
}

#[test]
fn the_worked_example_gives_the_figures_worked_out_by_hand() {
    let (samples, shipped) = worked();
    let all = measure(&samples, &period(), &shipped);
    assert_eq!(
        all.len(),
        1,
        "one environment, whatever the case of its name"
    );
    let m = &all[0];
    assert_eq!(
        m.environment, "Production",
        "as the newest deployment spells it"
    );
    assert!(m.production_like);
    assert_eq!(
        (m.deployments, m.succeeded, m.failed, m.unfinished),
        (9, 5, 3, 1)
    );
    assert_eq!(m.per_day_hundredths(&period()), 71);
    assert_eq!(m.failure_permille(), Some(375));
    assert_eq!(percent(m.failure_permille().unwrap()), "37.5 %");
    assert_eq!(m.rolled_back, vec![DeploymentId(5)]);
    assert_eq!(m.rollback_permille(), Some(200));
    assert_eq!(
        m.restores,
        vec![
            Restore {
                failed: DeploymentId(3),
                failed_at: at(2, 10, 20),
                failures: 2,
                restored_by: Some(DeploymentId(5)),
                seconds: Some(7800)
            },
            Restore {
                failed: DeploymentId(8),
                failed_at: at(4, 10, 30),
                failures: 1,
                restored_by: None,
                seconds: None
            },
        ]
    );
    assert_eq!(
        m.restore,
        Some(Spread {
            count: 1,
            median_s: 7800,
            p90_s: 7800
        })
    );
    assert_eq!(m.open_failures(), 1);
    let mut lead = m.lead_times.clone();
    lead.sort_unstable();
    assert_eq!(lead, vec![2400, 4200, 6000, 16200, 79800]);
    assert_eq!(
        m.lead,
        Some(Spread {
            count: 5,
            median_s: 6000,
            p90_s: 79800
        })
    );
    assert_eq!(m.lead_unknown, 0);
    let per_day: Vec<(usize, usize, usize)> = m
        .days
        .iter()
        .map(|d| (d.succeeded, d.failed, d.unfinished))
        .collect();
    assert_eq!(
        per_day,
        vec![
            (1, 0, 0),
            (1, 0, 0),
            (2, 2, 0),
            (1, 0, 0),
            (0, 1, 0),
            (0, 0, 1),
            (0, 0, 0)
        ]
    );
    assert_eq!(m.days[0].day * DAY_S, T0);
}

#[test]
fn lead_reads_ask_each_new_pair_once_and_skip_redeploys() {
    let (samples, _) = worked();
    let reads = lead_reads(&samples, &period());
    let pairs: Vec<(&str, &str)> = reads
        .iter()
        .map(|r| (r.base.as_str(), r.head.as_str()))
        .collect();
    assert_eq!(pairs, vec![("A", "B"), ("B", "E"), ("E", "B")]);
}

#[test]
fn unread_comparisons_leave_lead_time_unknown_and_rollbacks_judged_by_what_ran_before() {
    let (samples, _) = worked();
    let m = &measure(&samples, &period(), &Shipped::new())[0];
    assert_eq!(m.lead, None);
    // 2 (A→B), 5 (B→E), 6 (E→B), 7 (B→E): four successes whose commits are not known.
    assert_eq!(m.lead_unknown, 4);
    // Without comparisons, 6 (B ran before) rolls back 5, and 7 (E ran before) is taken as rolling back 6.
    assert_eq!(m.rolled_back, vec![DeploymentId(5), DeploymentId(6)]);
    // A failed comparison counts as unknown too.
    let mut failed = Shipped::new();
    failed.insert(("A".into(), "B".into()), None);
    assert_eq!(measure(&samples, &period(), &failed)[0].lead_unknown, 4);
}

#[test]
fn the_first_success_of_an_environment_has_no_commits_to_compare() {
    let s = vec![sample(
        1,
        "staging",
        "A",
        at(0, 1, 0),
        &[(Success, at(0, 1, 1))],
    )];
    let m = &measure(&s, &period(), &Shipped::new())[0];
    assert_eq!((m.succeeded, m.lead_unknown), (1, 1));
    assert!(lead_reads(&s, &period()).is_empty());
}

#[test]
fn a_status_after_inactive_still_decides_the_outcome() {
    let s = sample(
        1,
        "production",
        "A",
        at(0, 1, 0),
        &[
            (Success, at(0, 1, 1)),
            (Inactive, at(0, 2, 0)),
            (Failure, at(0, 3, 0)),
        ],
    );
    assert_eq!(s.outcome(), Outcome::Failed(at(0, 3, 0)));
    let only_inactive = sample(
        2,
        "production",
        "A",
        at(0, 1, 0),
        &[(Inactive, at(0, 2, 0))],
    );
    assert_eq!(only_inactive.outcome(), Outcome::Unfinished);
    // Equal times: the later in the list (GitHub's ids grow) wins.
    let tie = sample(
        3,
        "production",
        "A",
        at(0, 1, 0),
        &[(Failure, at(0, 2, 0)), (Success, at(0, 2, 0))],
    );
    assert_eq!(tie.outcome(), Outcome::Succeeded(at(0, 2, 0)));
}

#[test]
fn clocks_out_of_order_make_no_negative_duration() {
    // The success is stamped before the failure it restores, and a commit after the deployment that ships it.
    let s = vec![
        sample(1, "production", "A", at(0, 1, 0), &[(Success, at(0, 1, 0))]),
        sample(2, "production", "B", at(0, 2, 0), &[(Failure, at(0, 5, 0))]),
        sample(3, "production", "C", at(0, 3, 0), &[(Success, at(0, 4, 0))]),
    ];
    let mut shipped = Shipped::new();
    shipped.insert(("A".into(), "C".into()), commits(&[("c", at(0, 9, 0))]));
    let m = &measure(&s, &period(), &shipped)[0];
    assert_eq!(m.restores[0].seconds, Some(0));
    assert_eq!(m.lead_times, vec![0]);
}

#[test]
fn a_period_with_no_deployment_measures_nothing() {
    let (samples, shipped) = worked();
    let later = Period {
        from: at(20, 0, 0),
        to: at(27, 0, 0),
    };
    assert!(measure(&samples, &later, &shipped).is_empty());
    assert!(measure(&[], &period(), &shipped).is_empty());
    assert_eq!(
        export_csv(&[], &later).lines().count(),
        1,
        "the header alone"
    );
}

#[test]
fn environments_sort_production_like_first_and_transient_ones_stay_apart() {
    let s = vec![
        sample(1, "pr-12", "A", at(0, 1, 0), &[(Success, at(0, 1, 1))]),
        sample(2, "staging", "A", at(0, 1, 0), &[(Success, at(0, 1, 1))]),
        sample(3, "prod-eu", "A", at(0, 1, 0), &[(Success, at(0, 1, 1))]),
    ];
    let names: Vec<String> = measure(&s, &period(), &Shipped::new())
        .into_iter()
        .map(|m| m.environment)
        .collect();
    assert_eq!(names, vec!["prod-eu", "staging", "pr-12"]);
}

#[test]
fn periods_are_whole_utc_days_and_capped() {
    let p = Period::last_days(at(6, 13, 0), 7);
    assert_eq!(p, period());
    assert_eq!(p.day_count(), 7);
    assert_eq!(Period::days(at(6, 1, 0), at(0, 23, 0)), period());
    let long = Period::days(at(-1000, 0, 0), at(6, 0, 0));
    assert_eq!(long.day_count(), MAX_DAYS);
    assert_eq!(Period::last_days(at(0, 0, 0), 0).day_count(), 1);
}

#[test]
fn bands_follow_the_2024_clusters_and_the_fail_rate_is_said_against_each() {
    assert_eq!(Band::frequency(7, 7), Some(Band::Elite));
    assert_eq!(Band::frequency(1, 7), Some(Band::High));
    assert_eq!(Band::frequency(1, 30), Some(Band::Medium));
    assert_eq!(Band::frequency(1, 90), Some(Band::Low));
    assert_eq!(Band::frequency(1, 366), Some(Band::BelowLow));
    assert_eq!(Band::frequency(0, 7), None);
    assert_eq!(Band::lead(3600), Band::Elite);
    assert_eq!(Band::lead(2 * DAY_S), Band::High);
    assert_eq!(Band::lead(10 * DAY_S), Band::Medium);
    assert_eq!(Band::lead(60 * DAY_S), Band::Low);
    assert_eq!(Band::recovery(59 * 60), Band::Elite);
    assert_eq!(Band::recovery(5 * H), Band::High);
    assert_eq!(Band::recovery(3 * DAY_S), Band::Low);
    assert_eq!(
        failure_against_clusters(50),
        "at or under the elite cluster's 5 %"
    );
    assert_eq!(
        failure_against_clusters(120),
        "at or under the high cluster's 20 %"
    );
    assert!(failure_against_clusters(401).starts_with("above"));
}

fn page(nodes: Vec<serde_json::Value>, next: bool, cursor: &str) -> serde_json::Value {
    json!({"repository": {"deployments": {"totalCount": 12345, "pageInfo": {"hasNextPage": next, "endCursor": cursor}, "nodes": nodes}}})
}

fn node(id: u64, environment: &str, created: &str) -> serde_json::Value {
    json!({"databaseId": id, "environment": environment, "commitOid": "a".repeat(40), "createdAt": created,
           "latestStatus": {"state": "SUCCESS", "createdAt": "2026-11-02T10:05:00Z"},
           "statuses": {"nodes": [{"state": "PENDING", "createdAt": "2026-11-02T10:00:00Z"}, {"state": "SUCCESS", "createdAt": "2026-11-02T10:05:00Z"}]}})
}

#[test]
fn a_page_reads_its_samples_and_stops_at_the_period_or_a_cursor_that_does_not_move() {
    let since = at(0, 0, 0);
    let data = page(
        vec![
            node(2, "production", "2026-11-02T10:00:00Z"),
            json!(null),
            node(1, "production", "2026-10-20T10:00:00Z"),
        ],
        true,
        "c2",
    );
    let read = read_page(data, since, Some("c1")).unwrap();
    assert_eq!(
        read.samples.len(),
        1,
        "the one before the period is left out"
    );
    assert_eq!(
        read.next, None,
        "the list reached before the period: no further page"
    );
    assert_eq!(
        read.samples[0].statuses.len(),
        2,
        "the latest status is not counted twice"
    );
    assert_eq!(
        read.samples[0].outcome(),
        Outcome::Succeeded(Timestamp::parse("2026-11-02T10:05:00Z").unwrap())
    );
    let data = page(
        vec![node(2, "production", "2026-11-02T10:00:00Z")],
        true,
        "c2",
    );
    assert_eq!(
        read_page(data.clone(), since, Some("c1"))
            .unwrap()
            .next
            .as_deref(),
        Some("c2")
    );
    assert_eq!(
        read_page(data, since, Some("c2")).unwrap().next,
        None,
        "a cursor that does not move ends the read"
    );
    let hostile = page(
        vec![node(3, &"x".repeat(1000), "2026-11-02T10:00:00Z")],
        false,
        "c",
    );
    assert_eq!(
        read_page(hostile, since, None).unwrap().samples[0]
            .environment
            .chars()
            .count(),
        255
    );
    assert_eq!(read.names, None, "later pages name no environments");
    // The first page names the repository's environments too, each clipped to 255 characters.
    let mut first = page(
        vec![node(5, "production", "2026-11-02T10:00:00Z")],
        false,
        "c",
    );
    first["repository"]["environments"] =
        json!({"nodes": [{"name": "production"}, null, {"name": "y".repeat(300)}]});
    let names = read_page(first, since, None).unwrap().names.unwrap();
    assert_eq!(names.len(), 2);
    assert_eq!(names[0], "production");
    assert_eq!(names[1].chars().count(), 255);
    assert!(read_page(json!({"repository": null}), since, None).is_err());
    let unknown_state = page(
        vec![
            json!({"databaseId": 4, "environment": "p", "commitOid": "a", "createdAt": "2026-11-02T10:00:00Z", "statuses": {"nodes": [{"state": "EXPLODED", "createdAt": "2026-11-02T10:00:00Z"}]}}),
        ],
        false,
        "c",
    );
    assert!(read_page(unknown_state, since, None).is_err());
}

#[test]
fn the_document_asks_one_point_a_page() {
    let client = Client::new(crate::api::request::ApiBase::github_com(), None);
    let request = client.insights_page(
        &RepoRef {
            owner: "acme".into(),
            name: "web".into(),
        },
        None,
        Some("abc"),
    );
    let body: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body["variables"],
        json!({"owner": "acme", "name": "web", "after": "abc"})
    );
    assert!(body["query"]
        .as_str()
        .unwrap()
        .contains("deployments(first: 100"));
    assert!(body["query"]
        .as_str()
        .unwrap()
        .contains("statuses(first: 100)"));
}

#[test]
fn exports_say_what_the_page_shows_and_keep_hostile_names_data() {
    let (mut samples, shipped) = worked();
    for s in &mut samples {
        s.environment = "=HYPERLINK(\"x\")".into();
    }
    let m = measure(&samples, &period(), &shipped);
    let csv = export_csv(&m, &period());
    let rows = crate::text::read_csv(&csv, ',');
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "'=HYPERLINK(\"x\")");
    let named = |col: &str| rows[1][rows[0].iter().position(|h| h == col).unwrap()].clone();
    assert_eq!(named("successes_per_day"), "0.71");
    assert_eq!(named("change_failure_rate_percent"), "37.5");
    assert_eq!(named("restore_median_s"), "7800");
    assert_eq!(named("lead_p90_s"), "79800");
    assert_eq!(named("not_restored"), "1");
    let json: serde_json::Value = serde_json::from_str(&export_json(&m, &period())).unwrap();
    assert_eq!(json["environments"][0]["succeeded"], 5);
    assert_eq!(json["environments"][0]["environment"], "=HYPERLINK(\"x\")");
    assert_eq!(json["period"]["from"], "2026-11-01T00:00:00Z");
}

fn arb_samples() -> impl Strategy<Value = Vec<Sample>> {
    let state = prop_oneof![
        Just(Success),
        Just(Failure),
        Just(Error),
        Just(Inactive),
        Just(InProgress)
    ];
    let one = (
        1u64..10_000,
        prop_oneof![Just("production"), Just("Production"), Just("staging")],
        prop_oneof![Just("A"), Just("B"), Just("C"), Just("D")],
        -3 * DAY_S..10 * DAY_S,
        prop::collection::vec((state, -DAY_S..DAY_S), 0..4),
    )
        .prop_map(|(id, env, sha, created, marks)| {
            let created = Timestamp::from_unix(T0 + created);
            let marks: Vec<(DeploymentState, Timestamp)> = marks
                .into_iter()
                .map(|(s, d)| (s, created.plus_seconds(d)))
                .collect();
            sample(id, env, sha, created, &marks)
        });
    // GitHub's ids are unique: each sample's is made so from its place.
    prop::collection::vec(one, 0..40).prop_map(|mut samples| {
        for (n, s) in samples.iter_mut().enumerate() {
            s.id = DeploymentId(s.id.0 * 100 + n as u64);
        }
        samples
    })
}

fn arb_shipped(samples: &[Sample]) -> Shipped {
    lead_reads(samples, &period())
        .into_iter()
        .enumerate()
        .map(|(n, r)| {
            let list = (0..n % 3)
                .map(|k| ShippedCommit {
                    sha: format!("{}{k}", r.head),
                    at: at(0, k as i64, 0),
                })
                .collect();
            ((r.base, r.head), Some(list))
        })
        .collect()
}

proptest! {
    #[test]
    fn a_later_deployment_never_changes_an_earlier_period(samples in arb_samples(), late in arb_samples()) {
        let shipped = arb_shipped(&samples);
        let before = measure(&samples, &period(), &shipped);
        let mut more = samples.clone();
        more.extend(late.into_iter().filter(|s| s.created_at >= period().to).map(|mut s| {
            s.id = DeploymentId(s.id.0 + 10_000_000);
            s
        }));
        prop_assert_eq!(before, measure(&more, &period(), &shipped));
    }

    #[test]
    fn counts_add_up_and_frequency_sums_to_the_count(samples in arb_samples()) {
        for m in measure(&samples, &period(), &arb_shipped(&samples)) {
            prop_assert_eq!(m.deployments, m.succeeded + m.failed + m.unfinished);
            prop_assert_eq!(m.days.iter().map(|d| d.succeeded).sum::<usize>(), m.succeeded);
            prop_assert_eq!(m.days.iter().map(|d| d.succeeded + d.failed + d.unfinished).sum::<usize>(), m.deployments);
            prop_assert_eq!(m.days.len() as i64, period().day_count());
            prop_assert!(m.failure_permille().is_none_or(|p| (0..=1000).contains(&p)));
            prop_assert!(m.rolled_back.len() <= m.succeeded);
            prop_assert!(m.lead_times.iter().all(|&s| s >= 0));
        }
    }

    #[test]
    fn a_failure_without_a_later_success_has_no_restore_time(samples in arb_samples()) {
        let p = period();
        for m in measure(&samples, &p, &Shipped::new()) {
            let env = m.environment.to_lowercase();
            let mut list: Vec<&Sample> = samples.iter().filter(|s| s.environment.to_lowercase() == env && s.created_at < p.to).collect();
            list.sort_by_key(|s| (s.created_at, s.id));
            for r in &m.restores {
                let pos = list.iter().position(|s| s.id == r.failed).unwrap();
                let later_success = list[pos + 1..].iter().find(|s| matches!(s.outcome(), Outcome::Succeeded(_)));
                prop_assert_eq!(r.restored_by, later_success.map(|s| s.id));
                prop_assert_eq!(r.seconds.is_some(), later_success.is_some());
                prop_assert!(r.seconds.is_none_or(|s| s >= 0));
            }
            prop_assert_eq!(m.restore.map_or(0, |s| s.count), m.restores.len() - m.open_failures());
        }
    }
}

#[test]
fn a_comparison_gives_each_commit_its_committer_date() {
    let commit = |sha: char, author: &str, committer: serde_json::Value| {
        json!({
            "sha": sha.to_string().repeat(40), "html_url": "https://github.com/acme/web/commit/x",
            "commit": {"message": "m", "author": {"name": "Mona", "date": author}, "committer": committer},
            "author": null
        })
    };
    let body = json!({"status": "ahead", "ahead_by": 3, "behind_by": 0, "commits": [
        commit('a', "2026-11-01T10:00:00Z", json!({"name": "GitHub", "date": "2026-11-02T10:00:00Z"})),
        commit('b', "2026-11-01T11:00:00Z", json!(null)),
        json!({"sha": "c".repeat(40), "commit": {"message": "m"}}),
    ]});
    let comparison: Comparison = serde_json::from_value(body).unwrap();
    let shipped = shipped_commits(&comparison);
    assert_eq!(
        shipped,
        vec![
            ShippedCommit {
                sha: "a".repeat(40),
                at: Timestamp::parse("2026-11-02T10:00:00Z").unwrap()
            },
            ShippedCommit {
                sha: "b".repeat(40),
                at: Timestamp::parse("2026-11-01T11:00:00Z").unwrap()
            },
        ],
        "the committer's date, else the author's; a commit with neither is left out"
    );
    assert!(more_commits(250, 100, 1));
    assert!(!more_commits(250, 250, 3));
    assert!(!more_commits(5_000, 1_000, COMPARE_PAGES), "a bounded read");
}

#[test]
fn the_span_travels_in_the_address() {
    assert_eq!(Span::from_query(""), Span::Days(30));
    assert_eq!(Span::from_query("days=7"), Span::Days(7));
    assert_eq!(
        Span::from_query("days=8"),
        Span::Days(30),
        "only the offered choices"
    );
    let range = Span::from_query("from=2026-11-01&to=2026-11-07");
    assert_eq!(range, Span::Range(at(0, 0, 0), at(6, 0, 0)));
    assert_eq!(range.to_query(), "from=2026-11-01&to=2026-11-07");
    assert_eq!(range.period(at(40, 0, 0)), period());
    assert_eq!(
        Span::from_query("from=2026-13-01&to=x&days=90"),
        Span::Days(90),
        "a broken range is no range"
    );
    assert_eq!(Span::Days(7).period(at(6, 23, 59)), period());
}

#[test]
fn the_worked_example_in_words() {
    let (samples, shipped) = worked();
    let m = &measure(&samples, &period(), &shipped)[0];
    let said = said(m, &period());
    assert_eq!(said.frequency, "0.71 a day (5 successful in 7 days)");
    assert_eq!(said.frequency_band, Some(Band::High));
    assert_eq!(said.failure, "37.5 % (3 of 8 finished)");
    assert_eq!(
        said.failure_against,
        Some("at or under the low cluster's 40 %")
    );
    assert_eq!(
        said.rolled_back,
        "1 of 5 successes rolled back within a day (20 %)"
    );
    assert_eq!(
        said.restore,
        "median 2 h 10 min, 90th percentile 2 h 10 min (1 restore)"
    );
    assert_eq!(said.restore_band, Some(Band::High));
    assert_eq!(
        said.not_restored.as_deref(),
        Some("1 failure not restored in the period")
    );
    assert_eq!(
        said.lead,
        "median 1 h 40 min, 90th percentile 22 h 10 min (5 commits)"
    );
    assert_eq!(said.lead_band, Some(Band::Elite));
    assert_eq!(said.lead_unknown, None);
    // 2,400 s is under an hour; 4,200, 6,000, 16,200 and 79,800 are between an hour and a day.
    assert_eq!(lead_histogram(&m.lead_times), [1, 4, 0, 0, 0]);
    let none = super::said(
        &measure(
            &[sample(1, "qa", "A", at(0, 1, 0), &[])],
            &period(),
            &shipped,
        )[0],
        &period(),
    );
    assert_eq!(none.failure, "no deployment finished");
    assert_eq!(none.restore, "no failure in the period");
    assert_eq!(none.lead, "no successful deployment");
    assert_eq!(none.frequency_band, None);
}

proptest! {
    #[test]
    fn the_lead_histogram_counts_every_commit_once(times in prop::collection::vec(0i64..100 * DAY_S, 0..50)) {
        prop_assert_eq!(lead_histogram(&times).iter().sum::<usize>(), times.len());
    }
}

#[test]
fn the_fleet_reads_names_then_each_production_like_environment() {
    let client = Client::new(crate::api::request::ApiBase::github_com(), None);
    let repos = [
        RepoRef {
            owner: "acme".into(),
            name: "web".into(),
        },
        RepoRef {
            owner: "acme".into(),
            name: "api".into(),
        },
    ];
    let names: serde_json::Value =
        serde_json::from_str(client.insights_names(&repos).body.as_deref().unwrap()).unwrap();
    assert_eq!(
        names["variables"],
        json!({"o0": "acme", "n0": "web", "o1": "acme", "n1": "api"})
    );
    assert!(names["query"]
        .as_str()
        .unwrap()
        .contains("r1: repository(owner: $o1, name: $n1) { environments(first: 100)"));
    let data = json!({"r0": {"environments": {"nodes": [{"name": "staging"}, {"name": "Production"}]}}, "r1": null});
    assert_eq!(
        read_names(&data, 2),
        vec![Some(vec!["staging".into(), "Production".into()]), None]
    );
    let pick = |names: &[&str]| {
        production_environment(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
    };
    assert_eq!(
        pick(&["staging", "Production"]).as_deref(),
        Some("Production")
    );
    assert_eq!(
        pick(&["staging", "prod-us", "live", "prod-eu"]).as_deref(),
        Some("live")
    );
    assert_eq!(pick(&["staging", "preview/pr-1"]), None);
    let one: serde_json::Value = serde_json::from_str(
        client
            .insights_page(&repos[0], Some("production"), None)
            .body
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(one["variables"]["environment"], "production");
    assert!(one["query"]
        .as_str()
        .unwrap()
        .contains("deployments(environments: [$environment]"));
}

#[test]
fn the_fleet_export_names_each_repository_and_keeps_the_columns() {
    let (samples, shipped) = worked();
    let m = measure(&samples, &period(), &shipped).remove(0);
    let rows = vec![
        FleetRow {
            repository: "acme/web".into(),
            environment: Some("Production".into()),
            measures: Some(m),
        },
        FleetRow {
            repository: "acme/docs".into(),
            environment: None,
            measures: None,
        },
    ];
    let table = crate::text::read_csv(&export_fleet_csv(&rows, &period()), ',');
    assert_eq!(table[0][0], "repository");
    assert_eq!(
        table[0][1..],
        crate::text::read_csv(&export_csv(&[], &period()), ',')[0][..]
    );
    assert_eq!(
        table[1][..3],
        ["acme/web", "Production", "2026-11-01T00:00:00Z"]
    );
    assert_eq!(table[2], ["acme/docs", ""]);
    let json: serde_json::Value =
        serde_json::from_str(&export_fleet_json(&rows, &period())).unwrap();
    assert_eq!(json["repositories"][0]["measures"]["succeeded"], 5);
    assert_eq!(json["repositories"][1]["measures"], serde_json::Value::Null);
}

#[test]
fn a_line_read_gives_the_pairs_on_it_the_same_commits_as_their_own_comparisons() {
    let (samples, pairwise) = worked();
    let known = Shipped::new();
    // Production's successes: 10 (A, before the period), 1 (A), 2 (B), 5 (E), 6 (B), 7 (E): four pairs.
    let lines = line_reads(&samples, &period(), &known);
    assert_eq!(
        lines,
        vec![LineRead {
            base: "A".into(),
            head: "E".into()
        }]
    );
    // A...E lists b1, b2, B, c, d, e, E's commits in order, as a linear history would (B and E are commits too).
    let t = |d, h| Some(at(d, h, 0));
    let commits: Vec<(String, Option<Timestamp>)> = vec![
        ("b1".into(), t(0, 12)),
        ("B".into(), t(1, 9)),
        ("c".into(), t(2, 8)),
        ("d".into(), t(2, 10)),
        ("E".into(), t(2, 11)),
    ];
    let shipped = from_line(&samples, &period(), &lines[0], &commits);
    assert_eq!(
        shipped[&("A".into(), "B".into())]
            .as_ref()
            .unwrap()
            .iter()
            .map(|c| c.sha.as_str())
            .collect::<Vec<_>>(),
        ["b1", "B"]
    );
    assert_eq!(
        shipped[&("B".into(), "E".into())].as_ref().unwrap().len(),
        3
    );
    assert_eq!(
        shipped[&("E".into(), "B".into())],
        Some(vec![]),
        "a rollback brings nothing"
    );
    // The measures from the line agree with the pairwise reads' where the commits are the same.
    let m_line = &measure(&samples, &period(), &shipped)[0];
    let m_pairs = &measure(&samples, &period(), &pairwise)[0];
    assert_eq!(m_line.rolled_back, m_pairs.rolled_back);
    assert_eq!(m_line.lead_times.len(), m_pairs.lead_times.len());
    // Once known, no line is asked again; a commit off the line leaves its pair to its own comparison.
    assert!(line_reads(&samples, &period(), &shipped).is_empty());
    let partial = from_line(&samples, &period(), &lines[0], &commits[..2]);
    assert!(partial.contains_key(&("A".into(), "B".into())));
    assert!(!partial.contains_key(&("B".into(), "E".into())));
}

proptest! {
    #[test]
    fn a_line_never_invents_a_pair_and_never_panics(samples in arb_samples(), cut in 0usize..20) {
        let p = period();
        for line in line_reads(&samples, &p, &Shipped::new()) {
            let commits: Vec<(String, Option<Timestamp>)> = ["A", "B", "C", "D"].iter().cycle().take(cut).enumerate()
                .map(|(n, sha)| (sha.to_string(), (n % 3 != 0).then(|| at(0, n as i64, 0)))).collect();
            let shipped = from_line(&samples, &p, &line, &commits);
            let asked: HashSet<(String, String)> = lead_reads(&samples, &p).into_iter().map(|r| (r.base, r.head)).collect();
            prop_assert!(shipped.keys().all(|k| asked.contains(k)));
        }
    }
}
