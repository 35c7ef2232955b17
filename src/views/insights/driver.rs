//! Insights' driver: reads the deployments of the period (GraphQL pages, else REST), asks first when the read
//! would cost much (core's `cost`), then reads the comparisons lead time needs — progress shown throughout,
//! every task stopped with the view. What a read means is core's (`deploydeck_core::insights`).

use std::sync::Arc;

use deploydeck_core::cost::{ask_before_reading, CostQuestion};
use deploydeck_core::insights::{
    from_line, line_reads, points_for, unread_pairs, LeadRead, Page, Period, Sample, Shipped,
};
use deploydeck_core::model::Deployment;
use deploydeck_core::response::ApiError;
use deploydeck_core::text::count;
use deploydeck_core::timestamp::Timestamp;
use leptos::prelude::*;

use crate::net::api::repo::RepoApi;
use crate::tasks::Tasks;

/// Where the read of the deployments stands.
#[derive(Clone)]
pub(super) enum Samples {
    /// Reading: how many deployments so far, and through which API.
    Reading(usize, &'static str),
    /// It would cost much: the question, and what goes on once it is answered yes.
    Ask(CostQuestion, Next),
    /// Read: every deployment created since `since`.
    Read {
        since: Timestamp,
        samples: Arc<Vec<Sample>>,
    },
    Failed(ApiError),
}

/// What a read goes on with once its cost is accepted.
#[derive(Clone)]
pub(super) enum Next {
    /// The rest of the GraphQL pages after this first one (and the repository's environments, when known).
    Graphql(Timestamp, Page, Option<Vec<String>>),
    /// The statuses of these listed deployments, through REST.
    Rest(Timestamp, Arc<Vec<Deployment>>),
}

/// Where the read of the comparisons for lead time stands.
#[derive(Clone)]
pub(super) enum Lead {
    Waiting,
    Ask(CostQuestion, Arc<Vec<LeadRead>>),
    /// Reading environments' lines (how many).
    Lines(usize),
    Reading {
        done: usize,
        of: usize,
    },
    Failed(ApiError),
}

/// The view's reads and what they hold.
#[derive(Clone)]
pub(super) struct Driver {
    gh: RepoApi,
    tasks: Tasks,
    pub samples: RwSignal<Samples>,
    pub lead: RwSignal<Lead>,
    /// Comparisons read so far, kept across periods (a pair's commits do not change).
    pub shipped: RwSignal<Arc<Shipped>>,
}

impl Driver {
    pub fn new(gh: RepoApi) -> Driver {
        Driver {
            gh,
            tasks: Tasks::new(),
            samples: RwSignal::new(Samples::Reading(0, "")),
            lead: RwSignal::new(Lead::Waiting),
            shipped: RwSignal::new(Arc::new(Shipped::new())),
        }
    }

    /// The deployments of `period`: kept when what was read already covers it (unless `again`), else read.
    pub fn load(&self, period: Period, again: bool) {
        let covered = self
            .samples
            .with_untracked(|s| matches!(s, Samples::Read { since, .. } if *since <= period.from));
        if covered && !again {
            self.lead_for(period);
            return;
        }
        let (this, since) = (self.clone(), period.from);
        self.samples.set(Samples::Reading(0, "GraphQL"));
        self.tasks.spawn(async move {
            let first = match this.gh.insights_page(since, None, None).await {
                Err(error) => return this.samples.set(Samples::Failed(error)),
                Ok(first) => first,
            };
            let next = match first {
                Some(page) => Next::Graphql(since, page, None),
                None => {
                    this.samples.set(Samples::Reading(0, "REST"));
                    match this.gh.insights_list(since, None).await {
                        Ok(list) => Next::Rest(since, Arc::new(list)),
                        Err(error) => return this.samples.set(Samples::Failed(error)),
                    }
                }
            };
            // More than a page: the environments' names (to read them side by side) came with the first page,
            // else they are asked beside the quota.
            let quota = this.gh.api().known_quota();
            let (quota, next) = match next {
                Next::Graphql(since, mut page, _) if page.next.is_some() && page.names.is_some() => {
                    let names = page.names.take();
                    (quota.await, Next::Graphql(since, page, names))
                }
                Next::Graphql(since, page, _) if page.next.is_some() => {
                    let names = this.gh.insights_environments();
                    match futures::future::join(quota, names).await {
                        (_, Err(error)) => return this.samples.set(Samples::Failed(error)),
                        (quota, Ok(names)) => (quota, Next::Graphql(since, page, names)),
                    }
                }
                next => (quota.await, next),
            };
            let question = match &next {
                Next::Graphql(_, page, _) if page.next.is_some() => ask_before_reading(
                    points_for(page.total),
                    &format!(
                        "up to {} with their statuses through GraphQL, a point per 100 of GraphQL's own quota (usually 5,000 an hour) — shown as requests here",
                        count(page.total, "deployment", "deployments")
                    ),
                    quota.as_ref(),
                ),
                Next::Graphql(..) => None,
                Next::Rest(_, list) => ask_before_reading(
                    list.len(),
                    &format!(
                        "the statuses of each of the {} through REST, one request each",
                        count(list.len(), "deployment", "deployments")
                    ),
                    quota.as_ref(),
                ),
            };
            match question {
                Some(question) => this.samples.set(Samples::Ask(question, next)),
                None => this.go_on(next, period).await,
            }
        });
    }

