use super::*;
use crate::api::request::{ApiBase, Token};
use proptest::prelude::*;
use std::collections::HashMap;

fn repo(text: &str) -> RepoRef {
    RepoRef::parse(text).unwrap()
}

fn answer(body: Value) -> HttpResponse {
    let mut r = HttpResponse::new(200);
    r.body = body.to_string().into_bytes();
    r
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

/// A deployment node as GitHub's GraphQL gives it.
fn node(id: u64, environment: &str, state: &str, created: &str) -> Value {
    json!({
        "id": format!("DE_{id}"), "databaseId": id, "environment": environment, "state": state,
        "createdAt": created, "commitOid": "9e4dcb0b2b8a7c1d", "ref": {"name": "main"},
        "creator": {"login": "mona"}, "latestStatus": {"state": "SUCCESS", "createdAt": created, "description": null}
    })
}

#[test]
fn pinning_keeps_each_repository_once_in_order_and_at_most_fifty() {
    let mut pinned = Pinned::default();
    assert!(pinned.add(repo("acme/web")));
    assert!(pinned.add(repo("acme/api")));
    assert!(!pinned.add(repo("ACME/Web")), "names are case-insensitive");
    assert_eq!(pinned.query_value(), "acme/web,acme/api");
    assert!(pinned.remove(&repo("Acme/API")));
    assert!(!pinned.remove(&repo("acme/api")));
    assert_eq!(pinned.repos(), [repo("acme/web")]);
    for i in 0..MAX_PINNED {
        pinned.add(repo(&format!("acme/r{i}")));
    }
    assert_eq!(pinned.len(), MAX_PINNED);
    assert!(!pinned.add(repo("acme/one-more")));
}

#[test]
fn a_typed_list_is_pinned_whole_or_each_bad_entry_is_said() {
    let pinned = Pinned::new([repo("acme/web")]);
    assert_eq!(
        pinned.parse_typed("acme/api, acme/db\nacme/web").unwrap(),
        [repo("acme/api"), repo("acme/db"), repo("acme/web")]
    );
    let refused = pinned.parse_typed("acme/api nonsense a/b/c").unwrap_err();
    assert_eq!(
        refused.iter().map(|r| r.entry.as_str()).collect::<Vec<_>>(),
        ["nonsense", "a/b/c"]
    );
    assert!(refused.iter().all(|r| !r.why.is_empty()));
    assert!(pinned.parse_typed("  ").unwrap_err()[0]
        .why
        .contains("owner/name"));
    let full = Pinned::new((0..MAX_PINNED).map(|i| repo(&format!("acme/r{i}"))));
    assert!(full.parse_typed("acme/new").unwrap_err()[0]
        .why
        .contains("At most 50"));
    // Already pinned ones take no room.
    assert!(full.parse_typed("acme/r3").is_ok());
}

#[test]
fn the_list_reads_back_from_an_address_and_from_storage() {
    let pinned = Pinned::new([repo("acme/web"), repo("octo-org/api.v2")]);
    assert_eq!(Pinned::from_query_value(&pinned.query_value()), pinned);
    assert_eq!(Pinned::from_stored(&pinned.to_stored()), pinned);
    // A crafted address: bad entries dropped, duplicates once.
    assert_eq!(
        Pinned::from_query_value("acme/web,<script>,acme/WEB,,../x/y,octo-org/api.v2").repos(),
        pinned.repos()
    );
    assert_eq!(pinned.to_stored(), "acme/web\nocto-org/api.v2");
    assert!(Pinned::from_stored("not a repository").is_empty());
    // Pin, unpin, pin again: the order follows.
    let mut list = pinned.clone();
    assert!(!list.toggle(&repo("ACME/web")));
    assert!(list.toggle(&repo("acme/web")));
    assert_eq!(list.query_value(), "octo-org/api.v2,acme/web");
    assert_eq!(
        storage_key("https://api.github.com"),
        "deploydeck.fleet:https://api.github.com"
    );
}

#[test]
fn one_document_asks_every_repository_aliased_with_its_own_variables() {
    let client = Client::new(ApiBase::github_com(), Token::new("ghp_secret"));
    let request = client.fleet(&[repo("acme/web"), repo("acme/api")]);
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    let query = body["query"].as_str().unwrap();
    assert!(query.contains("r0: repository(owner: $o0, name: $n0)"));
    assert!(query.contains("r1: repository(owner: $o1, name: $n1)"));
    assert!(
        query.contains("deployments(first: 100, orderBy: {field: CREATED_AT, direction: DESC})")
    );
    assert_eq!(
        body["variables"],
        json!({"o0": "acme", "n0": "web", "o1": "acme", "n1": "api"})
    );
    assert!(
        !request.url.contains("ghp_secret"),
        "the token is never in the address"
    );
    let older = client.fleet_older(
        &[repo("acme/web"), repo("acme/api")],
        &[(1, "qa".into()), (1, "prod \"eu\"".into())],
    );
    let body: Value = serde_json::from_str(older.body.as_deref().unwrap()).unwrap();
    let query = body["query"].as_str().unwrap();
    assert!(query.contains("r1: repository(owner: $o1, name: $n1)"));
    assert!(query.contains("e0: deployments(environments: [$e0], first: 20"));
    assert!(
        !query.contains("eu"),
        "names travel as variables, never inside the document"
    );
    assert_eq!(body["variables"]["e1"], "prod \"eu\"");
    assert_eq!(body["variables"]["o1"], "acme");
}

#[test]
fn each_environment_shows_its_latest_and_what_is_live_when_the_latest_is_not() {
    let repos = [repo("acme/web"), repo("acme/gone"), repo("acme/secret")];
    let response = answer(json!({
        "data": {
            "r0": {
                "nameWithOwner": "acme/web",
                "environments": {"totalCount": 5, "nodes": [
                    {"name": "production", "latestCompletedDeployment": node(5, "production", "ACTIVE", "2026-11-01T10:00:00Z")},
                    {"name": "staging", "latestCompletedDeployment": null},
                    {"name": "qa", "latestCompletedDeployment": node(1, "qa", "ACTIVE", "2026-01-01T10:00:00Z")},
                    {"name": "pr-12", "latestCompletedDeployment": null},
                    {"name": "pr-13", "latestCompletedDeployment": null}
                ]},
                "deployments": {"nodes": [
                    node(9, "production", "FAILURE", "2026-11-30T10:00:00Z"),
                    node(8, "staging", "WAITING", "2026-11-30T09:00:00Z"),
                    node(7, "staging", "ACTIVE", "2026-11-29T09:00:00Z"),
                    node(6, "pr-12", "DESTROYED", "2026-11-28T09:00:00Z"),
                    node(5, "production", "INACTIVE", "2026-11-01T10:00:00Z")
                ]}
            },
            "r1": null,
            "r2": null,
            "rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2026-11-30T11:00:00Z"}
        },
        "errors": [
            {"type": "NOT_FOUND", "path": ["r1"], "message": "Could not resolve to a Repository with the name 'acme/gone'."},
            {"type": "FORBIDDEN", "path": ["r2", "deployments"], "message": "Resource not accessible by personal access token"}
        ]
    }));
    let rows = read_fleet(&repos, &response).unwrap();
    let web = rows[0].as_ref().unwrap();
    let production = web.cell("Production").unwrap();
    assert_eq!(production.latest.database_id, DeploymentId(9));
    assert_eq!(
        mark(&production.latest, at("2026-11-30T10:05:00Z")),
        Mark::Failed
    );
    // The window's production 5 is no longer ACTIVE, but the environment's latest completed one is.
    assert_eq!(
        production.live.as_ref().unwrap().database_id,
        DeploymentId(5)
    );
    let staging = web.cell("staging").unwrap();
    assert_eq!(
        mark(&staging.latest, at("2026-11-30T10:05:00Z")),
        Mark::Waiting
    );
    assert_eq!(staging.live.as_ref().unwrap().database_id, DeploymentId(7));
    // pr-12 (destroyed) and pr-13 (a preview by name) are folded into a count; qa is unread.
    assert_eq!(web.previews, 2);
    assert_eq!(web.unread, ["qa"]);
    assert_eq!(older_asks(&rows), [vec![(0, "qa".to_owned())]]);
    assert!(rows[1]
        .as_ref()
        .unwrap_err()
        .contains("was not found, or this token cannot see it"));
    assert!(rows[2]
        .as_ref()
        .unwrap_err()
        .contains("may not read the deployments of acme/secret"));
    // qa's latest completed one stands in until its latest is read.
    assert_eq!(web.cell("qa").unwrap().latest.database_id, DeploymentId(1));
    assert_eq!(columns(&rows), ["production", "qa", "staging"]);

    // The second read: qa's latest is a newer failure; what is live stays said.
    let mut rows = rows;
    let older = answer(
        json!({"data": {"r0": {"e0": {"nodes": [node(2, "qa", "ERROR", "2026-02-01T10:00:00Z")]}}}}),
    );
    read_older(&mut rows, &[(0, "qa".into())], &older).unwrap();
    let web = rows[0].as_ref().unwrap();
    assert!(web.unread.is_empty());
    let qa = web.cell("qa").unwrap();
    assert_eq!(qa.latest.database_id, DeploymentId(2));
    assert_eq!(qa.live.as_ref().unwrap().database_id, DeploymentId(1));
    assert_eq!(columns(&rows), ["production", "qa", "staging"]);
}

