//! The pages' forms: plain HTML form posts (they work before and without the wasm), handled
//! by the same domain functions as the JSON API, answered with a redirect (post/redirect/get)
//! back to the page, carrying the outcome in the URL: `?ok=1`, or `?error=…&field=…&item=…`
//! so the page shows the message next to the field. The CSRF check covers them like any
//! other state-changing request.

use crate::auth::session;
use crate::auth::users;
use crate::error::Error;
use crate::progress::reports;
use crate::progress::task_updates;
use crate::state::AppState;
use crate::web::ClientAddress;
use crate::web::forms::{PageForm, optional};
use crate::web::redirect::local_path;
use crate::web::respond::{back, encode, see_other, with_cookie, with_outcome};
use axum::Router;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rust_decimal::Decimal;
use serde::Deserialize;
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
}

#[derive(Deserialize)]
struct SignIn {
    /// An e-mail address or a mobile number.
    #[serde(alias = "login")]
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
    match state.accounts().sign_in(&form.email, form.password, client, session::token_from_headers(&headers)).await {
        Ok((user_id, token)) => {
            // A temporary password first makes way for one's own, on the account page.
            let temporary = users::me(&state.pool, user_id).await.map(|me| me.must_change_password).unwrap_or(false);
            let next = if temporary { "/me" } else { next.as_str() };
            with_cookie(see_other(next), &session::set_cookie(&token, &state.session_policy))
        }
        Err(Error::TooManyRequests(seconds)) => {
            see_other(&format!("/login?throttled={seconds}&next={}", encode(&next)))
        }
        Err(Error::BadCredentials | Error::Unprocessable(_)) => {
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
    match state.accounts().sign_out(&caller, session::token_from_headers(&headers)).await {
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
            .map_err(|_| Error::invalid("value", format!("value {:?} is not a number", form.value)))?;
        let indicator = crate::error::parse_id("indicator", &form.indicator)?;
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        let new =
            NewReport { period: form.period.clone(), value, note: optional(form.note), source: None, corrects: None };
        reports::submit(&state.pool, &tenant, &caller, state.clock.now(), indicator, new).await?;
        Ok(())
    }
    .await;
    with_outcome(&page, outcome, &item)
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
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        let reason = reject.then(|| form.reason.clone());
        reports::decide(&state.pool, &tenant, &caller, state.clock.now(), (indicator, report), form.version, reason)
            .await?;
        Ok::<_, Error>(())
    }
    .await;
    with_outcome(&page, outcome, &item)
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
        let status =
            form.status.parse().map_err(|e: shared::model::UnknownWord| Error::invalid("status", e.to_string()))?;
        let percent = match form.percent.trim() {
            "" => None,
            p => Some(
                Decimal::from_str(p)
                    .map_err(|_| Error::invalid("percent", format!("percent {p:?} is not a number")))?,
            ),
        };
        let task = crate::error::parse_id("task", &form.task)?;
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        let update = NewTaskUpdate { status, percent, note: optional(form.note) };
        task_updates::append(&state.pool, &tenant, &caller, state.clock.now(), task, None, update).await?;
        Ok(())
    }
    .await;
    with_outcome(&page, outcome, &item)
}
