//! The `Link` header (docs/github-api.md §4) and paged reads that end: [`PageTrail`] follows a list's `next`
//! links and stops, with a [`PagingFault`] said in words, on a link back to a page already read, past the page
//! count announced, or past a hard ceiling — whatever the host answers.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The relations of a `Link` header. URLs are opaque: follow them verbatim (they may switch to the
/// `/repositories/{id}/…` form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
    pub first: Option<String>,
}

impl Links {
    /// The `page` number in the `last` link: how many pages the list has, when GitHub says.
    pub fn last_page(&self) -> Option<u32> {
        page_param(self.last.as_deref()?)
    }

    /// The `page` number in the `next` link.
    pub fn next_page(&self) -> Option<u32> {
        page_param(self.next.as_deref()?)
    }
}

pub use crate::url::page_param;

/// Parses `<url>; rel="next", <url>; rel="last"`. Unknown relations and malformed parts are skipped; a
/// `rel` may name several relations (`rel="prev first"`). Commas inside `<…>` do not split.
pub fn parse_link_header(value: &str) -> Links {
    let mut links = Links::default();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let url = after[..close].trim();
        let params_and_more = &after[close + 1..];
        let params_end = params_and_more.find('<').unwrap_or(params_and_more.len());
        let params = &params_and_more[..params_end];
        rest = &params_and_more[params_end..];
        for param in params.split([';', ',']) {
            let Some((name, val)) = param.split_once('=') else {
                continue;
            };
            if !name.trim().eq_ignore_ascii_case("rel") {
                continue;
            }
            for rel in val.trim().trim_matches('"').split_ascii_whitespace() {
                let slot = match rel.to_ascii_lowercase().as_str() {
                    "prev" | "previous" => &mut links.prev,
                    "next" => &mut links.next,
                    "last" => &mut links.last,
                    "first" => &mut links.first,
                    _ => continue,
                };
                if slot.is_none() && !url.is_empty() {
                    *slot = Some(url.to_owned());
                }
            }
        }
    }
    links
}

/// A paged read's way through `Link`s, which always ends (docs/github-api.md §4, "Paging that ends"): a host
/// whose `next` names a page already read, a page before the one it came from, or pages past the `last` it
/// announced (beyond what a list growing while it is read explains), or more pages than a ceiling, is broken —
/// the read stops there and says so, instead of asking for ever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTrail {
    followed: std::collections::HashSet<String>,
    pages: u32,
    items: usize,
    last: Option<u32>,
}

/// Why a host's paging was judged broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingFault {
    /// `next` named a page already read.
    Repeats { page: Option<u32> },
    /// `next` names a page number at or before the one it came from.
    GoesBack { from: u32, to: u32 },
    /// Past the last page the host announced, by more than a list growing while read explains.
    PastLast { last: u32, page: u32 },
    /// More pages than a read here follows: `announced` when the host said so up front.
    TooMany { ceiling: u32, announced: bool },
    /// A page with nothing on it names a next one (GitHub's last page names none).
    EmptyGoesOn,
}

impl fmt::Display for PagingFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagingFault::Repeats { page: Some(page) } => {
                write!(f, "its next page is page {page}, which was already read")
            }
            PagingFault::Repeats { page: None } => {
                f.write_str("its next page is one that was already read")
            }
            PagingFault::GoesBack { from, to } => {
                write!(f, "page {from} names page {to} as the next one")
            }
            PagingFault::PastLast { last, page } => write!(
                f,
                "it announced {last} pages, then named page {page} as the next one"
            ),
            PagingFault::TooMany {
                ceiling,
                announced: true,
            } => write!(
                f,
                "it announced more than {} pages, more than any list Deploydeck reads",
                crate::text::grouped(*ceiling as usize)
            ),
            PagingFault::EmptyGoesOn => f.write_str("a page with nothing on it names a next page"),
            PagingFault::TooMany {
                ceiling,
                announced: false,
            } => write!(
                f,
                "it kept naming a next page after {} pages without ever saying how many there are",
                crate::text::grouped(*ceiling as usize)
            ),
        }
    }
}

/// Pages a read follows at most when the host never said how many there are (GitHub names the `last` page
/// whenever there is a next one): 100,000 items at 100 a page.
pub const UNANNOUNCED_PAGES: u32 = 1_000;
/// Pages a read follows at most in any case: a million items at 100 a page.
pub const MOST_PAGES: u32 = 10_000;

impl PageTrail {
    /// A trail from the first page's URL.
    pub fn new(first: &str) -> PageTrail {
        PageTrail {
            followed: std::collections::HashSet::from([first.to_owned()]),
            pages: 0,
            items: 0,
            last: None,
        }
    }

    /// The page at `url` came with `items` items and `links`: the URL of the next page to read, `Ok(None)` at
    /// the end, or why the host's paging is broken (the read stops; `response::broken_paging` says it).
    pub fn next(
        &mut self,
        url: &str,
        items: usize,
        links: &Links,
    ) -> Result<Option<String>, PagingFault> {
        self.pages += 1;
        self.items += items;
        let Some(next) = links.next.as_deref() else {
            return Ok(None);
        };
        if self.last.is_none() {
            self.last = links.last_page();
        }
        check_next(
            page_param(url),
            links.next_page(),
            self.last,
            self.pages,
            items == 0,
        )?;
        if !self.followed.insert(next.to_owned()) {
            return Err(PagingFault::Repeats {
                page: links.next_page(),
            });
        }
        Ok(Some(next.to_owned()))
    }

