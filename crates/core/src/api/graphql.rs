//! GitHub's GraphQL API as Deploydeck uses it beside REST (docs/github-api.md §13): where it is for an API
//! base, the documents the client sends (all of them listed by [`documents`], which the contract tests check
//! against GitHub's published schema), the requests, the answers decoded with GitHub's error shapes, and the
//! rule that sends a host back to REST when GraphQL cannot be used there.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::http::{HttpRequest, HttpResponse, Method};
use crate::api::request::{ApiBase, Client, HostKind};
use crate::api::response::{error_from, ApiError};
use crate::github::model::{DeploymentId, DeploymentState, Latest, Login};
use crate::timestamp::Timestamp;

/// At most this many ids in one `nodes(ids:)` (GitHub's ARGUMENT_LIMIT).
pub const NODES_PER_QUERY: usize = 100;

/// The latest state and status of deployments by id: one point for up to 100 (docs/github-api.md §13).
pub const DEPLOYMENT_STATES: &str = "query DeploymentStates($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    ... on Deployment {
      id
      databaseId
      state
      latestStatus {
        __typename
        state
        createdAt
        description
        environment
        environmentUrl
        logUrl
        creator { __typename login }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}";

/// The cheapest question: whether GraphQL answers on this host (one point), before a write whose lost answer
/// must mean it reached GitHub.
pub const PROBE: &str = "query Probe { rateLimit { remaining } }";

/// One `deleteDeployment` per id, aliased `d0`, `d1`, … in one document (variables `$d0`, `$d1`, …).
pub fn delete_deployments_document(count: usize) -> String {
    let variables: Vec<String> = (0..count).map(|i| format!("$d{i}: ID!")).collect();
    let fields: Vec<String> = (0..count)
        .map(|i| format!("  d{i}: deleteDeployment(input: {{id: $d{i}}}) {{ clientMutationId }}"))
        .collect();
    format!(
        "mutation DeleteDeployments({}) {{\n{}\n}}",
        variables.join(", "),
        fields.join("\n")
    )
}

impl ApiBase {
    /// The GraphQL endpoint of this host: `https://api.github.com/graphql`; `https://HOST/api/graphql` on
    /// GHES; a custom base's `/graphql` (or `/api/graphql` beside an `/api/v3` base).
    pub fn graphql_url(&self) -> String {
        match self.kind() {
            HostKind::GitHubCom => "https://api.github.com/graphql".into(),
            HostKind::Enterprise | HostKind::Custom => match self.root().strip_suffix("/api/v3") {
                Some(origin) => format!("{origin}/api/graphql"),
                None => format!("{}/graphql", self.root()),
            },
        }
    }
}

impl Client {
    /// A GraphQL request: `POST` the document and its variables, the token in the `Authorization` header
    /// only, to this host's endpoint.
    pub fn graphql(&self, document: &str, variables: Value) -> HttpRequest {
        let mut request = HttpRequest::new(Method::Post, self.base().graphql_url());
        request.headers.append("Content-Type", "application/json");
        if let Some(token) = self.token() {
            request
                .headers
                .append("Authorization", format!("bearer {}", token.expose()));
        }
        request.body = Some(json!({ "query": document, "variables": variables }).to_string());
        request
    }

    /// [`PROBE`].
    pub fn graphql_probe(&self) -> HttpRequest {
        self.graphql(PROBE, json!({}))
    }

    /// The latest state of up to [`NODES_PER_QUERY`] deployments, by their node ids.
    pub fn deployment_states(&self, node_ids: &[String]) -> HttpRequest {
        self.graphql(DEPLOYMENT_STATES, json!({ "ids": node_ids }))
    }

    /// Deletes these deployments (node ids) in one request.
    pub fn delete_deployments(&self, node_ids: &[String]) -> HttpRequest {
        let variables: serde_json::Map<String, Value> = node_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("d{i}"), json!(id)))
            .collect();
        self.graphql(
            &delete_deployments_document(node_ids.len()),
            Value::Object(variables),
        )
    }
}

/// `ids` in batches of at most [`NODES_PER_QUERY`], in order, each id once.
pub fn batches(ids: &[String]) -> Vec<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<String> = ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect();
    unique
        .chunks(NODES_PER_QUERY)
        .map(<[String]>::to_vec)
        .collect()
}

/// One error of a GraphQL answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GraphqlError {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub path: Vec<Value>,
    #[serde(default)]
    pub extensions: Option<Value>,
}

