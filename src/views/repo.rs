//! A repository's screens: `/{host}/{owner}/{repo}/{view}`. Without a token for that host (a new tab, or a
//! token kept in memory only), the connect form appears in place, filled in, and the same screen opens after.

use std::future::Future;
use std::pin::Pin;

use deploydeck_core::connect::form::ConnectDraft;
use deploydeck_core::location::{AppLocation, View};
use leptos::prelude::*;

use super::{ConnectForm, EarlyReads, NotFound, Overview, PinToggle};
use crate::components::{ArrivalNote, LoadFailed};
use crate::href::app_href;
use crate::on_demand::ModuleLoadError;
use crate::router::use_nav;
use crate::session;
use crate::state::AppState;
use crate::tasks::Tasks;
use crate::views::loader;

#[component]
pub fn RepoView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let nav = use_nav();
    let location = Memo::new(move |_| nav.location());
    // Restore a kept token once, when the screen opens (not from inside a reactive view).
    if let Some(loc) = location.get_untracked() {
        state.connection_for(&loc.host);
    }
    move || match location.get() {
        None => NotFound().into_any(),
        Some(loc) => {
            let connected = state.connection.get().filter(|api| api.host() == &loc.host);
            match connected {
                Some(_) => {
                    loader::preload_screen(loc.view);
                    on_demand(loader::repo_screen(loc))
                }
                None => on_demand(loader::connect_here(loc)),
            }
        }
    }
}

/// A repository's screen opened without a token kept for its host: where the token would go, said before it is
/// asked for (a host never used here is a decision), then the connect form, filled in.
#[component]
pub fn ConnectHere(location: AppLocation) -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>{format!("Connect to open {}", location.repo)}</h1>
            <ArrivalNote host=location.host.clone()/>
            <ConnectForm initial=ConnectDraft::for_location(&location.host, &location.repo) target=Some(location.path()) linked=true/>
        </section>
    }
}

#[component]
pub fn RepoViews(location: AppLocation) -> impl IntoView {
    let state = expect_context::<AppState>();
    let nav = use_nav();
    let host = location.host.clone();
    let forget = move |_| {
        if let Ok(base) = host.api_base() {
            session::forget_token(&base);
        }
        state.disconnect();
        nav.navigate("/");
    };
    let current = location.view;
    let demo = location.host.is_demo();
    // The Reviews tab says how many runs wait (nothing when none, or when the token cannot read runs).
    // Read by a task that stops with this view, so nothing is set once it has gone.
    let waiting = RwSignal::new(None::<u64>);
    let tasks = Tasks::new();
    let gh = state
        .scoped_connection()
        .map(|api| api.repo(&location.repo));
    // A deployment's page reads as its code arrives, not after (EarlyReads).
    let early = match (current, &gh) {
        (View::Deployment(id), Some(gh)) => EarlyReads::start(gh, id, &tasks),
        _ => EarlyReads::none(),
    };
    if let Some(gh) = gh {
        tasks.spawn(async move {
            if let Ok(n) = gh.waiting_runs_count().await {
                waiting.try_set(Some(n).filter(|n| *n > 0));
            }
        });
    }
    view! {
        <nav class="repo-nav" aria-label="Repository views">
            <ul>
                {View::ALL.into_iter().map(|view| {
                    let href = app_href(&location.with_view(view).path());
                    let current_page = (view == current).then_some("page");
                    let count = (view == View::Reviews).then_some(move || waiting.get().map(|n| view! {
                        <span class="badge" data-testid="reviews-waiting">{n}<span class="visually-hidden">" waiting"</span></span>
                    }));
                    view! { <li><a href=href aria-current=current_page>{view.label()}" "{count}</a></li> }
                }).collect_view()}
            </ul>
            <PinToggle location=location.clone()/>
            <Show when=move || !demo>
                <button type="button" class="button subtle" on:click=forget.clone() data-testid="forget-token">"Forget token"</button>
            </Show>
        </nav>
        {match current {
            View::Overview => view! { <Overview location=location.clone()/> }.into_any(),
            View::Create => on_demand(loader::create_view(location.clone())),
            View::History => on_demand(loader::history_view(location.clone())),
            View::Insights => on_demand(loader::insights_view(location.clone())),
            View::Deployment(id) => on_demand(loader::deployment_page(location.clone(), id, early)),
            View::Reviews => on_demand(loader::reviews_view(location.clone())),
            View::Cleanup => on_demand(loader::cleanup_view(location.clone())),
        }}
    }
}

