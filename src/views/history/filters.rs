//! History's filter form: GitHub's filters (environment, ref, SHA, task) and the page's own (creator, latest
//! state), kept in the address so a filtered list can be shared.

use deploydeck_core::history::HistoryFilter;
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::DeploymentState;
use leptos::prelude::*;

use crate::router::use_nav;

#[component]
pub(super) fn FilterForm(location: AppLocation, filter: Memo<HistoryFilter>) -> impl IntoView {
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
