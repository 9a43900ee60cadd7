//! `GET /api/v1/tenants`, `GET /api/v1/tenants/{slug}/plans`; platform admins create regions
//! and tenants (`POST /api/v1/regions`, `POST /api/v1/tenants`); a plan's publication
//! (`PUT …/plans/{id}/publication`).

use crate::auth::access;
use crate::error::Result;
use crate::plans::read;
use crate::plans::store;
use crate::state::AppState;
use crate::tenancy;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::{ApiJson, Id, RequiredVersion, Tenant};
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
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
    let region = tenancy::create_region(&state.pool, caller.user_id, &new).await?;
    Ok((StatusCode::CREATED, Json(region)).into_response())
}

async fn create_tenant(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewTenant>,
) -> Result<Response> {
    access::administer_platform(&caller)?;
    let tenant = tenancy::create_tenant(&state.pool, caller.user_id, &new).await?;
    Ok((StatusCode::CREATED, Json(tenant)).into_response())
}

/// 204 with the plan's new version as ETag; needs `If-Match`.
async fn set_publication(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    RequiredVersion(version): RequiredVersion,
    Tenant(tenant): Tenant,
    ApiJson(publication): ApiJson<Publication>,
) -> Result<Response> {
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
