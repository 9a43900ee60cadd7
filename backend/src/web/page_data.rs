//! The backend's side of the pages' interface: the same reads as the JSON API, with the same
//! access rules, handed to the Leptos server functions through context.

use crate::auth::access;
use crate::auth::users;
use crate::error::Error;
use crate::infra::clock::Clock;
use crate::infra::db;
use crate::plans::catalog;
use crate::plans::read;
use crate::views::comparison;
use crate::views::dashboard;
use shared::api::{
    AuditPage, CatalogEntry, ComparisonPage, Dashboard, ImportPreview, IndicatorHistory, InvitationPreview, MeView,
    OrganisationSummary, PendingReport, PlanDetail, PlatformAdmin, PlatformUser, RegionComparison, RegionView,
    ReportState, TenantAdmin, TenantPlans, TenantSummary, TenantWork,
};
use shared::model::Role;
use shared::page_data::{Caller, PageData, PageError};
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

pub struct BackendPageData {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub task_halves: Arc<crate::views::dashboard::TaskHalves>,
}

#[async_trait::async_trait]
impl PageData for BackendPageData {
    async fn tenants(&self, _caller: &Caller) -> Result<Vec<TenantSummary>, PageError> {
        Ok(crate::tenancy::tenants(&self.pool).await?)
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

    async fn dashboard(&self, caller: &Caller, tenant: &str, plan: Uuid) -> Result<Dashboard, PageError> {
        let tenant = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        let mut tx = db::tenant_tx(&self.pool, &[tenant.tenant_id]).await.map_err(Error::from)?;
        let visible = read::visible_plan(&mut tx, tenant, caller, plan).await?;
        let today = self.clock.today_in(&visible.tenant.time_zone);
        let board = dashboard::build(&mut tx, &self.task_halves, visible.plan, today).await?;
        tx.commit().await.map_err(Error::from)?;
        Ok(board)
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
        access::signed_in(caller)?;
        Ok(my_work(&self.pool, self.clock.as_ref(), caller).await?)
    }

    async fn approvals(&self, caller: &Caller, tenant: &str) -> Result<Vec<PendingReport>, PageError> {
        let tenant = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        access::administer_tenant(caller, tenant.reference())?;
        Ok(pending_reports(&self.pool, &tenant).await?)
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
        let record = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        access::manage_users(caller, record.reference())?;
        let plans = read::tenant_plans(&self.pool, caller, tenant).await?;
        let mut tx = db::tenant_tx(&self.pool, &[record.tenant_id]).await.map_err(Error::from)?;
        let users = users::tenant_users(&mut tx, record.tenant_id).await.map_err(Error::from)?;
        let organisations: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "select o.name,
                    (select count(*) from task_assignment ta where ta.organisation_id = o.organisation_id and ta.role = 'lead'),
                    (select count(*) from task_assignment ta where ta.organisation_id = o.organisation_id and ta.role <> 'lead'),
                    (select count(*) from grant_organisation go where go.organisation_id = o.organisation_id)
             from organisation o where o.tenant_id = $1 order by o.name",
        )
        .bind(record.tenant_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(Error::from)?;
        let organisations = organisations
            .into_iter()
            .map(|(name, tasks_led, tasks_answered, reporters)| OrganisationSummary {
                name,
                tasks_led,
                tasks_answered,
                reporters,
            })
            .collect();
        tx.commit().await.map_err(Error::from)?;
        Ok(TenantAdmin { tenant: plans.tenant, plans: plans.plans, users, organisations })
    }

    async fn audit_log(&self, caller: &Caller, tenant: &str, before: Option<i64>) -> Result<AuditPage, PageError> {
        let record = crate::tenancy::find_tenant(&self.pool, tenant).await?;
        access::read_audit(caller, record.reference())?;
        Ok(crate::audit::page(&self.pool, record.tenant_id, before, crate::audit::DEFAULT_PAGE)
            .await
            .map_err(Error::from)?)
    }

    async fn platform_admin(&self, caller: &Caller) -> Result<PlatformAdmin, PageError> {
        access::administer_platform(caller)?;
        let regions: Vec<(String, String, String)> =
            sqlx::query_as("select slug, name, name_en from region order by is_demo, slug")
                .fetch_all(&self.pool)
                .await
                .map_err(Error::from)?;
        let users: Vec<(String, String, bool, Vec<String>)> = sqlx::query_as(
            "select u.email, u.display_name, u.must_change_password,
                    coalesce(array_agg(g.role || coalesce('@' || coalesce(t.slug, r.slug), '') order by g.created_at)
                             filter (where g.grant_id is not null), '{}')
             from app_user u left join role_grant g using (user_id)
             left join tenant t on t.tenant_id = g.tenant_id left join region r on r.region_id = g.region_id
             group by u.user_id order by lower(u.email)",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(PlatformAdmin {
            regions: regions.into_iter().map(|(slug, name, name_en)| RegionView { slug, name, name_en }).collect(),
            tenants: crate::tenancy::tenants(&self.pool).await?,
            users: users
                .into_iter()
                .map(|(email, display_name, must_change_password, grants)| PlatformUser {
                    email,
                    display_name,
                    must_change_password,
                    grants,
                })
                .collect(),
        })
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

/// For each tenant where the caller reports: the items of its published plans that the
/// caller may report on (all of them for tenant admins; those its units lead or answer for,
/// for reporters).
async fn my_work(pool: &PgPool, clock: &dyn Clock, caller: &Caller) -> Result<Vec<TenantWork>, Error> {
    let mut out = Vec::new();
    for grant in caller.grants.iter().filter(|g| matches!(g.role, Role::Reporter | Role::TenantAdmin)) {
        let Some(tenant_id) = grant.tenant_id else { continue };
        let slug: String =
            sqlx::query_scalar("select slug from tenant where tenant_id = $1").bind(tenant_id).fetch_one(pool).await?;
        let tenant = crate::tenancy::find_tenant(pool, &slug).await?;
        let mut tx = db::tenant_tx(pool, &[tenant_id]).await?;
        let plans: Vec<Uuid> = sqlx::query_scalar(
            "select plan_id from plan where tenant_id = $1 and status = 'published' order by issued_on desc",
        )
        .bind(tenant_id)
        .fetch_all(&mut *tx)
        .await?;
        let everything = grant.role == Role::TenantAdmin;
        let indicator_ids: HashSet<Uuid> =
            sqlx::query_scalar("select indicator_id from indicator_assignment where organisation_id = any($1)")
                .bind(&grant.organisation_ids)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let task_ids: HashSet<Uuid> = sqlx::query_scalar(
            "select task_id from task_assignment where organisation_id = any($1) and role in ('lead', 'responsible')",
        )
        .bind(&grant.organisation_ids)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let today = clock.today_in(&tenant.time_zone);
        for plan_id in plans {
            let visible = read::visible_plan(&mut tx, tenant.clone(), caller, plan_id).await?;
            let indicators = read::indicators(&mut tx, plan_id)
                .await?
                .into_iter()
                .filter(|i| everything || indicator_ids.contains(&i.id))
                .collect();
            let tasks = read::tasks(&mut tx, plan_id, today)
                .await?
                .into_iter()
                .filter(|t| everything || task_ids.contains(&t.id))
                .collect();
            out.push(TenantWork { tenant: tenant.summary(), plan: visible.plan, indicators, tasks });
        }
        tx.commit().await?;
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct PendingRecord {
    report_id: Uuid,
    code: String,
    name: String,
    unit: String,
    title: String,
}

/// The tenant's reports awaiting a decision, oldest first.
async fn pending_reports(pool: &PgPool, tenant: &crate::tenancy::TenantRecord) -> Result<Vec<PendingReport>, Error> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let records: Vec<PendingRecord> = sqlx::query_as(
        "select r.report_id, i.code, i.name, i.unit, p.title
         from indicator_report r join indicator i using (indicator_id) join plan p on p.plan_id = i.plan_id
         where r.tenant_id = $1 and r.state = 'submitted'
         order by r.reported_at, r.entry_seq limit 500",
    )
    .bind(tenant.tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut out = Vec::new();
    for r in records {
        let report = crate::progress::reports::one(pool, tenant, r.report_id).await?;
        if report.state == ReportState::Submitted {
            out.push(PendingReport {
                report,
                indicator_code: r.code,
                indicator_name: r.name,
                unit: r.unit,
                plan_title: r.title,
            });
        }
    }
    Ok(out)
}
