//! API tokens for machine clients (docs/api.md): personal ones, made by a person for
//! themselves, and those of service accounts, made by their administrators. A token is scoped
//! to one district or one region and to some of `read`, `report`, `import`; it expires within
//! a year; only the SHA-256 of its secret is kept. It acts with its owner's grants as they are
//! at each request, cut down to its district or region (`restrict`): a withdrawn grant or a
//! disabled account stops it at once, and it never does more than its owner could.

use crate::audit::{self, Event};
use crate::auth::access;
use crate::auth::service_accounts;
use crate::auth::session::{self, SessionUser};
use crate::error::{Error, OnConstraint, Result};
use crate::infra::db;
use crate::tenancy;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shared::api::{CreatedToken, NewToken, TokenOwner, TokenState, TokenView};
use shared::model::{Role, TokenScope};
use shared::page_data::{Caller, Grant};
use sqlx::PgPool;
use uuid::Uuid;

/// How every secret starts, so that it is recognised wherever it leaks (a log, a repository).
pub const SECRET_PREFIX: &str = "pb_";
/// Days a token lives when the request names none, and at most.
const DEFAULT_DAYS: i64 = 90;
const MAX_DAYS: i64 = 366;
/// Last-use times are written at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Where a token may act: a district (with its region), or a whole region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenTarget {
    pub tenant_id: Option<Uuid>,
    pub region_id: Uuid,
}

/// A token presented with a request, found live.
#[derive(Debug, Clone)]
pub struct Presented {
    pub token_id: Uuid,
    /// Its owner, as a session would give them (the grants' version keys the caller).
    pub owner: SessionUser,
    pub scopes: Vec<TokenScope>,
    pub target: TokenTarget,
}

#[derive(sqlx::FromRow)]
struct PresentedRow {
    token_id: Uuid,
    user_id: Uuid,
    grants_version: i64,
    must_change_password: bool,
    scopes: Vec<String>,
    tenant_id: Option<Uuid>,
    region_id: Uuid,
    last_used_at: Option<DateTime<Utc>>,
}

/// The live token whose secret is `secret`: None when it is unknown, expired, revoked or its
/// owner disabled. Records its use (at most once a minute).
#[tracing::instrument(name = "db.token", skip_all)]
pub async fn resolve(pool: &PgPool, secret: &str, now: DateTime<Utc>) -> Result<Option<Presented>> {
    if !secret.starts_with(SECRET_PREFIX) || secret.len() > 200 {
        return Ok(None);
    }
    let row: Option<PresentedRow> = sqlx::query_as(
        "select t.token_id, t.user_id, u.grants_version, u.must_change_password, t.scopes, t.tenant_id,
                coalesce(t.region_id, te.region_id) as region_id, t.last_used_at
         from api_token t join app_user u using (user_id) left join tenant te on te.tenant_id = t.tenant_id
         where t.token_hash = $1 and t.revoked_at is null and t.expires_at > $2 and u.is_active",
    )
    .bind(&session::hash_token(secret)[..])
    .bind(now)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.last_used_at.is_none_or(|at| now - at > TOUCH_EVERY) {
        sqlx::query("update api_token set last_used_at = $2 where token_id = $1")
            .bind(row.token_id)
            .bind(now)
            .execute(pool)
            .await?;
    }
    let scopes = row.scopes.iter().filter_map(|s| s.parse().ok()).collect();
    Ok(Some(Presented {
        token_id: row.token_id,
        // The callers memo is keyed by all three: a token shares its owner's entry.
        owner: SessionUser {
            user_id: row.user_id,
            grants_version: row.grants_version,
            must_change_password: row.must_change_password,
        },
        scopes,
        target: TokenTarget { tenant_id: row.tenant_id, region_id: row.region_id },
    }))
}

/// The owner's caller cut down to what a token for `target` may do: in a district, the
/// owner's grants there (a platform admin acts as the district's admin, a supervisor of its
/// region as a viewer); in a region, the owner's supervision of it (a platform admin acts as
/// its supervisor). Nothing elsewhere.
pub fn restrict(owner: Caller, target: TokenTarget) -> Caller {
    let grants = owner
        .grants
        .into_iter()
        .filter_map(|g| match (target.tenant_id, g.role) {
            (Some(tenant), Role::PlatformAdmin) => Some(tenant_grant(Role::TenantAdmin, tenant)),
            (Some(tenant), Role::Supervisor) if g.region_id == Some(target.region_id) => {
                Some(tenant_grant(Role::Viewer, tenant))
            }
            (Some(tenant), _) if g.tenant_id == Some(tenant) => Some(g),
            (None, Role::PlatformAdmin) => Some(Grant {
                role: Role::Supervisor,
                tenant_id: None,
                region_id: Some(target.region_id),
                organisation_ids: Vec::new(),
            }),
            (None, Role::Supervisor) if g.region_id == Some(target.region_id) => Some(g),
            _ => None,
        })
        .collect();
    Caller { user_id: owner.user_id, grants }
}

fn tenant_grant(role: Role, tenant_id: Uuid) -> Grant {
    Grant { role, tenant_id: Some(tenant_id), region_id: None, organisation_ids: Vec::new() }
}

