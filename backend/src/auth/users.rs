//! Users and their role grants: creating them (command line, tenant admins), and loading who
//! a signed-in user is for each request.

use crate::audit::{self, Event};
use crate::auth::access;
use crate::auth::audited::audited;
use crate::auth::password;
use crate::infra::db;
use crate::tenancy::TenantRecord;
use serde_json::json;
use shared::api::{GrantView, MeView, PlatformUser, TenantGrant, TenantUser};
use shared::model::Role;
use shared::page_data::{Caller, Grant};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

pub const MAX_EMAIL_LENGTH: usize = 320;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("{0:?} is not an email address")]
    InvalidEmail(String),
    #[error("{0:?} is not a mobile number (11 digits, 1 then 3–9)")]
    InvalidMobile(String),
    #[error("name an e-mail address or a mobile number")]
    NoContact,
    #[error("the address and the number belong to two different accounts")]
    TwoAccounts,
    #[error("role {role} needs {needs}")]
    Scope { role: Role, needs: &'static str },
    #[error("no tenant {0:?}")]
    UnknownTenant(String),
    #[error("no region {0:?}")]
    UnknownRegion(String),
    #[error("tenant {tenant:?} has no organisation {name:?}")]
    UnknownOrganisation { tenant: String, name: String },
    #[error("display_name is longer than 200 characters")]
    DisplayNameTooLong,
    #[error("display_name {0}")]
    DisplayName(shared::text::NameProblem),
    #[error("an account has this address: sign in to accept")]
    AccountExists,
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<UserError> for crate::error::Error {
    fn from(e: UserError) -> Self {
        use crate::error::Error;
        let invalid = |field, e: UserError| Error::invalid(field, e.to_string());
        match e {
            UserError::Database(e) => Error::Database(e),
            UserError::Password(password::PasswordError::Hashing(detail)) => Error::Internal(anyhow::anyhow!(detail)),
            e @ (UserError::InvalidEmail(_)
            | UserError::AccountExists
            | UserError::NoContact
            | UserError::TwoAccounts) => invalid("email", e),
            e @ UserError::InvalidMobile(_) => invalid("mobile", e),
            e @ UserError::Scope { .. } => invalid("role", e),
            e @ UserError::UnknownTenant(_) => invalid("tenant", e),
            e @ UserError::UnknownRegion(_) => invalid("region", e),
            e @ UserError::UnknownOrganisation { .. } => invalid("organisations", e),
            e @ (UserError::DisplayNameTooLong | UserError::DisplayName(_)) => invalid("display_name", e),
            e @ UserError::Password(_) => invalid("password", e),
        }
    }
}

pub fn check_email(email: &str) -> Result<String, UserError> {
    let e = email.trim();
    let ok = e.len() <= MAX_EMAIL_LENGTH
        && e.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
        && !e.chars().any(char::is_whitespace)
        && shared::text::check_name(e).is_ok();
    if ok { Ok(e.to_owned()) } else { Err(UserError::InvalidEmail(email.to_owned())) }
}

/// How a person is reached and signs in: an e-mail address, a mobile number, or both
/// (docs/model.md); checked and normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub mobile: Option<String>,
}

impl Contact {
    /// A contact from what was written (empty texts are none); at least one is needed.
    pub fn checked(email: Option<&str>, mobile: Option<&str>) -> Result<Contact, UserError> {
        let email = email.map(str::trim).filter(|e| !e.is_empty()).map(check_email).transpose()?;
        let mobile = match mobile.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => Some(shared::contact::mobile(m).ok_or_else(|| UserError::InvalidMobile(m.to_owned()))?),
            None => None,
        };
        if email.is_none() && mobile.is_none() {
            return Err(UserError::NoContact);
        }
        Ok(Contact { email, mobile })
    }

    /// An e-mail address alone.
    pub fn email(email: &str) -> Result<Contact, UserError> {
        Contact::checked(Some(email), None)
    }

    /// How the person is shown: the address, else the number.
    pub fn label(&self) -> &str {
        self.email.as_deref().or(self.mobile.as_deref()).unwrap_or_default()
    }
}

