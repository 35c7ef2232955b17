//! The cleanup's stages together: selection → plan → run → report, on small hand-made repositories (the
//! property tests are `tests/cleanup_props.rs`).

use std::collections::{BTreeMap, HashSet};

use super::*;
use crate::api::response::ApiError;
use crate::github::model::{DeploymentId, DeploymentState};
use crate::github::rules::tests::record;
use crate::github::rules::DeploymentRecord;
use crate::github::validate::Field;
use crate::timestamp::Timestamp;
use DeploymentState::*;

const DAY: i64 = 86_400;

fn now() -> Timestamp {
    Timestamp::from_unix(1_700_000_000 + 400 * DAY)
}

#[test]
fn the_confirmation_says_how_long_and_points_a_long_run_to_the_script() {
    let counts = |deactivate_then_delete, delete| PlanCounts {
        deactivate_then_delete,
        delete,
        keep: 0,
        requests: 0,
        ..PlanCounts::default()
    };
    assert_eq!(
        duration_note(&counts(0, 40), 52_000, true),
        "At GitHub's pace this run takes about 52 s for 40 deletions, plus any wait GitHub asks for."
    );
    assert_eq!(
        duration_note(&counts(1, 0), 2_100, false),
        "At the pace set here this run takes about 3 s for 1 deletion and 1 “inactive” status, plus any wait GitHub asks for."
    );
    // 100,000 deletions a second apart, 300 ms an answer.
    let long = duration_note(&counts(12, 99_988), 130_000_000, true);
    assert!(long.starts_with("At GitHub's pace this run takes about 1 d 12 h for 100,000 deletions and 12 “inactive” statuses: keep this tab open"), "{long}");
    assert!(long.contains("download it as a script"));
    assert!(!duration_note(&counts(0, 10), (LONG_RUN_SECS - 1) * 1_000, true).contains("script"));
}

fn sample() -> Vec<DeploymentRecord> {
    vec![
        record(1, "production", Some(Inactive)),
        record(2, "production", Some(Success)),
        record(3, "staging", Some(Success)),
        record(4, "staging", Some(Failure)),
        record(5, "staging", None),
        record(6, "review/pr-7", Some(Inactive)),
    ]
}

fn action_of(plan: &CleanupPlan, id: u64) -> (Action, Reason) {
    let item = plan
        .items
        .iter()
        .find(|i| i.id == DeploymentId(id))
        .unwrap();
    (item.action(), item.reason())
}

/// Every rule open and live non-production deployments allowed: what the run's tests plan over.
fn everything() -> Selection {
    Selection {
        allow_live: true,
        ..Selection::default()
    }
}

#[test]
fn what_is_live_in_any_environment_is_kept_unless_allowed() {
    let plan = CleanupPlan::new(&sample(), &Selection::default(), now());
    assert_eq!(action_of(&plan, 2), (Action::Keep, Reason::LiveProduction));
    assert_eq!(action_of(&plan, 3), (Action::Keep, Reason::Live));
    assert_eq!(
        plan.kept_by_guards(),
        BTreeMap::from([(Guard::LiveProduction, 1), (Guard::Live, 1)])
    );
    let mut ticked = plan.clone();
    assert!(
        ticked.choose(DeploymentId(3), true),
        "a guarded row can be ticked one by one"
    );
    assert_eq!(
        ticked.items.iter().find(|i| i.id.0 == 3).unwrap().action(),
        Action::DeactivateThenDelete
    );
    assert_eq!(
        action_of(&ticked, 3).1,
        Reason::TickedByUser {
            was: Box::new(Reason::Live)
        }
    );
    assert!(
        !ticked.choose(DeploymentId(4), true),
        "already deleted: nothing changes"
    );
    let kinds = ticked.deletion_kinds();
    assert_eq!(
        (kinds.live, kinds.live_environments.clone()),
        (1, vec!["staging".to_owned()])
    );
    assert!(kinds.needs_typed_confirmation());
    assert!(!plan.deletion_kinds().needs_typed_confirmation());
    assert_eq!(
        plan.deletion_kinds().describe(),
        "2 inactive, 1 failed, 1 without any status"
    );
    assert!(
        kinds.confirmed_by(" o/r ", "o/r"),
        "spaces around the name are fine"
    );
    assert!(!kinds.confirmed_by("o/r2", "o/r"));
    assert!(!kinds.confirmed_by("", "o/r"));
    assert!(
        plan.deletion_kinds().confirmed_by("", "o/r"),
        "nothing live: no name asked"
    );
    assert_eq!(ticked.counts().deactivate_then_delete, 1);
    assert_eq!(
        ticked.confirmation("o/r", "GitHub.com"),
        "Deploydeck will delete 5 deployments from o/r on GitHub.com: 2 inactive, 1 failed, 1 without any status, 1 live now (staging). 1 gets an “inactive” status first, as GitHub refuses to delete an active deployment (the newest success of an environment that has others); should GitHub refuse another as active, it gets the status then and is deleted again. Deleted deployments cannot be restored; environments are not touched."
    );
    assert!(plan.confirmation("o/r", "GitHub.com").contains(
        "None is active, so none gets an “inactive” status first; should GitHub refuse another"
    ));
}

#[test]
fn the_preview_shows_rows_by_what_happens_to_them() {
    let mut plan = CleanupPlan::new(&sample(), &Selection::default(), now());
    let ids = |which: PlanRows, plan: &CleanupPlan| -> Vec<u64> {
        plan.positions(which)
            .into_iter()
            .map(|at| plan.items[at as usize].id.0)
            .collect()
    };
    assert_eq!(ids(PlanRows::Deleted, &plan), vec![6, 5, 4, 1]);
    assert_eq!(ids(PlanRows::Guarded, &plan), vec![3, 2]);
    assert_eq!(ids(PlanRows::Kept, &plan), vec![3, 2]);
    assert_eq!(ids(PlanRows::All, &plan), vec![6, 5, 4, 3, 2, 1]);
    plan.set_unticked(DeploymentId(4), true);
    assert_eq!(
        ids(PlanRows::Deleted, &plan),
        vec![6, 5, 4, 1],
        "an unticked row stays where it can be ticked again"
    );
    assert_eq!(ids(PlanRows::Kept, &plan), vec![4, 3, 2]);
    for which in PlanRows::ALL {
        assert_eq!(PlanRows::from_value(which.value()), which);
    }
    assert_eq!(PlanRows::from_value("bogus"), PlanRows::Deleted);
}

