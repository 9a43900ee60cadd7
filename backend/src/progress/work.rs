//! A reporter's work: for each tenant where the caller reports, the items of its published
//! plans the caller may report on (all of them for tenant admins; those its organisations
//! lead or answer for, for reporters).

use crate::auth::access;
use crate::error::Result;
use crate::infra::clock::Clock;
use crate::infra::db;
use crate::plans::read;
use crate::tenancy;
use shared::api::TenantWork;
use shared::model::Role;
use shared::page_data::Caller;
use sqlx::PgPool;
use std::collections::HashSet;
use uuid::Uuid;

/// For each tenant where the caller reports: the items of its published plans that the
/// caller may report on (all of them for tenant admins; those its units lead or answer for,
/// for reporters).
pub async fn my_work(pool: &PgPool, clock: &dyn Clock, caller: &Caller) -> Result<Vec<TenantWork>> {
    access::signed_in(caller)?;
    let mut out = Vec::new();
    for grant in caller.grants.iter().filter(|g| matches!(g.role, Role::Reporter | Role::TenantAdmin)) {
        let Some(tenant_id) = grant.tenant_id else { continue };
        let mut tx = db::tenant_tx(pool, &[tenant_id]).await?;
        let tenant = tenancy::find_tenant_by_id(&mut tx, tenant_id).await?;
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
