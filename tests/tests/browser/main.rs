//! The pages in a real headless Chromium: server-rendered, then hydrated by the wasm bundle.

use fantoccini::Locator;
use sqlx::PgPool;
use tests::browser::{self, screenshot, wait_for};
use tests::spawn_app;

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
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

/// Signs out from the account page, wherever the browser is.
async fn sign_out_at(c: &fantoccini::Client, base: &str) {
    c.goto(&format!("{base}/me")).await.unwrap();
    wait_for(c, "[data-testid=sign-out]").await.click().await.unwrap();
    wait_for(c, "[data-testid=sign-in-link]").await;
}

async fn sign_out(c: &fantoccini::Client) {
    c.find(Locator::Css("[data-testid=account-link]")).await.unwrap().click().await.unwrap();
    wait_for(c, "[data-testid=sign-out]").await.click().await.unwrap();
    wait_for(c, "[data-testid=sign-in-link]").await;
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
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
            // A value that is not a number: the message stands next to the field, in Chinese.
            c.find(Locator::Css(&format!("#period-{indicator}"))).await.unwrap().send_keys("2023").await.unwrap();
            c.find(Locator::Css(&format!("#value-{indicator}"))).await.unwrap().send_keys("abc").await.unwrap();
            c.find(Locator::Css(&format!("{row} button"))).await.unwrap().click().await.unwrap();
            let error = wait_for(&c, &format!("{row} .field-error")).await;
            assert_eq!(error.text().await.unwrap(), "不是有效的数字");
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

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
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

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
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

const PLATFORM: &str = "platform@planboard.cn";

/// A short plan as published, pasted into the import wizard.
const PASTED_PLAN: &str = "秀山县人民政府\n关于印发《秀山县数字经济发展规划（2023—2027年）》的通知\n2023年3月1日\n\
                           指标\t单位\t2022年\t2027年\n软件业务收入\t亿元\t12\t30\n数据中心机架\t个\t——\t≥500\n\
                           序号\t重点任务\t牵头部门\t完成时限\n1\t建设数据中心\t县经信局\t2025年\n";

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_platform_admin_onboards_a_district_through_the_pages(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(PLATFORM, shared::model::Role::PlatformAdmin, None, None, &[]).await;
    let base = app.url("");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            sign_in(&c, &base, PLATFORM).await;
            c.find(Locator::Css("a[href='/admin']")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=new-tenant]").await;
            c.find(Locator::Css("#tenant-slug")).await.unwrap().send_keys("xiushan").await.unwrap();
            c.find(Locator::Css("#tenant-name")).await.unwrap().send_keys("秀山县").await.unwrap();
            screenshot(&c, "platform-admin").await;
            c.find(Locator::Css("[data-testid=new-tenant] button")).await.unwrap().click().await.unwrap();

            // The wizard: paste, dry run, review, import.
            wait_for(&c, "[data-testid=upload]").await;
            // Pasted, as users do: typed keys would turn its tabs into focus changes.
            c.execute("document.querySelector('#import-text').value = arguments[0]", vec![PASTED_PLAN.into()])
                .await
                .unwrap();
            screenshot(&c, "import-upload").await;
            c.find(Locator::Css("[data-testid=dry-run]")).await.unwrap().click().await.unwrap();
            let outcome = wait_for(&c, "[data-testid=import-outcome]").await;
            assert_eq!(outcome.attr("data-outcome").await.unwrap().as_deref(), Some("DryRun"));
            let indicators = c.find(Locator::Css("[data-testid=count-indicators]")).await.unwrap();
            assert_eq!(indicators.text().await.unwrap(), "2");
            screenshot(&c, "import-review").await;
            c.find(Locator::Css("[data-testid=commit-import]")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=plan-title]").await;
            let title = c.find(Locator::Css("[data-testid=plan-title]")).await.unwrap().text().await.unwrap();
            assert!(title.contains("秀山县数字经济发展规划"), "{title}");

            // Its administrator, invited by a one-time link shown once.
            c.goto(&format!("{base}/t/xiushan/admin")).await.unwrap();
            wait_for(&c, "[data-testid=invite-form]").await;
            c.find(Locator::Css("#invite-email")).await.unwrap().send_keys("admin@xiushan.gov.cn").await.unwrap();
            c.find(Locator::Css("#invite-role option[value=tenant_admin]")).await.unwrap().click().await.unwrap();
            screenshot(&c, "tenant-admin").await;
            c.find(Locator::Css("[data-testid=invite-form] button")).await.unwrap().click().await.unwrap();
            let link = wait_for(&c, "[data-testid=invitation-link]").await.text().await.unwrap();
            assert!(link.starts_with(&format!("{base}/t/xiushan/invitations/")), "{link}");
            screenshot(&c, "invitation-link").await;

            // The invitee opens the link (signed out), chooses a password and is in.
            sign_out_at(&c, &base).await;
            c.goto(&link).await.unwrap();
            wait_for(&c, "[data-testid=accept-invitation]").await;
            let shown = c.find(Locator::Css("[data-testid=invitation]")).await.unwrap().text().await.unwrap();
            assert!(shown.contains("秀山县") && shown.contains(PLATFORM), "{shown}");
            c.find(Locator::Css("#password")).await.unwrap().send_keys(tests::PASSWORD).await.unwrap();
            c.find(Locator::Css("#confirm_password")).await.unwrap().send_keys(tests::PASSWORD).await.unwrap();
            screenshot(&c, "invitation").await;
            c.find(Locator::Css("[data-testid=accept-invitation] button")).await.unwrap().click().await.unwrap();
            let me = wait_for(&c, "[data-testid=me-email]").await.text().await.unwrap();
            assert_eq!(me, "admin@xiushan.gov.cn");
        })
        .await;
}

