//! The fleet's Insights' driver: each pinned repository's production-like environment found, its deployments
//! read a few repositories at a time, then what lead time needs (each busy production's line, then the pairs
//! left, asked first when many) — every task stopped with the view. What a read means is core's.

use std::sync::Arc;

use deploydeck_core::cost::ask_before_reading;
use deploydeck_core::fleet::rest_row_error;
use deploydeck_core::insights::{
    line_reads, measure, unread_pairs, FleetRow, LeadRead, Period, Sample, Shipped,
};
use deploydeck_core::response::ApiError;
use deploydeck_core::text::count;
use deploydeck_core::validate::RepoRef;
use leptos::prelude::*;

use crate::net::api::Api;
use crate::net::fan_out;
use crate::tasks::Tasks;

use super::driver::Lead;

/// Repositories whose deployments are read at once.
const READERS: usize = 4;

/// Where one repository's row stands.
#[derive(Clone, PartialEq)]
pub(super) enum Cell {
    Waiting,
    Reading(usize),
    /// No environment of it is production-like.
    Unmeasured,
    Read(String, Arc<Vec<Sample>>),
    /// Its own error, in words.
    Failed(String),
}

/// The fleet's reads and what they hold.
#[derive(Clone)]
pub(super) struct FleetDriver {
    pub api: Api,
    pub repos: Arc<Vec<RepoRef>>,
    pub tasks: Tasks,
    pub cells: RwSignal<Vec<Cell>>,
    pub failed: RwSignal<Option<ApiError>>,
    pub lead: RwSignal<Lead>,
    pub shipped: RwSignal<Arc<Shipped>>,
}

impl FleetDriver {
    pub fn load(&self, period: Period) {
        let this = self.clone();
        self.failed.set(None);
        self.cells.set(vec![Cell::Waiting; self.repos.len()]);
        self.tasks.spawn(async move {
            if let Err(error) = this.read(period).await {
                this.failed.set(Some(error));
            }
        });
    }

    async fn read(&self, period: Period) -> Result<(), ApiError> {
        let environments = self.api.insights_environments(&self.repos).await?;
        let (cells, api) = (self.cells, self.api.clone());
        let asks: Vec<(usize, RepoRef, Result<Option<String>, String>)> = self
            .repos
            .iter()
            .cloned()
            .zip(environments)
            .enumerate()
            .map(|(i, (repo, env))| (i, repo, env))
            .collect();
        let set = move |i: usize, cell: Cell| cells.update(|c| c[i] = cell);
        fan_out::all(
            asks,
            READERS,
            move |(i, repo, environment)| {
                let gh = api.repo(&repo);
                async move {
                    let cell = match environment {
                        Err(words) => Cell::Failed(words),
                        Ok(None) => Cell::Unmeasured,
                        Ok(Some(environment)) => {
                            set(i, Cell::Reading(0));
                            let heard = move |n| set(i, Cell::Reading(n));
                            match gh.insights_of(&environment, period.from, heard).await {
                                Ok(read) => Cell::Read(environment, Arc::new(read)),
                                Err(error) => Cell::Failed(rest_row_error(&repo, error)?),
                            }
                        }
                    };
                    set(i, cell);
                    Ok(())
                }
            },
            |_, _| {},
        )
        .await?;
        self.lead_for(period);
        Ok(())
    }

    /// `f` over each repository read (its samples and the comparisons known), where it gives something.
    fn each_read<T>(
        &self,
        f: impl Fn(&[Sample], &Shipped) -> Option<T>,
    ) -> Vec<(RepoRef, Arc<Vec<Sample>>, T)> {
        self.cells.with_untracked(|cells| {
            self.shipped.with_untracked(|known| {
                self.repos
                    .iter()
                    .zip(cells)
                    .filter_map(|(repo, cell)| match cell {
                        Cell::Read(_, samples) => {
                            f(samples, known).map(|t| (repo.clone(), samples.clone(), t))
                        }
                        _ => None,
                    })
                    .collect()
            })
        })
    }

    /// The pairs of successes whose commits are not read yet, by repository.
    fn unread(&self, period: Period) -> Vec<(RepoRef, Arc<Vec<Sample>>, Vec<LeadRead>)> {
        self.each_read(|samples, known| {
            Some(unread_pairs(samples, &period, known)).filter(|r| !r.is_empty())
        })
    }

