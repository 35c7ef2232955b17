//! GraphQL scenarios against the library's `Hub::handle` (docs/github-api.md §13): the subset's answers,
//! GitHub's error shapes, the separate points quota, the `deleteDeployment` mutation, and the settings that
//! make the endpoint absent or answer without CORS headers.

use deploydeck_core::http::{HttpRequest, HttpResponse, Method};
use deploydeck_core::model::{Deployment, DeploymentState, NewDeployment, NewDeploymentStatus};
use deploydeck_core::request::{ApiBase, Client, PageRequest, Token};
use deploydeck_core::response::{decode, decode_create_deployment, CreateDeploymentOutcome};
use deploydeck_core::validate::RepoRef;
use deploydeck_core::Timestamp;
use fake_github::{Ctx, Hub, Seed, Settings};
use serde_json::{json, Value};

const BASE: &str = "http://127.0.0.1:8787";

struct World {
    hub: Hub,
    now: Timestamp,
    client: Client,
    repo: RepoRef,
}

fn seed(settings: Settings) -> Seed {
    let mut seed: Seed = serde_json::from_value(json!({
        "users": [{"login": "octocat"}, {"login": "stranger"}],
        "tokens": [
            {"token": "t-repo", "user": "octocat", "scopes": ["repo"]},
            {"token": "t-stranger", "user": "stranger", "scopes": ["repo"]},
            {"token": "f-contents", "user": "octocat", "permissions": {"contents": "read"}, "repositories": ["acme/web"]}
        ],
        "repositories": [
            {"owner": "acme", "name": "web", "collaborators": {"octocat": "admin"},
             "branches": [{"name": "main", "sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]},
            {"owner": "acme", "name": "secret", "private": true, "collaborators": {"octocat": "write"}}
        ]
    }))
    .unwrap();
    seed.settings = Some(settings);
    seed
}

impl World {
    fn new() -> World {
        World::with(Settings::default())
    }

    fn with(settings: Settings) -> World {
        let now = Timestamp::from_unix(1_790_000_000);
        World {
            hub: Hub::from_seed(&seed(settings), now),
            now,
            client: Client::new(ApiBase::custom(BASE).unwrap(), Token::new("t-repo")),
            repo: RepoRef::parse("acme/web").unwrap(),
        }
    }

    fn send(&mut self, request: &HttpRequest) -> HttpResponse {
        self.now = self.now.plus_seconds(1);
        self.hub.handle(request, &Ctx::new(self.now, BASE))
    }

    fn graphql_as(&mut self, token: Option<&str>, query: &str, variables: Value) -> HttpResponse {
        let mut request = HttpRequest::new(Method::Post, format!("{BASE}/graphql"));
        if let Some(token) = token {
            request
                .headers
                .set("Authorization", format!("bearer {token}"));
        }
        request.headers.set("Content-Type", "application/json");
        request.body = Some(json!({ "query": query, "variables": variables }).to_string());
        self.send(&request)
    }

    fn graphql(&mut self, query: &str, variables: Value) -> Value {
        let response = self.graphql_as(Some("t-repo"), query, variables);
        assert_eq!(response.status, 200, "{}", response.text_lossy());
        serde_json::from_slice(&response.body).unwrap()
    }

    fn deploy(&mut self, environment: &str, transient: bool) -> Deployment {
        let mut body = NewDeployment::for_ref("main");
        body.environment = Some(environment.into());
        body.transient_environment = Some(transient);
        let request = self.client.create_deployment(&self.repo, &body);
        match decode_create_deployment(&self.send(&request)) {
            Ok(CreateDeploymentOutcome::Created(d)) => *d,
            other => panic!("expected a deployment, got {other:?}"),
        }
    }

    fn status(&mut self, d: &Deployment, state: DeploymentState, auto_inactive: bool) {
        let mut body = NewDeploymentStatus::with_state(state);
        body.auto_inactive = Some(auto_inactive);
        let request = self
            .client
            .create_deployment_status(&self.repo, d.id, &body);
        assert_eq!(self.send(&request).status, 201);
    }
}

const PAGE: &str = "query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(first: 2, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id databaseId environment state }
    }
  }
}";

