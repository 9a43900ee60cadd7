//! Service accounts (docs/api.md): accounts for machines, owned by a district (made and
//! managed by its admins and platform admins) or by a region (platform admins), each with one
//! role there. They have no password and no real address, so nobody signs in as one; they act
//! only through their API tokens (`tokens`), and they outlive the people who made them.
//! Disabling one revokes its tokens.

use crate::audit::{self, Event};
use crate::auth::access;
use crate::auth::users::{self, NewGrant};
use crate::error::{Error, Result};
use crate::infra::db;
use crate::tenancy;
use chrono::{DateTime, Utc};
use serde_json::json;
use shared::api::{NewServiceAccount, ServiceAccountView};
use shared::model::Role;
use shared::page_data::Caller;
use sqlx::PgPool;
use uuid::Uuid;

/// What `caller` may manage of service accounts: all (a platform admin), or those of the
/// districts they administer.
pub fn administered_scope(caller: &Caller) -> (bool, Vec<Uuid>) {
    let all = caller.grants.iter().any(|g| g.role == Role::PlatformAdmin);
    let tenants = caller.grants.iter().filter(|g| g.role == Role::TenantAdmin).filter_map(|g| g.tenant_id).collect();
    (all, tenants)
}

/// Where a service account belongs.
pub struct Place {
    pub tenant_id: Option<Uuid>,
    pub region_id: Option<Uuid>,
}

/// The place of `account` if `caller` administers it (404 for any other).
pub async fn administered(pool: &PgPool, caller: &Caller, account: Uuid) -> Result<Place> {
    access::signed_in(caller)?;
    let (all, tenants) = administered_scope(caller);
    let row: Option<(Option<Uuid>, Option<Uuid>)> = sqlx::query_as(
        "select tenant_id, region_id from service_account where user_id = $1 and ($2 or tenant_id = any($3))",
    )
    .bind(account)
    .bind(all)
    .bind(&tenants)
    .fetch_optional(pool)
    .await?;
    let (tenant_id, region_id) = row.ok_or(Error::NotFound("service account"))?;
    Ok(Place { tenant_id, region_id })
}

/// Makes a service account with its one grant (audited).
pub async fn create(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    new: NewServiceAccount,
) -> Result<ServiceAccountView> {
    let name = new.name.trim().to_owned();
    if !(1..=100).contains(&name.chars().count()) {
        return Err(Error::invalid("name", "name: needs 1 to 100 characters"));
    }
    shared::text::check_name(&name).map_err(|p| Error::invalid("name", format!("name: {p}")))?;
    let (tenant, region) = match (&new.tenant, &new.region) {
        (Some(slug), None) => {
            let tenant = tenancy::find_tenant(pool, slug).await?;
            access::manage_users(caller, tenant.reference())?;
            if !matches!(new.role, Role::Viewer | Role::Reporter | Role::TenantAdmin) {
                return Err(Error::invalid("role", "role: in a district, viewer, reporter or tenant_admin"));
            }
            (Some(tenant), None)
        }
        (None, Some(slug)) => {
            access::administer_platform(caller)?;
            let region_id = tenancy::find_region_id(pool, slug).await?;
            if new.role != Role::Supervisor {
                return Err(Error::invalid("role", "role: in a region, supervisor"));
            }
            (None, Some(region_id))
        }
        _ => return Err(Error::invalid("tenant", "name either a district (tenant) or a region, not both")),
    };
    let id = Uuid::new_v4();
    // An address no mail reaches (RFC 2606), unique by the account's id.
    let email = format!("service+{}@planboard.invalid", id.simple());
    let grant = NewGrant {
        role: new.role,
        tenant: new.tenant.clone(),
        region: new.region.clone(),
        organisations: new.organisations.clone(),
    };
    let tenant_id = tenant.as_ref().map(|t| t.tenant_id);
    // In the district's context: its audit trail gets the events.
    let mut tx = db::tenant_tx(pool, &Vec::from_iter(tenant_id)).await?;
    users::check_grant(&mut tx, &grant).await?;
    sqlx::query(
        "insert into app_user (user_id, email, display_name, password_hash, is_service) values ($1, $2, $3, null, true)",
    )
    .bind(id)
    .bind(&email)
    .bind(&name)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into service_account (user_id, tenant_id, region_id, name, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(tenant_id)
    .bind(region)
    .bind(&name)
    .bind(caller.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let after = json!({"name": name, "role": new.role, "tenant": new.tenant, "region": new.region,
                       "organisations": new.organisations});
    audit::append(&mut tx, Event::created(tenant_id, caller.user_id, "service_account", id, after)).await?;
    users::add_grant(&mut tx, caller.user_id, id, &email, &grant).await?;
    tx.commit().await?;
    get(pool, caller, id).await
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    user_id: Uuid,
    name: String,
    tenant: Option<String>,
    region: Option<String>,
    role: Option<String>,
    organisations: Vec<String>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    is_active: bool,
}

impl AccountRow {
    fn view(self) -> Result<ServiceAccountView> {
        // A disabled account keeps no grant; it is shown with the role it was made with.
        let role = self.role.as_deref().unwrap_or("viewer");
        Ok(ServiceAccountView {
            id: self.user_id,
            name: self.name,
            tenant: self.tenant,
            region: self.region,
            role: role.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))?,
            organisations: self.organisations,
            created_by: self.created_by,
            created_at: self.created_at,
            active: self.is_active,
        })
    }
}

