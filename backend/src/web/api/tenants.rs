//! `GET /api/v1/tenants`, `GET /api/v1/tenants/{slug}/plans`; platform admins create regions
//! and tenants (`POST /api/v1/regions`, `POST /api/v1/tenants`); a plan's publication
//! (`PUT …/plans/{id}/publication`).

use crate::auth::access;
use crate::error::{Result, parse_id};
use crate::mirror::Freshness;
use crate::plans::read;
use crate::plans::store;
use crate::state::AppState;
use crate::tenancy;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::ApiJson;
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::api::{NewRegion, NewTenant, PlanSummary, Publication, TenantSummary};
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants", list_tenants)
        .post("/api/v1/tenants", create_tenant)
        .post("/api/v1/regions", create_region)
        .get("/api/v1/tenants/{slug}/plans", list_plans)
        .put("/api/v1/tenants/{slug}/plans/{id}/publication", set_publication)
}

async fn create_region(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewRegion>,
) -> Result<Response> {
    access::administer_platform(&caller)?;
    let mut tx = state.pool.begin().await?;
    let region = tenancy::create_region(&mut tx, caller.user_id, &new).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(region)).into_response())
}

async fn create_tenant(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewTenant>,
) -> Result<Response> {
    access::administer_platform(&caller)?;
    let mut tx = state.pool.begin().await?;
    let tenant = tenancy::create_tenant(&mut tx, caller.user_id, &new).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(tenant)).into_response())
}

/// 204 with the plan's new version as ETag; needs `If-Match`.
async fn set_publication(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(publication): ApiJson<Publication>,
) -> Result<Response> {
    let plan_id = parse_id("plan", &id)?;
    let version = versions::required(&headers)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let version = store::set_publication(&state.pool, &tenant, &caller, plan_id, version, publication).await?;
    Ok(versions::with_etag(StatusCode::NO_CONTENT.into_response(), version))
}

async fn list_tenants(State(state): State<AppState>) -> Result<Json<Vec<TenantSummary>>> {
    Ok(Json(crate::tenancy::tenants(&state.pool).await?))
}

async fn list_plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<PlanSummary>>> {
    Ok(Json(read::tenant_plans(&state.pool, &caller, &slug).await?.plans))
}
