//! A moment as every screen shows it: relative ("3 hours ago"), the exact time in UTC on hover and in
//! `datetime`; with `exact`, written out beside it too (a deployment's own page).

use deploydeck_core::Timestamp;
use leptos::prelude::*;

#[component]
pub fn Time(at: Timestamp, now: Timestamp, #[prop(optional)] exact: bool) -> impl IntoView {
    let readable = at.readable();
    view! {
        <time datetime=at.to_string() title=readable.clone()>{at.relative_to(now)}</time>
        {exact.then(|| view! { <span class="muted">{format!(" ({readable})")}</span> })}
    }
}
