//! Every field rule the API enforces or implies, checked before a request is sent. Each check returns all
//! problems at once, each tied to its field, in words a person understands; a draft that passes becomes the
//! request body that `request` sends.
//!
//! Drafts hold what the user typed, as typed, so a form can be restored from them (they are serialisable
//! for the per-repository draft kept in sessionStorage).

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::github::model::{
    DeploymentState, DispatchEvent, NewDeployment, NewDeploymentStatus, Payload, RequiredContexts,
};
use crate::url::{is_hidden_char, HttpUrl};

/// The form fields Deploydeck validates. `api_name` ties a field to the name GitHub uses in a 422 body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Ref,
    Task,
    Environment,
    Description,
    Payload,
    RequiredContexts,
    State,
    LogUrl,
    EnvironmentUrl,
    TargetUrl,
    EventType,
    ClientPayload,
    Repository,
    ApiBase,
    Token,
    /// The yes to sending a token to a host a link chose (`crate::connect::trust`).
    TokenDestination,
    /// The cleanup selection's fields (not sent to GitHub).
    Sha,
    Creators,
    OlderThanDays,
    KeepNewest,
    IdleHours,
}

impl Field {
    /// The JSON member this field is sent as (`None` for fields that are not part of a body).
    pub fn api_name(self) -> Option<&'static str> {
        Some(match self {
            Field::Ref => "ref",
            Field::Task => "task",
            Field::Environment => "environment",
            Field::Description => "description",
            Field::Payload => "payload",
            Field::RequiredContexts => "required_contexts",
            Field::State => "state",
            Field::LogUrl => "log_url",
            Field::EnvironmentUrl => "environment_url",
            Field::TargetUrl => "target_url",
            Field::EventType => "event_type",
            Field::ClientPayload => "client_payload",
            Field::Repository
            | Field::ApiBase
            | Field::Token
            | Field::TokenDestination
            | Field::Sha
            | Field::Creators
            | Field::OlderThanDays
            | Field::KeepNewest
            | Field::IdleHours => return None,
        })
    }

    /// The field GitHub means by `name` in a validation error, if it is one of ours.
    pub fn from_api_name(name: &str) -> Option<Field> {
        const BODY_FIELDS: [Field; 12] = [
            Field::Ref,
            Field::Task,
            Field::Environment,
            Field::Description,
            Field::Payload,
            Field::RequiredContexts,
            Field::State,
            Field::LogUrl,
            Field::EnvironmentUrl,
            Field::TargetUrl,
            Field::EventType,
            Field::ClientPayload,
        ];
        BODY_FIELDS.into_iter().find(|f| f.api_name() == Some(name))
    }

    /// The label the form shows for this field.
    pub fn label(self) -> &'static str {
        match self {
            Field::Ref => "Ref",
            Field::Task => "Task",
            Field::Environment => "Environment",
            Field::Description => "Description",
            Field::Payload => "Payload",
            Field::RequiredContexts => "Required checks",
            Field::State => "State",
            Field::LogUrl => "Log URL",
            Field::EnvironmentUrl => "Environment URL",
            Field::TargetUrl => "Target URL",
            Field::EventType => "Event type",
            Field::ClientPayload => "Client payload",
            Field::Repository => "Repository",
            Field::ApiBase => "API address",
            Field::Token => "Token",
            Field::TokenDestination => "Send the token",
            Field::Sha => "SHA",
            Field::Creators => "Created by",
            Field::OlderThanDays => "Older than (days)",
            Field::KeepNewest => "Keep the newest per environment",
            Field::IdleHours => "Nothing new for more than (hours)",
        }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.message)
    }
}

/// Every problem found in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", crate::text::count(.0.len(), "field needs attention", "fields need attention"))]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    /// Records a problem with `field`.
    pub fn add(&mut self, field: Field, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// `Ok(value())` when there is no problem.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages for one field, for the form to show beside it.
    pub fn for_field(&self, field: Field) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.0.iter().map(|e| e.field)
    }
}

// ---- single-value rules ----

