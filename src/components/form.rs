//! What every form shares: `FormState` (the kept draft, its problems, GitHub's refusal, the submit handler),
//! the problems under a field, and "copy as curl / gh api".

use deploydeck_core::http::HttpRequest;
use deploydeck_core::location::AppLocation;
use deploydeck_core::request::ApiBase;
use deploydeck_core::response::ApiError;
use deploydeck_core::share::{as_curl, as_gh_api};
use deploydeck_core::validate::{Field, Problems};
use leptos::prelude::*;

use crate::session::Draft;

/// The problems of one field: the form's own checks, then what GitHub said about it (a 422), as one
/// sentence list under the field (`id` is what the input's `aria-describedby` names).
#[component]
pub fn FieldProblems(
    id: &'static str,
    field: Field,
    #[prop(into)] problems: Signal<Problems>,
    #[prop(into)] server: Signal<Option<ApiError>>,
) -> impl IntoView {
    let text = move || field_text(field, problems, server);
    view! { <p id=id class="field-error" aria-live="polite">{text}</p> }
}

fn field_text(
    field: Field,
    problems: Signal<Problems>,
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
    problems: impl Into<Signal<Problems>>,
    server: Signal<Option<ApiError>>,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let problems = problems.into();
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

/// What every form of the app keeps: its draft (saved for the repository in this tab as it is typed, so
/// nothing is lost on an error, on navigation or on reload), the form's own problems, and GitHub's last
/// refusal (whose field errors sit on the fields).
/// A form opened by [`FormState::open`].
pub struct Opened<D: Send + Sync + 'static> {
    pub form: FormState<D>,
    pub draft: RwSignal<D>,
    pub problems: RwSignal<Problems>,
    pub last_error: RwSignal<Option<ApiError>>,
    /// GitHub's last refusal, as the fields read it.
    pub server: Signal<Option<ApiError>>,
}

pub struct FormState<D: Send + Sync + 'static> {
    pub draft: RwSignal<D>,
    pub problems: RwSignal<Problems>,
    pub last_error: RwSignal<Option<ApiError>>,
}

impl<D: Send + Sync + 'static> Clone for FormState<D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D: Send + Sync + 'static> Copy for FormState<D> {}

impl<D: Send + Sync + 'static> FormState<D> {
    /// A form starting from `draft` that keeps nothing (the connect form: its draft holds a token).
    pub fn new(draft: D) -> Self {
        FormState {
            draft: RwSignal::new(draft),
            problems: RwSignal::new(Problems::default()),
            last_error: RwSignal::new(None),
        }
    }

    pub fn server(&self) -> Signal<Option<ApiError>> {
        let last_error = self.last_error;
        Signal::derive(move || last_error.get())
    }

    /// The body to send when `validate` accepts the draft (the old problems and refusal cleared); else its
    /// problems go on their fields and nothing is sent.
    pub fn checked<B>(&self, validate: impl Fn(&D) -> Result<B, Problems>) -> Option<B> {
        match self.draft.with_untracked(validate) {
            Ok(body) => {
                self.problems.set(Problems::default());
                self.last_error.set(None);
                Some(body)
            }
            Err(problems) => {
                self.problems.set(problems);
                None
            }
        }
    }

    /// The form's submit handler: the draft checked by `validate`, then `send` with the body — or the problems
    /// on their fields and nothing sent.
    pub fn on_submit<B>(
        self,
        validate: impl Fn(&D) -> Result<B, Problems> + 'static,
        send: impl Fn(B) + 'static,
    ) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
        move |ev| {
            ev.prevent_default();
            if let Some(body) = self.checked(&validate) {
                send(body);
            }
        }
    }
}

impl<D> FormState<D>
where
    D: Clone + Default + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    /// A kept form as a view opens it (Create, dispatch, a deployment's status form): its state, its signals,
    /// and GitHub's last refusal as its fields show it.
    pub fn open(form: Draft, location: &AppLocation) -> Opened<D> {
        let state = Self::kept(form, location);
        Opened {
            form: state,
            draft: state.draft,
            problems: state.problems,
            last_error: state.last_error,
            server: state.server(),
        }
    }

    /// The draft named `form` for `location`'s repository, restored if one was kept.
    pub fn kept(form: Draft, location: &AppLocation) -> Self {
        let state = Self::new(crate::session::load_draft::<D>(form, location).unwrap_or_default());
        let (draft, location) = (state.draft, location.clone());
        Effect::new(move |_| draft.with(|d| crate::session::save_draft(form, &location, d)));
        state
    }

    /// "Copy as" commands for the request `request_for` makes from the draft, while the draft is valid.
    pub fn commands<B>(
        &self,
        validate: impl Fn(&D) -> Result<B, Problems> + Send + Sync + 'static,
        request_for: impl Fn(&B) -> (HttpRequest, ApiBase) + Send + Sync + 'static,
    ) -> Signal<Option<(String, Option<String>)>> {
        let draft = self.draft;
        Signal::derive(move || {
            draft.with(|d| validate(d).ok()).map(|body| {
                let (request, base) = request_for(&body);
                (as_curl(&request), as_gh_api(&request, &base))
            })
        })
    }
}
