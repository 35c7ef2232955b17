//! Fuzzing by property: whatever a server (or a person typing) sends, core's decoding, `Link` parsing,
//! address parsing and form checks answer with a value or an error — never a panic. Inputs are random bytes
//! and text, and real GitHub bodies truncated or mutated at random places. Bounded: a fixed number of cases
//! per target, so `make test` stays quick.

use deploydeck_core::budget::{Budget, Pacing, RequestClass, MAX_WAIT};
use deploydeck_core::cleanup::SelectionDraft;
use deploydeck_core::connect::form::{ConnectDraft, HostKindChoice};
use deploydeck_core::history::HistoryFilter;
use deploydeck_core::http::{Headers, HttpResponse};
use deploydeck_core::links::{parse_link_header, PageTrail};
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::{Deployment, DeploymentStatus, EnvironmentList, SimpleUser};
use deploydeck_core::response::{
    decode, decode_commit_sha, decode_create_deployment, decode_empty, decode_page, error_from,
    oauth_scopes, poll_interval, retry_after, RateLimitSnapshot, MAX_POLL_SECS,
};
use deploydeck_core::timestamp::Timestamp;
use deploydeck_core::url::{decode_component, is_http_url};
use deploydeck_core::validate::{
    check_git_ref, check_http_url, pretty_json, DeploymentDraft, DispatchDraft, StatusDraft,
};
use proptest::prelude::*;

const FIXTURES: [&str; 8] = [
    include_str!("fixtures/deployment.json"),
    include_str!("fixtures/deployment-status.json"),
    include_str!("fixtures/spec-deployment-items.json"),
    include_str!("fixtures/spec-environments.json"),
    include_str!("fixtures/error-409-failed-checks.json"),
    include_str!("fixtures/error-422-validation-failed.json"),
    include_str!("fixtures/error-422-delete-active.json"),
    include_str!("fixtures/auto-merged-202.json"),
];

const HEADER_NAMES: [&str; 10] = [
    "link",
    "etag",
    "retry-after",
    "x-poll-interval",
    "x-oauth-scopes",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "content-type",
];

/// A body: random bytes, or a real GitHub body cut short or with one byte replaced.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        (0..FIXTURES.len(), any::<prop::sample::Index>())
            .prop_map(|(f, at)| FIXTURES[f].as_bytes()[..at.index(FIXTURES[f].len() + 1)].to_vec()),
        (0..FIXTURES.len(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(f, at, byte)| {
            let mut bytes = FIXTURES[f].as_bytes().to_vec();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            bytes
        }),
        (0..FIXTURES.len()).prop_map(|f| FIXTURES[f].as_bytes().to_vec()),
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,80}",
        "[0-9]{0,25}",
        "-?[0-9]{1,6}",
        r#"(<https://api\.github\.com/[a-z/?=&0-9]{0,30}>; rel="(next|last|prev|first|x)"(, )?){0,4}"#,
        r#"<[^>]{0,40}>;? ?rel=[a-z"]{0,8}"#,
    ]
}

