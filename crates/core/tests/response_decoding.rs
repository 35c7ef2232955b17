//! Response decoding against the contract's real bodies and headers, and its property tests.

use deploydeck_core::http::{Headers, HttpResponse};
use deploydeck_core::links::{format_link_header, parse_link_header, Links};
use deploydeck_core::model::{Deployment, DeploymentStatus};
use deploydeck_core::response::{
    decode, decode_conditional, decode_create_deployment, decode_empty, decode_page, error_from,
    ApiError, ConflictKind, CreateDeploymentOutcome, Fresh, RateLimitKind, RateLimitSnapshot,
    RetryWait,
};
use deploydeck_core::timestamp::Timestamp;
use deploydeck_core::validate::Field;
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn json_response(status: u16, body: Vec<u8>, extra: &[(&str, &str)]) -> HttpResponse {
    let mut headers: Headers = extra.iter().copied().collect();
    headers.append("Content-Type", "application/json; charset=utf-8");
    HttpResponse {
        status,
        headers,
        body,
    }
}

#[test]
fn bad_credentials_is_unauthorized_with_a_way_forward() {
    let err = error_from(&json_response(
        401,
        fixture("error-401-bad-credentials.json"),
        &[],
    ));
    assert_eq!(
        err,
        ApiError::Unauthorized {
            message: "Bad credentials".into()
        }
    );
    assert!(err.remedy().contains("repo_deployment"));
}

#[test]
fn not_found_explains_private_repositories() {
    let err = error_from(&json_response(
        404,
        fixture("error-404-deployment.json"),
        &[],
    ));
    assert_eq!(
        err,
        ApiError::NotFound {
            message: "Not Found".into()
        }
    );
    assert!(
        err.remedy().contains("private repository"),
        "{}",
        err.remedy()
    );
}

#[test]
fn failed_checks_list_every_context_with_its_state() {
    let err = error_from(&json_response(
        409,
        fixture("error-409-failed-checks.json"),
        &[],
    ));
    let ApiError::Conflict {
        conflict: ConflictKind::FailedChecks { contexts },
        message,
    } = &err
    else {
        panic!("expected failed checks, got {err:?}");
    };
    assert_eq!(
        message,
        "Conflict: Commit status checks failed for feature/abc."
    );
    let listed: Vec<String> = contexts.iter().map(ToString::to_string).collect();
    assert_eq!(listed, ["CodeRabbit: pending", "build (0): success"]);
    let remedy = err.remedy();
    assert!(
        remedy.contains("CodeRabbit (pending)") && !remedy.contains("build (0)"),
        "{remedy}"
    );
    assert!(remedy.contains("checks skipped"));
}

#[test]
fn a_merge_conflict_names_both_branches() {
    let err = error_from(&json_response(
        409,
        fixture("error-409-merge-conflict.json"),
        &[],
    ));
    assert_eq!(
        err,
        ApiError::Conflict {
            message: "Conflict merging master into topic-branch".into(),
            conflict: ConflictKind::MergeConflict {
                base: Some("master".into()),
                head: Some("topic-branch".into())
            },
        }
    );
    let seen = br#"{"message":"Conflict merging develop into refs/heads/master."}"#.to_vec();
    let ApiError::Conflict {
        conflict: ConflictKind::MergeConflict { head, .. },
        ..
    } = error_from(&json_response(409, seen, &[]))
    else {
        panic!()
    };
    assert_eq!(head.as_deref(), Some("refs/heads/master"));
}

