//! The indicator catalog: `GET /api/v1/catalog`, `PUT /api/v1/catalog/{key}` (platform
//! admins), and confirming an indicator's key (`PUT …/indicators/{id}/catalog`).

use crate::error::{Error, Result};
use crate::plans::catalog;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::{ApiJson, Id, RequiredVersion, Tenant};
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{CatalogEntry, CatalogMapping};
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/catalog", list_catalog)
        .put("/api/v1/catalog/{key}", put_catalog_entry)
        .put("/api/v1/tenants/{slug}/indicators/{id}/catalog", map_indicator)
}

async fn list_catalog(State(state): State<AppState>) -> Result<Json<Vec<CatalogEntry>>> {
    Ok(Json(catalog::list(&state.pool).await?))
}

async fn put_catalog_entry(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    ApiJson(entry): ApiJson<CatalogEntry>,
) -> Result<StatusCode> {
    if entry.key != key {
        return Err(Error::Unprocessable(format!("the body's key {:?} differs from the path's {key:?}", entry.key)));
    }
    catalog::put_entry(&state.pool, &caller, entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

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
