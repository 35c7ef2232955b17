//! `POST /graphql` (GHES `/api/graphql`) over HTTP: authentication with GraphQL's own 401 bodies, the JSON
//! request, its points from the GraphQL quota (`x-ratelimit-resource: graphql`, RATE_LIMITED as HTTP 200),
//! GraphQL's secondary limits, the `deleteDeployment`, `approveDeployments` and `rejectDeployments` mutations, and the settings that make the endpoint absent
//! (`off`: a 404, as a server without GraphQL) or answer without CORS headers (`no_cors`: the browser sees a
//! network error) — docs/github-api.md §13.

use deploydeck_wire::http::{Headers, HttpRequest, HttpResponse, Method};
use serde_json::{json, Map, Value};

use super::auth::{bearer_token, graphql_quota_key, quota_headers, Caller, Need};
use super::reply::{finish, preflight, Reply, DOC_REST};
use crate::bodies;
use crate::graphql::{self, Allowed, Answer, Exec, Rules};
use crate::hub::runs::ReviewAsked;
use crate::hub::{Ctx, DeleteOutcome, GraphqlMode, Hub, Quota};

const DOC_GRAPHQL: &str = "https://docs.github.com/graphql";
const DOC_AUTH: &str =
    "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql";

/// The REST side's authorisation, asked for GraphQL.
struct Access<'h> {
    hub: &'h Hub,
    caller: &'h Caller,
}

impl Access<'_> {
    fn allowed(&self, repo: usize, need: Need) -> Allowed {
        match self.hub.authorize(self.caller, repo, need, DOC_REST) {
            Ok(()) => Allowed::Yes,
            Err(reply) if reply.status == 404 => Allowed::Hidden,
            Err(_) => Allowed::Refused,
        }
    }
}

impl Rules for Access<'_> {
    fn may_read(&self, repo: usize) -> Allowed {
        self.allowed(repo, Need::DeploymentsRead)
    }
}

impl Hub {
    pub(super) fn graphql_http(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        request_id: &str,
    ) -> HttpResponse {
        let mode = self.settings.graphql;
        if mode == GraphqlMode::Off {
            return finish(Reply::not_found(DOC_REST), request_id);
        }
        let cors = mode != GraphqlMode::NoCors;
        if request.method == Method::Options {
            return if cors {
                preflight(request_id)
            } else {
                HttpResponse {
                    status: 204,
                    headers: Headers::new(),
                    body: Vec::new(),
                }
            };
        }
        let mut reply = if request.method == Method::Post {
            self.graphql_reply(request, ctx)
        } else {
            Reply::not_found(DOC_GRAPHQL)
        };
        // No REST caching headers (GraphQL has no conditional requests), and no CORS under `no_cors`.
        reply.cacheable = false;
        reply.cors = cors;
        finish(reply, request_id)
    }

    fn graphql_reply(&mut self, request: &HttpRequest, ctx: &Ctx) -> Reply {
        let Some(token) = request.header("Authorization").and_then(bearer_token) else {
            return Reply::json(
                401,
                &json!({ "message": "This endpoint requires you to be authenticated.", "documentation_url": DOC_AUTH }),
            );
        };
        let Some(grant) = self.tokens.get(token).cloned() else {
            // A refused token has no quota: GitHub says so with a limit of 0.
            let mut reply = Reply::json(
                401,
                &json!({ "message": "Bad credentials", "documentation_url": DOC_GRAPHQL }),
            );
            let none = Quota {
                limit: 0,
                used: 0,
                reset: ctx.now.plus_seconds(3600),
            };
            quota_headers(&mut reply, none, "graphql");
            return reply;
        };
        let caller = Caller {
            user: Some(grant.user),
            grant: Some(grant),
        };
        let body: Value = match serde_json::from_str(request.body.as_deref().unwrap_or("")) {
            Ok(body @ Value::Object(_)) => body,
            _ => {
                return Reply::json(
                    400,
                    &json!({ "message": "Problems parsing JSON", "documentation_url": DOC_GRAPHQL }),
                )
            }
        };
        let query = body["query"].as_str().unwrap_or("").to_owned();
        let variables = body["variables"].as_object().cloned().unwrap_or_default();
        let operation = body["operationName"].as_str().map(str::to_owned);
        let answer = self.graphql_answer(&query, operation.as_deref(), variables, &caller, ctx);
        // A document refused before running costs a point; one refused for want of points costs none.
        let (cost, mutation) = match &answer {
            Ok(a) => (a.cost.points(), a.mutation),
            Err(refused) if refused["errors"][0]["type"] == "RATE_LIMITED" => (0, false),
            Err(_) => (1, false),
        };
        let body = match answer {
            Ok(a) => a.body,
            Err(refused) => refused,
        };
        let mut reply = Reply::json(200, &body);
        if let Some(limited) = self.graphql_secondary(&caller, ctx, mutation) {
            reply = limited;
        }
        self.graphql_rate_headers(&mut reply, &caller, ctx, cost);
        reply
    }

