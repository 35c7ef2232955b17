//! A checked document run over the hub: each field resolved as GitHub resolves it, errors where GitHub puts
//! them, nulls up to the nearest nullable parent.

use deploydeck_wire::model::DeploymentState;
use deploydeck_wire::Timestamp;
use serde_json::{json, Map, Value};

use super::document::{Field, SelectionSet};
use super::schema::{located, nullable, Request};
use super::{Allowed, Rules};
use crate::bodies;
use crate::hub::{Deployment, Hub, Repo, Status, User, UserKind};

/// The opaque cursor of a deployment or status (its id: stable across deletions).
pub(super) fn cursor(id: u64) -> String {
    format!("Y3Vyc29yOnYyOpHO{id:08X}")
}

pub(super) fn from_cursor(text: &str) -> Option<u64> {
    u64::from_str_radix(text.strip_prefix("Y3Vyc29yOnYyOpHO")?, 16).ok()
}

/// GraphQL's `Deployment.state` (docs/github-api.md §13): a latest `success` not superseded by a newer
/// success in the environment is ACTIVE; `inactive` is INACTIVE (DESTROYED when transient); pending for more
/// than 30 minutes (or never given a status) is ABANDONED; otherwise the latest status's state.
pub fn deployment_state(repo: &Repo, d: &Deployment, now: Timestamp) -> &'static str {
    let latest = d.latest_status();
    let stale = |since: Timestamp| now.seconds_since(since) > 30 * 60;
    match latest {
        None if stale(d.created_at) => "ABANDONED",
        None => "PENDING",
        Some(s) => match s.state {
            DeploymentState::Success if repo.is_active(d) => "ACTIVE",
            DeploymentState::Inactive if d.transient_environment => "DESTROYED",
            DeploymentState::Pending if stale(s.created_at) => "ABANDONED",
            other => status_state(other),
        },
    }
}

/// `DeploymentStatusState`: the REST state in capitals.
pub fn status_state(state: DeploymentState) -> &'static str {
    match state {
        DeploymentState::Error => "ERROR",
        DeploymentState::Failure => "FAILURE",
        DeploymentState::Inactive => "INACTIVE",
        DeploymentState::InProgress => "IN_PROGRESS",
        DeploymentState::Queued => "QUEUED",
        DeploymentState::Pending => "PENDING",
        DeploymentState::Success => "SUCCESS",
        DeploymentState::Waiting => "WAITING",
    }
}

/// What a field resolves over.
#[derive(Clone, Copy)]
pub(super) enum Obj<'h> {
    Query,
    Repository(usize),
    Deployment(usize, &'h Deployment),
    Status(usize, &'h Deployment, &'h Status),
    Actor(&'h User),
    Ref(&'h Deployment, &'static str),
    Environment(usize, &'h crate::hub::Environment),
}

impl Obj<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Obj::Query => "Query",
            Obj::Repository(_) => "Repository",
            Obj::Deployment(..) => "Deployment",
            Obj::Status(..) => "DeploymentStatus",
            Obj::Actor(u) => match u.kind {
                UserKind::User => "User",
                UserKind::Bot => "Bot",
                UserKind::Organization => "Organization",
            },
            Obj::Ref(..) => "Ref",
            Obj::Environment(..) => "Environment",
        }
    }
}

/// A query's run over the hub, `&self` only.
pub struct Exec<'h, 'a, R: Rules> {
    pub hub: &'h Hub,
    pub rules: &'h R,
    pub request: &'h Request<'a>,
    pub now: Timestamp,
    pub web: String,
    /// The rate limit as it will stand once this document is counted: (cost, limit, remaining, reset, used).
    pub rate: (u64, u64, u64, Timestamp, u64),
    pub node_count: u64,
    pub errors: Vec<Value>,
}

impl<'h, 'a, R: Rules> Exec<'h, 'a, R> {
    /// The query's `data`.
    pub fn run(&mut self) -> Value {
        let selection = self.request.selection;
        let mut path = Vec::new();
        self.object(Obj::Query, selection, &mut path)
            .unwrap_or(Value::Null)
    }

