//! Cross-site request forgery protection by a strict origin check (OWASP's "verifying origin
//! with standard headers"). A state-changing request (any method but GET, HEAD, OPTIONS) must
//! come from this site: its `Origin` header (or, failing that, its `Referer`) must name this
//! site's origin. Browsers set `Origin` on every cross-site POST and a page cannot forge it, so
//! a page on another site cannot act for a signed-in user. A request carrying neither header
//! is refused when it carries the session cookie; without the cookie there is nobody to act
//! for. The session cookie is also SameSite=Lax, a second wall in current browsers.
//!
//! This site's origin is `PLANBOARD_PUBLIC_URL` when set (behind a proxy), else the request's
//! own `Host` over plain HTTP.

use crate::auth::session;
use crate::error::Error;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let expected = match &state.public_origin {
        Some(origin) => Some(origin.clone()),
        None => headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(|host| format!("http://{host}")),
    };
    let claimed = request_origin(headers);
    let has_session = session::token_from_headers(headers).is_some();
    let allowed = match (claimed, expected) {
        (Some(claimed), Some(expected)) => claimed.eq_ignore_ascii_case(&expected),
        (None, _) => !has_session,
        (Some(_), None) => false,
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = request.uri().path(), "refused a cross-site request");
        Error::Forbidden.into_response()
    }
}

/// The origin the request says it comes from: `Origin`, else the scheme and host of `Referer`.
fn request_origin(headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return Some(origin.trim_end_matches('/').to_owned());
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let (scheme, rest) = referer.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::request_origin;
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn the_origin_comes_from_origin_or_else_referer() {
        let mut h = HeaderMap::new();
        assert_eq!(request_origin(&h), None);
        h.insert(header::REFERER, HeaderValue::from_static("https://a.example:8443/x/y?z"));
        assert_eq!(request_origin(&h).as_deref(), Some("https://a.example:8443"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://b.example"));
        assert_eq!(request_origin(&h).as_deref(), Some("http://b.example"));
    }
}
