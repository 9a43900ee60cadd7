//! The indicator catalog: `GET /api/v1/catalog`, `PUT /api/v1/catalog/{key}` (platform
//! admins), and confirming an indicator's key (`PUT …/indicators/{id}/catalog`).

use crate::error::{Error, Result};
use crate::plans::catalog;
use crate::state::AppState;
use crate::web::api::params::{CatalogKeyPath, IfMatch, IndicatorPath};
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{ApiJson, CatalogKey, Id, RequiredVersion, Tenant};
use crate::web::paging::{PageParams, Pagination};
use crate::web::versions;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{CatalogEntry, CatalogMapping};
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::Open(TokenScope::Read), routes!(list_catalog))
        .add(Access::SessionOnly, routes!(put_catalog_entry))
        .add(Access::SessionOnly, routes!(map_indicator))
}

/// The indicator catalog: shared keys that districts' own indicators map to.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "catalog", params(PageParams),
    responses((status = 200, body = Vec<CatalogEntry>)))]
async fn list_catalog(State(state): State<AppState>, page: Pagination) -> Result<Response> {
    page.respond(catalog::list(&state.pool).await?)
}

/// Add or change a catalog entry (platform admins).
#[utoipa::path(put, path = "/api/v1/catalog/{key}", tag = "catalog", params(CatalogKeyPath),
    request_body = CatalogEntry, responses((status = 204, description = "Stored.")))]
async fn put_catalog_entry(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    CatalogKey(key): CatalogKey,
    ApiJson(entry): ApiJson<CatalogEntry>,
) -> Result<StatusCode> {
    if entry.key != key {
        return Err(Error::Unprocessable(format!("the body's key {:?} differs from the path's {key:?}", entry.key)));
    }
    catalog::put_entry(&state.pool, &caller, entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirm, change or clear an indicator's catalog key (platform admins).
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/indicators/{id}/catalog", tag = "catalog",
    params(IndicatorPath, IfMatch), request_body = CatalogMapping, responses(
    (status = 204, description = "Set.", headers(("ETag" = String, description = "The indicator's new version."))),
))]
async fn map_indicator(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    RequiredVersion(version): RequiredVersion,
    Tenant(tenant): Tenant,
    ApiJson(mapping): ApiJson<CatalogMapping>,
) -> Result<Response> {
    let version = catalog::map_indicator(&state.pool, &tenant, &caller, indicator_id, version, mapping).await?;
    Ok(versions::with_etag(StatusCode::NO_CONTENT.into_response(), version))
}
