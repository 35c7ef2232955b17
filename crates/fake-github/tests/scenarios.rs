//! Behaviour scenarios against the library's `Hub::handle`, with requests built by deploydeck-core's
//! request builder and answers read by its decoder — the way the app talks to GitHub.

use deploydeck_core::http::{HttpRequest, HttpResponse, Method};
use deploydeck_core::model::{
    Deployment, DeploymentState, DeploymentStatus, DispatchEvent, EnvironmentList, NewDeployment,
    NewDeploymentStatus, RequiredContexts,
};
use deploydeck_core::request::{
    conditional, ApiBase, Client, DeploymentFilter, PageRequest, Token,
};
use deploydeck_core::response::{
    decode, decode_create_deployment, decode_page, error_from, ApiError, ConflictKind,
    CreateDeploymentOutcome, RateLimitKind, RateLimitSnapshot,
};
use deploydeck_core::validate::RepoRef;
use deploydeck_core::Timestamp;
use fake_github::{parse_token_option, Ctx, DeleteRule, DeleteScope, Hub, Seed, Settings};
use serde_json::{json, Value};

const BASE: &str = "http://127.0.0.1:8787";
const T0: i64 = 1_790_000_000;

struct World {
    hub: Hub,
    now: Timestamp,
    client: Client,
    repo: RepoRef,
}

impl World {
    fn new() -> World {
        World::with_settings(Settings::default())
    }

