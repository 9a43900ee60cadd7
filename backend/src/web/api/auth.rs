//! Signing in and out, who am I, and changing one's password.

use crate::auth::access;
use crate::auth::session;
use crate::auth::users;
use crate::error::Result;
use crate::state::AppState;
use crate::web::ClientAddress;
use crate::web::api::routes::ApiRoutes;
use crate::web::extract::ApiJson;
use crate::web::respond::with_cookie;
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shared::page_data::Caller;

pub fn routes(r: ApiRoutes) -> ApiRoutes {
    r.post("/api/v1/auth/login", login)
        .post("/api/v1/auth/logout", logout)
        .post("/api/v1/auth/password", change_password)
        .get("/api/v1/me", get_me)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPassword {
    current_password: String,
    new_password: String,
}

async fn login(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Login>,
) -> Result<Response> {
    let old = session::token_from_headers(&headers);
    let (user_id, token) = state.accounts().sign_in(&body.email, body.password, client, old).await?;
    let me = users::me(&state.pool, user_id).await?;
    Ok(with_cookie(Json(me).into_response(), &session::set_cookie(&token, &state.session_policy)))
}

async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<Response> {
    state.accounts().sign_out(&caller, session::token_from_headers(&headers)).await?;
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &session::clear_cookie(&state.session_policy)))
}

async fn get_me(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<shared::api::MeView>> {
    let user_id = access::signed_in(&caller)?;
    Ok(Json(users::me(&state.pool, user_id).await?))
}

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
