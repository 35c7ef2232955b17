//! A host as it really is: its ASCII name (`xn--…` for one written in other letters) and, when that name stands
//! for unusual characters, a visible mark — in the header, the recent list and the connect screens. And what a
//! screen a link opened says of the host it would send a token to.

use deploydeck_core::connect::form::HostChoice;
use deploydeck_core::host::{ShownHost, UNUSUAL_MARK};
use deploydeck_core::trust::{arrival_text, Arrival, Destination};
use leptos::prelude::*;

use crate::session;

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

/// Above the connect form of a screen a link opened: where the token would go and whether that is new here;
/// for a host that needs a yes, the address with the part that decides where the token goes (its registrable
/// domain) emphasised, and — when it may be passing for GitHub or a host used before — that it is not
/// (core's `trust` and `lookalike`).
#[component]
pub fn ArrivalNote(host: HostChoice) -> impl IntoView {
    let known = session::known_hosts();
    let arrival = Arrival::of(&host, &known);
    let ask = arrival == (Arrival::New { ask: true });
    let destination = ask.then(|| Destination::of(&host, &known)).flatten();
    view! {
        <p class:warning=ask data-testid="arrival">{arrival_text(&host, arrival)}</p>
        {destination.map(|d| view! {
            <p data-testid="destination">
                "The token would go to "
                <span class="host-name">{d.parts.prefix}<strong data-testid="registrable">{d.parts.registrable}</strong></span>
                "."
            </p>
            {d.lookalike.map(|words| view! { <p class="warning" role="alert" data-testid="lookalike">{words}</p> })}
        })}
    }
}
