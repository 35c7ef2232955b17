//! Where the token, the host, the hosts connected to and the recent repositories are kept. The token lives in exactly one place the
//! user chose — this tab (sessionStorage, the default), this device (localStorage), or memory only — and is
//! never written anywhere else: not in a URL, not in the recent list, not in a log.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use deploydeck_core::connect::form::HostChoice;
use deploydeck_core::fleet::{self, Pinned};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::DeploymentId;
use deploydeck_core::request::{ApiBase, Token};
use deploydeck_core::trust::KnownHosts;
use deploydeck_core::validate::RepoRef;
use web_sys::Storage;

/// Where the user chose to keep the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenStorage {
    /// sessionStorage: until this tab is closed.
    #[default]
    Tab,
    /// localStorage: on this device until forgotten.
    Device,
    /// Only in this page's memory: gone on reload.
    Memory,
}

impl TokenStorage {
    pub const ALL: [TokenStorage; 3] = [
        TokenStorage::Tab,
        TokenStorage::Device,
        TokenStorage::Memory,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TokenStorage::Tab => "This tab only (until it is closed)",
            TokenStorage::Device => "This device (until you forget it)",
            TokenStorage::Memory => "Memory only (gone on reload)",
        }
    }

    pub fn value(self) -> &'static str {
        match self {
            TokenStorage::Tab => "tab",
            TokenStorage::Device => "device",
            TokenStorage::Memory => "memory",
        }
    }

    pub fn from_value(value: &str) -> TokenStorage {
        TokenStorage::ALL
            .into_iter()
            .find(|s| s.value() == value)
            .unwrap_or_default()
    }
}

const TOKEN_PREFIX: &str = "deploydeck.token:";
const RECENT_KEY: &str = "deploydeck.recent";
const HOSTS_KEY: &str = "deploydeck.hosts";

fn token_key(base: &ApiBase) -> String {
    format!("{TOKEN_PREFIX}{}", base.root())
}

fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn memory() -> &'static Mutex<HashMap<String, String>> {
    static MEMORY: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    MEMORY.get_or_init(Default::default)
}

/// Keeps `token` for `base` where the user chose, and nowhere else.
pub fn save_token(base: &ApiBase, token: &Token, storage: TokenStorage) {
    forget_token(base);
    let key = token_key(base);
    match storage {
        TokenStorage::Tab => {
            if let Some(s) = session_storage() {
                let _ = s.set_item(&key, token.expose());
            }
        }
        TokenStorage::Device => {
            if let Some(s) = local_storage() {
                let _ = s.set_item(&key, token.expose());
            }
        }
        TokenStorage::Memory => {}
    }
    if let Ok(mut m) = memory().lock() {
        m.insert(key, token.expose().to_owned());
    }
}

/// The token kept for `base`: this tab's, else this device's, else this page's memory.
pub fn load_token(base: &ApiBase) -> Option<Token> {
    let key = token_key(base);
    let stored = [session_storage(), local_storage()]
        .into_iter()
        .flatten()
        .find_map(|s| s.get_item(&key).ok().flatten());
    let text = match stored {
        Some(text) => text,
        None => memory().lock().ok()?.get(&key)?.clone(),
    };
    Token::new(&text)
}

/// Removes the token for `base` from every place.
pub fn forget_token(base: &ApiBase) {
    let key = token_key(base);
    for storage in [session_storage(), local_storage()].into_iter().flatten() {
        let _ = storage.remove_item(&key);
    }
    if let Ok(mut m) = memory().lock() {
        m.remove(&key);
    }
}

/// A repository opened before (never with its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentRepo {
    pub host: HostChoice,
    pub repo: RepoRef,
}

impl RecentRepo {
    /// Its overview's address, which is also how it is stored: one app path per line (no JSON needed on the
    /// first screen).
    pub fn location(&self) -> AppLocation {
        AppLocation::new(self.host.clone(), self.repo.clone(), View::Overview)
    }
}

pub fn recent_repos() -> Vec<RecentRepo> {
    let text = local_storage()
        .and_then(|s| s.get_item(RECENT_KEY).ok().flatten())
        .unwrap_or_default();
    text.lines()
        .filter_map(AppLocation::parse_href)
        .map(|l| RecentRepo {
            host: l.host,
            repo: l.repo,
        })
        .collect()
}

/// Puts `entry` first in the recent list (at most 8; the demo is not remembered).
pub fn remember_repo(entry: RecentRepo) {
    if entry.host.is_demo() {
        return;
    }
    let mut list = recent_repos();
    list.retain(|r| r != &entry);
    list.insert(0, entry);
    list.truncate(8);
    let text: Vec<String> = list.iter().map(|r| r.location().path()).collect();
    if let Some(s) = local_storage() {
        let _ = s.set_item(RECENT_KEY, &text.join("\n"));
    }
}

/// The hosts this browser connected to (their API origins, never a token), with those of the recent list:
/// a link to one of them is not a new host (`deploydeck_core::trust`).
pub fn known_hosts() -> KnownHosts {
    remembered_hosts().and(recent_repos().into_iter().map(|r| r.host))
}

