//! "Download as a script": the reviewed plan's writes as a POSIX shell script (core's `cleanup::script`), for
//! runs too long for a browser tab. Nothing is sent from the page; the file holds no token.

use deploydeck_core::cleanup::script::{script_file_name, ScriptFor, ScriptPace};
use deploydeck_core::cleanup::{CleanupPlan, CleanupRun};
use deploydeck_core::location::AppLocation;
use leptos::prelude::*;

use crate::clock::now;
use crate::download::download;
use crate::net::api::Api;
use crate::views::loader;

/// The script of a plan's run, for the confirmation: held back as its Start button is (`allowed`: the
/// repository's name typed), its pace following a pause typed there (`pace_changed`).
#[component]
pub(super) fn PlanScript(
    api: Api,
    location: AppLocation,
    plan: Memo<Option<CleanupPlan>>,
    #[prop(into)] pace_changed: Signal<String>,
    #[prop(into)] allowed: Signal<bool>,
) -> impl IntoView {
    // Made only when the button is pressed (a derived signal runs when read).
    let run = Signal::derive(move || plan.with(|p| p.as_ref().map(CleanupRun::new)));
    view! {
        <ScriptDownload api location run pace_changed allowed heading="Or run it elsewhere"
            note="Nothing was sent from this page."/>
    }
}

/// The script's button with what it does, over what `run` still has to do.
#[component]
pub(super) fn ScriptDownload(
    api: Api,
    location: AppLocation,
    run: Signal<Option<CleanupRun>>,
    #[prop(into)] pace_changed: Signal<String>,
    #[prop(into)] allowed: Signal<bool>,
    heading: &'static str,
    /// Said once the file is saved, after how to run it.
    note: &'static str,
) -> impl IntoView {
    let saved = RwSignal::new(None::<String>);
    let pace = {
        let api = api.clone();
        move || {
            pace_changed.track();
            ScriptPace::of(&api.pacing()).describe()
        }
    };
    // The script's text is made by its own module, fetched the first time it is asked for.
    let make = move |_| {
        let Some(run) = run.get_untracked() else {
            return;
        };
        let target = ScriptFor {
            repo: location.repo.clone(),
            base: api.base().clone(),
            host_label: location.host.label(),
            pace: ScriptPace::of(&api.pacing()),
            made_at: now(),
        };
        leptos::task::spawn_local(async move {
            let name = script_file_name(&target.repo);
            match loader::cleanup_script_text(run, target).await {
                Ok(text) => {
                    download(&text, "text/x-shellscript", &name);
                    saved.set(Some(format!("Saved as {name}. Run it with GITHUB_TOKEN=<token> sh {name} (DRY_RUN=1 lists its steps first); run it again to resume. {note}")));
                }
                Err(_) => saved.set(Some("The script's code could not be fetched (offline, or the site changed since this page loaded): reload the page and try again.".into())),
            }
        });
    };
    view! {
        <div class="script-download" data-testid="script">
            <h3>{heading}</h3>
            <p class="muted">
                "A POSIX shell script makes exactly the writes still to do, in their order, with curl, one at a time ("
                {pace}"), waiting whenever GitHub asks. It reads the token from GITHUB_TOKEN — the file never holds one — notes each finished step beside itself, and resumes when run again."
            </p>
            <button type="button" class="button" on:click=make disabled=move || !allowed.get() data-testid="download-script">
                "Download as a script (sh, curl)"
            </button>
            <p role="status" aria-live="polite" data-testid="script-status">{move || saved.get()}</p>
        </div>
    }
}
