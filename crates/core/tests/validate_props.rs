//! Property tests for the validators: refs, URLs, JSON payloads, lengths.

use deploydeck_core::model::DeploymentState;
use deploydeck_core::validate::{
    check_git_ref, check_http_url, is_commit_sha, ContextsChoice, DeploymentDraft, DispatchDraft,
    Field, PayloadKind, StatusDraft,
};
use proptest::prelude::*;
use serde_json::Value;

/// A ref name built only from what check-ref-format allows.
fn valid_ref() -> impl Strategy<Value = String> {
    proptest::collection::vec("[A-Za-z0-9_+=é][A-Za-z0-9_+=.,é-]{0,10}", 1..4).prop_filter_map(
        "components must not end with '.' or '.lock' nor contain '..'",
        |parts| {
            let name = parts.join("/");
            let ok = !name.contains("..")
                && !name.ends_with('.')
                && parts.iter().all(|p| !p.ends_with(".lock"));
            ok.then_some(name)
        },
    )
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            proptest::collection::btree_map("\\PC{0,8}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn valid_ref_names_are_accepted(name in valid_ref()) {
        prop_assert_eq!(check_git_ref(&name), Ok(()), "{}", name);
    }

    #[test]
    fn commit_shas_are_accepted(sha in "[0-9a-fA-F]{7,40}") {
        prop_assert!(is_commit_sha(&sha));
        prop_assert_eq!(check_git_ref(&sha), Ok(()));
    }

    #[test]
    fn a_forbidden_piece_anywhere_makes_a_ref_invalid(
        name in valid_ref(),
        piece in prop_oneof![Just(" "), Just("~"), Just("^"), Just(":"), Just("?"), Just("*"), Just("["), Just("\\"), Just(".."), Just("@{"), Just("//"), Just("\t"), Just("\u{7f}")],
        at in any::<prop::sample::Index>(),
    ) {
        let boundaries: Vec<usize> = (0..=name.len()).filter(|i| name.is_char_boundary(*i)).collect();
        let i = boundaries[at.index(boundaries.len())];
        let bad = format!("{}{}{}", &name[..i], piece, &name[i..]);
        prop_assert!(check_git_ref(&bad).is_err(), "{:?} was accepted", bad);
    }

    #[test]
    fn ref_checking_never_panics(s in "(?s).{0,50}") {
        let _ = check_git_ref(&s);
    }

    #[test]
    fn only_http_and_https_links_pass(scheme in "[a-z][a-z0-9+.-]{0,10}", rest in "[a-z0-9./]{1,20}") {
        let url = format!("{scheme}://{rest}");
        if scheme != "http" && scheme != "https" {
            prop_assert!(check_http_url(&url).is_err());
        }
        let script = format!("javascript:{rest}");
        let data = format!("data:text/html,{rest}");
        prop_assert!(check_http_url(&script).is_err());
        prop_assert!(check_http_url(&data).is_err());
    }

    #[test]
    fn status_descriptions_are_limited_to_140_characters(text in "\\PC{0,200}") {
        let draft = StatusDraft { state: Some(DeploymentState::Success), description: text.clone(), ..StatusDraft::default() };
        let count = text.chars().count();
        let result = draft.validate();
        prop_assert_eq!(result.is_ok(), count <= 140, "{} characters", count);
        prop_assert_eq!(draft.description_remaining(), 140 - count as i64);
    }

    #[test]
    fn any_json_object_is_accepted_as_payload_and_kept(map in proptest::collection::btree_map("\\PC{0,8}", json_value(), 0..6)) {
        let object = Value::Object(map.into_iter().collect());
        let draft = DeploymentDraft {
            git_ref: "main".into(),
            payload: serde_json::to_string_pretty(&object).unwrap(),
            ..DeploymentDraft::default()
        };
        let body = draft.validate().unwrap();
        let sent = serde_json::to_value(&body).unwrap();
        prop_assert_eq!(sent.get("payload"), Some(&object));
    }

    #[test]
    fn any_json_that_is_not_an_object_is_refused_as_a_json_payload(value in json_value().prop_filter("not an object", |v| !v.is_object())) {
        let draft = DeploymentDraft { git_ref: "main".into(), payload: value.to_string(), ..DeploymentDraft::default() };
        let problems = draft.validate().unwrap_err();
        prop_assert_eq!(problems.fields().collect::<Vec<_>>(), vec![Field::Payload]);
        let as_text = DeploymentDraft { payload_kind: PayloadKind::Text, ..draft };
        prop_assert!(as_text.validate().is_ok());
    }

    #[test]
    fn drafts_never_panic_and_every_problem_names_a_form_field(
        git_ref in "\\PC{0,20}", task in "\\PC{0,10}", environment in "\\PC{0,300}", payload in "\\PC{0,30}",
        contexts in "\\PC{0,30}", choice in 0u8..3,
    ) {
        let draft = DeploymentDraft {
            git_ref, task, environment, payload, contexts,
            contexts_choice: [ContextsChoice::AllChecks, ContextsChoice::SkipChecks, ContextsChoice::Only][choice as usize],
            ..DeploymentDraft::default()
        };
        match draft.validate() {
            Ok(body) => {
                prop_assert_eq!(check_git_ref(&body.git_ref), Ok(()));
                let env = body.environment.unwrap();
                prop_assert!(!env.trim().is_empty() && env.chars().count() <= 255);
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for e in &problems.0 {
                    prop_assert!(e.field.api_name().is_some() && !e.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn client_payload_accepts_up_to_ten_keys(n in 0usize..20, event in "[a-z-]{1,100}") {
        let payload: serde_json::Map<String, Value> = (0..n).map(|i| (format!("k{i}"), Value::from(i))).collect();
        let draft = DispatchDraft { event_type: event, client_payload: Value::Object(payload).to_string() };
        prop_assert_eq!(draft.validate().is_ok(), n <= 10);
    }
}
