//! The repository dispatch form: an event type and a `client_payload` of at most 10 top-level keys, checked
//! before sending; 204 confirmed.

use deploydeck_core::location::AppLocation;
use deploydeck_core::model::DispatchEvent;
use deploydeck_core::validate::{pretty_json, DispatchDraft, Field};
use leptos::prelude::*;

use crate::components::{invalid, CopyAs, FieldProblems, FormState, Opened};
use crate::net::api::Api;
use crate::session::Draft;
use crate::views::diagnostics::WriteRefused;

#[component]
pub(super) fn DispatchForm(location: AppLocation, api: Api) -> impl IntoView {
    let repo = location.repo.clone();
    let Opened {
        form,
        draft,
        problems,
        last_error,
        server,
    } = FormState::<DispatchDraft>::open(Draft::Dispatch, &location);
    let gh = api.repo(&repo);
    let send = Action::new_local({
        let gh = gh.clone();
        move |body: &DispatchEvent| {
            let (gh, body) = (gh.clone(), body.clone());
            async move { gh.dispatch(&body).await.map(|()| body.event_type) }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = send.value().get() {
            last_error.set(result.err());
        }
    });
    let on_submit = form.on_submit(DispatchDraft::validate, move |body| {
        send.dispatch_local(body);
    });
    let commands = form.commands(DispatchDraft::validate, move |body| {
        (gh.dispatch_request(body), gh.api().base().clone())
    });
    let (event_type, set_event_type) = bind!(draft, event_type);
    let (payload, set_payload) = bind!(draft, client_payload);
    let format_payload = move |_| {
        draft.update(|d| {
            if let Some(pretty) = pretty_json(&d.client_payload) {
                d.client_payload = pretty;
            }
        })
    };
    view! {
        <form class="dispatch-form" on:submit=on_submit novalidate data-testid="dispatch-form" aria-labelledby="dispatch">
            <p class="hint">"Sends a repository_dispatch event: workflows with on: repository_dispatch (types: the event type) run, with client_payload in github.event."</p>
            <label for="dispatch-event-type">"Event type"</label>
            <input id="dispatch-event-type" type="text" autocomplete="off" spellcheck="false" placeholder="deploy-preview"
                aria-describedby="dispatch-event-type-error" aria-invalid=invalid(Field::EventType, problems, server)
                prop:value=event_type on:input=set_event_type/>
            <FieldProblems id="dispatch-event-type-error" field=Field::EventType problems server/>
            <label for="dispatch-payload">"Client payload (a JSON object, at most 10 top-level keys)"</label>
            <textarea id="dispatch-payload" rows="4" spellcheck="false" class="code" aria-describedby="dispatch-payload-error"
                aria-invalid=invalid(Field::ClientPayload, problems, server) prop:value=payload on:input=set_payload></textarea>
            <button type="button" class="button subtle" on:click=format_payload>"Format JSON"</button>
            <FieldProblems id="dispatch-payload-error" field=Field::ClientPayload problems server/>
            <button type="submit" class="button primary" disabled=move || send.pending().get() data-testid="send-dispatch">
                {move || if send.pending().get() { "Sending…" } else { "Send dispatch" }}
            </button>
            <CopyAs commands/>
            <div aria-live="polite" data-testid="dispatch-result">
                {move || send.value().get().map(|result| match result {
                    Ok(event_type) => view! {
                        <p class="ok" role="status">{format!("Sent: GitHub accepted the {event_type} event (204). Workflows listening for it start in the Actions tab.")}</p>
                    }.into_any(),
                    Err(error) => view! {
                        <WriteRefused error context="The dispatch was not sent" api=api.clone() repo=repo.clone()/>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}
