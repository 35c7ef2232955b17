//! Screens loaded on demand. The first load carries the shell and the connect screen; a repository's screens
//! (and what they need: access probe results, the views) come in a second WebAssembly module fetched the
//! first time one is shown. The shipped build splits at these functions (`split` feature: `wasm-split-cli`
//! cuts the module at each `wasm_split` point, see `scripts/build-app.sh`); other builds (the browser tests)
//! call them directly.

use deploydeck_core::location::AppLocation;
use leptos::prelude::*;

/// A screen's module could not be fetched (offline, or the site was redeployed since this page loaded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this screen's code could not be loaded")]
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

/// Starts fetching the repository screens' module (while a token is being checked, say), so it is there
/// when the screen opens. A failure is ignored here: `repo_screen` reports it when the screen is shown.
pub fn preload_repo_screen() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = preload_repo_screen_module().await;
    });
}
