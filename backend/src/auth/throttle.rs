//! Password-guess throttling, for sign-in and for the current password of a password change.
//!
//! Password checks are counted on three keys:
//! - the account on this client address: 5 free, so a guesser is slowed down at once while
//!   the owner on another address is not;
//! - the account everywhere: 50 free, a slow-down far above, for guessing from many addresses;
//! - the client address: 20 free failures (an office behind one address has many users).
//!
//! A key past its free attempts is locked for a delay that doubles with each further attempt
//! (capped), and an attempt on a locked key is refused without a check. The two account keys
//! count each check *before* it runs, in the same statement that checks the lock, so
//! concurrent guesses at one account cannot all slip in before the first failure is written;
//! a check that succeeds clears the account on that address and gives its count back on the
//! account-wide key. The address key counts failures only: counting checks still in flight
//! there would lock out an office whose people sign in at the same moment, and guessing
//! across many accounts from one address is held back by the sign-in rate per address
//! (`web::middleware::rate_limit`) while its failures add up. A success does not take an
//! address's failures back. Counts start afresh a day after a key's last attempt. Kept in
//! PostgreSQL, so every server instance sees the same counts.
//!
//! The account is known before counting: it is keyed by its id, not by the address as typed,
//! so no other spelling of the address (case, white space, `İ` for `i`) reaches another
//! count. An address with no account is keyed by its lowercase text.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
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

/// The counts one password check is taken on, with their free attempts.
pub struct Attempt {
    /// Counted before the check: the account on this address, the account everywhere.
    counted: [(String, i32); 2],
    /// Counted when the check fails.
    address: (String, i32),
}

/// Counts one attempt on `key` unless it is locked (then None), locking it past `free`.
async fn count(conn: &mut PgConnection, key: &str, free: i32, now: DateTime<Utc>) -> sqlx::Result<Option<i32>> {
    sqlx::query_scalar(
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
    .fetch_optional(conn)
    .await
}

impl Attempt {
    pub fn new(account: &Account, client: IpAddr) -> Self {
        let account = account.key();
        Attempt {
            counted: [
                (format!("pair:{account}:{client}"), ACCOUNT_FREE_FAILURES),
                (format!("account:{account}"), ACCOUNT_WIDE_FREE_FAILURES),
            ],
            address: (format!("address:{client}"), ADDRESS_FREE_FAILURES),
        }
    }

    fn keys(&self) -> Vec<&str> {
        self.counted.iter().map(|(k, _)| k.as_str()).chain([self.address.0.as_str()]).collect()
    }

    /// Counts the attempt on the account keys, or on none: `Err(wait)` when any key (the
    /// address's too) is locked, and then no password may be checked.
    pub async fn begin(&self, pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Result<(), Duration>> {
        let mut tx = pool.begin().await?;
        let address_locked: bool =
            sqlx::query_scalar("select exists (select 1 from login_throttle where key = $1 and locked_until > $2)")
                .bind(&self.address.0)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
        if address_locked {
            tx.rollback().await?;
            return Ok(Err(self.wait(pool, now).await?));
        }
        for (key, free) in &self.counted {
            if count(&mut tx, key, *free, now).await?.is_none() {
                tx.rollback().await?;
                return Ok(Err(self.wait(pool, now).await?));
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// How long until every key is open again.
    async fn wait(&self, pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Duration> {
        let until: Option<DateTime<Utc>> = sqlx::query_scalar(
            "select max(locked_until) from login_throttle where key = any($1) and locked_until > $2",
        )
        .bind(self.keys())
        .bind(now)
        .fetch_one(pool)
        .await?;
        Ok(until.map_or(Duration::seconds(1), |u| u - now))
    }

    /// The password was wrong: the address counts the failure (the account keys counted it
    /// already).
    pub async fn failed(&self, pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<()> {
        let mut conn = pool.acquire().await?;
        // A lock that another failure set meanwhile stands; this one is then not counted.
        count(&mut conn, &self.address.0, self.address.1, now).await?;
        Ok(())
    }

    /// The password was right: the account is open again on this address, and the
    /// account-wide key gets this attempt's count back (a lock stays only while its failures
    /// alone reach it).
    pub async fn succeeded(&self, pool: &PgPool) -> sqlx::Result<()> {
        let [(pair, _), (account, free)] = &self.counted;
        let mut tx = pool.begin().await?;
        sqlx::query("delete from login_throttle where key = $1").bind(pair).execute(&mut *tx).await?;
        sqlx::query(
            "update login_throttle set failures = greatest(failures - 1, 0),
                    locked_until = case when failures - 1 >= $2 then locked_until end
             where key = $1",
        )
        .bind(account)
        .bind(free)
        .execute(&mut *tx)
        .await?;
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
