//! The HTTP surface: one module per resource, merged here with the cross-cutting layers
//! (caller resolution, security headers, body limit, tracing).

mod caller;
mod health;
mod pages;
mod plans;
mod security;
mod tenants;

use crate::app::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (plan imports are the largest bodies).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(tenants::router())
        .merge(plans::router())
        .fallback(|| async { ApiError::NotFound("resource") });
    Router::new()
        .merge(health::router())
        .nest("/api/v1", api)
        .merge(pages::router(&state))
        .layer(axum::middleware::from_fn(caller::resolve))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
