//! Environments a cleanup leaves empty (core's `cleanup::environments`): found when asked, listed unticked,
//! production-like ones ticked only one by one, the admin right checked up front, their settings downloadable
//! first, then deleted one at a time at the connection's pace with each outcome said.

use deploydeck_core::cleanup::environments::{
    admin_problem, environments_backup_json, EmptyEnvironments,
};
use deploydeck_core::location::AppLocation;
use deploydeck_core::response::ApiError;
use deploydeck_core::text::count;
use leptos::prelude::*;

use crate::clock::now;
use crate::components::{Clip, ErrorPanel};
use crate::download::download;
use crate::net::api::Api;
use crate::tasks::Tasks;
use crate::views::{loader, OnDemandPart};

/// Where the panel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Idle,
    Finding,
    Choosing,
    Confirming,
    Deleting,
}

/// Where the environments left empty are offered: what it does, and a button that loads the panel's code
/// (`views/loader.rs`) and starts looking — nothing of it is fetched before.
#[component]
pub(super) fn EmptyEnvironmentsEntry(api: Api, location: AppLocation) -> impl IntoView {
    let opened = RwSignal::new(false);
    let panel = OnDemandPart::new(|| Box::pin(loader::empty_environments()));
    view! {
        <section class="empty-environments" aria-labelledby="empty-environments-heading" data-testid="empty-environments">
            <h3 id="empty-environments-heading">"Environments left empty"</h3>
            <p class="muted">"Preview deployments leave an environment each behind. Deploydeck can list the environments with no deployment left — one request each — and delete the ones you tick: nothing is ticked for you, and a production-like one only by its own tick."</p>
            {move || if opened.get() {
                panel.view((api.clone(), location.clone()))
            } else {
                view! {
                    <button type="button" class="button" on:click=move |_| opened.set(true) data-testid="find-empty-environments">
                        "Find environments left empty"
                    </button>
                }.into_any()
            }}
        </section>
    }
}

/// The environments left empty, looked for at once: the list, each with its tick, and their deletion.
#[component]
pub(crate) fn EmptyEnvironmentsPanel(api: Api, location: AppLocation) -> impl IntoView {
    let tasks = Tasks::new();
    let stage = RwSignal::new(Stage::Idle);
    let envs = RwSignal::new(EmptyEnvironments::default());
    let problem = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<ApiError>);
    let repo_name = location.repo.to_string();
    let find = {
        let (api, tasks, repo_name, repo) = (
            api.clone(),
            tasks.clone(),
            repo_name.clone(),
            location.repo.clone(),
        );
        Callback::new(move |()| {
            stage.set(Stage::Finding);
            failed.set(None);
            let (gh, repo_name) = (api.repo(&repo), repo_name.clone());
            tasks.spawn(async move {
                let permissions = gh.repository().await.ok().and_then(|r| r.permissions);
                problem.try_set(admin_problem(permissions.as_ref(), &repo_name));
                match gh.environments_with_deployments().await {
                    Ok(list) => {
                        envs.try_set(EmptyEnvironments::new(list));
                        stage.try_set(Stage::Choosing);
                    }
                    Err(error) => {
                        failed.try_set(Some(error));
                        stage.try_set(Stage::Idle);
                    }
                }
            });
        })
    };
    let delete = {
        let (api, location) = (api.clone(), location.clone());
        move || {
            stage.set(Stage::Deleting);
            let gh = api.repo(&location.repo);
            tasks.spawn(async move {
                let names = envs.with_untracked(EmptyEnvironments::chosen);
                gh.delete_environments(names, |name, answer| {
                    // After a refusal every other deletion would meet, the rest are not sent.
                    envs.try_update(|e| {
                        let settled = e.record(name, answer);
                        e.refusal().is_none().then_some(settled)
                    })
                    .flatten()
                })
                .await;
                stage.try_set(Stage::Choosing);
            });
        }
    };
    let found = move || envs.with(|e| e.items.len());
    // Opened by "Find environments left empty" (EmptyEnvironmentsEntry): it looks at once.
    find.run(());
    view! {
        <div data-testid="empty-environments-panel">
            <Show when=move || matches!(stage.get(), Stage::Idle | Stage::Finding)>
                <button type="button" class="button" on:click=move |_| find.run(()) disabled=move || stage.get() == Stage::Finding data-testid="find-empty-environments-again">
                    {move || if stage.get() == Stage::Finding { "Looking for environments left empty…" } else { "Find environments left empty" }}
                </button>
            </Show>
            {move || failed.get().map(|error| view! { <ErrorPanel error context="The environments could not be read"/> })}
            <Show when=move || !matches!(stage.get(), Stage::Idle | Stage::Finding)>
                {move || problem.get().map(|text| view! { <p class="notice" role="alert" data-testid="environments-admin">{text}</p> })}
                <p role="status" aria-live="polite" data-testid="empty-environments-found">{move || match found() {
                    0 => "Every environment still has a deployment: none is left empty.".to_owned(),
                    n => format!("{} with no deployment left.", count(n, "environment", "environments")),
                }}</p>
                {move || envs.with(|e| e.refusal().cloned()).map(|error| view! {
                    <ErrorPanel error context="GitHub refused to delete an environment, so the rest were not sent"/>
                })}
                <EnvironmentTable envs locked=Signal::derive(move || stage.get() != Stage::Choosing)/>
                <EnvironmentActions api=api.clone() location=location.clone() envs stage
                    allowed=Signal::derive(move || problem.with(Option::is_none)) on_delete=delete.clone()/>
            </Show>
        </div>
    }
}

