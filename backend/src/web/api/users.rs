//! A tenant's users: `GET /api/v1/tenants/{slug}/users`, inviting one (`POST …/users`, a
//! one-time link, `invitations`) and withdrawing a grant (`DELETE …/grants/{id}`). Platform
//! admins and the tenant's admins.

use crate::auth::access;
use crate::auth::invitations;
use crate::auth::users;
use crate::error::{Result, parse_id};
use crate::infra::db;
use crate::mirror::Freshness;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::ApiJson;
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{NewInvitation, TenantUser};
use shared::page_data::Caller;
use uuid::Uuid;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/users", list_users)
        .post("/api/v1/tenants/{slug}/users", invite_user)
        .delete("/api/v1/tenants/{slug}/grants/{id}", revoke_grant)
}

async fn list_users(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<TenantUser>>> {
    let tenant = state.tenant(&fresh, &slug).await?;
    access::manage_users(&caller, tenant.reference())?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    let list = users::tenant_users(&mut tx, tenant.tenant_id).await?;
    tx.commit().await?;
    Ok(Json(list))
}

async fn invite_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path(slug): Path<String>,
    ApiJson(invitation): ApiJson<NewInvitation>,
) -> Result<Response> {
    let tenant = state.tenant(&fresh, &slug).await?;
    let view = invitations::create(&state.pool, state.clock.now(), &caller, &tenant, invitation).await?;
    // The link is a secret: no cache keeps it.
    Ok((StatusCode::CREATED, [(axum::http::header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}

async fn revoke_grant(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(fresh): Extension<Freshness>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let grant_id: Uuid = parse_id("grant", &id)?;
    let tenant = state.tenant(&fresh, &slug).await?;
    users::withdraw(&state.pool, &caller, &tenant, grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