#[test]
fn the_header_badge_of_a_run_going_on_elsewhere() {
    let p = Progress {
        total: 500,
        done: 118,
        failed: 2,
        pending: 379,
        in_flight: 1,
        skipped: 0,
        requests_left: 380,
        deletes_left: 380,
    };
    let b = p.badge(RunStatus::Running, false, "acme/tidy");
    assert_eq!(b.text, "Cleanup 120/500 · 2 failed");
    assert_eq!(
        b.label,
        "Cleanup of acme/tidy: 118 of 500 done, 2 failed. Open the run."
    );
    assert!(b.alert);
    let b = p.badge(RunStatus::Running, true, "acme/tidy");
    assert_eq!(b.text, "Cleanup 120/500 · waiting · 2 failed");
    assert_eq!(
        b.label,
        "Cleanup of acme/tidy: 118 of 500 done, 2 failed, waiting for GitHub's rate limit. Open the run."
    );
    let clean = Progress {
        failed: 0,
        done: 120,
        ..p
    };
    let b = clean.badge(RunStatus::Paused, true, "acme/tidy");
    assert_eq!(
        b.text, "Cleanup paused 120/500",
        "a paused run waits for no limit"
    );
    assert!(!b.alert);
    assert_eq!(
        b.label,
        "Cleanup of acme/tidy: 120 of 500 done, paused. Open the run."
    );
    let finished = Progress {
        done: 500,
        pending: 0,
        in_flight: 0,
        failed: 0,
        requests_left: 0,
        ..p
    };
    assert_eq!(
        finished.badge(RunStatus::Running, false, "o/r").text,
        "Cleanup done 500/500"
    );
    let cancelled = Progress {
        done: 120,
        skipped: 380,
        pending: 0,
        in_flight: 0,
        failed: 0,
        ..p
    };
    let b = cancelled.badge(RunStatus::Cancelled, false, "o/r\nEvil");
    assert_eq!(b.text, "Cleanup cancelled 500/500");
    assert_eq!(
        b.label,
        "Cleanup of o/r Evil: 120 of 500 done, cancelled. Open the run."
    );
}

#[test]
fn another_tab_commands_the_run_and_each_role_says_what_it_does() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let mut run = CleanupRun::new(&plan);
    let (id, step) = run.next_step().unwrap();
    run.record(
        id,
        step,
        Err(ApiError::Server {
            status: 502,
            message: "Bad Gateway".into(),
        }),
    );
    for (command, status) in [
        (RunCommand::Pause, RunStatus::Paused),
        (RunCommand::Resume, RunStatus::Running),
        (RunCommand::Cancel, RunStatus::Cancelled),
        (RunCommand::RetryFailed, RunStatus::Running),
    ] {
        let text = command.to_message(1_700_000_000_000);
        assert_eq!(RunCommand::from_message(&text), Some(command), "{text}");
        assert_ne!(
            text,
            command.to_message(1_700_000_000_001),
            "each sending is a change"
        );
        command.apply(&mut run);
        assert_eq!(run.status, status, "{command:?}");
        assert_eq!(command.sends(), status == RunStatus::Running);
    }
    assert_eq!(run.progress().failed, 0, "retried");
    assert_eq!(
        RunCommand::from_message("{\"command\":\"delete_all\"}"),
        None
    );
    assert_eq!(RunCommand::from_message("pause"), None);

    assert!(TabRole::Runs.sends() && TabRole::Unshared.sends());
    assert!(!TabRole::Follows.sends() && !TabRole::Asking.sends());
    assert_eq!(TabRole::Runs.note(), None);
    assert!(TabRole::Follows.note().unwrap().contains("takes over"));
    assert!(TabRole::Unshared.note().unwrap().contains("one tab only"));

    // A follower shows the run as kept, a step in flight still in flight.
    let mut run = CleanupRun::new(&plan);
    run.next_step();
    let saved = saved_run("o/r", &plan, run, None);
    let json = saved.to_json();
    assert_eq!(
        SavedRun::from_json_as_kept(&json)
            .unwrap()
            .run
            .progress()
            .in_flight,
        1
    );
    assert_eq!(
        SavedRun::from_json(&json).unwrap().run.progress().in_flight,
        0
    );
}

#[test]
fn a_run_says_which_deployments_are_gone() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let mut run = CleanupRun::new(&plan);
    assert!(run.gone().is_empty());
    let mut answered = 0;
    while let Some((id, step)) = run.next_step() {
        let answer = if id.0 == 5 && step == Step::Delete {
            Err(ApiError::NotFound {
                message: "Not Found".into(),
            })
        } else if id.0 == 4 {
            Err(ApiError::Server {
                status: 500,
                message: "boom".into(),
            })
        } else {
            Ok(())
        };
        run.record(id, step, answer);
        answered += 1;
        if answered == 1 {
            assert_eq!(run.gone(), HashSet::from([id]));
        }
    }
    let gone = run.gone();
    assert!(gone.contains(&DeploymentId(5)), "already gone is gone too");
    assert!(!gone.contains(&DeploymentId(4)), "a failure is not gone");
    assert_eq!(gone.len(), run.progress().done);
}

