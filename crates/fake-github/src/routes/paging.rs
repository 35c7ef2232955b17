//! Paths and lists: a request's path, its query, an id from it, and a list a page at a time (§4): `per_page`
//! and `page`, and the `Link` header.

use deploydeck_wire::http::Headers;
use deploydeck_wire::url::{decode_component, HttpUrl};

use crate::hub::Ctx;

use super::reply::Reply;

/// The path of a request URL as sent (still encoded), for `Link` URLs.
pub(super) fn request_path(url: &str) -> String {
    HttpUrl::parse(url)
        .map(|u| u.path().to_owned())
        .unwrap_or_default()
}

pub(super) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                let s = s.replace('+', " ");
                decode_component(&s).unwrap_or(s)
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// §4: `per_page` (default 30, silently clamped to 100) and `page`; `Link` (prev, next, last, first) only
/// when there is more than one page, keeping the other query parameters and `per_page` as sent.
pub(super) fn paginate(
    ctx: &Ctx,
    path: &str,
    params: &[(String, String)],
    total: usize,
    render: impl FnOnce(std::ops::Range<usize>) -> serde_json::Result<Vec<u8>>,
) -> Reply {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let per_page = get("per_page").filter(|n| *n > 0).unwrap_or(30).min(100);
    let page = get("page").filter(|n| *n > 0).unwrap_or(1);
    let start = (page - 1).saturating_mul(per_page).min(total);
    let end = (start + per_page).min(total);
    let body = render(start..end).unwrap_or_else(|_| b"[]".to_vec());
    let mut reply = Reply {
        status: 200,
        body: Some(body),
        headers: Headers::new(),
        counts: true,
        cacheable: true,
        cors: true,
    };
    let last = total.div_ceil(per_page).max(1);
    if last > 1 || page > 1 {
        let base = ctx.base.trim_end_matches("/api/v3");
        let path = if ctx.base.ends_with("/api/v3") && !path.starts_with("/api/v3") {
            format!("/api/v3{path}")
        } else {
            path.to_owned()
        };
        let link_to = |n: usize| {
            let mut q: Vec<String> = params
                .iter()
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        deploydeck_wire::url::encode_component(k),
                        deploydeck_wire::url::encode_component(v)
                    )
                })
                .collect();
            q.push(format!("page={n}"));
            format!("<{base}{path}?{}>", q.join("&"))
        };
        let mut parts = Vec::new();
        if page > 1 {
            parts.push(format!("{}; rel=\"prev\"", link_to(page - 1)));
        }
        if page < last {
            parts.push(format!("{}; rel=\"next\"", link_to(page + 1)));
            parts.push(format!("{}; rel=\"last\"", link_to(last)));
        }
        if page > 1 {
            parts.push(format!("{}; rel=\"first\"", link_to(1)));
        }
        if !parts.is_empty() {
            reply.headers.append("Link", parts.join(", "));
        }
    }
    reply
}

pub(super) fn parse_id(text: &str) -> Option<u64> {
    text.parse().ok()
}
