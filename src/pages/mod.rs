//! One module per view.

mod cleanup;
mod connect;
mod create;
mod deployment;
mod history;
mod overview;
mod repo;

pub use cleanup::CleanupView;
pub use connect::{ConnectForm, ConnectPage};
pub use create::CreateView;
pub use deployment::DeploymentPage;
pub use history::HistoryView;
pub use overview::Overview;
pub use repo::{RepoPage, RepoScreen};

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow" data-testid="not-found">
            <h1>"Nothing here"</h1>
            <p>"This address is not a Deploydeck screen. Links look like /github.com/OWNER/REPO/history."</p>
            <p><a href=crate::app_href("/")>"Start again"</a></p>
        </section>
    }
}
