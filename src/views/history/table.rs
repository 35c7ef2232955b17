//! History's windowed table: only the rows on screen are in the page (core's `visible_rows`), spacers stand in
//! for the rest, and the rows' real height is measured (fonts and zoom vary).

use deploydeck_core::history::visible_rows;
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::DeploymentId;
use deploydeck_core::text::decimal;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::driver::{History, Shown};
use crate::clock::now;
use crate::components::DeploymentRow;
use crate::href::app_href;

/// Every row has the same height (CSS `.history-table tr`, about this; measured once rows are in the page),
/// so the window can be computed.
const ROW_HEIGHT: f64 = 44.0;
const OVERSCAN: usize = 8;

/// Which of the shown rows are on screen.
#[derive(Clone, Copy)]
pub(super) struct Window {
    scroller: NodeRef<html::Div>,
    scroll_top: RwSignal<f64>,
    viewport: RwSignal<f64>,
    row_height: RwSignal<f64>,
    /// `[start, end)` of the shown rows.
    pub range: Memo<(usize, usize)>,
}

impl Window {
    pub fn new(shown: Shown) -> Self {
        let scroller = NodeRef::<html::Div>::new();
        let scroll_top = RwSignal::new(0.0);
        let viewport = RwSignal::new(600.0);
        let row_height = RwSignal::new(ROW_HEIGHT);
        let range = Memo::new(move |_| {
            visible_rows(
                scroll_top.get(),
                viewport.get(),
                row_height.get(),
                shown.with(Vec::len),
                OVERSCAN,
            )
        });
        Effect::new(move |_| {
            if let Some(el) = scroller.get() {
                viewport.set(f64::from(el.client_height().max(200)));
            }
        });
        // The rows' real height: the spacers and the window must use the same one.
        Effect::new(move |_| {
            range.track();
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
        Window {
            scroller,
            scroll_top,
            viewport,
            row_height,
            range,
        }
    }

    /// The ids on screen, newest first (untracked).
    pub fn on_screen(&self, h: History, shown: Shown) -> Vec<DeploymentId> {
        let (start, end) = self.range.get_untracked();
        shown.with_untracked(|rows| h.ids_at(&rows[start..end]))
    }
}

#[component]
pub(super) fn HistoryTable(
    h: History,
    shown: Shown,
    window: Window,
    location: AppLocation,
) -> impl IntoView {
    // The heights standing in for the rows above and below the window.
    let spacers = Memo::new(move |_| {
        let (start, end) = window.range.get();
        let total = shown.with(Vec::len);
        let height = window.row_height.get();
        (
            start as f64 * height,
            total.saturating_sub(end) as f64 * height,
        )
    });
    // The rows on screen with their states: compared, so pages and states arriving for rows further down do
    // not render the window again.
    let on_screen = Memo::new(move |_| {
        let (start, end) = window.range.get();
        let rows = shown.with(|rows| h.rows_at(&rows[start..end]));
        let states: Vec<_> = rows.iter().map(|d| h.state_of(d.id)).collect();
        (rows, states)
    });
    // The demo sends nothing off the page, avatars included.
    let avatar = !location.host.is_demo();
    view! {
        <div class="history-scroll" node_ref=window.scroller tabindex="0" aria-label="Deployments, newest first"
            on:scroll=move |ev| {
                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    window.scroll_top.set(f64::from(el.scroll_top()));
                    window.viewport.set(f64::from(el.client_height().max(200)));
                }
            }>
            <table class="deployments history-table" data-testid="history-table">
                <thead><tr>
                    <th scope="col">"Deployment"</th><th scope="col">"State"</th><th scope="col">"Environment"</th>
                    <th scope="col" class="opt">"Ref"</th><th scope="col" class="opt">"Commit"</th><th scope="col" class="opt">"By"</th>
                    <th scope="col">"Created"</th><th scope="col" class="opt">"Description"</th>
                </tr></thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", decimal(spacers.get().0))></tr>
                    {move || {
                        let now = now();
                        let location = location.clone();
                        let reviews = app_href(&location.with_view(View::Reviews).path());
                        let (rows, states) = on_screen.get();
                        rows.into_iter().zip(states).map(|(d, state)| {
                            let href = app_href(&location.with_view(View::Deployment(d.id)).path());
                            view! { <DeploymentRow deployment=d state href now avatar reviews=reviews.clone() testid="history-row"/> }
                        }).collect_view()
                    }}
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", decimal(spacers.get().1))></tr>
                </tbody>
            </table>
        </div>
    }
}