    /// What was read so far: pages, and items on them (for the error that ends a read whose paging broke,
    /// `response::broken_paging`).
    pub fn read(&self) -> (u32, usize) {
        (self.pages, self.items)
    }
}

/// The checks on a `next` link that need no memory of the URLs read: from page `from` (`empty` when it had
/// nothing on it) to page `to`, with `last` announced, after `read` pages.
pub fn check_next(
    from: Option<u32>,
    to: Option<u32>,
    last: Option<u32>,
    read: u32,
    empty: bool,
) -> Result<(), PagingFault> {
    if empty {
        return Err(PagingFault::EmptyGoesOn);
    }
    if last.is_some_and(|l| l > MOST_PAGES) {
        return Err(PagingFault::TooMany {
            ceiling: MOST_PAGES,
            announced: true,
        });
    }
    let ceiling = if last.is_some() {
        MOST_PAGES
    } else {
        UNANNOUNCED_PAGES
    };
    if read >= ceiling {
        return Err(PagingFault::TooMany {
            ceiling,
            announced: false,
        });
    }
    if let (Some(from), Some(to)) = (from, to) {
        if to <= from {
            return Err(PagingFault::GoesBack { from, to });
        }
    }
    if let (Some(last), Some(to)) = (last, to) {
        // A list may grow while it is read (new items push others onto later pages): a tenth more, and
        // at least ten pages, is room for that.
        if to > last.saturating_add((last / 10).max(10)) {
            return Err(PagingFault::PastLast { last, page: to });
        }
    }
    Ok(())
}

/// Formats links in GitHub's order (prev, next, last, first, docs/github-api.md §4).
pub fn format_link_header(links: &Links) -> Option<String> {
    let parts: Vec<String> = [
        ("prev", &links.prev),
        ("next", &links.next),
        ("last", &links.last),
        ("first", &links.first),
    ]
    .into_iter()
    .filter_map(|(rel, url)| url.as_ref().map(|u| format!("<{u}>; rel=\"{rel}\"")))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod paging_that_ends {
    use super::*;
    use proptest::prelude::*;

    fn links(next: Option<&str>, last: Option<&str>) -> Links {
        Links {
            next: next.map(str::to_owned),
            last: last.map(str::to_owned),
            ..Links::default()
        }
    }

    const P: &str =
        "https://ghe.example/api/v3/repos/a/b/deployments/1/statuses?per_page=100&page=";

    #[test]
    fn a_trail_follows_next_to_the_end() {
        let mut trail = PageTrail::new(&format!("{P}1"));
        let two = format!("{P}2");
        let three = format!("{P}3");
        assert_eq!(
            trail.next(&format!("{P}1"), 100, &links(Some(&two), Some(&three))),
            Ok(Some(two.clone()))
        );
        assert_eq!(
            trail.next(&two, 100, &links(Some(&three), Some(&three))),
            Ok(Some(three.clone()))
        );
        assert_eq!(trail.next(&three, 7, &links(None, None)), Ok(None));
    }

    #[test]
    fn a_self_pointing_next_stops_the_trail_with_what_was_read() {
        let first = format!("{P}1");
        let mut trail = PageTrail::new(&first);
        let fault = trail
            .next(&first, 100, &links(Some(&first), None))
            .unwrap_err();
        assert_eq!(fault, PagingFault::GoesBack { from: 1, to: 1 });
        let (pages, items) = trail.read();
        let error = crate::api::response::broken_paging(&fault, pages, items);
        assert_eq!(
            error.to_string(),
            "The server's paging is broken: page 1 names page 1 as the next one. Deploydeck stopped there, after 1 pages (100 items read), rather than ask for ever."
        );
        assert!(error.remedy().starts_with("What was read is kept."));
        // Without page numbers, the URL itself.
        let mut trail = PageTrail::new("https://h/x");
        assert_eq!(
            trail.next("https://h/x", 1, &links(Some("https://h/x"), None)),
            Err(PagingFault::Repeats { page: None })
        );
    }

    proptest! {
        /// Whatever `Link`s a host sends, a read that follows every `next` it is given ends, within the
        /// ceiling, and never reads a URL twice.
        #[test]
        fn every_trail_ends(
            nexts in proptest::collection::vec((0u32..40, any::<bool>(), proptest::option::of(0u32..30)), 1..60),
            endless in any::<bool>(),
        ) {
            let mut url = format!("{P}1");
            let mut trail = PageTrail::new(&url);
            let mut seen = std::collections::HashSet::new();
            seen.insert(url.clone());
            let mut steps = 0u32;
            loop {
                steps += 1;
                let (page, numbered, last) = if endless {
                    (steps + 1, true, None)
                } else {
                    nexts[(steps as usize - 1) % nexts.len()]
                };
                let next = if numbered { format!("{P}{page}") } else { format!("https://h/cursor/{page}") };
                let last = last.map(|l| format!("{P}{l}"));
                match trail.next(&url, 1 + steps as usize % 100, &links(Some(&next), last.as_deref())) {
                    Ok(Some(n)) => {
                        prop_assert!(seen.insert(n.clone()), "a URL read twice");
                        url = n;
                    }
                    Ok(None) => unreachable!("a next was given"),
                    Err(_) => break,
                }
                prop_assert!(steps <= MOST_PAGES);
            }
            prop_assert!(steps <= UNANNOUNCED_PAGES);
        }
    }
}
