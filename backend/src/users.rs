//! Users and their role grants: creating them (command line, tenant admins), and loading who
//! a signed-in user is for each request.

use crate::audit::{self, Event};
use crate::password;
use serde_json::json;
use shared::api::{GrantView, MeView};
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
    #[error("role {role} needs {needs}")]
    Scope { role: Role, needs: &'static str },
    #[error("no tenant {0:?}")]
    UnknownTenant(String),
    #[error("no region {0:?}")]
    UnknownRegion(String),
    #[error("tenant {tenant:?} has no organisation {name:?}")]
    UnknownOrganisation { tenant: String, name: String },
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub fn check_email(email: &str) -> Result<String, UserError> {
    let e = email.trim();
    let ok = e.len() <= MAX_EMAIL_LENGTH
        && e.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
        && !e.chars().any(char::is_whitespace);
    if ok { Ok(e.to_owned()) } else { Err(UserError::InvalidEmail(email.to_owned())) }
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
        set_tenant_context(conn, &[tenant_id]).await?;
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

async fn set_tenant_context(conn: &mut PgConnection, tenants: &[Uuid]) -> sqlx::Result<()> {
    let ids = tenants.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",");
    sqlx::query("select set_config('app.tenant_ids', $1, true)").bind(ids).execute(conn).await?;
    Ok(())
}

/// Creates the user if the email is new (else sets the given password), then adds the grant
/// unless the user already holds it. Run inside a transaction; audited.
pub async fn add_user(
    conn: &mut PgConnection,
    actor: Option<Uuid>,
    email: &str,
    password_hash: &str,
    grant: &NewGrant,
) -> Result<Uuid, UserError> {
    let email = check_email(email)?;
    let scope = resolve_scope(conn, grant).await?;
    let existing: Option<Uuid> = sqlx::query_scalar("select user_id from app_user where lower(email) = lower($1)")
        .bind(&email)
        .fetch_optional(&mut *conn)
        .await?;
    let user_id = match existing {
        Some(id) => {
            sqlx::query("update app_user set password_hash = $2 where user_id = $1")
                .bind(id)
                .bind(password_hash)
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
                    after: Some(json!({"email": email})),
                },
            )
            .await?;
            id
        }
        None => {
            let id: Uuid =
                sqlx::query_scalar("insert into app_user (email, password_hash) values ($1, $2) returning user_id")
                    .bind(&email)
                    .bind(password_hash)
                    .fetch_one(&mut *conn)
                    .await?;
            audit::append(conn, Event::created(None, actor, "user", id, json!({"email": email}))).await?;
            id
        }
    };
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
    if let (Some(grant_id), Some(tenant_id)) = (grant_id, scope.tenant_id) {
        sqlx::query(
            "insert into grant_organisation (grant_id, tenant_id, organisation_id) select $1, $2, unnest($3::uuid[])",
        )
        .bind(grant_id)
        .bind(tenant_id)
        .bind(&scope.organisation_ids)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(grant_id) = grant_id {
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
    }
    Ok(user_id)
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
        "select grant_id, role, tenant_id, region_id from role_grant where user_id = $1 order by created_at",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let tenants: Vec<Uuid> = rows.iter().filter_map(|g| g.tenant_id).collect();
    let mut organisations: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if !tenants.is_empty() {
        let mut tx = pool.begin().await?;
        set_tenant_context(&mut tx, &tenants).await?;
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
}

/// `GET /api/v1/me`: the user and its grants, with names rather than ids.
pub async fn me(pool: &PgPool, user_id: Uuid) -> sqlx::Result<MeView> {
    let (email, display_name): (String, String) =
        sqlx::query_as("select email, display_name from app_user where user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
    let rows: Vec<GrantNames> = sqlx::query_as(
        "select g.grant_id, g.role, g.tenant_id, t.slug as tenant, r.slug as region
         from role_grant g left join tenant t using (tenant_id) left join region r on r.region_id = g.region_id
         where g.user_id = $1 order by g.created_at",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let tenants: Vec<Uuid> = rows.iter().filter_map(|g| g.tenant_id).collect();
    let mut tx = pool.begin().await?;
    set_tenant_context(&mut tx, &tenants).await?;
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
            grants.push(GrantView { role, tenant: g.tenant, region: g.region, organisations });
        }
    }
    tx.commit().await?;
    Ok(MeView { id: user_id, email, display_name, grants })
}
