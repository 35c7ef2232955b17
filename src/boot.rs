//! The first screen before the app: `index.html` carries a static copy of the header and the connect screen,
//! painted as soon as the page arrives (the stylesheet is inline), so nothing waits for the WebAssembly. When
//! the app starts it takes that screen over in one step, without a paint in between: what was typed and
//! chosen there (host, token, where to keep it, repository) and the field that had the focus carry into the
//! app's own form, and the static copy is removed. Deep links get "Opening…" there instead (404.html marks
//! its `<html>` with `deep-link`), as nothing can be typed before their screen exists.

use std::sync::Mutex;

use deploydeck_core::connect::form::{ConnectDraft, HostKindChoice};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use crate::session::TokenStorage;

/// What the static screen held when the app took it over.
pub struct Carried {
    pub draft: ConnectDraft,
    pub storage: TokenStorage,
    /// Connect was pressed there (`public/boot.js` marks it): the app connects at once.
    pub connect: bool,
}

/// The field that had the focus, and its selection.
struct Focus {
    id: String,
    selection: Option<(u32, u32)>,
}

static CARRIED: Mutex<Option<Carried>> = Mutex::new(None);
static FOCUS: Mutex<Option<Focus>> = Mutex::new(None);

/// Reads the static screen, keeps what it held for the app's connect form, and removes it. Call just before
/// mounting, in the same task.
pub fn take_over() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(screen) = document.get_element_by_id("boot-screen") else {
        return;
    };
    let input = |selector: &str| -> Option<HtmlInputElement> {
        screen
            .query_selector(selector)
            .ok()
            .flatten()?
            .dyn_into::<HtmlInputElement>()
            .ok()
    };
    let value = |id: &str| {
        input(&format!("#{id}"))
            .map(|i| i.value())
            .unwrap_or_default()
    };
    let checked = |name: &str| input(&format!("input[name={name}]:checked")).map(|i| i.value());
    let kind = HostKindChoice::from_value(&checked("host-kind").unwrap_or_default());
    let carried = Carried {
        draft: ConnectDraft {
            kind,
            enterprise_host: value("ghes-host"),
            custom_base: value("custom-base"),
            token: value("token"),
            repo: value("repo"),
            trusted: None,
        },
        storage: TokenStorage::from_value(&checked("token-storage").unwrap_or_default()),
        connect: screen.has_attribute("data-connect-requested"),
    };
    let focus = document
        .active_element()
        .filter(|el| screen.contains(Some(el)))
        .map(|el: Element| Focus {
            id: el.id(),
            selection: el
                .dyn_ref::<HtmlInputElement>()
                .and_then(|i| Some((i.selection_start().ok()??, i.selection_end().ok()??))),
        });
    screen.remove();
    let deep_link = document
        .document_element()
        .is_some_and(|html| html.class_list().contains("deep-link"));
    if !deep_link {
        if let Ok(mut slot) = CARRIED.lock() {
            *slot = Some(carried);
        }
        if let Ok(mut slot) = FOCUS.lock() {
            *slot = focus;
        }
    }
}

/// What the static connect screen held, once (the first connect form takes it).
pub fn carried() -> Option<Carried> {
    CARRIED.lock().ok()?.take()
}

/// Gives the focus back to the field that had it on the static screen (call right after mounting).
pub fn restore_focus() {
    let Some(focus) = FOCUS.lock().ok().and_then(|mut f| f.take()) else {
        return;
    };
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&focus.id))
    else {
        return;
    };
    if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    }
    if let (Some(input), Some((start, end))) =
        (element.dyn_ref::<HtmlInputElement>(), focus.selection)
    {
        let _ = input.set_selection_range(start, end);
    }
}

/// Resolves when the page wants the app: `public/boot.js` keeps that moment as a promise on the window,
/// `deploydeckWanted`. Without it (a page that does not load boot.js), at once.
pub async fn wanted() {
    let _ = awaited(&window_value("deploydeckWanted")).await;
}

/// Resolves on the static screen's next Connect press (`deploydeckPressed` of `public/boot.js`); false at once
/// when there is no such screen to press.
pub async fn pressed_again() -> bool {
    let pressed = window_value("deploydeckPressed")
        .dyn_into::<js_sys::Function>()
        .ok()
        .and_then(|f| f.call0(&wasm_bindgen::JsValue::UNDEFINED).ok());
    match pressed {
        Some(promise) => awaited(&promise).await,
        None => false,
    }
}

fn window_value(name: &str) -> wasm_bindgen::JsValue {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &name.into()).ok())
        .unwrap_or_default()
}

/// Waits for `value` if it is a promise (true once it settles); false at once if it is not.
async fn awaited(value: &wasm_bindgen::JsValue) -> bool {
    match value.clone().dyn_into::<js_sys::Promise>() {
        Ok(promise) => {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            true
        }
        Err(_) => false,
    }
}

/// The app's module could not be fetched (offline, or the site was redeployed since this page loaded): the
/// static screen says so, where a deep link says "Opening…" and under Connect, with what to do.
pub fn unavailable() {
    let Some(screen) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot-screen"))
    else {
        return;
    };
    let said = [
        (".boot-opening", "Deploydeck could not be loaded: its code could not be fetched. Check the connection, then reload the page."),
        (".boot-connect .connect-result", "Deploydeck could not be loaded: its code could not be fetched. Check the connection, then press Connect again (what you typed stays here)."),
    ];
    for (selector, text) in said {
        if let Ok(Some(place)) = screen.query_selector(selector) {
            place.set_text_content(Some(text));
            let _ = place.set_attribute("role", "alert");
        }
    }
    if let Ok(Some(button)) = screen.query_selector(".boot-connect button") {
        button.set_text_content(Some("Connect"));
    }
}
