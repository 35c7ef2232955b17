//! A repository's commits and their parents, and what GitHub's compare answers between two of them
//! (docs/github-api.md §16): `identical`, `ahead`, `behind` or `diverged`, with the commits the head has
//! that the base lacks, oldest first.
//!
//! The fake keeps one parent per commit (no merge commits): every history is a tree. A seed gives its commits
//! (`history`), or the fake makes a readable line from what the seed deploys — each deployed commit in the
//! order of its first deployment, then the default branch's head — and forks every other known commit (other
//! branches, tags) from that line's first commit, so that comparing with them is `diverged`.

use std::collections::{BTreeMap, HashSet};

use deploydeck_wire::Timestamp;
use serde::{Deserialize, Serialize};

use super::{fake_sha, Repo};

/// One commit: its parent, message, author (a login the fake knows, or a name) and files changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    pub sha: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub message: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub date: Option<Timestamp>,
    /// Paths changed (each `modified`).
    #[serde(default)]
    pub files: Vec<String>,
}

/// What compare found between a base and a head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub status: &'static str,
    /// The commits the head has and the base lacks, oldest first.
    pub ahead: Vec<String>,
    pub behind_by: usize,
    pub merge_base: String,
}

/// Messages for the line the fake makes when a seed gives none: what a team's history reads like.
const MESSAGES: [&str; 12] = [
    "Fix the rounding of order totals at checkout",
    "Add a dark theme to the header",
    "Cache product images for a day",
    "Retry payment webhooks with backoff",
    "Show delivery estimates on the cart",
    "Upgrade the database driver",
    "Log slow queries over 200 ms",
    "Move feature flags to the config service",
    "Fix a crash when a coupon has expired",
    "Translate the checkout into German",
    "Speed up the search index rebuild",
    "Remove the old recommendations widget",
];

impl Repo {
    /// A commit the repository knows; one without a recorded history gets a made-up message and no parent.
    pub fn commit(&self, sha: &str) -> Option<Commit> {
        if let Some(c) = self.history.get(sha) {
            return Some(c.clone());
        }
        self.commits.contains(sha).then(|| Commit {
            sha: sha.to_owned(),
            parent: None,
            message: format!("Commit {}", &sha[..sha.len().min(7)]),
            author: None,
            date: None,
            files: Vec::new(),
        })
    }

    /// `sha` and its ancestors, nearest first (bounded: a loop in a hand-written seed ends).
    pub fn lineage(&self, sha: &str) -> Vec<String> {
        self.ancestry(sha).into_iter().map(str::to_owned).collect()
    }

    /// [`Repo::lineage`] borrowed from the history: a long line's compare walks it twice per request, and
    /// the fake's time is taken from the browser's in benches.
    fn ancestry<'a>(&'a self, sha: &'a str) -> Vec<&'a str> {
        let mut line = vec![sha];
        let mut seen = HashSet::from([sha]);
        while let Some(parent) = self
            .history
            .get(*line.last().unwrap())
            .and_then(|c| c.parent.as_deref())
        {
            if !seen.insert(parent) {
                break;
            }
            line.push(parent);
        }
        line
    }

    /// GitHub's compare of two commits; `None` when they share no ancestor.
    pub fn compare(&self, base: &str, head: &str) -> Option<Comparison> {
        // The usual case, a base behind its head: walked from the head to the base alone (at most as many
        // steps as the history has commits, so a loop in a seed ends).
        let mut ahead = Vec::new();
        let mut at = Some(head);
        while let Some(sha) = at.filter(|sha| *sha != base && ahead.len() <= self.history.len()) {
            ahead.push(sha);
            at = self.history.get(sha).and_then(|c| c.parent.as_deref());
        }
        if at == Some(base) {
            let mut ahead: Vec<String> = ahead.into_iter().map(str::to_owned).collect();
            ahead.reverse();
            let status = if ahead.is_empty() {
                "identical"
            } else {
                "ahead"
            };
            return Some(Comparison {
                status,
                ahead,
                behind_by: 0,
                merge_base: base.to_owned(),
            });
        }
        let from_head = self.ancestry(head);
        let from_base = self.ancestry(base);
        let in_base: HashSet<&str> = from_base.iter().copied().collect();
        let at = from_head.iter().position(|c| in_base.contains(c))?;
        let merge_base = from_head[at].to_owned();
        let behind_by = from_base.iter().position(|c| *c == merge_base).unwrap_or(0);
        let mut ahead: Vec<String> = from_head[..at].iter().map(|c| (*c).to_owned()).collect();
        ahead.reverse();
        let status = match (ahead.is_empty(), behind_by == 0) {
            (true, true) => "identical",
            (false, true) => "ahead",
            (true, false) => "behind",
            (false, false) => "diverged",
        };
        Some(Comparison {
            status,
            ahead,
            behind_by,
            merge_base,
        })
    }

    /// Records a commit made on the server (an auto-merge): its parent is the branch's previous head.
    pub fn add_commit(&mut self, sha: &str, parent: &str, message: String, date: Timestamp) {
        self.commits.insert(sha.to_owned());
        self.history.insert(
            sha.to_owned(),
            Commit {
                sha: sha.to_owned(),
                parent: Some(parent.to_owned()),
                message,
                author: None,
                date: Some(date),
                files: Vec::new(),
            },
        );
    }