#[test]
fn the_plan_and_run_sentences() {
    let c = PlanCounts {
        deactivate_then_delete: 7,
        delete: 9,
        keep: 1,
        requests: 23,
        ..PlanCounts::default()
    };
    assert_eq!(
        c.sentence(),
        "16 deployments will be deleted (7 marked inactive first), 1 kept; 23 requests to GitHub."
    );
    let kept = BTreeMap::from([(Guard::Live, 2), (Guard::MayBeRunning, 1)]);
    assert_eq!(
        guard_sentence(&kept),
        "Kept by the guard rails although the rules select them: 2 live in another environment, 1 that may be running now. Tick a row in the plan to include it, or use the switches above for everything live."
    );
    assert_eq!(
        hold_note(200_001, crate::api::response::RateLimitKind::Primary),
        "GitHub's hourly rate limit is used up: waiting 3 min 21 s before the next request. The run continues by itself; you can leave it running."
    );
    let p = Progress {
        total: 10,
        done: 4,
        failed: 1,
        pending: 3,
        in_flight: 1,
        skipped: 1,
        requests_left: 5,
        deletes_left: 4,
    };
    assert_eq!(
        p.summary(),
        "4 of 10 done, 1 failed, 4 remaining, 1 skipped"
    );
    assert_eq!(p.heading(RunStatus::Paused), "Cleanup paused");
    // No pace yet: the connection's estimate for 1 status and 4 deletions, plus the hold.
    let left = p.time_left(RunStatus::Running, 0, 0, 2_000, |creates, deletes| {
        assert_eq!((creates, deletes), (1, 4));
        58_000
    });
    assert_eq!(left.as_deref(), Some("About 1 min 0 s left"));
    // From the pace so far: 5 answers in 10 s → 10 s for the 5 left.
    let left = p.time_left(RunStatus::Running, 5, 10_000, 0, |_, _| unreachable!());
    assert_eq!(left.as_deref(), Some("About 10 s left"));
}

#[test]
fn a_pause_is_whole_milliseconds_up_to_a_minute() {
    assert_eq!(parse_spacing(""), Ok(0));
    assert_eq!(parse_spacing(" 250 "), Ok(250));
    assert_eq!(parse_spacing("60000"), Ok(60_000));
    for bad in ["60001", "-1", "1.5", "fast", "１０"] {
        let problem = parse_spacing(bad).unwrap_err();
        assert!(
            problem.contains(bad) && problem.contains("0 to 60000"),
            "{problem}"
        );
    }
}

/// A record whose latest status (or creation, without one) was `hours_ago`.
fn idle(
    id: u64,
    environment: &str,
    state: Option<DeploymentState>,
    hours_ago: i64,
) -> DeploymentRecord {
    let mut r = record(id, environment, state);
    r.deployment.created_at = now().plus_seconds(-hours_ago * 3_600 - 60);
    if let Some(s) = r.latest_status.as_mut() {
        s.created_at = now().plus_seconds(-hours_ago * 3_600);
    }
    r
}

#[test]
fn the_stuck_rule_posts_an_error_status_on_what_has_been_idle_and_deletes_nothing() {
    let records = vec![
        idle(11, "staging", Some(InProgress), 5),
        idle(12, "staging", Some(Pending), 1),
        idle(13, "review/pr-9", Some(Queued), 30),
        idle(14, "staging", Some(Success), 40),
        idle(15, "staging", Some(Error), 50),
        idle(16, "staging", None, 60),
    ];
    let six = SelectionDraft {
        idle_hours: " 6 ".into(),
        ..SelectionDraft::default()
    };
    assert_eq!(six.stuck().idle_hours, "6", "the hours typed are kept");
    let draft = SelectionDraft::default().stuck();
    assert_eq!(
        draft.status_description,
        "Marked as errored by Deploydeck: no progress for more than 2 hours"
    );
    let selection = draft.selection().unwrap();
    assert_eq!(selection.idle_hours, Some(2));
    assert_eq!(selection.may_be_running_secs(), 2 * 3_600);
    let plan = CleanupPlan::new(&records, &selection, now());
    assert_eq!(
        action_of(&plan, 11),
        (
            Action::PostStatus,
            Reason::GetsStatus {
                latest: Some(InProgress)
            }
        ),
        "in progress, nothing new for 5 hours: past the user's own threshold, so no guard keeps it"
    );
    assert_eq!(
        action_of(&plan, 12),
        (Action::Keep, Reason::RecentlyActive { hours: 1 })
    );
    assert_eq!(
        action_of(&plan, 12).1.describe(),
        "Active 1 hour ago: not idle long enough"
    );
    assert_eq!(action_of(&plan, 13).0, Action::PostStatus);
    assert_eq!(
        action_of(&plan, 14),
        (Action::Keep, Reason::OtherState),
        "the live success is not stuck"
    );
    assert_eq!(action_of(&plan, 15).0, Action::Keep);
    assert_eq!(
        action_of(&plan, 16).0,
        Action::Keep,
        "no status: not one of the stuck states"
    );
    let counts = plan.counts();
    assert_eq!((counts.status, counts.keep, counts.requests), (2, 4, 2));
    assert_eq!(
        counts.sentence(),
        "2 deployments will get an “Error” status, 4 kept; 2 requests to GitHub. Nothing is deleted."
    );
    assert_eq!(
        plan.confirmation("acme/tidy", "github.com"),
        "Deploydeck will post an “Error” status (“Marked as errored by Deploydeck: no progress for more than 2 hours”) on 2 deployments of acme/tidy on github.com: 2 pending, queued or in progress with nothing new since. Nothing is deleted; a status cannot be taken back, but a newer one replaces it."
    );
    assert!(duration_note(&counts, 16_000, true).contains("for 2 statuses"));
    let write = &selection.write;
    assert_eq!(write.heading(), "Before any status is posted");
    assert_eq!(
        write.start_label(&counts),
        "Post the status on 2 deployments"
    );
    let row = plan.items.iter().find(|i| i.id.0 == 11).unwrap();
    assert_eq!(row.tick_label(), "Post the status on deployment 11");
    assert_eq!(PlanRows::Deleted.label_for(write), "What gets the status");
    assert_eq!(
        write.typed_label("o/r"),
        "This posts a status on what runs now or may be running. Type o/r to confirm"
    );
    assert_eq!(Write::Delete.start_label(&counts), "Delete 0 deployments");
    assert_eq!(
        PlanRows::Deleted.label_for(&Write::Delete),
        "What will be deleted"
    );

    // The run posts the status, once each, and deletes nothing; a deployment gone meanwhile is gone.
    let mut run = CleanupRun::new(&plan);
    assert_eq!(run.write, selection.write);
    let mut sent = Vec::new();
    while let Some((id, step)) = run.next_step() {
        sent.push((id.0, step));
        let answer = if id.0 == 13 {
            Err(ApiError::NotFound {
                message: "Not Found".into(),
            })
        } else {
            Ok(())
        };
        run.record(id, step, answer);
    }
    assert_eq!(sent, [(13, Step::Status), (11, Step::Status)]);
    let outcomes: Vec<_> = run.items.iter().map(|i| (i.id.0, i.outcome())).collect();
    assert_eq!(outcomes, [(13, "already gone"), (11, "status posted")]);
    assert_eq!(run.progress().done, 2);
    assert!(
        run.gone().is_empty(),
        "a status run removes nothing from History"
    );
    assert!(crate::text::read_csv(&report_csv(&run), ',')
        .iter()
        .any(|row| row[5] == "status posted"));
}

