//! The review inbox (`/{host}/_reviews`, core `reviews::inbox`): every run waiting for a required reviewer in
//! the pinned repositories, grouped by the commit it would deploy, each group decided at once — one review per
//! run, all in one GraphQL request or one at a time through REST (`Api::decide`), each outcome said. Read again
//! while the tab is visible at GitHub's `X-Poll-Interval` or every minute (conditional requests: an unchanged list
//! costs no quota), when a wait timer runs out, and when a decision ends; never while one is being sent, nor while
//! a card's comment or choice has the focus.

mod decision;
mod group;

use deploydeck_core::location::{FleetLocation, FleetScreen};
use deploydeck_core::response::ApiError;
use deploydeck_core::reviews::{
    group_by_commit, inbox_every, pending_ran_out, permission_from_scopes, CommitGroup, GroupPlan,
    GroupRun, ReviewPermission,
};
use deploydeck_core::text::count;
use futures::future::join;
use leptos::html;
use leptos::prelude::*;

use crate::clock::{every, now};
use crate::components::{ErrorPanel, HostName};
use crate::href::app_href;
use crate::session;
use crate::state::AppState;
use crate::tasks::Tasks;
use crate::views::FleetTabs;
use decision::DecisionPanel;
use group::{Drafts, GroupCard};

/// Who is looking, and the inbox as read.
#[derive(Clone)]
struct Inbox {
    me: String,
    permission: ReviewPermission,
    groups: Vec<CommitGroup>,
    problems: Vec<String>,
    every: u64,
}

