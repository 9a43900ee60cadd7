//! `GET /api/v1/tenants`, `GET /api/v1/tenants/{slug}/plans`.

use crate::app::AppState;
use crate::error::Result;
use crate::read;
use axum::extract::{Extension, Path, State};
use axum::routing::get;
use axum::{Json, Router};
use shared::api::{PlanSummary, TenantSummary};
use shared::page_data::Caller;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tenants", get(list_tenants))
        .route("/tenants/{slug}/plans", get(list_plans))
}

async fn list_tenants(State(state): State<AppState>) -> Result<Json<Vec<TenantSummary>>> {
    Ok(Json(read::tenants(&state.pool).await?))
}

async fn list_plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<PlanSummary>>> {
    Ok(Json(
        read::tenant_plans(&state.pool, &caller, &slug).await?.plans,
    ))
}
