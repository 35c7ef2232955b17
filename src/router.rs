//! Deploydeck's router: the address is the state (host, repository, view and filters), read by core's
//! `AppLocation`. Four top-level routes only — the connect screen at `/`, a repository's screens, a host's
//! fleet, and "not found" — so this is the History API and one delegated click listener instead of leptos_router, whose
//! route machinery measured 36 KB gzip of the first load (Deploydeck's budget is 160 KB).
//!
//! Links are plain `<a href>` elements made with `app_href`; a left click without modifier keys on one that
//! points inside the app is handled here (pushState, no reload), everything else is left to the browser
//! (new tab, downloads, links elsewhere, the skip link).

use deploydeck_core::location::{internal_href, AppLocation, FleetLocation, FleetScreen};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::href::app_base;

/// The current address, relative to the app's base: path and query (with its `?`, or empty).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    path: String,
    search: String,
}

impl Url {
    fn current() -> Url {
        let location = window().location();
        let path = location.pathname().unwrap_or_default();
        Url {
            path: path
                .strip_prefix(app_base())
                .map(str::to_owned)
                .unwrap_or(path),
            search: location.search().unwrap_or_default(),
        }
    }

    fn from_href(href: &str) -> Url {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        Url {
            path: path.to_owned(),
            search: if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            },
        }
    }
}

/// Which of the app's top-level views an address opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Connect,
    Repository,
    /// A fleet screen (the board or the insights).
    Fleet(FleetScreen),
    NotFound,
}

/// The app's navigation: where the page is, and how to go elsewhere. Provided by `provide_nav` (in `App`).
#[derive(Clone, Copy)]
pub struct Nav {
    url: RwSignal<Url>,
}

/// Starts following the address (back/forward, clicks on internal links) and provides `Nav` to the app.
pub fn provide_nav() -> Nav {
    let nav = Nav {
        url: RwSignal::new(Url::current()),
    };
    let popstate = window_event_listener(ev::popstate, move |_| nav.url.set(Url::current()));
    let click = window_event_listener(ev::click, move |ev| nav.on_click(ev));
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    provide_context(nav);
    nav
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

impl Nav {
    /// The top-level view the address opens (changes only when that does, not with every view or filter).
    pub fn route(&self) -> Memo<Route> {
        let url = self.url;
        Memo::new(move |_| {
            url.with(|u| match u.path.trim_matches('/') {
                "" => Route::Connect,
                _ if AppLocation::parse(&u.path, &u.search).is_some() => Route::Repository,
                _ => match FleetLocation::screen_of(&u.path, &u.search) {
                    Some((_, screen)) => Route::Fleet(screen),
                    None => Route::NotFound,
                },
            })
        })
    }

    /// The repository screen the address names, if it names one (tracked).
    pub fn location(&self) -> Option<AppLocation> {
        self.url.with(|u| AppLocation::parse(&u.path, &u.search))
    }

    /// The fleet the address names, if it names one (tracked).
    pub fn fleet(&self) -> Option<FleetLocation> {
        self.url.with(|u| FleetLocation::parse(&u.path, &u.search))
    }

    /// The address's query, with its `?` (tracked): the History view's filters live there.
    pub fn search(&self) -> String {
        self.url.with(|u| u.search.clone())
    }

    /// Goes to `href` (relative to the app's base, with an optional `?query`), as a new history entry.
    pub fn navigate(&self, href: &str) {
        self.go(href, false);
    }

    /// Goes to `href` in place of the current history entry (for changes that are not a new place: filters).
    pub fn replace(&self, href: &str) {
        self.go(href, true);
    }

    fn go(&self, href: &str, replace: bool) {
        let url = Url::from_href(href);
        if self.url.with_untracked(|u| u == &url) {
            return;
        }
        let full = crate::href::app_href(href);
        if let Ok(history) = window().history() {
            let _ = if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&full))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&full))
            };
        }
        self.url.set(url);
        if !replace {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// A click anywhere: handled only when it is a plain left click on a link into the app.
    fn on_click(&self, ev: ev::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
        else {
            return;
        };
        if link.has_attribute("target") || link.has_attribute("download") {
            return;
        }
        let href = link.get_attribute("href").unwrap_or_default();
        if let Some(inside) = internal_href(&href, app_base()) {
            ev.prevent_default();
            self.navigate(inside);
        }
    }
}
