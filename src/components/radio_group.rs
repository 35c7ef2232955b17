//! A group of radio buttons for one choice: each with its label, the arrow keys moving within the group (the
//! browser's own radio behaviour, one Tab stop), the choice kept in a signal the caller owns.

use leptos::prelude::*;

#[component]
pub fn RadioGroup<T>(
    /// The group's `name` (one Tab stop for the group).
    name: &'static str,
    /// Each choice with its label, in order.
    choices: Vec<(T, &'static str)>,
    #[prop(into)] selected: Signal<T>,
    on_choose: impl Fn(T) + Copy + Send + Sync + 'static,
    /// The `value` attribute of each choice, where a form's value matters.
    #[prop(optional)]
    value: Option<fn(T) -> &'static str>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    choices
        .into_iter()
        .map(|(choice, label)| {
            view! {
                <label class="choice">
                    <input type="radio" name=name value=value.map(|v| v(choice))
                        checked=move || selected.get() == choice
                        on:change=move |_| on_choose(choice)/>
                    {label}
                </label>
            }
        })
        .collect_view()
}
