//! The tagged errors of `response` read back from JSON (a kept cleanup run, a run another tab follows) through
//! one flat record each, in exactly the form their derived `Serialize` writes.
//!
//! Why not `#[derive(Deserialize)]` with `tag = "kind"`: serde reads an internally tagged enum by first copying
//! the whole object into its generic `Content` buffer, then running one visitor per variant over that buffer; for
//! [`ApiError`]'s thirteen variants that was 36 KB of WebAssembly before optimisation, the largest function of the
//! code the Cleanup screen fetches (issue 30; `make size` names it). A flat record reads the object once,
//! field by field, and [`TryFrom`] picks the variant: the same JSON, a fraction of the code. Unknown kinds and
//! missing fields are refused as the derive refused them, so an unreadable kept run is still dropped whole
//! (`SavedRun::from_json`) rather than half-read.

use serde::Deserialize;

use crate::api::response::{
    AccessNeeded, ApiError, ConflictKind, ContextState, RateLimitKind, RetryWait, ValidationIssue,
    WaitWhy,
};

/// What a record's `TryFrom` refuses (the wire's, shared with its own records).
pub(crate) use deploydeck_wire::record::{need, unknown};

/// [`ApiError`] as written: `kind` and the union of every variant's fields.
#[derive(Deserialize)]
pub(crate) struct ErrorRecord {
    kind: String,
    message: Option<String>,
    needed: Option<AccessNeeded>,
    conflict: Option<ConflictKind>,
    issues: Option<Vec<ValidationIssue>>,
    limit: Option<RateLimitKind>,
    wait: Option<RetryWait>,
    status: Option<u16>,
    seconds: Option<u64>,
    link: Option<String>,
    expected: Option<String>,
    why: Option<String>,
    pages: Option<u32>,
    items: Option<usize>,
    what: Option<String>,
    name: Option<String>,
}

impl TryFrom<ErrorRecord> for ApiError {
    type Error = String;

    fn try_from(r: ErrorRecord) -> Result<ApiError, String> {
        // Called in one arm at most: the message moves into the error it builds.
        let message = || need(r.message, "message");
        Ok(match r.kind.as_str() {
            "unauthorized" => ApiError::Unauthorized {
                message: message()?,
            },
            "forbidden" => ApiError::Forbidden {
                message: message()?,
                needed: need(r.needed, "needed")?,
            },
            "not_found" => ApiError::NotFound {
                message: message()?,
            },
            "conflict" => ApiError::Conflict {
                message: message()?,
                conflict: need(r.conflict, "conflict")?,
            },
            "validation" => ApiError::Validation {
                message: message()?,
                issues: need(r.issues, "issues")?,
            },
            "rate_limited" => ApiError::RateLimited {
                limit: need(r.limit, "limit")?,
                wait: need(r.wait, "wait")?,
                message: message()?,
            },
            "server" => ApiError::Server {
                status: need(r.status, "status")?,
                message: message()?,
            },
            "network" => ApiError::Network {
                message: message()?,
            },
            "timed_out" => ApiError::TimedOut {
                seconds: need(r.seconds, "seconds")?,
            },
            "decode" => ApiError::Decode {
                message: message()?,
            },
            "unexpected" => ApiError::Unexpected {
                status: need(r.status, "status")?,
                message: message()?,
            },
            "link_not_followed" => ApiError::LinkNotFollowed {
                link: need(r.link, "link")?,
                expected: need(r.expected, "expected")?,
            },
            "paging_broken" => ApiError::PagingBroken {
                why: need(r.why, "why")?,
                pages: need(r.pages, "pages")?,
                items: need(r.items, "items")?,
            },
            "not_a_path_segment" => ApiError::NotAPathSegment {
                what: need(r.what, "what")?,
                name: need(r.name, "name")?,
                why: need(r.why, "why")?,
            },
            other => return Err(unknown("kind", other)),
        })
    }
}

