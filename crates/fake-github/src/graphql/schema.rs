//! GitHub's GraphQL schema, the subset served here (field types, leaves, what a fragment applies to), and a
//! document checked against it and costed before it runs (`prepare`).

use std::collections::HashMap;

use deploydeck_wire::text::grouped;
use serde_json::{json, Map, Value};

use super::document::Document;
use super::document::{Field, Fragment, Kind, Pos, Selection, SelectionSet, Val};
use super::{refusal, Cost};

pub(super) type Fragments<'a> = HashMap<&'a str, &'a Fragment>;

/// A parsed request: its operation, fragments and variables.
pub struct Request<'a> {
    pub(super) mutation: bool,
    pub(super) name: Option<&'a str>,
    pub(super) selection: &'a SelectionSet,
    pub(super) fragments: Fragments<'a>,
    pub(super) variables: Map<String, Value>,
}

impl<'a> Request<'a> {
    pub fn is_mutation(&self) -> bool {
        self.mutation
    }

    pub(super) fn root_type(&self) -> &'static str {
        if self.mutation {
            "Mutation"
        } else {
            "Query"
        }
    }

    /// The operation's label in error paths: `query Name`, `mutation`, …
    pub(super) fn label(&self) -> String {
        let kind = if self.mutation { "mutation" } else { "query" };
        match self.name {
            Some(name) => format!("{kind} {name}"),
            None => kind.to_owned(),
        }
    }

    /// Every field exists on its type, and objects are selected into (GitHub checks the whole document
    /// before running any of it).
    pub(super) fn validate(&self) -> Result<(), Value> {
        let mut errors = Vec::new();
        let mut path = vec![Value::String(self.label())];
        self.check(self.root_type(), self.selection, &mut path, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(refusal(errors))
        }
    }

    pub(super) fn check(
        &self,
        ty: &str,
        selection: &SelectionSet,
        path: &mut Vec<Value>,
        errors: &mut Vec<Value>,
    ) {
        for item in &selection.items {
            match item {
                Selection::Field(f) => {
                    path.push(Value::String(f.key().to_owned()));
                    match field_type(ty, &f.name) {
                        None => errors.push(json!({
                            "path": path.clone(),
                            "extensions": { "code": "undefinedField", "typeName": ty, "fieldName": f.name },
                            "locations": located(f.position),
                            "message": format!("Field '{}' doesn't exist on type '{ty}'", f.name),
                        })),
                        Some(inner) if is_leaf(inner) && !f.selection_set.items.is_empty() => {
                            errors.push(json!({
                                "path": path.clone(),
                                "extensions": { "code": "selectionMismatch", "nodeName": format!("field '{}'", f.name), "typeName": inner },
                                "locations": located(f.position),
                                "message": format!("Selections can't be made on scalars (field '{}' returns {inner} but has selections [...])", f.name),
                            }))
                        }
                        Some(inner) if !is_leaf(inner) && f.selection_set.items.is_empty() => {
                            errors.push(json!({
                                "path": path.clone(),
                                "extensions": { "code": "selectionMismatch", "nodeName": format!("field '{}'", f.name), "typeName": inner },
                                "locations": located(f.position),
                                "message": format!("Field must have selections (field '{}' returns {inner} but has no selections. Did you mean '{} {{ ... }}'?)", f.name, f.name),
                            }))
                        }
                        Some(inner) => self.check(inner, &f.selection_set, path, errors),
                    }
                    path.pop();
                }
                Selection::InlineFragment { on, selection } => {
                    let on = on.as_deref().unwrap_or(ty);
                    path.push(Value::String(format!("... on {on}")));
                    self.check(on, selection, path, errors);
                    path.pop();
                }
                Selection::FragmentSpread { name, position } => {
                    match self.fragments.get(name.as_str()) {
                        Some(f) => {
                            path.push(Value::String(format!("... {name}")));
                            self.check(&f.on, &f.selection, path, errors);
                            path.pop();
                        }
                        None => errors.push(json!({
                            "path": path.clone(),
                            "extensions": { "code": "undefinedFragment", "fragmentName": name },
                            "locations": located(*position),
                            "message": format!("Fragment {name} was used, but not defined"),
                        })),
                    }
                }
            }
        }
    }

    pub(super) fn argument(&self, field: &Field, name: &str) -> Value {
        field
            .arguments
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Value::Null, |(_, v)| literal(v, &self.variables))
    }

    /// What the document costs (GitHub's formula), or why it may not run: a connection without `first` or
    /// `last`, more than 100 asked of one, more than 100 ids, more than 500,000 possible nodes.
    pub fn cost(&self) -> Result<Cost, Value> {
        let mut cost = Cost::default();
        let mut errors = Vec::new();
        let mut path = Vec::new();
        self.count(
            self.root_type(),
            self.selection,
            1,
            &mut cost,
            &mut path,
            &mut errors,
        );
        if cost.nodes > 500_000 {
            errors.push(json!({
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "path": [self.label()],
                "message": format!("This query requests up to {} possible nodes which exceeds the maximum limit of 500,000.", grouped(usize::try_from(cost.nodes).unwrap_or(usize::MAX))),
            }));
        }
        if errors.is_empty() {
            Ok(cost)
        } else {
            Err(json!({ "data": null, "errors": errors }))
        }
    }

    pub(super) fn count(
        &self,
        ty: &str,
        selection: &SelectionSet,
        parents: u64,
        cost: &mut Cost,
        path: &mut Vec<Value>,
        errors: &mut Vec<Value>,
    ) {
        for item in &selection.items {
            match item {
                Selection::Field(f) => {
                    let Some(inner) = field_type(ty, &f.name) else {
                        continue;
                    };
                    path.push(Value::String(f.key().to_owned()));
                    let mut below = parents;
                    if inner.ends_with("Connection") {
                        let (first, last) = (self.argument(f, "first"), self.argument(f, "last"));
                        let asked = first.as_i64().or(last.as_i64());
                        match asked {
                            None => errors.push(json!({
                                "type": "MISSING_PAGINATION_BOUNDARIES",
                                "path": path.clone(),
                                "locations": located(f.position),
                                "message": format!("You must provide a `first` or `last` value to properly paginate the `{}` connection.", f.name),
                            })),
                            Some(n) if !(0..=100).contains(&n) => {
                                let which = if first.is_i64() { "first" } else { "last" };
                                errors.push(json!({
                                    "type": "EXCESSIVE_PAGINATION",
                                    "path": path.clone(),
                                    "locations": located(f.position),
                                    "message": format!("Requesting {n} records on the `{}` connection exceeds the `{which}` limit of 100 records.", f.name),
                                }))
                            }
                            Some(n) => {
                                cost.requests += parents;
                                cost.nodes += parents * n as u64;
                                below = parents * n as u64;
                            }
                        }
                    }
                    if f.name == "nodes" && ty == "Query" {
                        let ids = self.argument(f, "ids");
                        let n = ids.as_array().map_or(0, Vec::len);
                        if n > 100 {
                            errors.push(json!({
                                "message": format!("You may not provide more than 100 node ids; you provided {n}."),
                                "type": "ARGUMENT_LIMIT",
                                "path": path.clone(),
                                "locations": located(f.position),
                            }));
                        }
                        below = parents * n as u64;
                    }
                    self.count(inner, &f.selection_set, below, cost, path, errors);
                    path.pop();
                }
                Selection::InlineFragment { on, selection } => {
                    let on = on.as_deref().unwrap_or(ty);
                    self.count(on, selection, parents, cost, path, errors);
                }
                Selection::FragmentSpread { name, .. } => {
                    if let Some(f) = self.fragments.get(name.as_str()) {
                        self.count(&f.on, &f.selection, parents, cost, path, errors);
                    }
                }
            }
        }
    }

    /// The fields of `selection` that apply to an object of type `concrete`, fragments flattened, in order.
    pub(super) fn fields(
        &self,
        concrete: &str,
        selection: &'a SelectionSet,
        out: &mut Vec<&'a Field>,
    ) {
        for item in &selection.items {
            match item {
                Selection::Field(f) => out.push(f),
                Selection::InlineFragment { on, selection } => {
                    if on.as_deref().is_none_or(|on| applies(on, concrete)) {
                        self.fields(concrete, selection, out);
                    }
                }
                Selection::FragmentSpread { name, .. } => {
                    if let Some(f) = self.fragments.get(name.as_str()) {
                        if applies(&f.on, concrete) {
                            self.fields(concrete, &f.selection, out);
                        }
                    }
                }
            }
        }
    }

    /// The top-level fields of a mutation, in order, with their response keys and `input` arguments.
    pub fn mutations(&self) -> Vec<(String, String, Value, Pos)> {
        let mut fields = Vec::new();
        self.fields("Mutation", self.selection, &mut fields);
        fields
            .into_iter()
            .map(|f| {
                (
                    f.key().to_owned(),
                    f.name.clone(),
                    self.argument(f, "input"),
                    f.position,
                )
            })
            .collect()
    }

    /// The (key, field name) pairs selected on the payload of the mutation field answering `key`.
    pub fn payload_fields(&self, key: &str) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        self.fields("Mutation", self.selection, &mut fields);
        let Some(field) = fields.into_iter().find(|f| f.key() == key) else {
            return Vec::new();
        };
        let mut payload = Vec::new();
        let ty = field_type("Mutation", &field.name).unwrap_or("DeleteDeploymentPayload");
        self.fields(ty, &field.selection_set, &mut payload);
        payload
            .into_iter()
            .map(|f| (f.key().to_owned(), f.name.clone()))
            .collect()
    }
}

