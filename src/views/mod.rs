//! The views, one module (or folder) each, and `loader`, the only module that names every view loaded on
//! demand. Views may use everything below them (components, net, state, router, …); nothing below imports
//! them.

mod cleanup;
mod connect;
mod create;
mod deployment;
pub mod diagnostics;
mod fleet;
mod history;
mod insights;
pub mod loader;
mod overview;
mod repo;
mod reviews;

pub use cleanup::CleanupView;
/// The parts of Cleanup that `loader` fetches on their own, after the screen itself.
pub(crate) use cleanup::{Confirm, ConfirmParts, EmptyEnvironmentsPanel, RunPanel};
pub use connect::{ConnectForm, ConnectView, RecentList};
pub use create::CreateView;
pub(crate) use create::{ShipPreview, ShipPreviewParts};
pub(crate) use deployment::{DeleteDeployment, SectionParts, ShipSection};
pub use deployment::{DeploymentView, EarlyReads};
pub use fleet::{ConnectFleet, FleetRoute, FleetTabs, FleetView, PinToggle};
pub use history::HistoryView;
pub use insights::{FleetInsightsView, InsightsView};
pub use overview::Overview;
pub use repo::{on_demand, on_demand_part, ConnectHere, OnDemandPart, RepoView, RepoViews};
pub use reviews::{InboxView, ReviewsView};

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow" data-testid="not-found">
            <h1>"Nothing here"</h1>
            <p>"This address is not a Deploydeck screen. Links look like /github.com/OWNER/REPO/history."</p>
            <p><a href=crate::href::app_href("/")>"Start again"</a></p>
        </section>
    }
}
