//! Signing in and out and changing one's password: the credential checks (throttled per
//! account and address, `throttle`), the sessions they start or end, and their audit events.
//! The API and the pages' forms both call these.

use crate::audit::{self, Event};
use crate::auth::access;
use crate::auth::password;
use crate::auth::session::{self, SessionPolicy};
use crate::auth::throttle;
use crate::auth::users;
use crate::error::{Error, Result};
use crate::infra::clock::Clock;
use crate::infra::metrics::Metrics;
use serde_json::json;
use shared::contact::Login;
use shared::page_data::Caller;
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// The handles signing in needs.
pub struct Accounts<'a> {
    pub pool: &'a PgPool,
    pub clock: &'a dyn Clock,
    pub metrics: &'a Metrics,
    pub session_policy: &'a SessionPolicy,
}

/// An event of a user on their own account (signing in or out, a password change).
fn own_event(user_id: Uuid, action: &str, after: Option<serde_json::Value>) -> Event<'static> {
    Event {
        tenant_id: None,
        actor: Some(user_id),
        action: action.into(),
        entity: "user",
        entity_id: user_id.to_string(),
        before: None,
        after,
    }
}

impl Accounts<'_> {
    /// Checks the credentials (throttled, audited) and starts a new session, ending `old`.
    /// Returns the user and the new session's token.
    pub async fn sign_in(
        &self,
        login: &str,
        password: String,
        client: IpAddr,
        old: Option<String>,
    ) -> Result<(Uuid, String)> {
        if login.len() > users::MAX_EMAIL_LENGTH || password.chars().count() > password::MAX_LENGTH {
            return Err(Error::Unprocessable("login or password too long".into()));
        }
        let now = self.clock.now();
        // An e-mail address or a mobile number, however it is written.
        // Addresses compare as PostgreSQL lowers them, which is what the unique index holds.
        let (column, normalised) = match Login::parse(login) {
            Login::Mobile(number) => ("mobile = $1", number),
            Login::Email(address) => ("lower(email) = lower($1)", address),
        };
        let account: Option<(Uuid, Option<String>, bool)> =
            sqlx::query_as(&format!("select user_id, password_hash, is_active from app_user where {column}"))
                .bind(&normalised)
                .fetch_optional(self.pool)
                .await?;
        let who = match &account {
            Some((id, _, _)) => throttle::Account::Known(*id),
            // One unknown number is one account however it is written.
            None => throttle::Account::Unknown(normalised.clone()),
        };
        let attempt = throttle::Attempt::new(&who, client);
        if let Err(wait) = attempt.begin(self.pool, now).await? {
            let seconds = wait.num_seconds().max(1) as u64;
            self.append_platform_event(None, "auth.login_throttled", json!({"login": login})).await?;
            return Err(Error::TooManyRequests(seconds));
        }
        let hash = account.as_ref().filter(|(_, _, active)| *active).and_then(|(_, h, _)| h.clone());
        let verified = password::verify(password, hash).await.map_err(|e| Error::Internal(e.into()))?;
        let user_id = match (verified, account) {
            (true, Some((id, _, _))) => id,
            _ => {
                attempt.failed(self.pool, now).await?;
                self.metrics.login(false);
                self.append_platform_event(None, "auth.login_failed", json!({"login": login, "address": client}))
                    .await?;
                return Err(Error::BadCredentials);
            }
        };
        attempt.succeeded(self.pool).await?;
        self.metrics.login(true);

        let mut tx = self.pool.begin().await?;
        // A new session every time: the old one, if the browser still had one, ends here.
        if let Some(old) = old {
            session::delete(&mut tx, &old).await?;
        }
        let token = session::create(&mut tx, user_id, now, self.session_policy).await?;
        audit::append(&mut tx, own_event(user_id, "auth.login", Some(json!({"address": client})))).await?;
        tx.commit().await?;
        Ok((user_id, token))
    }

    async fn append_platform_event(&self, actor: Option<Uuid>, action: &str, after: serde_json::Value) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        audit::append(
            &mut conn,
            Event {
                tenant_id: None,
                actor,
                action: action.into(),
                entity: "user",
                entity_id: String::new(),
                before: None,
                after: Some(after),
            },
        )
        .await?;
        Ok(())
    }

    /// Ends the request's session, if any (audited).
    pub async fn sign_out(&self, caller: &Caller, token: Option<String>) -> Result<()> {
        if let Some(token) = token {
            let mut tx = self.pool.begin().await?;
            session::delete(&mut tx, &token).await?;
            if let Some(user_id) = caller.user_id {
                audit::append(&mut tx, own_event(user_id, "auth.logout", None)).await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// Changes the caller's password (checking the current one, throttled like a sign-in from
    /// `client`) and ends its other sessions; a temporary password's restriction ends with it.
    pub async fn set_new_password(
        &self,
        caller: &Caller,
        token: Option<String>,
        client: IpAddr,
        current_password: String,
        new_password: String,
    ) -> Result<()> {
        let user_id = access::signed_in(caller)?;
        if current_password.chars().count() > password::MAX_LENGTH {
            return Err(Error::invalid("current_password", "current_password is too long"));
        }
        password::check_strength(&new_password)
            .map_err(|e| Error::invalid("new_password", format!("new_password: {e}")))?;
        let hash: Option<String> = sqlx::query_scalar("select password_hash from app_user where user_id = $1")
            .bind(user_id)
            .fetch_one(self.pool)
            .await?;
        let attempt = throttle::Attempt::new(&throttle::Account::Known(user_id), client);
        if let Err(wait) = attempt.begin(self.pool, self.clock.now()).await? {
            return Err(Error::TooManyRequests(wait.num_seconds().max(1) as u64));
        }
        if !password::verify(current_password, hash).await.map_err(|e| Error::Internal(e.into()))? {
            attempt.failed(self.pool, self.clock.now()).await?;
            return Err(Error::invalid("current_password", "current_password is wrong"));
        }
        attempt.succeeded(self.pool).await?;
        let new_hash = password::hash(new_password).await.map_err(|e| Error::Internal(e.into()))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("update app_user set password_hash = $2, must_change_password = false where user_id = $1")
            .bind(user_id)
            .bind(&new_hash)
            .execute(&mut *tx)
            .await?;
        session::delete_others(&mut tx, user_id, token.as_deref()).await?;
        audit::append(&mut tx, own_event(user_id, "user.password_change", None)).await?;
        tx.commit().await?;
        Ok(())
    }
}
