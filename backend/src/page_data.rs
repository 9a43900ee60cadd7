//! The backend's side of the pages' interface: the same reads as the JSON API, with the same
//! access rules, handed to the Leptos server functions through context.

use crate::clock::Clock;
use crate::read;
use shared::api::{PlanDetail, TenantPlans, TenantSummary};
use shared::page_data::{Caller, PageData, PageError};
use sqlx::PgPool;
use std::sync::Arc;
use uuid::Uuid;

pub struct BackendPageData {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
}

#[async_trait::async_trait]
impl PageData for BackendPageData {
    async fn tenants(&self, _caller: &Caller) -> Result<Vec<TenantSummary>, PageError> {
        Ok(read::tenants(&self.pool).await?)
    }

    async fn tenant_plans(&self, caller: &Caller, tenant: &str) -> Result<TenantPlans, PageError> {
        Ok(read::tenant_plans(&self.pool, caller, tenant).await?)
    }

    async fn plan_detail(&self, caller: &Caller, tenant: &str, plan: Uuid) -> Result<PlanDetail, PageError> {
        Ok(read::plan_detail(&self.pool, self.clock.as_ref(), caller, tenant, plan).await?)
    }
}