/// A new secret: the prefix and 32 random bytes.
fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(anyhow::anyhow!("no randomness for a token: {e}")))?;
    Ok(format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// Whom a new token acts for, and where.
struct Owner {
    user_id: Uuid,
    tenant_id: Option<Uuid>,
    region_id: Option<Uuid>,
}

/// The owner and target of `new` if `caller` may make it: a person for themselves where they
/// hold a role; a service account's administrators for it, where it belongs.
async fn owner_of(pool: &PgPool, caller: &Caller, new: &NewToken) -> Result<Owner> {
    let me = access::signed_in(caller)?;
    let (tenant, region) = match (&new.tenant, &new.region) {
        (Some(slug), None) => (Some(tenancy::find_tenant(pool, slug).await?), None),
        (None, Some(slug)) => (None, Some(tenancy::find_region_id(pool, slug).await?)),
        (None, None) if new.service_account.is_some() => (None, None),
        _ => return Err(Error::invalid("tenant", "name either a district (tenant) or a region, not both")),
    };
    if let Some(account) = new.service_account {
        let place = service_accounts::administered(pool, caller, account).await?;
        let same = match (&tenant, region) {
            (Some(t), None) => place.tenant_id == Some(t.tenant_id),
            (None, Some(r)) => place.region_id == Some(r),
            _ => true,
        };
        if !same {
            return Err(Error::invalid("tenant", "a service account's tokens are for its own district or region"));
        }
        return Ok(Owner { user_id: account, tenant_id: place.tenant_id, region_id: place.region_id });
    }
    match (tenant, region) {
        (Some(t), _) => {
            access::hold_a_role_in(caller, t.reference())?;
            Ok(Owner { user_id: me, tenant_id: Some(t.tenant_id), region_id: None })
        }
        (None, Some(region_id)) => {
            access::compare_region(caller, region_id)?;
            Ok(Owner { user_id: me, tenant_id: None, region_id: Some(region_id) })
        }
        (None, None) => Err(Error::invalid("tenant", "name the district (tenant) or the region the token is for")),
    }
}

/// Makes a token as `new` asks (audited): its secret is in the answer and nowhere else.
pub async fn create(pool: &PgPool, now: DateTime<Utc>, caller: &Caller, new: NewToken) -> Result<CreatedToken> {
    let name = new.name.trim().to_owned();
    if !(1..=100).contains(&name.chars().count()) {
        return Err(Error::invalid("name", "name: needs 1 to 100 characters"));
    }
    shared::text::check_name(&name).map_err(|p| Error::invalid("name", format!("name: {p}")))?;
    let mut scopes = new.scopes.clone();
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        return Err(Error::invalid("scopes", "scopes: name at least one of read, report, import"));
    }
    let days = new.expires_in_days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::invalid("expires_in_days", format!("expires_in_days: 1 to {MAX_DAYS}")));
    }
    let owner = owner_of(pool, caller, &new).await?;
    let secret = new_secret()?;
    let prefix: String = secret.chars().take(SECRET_PREFIX.len() + 5).collect();
    let scope_words: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    // In the district's context: its audit trail gets the event.
    let mut tx = db::tenant_tx(pool, &Vec::from_iter(owner.tenant_id)).await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into api_token (token_hash, prefix, user_id, name, scopes, tenant_id, region_id, created_by,
                                created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning token_id",
    )
    .bind(&session::hash_token(&secret)[..])
    .bind(&prefix)
    .bind(owner.user_id)
    .bind(&name)
    .bind(&scope_words)
    .bind(owner.tenant_id)
    .bind(owner.region_id)
    .bind(caller.user_id)
    .bind(now)
    .bind(now + Duration::days(days))
    .fetch_one(&mut *tx)
    .await
    .on_constraint("api_token_token_hash_key", || Error::Conflict("try again".into()))?;
    let after = json!({"name": name, "prefix": prefix, "scopes": scope_words, "owner": owner.user_id,
                       "expires_at": now + Duration::days(days)});
    audit::append(&mut tx, Event::created(owner.tenant_id, caller.user_id, "token", id, after)).await?;
    tx.commit().await?;
    Ok(CreatedToken { token: get(pool, now, caller, id).await?, secret })
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    token_id: Uuid,
    name: String,
    prefix: String,
    scopes: Vec<String>,
    tenant: Option<String>,
    region: Option<String>,
    owner_id: Uuid,
    owner_name: String,
    is_service: bool,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    fn view(self, now: DateTime<Utc>) -> TokenView {
        let state = match (self.revoked_at, self.expires_at <= now) {
            (Some(_), _) => TokenState::Revoked,
            (None, true) => TokenState::Expired,
            (None, false) => TokenState::Active,
        };
        TokenView {
            id: self.token_id,
            name: self.name,
            prefix: self.prefix,
            scopes: self.scopes.iter().filter_map(|s| s.parse().ok()).collect(),
            tenant: self.tenant,
            region: self.region,
            owner: TokenOwner { id: self.owner_id, name: self.owner_name, service_account: self.is_service },
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
            last_used_at: self.last_used_at,
            state,
        }
    }
}

