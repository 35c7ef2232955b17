//! The History view: every deployment (all pages, through `Link`), newest first, filtered by GitHub
//! (environment, ref, sha, task) and by the page (creator, state); only the rows on screen are in the DOM,
//! and only their latest states are asked for (`statuses?per_page=1`, through core's budget); the
//! environments at a glance; a chart per environment over time; live refresh with conditional requests;
//! export as JSON and CSV.

use std::collections::{HashMap, HashSet};

use deploydeck_core::cost::{ask_before_reading, CostQuestion};
use deploydeck_core::history::{
    chart, environments, visible_rows, Chart, ExportFormat, HistoryFilter, Outcome,
};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentState, DeploymentStatus};
use deploydeck_core::request::DeploymentFilter;
use deploydeck_core::response::ApiError;
use deploydeck_core::rules::DeploymentRecord;
use deploydeck_core::text::count;
use deploydeck_core::url::is_http_url;
use deploydeck_core::{HttpRequest, Timestamp};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::clock::{every, now, now_ms, sleep_ms};
use crate::components::{clipped, Clip, CostNotice, ErrorPanel, StateBadge, Time};
use crate::download::download;
use crate::href::app_href;
use crate::router::use_nav;
use crate::state::AppState;
use crate::tasks::Tasks;

/// Every row has the same height (CSS `.history-table tr`, about this; measured once rows are in the page),
/// so the window can be computed.
const ROW_HEIGHT: f64 = 44.0;
const OVERSCAN: usize = 8;
/// Latest-state requests in flight at once (core's budget bounds them again).
const WORKERS: u32 = 6;
/// The live refresh, unless GitHub asks for longer (`X-Poll-Interval`).
const REFRESH_SECS: u64 = 30;
/// Only avatars from GitHub's avatar host are shown (the CSP allows no other image origin).
const AVATAR_ORIGIN: &str = "https://avatars.githubusercontent.com/";

/// How a batch of ids joins the state queue.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    Only,
    Also,
}

#[derive(Clone, PartialEq)]
enum ListState {
    Loading,
    LoadingMore,
    Done,
    Failed(ApiError),
}

/// The view's data, shared by its parts.
#[derive(Clone, Copy)]
struct History {
    rows: RwSignal<Vec<Deployment>>,
    /// Latest statuses known, by deployment (`None`: it has no status).
    latest: RwSignal<HashMap<DeploymentId, Option<DeploymentStatus>>>,
    list: RwSignal<ListState>,
    /// The page request that failed, to go on from there (what was listed stays).
    resume: StoredValue<Option<HttpRequest>>,
    generation: StoredValue<u64>,
    poll_secs: StoredValue<Option<u64>>,
    queue: StoredValue<Vec<DeploymentId>>,
    in_flight: StoredValue<HashSet<DeploymentId>>,
    workers: StoredValue<u32>,
    last_refresh: StoredValue<f64>,
}

impl History {
    fn state_of(&self, id: DeploymentId) -> Option<Option<DeploymentState>> {
        self.latest
            .with(|m| m.get(&id).map(|s| s.as_ref().map(|s| s.state)))
    }

    /// Keeps a latest status that arrived, notifying only when it differs from the one shown.
    fn keep_state(&self, id: DeploymentId, status: Option<DeploymentStatus>) {
        if self.latest.with_untracked(|m| m.get(&id) != Some(&status)) {
            self.latest.update(|m| {
                m.insert(id, status);
            });
        }
    }

    fn records(&self, rows: &[Deployment]) -> Vec<DeploymentRecord> {
        self.latest.with(|m| {
            rows.iter()
                .filter_map(|d| {
                    m.get(&d.id).map(|s| DeploymentRecord {
                        deployment: d.clone(),
                        latest_status: s.clone(),
                    })
                })
                .collect()
        })
    }
}