#[test]
fn a_status_write_skips_what_already_has_it_and_keeps_the_guard_rails() {
    let mut records = sample();
    records.push(idle(7, "staging", Some(InProgress), 3));
    let selection = Selection {
        write: Write::Status {
            state: Inactive,
            description: String::new(),
        },
        ..Selection::default()
    };
    let plan = CleanupPlan::new(&records, &selection, now());
    assert_eq!(
        action_of(&plan, 1),
        (Action::Keep, Reason::AlreadyInState { state: Inactive })
    );
    assert_eq!(action_of(&plan, 1).1.describe(), "Already “Inactive”");
    assert_eq!(action_of(&plan, 2), (Action::Keep, Reason::LiveProduction));
    assert_eq!(action_of(&plan, 3), (Action::Keep, Reason::Live));
    assert_eq!(
        action_of(&plan, 4),
        (
            Action::PostStatus,
            Reason::GetsStatus {
                latest: Some(Failure)
            }
        )
    );
    // Without idle hours, a day: in progress 3 hours ago may be running, kept unless ticked.
    assert!(matches!(
        action_of(&plan, 7),
        (Action::Keep, Reason::MayBeRunning { .. })
    ));
    let mut plan = plan;
    assert!(plan.choose(DeploymentId(7), true));
    assert_eq!(
        plan.items.iter().find(|i| i.id.0 == 7).unwrap().action(),
        Action::PostStatus,
        "a ticked row gets the status, never a deletion"
    );
    assert!(plan.to_delete().all(|i| i.action() == Action::PostStatus));
    assert!(
        plan.confirmation("o/r", "h")
            .contains("post an “Inactive” status on 3 deployments"),
        "{}",
        plan.confirmation("o/r", "h")
    );
}

#[test]
fn the_status_fields_say_what_is_wrong() {
    let draft = SelectionDraft {
        posts_status: true,
        status_state: Success,
        status_description: "x".repeat(141),
        idle_hours: "0".into(),
        ..SelectionDraft::default()
    };
    let problems = draft.selection().unwrap_err();
    assert_eq!(
        problems.for_field(Field::State).next(),
        Some("Choose “Error”, “Failure” or “Inactive”: the statuses Deploydeck posts in bulk.")
    );
    assert_eq!(
        problems.for_field(Field::Description).next(),
        Some("A status description can have at most 140 characters; this one has 141.")
    );
    assert!(problems
        .for_field(Field::IdleHours)
        .next()
        .unwrap()
        .starts_with("At least 1 hour"));
    let fine = SelectionDraft {
        posts_status: false,
        status_state: Success,
        ..SelectionDraft::default()
    };
    assert_eq!(
        fine.selection().unwrap().write,
        Write::Delete,
        "the status fields count only for a status write"
    );
}

#[test]
fn an_unfinished_recent_deployment_may_be_running_and_only_a_tick_deletes_it() {
    let mut recent = record(7, "staging", Some(InProgress));
    recent.deployment.created_at = now().plus_seconds(-3 * 3_600);
    if let Some(s) = recent.latest_status.as_mut() {
        s.created_at = now().plus_seconds(-2 * 3_600);
    }
    let mut fresh = record(8, "staging", None);
    fresh.deployment.created_at = now().plus_seconds(-60);
    let mut old = record(9, "staging", Some(Queued));
    old.deployment.created_at = now().plus_seconds(-2 * DAY);
    if let Some(s) = old.latest_status.as_mut() {
        s.created_at = now().plus_seconds(-2 * DAY);
    }
    let mut records = sample();
    records.extend([recent, fresh, old]);
    let mut plan = CleanupPlan::new(&records, &everything(), now());
    assert_eq!(
        action_of(&plan, 7),
        (
            Action::Keep,
            Reason::MayBeRunning {
                latest: Some(InProgress),
                hours: 2
            }
        )
    );
    assert_eq!(
        action_of(&plan, 7).1.describe(),
        "In progress 2 hours ago: it may be running now. Kept unless you tick it"
    );
    assert_eq!(action_of(&plan, 8).0, Action::Keep);
    assert_eq!(
        action_of(&plan, 9),
        (
            Action::Delete,
            Reason::NotActive {
                latest: Some(Queued)
            }
        ),
        "a day without news: not running, and not active under GitHub's rule"
    );
    let allow_all = Selection {
        allow_live_production: true,
        ..everything()
    };
    assert_eq!(
        action_of(&CleanupPlan::new(&records, &allow_all, now()), 7).0,
        Action::Keep,
        "no switch includes them: only a tick"
    );
    assert!(plan.choose(DeploymentId(7), true));
    assert_eq!(
        action_of(&plan, 7).0,
        Action::Delete,
        "in progress is not active: no status first"
    );
    assert_eq!(plan.deletion_kinds().may_be_running, 1);
    assert!(plan.choose(DeploymentId(7), false));
    assert_eq!(action_of(&plan, 7).0, Action::Keep);
}

