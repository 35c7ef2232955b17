//! The Create view's forms mount and check every field before anything is sent, in headless Chromium (the
//! demo repository answers, in the page).
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn type_into(root: &web_sys::HtmlElement, selector: &str, text: &str) {
    let el = root.query_selector(selector).unwrap().unwrap();
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(text);
    } else {
        el.unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .set_value(text);
    }
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn attribute(root: &web_sys::HtmlElement, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .unwrap()
        .get_attribute(name)
}

#[wasm_bindgen_test]
async fn the_deployment_form_checks_fields_live_and_on_send_then_creates_and_opens_the_deployment()
{
    clear_session_storage();
    go_to("/demo/acme/storefront/create");
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), deploydeck::App);
    wait_for(&root, "[data-testid=deployment-form]", 5000).await;
    // Values are set by render effects, a tick after the form is in the page.
    sleep(50).await;

    // GitHub's defaults are shown filled in.
    assert_eq!(input_value(&root, "#dep-task"), "deploy");
    assert_eq!(input_value(&root, "#dep-environment"), "production");
    assert!(text_of(&root, "[data-testid=effective-production]").contains("will be a production"));

    // The payload is checked as it is typed.
    type_into(&root, "#dep-payload", "{\"open\": ");
    sleep(30).await;
    assert!(!text_of(&root, "#dep-payload-live").is_empty());
    assert_eq!(
        attribute(&root, "#dep-payload", "aria-invalid").as_deref(),
        Some("true")
    );
    type_into(&root, "#dep-payload", "{\"open\": true}");
    sleep(30).await;
    assert_eq!(text_of(&root, "#dep-payload-live"), "");

    // Sending with a missing ref puts the problem on the ref, and sends nothing.
    click(&root, "[data-testid=create-deployment]");
    sleep(50).await;
    assert!(!text_of(&root, "#dep-ref-error").is_empty());
    assert_eq!(
        attribute(&root, "#dep-ref", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(text_of(&root, "[data-testid=create-result]"), "");

    // A non-production environment is spelled out before sending.
    type_into(&root, "#dep-environment", "staging");
    sleep(30).await;
    assert!(text_of(&root, "[data-testid=effective-production]").contains("will not be"));

    type_into(&root, "#dep-ref", "main");
    click(&root, "[data-testid=create-deployment]");
    wait_for(&root, "[data-testid=deployment-page] h1", 5000).await;
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    assert!(
        path.starts_with("/demo/acme/storefront/deployments/"),
        "{path}"
    );
    assert!(text_of(&root, "[data-testid=deployment-page] h1").ends_with("to staging"));
}

#[wasm_bindgen_test]
async fn the_dispatch_form_refuses_more_than_ten_top_level_keys_on_its_field() {
    clear_session_storage();
    go_to("/demo/acme/storefront/create");
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), deploydeck::App);
    wait_for(&root, "[data-testid=dispatch-form]", 5000).await;
    type_into(&root, "#dispatch-event-type", "deploy-preview");
    let eleven: Vec<String> = (0..11).map(|i| format!("\"k{i}\": {i}")).collect();
    type_into(
        &root,
        "#dispatch-payload",
        &format!("{{{}}}", eleven.join(", ")),
    );
    click(&root, "[data-testid=send-dispatch]");
    sleep(50).await;
    assert!(text_of(&root, "#dispatch-payload-error").contains("at most 10 top-level keys"));
    assert_eq!(text_of(&root, "[data-testid=dispatch-result]"), "");
    type_into(&root, "#dispatch-payload", "{\"pr\": 42}");
    click(&root, "[data-testid=send-dispatch]");
    wait_for(&root, "[data-testid=dispatch-result] .ok", 5000).await;
    assert!(text_of(&root, "[data-testid=dispatch-result]").contains("(204)"));
}
