//! Indicator reports and the units answering for an indicator.

use crate::error::{Result, parse_id};
use crate::mirror::Freshness;
use crate::progress::reports;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::ApiJson;
use crate::web::versions;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::api::{IndicatorUnits, NewReport, Rejection, ReportRow};
use shared::page_data::Caller;

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
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Vec<ReportRow>>> {
    let indicator_id = parse_id("indicator", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    Ok(Json(reports::list(&state.pool, &tenant, &caller, indicator_id).await?))
}

async fn create_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<NewReport>,
) -> Result<Response> {
    let indicator_id = parse_id("indicator", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let report = reports::submit(&state.pool, &tenant, &caller, state.clock.now(), indicator_id, body).await?;
    Ok(created(report))
}

async fn decide(
    state: AppState,
    (caller, fresh): (Caller, Freshness),
    ids: (String, String, String),
    headers: HeaderMap,
    rejection: Option<String>,
) -> Result<Response> {
    let (slug, id, rid) = ids;
    let indicator_id = parse_id("indicator", &id)?;
    let report_id = parse_id("report", &rid)?;
    let version = versions::required(&headers)?;
    let tenant = state.tenant(&fresh, &slug).await?;
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
    Extension(fresh): Extension<Freshness>,
    Path(ids): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    decide(state, (caller, fresh), ids, headers, None).await
}

async fn reject_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path(ids): Path<(String, String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Rejection>,
) -> Result<Response> {
    decide(state, (caller, fresh), ids, headers, Some(body.reason)).await
}

async fn set_indicator_units(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<IndicatorUnits>,
) -> Result<Response> {
    let indicator_id = parse_id("indicator", &id)?;
    let version = versions::required(&headers)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    let version = reports::set_units(&state.pool, &tenant, &caller, indicator_id, version, body).await?;
    Ok(versions::with_etag(StatusCode::NO_CONTENT.into_response(), version))
}