#[test]
fn a_single_delete_keeps_to_the_guard_rails_unless_ticked() {
    let live = record(3, "staging", Some(Success));
    assert_eq!(
        single_delete(&live, Some(false), false, now()),
        (Action::Keep, Reason::Live)
    );
    assert_eq!(
        single_delete(&live, Some(false), true, now()).0,
        Action::DeactivateThenDelete
    );
    assert_eq!(
        single_delete(&live, Some(true), false, now()).1,
        Reason::LiveProduction
    );
    let old_success = record(2, "staging", Some(Success));
    assert_eq!(
        single_delete(&old_success, None, false, now()),
        (
            Action::Delete,
            Reason::NotActive {
                latest: Some(Success)
            }
        ),
        "a success that is no longer live is not guarded, and not active"
    );
    let gone = record(1, "staging", Some(Inactive));
    assert_eq!(
        single_delete(&gone, None, false, now()),
        (Action::Delete, Reason::Inactive)
    );
    let mut running = record(4, "staging", Some(InProgress));
    running.deployment.created_at = now().plus_seconds(-600);
    assert!(matches!(
        single_delete(&running, None, false, now()),
        (Action::Keep, Reason::MayBeRunning { .. })
    ));
    // A job waiting for a review is kept however long it has waited; the same state a week old is not.
    let mut waiting = record(5, "production", Some(Waiting));
    waiting.deployment.created_at = now().plus_seconds(-7 * 86_400);
    if let Some(s) = waiting.latest_status.as_mut() {
        s.created_at = waiting.deployment.created_at;
    }
    let (action, reason) = single_delete(&waiting, None, false, now());
    assert_eq!(action, Action::Keep);
    assert_eq!(
        reason.describe(),
        "Waiting for a review (for 168 hours): its job goes on once reviewed. Kept unless you tick it"
    );
    let mut old_queued = waiting.clone();
    if let Some(s) = old_queued.latest_status.as_mut() {
        s.state = Queued;
    }
    assert_eq!(
        single_delete(&old_queued, None, false, now()).0,
        Action::Delete
    );
}

#[test]
fn environments_are_chosen_by_pattern() {
    let mut records = sample();
    records.push(record(7, "review/pr-8", Some(Inactive)));
    let selection = Selection {
        environments: vec!["review/*".into(), "PRODUCTION".into()],
        ..everything()
    };
    let plan = CleanupPlan::new(&records, &selection, now());
    assert_eq!(
        plan.to_delete().map(|i| i.id.0).collect::<Vec<_>>(),
        [7, 6, 1]
    );
    assert_eq!(
        action_of(&plan, 3),
        (Action::Keep, Reason::OtherEnvironment)
    );
}

#[test]
fn the_plan_deactivates_only_what_github_counts_as_active_and_keeps_live_production() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    assert_eq!(
        plan.items.iter().map(|i| i.id.0).collect::<Vec<_>>(),
        [6, 5, 4, 3, 2, 1]
    );
    assert_eq!(action_of(&plan, 1), (Action::Delete, Reason::Inactive));
    assert_eq!(action_of(&plan, 2), (Action::Keep, Reason::LiveProduction));
    assert_eq!(
        action_of(&plan, 3),
        (
            Action::DeactivateThenDelete,
            Reason::NeedsDeactivation {
                latest: Some(Success)
            }
        ),
        "the newest success of an environment with others"
    );
    assert_eq!(
        action_of(&plan, 4),
        (
            Action::Delete,
            Reason::NotActive {
                latest: Some(Failure)
            }
        )
    );
    assert_eq!(
        action_of(&plan, 5),
        (Action::Delete, Reason::NotActive { latest: None })
    );
    assert_eq!(
        action_of(&plan, 5).1.describe(),
        "No status: not active, so GitHub deletes it without an inactive status first"
    );
    assert_eq!(
        plan.counts(),
        PlanCounts {
            deactivate_then_delete: 1,
            delete: 4,
            keep: 1,
            requests: 6,
            ..PlanCounts::default()
        }
    );
    let allowed = Selection {
        allow_live_production: true,
        ..everything()
    };
    let plan = CleanupPlan::new(&sample(), &allowed, now());
    assert_eq!(action_of(&plan, 2).0, Action::DeactivateThenDelete);

    // A success replaced by a newer success is not active; the only deployment of an environment is
    // deleted whatever its state.
    let mut records = sample();
    records.push(record(7, "staging", Some(Success)));
    records.push(record(8, "qa", Some(Success)));
    let plan = CleanupPlan::new(&records, &everything(), now());
    assert_eq!(
        action_of(&plan, 3),
        (
            Action::Delete,
            Reason::NotActive {
                latest: Some(Success)
            }
        )
    );
    assert_eq!(action_of(&plan, 7).0, Action::DeactivateThenDelete);
    assert_eq!(
        action_of(&plan, 8),
        (Action::Delete, Reason::OnlyInEnvironment)
    );
}

