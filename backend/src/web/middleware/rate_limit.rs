//! Request rates per client address: anonymous requests, and sign-in attempts (which the
//! throttle also counts per account, `throttle`); and per API token, whoever sends it. Past
//! its rate a client gets 429 with `Retry-After`; `/healthz`, `/readyz` and the static files
//! are never limited, callers signed in by session only at sign-in.
//!
//! The client address is the peer's, except behind a configured trusted proxy (a load
//! balancer), whose `X-Forwarded-For` names it: the right-most address there that is not
//! itself a trusted proxy. Without the setting every client behind the balancer would share
//! one count; with it, nobody else can choose their address by sending the header.
//!
//! The rates themselves are kept in `infra::rate_limits`.

use crate::error::Error;
use crate::web::middleware::caller::TokenUse;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::page_data::Caller;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

/// The client's address as the rate limits and the sign-in throttle see it.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

fn unlimited(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | frontend::app::STYLESHEET_PATH) || path.starts_with("/pkg/")
}

fn is_sign_in(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/api/v1/auth/login" | "/session")
}

/// Runs after the caller is resolved (a made-up session cookie makes nobody signed in).
pub async fn limit(
    State(state): State<crate::state::AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let limits = &state.rate_limits;
    let client = limits.client(peer.ip(), request.headers());
    request.extensions_mut().insert(ClientAddress(client));
    let path = request.uri().path();
    if !unlimited(path) {
        let now = Instant::now();
        let signed_in = request.extensions().get::<Caller>().is_some_and(|c| c.user_id.is_some());
        let token = request.extensions().get::<TokenUse>().map(|t| t.token_id);
        let admitted = match token {
            Some(token) => limits.token().map(|l| l.admit(token, now)),
            None if is_sign_in(request.method(), path) => limits.sign_in().map(|l| l.admit(client, now)),
            None if signed_in => None,
            None => limits.anonymous().map(|l| l.admit(client, now)),
        };
        if let Some(Err(wait)) = admitted {
            return Error::TooManyRequests(wait.as_secs().max(1)).into_response();
        }
    }
    next.run(request).await
}
