//! API tokens and service accounts (docs/api.md): a token acts with its owner's grants cut
//! down to its district or region and to its scopes, expires, can be revoked, stops with its
//! owner's grants, is rate-limited on its own, leaves its name in the audit trail, and works
//! on the JSON API only.

use serde_json::{Value, json};
use shared::model::Role;
use sqlx::PgPool;
use tests::{TestApp, spawn_app};
use uuid::Uuid;

/// A client that sends `secret` as its bearer token and nothing else (no cookie, no origin).
fn bearer(secret: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {secret}").parse().unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// Makes a token through the API as `client`; returns (id, secret).
async fn make_token(app: &TestApp, client: &reqwest::Client, body: Value) -> (Uuid, String) {
    let response = client.post(app.url("/api/v1/tokens")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201, "{body}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let created: Value = response.json().await.unwrap();
    (created["token"]["id"].as_str().unwrap().parse().unwrap(), created["secret"].as_str().unwrap().to_owned())
}

async fn first_indicator(app: &TestApp) -> Uuid {
    sqlx::query_scalar("select indicator_id from indicator where plan_id = $1 and code = '1.1'")
        .bind(app.seed_plan_id().await)
        .fetch_one(&app.admin)
        .await
        .unwrap()
}

async fn reporter(app: &TestApp) -> reqwest::Client {
    // Indicator 1.1 answers to 区经济信息委 (set below); the reporter reports for it.
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let indicator = first_indicator(app).await;
    let response = admin
        .put(app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/units")))
        .header("if-match", "\"1\"")
        .json(&json!({"lead": ["区经济信息委"], "responsible": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    app.add_user("reporter@qianjiang.gov.cn", Role::Reporter, Some("qianjiang"), None, &["区经济信息委"]).await;
    app.sign_in("reporter@qianjiang.gov.cn").await
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_token_does_what_its_scopes_allow_and_nothing_else(pool: PgPool) {
    let app = spawn_app(pool).await;
    let person = reporter(&app).await;
    let plan = app.seed_plan_id().await;
    let indicator = first_indicator(&app).await;
    let (_, reading) =
        make_token(&app, &person, json!({"name": "只读", "scopes": ["read"], "tenant": "qianjiang"})).await;
    let (_, reporting) =
        make_token(&app, &person, json!({"name": "填报", "scopes": ["read", "report"], "tenant": "qianjiang"})).await;
    let reports = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));

    let read = bearer(&reading);
    let list = read.get(app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators"))).send().await.unwrap();
    assert_eq!(list.status(), 200);
    let refused = read.post(&reports).json(&json!({"period": "2023", "value": 200})).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"]["code"], "insufficient_scope");

    // No Origin needed: a bearer request carries no cookie a page could ride on.
    let report = bearer(&reporting);
    let created = report.post(&reports).json(&json!({"period": "2023", "value": 200})).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();

    // Deciding, managing accounts or tokens: a person signed in, never a token.
    for (method, path) in [
        (
            "POST",
            format!(
                "/api/v1/tenants/qianjiang/indicators/{indicator}/reports/{}/approve",
                created["id"].as_str().unwrap()
            ),
        ),
        ("GET", "/api/v1/tokens".to_owned()),
        ("POST", "/api/v1/auth/password".to_owned()),
    ] {
        let response = report.request(method.parse().unwrap(), app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 403, "{method} {path}");
    }
    // Pages and forms take the session cookie only: to them a bearer is nobody.
    let page = report.get(app.url(&format!("/t/qianjiang/plans/{plan}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("reporter@qianjiang.gov.cn"), "the page was rendered for an anonymous reader");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_token_of_one_district_finds_nothing_of_another(pool: PgPool) {
    let app = spawn_app(pool).await;
    sqlx::raw_sql(
        "insert into tenant (region_id, slug, name) select region_id, 'neighbour', '邻区' from region where slug = 'chongqing';
         update plan set visibility = 'internal';",
    )
    .execute(&app.admin)
    .await
    .unwrap();
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let (_, secret) = make_token(
        &app,
        &platform,
        json!({"name": "邻区数据", "scopes": ["read", "report", "import"], "tenant": "neighbour"}),
    )
    .await;
    let token = bearer(&secret);
    let plan = app.seed_plan_id().await;
    let indicator = first_indicator(&app).await;
    for path in [
        format!("/api/v1/tenants/qianjiang/plans/{plan}"),
        format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators"),
        format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"),
    ] {
        assert_eq!(token.get(app.url(&path)).send().await.unwrap().status(), 404, "{path}");
    }
    let write = token
        .post(app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports")))
        .json(&json!({"period": "2023", "value": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 404, "a platform admin's token for one district is no key to another");
    // Nor to the region's comparison, which is a supervisor's.
    let compare = token.get(app.url("/api/v1/regions/chongqing/comparison")).send().await.unwrap();
    assert_eq!(compare.status(), 403);
    // Its own district it may read and import into, as that district's admin.
    assert_eq!(token.get(app.url("/api/v1/tenants/neighbour/plans")).send().await.unwrap().status(), 200);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_token_stops_when_it_expires_is_revoked_or_its_owner_loses_the_grant(pool: PgPool) {
    let app = spawn_app(pool).await;
    let person = reporter(&app).await;
    let indicator = first_indicator(&app).await;
    let reports = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));
    let make = |name: &'static str, days: i64| {
        let person = &person;
        let app = &app;
        async move {
            make_token(
                app,
                person,
                json!({"name": name, "scopes": ["read"], "tenant": "qianjiang", "expires_in_days": days}),
            )
            .await
        }
    };
    let (short_id, short) = make("一天", 1).await;
    let (revoked_id, revoked) = make("撤销", 30).await;
    let (_, kept) = make("保留", 30).await;
    for secret in [&short, &revoked, &kept] {
        assert_eq!(bearer(secret).get(&reports).send().await.unwrap().status(), 200);
    }
    // Expiry.
    app.clock.advance(chrono::Duration::days(2));
    let expired = bearer(&short).get(&reports).send().await.unwrap();
    assert_eq!(expired.status(), 401);
    assert!(expired.headers()["www-authenticate"].to_str().unwrap().contains("invalid_token"));
    let person = app.sign_in("reporter@qianjiang.gov.cn").await;
    let view: Value =
        person.get(app.url(&format!("/api/v1/tokens/{short_id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(view["state"], "expired");
    // Revocation.
    let revoke = person.delete(app.url(&format!("/api/v1/tokens/{revoked_id}"))).send().await.unwrap();
    assert_eq!(revoke.status(), 204);
    assert_eq!(bearer(&revoked).get(&reports).send().await.unwrap().status(), 401);
    assert_eq!(bearer(&kept).get(&reports).send().await.unwrap().status(), 200);
    // The owner's grant withdrawn: the token reads as nobody from the next request on.
    let grant: Uuid = sqlx::query_scalar(
        "select g.grant_id from role_grant g join app_user u using (user_id) where u.email = 'reporter@qianjiang.gov.cn'",
    )
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let withdrawn = admin.delete(app.url(&format!("/api/v1/tenants/qianjiang/grants/{grant}"))).send().await.unwrap();
    assert_eq!(withdrawn.status(), 204);
    assert_eq!(bearer(&kept).get(&reports).send().await.unwrap().status(), 404);
    // A token is never made for a district where its maker holds no role.
    let refused = person
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"name": "x", "scopes": ["read"], "tenant": "qianjiang"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn each_token_has_a_rate_of_its_own(pool: PgPool) {
    use backend::config::{Rate, RatePolicy};
    let policy = RatePolicy { token: Some(Rate { per_minute: 3 }), ..RatePolicy::default() };
    let app = tests::spawn_with_rate_policy(pool, policy).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let person = app.sign_in("viewer@qianjiang.gov.cn").await;
    let (_, one) = make_token(&app, &person, json!({"name": "甲", "scopes": ["read"], "tenant": "qianjiang"})).await;
    let (_, two) = make_token(&app, &person, json!({"name": "乙", "scopes": ["read"], "tenant": "qianjiang"})).await;
    let path = app.url("/api/v1/tenants/qianjiang/plans");
    for _ in 0..3 {
        assert_eq!(bearer(&one).get(&path).send().await.unwrap().status(), 200);
    }
    let limited = bearer(&one).get(&path).send().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(bearer(&two).get(&path).send().await.unwrap().status(), 200, "another token has its own rate");
    assert_eq!(person.get(&path).send().await.unwrap().status(), 200, "the person's session is not limited by it");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_token_is_stored_hashed_shown_once_its_use_recorded_and_its_writes_audited_under_its_name(pool: PgPool) {
    let app = spawn_app(pool).await;
    let person = reporter(&app).await;
    let (id, secret) =
        make_token(&app, &person, json!({"name": "市数据局接口", "scopes": ["read", "report"], "tenant": "qianjiang"}))
            .await;
    assert!(secret.starts_with("pb_"));
    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from api_token where token_id = $1")
        .bind(id)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_ne!(stored, secret.as_bytes());
    let everything: String =
        sqlx::query_scalar("select string_agg(t::text, ' ') from api_token t").fetch_one(&app.admin).await.unwrap();
    assert!(!everything.contains(&secret[3..]), "no column holds the secret");
    let view: Value = person.get(app.url(&format!("/api/v1/tokens/{id}"))).send().await.unwrap().json().await.unwrap();
    assert!(view.get("secret").is_none());
    assert!(view["last_used_at"].is_null());
    assert_eq!(view["prefix"], secret[..8]);

    let indicator = first_indicator(&app).await;
    let created = bearer(&secret)
        .post(app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports")))
        .json(&json!({"period": "2023", "value": 229.715}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let view: Value = person.get(app.url(&format!("/api/v1/tokens/{id}"))).send().await.unwrap().json().await.unwrap();
    assert!(view["last_used_at"].is_string(), "{view}");

    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let audit: Value =
        admin.get(app.url("/api/v1/tenants/qianjiang/audit")).send().await.unwrap().json().await.unwrap();
    let event = audit["events"].as_array().unwrap().iter().find(|e| e["action"] == "report.create").unwrap();
    assert_eq!(event["actor_email"], "reporter@qianjiang.gov.cn");
    assert_eq!(event["token"], format!("市数据局接口 ({}…)", &secret[..8]));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_service_account_outlives_the_admin_who_made_it_and_stops_when_disabled(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let account = admin
        .post(app.url("/api/v1/service-accounts"))
        .json(&json!({"name": "区大数据中心", "tenant": "qianjiang", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 201);
    let account: Value = account.json().await.unwrap();
    let (token_id, secret) =
        make_token(&app, &admin, json!({"name": "夜间同步", "scopes": ["read"], "service_account": account["id"]}))
            .await;
    let token = bearer(&secret);
    let plans = app.url("/api/v1/tenants/qianjiang/plans");
    assert_eq!(token.get(&plans).send().await.unwrap().status(), 200);
    // Nobody signs in as it.
    let email: String = sqlx::query_scalar("select email from app_user where user_id = $1")
        .bind(account["id"].as_str().unwrap().parse::<Uuid>().unwrap())
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let signin = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": "anything at all"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signin.status(), 401);
    // It is not among the district's people.
    let users: Value =
        admin.get(app.url("/api/v1/tenants/qianjiang/users")).send().await.unwrap().json().await.unwrap();
    assert!(users.as_array().unwrap().iter().all(|u| u["email"] != email.as_str()));

    // The admin who made it leaves; the account and its token stay.
    app.add_user("admin2@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let successor = app.sign_in("admin2@qianjiang.gov.cn").await;
    let grant: Uuid = sqlx::query_scalar(
        "select g.grant_id from role_grant g join app_user u using (user_id) where u.email = 'admin@qianjiang.gov.cn'",
    )
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let left = successor.delete(app.url(&format!("/api/v1/tenants/qianjiang/grants/{grant}"))).send().await.unwrap();
    assert_eq!(left.status(), 204);
    assert_eq!(token.get(&plans).send().await.unwrap().status(), 200);
    // The successor sees and manages it.
    let tokens: Value = successor.get(app.url("/api/v1/tokens")).send().await.unwrap().json().await.unwrap();
    assert!(
        tokens
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == token_id.to_string() && t["owner"]["service_account"] == true)
    );
    let disabled = successor
        .delete(app.url(&format!("/api/v1/service-accounts/{}", account["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 204);
    assert_eq!(token.get(&plans).send().await.unwrap().status(), 401);
    let view: Value =
        successor.get(app.url(&format!("/api/v1/tokens/{token_id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(view["state"], "revoked");
}