#[test]
fn a_delete_github_refuses_while_active_gets_its_status_then_one_more_try() {
    let refusal = || {
        ApiError::Validation {
        message: "Validation Failed".into(),
        issues: vec![crate::api::response::ValidationIssue {
            field: None,
            code: None,
            resource: None,
            message: Some("We cannot delete an active deployment unless it is the only deployment in a given environment.".into()),
        }],
    }
    };
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let mut run = CleanupRun::new(&plan);
    let mut sent = Vec::new();
    while let Some((id, step)) = run.next_step() {
        sent.push((id.0, step));
        // The stricter reading: every DELETE of a deployment not yet marked inactive is refused.
        let marked = sent
            .iter()
            .any(|(i, s)| *i == id.0 && *s == Step::Deactivate);
        let answer = match step {
            Step::Delete if id.0 != 6 && id.0 != 1 && !marked => Err(refusal()),
            _ => Ok(()),
        };
        let recorded = run.record(id, step, answer.clone());
        if answer.is_err() {
            assert_eq!(recorded, Recorded::RefusedWhileActive);
        }
    }
    use Step::*;
    assert_eq!(
        sent,
        [
            (6, Delete),
            (5, Delete),
            (5, Deactivate),
            (5, Delete),
            (4, Delete),
            (4, Deactivate),
            (4, Delete),
            (3, Deactivate),
            (3, Delete),
            (1, Delete)
        ]
    );
    assert_eq!(run.progress().done, 5);
    assert_eq!(run.requests_sent, 10);
    let saved = saved_run("o/r", &plan, run.clone(), None);
    assert_eq!(
        saved.requests_sentence(),
        "Requests sent: 10 (the plan needed 6; GitHub refused 2 deletes as active: each got an “inactive” status and was deleted again)."
    );
    let five = run.items.iter().find(|i| i.id == DeploymentId(5)).unwrap();
    assert_eq!(
        five.inactive_first(),
        Some("GitHub refused to delete it while active")
    );

    // Refused again after its status: a failure, not a loop.
    let mut run = CleanupRun::new(&plan);
    run.next_step();
    run.record(DeploymentId(6), Step::Delete, Ok(()));
    for step in [Step::Delete, Step::Deactivate, Step::Delete] {
        assert_eq!(run.next_step(), Some((DeploymentId(5), step)));
        let answer = if step == Step::Delete {
            Err(refusal())
        } else {
            Ok(())
        };
        run.record(DeploymentId(5), step, answer);
    }
    assert_eq!(run.progress().failed, 1);
}

#[test]
fn each_selection_rule_keeps_with_its_reason() {
    let recs = sample();
    let check = |selection: Selection, id: u64, reason: Reason| {
        let plan = CleanupPlan::new(&recs, &selection, now());
        assert_eq!(
            action_of(&plan, id),
            (Action::Keep, reason),
            "{selection:?}"
        );
    };
    check(
        Selection {
            environments: vec!["staging".into()],
            ..Default::default()
        },
        1,
        Reason::OtherEnvironment,
    );
    check(
        Selection {
            git_ref: Some(TextMatch::Prefix("release/".into())),
            ..Default::default()
        },
        3,
        Reason::RefDoesNotMatch,
    );
    check(
        Selection {
            sha: Some(TextMatch::Exact("a84d88e".into())),
            ..Default::default()
        },
        3,
        Reason::ShaDoesNotMatch,
    );
    check(
        Selection {
            task: Some(TextMatch::Exact("deploy:migrations".into())),
            ..Default::default()
        },
        3,
        Reason::TaskDoesNotMatch,
    );
    check(
        Selection {
            creators: vec!["hubot".into()],
            ..Default::default()
        },
        3,
        Reason::OtherCreator,
    );
    check(
        Selection {
            states: vec![StateFilter::State(Inactive)],
            ..Default::default()
        },
        3,
        Reason::OtherState,
    );
    check(
        Selection {
            transient_only: true,
            ..Default::default()
        },
        6,
        Reason::NotTransient,
    );
    check(
        Selection {
            older_than_days: Some(400),
            ..Default::default()
        },
        6,
        Reason::TooRecent { age_days: 399 },
    );
    check(
        Selection {
            keep_newest_per_environment: 2,
            ..Default::default()
        },
        4,
        Reason::AmongNewest { rank: 2, keep: 2 },
    );

    let plan = CleanupPlan::new(
        &recs,
        &Selection {
            sha: Some(TextMatch::Prefix("a84d88e".into())),
            states: vec![StateFilter::NoStatus],
            ..Default::default()
        },
        now(),
    );
    assert_eq!(plan.to_delete().map(|i| i.id.0).collect::<Vec<_>>(), [5]);
}

#[test]
fn unticking_a_row_keeps_it_and_ticking_restores_the_proposal() {
    let mut plan = CleanupPlan::new(&sample(), &everything(), now());
    assert!(plan.set_unticked(DeploymentId(3), true));
    assert_eq!(action_of(&plan, 3), (Action::Keep, Reason::UntickedByUser));
    assert!(
        !plan.set_unticked(DeploymentId(2), false),
        "a guard-rail row cannot be ticked"
    );
    assert!(plan.set_unticked(DeploymentId(3), false));
    assert_eq!(action_of(&plan, 3).0, Action::DeactivateThenDelete);
}

#[test]
fn a_run_posts_inactive_only_before_an_active_deployment_and_counts_progress() {
    let mut plan = CleanupPlan::new(&sample(), &everything(), now());
    plan.set_unticked(DeploymentId(4), true);
    let mut run = CleanupRun::new(&plan);
    assert_eq!(run.progress().requests_left, 5);
    let mut sent = Vec::new();
    while let Some((id, step)) = run.next_step() {
        sent.push((id.0, step));
        run.record(id, step, Ok(()));
    }
    use Step::*;
    assert_eq!(
        sent,
        [
            (6, Delete),
            (5, Delete),
            (3, Deactivate),
            (3, Delete),
            (1, Delete)
        ],
        "only 3, the live success of an environment with others, gets a status first"
    );
    assert_eq!(
        run.progress(),
        Progress {
            total: 4,
            done: 4,
            ..Progress::default()
        }
    );
}

