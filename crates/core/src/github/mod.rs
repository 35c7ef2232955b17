//! GitHub's side: its objects exactly as it sends them (`model`), the rules it applies to them — which
//! deployment is active, live or deletable, what counts as production (`rules`) — and every field rule it
//! enforces or implies (`validate`). Nothing here talks to GitHub.

/// GitHub's objects, from the wire crate the fake shares (what GitHub sends is not a client decision).
pub use deploydeck_wire::model;
pub mod rules;
pub mod validate;