    fn with_settings(settings: Settings) -> World {
        let seed: Seed = serde_json::from_value(json!({
            "users": [{"login": "octocat"}, {"login": "reader"}],
            "tokens": [
                {"token": "t-repo", "user": "octocat", "scopes": ["repo"]},
                {"token": "t-deploy", "user": "octocat", "scopes": ["repo_deployment"]},
                {"token": "t-none", "user": "octocat", "scopes": []},
                {"token": "t-reader", "user": "reader", "scopes": ["repo"]},
                {"token": "f-read", "user": "octocat", "permissions": {"deployments": "read"}, "repositories": ["acme/web"]},
                {"token": "f-write", "user": "octocat", "permissions": {"deployments": "write", "actions": "read"}, "repositories": ["acme/web", "acme/secret"]},
                {"token": "f-other", "user": "octocat", "permissions": {"deployments": "write"}, "repositories": ["acme/other"]}
            ],
            "repositories": [
                {"owner": "acme", "name": "web", "collaborators": {"octocat": "admin", "reader": "read"},
                 "branches": [
                    {"name": "main", "sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                    {"name": "feature/behind", "sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "behind_by": 2},
                    {"name": "feature/conflict", "sha": "cccccccccccccccccccccccccccccccccccccccc", "behind_by": 1, "merge_conflict": true},
                    {"name": "feature/red", "sha": "dddddddddddddddddddddddddddddddddddddddd"}
                 ],
                 "tags": {"v1.0.0": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
                 "contexts": {
                    "dddddddddddddddddddddddddddddddddddddddd": [
                        {"context": "CodeRabbit", "state": "pending"}, {"context": "build (0)", "state": "success"}
                    ],
                    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": [{"context": "ci", "state": "success"}]
                 }},
                {"owner": "acme", "name": "secret", "private": true, "collaborators": {"octocat": "write"}}
            ]
        }))
        .unwrap();
        let mut seed = seed;
        seed.settings = Some(settings);
        let now = Timestamp::from_unix(T0);
        World {
            hub: Hub::from_seed(&seed, now),
            now,
            client: Client::new(ApiBase::custom(BASE).unwrap(), Token::new("t-repo")),
            repo: RepoRef::parse("acme/web").unwrap(),
        }
    }

    fn as_token(&self, token: Option<&str>) -> Client {
        Client::new(ApiBase::custom(BASE).unwrap(), token.and_then(Token::new))
    }

    fn send(&mut self, request: &HttpRequest) -> HttpResponse {
        self.now = self.now.plus_seconds(1);
        self.hub.handle(request, &Ctx::new(self.now, BASE))
    }

    fn deploy(&mut self, environment: &str) -> Deployment {
        let mut body = NewDeployment::for_ref("main");
        body.environment = Some(environment.into());
        let req = self.client.create_deployment(&self.repo, &body);
        match decode_create_deployment(&self.send(&req)) {
            Ok(CreateDeploymentOutcome::Created(d)) => *d,
            other => panic!("expected a deployment, got {other:?}"),
        }
    }

    fn post_status(&mut self, d: &Deployment, status: NewDeploymentStatus) -> DeploymentStatus {
        let req = self
            .client
            .create_deployment_status(&self.repo, d.id, &status);
        let resp = self.send(&req);
        assert_eq!(resp.status, 201, "{}", resp.text_lossy());
        assert_eq!(
            resp.header("Location"),
            Some(
                format!(
                    "{}/statuses/{}",
                    d.url,
                    decode::<DeploymentStatus>(&resp).unwrap().id
                )
                .as_str()
            )
        );
        decode(&resp).unwrap()
    }

    fn state(&mut self, d: &Deployment) -> Option<DeploymentState> {
        let req = self
            .client
            .list_deployment_statuses(&self.repo, d.id, PageRequest::new(1, 1));
        decode_page::<DeploymentStatus>(&self.send(&req))
            .unwrap()
            .items
            .first()
            .map(|s| s.state)
    }

    fn get_deployment(&mut self, d: &Deployment) -> Deployment {
        let req = self.client.get_deployment(&self.repo, d.id);
        decode(&self.send(&req)).unwrap()
    }
}

fn success() -> NewDeploymentStatus {
    NewDeploymentStatus::with_state(DeploymentState::Success)
}

#[test]
fn a_created_deployment_has_the_contract_defaults() {
    let mut w = World::new();
    let prod = w.deploy("production");
    assert!(prod.production_environment && !prod.transient_environment);
    assert_eq!(prod.original_environment.as_deref(), Some("production"));
    assert_eq!(prod.sha, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(prod.task, "deploy");
    assert_eq!(prod.description, None);
    assert!(
        prod.id.0 > u64::from(u32::MAX),
        "ids exceed 2^32 as real ones do"
    );
    let staging = w.deploy("staging");
    assert!(!staging.production_environment);
    assert_eq!(w.state(&staging), None, "no status yet");
    let mut tag = NewDeployment::for_ref("v1.0.0");
    tag.payload = Some(deploydeck_core::model::Payload::Text("{\"x\":1}".into()));
    let resp = w.send(&w.client.create_deployment(&w.repo, &tag));
    let Ok(CreateDeploymentOutcome::Created(d)) = decode_create_deployment(&resp) else {
        panic!("{}", resp.text_lossy())
    };
    assert_eq!(
        (d.sha.as_str(), d.environment.as_str()),
        ("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "production")
    );
    assert_eq!(
        d.payload,
        deploydeck_core::model::Payload::Text("{\"x\":1}".into()),
        "string payloads come back verbatim"
    );
}

#[test]
fn a_success_marks_prior_successful_deployments_of_the_environment_inactive() {
    let mut w = World::new();
    let old = w.deploy("staging");
    let failed = w.deploy("staging");
    let mut transient = NewDeployment::for_ref("main");
    transient.environment = Some("staging".into());
    transient.transient_environment = Some(true);
    let Ok(CreateDeploymentOutcome::Created(transient)) =
        decode_create_deployment(&w.send(&w.client.create_deployment(&w.repo, &transient)))
    else {
        panic!()
    };
    let other_env = w.deploy("production");
    let new = w.deploy("staging");
    // The transient deployment's own success comes first: it marks prior non-transient successes of its
    // environment inactive too (the rule looks at the prior deployments' transience, not the new one's).
    w.post_status(&transient, success());
    w.post_status(&old, success());
    w.post_status(
        &failed,
        NewDeploymentStatus::with_state(DeploymentState::Failure),
    );
    w.post_status(&other_env, success());
    let before = w.get_deployment(&old).updated_at;
    w.post_status(&new, success());
    assert_eq!(w.state(&old), Some(DeploymentState::Inactive));
    assert!(
        w.get_deployment(&old).updated_at > before,
        "updated_at moves with the automatic status"
    );
    assert_eq!(
        w.state(&failed),
        Some(DeploymentState::Failure),
        "only deployments that were success"
    );
    assert_eq!(
        w.state(&transient),
        Some(DeploymentState::Success),
        "transient ones are left alone"
    );
    assert_eq!(
        w.state(&other_env),
        Some(DeploymentState::Success),
        "other environments are left alone"
    );
    assert_eq!(w.state(&new), Some(DeploymentState::Success));

    let mut off = success();
    off.auto_inactive = Some(false);
    let newer = w.deploy("staging");
    w.post_status(&newer, off);
    assert_eq!(
        w.state(&new),
        Some(DeploymentState::Success),
        "auto_inactive: false leaves it"
    );
}

#[test]
fn production_deployments_are_marked_inactive_unless_the_docs_reading_is_chosen() {
    for (skips, expected) in [
        (false, DeploymentState::Inactive),
        (true, DeploymentState::Success),
    ] {
        let mut w = World::with_settings(Settings {
            auto_inactive_skips_production: skips,
            ..Settings::default()
        });
        let a = w.deploy("production");
        let b = w.deploy("production");
        w.post_status(&a, success());
        w.post_status(&b, success());
        assert_eq!(w.state(&a), Some(expected), "skips_production = {skips}");
    }
}

#[test]
fn a_status_environment_moves_the_deployment_and_urls_mirror() {
    let mut w = World::new();
    let d = w.deploy("staging");
    let mut s = NewDeploymentStatus::with_state(DeploymentState::InProgress);
    s.environment = Some("production".into());
    s.log_url = Some("https://ci.example/run/1".into());
    let posted = w.post_status(&d, s);
    assert_eq!(posted.environment, "production");
    assert_eq!(
        posted.target_url, "https://ci.example/run/1",
        "log_url also sets target_url"
    );
    let moved = w.get_deployment(&d);
    assert_eq!(
        (
            moved.environment.as_str(),
            moved.original_environment.as_deref()
        ),
        ("production", Some("staging"))
    );
    let next = w.post_status(
        &d,
        NewDeploymentStatus::with_state(DeploymentState::Success),
    );
    assert_eq!(
        next.environment, "production",
        "a status without environment inherits the previous one"
    );
    assert_eq!(
        (next.log_url.as_str(), next.description.as_str()),
        ("", ""),
        "unset strings are empty, not null"
    );
}

#[test]
fn deleting_follows_githubs_rule_with_its_422_body() {
    let mut w = World::new();
    let a = w.deploy("staging");
    let b = w.deploy("staging");
    w.post_status(&a, success());
    let resp = w.send(&w.client.delete_deployment(&w.repo, a.id));
    assert_eq!(resp.status, 422);
    let body: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(
        body,
        json!({"message": "Validation Failed", "errors": ["We cannot delete an active deployment unless it is the only deployment in a given environment."], "documentation_url": "https://docs.github.com/rest/deployments/deployments#delete-a-deployment", "status": "422"})
    );
    assert!(matches!(error_from(&resp), ApiError::Validation { .. }));
    w.post_status(
        &a,
        NewDeploymentStatus::with_state(DeploymentState::Inactive),
    );
    let resp = w.send(&w.client.delete_deployment(&w.repo, a.id));
    assert_eq!(
        (resp.status, resp.body.len(), resp.header("Content-Type")),
        (204, 0, None)
    );
    assert_eq!(w.send(&w.client.get_deployment(&w.repo, a.id)).status, 404);
    assert_eq!(
        w.send(&w.client.delete_deployment(&w.repo, a.id)).status,
        404
    );
    let only = w.deploy("review/pr-9");
    assert_eq!(
        w.send(&w.client.delete_deployment(&w.repo, only.id)).status,
        204,
        "the only deployment of its environment"
    );
    let _ = b;

    // The docs' wording: every deployment not inactive is protected, unless it is the repository's only one.
    let mut strict = World::with_settings(Settings {
        delete_scope: DeleteScope::Repository,
        delete_rule: DeleteRule::NotInactive,
        ..Settings::default()
    });
    let x = strict.deploy("staging");
    let _y = strict.deploy("production");
    assert_eq!(
        strict
            .send(&strict.client.delete_deployment(&strict.repo, x.id))
            .status,
        422,
        "docs reading: only the repository's single deployment"
    );
}

#[test]
fn only_an_active_deployment_is_protected_by_default_and_every_non_inactive_one_under_the_docs_rule(
) {
    let failed_and_silent = |w: &mut World| {
        let live = w.deploy("staging");
        w.post_status(&live, success());
        let failed = w.deploy("staging");
        w.post_status(
            &failed,
            NewDeploymentStatus::with_state(DeploymentState::Failure),
        );
        let silent = w.deploy("staging");
        (live, failed, silent)
    };
    let mut w = World::new();
    let (live, failed, silent) = failed_and_silent(&mut w);
    for d in [&failed, &silent] {
        assert_eq!(
            w.send(&w.client.delete_deployment(&w.repo, d.id)).status,
            204,
            "not active: deleted as it is"
        );
    }
    let _other = w.deploy("staging");
    assert_eq!(
        w.send(&w.client.delete_deployment(&w.repo, live.id)).status,
        422,
        "the active one, not alone"
    );

    let mut strict = World::with_settings(Settings {
        delete_rule: DeleteRule::NotInactive,
        ..Settings::default()
    });
    let (_, failed, silent) = failed_and_silent(&mut strict);
    for d in [&failed, &silent] {
        assert_eq!(
            strict
                .send(&strict.client.delete_deployment(&strict.repo, d.id))
                .status,
            422
        );
    }
}

#[test]
fn a_ref_behind_the_default_branch_is_auto_merged_with_a_202_then_deploys() {
    let mut w = World::new();
    let body = NewDeployment::for_ref("feature/behind");
    let first = w.send(&w.client.create_deployment(&w.repo, &body));
    assert_eq!(first.status, 202);
    match decode_create_deployment(&first).unwrap() {
        CreateDeploymentOutcome::AutoMerged(m) => assert_eq!(
            m.message,
            "Auto-merged main into feature/behind on deployment."
        ),
        other => panic!("{other:?}"),
    }
    let again = w.send(&w.client.create_deployment(&w.repo, &body));
    let Ok(CreateDeploymentOutcome::Created(d)) = decode_create_deployment(&again) else {
        panic!("{}", again.text_lossy())
    };
    assert_ne!(
        d.sha, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "deployed the merge commit"
    );
    let mut no_merge = NewDeployment::for_ref("feature/conflict");
    no_merge.auto_merge = Some(false);
    assert_eq!(
        w.send(&w.client.create_deployment(&w.repo, &no_merge))
            .status,
        201,
        "auto_merge: false skips the merge"
    );
}

#[test]
fn a_merge_conflict_and_failed_checks_are_409s_with_their_details() {
    let mut w = World::new();
    let resp = w.send(
        &w.client
            .create_deployment(&w.repo, &NewDeployment::for_ref("feature/conflict")),
    );
    assert_eq!(resp.status, 409);
    assert!(matches!(
        error_from(&resp),
        ApiError::Conflict {
            conflict: ConflictKind::MergeConflict { .. },
            ..
        }
    ));

    let resp = w.send(
        &w.client
            .create_deployment(&w.repo, &NewDeployment::for_ref("feature/red")),
    );
    assert_eq!(resp.status, 409);
    let body: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(
        body["message"],
        "Conflict: Commit status checks failed for feature/red."
    );
    assert_eq!(
        body["errors"][0]["contexts"],
        json!([{"context": "CodeRabbit", "state": "pending"}, {"context": "build (0)", "state": "success"}])
    );
    assert_eq!(
        (
            body["errors"][0]["field"].as_str(),
            body["errors"][0]["code"].as_str()
        ),
        (Some("required_contexts"), Some("invalid"))
    );

    let mut skip = NewDeployment::for_ref("feature/red");
    skip.required_contexts = RequiredContexts::SkipChecks;
    assert_eq!(
        w.send(&w.client.create_deployment(&w.repo, &skip)).status,
        201,
        "[] skips the checks"
    );
    let mut only = NewDeployment::for_ref("feature/red");
    only.required_contexts = RequiredContexts::Only(vec!["build (0)".into()]);
    assert_eq!(
        w.send(&w.client.create_deployment(&w.repo, &only)).status,
        201,
        "only the listed contexts count"
    );
    only.required_contexts = RequiredContexts::Only(vec!["security/scan".into()]);
    let missing = w.send(&w.client.create_deployment(&w.repo, &only));
    assert_eq!(
        missing.status, 409,
        "a missing required context counts as failing"
    );
}

#[test]
fn validation_errors_are_422s_in_githubs_words() {
    let mut w = World::new();
    let post = |w: &mut World, path: &str, body: Value| {
        let mut req = w.client.create_dispatch_event(
            &w.repo,
            &DispatchEvent {
                event_type: "x".into(),
                client_payload: None,
            },
        );
        req.url = format!("{BASE}/repos/acme/web{path}");
        req.body = Some(body.to_string());
        let resp = w.send(&req);
        (
            resp.status,
            serde_json::from_slice::<Value>(&resp.body).unwrap_or(Value::Null),
        )
    };
    let (s, b) = post(&mut w, "/deployments", json!({"environment": "x"}));
    assert_eq!(
        (s, b["message"].as_str().unwrap()),
        (422, "Invalid request.\n\n\"ref\" wasn't supplied.")
    );
    let (s, b) = post(&mut w, "/deployments", json!({"ref": "no-such-branch"}));
    assert_eq!(
        (s, b["message"].as_str().unwrap()),
        (422, "No ref found for: no-such-branch")
    );
    let (s, b) = post(&mut w, "/deployments", json!({"ref": "main", "payload": 5}));
    assert_eq!(
        (s, b["message"].as_str().unwrap()),
        (
            422,
            "Invalid request.\n\nFor 'properties/payload', 5 is not an object or a string."
        )
    );
    let d = w.deploy("staging");
    let statuses = format!("/deployments/{}/statuses", d.id);
    let (s, b) = post(&mut w, &statuses, json!({"description": "x"}));
    assert_eq!(
        (s, b["message"].as_str().unwrap()),
        (422, "Invalid request.\n\n\"state\" wasn't supplied.")
    );
    let (s, _) = post(&mut w, &statuses, json!({"state": "exploded"}));
    assert_eq!(s, 422);
    let (s, b) = post(
        &mut w,
        &statuses,
        json!({"state": "success", "description": "é".repeat(141)}),
    );
    assert_eq!(
        (s, b["errors"][0]["field"].as_str()),
        (422, Some("description"))
    );
    let (s, _) = post(
        &mut w,
        &statuses,
        json!({"state": "success", "description": "é".repeat(140)}),
    );
    assert_eq!(s, 201, "140 characters (280 bytes) is fine");
    let many: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("k{i}"), json!(i))).collect();
    let (s, b) = post(
        &mut w,
        "/dispatches",
        json!({"event_type": "go", "client_payload": many}),
    );
    assert_eq!(
        (s, b["message"].as_str().unwrap()),
        (
            422,
            "Invalid request.\n\nNo more than 10 properties are allowed; 11 were supplied."
        )
    );
    let (s, _) = post(
        &mut w,
        "/dispatches",
        json!({"event_type": "x".repeat(101)}),
    );
    assert_eq!(s, 422);
    let (s, b) = post(
        &mut w,
        "/dispatches",
        json!({"event_type": "go", "client_payload": {"unit": false}}),
    );
    assert_eq!((s, b), (204, Value::Null));
    assert_eq!(w.hub.repo("acme", "web").unwrap().dispatches.len(), 1);

    let mut bad = w
        .client
        .create_deployment(&w.repo, &NewDeployment::for_ref("main"));
    bad.body = Some("{not json".into());
    assert_eq!(
        serde_json::from_slice::<Value>(&w.send(&bad).body).unwrap()["message"],
        "Problems parsing JSON"
    );
    bad.body = Some("[1]".into());
    assert_eq!(
        serde_json::from_slice::<Value>(&w.send(&bad).body).unwrap()["message"],
        "Body should be a JSON object"
    );
}

#[test]
fn tokens_scopes_and_visibility_give_401_403_and_404_as_github_does() {
    let mut w = World::new();
    let secret = RepoRef::parse("acme/secret").unwrap();
    let filter = DeploymentFilter::default();
    let page = PageRequest::default();
    let status =
        |w: &mut World, c: Client, req: fn(&Client, &RepoRef) -> HttpRequest, repo: &RepoRef| {
            let r = req(&c, repo);
            w.send(&r)
        };
    let bad = w.as_token(Some("wrong"));
    let resp = w.send(&bad.list_deployments(&w.repo, &filter, page));
    assert_eq!(
        (resp.status, error_from(&resp)),
        (
            401,
            ApiError::Unauthorized {
                message: "Bad credentials".into()
            }
        )
    );

    let anonymous = w.as_token(None);
    assert_eq!(
        w.send(&anonymous.list_deployments(&w.repo, &filter, page))
            .status,
        200,
        "public repositories are readable"
    );
    assert_eq!(
        w.send(&anonymous.list_deployments(&secret, &filter, page))
            .status,
        404,
        "private ones are invisible, not forbidden"
    );
    assert_eq!(
        w.send(&anonymous.create_deployment(&w.repo, &NewDeployment::for_ref("main")))
            .status,
        401
    );
    assert_eq!(w.send(&anonymous.get_authenticated_user()).status, 401);

    let none = w.as_token(Some("t-none"));
    let resp = w.send(&none.create_deployment(&w.repo, &NewDeployment::for_ref("main")));
    assert_eq!(resp.status, 403);
    assert_eq!(
        resp.header("X-Accepted-OAuth-Scopes"),
        Some("repo, repo_deployment, public_repo")
    );
    assert!(error_from(&resp).remedy().contains("repo_deployment"));
    assert_eq!(
        status(&mut w, none, |c, r| c.get_repository(r), &secret).status,
        404
    );

    let deploy_only = w.as_token(Some("t-deploy"));
    assert_eq!(
        w.send(&deploy_only.list_deployments(&secret, &filter, page))
            .status,
        200,
        "repo_deployment reads private deployments"
    );
    assert_eq!(
        w.send(&deploy_only.create_deployment(&secret, &NewDeployment::for_ref("main")))
            .status,
        201
    );
    let meta = w.send(&deploy_only.get_repository(&secret));
    assert_eq!(
        (meta.status, meta.header("X-Accepted-OAuth-Scopes")),
        (404, Some("repo")),
        "but not the repository itself"
    );

    let reader = w.as_token(Some("t-reader"));
    assert_eq!(
        w.send(&reader.create_deployment(&w.repo, &NewDeployment::for_ref("main")))
            .status,
        404,
        "no push access"
    );

    let fine_read = w.as_token(Some("f-read"));
    assert_eq!(
        w.send(&fine_read.list_deployments(&w.repo, &filter, page))
            .status,
        200
    );
    let resp = w.send(&fine_read.create_deployment(&w.repo, &NewDeployment::for_ref("main")));
    assert_eq!(
        (resp.status, resp.header("X-Accepted-GitHub-Permissions")),
        (403, Some("deployments=write"))
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&resp.body).unwrap()["message"],
        "Resource not accessible by personal access token"
    );
    assert!(error_from(&resp)
        .remedy()
        .contains("Deployments: read and write"));
    let resp = w.send(&fine_read.list_environments(&w.repo, page));
    assert_eq!(
        (resp.status, resp.header("X-Accepted-GitHub-Permissions")),
        (403, Some("actions=read"))
    );
    let fine_write = w.as_token(Some("f-write"));
    assert_eq!(
        w.send(&fine_write.create_deployment(&secret, &NewDeployment::for_ref("main")))
            .status,
        201
    );
    let other = w.as_token(Some("f-other"));
    assert_eq!(
        w.send(&other.list_deployments(&secret, &filter, page))
            .status,
        404,
        "a repository the token does not include"
    );
    assert_eq!(
        w.send(
            &w.client
                .list_deployments(&RepoRef::parse("acme/nope").unwrap(), &filter, page)
        )
        .status,
        404
    );
}

