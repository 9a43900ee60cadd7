//! API tokens (`/api/v1/tokens`) and service accounts (`/api/v1/service-accounts`): people
//! manage them with a session; a token never makes another.

use crate::auth::service_accounts;
use crate::auth::tokens;
use crate::error::Result;
use crate::state::AppState;
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::{ApiJson, Id};
use crate::web::paging::{PageParams, Pagination};
use crate::web::respond;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use shared::api::{CreatedToken, NewServiceAccount, NewToken, ServiceAccountView, TokenView};
use shared::page_data::Caller;
use utoipa::IntoParams;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SessionOnly, routes!(list_tokens))
        .add(Access::SessionOnly, routes!(create_token))
        .add(Access::SessionOnly, routes!(get_token))
        .add(Access::SessionOnly, routes!(revoke_token))
        .add(Access::SessionOnly, routes!(list_service_accounts))
        .add(Access::SessionOnly, routes!(create_service_account))
        .add(Access::SessionOnly, routes!(get_service_account))
        .add(Access::SessionOnly, routes!(disable_service_account))
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // describes the path for the document; `Id` reads it
struct TokenPath {
    /// The token's id.
    id: uuid::Uuid,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // describes the path for the document; `Id` reads it
struct ServiceAccountPath {
    /// The service account's id.
    id: uuid::Uuid,
}

/// The API tokens one may manage.
///
/// One's own, and those of the service accounts one administers; never their secrets.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", params(PageParams),
    responses((status = 200, body = Vec<TokenView>)))]
async fn list_tokens(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    page: Pagination,
) -> Result<Response> {
    page.respond(tokens::list(&state.pool, state.clock.now(), &caller).await?)
}

/// Make an API token.
///
/// A personal token, for a district or region where one holds a role; or, naming
/// `service_account`, a token of a service account one administers. The secret is in this
/// answer only (`Cache-Control: no-store`).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = NewToken, responses(
    (status = 201, body = CreatedToken, description = "Made; the secret is shown this once.",
     headers(("Cache-Control" = String, description = "`no-store`: the secret is in the body."))),
))]
async fn create_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewToken>,
) -> Result<Response> {
    let created = tokens::create(&state.pool, state.clock.now(), &caller, new).await?;
    let mut response = respond::created(&format!("/api/v1/tokens/{}", created.token.id), created);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// One API token one may manage.
#[utoipa::path(get, path = "/api/v1/tokens/{id}", tag = "tokens", params(TokenPath),
    responses((status = 200, body = TokenView)))]
async fn get_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(id): Id,
) -> Result<Json<TokenView>> {
    Ok(Json(tokens::get(&state.pool, state.clock.now(), &caller, id).await?))
}

/// Revoke an API token; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(TokenPath),
    responses((status = 204, description = "Revoked.")))]
async fn revoke_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(id): Id,
) -> Result<StatusCode> {
    tokens::revoke(&state.pool, state.clock.now(), &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The service accounts one administers.
///
/// A district's admins: its accounts; platform admins: all.
#[utoipa::path(get, path = "/api/v1/service-accounts", tag = "tokens", params(PageParams),
    responses((status = 200, body = Vec<ServiceAccountView>)))]
async fn list_service_accounts(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    page: Pagination,
) -> Result<Response> {
    page.respond(service_accounts::list(&state.pool, &caller).await?)
}

/// Make a service account.
///
/// In a district (its admins, platform admins) as `viewer`, `reporter` or `tenant_admin`;
/// in a region (platform admins) as `supervisor`. It acts only through its tokens.
#[utoipa::path(post, path = "/api/v1/service-accounts", tag = "tokens", request_body = NewServiceAccount, responses(
    (status = 201, body = ServiceAccountView, description = "Made."),
))]
async fn create_service_account(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(new): ApiJson<NewServiceAccount>,
) -> Result<Response> {
    let account = service_accounts::create(&state.pool, state.clock.now(), &caller, new).await?;
    Ok(respond::created(&format!("/api/v1/service-accounts/{}", account.id), account))
}

/// One service account one administers.
#[utoipa::path(get, path = "/api/v1/service-accounts/{id}", tag = "tokens", params(ServiceAccountPath),
    responses((status = 200, body = ServiceAccountView)))]
async fn get_service_account(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(id): Id,
) -> Result<Json<ServiceAccountView>> {
    Ok(Json(service_accounts::get(&state.pool, &caller, id).await?))
}

/// Disable a service account; its tokens are revoked.
#[utoipa::path(delete, path = "/api/v1/service-accounts/{id}", tag = "tokens", params(ServiceAccountPath),
    responses((status = 204, description = "Disabled.")))]
async fn disable_service_account(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Id(id): Id,
) -> Result<StatusCode> {
    service_accounts::disable(&state.pool, state.clock.now(), &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
