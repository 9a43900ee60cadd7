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
