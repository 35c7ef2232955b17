//! Insights' reads (docs/insights.md): every deployment created since a day with its statuses — through
//! GraphQL, 100 a page with their statuses (one point each), else through REST (the list, then each one's
//! statuses) — and the comparisons lead time needs. Core builds each request and reads each answer
//! (`deploydeck_core::insights`).

use std::cell::RefCell;
use std::rc::Rc;

use deploydeck_core::graphql::{decode_graphql, GraphqlFailure};
use deploydeck_core::insights::{
    from_line, line_commits, line_reads, more_commits, production_environment, read_page,
    shipped_commits, LeadRead, LineCommits, LineParts, LineRead, Page, Period, Sample, Shipped,
    ShippedCommit, LINE_PAGES, MAX_SAMPLES,
};
use deploydeck_core::model::Deployment;
use deploydeck_core::request::DeploymentFilter;
use deploydeck_core::response::{decode, ApiError};
use deploydeck_core::ship::{Comparison, COMMITS_PER_PAGE};
use deploydeck_core::timestamp::Timestamp;

use crate::net::fan_out::{self, Background};

use super::environments::in_environment;
use super::states::STATE_READERS;
use super::RepoApi;

/// Comparisons read at once for lead time (and environments read side by side).
const COMPARERS: usize = 4;
/// Pages of one line read at once (the budget keeps at most 12 reads in flight).
const LINE_READERS: usize = 12;

impl RepoApi {
    /// One GraphQL page of deployments created at or after `since` — every environment's, or `environment`'s
    /// (`after`: the previous page's cursor). `None`: GraphQL cannot be used here (or refused the document) —
    /// read through REST.
    pub async fn insights_page(
        &self,
        since: Timestamp,
        environment: Option<&str>,
        after: Option<String>,
    ) -> Result<Option<Page>, ApiError> {
        let request = self
            .client()
            .insights_page(&self.repo, environment, after.as_deref());
        self.api
            .graphql(request, move |response| {
                let (data, errors) = decode_graphql::<serde_json::Value>(response)?;
                read_page(data, since, after.as_deref())
                    .map_err(|_| GraphqlFailure::Refused(errors))
            })
            .await
    }

    /// The rest of the GraphQL read after `page`, `heard` hearing how many deployments are read so far.
    /// `None`: GraphQL stopped being usable part way — read everything through REST.
    pub async fn insights_rest_of(
        &self,
        since: Timestamp,
        environment: Option<&str>,
        page: Page,
        heard: impl Fn(usize),
    ) -> Result<Option<Vec<Sample>>, ApiError> {
        self.insights_pages(since, environment, page, heard, |_| {})
            .await
    }

    /// [`RepoApi::insights_rest_of`], each page (the first too) shown to `arrived` as it arrives.
    async fn insights_pages(
        &self,
        since: Timestamp,
        environment: Option<&str>,
        page: Page,
        heard: impl Fn(usize),
        mut arrived: impl FnMut(&[Sample]),
    ) -> Result<Option<Vec<Sample>>, ApiError> {
        arrived(&page.samples);
        let mut samples = page.samples;
        let mut next = page.next;
        heard(samples.len());
        while let Some(after) = next.take() {
            if samples.len() >= MAX_SAMPLES {
                break;
            }
            let Some(page) = self.insights_page(since, environment, Some(after)).await? else {
                return Ok(None);
            };
            arrived(&page.samples);
            samples.extend(page.samples);
            next = page.next;
            heard(samples.len());
        }
        samples.truncate(MAX_SAMPLES);
        Ok(Some(samples))
    }

