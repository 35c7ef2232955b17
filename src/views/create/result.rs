//! What GitHub answered to a new deployment, explained and recoverable: 201 opens it; 202 says the default
//! branch was merged first and offers to create again; a failed check or a merge conflict offers the way
//! past it; a refused token gets the connect view's diagnosis.

use deploydeck_core::model::NewDeployment;
use deploydeck_core::response::{ApiError, ConflictKind, CreateDeploymentOutcome};
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::components::{ErrorPanel, FailedChecks};
use crate::net::api::Api;
use crate::views::diagnostics::WriteRefused;

#[component]
pub(super) fn CreateResult(
    create: Action<NewDeployment, Result<CreateDeploymentOutcome, ApiError>>,
    api: Api,
    repo: RepoRef,
    /// Sends the form again (after a 202).
    again: impl Fn() + Copy + Send + Sync + 'static,
    /// Sends it again with checks skipped (after failed checks).
    on_skip_checks: impl Fn() + Copy + Send + Sync + 'static,
    /// Sends it again without auto-merge (after a merge conflict).
    on_no_merge: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="create-result" aria-live="polite" data-testid="create-result">
            {move || create.value().get().map(|outcome| match outcome {
                Ok(CreateDeploymentOutcome::Created(d)) => view! {
                    <p class="ok">{format!("Created deployment {}. Opening it…", d.id.0)}</p>
                }.into_any(),
                Ok(CreateDeploymentOutcome::AutoMerged(merged)) => view! {
                    <div class="notice" role="status" data-testid="auto-merged">
                        <p><strong>"No deployment yet: GitHub merged the default branch into this ref first."</strong></p>
                        <p>{format!("GitHub said: “{}”. The ref now points at that merge commit; create again to deploy it (or turn auto-merge off to deploy the ref as it was).", merged.message)}</p>
                        <button type="button" class="button primary" on:click=move |_| again()>"Create again"</button>
                    </div>
                }.into_any(),
                Err(error) => {
                    // A conflict has its own way forward under the error; any other refusal is said with the
                    // token's diagnosis (WriteRefused).
                    let conflict = match &error {
                        ApiError::Conflict { conflict: ConflictKind::FailedChecks { contexts }, .. } => Some(view! {
                            <FailedChecks contexts=contexts.clone() action="Create anyway, skipping checks"
                                on_skip=Callback::new(move |()| on_skip_checks()) testid="failed-checks"/>
                        }.into_any()),
                        ApiError::Conflict { conflict: ConflictKind::MergeConflict { base, head }, .. } => {
                            let base = base.clone().unwrap_or_else(|| "the default branch".into());
                            let head = head.clone().unwrap_or_else(|| "this ref".into());
                            Some(view! {
                                <div class="notice" data-testid="merge-conflict">
                                    <p>{format!("Merging {base} into {head} conflicts, so GitHub made no deployment. Resolve the conflict in {head}, or deploy {head} as it is without merging.")}</p>
                                    <button type="button" class="button primary" on:click=move |_| on_no_merge()>"Create without auto-merge"</button>
                                </div>
                            }.into_any())
                        }
                        _ => None,
                    };
                    match conflict {
                        Some(notice) => view! {
                            <ErrorPanel error context="The deployment was not created"/>
                            {notice}
                        }.into_any(),
                        None => view! {
                            <WriteRefused error context="The deployment was not created" api=api.clone() repo=repo.clone()/>
                        }.into_any(),
                    }
                }
            })}
        </div>
    }
}
