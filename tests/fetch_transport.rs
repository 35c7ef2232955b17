//! The fetch transport against a running fake-github on another origin, in a real browser: CORS preflights,
//! exposed headers, conditional requests, and how failures look. `make test-wasm` starts the fake at
//! FAKE_GITHUB_URL (default http://127.0.0.1:18787) with `--repo acme/web --token t-wasm=repo`.
#![cfg(target_arch = "wasm32")]

use deploydeck::net::api::Api;
use deploydeck::net::transport::Transport;
use deploydeck_core::connect::form::HostChoice;
use deploydeck_core::http::{HttpRequest, Method};
use deploydeck_core::model::{Deployment, DeploymentState, NewDeployment, NewDeploymentStatus};
use deploydeck_core::request::{
    conditional, ApiBase, Client, DeploymentFilter, PageRequest, Token,
};
use deploydeck_core::response::{
    decode, decode_create_deployment, error_from, etag, ApiError, CreateDeploymentOutcome,
};
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FAKE: &str = match option_env!("FAKE_GITHUB_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};

fn client(token: &str) -> Client {
    Client::new(
        ApiBase::custom(FAKE).expect("FAKE_GITHUB_URL is a URL"),
        Token::new(token),
    )
}

fn repo() -> RepoRef {
    RepoRef::parse("acme/web").unwrap()
}

#[wasm_bindgen_test]
async fn a_post_passes_the_preflight_and_exposed_headers_are_readable() {
    let c = client("t-wasm");
    let created = Transport::Fetch
        .send(
            &c.create_deployment(&repo(), &NewDeployment::for_ref("main")),
            None,
        )
        .await;
    assert_eq!(
        created.status,
        201,
        "is fake-github running at {FAKE}? {}",
        created.text_lossy()
    );
    let Ok(CreateDeploymentOutcome::Created(d)) = decode_create_deployment(&created) else {
        panic!("{}", created.text_lossy())
    };
    assert_eq!(
        created.header("location"),
        Some(d.url.as_str()),
        "Location is exposed to the page"
    );
    let list = Transport::Fetch
        .send(
            &c.list_deployments(
                &repo(),
                &DeploymentFilter::default(),
                PageRequest::new(1, 1),
            ),
            None,
        )
        .await;
    assert_eq!(list.status, 200);
    assert!(etag(&list).is_some(), "ETag is exposed");
    assert!(
        list.header("x-ratelimit-remaining").is_some(),
        "rate-limit headers are exposed"
    );
    let items: Vec<Deployment> = decode(&list).unwrap();
    assert_eq!(items[0].id, d.id);
}

#[wasm_bindgen_test]
async fn a_conditional_read_comes_back_as_a_304() {
    let c = client("t-wasm");
    let req = c.list_deployments(
        &repo(),
        &DeploymentFilter::default(),
        PageRequest::default(),
    );
    let first = Transport::Fetch.send(&req, None).await;
    let tag = etag(&first).expect("an ETag").to_owned();
    let again = Transport::Fetch.send(&conditional(req, &tag), None).await;
    assert_eq!(again.status, 304);
}

#[wasm_bindgen_test]
async fn the_api_layer_revalidates_and_keeps_the_rate_gauge_current() {
    let rate = RwSignal::new(None);
    let api = Api::new(
        HostChoice::Custom(FAKE.into()),
        client("t-wasm"),
        Transport::Fetch,
        rate,
        RwSignal::new(None),
    );
    let connected = api
        .repo(&repo())
        .probe_access()
        .await
        .expect("the token is accepted");
    assert_eq!(connected.user.login, "octocat");
    assert_eq!(
        connected.report.read_deployments,
        deploydeck_core::access::Ability::Yes
    );
    let snapshot = rate.get_untracked().expect("the gauge has a snapshot");
    assert_eq!(snapshot.limit, 5000);
}

#[wasm_bindgen_test]
async fn states_in_bulk_come_through_graphql_across_origins() {
    let c = client("t-wasm");
    let mut made = Vec::new();
    for _ in 0..2 {
        let created = Transport::Fetch
            .send(
                &c.create_deployment(&repo(), &NewDeployment::for_ref("main")),
                None,
            )
            .await;
        let Ok(CreateDeploymentOutcome::Created(d)) = decode_create_deployment(&created) else {
            panic!("{}", created.text_lossy())
        };
        made.push(*d);
    }
    let status = NewDeploymentStatus::with_state(DeploymentState::Failure);
    let posted = Transport::Fetch
        .send(
            &c.create_deployment_status(&repo(), made[1].id, &status),
            None,
        )
        .await;
    assert_eq!(posted.status, 201);
    let notice = RwSignal::new(None);
    let api = Api::new(
        HostChoice::Custom(FAKE.into()),
        c,
        Transport::Fetch,
        RwSignal::new(None),
        notice,
    );
    let records = api
        .repo(&repo())
        .with_latest_states(made.clone(), |_| ())
        .await
        .expect("the states are read");
    assert!(api.uses_graphql(), "the preflight for POST /graphql passes");
    assert_eq!(notice.get_untracked(), None, "nothing to say");
    assert_eq!(records[0].latest_status, None, "no status yet");
    let latest = records[1].latest_status.as_ref().expect("a status");
    assert_eq!(latest.state, DeploymentState::Failure);
    assert_eq!(
        latest.id, None,
        "read through GraphQL, which has no REST id"
    );
}

#[wasm_bindgen_test]
async fn a_bad_token_is_a_401_the_app_can_explain() {
    let resp = Transport::Fetch
        .send(&client("wrong").get_authenticated_user(), None)
        .await;
    assert_eq!(
        error_from(&resp),
        ApiError::Unauthorized {
            message: "Bad credentials".into()
        }
    );
}

#[wasm_bindgen_test]
async fn a_header_outside_githubs_allow_list_fails_the_preflight_as_a_network_error() {
    let mut req = client("t-wasm").get_authenticated_user();
    req.headers.append("X-Request-Id", "1");
    let resp = Transport::Fetch.send(&req, None).await;
    assert_eq!(
        resp.status, 0,
        "the browser refused it before any answer (docs/github-api.md §3)"
    );
    assert!(matches!(error_from(&resp), ApiError::Network { .. }));
}

#[wasm_bindgen_test]
async fn an_unreachable_host_is_a_network_error_not_a_panic() {
    let req = HttpRequest::new(Method::Get, "http://127.0.0.1:9/user");
    let resp = Transport::Fetch.send(&req, None).await;
    assert_eq!(resp.status, 0);
    assert!(error_from(&resp).remedy().contains("API address"));
}

/// The transport's last line of defence (core's `floodgate`): a loop that sends the same refused request again
/// at once gets it out at most once a second, and a burst beyond the ceiling is held back, not sent.
#[wasm_bindgen_test]
async fn a_refused_request_resent_at_once_goes_once_a_second_and_a_burst_is_held_to_the_ceiling() {
    use deploydeck::net::transport::times_slowed;
    use deploydeck_core::floodgate::Floodgate;
    use deploydeck_core::model::DeploymentId;

    let c = client("t-wasm");
    let missing = c.get_deployment(&repo(), DeploymentId(987_654_321));
    let mut answered = Vec::new();
    for _ in 0..3 {
        assert_eq!(Transport::Fetch.send(&missing, None).await.status, 404);
        answered.push(js_sys::Date::now());
    }
    // A loop that resends at once gets each one out a second after the last refusal, where a bare loop sends
    // hundreds a second.
    for pair in answered.windows(2) {
        assert!(pair[1] - pair[0] >= 1_000.0, "answers {answered:?}");
    }

    let before = times_slowed();
    let burst = (0..Floodgate::CEILING + 50).map(|page| {
        let request = c.list_deployments(
            &repo(),
            &DeploymentFilter::default(),
            PageRequest::new(1, page + 1),
        );
        async move { Transport::Fetch.send(&request, None).await.status }
    });
    let statuses = futures::future::join_all(burst).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert!(
        times_slowed() - before >= 50,
        "the requests past the ceiling waited for the next second"
    );
}
