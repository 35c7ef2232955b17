//! The app's own addresses under the path it is served from.

/// The path the app is served under: `trunk build --public-url /sub/` writes it into the boot script's
/// `data-deploydeck-base` (a `<base>` element is ruled out by the CSP's `base-uri 'none'`).
pub fn app_base() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector("script[data-deploydeck-base]")
                    .ok()
                    .flatten()
            })
            .and_then(|tag| tag.get_attribute("data-deploydeck-base"))
            .map(|base| base.trim_end_matches('/').to_owned())
            .unwrap_or_default()
    })
}

/// The href of an internal link (`path` relative to the app's base): every `<a>` into the app is made with
/// this, so it works under a sub-path, and `router` handles the click without a reload.
pub fn app_href(path: &str) -> String {
    format!("{}{path}", app_base())
}
