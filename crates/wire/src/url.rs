//! The small part of URL handling Deploydeck needs, without a URL crate (the `url` crate brings IDNA tables
//! into the wasm bundle): checking that a string is an absolute http(s) URL, comparing origins, and
//! percent-encoding path segments and query values.

use std::fmt::Write as _;

/// Why a string is not an absolute http(s) URL. The `Display` text is written for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("is empty")]
    Empty,
    #[error("must start with https:// or http://")]
    NotHttp,
    #[error("has spaces, control characters or invisible formatting characters")]
    Whitespace,
    #[error("has no host name after the scheme")]
    NoHost,
    #[error("must not contain a user name or password")]
    Credentials,
    #[error("has a host name with characters a host cannot have")]
    BadHost,
    #[error("has a port that is not a number from 1 to 65535")]
    BadPort,
    #[error("contains a backslash")]
    Backslash,
    #[error("uses plain http:// for a host other than this computer, which this page's security policy does not let it reach (only https:// addresses, and http:// on 127.0.0.1 or localhost). Use the server's https:// address, or reach it through a proxy on this computer")]
    PlainHttpElsewhere,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// An absolute http(s) URL, checked and split. Borrowed from the text it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    pub scheme: Scheme,
    /// As written (case kept); IPv6 literals keep their brackets.
    pub host: &'a str,
    pub port: Option<u16>,
    /// Everything after the authority: path, query and fragment (may be empty).
    pub rest: &'a str,
}

impl<'a> HttpUrl<'a> {
    pub fn parse(text: &'a str) -> Result<Self, UrlProblem> {
        if text.is_empty() {
            return Err(UrlProblem::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || is_hidden_char(c)) {
            return Err(UrlProblem::Whitespace);
        }
        let (scheme, after) = split_scheme(text).ok_or(UrlProblem::NotHttp)?;
        let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let (authority, rest) = after.split_at(authority_end);
        if rest.contains('\\') || authority.contains('\\') {
            return Err(UrlProblem::Backslash);
        }
        if authority.is_empty() {
            return Err(UrlProblem::NoHost);
        }
        // `https://github.com@evil.example/` reads as github.com to a person and goes to evil.example.
        if authority.contains('@') {
            return Err(UrlProblem::Credentials);
        }
        let (host, port) = split_host_port(authority)?;
        Ok(HttpUrl {
            scheme,
            host,
            port,
            rest,
        })
    }

    /// `scheme://host[:port]` in lower case with the default port left out, the host in its ASCII form
    /// (`crate::host::to_ascii`): what the browser compares for CORS and what decides where a token may be sent.
    pub fn origin(&self) -> String {
        let mut origin = format!("{}://{}", self.scheme.as_str(), self.ascii_host());
        if let Some(port) = self.port.filter(|p| *p != self.scheme.default_port()) {
            let _ = write!(origin, ":{port}");
        }
        origin
    }

    /// The host as requests reach it: `xn--` labels for non-ASCII ones, lower case.
    pub fn ascii_host(&self) -> String {
        // `parse` refused every host this cannot encode.
        crate::host::to_ascii(self.host).unwrap_or_default()
    }

    /// The path alone (without query or fragment), `""` when there is none.
    pub fn path(&self) -> &'a str {
        let end = self.rest.find(['?', '#']).unwrap_or(self.rest.len());
        &self.rest[..end]
    }

    /// The query without its `?` (and without any fragment), if there is one.
    pub fn query(&self) -> Option<&'a str> {
        let start = self.rest.find('?')? + 1;
        let tail = &self.rest[start..];
        Some(&tail[..tail.find('#').unwrap_or(tail.len())])
    }

    /// Whether the host is a loopback address (`localhost`, `127.x.x.x`, `[::1]`).
    pub fn is_loopback(&self) -> bool {
        let host = self.host.to_ascii_lowercase();
        host == "localhost"
            || host.ends_with(".localhost")
            || host == "[::1]"
            || host.strip_prefix("127.").is_some_and(|r| {
                r.split('.').count() == 3 && r.split('.').all(|p| p.parse::<u8>().is_ok())
            })
    }
}

