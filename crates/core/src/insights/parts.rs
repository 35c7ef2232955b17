//! An environment's line (see [`LineRead`]) read in parts while its deployments arrive, so that lead time is
//! known moments after the last page of deployments rather than a whole line's read later (docs/insights.md,
//! "Reading the line while the deployments arrive").
//!
//! The deployments of one environment arrive a page at a time, newest first. Each page's successes are older
//! than the last page's, so each page adds one part of the line: from its oldest success to the oldest success
//! before it (the first page: from its oldest to its newest). The parts meet end to end; read side by side with
//! the pages, they join into the environment's line — the same commits, oldest first, that one compare from
//! its oldest success to its newest lists — once all are read. A part that cannot be read, runs backwards
//! (its base not behind its head: a rollback) or would take more pages than are left ([`LineParts::spend`])
//! leaves the line unjoined, and the line is then read the usual way.

use super::{LineRead, Outcome, Sample, LINE_PAGES};
use crate::timestamp::Timestamp;

/// Parts started at most (a line of up to 4,000 deployments); further pages start none, and the line is then
/// read whole.
pub const MAX_PARTS: usize = 40;
/// Pages (100 commits each) all parts may take beyond each one's first: as many as one whole line may. With
/// [`MAX_PARTS`], the parts cost at most 90 requests — under the 100 that are asked for first.
pub const PARTS_PAGES: u32 = LINE_PAGES;
/// Pages a part asks for at once, at most ([`LineParts::guess`]).
pub const GUESS_PAGES: u32 = 5;

/// A line's commits as read: each SHA with its committer date when known, oldest first, the base left out.
pub type LineCommits = Vec<(String, Option<Timestamp>)>;

/// The parts an environment's pages add, in the order the pages arrive (newest first).
#[derive(Debug, Default, Clone)]
pub struct LineParts {
    /// The newest success seen (the line's head).
    head: Option<String>,
    /// The oldest success seen so far: where the next part ends.
    edge: Option<String>,
    parts: Vec<LineRead>,
    /// Pages taken beyond each part's first.
    spent: u32,
    /// Pages the part told last took in all.
    last: u32,
    /// A page came when no more parts could be started, or a part was refused its pages: the line cannot be
    /// joined.
    overflowed: bool,
}

impl LineParts {
    /// The part `page` adds (its deployments in any order, all older than the pages before): `None` when it
    /// holds no success, or its oldest is the same commit as the edge (a redeploy), or too many parts were
    /// started — then the line is read whole later.
    pub fn next(&mut self, page: &[Sample]) -> Option<LineRead> {
        let mut successes: Vec<&Sample> = page
            .iter()
            .filter(|s| matches!(s.outcome(), Outcome::Succeeded(_)))
            .collect();
        crate::order::sort_by_key(&mut successes, |s| (s.created_at, s.id));
        let (oldest, newest) = (successes.first()?, successes.last()?);
        if self.overflowed {
            return None;
        }
        if self.head.is_none() {
            self.head = Some(newest.sha.clone());
            self.edge = Some(newest.sha.clone());
        }
        let edge = self.edge.replace(oldest.sha.clone())?;
        if edge.eq_ignore_ascii_case(&oldest.sha) {
            return None;
        }
        if self.parts.len() >= MAX_PARTS {
            self.overflowed = true;
            return None;
        }
        let part = LineRead {
            base: oldest.sha.clone(),
            head: edge,
        };
        self.parts.push(part.clone());
        Some(part)
    }

    /// Pages the next part asks for at once, with its first (which tells how many it has): as many as the
    /// last part took (parts of pages of 100 deployments tend to be alike), at most [`GUESS_PAGES`] and what
    /// is left of [`PARTS_PAGES`]; one before any part has told. They are taken from what is left at once. A
    /// guess too high costs a request that lists nothing; one too low, a round trip more.
    pub fn guess(&mut self) -> u32 {
        let left = PARTS_PAGES.saturating_sub(self.spent);
        let at_once = self.last.clamp(1, GUESS_PAGES).min(left.saturating_add(1));
        self.spent += at_once - 1;
        at_once
    }

