//! `GET /api/v1/tenants/{slug}/plans/{id}/indicators` and `…/tasks`.

use crate::app::AppState;
use crate::db;
use crate::error::{Result, parse_id};
use crate::read;
use axum::extract::{Extension, Path, State};
use axum::routing::get;
use axum::{Json, Router};
use shared::api::{IndicatorRow, TaskRow};
use shared::page_data::Caller;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/tenants/{slug}/plans/{id}/indicators",
            get(list_indicators),
        )
        .route("/tenants/{slug}/plans/{id}/tasks", get(list_tasks))
}

async fn list_indicators(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<IndicatorRow>>> {
    let plan_id = parse_id("plan", &id)?;
    let tenant = read::find_tenant(&state.pool, &slug).await?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    read::visible_plan(&mut tx, tenant, &caller, plan_id).await?;
    let rows = read::indicators(&mut tx, plan_id).await?;
    tx.commit().await?;
    Ok(Json(rows))
}

async fn list_tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<TaskRow>>> {
    let plan_id = parse_id("plan", &id)?;
    let tenant = read::find_tenant(&state.pool, &slug).await?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    let visible = read::visible_plan(&mut tx, tenant, &caller, plan_id).await?;
    let today = state.clock.today_in(&visible.tenant.time_zone);
    let rows = read::tasks(&mut tx, plan_id, today).await?;
    tx.commit().await?;
    Ok(Json(rows))
}
