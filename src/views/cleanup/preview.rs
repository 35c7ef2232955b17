//! The plan's table: every deployment with its latest state, what will happen and why; rows the rules
//! delete can be unticked, rows only a guard rail keeps can be ticked one by one. A hundred rows at a time
//! (core's `TablePage`), with the buttons to the next and previous hundred.

use std::collections::HashMap;

use deploydeck_core::cleanup::{Action, CleanupPlan, PlanItem, PlanRows, Write};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::DeploymentId;
use deploydeck_core::paging::{TablePage, PAGE_ROWS};
use leptos::prelude::*;

use crate::components::{Clip, StateBadge};
use crate::href::app_href;

#[component]
pub(super) fn PlanTable(
    plan: Memo<Option<CleanupPlan>>,
    choices: RwSignal<HashMap<DeploymentId, bool>>,
    location: AppLocation,
) -> impl IntoView {
    let show = RwSignal::new(PlanRows::default());
    let number = RwSignal::new(0usize);
    // The rows shown, as positions in the plan; then the page of them in the document (a plan may hold
    // 100,000 rows).
    let positions = Memo::new(move |_| {
        let which = show.get();
        plan.with(|p| p.as_ref().map(|p| p.positions(which)).unwrap_or_default())
    });
    let page = Memo::new(move |_| TablePage::of(positions.with(Vec::len), number.get(), PAGE_ROWS));
    let rows = Memo::new(move |_| -> Vec<PlanItem> {
        let page = page.get();
        positions.with(|at| {
            plan.with(|p| {
                p.as_ref()
                    .map(|p| {
                        at[page.start..page.end]
                            .iter()
                            .map(|&i| p.items[i as usize].clone())
                            .collect()
                    })
                    .unwrap_or_default()
            })
        })
    });
    let write = Memo::new(move |_| {
        plan.with(|p| {
            p.as_ref()
                .map(|p| p.selection.write.clone())
                .unwrap_or_default()
        })
    });
    let choose = move |ev| {
        show.set(PlanRows::from_value(&event_target_value(&ev)));
        number.set(0);
    };
    view! {
        <div class="plan" data-testid="plan">
            <div class="field inline">
                <label for="plan-show">"Show"</label>
                <select id="plan-show" on:change=choose data-testid="plan-show">
                    {PlanRows::ALL.map(|r| view! { <option value=r.value()>{move || write.with(|w| r.label_for(w))}</option> })}
                </select>
            </div>
            <div class="table-scroll">
                <table class="deployments plan-table cards">
                    <caption class="visually-hidden">"The cleanup plan: each deployment, its latest state, what will happen and why"</caption>
                    <thead><tr>
                        <th scope="col">{move || write.with(Write::tick_column)}</th><th scope="col">"Deployment"</th><th scope="col">"Environment"</th>
                        <th scope="col">"Ref"</th><th scope="col">"Latest state"</th><th scope="col">"Action"</th><th scope="col">"Why"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|i: &PlanItem| (i.id, i.action(), i.reason().describe()) let:item>
                            <PlanRow item choices location=location.clone()/>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || positions.with(Vec::is_empty)>
                <p class="muted" data-testid="plan-empty">"No deployment in this list."</p>
            </Show>
            <Pager page number/>
        </div>
    }
}

/// Which rows the page shows, with the buttons to the pages around it (only when there are several).
#[component]
fn Pager(page: Memo<TablePage>, number: RwSignal<usize>) -> impl IntoView {
    let go = move |to: usize| number.set(to);
    view! {
        <Show when=move || page.with(|p| p.pages > 1)>
            <nav class="pager" aria-label="Pages of the plan" data-testid="plan-pager">
                <button type="button" class="button" disabled=move || !page.get().has_previous()
                    on:click=move |_| go(page.get_untracked().number.saturating_sub(1)) data-testid="plan-previous"
                >{format!("Previous {PAGE_ROWS}")}</button>
                <span role="status" aria-live="polite" data-testid="plan-page">{move || page.get().sentence()}</span>
                <button type="button" class="button" disabled=move || !page.get().has_next()
                    on:click=move |_| go(page.get_untracked().number + 1) data-testid="plan-next"
                >{format!("Next {PAGE_ROWS}")}</button>
            </nav>
        </Show>
    }
}

#[component]
fn PlanRow(
    item: PlanItem,
    choices: RwSignal<HashMap<DeploymentId, bool>>,
    location: AppLocation,
) -> impl IntoView {
    let id = item.id;
    let can_tick = item.can_choose();
    let ticked = item.action() != Action::Keep;
    let href = app_href(&location.with_view(View::Deployment(id)).path());
    // Only a choice that differs from what the rules say is kept: a row ticked back to its rules' answer
    // follows the rules again (a switch flipped later applies to it).
    let by_rules = item.proposal != Action::Keep;
    let toggle = move |ev| {
        let delete = event_target_checked(&ev);
        choices.update(|c| {
            if delete == by_rules {
                c.remove(&id);
            } else {
                c.insert(id, delete);
            }
        });
    };
    view! {
        <tr data-testid="plan-row" data-id=id.0.to_string() class:kept=!ticked>
            <td>
                <input type="checkbox" checked=ticked disabled=!can_tick on:change=toggle
                    aria-label=item.tick_label()/>
            </td>
            <td><a href=href>{id.0}</a></td>
            <td data-label="Environment"><Clip text=item.environment.clone()/></td>
            <td class="ref" data-label="Ref"><Clip text=item.git_ref.clone()/></td>
            <td data-label="Latest state"><StateBadge state=item.latest/></td>
            <td data-testid="plan-action" data-label="Action">{item.action().label()}</td>
            <td class="muted" data-testid="plan-reason" data-label="Why">{item.reason().describe()}</td>
        </tr>
    }
}
