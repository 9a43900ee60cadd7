//! Indicator reports and the units answering for an indicator.

use crate::error::Result;
use crate::progress::reports;
use crate::state::AppState;
use crate::tenancy::TenantRecord;
use crate::web::api::params::{IfMatch, IndicatorPath, ReportPath};
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{ApiJson, Id, ReportId, RequiredVersion, Tenant};
use crate::web::files::{FileParams, FileRequest};
use crate::web::paging::{PageParams, Pagination};
use crate::web::respond;
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{IndicatorUnits, NewReport, Rejection, ReportRow};
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SignedIn(TokenScope::Read), routes!(list_reports))
        .add(Access::SignedIn(TokenScope::Report), routes!(create_report))
        .add(Access::SignedIn(TokenScope::Read), routes!(get_report))
        .add(Access::SessionOnly, routes!(approve_report))
        .add(Access::SessionOnly, routes!(reject_report))
        .add(Access::SessionOnly, routes!(set_indicator_units))
}

fn created(tenant: &TenantRecord, report: ReportRow) -> Response {
    let location = format!("/api/v1/tenants/{}/indicators/{}/reports/{}", tenant.slug, report.indicator_id, report.id);
    let version = report.version;
    versions::with_etag(respond::created(&location, report), version)
}

/// One report of an indicator (signed-in readers of the district).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}", tag = "reports",
    params(ReportPath), responses((status = 200, body = ReportRow,
     headers(("ETag" = String, description = "The report's version, for `If-Match`.")))))]
async fn get_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    ReportId(report_id): ReportId,
    Tenant(tenant): Tenant,
) -> Result<Response> {
    let report = reports::get(&state.pool, &tenant, &caller, (indicator_id, report_id)).await?;
    let version = report.version;
    Ok(versions::with_etag(Json(report).into_response(), version))
}

/// An indicator's reports, every round of every period (signed-in readers of the district).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/indicators/{id}/reports", tag = "reports",
    params(IndicatorPath, PageParams, FileParams), responses((status = 200, content(
        (Vec<ReportRow> = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ))))]
async fn list_reports(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    Tenant(tenant): Tenant,
    page: Pagination,
    file: FileRequest,
) -> Result<Response> {
    let reports = reports::list(&state.pool, &tenant, &caller, indicator_id).await?;
    if file.wants_file() {
        return file.respond(&reports, &format!("{}-reports", tenant.slug));
    }
    page.respond(reports)
}

/// Report a value for a period.
///
/// A year `2023` or a quarter `2023Q2` inside the plan's period. The district's admins, and reporters whose unit answers for the indicator. A period with
/// an approved value takes a new one only as a correction naming it (`corrects`).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/indicators/{id}/reports", tag = "reports",
    params(IndicatorPath), request_body = NewReport, responses(
    (status = 201, body = ReportRow, description = "Submitted.",
     headers(("ETag" = String, description = "The report's version."))),
))]
async fn create_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(indicator_id): Id,
    Tenant(tenant): Tenant,
    ApiJson(body): ApiJson<NewReport>,
) -> Result<Response> {
    let report = reports::submit(&state.pool, &tenant, &caller, state.clock.now(), indicator_id, body).await?;
    Ok(created(&tenant, report))
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

/// Approve a submitted report (the district's admins); only approved values count.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/approve", tag = "reports",
    params(ReportPath, IfMatch), responses(
    (status = 200, body = ReportRow, description = "Approved.", headers(
        ("ETag" = String, description = "The report's new version."),
        ("X-Data-Version" = i64, description = "The district's data version after the decision."),
    )),
))]
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

/// Return a submitted report to its reporter with a reason (the district's admins).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/reject", tag = "reports",
    params(ReportPath, IfMatch), request_body = Rejection, responses(
    (status = 200, body = ReportRow, description = "Returned.",
     headers(("ETag" = String, description = "The report's new version."))),
))]
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

/// Name the units that answer for an indicator (the district's admins).
///
/// The published plans name none.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/indicators/{id}/units", tag = "reports",
    params(IndicatorPath, IfMatch), request_body = IndicatorUnits, responses(
    (status = 204, description = "Set.", headers(("ETag" = String, description = "The indicator's new version."))),
))]
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
