//! `deploydeck-wire`: what Deploydeck's client (`deploydeck-core`) and its fake GitHub (`fake-github`, also the
//! in-page demo) share — and nothing of the client's decisions, so the fake cannot mirror a wrong rule:
//!
//! - [`http`]: plain request and response values;
//! - [`model`]: GitHub's objects exactly as it sends them (deployments, statuses, users, environments); [`record`]:
//!   what a tagged enum read through a flat record refuses;
//! - [`url`]: http(s) URLs, percent-encoding, path segments, query values; [`host`]: host names as requests
//!   reach them (`xn--`); [`timestamp`]: GitHub's times; [`text`]: counts, durations, clipping, CSV, shell words;
//! - [`demo`]: the in-page demo's constants.
#![forbid(unsafe_code)]

pub mod host;
pub mod http;
pub mod model;
pub mod record;
pub mod text;
pub mod timestamp;
pub mod url;

/// The in-page demo: the address it answers on and the token it accepts.
pub mod demo {
    /// The token the in-page demo accepts (it checks tokens like GitHub; this one is public on purpose).
    pub const DEMO_TOKEN: &str = "demo-token";

    /// The API base the in-page demo answers on. `.invalid` can never resolve, so nothing leaves the page.
    pub const DEMO_API_BASE: &str = "https://demo.deploydeck.invalid";
}

pub use timestamp::Timestamp;