/// Checks a branch or tag name against `git check-ref-format` (with `--allow-onelevel`, since branch names
/// are one level under `refs/heads/`), or accepts a 7–40 character hex SHA. The `Err` is a sentence.
pub fn check_git_ref(text: &str) -> Result<(), &'static str> {
    if text.is_empty() {
        return Err("Enter a branch, tag or commit SHA to deploy.");
    }
    if is_commit_sha(text) {
        return Ok(());
    }
    if text.chars().any(char::is_whitespace) {
        return Err("A ref cannot contain spaces.");
    }
    if text.chars().any(|c| c.is_control()) {
        return Err("A ref cannot contain control characters.");
    }
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, '~' | '^' | ':' | '?' | '*' | '[' | '\\'))
    {
        return Err(match c {
            '~' => "A ref cannot contain “~”.",
            '^' => "A ref cannot contain “^”.",
            ':' => "A ref cannot contain “:”.",
            '?' => "A ref cannot contain “?”.",
            '*' => "A ref cannot contain “*”.",
            '[' => "A ref cannot contain “[”.",
            _ => "A ref cannot contain a backslash.",
        });
    }
    if text == "@" {
        return Err("A ref cannot be the single character “@”.");
    }
    if text.contains("@{") {
        return Err("A ref cannot contain “@{”.");
    }
    if text.contains("..") {
        return Err("A ref cannot contain “..”.");
    }
    if text.starts_with('/') || text.ends_with('/') || text.contains("//") {
        return Err("A ref cannot start or end with “/” or contain “//”.");
    }
    if text.ends_with('.') {
        return Err("A ref cannot end with “.”.");
    }
    if text.starts_with('-') {
        return Err("A ref cannot start with “-”.");
    }
    for component in text.split('/') {
        if component.starts_with('.') {
            return Err("No part of a ref (between slashes) can start with “.”.");
        }
        if component.ends_with(".lock") {
            return Err("No part of a ref (between slashes) can end with “.lock”.");
        }
    }
    Ok(())
}

/// 7 to 40 hexadecimal digits: an abbreviated or full commit SHA.
pub fn is_commit_sha(text: &str) -> bool {
    (7..=40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An http(s) URL for `log_url`, `environment_url` or `target_url`.
pub fn check_http_url(text: &str) -> Result<(), String> {
    HttpUrl::parse(text)
        .map(|_| ())
        .map_err(|problem| format!("This address {problem}."))
}

/// The most characters GitHub allows in an environment name (docs/github-api.md §7.5).
pub const ENVIRONMENT_NAME_MAX: usize = 255;
/// The most characters in a status description (docs/github-api.md §7.3).
pub const STATUS_DESCRIPTION_MAX: usize = 140;

/// A status description GitHub would refuse (over [`STATUS_DESCRIPTION_MAX`] characters), said on its field:
/// the post-a-status form's and the bulk status's.
pub fn check_status_description(description: &str, problems: &mut Problems) {
    let count = description.chars().count();
    if count > STATUS_DESCRIPTION_MAX {
        problems.add(
            Field::Description,
            format!(
                "A status description can have at most {STATUS_DESCRIPTION_MAX} characters; this one has {count}."
            ),
        );
    }
}
/// `event_type` length bounds (docs/github-api.md §8.8).
pub const EVENT_TYPE_MAX: usize = 100;
/// `client_payload`: at most this many top-level keys…
pub const CLIENT_PAYLOAD_MAX_KEYS: usize = 10;
/// …and its JSON under this many bytes.
pub const CLIENT_PAYLOAD_MAX_BYTES: usize = 64 * 1024;

fn check_environment_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("Enter an environment name, for example production or staging.".into());
    }
    let count = name.chars().count();
    if count > ENVIRONMENT_NAME_MAX {
        return Err(format!(
            "An environment name can have at most {ENVIRONMENT_NAME_MAX} characters; this one has {count}."
        ));
    }
    if name.chars().any(is_hidden_char) {
        return Err("An environment name cannot contain control or invisible characters.".into());
    }
    // GitHub would take it for a deployment, but no request about the environment could ever reach it: its
    // name becomes a step of the API address, and every URL parser rewrites `.` and `..` (docs/github-api.md §1).
    if crate::url::dot_segment_problem(name).is_some() {
        return Err(format!(
            "An environment cannot be named “{name}”: its name goes into API addresses, where “{name}” means another folder, so it could never be read, protected or deleted. Choose another name."
        ));
    }
    Ok(())
}

/// Parses a JSON object typed by the user. `what` names it in the message ("The payload").
/// `text` re-indented (two spaces; the shipped build lists object keys sorted), when it is valid JSON: the
/// editors' "Format" button. `None` leaves the text as typed (the field's problem says why).
pub fn pretty_json(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

fn parse_json_object(text: &str, what: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "{what} must be a JSON object ({{ … }}), not {}.",
            json_kind(&other)
        )),
        Err(e) => Err(format!("{what} is not valid JSON: {e}.")),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---- create-deployment ----