/// The API's documentation page renders every operation of the document in Chromium under the
/// site's Content-Security-Policy, from files this server serves and nothing else.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_api_docs_page_shows_every_operation_from_this_server_alone(pool: PgPool) {
    let app = spawn_app(pool).await;
    let docs = app.url("/api/docs");
    let origin = app.url("");
    let operations = backend::web::api_routes().len();
    let response = app.get("/api/docs").await;
    assert!(response.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>"), "no inline script: the policy would block it");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            c.goto(&docs).await.unwrap();
            wait_for(&c, ".swagger-ui .opblock").await;
            let shown = c.find_all(Locator::Css(".swagger-ui .opblock")).await.unwrap().len();
            assert_eq!(shown, operations, "one block per operation of the document");
            let resources =
                c.execute("return performance.getEntriesByType('resource').map(e => e.name)", vec![]).await.unwrap();
            let resources: Vec<String> = serde_json::from_value(resources).unwrap();
            assert!(resources.iter().any(|r| r.ends_with("/api/openapi.json")), "{resources:?}");
            let foreign: Vec<&String> = resources.iter().filter(|r| !r.starts_with(&origin)).collect();
            assert!(foreign.is_empty(), "the page loaded from elsewhere: {foreign:?}");
            // Styled: Swagger UI's stylesheet applied (blocked styles would leave it bare).
            let styled = c
                .execute("return getComputedStyle(document.querySelector('.swagger-ui .opblock')).borderRadius", vec![])
                .await
                .unwrap();
            assert_ne!(styled.as_str(), Some("0px"), "the stylesheet did not apply");
            screenshot(&c, "api-docs").await;
        })
        .await;
}

/// A district's admin makes an API token on the tokens page, sees its secret once, uses it,
/// and revokes it there; then makes a service account and a token for it.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn an_admin_makes_uses_and_revokes_an_api_token_through_the_pages(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(ADMIN, shared::model::Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let base = app.url("");
    let plans = app.url("/api/v1/tenants/qianjiang/plans");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            let with = |secret: &str| {
                reqwest::Client::new().get(&plans).header("authorization", format!("Bearer {secret}")).send()
            };
            sign_in(&c, &base, ADMIN).await;
            c.goto(&format!("{base}/me")).await.unwrap();
            wait_for(&c, "[data-testid=tokens-link]").await.click().await.unwrap();
            wait_for(&c, "[data-testid=new-token]").await;
            c.find(Locator::Css("#token-name")).await.unwrap().send_keys("区数据中心夜间同步").await.unwrap();
            c.find(Locator::Css("[data-testid=new-token] input[value=report]")).await.unwrap().click().await.unwrap();
            screenshot(&c, "tokens").await;
            c.find(Locator::Css("[data-testid=new-token] button")).await.unwrap().click().await.unwrap();
            let secret = wait_for(&c, "[data-testid=token-secret]").await.text().await.unwrap();
            assert!(secret.starts_with("pb_"), "{secret}");
            screenshot(&c, "token-secret").await;
            assert_eq!(with(&secret).await.unwrap().status(), 200);

            c.goto(&format!("{base}/tokens")).await.unwrap();
            let row = wait_for(&c, "[data-testid=tokens] tr[data-token]").await;
            let shown = row.text().await.unwrap();
            assert!(shown.contains("区数据中心夜间同步") && shown.contains(&secret[..8]) && !shown.contains(&secret));
            assert!(shown.contains("读取") && shown.contains("填报"), "{shown}");
            c.find(Locator::Css("[data-testid=revoke-token]")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=form-ok]").await;
            assert_eq!(with(&secret).await.unwrap().status(), 401, "revoked on the page, refused by the API");

            // A service account of the district, and a token for it.
            c.find(Locator::Css("#account-name")).await.unwrap().send_keys("市大数据局数据交换").await.unwrap();
            c.find(Locator::Css("[data-testid=new-service-account] button")).await.unwrap().click().await.unwrap();
            let account = wait_for(&c, "[data-testid=service-accounts] tr[data-service-account]").await;
            assert!(account.text().await.unwrap().contains("市大数据局数据交换"));
            c.find(Locator::Css("[data-testid=service-accounts] summary")).await.unwrap().click().await.unwrap();
            let form = c.find(Locator::Css("[data-testid=service-accounts] [data-testid=new-token]")).await.unwrap();
            form.find(Locator::Css("input[name=name]")).await.unwrap().send_keys("交换接口").await.unwrap();
            form.find(Locator::Css("button")).await.unwrap().click().await.unwrap();
            let secret = wait_for(&c, "[data-testid=token-secret]").await.text().await.unwrap();
            assert_eq!(with(&secret).await.unwrap().status(), 200);
        })
        .await;
}

