//! The History view: every deployment (all pages, through `Link`), newest first, filtered by GitHub
//! (environment, ref, sha, task) and by the page (creator, state); only the rows on screen are in the DOM,
//! and only their latest states are asked for (`statuses?per_page=1`, through core's budget); the
//! environments at a glance; a chart per environment over time; live refresh with conditional requests;
//! export as JSON and CSV. What to ask next is core's `listing`; `driver` performs it.

mod chart;
mod driver;
mod environments;
mod filters;
mod table;

use deploydeck_core::cost::{ask_before_reading, CostQuestion};
use deploydeck_core::history::{chart, ExportFormat, HistoryFilter};
use deploydeck_core::listing::{AskMode, ListStatus};
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::DeploymentId;
use deploydeck_core::response::ApiError;
use deploydeck_core::text::count;
use leptos::prelude::*;

use crate::clock::every;
use crate::components::{CostNotice, ErrorPanel};
use crate::download::download;
use crate::router::use_nav;
use crate::state::AppState;
use crate::tasks::Tasks;

use chart::ChartView;
use driver::{Driver, History, Shown};
use environments::Environments;
use filters::FilterForm;
use table::{HistoryTable, Window};

#[component]
pub fn HistoryView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let nav = use_nav();
    let repo = location.repo.clone();
    let filter = Memo::new(move |_| HistoryFilter::from_query(&nav.search()));
    let h = History::new();
    // Everything this view starts stops when it goes away (a quick navigation must not find its signals gone).
    let driver = Driver::new(h, api.repo(&repo), Tasks::new());

    // Whenever GitHub's filters change: from the first page.
    let api_filter = Memo::new(move |_| filter.with(|f| f.api_filter()));
    Effect::new({
        let driver = driver.clone();
        move |_| driver.load(&api_filter.get())
    });

    // What the page's own filters keep (rows whose state is still unknown wait when a state is asked for).
    // States are read (and followed) only when a state filter needs them: otherwise every arriving state
    // would recompute the whole list.
    // A cleanup run of this repository going on elsewhere in the app: what it has deleted leaves the list.
    let gone = crate::runs::gone(&location);
    let shown = Memo::new(move |_| {
        filter.with(|f| {
            gone.with(|gone| {
                h.list.with(|l| {
                    l.rows()
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| {
                            if gone.contains(&d.id) {
                                return false;
                            }
                            let state = if f.needs_states() {
                                h.state_of(d.id)
                            } else {
                                None
                            };
                            f.keeps(d, state) == Some(true)
                        })
                        .map(|(i, _)| i as u32)
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    let removed = Memo::new(move |_| {
        gone.with(|gone| {
            if gone.is_empty() {
                return 0;
            }
            h.list
                .with(|l| l.rows().iter().filter(|d| gone.contains(&d.id)).count())
        })
    });
    let window = Window::new(shown);
    h.follow_summaries(300);

    // Reading every listed deployment's state (the state filter, an export) can cost much of the quota: when
    // it does, the view asks first (core's `cost`), and a yes holds for this view.
    let consent = RwSignal::new(false);
    let state_question = Memo::new({
        let gh = api.repo(&repo);
        move |_| {
            if consent.get() || !filter.with(HistoryFilter::needs_states) {
                return None;
            }
            let ids = filter.with(|f| h.undecided(f));
            let what = format!(
                "the latest state of the {} listed",
                count(ids.len(), "deployment", "deployments")
            );
            ask_before_reading(gh.unread_states(&ids), &what, gh.api().quota().as_ref())
        }
    });

    // Ask for the states of what is on screen, or of every candidate when the state filter needs them.
    Effect::new({
        let driver = driver.clone();
        move |_| {
            let (start, end) = window.range.get();
            // A bulk read that ends leaves what it could not give to be asked here.
            h.bulk_reads.track();
            let mut ids: Vec<DeploymentId> = Vec::new();
            if filter.with(HistoryFilter::needs_states) && state_question.with(Option::is_none) {
                ids.extend(filter.with(|f| h.undecided(f)));
            }
            shown.with(|rows| ids.extend(h.ids_at(&rows[start..end]).into_iter().rev()));
            driver.ask_states(ids, AskMode::Only);
        }
    });

    // Live: while the tab is visible, every 30 s (or GitHub's X-Poll-Interval).
    let refresh = {
        let driver = driver.clone();
        move || driver.refresh(window.on_screen(h, shown), &api_filter.get_untracked())
    };
    every(1_000, {
        let refresh = refresh.clone();
        move |visible| {
            if h.refresh_due(visible) {
                refresh();
            }
        }
    });

    let undecided = Memo::new(move |_| {
        filter.with(|f| {
            if f.needs_states() {
                h.undecided(f).len()
            } else {
                0
            }
        })
    });
    let load_rest = {
        let driver = driver.clone();
        move || driver.load_rest()
    };
    view! {
        <section class="page history" data-testid="history-view">
            <h1>"History"</h1>
            <FilterForm location=location.clone() filter/>
            <CountLine h shown removed undecided asking=Signal::derive(move || state_question.with(Option::is_some))/>
            <ListFailure h load_rest/>
            {move || h.list.with(|l| l.cut_short().cloned()).map(|error| view! {
                <div data-testid="list-cut-short">
                    <ErrorPanel error context="Only some of the deployments could be listed"/>
                </div>
            })}
            {move || state_question.get().map(|question| view! {
                <CostNotice question why="Filtering by latest state needs the state of every listed deployment." action="Read the states"
                    on_accept=move || consent.set(true) testid="history-cost"/>
            })}
            <div class="history-actions">
                <button type="button" class="button subtle" on:click=move |_| refresh() data-testid="refresh">"Refresh now"</button>
                <Export driver=driver.clone() shown consent/>
            </div>
            <HistoryTable h shown window location=location.clone()/>
            <h2>"Environments"</h2>
            <Environments h location=location.clone()/>
            <h2>"Deployments per environment"</h2>
            <p class="muted">"Per day, the last 30 days with deployments, the eight busiest environments; from the deployments whose state is loaded."</p>
            {move || {
                // The list and its states at the summaries' pace; a change of filters at once.
                h.summaries.track();
                filter.track();
                let chart = shown.with_untracked(|rows| h.with_known(Some(rows), |records| chart(records, 8, 30)));
                view! { <ChartView chart/> }
            }}
        </section>
    }
    .into_any()
}

/// "12 of 300 deployments shown. Loading more… Checking the state of 4 more…"
#[component]
fn CountLine(
    h: History,
    shown: Shown,
    /// Listed, then deleted by a cleanup run going on elsewhere in the app.
    removed: Memo<usize>,
    undecided: Memo<usize>,
    /// A cost question holds the undecided ones back.
    asking: Signal<bool>,
) -> impl IntoView {
    view! {
        <p class="muted" role="status" data-testid="history-count" data-states-known=move || h.known_states()>
            {move || {
                let total = h.list.with(|l| l.rows().len()) - removed.get();
                let shown_count = shown.with(Vec::len);
                let waiting = undecided.get();
                let more = h.list.with(|l| match l.status() {
                    ListStatus::Loading => " Loading…",
                    ListStatus::LoadingMore => " Loading more…",
                    _ => l.cut_short_note().unwrap_or(""),
                });
                let checking = match (waiting, asking.get()) {
                    (0, _) => String::new(),
                    (_, true) => format!(" {waiting} wait for their state: see below."),
                    (_, false) => format!(" Checking the state of {waiting} more…"),
                };
                let deleted = match removed.get() {
                    0 => String::new(),
                    n => format!(" {} by the cleanup run.", count(n, "deleted", "deleted")),
                };
                format!("{shown_count} of {total} deployments shown.{deleted}{more}{checking}")
            }}
        </p>
    }
}

/// A page that failed: what happened, and "Load the rest" (the rows listed stay) — or, for a rate limit, that
/// the rest loads by itself at the reset.
#[component]
fn ListFailure(h: History, load_rest: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    move || {
        let error = h.list.with(|l| match l.status() {
            ListStatus::Failed(error) => Some(error.clone()),
            _ => None,
        })?;
        let listed = h.list.with_untracked(|l| l.rows().len());
        let (context, again) = if listed == 0 {
            ("Could not list the deployments", "Try again".to_owned())
        } else {
            (
                "Could not list the rest of the deployments",
                format!("Load the rest (the {listed} listed stay)"),
            )
        };
        let waits = matches!(error, ApiError::RateLimited { .. });
        let load_rest = load_rest.clone();
        Some(view! {
            <ErrorPanel error context/>
            {if waits {
                view! { <p class="notice" role="status" data-testid="list-waits">"The rest loads by itself once the quota resets; keep this page open."</p> }.into_any()
            } else {
                view! { <p><button type="button" class="button primary" on:click=move |_| load_rest() data-testid="load-rest">{again}</button></p> }.into_any()
            }}
        })
    }
}

/// "Export JSON" and "Export CSV": every shown deployment with its latest status, read first (asked before,
/// when that costs much of the quota).
#[component]
fn Export(driver: Driver, shown: Shown, consent: RwSignal<bool>) -> impl IntoView {
    let question = RwSignal::new(None::<(ExportFormat, CostQuestion)>);
    let export = move |format: ExportFormat| {
        let ids: Vec<DeploymentId> = shown.with_untracked(|rows| driver.h.ids_at(rows));
        if !consent.get_untracked() {
            if let Some(q) = driver.export_cost(&ids) {
                question.set(Some((format, q)));
                return;
            }
        }
        question.set(None);
        let h = driver.h;
        driver.when_states_read(ids, move || {
            let records = shown.with_untracked(|rows| h.all_records(&h.rows_at(rows)));
            let (text, mime, name) = format.file(&records);
            download(&text, mime, name);
        });
    };
    let (json, csv) = (export.clone(), export.clone());
    view! {
        <button type="button" class="button subtle" on:click=move |_| json(ExportFormat::Json) data-testid="export-json">"Export JSON"</button>
        <button type="button" class="button subtle" on:click=move |_| csv(ExportFormat::Csv) data-testid="export-csv">"Export CSV"</button>
        {move || question.get().map(|(format, question)| {
            let export = export.clone();
            view! {
                <CostNotice question why="The export needs the state of every listed deployment." action="Read them and export"
                    on_accept=move || { consent.set(true); export(format); } testid="export-cost"/>
            }
        })}
    }
}