#[test]
fn user_repository_and_rate_limit_endpoints_answer_for_the_token() {
    let mut w = World::new();
    let resp = w.send(&w.client.get_authenticated_user());
    let user: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(
        (user["login"].as_str(), resp.header("X-OAuth-Scopes")),
        (Some("octocat"), Some("repo"))
    );
    let repo: deploydeck_core::model::Repository =
        decode(&w.send(&w.client.get_repository(&w.repo))).unwrap();
    assert_eq!(repo.full_name, "acme/web");
    assert!(repo.permissions.unwrap().push);
    let reader = w.as_token(Some("t-reader"));
    let repo: deploydeck_core::model::Repository =
        decode(&w.send(&reader.get_repository(&w.repo))).unwrap();
    assert!(!repo.permissions.unwrap().push && repo.permissions.unwrap().pull);
    let before =
        RateLimitSnapshot::from_headers(&w.send(&w.client.get_rate_limit()).headers).unwrap();
    let after =
        RateLimitSnapshot::from_headers(&w.send(&w.client.get_rate_limit()).headers).unwrap();
    assert_eq!(before.remaining, after.remaining, "GET /rate_limit is free");
    let overview: deploydeck_core::model::RateLimitOverview =
        decode(&w.send(&w.client.get_rate_limit())).unwrap();
    assert_eq!(overview.resources.core.remaining, after.remaining);
}

