//! `GET /api/v1/tenants/{slug}/plans/{id}/indicators` and `…/tasks`.

use crate::error::Result;
use crate::mirror::Freshness;
use crate::plans::read;
use crate::state::AppState;
use crate::views::dashboard;
use crate::web::api::params::PlanPath;
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{Id, Tenant};
use crate::web::files::{FileParams, FileRequest};
use crate::web::paging::{PageParams, Pagination};
use crate::web::respond::{DATA_VERSION, cached_json};
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;
use shared::api::{Dashboard, IndicatorRow, TaskRow};
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::Open(TokenScope::Read), routes!(list_indicators))
        .add(Access::Open(TokenScope::Read), routes!(list_tasks))
        .add(Access::Open(TokenScope::Read), routes!(get_dashboard))
}

/// A plan's indicators with their latest approved value, progress and status.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans/{id}/indicators", tag = "plans",
    params(PlanPath, PageParams, FileParams), responses((status = 200, content(
        (Vec<IndicatorRow> = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn list_indicators(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
    page: Pagination,
    file: FileRequest,
) -> Result<Response> {
    let slug = tenant.slug.clone();
    let indicators = read::plan_indicators(&state.pool, tenant, &caller, plan_id).await?;
    if file.wants_file() {
        return file.respond(&indicators, &format!("{slug}-indicators"));
    }
    page.respond(indicators)
}

/// A plan's tasks with their units, status and whether they are overdue.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans/{id}/tasks", tag = "plans",
    params(PlanPath, PageParams, FileParams), responses((status = 200, content(
        (Vec<TaskRow> = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn list_tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
    page: Pagination,
    file: FileRequest,
) -> Result<Response> {
    let slug = tenant.slug.clone();
    let tasks = read::plan_tasks(&state.pool, state.clock.as_ref(), tenant, &caller, plan_id).await?;
    if file.wants_file() {
        return file.respond(&tasks, &format!("{slug}-tasks"));
    }
    page.respond(tasks)
}

/// The plan dashboard.
///
/// Per area and overall: indicators by status, mean progress, tasks by status and overdue;
/// per unit, its tasks and their completion. From the cache when fresh.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans/{id}/dashboard", tag = "plans", params(PlanPath),
    responses((status = 200, body = Dashboard, headers(
        ("X-Cache" = String, description = "`hit`, `miss` or `bypass`."),
        ("X-Data-Version" = i64, description = "The district's data version the figures are at."),
    ))))]
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
