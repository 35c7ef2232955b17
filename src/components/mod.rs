//! Small reusable widgets.

mod access_panel;
mod clip;
mod cost_question;
mod deployment_row;
mod error_panel;
mod failed_checks;
mod form;
mod host_name;
mod load_failed;
mod notice;
mod radio_group;
mod rate_gauge;
mod shipping;
mod state_badge;
mod time;

pub use access_panel::AccessPanel;
pub use clip::{clipped, Clip};
pub use cost_question::CostNotice;
pub use deployment_row::DeploymentRow;
pub use error_panel::ErrorPanel;
pub use failed_checks::FailedChecks;
pub use form::{invalid, CopyAs, FieldProblems, FormState, Opened};
pub use host_name::{ArrivalNote, HostName};
pub use load_failed::LoadFailed;
pub use notice::HeaderNotice;
pub use radio_group::RadioGroup;
pub use rate_gauge::RateGauge;
pub use shipping::Shipped;
pub use state_badge::StateBadge;
pub use time::Time;
