//! Server functions: how the pages get their data. On the server they call the `PageData`
//! implementation the backend put into context, as the caller the backend resolved from the
//! request; in the browser they are HTTP calls to the same code.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};
use shared::api::{
    AuditPage, CatalogEntry, ComparisonPage, ContactsPreview, Dashboard, Home, ImportPreview, IndicatorHistory,
    InvitationPreview, MeView, PendingReport, PlanDetail, PlatformAdmin, RegionComparison, TenantAdmin, TenantPlans,
    TenantWork, TokensPage,
};
use shared::page_data::PageError;
use uuid::Uuid;

/// Server functions are served under this prefix, apart from the JSON API under /api/v1.
pub const PREFIX: &str = "/sfn";

/// What a page can be told when its data does not come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadError {
    NotFound,
    Invalid(String),
    Internal,
    SignInNeeded,
    Forbidden,
    /// The call itself failed (network, encoding).
    Transport(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound => f.write_str("not found"),
            LoadError::Invalid(m) => write!(f, "invalid request: {m}"),
            LoadError::Internal => f.write_str("internal error"),
            LoadError::SignInNeeded => f.write_str("not signed in"),
            LoadError::Forbidden => f.write_str("not allowed"),
            LoadError::Transport(m) => write!(f, "request failed: {m}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<PageError> for LoadError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::NotFound => LoadError::NotFound,
            PageError::Invalid(m) => LoadError::Invalid(m),
            PageError::Internal => LoadError::Internal,
            PageError::SignInNeeded => LoadError::SignInNeeded,
            PageError::Forbidden => LoadError::Forbidden,
        }
    }
}

impl FromServerFnError for LoadError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        LoadError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::LoadError;
    use leptos::prelude::*;
    use shared::page_data::{Caller, PageData, PageError};
    use std::sync::Arc;

    /// The backend's implementation of the page interface, shared by every request.
    #[derive(Clone)]
    pub struct PageDataContext(pub Arc<dyn PageData>);

    pub fn page_data() -> Result<Arc<dyn PageData>, LoadError> {
        use_context::<PageDataContext>().map(|c| c.0).ok_or(LoadError::Internal)
    }

    /// The page interface's answer. A refusal called over HTTP (`/sfn/…`) gets the status
    /// the JSON API gives it (401, 403, 404, 400, 500); a page rendering on the server keeps
    /// the status of the page.
    pub fn answer<T>(result: Result<T, PageError>) -> Result<T, LoadError> {
        result.map_err(|e| {
            let called_over_http =
                use_context::<http::request::Parts>().is_some_and(|parts| parts.uri.path().starts_with(super::PREFIX));
            if let (true, Some(response)) = (called_over_http, use_context::<leptos_axum::ResponseOptions>()) {
                response.set_status(status_of(&e));
            }
            e.into()
        })
    }

    fn status_of(e: &PageError) -> http::StatusCode {
        match e {
            PageError::NotFound => http::StatusCode::NOT_FOUND,
            PageError::Invalid(_) => http::StatusCode::BAD_REQUEST,
            PageError::Internal => http::StatusCode::INTERNAL_SERVER_ERROR,
            PageError::SignInNeeded => http::StatusCode::UNAUTHORIZED,
            PageError::Forbidden => http::StatusCode::FORBIDDEN,
        }
    }

    /// The caller the backend's middleware resolved and put into the request's extensions.
    pub fn caller() -> Caller {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Caller>().cloned())
            .unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
pub use server::PageDataContext;

#[server(prefix = "/sfn", endpoint = "home")]
pub async fn fetch_home() -> Result<Home, LoadError> {
    let data = server::page_data()?;
    server::answer(data.home(&server::caller()).await)
}

#[server(prefix = "/sfn", endpoint = "tenant_plans")]
pub async fn fetch_tenant_plans(tenant: String) -> Result<TenantPlans, LoadError> {
    let data = server::page_data()?;
    server::answer(data.tenant_plans(&server::caller(), &tenant).await)
}

