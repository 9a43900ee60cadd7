//! The HTTP layer: the API, the forms and the pages, merged here under the cross-cutting
//! layers (caller resolution, CSRF check, security headers, body limit, tracing). Handlers
//! extract what they need, call one domain function and shape the answer.

pub mod api;
pub mod api_docs;
pub mod error;
pub mod extract;
pub mod files;
pub mod forms;
pub mod middleware;
pub mod page_data;
pub mod pages;
pub mod paging;
pub mod redirect;
pub mod respond;
pub mod versions;

use crate::error::Error;
use crate::state::AppState;
pub use api::api_routes;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
pub use middleware::rate_limit::ClientAddress;
use middleware::{caller, conditional, csrf, idempotency, nul_bytes, observe, rate_limit, security};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

/// Largest request body accepted (plan imports are the largest bodies).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

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

/// The OpenAPI document, as `web/api/openapi.rs` builds it once.
async fn api_document() -> axum::response::Response {
    use axum::response::IntoResponse;
    let json = api::openapi::description().json.clone();
    ([(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response()
}

pub fn router(state: AppState) -> Router {
    let (api, _, _) = api::api().into_parts();
    Router::new()
        .merge(api.route_layer(from_fn(api::scopes::check)))
        .route("/api/openapi.json", axum::routing::get(api_document))
        .merge(api_docs::router())
        .route("/api/v1/{*rest}", axum::routing::any(|| async { Error::NotFound("resource") }))
        .merge(forms::work::router())
        .merge(forms::admin::router())
        .merge(forms::tokens::router())
        .merge(forms::contacts::router())
        .merge(pages::router(&state))
        .layer(from_fn(conditional::conditional_get))
        .layer(from_fn_with_state(state.clone(), idempotency::idempotent))
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
