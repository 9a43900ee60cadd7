//! The backend's side of the pages' interface: the same reads as the JSON API, with the same
//! access rules, handed to the Leptos server functions through context.

use crate::auth::access;
use crate::auth::users;
use crate::error::Error;
use crate::infra::cache::ViewCache;
use crate::infra::clock::Clock;
use crate::plans::catalog;
use crate::plans::read;
use crate::progress::reports;
use crate::progress::work;
use crate::views::admin;
use crate::views::comparison;
use crate::views::dashboard;
use shared::api::{
    AuditPage, CatalogEntry, ComparisonPage, ContactsPreview, Dashboard, Home, ImportPreview, IndicatorHistory,
    InvitationPreview, MeView, PendingReport, PlanDetail, PlatformAdmin, RegionComparison, TenantAdmin, TenantPlans,
    TenantWork, TokensPage,
};
use shared::page_data::{Caller, PageData, PageError};
use sqlx::PgPool;
use std::sync::Arc;
use uuid::Uuid;

pub struct BackendPageData {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub task_halves: Arc<crate::views::dashboard::TaskHalves>,
    pub cache: ViewCache,
}

#[async_trait::async_trait]
impl PageData for BackendPageData {
    async fn contacts(&self, caller: &Caller, tenant: &str, draft: Option<Uuid>) -> Result<ContactsPreview, PageError> {
        let tenant = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        Ok(crate::import::contacts::preview(&self.pool, self.clock.now(), caller, &tenant, draft).await?)
    }

    async fn tokens(&self, caller: &Caller) -> Result<TokensPage, PageError> {
        Ok(admin::tokens_page(&self.pool, self.clock.now(), caller).await?)
    }

    async fn home(&self, caller: &Caller) -> Result<Home, PageError> {
        Ok(crate::views::home::home(&self.pool, self.clock.now(), caller).await?)
    }

    async fn tenant_plans(&self, caller: &Caller, tenant: &str) -> Result<TenantPlans, PageError> {
        Ok(read::tenant_plans(&self.pool, caller, tenant).await?)
    }

    async fn plan_detail(&self, caller: &Caller, tenant: &str, plan: Uuid) -> Result<PlanDetail, PageError> {
        Ok(read::plan_detail(&self.pool, self.clock.as_ref(), caller, tenant, plan).await?)
    }

    async fn me(&self, caller: &Caller) -> Result<Option<MeView>, PageError> {
        match caller.user_id {
            Some(id) => Ok(Some(users::me(&self.pool, id).await.map_err(Error::from)?)),
            None => Ok(None),
        }
    }

    /// Through the same cache as the API's dashboard.
    async fn dashboard(&self, caller: &Caller, tenant: &str, plan: Uuid) -> Result<Dashboard, PageError> {
        let tenant = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        let visible = read::find_visible_plan(&self.pool, tenant, caller, plan).await?;
        let (view, _) =
            dashboard::cached(&self.cache, &self.pool, &self.task_halves, self.clock.as_ref(), visible).await?;
        Ok(serde_json::from_slice(&view.json).map_err(Error::from)?)
    }

    async fn comparison(
        &self,
        caller: &Caller,
        region: &str,
        indicator: Option<String>,
        page: ComparisonPage,
    ) -> Result<RegionComparison, PageError> {
        comparison::admit(caller, indicator.as_deref())?;
        let record = comparison::find_region(&self.pool, region, indicator.as_deref()).await?;
        let region = comparison::ComparableRegion::new(caller, region, record)?;
        Ok(comparison::build(&self.pool, &region, self.clock.now(), indicator.as_deref(), page).await?)
    }

    async fn my_work(&self, caller: &Caller) -> Result<Vec<TenantWork>, PageError> {
        Ok(work::my_work(&self.pool, self.clock.as_ref(), caller).await?)
    }

    async fn approvals(&self, caller: &Caller, tenant: &str) -> Result<Vec<PendingReport>, PageError> {
        let tenant = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        Ok(reports::pending(&self.pool, &tenant, caller).await?)
    }

    async fn catalog(&self) -> Result<Vec<CatalogEntry>, PageError> {
        Ok(catalog::list(&self.pool).await?)
    }

    async fn indicator_history(
        &self,
        caller: &Caller,
        tenant: &str,
        indicator: Uuid,
    ) -> Result<IndicatorHistory, PageError> {
        Ok(read::indicator_history(&self.pool, caller, tenant, indicator).await?)
    }

    async fn tenant_admin(&self, caller: &Caller, tenant: &str) -> Result<TenantAdmin, PageError> {
        Ok(admin::tenant_admin(&self.pool, caller, tenant).await?)
    }

    async fn audit_log(&self, caller: &Caller, tenant: &str, before: Option<i64>) -> Result<AuditPage, PageError> {
        let record = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        access::read_audit(caller, record.reference())?;
        Ok(crate::audit::page(&self.pool, record.tenant_id, before, crate::audit::DEFAULT_PAGE)
            .await
            .map_err(Error::from)?)
    }

    async fn platform_admin(&self, caller: &Caller) -> Result<PlatformAdmin, PageError> {
        Ok(admin::platform_admin(&self.pool, caller).await?)
    }

    async fn invitation(&self, caller: &Caller, tenant: &str, token: &str) -> Result<InvitationPreview, PageError> {
        let tenant = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        Ok(crate::auth::invitations::preview(&self.pool, self.clock.now(), caller, &tenant, token).await?)
    }

    async fn import_preview(
        &self,
        caller: &Caller,
        tenant: &str,
        draft: Option<Uuid>,
    ) -> Result<ImportPreview, PageError> {
        let record = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        access::manage_plans(caller, record.reference())?;
        let summary = record.summary();
        let (draft, report) = match draft {
            Some(id) => {
                let (draft, report) = crate::import::drafts::preview(&self.pool, &record, caller, id).await?;
                (Some(draft), Some(report))
            }
            None => (None, None),
        };
        Ok(ImportPreview { tenant: summary, draft, report })
    }
}
