//! Shaping answers: cached JSON views as they are kept, the data version a write made, the
//! session cookie, and the redirect every page form answers with (post/redirect/get, the
//! outcome in the URL: `?ok=1`, or `?error=…&field=…&item=…`).

use crate::error::Error;
use crate::infra::cache::{CacheOutcome, View};
use crate::web::redirect::same_site_path;
use axum::http::header::{self, LOCATION, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// On a plan dashboard, the tenant data version its figures are computed at; on a write,
/// the version the write made. A read whose version is at least a write's includes it.
pub const DATA_VERSION: HeaderName = HeaderName::from_static("x-data-version");

/// A JSON body serialised once (into the cache) and sent as it is, with `X-Cache`; gzipped
/// when the client accepts it and this instance holds the view compressed.
pub fn cached_json(view: View, outcome: CacheOutcome, request: &HeaderMap) -> Response {
    let accepts_gzip = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().split(';').next() == Some("gzip")));
    let cache = (HeaderName::from_static("x-cache"), outcome.header_value());
    let json = (header::CONTENT_TYPE, "application/json");
    let vary = (header::VARY, "accept-encoding");
    let mut response = match view.gzip {
        Some(gzip) if accepts_gzip => ([json, cache, vary, (header::CONTENT_ENCODING, "gzip")], gzip).into_response(),
        _ => ([json, cache, vary], view.json).into_response(),
    };
    response.headers_mut().insert(header::ETAG, weak_etag(&view.digest));
    response
}

/// A weak validator for content with this digest: `W/"<hex>"`.
pub fn weak_etag(digest: &[u8; 16]) -> HeaderValue {
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// 201 with the created resource and where a GET finds it.
pub fn created(location: &str, body: impl serde::Serialize) -> Response {
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

pub fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = cookie.parse() {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The page the form was on (same site only), without the previous outcome's parameters.
pub fn back(headers: &HeaderMap, fallback: &str) -> String {
    let path = headers
        .get(REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(same_site_path)
        .unwrap_or_else(|| fallback.to_owned());
    let (base, query) = path.split_once('?').unwrap_or((&path, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !["ok", "error", "field", "item"].contains(&p.split('=').next().unwrap_or("")))
        .collect();
    if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
}

/// Back to `page` with the outcome: `ok=1`, or the error's message, the field it names
/// (`Error::Invalid`) and the item of the page it concerns (a row's id, or ""). A server
/// error is answered as one.
pub fn with_outcome(page: &str, outcome: Result<(), Error>, item: &str) -> Response {
    let sep = if page.contains('?') { '&' } else { '?' };
    match outcome {
        Ok(()) => see_other(&format!("{page}{sep}ok=1")),
        Err(e @ (Error::Database(_) | Error::Internal(_) | Error::Json(_))) => e.into_response(),
        Err(e) => see_other(&format!(
            "{page}{sep}error={}&field={}&item={}",
            encode(&e.to_string()),
            e.field().unwrap_or(""),
            encode(item)
        )),
    }
}
