//! The server's pool of PostgreSQL connections: a connection PostgreSQL ended while it sat
//! idle is not handed to a request.

use sqlx::PgPool;
use std::time::Duration;
use tests::{app_role_pool, seeded, spawn_on_pool};

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_connection_ended_while_idle_is_replaced_before_use(pool: PgPool) {
    // The server's pool, trusting no idle time at all: a connection ended after its last use
    // has been idle longer than that by the next request (the server trusts a second, and
    // waiting one out would only slow the test).
    let admin = seeded(pool).await;
    let app_pool = app_role_pool(&admin, Duration::ZERO).await;
    let redis = std::env::var("REDIS_URL").ok();
    let app = spawn_on_pool(admin, app_pool, redis.as_deref()).await;
    let plan = app.seed_plan_id().await;
    let indicators = format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators");
    assert_eq!(app.get_json(&indicators).await.0, 200);
    // Every pooled connection of the server ends (not the mirror's: it has its own).
    let ended: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid, 5000) from pg_stat_activity
         where datname = current_database() and usename = 'planboard_app' and application_name <> $1",
    )
    .bind(backend::mirror::APPLICATION_NAME)
    .fetch_all(&app.admin)
    .await
    .unwrap();
    assert!(!ended.is_empty() && ended.iter().all(|&e| e), "{ended:?}");
    for _ in 0..3 {
        assert_eq!(app.get_json(&indicators).await.0, 200);
    }
}
