//! Insights: DORA's four delivery measures — deployment frequency, change failure rate, time to restore, lead
//! time for changes — per environment of this repository over a period, from its deployments and their
//! statuses (docs/insights.md). Core computes every figure (`deploydeck_core::insights`); `driver` reads.

mod charts;
mod driver;
mod fleet;
mod fleet_driver;
mod period;
mod table;

pub use fleet::FleetInsightsView;

use deploydeck_core::history::HistoryFilter;
use deploydeck_core::insights::{day_of, export_csv, export_json, measure, Measures, Span};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{DeploymentId, DeploymentState};
use deploydeck_core::text::count;
use leptos::prelude::*;

use crate::clock::now;
use crate::components::{CostNotice, ErrorPanel};
use crate::download::download;
use crate::href::app_href;
use crate::router::use_nav;
use crate::state::AppState;

use charts::Charts;
use driver::{Driver, Lead, Samples};
use period::PeriodForm;
use table::{Line, MeasuresTable};

/// Where a figure's deployments are listed: History filtered to the environment (and a state).
#[derive(Clone)]
pub(super) struct Links(AppLocation);

impl Links {
    pub fn history(&self, environment: &str, state: Option<DeploymentState>) -> String {
        let filter = HistoryFilter {
            environment: environment.to_owned(),
            state,
            ..HistoryFilter::default()
        };
        app_href(
            &self
                .0
                .with_view(View::History)
                .path_with_query(&filter.to_query()),
        )
    }

    pub fn deployment(&self, id: DeploymentId) -> String {
        app_href(&self.0.with_view(View::Deployment(id)).path())
    }
}

#[component]
pub fn InsightsView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let nav = use_nav();
    let span = Memo::new(move |_| Span::from_query(&nav.search()));
    let period = Memo::new(move |_| span.get().period(now()));
    let driver = Driver::new(api.repo(&location.repo));
    let (samples, lead, shipped) = (driver.samples, driver.lead, driver.shipped);
    let driver = StoredValue::new(driver);
    Effect::new(move |_| {
        let p = period.get();
        driver.with_value(|d| d.load(p, false));
    });
    let measures = Memo::new(move |_| match samples.get() {
        Samples::Read { samples, .. } => {
            Some(shipped.with(|s| measure(&samples, &period.get(), s)))
        }
        _ => None,
    });
    let chosen = RwSignal::new(None::<String>);
    let links = StoredValue::new(Links(location.clone()));
    let file = StoredValue::new(format!(
        "insights-{}-{}",
        location.repo.owner, location.repo.name
    ));
    let export = move |csv: bool| {
        let (p, all) = (
            period.get_untracked(),
            measures.get_untracked().unwrap_or_default(),
        );
        let name = format!(
            "{}-{}-to-{}",
            file.get_value(),
            day_of(p.from),
            day_of(p.to.plus_seconds(-1))
        );
        if csv {
            download(&export_csv(&all, &p), "text/csv", &format!("{name}.csv"));
        } else {
            download(
                &export_json(&all, &p),
                "application/json",
                &format!("{name}.json"),
            );
        }
    };
    let refresh =
        Callback::new(move |()| driver.with_value(|d| d.load(period.get_untracked(), true)));
    view! {
        <section class="page insights" data-testid="insights">
            <h1>"Insights"</h1>
            <p class="lede">"How often each environment gets a successful deployment, how often a deployment fails, how long a failure takes to restore and how long a commit takes to arrive — DORA's four delivery measures, from this repository's deployments and their statuses."</p>
            <Definitions/>
            <PeriodForm span href_of=Callback::new({
                let location = location.clone();
                move |s: Span| location.path_with_query(&s.to_query())
            })/>
            <div aria-live="polite" data-testid="insights-status">
                {move || match samples.get() {
                    Samples::Reading(n, via) => view! {
                        <p class="loading" aria-busy="true">{format!("Reading the period's deployments with their statuses through {via}: {} so far…", count(n, "deployment", "deployments"))}</p>
                    }.into_any(),
                    Samples::Ask(question, _) => view! {
                        <CostNotice question why="The measures need every deployment of the period with its statuses." action="Read them"
                            on_accept=move || driver.with_value(|d| d.accept(period.get_untracked())) testid="insights-cost"/>
                    }.into_any(),
                    Samples::Failed(error) => view! { <ErrorPanel error context="Could not read the deployments" retry=refresh/> }.into_any(),
                    Samples::Read { samples, .. } => view! {
                        <p class="muted" data-testid="insights-read">{format!("Read {} since {}. ", count(samples.len(), "deployment", "deployments"), day_of(period.get().from))}
                            <button type="button" class="button subtle" on:click=move |_| refresh.run(()) data-testid="insights-refresh">"Read again"</button></p>
                    }.into_any(),
                }}
                {move || match lead.get() {
                    Lead::Waiting => ().into_any(),
                    Lead::Lines(n) => view! {
                        <p class="loading" aria-busy="true" data-testid="lead-progress">{format!("Reading the commits each deployment brought, for lead time: the history of {}…", count(n, "environment", "environments"))}</p>
                    }.into_any(),
                    Lead::Reading { done, of } => view! {
                        <p class="loading" aria-busy="true" data-testid="lead-progress">{format!("Reading the commits each deployment brought, for lead time: {done} of {}…", count(of, "comparison", "comparisons"))}</p>
                    }.into_any(),
                    Lead::Ask(question, _) => view! {
                        <CostNotice question why="Lead time needs the commits between consecutive successful deployments." action="Read the commits"
                            on_accept=move || driver.with_value(|d| d.accept_lead()) testid="lead-cost"/>
                    }.into_any(),
                    Lead::Failed(error) => view! {
                        <ErrorPanel error context="Could not read the commits for lead time (the other measures are complete)"
                            retry=Callback::new(move |()| driver.with_value(|d| d.lead_for(period.get_untracked())))/>
                    }.into_any(),
                }}
            </div>
            {move || {
                // The chosen environment's charts: shown again when another is chosen.
                chosen.track();
                measures.get().map(|all| view! {
                    <Figures all period=period.get() chosen links=links.get_value() export/>
                })
            }}
        </section>
    }
    .into_any()
}

