//! What will ship: what the deployment's environment runs now, compared with this deployment's commit — in
//! words (newer, a rollback, the same, gone separate ways) and the commits that arrive or leave, a page of 100
//! at a time. The reading and its words are core's (`ship`); the requests the API handle's (`what_will_ship`).

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::Deployment;
use deploydeck_core::response::ApiError;
use deploydeck_core::ship::{compare_failure, sentence, CommitLine, Shipping, COMMITS_PER_PAGE};
use leptos::prelude::*;

use crate::clock::now;
use crate::components::{ErrorPanel, Time};
use crate::href::app_href;
use crate::net::api::Api;

/// What will ship, read once for the page; the "again" section below reads the same answer.
pub(crate) type ShipReading = LocalResource<Result<Shipping, ApiError>>;

#[component]
pub(super) fn WhatWillShip(
    api: Api,
    location: AppLocation,
    deployment: Deployment,
    reading: ShipReading,
) -> impl IntoView {
    let environment = deployment.environment.clone();
    view! {
        <section aria-labelledby="ship-heading" data-testid="what-will-ship">
            <h2 id="ship-heading">{format!("What deploying this to {} changes", deploydeck_core::text::clip(&environment, 80).shown)}</h2>
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Comparing with what runs there…"</p> }>
                {move || {
                    let (api, location, environment) = (api.clone(), location.clone(), environment.clone());
                    Suspend::new(async move {
                        match reading.await {
                            Ok(Shipping::First) => view! {
                                <p data-testid="ship-sentence">{format!("Nothing runs in {environment} yet (none of its recent deployments succeeded): this would be the first.")}</p>
                            }.into_any(),
                            Ok(Shipping::Live) => view! {
                                <p data-testid="ship-sentence">{format!("This is what runs in {environment} now.")}</p>
                            }.into_any(),
                            Ok(Shipping::Compared { live, comparison, listed, range, total }) => {
                                let live_href = app_href(&location.with_view(View::Deployment(live)).path());
                                view! {
                                    <p data-testid="ship-sentence">{sentence(&comparison, &environment)}
                                        " "<a href=live_href>{format!("What runs there now: deployment {}.", live.0)}</a>
                                    </p>
                                    {(comparison.files > 0).then(|| view! {
                                        <p class="muted">{format!("{} file{} changed{}.", comparison.files, if comparison.files == 1 { "" } else { "s" }, if comparison.files >= 300 { " at least (GitHub lists 300)" } else { "" })}</p>
                                    })}
                                    <CommitList api location first=listed range total/>
                                }.into_any()
                            }
                            Err(error) => match compare_failure(&error) {
                                Some(words) => view! { <p class="notice" role="status" data-testid="ship-sentence">{words}</p> }.into_any(),
                                None => view! { <ErrorPanel error context="Could not compare with what runs there"/> }.into_any(),
                            },
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The commits listed, oldest first, and the next page on request.
#[component]
fn CommitList(
    api: Api,
    location: AppLocation,
    first: Vec<CommitLine>,
    range: (String, String),
    total: u64,
) -> impl IntoView {
    let lines = RwSignal::new(first);
    let page = RwSignal::new(1u32);
    let failed = RwSignal::new(None::<ApiError>);
    let more = Action::new_local(move |next: &u32| {
        let (api, location, range, next) = (api.clone(), location.clone(), range.clone(), *next);
        async move {
            match api
                .repo(&location.repo)
                .compare(&range.0, &range.1, next)
                .await
            {
                Ok(c) => {
                    lines.update(|l| l.extend(c.commits));
                    page.set(next);
                }
                Err(error) => failed.set(Some(error)),
            }
        }
    });
    let shown = move || lines.with(Vec::len) as u64;
    view! {
        <ol class="commits" data-testid="ship-commits" aria-label="Commits">
            <For each=move || lines.get() key=|c| c.sha.clone() let(c)>
                <li>
                    <code>{c.short_sha().to_owned()}</code>" "
                    {match c.link.clone() {
                        Some(href) => view! { <a href=href rel="noopener noreferrer" target="_blank">{c.headline.clone()}</a> }.into_any(),
                        None => view! { <span>{c.headline.clone()}</span> }.into_any(),
                    }}
                    <span class="muted">" — "{c.author.clone()}{c.at.map(|at| view! { ", "<Time at now=now()/> })}</span>
                </li>
            </For>
        </ol>
        <Show when=move || { shown() < total && shown() >= u64::from(page.get()) * u64::from(COMMITS_PER_PAGE) }>
            <button type="button" class="button" disabled=move || more.pending().get() data-testid="ship-more"
                on:click=move |_| { more.dispatch_local(page.get_untracked() + 1); }>
                {move || format!("Show the next {} of {}", (total - shown()).min(u64::from(COMMITS_PER_PAGE)), total - shown())}
            </button>
        </Show>
        {move || failed.get().map(|error| view! { <ErrorPanel error context="Could not read more commits"/> })}
    }
}
