//! What the black-box tests share: an application started in-process on a random port, with
//! its own fresh database (made by `#[sqlx::test]`), connected as the application role exactly
//! as in production, and the Qianjiang seed loaded.

pub mod browser;
pub mod contract;
pub mod document;

use backend::auth::users::NewGrant;
use backend::infra::cache::ViewCache;
use backend::infra::clock::FixedClock;
use backend::mirror::Mirror;
use backend::startup::Application;
use backend::state::AppState;
use shared::model::Role;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// The date the tests run at: mid-2024, inside the seed plan's period (2021–2025), so tasks
/// due in 2022 or 2023 can be overdue and tasks due in 2025 cannot.
pub const TODAY: &str = "2024-06-01T04:00:00Z";

/// Password the test scripts give the application role (trust auth ignores it).
pub const APP_ROLE_PASSWORD: &str = "planboard_app";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// The database's owner (superuser here): for setting up and inspecting behind the API.
    pub admin: PgPool,
    /// The application role's pool, as the server uses it.
    pub app_pool: PgPool,
    /// The server's clock: tests move it to expire sessions or pass deadlines.
    pub clock: Arc<FixedClock>,
    /// The server's view cache (its counters tell hits, misses and computations).
    pub cache: ViewCache,
    /// The server's mirror of sessions and tenants (its counters tell syncs and barriers).
    pub mirror: Arc<Mirror>,
    /// What the API answered, checked against its OpenAPI document.
    pub contract: contract::Contract,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for TestApp {
    /// Stops the server and ends its database sessions, so that `#[sqlx::test]` can drop the
    /// test database at once (PostgreSQL otherwise waits 5 s for them, then gives up).
    fn drop(&mut self) {
        self.server.abort();
        let options = (*self.admin.connect_options()).clone();
        let ended = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect_with(&options).await?;
                sqlx::query(
                    "select pg_terminate_backend(pid) from pg_stat_activity
                     where datname = current_database() and pid <> pg_backend_pid()
                       and usename = 'planboard_app'",
                )
                .execute(&mut conn)
                .await?;
                conn.close().await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        if let Ok(Err(e)) = ended {
            eprintln!("note: could not end the test server's sessions: {e}");
        }
        // A test whose answers broke the API contract fails here (unless it already failed).
        if !std::thread::panicking() {
            self.contract.assert_kept();
        }
        // The test script adds up how many answers were checked.
        if let Ok(path) = std::env::var("PLANBOARD_CONTRACT_TALLY") {
            use std::io::Write;
            let line = format!("{}\n", self.contract.checked());
            let _ = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(line.as_bytes()));
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request failed")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let body = response.json().await.expect("body is not JSON");
        (status, body)
    }

    /// The id of the seeded Qianjiang plan.
    pub async fn seed_plan_id(&self) -> Uuid {
        sqlx::query_scalar("select plan_id from plan p join tenant t using (tenant_id) where t.slug = 'qianjiang'")
            .fetch_one(&self.admin)
            .await
            .expect("the seed plan is missing")
    }
}

/// An HTTP client that keeps cookies and, like a browser on the site's own pages, sends the
/// site's origin with every request (the CSRF check wants it on writes).
pub fn browser_like_client(addr: SocketAddr) -> reqwest::Client {
    browser_like_client_from(addr, None)
}

/// A browser-like client whose requests come from `local` (any address of 127.0.0.0/8 is
/// this machine): a client address of its own, for tests that keep throttling per address
/// out of their way or test it.
pub fn browser_like_client_from(addr: SocketAddr, local: Option<std::net::IpAddr>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, format!("http://{addr}").parse().expect("an origin"));
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .local_address(local)
        .build()
        .expect("an HTTP client")
}

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Creates a user holding one grant (`tenant`, `region`, `orgs` as the role needs).
    pub async fn add_user(&self, email: &str, role: Role, tenant: Option<&str>, region: Option<&str>, orgs: &[&str]) {
        let hash = backend::auth::password::hash(PASSWORD.to_owned()).await.expect("hashing");
        let grant = NewGrant {
            role,
            tenant: tenant.map(str::to_owned),
            region: region.map(str::to_owned),
            organisations: orgs.iter().map(|o| o.to_string()).collect(),
        };
        let mut tx = self.admin.begin().await.expect("a transaction");
        let contact = backend::auth::users::Contact::email(email).expect("an address");
        backend::auth::users::add_user(&mut tx, None, &contact, "", backend::auth::users::Password::Set(&hash), &grant)
            .await
            .expect("adding a user");
        tx.commit().await.expect("commit");
    }

    /// A new client signed in as `email`.
    pub async fn sign_in(&self, email: &str) -> reqwest::Client {
        self.sign_in_from(email, None).await
    }

    /// A new client signed in as `email`, its requests coming from `local`.
    pub async fn sign_in_from(&self, email: &str, local: Option<std::net::IpAddr>) -> reqwest::Client {
        let client = browser_like_client_from(self.addr, local);
        let response = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), 200, "signing in as {email}");
        client
    }
}

/// Submits `value` for `period` on indicator `indicator` of tenant `slug` as `client` and
/// approves it as the same client (a tenant admin). Returns the approved report.
pub async fn report_and_approve(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    indicator: Uuid,
    period: &str,
    value: f64,
) -> serde_json::Value {
    let url = app.url(&format!("/api/v1/tenants/{slug}/indicators/{indicator}/reports"));
    let response =
        client.post(&url).json(&serde_json::json!({"period": period, "value": value})).send().await.expect("report");
    assert_eq!(response.status(), 201, "submitting {period} = {value}");
    let report: serde_json::Value = response.json().await.expect("a report");
    let approve = format!("{url}/{}/approve", report["id"].as_str().expect("an id"));
    let response =
        client.post(approve).header("if-match", format!("\"{}\"", report["version"])).send().await.expect("approval");
    assert_eq!(response.status(), 200, "approving {period} = {value}");
    response.json().await.expect("the approved report")
}

