//! The views' way to GitHub: the transport (the browser's fetch, or the in-page demo), the API handle over
//! it (core's requests, budget, cache and decoding) with one repository's endpoints as its child
//! (`api::repo`, as octocrab's `repos(…)` handler hangs off `Octocrab`), the fleet's and the review inbox's
//! reads, and the one bounded fan-out.

pub mod api;
pub mod fan_out;
pub mod fleet;
pub mod inbox;
pub mod transport;