/// The account with `contact`'s address or number (None when neither is known); an address
/// and a number of two different accounts are refused.
pub async fn account_of(conn: &mut PgConnection, contact: &Contact) -> Result<Option<Uuid>, UserError> {
    let found: Vec<Uuid> =
        sqlx::query_scalar("select user_id from app_user where lower(email) = lower($1) or mobile = $2")
            .bind(&contact.email)
            .bind(&contact.mobile)
            .fetch_all(&mut *conn)
            .await?;
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(UserError::TwoAccounts),
    }
}

/// A grant as requested: the role with the slugs and organisation names naming its scope.
#[derive(Debug, Clone)]
pub struct NewGrant {
    pub role: Role,
    pub tenant: Option<String>,
    pub region: Option<String>,
    pub organisations: Vec<String>,
}

struct Scope {
    tenant_id: Option<Uuid>,
    region_id: Option<Uuid>,
    organisation_ids: Vec<Uuid>,
}

/// Checks that the grant has exactly the scope its role takes and resolves the names.
async fn resolve_scope(conn: &mut PgConnection, grant: &NewGrant) -> Result<Scope, UserError> {
    let role = grant.role;
    let needs_tenant = matches!(role, Role::TenantAdmin | Role::Reporter | Role::Viewer);
    match (role, &grant.tenant, &grant.region) {
        (Role::PlatformAdmin, None, None) => {}
        (Role::PlatformAdmin, _, _) => return Err(UserError::Scope { role, needs: "no tenant and no region" }),
        (Role::Supervisor, None, Some(_)) => {}
        (Role::Supervisor, _, _) => return Err(UserError::Scope { role, needs: "a region and no tenant" }),
        (_, Some(_), None) if needs_tenant => {}
        _ => return Err(UserError::Scope { role, needs: "a tenant and no region" }),
    }
    if role == Role::Reporter && grant.organisations.is_empty() {
        return Err(UserError::Scope { role, needs: "at least one organisation" });
    }
    if role != Role::Reporter && !grant.organisations.is_empty() {
        return Err(UserError::Scope { role, needs: "no organisations (only reporters have them)" });
    }
    let region_id = match &grant.region {
        Some(slug) => Some(
            sqlx::query_scalar("select region_id from region where slug = $1")
                .bind(slug)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| UserError::UnknownRegion(slug.clone()))?,
        ),
        None => None,
    };
    let tenant_id: Option<Uuid> = match &grant.tenant {
        Some(slug) => Some(
            sqlx::query_scalar("select tenant_id from tenant where slug = $1")
                .bind(slug)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| UserError::UnknownTenant(slug.clone()))?,
        ),
        None => None,
    };
    let mut organisation_ids = Vec::new();
    if let (Some(tenant_id), Some(slug)) = (tenant_id, &grant.tenant) {
        crate::infra::db::set_tenant_context(conn, &[tenant_id]).await?;
        for name in &grant.organisations {
            let id: Uuid =
                sqlx::query_scalar("select organisation_id from organisation where tenant_id = $1 and name = $2")
                    .bind(tenant_id)
                    .bind(name)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| UserError::UnknownOrganisation { tenant: slug.clone(), name: name.clone() })?;
            organisation_ids.push(id);
        }
    }
    Ok(Scope { tenant_id, region_id, organisation_ids })
}

