//! Password-guess throttling, for sign-in and for the current password of a password change.
//!
//! Every password check is counted *before* it runs, atomically, on three keys:
//! - the account on this client address: 5 free, so a guesser is slowed down at once while
//!   the owner on another address is not;
//! - the account everywhere: 50 free, a slow-down far above, for guessing from many addresses;
//! - the client address: 20 free (an office behind one address has many users).
//!
//! A key past its free attempts is locked for a delay that doubles with each further attempt
//! (capped), and an attempt on a locked key is refused without a check. Because the count is
//! taken in the same statement that checks the lock, concurrent guesses cannot all slip in
//! before the first failure is written. A check that succeeds gives its count back on the
//! account-wide and address keys and clears the account on that address; one that fails keeps
//! it. Counts start afresh a day after a key's last attempt. Kept in PostgreSQL, so every
//! server instance sees the same counts.
//!
//! The account is known before counting: it is keyed by its id, not by the address as typed,
//! so no other spelling of the address (case, white space, `İ` for `i`) reaches another
//! count. An address with no account is keyed by its lowercase text.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;
use std::net::IpAddr;
use uuid::Uuid;

/// Attempts allowed on one account from one address before the delays start.
pub const ACCOUNT_FREE_FAILURES: i32 = 5;
/// Attempts allowed on one account from all addresses together.
pub const ACCOUNT_WIDE_FREE_FAILURES: i32 = 50;
/// An office behind one address has many users: the address gets more room.
pub const ADDRESS_FREE_FAILURES: i32 = 20;
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// A key whose last attempt is older than this counts from zero again.
const FORGET_AFTER_HOURS: i64 = 24;

/// Whose password is being guessed.
#[derive(Debug, Clone)]
pub enum Account {
    Known(Uuid),
    /// No account has this address: keyed by the address as typed, lowercased.
    Unknown(String),
}

impl Account {
    fn key(&self) -> String {
        match self {
            Account::Known(id) => format!("user:{id}"),
            Account::Unknown(address) => format!("unknown:{}", address.trim().to_lowercase()),
        }
    }
}

/// The three counts one password check is taken on, with their free attempts.
pub struct Attempt {
    keys: [(String, i32); 3],
}

impl Attempt {
    pub fn new(account: &Account, client: IpAddr) -> Self {
        let account = account.key();
        Attempt {
            keys: [
                (format!("pair:{account}:{client}"), ACCOUNT_FREE_FAILURES),
                (format!("account:{account}"), ACCOUNT_WIDE_FREE_FAILURES),
                (format!("address:{client}"), ADDRESS_FREE_FAILURES),
            ],
        }
    }

    /// Counts the attempt on every key, or on none: `Err(wait)` when a key is locked, and
    /// then no password may be checked.
    pub async fn begin(&self, pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Result<(), Duration>> {
        let mut tx = pool.begin().await?;
        for (key, free) in &self.keys {
            let counted: Option<i32> = sqlx::query_scalar(
                "insert into login_throttle as t (key, failures, last_failure_at, locked_until)
                 values ($1, 1, $2, case when 1 >= $3 then $2 + make_interval(secs => 1) end)
                 on conflict (key) do update set
                   failures = case when t.last_failure_at < $2 - make_interval(hours => $5) then 1
                                   else t.failures + 1 end,
                   last_failure_at = $2,
                   locked_until = case
                     when t.last_failure_at < $2 - make_interval(hours => $5) then null
                     when t.failures + 1 >= $3
                       then $2 + make_interval(secs => least(power(2, least(t.failures + 1 - $3, 20)), $4))
                   end
                 where t.locked_until is null or t.locked_until <= $2
                 returning failures",
            )
            .bind(key)
            .bind(now)
            .bind(free)
            .bind(MAX_DELAY_SECONDS as f64)
            .bind(FORGET_AFTER_HOURS as i32)
            .fetch_optional(&mut *tx)
            .await?;
            if counted.is_none() {
                tx.rollback().await?;
                return Ok(Err(self.wait(pool, now).await?));
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// How long until every key is open again.
    async fn wait(&self, pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Duration> {
        let keys: Vec<&str> = self.keys.iter().map(|(k, _)| k.as_str()).collect();
        let until: Option<DateTime<Utc>> = sqlx::query_scalar(
            "select max(locked_until) from login_throttle where key = any($1) and locked_until > $2",
        )
        .bind(&keys)
        .bind(now)
        .fetch_one(pool)
        .await?;
        Ok(until.map_or(Duration::seconds(1), |u| u - now))
    }

    /// The password was right: the account is open again on this address, and the wider
    /// keys get this attempt's count back (a lock stays only while their failures alone
    /// reach it).
    pub async fn succeeded(&self, pool: &PgPool) -> sqlx::Result<()> {
        let [(pair, _), wider @ ..] = &self.keys;
        let mut tx = pool.begin().await?;
        sqlx::query("delete from login_throttle where key = $1").bind(pair).execute(&mut *tx).await?;
        for (key, free) in wider {
            sqlx::query(
                "update login_throttle set failures = greatest(failures - 1, 0),
                        locked_until = case when failures - 1 >= $2 then locked_until end
                 where key = $1",
            )
            .bind(key)
            .bind(free)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_keyed_by_its_id_and_an_unknown_address_by_its_lowercase_text() {
        let id = Uuid::nil();
        assert_eq!(Account::Known(id).key(), format!("user:{id}"));
        assert_eq!(Account::Unknown(" Nobody@X.cn ".into()).key(), "unknown:nobody@x.cn");
    }
}
