//! Deploydeck: GitHub Deployments from the browser. This is the root: `App` wires the router, the layout and
//! the shared state; `Header` shows where the page is. Everything else is a module below: `views` (one folder
//! per view, and the loader, the only module naming every on-demand view) above `runs` (cleanup runs, which
//! outlive the view that starts them), `components`, `net`, `state`, `router`, `session` and the rest. Nothing below the views imports a view or this root
//! (`scripts/check-layers.sh` checks it in `make test`). The domain lives in `deploydeck-core`.

pub mod boot;
pub mod clock;
pub mod components;
pub mod download;
pub mod href;
pub mod net;
pub mod on_demand;
pub mod router;
pub mod runs;
pub mod session;
pub mod state;
pub mod tasks;
pub mod views;

use leptos::prelude::*;

use crate::components::{HeaderNotice, HostName, RateGauge};
use crate::href::app_href;
use crate::router::{provide_nav, use_nav, Route};
use crate::state::AppState;
use crate::views::{loader, on_demand, ConnectView, NotFound, RepoView};

/// Starts the app once the page wants it (`public/boot.js` says when: at once for a deep link or a returning
/// visitor, else on the first interaction or when the page is idle), from its own module in the shipped build:
/// the first load carries only what fetches it, and the static first screen needs none of it (issue 30). If the
/// module cannot be fetched, the static screen says so and the next Connect tries again.
pub async fn start() {
    boot::wanted().await;
    while app_root().await.is_err() {
        boot::unavailable();
        if !boot::pressed_again().await {
            break;
        }
    }
}

crate::on_demand::on_demand! {
    /// The app: takes the static first screen over and mounts `App`.
    pub async fn app_root() -> ();
    in app_root as app_root_module
    {
        boot::take_over();
        leptos::mount::mount_to_body(App);
        // After the mount's own updates (a controlled input's value is set then, which moves its caret),
        // before the next paint.
        request_animation_frame(boot::restore_focus);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let route = provide_nav().route();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header/>
        <main id="main" tabindex="-1">
            {move || match route.get() {
                Route::Connect => ConnectView().into_any(),
                Route::Repository => RepoView().into_any(),
                Route::Fleet(_) => on_demand(loader::fleet_screen()),
                Route::NotFound => NotFound().into_any(),
            }}
        </main>
    }
}

#[component]
fn Header() -> impl IntoView {
    // Host, repository and the demo badge describe the view on show, so they are derived from the address
    // (the router's pathname includes the base); the gauge shows the last answer's rate limit.
    let nav = use_nav();
    let on_screen = Memo::new(move |_| nav.location());
    let host = move || {
        on_screen.with(|l| {
            l.as_ref()
                .map(|l| view! { <HostName host=l.host.shown()/> })
        })
    };
    let repo = move || on_screen.with(|l| l.as_ref().map(|l| l.repo.to_string()));
    let demo = move || on_screen.with(|l| l.as_ref().is_some_and(|l| l.host.is_demo()));
    view! {
        <header class="app-header">
            <a href=app_href("/") class="brand">"Deploydeck"</a>
            <div class="where" data-testid="where">
                <span class="host">{host}</span>
                <span class="repo">{repo}</span>
                <Show when=demo>
                    <span class="badge demo-badge" data-testid="demo-badge">"Simulated data"</span>
                </Show>
            </div>
            <RateGauge/>
            <HeaderNotice/>
        </header>
    }
}