    fn object(
        &mut self,
        obj: Obj<'h>,
        selection: &'a SelectionSet,
        path: &mut Vec<Value>,
    ) -> Result<Value, Null> {
        let mut fields = Vec::new();
        self.request.fields(obj.type_name(), selection, &mut fields);
        let mut out = Map::new();
        for f in fields {
            let key = f.key();
            if out.contains_key(key) {
                continue;
            }
            path.push(Value::String(key.to_owned()));
            let value = self.field(obj, f, path);
            path.pop();
            match value {
                Ok(v) => {
                    out.insert(key.to_owned(), v);
                }
                Err(Null) if nullable(obj.type_name(), &f.name) => {
                    out.insert(key.to_owned(), Value::Null);
                }
                Err(Null) => return Err(Null),
            }
        }
        Ok(Value::Object(out))
    }

    fn field(&mut self, obj: Obj<'h>, f: &'a Field, path: &mut Vec<Value>) -> Result<Value, Null> {
        let hub = self.hub;
        if f.name == "__typename" {
            return Ok(json!(obj.type_name()));
        }
        let arg = |name: &str| self.request.argument(f, name);
        let sub = &f.selection_set;
        match (obj, f.name.as_str()) {
            (Obj::Query, "repository") => {
                let owner = arg("owner");
                let name = arg("name");
                let (owner, name) = (owner.as_str().unwrap_or(""), name.as_str().unwrap_or(""));
                let found = hub
                    .repo_index(owner, name)
                    .filter(|i| self.rules.may_read(*i) != Allowed::Hidden);
                match found {
                    Some(index) => self.object(Obj::Repository(index), sub, path),
                    None => {
                        self.errors.push(json!({
                            "type": "NOT_FOUND",
                            "path": path.clone(),
                            "locations": located(f.position),
                            "message": format!("Could not resolve to a Repository with the name '{owner}/{name}'."),
                        }));
                        Err(Null)
                    }
                }
            }
            (Obj::Query, "node") => {
                let id = arg("id");
                self.node(id.as_str().unwrap_or(""), f, sub, path)
            }
            (Obj::Query, "nodes") => {
                let ids = arg("ids");
                let mut out = Vec::new();
                for (i, id) in ids
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    path.push(json!(i));
                    out.push(
                        self.node(id.as_str().unwrap_or(""), f, sub, path)
                            .unwrap_or(Value::Null),
                    );
                    path.pop();
                }
                Ok(Value::Array(out))
            }
            (Obj::Query, "rateLimit") => {
                let (cost, limit, remaining, reset, used) = self.rate;
                let mut out = Map::new();
                let mut fields = Vec::new();
                self.request.fields("RateLimit", sub, &mut fields);
                for g in fields {
                    let value = match g.name.as_str() {
                        "cost" => json!(cost),
                        "limit" => json!(limit),
                        "remaining" => json!(remaining),
                        "used" => json!(used),
                        "nodeCount" => json!(self.node_count),
                        "resetAt" => json!(reset.to_string()),
                        _ => json!("RateLimit"),
                    };
                    out.insert(g.key().to_owned(), value);
                }
                Ok(Value::Object(out))
            }
            (Obj::Repository(i), _) => self.repository_field(i, f, path),
            (Obj::Deployment(i, d), _) => self.deployment_field(i, d, f, path),
            (Obj::Status(i, d, s), name) => Ok(match name {
                "id" => json!(bodies::status_node_id(s.id)),
                "createdAt" | "updatedAt" => json!(s.created_at.to_string()),
                "description" => json!(s.description),
                "environment" => json!(s.environment),
                "environmentUrl" => optional_url(&s.environment_url),
                "logUrl" => optional_url(if s.log_url.is_empty() {
                    &s.target_url
                } else {
                    &s.log_url
                }),
                "state" => json!(status_state(s.state)),
                "creator" => return self.actor(s.creator, sub, path),
                "deployment" => return self.object(Obj::Deployment(i, d), sub, path),
                _ => Value::Null,
            }),
            (Obj::Actor(u), name) => Ok(match name {
                "login" => json!(u.login.trim_end_matches("[bot]")),
                "avatarUrl" => json!(format!(
                    "https://avatars.githubusercontent.com/u/{}?v=4",
                    u.id
                )),
                "url" => json!(format!("{}/{}", self.web, u.login)),
                "resourcePath" => json!(format!("/{}", u.login)),
                _ => Value::Null,
            }),
            (Obj::Environment(i, e), name) => {
                let repo = &hub.repos[i];
                Ok(match name {
                    "id" => json!(format!("{}{:X}", crate::bodies::ENVIRONMENT_NODE, e.id)),
                    "databaseId" => json!(e.id),
                    "name" => json!(e.name),
                    "isPinned" => json!(false),
                    "pinnedPosition" => Value::Null,
                    "latestCompletedDeployment" => {
                        // Our reading (docs/github-api.md §15): the newest whose latest status is final.
                        let completed = repo.deployments.iter().rev().find(|d| {
                            d.environment.eq_ignore_ascii_case(&e.name)
                                && d.latest_status().is_some_and(|s| {
                                    matches!(
                                        s.state,
                                        DeploymentState::Success
                                            | DeploymentState::Failure
                                            | DeploymentState::Error
                                            | DeploymentState::Inactive
                                    )
                                })
                        });
                        match completed {
                            Some(d) => return self.object(Obj::Deployment(i, d), sub, path),
                            None => Value::Null,
                        }
                    }
                    _ => Value::Null,
                })
            }
            (Obj::Ref(d, prefix), name) => Ok(match name {
                "id" => json!(format!("REF_kwDOHrjKxM4{:X}", d.id)),
                "name" => json!(d.git_ref.trim_start_matches(prefix)),
                "prefix" => json!(prefix),
                _ => Value::Null,
            }),
            _ => Ok(Value::Null),
        }
    }

    /// A repository's deployments and environments are refused to a token that may see it but not read them:
    /// null there and FORBIDDEN.
    fn readable(&mut self, index: usize, f: &Field, path: &[Value]) -> Result<(), Null> {
        if self.rules.may_read(index) != Allowed::Refused {
            return Ok(());
        }
        self.errors.push(json!({
            "type": "FORBIDDEN",
            "path": path,
            "extensions": { "saml_failure": false },
            "locations": located(f.position),
            "message": "Resource not accessible by personal access token",
        }));
        Err(Null)
    }

    fn repository_field(
        &mut self,
        index: usize,
        f: &'a Field,
        path: &mut Vec<Value>,
    ) -> Result<Value, Null> {
        let repo = &self.hub.repos[index];
        Ok(match f.name.as_str() {
            "id" => json!(format!("R_kgDO{:X}", repo.id)),
            "databaseId" => json!(repo.id),
            "name" => json!(repo.name),
            "nameWithOwner" => json!(repo.full_name()),
            "url" => json!(format!("{}/{}", self.web, repo.full_name())),
            "isPrivate" => json!(repo.private),
            "deployments" => {
                self.readable(index, f, path)?;
                let wanted: Option<Vec<String>> = self
                    .request
                    .argument(f, "environments")
                    .as_array()
                    .map(|names| {
                        names
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_ascii_lowercase))
                            .collect()
                    });
                let descending = self.request.argument(f, "orderBy")["direction"] == "DESC";
                let mut items: Vec<(u64, Obj<'h>)> = repo
                    .deployments
                    .iter()
                    .filter(|d| {
                        wanted
                            .as_ref()
                            .is_none_or(|w| w.contains(&d.environment.to_ascii_lowercase()))
                    })
                    .map(|d| (d.id, Obj::Deployment(index, d)))
                    .collect();
                if descending {
                    items.reverse();
                }
                return self.connection(items, descending, "DeploymentConnection", f, path);
            }
            "environments" => {
                self.readable(index, f, path)?;
                let names: Vec<String> = self
                    .request
                    .argument(f, "names")
                    .as_array()
                    .map(|n| {
                        n.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                // By name (GitHub's default order), the cursor an environment's place in it.
                let mut envs: Vec<&crate::hub::Environment> = repo
                    .environments
                    .iter()
                    .filter(|e| names.is_empty() || names.contains(&e.name))
                    .collect();
                envs.sort_by_key(|e| e.name.to_lowercase());
                let items = envs
                    .into_iter()
                    .enumerate()
                    .map(|(n, e)| (n as u64 + 1, Obj::Environment(index, e)))
                    .collect();
                return self.connection(items, false, "EnvironmentConnection", f, path);
            }
            _ => Value::Null,
        })
    }

    fn deployment_field(
        &mut self,
        index: usize,
        d: &'h Deployment,
        f: &'a Field,
        path: &mut Vec<Value>,
    ) -> Result<Value, Null> {
        let repo = &self.hub.repos[index];
        let sub = &f.selection_set;
        Ok(match f.name.as_str() {
            "id" => json!(bodies::deployment_node_id(d.id)),
            "databaseId" => json!(d.id),
            "commitOid" => json!(d.sha),
            "createdAt" => json!(d.created_at.to_string()),
            "updatedAt" => json!(d.updated_at.to_string()),
            "description" => json!(d.description),
            "environment" | "latestEnvironment" => json!(d.environment),
            "originalEnvironment" => json!(d.original_environment),
            "task" => json!(d.task),
            "payload" => json!(match &d.payload {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            }),
            "state" => json!(deployment_state(repo, d, self.now)),
            "creator" => return self.actor(d.creator, sub, path),
            "repository" => return self.object(Obj::Repository(index), sub, path),
            "latestStatus" => match d.latest_status() {
                Some(s) => return self.object(Obj::Status(index, d, s), sub, path),
                None => Value::Null,
            },
            "ref" => {
                let short = d
                    .git_ref
                    .trim_start_matches("refs/heads/")
                    .trim_start_matches("refs/tags/");
                let prefix = if repo.branch(short).is_some() {
                    "refs/heads/"
                } else if repo.tags.iter().any(|(t, _)| t == short) {
                    "refs/tags/"
                } else {
                    return Ok(Value::Null);
                };
                return self.object(Obj::Ref(d, prefix), sub, path);
            }
            "statuses" => {
                let items = d
                    .statuses
                    .iter()
                    .map(|s| (s.id, Obj::Status(index, d, s)))
                    .collect();
                return self.connection(items, false, "DeploymentStatusConnection", f, path);
            }
            _ => Value::Null,
        })
    }

    fn actor(
        &mut self,
        user: u64,
        sub: &'a SelectionSet,
        path: &mut Vec<Value>,
    ) -> Result<Value, Null> {
        match self.hub.user(user) {
            Some(u) => self.object(Obj::Actor(u), sub, path),
            None => Err(Null),
        }
    }

    /// A connection over `items` (in the order asked, each with its id for the cursor), sliced by
    /// `after`/`before` and `first`/`last`.
    fn connection(
        &mut self,
        items: Vec<(u64, Obj<'h>)>,
        descending: bool,
        kind: &'static str,
        f: &'a Field,
        path: &mut Vec<Value>,
    ) -> Result<Value, Null> {
        let total = items.len();
        let arg = |name: &str| self.request.argument(f, name);
        let beyond = |id: u64, mark: u64| if descending { id < mark } else { id > mark };
        let mut slice: Vec<(u64, Obj<'h>)> = items;
        let after = arg("after").as_str().and_then(from_cursor);
        let before = arg("before").as_str().and_then(from_cursor);
        if let Some(mark) = after {
            slice.retain(|(id, _)| beyond(*id, mark));
        }
        if let Some(mark) = before {
            slice.retain(|(id, _)| beyond(mark, *id));
        }
        let (mut has_next, mut has_previous) = (before.is_some(), after.is_some());
        if let Some(n) = arg("first").as_u64() {
            has_next = slice.len() > n as usize;
            slice.truncate(n as usize);
        } else if let Some(n) = arg("last").as_u64() {
            has_previous = slice.len() > n as usize;
            let cut = slice.len().saturating_sub(n as usize);
            slice.drain(..cut);
        }
        let mut fields = Vec::new();
        self.request.fields(kind, &f.selection_set, &mut fields);
        let mut out = Map::new();
        for g in fields {
            let key = g.key();
            path.push(json!(key));
            let value = match g.name.as_str() {
                "__typename" => json!(kind),
                "totalCount" => json!(total),
                "pageInfo" => {
                    let mut info = Map::new();
                    let mut wanted = Vec::new();
                    self.request
                        .fields("PageInfo", &g.selection_set, &mut wanted);
                    for h in wanted {
                        let v = match h.name.as_str() {
                            "startCursor" => slice
                                .first()
                                .map_or(Value::Null, |(id, _)| json!(cursor(*id))),
                            "endCursor" => slice
                                .last()
                                .map_or(Value::Null, |(id, _)| json!(cursor(*id))),
                            "hasNextPage" => json!(has_next),
                            "hasPreviousPage" => json!(has_previous),
                            _ => json!("PageInfo"),
                        };
                        info.insert(h.key().to_owned(), v);
                    }
                    Value::Object(info)
                }
                "nodes" => {
                    let mut nodes = Vec::new();
                    for (i, (_, obj)) in slice.iter().enumerate() {
                        path.push(json!(i));
                        nodes.push(
                            self.object(*obj, &g.selection_set, path)
                                .unwrap_or(Value::Null),
                        );
                        path.pop();
                    }
                    Value::Array(nodes)
                }
                "edges" => {
                    let mut edges = Vec::new();
                    for (i, (id, obj)) in slice.iter().enumerate() {
                        path.push(json!(i));
                        let mut edge = Map::new();
                        let mut wanted = Vec::new();
                        let edge_type = match kind {
                            "DeploymentConnection" => "DeploymentEdge",
                            "EnvironmentConnection" => "EnvironmentEdge",
                            _ => "DeploymentStatusEdge",
                        };
                        self.request
                            .fields(edge_type, &g.selection_set, &mut wanted);
                        for h in wanted {
                            let v = match h.name.as_str() {
                                "cursor" => json!(cursor(*id)),
                                "node" => self
                                    .object(*obj, &h.selection_set, path)
                                    .unwrap_or(Value::Null),
                                _ => json!(edge_type),
                            };
                            edge.insert(h.key().to_owned(), v);
                        }
                        edges.push(Value::Object(edge));
                        path.pop();
                    }
                    Value::Array(edges)
                }
                _ => Value::Null,
            };
            path.pop();
            out.insert(key.to_owned(), value);
        }
        Ok(Value::Object(out))
    }

    /// `node(id:)` / one of `nodes(ids:)`: a deployment or status the caller may read, else null and
    /// NOT_FOUND.
    fn node(
        &mut self,
        id: &str,
        f: &'a Field,
        sub: &'a SelectionSet,
        path: &mut Vec<Value>,
    ) -> Result<Value, Null> {
        let found = self.find_node(id);
        match found {
            Some(obj) => self.object(obj, sub, path),
            None => {
                self.errors.push(json!({
                    "type": "NOT_FOUND",
                    "path": path.clone(),
                    "locations": located(f.position),
                    "message": format!("Could not resolve to a node with the global id of '{id}'"),
                }));
                Err(Null)
            }
        }
    }

    fn find_node(&self, id: &str) -> Option<Obj<'h>> {
        let hub = self.hub;
        let readable = |index: usize| self.rules.may_read(index) == Allowed::Yes;
        if let Some(number) = bodies::deployment_id_of(id) {
            return hub.repos.iter().enumerate().find_map(|(i, r)| {
                r.deployment(number)
                    .filter(|_| readable(i))
                    .map(|d| Obj::Deployment(i, d))
            });
        }
        if let Some(number) = bodies::status_id_of(id) {
            return hub.repos.iter().enumerate().find_map(|(i, r)| {
                r.deployments.iter().find_map(|d| {
                    d.statuses
                        .iter()
                        .find(|s| s.id == number)
                        .filter(|_| readable(i))
                        .map(|s| Obj::Status(i, d, s))
                })
            });
        }
        None
    }
}

/// A field that failed: null here, and null up to the nearest nullable parent.
pub(super) struct Null;

pub(super) fn optional_url(url: &str) -> Value {
    if url.is_empty() {
        Value::Null
    } else {
        json!(url)
    }
}