    /// The read of [`RepoApi::insights_rest_of`] as several environments' reads at once: each environment's
    /// pages follow one another, but the environments' go side by side (four at a time), so a long read takes
    /// the time of its largest environment rather than of all. Only when every deployment is in a listed
    /// environment: the environments' counts must add up to `total` (the first page's count of all the
    /// repository's deployments); `None` otherwise (a deployment in an environment without a record, more than
    /// 100 environments, GraphQL refused) — read in one line then. `heard` hears how many are read.
    ///
    /// `names`: the repository's environments ([`RepoApi::insights_environments`]).
    ///
    /// Meanwhile the production environment's line (the first environment's when none looks like production)
    /// is read in parts as its pages arrive (core's `LineParts`): what comes back with the deployments.
    pub async fn insights_side_by_side(
        &self,
        since: Timestamp,
        total: usize,
        names: Vec<String>,
        heard: impl Fn(usize) + 'static,
    ) -> Result<Option<(Vec<Sample>, LineInParts)>, ApiError> {
        if names.is_empty() || names.len() >= 100 {
            return Ok(None);
        }
        let lined = production_environment(&names).unwrap_or_else(|| names[0].clone());
        let line = LineInParts::default();
        let counts = Rc::new(RefCell::new(vec![0usize; names.len()]));
        let heard = Rc::new(heard);
        let (this, parts) = (self.clone(), line.clone());
        let chains = fan_out::all(
            names.into_iter().enumerate().collect::<Vec<_>>(),
            COMPARERS,
            move |(n, environment): (usize, String)| {
                let (this, counts, heard) = (this.clone(), counts.clone(), heard.clone());
                let parts = (environment == lined).then(|| parts.clone());
                async move {
                    let Some(first) = this.insights_page(since, Some(&environment), None).await?
                    else {
                        return Ok(None);
                    };
                    let all_time = first.total;
                    let each = move |k: usize| {
                        counts.borrow_mut()[n] = k;
                        heard(counts.borrow().iter().sum());
                    };
                    let arrived = |page: &[Sample]| {
                        if let Some(parts) = &parts {
                            parts.arrived(&this, page);
                        }
                    };
                    let read = this
                        .insights_pages(since, Some(&environment), first, each, arrived)
                        .await?;
                    Ok::<_, ApiError>(read.map(|samples| (all_time, samples)))
                }
            },
            |_, _| {},
        )
        .await?;
        let mut samples = Vec::new();
        let mut counted = 0;
        for chain in chains {
            let Some((all_time, read)) = chain else {
                return Ok(None);
            };
            counted += all_time;
            samples.extend(read);
        }
        Ok((counted == total).then(|| {
            samples.truncate(MAX_SAMPLES);
            (samples, line)
        }))
    }

    /// The repository's environments' names, for [`RepoApi::insights_side_by_side`] (`None`: GraphQL could not
    /// say).
    pub async fn insights_environments(&self) -> Result<Option<Vec<String>>, ApiError> {
        let mut names = self
            .api
            .environment_names_of(std::slice::from_ref(&self.repo))
            .await?;
        Ok(names.pop().flatten())
    }

    /// Every deployment created at or after `since` (in `environment`, when given), through REST: the list,
    /// newest first, until one older (100 a page). Their statuses are read next ([`RepoApi::insights_statuses`]), once their cost is known.
    pub async fn insights_list(
        &self,
        since: Timestamp,
        environment: Option<&str>,
    ) -> Result<Vec<Deployment>, ApiError> {
        let mut deployments: Vec<Deployment> = Vec::new();
        let filter = environment.map_or_else(DeploymentFilter::default, in_environment);
        let first = self.first_deployments(&filter);
        self.api
            .pages(first, decode, |page: Vec<Deployment>| {
                let reached = page.iter().any(|d| d.created_at < since);
                deployments.extend(page.into_iter().filter(|d| d.created_at >= since));
                !reached && deployments.len() < MAX_SAMPLES
            })
            .await?;
        deployments.truncate(MAX_SAMPLES);
        Ok(deployments)
    }

    /// Each of `deployments` with its statuses, a few at a time (one request each, all pages; asked again, an
    /// unchanged answer costs nothing). `heard` hears how many are read.
    pub async fn insights_statuses(
        &self,
        deployments: &[Deployment],
        heard: impl Fn(usize) + 'static,
    ) -> Result<Vec<Sample>, ApiError> {
        let ids = deployments.iter().map(|d| d.id).collect();
        let read = Rc::new(std::cell::Cell::new(0usize));
        let statuses = self
            .all_statuses(ids, STATE_READERS, move |_, _| {
                read.set(read.get() + 1);
                heard(read.get());
            })
            .await?;
        Ok(deployments
            .iter()
            .zip(statuses)
            .map(|(d, s)| Sample::from_rest(d, &s))
            .collect())
    }

