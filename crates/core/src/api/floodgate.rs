//! The last line of defence before a request leaves the tab: whatever a view, a model or a hostile host gets
//! wrong above it, one tab never floods an API host (docs/architecture.md, "A host that answers oddly").
//!
//! Two rules, checked by the transport before every request:
//! - the same request (method, URL and body) that was refused — any answer but a success or a 304, or none
//!   at all — is not sent again sooner than [`REFUSAL_GAP`] after that answer;
//! - no more than [`Floodgate::CEILING`] requests start towards one host in any second.
//!
//! Both only delay: nothing is dropped, so a bug anywhere above becomes slow instead of a flood. The budget
//! (`budget`) paces requests as GitHub asks; this is what holds when something above it fails to.

use std::collections::VecDeque;

use crate::api::http::HttpRequest;

pub type Millis = u64;

/// How long the same request waits after it was refused before it may go again.
pub const REFUSAL_GAP: Millis = 1_000;
const SECOND: Millis = 1_000;

/// A request's identity for the refusal rule: a hash of its method, URL and body (a collision only delays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestKey(u64);

impl RequestKey {
    pub fn of(request: &HttpRequest) -> RequestKey {
        // FNV-1a: small, stable, and enough to tell requests apart.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let parts = [
            request.method.as_str().as_bytes(),
            b" ",
            request.url.as_bytes(),
            b"\n",
            request.body.as_deref().unwrap_or("").as_bytes(),
        ];
        for byte in parts.into_iter().flatten() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        RequestKey(hash)
    }
}

/// One host's gate: the starts of the last second, and the requests refused in the last [`REFUSAL_GAP`].
#[derive(Debug, Clone)]
pub struct Floodgate {
    ceiling: u32,
    starts: VecDeque<Millis>,
    refused: Vec<(RequestKey, Millis)>,
    slowed: u64,
}

impl Default for Floodgate {
    fn default() -> Self {
        Floodgate::new(Floodgate::CEILING)
    }
}

impl Floodgate {
    /// Requests a second towards one host. Measured (docs/architecture.md): the busiest screen, History's
    /// first load of 5,000 deployments on loopback, peaks at about a third of this; GitHub's own secondary
    /// limit allows 900 reads a minute per endpoint.
    pub const CEILING: u32 = 100;

    pub fn new(ceiling: u32) -> Floodgate {
        Floodgate {
            ceiling: ceiling.max(1),
            starts: VecDeque::new(),
            refused: Vec::new(),
            slowed: 0,
        }
    }

    /// When `key` may be sent: `None` now, else not before that moment.
    pub fn next_send(&mut self, key: RequestKey, now: Millis) -> Option<Millis> {
        self.forget(now);
        let mut earliest = now;
        if let Some((_, at)) = self.refused.iter().find(|(k, _)| *k == key) {
            earliest = earliest.max(at.saturating_add(REFUSAL_GAP));
        }
        if self.starts.len() >= self.ceiling as usize {
            // The window frees a place when its oldest start is a second old.
            let oldest = self.starts[self.starts.len() - self.ceiling as usize];
            earliest = earliest.max(oldest.saturating_add(SECOND));
        }
        (earliest > now).then(|| {
            self.slowed += 1;
            earliest
        })
    }

    /// A request left at `now`.
    pub fn sent(&mut self, now: Millis) {
        self.forget(now);
        self.starts.push_back(now);
    }

    /// The answer to `key` came at `now` with `status` (0: none).
    pub fn answered(&mut self, key: RequestKey, status: u16, now: Millis) {
        self.refused.retain(|(k, _)| *k != key);
        let accepted = (200..300).contains(&status) || status == 304;
        if !accepted {
            self.refused.push((key, now));
        }
    }

    /// How many times a request was held back: zero while everything above behaves.
    pub fn slowed(&self) -> u64 {
        self.slowed
    }

