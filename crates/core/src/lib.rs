//! `deploydeck-core`: everything Deploydeck decides about GitHub deployments, with no browser, no async
//! runtime and no I/O. The app performs the requests this crate describes and hands the answers back, in the
//! `handle_*` / `next_*` style of a sans-IO protocol crate; fake-github and the benchmarks share its HTTP values.
//!
//! # Where to start
//!
//! Layers, lowest first; a module imports only from its own layer or lower ones, and a feature never from
//! another feature (`scripts/check-layers.mjs`, in `make lint`). `docs/architecture.md` says the same at length.
//!
//! - **Shared pieces**: from `deploydeck-wire` (the crate the fake shares, so it cannot share the client's
//!   rules) [`text`] (clipped text, counts, durations, CSV, shell words), [`url`] (http(s) URLs,
//!   percent-encoding, path segments), [`timestamp`], [`host`] (host names as requests reach them, `xn--`), with
//!   [`http`] and [`model`]; the client's own [`pattern`] (environment name patterns), [`paging`] (a long
//!   table a page at a time) and [`order`] (the one stable sort).
//! - [`github`]: GitHub's objects ([`model`]), the rules it applies to them ([`rules`]: active, live,
//!   deletable, production) and every field rule it enforces ([`validate`]).
//! - [`api`]: talking to GitHub — [`http`] values, [`request`] builders, [`response`] decoding and
//!   [`response::ApiError`], [`graphql`], [`listing`] (a list through its pages), [`cache`] (ETags), [`budget`]
//!   (pacing), [`floodgate`] (the transport's last line of defence), [`cost`], [`deletion`] (one deployment as
//!   GitHub allows), [`share`] (copy as curl).
//! - **Features**, each a model a view drives: [`history`] (History's filters, spans, exports, chart),
//!   [`cleanup`] (select → plan → run → report, the script, empty environments), [`fleet`] (many repositories
//!   at once), [`reviews`] (runs waiting for a reviewer; the inbox across repositories, decided by commit),
//!   [`connect`] (the connect form, token access, trust, look-alike hosts).
//! - [`location`]: the app's shareable addresses, which name every screen.
//!
//! **A new feature** goes in a folder of its own beside these (`insights/`, `rollback/`), built on `github` and
//! `api` and on nothing of another feature: its model and its tests there, its requests as an `impl Client`
//! block in it, a request no feature owns in `api`. What two features need moves down a layer.
//!
//! The modules of `github`, `api` and `connect` are also re-exported here (`deploydeck_core::model`), so
//! callers' paths stay short; inside this crate every path names its layer (`crate::api::response`).
#![forbid(unsafe_code)]

// Shared pieces: the wire's (what the fake shares, `deploydeck-wire`), and the client's own.
pub use deploydeck_wire::{host, text, timestamp, url};
pub mod order;
pub mod paging;
pub mod pattern;

// GitHub's objects and rules; talking to GitHub.
pub mod api;
pub mod github;

// Features.
pub mod cleanup;
pub mod connect;
pub mod fleet;
pub mod history;
pub mod insights;
pub mod reviews;
pub mod ship;

// The app's addresses.
pub mod location;

pub use api::{
    budget, cache, cost, deletion, floodgate, graphql, http, links, listing, request, response,
    share,
};
pub use connect::{access, lookalike, trust};
pub use github::{model, rules, validate};

pub use api::http::{Headers, HttpRequest, HttpResponse, Method};
pub use api::response::ApiError;
pub use github::model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus, StatusId};
pub use timestamp::Timestamp;