#[test]
fn deployments_page_newest_first_through_cursors_each_once() {
    let mut w = World::new();
    let made: Vec<u64> = (0..5)
        .map(|i| w.deploy(&format!("env-{}", i % 2), false).id.0)
        .collect();
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = w.graphql(
            PAGE,
            json!({"owner": "acme", "name": "web", "after": after}),
        );
        let connection = &body["data"]["repository"]["deployments"];
        assert_eq!(connection["totalCount"], 5);
        for node in connection["nodes"].as_array().unwrap() {
            seen.push(node["databaseId"].as_u64().unwrap());
            assert!(node["id"].as_str().unwrap().starts_with("DE_"));
        }
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    let newest_first: Vec<u64> = made.iter().rev().copied().collect();
    assert_eq!(seen, newest_first, "every deployment once, newest first");
    // The default order is GitHub's: oldest first; `environments` filters.
    let body = w.graphql(
        "{ repository(owner: \"acme\", name: \"web\") { deployments(last: 10, environments: [\"env-1\"]) { totalCount nodes { databaseId } } } }",
        json!({}),
    );
    let ids: Vec<u64> = body["data"]["repository"]["deployments"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["databaseId"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![made[1], made[3]]);
}

#[test]
fn nodes_share_rest_ids_and_derive_state_as_github_does() {
    let mut w = World::with(Settings {
        auto_inactive_skips_production: false,
        ..Settings::default()
    });
    let old = w.deploy("production", false);
    w.status(&old, DeploymentState::Success, true);
    let live = w.deploy("production", false);
    w.status(&live, DeploymentState::Success, true);
    let preview = w.deploy("preview/pr-1", true);
    w.status(&preview, DeploymentState::Inactive, true);
    let failed = w.deploy("staging", false);
    w.status(&failed, DeploymentState::Failure, true);
    let kept = w.deploy("qa", false);
    w.status(&kept, DeploymentState::Success, false);
    let newer = w.deploy("qa", false);
    w.status(&newer, DeploymentState::Success, false);
    let silent = w.deploy("staging", false);
    // REST's node_id is GraphQL's id.
    let listed = w.send(&w.client.list_deployments(
        &w.repo,
        &Default::default(),
        PageRequest::new(100, 1),
    ));
    let rest: Vec<Deployment> = decode(&listed).unwrap();
    let ids: Vec<String> = [&old, &live, &preview, &failed, &kept, &newer, &silent]
        .iter()
        .map(|d| rest.iter().find(|r| r.id == d.id).unwrap().node_id.clone())
        .collect();
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Deployment { id state latestStatus { state } } } }";
    let body = w.graphql(query, json!({ "ids": ids }));
    let nodes = body["data"]["nodes"].as_array().unwrap();
    let states: Vec<&str> = nodes.iter().map(|n| n["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "INACTIVE",
            "ACTIVE",
            "DESTROYED",
            "FAILURE",
            "SUCCESS",
            "ACTIVE",
            "PENDING"
        ],
        "auto-inactive, transient, a success superseded without an inactive status, none yet"
    );
    assert_eq!(nodes[0]["latestStatus"]["state"], "INACTIVE");
    assert_eq!(nodes[6]["latestStatus"], Value::Null);
    assert!(nodes
        .iter()
        .zip(&ids)
        .all(|(n, id)| n["id"] == *id && n["__typename"] == "Deployment"));
    // Half an hour later, a deployment that never got a status is abandoned.
    w.now = w.now.plus_seconds(31 * 60);
    let body = w.graphql(query, json!({ "ids": [ids[6].clone()] }));
    assert_eq!(body["data"]["nodes"][0]["state"], "ABANDONED");
    // An id that names nothing: null in its place and NOT_FOUND with its path.
    let body = w.graphql(
        query,
        json!({ "ids": [ids[1].clone(), "DE_kwDOHrjKxM4FFFF"] }),
    );
    assert_eq!(body["data"]["nodes"][1], Value::Null);
    assert_eq!(body["errors"][0]["type"], "NOT_FOUND");
    assert_eq!(body["errors"][0]["path"], json!(["nodes", 1]));
    assert_eq!(
        body["errors"][0]["message"],
        "Could not resolve to a node with the global id of 'DE_kwDOHrjKxM4FFFF'"
    );
}

