//! The views loaded on demand, named here and only here (the app itself, `app_root`, is one too; it is declared
//! at the root, `lib.rs`, as only the root may name `App`). The app carries the shell and the connect view;
//! checking a token (the access probe and its report), a repository's views, and each larger view come
//! in their own WebAssembly modules, fetched the first time they are needed (code several of them use lands
//! in a shared module fetched with the first). The mechanism is `crate::on_demand`.

use std::future::Future;
use std::pin::Pin;

use deploydeck_core::location::{AppLocation, View};
use deploydeck_core::model::DeploymentId;
use deploydeck_core::response::ApiError;
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::components::{AccessPanel, ErrorPanel};
use crate::net::api::{Api, Connected};
use crate::on_demand::{on_demand, ModuleLoadError};

on_demand! {
    /// The screens of one repository (navigation and overview), loading their module if needed;
    /// `preload_repo_screen` starts fetching it while a token is being checked.
    pub async fn repo_screen(location: AppLocation) -> AnyView;
    in repo_screen as repo_screen_view, preload preload_repo_screen via preload_repo_screen_module
    {
        view! { <crate::views::RepoViews location=location/> }.into_any()
    }
}

/// Starts fetching the module of the screen `view` names, beside the repository frame's (`repo_screen`): a deep
/// link's two modules then arrive together, not one after the other (issue 30). Harmless when they are here.
pub fn preload_screen(view: View) {
    match view {
        View::Overview => {}
        View::Create => preload_create_view(),
        View::History => preload_history_view(),
        View::Insights => preload_insights_view(),
        View::Deployment(_) => preload_deployment_page(),
        View::Reviews => preload_reviews_view(),
        View::Cleanup => preload_cleanup_view(),
    }
}

on_demand! {
    /// The Create view: the deployment and repository-dispatch forms.
    pub async fn create_view(location: AppLocation) -> AnyView;
    in create_view as create_view_module, preload preload_create_view via preload_create_view_module
    {
        view! { <crate::views::CreateView location=location/> }.into_any()
    }
}

on_demand! {
    /// The History view: every deployment, filtered, windowed, live.
    pub async fn history_view(location: AppLocation) -> AnyView;
    in history_view as history_view_module, preload preload_history_view via preload_history_view_module
    {
        view! { <crate::views::HistoryView location=location/> }.into_any()
    }
}

on_demand! {
    /// The Insights view: the four delivery measures per environment, with charts and exports.
    pub async fn insights_view(location: AppLocation) -> AnyView;
    in insights_view as insights_view_module, preload preload_insights_view via preload_insights_view_module
    {
        view! { <crate::views::InsightsView location=location/> }.into_any()
    }
}

on_demand! {
    /// The Reviews view: runs waiting for a review, approved or rejected here.
    pub async fn reviews_view(location: AppLocation) -> AnyView;
    in reviews_view as reviews_view_module, preload preload_reviews_view via preload_reviews_view_module
    {
        view! { <crate::views::ReviewsView location=location/> }.into_any()
    }
}

on_demand! {
    /// The Cleanup view: plan, preview, back up and run a bulk delete.
    pub async fn cleanup_view(location: AppLocation) -> AnyView;
    in cleanup_view as cleanup_view_module, preload preload_cleanup_view via preload_cleanup_view_module
    {
        view! { <crate::views::CleanupView location=location/> }.into_any()
    }
}

on_demand! {
    /// Cleanup's run — its progress, controls, failures and report — once a run is shown (not with the plan):
    /// what makes the panel (`OnDemandPart`).
    pub async fn cleanup_run() -> fn(crate::runs::Runner) -> AnyView;
    in cleanup_run as cleanup_run_module
    {
        (|runner| view! { <crate::views::RunPanel runner=runner/> }.into_any()) as fn(crate::runs::Runner) -> AnyView
    }
}

on_demand! {
    /// The runner of a repository's cleanup run (`runs::runner_for`), starting `start` when given — made when a
    /// run is started, or found kept on this device (a reload, another tab running it): the run's keeping, its
    /// following across tabs and the header's account come with the run's module, not with the plan.
    pub async fn cleanup_runner(state: crate::state::AppState, location: AppLocation, start: Option<deploydeck_core::cleanup::SavedRun>) -> Option<crate::runs::Runner>;
    in cleanup_run as cleanup_runner_module
    {
        crate::runs::runner_for(state, &location).inspect(|runner| {
            if let Some(saved) = start {
                runner.start(saved);
            }
        })
    }
}

on_demand! {
    /// Cleanup's last step: what will go, the backup, the pace and the script — once the plan is reviewed.
    pub async fn cleanup_confirm() -> fn(crate::views::ConfirmParts) -> AnyView;
    in cleanup_confirm as cleanup_confirm_module
    {
        (|parts| view! { <crate::views::Confirm parts=parts/> }.into_any()) as fn(crate::views::ConfirmParts) -> AnyView
    }
}

on_demand! {
    /// The environments a cleanup leaves empty, found and deleted on purpose — once asked for.
    pub async fn empty_environments() -> fn((Api, AppLocation)) -> AnyView;
    in cleanup_environments as empty_environments_module
    {
        (|(api, location)| view! { <crate::views::EmptyEnvironmentsPanel api=api location=location/> }.into_any())
            as fn((Api, AppLocation)) -> AnyView
    }
}

