//! NUL bytes are refused where text comes in, before any handler: PostgreSQL stores no NUL in
//! text, and a NUL that reached it was a 500. A path with one names nothing (404); a query
//! value or a form field with one is a bad request (400; a form is sent back to its page with
//! the message). JSON strings are checked by `json::ApiJson`, uploaded documents by the
//! import's findings; binary uploads (workbooks, files) keep their NUL bytes.

use crate::error::Error;
use crate::web::respond::{back, with_outcome};
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest form body read here (forms and server functions send a few fields; pasted plans
/// come as multipart, which is not read here).
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// Whether percent-encoded text (a path, a query, a form body) holds a NUL, raw or as `%00`.
pub fn encoded_nul(text: &[u8]) -> bool {
    text.contains(&0) || text.windows(3).any(|w| w == b"%00")
}

/// Whether a JSON text holds a NUL in a string: the escape `\u0000` (a raw NUL is not JSON).
/// An escape counts only after an even number of backslashes, so the text `\\u0000` (a
/// backslash, then `u0000`) is not one.
pub fn json_nul(json: &[u8]) -> bool {
    json.windows(6).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"\\u0000") && json[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
    })
}

pub async fn refuse(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if encoded_nul(uri.path().as_bytes()) {
        return Error::NotFound("resource").into_response();
    }
    if uri.query().is_some_and(|q| encoded_nul(q.as_bytes())) {
        return Error::BadRequest("the query contains a NUL character".into()).into_response();
    }
    let form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    // The API takes JSON and documents: its url-encoded bodies are refused by its extractors.
    if !form || uri.path().starts_with("/api/") {
        return next.run(request).await;
    }
    let is_page_form = !uri.path().starts_with(frontend::data::PREFIX);
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_FORM_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return Error::PayloadTooLarge.into_response(),
    };
    if encoded_nul(&bytes) {
        let refusal = Error::BadRequest("a field contains a NUL character".into());
        return if is_page_form {
            with_outcome(&back(&parts.headers, "/"), Err(refusal), "")
        } else {
            refusal.into_response()
        };
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_raw_and_percent_encoded() {
        assert!(encoded_nul(b"/t/a%00b"));
        assert!(encoded_nul(b"a=\0"));
        assert!(!encoded_nul(b"/t/a%2500b"), "an encoded percent sign followed by 00");
        assert!(!encoded_nul(b"note=100%25"));
    }

    #[test]
    fn nul_is_found_as_a_json_escape_only() {
        assert!(json_nul(br#"{"note":"a\u0000b"}"#));
        assert!(json_nul(br#"{"note":"\\\u0000"}"#));
        assert!(!json_nul(br#"{"note":"\\u0000"}"#), "a backslash and the letters u0000");
        assert!(!json_nul(br#"{"note":"u0000"}"#));
    }

    fn no_nul_in(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(s) => !s.contains('\0'),
            serde_json::Value::Array(items) => items.iter().all(no_nul_in),
            serde_json::Value::Object(fields) => fields.iter().all(|(k, v)| !k.contains('\0') && no_nul_in(v)),
            _ => true,
        }
    }

    proptest::proptest! {
        #[test]
        fn a_form_the_guard_passes_decodes_without_nul(body in "([a-z%0-9+=&]|%00|%2500|\u{0}){0,40}") {
            if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body.as_bytes())
                && !encoded_nul(body.as_bytes())
            {
                proptest::prop_assert!(pairs.iter().all(|(k, v)| !k.contains('\0') && !v.contains('\0')));
            }
        }

        #[test]
        fn json_the_guard_passes_decodes_without_nul(
            text in "\\{\"a\":\"([a-z\\\\u0]|\\\\u0000|\\\\\\\\u0000){0,12}\"\\}"
        ) {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
                proptest::prop_assert_eq!(json_nul(text.as_bytes()), !no_nul_in(&json), "{}", text);
            }
        }
    }
}
