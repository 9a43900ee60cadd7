//! `backend admin`: the first platform admin and lost passwords, from the command line only,
//! so that a password never passes through the server or its logs. A password made here is
//! temporary: it is printed once, only its argon2id hash is kept, and its holder can do
//! nothing but choose their own at the first sign-in (`must_change_password`).

use crate::audit::{self, Event};
use crate::auth::password;
use crate::auth::session;
use crate::auth::users::{self, Contact, NewGrant, Password};
use anyhow::Context;
use serde_json::json;
use shared::model::Role;
use sqlx::PgPool;

/// The address of the first platform admin when `PLANBOARD_ADMIN_EMAIL` names none.
pub const DEFAULT_EMAIL: &str = "admin@planboard.local";

/// Characters a person reads off a terminal without mistaking one for another (no 0/O, 1/l/I).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A temporary password: 16 characters from `ALPHABET` in groups of four (about 92 bits).
pub fn temporary_password() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a password: {e}"))?;
    // 256 is not a multiple of the alphabet's 54 letters: redrawing the few bytes above the
    // last whole multiple keeps every letter equally likely.
    let limit = 256 - 256 % ALPHABET.len();
    let mut letters = Vec::with_capacity(16);
    let mut pool = bytes.to_vec();
    while letters.len() < 16 {
        if pool.is_empty() {
            let mut more = [0u8; 16];
            getrandom::fill(&mut more).map_err(|e| anyhow::anyhow!("no randomness for a password: {e}"))?;
            pool.extend_from_slice(&more);
        }
        let b = usize::from(pool.remove(0));
        if b < limit {
            letters.push(char::from(ALPHABET[b % ALPHABET.len()]));
        }
    }
    Ok(letters.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// What `ensure_platform_admin` found or did.
pub enum FirstAdmin {
    /// A platform admin was made: this address, with this temporary password.
    Made { email: String, password: String },
    /// There is one already; nothing was changed.
    Exists { emails: Vec<String> },
}

/// Makes `email` a platform admin with a temporary password, unless the platform has one.
pub async fn ensure_platform_admin(pool: &PgPool, email: &str) -> anyhow::Result<FirstAdmin> {
    let emails: Vec<String> = sqlx::query_scalar(
        "select coalesce(u.email, u.mobile) from role_grant g join app_user u using (user_id)
         where g.role = 'platform_admin' and u.is_active order by g.created_at",
    )
    .fetch_all(pool)
    .await?;
    if !emails.is_empty() {
        return Ok(FirstAdmin::Exists { emails });
    }
    let password = temporary_password()?;
    let hash = password::hash(password.clone()).await?;
    let grant = NewGrant { role: Role::PlatformAdmin, tenant: None, region: None, organisations: Vec::new() };
    let mut tx = pool.begin().await?;
    let contact = Contact::email(email).context(email.to_owned())?;
    let added =
        users::add_user(&mut tx, None, &contact, "", Password::Set(&hash), &grant).await.context(email.to_owned())?;
    temporary(&mut tx, added.user_id).await?;
    tx.commit().await?;
    Ok(FirstAdmin::Made { email: users::check_email(email)?, password })
}

/// Gives the account `email` a new temporary password and ends its sessions (audited).
pub async fn reset_password(pool: &PgPool, email: &str) -> anyhow::Result<String> {
    let user_id: uuid::Uuid = sqlx::query_scalar("select user_id from app_user where lower(email) = lower($1)")
        .bind(email.trim())
        .fetch_optional(pool)
        .await?
        .with_context(|| format!("no account has the address {email}"))?;
    let password = temporary_password()?;
    let hash = password::hash(password.clone()).await?;
    let mut tx = pool.begin().await?;
    sqlx::query("update app_user set password_hash = $2 where user_id = $1")
        .bind(user_id)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    temporary(&mut tx, user_id).await?;
    session::delete_others(&mut tx, user_id, None).await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id: None,
            actor: None,
            action: "user.password_reset".into(),
            entity: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(json!({"email": email, "temporary": true})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(password)
}

/// Marks the account's password as one to change at the first sign-in.
async fn temporary(conn: &mut sqlx::PgConnection, user_id: uuid::Uuid) -> sqlx::Result<()> {
    sqlx::query("update app_user set must_change_password = true where user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_password_is_long_readable_and_new_each_time() {
        let (a, b) = (temporary_password().unwrap_or_default(), temporary_password().unwrap_or_default());
        assert_eq!(a.len(), 19, "{a}");
        assert!(a.split('-').all(|group| group.len() == 4 && group.bytes().all(|c| ALPHABET.contains(&c))), "{a}");
        assert_ne!(a, b);
        assert!(password::check_strength(&a).is_ok());
    }
}
