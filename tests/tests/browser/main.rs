//! The pages in a real headless Chromium: server-rendered, then hydrated by the wasm bundle.

use fantoccini::Locator;
use sqlx::PgPool;
use tests::browser::{self, screenshot, wait_for};
use tests::spawn_app;

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn the_plan_page_hydrates_and_its_controls_work(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let home = app.url("/");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            c.goto(&home).await.unwrap();
            wait_for(&c, "[data-testid=tenants]").await;
            screenshot(&c, "districts").await;
            c.find(Locator::LinkText("黔江区")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=plans]").await;
            c.find(Locator::LinkText("黔江区推动制造业高质量发展重点专项实施方案"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for(&c, "[data-testid=plan-title]").await;
            assert!(c.current_url().await.unwrap().path().ends_with(&plan.to_string()));

            // The wasm marks the page once it has hydrated; only then do controls respond.
            wait_for(&c, "html[data-hydrated=true]").await;
            let rows = c.find_all(Locator::Css("[data-indicator]")).await.unwrap();
            assert_eq!(rows.len(), 31);
            let tasks = c.find(Locator::Css("[data-testid=tasks]")).await.unwrap();
            assert!(tasks.attr("class").await.unwrap().unwrap_or_default().contains("clamped"));
            let toggle = c.find(Locator::Css("[data-testid=toggle-texts]")).await.unwrap();
            toggle.click().await.unwrap();
            assert_eq!(toggle.attr("aria-pressed").await.unwrap().as_deref(), Some("true"));
            assert!(!tasks.attr("class").await.unwrap().unwrap_or_default().contains("clamped"));
            screenshot(&c, "plan").await;

            // The area filter: a link that keeps the filter in the URL.
            c.find(Locator::LinkText("绿色发展专项行动")).await.unwrap().click().await.unwrap();
            wait_for(&c, "a[aria-current=page][href$='area=4']").await;
            let rows = c.find_all(Locator::Css("[data-indicator]")).await.unwrap();
            assert_eq!(rows.len(), 5);
            assert!(c.current_url().await.unwrap().query().unwrap_or_default().contains("area=4"));
            screenshot(&c, "plan-filtered").await;
        })
        .await;
}

const ADMIN: &str = "admin@qianjiang.gov.cn";
const REPORTER: &str = "jxw@qianjiang.gov.cn";
const SUPERVISOR: &str = "supervisor@chongqing.gov.cn";

/// Signs in through the login form.
async fn sign_in(c: &fantoccini::Client, base: &str, email: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    wait_for(c, "[data-testid=login-form]").await;
    c.find(Locator::Css("#email")).await.unwrap().send_keys(email).await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(tests::PASSWORD).await.unwrap();
    c.find(Locator::Css("[data-testid=login-form] button")).await.unwrap().click().await.unwrap();
    wait_for(c, "[data-testid=me-email]").await;
}