    /// The read goes on after its cost was accepted.
    pub fn accept(&self, period: Period) {
        let next = self.samples.with_untracked(|s| match s {
            Samples::Ask(_, next) => Some(next.clone()),
            _ => None,
        });
        if let Some(next) = next {
            // Reading from now: the question goes at once, so a second click cannot start a second read.
            let through = match next {
                Next::Graphql(..) => "GraphQL",
                Next::Rest(..) => "REST",
            };
            self.samples.set(Samples::Reading(0, through));
            let this = self.clone();
            self.tasks
                .spawn(async move { this.go_on(next, period).await });
        }
    }

    async fn go_on(&self, next: Next, period: Period) {
        let samples = self.samples;
        let mut line = None;
        let read = match next {
            Next::Graphql(since, page, names) => {
                let heard = move |n| samples.set(Samples::Reading(n, "GraphQL"));
                // More than a page: the environments side by side, when they account for every deployment.
                let side_by_side = match (&page.next, names) {
                    (Some(_), Some(names)) => {
                        self.gh
                            .insights_side_by_side(since, page.total, names, heard)
                            .await
                    }
                    _ => Ok(None),
                };
                let single = match side_by_side {
                    Ok(Some((read, in_parts))) => {
                        line = Some(in_parts);
                        Ok(Some(read))
                    }
                    Ok(None) => self.gh.insights_rest_of(since, None, page, heard).await,
                    Err(error) => Err(error),
                };
                match single {
                    Ok(Some(read)) => Ok((since, read)),
                    Ok(None) => match self.gh.insights_list(since, None).await {
                        Ok(list) => self.rest(&list).await.map(|read| (since, read)),
                        Err(error) => Err(error),
                    },
                    Err(error) => Err(error),
                }
            }
            Next::Rest(since, list) => self.rest(&list).await.map(|read| (since, read)),
        };
        let (since, read) = match read {
            Ok((since, read)) => (since, Arc::new(read)),
            Err(error) => return samples.set(Samples::Failed(error)),
        };
        samples.set(Samples::Read {
            since,
            samples: read.clone(),
        });
        // The line read in parts beside the deployments: what it says is known before the usual reads.
        if let Some(line) = line {
            self.lead.set(Lead::Lines(1));
            if let Some((line, commits)) = line.joined().await {
                let found = from_line(&read, &period, &line, &commits);
                self.shipped
                    .update(|known| Arc::make_mut(known).extend(found));
            }
        }
        self.lead_for(period);
    }

    async fn rest(&self, list: &[Deployment]) -> Result<Vec<Sample>, ApiError> {
        let samples = self.samples;
        samples.set(Samples::Reading(0, "REST"));
        self.gh
            .insights_statuses(list, move |n| samples.set(Samples::Reading(n, "REST")))
            .await
    }

    /// The comparisons `period`'s lead time needs that are not read yet: first each busy environment's line
    /// (core's `line_reads`: one compare for many pairs), then the pairs left — read at once, or asked first
    /// when there are many.
    pub fn lead_for(&self, period: Period) {
        let Samples::Read { samples, .. } = self.samples.get_untracked() else {
            return;
        };
        let lines = self
            .shipped
            .with_untracked(|known| line_reads(&samples, &period, known));
        if !lines.is_empty() {
            let (this, lead, of) = (self.clone(), self.lead, lines.len());
            lead.set(Lead::Lines(of));
            self.tasks.spawn(async move {
                let known = this.shipped.get_untracked();
                match this.gh.read_lines(&samples, &period, &known).await {
                    Ok(read) => {
                        // The pairs a line did not answer are compared one by one.
                        this.shipped
                            .update(|known| Arc::make_mut(known).extend(read));
                        this.pairs_for(period);
                    }
                    Err(error) => lead.set(Lead::Failed(error)),
                }
            });
            return;
        }
        self.pairs_for(period);
    }

    /// The pairs no line answered: read at once, or asked first when there are many.
    fn pairs_for(&self, period: Period) {
        let reads: Vec<LeadRead> = self.samples.with_untracked(|s| match s {
            Samples::Read { samples, .. } => self
                .shipped
                .with_untracked(|known| unread_pairs(samples, &period, known)),
            _ => Vec::new(),
        });
        if reads.is_empty() {
            self.lead.set(Lead::Waiting);
            return;
        }
        let question = ask_before_reading(
            reads.len(),
            &format!(
                "the commits between consecutive successful deployments, one comparison each ({})",
                count(reads.len(), "comparison", "comparisons")
            ),
            self.gh.api().quota().as_ref(),
        );
        match question {
            Some(question) => self.lead.set(Lead::Ask(question, Arc::new(reads))),
            None => self.read_lead(reads),
        }
    }

    /// Reads the comparisons asked for (after the question, when there was one).
    pub fn accept_lead(&self) {
        let reads = self.lead.with_untracked(|l| match l {
            Lead::Ask(_, reads) => Some(reads.as_ref().clone()),
            _ => None,
        });
        if let Some(reads) = reads {
            self.read_lead(reads);
        }
    }

    fn read_lead(&self, reads: Vec<LeadRead>) {
        let (this, lead, of) = (self.clone(), self.lead, reads.len());
        lead.set(Lead::Reading { done: 0, of });
        self.tasks.spawn(async move {
            let heard = move |done| lead.set(Lead::Reading { done, of });
            match this.gh.shipped(reads, heard).await {
                Ok(read) => {
                    this.shipped
                        .update(|known| Arc::make_mut(known).extend(read));
                    lead.set(Lead::Waiting);
                }
                Err(error) => lead.set(Lead::Failed(error)),
            }
        });
    }
}
