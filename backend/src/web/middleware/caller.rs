//! Resolves who is calling before any handler or page runs: the session cookie, if it names
//! a live session, gives the user and its grants; otherwise the caller is anonymous. The
//! result goes into the request's extensions, where handlers and the pages' server functions
//! find it.
//!
//! The session comes from the mirror, which is exactly current (a sign-out or expiry
//! anywhere counts at once; see `mirror`); the caller built from the user's grants is
//! remembered under the grants' version (`auth::callers`), so it costs no query until they
//! change. The request's `Freshness` goes into its extensions too, for handlers
//! that read the mirror.

use crate::auth::session;
use crate::mirror::Freshness;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::page_data::Caller;

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let fresh = Freshness::default();
    let caller = match session::token_from_headers(request.headers()) {
        None => Caller::anonymous(),
        Some(token) => match signed_in_user(&state, &fresh, &token).await {
            Ok(Some(user)) => match state.callers.caller(&state.pool, &user).await {
                Ok(caller) => caller,
                Err(e) => return crate::error::Error::from(e).into_response(),
            },
            Ok(None) => Caller::anonymous(),
            Err(e) => return crate::error::Error::from(e).into_response(),
        },
    };
    if let Some(id) = caller.user_id {
        tracing::Span::current().record("user.id", id.to_string());
    }
    let signed_in = caller.user_id.is_some();
    request.extensions_mut().insert(caller);
    request.extensions_mut().insert(fresh);
    let mut response = next.run(request).await;
    // What a signed-in caller is shown is theirs: no shared cache keeps it, and the browser
    // asks again each time (an ETag still saves the body). Answers that set their own (a
    // secret's `no-store`) keep it.
    if signed_in && !response.headers().contains_key(CACHE_CONTROL) {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    response
}

async fn signed_in_user(
    state: &AppState,
    fresh: &Freshness,
    token: &str,
) -> sqlx::Result<Option<session::SessionUser>> {
    let synced = fresh.synced(&state.mirror).await;
    let hash = session::hash_token(token);
    state.mirror.session(&state.pool, synced, &hash, state.clock.now(), &state.session_policy).await
}