    /// The deployments of `environment` created at or after `since`, with their statuses, as the fleet reads
    /// each repository: GraphQL pages, else REST. `heard` hears how many are read.
    pub async fn insights_of(
        &self,
        environment: &str,
        since: Timestamp,
        heard: impl Fn(usize) + Clone + 'static,
    ) -> Result<Vec<Sample>, ApiError> {
        if let Some(first) = self.insights_page(since, Some(environment), None).await? {
            if let Some(read) = self
                .insights_rest_of(since, Some(environment), first, heard.clone())
                .await?
            {
                return Ok(read);
            }
        }
        let list = self.insights_list(since, Some(environment)).await?;
        self.insights_statuses(&list, heard).await
    }

    /// The commits each of `reads` brought, a few comparisons at once; `heard` hears how many are done.
    pub async fn shipped(
        &self,
        reads: Vec<LeadRead>,
        heard: impl Fn(usize) + 'static,
    ) -> Result<Shipped, ApiError> {
        let this = self.clone();
        let done = Rc::new(std::cell::Cell::new(0usize));
        let answers = fan_out::all(
            reads.clone(),
            COMPARERS,
            move |read: LeadRead| {
                let this = this.clone();
                async move { this.commits_between(&read.base, &read.head).await }
            },
            move |_, _| {
                done.set(done.get() + 1);
                heard(done.get());
            },
        )
        .await?;
        Ok(reads
            .into_iter()
            .map(|r| (r.base, r.head))
            .zip(answers)
            .collect())
    }

    /// Lead time's lines (core's `line_reads`), one after another: each its compare from base to head, all
    /// pages (the first, then the rest a few at once; at most `LINE_PAGES`), and what it says about the pairs
    /// of `samples`' successes (core's `from_line`) — every environment's pairs on it, so a line read for one
    /// environment often answers the others', whose own lines are then not read. A line GitHub cannot compare,
    /// or longer than that, says nothing (its pairs are then compared one by one). `known`: what was read
    /// before.
    pub async fn read_lines(
        &self,
        samples: &[Sample],
        period: &Period,
        known: &Shipped,
    ) -> Result<Shipped, ApiError> {
        let mut merged = known.clone();
        let mut found = Shipped::new();
        let mut tried: Vec<LineRead> = Vec::new();
        while let Some(line) = line_reads(samples, period, &merged)
            .into_iter()
            .find(|l| !tried.contains(l))
        {
            tried.push(line.clone());
            let Some(commits) = self.line(&line).await? else {
                continue;
            };
            let read = from_line(samples, period, &line, &commits);
            merged.extend(read.clone());
            found.extend(read);
        }
        Ok(found)
    }

    /// A line's commits, oldest first (`None`: GitHub cannot compare its ends, or it is too long).
    async fn line(&self, line: &LineRead) -> Result<Option<LineCommits>, ApiError> {
        self.line_within(line, 1, |pages| pages <= LINE_PAGES, false)
            .await
    }

