//! Indicator reports and the units answering for an indicator.

use crate::error::Result;
use crate::progress::reports;
use crate::state::AppState;
use crate::tenancy::TenantRecord;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::{ApiJson, Id, ReportId, RequiredVersion, Tenant};
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{IndicatorUnits, NewReport, Rejection, ReportRow};
use shared::page_data::Caller;
use uuid::Uuid;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/indicators/{id}/reports", list_reports)
        .post("/api/v1/tenants/{slug}/indicators/{id}/reports", create_report)
        .post("/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/approve", approve_report)
        .post("/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/reject", reject_report)
        .put("/api/v1/tenants/{slug}/indicators/{id}/units", set_indicator_units)
}

fn created(report: ReportRow) -> Response {
    let version = report.version;
    versions::with_etag((StatusCode::CREATED, Json(report)).into_response(), version)
}

async fn list_reports(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Json<Vec<ReportRow>>> {
    Ok(Json(reports::list(&state.pool, &tenant, &caller, indicator_id).await?))
}

async fn create_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    Tenant(tenant): Tenant,
    ApiJson(body): ApiJson<NewReport>,
) -> Result<Response> {
    let report = reports::submit(&state.pool, &tenant, &caller, state.clock.now(), indicator_id, body).await?;
    Ok(created(report))
}

/// Approves (`rejection` None) or rejects a report of the indicator.
async fn decide(
    state: AppState,
    caller: Caller,
    (indicator_id, report_id): (Uuid, Uuid),
    version: i32,
    tenant: TenantRecord,
    rejection: Option<String>,
) -> Result<Response> {
    let decided = reports::decide(
        &state.pool,
        &tenant,
        &caller,
        state.clock.now(),
        (indicator_id, report_id),
        version,
        rejection,
    )
    .await?;
    let version = decided.report.version;
    let mut response = versions::with_etag(Json(decided.report).into_response(), version);
    if let Some(data_version) = decided.data_version {
        response.headers_mut().insert(crate::web::respond::DATA_VERSION, data_version.into());
    }
    Ok(response)
}

async fn approve_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    ReportId(report_id): ReportId,
    RequiredVersion(version): RequiredVersion,
    Tenant(tenant): Tenant,
) -> Result<Response> {
    decide(state, caller, (indicator_id, report_id), version, tenant, None).await
}

async fn reject_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    ReportId(report_id): ReportId,
    RequiredVersion(version): RequiredVersion,
    Tenant(tenant): Tenant,
    ApiJson(body): ApiJson<Rejection>,
) -> Result<Response> {
    decide(state, caller, (indicator_id, report_id), version, tenant, Some(body.reason)).await
}

async fn set_indicator_units(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    RequiredVersion(version): RequiredVersion,
    Tenant(tenant): Tenant,
    ApiJson(body): ApiJson<IndicatorUnits>,
) -> Result<Response> {
    let version = reports::set_units(&state.pool, &tenant, &caller, indicator_id, version, body).await?;
    Ok(versions::with_etag(StatusCode::NO_CONTENT.into_response(), version))
}