#[test]
fn errors_have_githubs_shapes() {
    let mut w = World::new();
    w.deploy("production", false);
    // An unknown field: the whole document is refused, no data.
    let body = w.graphql("query Q { repository(owner: \"acme\", name: \"web\") { deployments(first: 1) { nodes { mergeQueueEntry } } } }", json!({}));
    assert!(body.get("data").is_none());
    assert_eq!(body["errors"][0]["extensions"]["code"], "undefinedField");
    assert_eq!(
        body["errors"][0]["message"],
        "Field 'mergeQueueEntry' doesn't exist on type 'Deployment'"
    );
    assert_eq!(
        body["errors"][0]["path"],
        json!([
            "query Q",
            "repository",
            "deployments",
            "nodes",
            "mergeQueueEntry"
        ])
    );
    // Not there, or not visible (a private repository the user is no collaborator of): NOT_FOUND, null.
    for token in ["t-repo", "t-stranger"] {
        let response = w.graphql_as(
            Some(token),
            "{ repository(owner: \"acme\", name: \"secret-or-missing\") { id } }",
            json!({}),
        );
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["data"]["repository"], Value::Null);
        assert_eq!(body["errors"][0]["type"], "NOT_FOUND");
        assert_eq!(
            body["errors"][0]["message"],
            "Could not resolve to a Repository with the name 'acme/secret-or-missing'."
        );
    }
    let response = w.graphql_as(
        Some("t-stranger"),
        "{ repository(owner: \"acme\", name: \"secret\") { id } }",
        json!({}),
    );
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["errors"][0]["type"], "NOT_FOUND");
    // Visible, but the token may not read deployments: FORBIDDEN, and the non-null connection nulls its parent.
    let response = w.graphql_as(
        Some("f-contents"),
        "{ repository(owner: \"acme\", name: \"web\") { deployments(first: 1) { totalCount } } }",
        json!({}),
    );
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(body["data"]["repository"], Value::Null);
    assert_eq!(body["errors"][0]["type"], "FORBIDDEN");
    assert_eq!(
        body["errors"][0]["path"],
        json!(["repository", "deployments"])
    );
    // Limits: more than 100 ids, no page size, too big a page — refused with data null.
    let ids: Vec<String> = (0..101).map(|i| format!("DE_kwDOHrjKxM4{i:X}")).collect();
    let body = w.graphql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        json!({ "ids": ids }),
    );
    assert_eq!(body["data"], Value::Null);
    assert_eq!(body["errors"][0]["type"], "ARGUMENT_LIMIT");
    assert_eq!(
        body["errors"][0]["message"],
        "You may not provide more than 100 node ids; you provided 101."
    );
    let body = w.graphql(
        "{ repository(owner: \"acme\", name: \"web\") { deployments { totalCount } } }",
        json!({}),
    );
    assert_eq!(body["errors"][0]["type"], "MISSING_PAGINATION_BOUNDARIES");
    let body = w.graphql("{ repository(owner: \"acme\", name: \"web\") { deployments(first: 1000) { totalCount } } }", json!({}));
    assert_eq!(body["errors"][0]["type"], "EXCESSIVE_PAGINATION");
    assert_eq!(body["errors"][0]["message"], "Requesting 1000 records on the `deployments` connection exceeds the `first` limit of 100 records.");
    // Authentication: GraphQL's own 401 bodies.
    let none = w.graphql_as(None, "{ rateLimit { cost } }", json!({}));
    assert_eq!(none.status, 401);
    assert_eq!(
        serde_json::from_slice::<Value>(&none.body).unwrap(),
        json!({"message": "This endpoint requires you to be authenticated.", "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"})
    );
    let bad = w.graphql_as(Some("nope"), "{ rateLimit { cost } }", json!({}));
    assert_eq!(bad.status, 401);
    assert_eq!(
        serde_json::from_slice::<Value>(&bad.body).unwrap(),
        json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/graphql"})
    );
    assert_eq!(bad.header("x-ratelimit-resource"), Some("graphql"));
}

