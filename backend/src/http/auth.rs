//! Signing in and out, who am I, and changing one's password.

use super::ClientAddress;
use super::json::ApiJson;
use super::routes::ApiRoutes;
use crate::app::AppState;
use crate::audit::{self, Event};
use crate::error::{ApiError, Result};
use crate::{access, password, session, throttle, users};
use axum::Json;
use axum::extract::{Extension, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use shared::page_data::Caller;
use std::net::IpAddr;
use uuid::Uuid;

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

pub fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = cookie.parse() {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

async fn login(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Login>,
) -> Result<Response> {
    let old = session::token_from_headers(&headers);
    let (user_id, token) = sign_in(&state, &body.email, body.password, client, old).await?;
    let me = users::me(&state.pool, user_id).await?;
    Ok(with_cookie(Json(me).into_response(), &session::set_cookie(&token, &state.session_policy)))
}

/// Checks the credentials (throttled, audited) and starts a new session, ending `old`.
/// Returns the user and the new session's token. Shared by the API and the sign-in form.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
    client: IpAddr,
    old: Option<String>,
) -> Result<(Uuid, String)> {
    if email.len() > users::MAX_EMAIL_LENGTH || password.chars().count() > password::MAX_LENGTH {
        return Err(ApiError::Unprocessable("email or password too long".into()));
    }
    let now = state.clock.now();
    let account: Option<(Uuid, Option<String>, bool)> =
        sqlx::query_as("select user_id, password_hash, is_active from app_user where lower(email) = lower($1)")
            .bind(email.trim())
            .fetch_optional(&state.pool)
            .await?;
    let who = match &account {
        Some((id, _, _)) => throttle::Account::Known(*id),
        None => throttle::Account::Unknown(email.to_owned()),
    };
    let attempt = throttle::Attempt::new(&who, client);
    if let Err(wait) = attempt.begin(&state.pool, now).await? {
        let seconds = wait.num_seconds().max(1) as u64;
        append_platform_event(state, None, "auth.login_throttled", json!({"email": email})).await?;
        return Err(ApiError::TooManyRequests(seconds));
    }
    let hash = account.as_ref().filter(|(_, _, active)| *active).and_then(|(_, h, _)| h.clone());
    let verified = password::verify(password, hash).await.map_err(|e| ApiError::Internal(e.into()))?;
    let user_id = match (verified, account) {
        (true, Some((id, _, _))) => id,
        _ => {
            state.metrics.login(false);
            append_platform_event(state, None, "auth.login_failed", json!({"email": email, "address": client})).await?;
            return Err(ApiError::BadCredentials);
        }
    };
    attempt.succeeded(&state.pool).await?;
    state.metrics.login(true);

    let mut tx = state.pool.begin().await?;
    // A new session every time: the old one, if the browser still had one, ends here.
    if let Some(old) = old {
        session::delete(&mut tx, &old).await?;
    }
    let token = session::create(&mut tx, user_id, now, &state.session_policy).await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id: None,
            actor: Some(user_id),
            action: "auth.login".into(),
            entity: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(json!({"address": client})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((user_id, token))
}

async fn append_platform_event(
    state: &AppState,
    actor: Option<Uuid>,
    action: &str,
    after: serde_json::Value,
) -> Result<()> {
    let mut conn = state.pool.acquire().await?;
    audit::append(
        &mut conn,
        Event {
            tenant_id: None,
            actor,
            action: action.into(),
            entity: "user",
            entity_id: String::new(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<Response> {
    sign_out(&state, &caller, &headers).await?;
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &session::clear_cookie(&state.session_policy)))
}

/// Ends the request's session, if any (audited). Shared by the API and the sign-out form.
pub async fn sign_out(state: &AppState, caller: &Caller, headers: &HeaderMap) -> Result<()> {
    if let Some(token) = session::token_from_headers(headers) {
        let mut tx = state.pool.begin().await?;
        session::delete(&mut tx, &token).await?;
        if let Some(user_id) = caller.user_id {
            audit::append(
                &mut tx,
                Event {
                    tenant_id: None,
                    actor: Some(user_id),
                    action: "auth.logout".into(),
                    entity: "user",
                    entity_id: user_id.to_string(),
                    before: None,
                    after: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
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
    set_new_password(&state, &caller, &headers, client, body.current_password, body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the caller's password (checking the current one, throttled like a sign-in from
/// `client`) and ends its other sessions; a temporary password's restriction ends with it.
/// Shared by the API and the account form.
pub async fn set_new_password(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    client: IpAddr,
    current_password: String,
    new_password: String,
) -> Result<()> {
    let user_id = access::signed_in(caller)?;
    if current_password.chars().count() > password::MAX_LENGTH {
        return Err(ApiError::Unprocessable("current_password is too long".into()));
    }
    password::check_strength(&new_password).map_err(|e| ApiError::Unprocessable(format!("new_password: {e}")))?;
    let hash: Option<String> = sqlx::query_scalar("select password_hash from app_user where user_id = $1")
        .bind(user_id)
        .fetch_one(&state.pool)
        .await?;
    let attempt = throttle::Attempt::new(&throttle::Account::Known(user_id), client);
    if let Err(wait) = attempt.begin(&state.pool, state.clock.now()).await? {
        return Err(ApiError::TooManyRequests(wait.num_seconds().max(1) as u64));
    }
    if !password::verify(current_password, hash).await.map_err(|e| ApiError::Internal(e.into()))? {
        return Err(ApiError::Unprocessable("current_password is wrong".into()));
    }
    attempt.succeeded(&state.pool).await?;
    let new_hash = password::hash(new_password).await.map_err(|e| ApiError::Internal(e.into()))?;
    let mut tx = state.pool.begin().await?;
    sqlx::query("update app_user set password_hash = $2, must_change_password = false where user_id = $1")
        .bind(user_id)
        .bind(&new_hash)
        .execute(&mut *tx)
        .await?;
    session::delete_others(&mut tx, user_id, session::token_from_headers(headers).as_deref()).await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id: None,
            actor: Some(user_id),
            action: "user.password_change".into(),
            entity: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