impl GraphqlError {
    fn code(&self) -> Option<&str> {
        self.extensions.as_ref()?.get("code")?.as_str()
    }
}

/// Why a GraphQL answer gives nothing to use.
#[derive(Debug, Clone, PartialEq)]
pub enum GraphqlFailure {
    /// GraphQL cannot be used on this host — no answer a page may read (a network or CORS failure), a 404, a
    /// 502 or 504, a body that is not JSON, or a field this server does not know: use REST for the session.
    Unavailable { why: String },
    /// The hourly points are used up (an HTTP 200 with RATE_LIMITED): wait until `reset`, as for REST's
    /// primary limit.
    RateLimited { reset: Option<Timestamp> },
    /// Refused as REST would refuse it (401, 403): the same error and remedy.
    Api(ApiError),
    /// Errors and no data: the document itself was refused (a limit, a bad variable).
    Refused(Vec<GraphqlError>),
}

impl GraphqlFailure {
    /// Whether this failure sends the host back to REST for the rest of the session.
    pub fn falls_back(&self) -> bool {
        matches!(self, GraphqlFailure::Unavailable { .. })
    }

    /// Until when GraphQL requests wait after this failure (ms since the epoch): RATE_LIMITED's reset — or a
    /// minute from `now` when the answer gave none or one already past here (a clock running ahead), and at
    /// most the budget's longest wait (an hour) for one further away than any GitHub window.
    pub fn wait_until(&self, now_ms: u64) -> Option<u64> {
        match self {
            GraphqlFailure::RateLimited { reset } => Some(
                reset
                    .and_then(|r| u64::try_from(r.unix_millis()).ok())
                    .filter(|at| *at > now_ms)
                    .map(|at| at.min(now_ms.saturating_add(crate::api::budget::MAX_WAIT)))
                    .unwrap_or(now_ms.saturating_add(60_000)),
            ),
            _ => None,
        }
    }

    /// What to tell the user once, in plain words, when the host falls back.
    pub fn note(&self) -> Option<String> {
        match self {
            GraphqlFailure::Unavailable { why } => Some(format!(
                "This server's GraphQL API could not be used ({why}), so Deploydeck reads each deployment's state through the REST API instead: the same results, one request per deployment."
            )),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

/// A GraphQL answer: its data, with any errors met on the way (a node not found, a field refused).
pub fn decode_graphql<T: DeserializeOwned>(
    response: &HttpResponse,
) -> Result<(T, Vec<GraphqlError>), GraphqlFailure> {
    let unavailable = |why: &str| GraphqlFailure::Unavailable {
        why: why.to_owned(),
    };
    match response.status {
        0 => return Err(unavailable("no answer the page could read")),
        404 => return Err(unavailable("it answered 404")),
        502 | 504 => return Err(unavailable("it timed out")),
        401 | 403 | 429 => return Err(GraphqlFailure::Api(error_from(response))),
        s if !(200..300).contains(&s) => return Err(unavailable(&format!("it answered {s}"))),
        _ => {}
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope<Value>>(&response.body) else {
        return Err(unavailable("its answer was not JSON"));
    };
    let errors = envelope.errors;
    if errors
        .iter()
        .any(|e| matches!(e.kind.as_deref(), Some("RATE_LIMITED" | "RATE_LIMIT")))
    {
        let reset = response
            .header("x-ratelimit-reset")
            .and_then(|r| r.trim().parse::<i64>().ok())
            .map(Timestamp::from_unix);
        return Err(GraphqlFailure::RateLimited { reset });
    }
    if errors.iter().any(|e| e.code() == Some("undefinedField")) {
        return Err(unavailable("it does not know a field Deploydeck asks for"));
    }
    match envelope.data {
        Some(Value::Null) | None => Err(GraphqlFailure::Refused(errors)),
        Some(data) => serde_json::from_value(data)
            .map(|data| (data, errors))
            .map_err(|_| unavailable("its answer had an unexpected shape")),
    }
}

/// GraphQL's `DeploymentState` (derived: ACTIVE is a success still live; docs/github-api.md §13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GraphqlDeploymentState {
    Abandoned,
    Active,
    Destroyed,
    Error,
    Failure,
    Inactive,
    InProgress,
    Pending,
    Queued,
    Success,
    Waiting,
}

/// The latest status of a deployment as GraphQL gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LatestStatus {
    #[serde(deserialize_with = "status_state")]
    pub state: DeploymentState,
    pub created_at: Timestamp,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub environment_url: Option<String>,
    #[serde(default)]
    pub log_url: Option<String>,
    #[serde(default)]
    pub creator: Option<Login>,
}

impl From<LatestStatus> for Latest {
    fn from(s: LatestStatus) -> Self {
        Latest {
            state: s.state,
            created_at: s.created_at,
            creator: s.creator,
            description: s.description.unwrap_or_default(),
            environment: s.environment.unwrap_or_default(),
            environment_url: s.environment_url.unwrap_or_default(),
            log_url: s.log_url.unwrap_or_default(),
            id: None,
        }
    }
}

/// `DeploymentStatusState` in capitals → REST's state.
pub(crate) fn status_state<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<DeploymentState, D::Error> {
    let text = String::deserialize(d)?;
    let lower = text.to_ascii_lowercase();
    DeploymentState::ALL
        .into_iter()
        .find(|s| s.as_str() == lower)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown status state {text}")))
}

/// One deployment's state, from `nodes(ids:)`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentNode {
    pub id: String,
    /// REST's id (GitHub's numbers pass 2^31: read as 64-bit).
    pub database_id: DeploymentId,
    pub state: Option<GraphqlDeploymentState>,
    pub latest_status: Option<LatestStatus>,
}

#[derive(Deserialize)]
struct StatesData {
    nodes: Vec<Option<DeploymentNode>>,
}

/// The answer to [`Client::deployment_states`]: each asked id's node (`None`: not found or not visible),
/// in the order asked.
pub fn decode_states(
    response: &HttpResponse,
) -> Result<Vec<Option<DeploymentNode>>, GraphqlFailure> {
    decode_graphql::<StatesData>(response).map(|(data, _)| data.nodes)
}

/// What one [`Client::deployment_states`] answer says of the node ids `asked`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatesRead {
    /// Each deployment found, by REST id, with its latest status (`None`: it has none yet).
    pub found: Vec<(DeploymentId, Option<Latest>)>,
    /// The node ids GitHub did not resolve (deleted meanwhile, or not visible): a partial answer's `null`s.
    pub missing: Vec<String>,
}

