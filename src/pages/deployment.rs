//! One deployment: what it is, its statuses (followed while the page is open, with conditional requests
//! that cost no quota when nothing changed), and a form to post a status — with a preview of what
//! auto-inactive will do.

use deploydeck_core::history::{format_duration, state_spans};
use deploydeck_core::location::AppLocation;
use deploydeck_core::model::{
    Deployment, DeploymentId, DeploymentState, DeploymentStatus, NewDeploymentStatus,
};
use deploydeck_core::response::ApiError;
use deploydeck_core::rules::{
    auto_inactive_targets, nothing_picked_it_up, AutoInactiveScope, DeploymentRecord,
};
use deploydeck_core::url::is_http_url;
use deploydeck_core::validate::{Field, StatusDraft};
use leptos::prelude::*;

use crate::api::Api;
use crate::components::{
    clipped, invalid, AccessDiagnostics, Clip, CopyAs, ErrorPanel, FieldProblems, FormState,
    StateBadge,
};
use crate::transport::now;
use crate::{app_href, AppState};

/// How often an open deployment page asks for new statuses (each ask is a conditional GET).
const WATCH_EVERY_MS: u32 = 5_000;

#[component]
pub fn DeploymentPage(location: AppLocation, id: DeploymentId) -> impl IntoView {
    let Some(api) = expect_context::<AppState>().scoped_connection() else {
        return ().into_any();
    };
    let repo = location.repo.clone();
    let deployment = LocalResource::new({
        let (api, repo) = (api.clone(), repo.clone());
        move || {
            let (api, repo) = (api.clone(), repo.clone());
            async move { api.deployment(&repo, id).await }
        }
    });
    // Statuses: loaded, then asked for again every few seconds while the tab is visible.
    let statuses = RwSignal::new(None::<Result<Vec<DeploymentStatus>, ApiError>>);
    let refresh = {
        let (api, repo) = (api.clone(), repo.clone());
        move || {
            let (api, repo) = (api.clone(), repo.clone());
            leptos::task::spawn_local(async move {
                let result = api.statuses(&repo, id).await;
                // A failed refresh keeps what was shown; only a first load shows the error.
                if result.is_ok() || statuses.get_untracked().is_none() {
                    statuses.set(Some(result));
                }
            });
        }
    };
    refresh();
    let clock = RwSignal::new(now());
    if let Ok(handle) = set_interval_with_handle(
        {
            let refresh = refresh.clone();
            move || {
                clock.set(now());
                if document().visibility_state() == web_sys::VisibilityState::Visible {
                    refresh();
                }
            }
        },
        std::time::Duration::from_millis(WATCH_EVERY_MS.into()),
    ) {
        on_cleanup(move || handle.clear());
    }

    view! {
        <section class="page" data-testid="deployment-page">
            <Suspense fallback=|| view! { <p class="loading" aria-busy="true">"Loading the deployment…"</p> }>
                {move || {
                    let (api, location, refresh) = (api.clone(), location.clone(), refresh.clone());
                    Suspend::new(async move {
                        match deployment.await {
                            Err(error) => view! {
                                <h1>{format!("Deployment {}", id.0)}</h1>
                                <ErrorPanel error=error context="Could not load the deployment" retry=move || deployment.refetch()/>
                            }.into_any(),
                            Ok(d) => view! {
                                <DeploymentDetails deployment=d.clone()/>
                                <h2>"Statuses"</h2>
                                <StatusList statuses created_at=d.created_at clock/>
                                <h2 id="post-status">"Post a status"</h2>
                                <StatusForm location=location.clone() api=api.clone() deployment=d.clone() on_posted=refresh/>
                                <super::delete_one::DeleteDeployment location api deployment=d/>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn DeploymentDetails(deployment: Deployment) -> impl IntoView {
    let d = deployment;
    let payload = (!d.payload.is_empty()).then(|| d.payload.pretty());
    view! {
        <h1>{format!("Deployment {} to {}", d.id.0, clipped(&d.environment, 120))}</h1>
        <dl class="facts">
            <dt>"Ref"</dt><dd><code><Clip text=d.git_ref.clone() max=500 expand=true/></code>" at "<code>{d.short_sha().to_owned()}</code></dd>
            <dt>"Task"</dt><dd><Clip text=d.task.clone() max=500 expand=true/></dd>
            <dt>"Environment"</dt><dd><Clip text=d.environment.clone() max=500 expand=true/>
                {d.transient_environment.then(|| view! { <span class="tag">"transient"</span> })}
                {d.production_environment.then(|| view! { <span class="tag">"production"</span> })}
            </dd>
            <dt>"Created"</dt><dd><time datetime=d.created_at.to_string()>{d.created_at.to_string()}</time>
                {format!(" by {}", clipped(d.creator_login().unwrap_or("unknown"), 40))}</dd>
            <dt>"Description"</dt><dd><Clip text=d.description.clone().unwrap_or_else(|| "—".into()) max=500 expand=true/></dd>
        </dl>
        {payload.map(|p| view! {
            <h2>"Payload"</h2>
            <pre class="payload" data-testid="payload">{p}</pre>
        })}
    }
}

#[component]
fn StatusList(
    statuses: RwSignal<Option<Result<Vec<DeploymentStatus>, ApiError>>>,
    created_at: deploydeck_core::Timestamp,
    clock: RwSignal<deploydeck_core::Timestamp>,
) -> impl IntoView {
    move || match statuses.get() {
        None => view! { <p class="loading" aria-busy="true">"Loading statuses…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorPanel error=error context="Could not load the statuses"/> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            let quiet = nothing_picked_it_up(created_at, clock.get(), 0);
            view! {
                <p data-testid="no-status">"No status yet. This page follows the deployment and shows statuses as they arrive."</p>
                {quiet.then(|| view! {
                    <div class="notice" role="status" data-testid="nothing-picked-up">
                        <p><strong>"Nothing has picked this deployment up yet."</strong></p>
                        <p>"Creating a deployment only records it and sends a deployment event. Something must act on that event and post statuses: a workflow with on: deployment (a deployment created with a personal token triggers it; one created with a workflow's GITHUB_TOKEN does not), a GitHub App or webhook listening for deployment events, or a person posting a status below."</p>
                    </div>
                })}
            }
            .into_any()
        }
        Some(Ok(list)) => {
            let now = clock.get();
            let spans = state_spans(&list, now);
            let timeline = spans
                .iter()
                .map(|s| match s.seconds {
                    Some(secs) => format!("{} {}", s.state.label(), format_duration(secs)),
                    None => s.state.label().to_owned(),
                })
                .collect::<Vec<_>>()
                .join(" → ");
            view! {
                <p class="spans" data-testid="state-spans"><strong>"Time in each state: "</strong>{timeline}</p>
                <ol class="statuses" data-testid="statuses">
                    {list.into_iter().map(|s| {
                        let log = s.log_link().filter(|u| is_http_url(u)).map(str::to_owned);
                        let env_url = Some(s.environment_url.clone()).filter(|u| is_http_url(u));
                        view! {
                            <li data-testid="status">
                                <StateBadge state=Some(s.state)/>
                                " "<time datetime=s.created_at.to_string()>{s.created_at.relative_to(now)}</time>
                                {format!(" by {} in {}", clipped(s.creator.as_ref().map(|c| c.login.as_str()).unwrap_or("unknown"), 40), clipped(&s.environment, 120))}
                                {(!s.description.is_empty()).then(|| view! { " — "<span class="description"><Clip text=s.description.clone() max=500 expand=true/></span> })}
                                {log.map(|u| view! { " " <a href=u rel="noopener noreferrer" target="_blank">"log"</a> })}
                                {env_url.map(|u| view! { " " <a href=u rel="noopener noreferrer" target="_blank">"environment"</a> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
            .into_any()
        }
    }
}

#[component]
fn StatusForm(
    location: AppLocation,
    api: Api,
    deployment: Deployment,
    on_posted: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let repo = location.repo.clone();
    let id = deployment.id;
    let form = FormState::<StatusDraft>::kept(format!("status-{}", id.0), &location);
    let FormState {
        draft,
        problems,
        last_error,
    } = form;
    let server = form.server();

    // The auto-inactive preview: which deployments a `success` here would mark inactive (core's rules
    // over the environment's deployments and their latest states).
    let environment = Memo::new({
        let current = deployment.environment.clone();
        move |_| {
            draft.with(|d| {
                let named = d.environment.trim();
                if named.is_empty() {
                    current.clone()
                } else {
                    named.to_owned()
                }
            })
        }
    });
    let records = LocalResource::new({
        let (api, repo) = (api.clone(), repo.clone());
        move || {
            let (api, repo, env) = (api.clone(), repo.clone(), environment.get());
            async move { api.environment_records(&repo, &env, 100).await }
        }
    });
    let current_environment = deployment.environment.clone();
    let preview = move || -> Option<Result<Vec<DeploymentId>, ApiError>> {
        let body = draft.with(|d| d.validate().ok())?;
        if body.state != DeploymentState::Success {
            return None;
        }
        let records = records.get()?;
        Some(records.map(|mut list: Vec<DeploymentRecord>| {
            if !list.iter().any(|r| r.id() == id) {
                list.push(DeploymentRecord::new(deployment.clone(), &[]));
            }
            auto_inactive_targets(&list, id, &body, AutoInactiveScope::default())
        }))
    };

    let post = Action::new_local({
        let (api, repo) = (api.clone(), repo.clone());
        move |body: &NewDeploymentStatus| {
            let (api, repo, body) = (api.clone(), repo.clone(), body.clone());
            async move { api.create_status(&repo, id, &body).await }
        }
    });
    Effect::new(move |_| match post.value().get() {
        Some(Ok(_)) => {
            last_error.set(None);
            records.refetch();
            on_posted();
        }
        Some(Err(error)) => last_error.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(body) = form.checked(StatusDraft::validate) {
            post.dispatch_local(body);
        }
    };
    let commands = form.commands(StatusDraft::validate, {
        let (api, repo) = (api.clone(), repo.clone());
        move |body| (api.status_request(&repo, id, body), api.base().clone())
    });
    let text = |get: fn(&StatusDraft) -> &String, set: fn(&mut StatusDraft, String)| {
        (
            move || draft.with(|d| get(d).clone()),
            move |ev| draft.update(|d| set(d, event_target_value(&ev))),
        )
    };
    let (description, set_description) = text(|d| &d.description, |d, v| d.description = v);
    let (log_url, set_log_url) = text(|d| &d.log_url, |d, v| d.log_url = v);
    let (environment_url, set_environment_url) =
        text(|d| &d.environment_url, |d, v| d.environment_url = v);
    let (env_name, set_env_name) = text(|d| &d.environment, |d, v| d.environment = v);
    let remaining = move || draft.with(|d| d.description_remaining());

    view! {
        <form class="status-form" on:submit=on_submit novalidate data-testid="status-form" aria-labelledby="post-status">
            <fieldset aria-describedby="status-state-error">
                <legend>"State"</legend>
                <div class="states">
                    {DeploymentState::ALL.into_iter().map(|s| view! {
                        <label class="choice">
                            <input type="radio" name="status-state" value=s.as_str()
                                checked=move || draft.with(|d| d.state == Some(s))
                                on:change=move |_| draft.update(|d| d.state = Some(s))/>
                            {s.label()}
                        </label>
                    }).collect_view()}
                </div>
                <FieldProblems id="status-state-error" field=Field::State problems server/>
            </fieldset>

            <label for="status-description">"Description"</label>
            <input id="status-description" type="text" autocomplete="off" aria-describedby="status-description-count status-description-error"
                aria-invalid=invalid(Field::Description, problems, server) prop:value=description on:input=set_description/>
            <p id="status-description-count" class="hint" class:over=move || remaining() < 0 aria-live="polite">
                {move || {
                    let left = remaining();
                    if left >= 0 { format!("{left} of 140 characters left") } else { format!("{} characters too many (GitHub allows 140)", -left) }
                }}
            </p>
            <FieldProblems id="status-description-error" field=Field::Description problems server/>

            <label for="status-log-url">"Log URL"</label>
            <input id="status-log-url" type="url" autocomplete="off" placeholder="https://…" aria-describedby="status-log-url-error"
                aria-invalid=invalid(Field::LogUrl, problems, server) prop:value=log_url on:input=set_log_url/>
            <FieldProblems id="status-log-url-error" field=Field::LogUrl problems server/>

            <label for="status-environment-url">"Environment URL"</label>
            <input id="status-environment-url" type="url" autocomplete="off" placeholder="https://…" aria-describedby="status-environment-url-error"
                aria-invalid=invalid(Field::EnvironmentUrl, problems, server) prop:value=environment_url on:input=set_environment_url/>
            <FieldProblems id="status-environment-url-error" field=Field::EnvironmentUrl problems server/>

            <label for="status-environment">"Environment"</label>
            <input id="status-environment" type="text" autocomplete="off" spellcheck="false" placeholder=current_environment.clone()
                aria-describedby="status-environment-hint status-environment-error"
                aria-invalid=invalid(Field::Environment, problems, server) prop:value=env_name on:input=set_env_name/>
            <p id="status-environment-hint" class="hint">{format!("Blank keeps it in {}; another name moves the deployment there.", clipped(&current_environment, 120))}</p>
            <FieldProblems id="status-environment-error" field=Field::Environment problems server/>

            <label class="choice">
                <input type="checkbox" prop:checked=move || draft.with(|d| d.auto_inactive)
                    on:change=move |ev| draft.update(|d| d.auto_inactive = event_target_checked(&ev))/>
                "Auto-inactive (GitHub's default: on): a success marks the earlier successful deployments of the same environment inactive."
            </label>
            <div class="auto-inactive-preview" aria-live="polite" data-testid="auto-inactive-preview">
                {
                    let location = location.clone();
                    move || preview().map(|result| match result {
                        Err(error) => view! { <ErrorPanel error=error context="Could not preview auto-inactive"/> }.into_any(),
                        Ok(ids) if ids.is_empty() => view! {
                            <p>"Posting this success marks no other deployment inactive."</p>
                        }.into_any(),
                        Ok(ids) => view! {
                            <p>{format!("Posting this success will mark {} earlier deployment{} of {} inactive:", ids.len(), if ids.len() == 1 { "" } else { "s" }, environment.get())}</p>
                            <ul class="preview-ids">
                                {ids.into_iter().map(|other| {
                                    let href = app_href(&location.with_view(deploydeck_core::location::View::Deployment(other)).path());
                                    view! { <li><a href=href data-testid="will-deactivate">{format!("Deployment {}", other.0)}</a></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    })
                }
            </div>

            <button type="submit" class="button primary" disabled=move || post.pending().get() data-testid="post-status">
                {move || if post.pending().get() { "Posting…" } else { "Post status" }}
            </button>
            <CopyAs commands/>
            <div aria-live="polite" data-testid="status-result">
                {move || post.value().get().map(|result| match result {
                    Ok(status) => view! { <p class="ok" role="status">{format!("Posted: {}.", status.state.label())}</p> }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel error=error.clone() context="The status was not posted"/>
                        <AccessDiagnostics error api=api.clone() repo=repo.clone()/>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}
