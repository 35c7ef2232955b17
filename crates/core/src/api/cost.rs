//! What a read costs of the token's quota, and when the page asks before spending it. REST reads cost one
//! request each against a quota of (usually) 5,000 an hour, except a conditional request answered 304, which
//! costs nothing (<https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate>).
//! One click must not spend much of the hour unannounced: a read of more than [`ASK_ABOVE_REQUESTS`]
//! requests on a host with a quota is described first and waits for a yes.

use crate::api::response::RateLimitSnapshot;
use crate::text::{count, grouped};

/// Reads above this many requests are asked for first (where the host has a quota).
pub const ASK_ABOVE_REQUESTS: usize = 100;

/// The question the page asks before an expensive read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostQuestion {
    pub requests: usize,
    /// What the read costs, of what, and what happens at the limit: one or two sentences.
    pub text: String,
    /// The read needs more than what is left this hour: it will wait for the reset part of the way.
    pub exceeds_remaining: bool,
}

/// Whether reading `requests` (`what`: "the latest state of each of the 321 deployments") should be asked
/// for first, given the quota as last seen. `None`: cheap enough, or the host sent no rate-limit headers
/// (GHES with rate limits off), so nothing is asked.
pub fn ask_before_reading(
    requests: usize,
    what: &str,
    quota: Option<&RateLimitSnapshot>,
) -> Option<CostQuestion> {
    let quota = quota?;
    if requests <= ASK_ABOVE_REQUESTS {
        return None;
    }
    let cost = of_quota(&count(requests, "request", "requests"), requests, quota);
    Some(question(
        requests,
        quota,
        format!("This reads {what}: {cost}."),
        "That is more than is left this hour: reading stops",
    ))
}

/// Planning through GraphQL: listing about `deployments` (as the first page tells) costs a REST request per
/// 100 (the list pages), and their latest states a GraphQL point per 100 — GraphQL's own quota, apart from
/// REST's (docs/github-api.md §13). Asked first when either is above [`ASK_ABOVE_REQUESTS`] on a host with a
/// quota; `None` otherwise.
pub fn ask_before_planning(
    deployments: usize,
    quota: Option<&RateLimitSnapshot>,
) -> Option<CostQuestion> {
    let quota = quota?;
    let pages = deployments.div_ceil(crate::api::graphql::NODES_PER_QUERY);
    if pages <= ASK_ABOVE_REQUESTS {
        return None;
    }
    let cost = of_quota(&count(pages, "REST request", "REST requests"), pages, quota);
    Some(question(
        pages,
        quota,
        format!(
            "This lists about {} and reads each one's latest state: {cost}, and {} of GraphQL's own quota, usually 5,000 an hour (a point per 100 deployments).",
            count(deployments, "deployment", "deployments"),
            count(pages, "point", "points"),
        ),
        "That is more REST requests than are left this hour: listing stops",
    ))
}

/// "321 requests, about 7% of this token's 5,000 an hour (4,870 left; the quota resets at 13:06 UTC)".
fn of_quota(what: &str, requests: usize, quota: &RateLimitSnapshot) -> String {
    let share = (requests as u64 * 100).div_ceil(quota.limit.max(1));
    format!(
        "{what}, about {share}% of this token's {} an hour ({} left; the quota resets at {})",
        grouped(quota.limit as usize),
        grouped(quota.remaining as usize),
        quota.reset.clock_utc(),
    )
}

/// The question: `text`, and when `requests` is more than is left, `stops` "at the limit and goes on by
/// itself after" the reset.
fn question(
    requests: usize,
    quota: &RateLimitSnapshot,
    mut text: String,
    stops: &str,
) -> CostQuestion {
    let exceeds_remaining = requests as u64 > quota.remaining;
    if exceeds_remaining {
        text.push_str(&format!(
            " {stops} at the limit and goes on by itself after {}.",
            quota.reset.clock_utc()
        ));
    }
    CostQuestion {
        requests,
        text,
        exceeds_remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::Timestamp;

    fn quota(remaining: u64) -> RateLimitSnapshot {
        RateLimitSnapshot {
            limit: 5_000,
            remaining,
            used: Some(5_000 - remaining),
            reset: Timestamp::parse("2026-11-30T13:06:00Z").unwrap(),
            resource: Some("core".into()),
        }
    }

    #[test]
    fn a_cheap_read_or_a_host_without_quota_is_not_asked_about() {
        assert_eq!(ask_before_reading(100, "x", Some(&quota(4_000))), None);
        assert_eq!(ask_before_reading(10_000, "x", None), None);
    }

    #[test]
    fn an_expensive_read_says_what_it_costs_and_what_happens_at_the_limit() {
        let q = ask_before_reading(
            321,
            "the latest state of each of the 321 deployments",
            Some(&quota(4_870)),
        )
        .unwrap();
        assert_eq!(
            q.text,
            "This reads the latest state of each of the 321 deployments: 321 requests, about 7% of this token's 5,000 an hour (4,870 left; the quota resets at 13:06 UTC)."
        );
        assert!(!q.exceeds_remaining);
        let q = ask_before_reading(10_000, "everything", Some(&quota(200))).unwrap();
        assert!(q.exceeds_remaining);
        assert!(q.text.ends_with("goes on by itself after 13:06 UTC."));
    }

    #[test]
    fn a_plan_through_graphql_counts_rest_pages_and_graphql_points_apart() {
        assert_eq!(ask_before_planning(10_000, Some(&quota(4_000))), None);
        assert_eq!(ask_before_planning(100_000, None), None);
        let q = ask_before_planning(100_000, Some(&quota(4_990))).unwrap();
        assert_eq!(
            q.text,
            "This lists about 100,000 deployments and reads each one's latest state: 1,000 REST requests, about 20% of this token's 5,000 an hour (4,990 left; the quota resets at 13:06 UTC), and 1,000 points of GraphQL's own quota, usually 5,000 an hour (a point per 100 deployments)."
        );
        assert_eq!(q.requests, 1_000);
        assert!(!q.exceeds_remaining);
        let q = ask_before_planning(100_001, Some(&quota(500))).unwrap();
        assert!(q.exceeds_remaining && q.text.contains("1,001 REST requests"));
    }
}
