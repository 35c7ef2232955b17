//! One environment's charts, as SVG: deployments per day by outcome, the lead-time distribution, and failures
//! with their restores on the period's timeline (listed too, with links, so no figure lives in a picture alone).
//! Lengths are written with core's `decimal`, never `f64`'s own formatting (issue 30). Each figure can take the
//! keyboard's focus: on a phone it scrolls sideways, and a scrolled region must be reachable without a mouse.

use deploydeck_core::insights::{day_of, lead_histogram, Measures, Period, DAY_S, LEAD_BUCKETS};
use deploydeck_core::text::{decimal, format_duration};
use deploydeck_core::timestamp::Timestamp;
use leptos::prelude::*;

use crate::components::clipped;

use super::Links;

const WIDTH: f64 = 640.0;
const LEFT: f64 = 130.0;

#[component]
pub(super) fn Charts(m: Measures, period: Period, links: Links) -> impl IntoView {
    let env = clipped(&m.environment, 60);
    let (label, heading) = (format!("Charts of {env}"), format!("{env} over the period"));
    view! {
        <section class="insights-charts" aria-label=label data-testid="insights-charts">
            <h2>{heading}</h2>
            <Frequency m=m.clone() env=env.clone()/>
            <LeadTimes m=m.clone() env=env.clone()/>
            <Restores m period links env/>
        </section>
    }
}

/// Deployments per day, stacked by outcome, the outcome in words in each bar's title and in the legend.
#[component]
fn Frequency(m: Measures, env: String) -> impl IntoView {
    let (h, n) = (110.0, m.days.len().max(1) as f64);
    let bar = ((WIDTH - 10.0) / n).max(2.0);
    let max = m
        .days
        .iter()
        .map(|d| d.succeeded + d.failed + d.unfinished)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let first = m
        .days
        .first()
        .map(|d| day_of(Timestamp::from_unix(d.day * DAY_S)))
        .unwrap_or_default();
    let last = m
        .days
        .last()
        .map(|d| day_of(Timestamp::from_unix(d.day * DAY_S)))
        .unwrap_or_default();
    let label = format!(
        "Deployments per day in {env}, {first} to {last}: {} successful, {} failed, {} unfinished",
        m.succeeded, m.failed, m.unfinished
    );
    view! {
        <figure class="chart" tabindex="0" data-testid="frequency-chart">
            <figcaption>"Deployments per day"</figcaption>
            <svg viewBox=format!("0 0 {} {}", decimal(WIDTH), decimal(h + 20.0)) width=decimal(WIDTH) height=decimal(h + 20.0) role="img" aria-label=label>
                {m.days.iter().enumerate().map(|(i, d)| {
                    let x = i as f64 * bar;
                    let mut top = h;
                    let day = day_of(Timestamp::from_unix(d.day * DAY_S));
                    [("outcome-succeeded", d.succeeded, "successful"), ("outcome-failed", d.failed, "failed"), ("outcome-none", d.unfinished, "unfinished")]
                        .into_iter().filter(|(_, k, _)| *k > 0).map(|(class, k, word)| {
                            let height = (h - 4.0) * k as f64 / max;
                            top -= height;
                            view! { <rect x=decimal(x) y=decimal(top) width=decimal((bar - 1.0).max(1.0)) height=decimal(height) class=class>
                                <title>{format!("{day}: {k} {word}")}</title></rect> }
                        }).collect_view()
                }).collect_view()}
                <text x="0" y=decimal(h + 16.0) class="chart-axis">{first}</text>
                <text x=decimal(WIDTH - 4.0) y=decimal(h + 16.0) text-anchor="end" class="chart-axis">{last}</text>
            </svg>
            <p class="legend">
                <span class="legend-item"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class="outcome-succeeded"/></svg>"successful"</span>
                <span class="legend-item"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class="outcome-failed"/></svg>"failed"</span>
                <span class="legend-item"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class="outcome-none"/></svg>"unfinished"</span>
            </p>
        </figure>
    }
}