#[test]
fn points_come_from_their_own_quota_and_running_out_is_a_200() {
    let mut w = World::with(Settings {
        rate_limit_per_hour: 3,
        ..Settings::default()
    });
    let rest_before = w.send(&w.client.get_repository(&w.repo));
    let core_used = rest_before.header("x-ratelimit-used").map(str::to_owned);
    let first = w.graphql_as(Some("t-repo"), "{ rateLimit { cost limit remaining used nodeCount resetAt } repository(owner: \"acme\", name: \"web\") { deployments(first: 100) { nodes { statuses(first: 100) { nodes { state } } } } } }", json!({}));
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(
        body["data"]["rateLimit"]["cost"], 1,
        "1 + 100 requests → 1 point"
    );
    assert_eq!(body["data"]["rateLimit"]["nodeCount"], 10_100);
    assert_eq!(body["data"]["rateLimit"]["remaining"], 2);
    assert_eq!(first.header("x-ratelimit-resource"), Some("graphql"));
    assert_eq!(first.header("x-ratelimit-used"), Some("1"));
    assert!(
        first.header("etag").is_none() && first.header("cache-control").is_none(),
        "no conditional requests for GraphQL"
    );
    w.graphql("{ rateLimit { cost } }", json!({}));
    w.graphql("{ rateLimit { cost } }", json!({}));
    let out = w.graphql_as(Some("t-repo"), "{ rateLimit { cost } }", json!({}));
    assert_eq!(out.status, 200, "GraphQL's primary limit answers 200");
    let body: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(body["errors"][0]["type"], "RATE_LIMITED");
    assert_eq!(out.header("x-ratelimit-remaining"), Some("0"));
    let rest_after = w.send(&w.client.get_repository(&w.repo));
    assert_eq!(rest_after.status, 200, "REST's quota is another one");
    assert_ne!(
        rest_after.header("x-ratelimit-used").map(str::to_owned),
        None
    );
    assert_eq!(core_used.as_deref(), Some("1"));
}

/// The `rate_limit` fault on a GraphQL request uses up GraphQL's points, not REST's requests.
#[test]
fn an_exhausted_graphql_quota_leaves_rest_alone() {
    let mut w = World::new();
    let request = w.client.deployment_states(&[]);
    w.hub.exhaust_quota(&request, w.now, 3);
    let refused = w.send(&request);
    assert_eq!(refused.status, 200);
    let body: Value = serde_json::from_slice(&refused.body).unwrap();
    assert_eq!(body["errors"][0]["type"], "RATE_LIMITED");
    let reset: i64 = refused
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > w.now.unix() - 1 && reset <= w.now.unix() + 3);
    assert_eq!(w.send(&w.client.get_repository(&w.repo)).status, 200);
}