fn remembered_hosts() -> KnownHosts {
    KnownHosts::parse(
        &local_storage()
            .and_then(|s| s.get_item(HOSTS_KEY).ok().flatten())
            .unwrap_or_default(),
    )
}

/// Remembers that this browser connected to `host` (kept on this device whatever the token's storage: it
/// holds no secret).
pub fn remember_host(host: &HostChoice) {
    let mut known = remembered_hosts();
    if known.remember(host) {
        if let Some(s) = local_storage() {
            let _ = s.set_item(HOSTS_KEY, &known.to_text());
        }
    }
}

const DRAFT_PREFIX: &str = "deploydeck.draft.";

/// The forms whose drafts are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draft {
    Deployment,
    Dispatch,
    /// The post-a-status form of one deployment.
    Status(DeploymentId),
    CleanupSelection,
}

impl Draft {
    fn name(self) -> String {
        match self {
            Draft::Deployment => "deployment".into(),
            Draft::Dispatch => "dispatch".into(),
            Draft::Status(id) => format!("status-{}", id.0),
            Draft::CleanupSelection => "cleanup".into(),
        }
    }
}

fn draft_key(form: Draft, location: &AppLocation) -> String {
    format!(
        "{DRAFT_PREFIX}{}:{}",
        form.name(),
        location.with_view(View::Overview).path()
    )
}

/// Keeps a form's draft for one repository in this tab (sessionStorage), so nothing typed is lost on an
/// error, on navigation or on reload. Drafts never hold a token.
pub fn save_draft<T: serde::Serialize>(form: Draft, location: &AppLocation, draft: &T) {
    if let (Some(s), Ok(text)) = (session_storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(&draft_key(form, location), &text);
    }
}

/// The draft kept by `save_draft`, if any (and still readable).
pub fn load_draft<T: serde::de::DeserializeOwned>(
    form: Draft,
    location: &AppLocation,
) -> Option<T> {
    let text = session_storage()?
        .get_item(&draft_key(form, location))
        .ok()
        .flatten()?;
    serde_json::from_str(&text).ok()
}

const RUN_PREFIX: &str = "deploydeck.cleanup-run:";

const RUN_COMMAND_PREFIX: &str = "deploydeck.cleanup-command:";

fn run_key(location: &AppLocation) -> String {
    run_keys(location).0
}

/// The storage keys of `location`'s kept run and of the commands other tabs send to the tab running it.
pub fn run_keys(location: &AppLocation) -> (String, String) {
    let path = location.with_view(View::Overview).path();
    (
        format!("{RUN_PREFIX}{path}"),
        format!("{RUN_COMMAND_PREFIX}{path}"),
    )
}

/// Tells the tab running `location`'s kept run to do something (core's `RunCommand` as a message).
pub fn send_run_command(location: &AppLocation, message: &str) -> bool {
    let key = run_keys(location).1;
    local_storage().is_some_and(|s| s.set_item(&key, message).is_ok())
}

/// The command another tab sent to the one running `location`'s kept run, if any.
pub fn run_command(location: &AppLocation) -> Option<String> {
    local_storage()?
        .get_item(&run_keys(location).1)
        .ok()
        .flatten()
}

/// Forgets a command once carried out.
pub fn clear_run_command(location: &AppLocation) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(&run_keys(location).1);
    }
}

/// Keeps a cleanup run (core's `SavedRun` as JSON) on this device, so a reload or a closed tab can finish
/// it. It holds deployment ids and outcomes, never the token. `false`: it could not be kept (no storage, or
/// the site's storage is full: a run of tens of thousands of deployments may not fit).
pub fn save_run(location: &AppLocation, json: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(&run_key(location), json).is_ok())
}

/// The cleanup run kept for this repository, if any.
pub fn load_run(location: &AppLocation) -> Option<String> {
    local_storage()?.get_item(&run_key(location)).ok().flatten()
}

pub fn clear_run(location: &AppLocation) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(&run_key(location));
    }
}

/// The repositories pinned on `host` (kept on this device, never beside the token; `deploydeck_core::fleet`).
/// The demo pins its own repositories until its list is changed.
pub fn pinned(host: &HostChoice) -> Pinned {
    let Some(key) = pinned_key(host) else {
        return Pinned::default();
    };
    match local_storage().and_then(|s| s.get_item(&key).ok().flatten()) {
        Some(text) => Pinned::from_stored(&text),
        None if host.is_demo() => Pinned::from_query_value(fleet::DEMO_PINNED),
        None => Pinned::default(),
    }
}

/// Keeps `pinned` for `host`. `false`: it could not be kept (no storage, or it is full).
pub fn save_pinned(host: &HostChoice, pinned: &Pinned) -> bool {
    let Some(key) = pinned_key(host) else {
        return false;
    };
    local_storage().is_some_and(|s| s.set_item(&key, &pinned.to_stored()).is_ok())
}

/// Pins `repo` on `host`'s fleet, or unpins it; whether it is pinned now.
pub fn toggle_pinned(host: &HostChoice, repo: &RepoRef) -> bool {
    let mut list = pinned(host);
    let now = list.toggle(repo);
    save_pinned(host, &list);
    now
}

fn pinned_key(host: &HostChoice) -> Option<String> {
    let base = host.api_base().ok()?;
    Some(fleet::storage_key(&base.origin()))
}
