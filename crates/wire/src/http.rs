//! Plain HTTP values shared by the app's transports (fetch, in-page demo) and by fake-github.
//!
//! They carry no behaviour beyond header look-up: building them is `request`'s job, reading them is
//! `response`'s.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The HTTP methods the GitHub deployments API uses (docs/github-api.md §8), plus `OPTIONS` for CORS preflights (§3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Head,
    Post,
    Patch,
    Put,
    Delete,
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }

    /// Parses a method name as it appears on the wire (case-sensitive, as HTTP methods are).
    pub fn parse(name: &str) -> Option<Method> {
        Some(match name {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PATCH" => Method::Patch,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "OPTIONS" => Method::Options,
            _ => return None,
        })
    }

    /// GitHub counts GET/HEAD/OPTIONS as 1 point and mutations as 5 against the secondary limit (docs/github-api.md §5).
    pub fn is_mutation(self) -> bool {
        matches!(
            self,
            Method::Post | Method::Patch | Method::Put | Method::Delete
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An ordered list of header fields. Names keep the case they were given; look-ups ignore case.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a field (a second field of the same name is kept, as HTTP allows).
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Replaces every field of this name by one with `value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.remove(name);
        self.0.push((name.to_owned(), value.into()));
    }

    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The first value of the field `name`, ignoring case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the field `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Headers(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

/// Header values that must never reach a log, a panic message or a test failure: `Authorization` carries
/// the user's token.
fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in &self.0 {
            if is_secret_header(name) {
                list.entry(&(name, "<redacted>"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

/// A request as core describes it; the transport performs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    pub method: Method,
    /// An absolute URL.
    pub url: String,
    pub headers: Headers,
    /// A JSON text, when the operation has a body.
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        HttpRequest {
            method,
            url: url.into(),
            headers: Headers::new(),
            body: None,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }
}

/// A response as the transport received it. `status == 0` is how a browser reports a request that never got
/// an HTTP answer: a network failure or a CORS refusal (docs/github-api.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: Vec<u8>,
}

/// Marks the answer a transport makes up when the server said nothing in time (see
/// [`HttpResponse::timed_out`]); never sent, never received from a server that is GitHub's API.
pub const TIMED_OUT_HEADER: &str = "x-deploydeck-timed-out";

/// Marks a rate-limit refusal whose wait Deploydeck sets itself, because the one the server named cannot be used
/// as it is (`budget::Budget::finished` writes it: `"{seconds};{why}"`). Like [`TIMED_OUT_HEADER`], never sent,
/// and removed from what a server sends.
pub const ADJUSTED_WAIT_HEADER: &str = "x-deploydeck-wait";

/// Whether a header name is one of Deploydeck's own markers, which a transport removes from what a server
/// sends: only core writes them.
pub fn is_own_marker(name: &str) -> bool {
    name.get(..13)
        .is_some_and(|p| p.eq_ignore_ascii_case("x-deploydeck-"))
}

impl HttpResponse {
    pub fn new(status: u16) -> Self {
        HttpResponse {
            status,
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// What a transport hands core when it gave up waiting after `seconds`: status 0 (no HTTP answer), which
    /// core decodes as [`crate::ApiError::TimedOut`].
    pub fn timed_out(seconds: u64) -> Self {
        let mut response = HttpResponse::new(0);
        response
            .headers
            .append(TIMED_OUT_HEADER, seconds.to_string());
        response
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, with invalid UTF-8 replaced (for messages only; decoding works on the bytes).
    pub fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A response whose body is text, for crossing a JSON boundary (the demo module hands its answers to the app
/// this way): GitHub's bodies are JSON, so UTF-8, and a text body stays compact where `Vec<u8>` would become an
/// array of numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

impl From<HttpResponse> for TextResponse {
    fn from(response: HttpResponse) -> Self {
        TextResponse {
            status: response.status,
            body: String::from_utf8(response.body)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            headers: response.headers,
        }
    }
}

impl From<TextResponse> for HttpResponse {
    fn from(response: TextResponse) -> Self {
        HttpResponse {
            status: response.status,
            headers: response.headers,
            body: response.body.into_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case_and_keeps_order() {
        let h: Headers = [("ETag", "\"a\""), ("etag", "\"b\""), ("Link", "<x>")]
            .into_iter()
            .collect();
        assert_eq!(h.get("etag"), Some("\"a\""));
        assert_eq!(h.get_all("ETAG").collect::<Vec<_>>(), ["\"a\"", "\"b\""]);
        assert_eq!(h.get("missing"), None);
    }

    #[test]
    fn set_replaces_every_field_of_that_name() {
        let mut h = Headers::new();
        h.append("Accept", "a");
        h.append("accept", "b");
        h.set("ACCEPT", "c");
        assert_eq!(h.get_all("accept").collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn debug_output_never_shows_the_authorization_value() {
        let mut req = HttpRequest::new(Method::Get, "https://api.github.com/user");
        req.headers.append("Authorization", "Bearer ghp_secret123");
        let shown = format!("{req:?}");
        assert!(!shown.contains("ghp_secret123"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn text_responses_carry_status_headers_and_body_both_ways() {
        let mut original = HttpResponse::new(201);
        original.headers.append("ETag", "\"x\"");
        original.body = "{\"id\":1}".as_bytes().to_vec();
        let text = TextResponse::from(original.clone());
        assert_eq!(text.body, "{\"id\":1}");
        assert_eq!(HttpResponse::from(text), original);
    }

    #[test]
    fn method_names_round_trip() {
        for m in [
            Method::Get,
            Method::Head,
            Method::Post,
            Method::Patch,
            Method::Put,
            Method::Delete,
            Method::Options,
        ] {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        assert_eq!(Method::parse("get"), None);
    }
}
