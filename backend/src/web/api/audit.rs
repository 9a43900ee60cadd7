//! `GET /api/v1/tenants/{slug}/audit`: the tenant's audit events, newest first, a page at a
//! time (`?limit=N` up to 200, `?before=EVENT_ID` for the next page).

use crate::audit::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::auth::access;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::Tenant;
use axum::Json;
use axum::extract::{Extension, Query, State};
use serde::Deserialize;
use shared::api::AuditPage;
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/audit", list_audit_events)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    limit: Option<i64>,
    before: Option<i64>,
}

async fn list_audit_events(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
    Tenant(tenant): Tenant,
) -> Result<Json<AuditPage>> {
    let Query(page) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let limit = page.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::BadRequest(format!("limit must be between 1 and {MAX_PAGE}")));
    }
    access::read_audit(&caller, tenant.reference())?;
    Ok(Json(audit::page(&state.pool, tenant.tenant_id, page.before, limit).await?))
}
