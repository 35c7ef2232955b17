//! The selection form: what to do with the selection (`write`), environments by name or pattern (a
//! searchable list with counts, not a wall of boxes), the text rules, latest states (inactive by default),
//! and the guard-rail switches.

use deploydeck_core::cleanup::{SelectionDraft, StateFilter};
use deploydeck_core::model::DeploymentState;
use deploydeck_core::pattern::{matched_by, select, suggestions, toggle_exact, MatchedBy};
use deploydeck_core::response::ApiError;
use deploydeck_core::text::count;
use deploydeck_core::validate::{Field, Problems};
use leptos::prelude::*;

use crate::components::{invalid, Clip, FieldProblems};

use super::write::WriteChoice;

/// The environment browser lists at most this many names at once (type to narrow).
const BROWSE_AT_MOST: usize = 40;

#[component]
pub(super) fn SelectionForm(
    draft: RwSignal<SelectionDraft>,
    problems: Signal<Problems>,
    environments: Memo<Vec<(String, usize)>>,
) -> impl IntoView {
    let flag = move |get: fn(&SelectionDraft) -> bool, set: fn(&mut SelectionDraft, bool)| {
        (
            move || draft.with(get),
            move |ev| draft.update(|d| set(d, event_target_checked(&ev))),
        )
    };
    let (transient, transient_input) = flag(|d| d.transient_only, |d, v| d.transient_only = v);
    let (live_production, live_production_input) = flag(
        |d| d.allow_live_production,
        |d, v| d.allow_live_production = v,
    );
    let (live, live_input) = flag(|d| d.allow_live, |d, v| d.allow_live = v);
    view! {
        <form class="form cleanup-form" on:submit=|ev| ev.prevent_default() data-testid="cleanup-form">
            <WriteChoice draft problems/>
            <EnvironmentPicker draft environments/>
            <div class="field-row">
                <SelectionField draft problems id="cleanup-ref" label="Ref" get=|d| &d.git_ref set=|d, v| d.git_ref = v
                    prefix=(|d: &SelectionDraft| d.ref_prefix, |d: &mut SelectionDraft, v| d.ref_prefix = v)/>
                <SelectionField draft problems id="cleanup-sha" label="SHA" get=|d| &d.sha set=|d, v| d.sha = v field=Field::Sha error_id="cleanup-sha-error"
                    prefix=(|d: &SelectionDraft| d.sha_prefix, |d: &mut SelectionDraft, v| d.sha_prefix = v)/>
                <SelectionField draft problems id="cleanup-task" label="Task" get=|d| &d.task set=|d, v| d.task = v
                    prefix=(|d: &SelectionDraft| d.task_prefix, |d: &mut SelectionDraft, v| d.task_prefix = v)/>
            </div>
            <div class="field-row">
                <SelectionField draft problems id="cleanup-creators" label="Created by" get=|d| &d.creators set=|d, v| d.creators = v
                    field=Field::Creators error_id="cleanup-creators-error" placeholder="logins, e.g. mona, dependabot[bot]"/>
                <SelectionField draft problems id="cleanup-older" label="Older than (days)" get=|d| &d.older_than_days
                    set=|d, v| d.older_than_days = v field=Field::OlderThanDays error_id="cleanup-older-error" numeric=true/>
                <SelectionField draft problems id="cleanup-keep" label="Keep the newest per environment" get=|d| &d.keep_newest
                    set=|d, v| d.keep_newest = v field=Field::KeepNewest error_id="cleanup-keep-error" numeric=true/>
                <SelectionField draft problems id="cleanup-idle" label="Nothing new for more than (hours)" get=|d| &d.idle_hours
                    set=|d, v| d.idle_hours = v field=Field::IdleHours error_id="cleanup-idle-error" numeric=true/>
            </div>
            <StateChoices draft/>
            <label class="choice"><input type="checkbox" prop:checked=transient on:change=transient_input/>"Transient environments only"</label>
            <div class="guard">
                <p><strong>"Guard rails"</strong>" — what the rules above select is still kept when it runs now:"</p>
                <label class="choice"><input type="checkbox" prop:checked=live on:change=live_input data-testid="allow-live"/>
                    {move || if draft.with(|d| d.posts_status) { "Also include what is live in other environments (staging, previews)" } else { "Also delete what is live in other environments (staging, previews)" }}</label>
                <label class="choice"><input type="checkbox" prop:checked=live_production on:change=live_production_input data-testid="allow-live-production"/>
                    {move || if draft.with(|d| d.posts_status) { "Also include what is live in production" } else { "Also delete what is live in production" }}</label>
                <p class="muted">"Off by default: each environment keeps the deployment it runs now. Deployments pending, queued or in progress within the last day may be running: tick them one by one in the plan."</p>
            </div>
        </form>
    }
}

