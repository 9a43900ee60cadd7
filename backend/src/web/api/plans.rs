//! `GET /api/v1/tenants/{slug}/plans/{id}/indicators` and `…/tasks`.

use crate::error::{Error, Result, parse_id};
use crate::infra::db;
use crate::mirror::Freshness;
use crate::plans::read;
use crate::state::AppState;
use crate::views::dashboard;
use crate::web::api::routes::ApiRoutes;
use crate::web::respond::{DATA_VERSION, cached_json};
use axum::Json;
use axum::extract::{Extension, Path, State};
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
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<IndicatorRow>>> {
    let plan_id = parse_id("plan", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    read::visible_plan(&mut tx, tenant, &caller, plan_id).await?;
    let rows = read::indicators(&mut tx, plan_id).await?;
    tx.commit().await?;
    Ok(Json(rows))
}

async fn list_tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<TaskRow>>> {
    let plan_id = parse_id("plan", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    let visible = read::visible_plan(&mut tx, tenant, &caller, plan_id).await?;
    let today = state.clock.today_in(&visible.tenant.time_zone);
    let rows = read::tasks(&mut tx, plan_id, today).await?;
    tx.commit().await?;
    Ok(Json(rows))
}

/// The plan dashboard, from the cache when fresh (`X-Cache: hit | miss | bypass`).
async fn get_dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    let plan_id = parse_id("plan", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let synced = fresh.synced(&state.mirror).await;
    let visible = state.mirror.visible_plan(&state.pool, synced, tenant, &caller, plan_id).await?;
    let today = state.clock.today_in(&visible.tenant.time_zone);
    let data_version = visible.tenant.data_version;
    // The same for every reader who may see the plan: approved figures only.
    let key = format!("pb:dashboard:{plan_id}:{data_version}:{today}");
    let (body, outcome) = state
        .cache
        .get_or_compute(&key, || async {
            let mut tx = db::tenant_tx(&state.pool, &[visible.tenant.tenant_id]).await?;
            let board = dashboard::build(&mut tx, &state.task_halves, visible.plan.clone(), today).await?;
            tx.commit().await?;
            Ok::<_, Error>(board)
        })
        .await?;
    let mut response = cached_json(body, outcome, &headers);
    response.headers_mut().insert(DATA_VERSION, data_version.into());
    Ok(response)
}
