//! Optimistic concurrency over HTTP: records carry a version, sent as `ETag: "N"`; an edit
//! names the version it was made against in `If-Match: "N"`, and a stale one gets 409.

use crate::error::Error;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// The version an edit was made against, from `If-Match` (`"3"`, `W/"3"` or `3`).
pub fn if_match(headers: &HeaderMap) -> Result<Option<i32>, Error> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().map_err(|_| Error::BadRequest("If-Match is not text".into()))?;
    let bare = text.trim().trim_start_matches("W/").trim_matches('"');
    bare.parse().map(Some).map_err(|_| Error::BadRequest(format!("If-Match {text:?} is not a version")))
}

/// Like `if_match`, for edits that must name a version.
pub fn required(headers: &HeaderMap) -> Result<i32, Error> {
    if_match(headers)?.ok_or(Error::PreconditionRequired)
}

pub fn with_etag(mut response: Response, version: i32) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_from_if_match_in_any_usual_spelling() {
        let mut h = HeaderMap::new();
        assert!(matches!(if_match(&h), Ok(None)));
        assert!(matches!(required(&h), Err(Error::PreconditionRequired)));
        for v in ["\"3\"", "W/\"3\"", "3"] {
            h.insert(header::IF_MATCH, HeaderValue::from_static(v));
            assert_eq!(if_match(&h).ok().flatten(), Some(3), "{v}");
        }
        h.insert(header::IF_MATCH, HeaderValue::from_static("\"x\""));
        assert!(matches!(if_match(&h), Err(Error::BadRequest(_))));
    }
}