/// The latest states to select: inactive by default.
#[component]
fn StateChoices(draft: RwSignal<SelectionDraft>) -> impl IntoView {
    let choices: Vec<(StateFilter, &'static str)> =
        std::iter::once((StateFilter::NoStatus, "No status"))
            .chain(
                DeploymentState::ALL
                    .into_iter()
                    .map(|s| (StateFilter::State(s), s.label())),
            )
            .collect();
    view! {
        <fieldset>
            <legend>"Latest state (none ticked: any)"</legend>
            <div class="choices">
                {choices.into_iter().map(|(state, label)| {
                    let checked = move || draft.with(|d| d.states.contains(&state));
                    let toggle = move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| {
                            d.states.retain(|s| *s != state);
                            if on { d.states.push(state); }
                        });
                    };
                    view! { <label class="choice"><input type="checkbox" prop:checked=checked on:change=toggle/>{label}</label> }
                }).collect_view()}
            </div>
            <p class="hint">"Inactive is what GitHub deletes without a status first, and nothing that runs now is inactive."</p>
        </fieldset>
    }
}

/// Environments by name or pattern: a text field (`preview/*, staging`), what it matches with counts,
/// ready-made patterns for groups of environments, and a searchable list to tick names from.
#[component]
fn EnvironmentPicker(
    draft: RwSignal<SelectionDraft>,
    environments: Memo<Vec<(String, usize)>>,
) -> impl IntoView {
    let matched =
        Memo::new(move |_| draft.with(|d| environments.with(|envs| select(&d.environments, envs))));
    let summary = move || {
        let m = matched.get();
        let all = environments.with(Vec::len);
        let typed = draft.with(|d| !d.environments.trim().is_empty());
        let mut text = if !typed {
            format!(
                "Every environment: {} with {}.",
                count(all, "environment", "environments"),
                count(m.deployments, "deployment", "deployments")
            )
        } else {
            format!(
                "Matches {} of {} ({}).",
                m.environments.len(),
                count(all, "environment", "environments"),
                count(m.deployments, "deployment", "deployments")
            )
        };
        for pattern in &m.unmatched {
            text.push_str(&format!(" “{pattern}” matches no environment."));
        }
        text
    };
    let add = move |pattern: String| {
        draft.update(|d| {
            d.environments = toggle_exact(&d.environments, &pattern, false);
            if !d.environments.trim().is_empty() {
                d.environments.push_str(", ");
            }
            d.environments.push_str(&pattern);
        })
    };
    view! {
        <fieldset class="environments-picker">
            <legend>"Environments"</legend>
            <label for="cleanup-environments">"Names or patterns, separated by commas (empty: all)"</label>
            <input id="cleanup-environments" type="text" autocomplete="off" spellcheck="false"
                placeholder="preview/*, staging" aria-describedby="cleanup-environments-summary"
                prop:value=move || draft.with(|d| d.environments.clone())
                on:input=move |ev| draft.update(|d| d.environments = event_target_value(&ev))
                data-testid="cleanup-environments"/>
            <p id="cleanup-environments-summary" class="hint" aria-live="polite" data-testid="environments-matched">{summary}</p>
            {move || {
                let offered = environments.with(|envs| suggestions(envs, 3));
                (!offered.is_empty()).then(|| view! {
                    <p class="suggested"><span class="muted">"Groups: "</span>
                        {offered.into_iter().take(6).map(|(pattern, envs, deployments)| {
                            let label = format!("{pattern} ({}, {})", count(envs, "environment", "environments"), count(deployments, "deployment", "deployments"));
                            let pattern_for_add = pattern.clone();
                            view! { <button type="button" class="button subtle small" on:click=move |_| add(pattern_for_add.clone())><Clip text=label max=80/></button> }
                        }).collect_view()}
                    </p>
                })
            }}
            <EnvironmentBrowser draft environments/>
        </fieldset>
    }
}