/// Control characters, and the invisible formatting characters (zero-width, bidirectional overrides) that
/// make a text read differently from what it is.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn split_scheme(text: &str) -> Option<(Scheme, &str)> {
    let colon = text.find("://")?;
    let scheme = match &text[..colon] {
        s if s.eq_ignore_ascii_case("https") => Scheme::Https,
        s if s.eq_ignore_ascii_case("http") => Scheme::Http,
        _ => return None,
    };
    Some((scheme, &text[colon + 3..]))
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), UrlProblem> {
    let (host, port_text) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(UrlProblem::BadHost)?;
        let host = &authority[..=close];
        let inner = &host[1..host.len() - 1];
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(UrlProblem::BadHost);
        }
        match &authority[close + 1..] {
            "" => (host, None),
            tail => (
                host,
                Some(tail.strip_prefix(':').ok_or(UrlProblem::BadHost)?),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    if !host.starts_with('[') && (!is_reg_name(host) || crate::host::to_ascii(host).is_none()) {
        return Err(UrlProblem::BadHost);
    }
    let port = match port_text {
        None => None,
        Some(p) => {
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(UrlProblem::BadPort);
            }
            match p.parse::<u16>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(UrlProblem::BadPort),
            }
        }
    };
    Ok((host, port))
}

/// Dot-separated labels of ASCII letters, digits, hyphens and underscores, or any non-ASCII letter or digit
/// (an internationalised name, which requests reach in its `xn--` form, `crate::host`). Hidden characters were
/// refused before; full-width forms (`ｇｉｔｈｕｂ`, which the browser would map to ASCII) are refused too, so a
/// name never reads as one host and goes to another.
/// No Unicode property lookups: their tables would cost the wasm bundle more than they check here.
fn is_reg_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| {
                    (c.is_alphanumeric() || c == '-' || c == '_')
                        && !('\u{FF00}'..='\u{FFEF}').contains(&c)
                })
        })
}

/// Whether `text` is an absolute http(s) URL: the rule for every link rendered from API data.
pub fn is_http_url(text: &str) -> bool {
    HttpUrl::parse(text).is_ok()
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the result is safe as one path
/// segment (a `/` becomes `%2F`, as GitHub wants for environment names, docs/github-api.md §1) or as a query value.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes (and nothing else); `None` when an escape is malformed or the result is not UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `page` parameter of a URL (a `Link` header's, docs/github-api.md §4).
pub fn page_param(url: &str) -> Option<u32> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|v| v.parse().ok())
}

/// `url` with its `page` parameter set to `page` (added when missing), its other parameters and fragment kept:
/// every page of a list asked at once, from the first page's `Link` (docs/github-api.md §4).
pub fn with_page(url: &str, page: u32) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = base.split_once('?').unwrap_or((base, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("page={page}"));
    let mut out = format!("{path}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The decoded value of `name` in a query string (`+` read as a space, as forms send it).
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| decode_component(&v.replace('+', " ")))
}

/// Why a name cannot be one step of an API address: `.` and `..` (and an empty step) are rewritten by every
/// URL parser, the browser's included (RFC 3986 §5.2.4, and the WHATWG URL standard, which reads `%2e` the
/// same way), so `DELETE …/environments/..` would reach `DELETE …/repos/acme/web/`. Percent-encoding cannot
/// help; nothing else `encode_component` leaves can change the address (docs/github-api.md §1).
pub fn dot_segment_problem(segment: &str) -> Option<&'static str> {
    match segment {
        "" => Some("an empty name is no step of an address"),
        "." => Some("“.” is read by every URL parser as “this folder”, so the request would reach another address"),
        ".." => Some("“..” is read by every URL parser as “the folder above”, so the request would reach another address"),
        _ => None,
    }
}

