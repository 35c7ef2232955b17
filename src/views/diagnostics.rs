//! Under a refused write: what happened, and the connect view's diagnosis of the token, checked again. A view-level piece (it loads
//! the token check's module through the loader), shared by Create and a deployment's view.

use deploydeck_core::response::ApiError;
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::components::ErrorPanel;
use crate::net::api::Api;
use crate::views::loader;

/// A write GitHub refused: what happened and what to do (`ErrorPanel`, under `context`), then — when it was
/// the token's rights (401, 403, 404) — the token's diagnosis here, checked again. The one way Create, repository
/// dispatch and a deployment's status form say a refusal.
#[component]
pub fn WriteRefused(
    error: ApiError,
    #[prop(into)] context: String,
    api: Api,
    repo: RepoRef,
) -> impl IntoView {
    view! {
        <ErrorPanel error=error.clone() context/>
        <AccessDiagnostics error api repo/>
    }
}

/// After a write was refused (401, 403 or 404): the connect screen's diagnosis of this token here — what it
/// can read and write, and what to add — checked again now, under the error. Nothing for other errors.
#[component]
pub fn AccessDiagnostics(error: ApiError, api: Api, repo: RepoRef) -> impl IntoView {
    if !matches!(error.status(), 401 | 403 | 404) {
        return ().into_any();
    }
    let report = LocalResource::new(move || {
        let (api, repo) = (api.clone(), repo.clone());
        async move { loader::probe_access(api, repo).await.ok() }
    });
    view! {
        <div data-testid="access-diagnostics">
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Checking what this token can do here…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Some(result) => loader::connect_result(result).await.ok(),
                        None => None,
                    }
                })}
            </Suspense>
        </div>
    }
    .into_any()
}
