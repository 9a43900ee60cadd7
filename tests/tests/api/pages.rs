//! The pages as the server renders them (before any wasm runs).

use sqlx::PgPool;
use tests::spawn_app;

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_plan_page_is_rendered_whole_on_the_server(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let response = app.get(&format!("/t/qianjiang/plans/{plan}")).await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("黔江区推动制造业高质量发展重点专项实施方案"));
    assert_eq!(html.matches("data-indicator=").count(), 31);
    assert_eq!(html.matches("data-task=").count(), 30);
    assert!(html.contains("万元工业增加值能耗") && html.contains("≤0.6"));
    // The hydration scripts carry the nonce the policy allows, and nothing inline runs without it.
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(html.matches("<script").count(), html.matches(&format!("nonce=\"{nonce}\"")).count());
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_area_filter_lives_in_the_url(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let html = app.get(&format!("/t/qianjiang/plans/{plan}?area=4")).await.text().await.unwrap();
    // 绿色发展专项行动: 5 indicators, 4 tasks.
    assert_eq!(html.matches("data-indicator=").count(), 5);
    assert_eq!(html.matches("data-task=").count(), 4);
    assert!(html.contains("aria-current=\"page\""));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn unit_deadline_and_status_filters_live_in_the_url(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let count =
        |sql: &'static str| async { sqlx::query_scalar::<_, i64>(sql).fetch_one(&app.admin).await.unwrap() as usize };
    let led_or_answered = count(
        "select count(distinct ta.task_id) from task_assignment ta join organisation o using (organisation_id)
         where o.name = '区经济信息委'",
    )
    .await;
    let ongoing = count("select count(*) from task where ongoing").await;
    let due_2025 = count("select count(*) from task where due_year = 2025 and not ongoing").await;
    let page = |query: &'static str| {
        let app = &app;
        async move { app.get(&format!("/t/qianjiang/plans/{plan}?{query}")).await.text().await.unwrap() }
    };
    let html = page("unit=%E5%8C%BA%E7%BB%8F%E6%B5%8E%E4%BF%A1%E6%81%AF%E5%A7%94").await;
    assert_eq!(html.matches("data-task=").count(), led_or_answered);
    assert!(led_or_answered > 0 && led_or_answered < 30);
    assert_eq!(html.matches("data-indicator=").count(), 31, "the unit filter is about tasks");
    assert_eq!(page("due=ongoing").await.matches("data-task=").count(), ongoing);
    assert_eq!(page("due=2025").await.matches("data-task=").count(), due_2025);
    // Nothing is reported yet: every indicator has no data, none is behind.
    assert_eq!(page("status=no_data").await.matches("data-indicator=").count(), 31);
    let behind = page("status=behind&area=4").await;
    assert_eq!(behind.matches("data-indicator=").count(), 0);
    assert!(behind.contains("data-testid=\"indicators-shown\""));
    // Sorted by deadline, the rows are no longer grouped by area.
    let sorted = page("sort=deadline").await;
    assert_eq!(sorted.matches("data-task=").count(), 30);
    assert!(sorted.matches("class=\"group\"").count() < page("").await.matches("class=\"group\"").count());
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn missing_pages_answer_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in [
        "/t/nowhere".to_owned(),
        format!("/t/qianjiang/plans/{}", uuid::Uuid::new_v4()),
        "/t/qianjiang/plans/not-an-id".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_language_switch_sticks(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/lang/en").await;
    assert!(response.status().is_success() || response.status().is_redirection());
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""), "the cookie should switch the page to English");
    assert!(html.contains("Qianjiang District"));
    app.get("/lang/zh-CN").await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("黔江区"));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_response_carries_security_headers(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in ["/", "/api/v1/tenants", "/healthz", "/api/v1/nothing"] {
        let response = app.get(path).await;
        let h = response.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{path}");
    }
}