/// How the payload field is read: as a JSON object or as plain text (GitHub takes either, docs/github-api.md §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    #[default]
    Json,
    Text,
}

/// The three meanings of `required_contexts`, as the form offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextsChoice {
    /// Leave the field out: every check on the commit must pass.
    #[default]
    AllChecks,
    /// Send `[]`: no check is looked at.
    SkipChecks,
    /// Only the listed contexts must pass.
    Only,
}

/// `production_environment`: GitHub's default (true only for `production`) or an explicit choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductionChoice {
    #[default]
    ApiDefault,
    Yes,
    No,
}

/// The create-deployment form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeploymentDraft {
    pub git_ref: String,
    pub task: String,
    pub environment: String,
    pub description: String,
    pub payload_kind: PayloadKind,
    pub payload: String,
    pub contexts_choice: ContextsChoice,
    /// Context names separated by commas or new lines (used when `contexts_choice` is `Only`).
    pub contexts: String,
    pub auto_merge: bool,
    pub transient_environment: bool,
    pub production_environment: ProductionChoice,
}

impl Default for DeploymentDraft {
    /// GitHub's own defaults (docs/github-api.md §8.2), shown pre-filled.
    fn default() -> Self {
        DeploymentDraft {
            git_ref: String::new(),
            task: "deploy".into(),
            environment: "production".into(),
            description: String::new(),
            payload_kind: PayloadKind::Json,
            payload: String::new(),
            contexts_choice: ContextsChoice::AllChecks,
            contexts: String::new(),
            auto_merge: true,
            transient_environment: false,
            production_environment: ProductionChoice::ApiDefault,
        }
    }
}

/// Splits a context list typed with commas or new lines.
pub fn split_context_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl DeploymentDraft {
    /// Every problem at once, or the body to send. Fields equal to GitHub's defaults are left out, except
    /// `environment`, which is always sent so the request says where it deploys.
    pub fn validate(&self) -> Result<NewDeployment, Problems> {
        let mut problems = Problems::default();

        let git_ref = self.git_ref.trim();
        if let Err(message) = check_git_ref(git_ref) {
            problems.add(Field::Ref, message);
        }

        let task = self.task.trim();
        if task.chars().any(is_hidden_char) {
            problems.add(
                Field::Task,
                "A task cannot contain control or invisible characters.",
            );
        }

        let environment = self.environment.trim();
        if let Err(message) = check_environment_name(environment) {
            problems.add(Field::Environment, message);
        }

        let payload = match self.payload_kind {
            PayloadKind::Json if self.payload.trim().is_empty() => None,
            PayloadKind::Json => match parse_json_object(&self.payload, "The payload") {
                Ok(map) => Some(Payload::Object(map)),
                Err(message) => {
                    problems.add(
                        Field::Payload,
                        format!("{message} Switch to plain text to send it as a string."),
                    );
                    None
                }
            },
            PayloadKind::Text if self.payload.is_empty() => None,
            PayloadKind::Text => Some(Payload::Text(self.payload.clone())),
        };

        let required_contexts = match self.contexts_choice {
            ContextsChoice::AllChecks => RequiredContexts::AllChecks,
            ContextsChoice::SkipChecks => RequiredContexts::SkipChecks,
            ContextsChoice::Only => {
                let list = split_context_list(&self.contexts);
                let mut seen = HashSet::new();
                let duplicates: Vec<&str> = list
                    .iter()
                    .filter(|c| !seen.insert(c.as_str()))
                    .map(String::as_str)
                    .collect();
                if list.is_empty() {
                    problems.add(
                        Field::RequiredContexts,
                        "List at least one check name, or choose “skip checks” to check nothing.",
                    );
                } else if !duplicates.is_empty() {
                    problems.add(
                        Field::RequiredContexts,
                        format!(
                            "Each check should be listed once; repeated: {}.",
                            duplicates.join(", ")
                        ),
                    );
                }
                RequiredContexts::Only(list)
            }
        };

        problems.into_result(|| NewDeployment {
            git_ref: git_ref.to_owned(),
            task: (!task.is_empty() && task != "deploy").then(|| task.to_owned()),
            auto_merge: (!self.auto_merge).then_some(false),
            required_contexts,
            payload,
            environment: Some(environment.to_owned()),
            description: (!self.description.trim().is_empty()).then(|| self.description.clone()),
            transient_environment: self.transient_environment.then_some(true),
            production_environment: match self.production_environment {
                ProductionChoice::ApiDefault => None,
                ProductionChoice::Yes => Some(true),
                ProductionChoice::No => Some(false),
            },
        })
    }

    /// What `production_environment` will be, spelled out for the form (GitHub's default is true only
    /// for an environment named `production`, docs/github-api.md §9).
    pub fn effective_production(&self) -> bool {
        match self.production_environment {
            ProductionChoice::ApiDefault => self.environment.trim() == "production",
            ProductionChoice::Yes => true,
            ProductionChoice::No => false,
        }
    }
}

