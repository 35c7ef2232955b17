//! Commits and comparisons, and re-running a workflow run (docs/github-api.md §16): `GET …/commits/{ref}`,
//! `GET …/compare/{base}...{head}` (paged; files on the first page only, 300 at most) and
//! `POST …/actions/runs/{id}/rerun`.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::paging::{paginate, parse_id, parse_query};
use super::reply::Reply;
use crate::bodies;
use crate::hub::runs::RerunRefusal;
use crate::hub::{Ctx, Hub, Repo};

pub(super) const DOC_COMMIT: &str = "https://docs.github.com/rest/commits/commits#get-a-commit";
pub(super) const DOC_COMPARE: &str =
    "https://docs.github.com/rest/commits/commits#compare-two-commits";
pub(super) const DOC_RERUN: &str =
    "https://docs.github.com/rest/actions/workflow-runs#re-run-a-workflow";

/// Without `page` or `per_page`, compare lists at most this many commits: the newest of the range.
const UNPAGED_COMMITS: usize = 250;
/// The files of a comparison, on its first page only.
const MAX_FILES: usize = 300;

/// A ref as `commits/{ref}` and compare read it: a branch, a tag or a SHA (a prefix of at least 7).
/// GitHub also takes `heads/NAME` and `tags/NAME`.
fn resolve(repo: &Repo, git_ref: &str) -> Option<String> {
    repo.resolve(git_ref)
        .or_else(|| {
            let short = git_ref
                .strip_prefix("heads/")
                .or_else(|| git_ref.strip_prefix("tags/"))?;
            repo.resolve(short)
        })
        .map(|r| r.sha().to_owned())
}

impl Hub {
    /// get-a-commit: 422 for a SHA the repository does not have, 404 for any other unknown ref.
    pub(super) fn get_commit(&self, ctx: &Ctx, index: usize, git_ref: &str) -> Reply {
        let repo = &self.repos[index];
        match resolve(repo, git_ref).and_then(|sha| repo.commit(&sha)) {
            Some(c) => Reply::json(200, &bodies::commit(self, ctx, repo, &c, true)),
            None if git_ref.len() >= 7 && git_ref.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Reply::error(
                    422,
                    &format!("No commit found for SHA: {git_ref}"),
                    DOC_COMMIT,
                )
            }
            None => Reply::error(404, "Not Found", DOC_COMMIT),
        }
    }

    /// compare-commits-with-basehead.
    pub(super) fn compare_route(
        &self,
        ctx: &Ctx,
        index: usize,
        basehead: &str,
        path: &str,
        query: &str,
    ) -> Reply {
        let repo = &self.repos[index];
        let Some((base, head)) = basehead.split_once("...") else {
            return Reply::not_found(DOC_COMPARE);
        };
        let (Some(base_sha), Some(head_sha)) = (resolve(repo, base), resolve(repo, head)) else {
            return Reply::not_found(DOC_COMPARE);
        };
        let Some(found) = repo.compare(&base_sha, &head_sha) else {
            return Reply::error(
                404,
                &format!("No common ancestor between {base} and {head}."),
                DOC_COMPARE,
            );
        };
        let commit = |sha: &str| {
            repo.commit(sha)
                .map(|c| bodies::commit(self, ctx, repo, &c, false))
                .unwrap_or(Value::Null)
        };
        let api = bodies::repo_api(ctx, repo);
        let web = format!("{}/{}", ctx.web(), repo.full_name());
        let params = parse_query(query);
        let paged = params.iter().any(|(k, _)| k == "page" || k == "per_page");
        let first_page = params
            .iter()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .is_none_or(|p| p <= 1);
        // The files are on the first page only, so only it gathers them (a long line's later pages would
        // otherwise walk every commit's files again, and the fake's time is taken from the browser's in benches).
        let mut files: Vec<&String> = Vec::new();
        if first_page {
            let mut seen: HashSet<&String> = HashSet::new();
            for c in found.ahead.iter().filter_map(|sha| repo.history.get(sha)) {
                for f in &c.files {
                    if files.len() < MAX_FILES && seen.insert(f) {
                        files.push(f);
                    }
                }
            }
        }
        let body = |list: &[String]| {
            json!({
                "url": format!("{api}/compare/{base}...{head}"),
                "html_url": format!("{web}/compare/{base}...{head}"),
                "permalink_url": format!("{web}/compare/{}...{}", short(&base_sha), short(&head_sha)),
                "diff_url": format!("{web}/compare/{base}...{head}.diff"),
                "patch_url": format!("{web}/compare/{base}...{head}.patch"),
                "base_commit": commit(&base_sha),
                "merge_base_commit": commit(&found.merge_base),
                "status": found.status,
                "ahead_by": found.ahead.len(),
                "behind_by": found.behind_by,
                "total_commits": found.ahead.len(),
                "commits": list.iter().map(|sha| commit(sha)).collect::<Vec<_>>(),
                "files": if first_page {
                    bodies::diff_entries(ctx, repo, &head_sha, files.iter().copied())
                } else {
                    Vec::new()
                },
            })
        };
        if !paged {
            let from = found.ahead.len().saturating_sub(UNPAGED_COMMITS);
            return Reply::json(200, &body(&found.ahead[from..]));
        }
        paginate(ctx, path, &params, found.ahead.len(), |range| {
            serde_json::to_vec(&body(&found.ahead[range]))
        })
    }

    /// re-run-a-workflow: 201 with `{}`; 403 for a run over 30 days old or still going; 404 for no such run.
    pub(super) fn rerun_route(&mut self, ctx: &Ctx, index: usize, id: &str) -> Reply {
        let Some(id) = parse_id(id) else {
            return Reply::not_found(DOC_RERUN);
        };
        match self.rerun(index, id, ctx.now) {
            Ok(()) => Reply::json(201, &json!({})),
            Err(RerunRefusal::NotFound) => Reply::not_found(DOC_RERUN),
            Err(RerunRefusal::TooOld) => {
                Reply::error(403, &self.settings.rerun_too_old_message, DOC_RERUN)
            }
            Err(RerunRefusal::Running) => {
                Reply::error(403, "This workflow is already running", DOC_RERUN)
            }
        }
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(7)]
}
