use deploydeck_core::response::ApiError;
use deploydeck_core::validate::{Field, Problems};
use leptos::prelude::*;

/// The problems of one field: the form's own checks, then what GitHub said about it (a 422), as one
/// sentence list under the field (`id` is what the input's `aria-describedby` names).
#[component]
pub fn FieldProblems(
    id: &'static str,
    field: Field,
    problems: RwSignal<Problems>,
    #[prop(into)] server: Signal<Option<ApiError>>,
) -> impl IntoView {
    let text = move || field_text(field, problems, server);
    view! { <p id=id class="field-error" aria-live="polite">{text}</p> }
}

fn field_text(
    field: Field,
    problems: RwSignal<Problems>,
    server: Signal<Option<ApiError>>,
) -> String {
    let mut lines: Vec<String> = problems.with(|p| p.for_field(field).map(str::to_owned).collect());
    server.with(|e| {
        if let Some(e) = e {
            lines.extend(e.messages_for(field));
        }
    });
    lines.join(" ")
}

/// `aria-invalid` for a field: "true" when it has a problem of either kind.
pub fn invalid(
    field: Field,
    problems: RwSignal<Problems>,
    server: Signal<Option<ApiError>>,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || {
        if field_text(field, problems, server).is_empty() {
            "false"
        } else {
            "true"
        }
    }
}

/// "Copy as curl" and "copy as gh api" for the request a form would send (core formats them, with the token
/// as `$GITHUB_TOKEN`). `commands` is `None` while the form has problems.
#[component]
pub fn CopyAs(#[prop(into)] commands: Signal<Option<(String, Option<String>)>>) -> impl IntoView {
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |which: &'static str, text: String| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(Some(which));
    };
    view! {
        <details class="copy-as" data-testid="copy-as">
            <summary>"Copy as curl / gh api"</summary>
            {move || match commands.get() {
                None => view! { <p class="muted">"Fix the fields marked above first: the command is the exact request."</p> }.into_any(),
                Some((curl, gh)) => view! {
                    <p class="hint">"The token is written as $GITHUB_TOKEN: set it in your shell, it is never copied."</p>
                    <div class="copy-block">
                        <button type="button" class="button subtle" on:click={
                            let curl = curl.clone();
                            move |_| copy("curl", curl.clone())
                        }>"Copy as curl"</button>
                        <pre data-testid="curl-command">{curl}</pre>
                    </div>
                    {match gh {
                        Some(gh) => view! {
                            <div class="copy-block">
                                <button type="button" class="button subtle" on:click={
                                    let gh = gh.clone();
                                    move |_| copy("gh api", gh.clone())
                                }>"Copy as gh api"</button>
                                <pre data-testid="gh-command">{gh}</pre>
                            </div>
                        }.into_any(),
                        None => view! { <p class="muted">"gh cannot address a custom API base; use the curl command."</p> }.into_any(),
                    }}
                    <p class="muted" aria-live="polite">{move || copied.get().map(|w| format!("Copied the {w} command."))}</p>
                }.into_any(),
            }}
        </details>
    }
}
