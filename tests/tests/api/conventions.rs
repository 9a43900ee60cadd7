//! What every route of the API promises (docs/api.md): creations answer 201 with a
//! `Location` that a GET answers; a POST retried with its `Idempotency-Key` creates nothing
//! new; lists come a page at a time behind `Link: rel="next"`; reads answer 304 to a current
//! `If-None-Match`; a body of the wrong shape names the field at fault.

use serde_json::{Value, json};
use shared::model::Role;
use sqlx::PgPool;
use tests::{TestApp, spawn_app};
use uuid::Uuid;

async fn admin(app: &TestApp) -> reqwest::Client {
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.sign_in("admin@qianjiang.gov.cn").await
}

async fn first_indicator(app: &TestApp) -> Uuid {
    sqlx::query_scalar("select indicator_id from indicator where plan_id = $1 order by position limit 1")
        .bind(app.seed_plan_id().await)
        .fetch_one(&app.admin)
        .await
        .unwrap()
}

async fn first_task(app: &TestApp) -> Uuid {
    sqlx::query_scalar("select task_id from task where plan_id = $1 order by position limit 1")
        .bind(app.seed_plan_id().await)
        .fetch_one(&app.admin)
        .await
        .unwrap()
}

/// POSTs `body` to `path` and checks the 201: its `Location` answers the same resource.
async fn created_and_found(app: &TestApp, client: &reqwest::Client, path: &str, body: Value) -> Value {
    let response = client.post(app.url(path)).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201, "POST {path}");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let found = client.get(app.url(&location)).send().await.unwrap();
    assert_eq!(found.status(), 200, "GET {location}");
    let found: Value = found.json().await.unwrap();
    assert!(
        ["id", "slug"].iter().any(|k| !created[k].is_null() && created[k] == found[k]),
        "GET {location} answers what POST {path} created: {created} / {found}"
    );
    found
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_creation_answers_201_with_a_location_that_a_get_answers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = admin(&app).await;
    let indicator = first_indicator(&app).await;
    let report = created_and_found(
        &app,
        &client,
        &format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"),
        json!({"period": "2023", "value": 200}),
    )
    .await;
    assert_eq!(report["value"], 200.0);
    let task = first_task(&app).await;
    created_and_found(
        &app,
        &client,
        &format!("/api/v1/tenants/qianjiang/tasks/{task}/updates"),
        json!({"status": "in_progress", "percent": 30}),
    )
    .await;
    let invitation = created_and_found(
        &app,
        &client,
        "/api/v1/tenants/qianjiang/users",
        json!({"email": "new.clerk@qianjiang.gov.cn", "role": "viewer"}),
    )
    .await;
    assert_eq!(invitation["state"], "open");
    assert!(invitation.get("link").is_none(), "the link is shown once, in the creation's answer only");

    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    created_and_found(&app, &platform, "/api/v1/regions", json!({"slug": "sichuan", "name": "四川省"})).await;
    created_and_found(
        &app,
        &platform,
        "/api/v1/tenants",
        json!({"slug": "wuhou", "name": "武侯区", "region": "sichuan"}),
    )
    .await;

    // An import's Location is the plan it created.
    let mut document =
        app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{}/export.json", app.seed_plan_id().await)).await.1;
    document["title"] = json!("另一份规划");
    let response = platform.post(app.url("/api/v1/tenants/wuhou/plans/import")).json(&document).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let report: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/tenants/wuhou/plans/{}", report["plan_id"].as_str().unwrap()));
    let plan: Value = platform.get(app.url(&location)).send().await.unwrap().json().await.unwrap();
    assert_eq!(plan["title"], "另一份规划");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_post_retried_with_its_idempotency_key_answers_the_first_answer_and_creates_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = admin(&app).await;
    let indicator = first_indicator(&app).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from indicator_report where indicator_id = $1")
            .bind(indicator)
            .fetch_one(&app.admin)
            .await
            .unwrap()
    };
    let send = |key: &'static str, period: &'static str, value: i64| {
        client.post(&url).header("idempotency-key", key).json(&json!({"period": period, "value": value})).send()
    };
    let first = send("retry-1", "2023", 200).await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let location = first.headers()["location"].clone();
    let first: Value = first.json().await.unwrap();

    // The answer was lost; the client sends the same request with the same key.
    let again = send("retry-1", "2023", 200).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(count().await, 1, "the retry created nothing");

    // The same key with another request is refused, naming the header.
    let other = send("retry-1", "2023", 300).await.unwrap();
    assert_eq!(other.status(), 422);
    assert_eq!(other.json::<Value>().await.unwrap()["error"]["field"], "Idempotency-Key");
    assert_eq!(count().await, 1);

    // Many retries at once: one runs, the others wait their turn (409) or get its answer.
    let attempts = futures::future::join_all((0..6).map(|_| send("retry-2", "2022", 210))).await;
    let statuses: Vec<u16> = attempts.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    assert!(statuses.contains(&201), "{statuses:?}");
    assert_eq!(count().await, 2, "six concurrent sends of one key made one report: {statuses:?}");

    // A key is its caller's own: another user's same key is another request altogether.
    app.add_user("admin2@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let colleague = app.sign_in("admin2@qianjiang.gov.cn").await;
    let theirs = colleague
        .post(&url)
        .header("idempotency-key", "retry-1")
        .json(&json!({"period": "2021", "value": 150}))
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 201);
    assert_eq!(count().await, 3);

    // A day later the key is forgotten.
    app.clock.advance(chrono::Duration::hours(25));
    let client = app.sign_in("admin@qianjiang.gov.cn").await;
    let later =
        client.post(&url).header("idempotency-key", "retry-1").json(&json!({"period": "2024", "value": 120})).send();
    assert_eq!(later.await.unwrap().status(), 201);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_replayed_invitation_gives_its_link_again_but_the_store_cannot_read_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = admin(&app).await;
    let invite = || {
        client
            .post(app.url("/api/v1/tenants/qianjiang/users"))
            .header("idempotency-key", "invite-clerk-7f3a9c")
            .json(&json!({"email": "clerk@qianjiang.gov.cn", "role": "viewer"}))
            .send()
    };
    let first: Value = invite().await.unwrap().json().await.unwrap();
    let again = invite().await.unwrap();
    assert_eq!(again.headers()["cache-control"], "no-store");
    assert_eq!(again.json::<Value>().await.unwrap()["link"], first["link"]);
    let token = first["link"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select response from idempotency_key where response is not null")
        .fetch_all(&app.admin)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].windows(token.len()).any(|w| w == token.as_bytes()), "the kept answer is sealed");
    let invitations: i64 = sqlx::query_scalar("select count(*) from invitation").fetch_one(&app.admin).await.unwrap();
    assert_eq!(invitations, 1);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn lists_come_a_page_at_a_time_each_naming_the_next(pool: PgPool) {
    let app = spawn_app(pool).await;
    let path = format!("/api/v1/tenants/qianjiang/plans/{}/tasks", app.seed_plan_id().await);
    let (_, all) = app.get_json(&path).await;
    let all = all.as_array().unwrap().clone();
    assert!(all.len() > 20);
    let mut seen = Vec::new();
    let mut next = Some(format!("{path}?limit=7"));
    let mut pages = 0;
    while let Some(url) = next.take() {
        let response = app.get(&url).await;
        assert_eq!(response.status(), 200, "{url}");
        next = response.headers().get("link").map(|link| {
            let link = link.to_str().unwrap();
            assert!(link.ends_with("; rel=\"next\""), "{link}");
            link.trim_start_matches('<').split('>').next().unwrap().to_owned()
        });
        let page: Vec<Value> = response.json().await.unwrap();
        assert!(page.len() <= 7 && !page.is_empty());
        seen.extend(page);
        pages += 1;
    }
    assert_eq!(pages, all.len().div_ceil(7));
    assert_eq!(seen, all, "the pages put together are the list, in its order, each item once");

    for bad in ["limit=0", "limit=1001", "limit=x", "cursor=not-a-cursor"] {
        let (status, body) = app.get_json(&format!("{path}?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_read_answers_304_while_its_etag_is_current_and_200_after_a_change(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = admin(&app).await;
    let plan = app.seed_plan_id().await;
    for path in [
        format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators"),
        format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard"),
    ] {
        let first = client.get(app.url(&path)).send().await.unwrap();
        let etag = first.headers()["etag"].clone();
        let again = client.get(app.url(&path)).header("if-none-match", etag.clone()).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = client.get(app.url(&path)).header("if-none-match", "\"something-else\"").send().await.unwrap();
        assert_eq!(other.status(), 200, "{path}");
    }
    let path = format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators");
    let etag = client.get(app.url(&path)).send().await.unwrap().headers()["etag"].clone();
    tests::report_and_approve(&app, &client, "qianjiang", first_indicator(&app).await, "2023", 229.715).await;
    let changed = client.get(app.url(&path)).header("if-none-match", etag.clone()).send().await.unwrap();
    assert_eq!(changed.status(), 200, "an approval changed the list");
    assert_ne!(changed.headers()["etag"], etag);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_body_of_the_wrong_shape_is_refused_naming_the_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = admin(&app).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{}/reports", first_indicator(&app).await));
    for (body, field) in [
        (json!({"period": 2023, "value": 1}), "period"),
        (json!({"period": "2023"}), "value"),
        (json!({"period": "2023", "value": "many"}), "value"),
        (json!({"period": "2023", "value": 1, "colour": "red"}), "colour"),
    ] {
        let response = client.post(&url).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 422, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{body}: {error}");
    }
    let malformed = client.post(&url).header("content-type", "application/json").body("{").send().await.unwrap();
    assert_eq!(malformed.status(), 400);
}
