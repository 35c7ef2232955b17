//! Components mount and behave, in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use deploydeck::components::{ErrorPanel, StateBadge};
use deploydeck_core::model::DeploymentState;
use deploydeck_core::response::ApiError;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_state_badge_says_the_state_in_words_not_colour_alone() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        view! {
            <StateBadge state=Some(DeploymentState::InProgress)/>
            <StateBadge state=None/>
        }
    });
    let badges = root.query_selector_all(".badge").unwrap();
    let texts: Vec<String> = (0..badges.length())
        .filter_map(|i| badges.item(i).and_then(|b| b.text_content()))
        .collect();
    assert_eq!(texts, ["In progress", "No status"]);
    assert!(root.inner_html().contains("state-in-progress"));
}

#[wasm_bindgen_test]
fn the_error_panel_says_what_happened_and_what_to_do_as_text() {
    let root = container();
    let error = ApiError::Unauthorized {
        message: "<b>Bad credentials</b>".into(),
    };
    let _mounted = leptos::mount::mount_to(
        root.clone(),
        move || view! { <ErrorPanel error=error.clone() context="Could not connect"/> },
    );
    let panel = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = panel.text_content().unwrap();
    assert!(
        text.contains(
            "Could not connect: GitHub did not accept the token (<b>Bad credentials</b>)."
        ),
        "{text}"
    );
    assert!(text.contains("Create a new token"), "{text}");
    assert!(
        root.query_selector("b").unwrap().is_none(),
        "API text is escaped, never HTML"
    );
}

#[wasm_bindgen_test]
async fn the_connect_form_puts_every_problem_on_its_field_and_keeps_what_was_typed() {
    go_to("/");
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), deploydeck::App);
    wait_for(&root, "[data-testid=connect-form]", 3000).await;
    let repo = root.query_selector("#repo").unwrap().unwrap();
    let repo: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(repo);
    repo.set_value("not a repo");
    repo.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    click(&root, "[data-testid=connect]");
    sleep(50).await;
    assert!(text_of(&root, "#token-error").contains("Paste a personal access token"));
    assert!(text_of(&root, "#repo-error").contains("owner/name"));
    assert_eq!(
        text_of(&root, "#host-error"),
        "",
        "github.com needs no host"
    );
    let token = root.query_selector("#token").unwrap().unwrap();
    assert_eq!(token.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(repo.value(), "not a repo", "nothing typed is lost");
}

#[wasm_bindgen_test]
async fn try_the_demo_lands_in_a_working_simulated_repository() {
    go_to("/");
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), deploydeck::App);
    wait_for(&root, "[data-testid=try-demo]", 3000).await;
    click(&root, "[data-testid=try-demo]");
    wait_for(&root, "[data-testid=recent-deployments]", 5000).await;
    assert_eq!(
        root.query_selector_all("[data-testid=deployment-row]")
            .unwrap()
            .length(),
        10
    );
    assert!(text_of(&root, "[data-testid=demo-badge]").contains("Simulated"));
    assert!(text_of(&root, "[data-testid=access-panel]").contains("can read and write deployments"));
    let location = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(location, "/demo/acme/storefront/overview");
}