    fn forget(&mut self, now: Millis) {
        while self
            .starts
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= SECOND)
        {
            self.starts.pop_front();
        }
        self.refused
            .retain(|(_, at)| now.saturating_sub(*at) < REFUSAL_GAP);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::http::Method;
    use proptest::prelude::*;

    fn get(url: &str) -> RequestKey {
        RequestKey::of(&HttpRequest::new(Method::Get, url.to_owned()))
    }

    #[test]
    fn a_refused_request_waits_a_second_after_its_answer_and_others_go_on() {
        let mut gate = Floodgate::default();
        let page = get("https://api.github.com/repos/a/b/deployments");
        assert_eq!(gate.next_send(page, 0), None);
        gate.sent(0);
        gate.answered(page, 403, 40);
        assert_eq!(gate.next_send(page, 50), Some(1_040));
        assert_eq!(gate.next_send(get("https://api.github.com/user"), 50), None);
        assert_eq!(gate.next_send(page, 1_040), None);
        gate.sent(1_040);
        gate.answered(page, 200, 1_100);
        assert_eq!(gate.next_send(page, 1_100), None, "accepted: no gap");
        for status in [0, 404, 422, 500, 502] {
            gate.answered(page, status, 2_000);
            assert_eq!(gate.next_send(page, 2_000), Some(3_000), "{status}");
        }
        gate.answered(page, 304, 2_500);
        assert_eq!(gate.next_send(page, 2_500), None);
    }

    #[test]
    fn the_same_url_with_another_body_or_method_is_another_request() {
        let mut a = HttpRequest::new(Method::Post, "https://api.github.com/graphql".to_owned());
        a.body = Some("{\"query\":\"a\"}".into());
        let mut b = a.clone();
        b.body = Some("{\"query\":\"b\"}".into());
        assert_ne!(RequestKey::of(&a), RequestKey::of(&b));
        b.body = a.body.clone();
        b.method = Method::Delete;
        assert_ne!(RequestKey::of(&a), RequestKey::of(&b));
    }

    #[test]
    fn no_more_than_the_ceiling_starts_in_any_second() {
        let mut gate = Floodgate::new(3);
        for i in 0..3 {
            assert_eq!(gate.next_send(get(&format!("/{i}")), 10 * i), None);
            gate.sent(10 * i);
        }
        assert_eq!(gate.next_send(get("/3"), 30), Some(1_000));
        assert_eq!(gate.slowed(), 1);
        assert_eq!(gate.next_send(get("/3"), 1_000), None);
    }

    proptest! {
        /// A loop that sends whatever the gate allows, as soon as it allows it, for a simulated minute.
        #[test]
        fn a_tight_loop_is_held_to_the_ceiling_and_a_refused_request_to_one_a_second(
            ceiling in 1u32..200,
            urls in 1usize..5,
            refuse in any::<bool>(),
            latency in 0u64..30,
        ) {
            let mut gate = Floodgate::new(ceiling);
            let keys: Vec<RequestKey> = (0..urls).map(|i| get(&format!("/p{i}"))).collect();
            let mut now = 0;
            let mut starts: Vec<(usize, Millis)> = Vec::new();
            let mut i = 0;
            while now < 60_000 {
                let key = keys[i % urls];
                if let Some(at) = gate.next_send(key, now) {
                    prop_assert!(at > now);
                    now = at;
                    continue;
                }
                gate.sent(now);
                starts.push((i % urls, now));
                now += latency;
                gate.answered(key, if refuse { 403 } else { 200 }, now);
                i += 1;
            }
            for (n, (_, t)) in starts.iter().enumerate() {
                let within = starts[n..].iter().take_while(|(_, u)| *u < t + SECOND).count();
                prop_assert!(within <= ceiling as usize);
            }
            if refuse {
                for k in 0..urls {
                    let mine: Vec<Millis> = starts.iter().filter(|(j, _)| *j == k).map(|(_, t)| *t).collect();
                    for pair in mine.windows(2) {
                        prop_assert!(pair[1] >= pair[0] + latency + REFUSAL_GAP);
                    }
                }
            }
        }
    }
}