// ---- create-deployment-status ----

/// The post-a-status form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusDraft {
    pub state: Option<DeploymentState>,
    pub description: String,
    pub log_url: String,
    pub environment_url: String,
    pub target_url: String,
    /// Blank keeps the deployment's environment; a name moves it (docs/github-api.md §9).
    pub environment: String,
    pub auto_inactive: bool,
}

impl Default for StatusDraft {
    fn default() -> Self {
        StatusDraft {
            state: None,
            description: String::new(),
            log_url: String::new(),
            environment_url: String::new(),
            target_url: String::new(),
            environment: String::new(),
            auto_inactive: true,
        }
    }
}

impl StatusDraft {
    /// Characters left in the description (negative when over): the form's live counter.
    pub fn description_remaining(&self) -> i64 {
        STATUS_DESCRIPTION_MAX as i64 - self.description.chars().count() as i64
    }

    pub fn validate(&self) -> Result<NewDeploymentStatus, Problems> {
        let mut problems = Problems::default();
        match self.state {
            None => problems.add(Field::State, "Choose the state to report."),
            Some(state) if !DeploymentState::POSTABLE.contains(&state) => problems.add(
                Field::State,
                "Only GitHub Actions sets “waiting for review”: choose another state to report.",
            ),
            Some(_) => {}
        }
        check_status_description(&self.description, &mut problems);
        let mut url = |field: Field, text: &str| -> Option<String> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            if let Err(message) = check_http_url(text) {
                problems.add(field, message);
            }
            Some(text.to_owned())
        };
        let log_url = url(Field::LogUrl, &self.log_url);
        let environment_url = url(Field::EnvironmentUrl, &self.environment_url);
        let target_url = url(Field::TargetUrl, &self.target_url);
        let environment = self.environment.trim();
        if !environment.is_empty() {
            if let Err(message) = check_environment_name(environment) {
                problems.add(Field::Environment, message);
            }
        }
        let state = self.state;
        problems.into_result(|| NewDeploymentStatus {
            state: state.unwrap_or(DeploymentState::Pending),
            target_url,
            log_url,
            description: (!self.description.is_empty()).then(|| self.description.clone()),
            environment: (!environment.is_empty()).then(|| environment.to_owned()),
            environment_url,
            auto_inactive: (!self.auto_inactive).then_some(false),
        })
    }
}

// ---- create-dispatch-event ----

/// The repository-dispatch form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DispatchDraft {
    pub event_type: String,
    /// A JSON object, or blank for none.
    pub client_payload: String,
}

impl DispatchDraft {
    pub fn validate(&self) -> Result<DispatchEvent, Problems> {
        let mut problems = Problems::default();
        let count = self.event_type.chars().count();
        if self.event_type.trim().is_empty() {
            problems.add(
                Field::EventType,
                "Enter an event type, for example deploy-preview.",
            );
        } else if count > EVENT_TYPE_MAX {
            problems.add(
                Field::EventType,
                format!("An event type can have at most {EVENT_TYPE_MAX} characters; this one has {count}."),
            );
        }
        let client_payload = if self.client_payload.trim().is_empty() {
            None
        } else {
            match parse_json_object(&self.client_payload, "The client payload") {
                Ok(map) => {
                    if map.len() > CLIENT_PAYLOAD_MAX_KEYS {
                        problems.add(
                            Field::ClientPayload,
                            format!(
                                "GitHub allows at most {CLIENT_PAYLOAD_MAX_KEYS} top-level keys in a client payload; this one has {}. Nest the rest inside one of them.",
                                map.len()
                            ),
                        );
                    }
                    let size = serde_json::to_string(&map)
                        .map(|s| s.len())
                        .unwrap_or(usize::MAX);
                    if size >= CLIENT_PAYLOAD_MAX_BYTES {
                        problems.add(
                            Field::ClientPayload,
                            format!("A client payload must be smaller than 64 KiB; this one is {size} bytes."),
                        );
                    }
                    Some(map)
                }
                Err(message) => {
                    problems.add(Field::ClientPayload, message);
                    None
                }
            }
        };
        problems.into_result(|| DispatchEvent {
            event_type: self.event_type.clone(),
            client_payload,
        })
    }
}