async fn sign_out(c: &fantoccini::Client) {
    c.find(Locator::Css("[data-testid=account-link]")).await.unwrap().click().await.unwrap();
    wait_for(c, "[data-testid=sign-out]").await.click().await.unwrap();
    wait_for(c, "[data-testid=sign-in-link]").await;
}

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn a_reporter_reports_an_admin_approves_and_the_dashboard_changes(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(ADMIN, shared::model::Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user(REPORTER, shared::model::Role::Reporter, Some("qianjiang"), None, &["区经济信息委"]).await;
    let indicator: uuid::Uuid = sqlx::query_scalar("select indicator_id from indicator where name = '规上工业总产值'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    // The plan names no unit for its indicators; the admin names one.
    let admin = app.sign_in(ADMIN).await;
    let units = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/units"));
    let response = admin
        .put(units)
        .header("if-match", "\"1\"")
        .json(&serde_json::json!({"lead": ["区经济信息委"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let plan = app.seed_plan_id().await;
    let base = app.url("");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            sign_in(&c, &base, REPORTER).await;
            screenshot(&c, "account").await;
            c.goto(&format!("{base}/work")).await.unwrap();
            let row = format!("[data-testid=work-indicators] tr[data-indicator='{indicator}']");
            wait_for(&c, &row).await;
            // A value that is not a number: the message stands next to the field.
            c.find(Locator::Css(&format!("#period-{indicator}"))).await.unwrap().send_keys("2023").await.unwrap();
            c.find(Locator::Css(&format!("#value-{indicator}"))).await.unwrap().send_keys("abc").await.unwrap();
            c.find(Locator::Css(&format!("{row} button"))).await.unwrap().click().await.unwrap();
            let error = wait_for(&c, &format!("{row} .field-error")).await;
            assert!(error.text().await.unwrap().contains("not a number"));
            screenshot(&c, "work-error").await;
            c.find(Locator::Css(&format!("#period-{indicator}"))).await.unwrap().send_keys("2023").await.unwrap();
            c.find(Locator::Css(&format!("#value-{indicator}"))).await.unwrap().send_keys("229.715").await.unwrap();
            c.find(Locator::Css(&format!("{row} button"))).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=form-ok]").await;
            sign_out(&c).await;

            sign_in(&c, &base, ADMIN).await;
            c.goto(&format!("{base}/t/qianjiang/approvals")).await.unwrap();
            wait_for(&c, "[data-testid=pending]").await;
            screenshot(&c, "approvals").await;
            c.find(Locator::Css("[data-testid=approve]")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=form-ok]").await;
            wait_for(&c, "[data-testid=no-pending]").await;

            c.goto(&format!("{base}/t/qianjiang/plans/{plan}/dashboard")).await.unwrap();
            let cell = wait_for(&c, "[data-testid=overall] td[data-status=on_track]").await;
            assert_eq!(cell.text().await.unwrap(), "1");
            screenshot(&c, "dashboard").await;
            c.goto(&format!("{base}/t/qianjiang/plans/{plan}")).await.unwrap();
            let light = wait_for(&c, &format!("tr[data-indicator='{indicator}'] [data-status]")).await;
            assert_eq!(light.attr("data-status").await.unwrap().as_deref(), Some("on_track"));
            // The indicator's own page charts the approved value.
            c.find(Locator::Css(&format!("tr[data-indicator='{indicator}'] a"))).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=chart] [data-point]").await;
            screenshot(&c, "indicator").await;
        })
        .await;
}

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn a_supervisor_opens_the_comparison_and_drills_down(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(SUPERVISOR, shared::model::Role::Supervisor, None, Some("chongqing"), &[]).await;
    let base = app.url("");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            sign_in(&c, &base, SUPERVISOR).await;
            c.goto(&format!("{base}/regions/chongqing?indicator=energy_per_value_added")).await.unwrap();
            wait_for(&c, "[data-testid=comparison] tr[data-tenant=qianjiang]").await;
            wait_for(&c, "[data-testid=indicator-comparison] tr[data-tenant=qianjiang]").await;
            screenshot(&c, "comparison").await;
            c.find(Locator::Css("[data-testid=comparison] tr[data-tenant=qianjiang] a"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for(&c, "[data-testid=plans]").await;
            assert!(c.current_url().await.unwrap().path().ends_with("/t/qianjiang"));
        })
        .await;
}

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn anonymous_readers_see_public_plans_and_approved_values_only(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(ADMIN, shared::model::Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in(ADMIN).await;
    let indicator: uuid::Uuid = sqlx::query_scalar("select indicator_id from indicator where name = '绿色工厂'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));
    let response = admin.post(url).json(&serde_json::json!({"period": "2024", "value": 3.5})).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let plan = app.seed_plan_id().await;
    let base = app.url("");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            c.goto(&format!("{base}/t/qianjiang/plans/{plan}")).await.unwrap();
            wait_for(&c, "[data-testid=sign-in-link]").await;
            let html = c.source().await.unwrap();
            assert!(!html.contains("3.5（2024）"), "a pending value reached an anonymous reader");
            c.goto(&format!("{base}/me")).await.unwrap();
            wait_for(&c, "a[href='/login']").await;
            c.goto(&format!("{base}/t/qianjiang/approvals")).await.unwrap();
            wait_for(&c, "a[href='/login']").await;
        })
        .await;
}