/// Reads the answer to the states of `asked` (in the order asked): a `null` node, with or without its
/// NOT_FOUND error beside the data, is missing; the rest are found.
pub fn read_states(
    asked: &[String],
    response: &HttpResponse,
) -> Result<StatesRead, GraphqlFailure> {
    let nodes = decode_states(response)?;
    let mut read = StatesRead::default();
    for (i, id) in asked.iter().enumerate() {
        match nodes.get(i).cloned().flatten() {
            Some(node) if node.id == *id => read
                .found
                .push((node.database_id, node.latest_status.map(Latest::from))),
            _ => read.missing.push(id.clone()),
        }
    }
    Ok(read)
}

/// The answer to [`Client::delete_deployments`]: for each id asked, `Ok` when deleted, else GitHub's error
/// for it (each alias answered on its own).
pub fn decode_deletes(
    response: &HttpResponse,
    count: usize,
) -> Result<Vec<Result<(), String>>, GraphqlFailure> {
    let (data, errors) = decode_graphql::<serde_json::Map<String, Value>>(response)?;
    Ok((0..count)
        .map(|i| {
            let key = format!("d{i}");
            match data.get(&key) {
                Some(Value::Object(_)) => Ok(()),
                _ => Err(errors
                    .iter()
                    .find(|e| e.path.first().and_then(Value::as_str) == Some(key.as_str()))
                    .map_or_else(
                        || "GitHub did not delete it".to_owned(),
                        |e| e.message.clone(),
                    )),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Token;

    fn answer(status: u16, body: Value) -> HttpResponse {
        let mut r = HttpResponse::new(status);
        r.body = body.to_string().into_bytes();
        r
    }

    #[test]
    fn endpoints_for_each_kind_of_host() {
        assert_eq!(
            ApiBase::github_com().graphql_url(),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            ApiBase::enterprise("ghe.example.com")
                .unwrap()
                .graphql_url(),
            "https://ghe.example.com/api/graphql"
        );
        assert_eq!(
            ApiBase::custom("http://127.0.0.1:8787")
                .unwrap()
                .graphql_url(),
            "http://127.0.0.1:8787/graphql"
        );
        assert_eq!(
            ApiBase::custom("http://127.0.0.1:8787/api/v3")
                .unwrap()
                .graphql_url(),
            "http://127.0.0.1:8787/api/graphql"
        );
    }

    #[test]
    fn the_request_carries_the_token_only_in_its_header() {
        let client = Client::new(ApiBase::github_com(), Token::new("ghp_secret"));
        let request = client.deployment_states(&["DE_1".into(), "DE_2".into()]);
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.url, "https://api.github.com/graphql");
        assert_eq!(request.header("authorization"), Some("bearer ghp_secret"));
        let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["variables"], json!({ "ids": ["DE_1", "DE_2"] }));
        assert!(!request.url.contains("ghp_secret") && !body.to_string().contains("ghp_secret"));
        let delete = client.delete_deployments(&["DE_1".into(), "DE_2".into()]);
        let body: Value = serde_json::from_str(delete.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["variables"], json!({ "d0": "DE_1", "d1": "DE_2" }));
        assert!(body["query"]
            .as_str()
            .unwrap()
            .contains("d1: deleteDeployment(input: {id: $d1})"));
    }

    #[test]
    fn states_decode_with_rest_states_and_64_bit_ids() {
        let body = json!({"data": {"nodes": [
            {"__typename": "Deployment", "id": "DE_a", "databaseId": 4442074271u64, "state": "ACTIVE",
             "latestStatus": {"__typename": "DeploymentStatus", "state": "SUCCESS", "createdAt": "2026-01-02T03:04:05Z",
                              "description": "", "environment": "production", "environmentUrl": null, "logUrl": "https://ci.example/1",
                              "creator": {"__typename": "User", "login": "octocat"}}},
            null,
            {"__typename": "Deployment", "id": "DE_c", "databaseId": 7, "state": "ABANDONED", "latestStatus": null},
            {"__typename": "Deployment", "id": "DE_d", "databaseId": 8, "state": "WAITING",
             "latestStatus": {"__typename": "DeploymentStatus", "state": "WAITING", "createdAt": "2026-01-02T03:04:05Z",
                              "description": "", "environment": "production", "environmentUrl": null, "logUrl": null,
                              "creator": {"__typename": "Bot", "login": "github-actions"}}}
        ], "rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2026-01-02T04:00:00Z"}},
        "errors": [{"type": "NOT_FOUND", "path": ["nodes", 1], "message": "Could not resolve to a node with the global id of 'x'"}]});
        let nodes = decode_states(&answer(200, body)).unwrap();
        let first = nodes[0].as_ref().unwrap();
        assert_eq!(first.database_id, DeploymentId(4_442_074_271));
        assert_eq!(first.state, Some(GraphqlDeploymentState::Active));
        let latest = first.latest_status.as_ref().unwrap();
        assert_eq!(latest.state, DeploymentState::Success);
        assert_eq!(latest.creator.as_ref().unwrap().login, "octocat");
        assert!(nodes[1].is_none());
        assert_eq!(
            nodes[2].as_ref().unwrap().state,
            Some(GraphqlDeploymentState::Abandoned)
        );
        // A job waiting for a review: its deployment waits too (docs/github-api.md §14).
        let waiting = nodes[3].as_ref().unwrap();
        assert_eq!(waiting.state, Some(GraphqlDeploymentState::Waiting));
        assert_eq!(
            waiting.latest_status.as_ref().map(|s| s.state),
            Some(DeploymentState::Waiting)
        );
    }

    #[test]
    fn what_falls_back_to_rest_and_what_waits() {
        let falls = |r: &HttpResponse| decode_states(r).unwrap_err().falls_back();
        assert!(falls(&HttpResponse::new(0)), "a network or CORS failure");
        assert!(falls(&answer(404, json!({"message": "Not Found"}))));
        assert!(falls(&answer(502, json!({}))));
        let mut html = HttpResponse::new(200);
        html.body = b"<html>sign in</html>".to_vec();
        assert!(falls(&html), "not JSON");
        let undefined = json!({"errors": [{"path": ["query"], "extensions": {"code": "undefinedField", "typeName": "Deployment", "fieldName": "latestStatus"}, "message": "Field 'latestStatus' doesn't exist on type 'Deployment'"}]});
        assert!(falls(&answer(200, undefined)), "an older GHES");
        let mut limited = answer(
            200,
            json!({"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]}),
        );
        limited.headers.append("x-ratelimit-reset", "1800000000");
        assert_eq!(
            decode_states(&limited).unwrap_err(),
            GraphqlFailure::RateLimited {
                reset: Some(Timestamp::from_unix(1_800_000_000))
            }
        );
        let limited_2026 = answer(
            200,
            json!({"errors": [{"type": "RATE_LIMIT", "code": "graphql_rate_limit", "message": "API rate limit already exceeded for user ID 1."}]}),
        );
        let ten_minutes_before = 1_800_000_000_000 - 600_000;
        assert_eq!(
            decode_states(&limited)
                .unwrap_err()
                .wait_until(ten_minutes_before),
            Some(1_800_000_000_000)
        );
        assert_eq!(
            decode_states(&limited).unwrap_err().wait_until(0),
            Some(crate::api::budget::MAX_WAIT),
            "a reset further away than any GitHub window: an hour at most"
        );
        assert_eq!(
            decode_states(&limited)
                .unwrap_err()
                .wait_until(1_800_000_120_000),
            Some(1_800_000_180_000),
            "a reset already past here (a clock running ahead): a minute, not at once"
        );
        assert_eq!(
            decode_states(&limited).unwrap_err().wait_until(u64::MAX),
            Some(u64::MAX),
            "no overflow"
        );
        assert_eq!(
            decode_states(&limited_2026).unwrap_err().wait_until(5),
            Some(60_005),
            "no reset: a minute"
        );
        assert!(matches!(
            decode_states(&limited_2026),
            Err(GraphqlFailure::RateLimited { .. })
        ));
        let refused = answer(
            200,
            json!({"data": null, "errors": [{"type": "ARGUMENT_LIMIT", "message": "You may not provide more than 100 node ids; you provided 101."}]}),
        );
        assert!(
            matches!(decode_states(&refused), Err(GraphqlFailure::Refused(e)) if e[0].kind.as_deref() == Some("ARGUMENT_LIMIT"))
        );
        let bad = answer(
            401,
            json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/graphql"}),
        );
        assert!(matches!(
            decode_states(&bad),
            Err(GraphqlFailure::Api(ApiError::Unauthorized { .. }))
        ));
        assert!(GraphqlFailure::Unavailable {
            why: "it answered 404".into()
        }
        .note()
        .unwrap()
        .contains("REST"));
    }

    #[test]
    fn a_partial_answer_keeps_what_was_found_and_names_what_was_not() {
        let body = json!({"data": {"nodes": [
            {"__typename": "Deployment", "id": "DE_a", "databaseId": 1, "state": "INACTIVE",
             "latestStatus": {"__typename": "DeploymentStatus", "state": "INACTIVE", "createdAt": "2026-01-02T03:04:05Z",
                              "description": null, "environment": "staging", "environmentUrl": null, "logUrl": null, "creator": null}},
            null,
            {"__typename": "Deployment", "id": "DE_c", "databaseId": 3, "state": "PENDING", "latestStatus": null}
        ]}, "errors": [{"type": "NOT_FOUND", "path": ["nodes", 1], "message": "Could not resolve to a node with the global id of 'DE_b'"}]});
        let asked = ["DE_a".to_owned(), "DE_b".to_owned(), "DE_c".to_owned()];
        let read = read_states(&asked, &answer(200, body)).unwrap();
        assert_eq!(read.missing, vec!["DE_b".to_owned()]);
        assert_eq!(read.found.len(), 2);
        let (id, latest) = &read.found[0];
        assert_eq!(*id, DeploymentId(1));
        let latest = latest.as_ref().unwrap();
        assert_eq!(latest.state, DeploymentState::Inactive);
        assert_eq!((latest.id, latest.environment.as_str()), (None, "staging"));
        assert_eq!(read.found[1], (DeploymentId(3), None));
    }

    #[test]
    fn deletes_are_answered_one_by_one() {
        let body = json!({"data": {"d0": {"clientMutationId": null}, "d1": null},
            "errors": [{"type": "UNPROCESSABLE", "path": ["d1"], "message": "We cannot delete an active deployment unless it is the only deployment in a given environment."}]});
        let results = decode_deletes(&answer(200, body), 2).unwrap();
        assert_eq!(results[0], Ok(()));
        assert!(results[1]
            .as_ref()
            .unwrap_err()
            .starts_with("We cannot delete an active deployment"));
    }
}