/// A screen whose code loads on demand (`screens`): a placeholder while its module arrives, and if it cannot,
/// a page that says so with a Reload.
pub fn on_demand(
    screen: impl std::future::Future<Output = Result<AnyView, ModuleLoadError>> + Send + 'static,
) -> AnyView {
    placeholder(Box::pin(screen), false)
}

/// A part of a screen whose code loads on demand: nothing until it arrives (and the same page as `on_demand`
/// if it cannot).
pub fn on_demand_part(
    part: impl std::future::Future<Output = Result<AnyView, ModuleLoadError>> + Send + 'static,
) -> AnyView {
    placeholder(Box::pin(part), true)
}

/// What makes a part of a screen, from the part's own module.
pub type MakePart<P> = fn(P) -> AnyView;
/// Fetching a part's module (a `views::loader` function, boxed).
pub type LoadPart<P> = Pin<Box<dyn Future<Output = Result<MakePart<P>, ModuleLoadError>>>>;

/// A part of a screen whose code loads on demand and which comes and goes with the screen's state (Cleanup's
/// run, its confirmation, its empty environments). Its module is fetched the first time it is shown; then the
/// part is made like any child view, by the closure that shows it — not inside a Suspense, where a part is
/// disposed before its effects stop and the effects woken by the change that closes it read what is gone
/// (leptos-rs/leptos#3595).
pub struct OnDemandPart<P: 'static> {
    make: RwSignal<Option<Result<MakePart<P>, ModuleLoadError>>>,
    asked: StoredValue<bool>,
    load: fn() -> LoadPart<P>,
}

impl<P: 'static> Clone for OnDemandPart<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P: 'static> Copy for OnDemandPart<P> {}

impl<P: 'static> OnDemandPart<P> {
    pub fn new(load: fn() -> LoadPart<P>) -> Self {
        Self {
            make: RwSignal::new(None),
            asked: StoredValue::new(false),
            load,
        }
    }

    /// The part made of `props` once its code is here: "Opening…" until then (its module asked for the first
    /// time), the page's reload offered if it cannot come. Tracked: called from the closure that shows the part,
    /// it is made again when its code arrives.
    pub fn view(self, props: P) -> AnyView {
        match self.make.get() {
            Some(Ok(make)) => make(props),
            Some(Err(error)) => view! { <LoadFailed error offer_reload=true/> }.into_any(),
            None => {
                if !self.asked.get_value() {
                    self.asked.set_value(true);
                    let (make, load) = (self.make, self.load);
                    leptos::task::spawn_local(async move { make.set(Some(load().await)) });
                }
                view! { <p class="loading" role="status">"Opening…"</p> }.into_any()
            }
        }
    }
}

/// What `on_demand` renders, for every screen alike: one copy of the suspense machinery in the first load,
/// whatever the screen (each future type would otherwise make its own).
fn placeholder(
    screen: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<AnyView, ModuleLoadError>> + Send>,
    >,
    quiet: bool,
) -> AnyView {
    view! {
        <Suspense fallback=move || (!quiet).then(|| view! { <p class="page loading" role="status">"Opening…"</p> })>
            {Suspend::new(async move {
                screen.await.unwrap_or_else(|error| {
                    view! {
                        <section class="page narrow">
                            <h1>"This screen could not be loaded"</h1>
                            <LoadFailed error offer_reload=true/>
                        </section>
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
    .into_any()
}
