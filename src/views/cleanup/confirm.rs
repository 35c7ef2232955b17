//! The last step before anything is sent: exactly what will go (by kind: inactive, failed, live, …), from
//! which repository on which host, the pace, a backup to download first — and, when the plan deletes what
//! runs now or may be running, the repository's name typed out. It scrolls itself into view and takes the
//! focus, so the question is never below the fold.

use std::collections::HashSet;

use deploydeck_core::cleanup::{backup_json, duration_note, parse_spacing, CleanupPlan};
use deploydeck_core::listing::PlanReads;
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
use crate::tasks::Tasks;

use super::script::PlanScript;

/// Status reads in flight at once while the backup is made (core's budget bounds them again).
const READERS: usize = 6;

/// What the confirmation needs from the plan (one value, as the on-demand loader passes it).
#[derive(Clone)]
pub struct ConfirmParts {
    pub api: Api,
    pub location: AppLocation,
    pub plan: Memo<Option<CleanupPlan>>,
    pub reads: RwSignal<PlanReads>,
    pub on_start: Callback<()>,
    pub on_back: Callback<()>,
}

#[component]
pub(crate) fn Confirm(parts: ConfirmParts) -> impl IntoView {
    let ConfirmParts {
        api,
        location,
        plan,
        reads,
        on_start,
        on_back,
    } = parts;
    let (start, back) = (move || on_start.run(()), move || on_back.run(()));
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
        move || kinds.with(|k| typed.with(|t| k.confirmed_by(t, &repo_name)))
    };
    let heading = NodeRef::<html::H2>::new();
    // Into view and focused when it opens (a long plan would otherwise leave it below the fold): on the next
    // frame, once the on-demand part that holds it is in the page (an element not yet in it takes no focus).
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            request_animation_frame(move || {
                h.scroll_into_view();
                let _ = h.focus();
            });
        }
    });
    let github_com = api.is_github_com();
    let spacing = RwSignal::new(String::from("0"));
    let spacing_problem = RwSignal::new(None::<String>);
    let set_spacing = {
        let api = api.clone();
        move |ev| {
            let text = event_target_value(&ev);
            // A pause that cannot be read keeps the last good one, and says why.
            match parse_spacing(&text) {
                Ok(ms) => {
                    api.set_write_spacing(ms);
                    spacing_problem.set(None);
                }
                Err(problem) => spacing_problem.set(Some(problem)),
            }
            spacing.set(text);
        }
    };
    let pace = {
        let api = api.clone();
        move || {
            spacing.track();
            api.pace_note()
        }
    };
    // How long at this pace; for a long run, to keep the tab open or take the script.
    let duration = {
        let api = api.clone();
        move || {
            spacing.track();
            let c = counts();
            let estimate = api.estimate_writes_ms(c.creates() as u32, c.deletions() as u32);
            duration_note(&c, estimate, github_com)
        }
    };
    let summary = {
        let (repo, host) = (repo_name.clone(), location.host.label());
        move || {
            plan.with(|p| {
                p.as_ref()
                    .map(|p| p.confirmation(&repo, &host))
                    .unwrap_or_default()
            })
        }
    };
    let write = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| p.selection.write.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="confirm" aria-labelledby="confirm-heading" data-testid="confirm">
            <h2 id="confirm-heading" tabindex="-1" node_ref=heading>{move || write().heading()}</h2>
            <p data-testid="confirm-summary">{summary}</p>
            <p class="muted" data-testid="confirm-pace">{pace}</p>
            <p data-testid="confirm-duration">{duration}</p>
            <Show when=move || !github_com>
                <div class="field inline">
                    <label for="cleanup-spacing">"Pause between changes (ms, 0 for none)"</label>
                    <input id="cleanup-spacing" type="text" inputmode="numeric" aria-describedby="cleanup-spacing-error"
                        aria-invalid=move || spacing_problem.with(Option::is_some).to_string()
                        prop:value=move || spacing.get() on:input=set_spacing.clone()/>
                    <p id="cleanup-spacing-error" class="field-error" aria-live="polite">{move || spacing_problem.get()}</p>
                </div>
            </Show>
            <Backup api=api.clone() location=location.clone() plan reads/>
            <Show when=move || kinds.with(|k| k.needs_typed_confirmation())>
                <div class="field typed-confirm">
                    <label for="confirm-repository">{let repo = repo_name.clone(); move || write().typed_label(&repo)}</label>
                    <input id="confirm-repository" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) data-testid="confirm-repository"/>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="button danger" disabled={let confirmed = confirmed.clone(); move || !confirmed()}
                    on:click=move |_| start() data-testid="start-run">
                    {move || write().start_label(&counts())}
                </button>
                <button type="button" class="button subtle" on:click=move |_| back()>"Back to the plan"</button>
            </div>
            <PlanScript api=api.clone() location=location.clone() plan pace_changed=spacing
                allowed=Signal::derive(confirmed.clone())/>
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
    reads: RwSignal<PlanReads>,
) -> impl IntoView {
    let tasks = Tasks::new();
    let backup = RwSignal::new(None::<Result<usize, ApiError>>);
    let backing_up = RwSignal::new(None::<(usize, usize)>);
    let make_backup = move |_| {
        let Some(plan) = plan.get_untracked() else {
            return;
        };
        let ids: HashSet<DeploymentId> = plan.to_delete().map(|i| i.id).collect();
        let chosen: Vec<Deployment> = reads.with_untracked(|r| {
            r.records()
                .iter()
                .filter(|r| ids.contains(&r.id()))
                .map(|r| r.deployment.clone())
                .collect()
        });
        let total = chosen.len();
        backing_up.set(Some((0, total)));
        backup.set(None);
        let (gh, location) = (api.repo(&location.repo), location.clone());
        tasks.spawn(async move {
            let ids = chosen.iter().map(|d| d.id).collect();
            let read = gh
                .all_statuses(ids, READERS, move |_, _| {
                    backing_up.update(|b| {
                        if let Some((done, _)) = b {
                            *done += 1
                        }
                    })
                })
                .await;
            backing_up.set(None);
            match read {
                Err(error) => backup.set(Some(Err(error))),
                Ok(statuses) => {
                    let entries: Vec<(Deployment, Vec<DeploymentStatus>)> =
                        chosen.into_iter().zip(statuses).collect();
                    let text = backup_json(&location.repo.to_string(), now(), &entries);
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
