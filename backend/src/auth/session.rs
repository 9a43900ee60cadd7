//! Server-side sessions behind an HttpOnly, SameSite cookie. The cookie holds a random
//! token; the database keeps only its SHA-256. A sign-in always starts a new session (the
//! id rotates), sessions end after an idle time and at an absolute time, and `now` comes
//! from the application's clock.

use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub const COOKIE: &str = "planboard_session";

/// How sessions behave; from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
    /// Mark the cookie Secure (served over TLS).
    pub secure: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: Duration::hours(2), absolute: Duration::hours(12), secure: false }
    }
}

/// Last-seen times are refreshed at most this often, so reads do not each write a row.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// `N` random bytes, as hex.
pub fn random_hex<const N: usize>() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn new_token() -> anyhow::Result<String> {
    random_hex::<32>().map_err(|e| anyhow::anyhow!("no randomness for a session token: {e}"))
}

/// Starts a session for `user_id`; returns the token for the cookie.
pub async fn create(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
    policy: &SessionPolicy,
) -> anyhow::Result<String> {
    let token = new_token()?;
    sqlx::query(
        "insert into session (token_hash, user_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)",
    )
    .bind(&hash_token(&token)[..])
    .bind(user_id)
    .bind(now)
    .bind(now + policy.absolute)
    .execute(conn)
    .await?;
    Ok(token)
}

/// Who a live session belongs to, with what decides their caller's shape: the version of
/// their grants and whether they still hold a temporary password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: Uuid,
    pub grants_version: i64,
    pub must_change_password: bool,
}

/// A session as PostgreSQL last said, with the times that end it.
#[derive(Debug, Clone, Copy)]
pub struct LiveSession {
    pub user: SessionUser,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl LiveSession {
    /// Neither idle too long nor past its absolute end. A copy held in memory may have an
    /// older `last_seen_at` than the row (another instance touched it): it may then call a
    /// session idle that is not, never the reverse, so "live" from a copy is always right.
    pub fn is_live(&self, now: DateTime<Utc>, policy: &SessionPolicy) -> bool {
        self.expires_at > now && self.last_seen_at > now - policy.idle
    }

    pub fn needs_touch(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at > TOUCH_EVERY
    }
}

/// The key a session is stored under: the token's SHA-256.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: Uuid,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    grants_version: i64,
    must_change_password: bool,
}

/// The live session of `token_hash` (refreshing its last-seen time, at most once a minute);
/// None when the token is unknown, expired (idle or absolute) or its user is deactivated.
#[tracing::instrument(name = "db.session", skip_all)]
pub async fn resolve(
    pool: &PgPool,
    token_hash: &[u8; 32],
    now: DateTime<Utc>,
    policy: &SessionPolicy,
) -> sqlx::Result<Option<LiveSession>> {
    let row: Option<SessionRow> = sqlx::query_as(
        "select s.user_id, s.last_seen_at, s.expires_at, u.grants_version, u.must_change_password
         from session s join app_user u using (user_id)
         where s.token_hash = $1 and u.is_active and s.expires_at > $2 and s.last_seen_at > $3",
    )
    .bind(&token_hash[..])
    .bind(now)
    .bind(now - policy.idle)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut session = LiveSession {
        user: SessionUser {
            user_id: row.user_id,
            grants_version: row.grants_version,
            must_change_password: row.must_change_password,
        },
        last_seen_at: row.last_seen_at,
        expires_at: row.expires_at,
    };
    if session.needs_touch(now) {
        touch(pool, token_hash, now).await?;
        session.last_seen_at = now;
    }
    Ok(Some(session))
}

/// Records that the session was used at `now` (for the idle limit).
pub async fn touch(pool: &PgPool, token_hash: &[u8; 32], now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("update session set last_seen_at = greatest(last_seen_at, $2) where token_hash = $1")
        .bind(&token_hash[..])
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut PgConnection, token: &str) -> sqlx::Result<()> {
    sqlx::query("delete from session where token_hash = $1").bind(&hash_token(token)[..]).execute(conn).await?;
    Ok(())
}

/// Ends every session of a user but the one with `keep` (after a password change).
pub async fn delete_others(conn: &mut PgConnection, user_id: Uuid, keep: Option<&str>) -> sqlx::Result<()> {
    sqlx::query("delete from session where user_id = $1 and token_hash is distinct from $2")
        .bind(user_id)
        .bind(keep.map(|token| hash_token(token).to_vec()))
        .execute(conn)
        .await?;
    Ok(())
}

pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn set_cookie(token: &str, policy: &SessionPolicy) -> String {
    let secure = if policy.secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", policy.absolute.num_seconds())
}

pub fn clear_cookie(policy: &SessionPolicy) -> String {
    let secure = if policy.secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_read_back_from_the_cookie_header() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        let mut headers = HeaderMap::new();
        headers.insert(http::header::COOKIE, format!("lang=en; {COOKIE}={a}").parse().unwrap());
        assert_eq!(token_from_headers(&headers), Some(a));
        headers.insert(http::header::COOKIE, format!("{COOKIE}=short").parse().unwrap());
        assert_eq!(token_from_headers(&headers), None);
    }

    #[test]
    fn the_cookie_is_http_only_and_same_site() {
        let policy = SessionPolicy { secure: true, ..SessionPolicy::default() };
        let cookie = set_cookie("abc", &policy);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.ends_with("; Secure"));
        assert!(clear_cookie(&policy).contains("Max-Age=0"));
    }
}
