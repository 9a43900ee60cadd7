//! The in-process mirror of sessions and tenants: exact across instances, for changes made
//! through another instance or straight in PostgreSQL, and while its connection is lost.

use shared::model::Role;
use sqlx::PgPool;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tests::{TestApp, seeded, spawn_with_redis};

const ADMIN: &str = "admin@qianjiang.gov.cn";

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

async fn two_instances(pool: PgPool) -> (TestApp, TestApp) {
    let a = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    let b = spawn_with_redis(a.admin.clone(), Some(&redis_url())).await;
    a.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    (a, b)
}

/// The `Cookie` header of a session of `email` started through `app`.
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", format!("http://{}", app.addr))
        .json(&serde_json::json!({"email": email, "password": tests::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn status(app: &TestApp, path: &str, cookie: &str) -> u16 {
    let response = reqwest::Client::new().get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    response.status().as_u16()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_session_ended_through_one_instance_is_refused_by_another_at_once(pool: PgPool) {
    let (a, b) = two_instances(pool).await;
    let cookie = session_cookie(&a, ADMIN).await;
    until_mirrored(&b, &cookie).await;
    let logout = reqwest::Client::new()
        .post(a.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("origin", format!("http://{}", a.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(status(&b, "/api/v1/me", &cookie).await, 401);
}

/// A change straight in PostgreSQL (as another service or an operator would make it) applies
/// to the next request of every instance.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn grants_and_deactivation_changed_in_postgresql_apply_to_the_next_request(pool: PgPool) {
    let (a, b) = two_instances(pool).await;
    let cookie = session_cookie(&a, ADMIN).await;
    until_mirrored(&b, &cookie).await;
    let users = "/api/v1/tenants/qianjiang/users";
    assert_eq!(status(&b, users, &cookie).await, 200);
    sqlx::query(
        "update role_grant set role = 'viewer' where user_id = (select user_id from app_user where email = $1)",
    )
    .bind(ADMIN)
    .execute(&a.admin)
    .await
    .unwrap();
    assert_eq!(status(&b, users, &cookie).await, 403, "the grant is a viewer's now");
    assert_eq!(status(&b, "/api/v1/me", &cookie).await, 200);
    sqlx::query("update app_user set is_active = false where email = $1").bind(ADMIN).execute(&a.admin).await.unwrap();
    assert_eq!(status(&b, "/api/v1/me", &cookie).await, 401);
    assert_eq!(status(&a, "/api/v1/me", &cookie).await, 401);
}

/// A plan made internal straight in PostgreSQL is hidden from the public on the next read of
/// every instance (the mirror keeps plans, and drops them when told they changed).
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_plan_withdrawn_in_postgresql_is_hidden_on_the_next_read(pool: PgPool) {
    let (a, b) = two_instances(pool).await;
    let cookie = session_cookie(&a, ADMIN).await;
    until_mirrored(&b, &cookie).await;
    let plan = a.seed_plan_id().await;
    let dashboard = format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard");
    assert_eq!(b.get(&dashboard).await.status(), 200);
    sqlx::query("update plan set visibility = 'internal' where plan_id = $1")
        .bind(plan)
        .execute(&a.admin)
        .await
        .unwrap();
    assert_eq!(b.get(&dashboard).await.status(), 404);
    assert_eq!(status(&b, &dashboard, &cookie).await, 200, "the district's own staff still see it");
}

/// Writes through either instance, each followed at once by a read through the other: every
/// read names the version the write made.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_read_after_a_write_on_another_instance_carries_its_version(pool: PgPool) {
    let (a, b) = two_instances(pool).await;
    let plan = a.seed_plan_id().await;
    let dashboard = format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard");
    let indicators: Vec<uuid::Uuid> = sqlx::query_scalar("select indicator_id from indicator order by code limit 12")
        .fetch_all(&a.admin)
        .await
        .unwrap();
    let writers = [a.sign_in(ADMIN).await, b.sign_in(ADMIN).await];
    let cookie = session_cookie(&a, ADMIN).await;
    until_mirrored(&a, &cookie).await;
    until_mirrored(&b, &cookie).await;
    for (i, indicator) in indicators.into_iter().enumerate() {
        let (writer, reader) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        tests::report_and_approve(writer, &writers[i % 2], "qianjiang", indicator, "2023", 1.0 + i as f64).await;
        let written: i64 = sqlx::query_scalar("select data_version from tenant where slug = 'qianjiang'")
            .fetch_one(&a.admin)
            .await
            .unwrap();
        let response = reader.get(&dashboard).await;
        assert_eq!(response.status(), 200);
        let read: i64 = response.headers()["x-data-version"].to_str().unwrap().parse().unwrap();
        assert_eq!(read, written, "read {i} through the other instance");
    }
}

/// Waits until the mirror of `app` listens on a connection made after `connections` ones
/// (it listens a moment after the server starts, and again a moment after its connection
/// was lost), then checks a request of `cookie` is answered through it.
async fn until_mirrored_after(app: &TestApp, cookie: &str, connections: u64) {
    let mut listening = app.mirror.listening();
    let up = listening.wait_for(|l| l.up && l.connections > connections);
    tokio::time::timeout(Duration::from_secs(10), up).await.expect("the mirror is not listening").unwrap();
    let before = app.mirror.stats().syncs.load(Relaxed);
    assert_eq!(status(app, "/api/v1/me", cookie).await, 200);
    assert!(app.mirror.stats().syncs.load(Relaxed) > before, "the request was not answered through the mirror");
}

async fn until_mirrored(app: &TestApp, cookie: &str) {
    until_mirrored_after(app, cookie, 0).await;
}

/// While the listening connection is lost, requests read PostgreSQL (and stay exact); the
/// mirror listens again by itself.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_lost_listening_connection_falls_back_to_postgresql_and_recovers(pool: PgPool) {
    // The other instance lives to the end: dropping a TestApp ends every server session of
    // the database, this instance's listening connection too (`_` alone would drop it here).
    let (app, _other) = two_instances(pool).await;
    let cookie = session_cookie(&app, ADMIN).await;
    until_mirrored(&app, &cookie).await;
    let connections = app.mirror.listening().borrow().connections;
    let ended: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and application_name = $1",
    )
    .bind(backend::mirror::APPLICATION_NAME)
    .fetch_all(&app.admin)
    .await
    .unwrap();
    assert!(!ended.is_empty(), "each instance listens on one connection");
    let set_active = |active: bool| {
        sqlx::query("update app_user set is_active = $1 where email = $2").bind(active).bind(ADMIN).execute(&app.admin)
    };
    set_active(false).await.unwrap();
    assert_eq!(status(&app, "/api/v1/me", &cookie).await, 401);
    set_active(true).await.unwrap();
    until_mirrored_after(&app, &cookie, connections).await;
    set_active(false).await.unwrap();
    assert_eq!(status(&app, "/api/v1/me", &cookie).await, 401, "through the mirror again");
}

/// Stops a PostgreSQL backend process (SIGSTOP) until dropped (SIGCONT): the tests run on
/// the machine PostgreSQL runs on, as a user allowed to signal it.
struct Stalled(i32);

impl Stalled {
    fn new(pid: i32) -> Self {
        let stopped = std::process::Command::new("kill").args(["-STOP", &pid.to_string()]).status().unwrap();
        assert!(stopped.success(), "cannot stop backend {pid}: the tests must run beside PostgreSQL, as root");
        Stalled(pid)
    }
}

impl Drop for Stalled {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").args(["-CONT", &self.0.to_string()]).status();
    }
}

/// The race the barriers close: a change committed, but its notification not yet applied
/// (here: the listening backend is frozen). The next request must not be answered from the
/// mirror's old copy.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_change_whose_notification_is_late_is_never_read_stale(pool: PgPool) {
    let app = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    app.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let cookie = session_cookie(&app, ADMIN).await;
    until_mirrored(&app, &cookie).await;
    let listener: i32 = sqlx::query_scalar(
        "select pid from pg_stat_activity where datname = current_database() and application_name = $1",
    )
    .bind(backend::mirror::APPLICATION_NAME)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let stalled = Stalled::new(listener);
    sqlx::query("update app_user set is_active = false where email = $1")
        .bind(ADMIN)
        .execute(&app.admin)
        .await
        .unwrap();
    assert_eq!(status(&app, "/api/v1/me", &cookie).await, 401, "while the notification is held up");
    drop(stalled);
    assert_eq!(status(&app, "/api/v1/me", &cookie).await, 401, "once it arrived");
}
