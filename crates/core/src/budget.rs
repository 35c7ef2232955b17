//! Pacing as a pure policy: given the clock and the answers so far, when may the next request go?
//!
//! GitHub's secondary limits (docs/github-api.md §5): no more than 100 concurrent requests; 900 points a minute per
//! endpoint (reads 1 point, mutations 5), and apart from it 2,000 a minute on `/graphql` (a query 1 point,
//! docs/github-api.md §13); 80 content-creating requests a minute and 500 an hour; about one second between
//! mutations. GHES has rate limits off by default, so pacing there is a setting.
//!
//! Time is milliseconds since the Unix epoch (what `Date.now()` gives in the browser).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::http::{HttpResponse, Method};
use crate::response::{error_from, ApiError, RateLimitKind, RateLimitSnapshot, RetryWait};

pub type Millis = u64;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 3_600_000;
/// GitHub: without `Retry-After`, wait at least a minute after a secondary limit (docs/github-api.md §5)…
const SECONDARY_BASE_WAIT: Millis = MINUTE;
/// …then back off exponentially, up to this.
const SECONDARY_MAX_WAIT: Millis = 15 * MINUTE;

/// How a request counts against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestClass {
    /// GET/HEAD/OPTIONS: 1 point of REST's 900 a minute.
    Read,
    /// A GraphQL query: 1 point of `/graphql`'s own 2,000 a minute (docs/github-api.md §13); in flight
    /// with the reads.
    Query,
    /// POST/PATCH/PUT: content-creating, counted in the 80/min and 500/h windows.
    Create,
    /// DELETE: a mutation, spaced like the others but not content-creating.
    Delete,
}

impl RequestClass {
    pub fn of(method: Method) -> Self {
        match method {
            Method::Get | Method::Head | Method::Options => RequestClass::Read,
            Method::Delete => RequestClass::Delete,
            Method::Post | Method::Patch | Method::Put => RequestClass::Create,
        }
    }

    /// The class of a request: by its method, except that a GraphQL query (a `POST` to `/graphql`) is a
    /// read and a GraphQL mutation a mutation that creates nothing (docs/github-api.md §13).
    pub fn of_request(request: &crate::http::HttpRequest) -> Self {
        let graphql = request.method == Method::Post && request.url.ends_with("/graphql");
        if !graphql {
            return Self::of(request.method);
        }
        let query: Option<String> = request
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
            .and_then(|v| v["query"].as_str().map(str::to_owned));
        match query {
            Some(q) if q.trim_start().starts_with("mutation") => RequestClass::Delete,
            _ => RequestClass::Query,
        }
    }

    fn is_write(self) -> bool {
        !matches!(self, RequestClass::Read | RequestClass::Query)
    }
}

/// The pacing policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pacing {
    /// Reads in flight at once.
    pub max_concurrent_reads: u32,
    /// Mutations in flight at once.
    pub max_concurrent_writes: u32,
    /// Pause between a mutation's answer and the next mutation.
    pub write_spacing_ms: Millis,
    /// Reads started in any 60 s (`None`: unbounded).
    pub reads_per_minute: Option<u32>,
    /// GraphQL queries started in any 60 s: a window apart from REST's (`None`: unbounded).
    #[serde(default)]
    pub queries_per_minute: Option<u32>,
    /// Content-creating requests started in any 60 s.
    pub creates_per_minute: Option<u32>,
    /// Content-creating requests started in any hour.
    pub creates_per_hour: Option<u32>,
}

impl Pacing {
    /// github.com: GitHub's secondary limits, with one mutation at a time, a second apart.
    pub fn github_com() -> Self {
        Pacing {
            max_concurrent_reads: 12,
            max_concurrent_writes: 1,
            write_spacing_ms: 1_000,
            reads_per_minute: Some(900),
            queries_per_minute: Some(2_000),
            creates_per_minute: Some(80),
            creates_per_hour: Some(500),
        }
    }

    /// GHES: rate limits are off by default, so no spacing unless the administrator's limits need it
    /// (`spacing_ms`); mutations may then overlap.
    pub fn enterprise(spacing_ms: Option<Millis>) -> Self {
        match spacing_ms {
            Some(spacing) if spacing > 0 => Pacing {
                max_concurrent_writes: 1,
                write_spacing_ms: spacing,
                ..Pacing::unpaced()
            },
            _ => Pacing::unpaced(),
        }
    }