/// How an account's password is set when a grant is added.
#[derive(Debug, Clone, Copy)]
pub enum Password<'a> {
    /// The command line: this password, for a new account or an existing one.
    Set(&'a str),
    /// An accepted invitation: a new account with the password its holder chose; an
    /// existing account is refused (its holder accepts signed in instead).
    NewAccount(&'a str),
}

/// What `add_user` did.
#[derive(Debug, Clone, Copy)]
pub struct Added {
    pub user_id: Uuid,
    pub new_account: bool,
    /// False when the user already held the grant.
    pub grant_added: bool,
}

/// Creates the account if neither its address nor its number is known, sets its password as
/// `password` says, then adds the grant unless the user already holds it. Run inside a
/// transaction; audited.
pub async fn add_user(
    conn: &mut PgConnection,
    actor: Option<Uuid>,
    contact: &Contact,
    display_name: &str,
    password: Password<'_>,
    grant: &NewGrant,
) -> Result<Added, UserError> {
    if display_name.chars().count() > 200 {
        return Err(UserError::DisplayNameTooLong);
    }
    shared::text::check_name(display_name).map_err(UserError::DisplayName)?;
    resolve_scope(conn, grant).await?;
    let existing = account_of(conn, contact).await?;
    let label = contact.label();
    let (user_id, new_account) = match (existing, password) {
        (Some(_), Password::NewAccount(_)) => return Err(UserError::AccountExists),
        (Some(id), Password::Set(hash)) => {
            sqlx::query("update app_user set password_hash = $2, must_change_password = false where user_id = $1")
                .bind(id)
                .bind(hash)
                .execute(&mut *conn)
                .await?;
            audit::append(
                conn,
                Event {
                    tenant_id: None,
                    actor,
                    action: "user.password_set".into(),
                    entity: "user",
                    entity_id: id.to_string(),
                    before: None,
                    after: Some(json!({"login": label})),
                },
            )
            .await?;
            (id, false)
        }
        (None, Password::Set(hash) | Password::NewAccount(hash)) => {
            let id: Uuid = sqlx::query_scalar(
                "insert into app_user (email, mobile, display_name, password_hash) values ($1, $2, $3, $4) returning user_id",
            )
            .bind(&contact.email)
            .bind(&contact.mobile)
            .bind(display_name.trim())
            .bind(hash)
            .fetch_one(&mut *conn)
            .await?;
            let after = json!({"email": contact.email, "mobile": contact.mobile});
            audit::append(conn, Event::created(None, actor, "user", id, after)).await?;
            (id, true)
        }
    };
    let grant_added = add_grant(conn, actor, user_id, label, grant).await?;
    Ok(Added { user_id, new_account, grant_added })
}

/// Checks that `grant` names a scope its role takes, and that every name in it exists.
pub async fn check_grant(conn: &mut PgConnection, grant: &NewGrant) -> Result<(), UserError> {
    resolve_scope(conn, grant).await.map(|_| ())
}

/// Adds `grant` to the account `user_id` (whose address is `email`) unless it already holds
/// it; audited. False when it was already held.
pub async fn add_grant(
    conn: &mut PgConnection,
    actor: Option<Uuid>,
    user_id: Uuid,
    email: &str,
    grant: &NewGrant,
) -> Result<bool, UserError> {
    let scope = resolve_scope(conn, grant).await?;
    let grant_id: Option<Uuid> = sqlx::query_scalar(
        "insert into role_grant (user_id, role, tenant_id, region_id) values ($1, $2, $3, $4)
         on conflict do nothing returning grant_id",
    )
    .bind(user_id)
    .bind(grant.role.as_str())
    .bind(scope.tenant_id)
    .bind(scope.region_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(grant_id) = grant_id else { return Ok(false) };
    if let Some(tenant_id) = scope.tenant_id {
        sqlx::query(
            "insert into grant_organisation (grant_id, tenant_id, organisation_id) select $1, $2, unnest($3::uuid[])",
        )
        .bind(grant_id)
        .bind(tenant_id)
        .bind(&scope.organisation_ids)
        .execute(&mut *conn)
        .await?;
    }
    let after = json!({
        "user": user_id, "email": email, "role": grant.role, "tenant": grant.tenant,
        "region": grant.region, "organisations": grant.organisations,
    });
    audit::append(
        conn,
        Event {
            tenant_id: scope.tenant_id,
            actor,
            action: "grant.create".into(),
            entity: "grant",
            entity_id: grant_id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    grant_id: Uuid,
    role: String,
    tenant_id: Option<Uuid>,
    region_id: Option<Uuid>,
}

/// Who `user_id` is for the authorisation rules: the grants with their scopes.
#[tracing::instrument(name = "db.caller", skip(pool))]
pub async fn load_caller(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Caller> {
    let rows: Vec<GrantRow> = sqlx::query_as(
        // A temporary password grants nothing: such a user may only change it.
        "select g.grant_id, g.role, g.tenant_id, g.region_id from role_grant g join app_user u using (user_id)
         where g.user_id = $1 and not u.must_change_password order by g.created_at",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let tenants: Vec<Uuid> = rows.iter().filter_map(|g| g.tenant_id).collect();
    let mut organisations: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if !tenants.is_empty() {
        let mut tx = pool.begin().await?;
        crate::infra::db::set_tenant_context(&mut tx, &tenants).await?;
        let pairs: Vec<(Uuid, Uuid)> =
            sqlx::query_as("select grant_id, organisation_id from grant_organisation where grant_id = any($1)")
                .bind(rows.iter().map(|g| g.grant_id).collect::<Vec<_>>())
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        for (grant, org) in pairs {
            organisations.entry(grant).or_default().push(org);
        }
    }
    let grants = rows
        .into_iter()
        // A role word the schema allows is always known; skip rather than fail a request.
        .filter_map(|g| {
            Some(Grant {
                role: g.role.parse().ok()?,
                tenant_id: g.tenant_id,
                region_id: g.region_id,
                organisation_ids: organisations.remove(&g.grant_id).unwrap_or_default(),
            })
        })
        .collect();
    Ok(Caller { user_id: Some(user_id), grants })
}

#[derive(sqlx::FromRow)]
struct GrantNames {
    grant_id: Uuid,
    role: String,
    tenant_id: Option<Uuid>,
    tenant: Option<String>,
    region: Option<String>,
    /// The district's or region's name, as people read it.
    scope_name: Option<String>,
    scope_name_en: Option<String>,
}

/// `GET /api/v1/me`: the user and its grants, with names rather than ids.
pub async fn me(pool: &PgPool, user_id: Uuid) -> sqlx::Result<MeView> {
    let (email, mobile, display_name, must_change_password): (Option<String>, Option<String>, String, bool) =
        sqlx::query_as("select email, mobile, display_name, must_change_password from app_user where user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
    let rows: Vec<GrantNames> = sqlx::query_as(
        "select g.grant_id, g.role, g.tenant_id, t.slug as tenant, r.slug as region,
                coalesce(t.name, r.name) as scope_name, coalesce(t.name_en, r.name_en) as scope_name_en
         from role_grant g left join tenant t using (tenant_id) left join region r on r.region_id = g.region_id
         where g.user_id = $1 order by g.created_at",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let tenants: Vec<Uuid> = rows.iter().filter_map(|g| g.tenant_id).collect();
    let mut tx = pool.begin().await?;
    crate::infra::db::set_tenant_context(&mut tx, &tenants).await?;
    let mut grants = Vec::new();
    for g in rows {
        let organisations = sqlx::query_scalar(
            "select o.name from grant_organisation go join organisation o using (organisation_id)
             where go.grant_id = $1 order by o.name",
        )
        .bind(g.grant_id)
        .fetch_all(&mut *tx)
        .await?;
        if let Ok(role) = g.role.parse() {
            grants.push(GrantView {
                role,
                tenant: g.tenant,
                region: g.region,
                scope_name: g.scope_name,
                scope_name_en: g.scope_name_en,
                organisations,
            });
        }
    }
    tx.commit().await?;
    let login = email.clone().or(mobile.clone()).unwrap_or_default();
    Ok(MeView {
        id: user_id,
        email: email.unwrap_or_default(),
        mobile,
        login,
        display_name,
        must_change_password,
        grants,
    })
}

#[derive(sqlx::FromRow)]
struct TenantGrantRow {
    user_id: Uuid,
    email: String,
    mobile: Option<String>,
    display_name: String,
    must_change_password: bool,
    grant_id: Uuid,
    role: String,
    organisations: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct PlatformUserRow {
    email: String,
    mobile: Option<String>,
    display_name: String,
    must_change_password: bool,
    grants: Vec<String>,
}

/// Every person's account with its grants (`role@tenant` or `role@region`), by email;
/// service accounts are listed as such (`service_accounts`).
pub async fn platform_users(pool: &PgPool) -> sqlx::Result<Vec<PlatformUser>> {
    let rows: Vec<PlatformUserRow> = sqlx::query_as(
        "select coalesce(u.email, '') as email, u.mobile, u.display_name, u.must_change_password,
                coalesce(array_agg(g.role || coalesce('@' || coalesce(t.slug, r.slug), '') order by g.created_at)
                         filter (where g.grant_id is not null), '{}') as grants
         from app_user u left join role_grant g using (user_id)
         left join tenant t on t.tenant_id = g.tenant_id left join region r on r.region_id = g.region_id
         where not u.is_service
         group by u.user_id order by lower(coalesce(u.email, u.mobile))",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| PlatformUser {
            email: row.email,
            mobile: row.mobile,
            display_name: row.display_name,
            must_change_password: row.must_change_password,
            grants: row.grants,
        })
        .collect())
}

/// The tenant's users with their grants in it, for those who manage them.
pub async fn tenant_users_for(
    pool: &PgPool,
    caller: &Caller,
    tenant: &TenantRecord,
) -> crate::error::Result<Vec<TenantUser>> {
    access::manage_users(caller, tenant.reference())?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let list = tenant_users(&mut tx, tenant.tenant_id).await?;
    tx.commit().await?;
    Ok(list)
}

/// The tenant's people with their grants in it, by email (its service accounts are listed
/// as such). Run in the tenant's context.
pub async fn tenant_users(conn: &mut PgConnection, tenant_id: Uuid) -> sqlx::Result<Vec<TenantUser>> {
    let rows: Vec<TenantGrantRow> = sqlx::query_as(
        "select u.user_id, coalesce(u.email, '') as email, u.mobile, u.display_name, u.must_change_password, g.grant_id, g.role,
                coalesce(array_agg(o.name order by o.name) filter (where o.name is not null), '{}') as organisations
         from role_grant g join app_user u using (user_id)
         left join grant_organisation go on go.grant_id = g.grant_id
         left join organisation o on o.organisation_id = go.organisation_id
         where g.tenant_id = $1 and not u.is_service
         group by u.user_id, g.grant_id
         order by lower(coalesce(u.email, u.mobile)), g.created_at",
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<TenantUser> = Vec::new();
    for row in rows {
        let Ok(role) = row.role.parse() else { continue };
        let grant = TenantGrant { id: row.grant_id, role, organisations: row.organisations };
        match out.last_mut() {
            Some(user) if user.id == row.user_id => user.grants.push(grant),
            _ => out.push(TenantUser {
                id: row.user_id,
                email: row.email,
                mobile: row.mobile,
                display_name: row.display_name,
                must_change_password: row.must_change_password,
                grants: vec![grant],
            }),
        }
    }
    Ok(out)
}

/// Withdraws a grant of the tenant. False when there is no such grant in it. Audited.
pub async fn revoke_grant(
    conn: &mut PgConnection,
    actor: Option<Uuid>,
    tenant_id: Uuid,
    grant_id: Uuid,
) -> sqlx::Result<bool> {
    let removed: Option<(Uuid, String)> =
        sqlx::query_as("delete from role_grant where grant_id = $1 and tenant_id = $2 returning user_id, role")
            .bind(grant_id)
            .bind(tenant_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((user_id, role)) = removed else { return Ok(false) };
    audit::append(
        conn,
        Event {
            tenant_id: Some(tenant_id),
            actor,
            action: "grant.revoke".into(),
            entity: "grant",
            entity_id: grant_id.to_string(),
            before: Some(json!({"user": user_id, "role": role})),
            after: None,
        },
    )
    .await?;
    Ok(true)
}

/// Withdraws one of the tenant's grants (audited, refusals too).
pub async fn withdraw(
    pool: &PgPool,
    caller: &Caller,
    tenant: &TenantRecord,
    grant_id: Uuid,
) -> crate::error::Result<()> {
    let decision = access::manage_users(caller, tenant.reference());
    audited(pool, tenant, caller, "grant.revoke", "grant", grant_id, decision).await?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    if !revoke_grant(&mut tx, caller.user_id, tenant.tenant_id, grant_id).await? {
        return Err(crate::error::Error::NotFound("grant"));
    }
    tx.commit().await?;
    Ok(())
}
