//! Deleting one deployment as GitHub allows it (docs/github-api.md §8.4), step by step: an `inactive` status
//! first when the deployment is active; otherwise the DELETE alone — and should GitHub refuse that DELETE as
//! active anyway (its 422 "cannot delete an active deployment", the docs' stricter reading), the status then and
//! the DELETE once more; refused a second time, it has failed. A 404 at any step means it is gone already (the
//! goal holds). The one statement of the rule: the single delete of a deployment's page and every item of a
//! cleanup run follow it.

use serde::{Deserialize, Serialize};

use crate::api::response::ApiError;

/// A request of the sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteStep {
    /// POST an `inactive` status.
    Deactivate,
    /// DELETE the deployment.
    Delete,
}

/// What follows an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterAnswer {
    /// Send this step next.
    Next(DeleteStep),
    /// GitHub refused the DELETE as active: post the status, then DELETE once more (the second refusal fails).
    RefusedWhileActive,
    /// Deleted; `already_gone` when it answered 404 (deleted elsewhere, or by a request whose answer was lost).
    Deleted { already_gone: bool },
    /// A rate limit: the same step again once the budget allows (nothing settled).
    Again,
    /// The step failed with this error.
    Failed(ApiError),
}

/// The first request: the `inactive` status when the deployment is active, else the DELETE.
pub fn first_step(active: bool) -> DeleteStep {
    if active {
        DeleteStep::Deactivate
    } else {
        DeleteStep::Delete
    }
}

/// What follows `answer` to `step`; `refused_before`: GitHub has already refused this deployment's DELETE as
/// active once (so a second refusal is a failure, not another round).
pub fn after(step: DeleteStep, answer: Result<(), ApiError>, refused_before: bool) -> AfterAnswer {
    match (step, answer) {
        (DeleteStep::Deactivate, Ok(())) => AfterAnswer::Next(DeleteStep::Delete),
        (DeleteStep::Delete, Ok(())) => AfterAnswer::Deleted {
            already_gone: false,
        },
        (DeleteStep::Delete, Err(error)) if error.is_active_refusal() && !refused_before => {
            AfterAnswer::RefusedWhileActive
        }
        (_, Err(ApiError::NotFound { .. })) => AfterAnswer::Deleted { already_gone: true },
        (_, Err(ApiError::RateLimited { .. })) => AfterAnswer::Again,
        (_, Err(error)) => AfterAnswer::Failed(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::response::{RateLimitKind, RetryWait};
    use proptest::prelude::*;

    fn refused() -> ApiError {
        ApiError::Validation {
            message: "We cannot delete an active deployment unless it is the only deployment in a given environment.".into(),
            issues: Vec::new(),
        }
    }

    #[test]
    fn an_active_deployment_gets_its_status_first_and_a_refusal_gets_one_more_round() {
        assert_eq!(first_step(true), DeleteStep::Deactivate);
        assert_eq!(first_step(false), DeleteStep::Delete);
        assert_eq!(
            after(DeleteStep::Deactivate, Ok(()), false),
            AfterAnswer::Next(DeleteStep::Delete)
        );
        assert_eq!(
            after(DeleteStep::Delete, Err(refused()), false),
            AfterAnswer::RefusedWhileActive
        );
        assert_eq!(
            after(DeleteStep::Delete, Err(refused()), true),
            AfterAnswer::Failed(refused()),
            "refused twice: failed, no third round"
        );
        for step in [DeleteStep::Deactivate, DeleteStep::Delete] {
            assert_eq!(
                after(
                    step,
                    Err(ApiError::NotFound {
                        message: "Not Found".into()
                    }),
                    false
                ),
                AfterAnswer::Deleted { already_gone: true }
            );
            let limited = ApiError::RateLimited {
                limit: RateLimitKind::Secondary,
                wait: RetryWait::Seconds(60),
                message: "slow down".into(),
            };
            assert_eq!(after(step, Err(limited), false), AfterAnswer::Again);
        }
    }

    proptest! {
        /// Driven to its end against any answers, the sequence sends at most two DELETEs and two statuses, a
        /// DELETE is always the last request of a success, and a status is never the last request.
        #[test]
        fn the_sequence_ends_within_four_requests(active in any::<bool>(), answers in proptest::collection::vec(0u8..4, 0..6)) {
            let mut step = first_step(active);
            let mut refused_before = false;
            let mut sent = Vec::new();
            for code in answers {
                sent.push(step);
                let answer = match code {
                    0 => Ok(()),
                    1 => Err(refused()),
                    2 => Err(ApiError::NotFound { message: "gone".into() }),
                    _ => Err(ApiError::Server { status: 502, message: "bad".into() }),
                };
                match after(step, answer, refused_before) {
                    AfterAnswer::Next(next) => step = next,
                    AfterAnswer::RefusedWhileActive => {
                        refused_before = true;
                        step = DeleteStep::Deactivate;
                    }
                    AfterAnswer::Deleted { already_gone } => {
                        prop_assert!(already_gone || step == DeleteStep::Delete);
                        break;
                    }
                    AfterAnswer::Again => {}
                    AfterAnswer::Failed(_) => break,
                }
            }
            prop_assert!(sent.iter().filter(|s| **s == DeleteStep::Delete).count() <= 2);
            prop_assert!(sent.iter().filter(|s| **s == DeleteStep::Deactivate).count() <= 2);
        }
    }
}
