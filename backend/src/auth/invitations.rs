//! Inviting people into a district by a one-time link (`/t/{slug}/invitations/{token}`),
//! valid seven days. The inviter is shown the link once and gets the same answer whether or
//! not the address has an account; no account and no grant exist before the link is
//! accepted. A new person sets their own password there; an account holder accepts signed in
//! as that account, seeing who invited them and to what. Only the token's SHA-256 is kept.

use crate::audit::{self, Event};
use crate::auth::access;
use crate::auth::password;
use crate::auth::session::{self, SessionPolicy};
use crate::auth::users::{self, Contact, NewGrant, Password};
use crate::error::{Error, Result};
use crate::infra::db;
use crate::tenancy::TenantRecord;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shared::api::{InvitationPreview, InvitationState, InvitationSummary, InvitationView, NewInvitation};
use shared::model::Role;
use shared::page_data::Caller;
use sqlx::PgPool;
use uuid::Uuid;

/// How long a link stays valid.
pub const VALID_FOR: Duration = Duration::days(7);

/// The link to an invitation, as pages and answers give it.
fn link(tenant: &str, token: &str) -> String {
    format!("/t/{tenant}/invitations/{token}")
}

/// Platform admins and the tenant's admins invite into the tenant (a refusal audited).
pub async fn create(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    invitation: NewInvitation,
) -> Result<InvitationView> {
    admit(pool, caller, tenant).await?;
    let checked = check(invitation)?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let view = insert(&mut tx, now, caller, tenant, checked).await?;
    tx.commit().await?;
    Ok(view)
}

/// Whether `caller` may invite into the tenant (platform admins and its admins; a refusal
/// audited).
pub async fn admit(pool: &PgPool, caller: &Caller, tenant: &TenantRecord) -> Result<()> {
    let decision = access::manage_users(caller, tenant.reference());
    crate::auth::audited::audited(pool, tenant, caller, "invitation.create", "tenant", tenant.tenant_id, decision).await
}

/// An invitation whose fields have been checked (its organisations are checked on insert).
pub struct Checked {
    contact: Contact,
    display_name: String,
    role: Role,
    organisations: Vec<String>,
}

/// Checks an invitation's fields: a role a district gives, an address or a number (or both),
/// a name without hidden characters.
pub fn check(invitation: NewInvitation) -> Result<Checked> {
    if !matches!(invitation.role, Role::TenantAdmin | Role::Reporter | Role::Viewer) {
        return Err(Error::invalid(
            "role",
            format!("role: a tenant invites tenant_admin, reporter or viewer, not {}", invitation.role.as_str()),
        ));
    }
    let contact = Contact::checked(Some(&invitation.email), invitation.mobile.as_deref())?;
    let display_name = invitation.display_name.trim().to_owned();
    if display_name.chars().count() > 200 {
        return Err(users::UserError::DisplayNameTooLong.into());
    }
    shared::text::check_name(&display_name).map_err(users::UserError::DisplayName)?;
    Ok(Checked { contact, display_name, role: invitation.role, organisations: invitation.organisations })
}

