//! A tenant's users: `GET /api/v1/tenants/{slug}/users`, inviting one (`POST …/users`, a
//! one-time link, `invitations`) and withdrawing a grant (`DELETE …/grants/{id}`). Platform
//! admins and the tenant's admins.

use crate::auth::invitations;
use crate::auth::users;
use crate::error::Result;
use crate::state::AppState;
use crate::web::api::params::{GrantPath, InvitationPath, TenantPath};
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{ApiJson, Id, Tenant};
use crate::web::paging::{PageParams, Pagination};
use crate::web::respond;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::Response;
use shared::api::{InvitationSummary, InvitationView, NewInvitation, TenantUser};
use shared::page_data::Caller;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SessionOnly, routes!(list_users))
        .add(Access::SessionOnly, routes!(invite_user))
        .add(Access::SessionOnly, routes!(list_invitations))
        .add(Access::SessionOnly, routes!(get_invitation))
        .add(Access::SessionOnly, routes!(revoke_grant))
}

/// The district's users with their grants in it (platform admins, the district's admins).
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/users", tag = "users", params(TenantPath, PageParams),
    responses((status = 200, body = Vec<TenantUser>)))]
async fn list_users(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
    page: Pagination,
) -> Result<Response> {
    page.respond(users::tenant_users_for(&state.pool, &caller, &tenant).await?)
}

/// Invite someone into the district with one role.
///
/// A one-time link, valid 7 days, shown in this answer only. The answer is the same whether or not the address has an account; nothing is
/// granted until the link is accepted.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/users", tag = "users", params(TenantPath),
    request_body = NewInvitation, responses(
    (status = 201, body = InvitationView, description = "Invited.",
     headers(("Cache-Control" = String, description = "`no-store`: the link is a secret."))),
))]
async fn invite_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
    ApiJson(invitation): ApiJson<NewInvitation>,
) -> Result<Response> {
    let view = invitations::create(&state.pool, state.clock.now(), &caller, &tenant, invitation).await?;
    let location = format!("/api/v1/tenants/{}/invitations/{}", tenant.slug, view.id);
    let mut response = respond::created(&location, view);
    // The link is a secret: no cache keeps it.
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The district's invitations, newest first, without their links.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/invitations", tag = "users", params(TenantPath, PageParams),
    responses((status = 200, body = Vec<InvitationSummary>)))]
async fn list_invitations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Tenant(tenant): Tenant,
    page: Pagination,
) -> Result<Response> {
    page.respond(invitations::list(&state.pool, state.clock.now(), &caller, &tenant).await?)
}

/// One invitation: whom, to what, and where it stands.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/invitations/{id}", tag = "users", params(InvitationPath),
    responses((status = 200, body = InvitationSummary)))]
async fn get_invitation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(invitation_id): Id,
    Tenant(tenant): Tenant,
) -> Result<Json<InvitationSummary>> {
    Ok(Json(invitations::get(&state.pool, state.clock.now(), &caller, &tenant, invitation_id).await?))
}

/// Withdraw a grant; it stops counting at the holder's next request (their tokens too).
#[utoipa::path(delete, path = "/api/v1/tenants/{slug}/grants/{id}", tag = "users", params(GrantPath),
    responses((status = 204, description = "Withdrawn.")))]
async fn revoke_grant(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(grant_id): Id,
    Tenant(tenant): Tenant,
) -> Result<StatusCode> {
    users::withdraw(&state.pool, &caller, &tenant, grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
