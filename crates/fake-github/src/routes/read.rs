//! Request bodies read as GitHub reads them (§8.2, §8.6, §8.8): JSON objects, field by field, with GitHub's
//! 400 and 422 answers for what it refuses.

use deploydeck_wire::http::HttpRequest;
use deploydeck_wire::model::DeploymentState;
use serde_json::{json, Map, Value};

use crate::hub::{NewDeployment, NewStatus};

use super::reply::{ErrorBody, Reply, DOC_CREATE_STATUS, DOC_DISPATCH, DOC_REST};

/// §1: a body must be JSON, and a JSON object.
pub(super) fn json_object(request: &HttpRequest) -> Result<Map<String, Value>, Reply> {
    let text = request.body.as_deref().unwrap_or("");
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Reply::error(400, "Body should be a JSON object", DOC_REST)),
        Err(_) => Err(Reply::error(400, "Problems parsing JSON", DOC_REST)),
    }
}

pub(super) fn string_field(
    body: &Map<String, Value>,
    name: &str,
    nullable: bool,
) -> Result<Option<String>, String> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Null) if nullable => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("For 'properties/{name}', {other} is not a string.")),
    }
}

pub(super) fn bool_field(body: &Map<String, Value>, name: &str) -> Result<Option<bool>, String> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(format!(
            "For 'properties/{name}', {other} is not a boolean."
        )),
    }
}

pub(super) fn read_new_deployment(body: &Map<String, Value>) -> Result<NewDeployment, String> {
    let git_ref =
        string_field(body, "ref", false)?.ok_or_else(|| "\"ref\" wasn't supplied.".to_owned())?;
    let required_contexts = match body.get("required_contexts") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("For 'items', {v} is not a string."))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => {
            return Err(format!(
                "For 'properties/required_contexts', {other} is not an array."
            ))
        }
    };
    let payload = match body.get("payload") {
        None => None,
        Some(v @ (Value::Object(_) | Value::String(_))) => Some(v.clone()),
        Some(other) => {
            return Err(format!(
                "For 'properties/payload', {other} is not an object or a string."
            ))
        }
    };
    Ok(NewDeployment {
        git_ref,
        task: string_field(body, "task", false)?,
        auto_merge: bool_field(body, "auto_merge")?,
        required_contexts,
        payload,
        environment: string_field(body, "environment", false)?,
        description: string_field(body, "description", true)?,
        transient_environment: bool_field(body, "transient_environment")?,
        production_environment: bool_field(body, "production_environment")?,
    })
}

/// `event_type` (1..100 characters) and `client_payload` (an object of at most 10 members, under 64 KiB),
/// docs/github-api.md §8.8.
pub(super) fn read_dispatch(body: &Map<String, Value>) -> Result<(String, Value), Reply> {
    let invalid = |detail: String| Reply::invalid(&detail, DOC_DISPATCH);
    let event_type = match body.get("event_type") {
        None => return Err(invalid("\"event_type\" wasn't supplied.".into())),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(invalid(format!(
                "For 'properties/event_type', {other} is not a string."
            )))
        }
    };
    let length = event_type.chars().count();
    if length == 0 || length > 100 {
        let message = if length == 0 {
            "event_type can't be blank"
        } else {
            "event_type is too long (maximum is 100 characters)"
        };
        return Err(Reply::json(
            422,
            &ErrorBody::new(422, "Validation Failed", DOC_DISPATCH)
                .with_errors(json!([{"resource": "Repository", "code": "custom", "field": "event_type", "message": message}])),
        ));
    }
    let client_payload = match body.get("client_payload") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::Object(map)) if map.len() > 10 => {
            return Err(invalid(format!(
                "No more than 10 properties are allowed; {} were supplied.",
                map.len()
            )))
        }
        Some(Value::Object(map))
            if serde_json::to_vec(map).map(|b| b.len()).unwrap_or(0) >= 64 * 1024 =>
        {
            return Err(invalid("client_payload is too large.".into()))
        }
        Some(Value::Object(map)) => Value::Object(map.clone()),
        Some(other) => {
            return Err(invalid(format!(
                "For 'properties/client_payload', {other} is not an object."
            )))
        }
    };
    Ok((event_type, client_payload))
}

pub(super) fn read_new_status(body: &Map<String, Value>) -> Result<NewStatus, Reply> {
    let invalid = |detail: String| Reply::invalid(&detail, DOC_CREATE_STATUS);
    let state = match body.get("state") {
        None => return Err(invalid("\"state\" wasn't supplied.".into())),
        Some(Value::String(s)) => DeploymentState::parse(s).filter(|s| DeploymentState::POSTABLE.contains(s)).ok_or_else(|| {
            invalid(format!(
                "For 'properties/state', \"{s}\" is not one of: error, failure, inactive, in_progress, queued, pending, success."
            ))
        })?,
        Some(other) => return Err(invalid(format!("For 'properties/state', {other} is not a string."))),
    };
    let text = |name: &str| string_field(body, name, false).map_err(invalid);
    let description = text("description")?;
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 140)
    {
        // docs/github-api.md §12.1: GitHub's exact text is unrecorded; a 422 on the field is the contract's reading.
        return Err(Reply::json(
            422,
            &ErrorBody::new(422, "Validation Failed", DOC_CREATE_STATUS).with_errors(json!([{
                "resource": "DeploymentStatus",
                "code": "custom",
                "field": "description",
                "message": "description is too long (maximum is 140 characters)"
            }])),
        ));
    }
    Ok(NewStatus {
        state,
        target_url: text("target_url")?,
        log_url: text("log_url")?,
        description,
        environment: text("environment")?,
        environment_url: text("environment_url")?,
        auto_inactive: bool_field(body, "auto_inactive").map_err(invalid)?,
    })
}
