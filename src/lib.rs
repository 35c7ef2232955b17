//! Deploydeck: GitHub Deployments from the browser. `App` wires the router, the layout and the shared state;
//! the domain lives in `deploydeck-core`, the views only call it.

pub mod api;
pub mod boot;
pub mod components;
pub mod download;
pub mod pages;
pub mod router;
pub mod screens;
pub mod session;
pub mod tasks;
pub mod transport;

use deploydeck_core::location::{HostChoice, DEMO_TOKEN};
use deploydeck_core::request::{Client, Token};
use deploydeck_core::response::RateLimitSnapshot;
use leptos::prelude::*;

use crate::api::Api;
use crate::components::RateGauge;
use crate::pages::{ConnectPage, NotFound, RepoPage};
use crate::router::{provide_nav, use_nav, Screen};
use crate::transport::Transport;

/// State shared by every page: the open connection and the last rate-limit snapshot.
#[derive(Clone, Copy)]
pub struct AppState {
    pub connection: RwSignal<Option<Api>>,
    pub rate: RwSignal<Option<RateLimitSnapshot>>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            connection: RwSignal::new(None),
            rate: RwSignal::new(None),
        }
    }

    /// A connection to `host` with `token` (the demo needs none), made current.
    pub fn connect(&self, host: HostChoice, token: Option<Token>) -> Option<Api> {
        let base = host.api_base().ok()?;
        let transport = if host.is_demo() {
            Transport::Demo
        } else {
            Transport::Fetch
        };
        let token = if host.is_demo() {
            Token::new(DEMO_TOKEN)
        } else {
            token
        };
        let api = Api::new(host, Client::new(base, token), transport, self.rate);
        self.rate.set(None);
        self.connection.set(Some(api.clone()));
        Some(api)
    }

    /// The open connection for a view: its requests are aborted when the calling component goes away
    /// (`Api::scoped`). `None` before connecting.
    pub fn scoped_connection(&self) -> Option<Api> {
        self.connection.get_untracked().map(|api| api.scoped())
    }

    /// The current connection when it is to `host`, else one restored from where its token was kept.
    pub fn connection_for(&self, host: &HostChoice) -> Option<Api> {
        if let Some(api) = self.connection.get_untracked().filter(|a| a.host() == host) {
            return Some(api);
        }
        if host.is_demo() {
            return self.connect(host.clone(), None);
        }
        let base = host.api_base().ok()?;
        let token = session::load_token(&base)?;
        self.connect(host.clone(), Some(token))
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// The path the app is served under: `trunk build --public-url /sub/` writes it into the boot script's
/// `data-deploydeck-base` (a `<base>` element is ruled out by the CSP's `base-uri 'none'`).
pub fn app_base() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector("script[data-deploydeck-base]")
                    .ok()
                    .flatten()
            })
            .and_then(|tag| tag.get_attribute("data-deploydeck-base"))
            .map(|base| base.trim_end_matches('/').to_owned())
            .unwrap_or_default()
    })
}

/// The href of an internal link (`path` relative to the app's base): every `<a>` into the app is made with
/// this, so it works under a sub-path, and `router` handles the click without a reload.
pub fn app_href(path: &str) -> String {
    format!("{}{path}", app_base())
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let screen = provide_nav().screen();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header/>
        <main id="main" tabindex="-1">
            {move || match screen.get() {
                Screen::Connect => ConnectPage().into_any(),
                Screen::Repository => RepoPage().into_any(),
                Screen::NotFound => NotFound().into_any(),
            }}
        </main>
    }
}

#[component]
fn Header() -> impl IntoView {
    // Host, repository and the demo badge describe the screen on show, so they are derived from the address
    // (the router's pathname includes the base); the gauge shows the last answer's rate limit.
    let nav = use_nav();
    let on_screen = Memo::new(move |_| nav.location());
    let host = move || on_screen.with(|l| l.as_ref().map(|l| l.host.label()));
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
        </header>
    }
}
