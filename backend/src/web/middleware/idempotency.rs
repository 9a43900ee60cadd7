//! `Idempotency-Key` on the API's POSTs (docs/api.md): a client that lost an answer (a
//! dropped connection, a timeout) sends the same request with the same key again and gets
//! the first answer back, and nothing is created twice. The key is the caller's own: the
//! same key from another user or token is another key. Sent with a different request (method,
//! path, query or body) it is refused (422); while the first request runs, a second one gets
//! 409. Server errors and refusals for rate are not kept, so a retry runs again. Signing in
//! and out is left out: those answers carry a session, which is never stored.

use crate::error::Error;
use crate::infra::idempotency::{self, Claim, Outcome};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use shared::page_data::Caller;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// On an answer given again for a retry.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The headers of an answer that are part of it (the rest are the transport's or per request).
const KEPT_HEADERS: [HeaderName; 5] = [
    header::CONTENT_TYPE,
    header::LOCATION,
    header::ETAG,
    header::CACHE_CONTROL,
    HeaderName::from_static("x-data-version"),
];

/// The largest body a POST takes (plan imports are the largest).
fn body_limit() -> usize {
    crate::web::MAX_BODY_BYTES.max(crate::import::MAX_BYTES)
}

#[derive(Serialize, Deserialize)]
struct KeptAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

pub async fn idempotent(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let applies =
        request.method() == Method::POST && path.starts_with("/api/v1/") && !path.starts_with("/api/v1/auth/");
    let Some(key) = request.headers().get(&IDEMPOTENCY_KEY).filter(|_| applies).cloned() else {
        return next.run(request).await;
    };
    let Some(key) =
        key.to_str().ok().filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
    else {
        return Error::invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 visible ASCII characters")
            .into_response();
    };
    let Some(caller) = request.extensions().get::<Caller>().and_then(|c| c.user_id) else {
        // Nobody to keep the answer for: refused as the route refuses anonymous callers.
        return next.run(request).await;
    };
    let claim = Claim::new(&caller.to_string(), key);
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, body_limit()).await {
        Ok(body) => body,
        Err(_) => return Error::PayloadTooLarge.into_response(),
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes).unwrap_or_default();
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or_default();
    let request_hash =
        idempotency::request_hash(&[parts.method.as_str().as_bytes(), target.as_bytes(), content_type, &body]);
    let now = state.clock.now();
    match idempotency::claim(&state.pool, &claim, &request_hash, now).await {
        Err(e) => Error::Internal(e).into_response(),
        Ok(Outcome::OtherRequest) => Error::invalid(
            "Idempotency-Key",
            "this Idempotency-Key was used with another request; send a new key for a new request",
        )
        .into_response(),
        Ok(Outcome::Running) => {
            Error::Conflict("the first request with this Idempotency-Key is still running; retry in a moment".into())
                .into_response()
        }
        Ok(Outcome::Answered(kept)) => replay(&kept),
        Ok(Outcome::Run) => {
            let response = next.run(Request::from_parts(parts, Body::from(body))).await;
            keep(&state, &claim, response).await
        }
    }
}

/// Keeps the answer (unless a retry should run again) and sends it.
async fn keep(state: &AppState, claim: &Claim, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        if let Err(e) = idempotency::release(&state.pool, claim).await {
            tracing::error!(error = format!("{e:#}"), "an idempotency key could not be released");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return Error::Internal(anyhow::anyhow!("an answer's body could not be read")).into_response();
    };
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| Some((name.as_str().to_owned(), parts.headers.get(name)?.to_str().ok()?.to_owned())))
        .collect();
    let kept = KeptAnswer { status: status.as_u16(), headers, body: STANDARD.encode(&body) };
    let stored = match serde_json::to_vec(&kept) {
        Ok(bytes) => idempotency::complete(&state.pool, claim, &bytes, state.clock.now()).await,
        Err(e) => Err(e.into()),
    };
    if let Err(e) = stored {
        // The write happened; only its replay is lost. Say so rather than hide the answer.
        tracing::error!(error = format!("{e:#}"), "an idempotent answer could not be kept");
    }
    Response::from_parts(parts, Body::from(body))
}

fn replay(kept: &[u8]) -> Response {
    let Some((answer, body)) = serde_json::from_slice::<KeptAnswer>(kept)
        .ok()
        .and_then(|answer| STANDARD.decode(&answer.body).ok().map(|body| (answer, Bytes::from(body))))
    else {
        return Error::Internal(anyhow::anyhow!("a kept answer does not read")).into_response();
    };
    let mut response = (StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK), body).into_response();
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