    /// What lead time needs that is not read yet: first each busy production's line (core's `line_reads`),
    /// then the pairs left, by repository — read at once, or asked first.
    pub fn lead_for(&self, period: Period) {
        let lines = self.each_read(|samples, known| {
            Some(line_reads(samples, &period, known)).filter(|l| !l.is_empty())
        });
        if lines.is_empty() {
            return self.pairs_for(period);
        }
        let (this, lead) = (self.clone(), self.lead);
        lead.set(Lead::Lines(lines.iter().map(|(_, _, l)| l.len()).sum()));
        self.tasks.spawn(async move {
            // A few repositories' lines at once, as their deployments were read.
            let known = this.shipped.get_untracked();
            let api = this.api.clone();
            let read = fan_out::all(
                lines,
                READERS,
                move |(repo, samples, _)| {
                    let (gh, known) = (api.repo(&repo), known.clone());
                    async move { gh.read_lines(&samples, &period, &known).await }
                },
                |_, _| {},
            )
            .await;
            match read {
                Ok(read) => {
                    this.keep(read);
                    this.pairs_for(period);
                }
                Err(error) => lead.set(Lead::Failed(error)),
            }
        });
    }

    /// The pairs no line answered, by repository: read at once, or asked first.
    fn pairs_for(&self, period: Period) {
        let wanted = self.unread(period);
        let total: usize = wanted.iter().map(|(_, _, r)| r.len()).sum();
        if total == 0 {
            return self.lead.set(Lead::Waiting);
        }
        let what = format!(
            "the commits between consecutive successful deployments of each production ({})",
            count(total, "comparison", "comparisons")
        );
        match ask_before_reading(total, &what, self.api.quota().as_ref()) {
            Some(question) => self.lead.set(Lead::Ask(question, Arc::new(Vec::new()))),
            None => self.read_lead(wanted, total),
        }
    }

    fn read_lead(&self, wanted: Vec<(RepoRef, Arc<Vec<Sample>>, Vec<LeadRead>)>, of: usize) {
        let (this, lead) = (self.clone(), self.lead);
        lead.set(Lead::Reading { done: 0, of });
        let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        self.tasks.spawn(async move {
            // A few repositories at once, each its pairs a few at a time.
            let api = this.api.clone();
            let read = fan_out::all(
                wanted,
                READERS,
                move |(repo, _, reads)| {
                    let (gh, done) = (api.repo(&repo), done.clone());
                    let heard = move |_| {
                        let now = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        lead.set(Lead::Reading { done: now, of });
                    };
                    async move { gh.shipped(reads, heard).await }
                },
                |_, _| {},
            )
            .await;
            match read {
                Ok(read) => {
                    this.keep(read);
                    lead.set(Lead::Waiting);
                }
                Err(error) => lead.set(Lead::Failed(error)),
            }
        });
    }

    /// Keeps what reads of several repositories found.
    fn keep(&self, found: Vec<Shipped>) {
        self.shipped.update(|known| {
            let known = Arc::make_mut(known);
            for read in found {
                known.extend(read);
            }
        });
    }

    /// Reads the comparisons after the question was answered yes.
    pub fn accept_lead(&self, period: Period) {
        let wanted = self.unread(period);
        let total = wanted.iter().map(|(_, _, r)| r.len()).sum();
        self.read_lead(wanted, total);
    }

    /// Each repository's row as shown and exported.
    pub fn rows(&self, period: &Period) -> Vec<FleetRow> {
        self.cells.with(|cells| {
            self.shipped.with(|shipped| {
                self.repos
                    .iter()
                    .zip(cells)
                    .map(|(repo, cell)| FleetRow {
                        repository: repo.to_string(),
                        environment: match cell {
                            Cell::Read(env, _) => Some(env.clone()),
                            _ => None,
                        },
                        measures: match cell {
                            Cell::Read(_, samples) => {
                                measure(samples, period, shipped).into_iter().next()
                            }
                            _ => None,
                        },
                    })
                    .collect()
            })
        })
    }
}
