//! GitHub's compare of two commits (docs/github-api.md §16), read through a lean record: SHAs checked, links
//! http(s) only, text clipped with hidden controls shown, counts capped, an unknown status refused. What will
//! ship (`ship`) and lead time (`insights`) both read it.

use serde::Deserialize;

use crate::api::http::{HttpRequest, Method};
use crate::api::request::{Client, PageRequest};
use crate::api::response::ApiError;
use crate::github::validate::RepoRef;
use crate::text::{clip, reveal};
use crate::timestamp::Timestamp;
use crate::url::HttpUrl;

/// Commits a page of a comparison asks for (GitHub's most when paging, docs/github-api.md §16).
pub const COMMITS_PER_PAGE: u8 = 100;
/// Counts from the host are shown up to this (a hostile or broken answer cannot print a 20-digit number).
pub const MAX_COUNT: u64 = 1_000_000;
/// How a deployment's commit stands to what its environment runs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The same commit.
    Identical,
    /// Newer: it adds commits and removes none.
    Newer,
    /// Older: deploying it takes commits away (a rollback).
    Older,
    /// Each has commits the other lacks.
    Diverged,
}

/// One commit as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitLine {
    pub sha: String,
    pub headline: String,
    pub author: String,
    /// The author's date.
    pub at: Option<Timestamp>,
    /// The committer's date: when the commit came to be as it is (a rebase or squash merge resets it).
    pub committed_at: Option<Timestamp>,
    /// Its page on GitHub, when the host gave an http(s) address.
    pub link: Option<String>,
}

impl CommitLine {
    pub fn short_sha(&self) -> &str {
        self.sha.get(..7).unwrap_or(&self.sha)
    }
}

/// A page of GitHub's compare, read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawComparison")]
pub struct Comparison {
    pub relation: Relation,
    /// Commits the head has that the base lacks (what arrives).
    pub ahead_by: u64,
    /// Commits the base has that the head lacks (what leaves).
    pub behind_by: u64,
    /// This page's commits, oldest first.
    pub commits: Vec<CommitLine>,
    /// Files changed (GitHub lists at most 300, on the first page only).
    pub files: usize,
}

#[derive(Deserialize)]
struct RawComparison {
    status: String,
    ahead_by: u64,
    behind_by: u64,
    #[serde(default)]
    commits: Vec<RawCommit>,
    #[serde(default)]
    files: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct RawCommit {
    sha: String,
    #[serde(default)]
    html_url: Option<String>,
    commit: RawGitCommit,
    /// A user, `null`, or `{}` when GitHub cannot match the author to one.
    #[serde(default)]
    author: Option<RawLogin>,
}

#[derive(Deserialize)]
struct RawLogin {
    #[serde(default)]
    login: Option<String>,
}

#[derive(Deserialize)]
struct RawGitCommit {
    #[serde(default)]
    message: String,
    #[serde(default)]
    author: Option<RawGitUser>,
    #[serde(default)]
    committer: Option<RawGitUser>,
}

#[derive(Deserialize)]
struct RawGitUser {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    date: Option<Timestamp>,
}

impl TryFrom<RawComparison> for Comparison {
    type Error = String;

    fn try_from(raw: RawComparison) -> Result<Self, String> {
        let relation = match raw.status.as_str() {
            "identical" => Relation::Identical,
            "ahead" => Relation::Newer,
            "behind" => Relation::Older,
            "diverged" => Relation::Diverged,
            other => return Err(format!("unknown compare status “{}”", cut(other, 40))),
        };
        Ok(Comparison {
            relation,
            ahead_by: raw.ahead_by.min(MAX_COUNT),
            behind_by: raw.behind_by.min(MAX_COUNT),
            commits: raw.commits.into_iter().filter_map(commit_line).collect(),
            files: raw.files.len(),
        })
    }
}

/// A commit the host sent, or nothing when its SHA is not one.
fn commit_line(raw: RawCommit) -> Option<CommitLine> {
    if !is_sha(&raw.sha) {
        return None;
    }
    let headline = raw.commit.message.lines().next().unwrap_or("").trim();
    let git_author = raw.commit.author.as_ref();
    let author = raw
        .author
        .and_then(|a| a.login)
        .or_else(|| git_author.and_then(|a| a.name.clone()))
        .unwrap_or_else(|| "unknown".into());
    Some(CommitLine {
        headline: cut(
            if headline.is_empty() {
                "(no message)"
            } else {
                headline
            },
            200,
        ),
        author: cut(&author, 60),
        at: git_author.and_then(|a| a.date),
        committed_at: raw.commit.committer.and_then(|c| c.date),
        link: raw.html_url.filter(|u| HttpUrl::parse(u).is_ok()),
        sha: raw.sha.to_ascii_lowercase(),
    })
}

/// At most `max` characters of host text, its hidden controls shown, and "…" when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    let c = clip(text, max);
    let shown = reveal(c.shown).into_owned();
    if c.omitted > 0 {
        shown + "…"
    } else {
        shown
    }
}

/// A full commit SHA: 40 hex digits (64 in SHA-256 repositories).
pub fn is_sha(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Client {
    /// `GET /repos/{o}/{r}/compare/{base}...{head}`, a page of its commits: both are SHAs, checked.
    pub fn compare(
        &self,
        repo: &RepoRef,
        base: &str,
        head: &str,
        page: u32,
    ) -> Result<HttpRequest, ApiError> {
        for sha in [base, head] {
            if !is_sha(sha) {
                return Err(ApiError::Decode {
                    message: format!("“{}” is not a commit SHA", cut(sha, 80)),
                });
            }
        }
        let path = format!("{}/compare/{base}...{head}", Self::repo_path(repo));
        Ok(self.request(
            Method::Get,
            &Self::paged(path, PageRequest::new(COMMITS_PER_PAGE, page), Vec::new()),
        ))
    }
}
