//! The period chooser: the last 7, 30 or 90 days, or a range of days — carried by the address (core's `Span`),
//! so a period can be shared and survives a reload. The typed dates stay as typed until applied.

use deploydeck_core::insights::{day_of, Span, SPANS};
use leptos::prelude::*;

use crate::router::use_nav;

#[component]
pub(super) fn PeriodForm(
    span: Memo<Span>,
    /// The screen's address for a period.
    href_of: Callback<Span, String>,
) -> impl IntoView {
    let nav = use_nav();
    let go = StoredValue::new(move |s: Span| nav.replace(&href_of.run(s)));
    let (from, to) = match span.get_untracked() {
        Span::Range(a, b) => (day_of(a), day_of(b)),
        Span::Days(_) => (String::new(), String::new()),
    };
    let (from, to) = (RwSignal::new(from), RwSignal::new(to));
    let problem = RwSignal::new(None::<&'static str>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = format!(
            "from={}&to={}",
            from.get_untracked().trim(),
            to.get_untracked().trim()
        );
        match Span::from_query(&query) {
            range @ Span::Range(..) => {
                problem.set(None);
                go.with_value(|go| go(range));
            }
            Span::Days(_) => problem.set(Some(
                "Give both days of the range, as the date fields ask (year, month, day).",
            )),
        }
    };
    view! {
        <form class="period" on:submit=apply data-testid="insights-period">
            <fieldset>
                <legend>"Period"</legend>
                <span class="choices">{SPANS.into_iter().map(|days| view! {
                    <label class="choice">
                        <input type="radio" name="insights-days" value=days.to_string()
                            prop:checked=move || span.get() == Span::Days(days)
                            on:change=move |_| go.with_value(|go| go(Span::Days(days)))/>
                        {format!("Last {days} days")}
                    </label>
                }).collect_view()}</span>
                <span class="choices">
                    <label>"From "<input type="date" bind:value=from data-testid="insights-from"/></label>
                    <label>"to "<input type="date" bind:value=to data-testid="insights-to"/></label>
                    <button type="submit" class="button" data-testid="insights-apply">"Show this range"</button>
                </span>
                <p class="hint">"Whole days in UTC; a range is at most 366 days."</p>
                {move || problem.get().map(|p| view! { <p class="warning" role="alert" data-testid="insights-period-problem">{p}</p> })}
            </fieldset>
        </form>
    }
}
