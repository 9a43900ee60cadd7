//! Task updates.

use crate::error::{Result, parse_id};
use crate::mirror::Freshness;
use crate::progress::task_updates;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::ApiJson;
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
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
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<TaskUpdateRow>>> {
    let task_id = parse_id("task", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    Ok(Json(task_updates::list(&state.pool, &tenant, &caller, task_id).await?))
}

/// 201 with the update; `ETag` carries the task's new version. `If-Match` with the task's
/// version is optional: when sent, a stale one gets 409.
async fn create_task_update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewTaskUpdate>,
) -> Result<Response> {
    let task_id = parse_id("task", &id)?;
    let expected = versions::if_match(&headers)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let (update, version) =
        task_updates::append(&state.pool, &tenant, &caller, state.clock.now(), task_id, expected, body).await?;
    Ok(versions::with_etag((StatusCode::CREATED, Json(update)).into_response(), version))
}
