//! The deployments API's own routes (§8): deployments, their statuses, repository dispatch, environments,
//! branches, the authenticated user and the rate-limit overview.

use deploydeck_wire::http::{HttpRequest, Method};
use serde_json::json;

use crate::bodies;
use crate::hub::{CreateOutcome, Ctx, DeleteOutcome, Hub};

use super::actions;
use super::auth::{quota_key, Caller};
use super::paging::{paginate, parse_id, parse_query};
use super::read::{json_object, read_dispatch, read_new_deployment, read_new_status};
use super::reply::*;

pub(super) fn doc_for(method: Method, rest: &[&str]) -> &'static str {
    match (method, rest) {
        (Method::Get, []) => DOC_REPO,
        (Method::Get, ["deployments"]) => DOC_LIST,
        (Method::Post, ["deployments"]) => DOC_CREATE,
        (Method::Get, ["deployments", _]) => DOC_GET,
        (Method::Delete, ["deployments", _]) => DOC_DELETE,
        (Method::Get, ["deployments", _, "statuses"]) => DOC_STATUSES,
        (Method::Post, ["deployments", _, "statuses"]) => DOC_CREATE_STATUS,
        (Method::Get, ["deployments", _, "statuses", _]) => DOC_GET_STATUS,
        (Method::Post, ["dispatches"]) => DOC_DISPATCH,
        (Method::Get, ["environments"]) => DOC_ENVIRONMENTS,
        (Method::Get, ["environments", _]) => DOC_ENVIRONMENT,
        (Method::Delete, ["environments", _]) => DOC_DELETE_ENVIRONMENT,
        (Method::Get, ["branches"]) => DOC_BRANCHES,
        (_, ["actions", rest @ ..]) => actions::doc_for(rest),
        _ => DOC_REST,
    }
}

impl Hub {
    pub(super) fn get_user(&self, ctx: &Ctx, caller: &Caller) -> Reply {
        match caller.user.and_then(|id| self.user(id)) {
            Some(user) => Reply::json(200, &bodies::private_user(ctx, user)),
            None => Reply::error(401, "Requires authentication", DOC_USER),
        }
    }

    pub(super) fn get_rate_limit(&mut self, caller: &Caller, ctx: &Ctx) -> Reply {
        let (key, limit) = quota_key(caller, self.settings.rate_limit_per_hour);
        let q = *self.quota(&key, limit, ctx.now);
        let mut reply = Reply::json(200, &bodies::rate_limit(q.limit, q.used, q.reset.unix()));
        reply.counts = false;
        reply
    }

    pub(super) fn list_deployments(
        &self,
        ctx: &Ctx,
        index: usize,
        path: &str,
        query: &str,
    ) -> Reply {
        let repo = &self.repos[index];
        let params = parse_query(query);
        let filter = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let (sha, git_ref, task, environment) = (
            filter("sha"),
            filter("ref"),
            filter("task"),
            filter("environment"),
        );
        // Newest first (docs/github-api.md §4).
        let items: Vec<_> = repo
            .deployments
            .iter()
            .rev()
            .filter(|d| sha.is_none_or(|s| d.sha == s))
            .filter(|d| git_ref.is_none_or(|r| d.git_ref == r))
            .filter(|d| task.is_none_or(|t| d.task == t))
            .filter(|d| environment.is_none_or(|e| d.environment == e))
            .collect();
        paginate(ctx, path, &params, items.len(), |range| {
            let page: Vec<_> = items[range]
                .iter()
                .map(|d| bodies::deployment(self, ctx, repo, d))
                .collect();
            serde_json::to_vec(&page)
        })
    }