#[test]
fn validation_errors_in_both_forms_reach_their_fields() {
    let err = error_from(&json_response(
        422,
        fixture("error-422-validation-failed.json"),
        &[],
    ));
    let ApiError::Validation { issues, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(issues[0].field.as_deref(), Some("color"));
    assert_eq!(issues[0].describe(), "color is not valid.");

    let err = error_from(&json_response(
        422,
        fixture("error-422-delete-active.json"),
        &[],
    ));
    let ApiError::Validation { issues, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "Validation Failed");
    assert_eq!(
        issues[0].describe(),
        "We cannot delete an active deployment unless it is the only deployment in a given environment."
    );

    let err = error_from(&json_response(422, fixture("error-422-no-ref.json"), &[]));
    assert_eq!(
        err.messages_for(Field::Ref),
        ["No ref found for: feature/gone"]
    );

    let schema = br#"{"message":"Invalid request.\n\n\"ref\" wasn't supplied.","documentation_url":"x","status":"422"}"#;
    let err = error_from(&json_response(422, schema.to_vec(), &[]));
    assert_eq!(err.messages_for(Field::Ref), ["\"ref\" wasn't supplied."]);
    let props = br#"{"message":"Invalid request.\n\nFor 'properties/state', \"exploded\" is not a valid value.","documentation_url":"x"}"#;
    assert_eq!(
        error_from(&json_response(422, props.to_vec(), &[]))
            .messages_for(Field::State)
            .len(),
        1
    );
    let title = error_from(&json_response(
        422,
        fixture("error-422-invalid-request.json"),
        &[],
    ));
    let ApiError::Validation { issues, .. } = title else {
        panic!()
    };
    assert_eq!(issues[0].field.as_deref(), Some("title"));
}

#[test]
fn primary_rate_limit_waits_for_the_reset() {
    let body = br#"{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#;
    let err = error_from(&json_response(
        403,
        body.to_vec(),
        &[
            ("X-RateLimit-Limit", "5000"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "1791511693"),
        ],
    ));
    assert_eq!(
        err,
        ApiError::RateLimited {
            limit: RateLimitKind::Primary,
            wait: RetryWait::Until(Timestamp::from_unix(1_791_511_693)),
            message: "API rate limit exceeded for user ID 1.".into(),
        }
    );
    assert!(err.is_transient());
    // 1791511693 is 2026-10-09T02:08:13Z: the reset time in words, and the way forward.
    assert_eq!(
        err.remedy(),
        "The quota resets at 02:08:13 UTC: try again then. A cleanup run and the History list wait for it and go on by themselves."
    );
}

#[test]
fn secondary_rate_limit_obeys_retry_after_or_waits_a_minute() {
    let body = br#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#;
    let with = error_from(&json_response(
        429,
        body.to_vec(),
        &[("Retry-After", "42"), ("X-RateLimit-Remaining", "4990")],
    ));
    assert!(matches!(
        with,
        ApiError::RateLimited {
            limit: RateLimitKind::Secondary,
            wait: RetryWait::Seconds(42),
            ..
        }
    ));
    let without = error_from(&json_response(
        403,
        body.to_vec(),
        &[("X-RateLimit-Remaining", "4990")],
    ));
    assert!(matches!(
        without,
        ApiError::RateLimited {
            limit: RateLimitKind::Secondary,
            wait: RetryWait::Seconds(60),
            ..
        }
    ));
    assert_eq!(
        RetryWait::Seconds(60).retry_at(Timestamp::from_unix(100)),
        Timestamp::from_unix(160)
    );
}

#[test]
fn forbidden_says_which_scope_or_permission_to_add() {
    let body = br#"{"message":"Resource not accessible by personal access token","documentation_url":"x","status":"403"}"#;
    let fine = error_from(&json_response(
        403,
        body.to_vec(),
        &[("X-Accepted-GitHub-Permissions", "deployments=write")],
    ));
    assert!(
        fine.remedy().contains("Deployments: read and write"),
        "{}",
        fine.remedy()
    );
    let fine_no_header = error_from(&json_response(403, body.to_vec(), &[]));
    assert!(
        fine_no_header.remedy().contains("fine-grained"),
        "{}",
        fine_no_header.remedy()
    );

    let classic = error_from(&json_response(
        403,
        br#"{"message":"Must have admin rights to Repository."}"#.to_vec(),
        &[
            ("X-OAuth-Scopes", "read:org"),
            ("X-Accepted-OAuth-Scopes", "repo, repo_deployment"),
        ],
    ));
    let remedy = classic.remedy();
    assert!(
        remedy.contains("repo, repo_deployment") && remedy.contains("it has read:org"),
        "{remedy}"
    );
}

#[test]
fn network_server_and_odd_answers_are_told_apart() {
    assert!(matches!(
        error_from(&HttpResponse::new(0)),
        ApiError::Network { .. }
    ));
    // A transport that gave up waiting: its own error, transient, with words on what may have happened.
    let stalled = error_from(&HttpResponse::timed_out(30));
    assert_eq!(stalled, ApiError::TimedOut { seconds: 30 });
    assert_eq!(
        stalled.to_string(),
        "GitHub did not answer within 30 seconds."
    );
    assert!(stalled.is_transient());
    assert!(stalled
        .remedy()
        .contains("check it before sending it again"));
    // A success status with a page instead of JSON, or JSON cut short: told apart from GitHub's errors.
    let page = HttpResponse {
        status: 200,
        headers: [("Content-Type", "text/html; charset=utf-8")]
            .into_iter()
            .collect(),
        body: b"<!doctype html><h1>Sign in</h1>".to_vec(),
    };
    let e = decode::<Vec<Deployment>>(&page).unwrap_err();
    assert!(
        e.to_string()
            .contains("expected JSON but the server sent text/html"),
        "{e}"
    );
    assert!(e.remedy().contains("sign-in page"), "{}", e.remedy());
    let cut = json_response(200, b"[{\"id\": 1, \"sha\": \"ab".to_vec(), &[]);
    let e = decode::<Vec<Deployment>>(&cut).unwrap_err();
    assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
    assert!(e.remedy().starts_with("Try again"), "{}", e.remedy());
    let html = HttpResponse {
        status: 502,
        headers: [("Content-Type", "text/html")].into_iter().collect(),
        body: b"<html>Bad gateway</html>".to_vec(),
    };
    assert_eq!(
        error_from(&html),
        ApiError::Server {
            status: 502,
            message: "Bad Gateway".into()
        }
    );
    let moved = error_from(&json_response(301, fixture("error-301-moved.json"), &[]));
    assert_eq!(
        moved,
        ApiError::Unexpected {
            status: 301,
            message: "Moved Permanently".into()
        }
    );
    let login_page = HttpResponse {
        status: 200,
        headers: [("Content-Type", "text/html; charset=utf-8")]
            .into_iter()
            .collect(),
        body: b"<html>Sign in</html>".to_vec(),
    };
    assert!(matches!(
        decode::<Deployment>(&login_page),
        Err(ApiError::Decode { .. })
    ));
    let truncated = json_response(200, fixture("deployment.json")[..100].to_vec(), &[]);
    assert!(matches!(
        decode::<Deployment>(&truncated),
        Err(ApiError::Decode { .. })
    ));
}

#[test]
fn create_deployment_tells_201_from_the_202_auto_merge() {
    let created = json_response(201, fixture("deployment.json"), &[]);
    assert!(
        matches!(decode_create_deployment(&created), Ok(CreateDeploymentOutcome::Created(d)) if d.id.0 == 1)
    );
    let merged = json_response(202, fixture("auto-merged-202.json"), &[]);
    match decode_create_deployment(&merged) {
        Ok(CreateDeploymentOutcome::AutoMerged(m)) => {
            assert_eq!(
                m.message,
                "Auto-merged master into topic-branch on deployment."
            )
        }
        other => panic!("expected auto-merge, got {other:?}"),
    }
    assert!(decode_empty(&HttpResponse::new(204)).is_ok());
}

#[test]
fn pages_carry_links_and_etags_and_304_means_unchanged() {
    let list = format!(
        "[{}]",
        String::from_utf8(fixture("deployment-status.json")).unwrap()
    );
    let page = decode_page::<DeploymentStatus>(&json_response(
        200,
        list.into_bytes(),
        &[
            ("ETag", "W/\"b6bf7681\""),
            ("Link", "<https://api.github.com/repositories/1/deployments/2/statuses?per_page=1&page=2>; rel=\"next\", <https://api.github.com/repositories/1/deployments/2/statuses?per_page=1&page=7>; rel=\"last\""),
        ],
    ))
    .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.etag.as_deref(), Some("W/\"b6bf7681\""));
    assert_eq!(
        (page.links.next_page(), page.links.last_page()),
        (Some(2), Some(7))
    );
    let not_modified = HttpResponse::new(304);
    assert_eq!(
        decode_conditional::<Vec<DeploymentStatus>>(&not_modified).unwrap(),
        Fresh::NotModified
    );
}