/// What `scripts/run.sh` prints, read as a newcomer reads it.
struct Printed {
    url: String,
    email: String,
    password: Option<String>,
}

fn read_printed(printed: &str) -> Printed {
    let after = |prefix: &str| {
        printed.lines().find_map(|l| l.trim_start().strip_prefix(prefix)).map(|rest| rest.trim().to_owned())
    };
    let url = printed
        .lines()
        .find_map(|l| l.split_once("Planboard: open ").and_then(|(_, rest)| rest.split_once(" and sign in")))
        .map(|(url, _)| url.to_owned())
        .unwrap_or_else(|| panic!("no URL printed: {printed}"));
    let email = after("platform admin: ").unwrap_or_else(|| panic!("no admin printed: {printed}"));
    let email = email.split([' ', ',']).next().unwrap().to_owned();
    Printed { url, email, password: after("temporary password: ") }
}

/// Signs in with the printed temporary password from the page at `url`, and chooses a
/// password of one's own where the sign-in leads (the account page, asking for it first).
async fn first_sign_in(c: &fantoccini::Client, url: &str, email: &str, password: &str) {
    c.goto(url).await.unwrap();
    wait_for(c, "[data-testid=sign-in-link]").await.click().await.unwrap();
    wait_for(c, "[data-testid=login-form]").await;
    c.find(Locator::Css("#email")).await.unwrap().send_keys(email).await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Css("[data-testid=login-form] button")).await.unwrap().click().await.unwrap();
    // Nothing else yet: first a password of one's own.
    wait_for(c, "[data-testid=must-change-password]").await;
    assert!(c.current_url().await.unwrap().path().ends_with("/me"));
    screenshot(c, "first-run-change-password").await;
    c.find(Locator::Css("#current_password")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Css("#new_password")).await.unwrap().send_keys("my own long passphrase").await.unwrap();
    c.find(Locator::Css("#confirm_password")).await.unwrap().send_keys("my own long passphrase").await.unwrap();
    c.find(Locator::Css("[data-testid=password-form] button")).await.unwrap().click().await.unwrap();
    wait_for(c, "[data-testid=form-ok]").await;
}

/// The first run on a fresh database: `scripts/first_run.sh` (the end of `scripts/run.sh`)
/// prints the URL and a temporary password once; the newcomer opens the URL, signs in with
/// what was printed, is led to choose a password of their own, and then the administration
/// is open. A second run prints no password.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_first_admin_signs_in_with_the_printed_password_and_chooses_their_own(pool: PgPool) {
    let app = spawn_app(pool).await;
    let printed = read_printed(&tests::first_run(&app.admin, app.addr, &[]));
    assert_eq!(printed.email, "admin@planboard.local");
    assert_eq!(printed.url, app.url("/"));
    let password = printed.password.expect("a temporary password is printed on the first run");
    let again = tests::first_run(&app.admin, app.addr, &[]);
    assert!(again.contains("already there") && !again.contains(&password), "{again}");
    let (url, email) = (printed.url, printed.email);
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            first_sign_in(&c, &url, &email, &password).await;
            c.find(Locator::Css("a[href='/admin']")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=new-tenant]").await;
        })
        .await;
}

