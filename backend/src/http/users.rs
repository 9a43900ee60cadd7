//! A tenant's users: `GET /api/v1/tenants/{slug}/users`, inviting one
//! (`POST …/users`, a temporary password for a new account) and withdrawing a grant
//! (`DELETE …/grants/{id}`). Platform admins and the tenant's admins.

use super::json::ApiJson;
use super::routes::ApiRoutes;
use crate::app::AppState;
use crate::error::{ApiError, Result, parse_id};
use crate::mirror::Freshness;
use crate::users::{self, NewGrant, Password};
use crate::{access, db, password, read, reports};
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::{InvitationView, NewInvitation, TenantUser};
use shared::model::Role;
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

/// 201 with the invitation; the temporary password is in this answer only.
pub async fn invite(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    invitation: NewInvitation,
) -> Result<InvitationView> {
    let tenant = read::find_tenant(&state.pool, slug).await?;
    let decision = access::manage_users(caller, tenant.reference());
    reports::guard(&state.pool, &tenant, caller, "grant.create", "tenant", tenant.tenant_id, decision).await?;
    if !matches!(invitation.role, Role::TenantAdmin | Role::Reporter | Role::Viewer) {
        return Err(ApiError::Unprocessable(format!(
            "role: a tenant invites tenant_admin, reporter or viewer, not {}",
            invitation.role.as_str()
        )));
    }
    let temporary = password::temporary().map_err(|e| ApiError::Internal(e.into()))?;
    let hash = password::hash(temporary.clone()).await.map_err(|e| ApiError::Internal(e.into()))?;
    let grant = NewGrant {
        role: invitation.role,
        tenant: Some(tenant.slug.clone()),
        region: None,
        organisations: invitation.organisations.clone(),
    };
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    let added = users::add_user(
        &mut tx,
        caller.user_id,
        &invitation.email,
        &invitation.display_name,
        Password::TemporaryForNewAccount(&hash),
        &grant,
    )
    .await?;
    if !added.grant_added {
        return Err(ApiError::Conflict(format!("{} already holds this grant", invitation.email.trim())));
    }
    tx.commit().await?;
    Ok(InvitationView {
        user_id: added.user_id,
        email: invitation.email.trim().to_owned(),
        new_account: added.new_account,
        temporary_password: added.new_account.then_some(temporary),
    })
}

async fn invite_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
    ApiJson(invitation): ApiJson<NewInvitation>,
) -> Result<Response> {
    let view = invite(&state, &caller, &slug, invitation).await?;
    // It may carry a temporary password: no cache keeps it.
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
    withdraw(&state, &caller, &tenant, grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Withdraws one of the tenant's grants (audited, refusals too). Shared with the admin form.
pub async fn withdraw(state: &AppState, caller: &Caller, tenant: &read::TenantRecord, grant_id: Uuid) -> Result<()> {
    let decision = access::manage_users(caller, tenant.reference());
    reports::guard(&state.pool, tenant, caller, "grant.revoke", "grant", grant_id, decision).await?;
    let mut tx = db::tenant_tx(&state.pool, &[tenant.tenant_id]).await?;
    if !users::revoke_grant(&mut tx, caller.user_id, tenant.tenant_id, grant_id).await? {
        return Err(ApiError::NotFound("grant"));
    }
    tx.commit().await?;
    Ok(())
}
