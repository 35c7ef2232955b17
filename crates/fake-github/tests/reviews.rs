//! Workflow runs waiting on protected environments (docs/github-api.md §14), against `Hub::handle`: who may
//! approve, what an approval or a rejection does to the run and its deployments, the wait timer, and every
//! refusal with GitHub's status and body.

use deploydeck_core::http::{HttpRequest, Method};
use deploydeck_core::Timestamp;
use fake_github::hub::runs::ApprovalOutcome;
use fake_github::{Ctx, Hub, Seed, Settings, WaitingInRest};
use serde_json::{json, Value};

const BASE: &str = "http://127.0.0.1:8787";
const T0: i64 = 1_790_000_000;

struct World {
    hub: Hub,
    now: Timestamp,
}

impl World {
    fn new(settings: Settings) -> World {
        let seed: Seed = serde_json::from_value(json!({
            "settings": settings,
            "tokens": [
                {"token": "t-alice", "user": "alice", "scopes": ["repo"]},
                {"token": "t-bob", "user": "bob", "scopes": ["repo"]},
                {"token": "t-carol", "user": "carol", "scopes": ["repo"]},
                {"token": "t-dave", "user": "dave", "scopes": ["repo"]},
                {"token": "t-alice-deploy", "user": "alice", "scopes": ["repo_deployment"]},
                {"token": "f-alice-read", "user": "alice", "permissions": {"actions": "read", "deployments": "read"}},
                {"token": "f-alice", "user": "alice", "permissions": {"actions": "read", "deployments": "write"}}
            ],
            "teams": [{"org": "acme", "slug": "ops", "name": "Ops", "members": ["carol"]}],
            "repositories": [{
                "owner": "acme", "name": "web", "private": true,
                "collaborators": {"alice": "read", "bob": "write", "carol": "read", "dave": "read"},
                "environments": [
                    {"name": "production", "reviewers": ["alice"], "reviewer_teams": ["ops"], "prevent_self_review": true},
                    {"name": "staging", "reviewers": ["alice", "bob"], "wait_timer": 10},
                    {"name": "preview", "wait_timer": 5}
                ],
                "runs": [
                    {"id": 30433642, "workflow": "Deploy", "title": "Ship the new header", "ref": "main", "actor": "bob",
                     "created_at": "2026-09-21T10:00:00Z", "waits_on": ["production", "staging"]},
                    {"id": 30433643, "workflow": "Deploy", "ref": "main", "actor": "alice",
                     "created_at": "2026-09-21T10:01:00Z", "waits_on": ["production"]},
                    {"id": 30433644, "workflow": "Preview", "ref": "feature/x", "actor": "alice",
                     "created_at": "2026-09-21T10:02:00Z", "waits_on": ["preview"]}
                ]
            }]
        }))
        .expect("seed");
        World {
            hub: Hub::from_seed(&seed, Timestamp::from_unix(T0)),
            now: Timestamp::parse("2026-09-21T10:03:00Z").unwrap(),
        }
    }

    fn call(
        &mut self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = HttpRequest::new(method, format!("{BASE}{path}"));
        request
            .headers
            .append("Authorization", format!("Bearer {token}"));
        request.body = body.map(|b| b.to_string());
        let response = self.hub.handle(&request, &Ctx::new(self.now, BASE));
        let value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, value)
    }

    fn get(&mut self, path: &str, token: &str) -> Value {
        let (status, body) = self.call(Method::Get, path, token, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    fn review(
        &mut self,
        run: u64,
        token: &str,
        environments: &[u64],
        state: &str,
        comment: &str,
    ) -> (u16, Value) {
        let path = format!("/repos/acme/web/actions/runs/{run}/pending_deployments");
        let body = json!({"environment_ids": environments, "state": state, "comment": comment});
        self.call(Method::Post, &path, token, Some(body))
    }

    fn pending(&mut self, run: u64, token: &str) -> Vec<Value> {
        let body = self.get(
            &format!("/repos/acme/web/actions/runs/{run}/pending_deployments"),
            token,
        );
        body.as_array().cloned().unwrap_or_default()
    }

    fn env_id(&mut self, name: &str) -> u64 {
        self.get(&format!("/repos/acme/web/environments/{name}"), "t-alice")["id"]
            .as_u64()
            .unwrap()
    }

    /// The states of a deployment's statuses, oldest first.
    fn states(&mut self, deployment: u64) -> Vec<String> {
        let statuses = self.get(
            &format!("/repos/acme/web/deployments/{deployment}/statuses"),
            "t-alice",
        );
        let mut states: Vec<String> = statuses
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["state"].as_str().unwrap().to_owned())
            .collect();
        states.reverse();
        states
    }

    fn run(&mut self, run: u64) -> Value {
        self.get(&format!("/repos/acme/web/actions/runs/{run}"), "t-alice")
    }
}

