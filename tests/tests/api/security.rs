//! Defects an outside probe found, each kept closed by a test: work done before the access
//! check, redirects off the site, memory an anonymous caller can grow, throttles that can be
//! sidestepped, NUL bytes reaching PostgreSQL, server functions that answer every refusal
//! with 500, and internal notes in a public export.

use reqwest::StatusCode;
use serde_json::json;
use shared::model::Role;
use sqlx::PgPool;
use std::time::Duration;
use tests::{PASSWORD, TestApp, browser_like_client, spawn_app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends the head of a request announcing a body of `announced` bytes, then only the first
/// `sent` bytes of it, and returns the status line of whatever the server answers before the
/// rest arrives (None when it waits for the body, as long as `patience`).
async fn answer_before_the_body(
    app: &TestApp,
    path: &str,
    extra_headers: &str,
    announced: usize,
    sent: usize,
) -> Option<String> {
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: http://{}\r\nContent-Length: {announced}\r\n{extra_headers}\r\n",
        app.addr, app.addr
    );
    stream.write_all(head.as_bytes()).await.expect("write the head");
    stream.write_all(&vec![b'x'; sent]).await.expect("write part of the body");
    let mut answer = vec![0u8; 4096];
    let patience = Duration::from_secs(10);
    match tokio::time::timeout(patience, stream.read(&mut answer)).await {
        Ok(Ok(n)) if n > 0 => {
            let text = String::from_utf8_lossy(&answer[..n]).into_owned();
            Some(text.lines().next().unwrap_or_default().to_owned())
        }
        _ => None,
    }
}

/// The seed plan's first indicator.
async fn first_indicator(app: &TestApp) -> uuid::Uuid {
    sqlx::query_scalar("select indicator_id from indicator order by position limit 1")
        .fetch_one(&app.admin)
        .await
        .expect("the seed has indicators")
}

