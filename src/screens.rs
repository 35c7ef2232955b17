//! Code loaded on demand. The first load carries the shell and the connect form; checking a token (the access
//! probe and its report) and a repository's screens come in their own WebAssembly modules, fetched the first
//! time they are needed (code both use lands in a shared module fetched with either). The shipped build splits at these functions (`split` feature: `wasm-split-cli`
//! cuts the module at each `wasm_split` point, see `scripts/build-app.sh`); other builds (the browser tests)
//! call them directly.

use std::future::Future;
use std::pin::Pin;

use deploydeck_core::location::AppLocation;
use deploydeck_core::response::ApiError;
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::api::{Api, Connected};
use crate::components::{AccessPanel, ErrorPanel};

/// A screen's module could not be fetched (offline, or the site was redeployed since this page loaded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its module could not be fetched")]
pub struct ScreenLoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ScreenLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ScreenLoadError
    }
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(
        repo_screen,
        wasm_split_path = ::leptos::wasm_split,
        preload(#[doc(hidden)] preload_repo_screen_module),
        fallible
    )
)]
fn repo_screen_view(location: AppLocation) -> Result<AnyView, ScreenLoadError> {
    Ok(view! { <crate::pages::RepoScreen location=location/> }.into_any())
}

/// The screens of one repository (navigation, overview and the views), loading their module if needed.
pub async fn repo_screen(location: AppLocation) -> Result<AnyView, ScreenLoadError> {
    #[cfg(feature = "split")]
    {
        repo_screen_view(location).await
    }
    #[cfg(not(feature = "split"))]
    {
        repo_screen_view(location)
    }
}

type Probe = Pin<Box<dyn Future<Output = Result<Connected, ApiError>>>>;

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(
        connect_check,
        wasm_split_path = ::leptos::wasm_split,
        preload(#[doc(hidden)] preload_connect_check_module),
        fallible
    )
)]
fn start_probe(api: Api, repo: RepoRef) -> Result<Probe, ScreenLoadError> {
    Ok(Box::pin(async move { api.probe_access(&repo).await }))
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(connect_check, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn connect_result_view(result: Result<Connected, ApiError>) -> Result<AnyView, ScreenLoadError> {
    Ok(match result {
        Ok(connected) => {
            view! { <AccessPanel report=connected.report login=connected.user.login/> }.into_any()
        }
        Err(error) => view! { <ErrorPanel error=error context="Could not connect"/> }.into_any(),
    })
}

/// What this token can do in `repo` (GET /user, GET /repos/{owner}/{repo}, the scopes), loading the check's
/// module if needed. The outer error: the module could not be fetched.
pub async fn probe_access(
    api: Api,
    repo: RepoRef,
) -> Result<Result<Connected, ApiError>, ScreenLoadError> {
    #[cfg(feature = "split")]
    let probe = start_probe(api, repo).await?;
    #[cfg(not(feature = "split"))]
    let probe = start_probe(api, repo)?;
    Ok(probe.await)
}

/// The report of a connect attempt: what the token can do, or why it was refused and what to do.
pub async fn connect_result(
    result: Result<Connected, ApiError>,
) -> Result<AnyView, ScreenLoadError> {
    #[cfg(feature = "split")]
    {
        connect_result_view(result).await
    }
    #[cfg(not(feature = "split"))]
    {
        connect_result_view(result)
    }
}

/// Starts fetching the token check's module (when the connect form is first used), so pressing Connect
/// waits only for GitHub. A failure is ignored here: `probe_access` reports it.
pub fn preload_connect_check() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = preload_connect_check_module().await;
    });
}

/// Starts fetching the repository screens' module (while a token is being checked, say), so it is there
/// when the screen opens. A failure is ignored here: `repo_screen` reports it when the screen is shown.
pub fn preload_repo_screen() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = preload_repo_screen_module().await;
    });
}