    /// No pacing beyond bounded concurrency.
    pub fn unpaced() -> Self {
        Pacing {
            max_concurrent_reads: 12,
            max_concurrent_writes: 4,
            write_spacing_ms: 0,
            reads_per_minute: None,
            queries_per_minute: None,
            creates_per_minute: None,
            creates_per_hour: None,
        }
    }
}

impl Pacing {
    /// How writes go out, in words made from the numbers themselves (no view restates them):
    /// "one change at a time, 1 second apart, at most 80 “inactive” statuses a minute and 500 an hour".
    pub fn describe_writes(&self) -> String {
        let mut text = if self.max_concurrent_writes <= 1 {
            "one change at a time".to_owned()
        } else {
            format!("{} changes at a time", self.max_concurrent_writes)
        };
        match self.write_spacing_ms {
            0 => text.push_str(" with no pause"),
            ms if ms % 1_000 == 0 => text.push_str(&format!(
                ", {} apart",
                crate::text::count((ms / 1_000) as usize, "second", "seconds")
            )),
            ms => text.push_str(&format!(", {ms} ms apart")),
        }
        match (self.creates_per_minute, self.creates_per_hour) {
            (Some(m), Some(h)) => text.push_str(&format!(
                ", at most {m} “inactive” statuses a minute and {h} an hour"
            )),
            (Some(m), None) => {
                text.push_str(&format!(", at most {m} “inactive” statuses a minute"))
            }
            (None, Some(h)) => text.push_str(&format!(", at most {h} “inactive” statuses an hour")),
            (None, None) => {}
        }
        text
    }
}

/// What the confirmation says about the pace of a run's writes on this host: github.com's secondary limits,
/// or a host's own quota when it reports one, or none (GHES with rate limits off, the default).
pub fn pace_note(pacing: &Pacing, github_com: bool, quota: Option<&RateLimitSnapshot>) -> String {
    let pace = pacing.describe_writes();
    if github_com {
        return format!("Paced to GitHub's secondary limits: {pace}. A rate-limit answer pauses the run until GitHub allows more; it then continues by itself.");
    }
    match quota {
        Some(q) => format!(
            "This server reports a rate limit of {} requests an hour ({} left): a limit answer pauses the run until it allows more, then it continues by itself. Changes go out {pace}; set a pause below to go slower.",
            crate::text::grouped(q.limit as usize),
            crate::text::grouped(q.remaining as usize),
        ),
        None => format!("This server reports no rate limit (GitHub Enterprise Server's default): changes go out {pace}. If your server limits requests, set a pause below."),
    }
}

/// What a read waiting for GitHub's per-minute window says: "GitHub allows 900 requests a minute: the next
/// one goes in 35 s, by itself."
pub fn window_note(left_ms: u64, pacing: &Pacing) -> String {
    let limit = pacing.reads_per_minute.map_or_else(
        || "only so many requests".to_owned(),
        |n| format!("{} requests", crate::text::grouped(n as usize)),
    );
    format!(
        "GitHub allows {limit} a minute: the next one goes in {}, by itself.",
        crate::history::format_duration(left_ms.div_ceil(1000) as i64)
    )
}

/// When a request may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Now,
    /// Not before this moment.
    At(Millis),
    /// When a request of this class in flight finishes.
    WhenOneFinishes,
}

/// Why requests are held back, for the UI ("paused until …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub until: Millis,
    pub limit: RateLimitKind,
}

/// The pacing state: what is in flight, what was sent recently, and any hold from GitHub's answers.
#[derive(Debug, Clone)]
pub struct Budget {
    pacing: Pacing,
    reads_in_flight: u32,
    writes_in_flight: u32,
    last_write_answered: Option<Millis>,
    read_starts: VecDeque<Millis>,
    query_starts: VecDeque<Millis>,
    create_starts: VecDeque<Millis>,
    hold: Option<Hold>,
    /// GraphQL's points used up until then (its own quota: REST goes on).
    graphql_hold: Option<Millis>,
    secondary_strikes: u32,
    snapshot: Option<RateLimitSnapshot>,
}

