//! Connecting: what the connect form holds and the host it chooses (`form`), what a token can do in a
//! repository (`access`), when a first token for a host needs a yes (`trust`), and a look-alike host named for
//! what it is (`lookalike`).

pub mod access;
pub mod form;
pub mod lookalike;
pub mod trust;