/// Where the built browser bundle is (`scripts/test.sh` builds it before the tests).
pub fn site_root() -> PathBuf {
    std::env::var("PLANBOARD_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"))
}

/// A pool on the same database as `admin`, logged in as the application role, set up as the
/// server's except that a connection idle for longer than `ping_after_idle` is pinged.
pub async fn app_role_pool(admin: &PgPool, ping_after_idle: Duration) -> PgPool {
    let options = (*admin.connect_options()).clone().username("planboard_app").password(APP_ROLE_PASSWORD);
    backend::infra::db::pool_options(8, ping_after_idle)
        .connect_with(options)
        .await
        .expect("cannot connect as planboard_app")
}

/// Starts the application on a fresh, migrated database (`admin`), seeded with Qianjiang.
pub async fn spawn_app(admin: PgPool) -> TestApp {
    spawn_unseeded(seeded(admin).await).await
}

/// Loads the Qianjiang seed into a fresh, migrated database.
pub async fn seeded(admin: PgPool) -> PgPool {
    backend::ops::seed::seed(&admin).await.expect("seeding failed");
    admin
}

/// Starts the application on a seeded database, with the view cache on Redis at
/// `REDIS_URL` (the test script's Redis) when set.
pub async fn spawn_unseeded(admin: PgPool) -> TestApp {
    let redis = std::env::var("REDIS_URL").ok();
    spawn_with_redis(admin, redis.as_deref()).await
}

/// Starts the application on an already seeded database, with its cache on `redis`.
pub async fn spawn_with_redis(admin: PgPool, redis: Option<&str>) -> TestApp {
    let app_pool = app_role_pool(&admin, backend::infra::db::PING_AFTER_IDLE).await;
    spawn_on_pool(admin, app_pool, redis).await
}

/// Starts the application on an already seeded database, serving through `app_pool`.
pub async fn spawn_on_pool(admin: PgPool, app_pool: PgPool, redis: Option<&str>) -> TestApp {
    spawn_adjusted(admin, app_pool, redis, |state| state).await
}

/// Starts the application on a fresh, migrated database seeded with Qianjiang, with other
/// request rates per client address than the defaults.
pub async fn spawn_with_rate_policy(admin: PgPool, policy: backend::config::RatePolicy) -> TestApp {
    let admin = seeded(admin).await;
    let app_pool = app_role_pool(&admin, backend::infra::db::PING_AFTER_IDLE).await;
    let redis = std::env::var("REDIS_URL").ok();
    spawn_adjusted(admin, app_pool, redis.as_deref(), |state| state.with_rate_policy(&policy)).await
}

/// Starts the application with its state as `adjust` makes it.
async fn spawn_adjusted(
    admin: PgPool,
    app_pool: PgPool,
    redis: Option<&str>,
    adjust: impl FnOnce(AppState) -> AppState,
) -> TestApp {
    backend::infra::db::ensure_rls_applies(&app_pool).await.expect("the app role must be subject to RLS");
    let clock = Arc::new(FixedClock::at(TODAY.parse().expect("TODAY is a timestamp")));
    let cache = ViewCache::new(redis).expect("a Redis URL");
    let state = adjust(backend::startup::state(app_pool.clone(), clock.clone(), site_root(), cache.clone()));
    let mirror = state.mirror.clone();
    let contract = contract::Contract::default();
    let router =
        backend::web::router(state).layer(axum::middleware::from_fn_with_state(contract.clone(), contract::check));
    let app = Application::with_router(router, "127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the server cannot bind");
    let addr = app.local_addr().expect("bound address");
    let server = tokio::spawn(app.run_until_stopped());
    let client = browser_like_client(addr);
    TestApp { addr, client, admin, app_pool, clock, cache, mirror, contract, server }
}

/// The `backend` command line as built for the tests, and the environment that points it at
/// the database of `admin` (as its owner, like `backend migrate`).
fn backend_binary_on(admin: &PgPool) -> (PathBuf, [(&'static str, String); 2]) {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let binary = target.join("debug/backend");
    assert!(binary.exists(), "{} is missing: cargo build -p backend", binary.display());
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL names the test server");
    let database = admin.connect_options().get_database().expect("a test database").to_owned();
    let url = format!("{}/{database}", base.rsplit_once('/').map_or(base.as_str(), |(server, _)| server));
    (binary, [("DATABASE_ADMIN_URL", url.clone()), ("DATABASE_URL", url)])
}

/// Runs the `backend` command line on the database of `admin`; returns what it printed.
/// Panics when it fails.
pub fn backend_cli(admin: &PgPool, args: &[&str]) -> String {
    let (binary, env) = backend_binary_on(admin);
    let output = std::process::Command::new(binary)
        .args(args)
        .envs(env)
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .output()
        .expect("the backend command runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "backend {args:?}: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// Runs `scripts/first_run.sh` (what `scripts/run.sh` does before it starts the server) on the
/// database of `admin`, for a server at `addr`; returns everything it printed, as a newcomer
/// sees it in the terminal. Panics when it fails.
pub fn first_run(admin: &PgPool, addr: SocketAddr, args: &[&str]) -> String {
    let (binary, env) = backend_binary_on(admin);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/first_run.sh");
    let output = std::process::Command::new("bash")
        .arg(script)
        .arg(binary)
        .args(args)
        .envs(env)
        .env("PLANBOARD_ADDR", addr.to_string())
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .output()
        .expect("scripts/first_run.sh runs");
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "scripts/first_run.sh {args:?}: {printed}");
    printed
}