impl Budget {
    pub fn new(pacing: Pacing) -> Self {
        Budget {
            pacing,
            reads_in_flight: 0,
            writes_in_flight: 0,
            last_write_answered: None,
            read_starts: VecDeque::new(),
            query_starts: VecDeque::new(),
            create_starts: VecDeque::new(),
            hold: None,
            graphql_hold: None,
            secondary_strikes: 0,
            snapshot: None,
        }
    }

    pub fn pacing(&self) -> &Pacing {
        &self.pacing
    }

    /// A new policy (the GHES spacing setting), keeping what is in flight and any hold.
    pub fn set_pacing(&mut self, pacing: Pacing) {
        self.pacing = pacing;
    }

    /// The last rate-limit headers seen.
    pub fn snapshot(&self) -> Option<&RateLimitSnapshot> {
        self.snapshot.as_ref()
    }

    /// A hold still in force at `now`.
    pub fn hold(&self, now: Millis) -> Option<&Hold> {
        self.hold.as_ref().filter(|h| h.until > now)
    }

    /// GraphQL answered RATE_LIMITED: its requests wait until `until`; REST's are not held.
    pub fn hold_graphql(&mut self, until: Millis) {
        if self.graphql_hold.is_none_or(|h| h < until) {
            self.graphql_hold = Some(until);
        }
    }

    /// Until when GraphQL requests wait, if they do at `now`.
    pub fn graphql_hold(&self, now: Millis) -> Option<Millis> {
        self.graphql_hold.filter(|until| *until > now)
    }

    /// When a request of `class` may be sent.
    pub fn decide(&self, class: RequestClass, now: Millis) -> Decision {
        let mut earliest = now;
        if let Some(hold) = self.hold(now) {
            earliest = earliest.max(hold.until);
        }
        let (in_flight, max) = if class.is_write() {
            (self.writes_in_flight, self.pacing.max_concurrent_writes)
        } else {
            (self.reads_in_flight, self.pacing.max_concurrent_reads)
        };
        if in_flight >= max.max(1) {
            return Decision::WhenOneFinishes;
        }
        if class.is_write() {
            if let Some(answered) = self.last_write_answered {
                earliest = earliest.max(answered.saturating_add(self.pacing.write_spacing_ms));
            }
        }
        let windows: &[(Option<u32>, Millis, &VecDeque<Millis>)] = match class {
            RequestClass::Read => &[(self.pacing.reads_per_minute, MINUTE, &self.read_starts)],
            RequestClass::Query => &[(self.pacing.queries_per_minute, MINUTE, &self.query_starts)],
            RequestClass::Create => &[
                (self.pacing.creates_per_minute, MINUTE, &self.create_starts),
                (self.pacing.creates_per_hour, HOUR, &self.create_starts),
            ],
            RequestClass::Delete => &[],
        };
        for (max, span, starts) in windows {
            if let Some(max) = max {
                earliest = earliest.max(window_opens_at(starts, *max, *span, earliest));
            }
        }
        if earliest > now {
            Decision::At(earliest)
        } else {
            Decision::Now
        }
    }

    /// A request of `class` was sent at `now`.
    pub fn started(&mut self, class: RequestClass, now: Millis) {
        match class {
            RequestClass::Read => {
                self.reads_in_flight += 1;
                push_window(&mut self.read_starts, now, MINUTE);
            }
            RequestClass::Query => {
                self.reads_in_flight += 1;
                push_window(&mut self.query_starts, now, MINUTE);
            }
            RequestClass::Create => {
                self.writes_in_flight += 1;
                push_window(&mut self.create_starts, now, HOUR);
            }
            RequestClass::Delete => self.writes_in_flight += 1,
        }
    }

    /// A request of `class` was given up before its answer (the view that asked went away): it no longer
    /// counts as in flight. A write may still have reached GitHub, so it counts as answered now for spacing.
    pub fn abandoned(&mut self, class: RequestClass, now: Millis) {
        if class.is_write() {
            self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
            self.last_write_answered = Some(now);
        } else {
            self.reads_in_flight = self.reads_in_flight.saturating_sub(1);
        }
    }