on_demand! {
    /// A cleanup run as a POSIX shell script (core's `cleanup::script`): made when the button is pressed.
    pub async fn cleanup_script_text(run: deploydeck_core::cleanup::CleanupRun, target: deploydeck_core::cleanup::script::ScriptFor) -> String;
    in cleanup_script as cleanup_script_module
    {
        deploydeck_core::cleanup::script::cleanup_script(&run, &target)
    }
}

on_demand! {
    /// One deployment's page: its statuses, followed live, and the post-a-status form.
    pub async fn deployment_page(location: AppLocation, id: DeploymentId, early: crate::views::EarlyReads) -> AnyView;
    in deployment_page as deployment_page_module, preload preload_deployment_page via preload_deployment_page_module
    {
        view! { <crate::views::DeploymentView location=location id=id early=early/> }.into_any()
    }
}

on_demand! {
    /// What will ship and doing a deployment again, on its page — once the deployment is read (not with the page).
    pub async fn ship_section() -> fn(crate::views::SectionParts) -> AnyView;
    in ship as ship_section_module
    {
        (|parts| view! { <crate::views::ShipSection parts=parts/> }.into_any()) as fn(crate::views::SectionParts) -> AnyView
    }
}

on_demand! {
    /// Deleting one deployment from its page, under the cleanup's guard rails — once the deployment is read.
    pub async fn delete_section() -> fn(crate::views::SectionParts) -> AnyView;
    in deployment_delete as delete_section_module
    {
        (|parts| view! { <crate::views::DeleteDeployment parts=parts/> }.into_any()) as fn(crate::views::SectionParts) -> AnyView
    }
}

on_demand! {
    /// Create's preview of what the ref would change — once a ref is chosen; the same module as the page's.
    pub async fn ship_preview() -> fn(crate::views::ShipPreviewParts) -> AnyView;
    in ship as ship_preview_module
    {
        (|parts| view! { <crate::views::ShipPreview parts=parts/> }.into_any()) as fn(crate::views::ShipPreviewParts) -> AnyView
    }
}

on_demand! {
    /// A repository's screen opened without a token: where the token would go, and the connect form. With the
    /// token check's code, which it is about to need.
    pub async fn connect_here(location: AppLocation) -> AnyView;
    in connect_check as connect_here_module
    {
        view! { <crate::views::ConnectHere location=location/> }.into_any()
    }
}

on_demand! {
    /// The fleet of a host (`/{host}/_fleet`): the pinned repositories' environments on one screen, or the
    /// connect form in place when no token is kept for that host.
    pub async fn fleet_screen() -> AnyView;
    in fleet_view as fleet_screen_module
    {
        view! { <crate::views::FleetRoute/> }.into_any()
    }
}

on_demand! {
    /// The fleet's insights (`/{host}/_insights`): each pinned repository's production measured.
    pub async fn fleet_insights(fleet: deploydeck_core::location::FleetLocation) -> AnyView;
    in fleet_insights as fleet_insights_module
    {
        view! { <crate::views::FleetInsightsView fleet=fleet/> }.into_any()
    }
}

on_demand! {
    /// The review inbox (`/{host}/_reviews`): every run waiting for a review in the pinned repositories, by
    /// commit.
    pub async fn fleet_reviews(fleet: deploydeck_core::location::FleetLocation) -> AnyView;
    in fleet_reviews as fleet_reviews_module
    {
        view! { <crate::views::InboxView fleet=fleet/> }.into_any()
    }
}

on_demand! {
    /// The connect screen's list of repositories opened before, with their pins.
    pub async fn recent_list() -> AnyView;
    in recent_list as recent_list_module
    {
        view! { <crate::views::RecentList/> }.into_any()
    }
}

type Probe = Pin<Box<dyn Future<Output = Result<Connected, ApiError>>>>;

on_demand! {
    /// Starts the access check of `api` in `repo` (GET /user, GET /repos/{owner}/{repo}, the scopes),
    /// loading the check's module if needed; `preload_connect_check` fetches it early.
    pub async fn start_probe(api: Api, repo: RepoRef) -> Probe;
    in connect_check as start_probe_module, preload preload_connect_check via preload_connect_check_module
    {
        Box::pin(async move { api.repo(&repo).probe_access().await })
    }
}

on_demand! {
    /// The report of a connect attempt: what the token can do, or why it was refused and what to do.
    pub async fn connect_result(result: Result<Connected, ApiError>) -> AnyView;
    in connect_check as connect_result_module
    {
        match result {
            Ok(connected) => {
                view! { <AccessPanel report=connected.report login=connected.user.login/> }.into_any()
            }
            Err(error) => view! { <ErrorPanel error=error context="Could not connect"/> }.into_any(),
        }
    }
}

/// What this token can do in `repo`. The outer error: the check's module could not be fetched.
pub async fn probe_access(
    api: Api,
    repo: RepoRef,
) -> Result<Result<Connected, ApiError>, ModuleLoadError> {
    Ok(start_probe(api, repo).await?.await)
}