/// Every environment, searchable, each with its count: ticking one adds its exact name to the list.
#[component]
fn EnvironmentBrowser(
    draft: RwSignal<SelectionDraft>,
    environments: Memo<Vec<(String, usize)>>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let found = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        environments.with(|envs| {
            envs.iter()
                .filter(|(name, _)| needle.is_empty() || name.to_lowercase().contains(&needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <details class="environment-browser">
            <summary>{move || format!("Browse the {}", count(environments.with(Vec::len), "environment", "environments"))}</summary>
            <label for="cleanup-environment-search">"Search"</label>
            <input id="cleanup-environment-search" type="search" autocomplete="off" spellcheck="false"
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            <ul class="environment-list">
                {move || found.get().into_iter().take(BROWSE_AT_MOST).map(|(name, n)| {
                    let how = { let name = name.clone(); Memo::new(move |_| draft.with(|d| matched_by(&d.environments, &name))) };
                    let toggle = { let name = name.clone(); move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| d.environments = toggle_exact(&d.environments, &name, on));
                    }};
                    view! {
                        <li><label class="choice">
                            <input type="checkbox" prop:checked=move || how.get() != MatchedBy::No
                                disabled=move || matches!(how.get(), MatchedBy::Pattern(_)) on:change=toggle/>
                            <Clip text=name.clone()/>{format!(" ({n})")}
                            {move || match how.get() { MatchedBy::Pattern(p) => Some(view! { <span class="muted">" — by "<Clip text=p max=40/></span> }), _ => None }}
                        </label></li>
                    }
                }).collect_view()}
            </ul>
            {move || {
                let more = found.with(Vec::len).saturating_sub(BROWSE_AT_MOST);
                (more > 0).then(|| view! { <p class="hint">{format!("and {} more: type to narrow the list.", count(more, "environment", "environments"))}</p> })
            }}
        </details>
    }
}

type Flag = (fn(&SelectionDraft) -> bool, fn(&mut SelectionDraft, bool));

/// One text field of the selection, with its problems (when the form checks it) and an optional
/// "starts with" box.
#[component]
fn SelectionField(
    draft: RwSignal<SelectionDraft>,
    problems: Signal<Problems>,
    id: &'static str,
    label: &'static str,
    get: fn(&SelectionDraft) -> &String,
    set: fn(&mut SelectionDraft, String),
    #[prop(optional)] field: Option<Field>,
    /// Where the field's problems are said (`aria-describedby`), when it has checks.
    #[prop(optional)]
    error_id: &'static str,
    #[prop(optional)] prefix: Option<Flag>,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let no_server = Signal::derive(|| None::<ApiError>);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" autocomplete="off" placeholder=placeholder
                inputmode=numeric.then_some("numeric")
                prop:value=move || draft.with(|d| get(d).clone())
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))
                aria-invalid=move || field.map(|f| invalid(f, problems, no_server)())
                aria-describedby=field.map(|_| error_id)/>
            {prefix.map(|(get, set)| view! {
                <label class="choice"><input type="checkbox" prop:checked=move || draft.with(get)
                    on:change=move |ev| draft.update(|d| set(d, event_target_checked(&ev)))/>"starts with"</label>
            })}
            {field.map(|f| view! { <FieldProblems id=error_id field=f problems server=no_server/> })}
        </div>
    }
}