#[test]
fn link_headers_of_the_recorded_shapes_parse() {
    // docs/github-api.md §4, fixture paginate-issues (order prev, next, last, first).
    let base = "https://api.github.com/repositories/515435940/issues?per_page=3";
    let page2 = format!("<{base}&page=1>; rel=\"prev\", <{base}&page=3>; rel=\"next\", <{base}&page=5>; rel=\"last\", <{base}&page=1>; rel=\"first\"");
    let links = parse_link_header(&page2);
    assert_eq!(links.prev.as_deref(), Some(&*format!("{base}&page=1")));
    assert_eq!(links.next.as_deref(), Some(&*format!("{base}&page=3")));
    assert_eq!(links.last_page(), Some(5));
    assert_eq!(links.first.as_deref(), Some(&*format!("{base}&page=1")));
    assert_eq!(format_link_header(&links).as_deref(), Some(page2.as_str()));
    let page5 = parse_link_header(&format!(
        "<{base}&page=4>; rel=\"prev\", <{base}&page=1>; rel=\"first\""
    ));
    assert_eq!((page5.next, page5.last), (None, None));
    let odd = parse_link_header(
        "<https://x/?a=1,2&page=2>;rel=next; title=\"x\" ,<https://x/?page=1>; REL=\"prev first\"",
    );
    assert_eq!(odd.next.as_deref(), Some("https://x/?a=1,2&page=2"));
    assert_eq!(odd.first.as_deref(), Some("https://x/?page=1"));
    assert_eq!(parse_link_header("garbage <"), Links::default());
}