/// The table, the chosen environment's charts and the exports.
#[component]
fn Figures(
    all: Vec<Measures>,
    period: deploydeck_core::insights::Period,
    chosen: RwSignal<Option<String>>,
    links: Links,
    export: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if all.is_empty() {
        return view! { <p data-testid="insights-empty">"No deployment was created in this period. Choose a longer one."</p> }.into_any();
    }
    let shown = chosen
        .get_untracked()
        .and_then(|name| {
            all.iter()
                .position(|m| m.environment.eq_ignore_ascii_case(&name))
        })
        .unwrap_or(0);
    let m = all[shown].clone();
    let lines = all
        .into_iter()
        .map(|m| Line {
            repo: None,
            m,
            links: links.clone(),
        })
        .collect();
    let choose = Callback::new(move |name| chosen.set(Some(name)));
    view! {
        <MeasuresTable lines period chosen=(m.environment.clone(), choose)/>
        <Charts m period links/>
        <p class="actions">
            <button type="button" class="button" on:click=move |_| export(true) data-testid="insights-csv">"Export CSV"</button>
            <button type="button" class="button" on:click=move |_| export(false) data-testid="insights-json">"Export JSON"</button>
        </p>
    }
    .into_any()
}

/// What each measure means, on the page (docs/insights.md says it at length).
#[component]
fn Definitions() -> impl IntoView {
    view! {
        <details class="definitions" data-testid="insights-definitions">
            <summary>"How these are measured"</summary>
            <dl class="facts">
                <dt>"Outcome"</dt><dd>"A deployment's last success, failure or error status. One without any is unfinished and counted apart; inactive says nothing about how it went."</dd>
                <dt>"Deployment frequency"</dt><dd>"Successful deployments created in the period, per day."</dd>
                <dt>"Change failure rate"</dt><dd>"Failed deployments (failure or error) of the finished ones. Rolled back, beside it: successes replaced within a day by a deployment of an older commit."</dd>
                <dt>"Time to restore"</dt><dd>"From a failure to the next successful deployment in the environment; failures in a row are one outage. One not restored in the period has no time and is said."</dd>
                <dt>"Lead time for changes"</dt><dd>"From each commit's committer date to the success of the first deployment that brought it, the commits read with GitHub's compare between consecutive successes (one request each)."</dd>
                <dt>"Bands"</dt><dd>"Each figure is placed among the clusters of DORA's 2024 State of DevOps report, one figure at a time: never an overall grade, and a description of these deployments, not of a team."</dd>
            </dl>
        </details>
    }
}
