//! `GET /api/v1/tenants`, `GET /api/v1/tenants/{slug}/plans`.

use super::routes::ApiRoutes;
use crate::app::AppState;
use crate::error::Result;
use crate::read;
use axum::Json;
use axum::extract::{Extension, Path, State};
use shared::api::{PlanSummary, TenantSummary};
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants", list_tenants).get("/api/v1/tenants/{slug}/plans", list_plans)
}

async fn list_tenants(State(state): State<AppState>) -> Result<Json<Vec<TenantSummary>>> {
    Ok(Json(read::tenants(&state.pool).await?))
}

async fn list_plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<PlanSummary>>> {
    Ok(Json(read::tenant_plans(&state.pool, &caller, &slug).await?.plans))
}
