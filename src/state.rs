//! What every view shares: the open connection (one API host, one token) and the last rate-limit snapshot, with
//! connecting, disconnecting and the scoped connection a view uses.

use deploydeck_core::connect::form::{HostChoice, DEMO_TOKEN};
use deploydeck_core::request::{Client, Token};
use deploydeck_core::response::RateLimitSnapshot;
use leptos::prelude::*;

use crate::net::api::Api;
use crate::net::transport::Transport;
use crate::session;

/// State shared by every view: the open connection and the last rate-limit snapshot.
#[derive(Clone, Copy)]
pub struct AppState {
    pub connection: RwSignal<Option<Api>>,
    pub rate: RwSignal<Option<RateLimitSnapshot>>,
    /// A notice for the header, said once (GraphQL given up for REST on this host).
    pub notice: RwSignal<Option<String>>,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            connection: RwSignal::new(None),
            rate: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }

    /// A connection to `host` with `token` (the demo needs none), made current. The open connection is kept
    /// when it is already that (one budget per token: the pace GitHub asks for holds across repositories,
    /// and a cleanup run going on continues).
    pub fn connect(&self, host: HostChoice, token: Option<Token>) -> Option<Api> {
        let same =
            |api: &Api| api.host() == &host && (host.is_demo() || api.token() == token.as_ref());
        if let Some(api) = self.connection.get_untracked().filter(same) {
            return Some(api);
        }
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
        let api = Api::new(
            host,
            Client::new(base, token),
            transport,
            self.rate,
            self.notice,
        );
        self.rate.set(None);
        self.notice.set(None);
        self.connection.set(Some(api.clone()));
        Some(api)
    }

    /// Closes the connection (nothing kept of it here: the token's storage is `session`'s).
    pub fn disconnect(&self) {
        self.connection.set(None);
        self.rate.set(None);
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
