//! Accounts: signing in and out, sessions, throttling, password change, CSRF, bad input.

use reqwest::StatusCode;
use serde_json::json;
use shared::model::Role;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use tests::{PASSWORD, TestApp, browser_like_client, spawn_app, spawn_unseeded};

async fn with_admin(pool: PgPool) -> TestApp {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app
}

async fn login(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("planboard_session="))
        .expect("a session cookie")
        .to_owned()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn signing_in_sets_an_http_only_cookie_and_me_shows_the_grants(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = browser_like_client(app.addr);
    let response = login(&app, &client, "Admin@Qianjiang.gov.cn", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let me: serde_json::Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "admin@qianjiang.gov.cn");
    assert_eq!(
        me["grants"],
        json!([{"role": "tenant_admin", "tenant": "qianjiang", "region": null, "scope_name": "黔江区",
                "scope_name_en": "Qianjiang District", "organisations": []}])
    );
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn unknown_account_and_wrong_password_get_one_answer_in_similar_time(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = browser_like_client(app.addr);
    let mut timings = [Vec::new(), Vec::new()];
    let mut bodies = Vec::new();
    for _ in 0..3 {
        for (i, email) in ["nobody@qianjiang.gov.cn", "admin@qianjiang.gov.cn"].iter().enumerate() {
            let started = Instant::now();
            let response = login(&app, &client, email, "not the password").await;
            timings[i].push(started.elapsed());
            assert_eq!(response.status(), 401);
            bodies.push(response.text().await.unwrap());
        }
    }
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    assert!(bodies[0].contains("wrong email or password"));
    // The unknown account is checked against a dummy hash: it costs about as much as a real
    // check (without it, it would answer in a fraction of a millisecond).
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (unknown, known) = (median(&mut timings[0]), median(&mut timings[1]));
    assert!(unknown * 3 > known, "unknown {unknown:?} vs known {known:?}");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_session_id_changes_at_every_sign_in(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = browser_like_client(app.addr);
    let first = session_cookie(&login(&app, &client, "admin@qianjiang.gov.cn", PASSWORD).await);
    let second = session_cookie(&login(&app, &client, "admin@qianjiang.gov.cn", PASSWORD).await);
    assert_ne!(first, second);
    // The first session ended when the second began.
    let token = first.split(';').next().unwrap().to_owned();
    let stale = reqwest::Client::new().get(app.url("/api/v1/me")).header("cookie", token).send().await.unwrap();
    assert_eq!(stale.status(), 401);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn signing_out_ends_the_session(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = app.sign_in("admin@qianjiang.gov.cn").await;
    assert_eq!(client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 200);
    let response = client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn sessions_end_after_idle_time_and_at_their_absolute_end(pool: PgPool) {
    let app = with_admin(pool).await;
    let me = |c: reqwest::Client| {
        let url = app.url("/api/v1/me");
        async move { c.get(url).send().await.unwrap().status() }
    };
    let idle = app.sign_in("admin@qianjiang.gov.cn").await;
    app.clock.advance(chrono::Duration::minutes(119));
    assert_eq!(me(idle.clone()).await, 200, "still within the idle time");
    app.clock.advance(chrono::Duration::minutes(121));
    assert_eq!(me(idle).await, 401, "idle for more than two hours");

    let busy = app.sign_in("admin@qianjiang.gov.cn").await;
    for _ in 0..11 {
        app.clock.advance(chrono::Duration::hours(1));
        assert_eq!(me(busy.clone()).await, 200);
    }
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(me(busy).await, 401, "twelve hours after sign-in, even when busy");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_session_outlives_a_server_restart(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = app.sign_in("admin@qianjiang.gov.cn").await;
    let token = {
        let response = login(&app, &client, "admin@qianjiang.gov.cn", PASSWORD).await;
        session_cookie(&response).split(';').next().unwrap().to_owned()
    };
    let admin = app.admin.clone();
    drop(app);
    let restarted = spawn_unseeded(admin).await;
    let response =
        reqwest::Client::new().get(restarted.url("/api/v1/me")).header("cookie", token).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn repeated_failures_are_throttled_with_a_growing_delay_until_a_success(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = browser_like_client(app.addr);
    let email = "admin@qianjiang.gov.cn";
    for _ in 0..5 {
        assert_eq!(login(&app, &client, email, "wrong password!").await.status(), 401);
    }
    let locked = login(&app, &client, email, PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(locked.headers()["retry-after"], "1");
    app.clock.advance(chrono::Duration::seconds(2));
    assert_eq!(login(&app, &client, email, "wrong password!").await.status(), 401);
    let locked = login(&app, &client, email, PASSWORD).await;
    assert_eq!(locked.headers()["retry-after"], "2", "the delay doubles");
    app.clock.advance(chrono::Duration::seconds(3));
    assert_eq!(login(&app, &client, email, PASSWORD).await.status(), 200);
    // The success cleared the count: one more failure is just a failure.
    assert_eq!(login(&app, &client, email, "wrong password!").await.status(), 401);
    assert_eq!(login(&app, &client, email, PASSWORD).await.status(), 200);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions(pool: PgPool) {
    let app = with_admin(pool).await;
    let email = "admin@qianjiang.gov.cn";
    let here = app.sign_in(email).await;
    let elsewhere = app.sign_in(email).await;
    let change = |current: &str, new: &str| {
        here.post(app.url("/api/v1/auth/password"))
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    assert_eq!(change("wrong password!", "a new long password").await.unwrap().status(), 422);
    assert_eq!(change(PASSWORD, "short").await.unwrap().status(), 422);
    assert_eq!(change(PASSWORD, "a new long password").await.unwrap().status(), 204);
    assert_eq!(here.get(app.url("/api/v1/me")).send().await.unwrap().status(), 200, "this session stays");
    assert_eq!(elsewhere.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401, "others end");
    let client = browser_like_client(app.addr);
    assert_eq!(login(&app, &client, email, PASSWORD).await.status(), 401);
    assert_eq!(login(&app, &client, email, "a new long password").await.status(), 200);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_page_on_another_site_cannot_act_for_a_signed_in_user(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = app.sign_in("admin@qianjiang.gov.cn").await;
    let logout = app.url("/api/v1/auth/logout");
    let forged = client.post(&logout).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(forged.status(), 403);
    let forged = client.post(&logout).header("origin", "null").send().await.unwrap();
    assert_eq!(forged.status(), 403);
    // Without Origin, a Referer from another site is refused too.
    let bare = {
        let token = login(&app, &client, "admin@qianjiang.gov.cn", PASSWORD).await;
        session_cookie(&token).split(';').next().unwrap().to_owned()
    };
    let plain = reqwest::Client::new();
    let response =
        plain.post(&logout).header("cookie", &bare).header("referer", "https://evil.example/x").send().await.unwrap();
    assert_eq!(response.status(), 403);
    let response = plain.post(&logout).header("cookie", &bare).send().await.unwrap();
    assert_eq!(response.status(), 403, "a cookie without any origin is refused");
    assert_eq!(client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 200, "still signed in");
    let response =
        plain.post(&logout).header("cookie", &bare).header("referer", app.url("/t/qianjiang")).send().await.unwrap();
    assert_eq!(response.status(), 204, "same-site referer");
    // Signing in from another site is refused as well (login CSRF).
    let response = plain
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "https://evil.example")
        .json(&json!({"email": "admin@qianjiang.gov.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn bad_bodies_get_json_errors_and_change_nothing(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = browser_like_client(app.addr);
    let url = app.url("/api/v1/auth/login");
    let events_before: i64 =
        sqlx::query_scalar("select count(*) from audit_event").fetch_one(&app.admin).await.unwrap();
    let cases: Vec<(reqwest::RequestBuilder, u16)> = vec![
        (client.post(&url).header("content-type", "application/json").body("{not json"), 400),
        (client.post(&url).body("email=a&password=b"), 400),
        (client.post(&url).json(&json!({"email": "admin@qianjiang.gov.cn"})), 422),
        (client.post(&url).json(&json!({"email": 5, "password": "x"})), 422),
        (client.post(&url).json(&json!({"email": "a@b.cn", "password": "x", "role": "platform_admin"})), 422),
        (client.post(&url).json(&json!({"email": "x".repeat(400), "password": "x"})), 422),
        (client.post(&url).json(&json!({"email": "a@b.cn", "password": "x".repeat(300)})), 422),
        (client.post(&url).json(&json!({"email": "a@b.cn", "password": "x".repeat(5 * 1024 * 1024)})), 413),
    ];
    for (i, (request, status)) in cases.into_iter().enumerate() {
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "case {i}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"]["message"].is_string(), "case {i}: {body}");
    }
    let events_after: i64 = sqlx::query_scalar("select count(*) from audit_event").fetch_one(&app.admin).await.unwrap();
    assert_eq!(events_before, events_after);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn sign_ins_are_audited(pool: PgPool) {
    let app = with_admin(pool).await;
    let client = browser_like_client(app.addr);
    login(&app, &client, "admin@qianjiang.gov.cn", "wrong password!").await;
    login(&app, &client, "admin@qianjiang.gov.cn", PASSWORD).await;
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_event where action like 'auth.%' order by event_id")
            .fetch_all(&app.admin)
            .await
            .unwrap();
    assert_eq!(actions, ["auth.login_failed", "auth.login"]);
    let logged: String =
        sqlx::query_scalar("select coalesce(after::text, '') from audit_event where action = 'auth.login_failed'")
            .fetch_one(&app.admin)
            .await
            .unwrap();
    assert!(!logged.contains("wrong password"), "a password reached the audit trail: {logged}");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn grants_must_have_the_scope_their_role_takes(pool: PgPool) {
    use backend::auth::users::{Contact, NewGrant, Password, UserError, add_user};
    let app = spawn_app(pool).await;
    let grant = |role, tenant: Option<&str>, region: Option<&str>, orgs: &[&str]| NewGrant {
        role,
        tenant: tenant.map(str::to_owned),
        region: region.map(str::to_owned),
        organisations: orgs.iter().map(|s| s.to_string()).collect(),
    };
    let cases = [
        grant(Role::Reporter, Some("qianjiang"), None, &[]),
        grant(Role::Reporter, Some("qianjiang"), None, &["不存在的单位"]),
        grant(Role::Supervisor, Some("qianjiang"), None, &[]),
        grant(Role::TenantAdmin, None, Some("chongqing"), &[]),
        grant(Role::PlatformAdmin, Some("qianjiang"), None, &[]),
        grant(Role::Viewer, Some("nowhere"), None, &[]),
    ];
    for g in cases {
        let mut tx = app.admin.begin().await.unwrap();
        let someone = Contact::email("someone@qianjiang.gov.cn").unwrap();
        let result = add_user(&mut tx, None, &someone, "", Password::Set("$argon2id$x"), &g).await;
        assert!(
            matches!(
                result,
                Err(UserError::Scope { .. } | UserError::UnknownOrganisation { .. } | UserError::UnknownTenant(_))
            ),
            "{g:?}"
        );
    }
    // An account is reached by a checked address or number, or by neither it is not made.
    assert!(matches!(Contact::email("not an email"), Err(UserError::InvalidEmail(_))));
    assert!(matches!(Contact::checked(None, Some("12345")), Err(UserError::InvalidMobile(_))));
    assert!(matches!(Contact::checked(Some(" "), None), Err(UserError::NoContact)));
}
