//! The chart: deployments per environment per day (core's series), as SVG. Every length is written with core's
//! `decimal`, never `f64`'s own formatting (issue 30: that alone was 12 KB of the History screen's code).

use deploydeck_core::history::{Chart, Outcome};
use deploydeck_core::text::decimal;
use leptos::prelude::*;

use crate::components::clipped;

/// Deployments per environment per day, as stacked bars coloured by outcome — with the outcome in words in
/// each bar's title and in the legend (never colour alone).
#[component]
pub(super) fn ChartView(chart: Chart) -> impl IntoView {
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
            <svg viewBox=format!("0 0 {} {}", decimal(width), decimal(height)) width=decimal(width) height=decimal(height) role="img"
                aria-label=format!("Deployments per day and environment, {first} to {last}, coloured by outcome")>
                {chart.environments.into_iter().enumerate().map(|(row, env)| {
                    let y = row as f64 * row_height;
                    let days = days.clone();
                    let environment = clipped(&env.environment, 120);
                    view! {
                        <g>
                            <text x="0" y=decimal(y + row_height * 0.6) class="chart-label">{clipped(&env.environment, 24)}</text>
                            {env.counts.into_iter().enumerate().flat_map(|(i, counts)| {
                                let x = label_width + i as f64 * day_width;
                                let mut top = y + row_height - 4.0;
                                let day = days[i].clone();
                                let environment = environment.clone();
                                counts.into_iter().map(move |(outcome, n)| {
                                    let h = (row_height - 8.0) * f64::from(n) / max;
                                    top -= h;
                                    view! {
                                        <rect x=decimal(x) y=decimal(top) width=decimal(day_width - 2.0) height=decimal(h) class=outcome.class()>
                                            <title>{format!("{environment}, {day}: {n} {}", outcome.label())}</title>
                                        </rect>
                                    }
                                }).collect::<Vec<_>>()
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
                <text x=decimal(label_width) y=decimal(height - 6.0) class="chart-axis">{first.clone()}</text>
                <text x=decimal(width - 4.0) y=decimal(height - 6.0) text-anchor="end" class="chart-axis">{last.clone()}</text>
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
