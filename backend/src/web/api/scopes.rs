//! What an API token may call (docs/api.md): on each route of the API, the scope its `Access`
//! in the routing table names; routes for people only (`SessionOnly`, `SignIn`) refuse tokens.
//! Runs on the API's routes only, after the caller middleware has found the token
//! (`TokenUse`); requests without one pass.

use super::openapi;
use crate::error::Error;
use crate::web::middleware::caller::TokenUse;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn check(request: Request, next: Next) -> Response {
    let Some(token) = request.extensions().get::<TokenUse>() else { return next.run(request).await };
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    let access = route.and_then(|path| openapi::description().access(request.method(), path));
    let refusal = match access.map(|a| a.token_scope()) {
        Some(None) => Some("API tokens are not accepted on this route: a person signs in for it".to_owned()),
        Some(Some(needed)) if !token.scopes.contains(&needed) => Some(format!("this token lacks the {needed} scope")),
        _ => None,
    };
    match refusal {
        Some(reason) => Error::InsufficientScope(reason).into_response(),
        None => next.run(request).await,
    }
}
