//! `Hub::handle`: one request in, one response out, as api.github.com answers it — routing (docs/github-api.md §1),
//! common headers (§2), CORS (§3), pagination (§4), rate limits and conditional requests (§5), errors (§6)
//! and the operations (§8).
//!
//! By concern: `reply` (replies, headers, CORS, ETags), `auth` (the token, permissions, rate limits), `paging`,
//! `read` (request bodies), `deployments` (the deployments API's routes), `actions` (the reviews' Actions
//! endpoints), `graphql_route` (GraphQL's endpoint). Here: `Hub::handle` and the routing.

mod actions;
mod auth;
mod commits;
mod deployments;
mod graphql_route;
mod paging;
mod read;
mod reply;

use deploydeck_wire::http::{HttpRequest, HttpResponse, Method};
use deploydeck_wire::url::{decode_component, HttpUrl};

use crate::bodies;
use crate::hub::{Access, Ctx, Grant, Hub};

use auth::*;
use deployments::*;
use paging::*;
use reply::*;

pub use reply::{cors_violations, etag_for, API_VERSIONS, EXPOSE_HEADERS, PREFLIGHT_ALLOW_HEADERS};

impl Hub {
    /// Answers one request at `ctx.now`, as GitHub would.
    pub fn handle(&mut self, request: &HttpRequest, ctx: &Ctx) -> HttpResponse {
        self.request_count += 1;
        // Wait timers run out between requests (§14).
        self.advance_runs(ctx.now);
        let request_id = format!(
            "{:04X}:{:04X}:{:X}:{:X}:{:X}",
            self.request_count % 0xFFFF,
            ctx.now.unix() % 0xFFFF,
            self.request_count,
            ctx.now.unix(),
            self.request_count * 7
        );
        let Ok(url) = HttpUrl::parse(&request.url) else {
            let mut r = finish(Reply::error(400, "Bad Request", DOC_REST), &request_id);
            r.headers
                .set("Content-Type", "application/json; charset=utf-8");
            return r;
        };
        // GHES serves the same API under /api/v3 (docs/github-api.md §10).
        let mut ctx = ctx.clone();
        // A server reached through an alias names its own address in what it sends (its `Link`s included).
        if let Some(own) = &self.settings.link_base {
            let path = HttpUrl::parse(&ctx.base)
                .map(|u| u.path().trim_end_matches('/').to_owned())
                .unwrap_or_default();
            ctx.base = format!("{}{path}", own.trim_end_matches('/'));
        }
        let mut path = url.path();
        if let Some(rest) = path.strip_prefix("/api/v3") {
            if rest.is_empty() || rest.starts_with('/') {
                path = rest;
                if !ctx.base.ends_with("/api/v3") {
                    ctx.base.push_str("/api/v3");
                }
            }
        }
        let query = url.query().unwrap_or("");

        // GraphQL: /graphql on github.com, /api/graphql on GHES (docs/github-api.md §13).
        if path == "/graphql" || url.path() == "/api/graphql" {
            return self.graphql_http(request, &ctx, &request_id);
        }

        if request.method == Method::Options {
            return preflight(&request_id);
        }

        finish(self.authenticated(request, &ctx, path, query), &request_id)
    }

