//! Pinning by typing: one or several `owner/name`, checked together; what is wrong is said per entry and
//! nothing typed is lost.

use deploydeck_core::fleet::Pinned;
use leptos::prelude::*;

#[component]
pub(super) fn PinForm(pinned: RwSignal<Pinned>, on_change: Callback<Pinned>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut list = pinned.get_untracked();
        match list.parse_typed(&typed.get_untracked()) {
            Ok(repos) => {
                for repo in repos {
                    list.add(repo);
                }
                problems.set(Vec::new());
                typed.set(String::new());
                on_change.run(list);
            }
            Err(refused) => problems.set(
                refused
                    .into_iter()
                    .map(|r| match r.entry.is_empty() {
                        true => r.why,
                        false => format!("“{}”: {}", r.entry, r.why),
                    })
                    .collect(),
            ),
        }
    };
    view! {
        <form class="pin-form" on:submit=submit aria-label="Pin repositories" novalidate>
            <label for="pin-repos">"Pin repositories (owner/name; several separated by commas or spaces)"</label>
            <div class="inline">
                <input id="pin-repos" type="text" autocomplete="off" spellcheck="false" placeholder="acme/web, acme/api"
                    aria-invalid=move || (!problems.with(Vec::is_empty)).to_string() aria-describedby="pin-problems"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" class="button primary" data-testid="pin">"Pin"</button>
            </div>
            <ul id="pin-problems" class="field-error" data-testid="pin-problems" aria-live="polite">
                {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        </form>
    }
}