#[test]
fn a_deployment_going_for_more_than_thirty_minutes_is_stuck() {
    let mut d: CellDeployment =
        serde_json::from_value(node(1, "production", "IN_PROGRESS", "2026-11-30T10:00:00Z"))
            .unwrap();
    assert_eq!(mark(&d, at("2026-11-30T10:30:00Z")), Mark::Going);
    assert_eq!(mark(&d, at("2026-11-30T10:30:01Z")), Mark::Stuck);
    d.state = Some(GraphqlDeploymentState::Abandoned);
    assert_eq!(mark(&d, at("2026-11-30T10:00:01Z")), Mark::Stuck);
    d.state = None;
    assert_eq!(mark(&d, at("2026-11-30T10:00:01Z")), Mark::Unknown);
    assert_eq!(d.short_sha(), "9e4dcb0");
    assert_eq!(d.ref_name(), Some("main"));
    assert_eq!(d.who(), "mona");
}

#[test]
fn columns_put_production_like_environments_first_then_staging_like_then_the_rest() {
    let board = |names: &[&str]| -> Row {
        Ok(Board {
            cells: names
                .iter()
                .map(|n| Cell {
                    environment: (*n).to_owned(),
                    latest: serde_json::from_value(node(1, n, "ACTIVE", "2026-11-30T10:00:00Z"))
                        .unwrap(),
                    live: None,
                })
                .collect(),
            ..Board::default()
        })
    };
    let rows = [
        board(&["staging", "docs", "production-eu"]),
        board(&["Production", "preprod", "github-pages", "STAGING"]),
        Err("gone".into()),
    ];
    assert_eq!(
        columns(&rows),
        [
            "Production",
            "production-eu",
            "preprod",
            "staging",
            "docs",
            "github-pages"
        ]
    );
}

