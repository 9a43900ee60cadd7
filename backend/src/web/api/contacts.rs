//! A district's contacts from a spreadsheet (`import::contacts`): the template, and an upload
//! that checks every row and invites them all, or names what is wrong.

use crate::error::{Error, Result};
use crate::import::contacts;
use crate::state::AppState;
use crate::web::api::import::upload;
use crate::web::api::params::TenantPath;
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::Tenant;
use crate::web::files::XLSX;
use crate::web::respond;
use axum::Json;
use axum::extract::{Extension, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::api::ContactsReport;
use shared::import_report::ImportOutcome;
use shared::page_data::Caller;
use utoipa::IntoParams;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SessionOnly, routes!(contacts_template)).add(Access::SessionOnly, routes!(upload_contacts))
}

/// The contacts template of a district (Excel).
///
/// Columns 姓名, 单位, 手机号, 邮箱, 角色; the district's units listed on a sheet of their own.
/// The district's admins and platform admins.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/contacts/template.xlsx", tag = "users", params(TenantPath),
    responses((status = 200, content_type = XLSX, body = Vec<u8>, description = "The workbook.")))]
async fn contacts_template(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
) -> Result<Response> {
    let units = contacts::units(&state.pool, &caller, &tenant).await?;
    let bytes = contacts::template(&units).map_err(|e| Error::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"{}-contacts.xlsx\"", tenant.slug);
    Ok(([(header::CONTENT_TYPE, XLSX.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    /// Check only: answer every row and what is wrong, invite nobody.
    #[serde(default)]
    dry_run: bool,
}

/// Invite a district's contacts from the filled-in template.
///
/// Every row is checked (a unit of the district, a valid mobile number or address, a role a
/// district gives, nobody twice); a finding names its cell. Without findings, every row is
/// invited in one transaction and the answer holds the one-time links (`no-store`); with
/// any, nothing is done (422).
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/contacts", tag = "users", params(TenantPath, UploadQuery),
    request_body(description = "The filled-in template (Excel), or the same as CSV.", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
    )),
    responses(
        (status = 200, body = ContactsReport, description = "A dry run."),
        (status = 201, body = ContactsReport, description = "Every row invited; the links are in this answer only."),
        (status = 422, body = ContactsReport, description = "Findings; nobody was invited."),
    ))]
async fn upload_contacts(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: std::result::Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    Tenant(tenant): Tenant,
    request: Request,
) -> Result<Response> {
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    crate::auth::invitations::admit(&state.pool, &caller, &tenant).await?;
    let body = upload(request, &state).await?;
    let report = contacts::invite(&state.pool, state.clock.now(), &caller, &tenant, &body, query.dry_run).await?;
    Ok(match report.outcome {
        ImportOutcome::Created => {
            let mut response = respond::created(&format!("/api/v1/tenants/{}/invitations", tenant.slug), report);
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        ImportOutcome::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, Json(report)).into_response(),
        ImportOutcome::DryRun | ImportOutcome::AlreadyPresent => Json(report).into_response(),
    })
}
