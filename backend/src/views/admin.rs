//! The administration pages' read models: a tenant's plans, users and organisations (for its
//! admins), the platform's regions, tenants and users (for platform admins), and a person's
//! API tokens and the service accounts they administer.

use crate::auth::access;
use crate::auth::service_accounts;
use crate::auth::tokens;
use crate::auth::users;
use crate::error::Result;
use crate::infra::db;
use crate::plans::read;
use crate::tenancy;
use chrono::{DateTime, Utc};
use shared::api::{OrganisationSummary, Place, PlatformAdmin, TenantAdmin, TokensPage};
use shared::model::Role;
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

/// The API tokens page: the tokens and service accounts `caller` may manage, and the places
/// they may make them for.
pub async fn tokens_page(pool: &PgPool, now: DateTime<Utc>, caller: &Caller) -> Result<TokensPage> {
    access::signed_in(caller)?;
    let tokens = tokens::list(pool, now, caller).await?;
    let service_accounts = service_accounts::list(pool, caller).await?;
    let platform = caller.grants.iter().any(|g| g.role == Role::PlatformAdmin);
    let tenant_ids: Vec<Uuid> = caller.grants.iter().filter_map(|g| g.tenant_id).collect();
    let region_ids: Vec<Uuid> = caller.grants.iter().filter_map(|g| g.region_id).collect();
    let administered: Vec<Uuid> =
        caller.grants.iter().filter(|g| g.role == Role::TenantAdmin).filter_map(|g| g.tenant_id).collect();
    let tenants = |ids: Vec<Uuid>| places(pool, "tenant", platform, ids);
    let mut personal_places = tenants(tenant_ids).await?;
    let regions = places(pool, "region", platform, region_ids).await?;
    personal_places.extend(regions.iter().cloned());
    let mut service_places = tenants(administered).await?;
    if platform {
        service_places.extend(regions);
    }
    Ok(TokensPage { tokens, service_accounts, personal_places, service_places })
}

/// The districts (`kind` tenant) or regions (`region`) with these ids, or all of them, as
/// places of the tokens page. `kind` names the table.
async fn places(pool: &PgPool, kind: &'static str, all: bool, ids: Vec<Uuid>) -> Result<Vec<Place>> {
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "select slug, name from {kind} where $1 or {kind}_id = any($2) order by is_demo, slug"
    ))
    .bind(all)
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(slug, name)| Place { kind: kind.to_owned(), slug, name }).collect())
}