    /// The document's answer (`Err`: refused before running, as GitHub reports it).
    fn graphql_answer(
        &mut self,
        query: &str,
        operation: Option<&str>,
        variables: Map<String, Value>,
        caller: &Caller,
        ctx: &Ctx,
    ) -> Result<Answer, Value> {
        let document = graphql::parse(query).map_err(|e| {
            graphql::refusal(vec![json!({
                "message": e.message,
                "locations": [{ "line": e.position.line, "column": e.position.column }],
            })])
        })?;
        let request = graphql::prepare(&document, operation, variables)?;
        let cost = request.cost()?;
        let (key, limit) = graphql_quota_key(caller, self.settings.rate_limit_per_hour);
        let quota = *self.quota(&key, limit, ctx.now);
        if self.settings.rate_limits_enabled && quota.remaining() < cost.points() {
            let who = caller
                .user
                .map_or_else(String::new, |id| format!(" for user ID {id}"));
            return Err(graphql::refusal(vec![json!({
                "type": "RATE_LIMITED",
                "message": format!("API rate limit exceeded{who}."),
            })]));
        }
        let counted_used = quota.used + cost.points();
        let rate = (
            cost.points(),
            quota.limit,
            quota.limit.saturating_sub(counted_used),
            quota.reset,
            counted_used,
        );
        if request.is_mutation() {
            let body = self.graphql_mutations(&request, caller, ctx.now);
            return Ok(Answer {
                body,
                cost,
                mutation: true,
            });
        }
        let access = Access { hub: self, caller };
        let mut exec = Exec {
            hub: self,
            rules: &access,
            request: &request,
            now: ctx.now,
            web: ctx.web(),
            rate,
            node_count: cost.nodes,
            errors: Vec::new(),
        };
        let data = exec.run();
        let mut body = Map::new();
        body.insert("data".into(), data);
        if !exec.errors.is_empty() {
            body.insert("errors".into(), Value::Array(exec.errors));
        }
        Ok(Answer {
            body: Value::Object(body),
            cost,
            mutation: false,
        })
    }

    /// Every mutation of the document (`deleteDeployment`, `approveDeployments`, `rejectDeployments`), in
    /// order, each answered on its own: one refused is `null` with its error, the others done.
    fn graphql_mutations(
        &mut self,
        request: &graphql::Request<'_>,
        caller: &Caller,
        now: deploydeck_wire::timestamp::Timestamp,
    ) -> Value {
        let mut data = Map::new();
        let mut errors = Vec::new();
        for (key, name, input, position) in request.mutations() {
            let locations = json!([{ "line": position.line, "column": position.column }]);
            let done = match name.as_str() {
                "__typename" => {
                    data.insert(key, json!("Mutation"));
                    continue;
                }
                "approveDeployments" | "rejectDeployments" => {
                    self.review_mutation(name == "approveDeployments", &input, caller, now)
                }
                _ => self.delete_mutation(&input, caller),
            };
            match done {
                Ok(()) => {
                    let mut payload = Map::new();
                    for (field_key, field_name) in request.payload_fields(&key) {
                        let value = match field_name.as_str() {
                            "clientMutationId" => input["clientMutationId"].clone(),
                            _ => json!(graphql_payload_type(&name)),
                        };
                        payload.insert(field_key, value);
                    }
                    data.insert(key, Value::Object(payload));
                }
                Err((kind, message)) => {
                    errors.push(json!({ "type": kind, "path": [key.clone()], "locations": locations, "message": message }));
                    data.insert(key, Value::Null);
                }
            }
        }
        let mut body = Map::new();
        body.insert("data".into(), Value::Object(data));
        if !errors.is_empty() {
            body.insert("errors".into(), Value::Array(errors));
        }
        Value::Object(body)
    }

    /// `deleteDeployment(input: {id})`.
    fn delete_mutation(
        &mut self,
        input: &Value,
        caller: &Caller,
    ) -> Result<(), (&'static str, String)> {
        let id = input["id"].as_str().unwrap_or("").to_owned();
        let found = bodies::deployment_id_of(&id).and_then(|number| {
            self.repos
                .iter()
                .position(|r| r.deployment(number).is_some())
                .map(|index| (index, number))
        });
        let allowed = found
            .map(|(index, _)| Access { hub: self, caller }.allowed(index, Need::DeploymentsWrite));
        match (found, allowed) {
            (Some((index, number)), Some(Allowed::Yes)) => {
                match self.delete_deployment(index, number) {
                    DeleteOutcome::Deleted => Ok(()),
                    DeleteOutcome::NotFound => Err(not_found(&id)),
                    DeleteOutcome::Refused => Err(("UNPROCESSABLE", "We cannot delete an active deployment unless it is the only deployment in a given environment.".to_owned())),
                }
            }
            (Some(_), Some(Allowed::Refused)) => Err(refused_token()),
            _ => Err(not_found(&id)),
        }
    }

