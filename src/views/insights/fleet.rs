//! The fleet's insights (`/{host}/_insights`): each pinned repository's production-like environment measured
//! over the period, one row per repository. The environments' names are read for all at once (GraphQL, 25
//! repositories a point), then each production's deployments with their statuses (a few repositories at a
//! time, one point per 100), then the comparisons lead time needs — asked first when there are many.

use std::sync::Arc;

use deploydeck_core::insights::{day_of, export_fleet_csv, export_fleet_json, Shipped, Span};
use deploydeck_core::location::{AppLocation, FleetLocation, View};
use deploydeck_core::text::count;
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::clock::now;
use crate::components::{CostNotice, ErrorPanel};
use crate::download::download;
use crate::href::app_href;
use crate::router::use_nav;
use crate::session;
use crate::state::AppState;
use crate::tasks::Tasks;
use crate::views::FleetTabs;

use super::driver::Lead;
use super::fleet_driver::{Cell, FleetDriver};
use super::period::PeriodForm;
use super::table::{Line, MeasuresTable};
use super::Links;

#[component]
pub fn FleetInsightsView(fleet: FleetLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let nav = use_nav();
    let span = Memo::new(move |_| Span::from_query(&nav.search()));
    let period = Memo::new(move |_| span.get().period(now()));
    let pinned = fleet
        .repos
        .clone()
        .unwrap_or_else(|| session::pinned(&fleet.host));
    let repos = Arc::new(pinned.repos().to_vec());
    let driver = FleetDriver {
        api,
        repos: repos.clone(),
        tasks: Tasks::new(),
        cells: RwSignal::new(vec![Cell::Waiting; repos.len()]),
        failed: RwSignal::new(None),
        lead: RwSignal::new(Lead::Waiting),
        shipped: RwSignal::new(Arc::new(Shipped::new())),
    };
    let (cells, failed, lead) = (driver.cells, driver.failed, driver.lead);
    let driver = StoredValue::new(driver);
    Effect::new(move |_| {
        let p = period.get();
        driver.with_value(|d| d.load(p));
    });
    let rows = Memo::new(move |_| driver.with_value(|d| d.rows(&period.get())));
    let host = fleet.host.clone();
    let export = move |csv: bool| {
        let (p, all) = (period.get_untracked(), rows.get_untracked());
        let name = format!(
            "insights-fleet-{}-to-{}",
            day_of(p.from),
            day_of(p.to.plus_seconds(-1))
        );
        if csv {
            download(
                &export_fleet_csv(&all, &p),
                "text/csv",
                &format!("{name}.csv"),
            );
        } else {
            download(
                &export_fleet_json(&all, &p),
                "application/json",
                &format!("{name}.json"),
            );
        }
    };
    let progress = move || {
        cells.with(|c| {
            let done = c
                .iter()
                .filter(|c| !matches!(c, Cell::Waiting | Cell::Reading(_)))
                .count();
            let deployments: usize = c
                .iter()
                .map(|c| match c {
                    Cell::Reading(n) => *n,
                    Cell::Read(_, s) => s.len(),
                    _ => 0,
                })
                .sum();
            (done, c.len(), deployments)
        })
    };
    let href_of = Callback::new({
        let fleet = fleet.clone();
        move |s: Span| fleet.path_with_query(&s.to_query())
    });
    view! {
        <section class="page insights" data-testid="fleet-insights">
            <h1>"Fleet insights"</h1>
            <FleetTabs fleet=fleet.clone()/>
            <p class="lede">"DORA's four delivery measures for each pinned repository's production-like environment (one named production, else the first production-like name). Each figure links to the repository's own Insights."</p>
            <PeriodForm span href_of/>
            <div aria-live="polite" data-testid="insights-status">
                {move || match (failed.get(), progress()) {
                    (Some(error), _) => view! { <ErrorPanel error context="Could not read the fleet's deployments" retry=Callback::new(move |()| driver.with_value(|d| d.load(period.get_untracked())))/> }.into_any(),
                    (None, (done, all, n)) if done < all => view! { <p class="loading" aria-busy="true">{format!("Reading: {done} of {} done, {} so far…", count(all, "repository", "repositories"), count(n, "deployment", "deployments"))}</p> }.into_any(),
                    (None, (_, all, n)) => view! { <p class="muted" data-testid="insights-read">{format!("Read {} of {}.", count(n, "deployment", "deployments"), count(all, "repository", "repositories"))}</p> }.into_any(),
                }}
                {move || match lead.get() {
                    Lead::Lines(n) => view! { <p class="loading" aria-busy="true" data-testid="lead-progress">{format!("Reading the commits each deployment brought, for lead time: the history of {}…", count(n, "production", "productions"))}</p> }.into_any(),
                    Lead::Reading { done, of } => view! { <p class="loading" aria-busy="true" data-testid="lead-progress">{format!("Reading the commits each deployment brought, for lead time: {done} of {}…", count(of, "comparison", "comparisons"))}</p> }.into_any(),
                    Lead::Ask(question, _) => view! { <CostNotice question why="Lead time needs the commits between consecutive successful deployments." action="Read the commits"
                        on_accept=move || driver.with_value(|d| d.accept_lead(period.get_untracked())) testid="lead-cost"/> }.into_any(),
                    Lead::Failed(error) => view! { <ErrorPanel error context="Could not read the commits for lead time (the other measures are complete)"
                        retry=Callback::new(move |()| driver.with_value(|d| d.lead_for(period.get_untracked())))/> }.into_any(),
                    Lead::Waiting => ().into_any(),
                }}
            </div>
            {move || {
                let (all, p, s) = (rows.get(), period.get(), span.get());
                let lines: Vec<Line> = all.iter().filter_map(|row| {
                    let m = row.measures.clone()?;
                    let repo = RepoRef::parse(&row.repository).ok()?;
                    let at = AppLocation::new(host.clone(), repo, View::Insights);
                    Some(Line { repo: Some((row.repository.clone(), app_href(&at.path_with_query(&s.to_query())))), m, links: Links(at) })
                }).collect();
                let notes: Vec<(String, String)> = all.iter().zip(cells.get()).filter_map(|(row, cell)| match cell {
                    Cell::Unmeasured => Some((row.repository.clone(), "no environment with a production-like name".to_owned())),
                    Cell::Failed(words) => Some((row.repository.clone(), words)),
                    Cell::Read(env, _) if row.measures.is_none() => Some((row.repository.clone(), format!("no deployment to {env} in the period"))),
                    _ => None,
                }).collect();
                view! {
                    {(!lines.is_empty()).then(|| view! { <MeasuresTable lines period=p/> })}
                    <ul class="notes" data-testid="fleet-insights-notes">
                        {notes.into_iter().map(|(repo, words)| view! { <li data-testid="fleet-insights-note">{format!("{repo}: {words}")}</li> }).collect_view()}
                    </ul>
                }
            }}
            <p class="actions">
                <button type="button" class="button" on:click=move |_| export(true) data-testid="insights-csv">"Export CSV"</button>
                <button type="button" class="button" on:click=move |_| export(false) data-testid="insights-json">"Export JSON"</button>
            </p>
        </section>
    }
    .into_any()
}
