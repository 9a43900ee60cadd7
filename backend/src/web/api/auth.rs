//! Signing in and out, who am I, and changing one's password.

use crate::auth::access;
use crate::auth::session;
use crate::auth::users;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::web::ClientAddress;
use crate::web::api::routes::{Access, ApiRoutes};
use crate::web::extract::ApiJson;
use crate::web::respond::with_cookie;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::api::MeView;
use shared::model::TokenScope;
use shared::page_data::Caller;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.add(Access::SignIn, routes!(login))
        .add(Access::SessionOnly, routes!(logout))
        .add(Access::SessionOnly, routes!(change_password))
        .add(Access::SignedIn(TokenScope::Read), routes!(get_me))
}

/// `{login, password}`: `login` is an e-mail address or a mobile number; `email` is its
/// older name and is read the same.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Login {
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    email: Option<String>,
    password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewPassword {
    current_password: String,
    /// At least 12 characters.
    new_password: String,
}

/// Sign in: sets the session cookie (HttpOnly, SameSite=Lax) and answers who signed in.
///
/// One answer (401) for an unknown account and a wrong password; repeated failures are
/// throttled (429 with `Retry-After`).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "account", request_body = Login, responses(
    (status = 200, body = MeView, description = "Signed in; the session cookie is set.",
     headers(("Set-Cookie" = String, description = "The session cookie."))),
))]
async fn login(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Login>,
) -> Result<Response> {
    let old = session::token_from_headers(&headers);
    let login = body
        .login
        .or(body.email)
        .ok_or_else(|| Error::invalid("login", "login: an e-mail address or a mobile number"))?;
    let (user_id, token) = state.accounts().sign_in(&login, body.password, client, old).await?;
    let me = users::me(&state.pool, user_id).await?;
    Ok(with_cookie(Json(me).into_response(), &session::set_cookie(&token, &state.session_policy)))
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "account", responses(
    (status = 204, description = "Signed out (also when nobody was signed in)."),
))]
async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<Response> {
    state.accounts().sign_out(&caller, session::token_from_headers(&headers)).await?;
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &session::clear_cookie(&state.session_policy)))
}

/// Who am I: the signed-in user and their grants.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", responses((status = 200, body = MeView)))]
async fn get_me(State(state): State<AppState>, Extension(caller): Extension<Caller>) -> Result<Json<MeView>> {
    let user_id = access::signed_in(&caller)?;
    Ok(Json(users::me(&state.pool, user_id).await?))
}

/// Change one's password; one's other sessions end.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "account", request_body = NewPassword, responses(
    (status = 204, description = "Changed."),
))]
async fn change_password(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode> {
    state
        .accounts()
        .set_new_password(
            &caller,
            session::token_from_headers(&headers),
            client,
            body.current_password,
            body.new_password,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
