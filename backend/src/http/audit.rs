//! `GET /api/v1/tenants/{slug}/audit`: the tenant's audit events, newest first, a page at a
//! time (`?limit=N` up to 200, `?before=EVENT_ID` for the next page).

use super::routes::ApiRoutes;
use crate::access;
use crate::app::AppState;
use crate::db;
use crate::error::{ApiError, Result};
use crate::read;
use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::page_data::Caller;
use uuid::Uuid;

pub const MAX_PAGE: i64 = 200;
const DEFAULT_PAGE: i64 = 50;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/audit", list_audit_events)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    limit: Option<i64>,
    before: Option<i64>,
}

#[derive(Serialize, sqlx::FromRow)]
struct AuditEventRow {
    id: i64,
    occurred_at: DateTime<Utc>,
    actor: Option<Uuid>,
    actor_email: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct AuditPage {
    events: Vec<AuditEventRow>,
    /// Pass as `before` for the next (older) page; null on the last page.
    next_before: Option<i64>,
}

async fn list_audit_events(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
    query: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>> {
    let Query(page) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let limit = page.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_PAGE}")));
    }
    let tenant = read::find_tenant(&state.pool, &slug).await?;
    access::read_audit(&caller, tenant.reference())?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    let mut events: Vec<AuditEventRow> = sqlx::query_as(
        "select e.event_id as id, e.occurred_at, e.actor_user_id as actor, u.email as actor_email, e.action, e.entity,
                e.entity_id, e.before, e.after
         from audit_event e left join app_user u on u.user_id = e.actor_user_id
         where e.tenant_id = $1 and ($2::bigint is null or e.event_id < $2)
         order by e.event_id desc limit $3",
    )
    .bind(tenant.tenant_id)
    .bind(page.before)
    .bind(limit + 1)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let next_before = if events.len() as i64 > limit {
        events.truncate(limit as usize);
        events.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(AuditPage { events, next_before }))
}
