//! Liveness and readiness for load balancers and orchestrators.

use crate::infra::db;
use crate::state::AppState;
use crate::web::api::routes::{Access, ApiRoutes};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::{Health, Readiness};
use shared::model::TokenScope;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::Open(TokenScope::Read), routes!(get_health))
        .add(Access::Open(TokenScope::Read), routes!(get_readiness))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
async fn get_health() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

/// Readiness: PostgreSQL answers.
///
/// Redis is reported but optional (views are computed without it).
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, body = Readiness, description = "Ready."),
    (status = 503, body = Readiness, description = "PostgreSQL is unreachable."),
))]
async fn get_readiness(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let postgres = db::answers(&state.pool).await;
    let redis = match state.cache.ping().await {
        None => "not configured",
        Some(true) => "ok",
        Some(false) => "unreachable (views computed without cache)",
    };
    let status = if postgres { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let postgres = if postgres { "ok" } else { "unreachable" };
    (status, Json(Readiness { postgres: postgres.into(), redis: redis.into() }))
}