#[server(prefix = "/sfn", endpoint = "plan_detail")]
pub async fn fetch_plan_detail(tenant: String, plan: Uuid) -> Result<PlanDetail, LoadError> {
    let data = server::page_data()?;
    server::answer(data.plan_detail(&server::caller(), &tenant, plan).await)
}

#[server(prefix = "/sfn", endpoint = "me")]
pub async fn fetch_me() -> Result<Option<MeView>, LoadError> {
    let data = server::page_data()?;
    server::answer(data.me(&server::caller()).await)
}

#[server(prefix = "/sfn", endpoint = "dashboard")]
pub async fn fetch_dashboard(tenant: String, plan: Uuid) -> Result<Dashboard, LoadError> {
    let data = server::page_data()?;
    server::answer(data.dashboard(&server::caller(), &tenant, plan).await)
}

#[server(prefix = "/sfn", endpoint = "comparison")]
pub async fn fetch_comparison(
    region: String,
    indicator: Option<String>,
    page: ComparisonPage,
) -> Result<RegionComparison, LoadError> {
    let data = server::page_data()?;
    server::answer(data.comparison(&server::caller(), &region, indicator, page).await)
}

#[server(prefix = "/sfn", endpoint = "my_work")]
pub async fn fetch_my_work() -> Result<Vec<TenantWork>, LoadError> {
    let data = server::page_data()?;
    server::answer(data.my_work(&server::caller()).await)
}

#[server(prefix = "/sfn", endpoint = "invitation")]
pub async fn fetch_invitation(tenant: String, token: String) -> Result<InvitationPreview, LoadError> {
    let data = server::page_data()?;
    server::answer(data.invitation(&server::caller(), &tenant, &token).await)
}

#[server(prefix = "/sfn", endpoint = "approvals")]
pub async fn fetch_approvals(tenant: String) -> Result<Vec<PendingReport>, LoadError> {
    let data = server::page_data()?;
    server::answer(data.approvals(&server::caller(), &tenant).await)
}

#[server(prefix = "/sfn", endpoint = "catalog")]
pub async fn fetch_catalog() -> Result<Vec<CatalogEntry>, LoadError> {
    let data = server::page_data()?;
    server::answer(data.catalog().await)
}

#[server(prefix = "/sfn", endpoint = "indicator_history")]
pub async fn fetch_indicator_history(tenant: String, indicator: Uuid) -> Result<IndicatorHistory, LoadError> {
    let data = server::page_data()?;
    server::answer(data.indicator_history(&server::caller(), &tenant, indicator).await)
}

#[server(prefix = "/sfn", endpoint = "tenant_admin")]
pub async fn fetch_tenant_admin(tenant: String) -> Result<TenantAdmin, LoadError> {
    let data = server::page_data()?;
    server::answer(data.tenant_admin(&server::caller(), &tenant).await)
}

#[server(prefix = "/sfn", endpoint = "contacts")]
pub async fn fetch_contacts(tenant: String, draft: Option<Uuid>) -> Result<ContactsPreview, LoadError> {
    let data = server::page_data()?;
    server::answer(data.contacts(&server::caller(), &tenant, draft).await)
}

#[server(prefix = "/sfn", endpoint = "tokens")]
pub async fn fetch_tokens() -> Result<TokensPage, LoadError> {
    let data = server::page_data()?;
    server::answer(data.tokens(&server::caller()).await)
}

#[server(prefix = "/sfn", endpoint = "audit_log")]
pub async fn fetch_audit_log(tenant: String, before: Option<i64>) -> Result<AuditPage, LoadError> {
    let data = server::page_data()?;
    server::answer(data.audit_log(&server::caller(), &tenant, before).await)
}

#[server(prefix = "/sfn", endpoint = "platform_admin")]
pub async fn fetch_platform_admin() -> Result<PlatformAdmin, LoadError> {
    let data = server::page_data()?;
    server::answer(data.platform_admin(&server::caller()).await)
}

#[server(prefix = "/sfn", endpoint = "import_preview")]
pub async fn fetch_import_preview(tenant: String, draft: Option<Uuid>) -> Result<ImportPreview, LoadError> {
    let data = server::page_data()?;
    server::answer(data.import_preview(&server::caller(), &tenant, draft).await)
}
