//! The measures, one row per environment: each figure in words, its band among the 2024 report's clusters,
//! and links to the deployments behind it in History. A row's button shows its charts below.

use deploydeck_core::insights::{said, Band, Measures, Period};
use deploydeck_core::model::DeploymentState;
use deploydeck_core::text::count;
use leptos::prelude::*;

use crate::components::clipped;

use super::Links;

/// A band as a badge: its name, and what it is to a screen reader.
fn band(b: Option<Band>) -> impl IntoView {
    b.map(|b| {
        view! {
            <span class=format!("badge {}", band_class(b)) title="Where this figure sits among the clusters of DORA's 2024 State of DevOps report">
                {b.label()}<span class="visually-hidden">" (a cluster of DORA's 2024 report)"</span>
            </span>
        }
    })
}

/// A band's colour, from the states' (it repeats the band's name, never replaces it).
fn band_class(b: Band) -> &'static str {
    match b {
        Band::Elite | Band::High => "state-success",
        Band::Medium => "state-pending",
        Band::Low | Band::BelowLow => "state-failure",
    }
}

/// One row: an environment's measures, with the repository it belongs to when the table spans several.
pub(super) struct Line {
    /// The repository's name and the address of its own Insights (the fleet's rows).
    pub repo: Option<(String, String)>,
    pub m: Measures,
    pub links: Links,
}

#[component]
pub(super) fn MeasuresTable(
    lines: Vec<Line>,
    period: Period,
    /// The environment whose charts are shown, and how another is chosen (a repository's own table).
    #[prop(optional)]
    chosen: Option<(String, Callback<String>)>,
) -> impl IntoView {
    let fleet = lines.iter().any(|l| l.repo.is_some());
    view! {
        <table class="deployments cards insights-table" data-testid="insights-table">
            <caption class="visually-hidden">{if fleet { "The four measures of each repository's production-like environment for the period" } else { "The four measures per environment for the period" }}</caption>
            <thead><tr>
                {fleet.then(|| view! { <th scope="col">"Repository"</th> })}
                <th scope="col">"Environment"</th>
                <th scope="col">"Deployments"</th>
                <th scope="col">"Frequency"</th>
                <th scope="col">"Change failure rate"</th>
                <th scope="col">"Time to restore"</th>
                <th scope="col">"Lead time for changes"</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|Line { repo, m, links }| {
                    let s = said(&m, &period);
                    let name = m.environment.clone();
                    let label = clipped(&name, 40);
                    let repo_name = repo.as_ref().map(|(r, _)| r.clone());
                    let environment = match &chosen {
                        Some((shown, choose)) => {
                            let (pick, choose) = (name.clone(), *choose);
                            view! {
                                <button type="button" class="link-button" aria-pressed=if name.eq_ignore_ascii_case(shown) { "true" } else { "false" }
                                    on:click=move |_| choose.run(pick.clone()) data-testid="insights-choose"
                                    aria-label=format!("Show the charts of {}", clipped(&name, 80))>{label}</button>
                            }.into_any()
                        }
                        None => view! { <span>{label}</span> }.into_any(),
                    };
                    view! {
                        <tr data-testid="insights-row" data-environment=name.clone() data-repository=repo_name>
                            {repo.map(|(r, href)| view! { <th scope="row"><a href=href data-testid="insights-repository">{clipped(&r, 80)}</a></th> })}
                            <td data-label="Environment">{environment}
                                {m.production_like.then(|| view! { <span class="tag">"production-like"</span> })}
                            </td>
                            <td data-label="Deployments">
                                <a href=links.history(&m.environment, None) data-testid="insights-deployments">{count(m.deployments, "deployment", "deployments")}</a>
                                {(m.unfinished > 0).then(|| view! { <p class="hint">{format!("({} unfinished)", m.unfinished)}</p> })}
                            </td>
                            <td data-label="Frequency" data-testid="insights-frequency">{s.frequency}" "{band(s.frequency_band)}</td>
                            <td data-label="Change failure rate" data-testid="insights-failure">
                                <a href=links.history(&m.environment, Some(DeploymentState::Failure))>{s.failure}</a>
                                {s.failure_against.map(|a| view! { <p class="hint">{a}</p> })}
                                <p class="hint" data-testid="insights-rolled-back">{s.rolled_back}</p>
                            </td>
                            <td data-label="Time to restore" data-testid="insights-restore">{s.restore}" "{band(s.restore_band)}
                                {s.not_restored.map(|n| view! { <p class="hint state-pending">{n}</p> })}
                            </td>
                            <td data-label="Lead time for changes" data-testid="insights-lead">{s.lead}" "{band(s.lead_band)}
                                {s.lead_unknown.map(|n| view! { <p class="hint">{n}</p> })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
