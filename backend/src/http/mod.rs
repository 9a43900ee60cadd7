//! The HTTP surface: one module per resource, merged here with the cross-cutting layers
//! (caller resolution, CSRF check, security headers, body limit, tracing).

mod admin_forms;
mod audit;
mod auth;
mod caller;
mod catalog;
mod csrf;
mod forms;
mod health;
mod import;
mod json;
pub mod nul_bytes;
mod observe;
mod pages;
mod plans;
mod rate_limit;
pub mod redirect;
mod regions;
mod reports;
mod routes;
mod security;
mod tasks;
mod tenants;
mod users;
mod versions;

use crate::app::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
pub use rate_limit::{ClientAddress, RateLimits};
use routes::ApiRoutes;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

/// Largest request body accepted (plan imports are the largest bodies).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

fn api() -> ApiRoutes {
    let r = ApiRoutes::new();
    let r = health::routes(r);
    let r = auth::routes(r);
    let r = tenants::routes(r);
    let r = plans::routes(r);
    let r = reports::routes(r);
    let r = tasks::routes(r);
    let r = regions::routes(r);
    let r = catalog::routes(r);
    let r = import::routes(r);
    let r = users::routes(r);
    audit::routes(r)
}

/// Every API route as (method, path template): what the authorisation matrix must cover.
pub fn api_routes() -> Vec<(&'static str, &'static str)> {
    api().into_parts().1
}

/// Bodies smaller than this go as they are: compressing them saves next to nothing.
const COMPRESS_ABOVE_BYTES: u16 = 1024;

/// Gzip for clients that accept it: a page listing every district of the country is
/// 700 KB to 1.2 MB of HTML, a tenth of that gzipped. Responses already encoded (the
/// aggregate views keep their own gzip, `cache::View`) go as they are.
fn compression() -> CompressionLayer<impl Predicate> {
    let worth_it = SizeAbove::new(COMPRESS_ABOVE_BYTES)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE);
    CompressionLayer::new().compress_when(worth_it)
}

pub fn router(state: AppState) -> Router {
    let (api, _) = api().into_parts();
    Router::new()
        .merge(api)
        .route("/api/v1/{*rest}", axum::routing::any(|| async { ApiError::NotFound("resource") }))
        .merge(forms::router())
        .merge(pages::router(&state))
        .layer(from_fn_with_state(state.clone(), rate_limit::limit))
        .layer(from_fn_with_state(state.clone(), caller::resolve))
        .layer(from_fn(nul_bytes::refuse))
        .layer(from_fn_with_state(state.clone(), csrf::check))
        .layer(from_fn(security::headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(compression())
        .layer(from_fn_with_state(state.clone(), observe::observe))
        .with_state(state)
}