#[test]
fn failures_are_kept_rate_limits_requeue_and_404_counts_as_gone() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let mut run = CleanupRun::new(&plan);
    let (id, step) = run.next_step().unwrap();
    let server = ApiError::Server {
        status: 502,
        message: "Bad Gateway".into(),
    };
    assert_eq!(run.record(id, step, Err(server.clone())), Recorded::Failed);
    assert_eq!(
        run.record(id, step, Ok(())),
        Recorded::Ignored,
        "a stale answer changes nothing"
    );
    let (id2, step2) = run.next_step().unwrap();
    let limited = ApiError::RateLimited {
        limit: crate::api::response::RateLimitKind::Secondary,
        wait: crate::api::response::RetryWait::Seconds(60),
        message: "You have exceeded a secondary rate limit".into(),
    };
    assert_eq!(run.record(id2, step2, Err(limited)), Recorded::Requeued);
    assert_eq!(run.next_step(), Some((id2, step2)));
    assert_eq!(
        run.record(
            id2,
            step2,
            Err(ApiError::NotFound {
                message: "Not Found".into()
            })
        ),
        Recorded::Finished
    );
    assert_eq!(run.failures_by_message().len(), 1);
    assert_eq!(run.retry_failed(), 1);
    assert_eq!(run.next_step(), Some((id, step)));
}

#[test]
fn pause_resume_cancel_and_restore() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let mut run = CleanupRun::new(&plan);
    let (id, step) = run.next_step().unwrap();
    run.pause();
    assert_eq!(run.next_step(), None);
    let mut reloaded: CleanupRun =
        serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap();
    reloaded.restore();
    reloaded.resume();
    assert_eq!(
        reloaded.next_step(),
        Some((id, step)),
        "the lost in-flight step is sent again"
    );
    reloaded.cancel();
    assert_eq!(reloaded.next_step(), None);
    assert_eq!(reloaded.record(id, step, Ok(())), Recorded::Finished);
    let p = reloaded.progress();
    assert_eq!((p.done, p.skipped, p.pending), (1, p.total - 1, 0));
    assert!(reloaded.is_settled());
}

#[test]
fn the_selection_form_becomes_rules_or_says_which_field_is_wrong() {
    let draft = SelectionDraft {
        environments: "staging, preview/* ,".into(),
        git_ref: " release/ ".into(),
        ref_prefix: true,
        sha: "A84D88E".into(),
        creators: "@mona, hubot  dependabot[bot],MONA".into(),
        older_than_days: "30".into(),
        keep_newest: "".into(),
        ..SelectionDraft::default()
    };
    let selection = draft.selection().unwrap();
    assert_eq!(
        selection.git_ref,
        Some(TextMatch::Prefix("release/".into()))
    );
    assert_eq!(selection.sha, Some(TextMatch::Exact("a84d88e".into())));
    assert_eq!(selection.environments, ["staging", "preview/*"]);
    assert_eq!(
        selection.states,
        [StateFilter::State(DeploymentState::Inactive)],
        "by default only inactive deployments are selected"
    );
    assert_eq!(selection.task, None);
    assert_eq!(selection.creators, ["mona", "hubot", "dependabot[bot]"]);
    assert_eq!(selection.older_than_days, Some(30));
    assert_eq!(selection.keep_newest_per_environment, 0);

    let bad = SelectionDraft {
        sha: "not-a-sha".into(),
        creators: "mona <script>".into(),
        older_than_days: "-1".into(),
        keep_newest: "1.5".into(),
        ..SelectionDraft::default()
    };
    let problems = bad.selection().unwrap_err();
    for field in [
        Field::Sha,
        Field::Creators,
        Field::OlderThanDays,
        Field::KeepNewest,
    ] {
        assert_eq!(problems.for_field(field).count(), 1, "{field:?}");
    }
}

#[test]
fn a_saved_run_comes_back_ready_to_continue_and_its_report_says_what_happened() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let mut run = CleanupRun::new(&plan);
    let (first, step) = run.next_step().unwrap();
    run.record(first, step, Ok(()));
    let (second, step) = run.next_step().unwrap();
    run.record(
        second,
        step,
        Err(ApiError::Server {
            status: 502,
            message: "Bad Gateway".into(),
        }),
    );
    let (lost, lost_step) = run.next_step().unwrap();
    let saved = saved_run("acme/shop", &plan, run, None);
    let mut back = SavedRun::from_json(&saved.to_json()).unwrap();
    assert_eq!(back.run.progress().in_flight, 0);
    assert_eq!(
        back.run.next_step(),
        Some((lost, lost_step)),
        "the lost step goes again"
    );
    assert_eq!(SavedRun::from_json("{\"run\": 1}"), None);

    let rows = crate::text::read_csv(&report_csv(&saved.run), ',');
    assert_eq!(
        rows[0],
        [
            "id",
            "environment",
            "ref",
            "sha",
            "action",
            "outcome",
            "inactive_first",
            "failed_step",
            "error"
        ]
    );
    assert_eq!(
        (rows[1][0].clone(), rows[1][5].as_str()),
        (first.0.to_string(), "deleted")
    );
    assert_eq!(
        (rows[2][5].as_str(), rows[2][7].as_str()),
        ("failed", "deleting"),
        "{:?}",
        rows[2]
    );
    assert_eq!(
        rows[4][6], "active: the newest success of its environment",
        "{:?}",
        rows[4]
    );
    let json: serde_json::Value = serde_json::from_str(&report_json(&saved, now())).unwrap();
    assert_eq!(json["planned_requests"], 6);
    assert_eq!(json["requests_sent"], 3);
    assert_eq!(json["progress"]["done"], 1);
    assert_eq!(json["items"][1]["outcome"], "failed");
    assert_eq!(json["items"][1]["failed_step"], "delete");
    assert!(json["items"][0].get("error").is_none());
    assert_eq!(
        json["items"][3]["inactive_first"],
        "active: the newest success of its environment"
    );
}