/// The tokens `caller` may see and revoke: their own, and those of the service accounts
/// they administer (a district's admins: its accounts; platform admins: all).
const VISIBLE_TOKENS: &str = "
    select k.token_id, k.name, k.prefix, k.scopes, t.slug as tenant, r.slug as region,
           u.user_id as owner_id, case when u.display_name = '' then coalesce(u.email, u.mobile) else u.display_name end as owner_name,
           u.is_service, k.created_at, k.expires_at, k.revoked_at, k.last_used_at
    from api_token k join app_user u using (user_id)
    left join tenant t on t.tenant_id = k.tenant_id left join region r on r.region_id = k.region_id
    left join service_account sa on sa.user_id = k.user_id
    where (k.user_id = $1
           or (sa.user_id is not null and ($2 or sa.tenant_id = any($3))))";

/// The tokens `caller` may manage (`only` the one, when given), newest first.
async fn visible(pool: &PgPool, now: DateTime<Utc>, caller: &Caller, only: Option<Uuid>) -> Result<Vec<TokenView>> {
    let me = access::signed_in(caller)?;
    let (all, tenants) = service_accounts::administered_scope(caller);
    let rows: Vec<TokenRow> = sqlx::query_as(&format!(
        "{VISIBLE_TOKENS} and ($4::uuid is null or k.token_id = $4) order by k.created_at desc, k.token_id"
    ))
    .bind(me)
    .bind(all)
    .bind(&tenants)
    .bind(only)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.view(now)).collect())
}

/// The tokens `caller` may manage, newest first.
pub async fn list(pool: &PgPool, now: DateTime<Utc>, caller: &Caller) -> Result<Vec<TokenView>> {
    visible(pool, now, caller, None).await
}

/// One token `caller` may manage (404 for any other).
pub async fn get(pool: &PgPool, now: DateTime<Utc>, caller: &Caller, id: Uuid) -> Result<TokenView> {
    visible(pool, now, caller, Some(id)).await?.into_iter().next().ok_or(Error::NotFound("token"))
}

/// Revokes a token `caller` may manage (audited); revoking one already revoked changes
/// nothing.
pub async fn revoke(pool: &PgPool, now: DateTime<Utc>, caller: &Caller, id: Uuid) -> Result<()> {
    let token = get(pool, now, caller, id).await?;
    if token.revoked_at.is_some() {
        return Ok(());
    }
    let tenant_id: Option<Uuid> =
        sqlx::query_scalar("select tenant_id from api_token where token_id = $1").bind(id).fetch_one(pool).await?;
    let mut tx = db::tenant_tx(pool, &Vec::from_iter(tenant_id)).await?;
    sqlx::query("update api_token set revoked_at = $2 where token_id = $1 and revoked_at is null")
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id,
            actor: caller.user_id,
            action: "token.revoke".into(),
            entity: "token",
            entity_id: id.to_string(),
            before: Some(json!({"state": token.state})),
            after: Some(json!({"state": TokenState::Revoked, "name": token.name, "prefix": token.prefix})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(grants: Vec<Grant>) -> Caller {
        Caller { user_id: Some(Uuid::new_v4()), grants }
    }

    fn grant(role: Role, tenant_id: Option<Uuid>, region_id: Option<Uuid>) -> Grant {
        Grant { role, tenant_id, region_id, organisation_ids: Vec::new() }
    }

    #[test]
    fn a_token_acts_only_where_it_is_scoped_and_never_beyond_its_owners_grants() {
        let (here, there, region, other_region) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let in_here = TokenTarget { tenant_id: Some(here), region_id: region };
        let in_region = TokenTarget { tenant_id: None, region_id: region };
        let reporter = grant(Role::Reporter, Some(here), None);
        let both = caller(vec![reporter.clone(), grant(Role::Viewer, Some(there), None)]);
        assert_eq!(restrict(both.clone(), in_here).grants, vec![reporter]);
        assert!(restrict(both, in_region).grants.is_empty(), "district grants give nothing in a region");
        let admin = caller(vec![grant(Role::PlatformAdmin, None, None)]);
        assert_eq!(restrict(admin.clone(), in_here).grants, vec![grant(Role::TenantAdmin, Some(here), None)]);
        assert_eq!(restrict(admin, in_region).grants, vec![grant(Role::Supervisor, None, Some(region))]);
        let supervisor = caller(vec![grant(Role::Supervisor, None, Some(region))]);
        assert_eq!(restrict(supervisor.clone(), in_here).grants, vec![grant(Role::Viewer, Some(here), None)]);
        let elsewhere = TokenTarget { tenant_id: None, region_id: other_region };
        assert!(restrict(supervisor, elsewhere).grants.is_empty());
        let nobody = caller(Vec::new());
        assert!(restrict(nobody, in_here).grants.is_empty(), "no grant, no power");
    }

    #[test]
    fn secrets_are_recognisable_and_never_repeat() {
        let (a, b) = (new_secret().unwrap_or_default(), new_secret().unwrap_or_default());
        assert!(a.starts_with("pb_") && a.len() == 46, "{a}");
        assert_ne!(a, b);
    }
}
