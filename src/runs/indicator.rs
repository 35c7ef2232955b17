//! The header's indicator of a cleanup run going on while another screen is open: done/total, paused or
//! waiting for a limit, failures — a link back to the run. Mounted into the header by the first runner, so
//! the first load carries none of its code (the stylesheet places it before the rate gauge).

use deploydeck_core::cleanup::RunBadge;
use deploydeck_core::location::View;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Runner, RUNNERS};
use crate::href::app_href;

thread_local! {
    /// What the header's indicator shows.
    static INDICATOR: ArcRwSignal<Option<HeaderRun>> = ArcRwSignal::new(None);
    static MOUNTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Core's words and the way back to the run.
#[derive(Clone, PartialEq)]
struct HeaderRun {
    href: String,
    badge: RunBadge,
}

/// Puts the indicator in the header (once, for the page's life: under an owner of its own, not the view's
/// that starts the first run).
pub(super) fn install() {
    if MOUNTED.get() {
        return;
    }
    let Some(header) = document()
        .query_selector(".app-header")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    MOUNTED.set(true);
    let root = Owner::new_root(None);
    root.with(|| leptos::mount::mount_to(header, RunIndicator).forget());
    std::mem::forget(root);
}

#[component]
fn RunIndicator() -> impl IntoView {
    let shown = INDICATOR.with(ArcRwSignal::clone);
    move || {
        shown.get().map(|run| {
            view! {
                // The visible words are the link's name (what voice control hears); the whole sentence is its
                // description. Not a live region: it changes every second while a run goes.
                <a class="run-indicator" class:alert=run.badge.alert href=run.href
                    title=run.badge.label data-testid="run-indicator">
                    {run.badge.text}
                </a>
            }
        })
    }
}

impl Runner {
    /// What the header says of this runner's run (nothing once its report has been seen, or without a run).
    fn badge(&self) -> Option<HeaderRun> {
        self.run.with_untracked(|r| {
            let saved = r.as_ref()?;
            let progress = saved.run.progress();
            if progress.is_settled() && self.seen.get_value() {
                return None;
            }
            let waiting = self.may_send() && self.api.hold_left().is_some();
            let repository = self.location.repo.to_string();
            Some(HeaderRun {
                href: app_href(&self.location.with_view(View::Cleanup).path()),
                badge: progress.badge(saved.run.status, waiting, &repository),
            })
        })
    }

    /// Tells the header: the first run that has something to say (oldest first).
    pub(super) fn publish(&self) {
        let shown = RUNNERS.with_borrow(|all| all.iter().find_map(Runner::badge));
        INDICATOR.with(|indicator| {
            indicator.maybe_update(|r| std::mem::replace(r, shown.clone()) != shown)
        });
    }
}