/// Signs in as `email` and returns the session cookie as a request sends it.
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn an_import_is_refused_before_its_body_is_read(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    // Anonymous: 401 while the body is still on its way.
    let status = answer_before_the_body(
        &app,
        "/api/v1/tenants/qianjiang/plans/import?dry_run=true",
        "Content-Type: text/plain\r\n",
        3_000_000,
        1000,
    )
    .await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 401 Unauthorized"), "anonymous JSON import");
    // The wizard's upload, anonymous.
    let status = answer_before_the_body(
        &app,
        "/forms/import?tenant=qianjiang",
        "Content-Type: multipart/form-data; boundary=X\r\n",
        3_000_000,
        1000,
    )
    .await;
    let status = status.expect("the wizard's upload answered before the body arrived");
    assert!(status.starts_with("HTTP/1.1 303") || status.starts_with("HTTP/1.1 401"), "{status}");
    // Announcing more than the limit: 413 at once, for an admin too.
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let cookie = session_cookie(&app, "admin@qianjiang.gov.cn").await;
    let status = answer_before_the_body(
        &app,
        "/api/v1/tenants/qianjiang/plans/import?dry_run=true",
        &format!("Content-Type: text/plain\r\nCookie: {cookie}\r\n"),
        backend::import::MAX_BYTES + 1,
        1000,
    )
    .await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 413 Payload Too Large"), "an import over the limit");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn sign_in_redirects_only_to_a_path_of_this_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let offsite = [
        "/\\evil.example/",
        "/\\/evil.example/",
        "//evil.example/",
        "/\t/evil.example/",
        "/%09/evil.example/",
        "/%5Cevil.example/",
        "/\r\n/evil.example",
        "/\u{200b}/evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "",
    ];
    for next in offsite {
        for (email, password) in [("admin@qianjiang.gov.cn", PASSWORD), ("admin@qianjiang.gov.cn", "wrong password!")] {
            let response = client
                .post(app.url("/session"))
                .header("origin", format!("http://{}", app.addr))
                .form(&[("email", email), ("password", password), ("next", next)])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "next={next:?}");
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            assert!(
                location == "/me" || location.starts_with("/login?"),
                "next={next:?} sent the browser to {location:?}"
            );
            assert!(!location.contains("evil.example") || location.starts_with("/login?"), "{location}");
        }
    }
    let response = client
        .post(app.url("/session"))
        .header("origin", format!("http://{}", app.addr))
        .form(&[("email", "admin@qianjiang.gov.cn"), ("password", PASSWORD), ("next", "/t/qianjiang?area=2")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/t/qianjiang?area=2", "a path of this site is kept");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_comparison_keeps_nothing_for_callers_it_refuses_or_keys_the_catalog_lacks(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("sup@cq.gov.cn", Role::Supervisor, None, Some("chongqing"), &[]).await;
    let before = app.mirror.held_regions();
    for i in 0..50 {
        let key = format!("no_such_key_{i}_{}", "x".repeat(2000));
        let response = app.get(&format!("/api/v1/regions/chongqing/comparison?indicator={key}")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.mirror.held_regions(), before, "anonymous requests grew the mirror");
    let supervisor = app.sign_in("sup@cq.gov.cn").await;
    for i in 0..50 {
        let response = supervisor
            .get(app.url(&format!("/api/v1/regions/chongqing/comparison?indicator=no_such_key_{i}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
    }
    let response = supervisor
        .get(app.url(&format!("/api/v1/regions/chongqing/comparison?indicator={}", "A".repeat(5000))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "a key that cannot be a catalog key");
    assert!(app.mirror.held_regions() <= before + 1, "keys the catalog lacks grew the mirror");
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> StatusCode {
    browser_like_client(app.addr)
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn another_spelling_of_an_address_shares_its_accounts_throttle(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("victim@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    for _ in 0..5 {
        assert_eq!(login_status(&app, "victim@qianjiang.gov.cn", "a wrong guess!").await, StatusCode::UNAUTHORIZED);
    }
    for spelling in ["vİctim@qianjiang.gov.cn", "VICTIM@qianjiang.gov.cn", " victim@qianjiang.gov.cn"] {
        let status = login_status(&app, spelling, "another wrong guess").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{spelling:?} got a password check");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn concurrent_wrong_guesses_get_no_more_password_checks_than_the_limit(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("victim@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let guesses = (0..29).map(|i| {
        let app = &app;
        async move { login_status(app, "victim@qianjiang.gov.cn", &format!("wrong guess {i:02}")).await }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + refused, 29, "{statuses:?}");
    assert!(checked <= backend::auth::throttle::ACCOUNT_FREE_FAILURES as usize, "{checked} guesses were checked");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn nul_bytes_in_text_are_refused_with_a_clear_error(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let plan = app.seed_plan_id().await;
    let indicator = first_indicator(&app).await;
    let anonymous = browser_like_client(app.addr);
    // Paths: 404 (no such resource can exist).
    for path in [
        "/api/v1/tenants/qian%00jiang/plans".to_owned(),
        format!("/api/v1/tenants/qianjiang%00/plans/{plan}/indicators"),
        "/t/qian%00jiang".to_owned(),
        "/regions/chong%00qing".to_owned(),
    ] {
        let response = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // Query values: 400 with the API's error.
    for path in ["/api/v1/regions/chongqing/comparison?indicator=a%00b", "/api/v1/tenants/qianjiang/audit?before=%00"] {
        let response = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("NUL"), "{body}");
    }
    // JSON strings, signed in and not.
    let report = format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports");
    for (client, body) in [
        (&admin, json!({"period": "2023", "value": 1, "note": "a\u{0}b"})),
        (&admin, json!({"period": "20\u{0}23", "value": 1})),
        (&anonymous, json!({"period": "2023", "value": 1, "note": "\u{0}"})),
    ] {
        let response = client.post(app.url(&report)).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: serde_json::Value = response.json().await.unwrap();
        assert!(error["error"]["message"].as_str().unwrap().contains("NUL"), "{error}");
    }
    for body in [json!({"email": "a\u{0}@b.cn", "password": "x"}), json!({"email": "a@b.cn", "password": "\u{0}"})] {
        let response = anonymous.post(app.url("/api/v1/auth/login")).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    }
    // Form fields.
    for (path, form) in [
        ("/session", vec![("email", "a\u{0}@b.cn"), ("password", "x"), ("next", "/")]),
        (
            "/forms/reports",
            vec![("tenant", "qianjiang"), ("indicator", "x"), ("period", "2023"), ("value", "1"), ("note", "\u{0}")],
        ),
    ] {
        // The client follows the redirect back to the form's page, which shows the error.
        let response = admin.post(app.url(path)).form(&form).send().await.unwrap();
        let shown = response.url().query().is_some_and(|q| q.contains("error=") && q.contains("NUL"));
        assert!(response.status().is_client_error() || shown, "{path}: {} at {}", response.status(), response.url());
    }
    // A pasted plan with a NUL byte: 422 naming its place, nothing written.
    let response = admin
        .post(app.url("/api/v1/tenants/qianjiang/plans/import"))
        .header("content-type", "text/plain")
        .body("某区规划\n一、发展目标\n\u{0}\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: serde_json::Value = response.json().await.unwrap();
    assert!(report["errors"].to_string().contains("NUL"), "{report}");
    // Binary uploads keep their NUL bytes: the workbook export imports back.
    let workbook = admin
        .get(app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/export.xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(workbook.contains(&0u8), "a workbook has NUL bytes");
    let response = admin
        .post(app.url("/api/v1/tenants/qianjiang/plans/import?dry_run=true"))
        .body(workbook.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the workbook imports back");
}

/// Calls a server function the way the hydrated pages do.
async fn server_function(client: &reqwest::Client, app: &TestApp, name: &str, args: &[(&str, &str)]) -> StatusCode {
    client.post(app.url(&format!("/sfn/{name}"))).form(args).send().await.unwrap().status()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn server_functions_answer_refusals_as_the_api_does(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let anonymous = browser_like_client(app.addr);
    let viewer = app.sign_in("viewer@qianjiang.gov.cn").await;
    let missing = uuid::Uuid::new_v4().to_string();
    assert_eq!(server_function(&anonymous, &app, "my_work", &[]).await, StatusCode::UNAUTHORIZED);
    assert_eq!(server_function(&viewer, &app, "approvals", &[("tenant", "qianjiang")]).await, StatusCode::FORBIDDEN);
    assert_eq!(
        server_function(&viewer, &app, "dashboard", &[("tenant", "qianjiang"), ("plan", &missing)]).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server_function(&anonymous, &app, "tenant_plans", &[("tenant", "nowhere")]).await,
        StatusCode::NOT_FOUND
    );
    let plan = app.seed_plan_id().await.to_string();
    assert_eq!(
        server_function(&viewer, &app, "dashboard", &[("tenant", "qianjiang"), ("plan", &plan)]).await,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_public_export_holds_exactly_what_the_public_page_shows(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let plan = app.seed_plan_id().await;
    let indicator = first_indicator(&app).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));
    let secret = "内部备注：数据尚待统计局核实";
    let source = "内部来源：区统计局快报";
    let response = admin
        .post(&url)
        .json(&json!({"period": "2023", "value": 229.715, "note": secret, "source": source}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let report: serde_json::Value = response.json().await.unwrap();
    let response = admin
        .post(format!("{url}/{}/approve", report["id"].as_str().unwrap()))
        .header("if-match", format!("\"{}\"", report["version"]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let task: uuid::Uuid =
        sqlx::query_scalar("select task_id from task order by position limit 1").fetch_one(&app.admin).await.unwrap();
    let task_note = "内部进展说明：资金尚未到位";
    let response = admin
        .post(app.url(&format!("/api/v1/tenants/qianjiang/tasks/{task}/updates")))
        .json(&json!({"status": "in_progress", "percent": 40, "note": task_note}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    // What the public page shows of the indicator: its approved values, nothing else.
    let page = app.get(&format!("/t/qianjiang/indicators/{indicator}")).await.text().await.unwrap();
    assert!(page.contains("229.715") && !page.contains(secret), "the public page");
    let workbook = app.get(&format!("/api/v1/tenants/qianjiang/plans/{plan}/export.xlsx")).await;
    assert_eq!(workbook.status(), 200);
    let sheets = backend::import::xlsx::sheets(&workbook.bytes().await.unwrap()).unwrap();
    let cells: Vec<String> =
        sheets.iter().flat_map(|s| s.rows.iter().flat_map(|(_, cells)| cells.iter().cloned())).collect();
    for internal in [secret, source, task_note, "admin@qianjiang.gov.cn"] {
        assert!(!cells.iter().any(|c| c.contains(internal)), "the public workbook holds {internal:?}");
    }
    let reports = sheets.iter().find(|s| s.name == "指标填报").unwrap();
    assert!(reports.rows.iter().skip(1).any(|(_, r)| r.iter().any(|c| c == "229.715")), "the approved value is there");
    let json = app.get(&format!("/api/v1/tenants/qianjiang/plans/{plan}/export.json")).await.text().await.unwrap();
    for internal in [secret, source, task_note] {
        assert!(!json.contains(internal), "the public JSON export holds {internal:?}");
    }
    // The district's own staff get everything.
    let internal =
        admin.get(app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/export.xlsx"))).send().await.unwrap();
    let sheets = backend::import::xlsx::sheets(&internal.bytes().await.unwrap()).unwrap();
    let cells: Vec<String> =
        sheets.iter().flat_map(|s| s.rows.iter().flat_map(|(_, cells)| cells.iter().cloned())).collect();
    assert!(cells.iter().any(|c| c.contains(secret)) && cells.iter().any(|c| c.contains(task_note)));
}

fn client_from(address: &str, app: &TestApp) -> reqwest::Client {
    tests::browser_like_client_from(app.addr, Some(address.parse().unwrap()))
}

async fn login_from(client: &reqwest::Client, app: &TestApp, email: &str, password: &str) -> StatusCode {
    let body = json!({"email": email, "password": password});
    client.post(app.url("/api/v1/auth/login")).json(&body).send().await.unwrap().status()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_guesser_elsewhere_does_not_lock_the_owner_out(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("victim@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let guesser = client_from("127.0.0.2", &app);
    for _ in 0..5 {
        assert_eq!(login_from(&guesser, &app, "victim@qianjiang.gov.cn", "a wrong guess!").await, 401);
    }
    assert_eq!(login_from(&guesser, &app, "victim@qianjiang.gov.cn", PASSWORD).await, 429, "the guesser waits");
    let owner = client_from("127.0.0.1", &app);
    assert_eq!(login_from(&owner, &app, "victim@qianjiang.gov.cn", PASSWORD).await, 200, "the owner gets in");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn signing_in_to_ones_own_account_does_not_reset_the_addresss_count(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("guesser@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let guesser = client_from("127.0.0.3", &app);
    let mut refused = 0;
    for round in 0..3 {
        for target in 0..9 {
            let status = login_from(&guesser, &app, &format!("target{target}@x.cn"), &format!("guess {round}")).await;
            refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
        }
        // Between rounds, a sign-in to the guesser's own account.
        login_from(&guesser, &app, "guesser@qianjiang.gov.cn", PASSWORD).await;
    }
    assert!(refused > 0, "27 guesses from one address were all checked");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_burst_of_sign_ins_from_one_office_address_all_get_in(pool: PgPool) {
    // An office behind one address at nine in the morning: more people at once than the
    // address's free failures, every one with the right password.
    let app = spawn_app(pool).await;
    let people: Vec<String> = (0..30).map(|i| format!("staff{i}@qianjiang.gov.cn")).collect();
    for email in &people {
        app.add_user(email, Role::Viewer, Some("qianjiang"), None, &[]).await;
    }
    let office = client_from("127.0.0.4", &app);
    let answers =
        futures::future::join_all(people.iter().map(|email| login_from(&office, &app, email, PASSWORD))).await;
    let refused = answers.iter().filter(|s| **s != StatusCode::OK).count();
    assert_eq!(refused, 0, "{refused} of {} right passwords were refused: {answers:?}", people.len());
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn wrong_current_passwords_are_throttled_like_sign_ins(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let client = app.sign_in("admin@qianjiang.gov.cn").await;
    let change = |current: &'static str| {
        client
            .post(app.url("/api/v1/auth/password"))
            .json(&json!({"current_password": current, "new_password": "a new long password"}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(change("a wrong guess!").await.unwrap().status(), 422);
    }
    let response = change(PASSWORD).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "a sixth guess waits, even the right one");
    assert!(response.headers().contains_key("retry-after"));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn answers_to_a_signed_in_caller_are_private_and_secrets_are_not_stored(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let plan = app.seed_plan_id().await;
    for path in
        ["/api/v1/me".to_owned(), format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard"), "/t/qianjiang".into()]
    {
        let response = admin.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "private, no-cache", "{path}");
    }
    let anonymous = app.get("/api/v1/tenants").await;
    assert!(
        anonymous.headers().get("cache-control").is_none_or(|v| !v.to_str().unwrap().contains("private")),
        "a public answer"
    );
    let invited = admin
        .post(app.url("/api/v1/tenants/qianjiang/users"))
        .json(&json!({"email": "new@qianjiang.gov.cn", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201);
    assert_eq!(invited.headers()["cache-control"], "no-store", "an answer carrying a secret");
}

/// A plan document with one indicator carrying `catalog_key`.
fn document_with_catalog_key(title: &str) -> serde_json::Value {
    json!({
        "format": "planboard.plan/1", "title": title, "issuer": "某区人民政府", "document_number": null,
        "issued_on": "2023-01-01", "period_start": 2023, "period_end": 2025, "visibility": "internal",
        "status": "draft", "notes": null, "source_text": null, "areas": [{"name": "工业"}],
        "indicators": [{"area": "工业", "code": "1", "name": "规上工业总产值", "unit": "亿元",
            "baseline_year": 2022, "baseline_value": 100, "target_year": 2025, "target_value": 150,
            "comparator": "ge", "catalog_key": "industrial_output_above_scale", "notes": null}],
        "tasks": []
    })
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn only_platform_admins_set_catalog_keys_through_an_import(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let key_of = |title: &'static str| {
        sqlx::query_scalar::<_, Option<String>>(
            "select i.catalog_key from indicator i join plan p using (plan_id) where p.title = $1",
        )
        .bind(title)
        .fetch_one(&app.admin)
    };
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let response = admin
        .post(app.url("/api/v1/tenants/qianjiang/plans/import"))
        .json(&document_with_catalog_key("区管理员导入的规划"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let report: serde_json::Value = response.json().await.unwrap();
    assert!(report["warnings"].to_string().contains("indicators[0].catalog_key"), "{report}");
    assert_eq!(key_of("区管理员导入的规划").await.unwrap(), None, "a tenant admin's key is left out");
    let platform = app.sign_in("platform@planboard.cn").await;
    let response = platform
        .post(app.url("/api/v1/tenants/qianjiang/plans/import"))
        .json(&document_with_catalog_key("平台导入的规划"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(key_of("平台导入的规划").await.unwrap().as_deref(), Some("industrial_output_above_scale"));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn refused_anonymous_writes_stay_out_of_the_districts_audit_log(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let indicator = first_indicator(&app).await;
    let events = || {
        sqlx::query_scalar::<_, i64>("select count(*) from audit_event where tenant_id is not null")
            .fetch_one(&app.admin)
    };
    let before = events().await.unwrap();
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));
    let plan = app.seed_plan_id().await;
    let anonymous = browser_like_client(app.addr);
    for _ in 0..5 {
        for (method, path, body) in [
            (
                "POST",
                format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"),
                json!({"period": "2023", "value": 1}),
            ),
            ("POST", "/api/v1/tenants/qianjiang/plans/import".to_owned(), json!({})),
            (
                "PUT",
                format!("/api/v1/tenants/qianjiang/plans/{plan}/publication"),
                json!({"status": "archived", "visibility": "public"}),
            ),
            ("POST", "/api/v1/tenants/qianjiang/users".to_owned(), json!({"email": "x@y.cn", "role": "viewer"})),
            (
                "PUT",
                format!("/api/v1/tenants/qianjiang/indicators/{indicator}/units"),
                json!({"lead": [], "responsible": []}),
            ),
        ] {
            let response = anonymous
                .request(method.parse().unwrap(), app.url(&path))
                .header("if-match", "\"1\"")
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 401, "{method} {path}");
        }
    }
    assert_eq!(events().await.unwrap(), before, "anonymous refusals were written to the audit log");
    let viewer = app.sign_in("viewer@qianjiang.gov.cn").await;
    let response = viewer.post(&url).json(&json!({"period": "2023", "value": 1})).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(events().await.unwrap(), before + 1, "a signed-in caller's refusal is audited");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn identifiers_and_names_with_invisible_characters_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let post = |path: &str, body: serde_json::Value| platform.post(app.url(path)).json(&body).send();
    for (path, body) in [
        ("/api/v1/regions", json!({"slug": "guizhou", "name": "贵州\u{202E}省"})),
        ("/api/v1/tenants", json!({"slug": "xiushan", "name": "秀山\u{200B}县", "region": "chongqing"})),
        (
            "/api/v1/tenants",
            json!({"slug": "xiushan", "name": "秀山县", "name_en": "Xiu\u{2066}shan", "region": "chongqing"}),
        ),
        (
            "/api/v1/tenants/qianjiang/users",
            json!({"email": "admin@\u{202E}nc.vog.qianjiang.gov.cn", "role": "viewer"}),
        ),
        ("/api/v1/tenants/qianjiang/users", json!({"email": "a\u{200B}dmin@qianjiang.gov.cn", "role": "viewer"})),
        (
            "/api/v1/tenants/qianjiang/users",
            json!({"email": "x@qianjiang.gov.cn", "display_name": "张\u{202E}三", "role": "viewer"}),
        ),
    ] {
        let response = post(path, body.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}");
    }
    let regions: i64 = sqlx::query_scalar("select count(*) from region").fetch_one(&app.admin).await.unwrap();
    let users: i64 = sqlx::query_scalar("select count(*) from app_user").fetch_one(&app.admin).await.unwrap();
    assert_eq!((regions, users), (1, 1), "nothing was created");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_form_that_cannot_be_read_goes_back_to_its_page_with_the_message(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    for (path, form) in [
        ("/forms/reports", vec![("tenant", "qianjiang")]),
        ("/forms/task-updates", vec![("status", "done")]),
        ("/forms/reports/approve", vec![]),
    ] {
        let response = admin.post(app.url(path)).header("referer", app.url("/work")).form(&form).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}: the page, shown again");
        assert!(response.url().path() == "/work", "{path}: back at {}", response.url());
        assert!(response.url().query().is_some_and(|q| q.contains("error=")), "{path}: {}", response.url());
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn free_text_with_a_direction_override_is_shown_isolated(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let indicator = first_indicator(&app).await;
    let note = "数据\u{202E}待核实";
    let response = admin
        .post(app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports")))
        .json(&json!({"period": "2023", "value": 1, "note": note}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "free text keeps what was written");
    let page = admin.get(app.url("/t/qianjiang/approvals")).send().await.unwrap().text().await.unwrap();
    let at = page.find(note).expect("the note is on the page");
    let before = &page[..at];
    assert!(
        before.rfind("<bdi").is_some_and(|open| before.rfind("</bdi>").is_none_or(|close| close < open)),
        "the note is not inside a <bdi>"
    );
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn anonymous_requests_and_sign_ins_are_limited_per_client_address(pool: PgPool) {
    use backend::config::{Rate, RatePolicy};
    let policy = RatePolicy {
        anonymous: Some(Rate { per_minute: 5 }),
        sign_in: Some(Rate { per_minute: 3 }),
        token: None,
        trusted_proxies: vec!["127.0.0.9/32".parse().unwrap()],
    };
    let app = tests::spawn_with_rate_policy(pool, policy).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let here = client_from("127.0.0.1", &app);
    for _ in 0..5 {
        assert_eq!(here.get(app.url("/api/v1/tenants")).send().await.unwrap().status(), 200);
    }
    let refused = here.get(app.url("/api/v1/tenants")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&wait), "retry after {wait} s");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
    for path in ["/healthz", "/readyz", "/pkg/frontend.js"] {
        for _ in 0..10 {
            assert_ne!(here.get(app.url(path)).send().await.unwrap().status(), 429, "{path} is never limited");
        }
    }
    // Another address has its own allowance; a forwarded address counts only from a trusted proxy.
    let elsewhere = client_from("127.0.0.2", &app);
    assert_eq!(elsewhere.get(app.url("/api/v1/tenants")).send().await.unwrap().status(), 200);
    let spoofed = here.get(app.url("/api/v1/tenants")).header("x-forwarded-for", "198.51.100.1").send().await.unwrap();
    assert_eq!(spoofed.status(), 429, "an untrusted peer cannot choose its address");
    let proxy = client_from("127.0.0.9", &app);
    for client in ["198.51.100.1", "198.51.100.2"] {
        for _ in 0..5 {
            let r = proxy.get(app.url("/api/v1/tenants")).header("x-forwarded-for", client).send().await.unwrap();
            assert_eq!(r.status(), 200, "{client} behind the proxy");
        }
    }
    // Signed-in callers are not limited as anonymous ones; sign-ins are, per address.
    let signer = client_from("127.0.0.3", &app);
    for _ in 0..3 {
        assert_eq!(login_from(&signer, &app, "viewer@qianjiang.gov.cn", PASSWORD).await, 200);
    }
    for _ in 0..8 {
        assert_eq!(signer.get(app.url("/api/v1/tenants")).send().await.unwrap().status(), 200, "signed in");
    }
    assert_eq!(login_from(&signer, &app, "viewer@qianjiang.gov.cn", PASSWORD).await, 429);
}

/// The token at the end of an invitation's link.
fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

async fn accept(client: &reqwest::Client, app: &TestApp, tenant: &str, link: &str, password: Option<&str>) -> String {
    let token = token_of(link);
    let mut form = vec![("tenant", tenant), ("token", token.as_str())];
    if let Some(password) = password {
        form.extend([("display_name", "新同事"), ("password", password), ("confirm_password", password)]);
    }
    let response = client.post(app.url("/forms/invitations/accept")).header("referer", app.url(link)).form(&form);
    let response = response.send().await.unwrap();
    response.url().to_string()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn an_invitation_is_a_one_time_link_that_grants_nothing_before_it_is_accepted(pool: PgPool) {
    let app = spawn_app(pool).await;
    sqlx::query(
        "insert into tenant (region_id, slug, name) select region_id, 'neighbour', '邻区' from region where slug = 'chongqing'",
    )
    .execute(&app.admin)
    .await
    .unwrap();
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user("admin@neighbour.gov.cn", Role::TenantAdmin, Some("neighbour"), None, &[]).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let neighbour = app.sign_in("admin@neighbour.gov.cn").await;
    let invite = |client: &reqwest::Client, tenant: &str, email: &str| {
        client
            .post(app.url(&format!("/api/v1/tenants/{tenant}/users")))
            .json(&json!({"email": email, "role": "viewer"}))
            .send()
    };
    // A new address and one that has an account elsewhere get the same answer: a link.
    let fresh = invite(&admin, "qianjiang", "new@qianjiang.gov.cn").await.unwrap();
    let known = invite(&neighbour, "neighbour", "viewer@qianjiang.gov.cn").await.unwrap();
    assert_eq!((fresh.status(), known.status()), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(fresh.headers()["cache-control"], "no-store");
    let fresh: serde_json::Value = fresh.json().await.unwrap();
    let known: serde_json::Value = known.json().await.unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&fresh), keys(&known), "the answer does not tell whether the address has an account");
    assert!(fresh.get("temporary_password").is_none() && fresh.get("new_account").is_none(), "{fresh}");
    let fresh_link = fresh["link"].as_str().unwrap().to_owned();
    let known_link = known["link"].as_str().unwrap().to_owned();
    assert!(fresh_link.starts_with("/t/qianjiang/invitations/"), "{fresh_link}");
    // Nothing exists before acceptance, and the token is stored only hashed.
    let accounts: i64 = sqlx::query_scalar("select count(*) from app_user where email = 'new@qianjiang.gov.cn'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let viewer_grants = || {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from role_grant g join app_user u using (user_id) where u.email = 'viewer@qianjiang.gov.cn'",
        )
        .fetch_one(&app.admin)
    };
    assert_eq!((accounts, viewer_grants().await.unwrap()), (0, 1), "no account, no grant yet");
    let token = token_of(&fresh_link);
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from invitation i, audit_event e
         where encode(i.token_hash, 'hex') = $1 or e.after::text like '%' || $1 || '%'",
    )
    .bind(&token)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    assert_eq!(stored, 0, "the token is neither stored nor audited as it is");

    // The link shows who invited whom to what; a new person sets a password and is in.
    let newcomer = browser_like_client(app.addr);
    let page = newcomer.get(app.url(&fresh_link)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("admin@qianjiang.gov.cn") && page.contains("黔江区") && page.contains("new@qianjiang.gov.cn")
    );
    let landed = accept(&newcomer, &app, "qianjiang", &fresh_link, Some("a long new password")).await;
    assert!(landed.ends_with("/me"), "{landed}");
    let me: serde_json::Value = newcomer.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "new@qianjiang.gov.cn");
    assert_eq!(me["grants"][0]["role"], "viewer");
    // Used once: a second use changes nothing.
    let again = browser_like_client(app.addr);
    let landed = accept(&again, &app, "qianjiang", &fresh_link, Some("another long password")).await;
    assert!(landed.contains("error="), "{landed}");

    // An account holder accepts only signed in as that account.
    let stranger = browser_like_client(app.addr);
    assert!(accept(&stranger, &app, "neighbour", &known_link, Some("a long new password")).await.contains("error="));
    assert!(accept(&admin, &app, "neighbour", &known_link, None).await.contains("error="), "another account");
    assert_eq!(viewer_grants().await.unwrap(), 1, "still no grant");
    let viewer = app.sign_in("viewer@qianjiang.gov.cn").await;
    let page = viewer.get(app.url(&known_link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("邻区") && page.contains("admin@neighbour.gov.cn"), "who invited them and to what");
    assert!(!accept(&viewer, &app, "neighbour", &known_link, None).await.contains("error="));
    assert_eq!(viewer_grants().await.unwrap(), 2, "the grant exists once accepted");

    // A link is valid for seven days.
    let late =
        invite(&admin, "qianjiang", "late@qianjiang.gov.cn").await.unwrap().json::<serde_json::Value>().await.unwrap();
    app.clock.advance(chrono::Duration::days(8));
    let landed = accept(
        &browser_like_client(app.addr),
        &app,
        "qianjiang",
        late["link"].as_str().unwrap(),
        Some("a long new password"),
    )
    .await;
    assert!(landed.contains("error="), "{landed}");
}
