//! A tenant's users: `GET /api/v1/tenants/{slug}/users`, inviting one (`POST …/users`, a
//! one-time link, `invitations`) and withdrawing a grant (`DELETE …/grants/{id}`). Platform
//! admins and the tenant's admins.

use crate::auth::invitations;
use crate::auth::users;
use crate::error::Result;
use crate::state::AppState;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::{ApiJson, Id, Tenant};
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{NewInvitation, TenantUser};
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/tenants/{slug}/users", list_users)
        .post("/api/v1/tenants/{slug}/users", invite_user)
        .delete("/api/v1/tenants/{slug}/grants/{id}", revoke_grant)
}

async fn list_users(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
) -> Result<Json<Vec<TenantUser>>> {
    Ok(Json(users::tenant_users_for(&state.pool, &caller, &tenant).await?))
}

async fn invite_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
    ApiJson(invitation): ApiJson<NewInvitation>,
) -> Result<Response> {
    let view = invitations::create(&state.pool, state.clock.now(), &caller, &tenant, invitation).await?;
    // The link is a secret: no cache keeps it.
    Ok((StatusCode::CREATED, [(axum::http::header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}

async fn revoke_grant(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(grant_id): Id,
    Tenant(tenant): Tenant,
) -> Result<StatusCode> {
    users::withdraw(&state.pool, &caller, &tenant, grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
