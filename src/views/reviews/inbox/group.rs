//! One commit's card in the inbox: what it is, every run waiting for it and what each waits on, whether you may
//! decide it and why not — and a decision over the whole group (every environment you may review, or one),
//! confirmed with the list of what it covers before anything is sent. One run alone is decided on its
//! repository's Reviews view, linked from its line.

use deploydeck_core::connect::form::HostChoice;
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::reviews::{
    plan_group, timer_text, verdict, CommitGroup, GroupPlan, InboxRun, ReviewPermission,
    ReviewState, Scope,
};
use deploydeck_core::url::is_http_url;
use deploydeck_core::Timestamp;
use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use crate::components::{clipped, Time};
use crate::href::app_href;

/// What was chosen and typed on a commit's card, and whether its confirmation was open: kept by commit across
/// the inbox's reads, which rebuild the cards (nothing typed is lost to a refresh).
#[derive(Debug, Clone, Default)]
pub(super) struct Draft {
    scope: String,
    comment: String,
    confirming: Option<ReviewState>,
}

pub(super) type Drafts = StoredValue<HashMap<String, Draft>>;

#[component]
pub(super) fn GroupCard(
    group: CommitGroup,
    me: String,
    permission: ReviewPermission,
    host: HostChoice,
    /// Now, moved on each second: the wait timers count down with it.
    clock: ReadSignal<Timestamp>,
    /// A decision is being sent (this group's or another's): no second one starts.
    busy: Signal<bool>,
    drafts: Drafts,
    on_decide: Callback<GroupPlan>,
) -> impl IntoView {
    let sha = group.short_sha().to_owned();
    let id = format!("commit-{sha}");
    let kept = drafts
        .with_value(|d| d.get(&group.sha).cloned())
        .unwrap_or_default();
    let scope = RwSignal::new(kept.scope);
    let comment = RwSignal::new(kept.comment);
    let problem = RwSignal::new(None::<String>);
    let pending = RwSignal::new(None::<GroupPlan>);
    let (key, full_sha) = (group.sha.clone(), group.sha.clone());
    let keep = move || {
        let draft = Draft {
            scope: scope.get_untracked(),
            comment: comment.get_untracked(),
            confirming: pending.with_untracked(|p| p.as_ref().map(|p| p.state)),
        };
        drafts.update_value(|d| {
            d.insert(key.clone(), draft);
        });
    };
    let (keep_scope, keep_comment) = (keep.clone(), keep.clone());

    let confirm_ref = NodeRef::<html::Button>::new();
    let decidable = group.decidable(&me, permission);
    let environments = group.environments();
    let ask = {
        let (group, me) = (group.clone(), me.clone());
        move |state: ReviewState, focus: bool| {
            let chosen = scope.get_untracked();
            let scope = if chosen.is_empty() {
                Scope::Every
            } else {
                Scope::Only(chosen)
            };
            match plan_group(
                &group,
                &me,
                permission,
                scope,
                state,
                &comment.get_untracked(),
            ) {
                Ok(plan) => {
                    problem.set(None);
                    pending.set(Some(plan));
                    keep();
                    // Asked for, the confirmation takes the focus: Enter confirms, Tab reaches Cancel.
                    if focus {
                        request_animation_frame(move || {
                            if let Some(button) = confirm_ref.get_untracked() {
                                let _ = button.focus();
                            }
                        });
                    }
                }
                Err(why) => problem.set(Some(why)),
            }
        }
    };
    // A confirmation open when the inbox was read again is made again from what GitHub says now.
    // (Without taking the focus: the person may be typing on another card.)
    if let Some(state) = kept.confirming {
        ask(state, false);
    }
    let (approve, reject) = (ask.clone(), ask);
    let what = format!("commit {sha}");
    let waited = group.since;
    let prs = group
        .pull_requests
        .iter()
        .map(|n| format!("pull request #{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let repos = group.repositories().len();
    view! {
        <article class="run-card" data-testid="commit-group" data-sha=group.sha.clone() aria-labelledby=id.clone()>
            <h2 id=id.clone()>{clipped(&group.title, 120)}</h2>
            <p class="muted" data-testid="group-facts">
                {format!("{sha}{}{} · {} waiting · ", if prs.is_empty() { "" } else { " · " }, prs,
                    deploydeck_core::text::count(group.runs.len(), "run", "runs"))}
                {deploydeck_core::text::count(repos, "repository", "repositories")}" · waiting since "<Time at=waited now=clock.get_untracked()/>
            </p>
            <ul class="gates" aria-label=format!("Runs waiting for {what}")>
                {group.runs.iter().map(|run| view! { <RunLine run=run.clone() me=me.clone() permission host=host.clone() clock/> }).collect_view()}
            </ul>
            {(decidable > 0).then(|| view! {
                <div class="review-form" role="group" aria-label=format!("Decide every run of {what}")>
                    <label for=format!("{id}-scope")>"Environments"</label>
                    <select id=format!("{id}-scope") data-testid="group-scope" prop:value=move || scope.get() on:change=move |ev| { scope.set(event_target_value(&ev)); keep_scope(); }>
                        <option value="">"Every one you may review"</option>
                        {environments.iter().map(|e| view! { <option value=e.clone()>{clipped(e, 80)}</option> }).collect_view()}
                    </select>
                    <label for=format!("{id}-comment")>"Comment (sent with each review, shown on each run)"</label>
                    <textarea id=format!("{id}-comment") rows="2" data-testid="group-comment" prop:value=move || comment.get() on:input=move |ev| { comment.set(event_target_value(&ev)); keep_comment(); }/>
                    <div class="actions">
                        <button type="button" class="button primary" data-testid="group-approve" disabled=busy
                            aria-label=format!("Approve the runs of {what} you may review…") on:click=move |_| approve(ReviewState::Approved, true)>"Approve all…"</button>
                        <button type="button" class="button danger-subtle" data-testid="group-reject" disabled=busy
                            aria-label=format!("Reject the runs of {what} you may review…") on:click=move |_| reject(ReviewState::Rejected, true)>"Reject all…"</button>
                    </div>
                </div>
            })}
            <div aria-live="polite">
                {move || problem.get().map(|p| view! { <p class="field-error" data-testid="group-problem">{p}</p> })}
            </div>
            {move || pending.get().map(|plan| view! { <Confirm plan sha=full_sha.clone() confirm_ref busy on_decide pending drafts/> })}
        </article>
    }
}

/// One waiting run: which, who started it and when, each environment with its timer and your verdict.
#[component]
fn RunLine(
    run: InboxRun,
    me: String,
    permission: ReviewPermission,
    host: HostChoice,
    clock: ReadSignal<Timestamp>,
) -> impl IntoView {
    let alone = app_href(&AppLocation::new(host, run.repo.clone(), View::Reviews).path());
    let started = run.board.run.started_by().map(str::to_owned);
    let branch = run.board.run.head_branch.clone().unwrap_or_default();
    let github = run.board.run.html_url.clone();
    view! {
        <li class="gate" data-testid="group-run" data-run=run.board.run.id.to_string()>
            <strong>{clipped(&run.label(), 160)}</strong>
            <span class="muted">{format!(" · {} · started by {} ", clipped(&branch, 80), clipped(started.as_deref().unwrap_or("someone"), 80))}<Time at=run.board.run.created_at now=clock.get_untracked()/></span>
            <ul>
                {run.board.pending.iter().map(|p| {
                    let said = verdict(p, &me, started.as_deref(), permission)
                        .reason()
                        .unwrap_or_else(|| "you may review it".to_owned());
                    let timer = (p.wait_timer > 0).then(|| {
                        let p = p.clone();
                        move || timer_text(&p, clock.get()).map(|t| format!(" · {t}"))
                    });
                    view! {
                        <li data-testid="group-gate" data-environment=p.environment.name.clone()>
                            {clipped(&p.environment.name, 120)}{timer}" — "<span data-testid="verdict">{said}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <a href=alone data-testid="decide-alone">"Decide this run alone"</a>
            {is_http_url(&github).then(|| view! { " · "<a href=github target="_blank" rel="noopener noreferrer">"The run on GitHub"</a> })}
        </li>
    }
}

/// What a group decision covers, before it is sent: each run and its environments, each run left alone and why.
#[component]
fn Confirm(
    plan: GroupPlan,
    /// The commit, whose draft a decision or a cancel changes.
    sha: String,
    confirm_ref: NodeRef<html::Button>,
    busy: Signal<bool>,
    on_decide: Callback<GroupPlan>,
    pending: RwSignal<Option<GroupPlan>>,
    drafts: Drafts,
) -> impl IntoView {
    let title = plan.title();
    // Cancelled: the card's choices stay, the confirmation does not come back with the next read.
    let cancel = {
        let sha = sha.clone();
        move |_| {
            pending.set(None);
            drafts.update_value(|d| {
                if let Some(draft) = d.get_mut(&sha) {
                    draft.confirming = None;
                }
            });
        }
    };
    let danger = plan.state == ReviewState::Rejected;
    let go = plan.clone();
    view! {
        <div class="confirm" role="group" aria-label=format!("{title}?") data-testid="group-confirm">
            <p><strong>{format!("{title}?")}</strong>{danger.then_some(" Each job fails and its run ends.")}</p>
            <ul data-testid="confirm-items">
                {plan.items.iter().map(|i| view! { <li>{format!("{} → {}", clipped(&i.label, 160), clipped(&i.environments.join(", "), 200))}</li> }).collect_view()}
            </ul>
            {(!plan.left.is_empty()).then(|| view! {
                <p>"Left alone:"</p>
                <ul data-testid="confirm-left">{plan.left.iter().map(|l| view! { <li>{format!("{}: {}", clipped(&l.label, 160), l.why)}</li> }).collect_view()}</ul>
            })}
            <div class="actions">
                <button type="button" class=if danger { "button danger" } else { "button primary" } data-testid="group-confirm-go" node_ref=confirm_ref disabled=busy
                    on:click=move |_| { pending.set(None); drafts.update_value(|d| { d.remove(&sha); }); on_decide.run(go.clone()); }>{title.clone()}</button>
                <button type="button" class="button" data-testid="group-confirm-cancel" on:click=cancel>"Cancel"</button>
            </div>
        </div>
    }
}
