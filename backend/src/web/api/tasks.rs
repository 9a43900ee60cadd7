//! Task updates.

use crate::error::Result;
use crate::progress::task_updates;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::{ApiJson, Id, Tenant, Version};
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{NewTaskUpdate, TaskUpdateRow};
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/tasks/{id}/updates", list_task_updates)
        .post("/api/v1/tenants/{slug}/tasks/{id}/updates", create_task_update)
}

async fn list_task_updates(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(task_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Json<Vec<TaskUpdateRow>>> {
    Ok(Json(task_updates::list(&state.pool, &tenant, &caller, task_id).await?))
}

/// 201 with the update; `ETag` carries the task's new version. `If-Match` with the task's
/// version is optional: when sent, a stale one gets 409.
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
    Ok(versions::with_etag((StatusCode::CREATED, Json(update)).into_response(), version))
}