const VISIBLE_ACCOUNTS: &str = "
    select sa.user_id, sa.name, t.slug as tenant, r.slug as region,
           (select g.role from role_grant g where g.user_id = sa.user_id order by g.created_at limit 1) as role,
           coalesce((select array_agg(o.name order by o.name) from role_grant g
                     join grant_organisation go on go.grant_id = g.grant_id
                     join organisation o on o.organisation_id = go.organisation_id
                     where g.user_id = sa.user_id), '{}') as organisations,
           coalesce(c.email, c.mobile) as created_by, sa.created_at, u.is_active
    from service_account sa join app_user u on u.user_id = sa.user_id
    left join app_user c on c.user_id = sa.created_by
    left join tenant t on t.tenant_id = sa.tenant_id left join region r on r.region_id = sa.region_id
    where ($1 or sa.tenant_id = any($2))";

/// The service accounts `caller` administers (`only` the one, when given), newest first.
/// Their grants' organisations are read in their districts' context.
async fn accounts(pool: &PgPool, caller: &Caller, only: Option<Uuid>) -> Result<Vec<ServiceAccountView>> {
    access::signed_in(caller)?;
    let (all, tenants) = administered_scope(caller);
    let filter = "and ($3::uuid is null or sa.user_id = $3)";
    let mut tx = pool.begin().await?;
    let districts: Vec<Uuid> = sqlx::query_scalar(&format!(
        "select distinct sa.tenant_id from service_account sa where sa.tenant_id is not null
           and ($1 or sa.tenant_id = any($2)) {filter}"
    ))
    .bind(all)
    .bind(&tenants)
    .bind(only)
    .fetch_all(&mut *tx)
    .await?;
    db::set_tenant_context(&mut tx, &districts).await?;
    let rows: Vec<AccountRow> =
        sqlx::query_as(&format!("{VISIBLE_ACCOUNTS} {filter} order by sa.created_at desc, sa.user_id"))
            .bind(all)
            .bind(&tenants)
            .bind(only)
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    rows.into_iter().map(AccountRow::view).collect()
}

/// The service accounts `caller` administers, newest first.
pub async fn list(pool: &PgPool, caller: &Caller) -> Result<Vec<ServiceAccountView>> {
    accounts(pool, caller, None).await
}

/// One service account `caller` administers (404 for any other).
pub async fn get(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<ServiceAccountView> {
    accounts(pool, caller, Some(id)).await?.into_iter().next().ok_or(Error::NotFound("service account"))
}

/// Disables a service account (audited): it acts no more, and its tokens are revoked.
pub async fn disable(pool: &PgPool, now: DateTime<Utc>, caller: &Caller, id: Uuid) -> Result<()> {
    let place = administered(pool, caller, id).await?;
    let mut tx = db::tenant_tx(pool, &Vec::from_iter(place.tenant_id)).await?;
    let was_active: bool = sqlx::query_scalar("select is_active from app_user where user_id = $1 for update")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if !was_active {
        return Ok(());
    }
    sqlx::query("update app_user set is_active = false where user_id = $1").bind(id).execute(&mut *tx).await?;
    let revoked = sqlx::query("update api_token set revoked_at = $2 where user_id = $1 and revoked_at is null")
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    audit::append(
        &mut tx,
        Event {
            tenant_id: place.tenant_id,
            actor: caller.user_id,
            action: "service_account.disable".into(),
            entity: "service_account",
            entity_id: id.to_string(),
            before: Some(json!({"active": true})),
            after: Some(json!({"active": false, "tokens_revoked": revoked})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
