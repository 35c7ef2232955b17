//! A host as it really is: its ASCII name (`xn--…` for one written in other letters) and, when that name stands
//! for unusual characters, a visible mark — in the header, the recent list and the connect screens.

use deploydeck_core::host::{ShownHost, UNUSUAL_MARK};
use leptos::prelude::*;

#[component]
pub fn HostName(host: ShownHost) -> impl IntoView {
    let mark = host.unusual.then(|| {
        view! {
            <span class="badge unusual-host" data-testid="unusual-host">
                {UNUSUAL_MARK}
            </span>
        }
    });
    view! { <span class="host-name">{host.name}</span>{mark} }
}
