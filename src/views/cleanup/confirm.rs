//! The last step before anything is sent: exactly what will go (by kind: inactive, failed, live, …), from
//! which repository on which host, the pace, a backup to download first — and, when the plan deletes what
//! runs now or may be running, the repository's name typed out. It scrolls itself into view and takes the
//! focus, so the question is never below the fold.

use std::cell::RefCell;
use std::rc::Rc;

use deploydeck_core::cleanup::{backup_json, CleanupPlan};
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::{Deployment, DeploymentId, DeploymentStatus};
use deploydeck_core::response::ApiError;
use deploydeck_core::text::count;
use leptos::html;
use leptos::prelude::*;

use crate::clock::now;
use crate::components::ErrorPanel;
use crate::download::download;
use crate::net::api::Api;
use crate::net::fan_out::bounded;
use crate::tasks::Tasks;

/// Status reads in flight at once while the backup is made (core's budget bounds them again).
const READERS: usize = 6;

#[component]
pub(super) fn Confirm(
    api: Api,
    location: AppLocation,
    plan: Memo<Option<CleanupPlan>>,
    deployments: RwSignal<Vec<Deployment>>,
    on_start: impl Fn() + Clone + Send + Sync + 'static,
    on_back: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let counts = move || plan.with(|p| p.as_ref().map(CleanupPlan::counts).unwrap_or_default());
    let kinds = Memo::new(move |_| {
        plan.with(|p| {
            p.as_ref()
                .map(CleanupPlan::deletion_kinds)
                .unwrap_or_default()
        })
    });
    let repo_name = location.repo.to_string();
    let typed = RwSignal::new(String::new());
    let confirmed = {
        let repo_name = repo_name.clone();
        move || {
            !kinds.with(|k| k.needs_typed_confirmation()) || typed.with(|t| t.trim() == repo_name)
        }
    };
    let heading = NodeRef::<html::H2>::new();
    // Into view and focused when it opens (a long plan would otherwise leave it below the fold).
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            h.scroll_into_view();
            let _ = h.focus();
        }
    });
    let github_com = api.is_github_com();
    let spacing = RwSignal::new(String::from("0"));
    let set_spacing = {
        let api = api.clone();
        move |ev| {
            let text = event_target_value(&ev);
            spacing.set(text.clone());
            api.set_write_spacing(text.trim().parse().unwrap_or(0));
        }
    };
    let pace = {
        let api = api.clone();
        move || {
            spacing.track();
            api.pace_note()
        }
    };
    let summary = {
        let location = location.clone();
        move || {
            let (c, k) = (counts(), kinds.get());
            format!(
                "Deploydeck will delete {} from {} on {}: {}. {} get an “inactive” status first. Deleted deployments cannot be restored; environments are not touched.",
                count(c.deletions(), "deployment", "deployments"),
                location.repo,
                location.host.label(),
                k.describe(),
                c.deactivate_then_delete,
            )
        }
    };
    let (start, back) = (on_start.clone(), on_back.clone());
    view! {
        <section class="confirm" aria-labelledby="confirm-heading" data-testid="confirm">
            <h2 id="confirm-heading" tabindex="-1" node_ref=heading>"Before anything is deleted"</h2>
            <p data-testid="confirm-summary">{summary}</p>
            <p class="muted" data-testid="confirm-pace">{pace}</p>
            <Show when=move || !github_com>
                <div class="field inline">
                    <label for="cleanup-spacing">"Pause between changes (ms, 0 for none)"</label>
                    <input id="cleanup-spacing" type="text" inputmode="numeric" prop:value=move || spacing.get() on:input=set_spacing.clone()/>
                </div>
            </Show>
            <Backup api=api.clone() location=location.clone() plan deployments/>
            <Show when=move || kinds.with(|k| k.needs_typed_confirmation())>
                <div class="field typed-confirm">
                    <label for="confirm-repository">{format!("This deletes what runs now or may be running. Type {repo_name} to confirm")}</label>
                    <input id="confirm-repository" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) data-testid="confirm-repository"/>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="button danger" disabled={let confirmed = confirmed.clone(); move || !confirmed()}
                    on:click=move |_| start() data-testid="start-run">
                    {move || format!("Delete {}", count(counts().deletions(), "deployment", "deployments"))}
                </button>
                <button type="button" class="button subtle" on:click=move |_| back()>"Back to the plan"</button>
            </div>
        </section>
    }
}