    /// The answer to a request of `class` arrived at `now` (status 0 for a network failure). Returns the
    /// rate-limit error it carried, if any, after setting the hold it implies.
    pub fn finished(
        &mut self,
        class: RequestClass,
        now: Millis,
        response: &HttpResponse,
    ) -> Option<ApiError> {
        if class.is_write() {
            self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
            self.last_write_answered = Some(now);
        } else {
            self.reads_in_flight = self.reads_in_flight.saturating_sub(1);
        }
        // REST's quota only: GraphQL's points are another quota, and running out of them is GraphQL's own
        // answer (RATE_LIMITED), which the caller waits out for GraphQL alone.
        if let Some(snapshot) =
            RateLimitSnapshot::from_headers(&response.headers).filter(RateLimitSnapshot::is_core)
        {
            if snapshot.is_exhausted() {
                self.hold_until(reset_millis(&snapshot), RateLimitKind::Primary);
            }
            self.snapshot = Some(snapshot);
        }
        if response.is_success() || response.status == 304 {
            self.secondary_strikes = 0;
            return None;
        }
        if !matches!(response.status, 403 | 429) {
            return None;
        }
        let error = error_from(response);
        if let ApiError::RateLimited { limit, wait, .. } = &error {
            let until = match (limit, wait) {
                (_, RetryWait::Until(t)) => u64::try_from(t.unix_millis()).unwrap_or(0),
                (RateLimitKind::Secondary, RetryWait::Seconds(secs)) => {
                    // Each consecutive secondary answer doubles the wait (docs/github-api.md §5: exponential backoff),
                    // never less than what Retry-After asked for.
                    let backoff = SECONDARY_BASE_WAIT
                        .saturating_mul(1 << self.secondary_strikes.min(8))
                        .min(SECONDARY_MAX_WAIT);
                    let asked = secs.saturating_mul(1000);
                    self.secondary_strikes += 1;
                    now + if response.header("retry-after").is_some() {
                        asked
                    } else {
                        backoff
                    }
                }
                (RateLimitKind::Primary, RetryWait::Seconds(secs)) => {
                    now + secs.saturating_mul(1000)
                }
            };
            self.hold_until(until, *limit);
            return Some(error);
        }
        None
    }

    fn hold_until(&mut self, until: Millis, limit: RateLimitKind) {
        if self.hold.as_ref().is_none_or(|h| h.until < until) {
            self.hold = Some(Hold { until, limit });
        }
    }

    /// A rough time for `creates` and `deletes` more mutations, for an ETA: the spacing, the windows, and
    /// `latency_ms` per request when mutations go one at a time.
    pub fn estimate_writes_ms(&self, creates: u32, deletes: u32, latency_ms: Millis) -> Millis {
        let writes = u64::from(creates) + u64::from(deletes);
        let per_write = if self.pacing.max_concurrent_writes <= 1 {
            latency_ms + self.pacing.write_spacing_ms
        } else {
            (latency_ms / u64::from(self.pacing.max_concurrent_writes))
                .max(self.pacing.write_spacing_ms)
        };
        let mut total = writes * per_write;
        if let Some(per_hour) = self.pacing.creates_per_hour {
            let hours = u64::from(creates) / u64::from(per_hour.max(1));
            total = total.max(hours * HOUR);
        }
        if let Some(per_minute) = self.pacing.creates_per_minute {
            let minutes = u64::from(creates) / u64::from(per_minute.max(1));
            total = total.max(minutes * MINUTE);
        }
        total
    }
}

fn reset_millis(snapshot: &RateLimitSnapshot) -> Millis {
    u64::try_from(snapshot.reset.unix_millis()).unwrap_or(0)
}

fn push_window(starts: &mut VecDeque<Millis>, now: Millis, span: Millis) {
    while starts
        .front()
        .is_some_and(|t| now.saturating_sub(*t) >= span)
    {
        starts.pop_front();
    }
    starts.push_back(now);
}

