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

use crate::api::http::{HttpResponse, Method, ADJUSTED_WAIT_HEADER};
pub use crate::api::response::WaitWhy;
use crate::api::response::{error_from, ApiError, RateLimitKind, RateLimitSnapshot, RetryWait};

pub type Millis = u64;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 3_600_000;
/// GitHub: without `Retry-After`, wait at least a minute after a secondary limit (docs/github-api.md §5)…
const BACKOFF_BASE: Millis = MINUTE;
/// …then back off exponentially, up to this.
const BACKOFF_MAX: Millis = 15 * MINUTE;
/// The longest any answer holds requests back: no GitHub limit needs more (the primary window is an hour), so a
/// server asking for longer (`Retry-After: 18446744073709551615`, a reset in a year) is asked again after it.
pub const MAX_WAIT: Millis = HOUR;

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
    pub fn of_request(request: &crate::api::http::HttpRequest) -> Self {
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
        crate::text::format_duration(left_ms.div_ceil(1000) as i64)
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
    /// Whether the wait is the one the server named, or what Deploydeck does instead.
    pub why: WaitWhy,
}

impl Hold {
    /// What to say besides "waiting for the rate limit" when the wait is not the server's own.
    pub fn note(&self) -> Option<String> {
        self.why.note()
    }
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
    /// Rate-limit refusals in a row (a success ends the run): what the backoff doubles with.
    strikes: u32,
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
            strikes: 0,
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
    ///
    /// What a server says about waiting is used only when it makes sense (docs/github-api.md §5, "Waits
    /// from headers"): a wait longer than [`MAX_WAIT`] is cut to it; a reset already past by this computer's
    /// clock (a clock running ahead, or a stale value), a `Retry-After: 0`, or no usable time at all gets a
    /// backed-off wait — a minute, doubling with each refusal in a row up to 15 — never an immediate resend.
    /// When the wait kept differs from the one the server named, it is written onto `response`
    /// ([`ADJUSTED_WAIT_HEADER`]), so the error decoded from it says what the server asked and what
    /// Deploydeck does instead.
    pub fn finished(
        &mut self,
        class: RequestClass,
        now: Millis,
        response: &mut HttpResponse,
    ) -> Option<ApiError> {
        // Only core writes this header: one sent by the server is not believed.
        response.headers.remove(ADJUSTED_WAIT_HEADER);
        if class.is_write() {
            self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
            self.last_write_answered = Some(now);
        } else {
            self.reads_in_flight = self.reads_in_flight.saturating_sub(1);
        }
        let refused = matches!(response.status, 403 | 429);
        // REST's quota only: GraphQL's points are another quota, and running out of them is GraphQL's own
        // answer (RATE_LIMITED), which the caller waits out for GraphQL alone.
        if let Some(snapshot) =
            RateLimitSnapshot::from_headers(&response.headers).filter(RateLimitSnapshot::is_core)
        {
            // The last request the quota allowed went through: hold the next ones until the reset. (A refusal
            // is held below, from the error it carries.)
            if snapshot.is_exhausted() && !refused {
                let (until, why) = self.until_reset(&snapshot.reset, now);
                self.hold_until(until, RateLimitKind::Primary, why);
            }
            self.snapshot = Some(snapshot);
        }
        if response.is_success() || response.status == 304 {
            self.strikes = 0;
            return None;
        }
        if !refused {
            return None;
        }
        let error = error_from(response);
        let ApiError::RateLimited { limit, wait, .. } = &error else {
            return None;
        };
        let (until, why) = match wait {
            RetryWait::Until(reset) => self.until_reset(reset, now),
            // GitHub without Retry-After: a minute for a secondary limit, then exponential backoff.
            RetryWait::Seconds(_) if response.header("retry-after").is_none() => {
                (now.saturating_add(self.backoff()), WaitWhy::AsAsked)
            }
            RetryWait::Seconds(0) => (now.saturating_add(self.backoff()), WaitWhy::NoTime),
            RetryWait::Seconds(secs) => {
                let asked = secs.saturating_mul(1000);
                if asked > MAX_WAIT {
                    (
                        now.saturating_add(MAX_WAIT),
                        WaitWhy::TooLong { asked_secs: *secs },
                    )
                } else {
                    (now.saturating_add(asked), WaitWhy::AsAsked)
                }
            }
            RetryWait::Instead { .. } => (now.saturating_add(self.backoff()), WaitWhy::NoTime),
        };
        self.strikes = self.strikes.saturating_add(1);
        let limit = *limit;
        self.hold_until(until, limit, why);
        if why != WaitWhy::AsAsked {
            response.headers.set(
                ADJUSTED_WAIT_HEADER,
                format!("{};{}", (until - now).div_ceil(1000), why.token()),
            );
            return Some(error_from(response));
        }
        Some(error)
    }