#[component]
pub fn InboxView(fleet: FleetLocation) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let host = fleet.host.clone();
    let pinned = fleet
        .repos
        .clone()
        .unwrap_or_else(|| session::pinned(&host));
    let repos = pinned.repos().to_vec();
    let inbox = RwSignal::new(None::<Result<Inbox, ApiError>>);
    let drafts: Drafts = StoredValue::new(Default::default());
    let viewer = StoredValue::new(None::<(String, ReviewPermission)>);
    let tasks = Tasks::new();
    let reading = RwSignal::new(false);
    // Each read is numbered; only the latest started is shown (one started when a decision ends may overlap an
    // earlier one, whose answer is older).
    let latest = StoredValue::new(0u64);
    let read = {
        let (api, tasks) = (api.clone(), tasks.clone());
        move || {
            if repos.is_empty() {
                return;
            }
            latest.update_value(|n| *n += 1);
            let this = latest.get_value();
            reading.set(true);
            let (api, repos) = (api.clone(), repos.clone());
            tasks.spawn(async move {
                let answer = async {
                    let (known, read) = match viewer.get_value() {
                        Some(known) => (known, api.inbox(&repos).await?),
                        None => {
                            // The first time, who is looking and what waits are asked at once.
                            let (user, read) = join(api.user(), api.inbox(&repos)).await;
                            let (user, scopes) = user?;
                            let known = (user.login, permission_from_scopes(scopes.as_deref()));
                            viewer.set_value(Some(known.clone()));
                            (known, read?)
                        }
                    };
                    let groups = group_by_commit(read.runs);
                    // A commit no longer waiting takes its card's draft with it.
                    let _ = drafts.try_update_value(|d| {
                        d.retain(|sha, _| groups.iter().any(|g| &g.sha == sha))
                    });
                    Ok(Inbox {
                        me: known.0,
                        permission: known.1,
                        groups,
                        problems: read.problems,
                        every: inbox_every(read.poll),
                    })
                };
                let answer = answer.await;
                if latest.try_get_value() == Some(this) {
                    inbox.try_set(Some(answer));
                    reading.try_set(false);
                }
            });
        }
    };
    read();
    // The decision being sent, or the last one: its panel stays above the list.
    let decision = RwSignal::new(None::<GroupRun>);
    let deciding =
        Signal::derive(move || decision.with(|d| d.as_ref().is_some_and(|r| !r.is_done())));
    let panel_ref = NodeRef::<html::Section>::new();
    // Live: timers count each second; visible seconds are counted and the inbox read again when due.
    let clock = RwSignal::new(now());
    let visible_for = StoredValue::new(0u64);
    let read_due = read.clone();
    every(1_000, move |visible| {
        let (before, at) = (clock.get_untracked(), now());
        clock.set(at);
        if !visible || deciding.get_untracked() {
            return;
        }
        let (due, ran_out) = inbox.with_untracked(|i| match i {
            Some(Ok(i)) => {
                let pending = i
                    .groups
                    .iter()
                    .flat_map(|g| &g.runs)
                    .flat_map(|r| &r.board.pending);
                (i.every, pending_ran_out(pending, before, at))
            }
            _ => (inbox_every(None), false),
        });
        visible_for.update_value(|s| *s += 1);
        // Due, but not while a card's comment or choice has the focus: a read rebuilds the cards (what was typed
        // is kept, the caret would not be); it comes on the first tick after.
        if (ran_out || visible_for.get_value() >= due) && !typing_on_a_card() {
            visible_for.set_value(0);
            read_due();
        }
    });
    let (send_api, read_after) = (api.clone(), read.clone());
    let decide = Callback::new(move |plan: GroupPlan| {
        if deciding.get_untracked() {
            return;
        }
        decision.set(Some(GroupRun::new(plan)));
        request_animation_frame(move || {
            if let Some(panel) = panel_ref.get_untracked() {
                let _ = panel.focus();
            }
        });
        let (api, read_after) = (send_api.clone(), read_after.clone());
        tasks.spawn(async move {
            api.decide(decision).await;
            read_after();
        });
    });
    let refresh = read.clone();
    let board = app_href(&fleet.with_screen(FleetScreen::Board).path());
    view! {
        <section class="page" data-testid="inbox">
            <h1>"Reviews waiting"</h1>
            <FleetTabs fleet=fleet.clone()/>
            <p class="muted">"On "<HostName host=host.shown()/>{format!(" · {}", count(pinned.repos().len(), "pinned repository", "pinned repositories"))}</p>
            <p class="lede">"Every workflow run waiting for a required reviewer in the pinned repositories, by commit: approve or reject a commit's runs at once. Read again every minute while this tab is visible."</p>
            <p class="actions">
                <button type="button" class="button" data-testid="inbox-refresh" disabled=move || reading.get() || deciding.get() on:click=move |_| refresh()>"Refresh now"</button>
                <span class="muted" aria-live="polite">{move || reading.get().then_some("Reading…")}</span>
            </p>
            <DecisionPanel decision panel_ref/>
            {move || match inbox.get() {
                None if pinned.is_empty() => view! { <p data-testid="inbox-empty">"Nothing pinned yet: pin repositories on "<a href=board.clone()>"the fleet"</a>" to see what waits in them."</p> }.into_any(),
                None => view! { <p class="loading" aria-busy="true">"Reading the runs waiting in the pinned repositories…"</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorPanel error context="Could not read the runs waiting for a review"/> }.into_any(),
                Some(Ok(inbox)) => view! { <Groups inbox clock=clock.read_only() host=host.clone() busy=deciding drafts on_decide=decide/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The inbox's groups, the repositories that could not be read, or that nothing waits.
#[component]
fn Groups(
    inbox: Inbox,
    clock: ReadSignal<deploydeck_core::Timestamp>,
    host: deploydeck_core::connect::form::HostChoice,
    busy: Signal<bool>,
    drafts: Drafts,
    on_decide: Callback<GroupPlan>,
) -> impl IntoView {
    let runs: usize = inbox.groups.iter().map(|g| g.runs.len()).sum();
    let Inbox {
        me,
        permission,
        groups,
        problems,
        ..
    } = inbox;
    view! {
        {problems.into_iter().map(|p| view! { <p class="field-error" data-testid="inbox-problem">{p}</p> }).collect_view()}
        {if groups.is_empty() {
            view! { <p data-testid="inbox-none">"No run is waiting for a review in the pinned repositories."</p> }.into_any()
        } else {
            view! {
                <p data-testid="inbox-count" aria-live="polite">{format!("{} for {}.", count(runs, "run waits", "runs wait"), count(groups.len(), "commit", "commits"))}</p>
                {groups.into_iter().map(|group| view! {
                    <GroupCard group me=me.clone() permission host=host.clone() clock busy drafts on_decide/>
                }).collect_view()}
            }.into_any()
        }}
    }
}

/// Whether the focus is in a card's comment or environment choice.
fn typing_on_a_card() -> bool {
    document()
        .active_element()
        .filter(|e| matches!(e.tag_name().as_str(), "TEXTAREA" | "SELECT"))
        .and_then(|e| e.closest("[data-testid=commit-group]").ok().flatten())
        .is_some()
}