/// "Download a backup first": every planned deployment with all its statuses (every page), as JSON made
/// in the page.
#[component]
fn Backup(
    api: Api,
    location: AppLocation,
    plan: Memo<Option<CleanupPlan>>,
    deployments: RwSignal<Vec<Deployment>>,
) -> impl IntoView {
    let tasks = Tasks::new();
    let backup = RwSignal::new(None::<Result<usize, ApiError>>);
    let backing_up = RwSignal::new(None::<(usize, usize)>);
    let make_backup = move |_| {
        let Some(plan) = plan.get_untracked() else {
            return;
        };
        let ids: Vec<DeploymentId> = plan.to_delete().map(|i| i.id).collect();
        let total = ids.len();
        let entries: Vec<(Deployment, Vec<DeploymentStatus>)> = deployments.with_untracked(|ds| {
            ids.iter()
                .filter_map(|id| ds.iter().find(|d| d.id == *id).cloned())
                .map(|d| (d, Vec::new()))
                .collect()
        });
        let entries = Rc::new(RefCell::new(entries));
        let failure = Rc::new(RefCell::new(None::<ApiError>));
        backing_up.set(Some((0, total)));
        backup.set(None);
        let (api, location) = (api.clone(), location.clone());
        tasks.spawn(async move {
            bounded((0..total).collect(), READERS, {
                let (api, repo, entries, failure) = (
                    api.clone(),
                    location.repo.clone(),
                    entries.clone(),
                    failure.clone(),
                );
                move |index: usize| {
                    let (api, repo, entries, failure) =
                        (api.clone(), repo.clone(), entries.clone(), failure.clone());
                    async move {
                        if failure.borrow().is_some() {
                            return;
                        }
                        let id = entries.borrow()[index].0.id;
                        match api.statuses(&repo, id).await {
                            Ok(statuses) => {
                                entries.borrow_mut()[index].1 = statuses;
                                backing_up.update(|b| {
                                    if let Some((done, _)) = b {
                                        *done += 1
                                    }
                                });
                            }
                            Err(error) => *failure.borrow_mut() = Some(error),
                        }
                    }
                }
            })
            .await;
            backing_up.set(None);
            let failed = failure.borrow_mut().take();
            match failed {
                Some(error) => backup.set(Some(Err(error))),
                None => {
                    let text = backup_json(&location.repo.to_string(), now(), &entries.borrow());
                    let name = format!(
                        "deployments-backup-{}-{}.json",
                        location.repo.owner, location.repo.name
                    );
                    download(&text, "application/json", &name);
                    backup.set(Some(Ok(total)));
                }
            }
        });
    };
    view! {
        <div class="actions">
            <button type="button" class="button" on:click=make_backup disabled=move || backing_up.with(Option::is_some) data-testid="backup">
                "Download a backup first (JSON: each deployment with all its statuses)"
            </button>
        </div>
        <p role="status" aria-live="polite" data-testid="backup-status">{move || match (backing_up.get(), backup.get()) {
            (Some((done, total)), _) => format!("Reading statuses for the backup: {done} of {total}"),
            (None, Some(Ok(n))) => format!("Backup downloaded: {} with their statuses.", count(n, "deployment", "deployments")),
            _ => String::new(),
        }}</p>
        {move || match backup.get() {
            Some(Err(error)) => view! { <ErrorPanel error context="The backup could not be made"/> }.into_any(),
            _ => ().into_any(),
        }}
    }
}
