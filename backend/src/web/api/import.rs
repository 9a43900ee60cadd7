//! `POST /api/v1/tenants/{slug}/plans/import[?dry_run=true]` and the plan's canonical JSON
//! export.

use crate::error::{Error, Result};
use crate::import;
use crate::state::AppState;
use crate::web::api::params::{PlanPath, TenantPath};
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{Id, Tenant};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, FromRequest, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::import_report::{ImportOutcome, ImportReport};
use shared::model::TokenScope;
use shared::page_data::Caller;
use shared::plan_document::PlanDocument;
use utoipa::IntoParams;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SignedIn(TokenScope::Import), routes!(import_plan))
        .add(Access::Open(TokenScope::Read), routes!(export_plan))
        .add(Access::Open(TokenScope::Read), routes!(export_workbook))
        .add(Access::Open(TokenScope::Read), routes!(template))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn workbook(bytes: Vec<u8>, filename: &str) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    ([(header::CONTENT_TYPE, XLSX.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// The blank import template (Excel).
///
/// Sheets 规划, 领域, 指标, 任务 with Chinese headers (required ones marked), lists for the
/// fixed vocabularies, and a 说明 sheet. Anyone may download it.
#[utoipa::path(get, path = "/api/v1/import/template.xlsx", tag = "import", responses(
    (status = 200, content_type = XLSX, body = Vec<u8>, description = "The workbook."),
))]
async fn template() -> Result<Response> {
    let bytes = import::xlsx::template().map_err(|e| Error::Internal(e.into()))?;
    Ok(workbook(bytes, "planboard-import-template.xlsx"))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    /// Check only: answer what would be created, write nothing.
    #[serde(default)]
    dry_run: bool,
}

/// Import a plan (platform admins, the district's admins).
///
/// The body is recognised by its content: canonical JSON, an Excel workbook made from the template, the template as CSV
/// (UTF-8 or GB18030), or the plan's text as published. Answers 200 with the report for a dry
/// run or a plan already there, 201 when created, 422 when the document has errors (nothing
/// is written in any case but 201). The caller is admitted and the announced size checked
/// before the body is read.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/plans/import", tag = "import", params(TenantPath, ImportQuery),
    request_body(description = "The plan, in any of the forms above.", content(
        (PlanDocument = "application/json"),
        (String = "text/plain"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Vec<u8> = "application/octet-stream"),
    )),
    responses(
        (status = 200, body = ImportReport, description = "A dry run, or the plan is already there."),
        (status = 201, body = ImportReport, description = "Imported; `Location` names the plan."),
        (status = 422, body = ImportReport, description = "The document has errors; nothing was written."),
    ))]
async fn import_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: std::result::Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    Tenant(tenant): Tenant,
    request: Request,
) -> Result<Response> {
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    import::admit(&state.pool, &tenant, &caller).await?;
    let body = upload(request, &state).await?;
    let reading = import::read_within_budget(body.to_vec()).await;
    let report = import::import(&state.pool, &tenant, Some(&caller), reading, query.dry_run).await?;
    let status = match report.outcome {
        ImportOutcome::Created => {
            let plan = report.plan_id.map(|id| format!("/api/v1/tenants/{}/plans/{id}", tenant.slug));
            return Ok(crate::web::respond::created(plan.as_deref().unwrap_or_default(), report));
        }
        ImportOutcome::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ImportOutcome::DryRun | ImportOutcome::AlreadyPresent => StatusCode::OK,
    };
    Ok((status, Json(report)).into_response())
}

/// An upload's body, once its sender is admitted: 413 at once when it announces more than
/// an import takes, and when it sends more.
pub(super) async fn upload(request: Request, state: &AppState) -> Result<Bytes> {
    let announced = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > import::MAX_BYTES as u64) {
        return Err(Error::PayloadTooLarge);
    }
    Bytes::from_request(request, state).await.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
        _ => Error::BadRequest(e.body_text()),
    })
}

/// The plan as its canonical JSON document (imports back as the same plan).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans/{id}/export.json", tag = "import", params(PlanPath),
    responses((status = 200, body = PlanDocument)))]
async fn export_plan(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Response> {
    let (document, _) = import::export::exported(&state.pool, &caller, tenant, plan_id, false).await?;
    let disposition = format!("attachment; filename=\"plan-{plan_id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(document)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct WorkbookQuery {
    /// The language of the workbook's words (states, statuses, choices): `zh-CN` or `en`;
    /// else the pages' language cookie, else `Accept-Language`, else Chinese.
    lang: Option<String>,
}

/// The plan with its reports and task updates as a workbook.
///
/// What the caller may read of them, in words, not codes; its plan sheets import back as the
/// same plan.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/plans/{id}/export.xlsx", tag = "import",
    params(PlanPath, WorkbookQuery),
    responses((status = 200, content_type = XLSX, body = Vec<u8>, description = "The workbook.")))]
async fn export_workbook(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(plan_id): Id,
    query: std::result::Result<Query<WorkbookQuery>, axum::extract::rejection::QueryRejection>,
    Tenant(tenant): Tenant,
    headers: axum::http::HeaderMap,
) -> Result<Response> {
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let language = crate::web::files::language(query.lang.as_deref(), &headers)?;
    let (document, history) = import::export::exported(&state.pool, &caller, tenant, plan_id, true).await?;
    let history = history.unwrap_or_default();
    let bytes = import::xlsx::export(&document, &history, language).map_err(|e| Error::Internal(e.into()))?;
    Ok(workbook(bytes, &format!("plan-{plan_id}.xlsx")))
}