/// The first moment ≥ `at` when fewer than `max` of `starts` fall in the `span` before it.
fn window_opens_at(starts: &VecDeque<Millis>, max: u32, span: Millis, at: Millis) -> Millis {
    let max = max.max(1) as usize;
    let recent: Vec<Millis> = starts
        .iter()
        .copied()
        .filter(|t| at.saturating_sub(*t) < span)
        .collect();
    if recent.len() < max {
        return at;
    }
    // The window frees a place when the (len - max + 1)-th oldest recent start leaves it.
    recent[recent.len() - max] + span
}

#[cfg(test)]
mod abandoned_requests {
    use super::*;

    #[test]
    fn a_request_given_up_frees_its_place() {
        let mut budget = Budget::new(Pacing::enterprise(Some(500)));
        assert_eq!(budget.decide(RequestClass::Delete, 0), Decision::Now);
        budget.started(RequestClass::Delete, 0);
        assert_eq!(
            budget.decide(RequestClass::Delete, 10),
            Decision::WhenOneFinishes
        );
        budget.abandoned(RequestClass::Delete, 20);
        assert_eq!(
            budget.decide(RequestClass::Delete, 30),
            Decision::At(520),
            "spaced from when it was given up"
        );
        assert_eq!(budget.decide(RequestClass::Delete, 520), Decision::Now);
        budget.started(RequestClass::Read, 0);
        budget.abandoned(RequestClass::Read, 1);
        for _ in 0..8 {
            assert_eq!(budget.decide(RequestClass::Read, 2), Decision::Now);
            budget.started(RequestClass::Read, 2);
        }
    }
}

#[cfg(test)]
mod pacing_words {
    use super::*;

    #[test]
    fn the_pace_is_said_from_its_numbers() {
        assert_eq!(
            Pacing::github_com().describe_writes(),
            "one change at a time, 1 second apart, at most 80 “inactive” statuses a minute and 500 an hour"
        );
        assert_eq!(
            Pacing::unpaced().describe_writes(),
            "4 changes at a time with no pause"
        );
        assert_eq!(
            Pacing::enterprise(Some(250)).describe_writes(),
            "one change at a time, 250 ms apart"
        );
    }

