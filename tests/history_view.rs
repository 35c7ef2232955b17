//! The History view's parts mount and behave, in headless Chromium, on the demo repository (322
//! deployments in 107 environments — 320 of history and the 2 of its runs waiting for a review — answered in
//! the page).
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

async fn wait_for_text(root: &web_sys::HtmlElement, selector: &str, starts: &str) {
    for _ in 0..100 {
        if text_of(root, selector).starts_with(starts) {
            return;
        }
        sleep(50).await;
    }
    panic!(
        "{selector} never started with {starts:?}; it says {:?}",
        text_of(root, selector)
    );
}

#[wasm_bindgen_test]
async fn every_deployment_is_listed_but_only_the_rows_on_screen_are_in_the_page() {
    clear_session_storage();
    go_to("/demo/acme/storefront/history");
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), deploydeck::App);
    wait_for(&root, "[data-testid=history-row]", 5000).await;
    wait_for_text(
        &root,
        "[data-testid=history-count]",
        "322 of 322 deployments shown.",
    )
    .await;
    let rows = count(&root, "[data-testid=history-row]");
    assert!(rows > 0 && rows < 60, "{rows} rows in the page");
    // The newest first.
    let ids: Vec<u64> = (0..rows)
        .map(|i| {
            let row = root
                .query_selector_all("[data-testid=history-row] td:first-child")
                .unwrap()
                .item(i)
                .unwrap();
            row.text_content().unwrap().parse().unwrap()
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    // The chart says what it shows, and its legend names every outcome in words.
    let chart = wait_for(&root, "[data-testid=chart] svg", 5000).await;
    assert_eq!(chart.get_attribute("role").as_deref(), Some("img"));
    let legend = text_of(&root, "[data-testid=chart] .legend");
    for word in [
        "succeeded",
        "failed",
        "in progress",
        "inactive",
        "no status",
    ] {
        assert!(legend.contains(word), "{legend}");
    }
}

#[wasm_bindgen_test]
async fn filters_from_the_address_apply_and_fill_the_form() {
    clear_session_storage();
    go_to("/demo/acme/storefront/history?environment=production&creator=deploy-bot%5Bbot%5D");
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), deploydeck::App);
    wait_for(&root, "[data-testid=history-row]", 5000).await;
    sleep(300).await;
    assert_eq!(input_value(&root, "#f-environment"), "production");
    assert_eq!(input_value(&root, "#f-creator"), "deploy-bot[bot]");
    let cells = root
        .query_selector_all("[data-testid=history-row] td:nth-child(3)")
        .unwrap();
    assert!(cells.length() > 0);
    for i in 0..cells.length() {
        assert_eq!(cells.item(i).unwrap().text_content().unwrap(), "production");
    }
    let creators = root
        .query_selector_all("[data-testid=history-row] td.creator")
        .unwrap();
    for i in 0..creators.length() {
        assert_eq!(
            creators.item(i).unwrap().text_content().unwrap().trim(),
            "deploy-bot[bot]"
        );
    }
    // The environments table marks what is live, from the loaded states.
    wait_for(&root, "[data-testid=environment-row]", 5000).await;
    assert!(text_of(&root, "[data-testid=environments]").contains("production"));
}