    pub(super) fn create_deployment_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
    ) -> Result<Reply, Reply> {
        let body = json_object(request)?;
        let new =
            read_new_deployment(&body).map_err(|detail| Reply::invalid(&detail, DOC_CREATE))?;
        let creator = caller.user.unwrap_or(0);
        Ok(match self.create_deployment(index, creator, new, ctx.now) {
            CreateOutcome::Created(id) => {
                let repo = &self.repos[index];
                let Some(d) = repo.deployment(id) else { return Err(Reply::error(500, "Server Error", DOC_CREATE)) };
                let body = bodies::deployment(self, ctx, repo, d);
                let location = body.url.clone();
                Reply::json(201, &body).header("Location", location)
            }
            CreateOutcome::AutoMerged { base, head } => {
                Reply::json(202, &json!({"message": format!("Auto-merged {base} into {head} on deployment.")}))
            }
            CreateOutcome::NoRef(r) => Reply::error(422, &format!("No ref found for: {r}"), DOC_CREATE),
            CreateOutcome::MergeConflict { base, head } => {
                Reply::error(409, &format!("Conflict merging {base} into {head}."), DOC_CREATE)
            }
            CreateOutcome::ChecksFailed { git_ref, contexts } => Reply::json(
                409,
                &ErrorBody::new(409, &format!("Conflict: Commit status checks failed for {git_ref}."), DOC_CREATE)
                    .with_errors(json!([{
                        "contexts": contexts.iter().map(|c| json!({"context": c.context, "state": c.state})).collect::<Vec<_>>(),
                        "resource": "Deployment",
                        "field": "required_contexts",
                        "code": "invalid"
                    }])),
            ),
        })
    }

    pub(super) fn delete_route(&mut self, index: usize, id: &str) -> Reply {
        let Some(id) = parse_id(id) else {
            return Reply::not_found(DOC_DELETE);
        };
        match self.delete_deployment(index, id) {
            DeleteOutcome::Deleted => Reply::empty(204),
            DeleteOutcome::NotFound => Reply::not_found(DOC_DELETE),
            // docs/github-api.md §8.4: validation-error-simple, errors[] as plain strings.
            DeleteOutcome::Refused => Reply::json(
                422,
                &ErrorBody::new(422, "Validation Failed", DOC_DELETE).with_errors(json!([
                    "We cannot delete an active deployment unless it is the only deployment in a given environment."
                ])),
            ),
        }
    }

    pub(super) fn list_statuses(
        &self,
        ctx: &Ctx,
        index: usize,
        id: &str,
        path: &str,
        query: &str,
    ) -> Reply {
        let repo = &self.repos[index];
        let Some(d) = parse_id(id).and_then(|id| repo.deployment(id)) else {
            return Reply::not_found(DOC_STATUSES);
        };
        let mut statuses: Vec<_> = d.statuses.iter().collect();
        statuses.sort_by_key(|s| std::cmp::Reverse((s.created_at, s.id)));
        let params = parse_query(query);
        paginate(ctx, path, &params, statuses.len(), |range| {
            let page: Vec<_> = statuses[range]
                .iter()
                .map(|s| bodies::status(self, ctx, repo, d, s))
                .collect();
            serde_json::to_vec(&page)
        })
    }

    pub(super) fn create_status_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
        id: &str,
    ) -> Reply {
        let Some(id) = parse_id(id).filter(|id| self.repos[index].deployment(*id).is_some()) else {
            return Reply::not_found(DOC_CREATE_STATUS);
        };
        let new = json_object(request).and_then(|body| read_new_status(&body));
        let new = match new {
            Ok(new) => new,
            Err(reply) => return reply,
        };
        let Some(status_id) = self.add_status(index, id, caller.user.unwrap_or(0), new, ctx.now)
        else {
            return Reply::not_found(DOC_CREATE_STATUS);
        };
        let repo = &self.repos[index];
        let (Some(d), Some(s)) = (
            repo.deployment(id),
            repo.deployment(id)
                .and_then(|d| d.statuses.iter().find(|s| s.id == status_id)),
        ) else {
            return Reply::error(500, "Server Error", DOC_CREATE_STATUS);
        };
        let body = bodies::status(self, ctx, repo, d, s);
        let location = body.url.clone();
        Reply::json(201, &body).header("Location", location)
    }

    pub(super) fn get_status(&self, ctx: &Ctx, index: usize, id: &str, status_id: &str) -> Reply {
        let repo = &self.repos[index];
        let found = parse_id(id)
            .and_then(|id| repo.deployment(id))
            .and_then(|d| {
                parse_id(status_id)
                    .and_then(|sid| d.statuses.iter().find(|s| s.id == sid))
                    .map(|s| (d, s))
            });
        match found {
            Some((d, s)) => Reply::json(200, &bodies::status(self, ctx, repo, d, s)),
            None => Reply::not_found(DOC_GET_STATUS),
        }
    }

    pub(super) fn dispatch_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
    ) -> Reply {
        let (event_type, client_payload) =
            match json_object(request).and_then(|body| read_dispatch(&body)) {
                Ok(dispatch) => dispatch,
                Err(reply) => return reply,
            };
        self.repos[index].dispatches.push(crate::hub::Dispatch {
            event_type,
            client_payload,
            user: caller.user.unwrap_or(0),
            at: ctx.now,
        });
        Reply::empty(204)
    }

    pub(super) fn list_environments(
        &self,
        ctx: &Ctx,
        index: usize,
        path: &str,
        query: &str,
    ) -> Reply {
        let repo = &self.repos[index];
        let mut environments: Vec<_> = repo.environments.iter().collect();
        environments.sort_by_key(|e| e.name.to_ascii_lowercase());
        let params = parse_query(query);
        let total = environments.len();
        paginate(ctx, path, &params, total, |range| {
            let page: Vec<_> = environments[range]
                .iter()
                .map(|e| bodies::environment(self, ctx, repo, e))
                .collect();
            serde_json::to_vec(&json!({"total_count": total, "environments": page}))
        })
    }

    pub(super) fn list_branches(&self, ctx: &Ctx, index: usize, path: &str, query: &str) -> Reply {
        let repo = &self.repos[index];
        let params = parse_query(query);
        let protected = params
            .iter()
            .find(|(k, _)| k == "protected")
            .map(|(_, v)| v == "true");
        let mut branches: Vec<_> = repo
            .branches
            .iter()
            .filter(|b| protected.is_none_or(|p| b.protected == p))
            .collect();
        branches.sort_by(|a, b| a.name.cmp(&b.name));
        paginate(ctx, path, &params, branches.len(), |range| {
            let page: Vec<_> = branches[range]
                .iter()
                .map(|b| bodies::short_branch(ctx, repo, &b.name, &b.sha, b.protected))
                .collect();
            serde_json::to_vec(&page)
        })
    }
}
