//! A deployment state as a badge: words and colour, never colour alone.

use deploydeck_core::model::DeploymentState;
use leptos::prelude::*;

/// A deployment state in words and colour (never colour alone).
#[component]
pub fn StateBadge(state: Option<DeploymentState>) -> impl IntoView {
    let (class, label) = match state {
        Some(s) => (s.class(), s.label()),
        None => ("state-none", "No status"),
    };
    view! { <span class=format!("badge {class}")>{label}</span> }
}