    /// A line's commits, oldest first: its first `at_once` pages asked for together, then the rest a few at
    /// once when `more`, told how many pages the line has, allows them —
    /// and, when `straight`, only when its base is behind its head (a part of a line: one running backwards
    /// cannot be joined to the others).
    async fn line_within(
        &self,
        line: &LineRead,
        at_once: u32,
        more: impl FnOnce(u32) -> bool,
        straight: bool,
    ) -> Result<Option<LineCommits>, ApiError> {
        let firsts = match self.line_pages(line, (1..=at_once.max(1)).collect()).await {
            Ok(read) => read,
            Err(
                ApiError::NotFound { .. } | ApiError::Validation { .. } | ApiError::Decode { .. },
            ) => return Ok(None),
            Err(other) => return Err(other),
        };
        let Some(first) = firsts.first() else {
            return Ok(None);
        };
        let pages =
            u32::try_from(first.ahead_by.div_ceil(u64::from(COMMITS_PER_PAGE))).unwrap_or(u32::MAX);
        let asked = u32::try_from(firsts.len()).unwrap_or(u32::MAX);
        if (straight && first.behind_by > 0) || !more(pages) {
            return Ok(None);
        }
        let rest = self
            .line_pages(line, (asked.saturating_add(1)..=pages).collect())
            .await?;
        let mut commits = Vec::new();
        for page in firsts.iter().take(pages.max(1) as usize).chain(&rest) {
            commits.extend(line_commits(page));
        }
        Ok(((commits.len() as u64) >= first.ahead_by).then_some(commits))
    }

    /// These pages of a line's comparison, a few at once.
    async fn line_pages(
        &self,
        line: &LineRead,
        pages: Vec<u32>,
    ) -> Result<Vec<Comparison>, ApiError> {
        let this = self.clone();
        let (base, head) = (line.base.clone(), line.head.clone());
        fan_out::all(
            pages,
            LINE_READERS,
            move |page| {
                let (this, base, head) = (this.clone(), base.clone(), head.clone());
                async move { this.compare(&base, &head, page).await }
            },
            |_, _| {},
        )
        .await
    }

    /// The commits `head` has that `base` has not, all pages (core's `more_commits` bounds them). `None`:
    /// GitHub cannot compare them (a commit gone, no common history), or there are more than are read.
    async fn commits_between(
        &self,
        base: &str,
        head: &str,
    ) -> Result<Option<Vec<ShippedCommit>>, ApiError> {
        let mut commits = Vec::new();
        let (mut listed, mut page) = (0usize, 1u32);
        loop {
            let comparison = match self.compare(base, head, page).await {
                Ok(c) => c,
                Err(
                    ApiError::NotFound { .. }
                    | ApiError::Validation { .. }
                    | ApiError::Decode { .. },
                ) => return Ok(None),
                Err(other) => return Err(other),
            };
            listed += comparison.commits.len();
            commits.extend(shipped_commits(&comparison));
            if comparison.commits.is_empty() || !more_commits(comparison.ahead_by, listed, page) {
                return Ok(((listed as u64) >= comparison.ahead_by).then_some(commits));
            }
            page += 1;
        }
    }
}

/// An environment's line read in parts while its deployments arrive ([`RepoApi::insights_side_by_side`]):
/// each page that adds a part starts its read at once, beside the pages still to come. The reads stop when the
/// last clone of this is dropped (the reads hold only the parts, not the reads).
#[derive(Clone, Default)]
pub struct LineInParts {
    parts: Rc<RefCell<LineParts>>,
    reads: Rc<RefCell<Background<Option<LineCommits>>>>,
}

impl LineInParts {
    /// A page of the environment's deployments arrived: the part it adds, if any, starts being read. A part
    /// that fails to read (a refusal included) is left unread: the line is then read whole, the usual way,
    /// whose failures are shown.
    fn arrived(&self, api: &RepoApi, page: &[Sample]) {
        let Some(part) = self.parts.borrow_mut().next(page) else {
            return;
        };
        let (api, parts) = (api.clone(), self.parts.clone());
        let at_once = parts.borrow_mut().guess();
        self.reads.borrow_mut().start(async move {
            let more = |pages| parts.borrow_mut().spend(at_once, pages);
            api.line_within(&part, at_once, more, true)
                .await
                .ok()
                .flatten()
        });
    }

    /// The line and its commits once every part is read (`None`: a part could not be read or joined).
    pub async fn joined(self) -> Option<(LineRead, LineCommits)> {
        let reads = std::mem::take(&mut *self.reads.borrow_mut());
        let read: Vec<Option<LineCommits>> =
            reads.all().await.into_iter().map(Option::flatten).collect();
        let joined = self.parts.borrow().join(&read);
        joined
    }
}