fn response() -> impl Strategy<Value = HttpResponse> {
    (
        prop_oneof![
            Just(0u16),
            Just(200),
            Just(201),
            Just(202),
            Just(204),
            Just(304),
            Just(403),
            Just(404),
            Just(409),
            Just(422),
            Just(429),
            100u16..600
        ],
        proptest::collection::vec((0..HEADER_NAMES.len(), header_value()), 0..6),
        body(),
    )
        .prop_map(|(status, headers, body)| {
            let mut h = Headers::default();
            for (name, value) in headers {
                h.append(HEADER_NAMES[name], value);
            }
            let mut response = HttpResponse::new(status);
            response.headers = h;
            response.body = body;
            response
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn decoding_any_response_never_panics(response in response()) {
        let errors = [
            decode::<Deployment>(&response).err(),
            decode::<SimpleUser>(&response).err(),
            decode::<EnvironmentList>(&response).err(),
            decode_page::<Deployment>(&response).err(),
            decode_page::<DeploymentStatus>(&response).err(),
            decode_empty(&response).err(),
            decode_create_deployment(&response).err(),
            decode_commit_sha(&response).err(),
            Some(error_from(&response)),
        ];
        for error in errors.into_iter().flatten() {
            // Every error can be said and has a way forward.
            prop_assert!(!error.to_string().is_empty());
            prop_assert!(!error.remedy().is_empty());
        }
        let _ = (retry_after(&response.headers), oauth_scopes(&response.headers));
        let _ = RateLimitSnapshot::from_headers(&response.headers);
        // A time from the host is capped: a poll interval at most an hour.
        prop_assert!(poll_interval(&response).is_none_or(|s| s <= MAX_POLL_SECS));
        // A paged read over whatever `Link` it sends takes at most one more step.
        let links = response.header("link").map(parse_link_header).unwrap_or_default();
        let _ = PageTrail::new("https://api.github.com/x?page=1").next("https://api.github.com/x?page=1", 1, &links);
    }

    /// Whatever a host answers, at whatever time, the budget holds what follows a refusal for a while and never
    /// for more than an hour (docs/github-api.md §5, "Waits from headers").
    #[test]
    fn the_budget_keeps_sensible_waits_whatever_the_answer(mut response in response(), now in prop_oneof![Just(0u64), 0u64..4_000_000_000_000, Just(u64::MAX - 1)]) {
        let mut budget = Budget::new(Pacing::github_com());
        budget.started(RequestClass::Read, now);
        let refused = budget.finished(RequestClass::Read, now, &mut response);
        if let Some(hold) = budget.hold(now) {
            prop_assert!(hold.until - now <= MAX_WAIT, "{} ms", hold.until - now);
        }
        if refused.is_some() {
            prop_assert!(budget.hold(now).is_some(), "a refusal is never followed by a request at once");
        }
    }

    #[test]
    fn a_success_status_with_a_broken_body_is_an_error_not_a_panic(cut in any::<prop::sample::Index>()) {
        let full = FIXTURES[0].trim_end();
        let end = cut.index(full.len());
        let mut response = HttpResponse::new(200);
        response.body = full.as_bytes()[..end].to_vec();
        prop_assert!(decode::<Deployment>(&response).is_err(), "a truncated body is refused");
    }

    #[test]
    fn link_parsing_never_panics_and_only_keeps_what_was_there(value in header_value()) {
        let links = parse_link_header(&value);
        for url in [links.next, links.prev, links.first, links.last].into_iter().flatten() {
            prop_assert!(value.contains(url.as_str()));
        }
    }

    #[test]
    fn form_checks_never_panic(
        a in ".{0,60}", b in ".{0,60}", c in ".{0,200}", d in "[ -~]{0,60}", flag in any::<bool>(),
    ) {
        let deployment = DeploymentDraft {
            git_ref: a.clone(), task: b.clone(), environment: d.clone(), description: a.clone(),
            payload: c.clone(), contexts: b.clone(), auto_merge: flag, ..DeploymentDraft::default()
        };
        let _ = deployment.validate();
        let status = StatusDraft {
            description: c.clone(), log_url: a.clone(), environment_url: d.clone(), target_url: b.clone(),
            environment: a.clone(), auto_inactive: flag, ..StatusDraft::default()
        };
        let _ = status.validate();
        let _ = status.description_remaining();
        let _ = DispatchDraft { event_type: a.clone(), client_payload: c.clone() }.validate();
        for kind in [HostKindChoice::GitHubCom, HostKindChoice::Enterprise, HostKindChoice::Custom] {
            let _ = ConnectDraft { kind, enterprise_host: a.clone(), custom_base: d.clone(), token: b.clone(), repo: d.clone(), trusted: Some(a.clone()) }.validate_linked(&deploydeck_core::trust::KnownHosts::parse(&c));
        }
        let _ = SelectionDraft {
            sha: a.clone(), creators: b.clone(), older_than_days: d.clone(), keep_newest: b.clone(), git_ref: c.clone(),
            ..SelectionDraft::default()
        }.selection();
        let _ = (check_git_ref(&a), check_http_url(&d), is_http_url(&c), pretty_json(&c));
    }

    #[test]
    fn addresses_and_timestamps_never_panic(path in "(/[ -~]{0,20}){0,6}", query in "[ -~]{0,60}", text in ".{0,40}") {
        let _ = AppLocation::parse(&path, &query);
        let _ = AppLocation::parse_href(&format!("{path}?{query}"));
        let _ = AppLocation::parse_href(&text);
        let _ = HistoryFilter::from_query(&query);
        let _ = decode_component(&text);
        let _ = Timestamp::parse(&text);
    }
}
