//! The API tokens page's forms (`/tokens`): make a token (its secret shown once, on the page
//! this answers with), revoke one, make a service account, disable one. The same domain
//! functions as `/api/v1/tokens` and `/api/v1/service-accounts`.

use crate::auth::service_accounts;
use crate::auth::tokens;
use crate::error::{Error, parse_id};
use crate::state::AppState;
use crate::web::forms::{OneTimeSecret, page_texts};
use crate::web::respond::{back, with_outcome};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use shared::api::{NewServiceAccount, NewToken};
use shared::model::TokenScope;
use shared::page_data::Caller;

const PAGE: &str = "/tokens";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forms/tokens", post(token_form))
        .route("/forms/tokens/revoke", post(revoke_form))
        .route("/forms/service-accounts", post(service_account_form))
        .route("/forms/service-accounts/disable", post(disable_form))
}

/// A form's fields, some of which repeat (`scopes`).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn read(body: &Bytes) -> Result<Self, Error> {
        serde_urlencoded::from_bytes(body)
            .map(Fields)
            .map_err(|e| Error::BadRequest(format!("the form cannot be read: {e}")))
    }

    fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone()).collect()
    }

    /// `place` as `tenant:slug` or `region:slug`: the district and the region.
    fn place(&self) -> (Option<String>, Option<String>) {
        match self.one("place").split_once(':') {
            Some(("tenant", slug)) => (Some(slug.to_owned()), None),
            Some(("region", slug)) => (None, Some(slug.to_owned())),
            _ => (None, None),
        }
    }
}

/// Makes a token; its secret is on the page this answers with, and nowhere else.
async fn token_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let page = back(&headers, PAGE);
    let made = async {
        let fields = Fields::read(&body)?;
        let service_account = match fields.one("service_account").as_str() {
            "" => None,
            id => Some(parse_id("service account", id)?),
        };
        let scopes = fields
            .all("scopes")
            .iter()
            .map(|s| s.parse::<TokenScope>().map_err(|e| Error::invalid("scopes", format!("scopes: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let expires_in_days = match fields.one("expires_in_days").as_str() {
            "" => None,
            days => {
                Some(days.parse().map_err(|_| Error::invalid("expires_in_days", "expires_in_days: a number of days"))?)
            }
        };
        let (tenant, region) = fields.place();
        let new = NewToken { name: fields.one("name"), scopes, tenant, region, expires_in_days, service_account };
        tokens::create(&state.pool, state.clock.now(), &caller, new).await
    }
    .await;
    match made {
        Ok(created) => {
            let texts = page_texts(&headers);
            let shown = OneTimeSecret {
                title: texts.token_created,
                label: texts.token_name,
                subject: &created.token.name,
                note: texts.token_secret_note,
                secret: &created.secret,
                testid: "token-secret",
            };
            shown.page(&headers, &page)
        }
        // A service account's form sits in its row: its errors are shown there.
        Err(e) => with_outcome(&page, Err(e), ""),
    }
}

async fn revoke_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = async {
        let token = parse_id("token", &Fields::read(&body)?.one("token"))?;
        tokens::revoke(&state.pool, state.clock.now(), &caller, token).await
    }
    .await;
    with_outcome(&back(&headers, PAGE), outcome, "")
}

async fn service_account_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = async {
        let fields = Fields::read(&body)?;
        let (tenant, region) = fields.place();
        let role = fields.one("role").parse().map_err(|e| Error::invalid("role", format!("role: {e}")))?;
        let organisations = fields
            .one("organisations")
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned)
            .collect();
        let new = NewServiceAccount { name: fields.one("name"), tenant, region, role, organisations };
        service_accounts::create(&state.pool, state.clock.now(), &caller, new).await.map(|_| ())
    }
    .await;
    with_outcome(&back(&headers, PAGE), outcome, "account")
}

async fn disable_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = async {
        let account = parse_id("service account", &Fields::read(&body)?.one("service_account"))?;
        service_accounts::disable(&state.pool, state.clock.now(), &caller, account).await
    }
    .await;
    with_outcome(&back(&headers, PAGE), outcome, "")
}
