//! One deployment as a table row, wherever deployments are listed (the overview's newest, History's list):
//! its page, state, environment, ref, commit, who and when, description. Cells say what they are
//! (`data-label`) for the phone's card layout; History hides the `opt` ones there.

use deploydeck_core::model::{Deployment, DeploymentState};
use deploydeck_core::url::is_http_url;
use deploydeck_core::Timestamp;
use leptos::prelude::*;

use super::{Clip, StateBadge, Time};

/// Only avatars from GitHub's avatar host are shown (the CSP allows no other image origin).
const AVATAR_ORIGIN: &str = "https://avatars.githubusercontent.com/";

#[component]
pub fn DeploymentRow(
    deployment: Deployment,
    /// Its latest state; `None` while it is being read ("…").
    state: Option<Option<DeploymentState>>,
    /// The deployment's page.
    href: String,
    now: Timestamp,
    /// Where the environment is served (a status's `environment_url`): a link when it is http(s).
    #[prop(optional)]
    environment_url: Option<String>,
    /// The repository's Reviews view: a deployment `waiting` for a reviewer links there.
    #[prop(optional)]
    reviews: Option<String>,
    /// Show the creator's avatar (never in the demo: it sends nothing off the page).
    #[prop(optional)]
    avatar: bool,
    /// The row's `data-testid`.
    testid: &'static str,
) -> impl IntoView {
    let d = deployment;
    let avatar = d
        .creator
        .as_ref()
        .map(|c| c.avatar_url.clone())
        .filter(|u| avatar && u.starts_with(AVATAR_ORIGIN) && is_http_url(u));
    let login = d.creator_login().unwrap_or("unknown").to_owned();
    let environment = d.environment.clone();
    let environment = match environment_url.filter(|u| is_http_url(u)) {
        // Links from API data only when http(s).
        Some(url) => view! { <a href=url rel="noopener noreferrer" target="_blank"><Clip text=environment/></a> }.into_any(),
        None => view! { <Clip text=environment/> }.into_any(),
    };
    view! {
        <tr data-testid=testid>
            <td><a href=href>{d.id.0.to_string()}</a></td>
            <td>{match state {
                Some(s) => {
                    let review = reviews.filter(|_| s == Some(DeploymentState::Waiting)).map(|href| view! {
                        " "<a href=href class="review-link" data-testid="review-link" aria-label=format!("Review: deployment {} waits for a reviewer", d.id.0)>"Review"</a>
                    });
                    view! { <StateBadge state=s/>{review} }.into_any()
                }
                None => view! { <span class="muted" data-testid="state-loading">"…"</span> }.into_any(),
            }}</td>
            <td data-label="Environment">{environment}{d.transient_environment.then(|| view! { <span class="tag">"transient"</span> })}</td>
            <td class="opt" data-label="Ref"><code><Clip text=d.git_ref.clone()/></code></td>
            <td class="opt" data-label="Commit"><code>{d.short_sha().to_owned()}</code></td>
            <td class="creator opt nowrap" data-label="By">
                {avatar.map(|src| view! { <img src=format!("{src}&s=40") alt="" width="20" height="20" loading="lazy"/> })}
                <Clip text=login max=40/>
            </td>
            <td class="nowrap" data-label="Created"><Time at=d.created_at now/></td>
            <td class="description opt" data-label="Description"><Clip text=d.description.clone().unwrap_or_default() max=200/></td>
        </tr>
    }
}
