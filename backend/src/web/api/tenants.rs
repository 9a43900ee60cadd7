//! Districts and regions: `GET /api/v1/tenants[/{slug}]`, `GET /api/v1/regions[/{region}]`;
//! platform admins create them (`POST /api/v1/regions`, `POST /api/v1/tenants`). A district's
//! plans (`GET …/plans[/{id}]`) and their publication (`PUT …/plans/{id}/publication`).

use crate::auth::access;
use crate::error::Result;
use crate::plans::read;
use crate::plans::store;
use crate::state::AppState;
use crate::tenancy;
use crate::web::api::params::{IfMatch, PlanPath, RegionPath, TenantPath};
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{ApiJson, Id, RegionSlug, RequiredVersion, Tenant};
use crate::web::paging::{PageParams, Pagination};
use crate::web::respond;
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{NewRegion, NewTenant, PlanSummary, Publication, RegionView, TenantSummary};
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    let read = Access::Open(TokenScope::Read);
    r.add(read, routes!(list_tenants))
        .add(read, routes!(get_tenant))
        .add(Access::SessionOnly, routes!(create_tenant))
        .add(read, routes!(list_regions))
        .add(read, routes!(get_region))
        .add(Access::SessionOnly, routes!(create_region))
        .add(read, routes!(list_plans))
        .add(read, routes!(get_plan))
        .add(Access::SessionOnly, routes!(set_publication))
}

/// The districts.
///
/// District names and regions are public knowledge; what each reader sees inside a district
/// is decided per plan.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "districts", params(PageParams),
    responses((status = 200, body = Vec<TenantSummary>)))]
async fn list_tenants(State(state): State<AppState>, page: Pagination) -> Result<Response> {
    page.respond(tenancy::tenants(&state.pool).await?)
}

/// One district.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}", tag = "districts", params(TenantPath),
    responses((status = 200, body = TenantSummary)))]
async fn get_tenant(Tenant(tenant): Tenant) -> Json<TenantSummary> {
    Json(tenant.summary())
}

/// Add a district to a region (platform admins).
///
/// No real district joins the demo region.
#[utoipa::path(post, path = "/api/v1/tenants", tag = "districts", request_body = NewTenant, responses(
    (status = 201, body = TenantSummary, description = "Created."),
))]
async fn create_tenant(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewTenant>,
) -> Result<Response> {
    access::administer_platform(&caller)?;
    let tenant = tenancy::create_tenant(&state.pool, caller.user_id, &new).await?;
    Ok(respond::created(&format!("/api/v1/tenants/{}", tenant.slug), tenant))
}

/// The regions.
#[utoipa::path(get, path = "/api/v1/regions", tag = "districts", params(PageParams),
    responses((status = 200, body = Vec<RegionView>)))]
async fn list_regions(State(state): State<AppState>, page: Pagination) -> Result<Response> {
    page.respond(tenancy::regions(&state.pool).await?)
}

/// One region.
#[utoipa::path(get, path = "/api/v1/regions/{region}", tag = "districts", params(RegionPath),
    responses((status = 200, body = RegionView)))]
async fn get_region(State(state): State<AppState>, RegionSlug(slug): RegionSlug) -> Result<Json<RegionView>> {
    Ok(Json(tenancy::find_region(&state.pool, &slug).await?))
}

/// Add a region (platform admins).
#[utoipa::path(post, path = "/api/v1/regions", tag = "districts", request_body = NewRegion, responses(
    (status = 201, body = RegionView, description = "Created."),
))]
async fn create_region(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewRegion>,
) -> Result<Response> {
    access::administer_platform(&caller)?;
    let region = tenancy::create_region(&state.pool, caller.user_id, &new).await?;
    Ok(respond::created(&format!("/api/v1/regions/{}", region.slug), region))
}

/// A district's plans that the caller may read.
///
/// Anonymous callers see published public plans.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans", tag = "plans", params(TenantPath, PageParams),
    responses((status = 200, body = Vec<PlanSummary>)))]
async fn list_plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
    page: Pagination,
) -> Result<Response> {
    page.respond(read::plans_of(&state.pool, &caller, tenant).await?.plans)
}

/// One plan, if the caller may read it.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans/{id}", tag = "plans", params(PlanPath),
    responses((status = 200, body = PlanSummary,
     headers(("ETag" = String, description = "The plan's version, for `If-Match`.")))))]
async fn get_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Response> {
    let visible = read::find_visible_plan(&state.pool, tenant, &caller, plan_id).await?;
    let version = visible.plan.version;
    Ok(versions::with_etag(Json(visible.plan).into_response(), version))
}

/// Publish, archive or withdraw a plan, public or internal.
///
/// Platform admins and the district's admins. Answers 204 with the plan's new version as
/// `ETag`.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/plans/{id}/publication", tag = "plans",
    params(PlanPath, IfMatch), request_body = Publication, responses(
    (status = 204, description = "Changed.", headers(("ETag" = String, description = "The plan's new version."))),
))]
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
