//! "Download as a script": the reviewed plan's writes as a POSIX shell script (core's `cleanup::script`), for
//! runs too long for a browser tab. Nothing is sent from the page; the file holds no token.

use deploydeck_core::cleanup::script::{cleanup_script, script_file_name, ScriptFor, ScriptPace};
use deploydeck_core::cleanup::{CleanupPlan, CleanupRun};
use deploydeck_core::location::AppLocation;
use leptos::prelude::*;

use crate::clock::now;
use crate::download::download;
use crate::net::api::Api;

/// The script's button with what it does; `pace_changed` is read so the pace shown follows a pause typed on
/// the confirmation, and `allowed` holds it back as the Start button is (the repository's name typed).
#[component]
pub(super) fn ScriptDownload(
    api: Api,
    location: AppLocation,
    plan: Memo<Option<CleanupPlan>>,
    #[prop(into)] pace_changed: Signal<String>,
    #[prop(into)] allowed: Signal<bool>,
) -> impl IntoView {
    let saved = RwSignal::new(None::<String>);
    let pace = {
        let api = api.clone();
        move || {
            pace_changed.track();
            ScriptPace::of(&api.pacing()).describe()
        }
    };
    let make = move |_| {
        let Some(plan) = plan.get_untracked() else {
            return;
        };
        let text = cleanup_script(
            &CleanupRun::new(&plan),
            &ScriptFor {
                repo: &location.repo,
                base: api.base(),
                host_label: &location.host.label(),
                pace: ScriptPace::of(&api.pacing()),
                made_at: now(),
            },
        );
        let name = script_file_name(&location.repo);
        download(&text, "text/x-shellscript", &name);
        saved.set(Some(format!("Saved as {name}. Run it with GITHUB_TOKEN=<token> sh {name} (DRY_RUN=1 lists its steps first); run it again to resume. Nothing was sent from this page.")));
    };
    view! {
        <div class="script-download" data-testid="script">
            <h3>"Or run it elsewhere"</h3>
            <p class="muted">
                "A POSIX shell script makes exactly these writes, in this order, with curl, one at a time ("
                {pace}"), waiting whenever GitHub asks. It reads the token from GITHUB_TOKEN — the file never holds one — notes each finished step beside itself, and resumes when run again."
            </p>
            <button type="button" class="button" on:click=make disabled=move || !allowed.get() data-testid="download-script">
                "Download as a script (sh, curl)"
            </button>
            <p role="status" aria-live="polite" data-testid="script-status">{move || saved.get()}</p>
        </div>
    }
}