    /// Whether a part that asked for `asked` pages at once may read the rest of its `pages`: yes while the
    /// parts together stay within [`PARTS_PAGES`] beyond each one's first; a part refused is left unread, and
    /// no part starts after it.
    pub fn spend(&mut self, asked: u32, pages: u32) -> bool {
        self.last = pages.max(1);
        match self.spent.checked_add(pages.saturating_sub(asked)) {
            Some(spent) if spent <= PARTS_PAGES => {
                self.spent = spent;
                true
            }
            _ => {
                self.overflowed = true;
                false
            }
        }
    }

    /// The line the parts make: from the oldest success seen to the newest (`None` when they are one commit,
    /// or none was seen).
    pub fn line(&self) -> Option<LineRead> {
        let (base, head) = (self.edge.as_ref()?, self.head.as_ref()?);
        (!base.eq_ignore_ascii_case(head)).then(|| LineRead {
            base: base.clone(),
            head: head.clone(),
        })
    }

    /// The parts started, newest first.
    pub fn parts(&self) -> &[LineRead] {
        &self.parts
    }

    /// The line and its commits, oldest first, from what each part read (`read[i]` for `parts()[i]`; `None`
    /// where a part could not be read). `None` unless every part was read and each begins where the one
    /// older than it ends.
    pub fn join(&self, read: &[Option<LineCommits>]) -> Option<(LineRead, LineCommits)> {
        let line = self.line()?;
        if self.overflowed || read.len() != self.parts.len() {
            return None;
        }
        let mut commits: LineCommits = Vec::new();
        let mut at = line.base.clone();
        for (part, read) in self.parts.iter().zip(read).rev() {
            let read = read.as_ref()?;
            let ends_at_head = read
                .last()
                .is_some_and(|(sha, _)| sha.eq_ignore_ascii_case(&part.head));
            if !part.base.eq_ignore_ascii_case(&at) || !ends_at_head {
                return None;
            }
            commits.extend(read.iter().cloned());
            at = part.head.clone();
        }
        at.eq_ignore_ascii_case(&line.head)
            .then_some((line, commits))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::github::model::{DeploymentId, DeploymentState};
    use crate::insights::{from_line, Mark, Period, Shipped};

    const T0: i64 = 1_793_491_200;

    /// Deployment `n` of commit `c{commit}`, an hour apart, succeeded or failed.
    fn deployment(n: usize, commit: usize, succeeded: bool) -> Sample {
        let created = Timestamp::from_unix(T0 + n as i64 * 3600);
        let state = if succeeded {
            DeploymentState::Success
        } else {
            DeploymentState::Failure
        };
        Sample {
            id: DeploymentId(n as u64 + 1),
            environment: "production".into(),
            sha: format!("c{commit}"),
            created_at: created,
            statuses: vec![Mark { state, at: created }],
        }
    }

    /// What GitHub's compare lists on a linear history `c0, c1, …`: `None` when the base is not behind the
    /// head (a rollback: the reader leaves such a part unread).
    fn compare(base: &str, head: &str) -> Option<LineCommits> {
        let index = |sha: &str| sha[1..].parse::<usize>().unwrap();
        let (a, b) = (index(base), index(head));
        (a < b).then(|| {
            (a + 1..=b)
                .map(|i| {
                    (
                        format!("c{i}"),
                        Some(Timestamp::from_unix(T0 - 60 + i as i64)),
                    )
                })
                .collect()
        })
    }

    /// The deployments' pages as they arrive: newest first, `sizes` long each (the last takes the rest).
    fn pages(samples: &[Sample], sizes: &[usize]) -> Vec<Vec<Sample>> {
        let mut newest_first: Vec<Sample> = samples.iter().rev().cloned().collect();
        let mut pages = Vec::new();
        for &size in sizes {
            if newest_first.is_empty() {
                break;
            }
            let rest = newest_first.split_off(size.clamp(1, newest_first.len()));
            pages.push(std::mem::replace(&mut newest_first, rest));
        }
        if !newest_first.is_empty() {
            pages.push(newest_first);
        }
        pages
    }

    fn read_in_parts(samples: &[Sample], sizes: &[usize]) -> Option<(LineRead, LineCommits)> {
        let mut parts = LineParts::default();
        for page in pages(samples, sizes) {
            parts.next(&page);
        }
        let read: Vec<Option<LineCommits>> = parts
            .parts()
            .iter()
            .map(|p| compare(&p.base, &p.head))
            .collect();
        parts.join(&read)
    }

    fn all_time() -> Period {
        Period {
            from: Timestamp::from_unix(T0),
            to: Timestamp::from_unix(T0 + 400 * 86_400),
        }
    }

    #[test]
    fn parts_meet_end_to_end_and_join_into_the_whole_line() {
        // Commits c0…c9; deployed c1 (ok), c2 (failed), c4 (ok), c4 (ok again), c7 (ok), c9 (ok); pages of two.
        let samples = [
            (1, true),
            (2, false),
            (4, true),
            (4, true),
            (7, true),
            (9, true),
        ]
        .iter()
        .enumerate()
        .map(|(n, &(c, ok))| deployment(n, c, ok))
        .collect::<Vec<_>>();
        let mut parts = LineParts::default();
        let got: Vec<Option<LineRead>> = pages(&samples, &[2, 2, 2])
            .iter()
            .map(|p| parts.next(p))
            .collect();
        let part = |base: &str, head: &str| {
            Some(LineRead {
                base: base.into(),
                head: head.into(),
            })
        };
        // [c9, c7] → c7…c9; [c4, c4] → c4…c7; [c2 failed, c1] → c1…c4.
        assert_eq!(got, [part("c7", "c9"), part("c4", "c7"), part("c1", "c4")]);
        let (line, commits) = read_in_parts(&samples, &[2, 2, 2]).unwrap();
        assert_eq!(line, part("c1", "c9").unwrap());
        assert_eq!(Some(commits), compare("c1", "c9"));
    }

    #[test]
    fn a_part_unread_or_running_backwards_leaves_the_line_unjoined() {
        let samples: Vec<Sample> = [1, 3, 5, 7]
            .iter()
            .enumerate()
            .map(|(n, &c)| deployment(n, c, true))
            .collect();
        let mut parts = LineParts::default();
        for page in pages(&samples, &[1, 1, 1, 1]) {
            parts.next(&page);
        }
        assert_eq!(parts.parts().len(), 3);
        let mut read: Vec<Option<LineCommits>> = parts
            .parts()
            .iter()
            .map(|p| compare(&p.base, &p.head))
            .collect();
        assert!(parts.join(&read).is_some());
        read[1] = None;
        assert_eq!(parts.join(&read), None, "a part not read");
        assert_eq!(parts.join(&read[..2]), None, "a part missing");
        // A rollback: c1, c5, c3, c7 — the part c5 → c3 runs backwards and is not read.
        let rolled: Vec<Sample> = [1, 5, 3, 7]
            .iter()
            .enumerate()
            .map(|(n, &c)| deployment(n, c, true))
            .collect();
        assert_eq!(read_in_parts(&rolled, &[1, 1, 1, 1]), None);
        // A part whose answer does not end at its head (a host listing something else) joins nothing.
        let mut wrong: Vec<Option<LineCommits>> = parts
            .parts()
            .iter()
            .map(|p| compare(&p.base, &p.head))
            .collect();
        wrong[0].as_mut().unwrap().pop();
        assert_eq!(parts.join(&wrong), None);
    }

    #[test]
    fn no_more_than_max_parts_are_started() {
        let samples: Vec<Sample> = (0..MAX_PARTS + 5).map(|n| deployment(n, n, true)).collect();
        let mut parts = LineParts::default();
        let started = pages(&samples, &vec![1; MAX_PARTS + 5])
            .iter()
            .filter_map(|p| parts.next(p))
            .count();
        assert_eq!(started, MAX_PARTS);
        let read: Vec<Option<LineCommits>> = parts
            .parts()
            .iter()
            .map(|p| compare(&p.base, &p.head))
            .collect();
        assert_eq!(parts.join(&read), None, "the line is read whole instead");
    }

    #[test]
    fn the_parts_together_take_no_more_pages_than_a_whole_line() {
        let samples: Vec<Sample> = (0..8).map(|n| deployment(n, n, true)).collect();
        let pages = pages(&samples, &[1; 8]);
        let mut parts = LineParts::default();
        parts.next(&pages[0]);
        assert!(parts.next(&pages[1]).is_some());
        assert_eq!(parts.guess(), 1, "nothing told yet");
        assert!(
            parts.spend(1, PARTS_PAGES),
            "its own pages beyond the first: all but one left"
        );
        assert_eq!(
            parts.guess(),
            GUESS_PAGES.min(2),
            "no more than what is left, and taken at once"
        );
        assert_eq!(parts.guess(), 1, "nothing left beyond a part's first");
        assert!(parts.spend(1, 1));
        assert!(!parts.spend(1, 2), "one page over");
        assert!(!parts.spend(0, u32::MAX), "no overflow");
        assert_eq!(
            parts.next(&pages[2]),
            None,
            "no part starts once one was refused"
        );
        let read: Vec<Option<LineCommits>> = parts
            .parts()
            .iter()
            .map(|p| compare(&p.base, &p.head))
            .collect();
        assert_eq!(
            parts.join(&read),
            None,
            "a part refused leaves the line to be read whole"
        );
    }

    proptest! {
        /// Whatever the parts say of themselves, the pages they ask for beyond each one's first stay within
        /// `PARTS_PAGES`.
        #[test]
        fn the_pages_asked_for_stay_within_the_bound(told in prop::collection::vec(0u32..20, 0..60)) {
            let mut parts = LineParts::default();
            let mut beyond_first = 0u32;
            for pages in told {
                let at_once = parts.guess();
                prop_assert!(at_once >= 1);
                beyond_first += at_once - 1;
                if parts.spend(at_once, pages) {
                    beyond_first += pages.saturating_sub(at_once);
                }
            }
            prop_assert!(beyond_first <= PARTS_PAGES);
        }
    }

    proptest! {
        /// However the pages fall, parts read from a linear history join into exactly what one compare of the
        /// whole line lists, and say the same about every pair; a history with a rollback never joins wrongly.
        #[test]
        fn parts_join_into_what_the_whole_line_says(
            steps in prop::collection::vec((0usize..4, any::<bool>()), 1..60),
            sizes in prop::collection::vec(1usize..12, 0..30),
            back in prop::option::of(0usize..60),
        ) {
            let mut commit: usize = 0;
            let samples: Vec<Sample> = steps.iter().enumerate().map(|(n, &(step, ok))| {
                commit = if back == Some(n) { commit.saturating_sub(step + 1) } else { commit + step };
                deployment(n, commit, ok)
            }).collect();
            let successes: Vec<&Sample> = samples.iter().filter(|s| matches!(s.outcome(), Outcome::Succeeded(_))).collect();
            let linear = successes.windows(2).all(|w| w[0].sha == w[1].sha || compare(&w[0].sha, &w[1].sha).is_some());
            let joined = read_in_parts(&samples, &sizes);
            if let Some((line, commits)) = &joined {
                prop_assert_eq!(&line.base, &successes[0].sha);
                prop_assert_eq!(&line.head, &successes[successes.len() - 1].sha);
                let whole = compare(&line.base, &line.head);
                prop_assert_eq!(Some(commits), whole.as_ref());
                let period = all_time();
                let from_parts: Shipped = from_line(&samples, &period, line, commits);
                prop_assert_eq!(from_parts, from_line(&samples, &period, line, &whole.unwrap()));
            }
            let distinct = successes.first().zip(successes.last()).is_some_and(|(a, b)| a.sha != b.sha);
            if linear && distinct && sizes.len() < MAX_PARTS {
                prop_assert!(joined.is_some(), "a linear history always joins");
            }
        }
    }
}