    /// The seed's history, or — when it gives none — the line described in this module's header, each commit
    /// by whoever first deployed it (`login_of` names them).
    pub fn build_history(&mut self, given: &[Commit], login_of: impl Fn(u64) -> Option<String>) {
        if !given.is_empty() {
            for c in given {
                self.commits.insert(c.sha.clone());
                self.history.insert(c.sha.clone(), c.clone());
            }
            return;
        }
        // Deployed commits in the order of their first deployment, with when and by whom.
        let mut firsts: BTreeMap<&str, (Timestamp, u64)> = BTreeMap::new();
        for d in &self.deployments {
            let e = firsts.entry(&d.sha).or_insert((d.created_at, d.creator));
            if d.created_at < e.0 {
                *e = (d.created_at, d.creator);
            }
        }
        let mut line: Vec<(String, Option<Timestamp>, Option<u64>)> = firsts
            .into_iter()
            .map(|(sha, (at, who))| (sha.to_owned(), Some(at), Some(who)))
            .collect();
        line.sort_by_key(|(sha, at, _)| (*at, sha.clone()));
        let head = self
            .branch(&self.default_branch)
            .map(|b| b.sha.clone())
            .unwrap_or_else(|| fake_sha(&format!("{}@initial", self.full_name())));
        if !line.iter().any(|(sha, ..)| *sha == head) {
            line.push((head, None, None));
        }
        let mut parent: Option<String> = None;
        let count = line.len();
        for (n, (sha, at, who)) in line.iter().enumerate() {
            let message = MESSAGES[(self.id as usize + n) % MESSAGES.len()];
            let date = at
                .map(|t| Timestamp::from_unix(t.unix() - 600))
                .unwrap_or(self.created_at);
            self.history.insert(
                sha.clone(),
                Commit {
                    sha: sha.clone(),
                    parent: parent.clone(),
                    message: format!("{message} (change {} of {count})", n + 1),
                    author: who.and_then(&login_of).filter(|l| !l.ends_with("[bot]")),
                    date: Some(date),
                    files: vec![format!("src/change_{}.rs", n + 1), "CHANGELOG.md".into()],
                },
            );
            parent = Some(sha.clone());
        }
        let root = line.first().map(|(sha, ..)| sha.clone());
        let others: Vec<String> = self
            .commits
            .iter()
            .filter(|c| !self.history.contains_key(*c))
            .cloned()
            .collect();
        for sha in others {
            let message = format!("Work in progress on {}", &sha[..sha.len().min(7)]);
            self.history.insert(
                sha.clone(),
                Commit {
                    sha,
                    parent: root.clone(),
                    message,
                    author: None,
                    date: Some(self.created_at),
                    files: vec!["README.md".into()],
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::Hub;

    fn repo_with_line(shas: &[&str]) -> Repo {
        let mut hub = Hub::new(Default::default());
        let i = hub.add_repo("acme", "web", false, Timestamp::from_unix(0));
        let mut repo = hub.repos[i].clone();
        let mut parent: Option<String> = None;
        let given: Vec<Commit> = shas
            .iter()
            .map(|sha| {
                let c = Commit {
                    sha: sha.to_string(),
                    parent: parent.clone(),
                    message: format!("m {sha}"),
                    author: None,
                    date: None,
                    files: vec![],
                };
                parent = Some(sha.to_string());
                c
            })
            .collect();
        repo.build_history(&given, |_| None);
        repo
    }

    #[test]
    fn compare_says_each_of_the_four_statuses() {
        let mut repo = repo_with_line(&["a1", "a2", "a3", "a4"]);
        repo.build_history(
            &[Commit {
                sha: "b1".into(),
                parent: Some("a2".into()),
                message: "side".into(),
                author: None,
                date: None,
                files: vec![],
            }],
            |_| None,
        );
        let c = repo.compare("a2", "a4").unwrap();
        assert_eq!(
            (c.status, c.ahead.clone(), c.behind_by),
            ("ahead", vec!["a3".into(), "a4".into()], 0)
        );
        let c = repo.compare("a4", "a2").unwrap();
        assert_eq!((c.status, c.ahead.len(), c.behind_by), ("behind", 0, 2));
        assert_eq!(repo.compare("a3", "a3").unwrap().status, "identical");
        let c = repo.compare("a4", "b1").unwrap();
        assert_eq!(
            (
                c.status,
                c.ahead.clone(),
                c.behind_by,
                c.merge_base.as_str()
            ),
            ("diverged", vec!["b1".into()], 2, "a2")
        );
    }

    #[test]
    fn unrelated_commits_share_no_ancestor_and_a_loop_ends() {
        let mut repo = repo_with_line(&["a1", "a2"]);
        repo.build_history(
            &[
                Commit {
                    sha: "x1".into(),
                    parent: Some("x2".into()),
                    message: "x".into(),
                    author: None,
                    date: None,
                    files: vec![],
                },
                Commit {
                    sha: "x2".into(),
                    parent: Some("x1".into()),
                    message: "y".into(),
                    author: None,
                    date: None,
                    files: vec![],
                },
            ],
            |_| None,
        );
        assert_eq!(repo.compare("a2", "x1"), None);
        assert_eq!(repo.lineage("x1").len(), 2);
    }
}