#[test]
fn waiting_runs_are_listed_with_what_they_wait_on_and_who_can_approve() {
    let mut w = World::new(Settings::default());
    let waiting = w.get("/repos/acme/web/actions/runs?status=waiting", "t-alice");
    assert_eq!(waiting["total_count"], 3);
    let ids: Vec<u64> = waiting["workflow_runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [30433644, 30433643, 30433642], "newest first");
    let first = &waiting["workflow_runs"][2];
    assert_eq!(
        (first["status"].as_str(), first["conclusion"].as_null()),
        (Some("waiting"), Some(()))
    );
    assert_eq!(first["display_title"], "Ship the new header");
    assert_eq!(first["actor"]["login"], "bob");

    let pending = w.pending(30433642, "t-alice");
    let names: Vec<&str> = pending
        .iter()
        .map(|p| p["environment"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["production", "staging"]);
    assert!(
        pending
            .iter()
            .all(|p| p["current_user_can_approve"] == true),
        "alice reviews both"
    );
    let reviewers: Vec<(&str, &str)> = pending[0]["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap(),
                r["reviewer"]["login"]
                    .as_str()
                    .or(r["reviewer"]["slug"].as_str())
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(reviewers, [("User", "alice"), ("Team", "ops")]);
    assert_eq!(pending[1]["wait_timer"], 10);
    assert_eq!(pending[1]["wait_timer_started_at"], "2026-09-21T10:00:00Z");
    assert_eq!(pending[0]["wait_timer_started_at"], Value::Null);

    // bob (the actor) reviews staging only; carol reviews production through her team; dave reviews nothing.
    let can = |w: &mut World, token: &str| -> Vec<bool> {
        w.pending(30433642, token)
            .iter()
            .map(|p| p["current_user_can_approve"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(can(&mut w, "t-bob"), [false, true]);
    assert_eq!(can(&mut w, "t-carol"), [true, false]);
    assert_eq!(can(&mut w, "t-dave"), [false, false]);
    // Self-review is prevented in production: alice started run 30433643.
    assert_eq!(
        w.pending(30433643, "t-alice")[0]["current_user_can_approve"],
        false
    );
}

#[test]
fn an_approval_moves_the_deployment_on_and_completes_the_run_once_every_gate_opened() {
    let mut w = World::new(Settings::default());
    let (production, staging) = (w.env_id("production"), w.env_id("staging"));
    let (status, decided) = w.review(30433642, "t-alice", &[production], "approved", "Ship it!");
    assert_eq!(status, 200, "{decided}");
    let deployment = decided[0]["id"].as_u64().unwrap();
    assert_eq!(decided[0]["environment"], "production");
    assert_eq!(w.states(deployment), ["queued", "in_progress", "success"]);
    assert_eq!(w.run(30433642)["status"], "waiting", "staging still waits");

    // Approved, staging still waits for its 10-minute timer (started 10:00).
    let (status, decided) = w.review(30433642, "t-bob", &[staging], "approved", "");
    assert_eq!(status, 200, "{decided}");
    let staging_deployment = decided[0]["id"].as_u64().unwrap();
    assert_eq!(w.states(staging_deployment), ["queued"]);
    assert_eq!(w.run(30433642)["status"], "waiting");
    w.now = Timestamp::parse("2026-09-21T10:10:00Z").unwrap();
    assert_eq!(
        w.states(staging_deployment),
        ["queued", "in_progress", "success"]
    );
    let run = w.run(30433642);
    assert_eq!(
        (run["status"].as_str(), run["conclusion"].as_str()),
        (Some("completed"), Some("success"))
    );

    let approvals = w.get("/repos/acme/web/actions/runs/30433642/approvals", "t-dave");
    let seen: Vec<(&str, &str, &str)> = approvals
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["user"]["login"].as_str().unwrap(),
                a["state"].as_str().unwrap(),
                a["environments"][0]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("alice", "approved", "production"),
            ("bob", "approved", "staging")
        ]
    );
    assert_eq!(approvals[0]["comment"], "Ship it!");
}

#[test]
fn rest_shows_a_waiting_job_s_deployment_as_queued_or_waiting_by_the_setting() {
    let mut w = World::new(Settings::default());
    let (_, decided) = w.review(30433642, "t-alice", &[], "approved", "");
    assert_eq!(
        decided["message"],
        "There are no pending deployment requests to approve or reject"
    );
    let list = w.get("/repos/acme/web/deployments?environment=preview", "t-alice");
    let id = list[0]["id"].as_u64().unwrap();
    assert_eq!(w.states(id), ["queued"]);
    let mut w = World::new(Settings {
        waiting_in_rest: WaitingInRest::Waiting,
        ..Settings::default()
    });
    assert_eq!(w.states(id), ["waiting"]);
    // A client cannot post one.
    let path = format!("/repos/acme/web/deployments/{id}/statuses");
    let (status, _) = w.call(
        Method::Post,
        &path,
        "t-bob",
        Some(json!({"state": "waiting"})),
    );
    assert_eq!(status, 422);
}

#[test]
fn under_the_in_progress_reading_an_approved_job_is_left_running() {
    let mut w = World::new(Settings {
        approval_outcome: ApprovalOutcome::InProgress,
        ..Settings::default()
    });
    let production = w.env_id("production");
    let (_, decided) = w.review(30433642, "t-carol", &[production], "approved", "ok");
    assert_eq!(
        w.states(decided[0]["id"].as_u64().unwrap()),
        ["queued", "in_progress"]
    );
    assert_eq!(w.run(30433642)["conclusion"], Value::Null);
}

#[test]
fn a_rejection_fails_the_deployment_and_the_run_and_later_reviews_find_nothing_waiting() {
    let mut w = World::new(Settings::default());
    let (production, staging) = (w.env_id("production"), w.env_id("staging"));
    let (status, decided) = w.review(
        30433642,
        "t-alice",
        &[production, staging],
        "rejected",
        "Not on a Friday",
    );
    assert_eq!(status, 200);
    assert_eq!(decided.as_array().unwrap().len(), 2);
    for d in decided.as_array().unwrap() {
        assert_eq!(w.states(d["id"].as_u64().unwrap()), ["queued", "failure"]);
    }
    let run = w.run(30433642);
    assert_eq!(
        (run["status"].as_str(), run["conclusion"].as_str()),
        (Some("completed"), Some("failure"))
    );
    assert!(w.pending(30433642, "t-alice").is_empty());
    let (status, body) = w.review(30433642, "t-alice", &[production], "approved", "");
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "There are no pending deployment requests to approve or reject"
    );
    let waiting = w.get("/repos/acme/web/actions/runs?status=waiting", "t-alice");
    assert_eq!(waiting["total_count"], 2);
    assert_eq!(
        w.get("/repos/acme/web/actions/runs?status=failure", "t-alice")["total_count"],
        1
    );
}

#[test]
fn a_gate_without_reviewers_opens_when_its_timer_runs_out() {
    let mut w = World::new(Settings::default());
    let pending = w.pending(30433644, "t-alice");
    assert_eq!(pending[0]["wait_timer"], 5);
    assert_eq!(
        pending[0]["current_user_can_approve"], false,
        "no reviewer to be"
    );
    w.now = Timestamp::parse("2026-09-21T10:07:00Z").unwrap();
    assert!(w.pending(30433644, "t-alice").is_empty());
    assert_eq!(w.run(30433644)["conclusion"], "success");
}

#[test]
fn refusals_have_githubs_status_and_body() {
    let mut w = World::new(Settings::default());
    let (production, staging, preview) = (
        w.env_id("production"),
        w.env_id("staging"),
        w.env_id("preview"),
    );
    let refused = |w: &mut World, run: u64, token: &str, envs: &[u64]| {
        w.review(run, token, envs, "approved", "")
    };
    let (status, body) = refused(&mut w, 30433642, "t-dave", &[production]);
    assert_eq!(
        (status, body["message"].as_str()),
        (
            422,
            Some("You are not a required reviewer for the production environment")
        )
    );
    let (status, body) = refused(&mut w, 30433643, "t-alice", &[production]);
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("self-review is prevented"),
        "{body}"
    );
    let (status, body) = refused(&mut w, 30433642, "t-alice", &[preview]);
    assert_eq!(
        (status, body["message"].as_str()),
        (
            422,
            Some("There are no pending deployment requests to approve or reject")
        )
    );
    let (status, _) = refused(&mut w, 30433642, "t-alice", &[999]);
    assert_eq!(status, 422);
    // One refused environment refuses the whole review: nothing changed.
    let (status, _) = refused(&mut w, 30433642, "t-bob", &[production, staging]);
    assert_eq!(status, 422);
    assert_eq!(w.pending(30433642, "t-alice").len(), 2);
    let (status, _) = refused(&mut w, 1, "t-alice", &[production]);
    assert_eq!(status, 404);

    // The body's members are all required, checked as GitHub's schema does.
    let path = "/repos/acme/web/actions/runs/30433642/pending_deployments";
    let (status, body) = w.call(
        Method::Post,
        path,
        "t-alice",
        Some(json!({"environment_ids": [production], "state": "approved"})),
    );
    assert_eq!(
        (status, body["message"].as_str()),
        (
            422,
            Some("Invalid request.\n\n\"comment\" wasn't supplied.")
        )
    );
    let (status, _) = w.call(
        Method::Post,
        path,
        "t-alice",
        Some(json!({"environment_ids": [production], "state": "yes", "comment": ""})),
    );
    assert_eq!(status, 422);

    // Scopes and permissions: classic `repo`, fine-grained Deployments: write; reads need Actions: read.
    // repo_deployment shows the repository's deployments, but a review needs `repo`.
    let (status, body) = refused(&mut w, 30433642, "t-alice-deploy", &[production]);
    assert_eq!(
        (status, body["message"].as_str()),
        (
            403,
            Some("Resource not accessible by personal access token")
        )
    );
    let (status, body) = refused(&mut w, 30433642, "f-alice-read", &[production]);
    assert_eq!(
        (status, body["message"].as_str()),
        (
            403,
            Some("Resource not accessible by personal access token")
        )
    );
    let (status, _) = refused(&mut w, 30433642, "f-alice", &[production]);
    assert_eq!(status, 200);
}

/// The client's requests (core's builders) against the fake, and its decoders over the fake's answers.
#[test]
fn core_s_requests_and_decoders_speak_to_these_endpoints() {
    use deploydeck_core::request::{ApiBase, Client, PageRequest, Token};
    use deploydeck_core::response::decode;
    use deploydeck_core::reviews::{
        verdict, EnvironmentApproval, PendingDeployment, ReviewBody, ReviewPermission, ReviewState,
        Verdict, WorkflowRunList,
    };
    use deploydeck_core::validate::RepoRef;

    let mut w = World::new(Settings::default());
    let client = Client::new(ApiBase::custom(BASE).unwrap(), Token::new("t-carol"));
    let repo = RepoRef::parse("acme/web").unwrap();
    let send = |w: &mut World, request: HttpRequest| w.hub.handle(&request, &Ctx::new(w.now, BASE));

    let runs: WorkflowRunList = decode(&send(
        &mut w,
        client.list_waiting_runs(&repo, PageRequest::new(100, 1)),
    ))
    .unwrap();
    assert_eq!(runs.total_count, 3);
    let run = runs
        .workflow_runs
        .iter()
        .find(|r| r.id == 30433642)
        .unwrap();
    assert!(run.is_waiting());
    assert_eq!(
        (run.started_by(), run.display_title.as_str()),
        (Some("bob"), "Ship the new header")
    );

    let pending: Vec<PendingDeployment> =
        decode(&send(&mut w, client.pending_deployments(&repo, run.id))).unwrap();
    let verdicts: Vec<Verdict> = pending
        .iter()
        .map(|p| verdict(p, "carol", run.started_by(), ReviewPermission::Yes))
        .collect();
    assert_eq!(
        verdicts[0],
        Verdict::CanReview,
        "carol reviews production through Ops"
    );
    assert!(
        matches!(&verdicts[1], Verdict::Cannot(why) if why.starts_with("You are not a required reviewer for staging"))
    );

    let body = ReviewBody {
        environment_ids: vec![pending[0].environment.id],
        state: ReviewState::Approved,
        comment: "Ship it!".into(),
    };
    let decided = send(
        &mut w,
        client.review_pending_deployments(&repo, run.id, &body),
    );
    assert_eq!(decided.status, 200);
    let past: Vec<EnvironmentApproval> =
        decode(&send(&mut w, client.run_approvals(&repo, run.id))).unwrap();
    assert_eq!(past[0].sentence(), "carol approved production: “Ship it!”");
}