#[test]
fn the_backup_holds_each_deployment_with_every_status() {
    let d = crate::github::rules::tests::deployment(7, "staging");
    let statuses = vec![
        crate::github::rules::tests::status(2, &d, Success),
        crate::github::rules::tests::status(1, &d, Queued),
    ];
    let json: serde_json::Value =
        serde_json::from_str(&backup_json("acme/shop", now(), &[(d.clone(), statuses)])).unwrap();
    assert_eq!(json["repository"], "acme/shop");
    assert_eq!(json["deployments"][0]["deployment"]["id"], 7);
    assert_eq!(json["deployments"][0]["statuses"][1]["state"], "queued");
}

#[test]
fn the_eta_follows_the_pace_so_far() {
    assert_eq!(eta_ms(2, 2_000, 10), None, "too early to say");
    assert_eq!(eta_ms(10, 5_000, 20), Some(10_000));
    assert_eq!(eta_ms(10, 5_000, 0), Some(0));
}

/// A run of `plan` as kept on this device.
fn saved_run(
    repository: &str,
    plan: &CleanupPlan,
    run: CleanupRun,
    pace_ms: Option<u64>,
) -> SavedRun {
    SavedRun {
        repository: repository.into(),
        started_at: now(),
        planned: plan.counts(),
        run,
        pace_ms,
    }
}

#[test]
fn a_kept_run_carries_the_pace_it_was_started_with() {
    let plan = CleanupPlan::new(&sample(), &everything(), now());
    let saved = saved_run("o/r", &plan, CleanupRun::new(&plan), Some(800));
    // Whichever tab reads it (one taking the run over, this one after a reload) sends at 800 ms.
    let json = saved.to_json();
    assert_eq!(SavedRun::from_json(&json).unwrap().pace(), Some(800));
    assert_eq!(
        SavedRun::from_json_as_kept(&json).unwrap().pace(),
        Some(800)
    );
    // A run kept before the pace was recorded still reads: the connection's pace then.
    let old = json.replace(",\"pace_ms\":800", "");
    assert!(!old.contains("pace_ms"), "{old}");
    assert_eq!(SavedRun::from_json(&old).unwrap().pace(), None);
    // Edited on the device: capped at the longest pause the form takes.
    let edited = json.replace("\"pace_ms\":800", "\"pace_ms\":99999999999");
    assert_eq!(
        SavedRun::from_json(&edited).unwrap().pace(),
        Some(MAX_PACE_MS)
    );
    assert_eq!(parse_spacing("60000"), Ok(MAX_PACE_MS));
    assert!(parse_spacing("60001").is_err());
}

proptest::proptest! {
    /// Any pace reads back from a kept run as written, and is never longer than the form's limit.
    #[test]
    fn a_kept_runs_pace_reads_back_capped(pace: Option<u64>) {
        let plan = CleanupPlan::new(&sample(), &everything(), now());
        let saved = saved_run("o/r", &plan, CleanupRun::new(&plan), pace);
        let back = SavedRun::from_json(&saved.to_json()).unwrap();
        proptest::prop_assert_eq!(back.pace_ms, pace);
        proptest::prop_assert_eq!(back.pace(), pace.map(|p| p.min(MAX_PACE_MS)));
    }

    /// An item's state reads back from a kept run as it was written, whatever its error (`ItemRecord`).
    #[test]
    fn every_item_state_reads_back_as_written(
        which in 0usize..5,
        step in proptest::sample::select(vec![Step::Deactivate, Step::Delete, Step::Status]),
        already_gone: bool,
        error in crate::api::records::tests::api_error(),
    ) {
        let state = match which {
            0 => ItemState::Pending { next: step },
            1 => ItemState::InFlight { step },
            2 => ItemState::Done { already_gone },
            3 => ItemState::Failed { step, error },
            _ => ItemState::Skipped,
        };
        let json = serde_json::to_string(&state).unwrap();
        proptest::prop_assert_eq!(serde_json::from_str::<ItemState>(&json).unwrap(), state);
    }
}

#[test]
fn an_item_state_of_an_unknown_kind_or_missing_a_field_is_refused() {
    let err = serde_json::from_str::<ItemState>(r#"{"state":"lost"}"#).unwrap_err();
    assert!(err.to_string().contains("unknown state `lost`"), "{err}");
    let err =
        serde_json::from_str::<ItemState>(r#"{"state":"failed","step":"delete"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `error`"), "{err}");
    // The form the derive wrote before the record still reads.
    assert_eq!(
        serde_json::from_str::<ItemState>(
            r#"{"state":"failed","step":"delete","error":{"kind":"timed_out","seconds":30}}"#
        )
        .unwrap(),
        ItemState::Failed {
            step: Step::Delete,
            error: ApiError::TimedOut { seconds: 30 }
        }
    );
}

#[test]
fn a_runs_write_reads_back_as_written() {
    for write in [
        Write::Delete,
        Write::Status {
            state: DeploymentState::Inactive,
            description: "Superseded “by” \\ 2".into(),
        },
    ] {
        let json = serde_json::to_string(&write).unwrap();
        assert_eq!(
            serde_json::from_str::<Write>(&json).unwrap(),
            write,
            "{json}"
        );
    }
    assert_eq!(
        serde_json::from_str::<Write>(r#"{"kind":"status","state":"error","description":"stuck"}"#)
            .unwrap(),
        Write::Status {
            state: DeploymentState::Error,
            description: "stuck".into()
        }
    );
    let err = serde_json::from_str::<Write>(r#"{"kind":"status","state":"error"}"#).unwrap_err();
    assert!(
        err.to_string().contains("missing field `description`"),
        "{err}"
    );
    let err = serde_json::from_str::<Write>(r#"{"kind":"burn"}"#).unwrap_err();
    assert!(err.to_string().contains("unknown kind `burn`"), "{err}");
}