    /// The wait before the next refusal-free try: a minute, doubled for each refusal in a row, at most 15.
    fn backoff(&self) -> Millis {
        BACKOFF_BASE
            .saturating_mul(1 << self.strikes.min(8))
            .min(BACKOFF_MAX)
    }

    /// Until when to hold for a quota that resets at `reset`: then, unless that is already past here (the
    /// clock runs ahead of the server's, or the value is stale: back off) or further than [`MAX_WAIT`] (no
    /// GitHub window is longer: the clock runs behind, or the value is wrong).
    fn until_reset(&self, reset: &crate::Timestamp, now: Millis) -> (Millis, WaitWhy) {
        let at = u64::try_from(reset.unix_millis()).unwrap_or(0);
        if at <= now {
            (now.saturating_add(self.backoff()), WaitWhy::ResetPassed)
        } else if at - now > MAX_WAIT {
            (
                now.saturating_add(MAX_WAIT),
                WaitWhy::TooLong {
                    asked_secs: (at - now).div_ceil(1000),
                },
            )
        } else {
            (at, WaitWhy::AsAsked)
        }
    }

    fn hold_until(&mut self, until: Millis, limit: RateLimitKind, why: WaitWhy) {
        if self.hold.as_ref().is_none_or(|h| h.until < until) {
            self.hold = Some(Hold { until, limit, why });
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
    use crate::api::http::Headers;

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
        let client = crate::api::request::Client::new(
            crate::api::request::ApiBase::github_com(),
            crate::api::request::Token::new("t"),
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
            &mut response(
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
            b.finished(RequestClass::Read, i, &mut ok.clone());
        }
        assert_eq!(b.decide(RequestClass::Read, 900), Decision::At(MINUTE));
        for i in 0..2_000 {
            assert_eq!(
                b.decide(RequestClass::Query, 900 + i),
                Decision::Now,
                "REST's full window holds no query"
            );
            b.started(RequestClass::Query, 900 + i);
            b.finished(RequestClass::Query, 900 + i, &mut ok.clone());
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
        b.finished(RequestClass::Create, 300, &mut ok());
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
            b.finished(RequestClass::Create, t + 1, &mut ok());
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
        let err = b.finished(RequestClass::Delete, 100, &mut limited.clone());
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
        b.finished(RequestClass::Read, 30_200, &mut no_header.clone());
        assert_eq!(
            b.decide(RequestClass::Read, 30_200),
            Decision::At(30_200 + 2 * MINUTE),
            "second strike doubles the minute"
        );
        b.started(RequestClass::Read, 200_000);
        b.finished(RequestClass::Read, 200_100, &mut HttpResponse::new(200));
        b.started(RequestClass::Read, 200_100);
        b.finished(RequestClass::Read, 200_200, &mut no_header.clone());
        assert_eq!(
            b.decide(RequestClass::Read, 200_200),
            Decision::At(200_200 + MINUTE),
            "a success resets the backoff"
        );
    }

    #[test]
    fn an_exhausted_quota_holds_until_the_reset() {
        // Half an hour before the reset, by this computer's clock.
        let now = 1_700_000_000_000 - 30 * MINUTE;
        let mut b = Budget::new(Pacing::unpaced());
        b.started(RequestClass::Read, now - 1_000);
        let mut last = response(
            200,
            &[
                ("x-ratelimit-limit", "5000"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1700000000"),
            ],
            "",
        );
        assert_eq!(b.finished(RequestClass::Read, now, &mut last), None);
        assert_eq!(b.snapshot().unwrap().remaining, 0);
        assert_eq!(
            b.decide(RequestClass::Read, now),
            Decision::At(1_700_000_000_000)
        );
        assert_eq!(b.hold(now).unwrap().note(), None, "the server's own wait");
    }

    /// A refusal of the primary limit, its reset at `reset` (Unix seconds, as sent).
    fn quota_refused(reset: &str) -> HttpResponse {
        response(
            403,
            &[
                ("x-ratelimit-limit", "5000"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", reset),
            ],
            "API rate limit exceeded for user ID 1.",
        )
    }

    #[test]
    fn a_retry_after_near_two_to_the_64_waits_an_hour_and_says_what_was_asked() {
        let now = 1_800_000_000_000;
        let mut b = Budget::new(Pacing::unpaced());
        b.started(RequestClass::Read, now);
        let mut refused = response(
            403,
            &[("Retry-After", "18446744073709551615")],
            "You have exceeded a secondary rate limit",
        );
        let error = b.finished(RequestClass::Read, now, &mut refused).unwrap();
        assert_eq!(
            b.decide(RequestClass::Read, now + 1),
            Decision::At(now + HOUR)
        );
        let ApiError::RateLimited { wait, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(
            *wait,
            RetryWait::Instead {
                secs: 3_600,
                why: WaitWhy::TooLong {
                    asked_secs: u64::MAX
                }
            }
        );
        assert_eq!(
            error_from(&refused),
            error,
            "the decoded answer says the same"
        );
        let remedy = error.remedy();
        assert!(
            remedy.contains("asked to wait more than a year"),
            "{remedy}"
        );
        assert!(remedy.contains("Try again in 1 h 0 min"), "{remedy}");
    }

    #[test]
    fn a_reset_already_past_is_a_clock_running_ahead_and_backs_off_instead_of_resending() {
        // The page's clock runs two minutes ahead of GitHub's: the reset it names is already past here.
        let now = 1_800_000_000_000;
        let reset = (now / 1000 - 120).to_string();
        let mut b = Budget::new(Pacing::github_com());
        let mut t = now;
        let mut waits = Vec::new();
        for _ in 0..6 {
            t = match b.decide(RequestClass::Read, t) {
                Decision::Now => t,
                Decision::At(at) => at,
                Decision::WhenOneFinishes => unreachable!("one request at a time"),
            };
            b.started(RequestClass::Read, t);
            let error = b.finished(RequestClass::Read, t, &mut quota_refused(&reset));
            assert!(matches!(
                error,
                Some(ApiError::RateLimited {
                    wait: RetryWait::Instead {
                        why: WaitWhy::ResetPassed,
                        ..
                    },
                    ..
                })
            ));
            let hold = b.hold(t).expect("held, never sent again at once");
            assert_eq!(hold.why, WaitWhy::ResetPassed);
            assert!(hold.note().unwrap().contains("clock"));
            waits.push((hold.until - t) / 1000);
        }
        assert_eq!(
            waits,
            [60, 120, 240, 480, 900, 900],
            "a minute, doubling, at most 15"
        );
        // A reset in 1970, and one that cannot be read, are treated the same way.
        for reset in ["0", "-5", "soon"] {
            let mut b = Budget::new(Pacing::unpaced());
            b.started(RequestClass::Read, now);
            b.finished(RequestClass::Read, now, &mut quota_refused(reset));
            assert_eq!(
                b.decide(RequestClass::Read, now + 10),
                Decision::At(now + MINUTE),
                "{reset}"
            );
        }
        // Once an answer goes through, the backoff starts again from a minute.
        b.started(RequestClass::Read, t + HOUR);
        b.finished(RequestClass::Read, t + HOUR, &mut HttpResponse::new(200));
        b.started(RequestClass::Read, t + HOUR);
        b.finished(RequestClass::Read, t + HOUR, &mut quota_refused(&reset));
        assert_eq!(b.hold(t + HOUR).unwrap().until, t + HOUR + MINUTE);
    }

    #[test]
    fn an_exhausted_quota_whose_reset_is_past_or_too_far_is_not_taken_at_its_word() {
        let now = 1_800_000_000_000;
        for (reset, until, why) in [
            (
                (now / 1000 - 5).to_string(),
                now + MINUTE,
                WaitWhy::ResetPassed,
            ),
            (
                (now / 1000 + 86_400).to_string(),
                now + HOUR,
                WaitWhy::TooLong { asked_secs: 86_400 },
            ),
        ] {
            let mut b = Budget::new(Pacing::unpaced());
            b.started(RequestClass::Read, now);
            let mut last = response(
                200,
                &[
                    ("x-ratelimit-limit", "5000"),
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", &reset),
                ],
                "",
            );
            assert_eq!(b.finished(RequestClass::Read, now, &mut last), None);
            let hold = b.hold(now).unwrap();
            assert_eq!((hold.until, hold.why), (until, why));
        }
    }

    #[test]
    fn a_retry_after_of_zero_is_no_wait_and_gets_the_backoff() {
        let now = 1_800_000_000_000;
        let mut b = Budget::new(Pacing::unpaced());
        b.started(RequestClass::Delete, now);
        let mut refused = response(
            429,
            &[("Retry-After", "0")],
            "You have exceeded a secondary rate limit",
        );
        b.finished(RequestClass::Delete, now, &mut refused);
        assert_eq!(b.hold(now).unwrap().why, WaitWhy::NoTime);
        assert_eq!(
            b.decide(RequestClass::Delete, now),
            Decision::At(now + MINUTE)
        );
    }

    #[test]
    fn a_server_cannot_set_the_wait_deploydeck_keeps() {
        let now = 1_800_000_000_000;
        let mut b = Budget::new(Pacing::unpaced());
        b.started(RequestClass::Read, now);
        let mut refused = response(
            403,
            &[("Retry-After", "30"), (ADJUSTED_WAIT_HEADER, "0;no-time")],
            "You have exceeded a secondary rate limit",
        );
        let error = b.finished(RequestClass::Read, now, &mut refused).unwrap();
        assert!(refused.header(ADJUSTED_WAIT_HEADER).is_none());
        assert!(matches!(
            error,
            ApiError::RateLimited {
                wait: RetryWait::Seconds(30),
                ..
            }
        ));
        assert_eq!(
            b.decide(RequestClass::Read, now),
            Decision::At(now + 30_000)
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
        b.finished(RequestClass::Read, 14, &mut HttpResponse::new(304));
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
        spaced.finished(RequestClass::Delete, 50, &mut HttpResponse::new(204));
        assert_eq!(spaced.decide(RequestClass::Delete, 60), Decision::At(300));
    }

    #[test]
    fn estimates_follow_the_pacing() {
        let b = Budget::new(Pacing::github_com());
        assert_eq!(b.estimate_writes_ms(0, 10, 200), 12_000);
        assert!(b.estimate_writes_ms(1_000, 0, 0) >= 2 * HOUR);
    }
}

#[cfg(test)]
mod waits_from_any_headers {
    //! Whatever a server sends as `Retry-After` and `X-RateLimit-Reset`, at whatever time: no panic, no wait
    //! in the past after a refusal, no wait longer than [`MAX_WAIT`] (docs/github-api.md §5).
    use super::*;
    use crate::api::http::Headers;
    use proptest::prelude::*;

    fn header_value() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            any::<u64>().prop_map(|n| Some(n.to_string())),
            any::<i64>().prop_map(|n| Some(n.to_string())),
            (0u64..4_000_000_000).prop_map(|n| Some(n.to_string())),
            Just(Some("18446744073709551615".to_owned())),
            Just(Some("99999999999999999999999".to_owned())),
            Just(Some(String::new())),
            "[ -~]{0,12}".prop_map(Some),
        ]
    }

    proptest! {
        #[test]
        fn every_refusal_holds_for_a_while_and_never_longer_than_an_hour(
            status in prop_oneof![Just(403u16), Just(429u16)],
            retry_after in header_value(),
            reset in header_value(),
            remaining in prop_oneof![Just(Some("0".to_owned())), Just(Some("12".to_owned())), Just(None)],
            secondary in any::<bool>(),
            now in prop_oneof![Just(0u64), 0u64..4_000_000_000_000, Just(u64::MAX / 2), Just(u64::MAX)],
            strikes in 0usize..12,
        ) {
            let mut headers = Headers::new();
            for (name, value) in [("retry-after", &retry_after), ("x-ratelimit-reset", &reset), ("x-ratelimit-remaining", &remaining)] {
                if let Some(v) = value { headers.append(name, v.clone()); }
            }
            headers.append("x-ratelimit-limit", "5000");
            let message = if secondary { "You have exceeded a secondary rate limit" } else { "API rate limit exceeded" };
            let answer = HttpResponse { status, headers, body: format!("{{\"message\":\"{message}\"}}").into_bytes() };
            let mut b = Budget::new(Pacing::github_com());
            for _ in 0..=strikes {
                b.started(RequestClass::Read, now);
                let mut refused = answer.clone();
                let error = b.finished(RequestClass::Read, now, &mut refused);
                if let Some(error) = error {
                    let hold = b.hold(now).cloned();
                    if now < u64::MAX {
                        let hold = hold.expect("a refusal holds what follows");
                        prop_assert!(hold.until > now, "no wait in the past");
                    }
                    if let Some(hold) = b.hold(now) {
                        prop_assert!(hold.until - now <= MAX_WAIT, "at most an hour: {}", hold.until - now);
                    }
                    let _ = error.remedy();
                    prop_assert_eq!(error_from(&refused), error);
                }
            }
        }

        #[test]
        fn an_exhausted_quota_never_holds_longer_than_an_hour(
            reset in header_value(),
            now in prop_oneof![Just(0u64), 0u64..4_000_000_000_000, Just(u64::MAX)],
        ) {
            let mut headers = Headers::new();
            headers.append("x-ratelimit-limit", "5000");
            headers.append("x-ratelimit-remaining", "0");
            if let Some(reset) = reset { headers.append("x-ratelimit-reset", reset); }
            let mut last = HttpResponse { status: 200, headers, body: b"[]".to_vec() };
            let mut b = Budget::new(Pacing::unpaced());
            b.started(RequestClass::Read, now);
            prop_assert!(b.finished(RequestClass::Read, now, &mut last).is_none());
            if let Some(hold) = b.hold(now) {
                prop_assert!(hold.until - now <= MAX_WAIT);
            }
        }
    }
}