/// `text` as one encoded path segment (a `/` becomes `%2F`), or why it cannot be one
/// ([`dot_segment_problem`]).
pub fn path_segment(text: &str) -> Result<String, &'static str> {
    match dot_segment_problem(text) {
        Some(why) => Err(why),
        None => Ok(encode_component(text)),
    }
}

/// Encodes a multi-segment path parameter (git refs and branch names, docs/github-api.md §1 `x-multi-segment`):
/// each segment is encoded, the slashes between them stay; no segment may be a dot segment or empty.
pub fn path_segments(text: &str) -> Result<String, &'static str> {
    text.split('/')
        .map(path_segment)
        .collect::<Result<Vec<_>, _>>()
        .map(|segments| segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_http_and_https_urls() {
        for ok in [
            "https://example.com",
            "https://example.com/deployment/42/output",
            "http://127.0.0.1:8787/api?x=1#frag",
            "HTTPS://GHE.EXAMPLE.COM/api/v3",
            "https://[::1]:8443/",
            "https://bücher.example/path",
            "https://pr-12.preview.example.com./",
        ] {
            assert!(HttpUrl::parse(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn refuses_script_data_and_relative_urls_with_a_reason() {
        assert_eq!(
            HttpUrl::parse("javascript:alert(1)"),
            Err(UrlProblem::NotHttp)
        );
        assert_eq!(
            HttpUrl::parse("data:text/html,<b>"),
            Err(UrlProblem::NotHttp)
        );
        assert_eq!(HttpUrl::parse("//evil.example/x"), Err(UrlProblem::NotHttp));
        assert_eq!(HttpUrl::parse("/relative"), Err(UrlProblem::NotHttp));
        assert_eq!(
            HttpUrl::parse("ftp://example.com"),
            Err(UrlProblem::NotHttp)
        );
        assert_eq!(HttpUrl::parse(""), Err(UrlProblem::Empty));
        assert_eq!(HttpUrl::parse("https://"), Err(UrlProblem::NoHost));
        assert_eq!(
            HttpUrl::parse("https://a b.com"),
            Err(UrlProblem::Whitespace)
        );
        assert_eq!(
            HttpUrl::parse(" https://a.com"),
            Err(UrlProblem::Whitespace)
        );
        assert_eq!(
            HttpUrl::parse("https://github.com@evil.example/"),
            Err(UrlProblem::Credentials)
        );
        assert_eq!(HttpUrl::parse("https://a.com:0/"), Err(UrlProblem::BadPort));
        assert_eq!(
            HttpUrl::parse("https://a.com:99999/"),
            Err(UrlProblem::BadPort)
        );
        assert_eq!(HttpUrl::parse("https://a..com/"), Err(UrlProblem::BadHost));
        assert_eq!(
            HttpUrl::parse("https://a.com\\@b.com"),
            Err(UrlProblem::Backslash)
        );
        assert_eq!(
            HttpUrl::parse("https://a.com/\u{202e}x"),
            Err(UrlProblem::Whitespace)
        );
        assert_eq!(
            HttpUrl::parse("https://pay\u{200b}pal.com/"),
            Err(UrlProblem::Whitespace)
        );
    }

    #[test]
    fn origin_is_lower_case_without_default_port() {
        let u = HttpUrl::parse("HTTPS://API.GitHub.com:443/repos?page=2").unwrap();
        assert_eq!(u.origin(), "https://api.github.com");
        assert_eq!(u.path(), "/repos");
        assert_eq!(u.query(), Some("page=2"));
        let u = HttpUrl::parse("http://127.0.0.1:8787").unwrap();
        assert_eq!(u.origin(), "http://127.0.0.1:8787");
        assert!(u.is_loopback());
        assert!(!HttpUrl::parse("https://127.0.0.1.evil.example")
            .unwrap()
            .is_loopback());
    }

    #[test]
    fn an_origin_names_the_host_requests_really_reach() {
        let look_alike = HttpUrl::parse("https://g\u{456}thub.com/api/v3").unwrap();
        assert_eq!(look_alike.origin(), "https://xn--gthub-n2e.com");
        assert_ne!(
            look_alike.origin(),
            HttpUrl::parse("https://github.com").unwrap().origin()
        );
        assert_eq!(
            HttpUrl::parse("https://\u{ff47}ithub.com/"),
            Err(UrlProblem::BadHost),
            "a full-width letter, which browsers map to ASCII"
        );
    }

    #[test]
    fn component_encoding_escapes_slashes_and_unicode() {
        assert_eq!(encode_component("review/pr-12"), "review%2Fpr-12");
        assert_eq!(encode_component("a b&c=d"), "a%20b%26c%3Dd");
        assert_eq!(encode_component("é"), "%C3%A9");
        assert_eq!(
            path_segments("heads/feature/x y").unwrap(),
            "heads/feature/x%20y"
        );
    }

    proptest! {
        #[test]
        fn generated_http_urls_are_accepted(
            scheme in "[hH][tT][tT][pP][sS]?",
            labels in proptest::collection::vec("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", 1..4),
            port in proptest::option::of(1u16..),
            path in "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,8}){0,4}",
            query in proptest::option::of("[A-Za-z0-9=&._-]{0,12}"),
        ) {
            let mut url = format!("{scheme}://{}", labels.join("."));
            if let Some(p) = port { url.push_str(&format!(":{p}")); }
            url.push_str(&path);
            if let Some(q) = &query { url.push('?'); url.push_str(q); }
            let parsed = HttpUrl::parse(&url);
            prop_assert!(parsed.is_ok(), "{url}: {parsed:?}");
            prop_assert_eq!(parsed.unwrap().query(), query.as_deref());
        }

        #[test]
        fn anything_not_starting_with_an_http_scheme_is_refused(s in "\\PC{0,40}") {
            let lower = s.to_ascii_lowercase();
            prop_assume!(!lower.starts_with("http://") && !lower.starts_with("https://"));
            prop_assert!(HttpUrl::parse(&s).is_err());
        }

        #[test]
        fn parse_never_panics(s in "(?s).{0,60}") {
            if let Ok(u) = HttpUrl::parse(&s) {
                let _ = (u.origin(), u.path(), u.query(), u.is_loopback());
            }
        }

        #[test]
        fn encoding_round_trips_and_leaves_only_safe_bytes(s in "\\PC{0,40}") {
            let encoded = encode_component(&s);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            prop_assert_eq!(decode_component(&encoded), Some(s));
        }

        /// A path step built from any name stays one step that no URL parser rewrites: never `.`, `..` or
        /// empty (nor their `%2e` spellings), never a `/`, and it reads back as the name.
        #[test]
        fn a_path_segment_is_never_a_dot_segment(s in prop_oneof!["\\PC{0,12}", "[./%2eE]{0,4}"]) {
            match path_segment(&s) {
                Ok(segment) => {
                    let lower = segment.to_ascii_lowercase();
                    prop_assert!(!["", ".", "..", "%2e", "%2e%2e", ".%2e", "%2e."].contains(&lower.as_str()));
                    prop_assert!(!segment.contains('/'));
                    prop_assert_eq!(decode_component(&segment), Some(s));
                }
                Err(_) => prop_assert!(["", ".", ".."].contains(&s.as_str())),
            }
        }
    }

    #[test]
    fn dot_and_empty_names_are_no_path_segments() {
        for bad in ["", ".", ".."] {
            assert!(path_segment(bad).is_err(), "{bad:?}");
        }
        for bad in ["a/../b", "./x", "a//b", "heads/.", "..", "a/"] {
            assert!(path_segments(bad).is_err(), "{bad:?}");
        }
        assert_eq!(path_segment("..."), Ok("...".into()));
        assert_eq!(path_segment("%2e%2e"), Ok("%252e%252e".into()));
        assert_eq!(path_segment("review/.."), Ok("review%2F..".into()));
        assert_eq!(path_segments("heads/v1..x"), Ok("heads/v1..x".into()));
    }
}
