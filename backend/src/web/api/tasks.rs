//! Task updates.

use crate::error::Result;
use crate::progress::task_updates;
use crate::state::AppState;
use crate::web::api::params::{OptionalIfMatch, TaskPath, TaskUpdatePath};
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{ApiJson, Id, Tenant, UpdateId, Version};
use crate::web::paging::{PageParams, Pagination};
use crate::web::respond;
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, State};
use axum::response::Response;
use shared::api::{NewTaskUpdate, TaskUpdateRow};
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SignedIn(TokenScope::Read), routes!(list_task_updates))
        .add(Access::SignedIn(TokenScope::Report), routes!(create_task_update))
        .add(Access::SignedIn(TokenScope::Read), routes!(get_task_update))
}

/// A task's updates, newest first (signed-in readers of the district).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/tasks/{id}/updates", tag = "tasks", params(TaskPath, PageParams),
    responses((status = 200, body = Vec<TaskUpdateRow>)))]
async fn list_task_updates(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(task_id): Id,
    Tenant(tenant): Tenant,
    page: Pagination,
) -> Result<Response> {
    page.respond(task_updates::list(&state.pool, &tenant, &caller, task_id).await?)
}

/// Record a task's progress.
///
/// The district's admins, and reporters whose unit leads the task or answers for it. `ETag` carries the task's new version; `If-Match` with the task's
/// version is optional, and when sent a stale one gets 409.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/tasks/{id}/updates", tag = "tasks",
    params(TaskPath, OptionalIfMatch), request_body = NewTaskUpdate, responses(
    (status = 201, body = TaskUpdateRow, description = "Recorded.",
     headers(("ETag" = String, description = "The task's new version."))),
))]
async fn create_task_update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(task_id): Id,
    Version(expected): Version,
    Tenant(tenant): Tenant,
    ApiJson(body): ApiJson<NewTaskUpdate>,
) -> Result<Response> {
    let (update, version) =
        task_updates::append(&state.pool, &tenant, &caller, state.clock.now(), task_id, expected, body).await?;
    let location = format!("/api/v1/tenants/{}/tasks/{task_id}/updates/{}", tenant.slug, update.id);
    Ok(versions::with_etag(respond::created(&location, update), version))
}

/// One update of a task (signed-in readers of the district).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/tasks/{id}/updates/{uid}", tag = "tasks",
    params(TaskUpdatePath), responses((status = 200, body = TaskUpdateRow)))]
async fn get_task_update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(task_id): Id,
    UpdateId(update_id): UpdateId,
    Tenant(tenant): Tenant,
) -> Result<Json<TaskUpdateRow>> {
    Ok(Json(task_updates::get(&state.pool, &tenant, &caller, (task_id, update_id)).await?))
}
