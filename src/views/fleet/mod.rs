//! Fleet: the repositories pinned on a host, each environment's latest deployment and what is live there, on
//! one screen (`/{host}/_fleet`, docs/github-api.md §15). All of it loads on demand (`loader::fleet_screen`):
//! `FleetRoute` opens the view (`FleetView`, with the pin form in `pins` and the matrix in `matrix`) with the
//! token kept for that host, or the connect form in place. `PinToggle` is the repository screens' way in.

mod matrix;
mod pins;
mod review;

use deploydeck_core::connect::form::ConnectDraft;
use deploydeck_core::fleet::{Pinned, Row};
use deploydeck_core::location::{FleetLocation, FleetScreen};
use deploydeck_core::response::ApiError;
use deploydeck_core::Timestamp;
use leptos::prelude::*;

use super::{ConnectForm, NotFound};
use crate::clock::{every, now};
use crate::components::{ArrivalNote, ErrorPanel, HostName};
use crate::router::use_nav;
use crate::session;
use crate::state::AppState;
use crate::tasks::Tasks;
use matrix::Matrix;
use pins::PinForm;

/// Between reads while the tab is visible.
const REFRESH_MS: u64 = 60_000;

#[component]
pub fn FleetRoute() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Read once: the list in the address changes as pins change, which must not reopen the view (and a
    // memo here could be read after the route moved on and disposed it).
    let Some(fleet) = untrack(|| use_nav().fleet()) else {
        return NotFound().into_any();
    };
    state.connection_for(&fleet.host);
    (move || match state
        .connection
        .get()
        .filter(|api| api.host() == &fleet.host)
    {
        Some(_) => match fleet.screen {
            FleetScreen::Board => view! { <FleetView fleet=fleet.clone()/> }.into_any(),
            FleetScreen::Insights => super::on_demand(super::loader::fleet_insights(fleet.clone())),
            FleetScreen::Reviews => super::on_demand(super::loader::fleet_reviews(fleet.clone())),
        },
        None => view! { <ConnectFleet fleet=fleet.clone()/> }.into_any(),
    })
    .into_any()
}

/// A fleet opened without a token kept for its host: where the token would go, then the connect form (the
/// access check needs one repository: the list's first, if it carries one).
#[component]
pub fn ConnectFleet(fleet: FleetLocation) -> impl IntoView {
    let mut draft = ConnectDraft::for_host(&fleet.host);
    if let Some(first) = fleet.repos.as_ref().and_then(|p| p.repos().first()) {
        draft.repo = first.to_string();
    }
    view! {
        <section class="page narrow">
            <h1>"Connect to open this fleet"</h1>
            <ArrivalNote host=fleet.host.clone()/>
            <ConnectForm initial=draft target=Some(fleet.path()) linked=true/>
        </section>
    }
}

