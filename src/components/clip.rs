//! API text as lists show it: bounded, hidden control characters revealed, isolated for bidi.

use deploydeck_core::text::{clip, grouped, reveal};
use leptos::prelude::*;

/// API text in a list cell, a heading or a label: at most `max` characters, then how many were left out
/// (core `text::clip`), with hidden control characters shown (core `text::reveal`: a zero-width space or a
/// right-to-left override cannot disguise a name). With `expand` (a deployment's own page), the whole text is one click or key away
/// in a disclosure. Isolated for bidi (CSS `.clip`), so a right-to-left override in the data cannot
/// reorder the text around it.
#[component]
pub fn Clip(
    #[prop(into)] text: String,
    #[prop(default = 120)] max: usize,
    #[prop(optional)] expand: bool,
) -> impl IntoView {
    let text = reveal(&text).into_owned();
    let clipped = clip(&text, max);
    let shown = clipped.shown.to_owned();
    let note = clipped.note();
    let total = grouped(text.chars().count());
    view! {
        <span class="clip">{shown}</span>
        {note.map(|note| if expand {
            view! {
                <details class="clip-more">
                    <summary>{format!("Show all {total} characters")}</summary>
                    <span class="clip">{text}</span>
                </details>
            }.into_any()
        } else {
            view! { <span class="clipped">{note}</span> }.into_any()
        })}
    }
}

/// The same as plain text, for an attribute, an SVG label or a sentence.
pub fn clipped(text: &str, max: usize) -> String {
    let text = reveal(text);
    let c = clip(&text, max);
    match c.note() {
        Some(note) => format!("{}{note}", c.shown),
        None => c.shown.to_owned(),
    }
}