#[test]
fn rate_limit_snapshots_come_from_the_headers() {
    let headers: Headers = [
        ("X-RateLimit-Limit", "5000"),
        ("X-RateLimit-Remaining", "4962"),
        ("X-RateLimit-Reset", "1658208999"),
        ("X-RateLimit-Used", "38"),
        ("X-RateLimit-Resource", "core"),
    ]
    .into_iter()
    .collect();
    let s = RateLimitSnapshot::from_headers(&headers).unwrap();
    assert_eq!(
        (s.limit, s.remaining, s.used, s.resource.as_deref()),
        (5000, 4962, Some(38), Some("core"))
    );
    assert_eq!(s.reset, Timestamp::from_unix(1_658_208_999));
    assert_eq!(
        RateLimitSnapshot::from_headers(&Headers::new()),
        None,
        "GHES without rate limits"
    );
}

fn url_strategy() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("https://api\\.github\\.com/repositories/[0-9]{1,9}/deployments\\?per_page=[0-9]{1,3}&page=[0-9]{1,4}")
}

proptest! {
    #[test]
    fn link_format_then_parse_is_the_identity(prev in url_strategy(), next in url_strategy(), last in url_strategy(), first in url_strategy()) {
        let links = Links { prev, next, last, first };
        let parsed = format_link_header(&links).map(|h| parse_link_header(&h)).unwrap_or_default();
        prop_assert_eq!(parsed, links);
    }

    #[test]
    fn link_parsing_never_panics(header in "(?s).{0,200}") {
        let links = parse_link_header(&header);
        let _ = (links.last_page(), links.next_page());
    }

    #[test]
    fn decoding_never_panics_on_any_bytes(
        status in prop_oneof![Just(0u16), 100u16..600],
        body in proptest::collection::vec(any::<u8>(), 0..300),
        retry in proptest::option::of("[0-9a-z ]{0,12}"),
        remaining in proptest::option::of("[0-9-]{0,6}"),
    ) {
        let mut headers = Headers::new();
        if let Some(r) = retry { headers.append("Retry-After", r); }
        if let Some(r) = remaining { headers.append("X-RateLimit-Remaining", r); headers.append("X-RateLimit-Limit", "5000"); headers.append("X-RateLimit-Reset", "99999999999999999999"); }
        let response = HttpResponse { status, headers, body };
        let err = error_from(&response);
        let _ = (err.remedy(), err.to_string(), err.is_transient());
        let _ = decode::<Vec<Deployment>>(&response);
        let _ = decode_page::<DeploymentStatus>(&response);
        let _ = decode_create_deployment(&response);
        let _ = decode_conditional::<Deployment>(&response);
    }

    #[test]
    fn decoding_never_panics_on_json_shaped_error_bodies(
        status in prop_oneof![Just(403u16), Just(404), Just(409), Just(422), Just(429)],
        message in "\\PC{0,60}",
        errors in proptest::collection::vec(prop_oneof![
            "\\PC{0,20}".prop_map(serde_json::Value::from),
            ("\\PC{0,10}", "\\PC{0,10}").prop_map(|(f, c)| serde_json::json!({"field": f, "code": c})),
            Just(serde_json::json!({"contexts": [{"context": 1, "state": null}], "field": ["x"]})),
            Just(serde_json::json!(42)),
        ], 0..4),
    ) {
        let body = serde_json::to_vec(&serde_json::json!({"message": message, "errors": errors})).unwrap();
        let err = error_from(&json_response(status, body, &[]));
        prop_assert_eq!(err.status() == status || matches!(err, ApiError::RateLimited { .. }), true);
        let _ = (err.remedy(), err.messages_for(Field::Ref));
    }
}
