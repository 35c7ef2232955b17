//! What deploying a commit to an environment changes, as the deployment's page and Create show it: the
//! sentence (core's `ship::sentence`), a link to what runs there now, the files changed, and the commits that
//! arrive or leave, a page of 100 at a time.

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::response::ApiError;
use deploydeck_core::ship::{compare_failure, sentence, CommitLine, Shipping, COMMITS_PER_PAGE};
use leptos::prelude::*;

use crate::clock::now;
use crate::components::{clipped, ErrorPanel, Time};
use crate::href::app_href;
use crate::net::api::Api;

/// A reading of what will ship, in words.
#[component]
pub fn Shipped(
    api: Api,
    location: AppLocation,
    environment: String,
    reading: Result<Shipping, ApiError>,
) -> impl IntoView {
    // Hidden controls shown, as everywhere a name from the API or a user is written out.
    let named = clipped(&environment, 80);
    match reading {
        Ok(Shipping::First) => view! {
            <p data-testid="ship-sentence">{format!("Nothing runs in {named} yet (none of its recent deployments succeeded): this would be the first.")}</p>
        }.into_any(),
        Ok(Shipping::NoSuchRef(git_ref)) => view! {
            <p class="notice" role="status" data-testid="ship-sentence">{format!("GitHub knows no branch, tag or commit named “{}” in this repository: check the ref.", clipped(&git_ref, 200))}</p>
        }.into_any(),
        Ok(Shipping::Live) => view! {
            <p data-testid="ship-sentence">{format!("This is what runs in {named} now.")}</p>
        }.into_any(),
        Ok(Shipping::Compared { live, comparison, listed, range, total }) => {
            let live_href = app_href(&location.with_view(View::Deployment(live)).path());
            let files = comparison.files;
            view! {
                <p data-testid="ship-sentence">{sentence(&comparison, &environment)}
                    " "<a href=live_href>{format!("What runs there now: deployment {}.", live.0)}</a>
                </p>
                {(files > 0).then(|| view! {
                    <p class="muted">{format!("{files} file{} changed{}.", if files == 1 { "" } else { "s" }, if files >= 300 { " at least (GitHub lists 300)" } else { "" })}</p>
                })}
                <CommitList api location first=listed range total/>
            }.into_any()
        }
        Err(error) => match compare_failure(&error) {
            Some(words) => view! { <p class="notice" role="status" data-testid="ship-sentence">{words}</p> }.into_any(),
            None => view! { <ErrorPanel error context="Could not compare with what runs there"/> }.into_any(),
        },
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
