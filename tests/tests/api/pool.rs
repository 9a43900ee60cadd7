//! The server's pool of PostgreSQL connections: a connection PostgreSQL ended while it sat
//! idle is not handed to a request.

use sqlx::PgPool;
use std::time::Duration;
use tests::spawn_app;

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn a_connection_ended_while_idle_is_replaced_before_use(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let indicators = format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators");
    assert_eq!(app.get_json(&indicators).await.0, 200);
    // Every pooled connection of the server ends (not the mirror's: it has its own).
    let ended: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and usename = 'planboard_app' and application_name <> $1",
    )
    .bind(backend::mirror::APPLICATION_NAME)
    .fetch_all(&app.admin)
    .await
    .unwrap();
    assert!(!ended.is_empty());
    // The connections must have been idle longer than the pool trusts one without a ping:
    // that condition is time itself, so the wait is that time, and a little more.
    tokio::time::sleep(backend::db::PING_AFTER_IDLE + Duration::from_millis(200)).await;
    for _ in 0..3 {
        assert_eq!(app.get_json(&indicators).await.0, 200);
    }
}