/// Stores a checked invitation (audited) in the tenant's transaction; the answer holds its
/// one-time link, which is kept nowhere else.
pub async fn insert(
    tx: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    checked: Checked,
) -> Result<InvitationView> {
    let Checked { contact, display_name, role, organisations } = checked;
    users::check_grant(&mut *tx, &grant_of(tenant, role, &organisations)).await?;
    let token = session::random_hex::<32>().map_err(|e| Error::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let expires_at = now + VALID_FOR;
    let id: Uuid = sqlx::query_scalar(
        "insert into invitation (tenant_id, token_hash, email, mobile, display_name, role, organisations, invited_by,
                                 created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning invitation_id",
    )
    .bind(tenant.tenant_id)
    .bind(session::hash_token(&token).as_slice())
    .bind(&contact.email)
    .bind(&contact.mobile)
    .bind(&display_name)
    .bind(role.as_str())
    .bind(&organisations)
    .bind(caller.user_id)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({"email": contact.email, "mobile": contact.mobile, "role": role, "organisations": organisations});
    audit::append(tx, Event::created(Some(tenant.tenant_id), caller.user_id, "invitation", id, after)).await?;
    Ok(InvitationView {
        id,
        email: contact.email.unwrap_or_default(),
        mobile: contact.mobile,
        display_name,
        role,
        organisations,
        link: link(&tenant.slug, &token),
        expires_at,
    })
}

/// Accepted, expired (at `expires_at`) or open.
fn state(accepted_at: Option<DateTime<Utc>>, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> InvitationState {
    match accepted_at {
        Some(_) => InvitationState::Accepted,
        None if expires_at <= now => InvitationState::Expired,
        None => InvitationState::Open,
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    invitation_id: Uuid,
    email: Option<String>,
    mobile: Option<String>,
    display_name: String,
    role: String,
    organisations: Vec<String>,
    invited_by: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
}

impl SummaryRow {
    fn summary(self, now: DateTime<Utc>) -> Result<InvitationSummary> {
        let state = state(self.accepted_at, self.expires_at, now);
        Ok(InvitationSummary {
            id: self.invitation_id,
            email: self.email.unwrap_or_default(),
            mobile: self.mobile,
            display_name: self.display_name,
            role: self.role.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))?,
            organisations: self.organisations,
            invited_by: self.invited_by,
            created_at: self.created_at,
            expires_at: self.expires_at,
            state,
        })
    }
}

const SUMMARY_SELECT: &str = "select i.invitation_id, i.email, i.mobile, i.display_name, i.role, i.organisations,
        coalesce(u.email, u.mobile) as invited_by, i.created_at, i.expires_at, i.accepted_at
     from invitation i left join app_user u on u.user_id = i.invited_by";

/// The tenant's invitations (`only` the one, when given), newest first, for platform admins
/// and the tenant's admins, without their links.
async fn summaries(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    only: Option<Uuid>,
) -> Result<Vec<InvitationSummary>> {
    access::manage_users(caller, tenant.reference())?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} where i.tenant_id = $1 and ($2::uuid is null or i.invitation_id = $2)
         order by i.created_at desc, i.invitation_id"
    ))
    .bind(tenant.tenant_id)
    .bind(only)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    rows.into_iter().map(|r| r.summary(now)).collect()
}

/// The tenant's invitations, newest first, without their links.
pub async fn list(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
) -> Result<Vec<InvitationSummary>> {
    summaries(pool, now, caller, tenant, None).await
}

/// One invitation of the tenant, as `list` gives it.
pub async fn get(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    invitation_id: Uuid,
) -> Result<InvitationSummary> {
    summaries(pool, now, caller, tenant, Some(invitation_id))
        .await?
        .into_iter()
        .next()
        .ok_or(Error::NotFound("invitation"))
}

fn grant_of(tenant: &TenantRecord, role: Role, organisations: &[String]) -> NewGrant {
    NewGrant { role, tenant: Some(tenant.slug.clone()), region: None, organisations: organisations.to_vec() }
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    invitation_id: Uuid,
    email: Option<String>,
    mobile: Option<String>,
    display_name: String,
    role: String,
    organisations: Vec<String>,
    invited_by: Option<String>,
    invited_by_id: Option<Uuid>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    account_exists: bool,
}

impl InvitationRow {
    fn state(&self, now: DateTime<Utc>) -> InvitationState {
        state(self.accepted_at, self.expires_at, now)
    }

    fn role(&self) -> Result<Role> {
        self.role.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))
    }
}

/// The invitation with `token` in the tenant (404 when there is none), locked when `lock`.
async fn find(conn: &mut sqlx::PgConnection, tenant: &TenantRecord, token: &str, lock: bool) -> Result<InvitationRow> {
    let sql = format!(
        "select i.invitation_id, i.email, i.mobile, i.display_name, i.role, i.organisations,
                case when u.user_id is null then null
                     when u.display_name = '' then coalesce(u.email, u.mobile)
                     else u.display_name || '（' || coalesce(u.email, u.mobile) || '）' end as invited_by,
                i.invited_by as invited_by_id, i.expires_at, i.accepted_at,
                exists (select 1 from app_user a where lower(a.email) = lower(i.email) or a.mobile = i.mobile)
                  as account_exists
         from invitation i left join app_user u on u.user_id = i.invited_by
         where i.tenant_id = $1 and i.token_hash = $2 {}",
        if lock { "for update of i" } else { "" }
    );
    sqlx::query_as(&sql)
        .bind(tenant.tenant_id)
        .bind(session::hash_token(token).as_slice())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("invitation"))
}