#[test]
fn a_server_reached_through_an_alias_names_its_own_address_in_its_links_which_a_client_does_not_follow(
) {
    let mut w = World::with_settings(Settings {
        link_base: Some("https://ghe-internal.example".into()),
        ..Settings::default()
    });
    for _ in 0..3 {
        w.deploy("staging");
    }
    let first = w.send(&w.client.list_deployments(
        &w.repo,
        &DeploymentFilter::default(),
        PageRequest::new(2, 1),
    ));
    assert_eq!(decode_page::<Deployment>(&first).unwrap().items.len(), 2);
    let next = decode_page::<Deployment>(&first)
        .unwrap()
        .links
        .next
        .unwrap();
    assert_eq!(
        next,
        "https://ghe-internal.example/repos/acme/web/deployments?per_page=2&page=2"
    );
    assert!(
        w.client.follow_link(&next).is_err(),
        "the token goes only to the address connected to"
    );
}

#[test]
fn lists_are_newest_first_and_paginated_with_link_headers() {
    let mut w = World::new();
    let ids: Vec<u64> = (0..250).map(|_| w.deploy("staging").id.0).collect();
    let first = w.send(&w.client.list_deployments(
        &w.repo,
        &DeploymentFilter::default(),
        PageRequest::FIRST_FULL,
    ));
    let link = first.header("Link").unwrap().to_owned();
    assert_eq!(
        link,
        format!("<{BASE}/repos/acme/web/deployments?per_page=100&page=2>; rel=\"next\", <{BASE}/repos/acme/web/deployments?per_page=100&page=3>; rel=\"last\"")
    );
    let mut page = decode_page::<Deployment>(&first).unwrap();
    let mut seen: Vec<u64> = Vec::new();
    loop {
        seen.extend(page.items.iter().map(|d| d.id.0));
        let Some(next) = page.links.next.clone() else {
            break;
        };
        let resp = w.send(&w.client.follow_link(&next).unwrap());
        page = decode_page(&resp).unwrap();
    }
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected, "every deployment once, newest first");

    let mut req = w.client.list_deployments(
        &w.repo,
        &DeploymentFilter::default(),
        PageRequest::new(100, 2),
    );
    req.url = req.url.replace("per_page=100", "per_page=500");
    let resp = w.send(&req);
    assert_eq!(
        decode_page::<Deployment>(&resp).unwrap().items.len(),
        100,
        "per_page is clamped to 100"
    );
    let link = resp.header("Link").unwrap();
    assert!(
        link.starts_with(&format!(
            "<{BASE}/repos/acme/web/deployments?per_page=500&page=1>; rel=\"prev\", "
        )),
        "{link}"
    );
    assert!(
        link.ends_with("rel=\"first\""),
        "prev, next, last, first: {link}"
    );

    let small = w.send(&w.client.list_deployments(
        &w.repo,
        &DeploymentFilter {
            environment: "nowhere".into(),
            ..Default::default()
        },
        PageRequest::FIRST_FULL,
    ));
    assert_eq!(
        (small.header("Link"), small.body.as_slice()),
        (None, &b"[]"[..]),
        "no Link with one page"
    );
}

