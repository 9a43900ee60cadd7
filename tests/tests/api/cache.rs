//! The Redis cache of aggregate views, against a real Redis: freshness after writes, across
//! instances, through a Redis outage, and single flight on a cold key.

use serde_json::Value;
use shared::model::Role;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use tests::{TestApp, seeded, spawn_with_redis};

const ADMIN: &str = "admin@qianjiang.gov.cn";

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

async fn dashboard(app: &TestApp) -> (String, Value) {
    let plan = app.seed_plan_id().await;
    let response = app.get(&format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard")).await;
    assert_eq!(response.status(), 200);
    let cache = response.headers()["x-cache"].to_str().unwrap().to_owned();
    (cache, response.json().await.unwrap())
}

/// Reports 229.715 for 2023 on 规上工业总产值 through `app` and approves it.
async fn approve_output(app: &TestApp) {
    let admin = app.sign_in(ADMIN).await;
    let id: uuid::Uuid = sqlx::query_scalar("select indicator_id from indicator where name = '规上工业总产值'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    tests::report_and_approve(app, &admin, "qianjiang", id, "2023", 229.715).await;
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_write_makes_the_next_read_fresh(pool: PgPool) {
    let app = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    app.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let (first, board) = dashboard(&app).await;
    assert_eq!(first, "miss");
    assert_eq!(board["overall"]["indicators"]["on_track"], 0);
    assert_eq!(dashboard(&app).await.0, "hit");
    approve_output(&app).await;
    let (after, board) = dashboard(&app).await;
    assert_eq!(after, "miss");
    assert_eq!(board["overall"]["indicators"]["on_track"], 1);
    assert_eq!(dashboard(&app).await.0, "hit");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_write_through_one_instance_is_read_fresh_through_another(pool: PgPool) {
    let a = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    let b = spawn_with_redis(a.admin.clone(), Some(&redis_url())).await;
    assert_ne!(a.addr, b.addr);
    a.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    assert_eq!(dashboard(&b).await.0, "miss");
    assert_eq!(dashboard(&a).await.0, "hit", "instance A reads what B stored");
    approve_output(&a).await;
    let (cache, board) = dashboard(&b).await;
    assert_eq!(cache, "miss");
    assert_eq!(board["overall"]["indicators"]["on_track"], 1);
    // A session made through A works on B: sessions live in PostgreSQL.
    let client = a.sign_in(ADMIN).await;
    assert_eq!(client.get(b.url("/api/v1/me")).send().await.unwrap().status(), 200);
}

/// A Redis server of the test's own, on a free port.
struct OwnRedis {
    port: u16,
    child: std::process::Child,
}

impl OwnRedis {
    fn start(port: u16) -> Self {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is installed (scripts/test.sh installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        OwnRedis { port, child }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn views_are_served_while_redis_is_down_and_cached_again_when_it_returns(pool: PgPool) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut redis = OwnRedis::start(port);
    let app = spawn_with_redis(seeded(pool).await, Some(&format!("redis://127.0.0.1:{port}"))).await;
    app.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    assert_eq!(dashboard(&app).await.0, "miss");
    assert_eq!(dashboard(&app).await.0, "hit");

    redis.stop();
    // A view this instance already holds stays served from its memory: its key names the
    // data version, so it is still the fresh one.
    assert_eq!(dashboard(&app).await.0, "hit");
    approve_output(&app).await;
    let (cache, board) = dashboard(&app).await;
    assert_eq!(cache, "bypass");
    assert_eq!(board["overall"]["indicators"]["on_track"], 1, "fresh while Redis is down");

    let _redis = OwnRedis::start(redis.port);
    // The connection manager reconnects by itself; the first calls may still find it down.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        let (cache, board) = dashboard(&app).await;
        assert_eq!(board["overall"]["indicators"]["on_track"], 1);
        seen.push(cache.clone());
        if cache == "hit" {
            break;
        }
        assert!(Instant::now() < deadline, "caching did not resume: {seen:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen.contains(&"miss".to_owned()), "{seen:?}");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn concurrent_misses_of_a_cold_key_compute_it_once(pool: PgPool) {
    let app = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    let plan = app.seed_plan_id().await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard"));
    let requests = (0..50).map(|_| {
        let (client, url) = (app.client.clone(), url.clone());
        tokio::spawn(async move { client.get(url).send().await.unwrap() })
    });
    let mut outcomes = Vec::new();
    for request in requests {
        let response = request.await.unwrap();
        assert_eq!(response.status(), 200);
        outcomes.push(response.headers()["x-cache"].to_str().unwrap().to_owned());
    }
    use std::sync::atomic::Ordering::Relaxed;
    assert_eq!(app.cache.stats.computations.load(Relaxed), 1);
    assert_eq!(outcomes.iter().filter(|o| *o == "miss").count(), 1);
    assert_eq!(outcomes.iter().filter(|o| *o == "hit").count(), 49);
}

/// The plan a cached read checks visibility against is remembered under the tenant's data
/// version: withdrawing the plan from the public shuts the public out on the next read, on
/// this instance and on another.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn withdrawing_a_plan_from_the_public_applies_to_the_next_cached_read(pool: PgPool) {
    let a = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    let b = spawn_with_redis(a.admin.clone(), Some(&redis_url())).await;
    a.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let plan = a.seed_plan_id().await;
    let path = format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard");
    for app in [&a, &b, &a] {
        assert_eq!(app.get(&path).await.status(), 200);
    }
    let admin = a.sign_in(ADMIN).await;
    let version: i32 =
        sqlx::query_scalar("select version from plan where plan_id = $1").bind(plan).fetch_one(&a.admin).await.unwrap();
    let r = admin
        .put(a.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/publication")))
        .header("if-match", format!("\"{version}\""))
        .json(&serde_json::json!({"status": "published", "visibility": "internal"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(a.get(&path).await.status(), 404, "the writing instance");
    assert_eq!(b.get(&path).await.status(), 404, "another instance");
    assert_eq!(admin.get(a.url(&path)).send().await.unwrap().status(), 200, "the district's own staff still see it");
}

/// A district joining a region changes the region's comparison at once, although nothing
/// was written in the districts already there.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_district_joining_the_region_appears_in_the_next_comparison(pool: PgPool) {
    let app = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let districts = || async {
        let r = platform.get(app.url("/api/v1/regions/chongqing/comparison")).send().await.unwrap();
        let cache = r.headers()["x-cache"].to_str().unwrap().to_owned();
        let body: Value = r.json().await.unwrap();
        (cache, body["tenants"].as_array().unwrap().len())
    };
    assert_eq!(districts().await, ("miss".to_owned(), 1));
    assert_eq!(districts().await, ("hit".to_owned(), 1));
    let r = platform
        .post(app.url("/api/v1/tenants"))
        .json(&serde_json::json!({"slug": "xiushan", "name": "秀山县", "region": "chongqing"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(districts().await, ("miss".to_owned(), 2));
}

/// A kept view goes gzipped to clients that accept it, and unzips to the same JSON.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn kept_views_go_gzipped_to_clients_that_accept_it(pool: PgPool) {
    use std::io::Read;
    let app = spawn_with_redis(seeded(pool).await, Some(&redis_url())).await;
    let plan = app.seed_plan_id().await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard"));
    let client = reqwest::Client::new();
    let plain = client.get(&url).send().await.unwrap();
    assert_eq!(plain.headers()["x-cache"], "miss");
    assert!(plain.headers().get("content-encoding").is_none());
    let plain: Value = plain.json().await.unwrap();
    let zipped = client.get(&url).header("accept-encoding", "br, gzip;q=0.9").send().await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_eq!(zipped.headers()["vary"], "accept-encoding");
    let bytes = zipped.bytes().await.unwrap();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut json).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), plain);
}
