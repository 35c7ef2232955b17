//! The plan's table: every deployment with its latest state, what will happen and why; rows the rules
//! delete can be unticked, rows only a guard rail keeps can be ticked one by one.

use std::collections::HashMap;

use deploydeck_core::cleanup::{Action, CleanupPlan, PlanItem};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::DeploymentId;
use leptos::prelude::*;

use crate::components::{Clip, StateBadge};
use crate::href::app_href;

/// Which rows the preview shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    Deleted,
    Guarded,
    Kept,
    All,
}

#[component]
pub(super) fn PlanTable(
    plan: Memo<Option<CleanupPlan>>,
    choices: RwSignal<HashMap<DeploymentId, bool>>,
    location: AppLocation,
) -> impl IntoView {
    let show = RwSignal::new(Rows::Deleted);
    let rows = Memo::new(move |_| {
        let which = show.get();
        plan.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.items
                        .iter()
                        .filter(|i| match which {
                            Rows::All => true,
                            Rows::Deleted => i.action() != Action::Keep || i.unticked,
                            Rows::Guarded => i.kept_by_guard(),
                            Rows::Kept => i.action() == Action::Keep,
                        })
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let choose = move |ev| {
        show.set(match event_target_value(&ev).as_str() {
            "kept" => Rows::Kept,
            "guarded" => Rows::Guarded,
            "all" => Rows::All,
            _ => Rows::Deleted,
        })
    };
    view! {
        <div class="plan" data-testid="plan">
            <div class="field inline">
                <label for="plan-show">"Show"</label>
                <select id="plan-show" on:change=choose data-testid="plan-show">
                    <option value="deleted">"What will be deleted"</option>
                    <option value="guarded">"What the guard rails keep"</option>
                    <option value="kept">"What is kept"</option>
                    <option value="all">"Everything"</option>
                </select>
            </div>
            <div class="table-scroll">
                <table class="deployments plan-table cards">
                    <caption class="visually-hidden">"The cleanup plan: each deployment, its latest state, what will happen and why"</caption>
                    <thead><tr>
                        <th scope="col">"Delete"</th><th scope="col">"Deployment"</th><th scope="col">"Environment"</th>
                        <th scope="col">"Ref"</th><th scope="col">"Latest state"</th><th scope="col">"Action"</th><th scope="col">"Why"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|i| (i.id, i.action(), i.reason().describe()) let:item>
                            <PlanRow item choices location=location.clone()/>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="muted" data-testid="plan-empty">"No deployment in this list."</p>
            </Show>
        </div>
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
                    aria-label=format!("Delete deployment {}", id.0)/>
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