/// `run.sh --demo`: the demo districts, their supervisor the printed admin, shown in the
/// comparison and labelled as demo.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_demo_flag_fills_the_comparison_with_labelled_demo_districts(pool: PgPool) {
    let app = spawn_app(pool).await;
    let printed = read_printed(&tests::first_run(&app.admin, app.addr, &["--demo"]));
    let password = printed.password.expect("a temporary password is printed on the first run");
    let (url, email) = (printed.url, printed.email);
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            first_sign_in(&c, &url, &email, &password).await;
            // The comparison is open to the printed admin, as supervisor of the demo region.
            c.goto(&format!("{url}regions/demo")).await.unwrap();
            wait_for(&c, "[data-testid=comparison]").await;
            let rows = c.find_all(Locator::Css("[data-testid=comparison] tr[data-tenant]")).await.unwrap();
            assert_eq!(rows.len(), 12);
            let labels = c.find_all(Locator::Css("[data-testid=comparison] .tag.demo")).await.unwrap();
            assert_eq!(labels.len(), 12, "every demo district says so");
            screenshot(&c, "demo-comparison").await;
        })
        .await;
}

/// The home page: districts under their region's name (real ones first, demo ones folded
/// away), a search that narrows them, and a district's figures for those who may see them.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_home_page_groups_districts_by_region_and_finds_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    backend::ops::demo::add(&app.admin, 3, chrono::Utc::now()).await.unwrap();
    app.add_user(ADMIN, shared::model::Role::Viewer, Some("qianjiang"), None, &[]).await;
    let base = app.url("");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            c.goto(&format!("{base}/")).await.unwrap();
            let real = wait_for(&c, "[data-testid=tenants] section[data-region=chongqing]").await;
            let heading = real.find(Locator::Css("h2")).await.unwrap().text().await.unwrap();
            assert!(heading.starts_with("重庆市"), "the region's name, not its slug: {heading}");
            let demo = c.find(Locator::Css("[data-testid=tenants] details[data-region=demo]")).await.unwrap();
            assert_eq!(demo.attr("open").await.unwrap(), None, "demo districts are folded away");
            let order = c
                .execute("return [...document.querySelectorAll('[data-region]')].map(e => e.dataset.region)", vec![])
                .await
                .unwrap();
            assert_eq!(order, serde_json::json!(["chongqing", "demo"]), "real before demo");
            // An anonymous reader sees names, not figures that include internal plans.
            let row = c.find(Locator::Css("tr[data-tenant=qianjiang]")).await.unwrap().text().await.unwrap();
            assert!(row.contains("黔江区") && !row.chars().any(|ch| ch.is_ascii_digit()), "{row}");
            screenshot(&c, "home").await;

            c.find(Locator::Css("[data-testid=search]")).await.unwrap().send_keys("002").await.unwrap();
            c.find(Locator::Css("form.search button")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=search-count]").await;
            let rows = c.find_all(Locator::Css("[data-testid=tenants] tr[data-tenant]")).await.unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].attr("data-tenant").await.unwrap().as_deref(), Some("demo-002"));
            let demo = c.find(Locator::Css("details[data-region=demo]")).await.unwrap();
            assert!(demo.attr("open").await.unwrap().is_some(), "a match opens its folded region");

            // The district's own reader sees its figures beside its name.
            sign_in(&c, &base, ADMIN).await;
            c.goto(&format!("{base}/?q=黔江")).await.unwrap();
            let row = wait_for(&c, "tr[data-tenant=qianjiang]").await.text().await.unwrap();
            assert!(row.contains("31"), "31 indicators, all without data yet: {row}");
            assert_eq!(c.find_all(Locator::Css("tr[data-tenant]")).await.unwrap().len(), 1);
        })
        .await;
}

/// Writes a contacts workbook of `rows` (name, unit, mobile, e-mail, role) to a file of its own.
fn contacts_workbook(rows: &[[String; 5]]) -> std::path::PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("联系人").unwrap();
    for (c, header) in ["姓名", "单位", "手机号", "邮箱", "角色"].iter().enumerate() {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
        }
    }
    let path = std::env::temp_dir().join(format!("contacts-{}.xlsx", uuid::Uuid::new_v4()));
    book.save(&path).unwrap();
    path
}