#[test]
fn previews_are_told_by_their_names() {
    for name in [
        "pr-12",
        "PR12",
        "pr/7",
        "preview/feature-x",
        "review-app-3",
        "pull/15",
        "preview",
    ] {
        assert!(looks_transient(name, None), "{name}");
    }
    for name in [
        "production",
        "staging",
        "prometheus",
        "pr",
        "pull",
        "reviewers",
        "prod-1",
    ] {
        assert!(!looks_transient(name, None), "{name}");
    }
}

proptest! {
    /// Whatever is pinned, the address's list reads back as the same list, and storage too.
    #[test]
    fn a_pinned_list_reads_back_from_its_address(
        names in proptest::collection::vec(("[a-zA-Z0-9][a-zA-Z0-9-]{0,10}", "[a-zA-Z0-9._-]{1,12}"), 0..20)
    ) {
        let repos: Vec<RepoRef> = names
            .iter()
            .filter_map(|(o, n)| RepoRef::parse(&format!("{o}/{n}")).ok())
            .collect();
        let pinned = Pinned::new(repos);
        prop_assert_eq!(Pinned::from_query_value(&pinned.query_value()), pinned.clone());
        prop_assert_eq!(Pinned::from_stored(&pinned.to_stored()), pinned.clone());
        // Never a repository twice, whatever the case.
        for (i, a) in pinned.repos().iter().enumerate() {
            for b in &pinned.repos()[i + 1..] {
                prop_assert!(!same(a, b));
            }
        }
    }

    /// A typed list is pinned only when every entry is a repository, and then exactly those.
    #[test]
    fn a_typed_list_never_pins_what_is_not_a_repository(entries in proptest::collection::vec("[a-z0-9/._<> -]{0,12}", 0..6)) {
        let text = entries.join(",");
        if let Ok(repos) = Pinned::default().parse_typed(&text) {
            for r in &repos {
                prop_assert!(RepoRef::parse(&r.to_string()).is_ok());
            }
            let typed: Vec<&str> = text.split(|c: char| c == ',' || c.is_whitespace()).filter(|e| !e.is_empty()).collect();
            prop_assert_eq!(repos.len(), typed.len());
        }
    }

    /// The matrix has each environment of every row once, whatever the case of its names.
    #[test]
    fn every_environment_has_one_column(names in proptest::collection::vec("(production|staging|qa|docs|Prod|STAGING)", 0..12)) {
        let rows: Vec<Row> = names.chunks(3).map(|chunk| Ok(Board {
            cells: chunk.iter().map(|n| Cell {
                environment: n.clone(),
                latest: serde_json::from_value(node(1, n, "ACTIVE", "2026-11-30T10:00:00Z")).unwrap(),
                live: None,
            }).collect(),
            ..Board::default()
        })).collect();
        let cols = columns(&rows);
        for n in &names {
            prop_assert_eq!(cols.iter().filter(|c| c.eq_ignore_ascii_case(n)).count(), 1);
        }
        prop_assert!(cols.len() <= names.len());
    }
}

