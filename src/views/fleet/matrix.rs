//! The matrix: a row per pinned repository, a column per environment name (production-like first), each cell
//! its environment's latest deployment — state in words and colour, ref, commit, who, when — with what is live
//! when the latest is not; previews folded into a count; a repository that could not be read says why in its
//! own row. On a phone, one card per repository.

use deploydeck_core::connect::form::HostChoice;
use deploydeck_core::fleet::{columns, mark, Cell, Mark, Pinned, Row};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::validate::RepoRef;
use deploydeck_core::Timestamp;
use leptos::prelude::*;

use super::review::CellReview;
use crate::components::{clipped, Time};
use crate::href::app_href;

#[component]
pub(super) fn Matrix(
    host: HostChoice,
    repos: Vec<RepoRef>,
    rows: Vec<Row>,
    now: Timestamp,
    pinned: RwSignal<Pinned>,
    on_change: Callback<Pinned>,
    on_decided: Callback<String>,
) -> impl IntoView {
    let names = columns(&rows);
    let span = names.len() + 1;
    view! {
        <div class="fleet-scroll">
        <table class="deployments fleet cards" data-testid="fleet-matrix">
            <caption class="visually-hidden">"Each pinned repository's environments: the latest deployment, and what is live when that is not it"</caption>
            <thead><tr>
                <th scope="col">"Repository"</th>
                {names.iter().map(|n| view! { <th scope="col">{clipped(n, 40)}</th> }).collect_view()}
                <th scope="col">"Previews"</th>
                <th scope="col"><span class="visually-hidden">"Unpin"</span></th>
            </tr></thead>
            <tbody>
                {repos.into_iter().zip(rows).map(|(repo, row)| {
                    let at = AppLocation::new(host.clone(), repo.clone(), View::Overview);
                    let name = repo.to_string();
                    let unpin = {
                        let repo = repo.clone();
                        move |_| {
                            let mut list = pinned.get_untracked();
                            list.remove(&repo);
                            on_change.run(list);
                        }
                    };
                    let cells = match row {
                        Err(why) => view! { <td colspan=span.to_string() class="field-error" data-testid="row-error">{why}</td> }.into_any(),
                        Ok(board) => {
                            let previews = board.previews;
                            view! {
                                {names.iter().map(|n| {
                                    let cell = board.cell(n).cloned();
                                    view! { <td data-label=n.clone()>{match cell {
                                        Some(cell) => view! { <FleetCell cell at=at.clone() now on_decided/> }.into_any(),
                                        None => view! { <span class="muted">"—"</span> }.into_any(),
                                    }}</td> }
                                }).collect_view()}
                                <td data-label="Previews" data-testid="previews">{previews.to_string()}</td>
                            }.into_any()
                        }
                    };
                    view! {
                        <tr data-testid="fleet-row" data-repo=name.clone()>
                            <th scope="row"><a href=app_href(&at.path()) data-testid="fleet-repo">{name.clone()}</a></th>
                            {cells}
                            <td><button type="button" class="button subtle" aria-label=format!("Unpin {name}") data-testid="unpin" on:click=unpin>"Unpin"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// One environment of one repository.
#[component]
fn FleetCell(
    cell: Cell,
    at: AppLocation,
    now: Timestamp,
    on_decided: Callback<String>,
) -> impl IntoView {
    let latest = cell.latest;
    let m = mark(&latest, now);
    let page = app_href(&at.with_view(View::Deployment(latest.database_id)).path());
    let reviews = app_href(&at.with_view(View::Reviews).path());
    let what = |d: &deploydeck_core::fleet::CellDeployment| match d.ref_name() {
        Some(r) => format!("{} {}", clipped(r, 40), d.short_sha()),
        None => d.short_sha().to_owned(),
    };
    // When the latest is not what runs (it failed, or is stuck), what runs is what a rollback goes back to: its
    // page says what that changes and does it.
    let live = cell.live.map(|l| {
        let href = app_href(&at.with_view(View::Deployment(l.database_id)).path());
        let label = format!("Roll back {} of {} to {}", clipped(&cell.environment, 80), at.repo, what(&l));
        view! {
            <p class="muted live">"Live: "<a href=href.clone() data-testid="live">{what(&l)}</a>
                " · "<a href=href aria-label=label data-testid="cell-rollback">"Roll back to this"</a></p>
        }
    });
    view! {
        <div class=format!("fleet-cell {}", m.class()) data-testid="cell" data-environment=cell.environment.clone() data-mark=m.words()>
            <a href=page data-testid="cell-link"><strong class="mark">{m.words()}</strong>" "<code>{what(&latest)}</code></a>
            <span class="muted">{format!(" by {} ", clipped(latest.who(), 40))}<Time at=latest.created_at now/></span>
            {live}
            {(m == Mark::Waiting).then(|| view! {
                <a href=reviews class="review-link" data-testid="cell-review">"Review"</a>
                <CellReview repo=at.repo.clone() environment=cell.environment.clone() on_decided/>
            })}
        </div>
    }
}
