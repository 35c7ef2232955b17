//! Panic hook, then the app, once the page wants it (`deploydeck::start`); everything else is in the library so
//! tests can mount components.

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(deploydeck::start());
}
