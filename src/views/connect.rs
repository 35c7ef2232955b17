//! The first screen: choose a host, paste a token, choose where it is kept, pick a repository — or try the
//! demo. Connecting checks, before anything else, what the token can do in that repository.

use deploydeck_core::access::Ability;
use deploydeck_core::connect::form::{new_token_pages, ConnectDraft, HostChoice, HostKindChoice};
use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::request::Token;
use deploydeck_core::response::ApiError;
use deploydeck_core::trust::KnownHosts;
use deploydeck_core::validate::{Field, Problems, RepoRef};
use leptos::prelude::*;

use crate::components::{invalid, FieldProblems, FormState, HostName, LoadFailed, RadioGroup};
use crate::href::app_href;
use crate::on_demand::ModuleLoadError;
use crate::router::use_nav;
use crate::session::{self, RecentRepo, TokenStorage};
use crate::state::AppState;
use crate::views::{loader, on_demand_part};

/// Where the demo opens.
pub const DEMO_PATH: &str = "/demo/acme/storefront/overview";

/// The repositories opened before on this device, each with its host, and a pin to its host's fleet. Loaded on
/// demand (the static first screen has no such list, and the form comes first).
#[component]
pub fn RecentList() -> impl IntoView {
    view! {
        <h2>"Recent repositories"</h2>
        <ul class="recent" data-testid="recent">
            {session::recent_repos().into_iter().map(|r| {
                let (host, repo) = (r.host.clone(), r.repo.clone());
                let pinned = RwSignal::new(session::pinned(&host).contains(&repo));
                let name = r.repo.to_string();
                let label = move || format!("{} {name} to the fleet", if pinned.get() { "Pinned" } else { "Pin" });
                view! { <li><a href=app_href(&r.location().path())>{format!("{} on ", r.repo)}<HostName host=r.host.shown()/></a>" "
                    <button type="button" class="link-button" data-testid="recent-pin" aria-label=label aria-pressed=move || pinned.get().to_string()
                        on:click=move |_| pinned.set(session::toggle_pinned(&host, &repo))>{move || if pinned.get() { "Pinned" } else { "Pin" }}</button></li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ConnectView() -> impl IntoView {
    let recent = session::recent_repos();
    view! {
        <section class="page narrow connect-page">
            <h1>"GitHub Deployments, from your browser"</h1>
            <p class="lede">
                "Create deployments and statuses, read every deployment's history and clean up inactive ones in bulk — "
                "on github.com and GitHub Enterprise Server. Your token stays in this browser and goes only to the API host you choose."
            </p>
            <div class="demo-call">
                <a href=app_href(DEMO_PATH) class="button primary" data-testid="try-demo">"Try the demo"</a>
                <span class="muted">"A simulated repository inside this page: no token, nothing sent anywhere."</span>
            </div>
            <h2>"Connect"</h2>
            <ConnectForm initial=ConnectDraft::default() target=None carried=true/>
            {(!recent.is_empty()).then(|| on_demand_part(loader::recent_list()))}
        </section>
    }
}

/// The connect form. `target`: the path to open once connected (else the chosen repository's overview).
/// `carried`: the first screen's form, which takes over what was typed on the static copy of it (`boot`).
/// `linked`: a link chose the host (a repository's screen opened without a token), so a host never connected
/// to from this browser needs an explicit yes before the token goes to it (`deploydeck_core::trust`).
#[component]
pub fn ConnectForm(
    initial: ConnectDraft,
    target: Option<String>,
    #[prop(optional)] carried: bool,
    #[prop(optional)] linked: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let nav = use_nav();
    let (initial, kept_in, connect_now) = match carried.then(crate::boot::carried).flatten() {
        Some(c) => (c.draft, c.storage, c.connect),
        None => (initial, TokenStorage::Tab, false),
    };
    let form = FormState::new(initial);
    let (draft, problems) = (form.draft, form.problems);
    let storage = RwSignal::new(kept_in);

    let connect = Action::new_local(move |input: &(HostChoice, Token, RepoRef, TokenStorage)| {
        let (host, token, repo, storage_choice) = input.clone();
        let target = target.clone();
        loader::preload_repo_screen();
        async move {
            let before = state.connection.get_untracked();
            let Some(api) = state.connect(host.clone(), Some(token.clone())) else {
                return Ok(Err(ApiError::Network {
                    message: "this API address cannot be used".into(),
                }));
            };
            let reused = before.as_ref() == Some(&api);
            let connected = match loader::probe_access(api, repo.clone()).await {
                Ok(Ok(connected)) => connected,
                failed => {
                    // A refused token (or one whose check could not run) leaves nothing behind: no connection,
                    // no gauge, nothing stored. The connection that was open already (the same host and
                    // token, another repository: a typo in its name) stays, with any cleanup run on it.
                    if !reused {
                        state.disconnect();
                    }
                    return failed;
                }
            };
            if let Ok(base) = host.api_base() {
                session::save_token(&base, &token, storage_choice);
            }
            session::remember_host(&host);
            session::remember_repo(RecentRepo {
                host: host.clone(),
                repo: repo.clone(),
            });
            if connected.report.read_deployments != Ability::No {
                let path =
                    target.unwrap_or_else(|| AppLocation::new(host, repo, View::Overview).path());
                nav.navigate(&path);
            }
            Ok::<_, ModuleLoadError>(Ok(connected))
        }
    });

    // The token check's code is fetched once the form is first used, so pressing Connect waits only for GitHub.
    let preloaded = StoredValue::new(false);
    let preload = move |_| {
        if !preloaded.get_value() {
            preloaded.set_value(true);
            loader::preload_connect_check();
        }
    };

    let send = move |(host, token, repo): (HostChoice, Token, RepoRef)| {
        connect.dispatch_local((host, token, repo, storage.get_untracked()));
    };
    // Connect was pressed on the static first screen before the app arrived: do what was asked.
    if connect_now {
        if let Some(checked) = form.checked(ConnectDraft::validate) {
            send(checked);
        }
    }
    // On the first screen the person typed the host; on a screen a link opened, a new host needs a yes.
    let known = StoredValue::new(linked.then(session::known_hosts));
    let submit = form.on_submit(
        move |d: &ConnectDraft| match known.read_value().as_ref() {
            Some(known) => d.validate_linked(known),
            None => d.validate(),
        },
        send,
    );

    let problems_signal = Signal::derive(move || problems.get());
    let no_server = form.server();

    view! {
        <form class="connect-form" on:submit=submit on:focusin=preload novalidate data-testid="connect-form">
            <HostFields draft problems=problems_signal/>
            <TokenField draft problems=problems_signal/>

            <fieldset>
                <legend>"Keep the token"</legend>
                <RadioGroup name="token-storage" value=TokenStorage::value selected=storage
                    on_choose=move |choice| storage.set(choice)
                    choices=TokenStorage::ALL.into_iter().map(|c| (c, c.label())).collect()/>
                <Show when=move || storage.get() == TokenStorage::Device>
                    <p class="warning" role="note">
                        "Kept in this browser's local storage until you choose “Forget token”: anyone using this browser profile, and any script that ever runs on this site, could read it. Prefer “This tab only” on shared machines."
                    </p>
                </Show>
            </fieldset>

            <label for="repo">"Repository"</label>
            <input id="repo" type="text" placeholder="owner/name" list="recent-repos" autocomplete="off"
                aria-describedby="repo-error" aria-invalid=invalid(Field::Repository, problems_signal, no_server)
                prop:value=move || draft.with(|d| d.repo.clone())
                on:input=move |ev| draft.update(|d| d.repo = event_target_value(&ev))/>
            <datalist id="recent-repos">
                {session::recent_repos().into_iter().map(|r| view! { <option value=r.repo.to_string()/> }).collect_view()}
            </datalist>
            <FieldProblems id="repo-error" field=Field::Repository problems=problems_signal server=no_server/>

            <TokenDestination draft known problems=problems_signal/>

            <button type="submit" class="button primary" disabled=move || connect.pending().get() data-testid="connect">
                {move || if connect.pending().get() { "Checking the token…" } else { "Connect" }}
            </button>

            <div class="connect-result" aria-live="polite">
                {move || connect.value().get().map(|outcome| match outcome {
                    Ok(result) => view! {
                        <Suspense>
                            {Suspend::new(async move {
                                loader::connect_result(result)
                                    .await
                                    .unwrap_or_else(|error| view! { <LoadFailed error/> }.into_any())
                            })}
                        </Suspense>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                })}
            </div>
        </form>
    }
}

/// The yes a host a link chose needs before the token goes to it: bound to that host's origin, so it is no
/// yes to another host typed in its place.
#[component]
fn TokenDestination(
    draft: RwSignal<ConnectDraft>,
    known: StoredValue<Option<KnownHosts>>,
    problems: Signal<Problems>,
) -> impl IntoView {
    let no_server = Signal::derive(|| None::<ApiError>);
    let question = Memo::new(move |_| {
        let known = known.read_value();
        draft.with(|d| known.as_ref().and_then(|k| d.question(k)))
    });
    move || {
        question.get().map(|q| {
            let origin = q.origin.clone();
            let answered = move || draft.with(|d| d.trusted.as_deref() == Some(q.origin.as_str()));
            view! {
                <div data-testid="token-destination">
                    <label class="choice">
                        <input type="checkbox" aria-describedby="destination-error"
                            aria-invalid=invalid(Field::TokenDestination, problems, no_server)
                            prop:checked=answered
                            on:change=move |ev| {
                                let yes = event_target_checked(&ev);
                                draft.update(|d| d.trusted = yes.then(|| origin.clone()));
                            }/>
                        {q.label}
                    </label>
                    <FieldProblems id="destination-error" field=Field::TokenDestination problems server=no_server/>
                </div>
            }
        })
    }
}

/// Where: github.com, a GHES host, or a custom API address (only what the page's policy can reach).
#[component]
fn HostFields(draft: RwSignal<ConnectDraft>, problems: Signal<Problems>) -> impl IntoView {
    let no_server = Signal::derive(|| None::<ApiError>);
    let kind = move || draft.with(|d| d.kind);
    view! {
        <fieldset>
            <legend>"Where"</legend>
            <RadioGroup name="host-kind" value=HostKindChoice::value selected=Signal::derive(kind)
                on_choose=move |k| draft.update(|d| d.kind = k)
                choices=HostKindChoice::ALL.into_iter().map(|k| (k, k.label())).collect()/>
            <Show when=move || kind() == HostKindChoice::Enterprise>
                <label for="ghes-host">"Enterprise host"</label>
                <input id="ghes-host" type="text" placeholder="ghe.example.com" autocomplete="url"
                    aria-describedby="host-error" aria-invalid=invalid(Field::ApiBase, problems, no_server)
                    prop:value=move || draft.with(|d| d.enterprise_host.clone())
                    on:input=move |ev| draft.update(|d| d.enterprise_host = event_target_value(&ev))/>
                <p class="hint">"Deploydeck calls https://HOST/api/v3."</p>
            </Show>
            <Show when=move || kind() == HostKindChoice::Custom>
                <label for="custom-base">"API base URL"</label>
                <input id="custom-base" type="url" placeholder="http://127.0.0.1:8787"
                    aria-describedby="custom-base-hint host-error" aria-invalid=invalid(Field::ApiBase, problems, no_server)
                    prop:value=move || draft.with(|d| d.custom_base.clone())
                    on:input=move |ev| draft.update(|d| d.custom_base = event_target_value(&ev))/>
                <p id="custom-base-hint" class="hint">"An https:// address, or http:// on this computer (127.0.0.1 or localhost): this page's security policy reaches nothing else."</p>
            </Show>
            <FieldProblems id="host-error" field=Field::ApiBase problems server=no_server/>
        </fieldset>
    }
}

/// The token, what it needs, and where to make one (a classic token with the scope pre-selected).
#[component]
fn TokenField(draft: RwSignal<ConnectDraft>, problems: Signal<Problems>) -> impl IntoView {
    let no_server = Signal::derive(|| None::<ApiError>);
    let pages = move || draft.with(|d| new_token_pages(d.kind, &d.enterprise_host));
    view! {
        <label for="token">"Personal access token"</label>
        <input id="token" type="password" autocomplete="off" spellcheck="false"
            placeholder="ghp_… or github_pat_…" aria-describedby="token-hint token-error"
            aria-invalid=invalid(Field::Token, problems, no_server)
            prop:value=move || draft.with(|d| d.token.clone())
            on:input=move |ev| draft.update(|d| d.token = event_target_value(&ev))/>
        <p id="token-hint" class="hint">
            "Classic token: the repo_deployment scope (or repo). Fine-grained token: this repository with “Deployments: read and write”."
        </p>
        <p class="hint token-links" data-testid="token-links">
            {move || match pages() {
                Some((classic, fine)) => view! {
                    "Make one: "
                    <a href=classic target="_blank" rel="noopener noreferrer">"a classic token with repo_deployment ticked"</a>
                    " or "
                    <a href=fine target="_blank" rel="noopener noreferrer">"a fine-grained token"</a>
                    " (opens in a new tab)."
                }.into_any(),
                None => view! { "A custom server has its own tokens: fake-github prints them when it starts (make fake: demo-token)." }.into_any(),
            }}
        </p>
        <FieldProblems id="token-error" field=Field::Token problems server=no_server/>
    }
}
