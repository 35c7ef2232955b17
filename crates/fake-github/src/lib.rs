//! fake-github: a stateful, in-memory GitHub for the deployments API, faithful to
//! `docs/github-api.md` (sections cited in comments).
//!
//! The core is [`Hub::handle`]: a pure `HttpRequest` + [`Ctx`] (time, API base) → `HttpResponse` over the
//! hub's state. Without the `server` feature the crate builds for wasm32 and is the app's in-page demo; with
//! it, `src/main.rs` wraps the same hub in an axum server with test knobs.

mod bodies;
pub mod demo;
pub mod graphql;
pub mod hub;
mod routes;
pub mod seed;
#[cfg(feature = "server")]
pub mod server;

pub use hub::{
    Access, Ctx, DeleteRule, DeleteScope, GraphqlMode, Hub, Level, NonAdmin, Role, Settings,
    UserKind, WaitingInRest,
};
pub use routes::{
    cors_violations, etag_for, API_VERSIONS, EXPOSE_HEADERS, PREFLIGHT_ALLOW_HEADERS,
};
pub use seed::{parse_token_option, Seed};