/// [`ConflictKind`] as written.
#[derive(Deserialize)]
pub(crate) struct ConflictRecord {
    kind: String,
    base: Option<String>,
    head: Option<String>,
    contexts: Option<Vec<ContextState>>,
}

impl TryFrom<ConflictRecord> for ConflictKind {
    type Error = String;

    fn try_from(r: ConflictRecord) -> Result<ConflictKind, String> {
        Ok(match r.kind.as_str() {
            "merge_conflict" => ConflictKind::MergeConflict {
                base: r.base,
                head: r.head,
            },
            "failed_checks" => ConflictKind::FailedChecks {
                contexts: need(r.contexts, "contexts")?,
            },
            "other" => ConflictKind::Other,
            other => return Err(unknown("kind", other)),
        })
    }
}

/// [`WaitWhy`] as written.
#[derive(Deserialize)]
pub(crate) struct WaitWhyRecord {
    kind: String,
    asked_secs: Option<u64>,
}

impl TryFrom<WaitWhyRecord> for WaitWhy {
    type Error = String;

    fn try_from(r: WaitWhyRecord) -> Result<WaitWhy, String> {
        Ok(match r.kind.as_str() {
            "as_asked" => WaitWhy::AsAsked,
            "too_long" => WaitWhy::TooLong {
                asked_secs: need(r.asked_secs, "asked_secs")?,
            },
            "reset_passed" => WaitWhy::ResetPassed,
            "no_time" => WaitWhy::NoTime,
            other => return Err(unknown("kind", other)),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::timestamp::Timestamp;

    fn text() -> impl Strategy<Value = String> {
        "[a-z “”\\\\\"{}]{0,12}"
    }

    fn wait_why() -> impl Strategy<Value = WaitWhy> {
        prop_oneof![
            Just(WaitWhy::AsAsked),
            any::<u64>().prop_map(|asked_secs| WaitWhy::TooLong { asked_secs }),
            Just(WaitWhy::ResetPassed),
            Just(WaitWhy::NoTime),
        ]
    }

    fn retry_wait() -> impl Strategy<Value = RetryWait> {
        prop_oneof![
            any::<u64>().prop_map(RetryWait::Seconds),
            (0i64..4_000_000_000).prop_map(|s| RetryWait::Until(Timestamp::from_unix(s))),
            (any::<u64>(), wait_why()).prop_map(|(secs, why)| RetryWait::Instead { secs, why }),
        ]
    }

    fn conflict() -> impl Strategy<Value = ConflictKind> {
        prop_oneof![
            (proptest::option::of(text()), proptest::option::of(text()))
                .prop_map(|(base, head)| ConflictKind::MergeConflict { base, head }),
            proptest::collection::vec((text(), text()), 0..3).prop_map(|c| {
                ConflictKind::FailedChecks {
                    contexts: c
                        .into_iter()
                        .map(|(context, state)| ContextState { context, state })
                        .collect(),
                }
            }),
            Just(ConflictKind::Other),
        ]
    }

    fn needed() -> impl Strategy<Value = AccessNeeded> {
        (
            proptest::collection::vec(text(), 0..3),
            proptest::option::of(proptest::collection::vec(text(), 0..3)),
            proptest::option::of(text()),
            any::<bool>(),
        )
            .prop_map(
                |(classic_scopes, token_scopes, fine_grained, fine_grained_refused)| AccessNeeded {
                    classic_scopes,
                    token_scopes,
                    fine_grained,
                    fine_grained_refused,
                },
            )
    }

    fn issue() -> impl Strategy<Value = ValidationIssue> {
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
        )
            .prop_map(|(field, code, resource, message)| ValidationIssue {
                field,
                code,
                resource,
                message,
            })
    }

    /// Every variant, with arbitrary values.
    pub(crate) fn api_error() -> impl Strategy<Value = ApiError> {
        let limit = prop_oneof![Just(RateLimitKind::Primary), Just(RateLimitKind::Secondary)];
        prop_oneof![
            text().prop_map(|message| ApiError::Unauthorized { message }),
            (text(), needed())
                .prop_map(|(message, needed)| ApiError::Forbidden { message, needed }),
            text().prop_map(|message| ApiError::NotFound { message }),
            (text(), conflict())
                .prop_map(|(message, conflict)| ApiError::Conflict { message, conflict }),
            (text(), proptest::collection::vec(issue(), 0..3))
                .prop_map(|(message, issues)| ApiError::Validation { message, issues }),
            (limit, retry_wait(), text()).prop_map(|(limit, wait, message)| {
                ApiError::RateLimited {
                    limit,
                    wait,
                    message,
                }
            }),
            (any::<u16>(), text())
                .prop_map(|(status, message)| ApiError::Server { status, message }),
            text().prop_map(|message| ApiError::Network { message }),
            any::<u64>().prop_map(|seconds| ApiError::TimedOut { seconds }),
            text().prop_map(|message| ApiError::Decode { message }),
            (any::<u16>(), text())
                .prop_map(|(status, message)| ApiError::Unexpected { status, message }),
            (text(), text())
                .prop_map(|(link, expected)| ApiError::LinkNotFollowed { link, expected }),
            (text(), any::<u32>(), any::<usize>())
                .prop_map(|(why, pages, items)| ApiError::PagingBroken { why, pages, items }),
            (text(), text(), text()).prop_map(|(what, name, why)| ApiError::NotAPathSegment {
                what,
                name,
                why
            }),
        ]
    }

    proptest! {
        /// Whatever the derived `Serialize` writes, the record reads back as the same error.
        #[test]
        fn every_error_reads_back_as_written(error in api_error()) {
            let json = serde_json::to_string(&error).unwrap();
            prop_assert_eq!(serde_json::from_str::<ApiError>(&json).unwrap(), error);
        }

        /// Whatever the bytes, reading never panics.
        #[test]
        fn any_text_is_read_or_refused(text in "\\PC{0,80}") {
            let _ = serde_json::from_str::<ApiError>(&text);
        }
    }

    #[test]
    fn the_written_form_is_the_tagged_one_kept_runs_already_hold() {
        // A run kept by the version before the records (the derive's internally tagged form) still reads.
        let json = r#"{"kind":"rate_limited","limit":"secondary","wait":{"instead":{"secs":60,"why":{"kind":"reset_passed"}}},"message":"slow down"}"#;
        assert_eq!(
            serde_json::from_str::<ApiError>(json).unwrap(),
            ApiError::RateLimited {
                limit: RateLimitKind::Secondary,
                wait: RetryWait::Instead {
                    secs: 60,
                    why: WaitWhy::ResetPassed
                },
                message: "slow down".into()
            }
        );
        let json = r#"{"kind":"conflict","message":"m","conflict":{"kind":"failed_checks","contexts":[{"context":"ci","state":"failure"}]}}"#;
        assert!(matches!(
            serde_json::from_str::<ApiError>(json).unwrap(),
            ApiError::Conflict {
                conflict: ConflictKind::FailedChecks { .. },
                ..
            }
        ));
    }

    #[test]
    fn an_unknown_kind_or_a_missing_field_is_refused_by_name() {
        let err =
            serde_json::from_str::<ApiError>(r#"{"kind":"teapot","message":"m"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown kind `teapot`"), "{err}");
        let err =
            serde_json::from_str::<ApiError>(r#"{"kind":"server","message":"m"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `status`"), "{err}");
        let err = serde_json::from_str::<WaitWhy>(r#"{"kind":"too_long"}"#).unwrap_err();
        assert!(
            err.to_string().contains("missing field `asked_secs`"),
            "{err}"
        );
        let err = serde_json::from_str::<ConflictKind>(r#"{"kind":"failed_checks"}"#).unwrap_err();
        assert!(
            err.to_string().contains("missing field `contexts`"),
            "{err}"
        );
    }
}
