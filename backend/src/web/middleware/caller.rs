//! Resolves who is calling before any handler or page runs, into the request's extensions,
//! where handlers and the pages' server functions find it:
//! - on the JSON API, `Authorization: Bearer pb_…` names an API token (docs/api.md): its
//!   owner's caller cut down to the token's district or region (`auth::tokens::restrict`);
//!   a token that is unknown, expired or revoked is refused (401). The token and its scopes
//!   go into the extensions (`TokenUse`): whether the route takes it is the API's own check
//!   (`web/api/scopes.rs`). The request runs as acting through the token, so its audit
//!   events name it;
//! - otherwise the session cookie, if it names a live session, gives the user and its
//!   grants; without one the caller is anonymous. Pages and forms take cookies only.
//!
//! The session comes from the mirror, which is exactly current (a sign-out or expiry
//! anywhere counts at once; see `mirror`); the caller built from the user's grants is
//! remembered under the grants' version (`auth::callers`), so it costs no query until they
//! change. The request's `Freshness` goes into its extensions too, for handlers that read
//! the mirror.

use crate::audit;
use crate::auth::session;
use crate::auth::tokens::{self, Presented};
use crate::error::Error;
use crate::mirror::Freshness;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::model::TokenScope;
use shared::page_data::Caller;
use uuid::Uuid;

/// The API token a request came with, in its extensions: the rate limits count per token,
/// and the API checks its scopes.
#[derive(Debug, Clone)]
pub struct TokenUse {
    pub token_id: Uuid,
    pub scopes: Vec<TokenScope>,
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let fresh = Freshness::default();
    let bearer = bearer(request.headers()).filter(|_| request.uri().path().starts_with("/api/"));
    let (caller, token) = match bearer {
        Some(secret) => match by_token(&state, &secret).await {
            Ok((caller, token)) => (caller, Some(token)),
            Err(e) => return e.into_response(),
        },
        None => match by_session(&state, &fresh, request.headers()).await {
            Ok(caller) => (caller, None),
            Err(e) => return e.into_response(),
        },
    };
    if let Some(id) = caller.user_id {
        tracing::Span::current().record("user.id", id.to_string());
    }
    let signed_in = caller.user_id.is_some();
    request.extensions_mut().insert(caller);
    request.extensions_mut().insert(fresh);
    let mut response = match token {
        Some(token) => {
            let id = token.token_id;
            request.extensions_mut().insert(token);
            audit::acting_through(id, next.run(request)).await
        }
        None => next.run(request).await,
    };
    // What a signed-in caller is shown is theirs: no shared cache keeps it, and the browser
    // asks again each time (an ETag still saves the body). Answers that set their own (a
    // secret's `no-store`) keep it.
    if signed_in && !response.headers().contains_key(CACHE_CONTROL) {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    response
}

/// The secret of `Authorization: Bearer <secret>`, if that is what the request carries.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim().to_owned())
}

async fn by_session(state: &AppState, fresh: &Freshness, headers: &HeaderMap) -> Result<Caller, Error> {
    let Some(token) = session::token_from_headers(headers) else { return Ok(Caller::anonymous()) };
    let synced = fresh.synced(&state.mirror).await;
    let hash = session::hash_token(&token);
    match state.mirror.session(&state.pool, synced, &hash, state.clock.now(), &state.session_policy).await? {
        Some(user) => Ok(state.callers.caller(&state.pool, &user).await?),
        None => Ok(Caller::anonymous()),
    }
}

/// The caller a token stands for, or why it stands for nobody.
async fn by_token(state: &AppState, secret: &str) -> Result<(Caller, TokenUse), Error> {
    let Presented { token_id, owner, scopes, target } =
        tokens::resolve(&state.pool, secret, state.clock.now()).await?.ok_or(Error::InvalidToken)?;
    let caller = state.callers.caller(&state.pool, &owner).await?;
    Ok((tokens::restrict(caller, target), TokenUse { token_id, scopes }))
}