/// How the commits' lead times spread over [`LEAD_BUCKETS`].
#[component]
fn LeadTimes(m: Measures, env: String) -> impl IntoView {
    if m.lead_times.is_empty() {
        return view! { <p class="muted" data-testid="lead-chart-empty">"No commit's lead time is known for this environment in the period."</p> }.into_any();
    }
    let counts = lead_histogram(&m.lead_times);
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let row = 22.0;
    let h = row * LEAD_BUCKETS.len() as f64;
    let words: Vec<String> = LEAD_BUCKETS
        .iter()
        .zip(counts)
        .map(|((label, _), n)| format!("{label}: {n}"))
        .collect();
    view! {
        <figure class="chart" tabindex="0" data-testid="lead-chart">
            <figcaption>"Lead time of each commit"</figcaption>
            <svg viewBox=format!("0 0 {} {}", decimal(WIDTH), decimal(h)) width=decimal(WIDTH) height=decimal(h) role="img"
                aria-label=format!("Lead times of {} commits in {env}: {}", m.lead_times.len(), words.join(", "))>
                {LEAD_BUCKETS.iter().zip(counts).enumerate().map(|(i, ((label, _), n))| {
                    let y = i as f64 * row;
                    let w = (WIDTH - LEFT - 40.0) * n as f64 / max;
                    view! { <g>
                        <text x="0" y=decimal(y + 15.0) class="chart-label">{*label}</text>
                        <rect x=decimal(LEFT) y=decimal(y + 4.0) width=decimal(w) height="14" class="outcome-succeeded"><title>{format!("{label}: {n}")}</title></rect>
                        <text x=decimal(LEFT + w + 4.0) y=decimal(y + 15.0) class="chart-label">{n.to_string()}</text>
                    </g> }
                }).collect_view()}
            </svg>
        </figure>
    }.into_any()
}

/// Failures and their restores on the period's timeline, and listed with links to the deployments.
#[component]
fn Restores(m: Measures, period: Period, links: Links, env: String) -> impl IntoView {
    if m.restores.is_empty() {
        return view! { <p class="muted" data-testid="restores-empty">"No failure in this environment in the period."</p> }.into_any();
    }
    let span = period.to.seconds_since(period.from).max(1) as f64;
    let x = move |t: Timestamp| {
        (WIDTH - 10.0) * (t.seconds_since(period.from).clamp(0, span as i64) as f64) / span + 5.0
    };
    let h = 40.0;
    view! {
        <figure class="chart" tabindex="0" data-testid="restores-chart">
            <figcaption>"Failures and restores"</figcaption>
            <svg viewBox=format!("0 0 {} {}", decimal(WIDTH), decimal(h)) width=decimal(WIDTH) height=decimal(h) role="img"
                aria-label=format!("{} in {env} on the period's timeline, each with its restore (listed below)", m.restores.len())>
                <rect x="5" y="19" width=decimal(WIDTH - 10.0) height="2" class="outcome-none"/>
                {m.restores.iter().map(|r| {
                    let (a, end) = (x(r.failed_at), r.seconds.map_or(period.to, |s| r.failed_at.plus_seconds(s)));
                    let b = x(end);
                    view! { <g>
                        <rect x=decimal(a) y="18" width=decimal((b - a).max(1.0)) height="4" class=if r.seconds.is_some() { "outcome-succeeded" } else { "outcome-failed" }/>
                        <circle cx=decimal(a) cy="20" r="5" class="outcome-failed"/>
                        {r.seconds.map(|_| view! { <circle cx=decimal(b) cy="20" r="5" class="outcome-succeeded"/> })}
                    </g> }
                }).collect_view()}
            </svg>
            <ul class="restores" data-testid="restores">
                {m.restores.iter().map(|r| view! {
                    <li data-testid="restore">
                        <a href=links.deployment(r.failed)>{format!("Deployment {}", r.failed.0)}</a>
                        {format!(" failed {}{}", r.failed_at, if r.failures > 1 { format!(" (then {} more)", r.failures - 1) } else { String::new() })}
                        {match (r.restored_by, r.seconds) {
                            (Some(by), Some(s)) => view! { <span>{format!(": restored in {} by ", format_duration(s))}<a href=links.deployment(by)>{format!("deployment {}", by.0)}</a></span> }.into_any(),
                            _ => view! { <span class="state-pending">": not restored in the period"</span> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        </figure>
    }.into_any()
}
