//! `deploydeck-core`: everything Deploydeck decides about GitHub deployments, with no browser, no async
//! runtime and no I/O. The app performs the requests this crate describes and hands the responses back;
//! fake-github and the benchmarks share its HTTP values.
//!
//! Module map (see `docs/architecture.md`): [`http`] plain request/response values; [`model`] GitHub's objects;
//! [`validate`] every field rule, all problems at once; [`request`] typed operations → requests;
//! [`response`] responses → typed values or [`response::ApiError`]; [`rules`] what GitHub does and allows;
//! [`cleanup`] the bulk-delete planner and run state machine; [`budget`] pacing; [`cache`] conditional GETs; [`history`] the History view's filters, spans, exports,
//! chart and row window; [`paging`] a long table a page at a time;
//! [`text`] API text clipped for lists; [`location`] the app's shareable URLs; [`host`] host names as requests reach them (`xn--`); [`access`] what a token can do in a repository; [`trust`] when a first token for a host needs a yes; [`review`] deployments waiting for a review; [`share`] a
//! request as a curl or gh command, without the token.
#![forbid(unsafe_code)]

pub mod access;
pub mod budget;
pub mod cache;
pub mod cleanup;
pub mod cost;
pub mod fleet;
pub mod floodgate;
pub mod graphql;
pub mod history;
pub mod host;
pub mod http;
pub mod listing;
pub mod location;
pub mod lookalike;
pub mod model;
pub mod paging;
pub mod pattern;
pub mod request;
pub mod response;
pub mod review;
pub mod rules;
pub mod share;
pub mod text;
pub mod timestamp;
pub mod trust;
pub mod url;
pub mod validate;

pub use http::{Headers, HttpRequest, HttpResponse, Method};
pub use model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus, StatusId};
pub use response::ApiError;
pub use timestamp::Timestamp;