/// The list, each with its tick (production-like ones marked), and what became of it.
#[component]
fn EnvironmentTable(envs: RwSignal<EmptyEnvironments>, locked: Signal<bool>) -> impl IntoView {
    view! {
        <Show when=move || envs.with(|e| !e.items.is_empty())>
            <div class="actions">
                <button type="button" class="button subtle" disabled=move || locked.get() on:click=move |_| envs.update(|e| e.tick_all(true)) data-testid="environments-tick-all">"Tick all but production"</button>
                <button type="button" class="button subtle" disabled=move || locked.get() on:click=move |_| envs.update(|e| e.tick_all(false))>"Untick all"</button>
            </div>
            <ul class="environment-list" data-testid="environment-list">
                {move || envs.get().items.into_iter().enumerate().map(|(index, item)| {
                    let name = item.name.clone();
                    let note_id = format!("unreachable-{index}");
                    // A name no request can reach (`..`) is listed with why, and cannot be ticked.
                    let unreachable = item.unreachable_note();
                    let settled = item.outcome.is_some() || unreachable.is_some();
                    let label = if item.production { " (production-like: tick it on its own to delete it)" } else { "" };
                    view! {
                        <li data-testid="environment-row" data-name=item.name.clone()>
                            <label>
                                <input type="checkbox" prop:checked=item.ticked disabled=move || locked.get() || settled
                                    aria-describedby=unreachable.is_some().then(|| note_id.clone())
                                    on:change=move |ev| { let on = event_target_checked(&ev); envs.update(|e| { e.set(&name, on); }); }/>
                                <Clip text=item.name.clone()/>
                                {item.production.then(|| view! { <span class="badge mark-failed">"production"</span><span class="visually-hidden">{label}</span> })}
                            </label>
                            {unreachable.map(|note| view! { <p class="hint" id=note_id.clone() data-testid="environment-unreachable">{note}</p> })}
                            {item.outcome.map(|o| view! { <span class="muted" data-testid="environment-outcome">{format!(" — {}", o.word())}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

/// The settings' backup, the confirmation (the repository's name typed when a production-like one is ticked),
/// the deletion's button and its progress.
#[component]
fn EnvironmentActions(
    api: Api,
    location: AppLocation,
    envs: RwSignal<EmptyEnvironments>,
    stage: RwSignal<Stage>,
    allowed: Signal<bool>,
    on_delete: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let tasks = Tasks::new();
    let repo_name = location.repo.to_string();
    let typed = RwSignal::new(String::new());
    let backup = RwSignal::new(None::<Result<usize, ApiError>>);
    let chosen = move || envs.with(|e| e.chosen().len());
    let save_settings = {
        let (gh, repo_name) = (api.repo(&location.repo), repo_name.clone());
        move |_| {
            let (gh, repo_name) = (gh.clone(), repo_name.clone());
            let names = envs.with_untracked(EmptyEnvironments::chosen);
            tasks.spawn(async move {
                match gh.environments_settings(names).await {
                    Ok(settings) => {
                        let name =
                            format!("environments-backup-{}.json", repo_name.replace('/', "-"));
                        let text = environments_backup_json(&repo_name, now(), &settings);
                        download(&text, "application/json", &name);
                        backup.try_set(Some(Ok(settings.len())));
                    }
                    Err(error) => {
                        backup.try_set(Some(Err(error)));
                    }
                }
            });
        }
    };
    let confirmed = {
        let repo_name = repo_name.clone();
        move || {
            !envs.with(EmptyEnvironments::needs_typed_confirmation)
                || typed.with(|t| t.trim() == repo_name)
        }
    };
    let typed_label = StoredValue::new(format!(
        "This deletes a production-like environment. Type {} to confirm",
        location.repo
    ));
    let sentence = move || envs.with(|e| e.confirmation(&repo_name.clone()));
    view! {
        <Show when=move || stage.get() == Stage::Choosing>
            <p class="muted" data-testid="environments-summary">{move || envs.with(EmptyEnvironments::summary)}</p>
            <button type="button" class="button danger-subtle" disabled=move || chosen() == 0 || !allowed.get()
                on:click=move |_| { typed.set(String::new()); stage.set(Stage::Confirming) } data-testid="environments-review">
                {move || format!("Delete {}…", count(chosen(), "environment", "environments"))}
            </button>
        </Show>
        <Show when=move || stage.get() == Stage::Confirming>
            <p data-testid="environments-confirmation">{sentence.clone()}</p>
            <div class="actions">
                <button type="button" class="button" on:click=save_settings.clone() data-testid="environments-backup">"Download their settings first (JSON)"</button>
            </div>
            {move || match backup.get() {
                Some(Ok(n)) => view! { <p role="status">{format!("Settings downloaded: {}.", count(n, "environment", "environments"))}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorPanel error context="The settings could not be read"/> }.into_any(),
                None => ().into_any(),
            }}
            <Show when=move || envs.with(EmptyEnvironments::needs_typed_confirmation)>
                <div class="field typed-confirm">
                    <label for="environments-confirm">{typed_label.get_value()}</label>
                    <input id="environments-confirm" type="text" autocomplete="off" spellcheck="false" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) data-testid="environments-confirm"/>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="button danger" disabled={let confirmed = confirmed.clone(); move || !confirmed()}
                    on:click={let go = on_delete.clone(); move |_| go()} data-testid="environments-delete">
                    {move || format!("Delete {}", count(chosen(), "environment", "environments"))}
                </button>
                <button type="button" class="button subtle" on:click=move |_| stage.set(Stage::Choosing)>"Back"</button>
            </div>
        </Show>
        <Show when=move || stage.get() == Stage::Deleting>
            <p role="status" aria-live="polite" data-testid="environments-progress">
                {move || format!("Deleting environments, one at a time: {} left.", chosen())}
            </p>
        </Show>
    }
}