#[component]
pub fn HistoryView(location: AppLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let nav = use_nav();
    // Everything this view starts stops when it goes away (a quick navigation must not find its signals gone).
    let tasks = Tasks::new();
    let repo = location.repo.clone();
    let filter = Memo::new(move |_| HistoryFilter::from_query(&nav.search()));
    let h = History {
        rows: RwSignal::new(Vec::new()),
        latest: RwSignal::new(HashMap::new()),
        list: RwSignal::new(ListState::Loading),
        resume: StoredValue::new(None),
        generation: StoredValue::new(0),
        poll_secs: StoredValue::new(None),
        queue: StoredValue::new(Vec::new()),
        in_flight: StoredValue::new(HashSet::new()),
        workers: StoredValue::new(0),
        last_refresh: StoredValue::new(now_ms()),
    };

    // Latest states: a few workers take ids from the queue's end (what is on screen is pushed last).
    // `Ask::Only` replaces what is waiting (rows scrolled past are no longer asked for); `Ask::Also` adds to
    // it. Known states are not asked for again here (a refresh does that, see `refresh`).
    let enqueue = {
        let (api, repo, tasks) = (api.clone(), repo.clone(), tasks.clone());
        move |ids: Vec<DeploymentId>, ask: Ask| {
            h.queue.update_value(|q| {
                if ask == Ask::Only {
                    q.clear();
                }
                for id in ids {
                    let known = h.latest.with_untracked(|m| m.contains_key(&id));
                    if !known && !h.in_flight.with_value(|f| f.contains(&id)) {
                        q.retain(|x| *x != id);
                        q.push(id);
                    }
                }
            });
            while h.workers.get_value() < WORKERS && h.queue.with_value(|q| !q.is_empty()) {
                h.workers.update_value(|w| *w += 1);
                let (api, repo) = (api.clone(), repo.clone());
                tasks.spawn(async move {
                    while let Some(id) = h.queue.try_update_value(|q| q.pop()).flatten() {
                        h.in_flight.update_value(|f| {
                            f.insert(id);
                        });
                        let answer = api.latest_status(&repo, id).await;
                        h.in_flight.update_value(|f| {
                            f.remove(&id);
                        });
                        // A failed ask leaves the state unknown ("…"); the next refresh asks again.
                        if let Ok(status) = answer {
                            h.keep_state(id, status);
                        }
                    }
                    h.workers.update_value(|w| *w = w.saturating_sub(1));
                });
            }
        }
    };

    // The list: every page, through `Link`, from `request` on. A page that fails is kept to go on from:
    // the rows already listed stay, and "Load the rest" asks for that page again.
    let pages = {
        let (api, tasks) = (api.clone(), tasks.clone());
        move |mut request: Option<HttpRequest>, generation: u64| {
            let api = api.clone();
            tasks.spawn(async move {
                while let Some(req) = request.take() {
                    let answer = api.deployments_page(req.clone()).await;
                    if h.generation.get_value() != generation {
                        return;
                    }
                    match answer {
                        Ok((page, interval)) => {
                            if page.links.prev.is_none() {
                                h.poll_secs.set_value(interval);
                            }
                            request = page.links.next.as_deref().and_then(|u| api.follow(u));
                            h.rows.update(|r| r.extend(page.items));
                            h.list.set(if request.is_some() {
                                ListState::LoadingMore
                            } else {
                                ListState::Done
                            });
                        }
                        Err(error) => {
                            // A rate limit: core's budget holds every request until GitHub's reset, so
                            // asking again now waits for it, then goes on by itself.
                            let waits = matches!(error, ApiError::RateLimited { .. });
                            h.resume.set_value((!waits).then(|| req.clone()));
                            h.list.set(ListState::Failed(error));
                            if !waits {
                                return;
                            }
                            request = Some(req);
                        }
                    }
                }
            });
        }
    };
    // Whenever GitHub's filters change: from the first page.
    let load = {
        let (api, repo, pages) = (api.clone(), repo.clone(), pages.clone());
        move |f: DeploymentFilter| {
            h.generation.update_value(|g| *g += 1);
            h.rows.set(Vec::new());
            h.resume.set_value(None);
            h.list.set(ListState::Loading);
            pages(
                Some(api.first_deployments(&repo, &f)),
                h.generation.get_value(),
            );
        }
    };
    let load_rest = move |_| {
        if let Some(request) = h.resume.get_value() {
            h.resume.set_value(None);
            h.list.set(if h.rows.with_untracked(Vec::is_empty) {
                ListState::Loading
            } else {
                ListState::LoadingMore
            });
            pages(Some(request), h.generation.get_value());
        }
    };
    let api_filter = Memo::new(move |_| filter.with(|f| f.api_filter()));
    Effect::new({
        let load = load.clone();
        move |_| load(api_filter.get())
    });

    // What the page's own filters keep (rows whose state is still unknown wait when a state is asked for).
    // States are read (and followed) only when a state filter needs them: otherwise every arriving state
    // would recompute the whole list.
    let state_for = move |f: &HistoryFilter, id: DeploymentId| {
        if f.needs_states() {
            h.state_of(id)
        } else {
            None
        }
    };
    let shown = Memo::new(move |_| {
        filter.with(|f| {
            h.rows.with(|rows| {
                rows.iter()
                    .filter(|d| f.keeps(d, state_for(f, d.id)) == Some(true))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let undecided = Memo::new(move |_| {
        filter.with(|f| {
            if !f.needs_states() {
                return 0;
            }
            h.rows.with(|rows| {
                rows.iter()
                    .filter(|d| f.keeps(d, state_for(f, d.id)).is_none())
                    .count()
            })
        })
    });

    // The window: which rows are on screen.
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(600.0);
    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            viewport.set(f64::from(el.client_height().max(200)));
        }
    });
    let row_height = RwSignal::new(ROW_HEIGHT);
    let window_range = Memo::new(move |_| {
        visible_rows(
            scroll_top.get(),
            viewport.get(),
            row_height.get(),
            shown.with(Vec::len),
            OVERSCAN,
        )
    });
    // The heights standing in for the rows above and below the window.
    let spacers = Memo::new(move |_| {
        let (start, end) = window_range.get();
        let total = shown.with(Vec::len);
        let height = row_height.get();
        (
            start as f64 * height,
            total.saturating_sub(end) as f64 * height,
        )
    });
    // The rows' real height (fonts and zoom vary): the spacers and the window must use the same one.
    Effect::new(move |_| {
        window_range.track();
        if let Some(row) = scroller.get().and_then(|el| {
            el.query_selector("[data-testid=history-row]")
                .ok()
                .flatten()
        }) {
            let measured = row.get_bounding_client_rect().height();
            if measured > 0.0 && (measured - row_height.get_untracked()).abs() > 0.25 {
                row_height.set(measured);
            }
        }
    });

    // Reading every listed deployment's state (the state filter, an export) can cost much of the quota: when
    // it does, the view asks first (core's `cost`), and a yes holds for this view.
    let consent = RwSignal::new(false);
    let undecided_ids = move || -> Vec<DeploymentId> {
        filter.with(|f| {
            h.rows.with(|rows| {
                rows.iter()
                    .filter(|d| f.keeps(d, h.state_of(d.id)).is_none())
                    .map(|d| d.id)
                    .collect()
            })
        })
    };
    let state_question = Memo::new({
        let (api, repo) = (api.clone(), repo.clone());
        move |_| {
            if consent.get() || !filter.with(HistoryFilter::needs_states) {
                return None;
            }
            let ids = undecided_ids();
            let what = format!(
                "the latest state of the {} listed",
                count(ids.len(), "deployment", "deployments")
            );
            ask_before_reading(api.unread_states(&repo, &ids), &what, api.quota().as_ref())
        }
    });

    // Ask for the states of what is on screen, or of every candidate when the state filter needs them.
    Effect::new({
        let enqueue = enqueue.clone();
        move |_| {
            let (start, end) = window_range.get();
            let mut ids: Vec<DeploymentId> = Vec::new();
            if filter.with(HistoryFilter::needs_states) && state_question.with(Option::is_none) {
                filter.with(|f| {
                    h.rows.with(|rows| {
                        ids.extend(
                            rows.iter()
                                .filter(|d| f.keeps(d, h.state_of(d.id)).is_none())
                                .map(|d| d.id),
                        )
                    })
                });
            }
            shown.with(|rows| ids.extend(rows[start..end].iter().rev().map(|d| d.id)));
            enqueue(ids, Ask::Only);
        }
    });

    // Live: while the tab is visible, every 30 s (or GitHub's X-Poll-Interval), ask again for the first
    // page and the states on screen — conditional requests, so an unchanged answer is a free 304.
    let refresh = {
        let (api, repo, tasks) = (api.clone(), repo.clone(), tasks.clone());
        move || {
            h.last_refresh.set_value(now_ms());
            let (start, end) = window_range.get_untracked();
            let on_screen: Vec<DeploymentId> =
                shown.with_untracked(|rows| rows[start..end].iter().map(|d| d.id).collect());
            // The states on screen, asked for again (conditional: an unchanged one is a free 304), each on its
            // own task so a moving window cannot drop them; core's budget bounds how many run at once.
            for id in on_screen {
                let (api, repo) = (api.clone(), repo.clone());
                tasks.spawn(async move {
                    if let Ok(status) = api.latest_status(&repo, id).await {
                        h.keep_state(id, status);
                    }
                });
            }
            let (api, repo) = (api.clone(), repo.clone());
            let generation = h.generation.get_value();
            let f = api_filter.get_untracked();
            tasks.spawn(async move {
                if let Ok((page, interval)) =
                    api.deployments_page(api.first_deployments(&repo, &f)).await
                {
                    if h.generation.get_value() != generation {
                        return;
                    }
                    h.poll_secs.set_value(interval);
                    let known: HashSet<DeploymentId> =
                        h.rows.with_untracked(|r| r.iter().map(|d| d.id).collect());
                    let new: Vec<Deployment> = page
                        .items
                        .into_iter()
                        .filter(|d| !known.contains(&d.id))
                        .collect();
                    if !new.is_empty() {
                        h.rows.update(|r| {
                            r.splice(0..0, new);
                            r.sort_by_key(|d| std::cmp::Reverse(d.id));
                        });
                    }
                }
            });
        }
    };
    every(1_000, {
        let refresh = refresh.clone();
        move |visible| {
            let wait = h.poll_secs.get_value().unwrap_or(0).max(REFRESH_SECS) as f64 * 1000.0;
            if visible && now_ms() - h.last_refresh.get_value() >= wait {
                refresh();
            }
        }
    });

    // An export waiting for a yes to its cost.
    let export_question = RwSignal::new(None::<(ExportFormat, CostQuestion)>);
    let export = {
        let (enqueue, tasks, api, repo) =
            (enqueue.clone(), tasks.clone(), api.clone(), repo.clone());
        move |format: ExportFormat| {
            let ids: Vec<DeploymentId> =
                shown.with_untracked(|rows| rows.iter().map(|d| d.id).collect());
            if !consent.get_untracked() {
                let unknown: Vec<DeploymentId> = h.latest.with_untracked(|m| {
                    ids.iter()
                        .filter(|id| !m.contains_key(id))
                        .copied()
                        .collect()
                });
                let what = format!(
                    "the latest state of the {} not read yet",
                    count(unknown.len(), "deployment", "deployments")
                );
                if let Some(q) = ask_before_reading(
                    api.unread_states(&repo, &unknown),
                    &what,
                    api.quota().as_ref(),
                ) {
                    export_question.set(Some((format, q)));
                    return;
                }
            }
            export_question.set(None);
            let enqueue = enqueue.clone();
            tasks.spawn(async move {
                // Every listed deployment's latest state first (at the budget's pace). Scrolling meanwhile may
                // replace the queue, so what is still missing is asked for again until nothing more arrives.
                let missing = || {
                    h.latest.with_untracked(|m| {
                        ids.iter()
                            .filter(|id| !m.contains_key(id))
                            .copied()
                            .collect::<Vec<_>>()
                    })
                };
                let (mut stalled, mut left) = (0, usize::MAX);
                loop {
                    let now_missing = missing();
                    if now_missing.is_empty() || stalled >= 50 {
                        break;
                    }
                    stalled = if now_missing.len() < left {
                        0
                    } else {
                        stalled + 1
                    };
                    left = now_missing.len();
                    if h.queue.with_value(Vec::is_empty) && h.workers.get_value() == 0 {
                        enqueue(now_missing, Ask::Also);
                    }
                    sleep_ms(100).await;
                }
                // A state that could not be had is exported as unknown (no latest status), never dropped.
                let records: Vec<DeploymentRecord> = shown.with_untracked(|rows| {
                    h.latest.with_untracked(|m| {
                        rows.iter()
                            .map(|d| DeploymentRecord {
                                deployment: d.clone(),
                                latest_status: m.get(&d.id).cloned().flatten(),
                            })
                            .collect()
                    })
                });
                let (text, mime, name) = format.file(&records);
                download(&text, mime, name);
            });
        }
    };

    let location_for_rows = location.clone();
    // The demo sends nothing off the page, avatars included.
    let avatars = !location.host.is_demo();
    view! {
        <section class="page history" data-testid="history-view">
            <h1>"History"</h1>
            <FilterForm location=location.clone() filter/>
            <p class="muted" role="status" data-testid="history-count">
                {move || {
                    let total = h.rows.with(Vec::len);
                    let shown_count = shown.with(Vec::len);
                    let waiting = undecided.get();
                    let more = match h.list.get() {
                        ListState::Loading => " Loading…",
                        ListState::LoadingMore => " Loading more…",
                        _ => "",
                    };
                    let checking = match (waiting, state_question.with(Option::is_some)) {
                        (0, _) => String::new(),
                        (_, true) => format!(" {waiting} wait for their state: see below."),
                        (_, false) => format!(" Checking the state of {waiting} more…"),
                    };
                    format!("{shown_count} of {total} deployments shown.{more}{checking}")
                }}
            </p>
            {move || match h.list.get() {
                ListState::Failed(error) => {
                    let listed = h.rows.with_untracked(Vec::len);
                    let (context, again) = if listed == 0 {
                        ("Could not list the deployments", "Try again".to_owned())
                    } else {
                        ("Could not list the rest of the deployments", format!("Load the rest (the {listed} listed stay)"))
                    };
                    let load_rest = load_rest.clone();
                    // A rate limit: the list goes on by itself at the reset (see `pages`).
                    let waiting = matches!(error, ApiError::RateLimited { .. });
                    view! {
                        <ErrorPanel error context/>
                        {if waiting {
                            view! { <p class="notice" role="status" data-testid="list-waits">"The rest loads by itself once the quota resets; keep this page open."</p> }.into_any()
                        } else {
                            view! { <p><button type="button" class="button primary" on:click=load_rest data-testid="load-rest">{again}</button></p> }.into_any()
                        }}
                    }.into_any()
                }
                _ => ().into_any(),
            }}
            <div class="history-actions">
                <button type="button" class="button subtle" on:click={
                    let refresh = refresh.clone();
                    move |_| refresh()
                } data-testid="refresh">"Refresh now"</button>
                <button type="button" class="button subtle" on:click={
                    let export = export.clone();
                    move |_| export(ExportFormat::Json)
                } data-testid="export-json">"Export JSON"</button>
                <button type="button" class="button subtle" on:click={
                    let export = export.clone();
                    move |_| export(ExportFormat::Csv)
                } data-testid="export-csv">"Export CSV"</button>
            </div>
            {move || state_question.get().map(|question| view! {
                <CostNotice question why="Filtering by latest state needs the state of every listed deployment." action="Read the states"
                    on_accept=move || consent.set(true) testid="history-cost"/>
            })}
            {move || export_question.get().map(|(format, question)| {
                let export = export.clone();
                view! {
                    <CostNotice question why="The export needs the state of every listed deployment." action="Read them and export"
                        on_accept=move || { consent.set(true); export(format); } testid="export-cost"/>
                }
            })}
            <div class="history-scroll" node_ref=scroller tabindex="0" aria-label="Deployments, newest first"
                on:scroll=move |ev| {
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        scroll_top.set(f64::from(el.scroll_top()));
                        viewport.set(f64::from(el.client_height().max(200)));
                    }
                }>
                <table class="deployments history-table" data-testid="history-table">
                    <thead><tr>
                        <th scope="col">"Deployment"</th><th scope="col">"State"</th><th scope="col">"Environment"</th>
                        <th scope="col" class="opt">"Ref"</th><th scope="col" class="opt">"Commit"</th><th scope="col" class="opt">"By"</th>
                        <th scope="col">"Created"</th><th scope="col" class="opt">"Description"</th>
                    </tr></thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", spacers.get().0)></tr>
                        {move || {
                            let (start, end) = window_range.get();
                            let now = now();
                            let location = location_for_rows.clone();
                            shown.with(|rows| rows[start..end].to_vec()).into_iter().map(|d| {
                                let state = h.state_of(d.id);
                                view! { <HistoryRow deployment=d state location=location.clone() now avatars/> }
                            }).collect_view()
                        }}
                        <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", spacers.get().1)></tr>
                    </tbody>
                </table>
            </div>
            <h2>"Environments"</h2>
            <Environments h location=location.clone()/>
            <h2>"Deployments per environment"</h2>
            <p class="muted">"Per day, the last 30 days with deployments, the eight busiest environments; from the deployments whose state is loaded."</p>
            {move || {
                let records = shown.with(|rows| h.records(rows));
                view! { <ChartView chart=chart(&records, 8, 30)/> }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn HistoryRow(
    deployment: Deployment,
    state: Option<Option<DeploymentState>>,
    location: AppLocation,
    now: Timestamp,
    avatars: bool,
) -> impl IntoView {
    let d = deployment;
    let page = app_href(&location.with_view(View::Deployment(d.id)).path());
    let creator = d.creator.clone();
    let avatar = creator
        .as_ref()
        .map(|c| c.avatar_url.clone())
        .filter(|u| avatars && u.starts_with(AVATAR_ORIGIN) && is_http_url(u));
    let login = creator.map(|c| c.login).unwrap_or_else(|| "unknown".into());
    view! {
        <tr data-testid="history-row">
            <td><a href=page>{d.id.0.to_string()}</a></td>
            <td>{match state {
                Some(s) => view! { <StateBadge state=s/> }.into_any(),
                None => view! { <span class="muted" data-testid="state-loading">"…"</span> }.into_any(),
            }}</td>
            <td><Clip text=d.environment.clone()/>{d.transient_environment.then(|| view! { <span class="tag">"transient"</span> })}</td>
            <td class="opt"><code><Clip text=d.git_ref.clone()/></code></td>
            <td class="opt"><code>{d.short_sha().to_owned()}</code></td>
            <td class="creator opt">
                {avatar.map(|src| view! { <img src=format!("{src}&s=40") alt="" width="20" height="20" loading="lazy"/> })}
                <Clip text=login max=40/>
            </td>
            <td><Time at=d.created_at now/></td>
            <td class="description opt"><Clip text=d.description.clone().unwrap_or_default() max=200/></td>
        </tr>
    }
}

#[component]
fn FilterForm(location: AppLocation, filter: Memo<HistoryFilter>) -> impl IntoView {
    let nav = use_nav();
    let draft = RwSignal::new(filter.get_untracked());
    // A new address (back/forward, a deep link) shows its filters.
    Effect::new(move |_| draft.set(filter.get()));
    let apply = {
        let location = location.clone();
        move |f: HistoryFilter| nav.replace(&location.path_with_query(&f.to_query()))
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            apply(draft.get_untracked());
        }
    };
    let clear = move |_| apply(HistoryFilter::default());
    macro_rules! text {
        ($id:literal, $label:literal, $field:ident, $hint:literal) => {
            view! {
                <label for=$id>{$label}</label>
                <input id=$id type="text" autocomplete="off" spellcheck="false" placeholder=$hint
                    prop:value=move || draft.with(|d| d.$field.clone())
                    on:input=move |ev| draft.update(|d| d.$field = event_target_value(&ev))/>
            }
        };
    }
    view! {
        <form class="history-filters" on:submit=on_submit data-testid="history-filters" aria-label="Filters">
            <div class="filter-grid">
                <div>{text!("f-environment", "Environment", environment, "production")}</div>
                <div>{text!("f-ref", "Ref", git_ref, "main")}</div>
                <div>{text!("f-sha", "Commit SHA", sha, "full SHA")}</div>
                <div>{text!("f-task", "Task", task, "deploy")}</div>
                <div>{text!("f-creator", "Creator", creator, "login")}</div>
                <div>
                    <label for="f-state">"Latest state"</label>
                    <select id="f-state" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| d.state = DeploymentState::parse(&value));
                    }>
                        <option value="" selected=move || draft.with(|d| d.state.is_none())>"Any"</option>
                        {DeploymentState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || draft.with(|d| d.state == Some(s))>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="hint">"Environment, ref, SHA and task are filtered by GitHub; creator and state by this page."</p>
            <div class="history-actions">
                <button type="submit" class="button primary" data-testid="apply-filters">"Apply filters"</button>
                <button type="button" class="button subtle" on:click=clear>"Clear"</button>
            </div>
        </form>
    }
}

#[component]
fn Environments(h: History, location: AppLocation) -> impl IntoView {
    move || {
        let records = h.rows.with(|rows| h.records(rows));
        let total = h.rows.with(Vec::len);
        let envs = environments(&records);
        let location = location.clone();
        view! {
            <p class="muted">{format!("From the {} of {} deployments whose latest state is loaded (scroll or export to load more).", records.len(), total)}</p>
            <table class="deployments environments cards" data-testid="environments">
                <thead><tr>
                    <th scope="col">"Environment"</th><th scope="col">"Live now"</th><th scope="col">"Since"</th>
                    <th scope="col">"By"</th><th scope="col">"Recent"</th>
                </tr></thead>
                <tbody>
                    {envs.into_iter().map(|e| {
                        let live = e.live.clone();
                        let location = location.clone();
                        view! {
                            <tr data-testid="environment-row">
                                <th scope="row"><Clip text=e.name.clone()/>
                                    {e.transient.then(|| view! { <span class="tag">"transient"</span> })}
                                    {e.destroyed.then(|| view! { <span class="tag">"destroyed"</span> })}
                                </th>
                                <td data-label="Live now">{match &live {
                                    Some(l) => {
                                        let href = app_href(&location.with_view(View::Deployment(l.deployment_id)).path());
                                        view! { <a href=href>{format!("Deployment {}", l.deployment_id.0)}</a> }.into_any()
                                    }
                                    None => view! { <span class="muted">"Nothing live"</span> }.into_any(),
                                }}</td>
                                <td data-label="Since">{live.as_ref().map(|l| view! { <Time at=l.since now=now()/> })}</td>
                                <td data-label="By"><Clip text=live.as_ref().and_then(|l| l.by.clone()).unwrap_or_default() max=40/></td>
                                <td class="recent-states" data-label="Recent">{e.recent.into_iter().map(|(_, s)| view! { <StateBadge state=s/> }).collect_view()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    }
}

/// Deployments per environment per day, as stacked bars coloured by outcome — with the outcome in words in
/// each bar's title and in the legend (never colour alone).
#[component]
fn ChartView(chart: Chart) -> impl IntoView {
    if chart.environments.is_empty() {
        return view! { <p class="muted">"No deployments with a known state to chart yet."</p> }
            .into_any();
    }
    let label_width = 160.0;
    let day_width = 14.0;
    let row_height = 36.0;
    let max = f64::from(chart.max_per_day().max(1));
    // At least room for the first and last day's labels side by side (a few days make a narrow chart).
    let width = (label_width + day_width * chart.days.len() as f64 + 10.0).max(label_width + 180.0);
    let height = row_height * chart.environments.len() as f64 + 24.0;
    let first = chart.days.first().cloned().unwrap_or_default();
    let last = chart.days.last().cloned().unwrap_or_default();
    let days = chart.days.clone();
    view! {
        <figure class="chart" data-testid="chart">
            <svg viewBox=format!("0 0 {width} {height}") width=width height=height role="img"
                aria-label=format!("Deployments per day and environment, {first} to {last}, coloured by outcome")>
                {chart.environments.into_iter().enumerate().map(|(row, env)| {
                    let y = row as f64 * row_height;
                    let days = days.clone();
                    let environment = clipped(&env.environment, 120);
                    view! {
                        <g>
                            <text x="0" y=y + row_height * 0.6 class="chart-label">{clipped(&env.environment, 24)}</text>
                            {env.counts.into_iter().enumerate().flat_map(|(i, counts)| {
                                let x = label_width + i as f64 * day_width;
                                let mut top = y + row_height - 4.0;
                                let day = days[i].clone();
                                let environment = environment.clone();
                                counts.into_iter().map(move |(outcome, n)| {
                                    let h = (row_height - 8.0) * f64::from(n) / max;
                                    top -= h;
                                    view! {
                                        <rect x=x y=top width=day_width - 2.0 height=h class=outcome.class()>
                                            <title>{format!("{environment}, {day}: {n} {}", outcome.label())}</title>
                                        </rect>
                                    }
                                }).collect::<Vec<_>>()
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
                <text x=label_width y=height - 6.0 class="chart-axis">{first.clone()}</text>
                <text x=width - 4.0 y=height - 6.0 text-anchor="end" class="chart-axis">{last.clone()}</text>
            </svg>
            <figcaption class="legend">
                {Outcome::ALL.into_iter().map(|o| view! {
                    <span class="legend-item"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class=o.class()/></svg>{o.label()}</span>
                }).collect_view()}
            </figcaption>
        </figure>
    }
    .into_any()
}