#[test]
fn list_filters_match_exactly_and_the_literal_none_is_not_a_filter() {
    let mut w = World::new();
    w.deploy("staging");
    w.deploy("production");
    let mut by_env = DeploymentFilter {
        environment: "staging".into(),
        ..Default::default()
    };
    let items = decode_page::<Deployment>(&w.send(&w.client.list_deployments(
        &w.repo,
        &by_env,
        PageRequest::default(),
    )))
    .unwrap()
    .items;
    assert_eq!(items.len(), 1);
    by_env.environment = "none".into();
    assert!(
        decode_page::<Deployment>(&w.send(&w.client.list_deployments(
            &w.repo,
            &by_env,
            PageRequest::default()
        )))
        .unwrap()
        .items
        .is_empty()
    );
    let by_sha = DeploymentFilter {
        sha: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
        git_ref: "main".into(),
        task: "deploy".into(),
        ..Default::default()
    };
    assert_eq!(
        decode_page::<Deployment>(&w.send(&w.client.list_deployments(
            &w.repo,
            &by_sha,
            PageRequest::default()
        )))
        .unwrap()
        .items
        .len(),
        2
    );
}

#[test]
fn etags_give_304s_that_cost_no_quota() {
    let mut w = World::new();
    let d = w.deploy("staging");
    let req = w
        .client
        .list_deployment_statuses(&w.repo, d.id, PageRequest::default());
    let first = w.send(&req);
    let etag = first.header("ETag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
    let remaining = |r: &HttpResponse| {
        r.header("X-RateLimit-Remaining")
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let again = w.send(&conditional(req.clone(), &etag));
    assert_eq!((again.status, again.body.len()), (304, 0));
    assert_eq!(remaining(&again), remaining(&first), "a 304 does not count");
    assert_eq!(again.header("ETag"), Some(etag.as_str()));
    let weak = w.send(&conditional(req.clone(), &format!("W/{etag}")));
    assert_eq!(weak.status, 304, "weak comparison");
    w.post_status(&d, success());
    let changed = w.send(&conditional(req, &etag));
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("ETag"), Some(etag.as_str()));
}

#[test]
fn the_primary_limit_counts_down_and_then_refuses_until_the_reset() {
    let mut w = World::with_settings(Settings {
        rate_limit_per_hour: 3,
        ..Settings::default()
    });
    let req = w.client.get_authenticated_user();
    let remaining: Vec<String> = (0..3)
        .map(|_| {
            w.send(&req)
                .header("X-RateLimit-Remaining")
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(remaining, ["2", "1", "0"]);
    let refused = w.send(&req);
    assert_eq!(refused.status, 403);
    match error_from(&refused) {
        ApiError::RateLimited {
            limit: RateLimitKind::Primary,
            message,
            ..
        } => assert!(
            message.starts_with("API rate limit exceeded for user ID"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    w.now = w.now.plus_seconds(3601);
    assert_eq!(w.send(&req).status, 200, "a new window after the reset");

    let mut ghes = World::with_settings(Settings {
        rate_limits_enabled: false,
        ..Settings::default()
    });
    let resp = ghes.send(&ghes.client.get_authenticated_user());
    assert_eq!(
        resp.header("X-RateLimit-Limit"),
        None,
        "GHES: rate limits off"
    );
}

#[test]
fn secondary_limits_refuse_the_81st_creation_in_a_minute_with_retry_after() {
    let mut w = World::with_settings(Settings {
        secondary_limits: true,
        ..Settings::default()
    });
    let d = w.deploy("staging"); // the first content-creating request of the minute
    let req = w.client.create_deployment_status(
        &w.repo,
        d.id,
        &NewDeploymentStatus::with_state(DeploymentState::Pending),
    );
    let ctx = Ctx::new(w.now, BASE);
    let mut statuses = Vec::new();
    for _ in 0..79 {
        statuses.push(w.hub.handle(&req, &ctx).status);
    }
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let refused = w.hub.handle(&req, &ctx);
    assert_eq!(refused.status, 403);
    let retry: i64 = refused.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(matches!(
        error_from(&refused),
        ApiError::RateLimited {
            limit: RateLimitKind::Secondary,
            ..
        }
    ));
    let later = Ctx::new(w.now.plus_seconds(61), BASE);
    assert_eq!(w.hub.handle(&req, &later).status, 201);
    let crowded = Ctx {
        concurrent: 101,
        ..Ctx::new(w.now.plus_seconds(62), BASE)
    };
    assert_eq!(
        w.hub
            .handle(&w.client.get_authenticated_user(), &crowded)
            .status,
        403,
        "more than 100 at once"
    );
}

#[test]
fn every_response_carries_cors_headers_and_preflights_get_githubs_allow_list() {
    let mut w = World::new();
    let d = w.deploy("staging");
    let requests = [
        w.client.list_deployments(
            &w.repo,
            &DeploymentFilter::default(),
            PageRequest::default(),
        ),
        w.client.get_deployment(&w.repo, d.id),
        w.as_token(Some("wrong")).get_authenticated_user(),
        w.client.delete_deployment(&w.repo, d.id),
        w.client.get_environment(&w.repo, "missing").unwrap(),
    ];
    for req in &requests {
        let resp = w.send(req);
        assert_eq!(
            resp.header("Access-Control-Allow-Origin"),
            Some("*"),
            "{} → {}",
            req.url,
            resp.status
        );
        assert_eq!(
            resp.header("Access-Control-Expose-Headers"),
            Some(fake_github::EXPOSE_HEADERS)
        );
    }
    let preflight = w.send(&HttpRequest::new(
        Method::Options,
        format!("{BASE}/repos/acme/web/deployments"),
    ));
    assert_eq!(preflight.status, 204);
    let allowed = preflight
        .header("Access-Control-Allow-Headers")
        .unwrap()
        .to_ascii_lowercase();
    for header in deploydeck_core::request::ALLOWED_REQUEST_HEADERS {
        if header != "Accept" {
            assert!(
                allowed.contains(&header.to_ascii_lowercase()),
                "{header} must pass the preflight"
            );
        }
    }
    assert_eq!(
        preflight.header("Access-Control-Allow-Methods"),
        Some("GET, POST, PATCH, PUT, DELETE")
    );
    let mut custom = w.client.get_authenticated_user();
    custom.headers.append("X-Request-Id", "1");
    custom.headers.append("Cache-Control", "no-cache");
    assert_eq!(fake_github::cors_violations(&custom), ["x-request-id"]);
    assert!(fake_github::cors_violations(&w.client.get_authenticated_user()).is_empty());
}

#[test]
fn environments_are_listed_and_fetched_by_encoded_name() {
    let mut w = World::new();
    w.deploy("review/pr-12");
    w.deploy("staging");
    let list: EnvironmentList =
        decode(&w.send(&w.client.list_environments(&w.repo, PageRequest::default()))).unwrap();
    let names: Vec<&str> = list.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        (list.total_count, names),
        (2, vec!["review/pr-12", "staging"])
    );
    let env: deploydeck_core::model::Environment =
        decode(&w.send(&w.client.get_environment(&w.repo, "review/pr-12").unwrap())).unwrap();
    assert!(
        env.url.ends_with("/environments/review%2Fpr-12"),
        "{}",
        env.url
    );
    assert_eq!(
        w.send(&w.client.get_environment(&w.repo, "REVIEW/PR-12").unwrap())
            .status,
        200,
        "names are case-insensitive"
    );
}

#[test]
fn ghes_paths_under_api_v3_work_and_links_stay_there() {
    let mut w = World::new();
    for _ in 0..3 {
        w.deploy("staging");
    }
    let client = Client::new(
        ApiBase::custom(&format!("{BASE}/api/v3")).unwrap(),
        Token::new("t-repo"),
    );
    let resp = w.send(&client.list_deployments(
        &w.repo,
        &DeploymentFilter::default(),
        PageRequest::new(1, 1),
    ));
    assert_eq!(resp.status, 200);
    let page = decode_page::<Deployment>(&resp).unwrap();
    assert!(page.items[0]
        .url
        .starts_with(&format!("{BASE}/api/v3/repos/acme/web/deployments/")));
    assert!(page
        .links
        .next
        .unwrap()
        .starts_with(&format!("{BASE}/api/v3/repos/")));
}

#[test]
fn seeds_load_and_token_options_parse() {
    let t = parse_token_option("ro=fine:deployments:read").unwrap();
    assert_eq!(
        (t.token.as_str(), t.user.as_str(), t.scopes.clone()),
        ("ro", "octocat", None)
    );
    assert_eq!(
        t.permissions.unwrap()["deployments"],
        fake_github::Level::Read
    );
    let t = parse_token_option("t1=repo,workflow@hubot").unwrap();
    assert_eq!(
        (t.scopes.unwrap(), t.user),
        (
            vec!["repo".to_owned(), "workflow".to_owned()],
            "hubot".to_owned()
        )
    );
    assert!(parse_token_option("nope").is_err());
    assert!(parse_token_option("x=fine:deployments:admin").is_err());

    let seed: Seed = serde_json::from_value(json!({
        "tokens": [{"token": "s", "user": "mona", "scopes": ["repo"]}],
        "repositories": [{"owner": "o", "name": "r", "collaborators": {"mona": "write"}, "deployments": [
            {"ref": "main", "environment": "staging", "creator": "mona", "created_at": "2026-01-01T00:00:00Z",
             "payload": "<script>alert(1)</script>",
             "statuses": [{"state": "success", "created_at": "2026-01-01T00:01:00Z", "log_url": "javascript:alert(1)"}]}
        ]}]
    }))
    .unwrap();
    let mut hub = Hub::from_seed(&seed, Timestamp::from_unix(T0));
    let client = Client::new(ApiBase::custom(BASE).unwrap(), Token::new("s"));
    let repo = RepoRef::parse("o/r").unwrap();
    let resp = hub.handle(
        &client.list_deployments(&repo, &DeploymentFilter::default(), PageRequest::default()),
        &Ctx::new(Timestamp::from_unix(T0), BASE),
    );
    let items = decode_page::<Deployment>(&resp).unwrap().items;
    assert_eq!(items[0].creator_login(), Some("mona"));
    let statuses = hub.handle(
        &client.list_deployment_statuses(&repo, items[0].id, PageRequest::default()),
        &Ctx::new(Timestamp::from_unix(T0), BASE),
    );
    assert_eq!(
        decode_page::<DeploymentStatus>(&statuses).unwrap().items[0].log_url,
        "javascript:alert(1)",
        "seeds keep hostile data as it is"
    );
    assert!(
        serde_json::from_value::<Seed>(json!({"repos": []})).is_err(),
        "unknown seed fields are refused"
    );
}

#[test]
fn the_demo_has_months_of_realistic_history() {
    let now = Timestamp::from_unix(T0);
    let hub = fake_github::demo::demo_hub(now);
    // The app's demo fleet pins exactly the demo's repositories.
    assert_eq!(
        deploydeck_core::fleet::DEMO_PINNED
            .split(',')
            .collect::<Vec<_>>(),
        fake_github::demo::REPOSITORIES
    );
    let repo = hub.repo("acme", "storefront").unwrap();
    let deployments = &repo.deployments;
    assert!(deployments.len() >= 200, "{}", deployments.len());
    let oldest = deployments.iter().map(|d| d.created_at).min().unwrap();
    assert!(now.seconds_since(oldest) > 90 * 86_400, "months of history");
    let count = |f: &dyn Fn(&fake_github::hub::Deployment) -> bool| {
        deployments.iter().filter(|d| f(d)).count()
    };
    assert!(count(&|d| d.transient_environment) > 20);
    assert!(count(&|d| d.state() == Some(DeploymentState::Failure)) > 5);
    assert!(
        count(&|d| d.state() == Some(DeploymentState::InProgress)) > 0,
        "some stuck in progress"
    );
    assert!(
        count(&|d| d.state() == Some(DeploymentState::Inactive)) > 100,
        "auto-inactive ran"
    );
    let live_production =
        count(&|d| d.environment == "production" && d.state() == Some(DeploymentState::Success));
    assert_eq!(
        live_production, 1,
        "auto-inactive leaves exactly one live production deployment"
    );
    assert!(hub.repo("acme", "payments-api").unwrap().private);
    assert_eq!(
        fake_github::demo::demo_hub(now).repos[0].deployments.len(),
        hub.repos[0].deployments.len(),
        "deterministic"
    );
}

#[test]
fn the_readme_seed_example_loads() {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split("### Seed format")
        .nth(1)
        .expect("README has a seed format section");
    let json = section
        .split("```json")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a json block");
    let seed: Seed = serde_json::from_str(json).expect("the README's seed example parses");
    let hub = Hub::from_seed(&seed, Timestamp::from_unix(T0));
    let repo = hub.repo("acme", "web").unwrap();
    assert_eq!(repo.deployments[0].id, 4_442_074_271);
    assert_eq!(repo.deployments[0].state(), Some(DeploymentState::Success));
    assert!(hub.tokens.contains_key("ro"));
}

/// Issue 31 through the client's own requests and decoders: what will ship between two commits, in both
/// directions, a commit by ref, and doing a deployment again from its SHA without a merge.
#[test]
fn the_client_reads_what_will_ship_and_makes_a_deployment_again_from_its_sha() {
    use deploydeck_core::ship::{recreate, redo, sentence, CommitSha, Comparison, Redo, Relation};
    let mut w = World::new();
    let (a, d) = ("a".repeat(40), "d".repeat(40));
    let answer = w.send(&w.client.compare(&w.repo, &a, &d, 1).unwrap());
    let ahead: Comparison = decode(&answer).unwrap();
    assert_eq!(
        (ahead.relation, ahead.ahead_by, ahead.behind_by),
        (Relation::Newer, 1, 0)
    );
    assert_eq!(ahead.commits[0].sha, d);
    assert_eq!(ahead.files, 1);
    let back: Comparison = decode(&w.send(&w.client.compare(&w.repo, &d, &a, 1).unwrap())).unwrap();
    assert_eq!(back.relation, Relation::Older);
    assert_eq!(
        sentence(&back, "production"),
        "This is 1 commit older than what runs in production: a rollback — those 1 commit leave."
    );
    let CommitSha(sha) =
        decode(&w.send(&w.client.get_commit(&w.repo, "feature/red").unwrap())).unwrap();
    assert_eq!(sha, d);
    let gone = w.send(&w.client.compare(&w.repo, &a, &"f".repeat(40), 1).unwrap());
    assert!(
        deploydeck_core::ship::compare_failure(&decode::<Comparison>(&gone).unwrap_err()).is_some()
    );

    // A deployment of a branch behind the default one, made again: from its SHA, so never merged (no 202).
    let mut body = NewDeployment::for_ref("feature/behind");
    body.auto_merge = Some(false);
    body.environment = Some("staging".into());
    let first = match decode_create_deployment(&w.send(&w.client.create_deployment(&w.repo, &body)))
    {
        Ok(CreateDeploymentOutcome::Created(d)) => *d,
        other => panic!("{other:?}"),
    };
    let Redo::Recreate(again) = redo(&first, &[], "http://127.0.0.1:9", &w.repo) else {
        panic!("not made by GitHub Actions: a new deployment");
    };
    assert_eq!(*again, recreate(&first, Default::default()));
    match decode_create_deployment(&w.send(&w.client.create_deployment(&w.repo, &again))) {
        Ok(CreateDeploymentOutcome::Created(made)) => {
            assert_eq!(
                (made.sha.as_str(), made.environment.as_str()),
                (first.sha.as_str(), "staging")
            );
            assert_eq!(made.git_ref, first.sha);
        }
        other => panic!("{other:?}"),
    }
}
