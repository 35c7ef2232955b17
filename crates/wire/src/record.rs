//! Reading a tagged enum through one flat record (the tag plus the union of its variants' fields) rather than
//! serde's derive, whose internally tagged form buffers each object and runs a visitor per variant: far less
//! WebAssembly for the same JSON (why, and the client's records: core's `api::records`). What a record's
//! `TryFrom` refuses, worded as serde's derive words it.

/// A required field of the variant the tag names, or serde's "missing field" error for it.
pub fn need<T>(value: Option<T>, field: &'static str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

/// The error for a tag (`kind`, `state`, `type`) no variant has.
pub fn unknown(tag: &str, value: &str) -> String {
    format!("unknown {tag} `{value}`")
}
