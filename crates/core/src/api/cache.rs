//! Conditional requests without bookkeeping in the views: GET answers are kept by URL with their ETag;
//! [`ConditionalCache::prepare`] adds `If-None-Match`, [`ConditionalCache::settle`] turns a 304 back into the
//! kept answer. A 304 costs no quota (docs/github-api.md §5), so refreshing unchanged data is free.
//!
//! One cache belongs to one token and API base: the app drops it when either changes, because answers
//! (private data, `permissions`) differ per token.

use std::collections::{HashMap, VecDeque};

use crate::api::http::{HttpRequest, HttpResponse, Method};
use crate::api::request::conditional;
use crate::api::response::etag;

/// How an answer was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The server sent a new body.
    Fetched,
    /// The server answered 304: the kept body is current.
    Revalidated,
}

/// GET answers with an ETag, by URL, oldest evicted first past `capacity` answers or `max_bytes` of bodies.
#[derive(Debug, Clone)]
pub struct ConditionalCache {
    capacity: usize,
    max_bytes: usize,
    bytes: usize,
    entries: HashMap<String, HttpResponse>,
    order: VecDeque<String>,
}

impl ConditionalCache {
    pub fn new(capacity: usize) -> Self {
        ConditionalCache {
            capacity: capacity.max(1),
            max_bytes: usize::MAX,
            bytes: 0,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Keeps at most `max_bytes` of bodies (a listing of thousands of pages must not keep them all: only
    /// what is asked again, the first pages and single reads, profits from revalidation).
    pub fn max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kept answer for a URL, if any.
    pub fn get(&self, url: &str) -> Option<&HttpResponse> {
        self.entries.get(url)
    }

    /// Adds `If-None-Match` to a GET whose answer is kept; other requests pass unchanged.
    pub fn prepare(&self, request: HttpRequest) -> HttpRequest {
        if request.method != Method::Get || request.header("If-None-Match").is_some() {
            return request;
        }
        match self.entries.get(&request.url).and_then(etag) {
            Some(tag) => {
                let tag = tag.to_owned();
                conditional(request, &tag)
            }
            None => request,
        }
    }

    /// Records the answer to `request` and returns the answer to use: on a 304, the kept answer (with the
    /// 304's fresher rate-limit headers); on a 2xx GET with an ETag, the new answer, now kept. A mutation
    /// forgets every kept answer under the repository it touched, so the next read is fresh.
    pub fn settle(
        &mut self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> (HttpResponse, Freshness) {
        if request.method.is_mutation() {
            match repository_key(&request.url) {
                Some(repo) => self.forget_repository(repo),
                None => self.clear(),
            }
            return (response, Freshness::Fetched);
        }
        if request.method != Method::Get {
            return (response, Freshness::Fetched);
        }
        if response.status == 304 {
            if let Some(kept) = self.entries.get(&request.url) {
                let mut answer = kept.clone();
                for (name, value) in response.headers.iter() {
                    if name.to_ascii_lowercase().starts_with("x-ratelimit-") {
                        answer.headers.set(name, value);
                    }
                }
                return (answer, Freshness::Revalidated);
            }
            return (response, Freshness::Fetched);
        }
        if response.is_success() && etag(&response).is_some() {
            self.insert(request.url.clone(), response.clone());
        } else if !response.is_success() {
            self.remove(&request.url);
        }
        (response, Freshness::Fetched)
    }

    fn insert(&mut self, url: String, response: HttpResponse) {
        self.bytes += response.body.len();
        match self.entries.insert(url.clone(), response) {
            None => self.order.push_back(url),
            Some(old) => self.bytes -= old.body.len(),
        }
        while self.entries.len() > self.capacity
            || (self.bytes > self.max_bytes && self.entries.len() > 1)
        {
            match self.order.pop_front() {
                Some(oldest) => {
                    if let Some(gone) = self.entries.remove(&oldest) {
                        self.bytes -= gone.body.len();
                    }
                }
                None => break,
            }
        }
    }

    fn remove(&mut self, url: &str) {
        if let Some(gone) = self.entries.remove(url) {
            self.bytes -= gone.body.len();
            self.order.retain(|u| u != url);
        }
    }

    fn forget_repository(&mut self, repo: &str) {
        self.entries
            .retain(|url, _| repository_key(url) != Some(repo));
        let entries = &self.entries;
        self.order.retain(|u| entries.contains_key(u));
        self.bytes = self.entries.values().map(|r| r.body.len()).sum();
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
        self.bytes = 0;
    }
}

/// `https://host/…/repos/{owner}/{repo}` of a URL (without anything after the repository name), or `None`
/// when the URL names no repository.
fn repository_key(url: &str) -> Option<&str> {
    let start = url.find("/repos/")? + "/repos/".len();
    let owner_end = start + url[start..].find('/')?;
    let name_len = url[owner_end + 1..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - owner_end - 1);
    Some(&url[..owner_end + 1 + name_len])
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_past_the_byte_budget_evict_the_oldest() {
        let mut cache = ConditionalCache::new(100).max_bytes(25);
        for page in 1..=4 {
            let url = format!("https://api.github.com/repos/o/r/deployments?page={page}");
            let mut answer = HttpResponse::new(200);
            answer.headers.append("ETag", format!("\"{page}\""));
            answer.body = vec![b'x'; 10];
            cache.settle(&HttpRequest::new(Method::Get, url), answer);
        }
        assert_eq!(
            cache.len(),
            2,
            "40 bytes kept at most 25: the two newest stay"
        );
        assert!(cache
            .get("https://api.github.com/repos/o/r/deployments?page=1")
            .is_none());
        assert!(cache
            .get("https://api.github.com/repos/o/r/deployments?page=4")
            .is_some());
    }

    use super::*;
    use crate::api::http::Headers;

    fn get(url: &str) -> HttpRequest {
        HttpRequest::new(Method::Get, url)
    }

    fn ok(etag: &str, body: &str, remaining: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: [("ETag", etag), ("X-RateLimit-Remaining", remaining)]
                .into_iter()
                .collect::<Headers>(),
            body: body.as_bytes().to_vec(),
        }
    }

    const LIST: &str = "https://api.github.com/repos/o/r/deployments?per_page=100&page=1";

    #[test]
    fn a_kept_answer_makes_the_next_get_conditional_and_a_304_returns_it() {
        let mut cache = ConditionalCache::new(10);
        assert_eq!(cache.prepare(get(LIST)).header("If-None-Match"), None);
        let (_, how) = cache.settle(&get(LIST), ok("W/\"v1\"", "[1]", "4999"));
        assert_eq!(how, Freshness::Fetched);
        let req = cache.prepare(get(LIST));
        assert_eq!(req.header("If-None-Match"), Some("W/\"v1\""));
        let not_modified = HttpResponse {
            status: 304,
            headers: [("X-RateLimit-Remaining", "4999")].into_iter().collect(),
            body: Vec::new(),
        };
        let (answer, how) = cache.settle(&req, not_modified);
        assert_eq!(
            (answer.status, answer.body.as_slice(), how),
            (200, &b"[1]"[..], Freshness::Revalidated)
        );
        assert_eq!(answer.header("x-ratelimit-remaining"), Some("4999"));
    }

    #[test]
    fn a_mutation_forgets_that_repositorys_answers_only() {
        let mut cache = ConditionalCache::new(10);
        let other = "https://api.github.com/repos/o/rr/deployments";
        cache.settle(&get(LIST), ok("\"a\"", "[]", "1"));
        cache.settle(&get(other), ok("\"b\"", "[]", "1"));
        let post = HttpRequest::new(
            Method::Post,
            "https://api.github.com/repos/o/r/deployments/7/statuses",
        );
        cache.settle(&post, HttpResponse::new(201));
        assert!(cache.get(LIST).is_none());
        assert!(cache.get(other).is_some());
    }

    #[test]
    fn errors_evict_and_capacity_is_bounded() {
        let mut cache = ConditionalCache::new(2);
        for i in 0..3 {
            cache.settle(&get(&format!("{LIST}&x={i}")), ok("\"e\"", "[]", "1"));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&format!("{LIST}&x=0")).is_none());
        cache.settle(&get(&format!("{LIST}&x=2")), HttpResponse::new(404));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn repository_keys_end_at_the_repository_name() {
        assert_eq!(
            repository_key(LIST),
            Some("https://api.github.com/repos/o/r")
        );
        assert_eq!(
            repository_key("https://ghe.example/api/v3/repos/o/rr?x=1"),
            Some("https://ghe.example/api/v3/repos/o/rr")
        );
        assert_eq!(repository_key("https://api.github.com/user"), None);
    }
}
