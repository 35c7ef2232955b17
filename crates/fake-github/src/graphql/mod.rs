//! GitHub's GraphQL API for the deployments subset (docs/github-api.md §13): `POST /graphql` (GHES
//! `/api/graphql`), parsed with Apollo's `apollo-parser` (`document`), checked against the schema subset and costed
//! (`schema`), and answered over the hub's state — `repository { deployments }`,
//! `nodes(ids:)`, `node(id:)`, `rateLimit`, and the `deleteDeployment` mutation (several, aliased, in one
//! document). Aliases, variables, fragments, inline fragments and `__typename` work; errors have GitHub's
//! shapes and mostly arrive with HTTP 200; points come from their own quota (`x-ratelimit-resource: graphql`),
//! by GitHub's formula; there is no ETag. Run by `exec`.

mod document;
mod exec;
mod schema;

use serde_json::{json, Value};

pub use document::{parse, Document, SyntaxError};
pub use exec::{deployment_state, status_state, Exec};
pub use schema::{prepare, Request};

/// Points a document costs and the nodes it may return (GitHub's formula: every connection asked is one
/// request per parent, assuming full pages; the sum over 100, rounded, at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    pub requests: u64,
    pub nodes: u64,
}

impl Cost {
    pub fn points(self) -> u64 {
        ((self.requests + 50) / 100).max(1)
    }
}

/// How a document went: `errors` only (no `data`: it was refused before running), or `data` with any
/// errors met on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub body: Value,
    pub cost: Cost,
    pub mutation: bool,
}

/// What the caller may do, as routes' authorisation decides it for one repository and one need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Yes,
    /// Invisible: GraphQL's NOT_FOUND.
    Hidden,
    /// Visible but refused: FORBIDDEN.
    Refused,
}

/// What the executor asks of the REST side's authorisation, so both APIs share it.
pub trait Rules {
    fn may_read(&self, repo: usize) -> Allowed;
}

/// A document that cannot run, as GitHub reports it (HTTP 200, `errors` only).
pub fn refusal(errors: Vec<Value>) -> Value {
    json!({ "errors": errors })
}
