//! `GET /api/v1/tenants/{slug}/audit`: the tenant's audit events, newest first, a page at a
//! time (`?limit=N` up to 200, `?before=EVENT_ID` for the next page).

use crate::audit::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::auth::access;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::web::api::params::TenantPath;
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::Tenant;
use crate::web::files::FileRequest;
use axum::Json;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::api::AuditPage;
use shared::page_data::Caller;
use utoipa::IntoParams;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SignedIn(shared::model::TokenScope::Read), routes!(list_audit_events))
}

/// The most events a file of the audit trail holds.
const MAX_IN_A_FILE: i64 = 10_000;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct Page {
    /// How many events, 1–200 (50 by default).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// Events older than this event id.
    before: Option<i64>,
    /// Where the page starts, as the previous page's `Link: <…>; rel="next"` gives it (the
    /// same as `before`).
    cursor: Option<String>,
    /// `csv` or `xlsx`: the events as a file, up to 10,000 of them (older than `before`);
    /// `json` (the default).
    format: Option<String>,
    /// A file's header row: `words` (the default) or `keys`.
    header: Option<String>,
    /// The words' language in a file: `zh-CN` or `en`.
    lang: Option<String>,
}

/// The district's audit events, newest first.
///
/// The district's admins, supervisors of its region, platform admins.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/audit", tag = "audit", params(TenantPath, Page),
    responses((status = 200, content(
        (AuditPage = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
     ), headers(("Link" = String, description = "`<URL>; rel=\"next\"`: the older events; absent on the last page.")))))]
async fn list_audit_events(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
    Tenant(tenant): Tenant,
    headers: HeaderMap,
) -> Result<Response> {
    let Query(page) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let file = FileRequest::new(page.format.as_deref(), page.header.as_deref(), page.lang.as_deref(), &headers)?;
    let limit = page.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::BadRequest(format!("limit must be between 1 and {MAX_PAGE}")));
    }
    let before = match page.cursor {
        Some(cursor) => Some(
            cursor.parse().map_err(|_| Error::BadRequest(format!("cursor {cursor:?} is not one this list gave")))?,
        ),
        None => page.before,
    };
    access::read_audit(&caller, tenant.reference())?;
    if file.wants_file() {
        let events = audit::page(&state.pool, tenant.tenant_id, before, MAX_IN_A_FILE).await?;
        return file.respond(&events.events, &format!("{}-audit", tenant.slug));
    }
    let events = audit::page(&state.pool, tenant.tenant_id, before, limit).await?;
    let next = events
        .next_before
        .map(|id| format!("</api/v1/tenants/{}/audit?limit={limit}&cursor={id}>; rel=\"next\"", tenant.slug));
    let mut response = Json(events).into_response();
    if let Some(value) = next.and_then(|link| HeaderValue::from_str(&link).ok()) {
        response.headers_mut().insert(header::LINK, value);
    }
    Ok(response)
}