/// What the link shows whoever holds it.
pub async fn preview(
    pool: &PgPool,
    now: DateTime<Utc>,
    caller: &Caller,
    tenant: &TenantRecord,
    token: &str,
) -> Result<InvitationPreview> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let found = find(&mut tx, tenant, token, false).await?;
    let signed_in_as = match caller.user_id {
        Some(id) => {
            sqlx::query_scalar("select coalesce(email, mobile) from app_user where user_id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    tx.commit().await?;
    Ok(InvitationPreview {
        tenant: tenant.summary(),
        token: token.to_owned(),
        state: found.state(now),
        role: found.role()?,
        email: found.email.clone().unwrap_or_default(),
        mobile: found.mobile.clone(),
        display_name: found.display_name,
        organisations: found.organisations,
        invited_by: found.invited_by,
        expires_at: found.expires_at,
        account_exists: found.account_exists,
        signed_in_as,
    })
}

fn refuse_unless_open(state: InvitationState) -> Result<()> {
    match state {
        InvitationState::Open => Ok(()),
        InvitationState::Accepted => Err(Error::Conflict("this invitation has been used".into())),
        InvitationState::Expired => Err(Error::Conflict("this invitation has expired".into())),
    }
}

/// A new person's answer to the link: the name and password of their account.
pub struct Newcomer {
    pub display_name: String,
    pub password: String,
}

/// What accepting did.
pub struct Accepted {
    pub user_id: Uuid,
    /// A new account is signed in at once: its session's token.
    pub session: Option<String>,
}

/// Accepts the invitation `token`: signed in as the invited address, or as `newcomer` when no
/// account has it. An invitation is accepted once, before it expires.
pub async fn accept(
    pool: &PgPool,
    now: DateTime<Utc>,
    policy: &SessionPolicy,
    caller: &Caller,
    tenant: &TenantRecord,
    token: &str,
    newcomer: Option<Newcomer>,
) -> Result<Accepted> {
    // An unknown, used or expired link costs no password hash (argon2 is the expensive part).
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let state = find(&mut tx, tenant, token, false).await?.state(now);
    tx.commit().await?;
    refuse_unless_open(state)?;
    let hash = match (&caller.user_id, &newcomer) {
        (None, Some(n)) => {
            password::check_strength(&n.password).map_err(|e| Error::invalid("password", format!("password: {e}")))?;
            Some(password::hash(n.password.clone()).await.map_err(|e| Error::Internal(e.into()))?)
        }
        _ => None,
    };
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    // Locked and looked at again: a concurrent acceptance of the same link waits here.
    let found = find(&mut tx, tenant, token, true).await?;
    refuse_unless_open(found.state(now))?;
    let grant = grant_of(tenant, found.role()?, &found.organisations);
    let (user_id, session) = match (caller.user_id, hash) {
        (Some(user_id), _) => {
            // The signed-in account must be the one invited: its address or its number.
            let (email, mobile): (Option<String>, Option<String>) =
                sqlx::query_as("select email, mobile from app_user where user_id = $1")
                    .bind(user_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let same_email = matches!((&email, &found.email), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
            let same_mobile = mobile.is_some() && mobile == found.mobile;
            if !(same_email || same_mobile) {
                return Err(Error::Forbidden);
            }
            let label = email.or(mobile).unwrap_or_default();
            users::add_grant(&mut tx, found.invited_by_id, user_id, &label, &grant).await?;
            (user_id, None)
        }
        (None, Some(hash)) => {
            let name = newcomer.map(|n| n.display_name).filter(|n| !n.trim().is_empty()).unwrap_or(found.display_name);
            let contact = Contact { email: found.email.clone(), mobile: found.mobile.clone() };
            let added =
                users::add_user(&mut tx, found.invited_by_id, &contact, &name, Password::NewAccount(&hash), &grant)
                    .await?;
            let token = session::create(&mut tx, added.user_id, now, policy).await.map_err(Error::Internal)?;
            (added.user_id, Some(token))
        }
        (None, None) => return Err(Error::Unauthorized),
    };
    sqlx::query("update invitation set accepted_at = $3, accepted_by = $4 where tenant_id = $1 and invitation_id = $2")
        .bind(tenant.tenant_id)
        .bind(found.invitation_id)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id: Some(tenant.tenant_id),
            actor: Some(user_id),
            action: "invitation.accept".into(),
            entity: "invitation",
            entity_id: found.invitation_id.to_string(),
            before: None,
            after: Some(json!({"email": found.email, "mobile": found.mobile, "role": found.role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Accepted { user_id, session })
}