// ---- repository ----

/// An `owner/name` pair naming a repository. Read back from storage (a kept run, the recent list) it is checked
/// as when typed: its parts go into API paths, file names and scripts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "StoredRepoRef")]
pub struct RepoRef {
    pub owner: String,
    pub name: String,
}

/// A [`RepoRef`] as stored, before its check.
#[derive(Deserialize)]
struct StoredRepoRef {
    owner: String,
    name: String,
}

impl TryFrom<StoredRepoRef> for RepoRef {
    type Error = String;

    fn try_from(stored: StoredRepoRef) -> Result<Self, Self::Error> {
        RepoRef::check(&stored.owner, &stored.name).map_err(|e| e.message)?;
        Ok(RepoRef {
            owner: stored.owner,
            name: stored.name,
        })
    }
}

impl fmt::Display for RepoRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl RepoRef {
    /// Reads `owner/name` (surrounding spaces and a trailing `.git` are forgiven).
    pub fn parse(text: &str) -> Result<RepoRef, FieldError> {
        let problem = |message: &str| FieldError {
            field: Field::Repository,
            message: message.to_owned(),
        };
        let text = text.trim();
        let text = text.strip_suffix(".git").unwrap_or(text);
        let Some((owner, name)) = text.split_once('/') else {
            return Err(problem(
                "Enter the repository as owner/name, for example octocat/hello-world.",
            ));
        };
        Self::check(owner, name)?;
        Ok(RepoRef {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// GitHub's rules for an owner's and a repository's name.
    fn check(owner: &str, name: &str) -> Result<(), FieldError> {
        let problem = |message: &str| FieldError {
            field: Field::Repository,
            message: message.to_owned(),
        };
        if owner.is_empty()
            || owner.len() > 39
            || !owner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(problem(
                "The owner must be a GitHub user or organisation name: letters, digits and hyphens, at most 39.",
            ));
        }
        if name.is_empty()
            || name.len() > 100
            || name == "."
            || name == ".."
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(problem(
                "The repository name can have letters, digits, “-”, “_” and “.”, at most 100.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_reindents_valid_json_and_leaves_the_rest() {
        assert_eq!(
            pretty_json(r#"{"a":[true,null]}"#).as_deref(),
            Some("{\n  \"a\": [\n    true,\n    null\n  ]\n}")
        );
        assert_eq!(pretty_json("{\"a\":"), None);
        assert_eq!(pretty_json(""), None);
    }

    fn draft(git_ref: &str) -> DeploymentDraft {
        DeploymentDraft {
            git_ref: git_ref.into(),
            ..DeploymentDraft::default()
        }
    }

    #[test]
    fn a_minimal_draft_becomes_a_minimal_body() {
        let body = draft("main").validate().unwrap();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"ref": "main", "environment": "production"})
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_on_its_field() {
        let d = DeploymentDraft {
            git_ref: "feature..x".into(),
            environment: "  ".into(),
            payload: "{\"a\": }".into(),
            contexts_choice: ContextsChoice::Only,
            contexts: " , ".into(),
            ..DeploymentDraft::default()
        };
        let problems = d.validate().unwrap_err();
        let fields: Vec<Field> = problems.fields().collect();
        assert_eq!(
            fields,
            [
                Field::Ref,
                Field::Environment,
                Field::Payload,
                Field::RequiredContexts
            ]
        );
        assert!(problems
            .for_field(Field::Payload)
            .next()
            .unwrap()
            .contains("line 1"));
    }

    #[test]
    fn required_contexts_has_three_distinct_meanings() {
        let mut d = draft("main");
        assert_eq!(d.validate().unwrap().required_contexts.to_json(), None);
        d.contexts_choice = ContextsChoice::SkipChecks;
        let body = serde_json::to_value(d.validate().unwrap()).unwrap();
        assert_eq!(body["required_contexts"], serde_json::json!([]));
        d.contexts_choice = ContextsChoice::Only;
        d.contexts = "ci/build,\n security/scan ".into();
        let body = serde_json::to_value(d.validate().unwrap()).unwrap();
        assert_eq!(
            body["required_contexts"],
            serde_json::json!(["ci/build", "security/scan"])
        );
        d.contexts = "ci/build, ci/build".into();
        let problems = d.validate().unwrap_err();
        assert!(problems
            .for_field(Field::RequiredContexts)
            .next()
            .unwrap()
            .contains("ci/build"));
    }

    #[test]
    fn payload_is_an_object_or_a_string() {
        let mut d = draft("main");
        d.payload = "{\"deploy\": \"migrate\"}".into();
        assert_eq!(
            serde_json::to_value(d.validate().unwrap()).unwrap()["payload"],
            serde_json::json!({"deploy": "migrate"})
        );
        d.payload = "[1, 2]".into();
        let problems = d.validate().unwrap_err();
        assert!(problems
            .for_field(Field::Payload)
            .next()
            .unwrap()
            .contains("not an array"));
        d.payload_kind = PayloadKind::Text;
        assert_eq!(
            serde_json::to_value(d.validate().unwrap()).unwrap()["payload"],
            serde_json::json!("[1, 2]")
        );
    }

    #[test]
    fn defaults_are_left_out_and_changes_are_sent() {
        let d = DeploymentDraft {
            git_ref: "v1.2.0".into(),
            task: "deploy:migrations".into(),
            environment: "review/pr-12".into(),
            description: "Deploy request from Deploydeck".into(),
            auto_merge: false,
            transient_environment: true,
            production_environment: ProductionChoice::No,
            ..DeploymentDraft::default()
        };
        let json = serde_json::to_value(d.validate().unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "ref": "v1.2.0", "task": "deploy:migrations", "auto_merge": false,
                "environment": "review/pr-12", "description": "Deploy request from Deploydeck",
                "transient_environment": true, "production_environment": false
            })
        );
    }

    #[test]
    fn an_environment_named_dot_or_dot_dot_is_refused_on_its_field_in_both_forms() {
        for name in [".", "..", " .. "] {
            let mut d = draft("main");
            d.environment = name.into();
            let problems = d.validate().unwrap_err();
            let said = problems
                .for_field(Field::Environment)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(said.contains("cannot be named"), "{name}: {said}");
            assert!(said.contains("Choose another name"), "{name}: {said}");
            let status = StatusDraft {
                state: Some(DeploymentState::Success),
                environment: name.into(),
                ..StatusDraft::default()
            };
            assert!(status
                .validate()
                .unwrap_err()
                .for_field(Field::Environment)
                .next()
                .is_some());
        }
        for fine in ["...", ".hidden", "a..b", "review/..", "prod."] {
            let mut d = draft("main");
            d.environment = fine.into();
            assert!(d.validate().is_ok(), "{fine}");
        }
    }

    #[test]
    fn a_stored_repository_is_checked_as_when_typed() {
        let back: RepoRef = serde_json::from_str(r#"{"owner":"acme","name":"web.site"}"#).unwrap();
        assert_eq!(back, RepoRef::parse("acme/web.site").unwrap());
        for bad in [
            r#"{"owner":"acme","name":".."}"#,
            r#"{"owner":"acme","name":"web'; rm -rf ~ #"}"#,
            r#"{"owner":"a/b","name":"web"}"#,
            r#"{"owner":"","name":"web"}"#,
            r#"{"owner":"acme","name":"w\neb"}"#,
        ] {
            assert!(serde_json::from_str::<RepoRef>(bad).is_err(), "{bad}");
        }
        let round: RepoRef = serde_json::from_str(&serde_json::to_string(&back).unwrap()).unwrap();
        assert_eq!(round, back);
    }

    #[test]
    fn production_default_follows_the_environment_name() {
        let mut d = draft("main");
        assert!(d.effective_production());
        d.environment = "staging".into();
        assert!(!d.effective_production());
        d.production_environment = ProductionChoice::Yes;
        assert!(d.effective_production());
    }

    #[test]
    fn git_ref_rules_follow_check_ref_format() {
        for ok in [
            "main",
            "feature/new-ui",
            "v1.2.3",
            "refs/heads/main",
            "a84d88e",
            "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d",
            "release-2024.01",
            "ünïcode",
        ] {
            assert_eq!(check_git_ref(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a b",
            "a..b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[0]",
            "a\\b",
            "@",
            "a@{1}",
            "/a",
            "a/",
            "a//b",
            "a.",
            ".a",
            "a/.b",
            "a.lock",
            "a/b.lock/c",
            "-a",
            "a\u{7}",
        ] {
            assert!(check_git_ref(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn status_description_counts_characters_not_bytes() {
        let mut s = StatusDraft {
            state: Some(DeploymentState::Success),
            description: "é".repeat(140),
            ..StatusDraft::default()
        };
        assert!(s.description.len() > 140);
        assert_eq!(s.description_remaining(), 0);
        assert!(s.validate().is_ok());
        s.description.push('x');
        let problems = s.validate().unwrap_err();
        assert_eq!(
            problems.for_field(Field::Description).next(),
            Some("A status description can have at most 140 characters; this one has 141.")
        );
    }

    #[test]
    fn only_github_actions_sets_waiting() {
        let s = StatusDraft {
            state: Some(DeploymentState::Waiting),
            ..StatusDraft::default()
        };
        assert_eq!(
            s.validate().unwrap_err().fields().collect::<Vec<_>>(),
            [Field::State]
        );
        assert!(DeploymentState::POSTABLE.iter().all(
            |state| DeploymentState::ALL.contains(state) && *state != DeploymentState::Waiting
        ));
        assert_eq!(
            DeploymentState::parse("waiting"),
            Some(DeploymentState::Waiting)
        );
    }

    #[test]
    fn status_needs_a_state_and_http_links() {
        let s = StatusDraft {
            log_url: "javascript:alert(1)".into(),
            environment_url: "https://pr-12.example.com".into(),
            target_url: "ftp://x".into(),
            ..StatusDraft::default()
        };
        let problems = s.validate().unwrap_err();
        assert_eq!(
            problems.fields().collect::<Vec<_>>(),
            [Field::State, Field::LogUrl, Field::TargetUrl]
        );
        let ok = StatusDraft {
            state: Some(DeploymentState::Inactive),
            environment: "staging".into(),
            auto_inactive: false,
            ..StatusDraft::default()
        };
        assert_eq!(
            serde_json::to_value(ok.validate().unwrap()).unwrap(),
            serde_json::json!({"state": "inactive", "environment": "staging", "auto_inactive": false})
        );
    }

    #[test]
    fn dispatch_limits_event_type_and_payload_keys() {
        let mut d = DispatchDraft {
            event_type: "on-demand-test".into(),
            client_payload: "{\"unit\": false, \"integration\": true}".into(),
        };
        assert!(d.validate().is_ok());
        d.event_type = "x".repeat(101);
        d.client_payload = serde_json::to_string(
            &(0..11)
                .map(|i| (format!("k{i}"), i))
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .unwrap();
        let problems = d.validate().unwrap_err();
        assert_eq!(
            problems.fields().collect::<Vec<_>>(),
            [Field::EventType, Field::ClientPayload]
        );
        assert!(problems
            .for_field(Field::ClientPayload)
            .next()
            .unwrap()
            .contains("this one has 11"));
        d.event_type = "ok".into();
        d.client_payload = format!("{{\"big\": \"{}\"}}", "x".repeat(CLIENT_PAYLOAD_MAX_BYTES));
        assert!(d
            .validate()
            .unwrap_err()
            .for_field(Field::ClientPayload)
            .next()
            .unwrap()
            .contains("64 KiB"));
    }

    #[test]
    fn repository_names_are_read_leniently_and_checked() {
        assert_eq!(
            RepoRef::parse(" octocat/Hello-World.git ")
                .unwrap()
                .to_string(),
            "octocat/Hello-World"
        );
        assert_eq!(RepoRef::parse("o/.github").unwrap().name, ".github");
        for bad in ["octocat", "/x", "a b/c", "o/..", "o/a/b", "o/"] {
            assert!(RepoRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn api_field_names_map_back_to_fields() {
        assert_eq!(
            Field::from_api_name("required_contexts"),
            Some(Field::RequiredContexts)
        );
        assert_eq!(Field::from_api_name("log_url"), Some(Field::LogUrl));
        assert_eq!(Field::from_api_name("color"), None);
    }
}