pub(super) fn located(pos: Pos) -> Value {
    json!([{ "line": pos.line, "column": pos.column }])
}

/// Picks the document's operation (by `operation_name` when several), with its variables.
pub fn prepare<'a>(
    document: &'a Document,
    operation_name: Option<&str>,
    variables: Map<String, Value>,
) -> Result<Request<'a>, Value> {
    let fragments: Fragments<'a> = document
        .fragments
        .iter()
        .map(|f| (f.name.as_str(), f))
        .collect();
    let operations = &document.operations;
    let chosen = match operation_name {
        Some(name) => operations
            .iter()
            .find(|op| op.name.as_deref() == Some(name)),
        None if operations.len() == 1 => operations.first(),
        None => {
            return Err(refusal(vec![json!({
                "message": "An operation name is required"
            })]))
        }
    };
    let Some(op) = chosen else {
        return Err(refusal(vec![json!({
            "message": format!("No operation named \"{}\"", operation_name.unwrap_or_default())
        })]));
    };
    if op.kind == Kind::Subscription {
        return Err(refusal(vec![json!({
            "message": "Subscriptions are not supported",
            "locations": located(op.position),
        })]));
    }
    let mut vars = Map::new();
    for definition in &op.variables {
        let value = variables
            .get(&definition.name)
            .cloned()
            .or_else(|| definition.default.as_ref().map(|v| literal(v, &Map::new())));
        match value {
            Some(Value::Null) | None if definition.required => {
                return Err(refusal(vec![json!({
                    "extensions": { "value": null, "problems": [{ "path": [], "explanation": "Expected value to not be null" }] },
                    "locations": located(definition.position),
                    "message": format!("Variable ${} of type {} was provided invalid value", definition.name, definition.type_text),
                })]))
            }
            Some(v) => {
                vars.insert(definition.name.clone(), v);
            }
            None => {}
        }
    }
    let request = Request {
        mutation: op.kind == Kind::Mutation,
        name: op.name.as_deref(),
        selection: &op.selection,
        fragments,
        variables: vars,
    };
    request.validate()?;
    Ok(request)
}