    #[test]
    fn the_pace_note_follows_the_host_and_its_quota() {
        let quota = RateLimitSnapshot {
            limit: 5_000,
            remaining: 4_870,
            used: None,
            reset: crate::Timestamp::from_unix(0),
            resource: None,
        };
        assert!(pace_note(&Pacing::github_com(), true, Some(&quota))
            .starts_with("Paced to GitHub's secondary limits: one change at a time"));
        let custom = pace_note(&Pacing::unpaced(), false, Some(&quota));
        assert!(
            custom.contains("rate limit of 5,000 requests an hour (4,870 left)"),
            "{custom}"
        );
        assert!(!custom.contains("no rate limit"));
        assert!(pace_note(&Pacing::unpaced(), false, None).contains("reports no rate limit"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Headers;

    fn ok() -> HttpResponse {
        HttpResponse::new(201)
    }

    fn response(status: u16, headers: &[(&str, &str)], message: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers.iter().copied().collect::<Headers>(),
            body: format!("{{\"message\":\"{message}\"}}").into_bytes(),
        }
    }

    #[test]
    fn graphql_waits_for_its_own_points_and_rest_goes_on() {
        let mut b = Budget::new(Pacing::github_com());
        b.hold_graphql(60_000);
        b.hold_graphql(30_000);
        assert_eq!(b.graphql_hold(1_000), Some(60_000), "the later reset wins");
        assert_eq!(b.graphql_hold(60_000), None, "over at the reset");
        assert_eq!(b.decide(RequestClass::Read, 1_000), Decision::Now);
        assert!(b.hold(1_000).is_none());
    }

    #[test]
    fn a_graphql_query_is_a_read_a_graphql_mutation_a_write_and_its_points_hold_nothing_back() {
        let client = crate::request::Client::new(
            crate::request::ApiBase::github_com(),
            crate::request::Token::new("t"),
        );
        assert_eq!(
            RequestClass::of_request(&client.deployment_states(&["DE_1".into()])),
            RequestClass::Query
        );
        assert_eq!(
            RequestClass::of_request(&client.delete_deployments(&["DE_1".into()])),
            RequestClass::Delete
        );
        assert_eq!(
            RequestClass::of_request(&client.get_authenticated_user()),
            RequestClass::Read
        );
        // GraphQL's points used up: REST's requests are not held, and the gauge keeps REST's quota.
        let mut b = Budget::new(Pacing::github_com());
        b.started(RequestClass::Read, 0);
        b.finished(
            RequestClass::Read,
            10,
            &response(
                200,
                &[
                    ("x-ratelimit-limit", "5000"),
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1800000000"),
                    ("x-ratelimit-resource", "graphql"),
                ],
                "",
            ),
        );
        assert_eq!(b.decide(RequestClass::Read, 20), Decision::Now);
        assert!(b.snapshot().is_none());
    }

    #[test]
    fn a_read_held_by_the_minute_window_says_so_and_how_long() {
        assert_eq!(
            window_note(34_200, &Pacing::github_com()),
            "GitHub allows 900 requests a minute: the next one goes in 35 s, by itself."
        );
    }

    #[test]
    fn graphql_queries_have_their_own_window_of_2000_a_minute_beside_rest_s_900() {
        let mut b = Budget::new(Pacing::github_com());
        let ok = HttpResponse::new(200);
        for i in 0..900 {
            assert_eq!(b.decide(RequestClass::Read, i), Decision::Now);
            b.started(RequestClass::Read, i);
            b.finished(RequestClass::Read, i, &ok);
        }
        assert_eq!(b.decide(RequestClass::Read, 900), Decision::At(MINUTE));
        for i in 0..2_000 {
            assert_eq!(
                b.decide(RequestClass::Query, 900 + i),
                Decision::Now,
                "REST's full window holds no query"
            );
            b.started(RequestClass::Query, 900 + i);
            b.finished(RequestClass::Query, 900 + i, &ok);
        }
        assert_eq!(
            b.decide(RequestClass::Query, 2_900),
            Decision::At(900 + MINUTE)
        );
        // In flight, a query counts with the reads.
        let mut b = Budget::new(Pacing::github_com());
        for i in 0..12 {
            b.started(
                if i % 2 == 0 {
                    RequestClass::Read
                } else {
                    RequestClass::Query
                },
                i,
            );
        }
        assert_eq!(b.decide(RequestClass::Query, 20), Decision::WhenOneFinishes);
        assert_eq!(b.decide(RequestClass::Read, 20), Decision::WhenOneFinishes);
    }

    #[test]
    fn mutations_on_github_com_go_one_at_a_time_a_second_after_the_last_answer() {
        let mut b = Budget::new(Pacing::github_com());
        assert_eq!(b.decide(RequestClass::Create, 0), Decision::Now);
        b.started(RequestClass::Create, 0);
        assert_eq!(
            b.decide(RequestClass::Delete, 10),
            Decision::WhenOneFinishes
        );
        assert_eq!(
            b.decide(RequestClass::Read, 10),
            Decision::Now,
            "reads are not held by writes"
        );
        b.finished(RequestClass::Create, 300, &ok());
        assert_eq!(b.decide(RequestClass::Delete, 300), Decision::At(1_300));
        assert_eq!(b.decide(RequestClass::Delete, 1_300), Decision::Now);
    }

    #[test]
    fn content_creation_stays_within_80_a_minute_and_500_an_hour() {
        let pacing = Pacing {
            write_spacing_ms: 0,
            ..Pacing::github_com()
        };
        let mut b = Budget::new(pacing);
        let mut t = 0;
        let mut minute_starts = Vec::new();
        for _ in 0..600 {
            t = match b.decide(RequestClass::Create, t) {
                Decision::Now => t,
                Decision::At(at) => at,
                Decision::WhenOneFinishes => {
                    unreachable!("each create is answered before the next")
                }
            };
            b.started(RequestClass::Create, t);
            b.finished(RequestClass::Create, t + 1, &ok());
            minute_starts.push(t);
        }
        for (i, start) in minute_starts.iter().enumerate() {
            let in_minute = minute_starts[i..]
                .iter()
                .take_while(|s| **s < start + MINUTE)
                .count();
            assert!(
                in_minute <= 80,
                "{in_minute} creates in the minute from {start}"
            );
            let in_hour = minute_starts[i..]
                .iter()
                .take_while(|s| **s < start + HOUR)
                .count();
            assert!(in_hour <= 500, "{in_hour} creates in the hour from {start}");
        }
        assert!(
            minute_starts[500] >= HOUR,
            "the 501st create waits for the hour window"
        );
    }

    #[test]
    fn retry_after_holds_everything_and_repeated_secondary_limits_back_off() {
        let mut b = Budget::new(Pacing::github_com());
        b.started(RequestClass::Delete, 0);
        let limited = response(
            403,
            &[("Retry-After", "30"), ("x-ratelimit-remaining", "4000")],
            "You have exceeded a secondary rate limit",
        );
        let err = b.finished(RequestClass::Delete, 100, &limited);
        assert!(matches!(
            err,
            Some(ApiError::RateLimited {
                limit: RateLimitKind::Secondary,
                ..
            })
        ));
        assert_eq!(b.decide(RequestClass::Read, 200), Decision::At(30_100));
        assert_eq!(b.hold(200).unwrap().limit, RateLimitKind::Secondary);

        let no_header = response(429, &[], "You have exceeded a secondary rate limit");
        b.started(RequestClass::Read, 30_100);
        b.finished(RequestClass::Read, 30_200, &no_header);
        assert_eq!(
            b.decide(RequestClass::Read, 30_200),
            Decision::At(30_200 + 2 * MINUTE),
            "second strike doubles the minute"
        );
        b.started(RequestClass::Read, 200_000);
        b.finished(RequestClass::Read, 200_100, &HttpResponse::new(200));
        b.started(RequestClass::Read, 200_100);
        b.finished(RequestClass::Read, 200_200, &no_header);
        assert_eq!(
            b.decide(RequestClass::Read, 200_200),
            Decision::At(200_200 + MINUTE),
            "a success resets the backoff"
        );
    }

    #[test]
    fn an_exhausted_quota_holds_until_the_reset() {
        let mut b = Budget::new(Pacing::unpaced());
        b.started(RequestClass::Read, 1_000);
        let last = response(
            200,
            &[
                ("x-ratelimit-limit", "5000"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1700000000"),
            ],
            "",
        );
        assert_eq!(b.finished(RequestClass::Read, 2_000, &last), None);
        assert_eq!(b.snapshot().unwrap().remaining, 0);
        assert_eq!(
            b.decide(RequestClass::Read, 2_000),
            Decision::At(1_700_000_000_000)
        );
    }

    #[test]
    fn reads_are_bounded_in_concurrency() {
        let mut b = Budget::new(Pacing::github_com());
        assert_eq!(
            b.pacing().max_concurrent_reads,
            12,
            "a dozen: list pages and state reads together, far below GitHub's 100 concurrent requests"
        );
        for i in 0..12 {
            assert_eq!(b.decide(RequestClass::Read, i), Decision::Now);
            b.started(RequestClass::Read, i);
        }
        assert_eq!(b.decide(RequestClass::Read, 13), Decision::WhenOneFinishes);
        b.finished(RequestClass::Read, 14, &HttpResponse::new(304));
        assert_eq!(b.decide(RequestClass::Read, 14), Decision::Now);
    }

    #[test]
    fn ghes_is_unpaced_by_default_and_spaced_when_configured() {
        let mut b = Budget::new(Pacing::enterprise(None));
        for i in 0..4 {
            assert_eq!(b.decide(RequestClass::Delete, i), Decision::Now);
            b.started(RequestClass::Delete, i);
        }
        assert_eq!(b.decide(RequestClass::Delete, 5), Decision::WhenOneFinishes);
        let mut spaced = Budget::new(Pacing::enterprise(Some(250)));
        spaced.started(RequestClass::Delete, 0);
        spaced.finished(RequestClass::Delete, 50, &HttpResponse::new(204));
        assert_eq!(spaced.decide(RequestClass::Delete, 60), Decision::At(300));
    }

    #[test]
    fn estimates_follow_the_pacing() {
        let b = Budget::new(Pacing::github_com());
        assert_eq!(b.estimate_writes_ms(0, 10, 200), 12_000);
        assert!(b.estimate_writes_ms(1_000, 0, 0) >= 2 * HOUR);
    }
}
