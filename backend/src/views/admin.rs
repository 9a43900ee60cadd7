//! The administration pages' read models: a tenant's plans, users and organisations (for its
//! admins), and the platform's regions, tenants and users (for platform admins).

use crate::auth::access;
use crate::auth::users;
use crate::error::Result;
use crate::infra::db;
use crate::plans::read;
use crate::tenancy;
use shared::api::{OrganisationSummary, PlatformAdmin, TenantAdmin};
use shared::page_data::Caller;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub async fn tenant_admin(pool: &PgPool, caller: &Caller, slug: &str) -> Result<TenantAdmin> {
    let record = tenancy::find_tenant(pool, slug).await?;
    access::manage_users(caller, record.reference())?;
    let plans = read::tenant_plans(pool, caller, slug).await?;
    let mut tx = db::tenant_tx(pool, &[record.tenant_id]).await?;
    let users = users::tenant_users(&mut tx, record.tenant_id).await?;
    let organisations = organisations(&mut tx, record.tenant_id).await?;
    tx.commit().await?;
    Ok(TenantAdmin { tenant: plans.tenant, plans: plans.plans, users, organisations })
}

/// Each organisation of the tenant with the tasks it leads, those it answers for otherwise,
/// and the reporters who report for it.
async fn organisations(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Vec<OrganisationSummary>> {
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "select o.name,
                (select count(*) from task_assignment ta where ta.organisation_id = o.organisation_id and ta.role = 'lead'),
                (select count(*) from task_assignment ta where ta.organisation_id = o.organisation_id and ta.role <> 'lead'),
                (select count(*) from grant_organisation go where go.organisation_id = o.organisation_id)
         from organisation o where o.tenant_id = $1 order by o.name",
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, tasks_led, tasks_answered, reporters)| OrganisationSummary {
            name,
            tasks_led,
            tasks_answered,
            reporters,
        })
        .collect())
}

pub async fn platform_admin(pool: &PgPool, caller: &Caller) -> Result<PlatformAdmin> {
    access::administer_platform(caller)?;
    Ok(PlatformAdmin {
        regions: tenancy::regions(pool).await?,
        tenants: tenancy::tenants(pool).await?,
        users: users::platform_users(pool).await?,
    })
}
