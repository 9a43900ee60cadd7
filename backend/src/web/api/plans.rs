//! `GET /api/v1/tenants/{slug}/plans/{id}/indicators` and `…/tasks`.

use crate::error::Result;
use crate::mirror::Freshness;
use crate::plans::read;
use crate::state::AppState;
use crate::views::dashboard;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::{Id, Tenant};
use crate::web::respond::{DATA_VERSION, cached_json};
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;
use shared::api::{IndicatorRow, TaskRow};
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/plans/{id}/indicators", list_indicators)
        .get("/api/v1/tenants/{slug}/plans/{id}/tasks", list_tasks)
        .get("/api/v1/tenants/{slug}/plans/{id}/dashboard", get_dashboard)
}

async fn list_indicators(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Json<Vec<IndicatorRow>>> {
    Ok(Json(read::plan_indicators(&state.pool, tenant, &caller, plan_id).await?))
}

async fn list_tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Json<Vec<TaskRow>>> {
    Ok(Json(read::plan_tasks(&state.pool, state.clock.as_ref(), tenant, &caller, plan_id).await?))
}

/// The plan dashboard, from the cache when fresh (`X-Cache: hit | miss | bypass`).
async fn get_dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
    headers: HeaderMap,
) -> Result<Response> {
    let synced = fresh.synced(&state.mirror).await;
    let visible = state.mirror.visible_plan(&state.pool, synced, tenant, &caller, plan_id).await?;
    let data_version = visible.tenant.data_version;
    let (body, outcome) =
        dashboard::cached(&state.cache, &state.pool, &state.task_halves, state.clock.as_ref(), visible).await?;
    let mut response = cached_json(body, outcome, &headers);
    response.headers_mut().insert(DATA_VERSION, data_version.into());
    Ok(response)
}
