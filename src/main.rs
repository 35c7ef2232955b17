//! Panic hook and mount; everything else is in the library so tests can mount components.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(deploydeck::App);
}