#[component]
pub fn FleetView(fleet: FleetLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let nav = use_nav();
    let host = fleet.host.clone();
    let kept = session::pinned(&host);
    // An address carrying another list shows it without touching the one kept here, until asked.
    let carried = RwSignal::new(fleet.repos.as_ref().is_some_and(|r| *r != kept));
    let pinned = RwSignal::new(fleet.repos.clone().unwrap_or(kept));
    let rows = RwSignal::new(None::<(Pinned, Result<Vec<Row>, ApiError>)>);
    let read_at = RwSignal::new(None::<Timestamp>);
    let in_flight = RwSignal::new(0u32);
    let busy = move || in_flight.get() > 0;
    let tasks = Tasks::new();
    let read = move || {
        let (api, list) = (api.clone(), pinned.get_untracked());
        if list.is_empty() {
            rows.set(None);
            return;
        }
        in_flight.update(|n| *n += 1);
        tasks.spawn(async move {
            let result = api.fleet(list.repos()).await;
            // Only the list on screen is shown (a read of an earlier list may end after a later one's).
            if pinned.try_get_untracked().as_ref() == Some(&list) {
                rows.try_set(Some((list, result)));
                read_at.try_set(Some(now()));
            }
            in_flight.try_update(|n| *n = n.saturating_sub(1));
        });
    };
    read();
    // Live while visible: read again every minute.
    let read_again = read.clone();
    every(REFRESH_MS, move |visible| {
        if visible {
            read_again();
        }
    });
    // The address changed from outside (back, forward): the list it carries is shown. A change made here sets
    // the list before the address, so it is not taken for one.
    let (read_moved, host_moved) = (read.clone(), host.clone());
    Effect::new(move |_| {
        let Some(repos) = nav.fleet().and_then(|f| f.repos) else {
            return;
        };
        if repos != pinned.get_untracked() {
            carried.set(repos != session::pinned(&host_moved));
            pinned.set(repos);
            read_moved();
        }
    });
    let saved = RwSignal::new(true);
    let (host_for_change, read_after) = (host.clone(), read.clone());
    let change = Callback::new(move |list: Pinned| {
        pinned.set(list.clone());
        if !carried.get_untracked() {
            saved.set(session::save_pinned(&host_for_change, &list));
        }
        nav.replace(
            &FleetLocation {
                host: host_for_change.clone(),
                repos: Some(list),
                screen: FleetScreen::Board,
            }
            .path(),
        );
        read_after();
    });
    let host_for_keep = host.clone();
    let keep = move |_| {
        carried.set(false);
        saved.set(session::save_pinned(
            &host_for_keep,
            &pinned.get_untracked(),
        ));
    };
    let refresh = read.clone();
    // A decision taken in a cell: said above the matrix, which is read again.
    let outcome = RwSignal::new(None::<String>);
    let read_decided = read.clone();
    let decided = Callback::new(move |sentence: String| {
        outcome.set(Some(sentence));
        read_decided();
    });
    view! {
        <section class="page" data-testid="fleet">
            <h1>"Fleet"</h1>
            <FleetTabs fleet=fleet.clone()/>
            <p class="muted" data-testid="fleet-host">"On "<HostName host=host.shown()/>{host.is_demo().then_some(" · simulated data")}</p>
            <p class="lede">"Every pinned repository's environments: what is live, what failed, what waits for a review. Read again every minute while this tab is visible."</p>
            <Show when=move || carried.get()>
                <div class="notice" role="status" data-testid="carried">
                    <p>"This address carries its own list of repositories; the list pinned on this device is unchanged."</p>
                    <button type="button" class="button" on:click=keep.clone() data-testid="keep-list">"Pin this list on this device"</button>
                </div>
            </Show>
            <Show when=move || !saved.get()>
                <p class="field-error" role="alert">"The list could not be kept on this device (its storage is off or full); it stays in this page's address."</p>
            </Show>
            <PinForm pinned on_change=change/>
            <p class="actions">
                <button type="button" class="button" data-testid="fleet-refresh" disabled=busy on:click=move |_| refresh()>"Refresh now"</button>
                <span class="muted" aria-live="polite" data-testid="fleet-status">{move || match (busy(), read_at.get()) {
                    (true, _) => "Reading…".to_owned(),
                    (false, Some(at)) => format!("Read at {}.", at.clock_utc()),
                    (false, None) => String::new(),
                }}</span>
            </p>
            <div aria-live="polite" data-testid="fleet-result">
                {move || outcome.get().map(|sentence| view! { <p class="ok" role="status">{sentence}</p> })}
            </div>
            {move || match rows.get() {
                None if pinned.with(Pinned::is_empty) => view! { <p data-testid="fleet-empty">"Nothing pinned yet: add repositories above, or pin one from its overview."</p> }.into_any(),
                None => view! { <p class="loading" aria-busy="true">"Reading the pinned repositories…"</p> }.into_any(),
                Some((_, Err(error))) => view! { <ErrorPanel error context="Could not read the fleet"/> }.into_any(),
                Some((list, Ok(rows))) => view! { <Matrix host=host.clone() repos=list.repos().to_vec() rows now=now() pinned on_change=change on_decided=decided/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The fleet's screens, one link each: what each environment holds now, and the delivery measures.
#[component]
pub fn FleetTabs(fleet: FleetLocation) -> impl IntoView {
    view! {
        <nav class="repo-nav" aria-label="Fleet views">
            <ul>
                {FleetScreen::ALL.into_iter().map(|screen| {
                    let href = crate::href::app_href(&fleet.with_screen(screen).path());
                    let current = (screen == fleet.screen).then_some("page");
                    view! { <li><a href=href aria-current=current>{screen.label()}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// On a repository's screens: pin it to (or unpin it from) its host's fleet, and the way to the fleet.
#[component]
pub fn PinToggle(location: deploydeck_core::location::AppLocation) -> impl IntoView {
    let host = location.host.clone();
    let repo = location.repo.clone();
    let is_pinned = RwSignal::new(session::pinned(&host).contains(&repo));
    let fleet = FleetLocation {
        host: host.clone(),
        repos: None,
        screen: FleetScreen::Board,
    };
    let toggle = move |_| {
        let mut list = session::pinned(&host);
        if list.contains(&repo) {
            list.remove(&repo);
        } else {
            list.add(repo.clone());
        }
        session::save_pinned(&host, &list);
        is_pinned.set(list.contains(&repo));
    };
    view! {
        <span class="pin-toggle">
            <button type="button" class="button subtle" data-testid="pin-toggle" aria-pressed=move || is_pinned.get().to_string() on:click=toggle>
                {move || if is_pinned.get() { "Pinned to the fleet" } else { "Pin to the fleet" }}
            </button>
            " "<a href=crate::href::app_href(&fleet.path()) data-testid="fleet-link">"Fleet"</a>
        </span>
    }
}
