//! Every GraphQL document the client can send, written out for the contract tests, which check each against
//! GitHub's published schema (`crates/fake-github/contract/graphql.test.mjs`): the bulk states and the delete
//! (`api`), the fleet's reads, the insights' read and the review inbox's decisions (features). A test, so the protocol layer names no feature.

use deploydeck_core::fleet::{fleet_document, older_document};
use deploydeck_core::graphql::{delete_deployments_document, DEPLOYMENT_STATES, PROBE};
use deploydeck_core::insights;
use deploydeck_core::reviews::{review_runs_document, ReviewState};
use serde_json::Value;

#[test]
fn documents_are_written_out_for_the_contract_tests() {
    let documents = [
        ("DeploymentStates", DEPLOYMENT_STATES.to_owned()),
        ("Probe", PROBE.to_owned()),
        ("DeleteDeployments", delete_deployments_document(2)),
        ("Fleet", fleet_document(2)),
        ("FleetOlder", older_document(&[(0, 0), (0, 1), (1, 2)])),
        ("Insights", insights::DOCUMENT.to_owned()),
        ("InsightsFirst", insights::FIRST_PAGE.to_owned()),
        ("InsightsOf", insights::ONE_ENVIRONMENT.to_owned()),
        ("InsightsNames", insights::names_document(2)),
        (
            "ApproveRuns",
            review_runs_document(ReviewState::Approved, 2),
        ),
        ("RejectRuns", review_runs_document(ReviewState::Rejected, 1)),
    ];
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/graphql-documents.json");
    let written: serde_json::Map<String, Value> = documents
        .into_iter()
        .map(|(name, text)| (name.to_owned(), Value::String(text)))
        .collect();
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, Value::Object(written).to_string()).unwrap();
    assert!(out.exists());
}
