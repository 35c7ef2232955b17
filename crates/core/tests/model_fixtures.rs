//! The contract's real example bodies (`tests/fixtures/`), each decoded and re-encoded.

use deploydeck_core::model::{
    Deployment, DeploymentId, DeploymentState, DeploymentStatus, Environment, EnvironmentList,
    Payload, ProtectionRule,
};
use serde_json::Value;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Decodes `text` as `T`, re-encodes it, and returns (original, re-encoded) as JSON values.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> (Value, Value, T) {
    let original: Value = serde_json::from_str(text).expect("fixture is JSON");
    let decoded: T = serde_json::from_str(text).expect("fixture decodes");
    let again = serde_json::to_value(&decoded).expect("re-encodes");
    (original, again, decoded)
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn the_contract_deployment_round_trips() {
    let (original, again, d) = round_trip::<Deployment>(&fixture("deployment.json"));
    assert_eq!(
        again, original,
        "re-encoded deployment differs from docs/github-api.md §7.2"
    );
    assert_eq!(d.id, DeploymentId(1));
    assert_eq!(d.git_ref, "topic-branch");
    assert_eq!(d.original_environment.as_deref(), Some("staging"));
    assert_eq!(d.environment, "production");
    assert_eq!(d.payload, Payload::default());
    assert_eq!(d.created_at.to_string(), "2012-07-20T01:19:13Z");
    assert!(d.production_environment && !d.transient_environment);
    assert_eq!(d.short_sha(), "a84d88e");
    assert_eq!(d.creator_login(), Some("octocat"));
}

#[test]
fn a_deployment_encodes_its_keys_in_the_real_order() {
    let (_, again, _) = round_trip::<Deployment>(&fixture("deployment.json"));
    // docs/github-api.md §7.2 "Real key order [observed 2023]".
    assert_eq!(
        keys(&again),
        [
            "url",
            "id",
            "node_id",
            "task",
            "original_environment",
            "environment",
            "description",
            "created_at",
            "updated_at",
            "statuses_url",
            "repository_url",
            "creator",
            "sha",
            "ref",
            "payload",
            "transient_environment",
            "production_environment",
            "performed_via_github_app"
        ]
    );
}

#[test]
fn the_real_deployment_status_round_trips_byte_for_byte() {
    let text = fixture("deployment-status.json");
    let (original, again, s) = round_trip::<DeploymentStatus>(&text);
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&original).unwrap(),
        "same keys, same order, same values as the real 2023 status (docs/github-api.md §7.3)"
    );
    assert_eq!(s.state, DeploymentState::InProgress);
    assert_eq!(s.id.0, 2_151_661_540, "ids above 2^31 decode");
    assert_eq!(s.environment, "TGS: TGMC");
    assert_eq!(s.log_link(), None, "empty log and target URLs mean no link");
    assert_eq!(s.creator.as_ref().unwrap().login, "comfyorange");
}

#[test]
fn a_string_payload_and_a_null_creator_round_trip() {
    let mut value: Value = serde_json::from_str(&fixture("deployment.json")).unwrap();
    value["payload"] = Value::String("{ \"deploy\": \"migrate\" }".into());
    value["creator"] = Value::Null;
    value["description"] = Value::Null;
    value["id"] = Value::from(4_442_074_271u64);
    let d: Deployment = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        d.payload,
        Payload::Text("{ \"deploy\": \"migrate\" }".into())
    );
    assert_eq!(d.creator, None);
    assert_eq!(d.id.0, 4_442_074_271, "ids above 2^32 decode");
    assert_eq!(serde_json::to_value(&d).unwrap(), value);
}

#[test]
fn an_object_payload_keeps_its_members() {
    let mut value: Value = serde_json::from_str(&fixture("deployment.json")).unwrap();
    value["payload"] = serde_json::json!({"foo": 1, "nested": {"list": [true, null, "x"]}});
    let d: Deployment = serde_json::from_value(value.clone()).unwrap();
    assert!(matches!(&d.payload, Payload::Object(m) if m.len() == 2));
    assert_eq!(serde_json::to_value(&d).unwrap(), value);
}

#[test]
fn a_payload_that_is_neither_object_nor_string_is_refused() {
    let mut value: Value = serde_json::from_str(&fixture("deployment.json")).unwrap();
    value["payload"] = serde_json::json!([1, 2]);
    let err = serde_json::from_value::<Deployment>(value).unwrap_err();
    assert!(
        err.to_string()
            .contains("a payload is a JSON object or a string"),
        "{err}"
    );
}

#[test]
fn an_unknown_state_is_a_decoding_error_not_a_silent_fallback() {
    let mut value: Value = serde_json::from_str(&fixture("deployment-status.json")).unwrap();
    value["state"] = Value::String("exploded".into());
    let err = serde_json::from_value::<DeploymentStatus>(value).unwrap_err();
    assert!(err.to_string().contains("exploded"), "{err}");
}

#[test]
fn the_spec_list_examples_decode() {
    let deployments: Vec<Deployment> =
        serde_json::from_str(&fixture("spec-deployment-items.json")).unwrap();
    assert_eq!(deployments.len(), 1);
    assert_eq!(deployments[0].performed_via_github_app, None);
    let statuses: Vec<DeploymentStatus> =
        serde_json::from_str(&fixture("spec-deployment-status-items.json")).unwrap();
    assert_eq!(statuses[0].state, DeploymentState::Success);
    assert_eq!(
        statuses[0].log_link(),
        Some("https://example.com/deployment/42/output")
    );
}

#[test]
fn the_spec_environments_round_trip_with_every_protection_rule() {
    let (original, again, list) = round_trip::<EnvironmentList>(&fixture("spec-environments.json"));
    assert_eq!(again, original);
    let env = &list.environments[0];
    assert_eq!(env.name, "staging");
    let rules = env.protection_rules.as_ref().unwrap();
    assert!(matches!(
        rules[0],
        ProtectionRule::WaitTimer {
            wait_timer: Some(30),
            ..
        }
    ));
    match &rules[1] {
        ProtectionRule::RequiredReviewers {
            reviewers: Some(r), ..
        } => {
            let names: Vec<_> = r.iter().filter_map(|r| r.display_name()).collect();
            assert_eq!(names, ["octocat", "Justice League"]);
        }
        other => panic!("expected required reviewers, got {other:?}"),
    }
    assert!(matches!(rules[2], ProtectionRule::BranchPolicy { .. }));
    let (original, again, _) = round_trip::<Environment>(&fixture("spec-environment.json"));
    assert_eq!(again, original);
}
