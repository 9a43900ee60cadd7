//! Liveness and readiness for load balancers and orchestrators.

use crate::infra::db;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/healthz", get_health).get("/readyz", get_readiness)
}

async fn get_health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when PostgreSQL answers; Redis is reported but optional (views are computed
/// without it).
async fn get_readiness(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let postgres = db::answers(&state.pool).await;
    let redis = match state.cache.ping().await {
        None => "not configured",
        Some(true) => "ok",
        Some(false) => "unreachable (views computed without cache)",
    };
    let status = if postgres { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"postgres": if postgres { "ok" } else { "unreachable" }, "redis": redis})))
}
