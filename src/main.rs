//! Panic hook, the static first screen taken over, and mount; everything else is in the library so tests can
//! mount components.

fn main() {
    console_error_panic_hook::set_once();
    deploydeck::boot::take_over();
    leptos::mount::mount_to_body(deploydeck::App);
    // After the mount's own updates (a controlled input's value is set then, which moves its caret), before
    // the next paint.
    leptos::prelude::request_animation_frame(deploydeck::boot::restore_focus);
}
