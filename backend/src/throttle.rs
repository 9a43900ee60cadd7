//! Login throttling. Failed sign-ins are counted per account and per client address; past a
//! threshold each further failure locks that key for a delay that doubles (capped), and
//! attempts while locked get 429 without a password check. A success clears both keys.
//! Kept in PostgreSQL so every server instance sees the same counts.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Failures allowed before the delays start.
pub const ACCOUNT_FREE_FAILURES: i32 = 5;
/// An office behind one address has many users: the address gets more room.
pub const ADDRESS_FREE_FAILURES: i32 = 20;
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;

pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// The delay after `failures` failures, for a key allowing `free` of them.
pub fn delay_after(failures: i32, free: i32) -> Option<Duration> {
    let over = failures - free;
    (over >= 0).then(|| Duration::seconds((1i64 << over.min(20)).min(MAX_DELAY_SECONDS)))
}

/// How long the caller must still wait, if any of `keys` is locked at `now`.
pub async fn locked_for(pool: &PgPool, keys: &[String], now: DateTime<Utc>) -> sqlx::Result<Option<Duration>> {
    let until: Option<DateTime<Utc>> =
        sqlx::query_scalar("select max(locked_until) from login_throttle where key = any($1) and locked_until > $2")
            .bind(keys)
            .bind(now)
            .fetch_one(pool)
            .await?;
    Ok(until.map(|u| u - now))
}

pub async fn record_failure(pool: &PgPool, key: &str, free: i32, now: DateTime<Utc>) -> sqlx::Result<()> {
    let failures: i32 = sqlx::query_scalar(
        "insert into login_throttle (key, failures, last_failure_at) values ($1, 1, $2)
         on conflict (key) do update set failures = login_throttle.failures + 1, last_failure_at = $2
         returning failures",
    )
    .bind(key)
    .bind(now)
    .fetch_one(pool)
    .await?;
    if let Some(delay) = delay_after(failures, free) {
        sqlx::query("update login_throttle set locked_until = $2 where key = $1")
            .bind(key)
            .bind(now + delay)
            .execute(pool)
            .await?;
    }
    Ok(())
}

pub async fn clear(pool: &PgPool, keys: &[String]) -> sqlx::Result<()> {
    sqlx::query("delete from login_throttle where key = any($1)").bind(keys).execute(pool).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_failures_and_double() {
        assert_eq!(delay_after(4, 5), None);
        assert_eq!(delay_after(5, 5), Some(Duration::seconds(1)));
        assert_eq!(delay_after(6, 5), Some(Duration::seconds(2)));
        assert_eq!(delay_after(9, 5), Some(Duration::seconds(16)));
        assert_eq!(delay_after(60, 5), Some(Duration::seconds(MAX_DELAY_SECONDS)));
    }
}