    fn route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        path: &str,
        query: &str,
    ) -> Reply {
        // A trailing slash is a 404 (docs/github-api.md §1).
        if path.len() > 1 && path.ends_with('/') {
            return Reply::not_found(DOC_REST);
        }
        let segments: Vec<String> = path
            .split('/')
            .skip(1)
            .map(|s| decode_component(s).unwrap_or_else(|| s.to_owned()))
            .collect();
        let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
        let m = request.method;
        match (m, seg.as_slice()) {
            (Method::Get, ["user"]) => self.get_user(ctx, caller),
            (Method::Get, ["rate_limit"]) => self.get_rate_limit(caller, ctx),
            (_, ["repos", owner, name, rest @ ..]) => {
                let Some(index) = self.repo_index(owner, name) else {
                    return Reply::not_found(doc_for(m, rest));
                };
                self.repo_route(request, ctx, caller, index, rest, query)
            }
            _ => Reply::not_found(DOC_REST),
        }
    }

    fn repo_route(
        &mut self,
        request: &HttpRequest,
        ctx: &Ctx,
        caller: &Caller,
        index: usize,
        rest: &[&str],
        query: &str,
    ) -> Reply {
        let m = request.method;
        let need = match (m, rest) {
            (Method::Get, []) => Need::Metadata,
            (Method::Get, ["deployments", ..]) => Need::DeploymentsRead,
            (Method::Post | Method::Delete, ["deployments", ..]) => Need::DeploymentsWrite,
            (Method::Post, ["dispatches"]) => Need::ContentsWrite,
            (Method::Get, ["environments", ..]) => Need::EnvironmentsRead,
            (Method::Delete, ["environments", _]) => Need::Administration,
            (Method::Get, ["branches"]) => Need::Metadata,
            (Method::Get, ["commits", _, ..] | ["compare", ..]) => Need::ContentsRead,
            (Method::Get, ["actions", "runs", ..]) => Need::ActionsRead,
            (Method::Post, ["actions", "runs", _, "rerun"]) => Need::ActionsWrite,
            (Method::Post, ["actions", "runs", _, "pending_deployments"]) => Need::Review,
            _ => return Reply::not_found(DOC_REST),
        };
        if let Err(reply) = self.authorize(caller, index, need, doc_for(m, rest)) {
            return reply;
        }
        let path = request_path(&request.url);
        let role = caller
            .user
            .and_then(|id| self.user(id))
            .and_then(|u| self.repos[index].role_of(u));
        let reply = match (m, rest) {
            (Method::Get, []) => Reply::json(
                200,
                &bodies::repository(self, ctx, &self.repos[index], role),
            ),
            (Method::Get, ["deployments"]) => self.list_deployments(ctx, index, &path, query),
            (Method::Post, ["deployments"]) => self
                .create_deployment_route(request, ctx, caller, index)
                .unwrap_or_else(|reply| reply),
            (Method::Get, ["deployments", id]) => match parse_id(id)
                .and_then(|id| self.repos[index].deployment(id))
            {
                Some(d) => Reply::json(200, &bodies::deployment(self, ctx, &self.repos[index], d)),
                None => Reply::not_found(DOC_GET),
            },
            (Method::Delete, ["deployments", id]) => self.delete_route(index, id),
            (Method::Get, ["deployments", id, "statuses"]) => {
                self.list_statuses(ctx, index, id, &path, query)
            }
            (Method::Post, ["deployments", id, "statuses"]) => {
                self.create_status_route(request, ctx, caller, index, id)
            }
            (Method::Get, ["deployments", id, "statuses", status_id]) => {
                self.get_status(ctx, index, id, status_id)
            }
            (Method::Post, ["dispatches"]) => self.dispatch_route(request, ctx, caller, index),
            (Method::Get, ["environments"]) => self.list_environments(ctx, index, &path, query),
            (Method::Get, ["environments", name]) => match self.repos[index].environment(name) {
                Some(e) => Reply::json(200, &bodies::environment(self, ctx, &self.repos[index], e)),
                None => Reply::not_found(DOC_ENVIRONMENT),
            },
            (Method::Delete, ["environments", name]) => {
                if self.repos[index].delete_environment(name) {
                    Reply::empty(204)
                } else {
                    Reply::not_found(DOC_DELETE_ENVIRONMENT)
                }
            }
            (Method::Get, ["branches"]) => self.list_branches(ctx, index, &path, query),
            (Method::Get, ["actions", "runs"]) => self.list_runs(ctx, index, &path, query),
            (Method::Get, ["actions", "runs", id]) => self.get_run(ctx, index, id),
            (Method::Get, ["actions", "runs", id, "pending_deployments"]) => {
                self.pending_deployments(ctx, caller, index, id)
            }
            (Method::Post, ["actions", "runs", id, "pending_deployments"]) => {
                self.review_route(request, ctx, caller, index, id)
            }
            (Method::Get, ["actions", "runs", id, "approvals"]) => self.approvals(ctx, index, id),
            (Method::Post, ["actions", "runs", id, "rerun"]) => self.rerun_route(ctx, index, id),
            // `x-multi-segment`: a branch name with slashes spans several segments.
            (Method::Get, ["commits", parts @ ..]) if !parts.is_empty() => {
                self.get_commit(ctx, index, &parts.join("/"))
            }
            (Method::Get, ["compare", parts @ ..]) if !parts.is_empty() => {
                self.compare_route(ctx, index, &parts.join("/"), &path, query)
            }
            _ => Reply::not_found(DOC_REST),
        };
        let private = self.repos[index].private;
        match &caller.grant {
            Some(Grant {
                access: Access::Classic { .. },
                ..
            }) => {
                let (name, value) = accepted_header(need, private);
                reply.header(name, value)
            }
            Some(Grant {
                access: Access::FineGrained { .. },
                ..
            }) => match need.permission() {
                Some((p, l)) => {
                    reply.header("X-Accepted-GitHub-Permissions", permission_text(p, l))
                }
                None => reply.header("X-Accepted-GitHub-Permissions", "metadata=read"),
            },
            None => reply,
        }
    }
}