/// Onboarding a district's people: a contacts workbook of 30 rows, two with problems named by
/// their cells; corrected, every row invited at once; one invitee accepts and signs in with
/// their mobile number, written with spaces.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_district_invites_its_contacts_from_a_workbook_and_one_signs_in_by_mobile(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(ADMIN, shared::model::Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let units: Vec<String> =
        sqlx::query_scalar("select name from organisation order by name limit 6").fetch_all(&app.admin).await.unwrap();
    let row = |i: usize| -> [String; 5] {
        let email = if i.is_multiple_of(3) { format!("contact{i:02}@qianjiang.gov.cn") } else { String::new() };
        [format!("联络员{i:02}"), units[i % units.len()].clone(), format!("138001380{i:02}"), email, "填报员".into()]
    };
    let good: Vec<[String; 5]> = (0..30).map(row).collect();
    let mut bad = good.clone();
    bad[5][2] = "1380013800".into(); // sheet row 7, column C: ten digits
    bad[17][1] = "不存在的单位".into(); // sheet row 19, column B: no such unit
    let (bad, good) = (contacts_workbook(&bad), contacts_workbook(&good));
    let base = app.url("");
    let browser = browser::start().await;
    browser
        .run(move |c| async move {
            sign_in(&c, &base, ADMIN).await;
            c.goto(&format!("{base}/t/qianjiang/admin")).await.unwrap();
            wait_for(&c, "[data-testid=contacts-link]").await.click().await.unwrap();
            wait_for(&c, "[data-testid=contacts-upload]").await;
            c.find(Locator::Css("#contacts-file")).await.unwrap().send_keys(bad.to_str().unwrap()).await.unwrap();
            c.find(Locator::Css("[data-testid=contacts-upload] button")).await.unwrap().click().await.unwrap();
            let errors = wait_for(&c, "[data-testid=contacts-errors]").await.text().await.unwrap();
            assert!(errors.contains("联系人!C7") && errors.contains("联系人!B19"), "{errors}");
            let flagged = c.find_all(Locator::Css("[data-testid=contacts-rows] tr[data-ok=false]")).await.unwrap();
            assert_eq!(flagged.len(), 2);
            assert!(c.find_all(Locator::Css("[data-testid=contacts-invite]")).await.unwrap().is_empty());
            screenshot(&c, "contacts-problems").await;

            c.find(Locator::Css("#contacts-file")).await.unwrap().send_keys(good.to_str().unwrap()).await.unwrap();
            c.find(Locator::Css("[data-testid=contacts-upload] button")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=contacts-ready]").await;
            let rows = c.find_all(Locator::Css("[data-testid=contacts-rows] tr[data-ok=true]")).await.unwrap();
            assert_eq!(rows.len(), 30);
            c.find(Locator::Css("[data-testid=contacts-invite] button")).await.unwrap().click().await.unwrap();
            let links = wait_for(&c, "[data-testid=invitation-links]").await;
            let lines = links.find_all(Locator::Css("tbody tr")).await.unwrap();
            assert_eq!(lines.len(), 30, "one link a row");
            screenshot(&c, "contacts-links").await;
            let mut link = String::new();
            for line in lines {
                let text = line.text().await.unwrap();
                if text.contains("13800138011") {
                    link = line.find(Locator::Css("code")).await.unwrap().text().await.unwrap();
                }
            }
            assert!(link.contains("/t/qianjiang/invitations/"), "{link}");

            // The invitee, known by number only, accepts and later signs in with it.
            sign_out_at(&c, &base).await;
            c.goto(&link).await.unwrap();
            wait_for(&c, "[data-testid=invited-mobile]").await;
            c.find(Locator::Css("#password")).await.unwrap().send_keys(tests::PASSWORD).await.unwrap();
            c.find(Locator::Css("#confirm_password")).await.unwrap().send_keys(tests::PASSWORD).await.unwrap();
            c.find(Locator::Css("[data-testid=accept-invitation] button")).await.unwrap().click().await.unwrap();
            wait_for(&c, "[data-testid=me-email]").await;
            sign_out_at(&c, &base).await;
            c.goto(&format!("{base}/login")).await.unwrap();
            wait_for(&c, "[data-testid=login-form]").await;
            c.find(Locator::Css("#email")).await.unwrap().send_keys("138 0013 8011").await.unwrap();
            c.find(Locator::Css("#password")).await.unwrap().send_keys(tests::PASSWORD).await.unwrap();
            c.find(Locator::Css("[data-testid=login-form] button")).await.unwrap().click().await.unwrap();
            let me = wait_for(&c, "[data-testid=me-email]").await.text().await.unwrap();
            assert_eq!(me, "13800138011");
        })
        .await;
}