    /// `approveDeployments` / `rejectDeployments(input: {workflowRunId, environmentIds, comment})`: the REST
    /// review's rules and refusals (docs/github-api.md §14), the run and environments named by their node ids.
    fn review_mutation(
        &mut self,
        approved: bool,
        input: &Value,
        caller: &Caller,
        now: deploydeck_wire::timestamp::Timestamp,
    ) -> Result<(), (&'static str, String)> {
        let run_node = input["workflowRunId"].as_str().unwrap_or("").to_owned();
        let found = bodies::run_id_of(&run_node).and_then(|id| {
            self.repos
                .iter()
                .position(|r| r.runs.iter().any(|run| run.id == id))
                .map(|index| (index, id))
        });
        let Some((index, run_id)) = found else {
            return Err(not_found(&run_node));
        };
        match (Access { hub: self, caller }).allowed(index, Need::Review) {
            Allowed::Yes => {}
            Allowed::Refused => return Err(refused_token()),
            Allowed::Hidden => return Err(not_found(&run_node)),
        }
        let mut environments = Vec::new();
        for node in input["environmentIds"].as_array().into_iter().flatten() {
            let node = node.as_str().unwrap_or("");
            match bodies::environment_id_of(node) {
                Some(id) => environments.push(id),
                None => return Err(not_found(node)),
            }
        }
        let asked = ReviewAsked {
            environments,
            approved,
            comment: input["comment"].as_str().unwrap_or("").to_owned(),
            user: caller.user.unwrap_or(0),
        };
        self.review(index, run_id, &asked, now)
            .map(|_| ())
            .map_err(|refusal| ("UNPROCESSABLE", super::actions::refusal_message(refusal)))
    }

    /// GitHub's secondary limits for GraphQL (docs/github-api.md §13): at most 2,000 points a minute, a
    /// query counting 1 and a mutation 5; a mutation is also a content-creating request.
    fn graphql_secondary(&mut self, caller: &Caller, ctx: &Ctx, mutation: bool) -> Option<Reply> {
        if !self.settings.secondary_limits {
            return None;
        }
        let key = caller.user.unwrap_or(0);
        let now = ctx.now;
        let window = self.graphql_points.entry(key).or_default();
        while window
            .front()
            .is_some_and(|(t, _)| now.seconds_since(*t) >= 60)
        {
            window.pop_front();
        }
        let used: u64 = window.iter().map(|(_, p)| *p).sum();
        let points = if mutation { 5 } else { 1 };
        if used + points > 2_000 || ctx.concurrent > 100 {
            let retry = window
                .front()
                .map_or(60, |(t, _)| 60 - now.seconds_since(*t))
                .max(1);
            return Some(
                Reply::json(
                    403,
                    &json!({ "documentation_url": "https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#secondary-rate-limits", "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID." }),
                )
                .header("Retry-After", retry.to_string()),
            );
        }
        window.push_back((now, points));
        None
    }

    /// `x-ratelimit-*` for the GraphQL quota, after counting `points` (GraphQL answers carry no ETag: nothing
    /// is free).
    fn graphql_rate_headers(&mut self, reply: &mut Reply, caller: &Caller, ctx: &Ctx, points: u64) {
        if !self.settings.rate_limits_enabled {
            return;
        }
        let (key, limit) = graphql_quota_key(caller, self.settings.rate_limit_per_hour);
        let quota = self.quota(&key, limit, ctx.now);
        if reply.status == 200 {
            quota.used = (quota.used + points).min(quota.limit);
        }
        let quota = *quota;
        quota_headers(reply, quota, "graphql");
    }
}

/// A token without the permission (GraphQL's FORBIDDEN, REST's 403 words).
fn refused_token() -> (&'static str, String) {
    (
        "FORBIDDEN",
        "Resource not accessible by personal access token".to_owned(),
    )
}

/// The `__typename` of a mutation's payload.
fn graphql_payload_type(mutation: &str) -> &'static str {
    match mutation {
        "approveDeployments" => "ApproveDeploymentsPayload",
        "rejectDeployments" => "RejectDeploymentsPayload",
        _ => "DeleteDeploymentPayload",
    }
}

fn not_found(id: &str) -> (&'static str, String) {
    (
        "NOT_FOUND",
        format!("Could not resolve to a node with the global id of '{id}'"),
    )
}
