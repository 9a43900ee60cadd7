//! The interface between the pages and the server. The frontend's server functions call it;
//! the backend implements it (with the same access rules as the JSON API) and hands it to the
//! pages through Leptos context. The browser never links an implementation.

use crate::api::{
    AuditPage, CatalogEntry, ComparisonPage, ContactsPreview, Dashboard, Home, ImportPreview, IndicatorHistory,
    InvitationPreview, MeView, PendingReport, PlanDetail, PlatformAdmin, RegionComparison, TenantAdmin, TenantPlans,
    TenantWork, TokensPage,
};
use crate::model::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who is asking. Resolved by the server from the request before any page or handler runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user_id: Option<Uuid>,
    pub grants: Vec<Grant>,
}

/// One role held by a user, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub tenant_id: Option<Uuid>,
    pub region_id: Option<Uuid>,
    pub organisation_ids: Vec<Uuid>,
}

impl Caller {
    pub fn anonymous() -> Self {
        Caller::default()
    }
}

/// Why a page's data could not be had. Deliberately coarse: what the browser may learn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PageError {
    /// Missing, or not visible to this caller: the two are not told apart.
    #[error("not found")]
    NotFound,
    #[error("invalid request: {0}")]
    Invalid(String),
    /// Details are logged on the server, never sent.
    #[error("internal error")]
    Internal,
    /// The page needs a signed-in user.
    #[error("not signed in")]
    SignInNeeded,
    #[error("not allowed")]
    Forbidden,
}

#[async_trait::async_trait]
pub trait PageData: Send + Sync {
    /// The home page: every district by region, with the figures the caller may see.
    async fn home(&self, caller: &Caller) -> Result<Home, PageError>;
    async fn tenant_plans(&self, caller: &Caller, tenant: &str) -> Result<TenantPlans, PageError>;
    async fn plan_detail(&self, caller: &Caller, tenant: &str, plan: Uuid) -> Result<PlanDetail, PageError>;
    /// None for an anonymous caller.
    async fn me(&self, caller: &Caller) -> Result<Option<MeView>, PageError>;
    async fn dashboard(&self, caller: &Caller, tenant: &str, plan: Uuid) -> Result<Dashboard, PageError>;
    async fn comparison(
        &self,
        caller: &Caller,
        region: &str,
        indicator: Option<String>,
        page: ComparisonPage,
    ) -> Result<RegionComparison, PageError>;
    /// The indicators and tasks the caller's organisations lead or answer for.
    async fn my_work(&self, caller: &Caller) -> Result<Vec<TenantWork>, PageError>;
    /// Reports awaiting a decision in a tenant the caller administers.
    async fn approvals(&self, caller: &Caller, tenant: &str) -> Result<Vec<PendingReport>, PageError>;
    async fn catalog(&self) -> Result<Vec<CatalogEntry>, PageError>;
    async fn indicator_history(
        &self,
        caller: &Caller,
        tenant: &str,
        indicator: Uuid,
    ) -> Result<IndicatorHistory, PageError>;
    /// A tenant's plans (for publishing), users and organisations: its admins and platform admins.
    async fn tenant_admin(&self, caller: &Caller, tenant: &str) -> Result<TenantAdmin, PageError>;
    /// A page of the tenant's audit trail, older than `before`.
    async fn audit_log(&self, caller: &Caller, tenant: &str, before: Option<i64>) -> Result<AuditPage, PageError>;
    /// Regions and tenants: platform admins.
    async fn platform_admin(&self, caller: &Caller) -> Result<PlatformAdmin, PageError>;
    /// The import wizard of a tenant, with the dry run of an uploaded draft.
    /// What the invitation `token` into `tenant` is, for whoever holds its link.
    async fn invitation(&self, caller: &Caller, tenant: &str, token: &str) -> Result<InvitationPreview, PageError>;
    /// The contacts page of a district, with the dry run of an uploaded workbook.
    async fn contacts(&self, caller: &Caller, tenant: &str, draft: Option<Uuid>) -> Result<ContactsPreview, PageError>;
    /// The caller's API tokens and the service accounts they administer.
    async fn tokens(&self, caller: &Caller) -> Result<TokensPage, PageError>;
    async fn import_preview(
        &self,
        caller: &Caller,
        tenant: &str,
        draft: Option<Uuid>,
    ) -> Result<ImportPreview, PageError>;
}