fn rest(id: u64, environment: &str, transient: bool) -> Deployment {
    serde_json::from_value(json!({
        "url": "u", "id": id, "node_id": format!("DE_{id}"), "task": "deploy", "environment": environment,
        "description": null, "created_at": "2026-11-30T10:00:00Z", "updated_at": "2026-11-30T10:00:00Z",
        "statuses_url": "s", "repository_url": "r", "creator": null, "sha": "0123456789abcdef", "ref": "main",
        "transient_environment": transient
    }))
    .unwrap()
}

fn latest(state: &str) -> Option<Latest> {
    Some(
        serde_json::from_value(
            json!({"state": state, "created_at": "2026-11-30T10:00:00Z", "creator": null}),
        )
        .unwrap(),
    )
}

#[test]
fn without_graphql_each_environment_s_latest_is_read_then_older_ones_until_a_success() {
    // Newest first: production failed after a success; staging is live; a transient preview.
    let newest = [
        rest(9, "production", false),
        rest(8, "staging", false),
        rest(7, "pr-4", true),
        rest(6, "production", false),
        rest(5, "production", false),
        rest(4, "production", false),
    ];
    let mut known = HashMap::new();
    // Each environment's latest (the preview's is never read).
    assert_eq!(
        rest_needs(&newest, &known),
        [DeploymentId(9), DeploymentId(8)]
    );
    known.insert(DeploymentId(9), latest("failure"));
    known.insert(DeploymentId(8), latest("success"));
    // Production's latest failed: the next one is read; staging is done.
    assert_eq!(rest_needs(&newest, &known), [DeploymentId(6)]);
    known.insert(DeploymentId(6), latest("success"));
    assert!(rest_needs(&newest, &known).is_empty());
    let board = rest_board(&newest, &known);
    assert_eq!(board.previews, 1);
    let production = board.cell("production").unwrap();
    assert_eq!(production.latest.database_id, DeploymentId(9));
    assert_eq!(
        mark(&production.latest, at("2026-11-30T10:01:00Z")),
        Mark::Failed
    );
    assert_eq!(
        production.live.as_ref().unwrap().database_id,
        DeploymentId(6)
    );
    assert_eq!(
        mark(
            &board.cell("staging").unwrap().latest,
            at("2026-11-30T10:01:00Z")
        ),
        Mark::Live
    );
}

proptest! {
    /// Without GraphQL, whatever the states, the reads end within REST_DEPTH rounds, read at most REST_DEPTH
    /// deployments of an environment, never a preview's, and each deployment once.
    #[test]
    fn rest_reads_are_bounded(
        plan in proptest::collection::vec((0usize..4, proptest::sample::select(vec!["success", "failure", "error", "in_progress", "inactive", "none"])), 0..40)
    ) {
        let envs = ["production", "staging", "qa", "pr-1"];
        let newest: Vec<Deployment> = plan.iter().enumerate().rev()
            .map(|(i, (e, _))| rest(i as u64 + 1, envs[*e], envs[*e] == "pr-1"))
            .collect();
        let state_of = |id: DeploymentId| plan[(id.0 - 1) as usize].1;
        let mut known = HashMap::new();
        let mut rounds = 0;
        loop {
            let needs = rest_needs(&newest, &known);
            if needs.is_empty() {
                break;
            }
            rounds += 1;
            prop_assert!(rounds <= REST_DEPTH);
            for id in needs {
                prop_assert!(!known.contains_key(&id), "read once");
                let s = state_of(id);
                known.insert(id, if s == "none" { None } else { latest(s) });
            }
        }
        for env in envs {
            let read = newest.iter().filter(|d| d.environment == env && known.contains_key(&d.id)).count();
            let most = if env == "pr-1" { 0 } else { REST_DEPTH };
            prop_assert!(read <= most, "{} read of {}", read, env);
        }
        let board = rest_board(&newest, &known);
        for cell in &board.cells {
            prop_assert!(cell.live.as_ref().is_none_or(|l| l.is_live()));
        }
    }
}
