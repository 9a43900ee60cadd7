//! The pages' forms: plain HTML form posts (they work before and without the wasm), handled
//! by the same domain functions as the JSON API, answered with a redirect (post/redirect/get)
//! back to the page, carrying the outcome in the URL: `?ok=1`, or `?error=…&field=…&item=…`
//! so the page shows the message next to the field. The CSRF check covers them like any
//! other state-changing request.

use super::ClientAddress;
use super::auth::{sign_in, sign_out, with_cookie};
use super::redirect::{local_path, same_site_path};
use crate::app::AppState;
use crate::error::ApiError;
use crate::{read, reports, session, task_updates};
use axum::Router;
use axum::extract::{Extension, Form, FromRequest, Request, State};
use axum::http::header::{LOCATION, REFERER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::api::{NewReport, NewTaskUpdate};
use shared::page_data::Caller;
use std::str::FromStr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(sign_in_form))
        .route("/session/end", post(sign_out_form))
        .route("/forms/reports", post(report_form))
        .route("/forms/reports/approve", post(approve_form))
        .route("/forms/reports/reject", post(reject_form))
        .route("/forms/task-updates", post(task_update_form))
        .merge(super::admin_forms::router())
}

pub(super) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

pub(super) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The page the form was on (same site only), without the previous outcome's parameters.
pub(super) fn back(headers: &HeaderMap, fallback: &str) -> String {
    let path = headers
        .get(REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(same_site_path)
        .unwrap_or_else(|| fallback.to_owned());
    let (base, query) = path.split_once('?').unwrap_or((&path, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !["ok", "error", "field", "item"].contains(&p.split('=').next().unwrap_or("")))
        .collect();
    if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
}

pub(super) fn with_outcome(page: &str, outcome: Result<(), (ApiError, Option<&str>, &str)>) -> Response {
    let sep = if page.contains('?') { '&' } else { '?' };
    match outcome {
        Ok(()) => see_other(&format!("{page}{sep}ok=1")),
        Err((ApiError::Database(e), _, _)) => ApiError::Database(e).into_response(),
        Err((ApiError::Internal(e), _, _)) => ApiError::Internal(e).into_response(),
        Err((e, field, item)) => see_other(&format!(
            "{page}{sep}error={}&field={}&item={}",
            encode(&e.to_string()),
            field.unwrap_or(""),
            encode(item)
        )),
    }
}

/// A form body, or the way back to the form's page with the reason it could not be read
/// (a missing or malformed field), as every other form error is shown.
pub(super) struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let page = back(request.headers(), "/");
        match Form::<T>::from_request(request, state).await {
            Ok(Form(form)) => Ok(PageForm(form)),
            Err(e) => Err(with_outcome(&page, Err((ApiError::BadRequest(e.body_text()), None, "")))),
        }
    }
}

/// The form field an error message is about, for showing it next to that field.
fn field_of(e: &ApiError) -> Option<&'static str> {
    let message = e.to_string();
    ["period", "value", "percent", "note", "reason", "status"].into_iter().find(|f| message.contains(f))
}

#[derive(Deserialize)]
struct SignIn {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn sign_in_form(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    headers: HeaderMap,
    PageForm(form): PageForm<SignIn>,
) -> Response {
    let next = local_path(&form.next).unwrap_or("/me").to_owned();
    match sign_in(&state, &form.email, form.password, client, session::token_from_headers(&headers)).await {
        Ok((_, token)) => with_cookie(see_other(&next), &session::set_cookie(&token, &state.session_policy)),
        Err(ApiError::TooManyRequests(seconds)) => {
            see_other(&format!("/login?throttled={seconds}&next={}", encode(&next)))
        }
        Err(ApiError::BadCredentials | ApiError::Unprocessable(_)) => {
            see_other(&format!("/login?failed=1&next={}", encode(&next)))
        }
        Err(e) => e.into_response(),
    }
}

async fn sign_out_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    match sign_out(&state, &caller, &headers).await {
        Ok(()) => with_cookie(see_other("/"), &session::clear_cookie(&state.session_policy)),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct ReportForm {
    tenant: String,
    indicator: String,
    period: String,
    value: String,
    #[serde(default)]
    note: String,
}

pub(super) fn optional(text: String) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

async fn report_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<ReportForm>,
) -> Response {
    let page = back(&headers, "/work");
    let item = form.indicator.clone();
    let outcome = async {
        let value = Decimal::from_str(form.value.trim())
            .map_err(|_| (ApiError::Unprocessable(format!("value {:?} is not a number", form.value)), Some("value")))?;
        let indicator = crate::error::parse_id("indicator", &form.indicator).map_err(|e| (e, None))?;
        let tenant = read::find_tenant(&state.pool, &form.tenant).await.map_err(|e| (e, None))?;
        let new =
            NewReport { period: form.period.clone(), value, note: optional(form.note), source: None, corrects: None };
        reports::submit(&state.pool, &tenant, &caller, state.clock.now(), indicator, new).await.map_err(|e| {
            let field = field_of(&e);
            (e, field)
        })?;
        Ok(())
    }
    .await;
    with_outcome(&page, outcome.map_err(|(e, field)| (e, field, item.as_str())))
}

#[derive(Deserialize)]
struct Decision {
    tenant: String,
    indicator: String,
    report: String,
    version: i32,
    #[serde(default)]
    reason: String,
}

async fn decide(state: AppState, caller: Caller, headers: HeaderMap, form: Decision, reject: bool) -> Response {
    let page = back(&headers, &format!("/t/{}/approvals", form.tenant));
    let item = form.report.clone();
    let outcome = async {
        let report = crate::error::parse_id("report", &form.report)?;
        let indicator = crate::error::parse_id("indicator", &form.indicator)?;
        let tenant = read::find_tenant(&state.pool, &form.tenant).await?;
        let reason = reject.then(|| form.reason.clone());
        reports::decide(&state.pool, &tenant, &caller, state.clock.now(), (indicator, report), form.version, reason)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    with_outcome(
        &page,
        outcome.map_err(|e| {
            let field = field_of(&e);
            (e, field, item.as_str())
        }),
    )
}

async fn approve_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<Decision>,
) -> Response {
    decide(state, caller, headers, form, false).await
}

async fn reject_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<Decision>,
) -> Response {
    decide(state, caller, headers, form, true).await
}

#[derive(Deserialize)]
struct TaskForm {
    tenant: String,
    task: String,
    status: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    note: String,
}

async fn task_update_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<TaskForm>,
) -> Response {
    let page = back(&headers, "/work");
    let item = form.task.clone();
    let outcome = async {
        let status = form
            .status
            .parse()
            .map_err(|e: shared::model::UnknownWord| (ApiError::Unprocessable(e.to_string()), Some("status")))?;
        let percent =
            match form.percent.trim() {
                "" => None,
                p => Some(Decimal::from_str(p).map_err(|_| {
                    (ApiError::Unprocessable(format!("percent {p:?} is not a number")), Some("percent"))
                })?),
            };
        let task = crate::error::parse_id("task", &form.task).map_err(|e| (e, None))?;
        let tenant = read::find_tenant(&state.pool, &form.tenant).await.map_err(|e| (e, None))?;
        let update = NewTaskUpdate { status, percent, note: optional(form.note) };
        task_updates::append(&state.pool, &tenant, &caller, state.clock.now(), task, None, update).await.map_err(
            |e| {
                let field = field_of(&e);
                (e, field)
            },
        )?;
        Ok(())
    }
    .await;
    with_outcome(&page, outcome.map_err(|(e, field)| (e, field, item.as_str())))
}
