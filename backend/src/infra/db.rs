//! PostgreSQL: the pool, the migrations, and the transaction that carries a request's tenant
//! context for row-level security.

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgPool, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The role the server connects as (created by the migrations).
pub const APP_ROLE: &str = "planboard_app";

/// How long a pooled connection of the server may have been idle and still be handed out
/// without a ping.
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
    pool_options(max_connections, PING_AFTER_IDLE).connect_with(options).await.context("cannot connect to PostgreSQL")
}

/// How the server's pools are set up (the tests' servers use it too): a connection idle for
/// longer than `ping_after_idle` is pinged before use (`PING_AFTER_IDLE` in the server).
pub fn pool_options(max_connections: u32, ping_after_idle: Duration) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // By default every connection taken from the pool is pinged first: a round trip
        // more per transaction, a large share of a short write's. A connection back in the pool
        // within the last `ping_after_idle` worked a moment ago; only one idle longer is
        // pinged (and replaced if dead). The price: a connection PostgreSQL ended in that
        // moment fails its next request, as the requests on it at that time did.
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if meta.idle_for > ping_after_idle {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// Refuses to serve through a role that would silently switch row-level security off: a
/// superuser, a role with BYPASSRLS, or the owner of the tables.
pub async fn ensure_rls_applies(pool: &PgPool) -> anyhow::Result<()> {
    let (user, bypass, owns): (String, bool, bool) = sqlx::query_as(
        "select current_user::text, r.rolsuper or r.rolbypassrls,
                exists (select 1 from pg_tables where schemaname = 'public' and tableowner = current_user)
         from pg_roles r where r.rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    if bypass || owns {
        anyhow::bail!(
            "the server connects to PostgreSQL as {user:?}, which bypasses row-level security \
             (superuser, BYPASSRLS or table owner); set DATABASE_URL to the {APP_ROLE} role \
             and keep the owner in DATABASE_ADMIN_URL"
        );
    }
    Ok(())
}

/// Begins a transaction that may see and write the rows of `tenants` only. The setting is
/// local to the transaction, so it never leaks to the next user of the pooled connection.
pub async fn tenant_tx(pool: &PgPool, tenants: &[Uuid]) -> sqlx::Result<Transaction<'static, Postgres>> {
    pool.begin_with(begin_in_tenants(tenants)).await
}

/// BEGIN and the tenant setting as one simple query, so in one round trip: every read and
/// write starts here. The ids are inlined, which is safe only because they are UUIDs
/// formatted here: hex digits and hyphens.
fn begin_in_tenants(tenants: &[Uuid]) -> String {
    format!("begin; select set_config('app.tenant_ids', '{}', true)", tenant_list(tenants))
}

/// As `tenant_tx`, and locks the indicator `indicator_id` (`for no key update`) in the same
/// round trip, so that the transaction's next statement has a snapshot taken once the lock
/// is held: it sees every earlier transaction that held the lock (report decisions take
/// turns per indicator this way). An indicator the tenants do not have locks nothing.
pub async fn tenant_tx_locking_indicator(
    pool: &PgPool,
    tenants: &[Uuid],
    indicator_id: Uuid,
) -> sqlx::Result<Transaction<'static, Postgres>> {
    // A formatted UUID is safe to inline. The lock comes after the setting, so row-level
    // security applies to it.
    let begin = begin_in_tenants(tenants);
    pool.begin_with(format!("{begin}; select 1 from indicator where indicator_id = '{indicator_id}' for no key update"))
        .await
}

/// A read-only transaction that may see the rollups and catalog standings of every district
/// of `region` (migrations `region_read_context`, `comparison_standings`). Only for a caller
/// already allowed to compare the region.
pub async fn region_tx(pool: &PgPool, region: Uuid) -> sqlx::Result<Transaction<'static, Postgres>> {
    // As in `tenant_tx`; a formatted UUID is safe to inline.
    pool.begin_with(format!("begin read only; select set_config('app.region_id', '{region}', true)")).await
}

/// The setting `app.tenant_ids` as `app_tenant_ids()` reads it: ids separated by commas.
fn tenant_list(tenants: &[Uuid]) -> String {
    tenants.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")
}

/// Sets the tenants the current transaction may see and write (replacing any earlier set).
pub async fn set_tenant_context(conn: &mut sqlx::PgConnection, tenants: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query("select set_config('app.tenant_ids', $1, true)").bind(tenant_list(tenants)).execute(conn).await?;
    Ok(())
}

/// Marks a tenant's aggregate views as changed, in the writing transaction (see `cache`):
/// its data version and its structure version (`dashboard::TaskHalf`) move. Returns the
/// tenant's new data version.
pub async fn touch_tenant(conn: &mut sqlx::PgConnection, tenant_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "update tenant set data_version = nextval('data_version_seq'), structure_version = nextval('data_version_seq')
         where tenant_id = $1 returning data_version",
    )
    .bind(tenant_id)
    .fetch_one(conn)
    .await
}

/// Whether PostgreSQL answers a trivial statement on `pool`.
pub async fn answers(pool: &PgPool) -> bool {
    sqlx::query_scalar::<_, i32>("select 1").fetch_one(pool).await.is_ok()
}