#[test]
fn delete_deployment_aliased_each_answered_on_its_own() {
    let mut w = World::new();
    let old = w.deploy("production", false);
    w.status(&old, DeploymentState::Success, true);
    let live = w.deploy("production", false);
    w.status(&live, DeploymentState::Success, true);
    let failed = w.deploy("production", false);
    w.status(&failed, DeploymentState::Failure, true);
    let node = |d: &Deployment| d.node_id.clone();
    let body = w.graphql(
        "mutation($a: ID!, $b: ID!) { a: deleteDeployment(input: {id: $a, clientMutationId: \"one\"}) { clientMutationId } b: deleteDeployment(input: {id: $b}) { __typename } }",
        json!({ "a": node(&old), "b": node(&live) }),
    );
    assert_eq!(body["data"]["a"], json!({ "clientMutationId": "one" }));
    assert_eq!(
        body["data"]["b"],
        Value::Null,
        "active and not alone in its environment"
    );
    assert_eq!(body["errors"][0]["path"], json!(["b"]));
    let gone = w.send(&w.client.get_deployment(&w.repo, old.id));
    assert_eq!(gone.status, 404);
    assert_eq!(
        w.send(&w.client.get_deployment(&w.repo, live.id)).status,
        200
    );
    // A user without write access: NOT_FOUND, as REST answers such a write with a 404.
    let response = w.graphql_as(
        Some("t-stranger"),
        "mutation($id: ID!) { deleteDeployment(input: {id: $id}) { clientMutationId } }",
        json!({ "id": node(&live) }),
    );
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["errors"][0]["type"], "NOT_FOUND");
    assert_eq!(
        w.send(&w.client.get_deployment(&w.repo, live.id)).status,
        200
    );
}

#[test]
fn fragments_variables_typename_and_the_ghes_path() {
    let mut w = World::new();
    let d = w.deploy("production", false);
    let mut request = HttpRequest::new(Method::Post, format!("{BASE}/api/graphql"));
    request.headers.set("Authorization", "bearer t-repo");
    request.body = Some(json!({
        "query": "query Page($n: Int = 1) { repository(owner: \"acme\", name: \"web\") { __typename d: deployments(last: $n) { edges { cursor node { ...D } } } } } fragment D on Deployment { commitOid creator { __typename login } payload ref { name prefix } }",
    }).to_string());
    let response = w.send(&request);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    let repository = &body["data"]["repository"];
    assert_eq!(repository["__typename"], "Repository");
    let node = &repository["d"]["edges"][0]["node"];
    assert_eq!(node["commitOid"], d.sha);
    assert_eq!(
        node["creator"],
        json!({ "__typename": "User", "login": "octocat" })
    );
    assert_eq!(node["payload"], "{}");
    assert_eq!(
        node["ref"],
        json!({ "name": "main", "prefix": "refs/heads/" })
    );
}

