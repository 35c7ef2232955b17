//! Helpers shared by the browser tests (wasm-bindgen-test, headless Chromium via wasm-pack).
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh element in the body to mount into.
pub fn container() -> HtmlElement {
    let el = document()
        .create_element("div")
        .expect("div")
        .unchecked_into::<HtmlElement>();
    document()
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    el
}

/// Puts the browser at `path` (the router reads window.location when it mounts).
pub fn go_to(path: &str) {
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .expect("pushState");
}

/// Waits `ms` milliseconds (a Promise resolved by setTimeout).
pub async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

/// Waits (up to `timeout_ms`) until `selector` matches inside `root`; panics with what it waited for.
pub async fn wait_for(root: &HtmlElement, selector: &str, timeout_ms: u64) -> web_sys::Element {
    let mut waited = 0;
    loop {
        if let Ok(Some(found)) = root.query_selector(selector) {
            return found;
        }
        if waited >= timeout_ms {
            panic!(
                "{selector} did not appear within {timeout_ms} ms; the page shows: {}",
                root.inner_text()
            );
        }
        sleep(25).await;
        waited += 25;
    }
}

pub fn text_of(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

pub fn click(root: &HtmlElement, selector: &str) {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

/// The current value of an `<input>`.
pub fn input_value(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// Forgets this tab's drafts and tokens, so a test starts from empty forms.
pub fn clear_session_storage() {
    if let Ok(Some(storage)) = web_sys::window().unwrap().session_storage() {
        let _ = storage.clear();
    }
}
