//! Conditional reads (docs/api.md): every successful GET of the API answers with an `ETag`,
//! and a request whose `If-None-Match` names it gets 304 with no body. Answers that carry a
//! version (`"3"`, for `If-Match`) or a cached view's digest keep their own tag; for the
//! others the tag is a digest of the body, computed here.

use crate::infra::cache::digest;
use crate::web::respond::weak_etag;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn is_api(path: &str) -> bool {
    path.starts_with("/api/v1/") || path == "/healthz" || path == "/readyz"
}

pub async fn conditional_get(request: Request, next: Next) -> Response {
    if request.method() != Method::GET || !is_api(request.uri().path()) {
        return next.run(request).await;
    }
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match parts.headers.get(ETAG) {
        Some(_) => body,
        None => match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => {
                parts.headers.insert(ETAG, weak_etag(&digest(&bytes)));
                Body::from(bytes)
            }
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    match (&if_none_match, parts.headers.get(ETAG)) {
        (Some(wanted), Some(etag)) if matches(wanted, etag) => not_modified(&parts.headers),
        _ => Response::from_parts(parts, body),
    }
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 has it for this header).
fn matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let Ok(etag) = etag.to_str().map(opaque) else { return false };
    if_none_match.to_str().is_ok_and(|list| list.split(',').any(|tag| tag.trim() == "*" || opaque(tag) == etag))
}

/// 304 with the headers a 200 would have had that concern caching.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for name in [ETAG, CACHE_CONTROL, VARY] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::matches;
    use axum::http::HeaderValue;

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_a_star() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        for wanted in ["W/\"abc\"", "\"abc\"", "\"x\", W/\"abc\"", "*"] {
            assert!(matches(&HeaderValue::from_static(wanted), &tag), "{wanted}");
        }
        assert!(!matches(&HeaderValue::from_static("\"abd\""), &tag));
        assert!(matches(&HeaderValue::from_static("\"3\""), &HeaderValue::from_static("\"3\"")));
    }
}
