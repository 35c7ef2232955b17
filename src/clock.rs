//! The page's clock: now, a wait, and "every so often while the tab is visible" — the only timer sources of
//! the app, so tests can drive them (Playwright's clock).

use deploydeck_core::Timestamp;
use leptos::prelude::{document, on_cleanup, set_interval_with_handle};

/// Now, from the browser clock.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(now_ms() as i64)
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Waits `ms` milliseconds (a `setTimeout` promise).
pub async fn sleep_ms(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u64) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the tab is on screen (a hidden tab polls nothing).
pub fn tab_visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Calls `tick` every `every_ms` for as long as the calling component lives; `tick` hears whether the tab is
/// visible, so a poll can skip a hidden tab while a clock on screen still moves.
pub fn every(every_ms: u64, tick: impl Fn(bool) + 'static) {
    if let Ok(handle) = set_interval_with_handle(
        move || tick(tab_visible()),
        std::time::Duration::from_millis(every_ms),
    ) {
        on_cleanup(move || handle.clear());
    }
}
