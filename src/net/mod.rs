//! The views' way to GitHub: the transport (the browser's fetch, or the in-page demo), the API handle over
//! it (core's requests, budget, cache and decoding), one repository's endpoints on that handle, and the one
//! bounded fan-out.

pub mod api;
pub mod fan_out;
pub mod fleet;
pub mod repo;
pub mod transport;