#[test]
fn settings_make_graphql_absent_or_without_cors() {
    let mut off = World::with(Settings {
        graphql: fake_github::GraphqlMode::Off,
        ..Settings::default()
    });
    let response = off.graphql_as(Some("t-repo"), "{ rateLimit { cost } }", json!({}));
    assert_eq!(response.status, 404);
    let mut bare = World::with(Settings {
        graphql: fake_github::GraphqlMode::NoCors,
        ..Settings::default()
    });
    let response = bare.graphql_as(Some("t-repo"), "{ rateLimit { cost } }", json!({}));
    assert_eq!(response.status, 200);
    assert!(response.header("access-control-allow-origin").is_none());
    let preflight = bare.send(&HttpRequest::new(
        Method::Options,
        format!("{BASE}/graphql"),
    ));
    assert!(preflight.header("access-control-allow-origin").is_none());
    let rest = bare.send(&bare.client.get_repository(&bare.repo));
    assert_eq!(
        rest.header("access-control-allow-origin"),
        Some("*"),
        "REST keeps CORS"
    );
    let on = World::new().graphql_as(Some("t-repo"), "{ rateLimit { cost } }", json!({}));
    assert_eq!(on.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn the_clients_own_requests_and_decoders_work_against_the_fake() {
    use deploydeck_core::graphql::{decode_deletes, decode_states, GraphqlDeploymentState};
    let mut w = World::new();
    let old = w.deploy("production", false);
    w.status(&old, DeploymentState::Success, true);
    let live = w.deploy("production", false);
    w.status(&live, DeploymentState::Success, true);
    let ids = vec![
        old.node_id.clone(),
        live.node_id.clone(),
        "DE_kwDOHrjKxM4FFFF".to_owned(),
    ];
    let request = w.client.deployment_states(&ids);
    let nodes = decode_states(&w.send(&request)).unwrap();
    let states: Vec<_> = nodes
        .iter()
        .map(|n| n.as_ref().map(|n| (n.database_id, n.state)))
        .collect();
    assert_eq!(
        states,
        vec![
            Some((old.id, Some(GraphqlDeploymentState::Inactive))),
            Some((live.id, Some(GraphqlDeploymentState::Active))),
            None
        ]
    );
    assert_eq!(
        nodes[1]
            .as_ref()
            .unwrap()
            .latest_status
            .as_ref()
            .unwrap()
            .state,
        DeploymentState::Success
    );
    let request = w
        .client
        .delete_deployments(&[old.node_id.clone(), live.node_id.clone()]);
    let results = decode_deletes(&w.send(&request), 2).unwrap();
    assert_eq!(results[0], Ok(()));
    assert_eq!(
        results[1],
        Ok(()),
        "alone in its environment once the other is gone"
    );
}

#[test]
fn the_fleet_read_answers_many_repositories_in_one_request_each_on_its_own() {
    use deploydeck_core::fleet::{columns, mark, older_asks, read_fleet, read_older, Mark};
    let mut w = World::new();
    let live = w.deploy("production", false);
    w.status(&live, DeploymentState::Success, true);
    let failed = w.deploy("production", false);
    w.status(&failed, DeploymentState::Failure, false);
    let staging = w.deploy("staging", false);
    w.status(&staging, DeploymentState::InProgress, false);
    let preview = w.deploy("pr-7", true);
    w.status(&preview, DeploymentState::Inactive, false);
    let repos = [
        RepoRef::parse("acme/web").unwrap(),
        RepoRef::parse("acme/nope").unwrap(),
        RepoRef::parse("acme/secret").unwrap(),
    ];
    let response = w.send(&w.client.fleet(&repos));
    assert_eq!(
        response.header("x-ratelimit-used"),
        Some("1"),
        "one point for them all"
    );
    let rows = read_fleet(&repos, &response).unwrap();
    let web = rows[0].as_ref().unwrap();
    let production = web.cell("production").unwrap();
    assert_eq!(production.latest.database_id, failed.id);
    assert_eq!(mark(&production.latest, w.now), Mark::Failed);
    assert_eq!(production.live.as_ref().unwrap().database_id, live.id);
    assert_eq!(
        mark(&web.cell("staging").unwrap().latest, w.now),
        Mark::Going
    );
    assert_eq!(web.previews, 1, "pr-7 is folded into a count");
    assert!(rows[1]
        .as_ref()
        .unwrap_err()
        .contains("acme/nope was not found"));
    assert_eq!(
        rows[2],
        Ok(Default::default()),
        "a repository without deployments has an empty row"
    );
    assert_eq!(columns(&rows), ["production", "staging"]);
    // Staging is deploying with nothing live in the window: its older ones are asked for what is live.
    assert_eq!(older_asks(&rows), [vec![(0, "staging".to_owned())]]);

    // More than the window's 100 newest since qa's only deployment: it is asked on its own.
    let qa = w.deploy("qa", false);
    w.status(&qa, DeploymentState::Success, true);
    for _ in 0..100 {
        w.deploy("staging", false);
    }
    let mut rows = read_fleet(&repos, &w.send(&w.client.fleet(&repos))).unwrap();
    let asks = older_asks(&rows);
    assert_eq!(
        asks,
        [vec![
            (0, "production".to_owned()),
            (0, "qa".to_owned()),
            (0, "staging".to_owned())
        ]]
    );
    read_older(
        &mut rows,
        &asks[0],
        &w.send(&w.client.fleet_older(&repos, &asks[0])),
    )
    .unwrap();
    let web = rows[0].as_ref().unwrap();
    let production = web.cell("production").unwrap();
    assert_eq!(production.latest.database_id, failed.id);
    assert_eq!(production.live.as_ref().unwrap().database_id, live.id);
    assert_eq!(web.cell("qa").unwrap().latest.database_id, qa.id);
    assert_eq!(mark(&web.cell("qa").unwrap().latest, w.now), Mark::Live);
    assert!(web.unread.is_empty());
}