/// A literal or variable as JSON.
pub(super) fn literal(value: &Val, variables: &Map<String, Value>) -> Value {
    match value {
        Val::Variable(name) => variables.get(name).cloned().unwrap_or(Value::Null),
        Val::Int(n) => Value::from(*n),
        Val::Float(f) => json!(f),
        Val::String(s) => Value::String(s.clone()),
        Val::Boolean(b) => Value::Bool(*b),
        Val::Null => Value::Null,
        Val::Enum(e) => Value::String(e.clone()),
        Val::List(items) => items.iter().map(|v| literal(v, variables)).collect(),
        Val::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), literal(v, variables)))
                .collect(),
        ),
    }
}

/// The named type of `field` on `ty` in the subset of GitHub's schema the fake serves (`None`: no such
/// field there — GitHub's `undefinedField`).
pub(super) fn field_type(ty: &str, field: &str) -> Option<&'static str> {
    const STRING: &str = "String";
    Some(match (ty, field) {
        (_, "__typename") => STRING,
        ("Query", "repository") => "Repository",
        ("Query", "node" | "nodes") => "Node",
        ("Query", "rateLimit") => "RateLimit",
        ("Mutation", "deleteDeployment") => "DeleteDeploymentPayload",
        ("Mutation", "approveDeployments") => "ApproveDeploymentsPayload",
        ("Mutation", "rejectDeployments") => "RejectDeploymentsPayload",
        (
            "DeleteDeploymentPayload" | "ApproveDeploymentsPayload" | "RejectDeploymentsPayload",
            "clientMutationId",
        ) => STRING,
        ("Repository", "id" | "name" | "nameWithOwner" | "url") => STRING,
        ("Repository", "databaseId") => "Int",
        ("Repository", "isPrivate") => "Boolean",
        ("Repository", "deployments") => "DeploymentConnection",
        ("Repository", "environments") => "EnvironmentConnection",
        (
            "DeploymentConnection" | "DeploymentStatusConnection" | "EnvironmentConnection",
            "totalCount",
        ) => "Int",
        (
            "DeploymentConnection" | "DeploymentStatusConnection" | "EnvironmentConnection",
            "pageInfo",
        ) => "PageInfo",
        ("EnvironmentConnection", "nodes") | ("EnvironmentEdge", "node") => "Environment",
        ("EnvironmentConnection", "edges") => "EnvironmentEdge",
        ("Environment", "id" | "name") => STRING,
        ("Environment", "databaseId" | "pinnedPosition") => "Int",
        ("Environment", "isPinned") => "Boolean",
        ("Environment", "latestCompletedDeployment") => "Deployment",
        ("DeploymentConnection", "nodes") | ("DeploymentEdge", "node") => "Deployment",
        ("DeploymentConnection", "edges") => "DeploymentEdge",
        ("DeploymentStatusConnection", "nodes") | ("DeploymentStatusEdge", "node") => {
            "DeploymentStatus"
        }
        ("DeploymentStatusConnection", "edges") => "DeploymentStatusEdge",
        ("DeploymentEdge" | "DeploymentStatusEdge" | "EnvironmentEdge", "cursor") => STRING,
        ("PageInfo", "startCursor" | "endCursor") => STRING,
        ("PageInfo", "hasNextPage" | "hasPreviousPage") => "Boolean",
        (
            "Deployment",
            "id"
            | "commitOid"
            | "createdAt"
            | "updatedAt"
            | "description"
            | "environment"
            | "latestEnvironment"
            | "originalEnvironment"
            | "state"
            | "payload"
            | "task",
        ) => STRING,
        ("Deployment", "databaseId") => "Int",
        ("Deployment" | "DeploymentStatus", "creator") => "Actor",
        ("Deployment", "latestStatus") => "DeploymentStatus",
        ("Deployment", "ref") => "Ref",
        ("Deployment", "statuses") => "DeploymentStatusConnection",
        ("Deployment", "repository") => "Repository",
        (
            "DeploymentStatus",
            "id" | "createdAt" | "updatedAt" | "description" | "environment" | "environmentUrl"
            | "logUrl" | "state",
        ) => STRING,
        ("DeploymentStatus", "deployment") => "Deployment",
        ("Ref", "id" | "name" | "prefix") => STRING,
        (
            "Actor" | "User" | "Bot" | "Organization",
            "login" | "avatarUrl" | "url" | "resourcePath",
        ) => STRING,
        ("RateLimit", "cost" | "limit" | "nodeCount" | "remaining" | "used") => "Int",
        ("RateLimit", "resetAt") => STRING,
        ("Node", "id") => STRING,
        _ => return None,
    })
}

pub(super) fn is_leaf(ty: &str) -> bool {
    matches!(ty, "String" | "Int" | "Boolean")
}

/// Whether an object of type `concrete` is selected by a fragment on `condition`.
pub(super) fn applies(condition: &str, concrete: &str) -> bool {
    condition == concrete
        || (condition == "Node"
            && matches!(
                concrete,
                "Deployment" | "DeploymentStatus" | "Repository" | "Ref" | "Environment"
            ))
        || (condition == "Actor" && matches!(concrete, "User" | "Bot" | "Organization"))
}

/// Fields whose failure stays a null there (the rest carry `!` in GitHub's schema and pass it up).
pub(super) fn nullable(ty: &str, field: &str) -> bool {
    matches!(
        (ty, field),
        ("Query", "repository" | "node" | "rateLimit")
            | (
                "Deployment",
                "latestStatus" | "ref" | "statuses" | "description" | "environment"
            )
            | (
                "DeploymentStatus",
                "description" | "environment" | "environmentUrl" | "logUrl"
            )
            | (
                "Environment",
                "databaseId" | "isPinned" | "pinnedPosition" | "latestCompletedDeployment"
            )
    )
}