/// Pages, the browser bundle and long lists go gzipped to clients that accept it, and unzip
/// to what others get; small answers and clients that do not accept it get the bytes as they are.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn large_responses_go_gzipped_to_clients_that_accept_it(pool: PgPool) {
    use std::io::Read;
    let app = spawn_app(pool).await;
    let client = reqwest::Client::new();
    let plan = format!("/t/qianjiang/plans/{}", app.seed_plan_id().await);
    let tasks = format!("/api/v1/tenants/qianjiang/plans/{}/tasks", app.seed_plan_id().await);
    // A page carries a nonce of its own each time (its content security policy): the same
    // page again differs from it by those bytes only.
    let without_nonces = |html: &[u8]| {
        let html = String::from_utf8(html.to_vec()).unwrap();
        let nonce = html.split("nonce=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        html.replace(&nonce, "")
    };
    for path in [plan.as_str(), tasks.as_str(), "/pkg/frontend_bg.wasm"] {
        let plain = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(plain.status(), 200, "{path}");
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain = plain.bytes().await.unwrap();
        let zipped = client.get(app.url(path)).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(zipped.headers()["content-encoding"], "gzip", "{path}");
        assert!(zipped.headers()["vary"].to_str().unwrap().to_lowercase().contains("accept-encoding"), "{path}");
        let zipped = zipped.bytes().await.unwrap();
        assert!(zipped.len() * 2 < plain.len(), "{path}: {} bytes gzipped of {}", zipped.len(), plain.len());
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..]).read_to_end(&mut unzipped).unwrap();
        if path == plan {
            assert_eq!(without_nonces(&unzipped), without_nonces(&plain), "{path}");
        } else {
            assert!(unzipped == plain, "{path} unzips to what it is without gzip");
        }
    }
    let small = client.get(app.url("/api/v1/tenants")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(small.status(), 200);
    assert!(small.headers().get("content-encoding").is_none(), "a list of one district goes as it is");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn an_indicator_page_charts_its_approved_values(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", shared::model::Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let id: uuid::Uuid = sqlx::query_scalar("select indicator_id from indicator where name = '规上工业总产值'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{id}/reports"));
    let first = tests::report_and_approve(&app, &admin, "qianjiang", id, "2022", 160.0).await;
    tests::report_and_approve(&app, &admin, "qianjiang", id, "2023", 229.715).await;
    // An approved correction takes the place of the value it corrects.
    let correction = serde_json::json!({"period": "2022", "value": 171.25, "corrects": first["id"]});
    let correction: serde_json::Value = admin.post(&url).json(&correction).send().await.unwrap().json().await.unwrap();
    let approve = format!("{url}/{}/approve", correction["id"].as_str().unwrap());
    assert_eq!(admin.post(approve).header("if-match", "\"1\"").send().await.unwrap().status(), 200);
    // A pending value stays off the chart.
    admin.post(&url).json(&serde_json::json!({"period": "2024", "value": 300})).send().await.unwrap();
    let page = app.get(&format!("/t/qianjiang/indicators/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-testid=\"chart\""));
    assert_eq!(html.matches("data-point").count(), 2, "two approved values");
    assert!(html.contains("data-testid=\"target-line\""));
    assert!(html.contains("229.715") && html.contains("171.25") && !html.contains(">160<") && !html.contains(">300<"));
    let plan = app.get(&format!("/t/qianjiang/plans/{}", app.seed_plan_id().await)).await.text().await.unwrap();
    assert!(plan.contains(&format!("/t/qianjiang/indicators/{id}")), "the plan page links to the indicator page");
    assert_eq!(app.get(&format!("/t/qianjiang/indicators/{}", uuid::Uuid::new_v4())).await.status(), 404);
}

/// A region of more than a hundred districts is compared a page at a time: the page says
/// which districts it shows of how many, ranks on from the page before, and links the pages
/// either side in the same order.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_comparison_page_pages_through_a_large_region(pool: PgPool) {
    let app = spawn_app(pool).await;
    backend::ops::demo::add(&app.admin, 101, chrono::Utc::now()).await.unwrap();
    app.add_user("platform@planboard.cn", shared::model::Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let page = |query: &'static str| {
        let url = app.url(&format!("/regions/demo{query}"));
        let platform = platform.clone();
        async move { platform.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let first = page("?sort=name").await;
    assert_eq!(first.matches("data-tenant=").count(), 100);
    assert!(first.contains("data-tenant=\"demo-001\"") && !first.contains("data-tenant=\"demo-101\""));
    // The pager's markup without the hydration markers after dynamic text.
    let pager = |html: &str| -> String {
        let p = html.split("data-testid=\"pager\"").nth(1).expect("a pager").split("</p>").next().unwrap();
        p.replace("<!>", "")
    };
    let pager_first = pager(&first);
    assert!(pager_first.contains("1–100 / 101"), "{pager_first}");
    assert!(pager_first.contains("href=\"?sort=name&amp;page=2\"") && !pager_first.contains("rel=\"prev\""));

    let second = page("?sort=name&page=2").await;
    assert_eq!(second.matches("data-tenant=").count(), 1);
    assert!(second.contains("data-tenant=\"demo-101\""));
    assert!(second.replace("<!>", "").contains("<td class=\"num\">101</td>"), "ranks go on from the page before");
    let pager_second = pager(&second);
    assert!(pager_second.contains("101–101 / 101"), "{pager_second}");
    assert!(pager_second.contains("href=\"?sort=name\"") && !pager_second.contains("rel=\"next\""));
}
