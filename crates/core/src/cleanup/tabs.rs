//! A kept run across a browser's tabs: which tab runs it, and the commands the others send it.

use serde::{Deserialize, Serialize};

use super::run::CleanupRun;

/// What a tab that shows a kept run, but does not run it, asks of the tab that does (the Web Locks API keeps a
/// kept run to one tab; the others follow it and send these through the browser's storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunCommand {
    Pause,
    Resume,
    Cancel,
    RetryFailed,
}

#[derive(Serialize, Deserialize)]
struct CommandMessage {
    command: RunCommand,
    /// When it was sent: the same command twice is two messages (storage tells other tabs only of a change).
    sent_ms: u64,
}

impl RunCommand {
    /// Carries it out on the run.
    pub fn apply(self, run: &mut CleanupRun) {
        match self {
            RunCommand::Pause => run.pause(),
            RunCommand::Resume => run.resume(),
            RunCommand::Cancel => run.cancel(),
            RunCommand::RetryFailed => {
                run.retry_failed();
                run.resume();
            }
        }
    }

    /// Whether the run sends again after it.
    pub fn sends(self) -> bool {
        matches!(self, RunCommand::Resume | RunCommand::RetryFailed)
    }

    /// The message another tab reads.
    pub fn to_message(self, sent_ms: u64) -> String {
        serde_json::to_string(&CommandMessage {
            command: self,
            sent_ms,
        })
        .unwrap_or_default()
    }

    /// A message read back; `None` for anything else.
    pub fn from_message(text: &str) -> Option<RunCommand> {
        serde_json::from_str::<CommandMessage>(text)
            .ok()
            .map(|m| m.command)
    }
}

/// Which tab carries a kept run out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabRole {
    /// Asking the browser whether another tab runs it: nothing is sent meanwhile.
    Asking,
    /// This tab runs it (the other tabs follow).
    Runs,
    /// Another tab runs it: this one shows its progress, sends Pause, Resume and Cancel to it, and takes
    /// over if that tab closes.
    Follows,
    /// The browser cannot tell its tabs apart (no Web Locks): each tab that opens the run would send it.
    Unshared,
}

impl TabRole {
    /// Whether this tab sends the run's requests.
    pub fn sends(self) -> bool {
        matches!(self, TabRole::Runs | TabRole::Unshared)
    }

    /// What the run's panel says of it (nothing when this tab simply runs it).
    pub fn note(self) -> Option<&'static str> {
        match self {
            TabRole::Asking => Some("Checking whether another tab of this browser is running this cleanup…"),
            TabRole::Runs => None,
            TabRole::Follows => Some("This cleanup is running in another tab of this browser: its progress shows here, and Pause, Resume and Cancel reach that tab. If that tab closes, this one takes over where it stopped."),
            TabRole::Unshared => Some("This browser cannot tell its tabs apart (it has no Web Locks): keep this cleanup open in one tab only, or each tab would send its requests."),
        }
    }
}
