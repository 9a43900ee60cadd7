//! The administration pages and their forms, as a browser without the wasm uses them: plain
//! form posts answered with redirects, pages rendered whole on the server.

use shared::model::Role;
use sqlx::PgPool;
use tests::{PASSWORD, TestApp, spawn_app};

const PLATFORM: &str = "platform@planboard.cn";
/// The published text of the seed plan, as the seed document keeps it.
fn seed_text() -> String {
    let bundle = backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap();
    bundle.plans[0].source_text.clone().unwrap()
}

/// A signed-in browser that does not follow redirects, so each form's answer can be read.
/// A browser-like client that does not follow redirects, so tests read where forms send it.
fn visitor(app: &TestApp) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, format!("http://{}", app.addr).parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn browser(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = visitor(app);
    let r = client.post(app.url("/session")).form(&[("email", email), ("password", password)]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    client
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_district_is_onboarded_through_the_pages(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(PLATFORM, Role::PlatformAdmin, None, None, &[]).await;
    let platform = browser(&app, PLATFORM, PASSWORD).await;

    // The district, then the wizard: upload, review the dry run, import.
    assert!(page(&platform, &app, "/admin").await.contains("data-testid=\"new-tenant\""));
    let r = platform
        .post(app.url("/forms/tenants"))
        .header("referer", app.url("/admin"))
        .form(&[("slug", "Bad Slug"), ("name", "x"), ("region", "chongqing")])
        .send()
        .await
        .unwrap();
    assert!(location(&r).starts_with("/admin?error=slug"), "{}", location(&r));
    let r = platform
        .post(app.url("/forms/tenants"))
        .form(&[("slug", "xiushan"), ("name", "秀山县"), ("name_en", "Xiushan"), ("region", "chongqing")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/xiushan/import?ok=1");
    let form = reqwest::multipart::Form::new().text("text", seed_text());
    let r = platform
        .post(app.url("/forms/import?tenant=xiushan"))
        .header("referer", app.url("/t/xiushan/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let review = location(&r);
    assert!(review.starts_with("/t/xiushan/import?draft="), "{review}");
    let html = page(&platform, &app, &review).await;
    assert!(html.contains("data-outcome=\"DryRun\""), "the dry run says it can be imported");
    // Hydration markers (`<!>`) sit after dynamic text; the reader sees the numbers alone.
    let html = html.replace("<!>", "");
    assert!(html.contains("<b data-testid=\"count-indicators\">31</b>"));
    assert!(html.contains("<b data-testid=\"count-tasks\">30</b>"));
    assert_eq!(sqlx::query_scalar::<_, i64>("select count(*) from plan").fetch_one(&app.admin).await.unwrap(), 1);
    let draft = review.rsplit('=').next().unwrap().to_owned();
    let r = platform
        .post(app.url("/forms/import/commit"))
        .form(&[("tenant", "xiushan"), ("draft", draft.as_str())])
        .send()
        .await
        .unwrap();
    let plan_page = location(&r);
    assert!(plan_page.starts_with("/t/xiushan/plans/") && plan_page.ends_with("?ok=1"), "{plan_page}");
    let drafts: i64 = sqlx::query_scalar("select count(*) from import_draft").fetch_one(&app.admin).await.unwrap();
    assert_eq!(drafts, 0, "the draft is gone once imported");

    // The district's admin: invited through the page, the one-time link shown once.
    let r = platform
        .post(app.url("/forms/invitations"))
        .form(&[("tenant", "xiushan"), ("email", "admin@xiushan.gov.cn"), ("role", "tenant_admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let start = html.find("data-testid=\"invitation-link\">").unwrap() + "data-testid=\"invitation-link\">".len();
    let link = html[start..html[start..].find('<').unwrap() + start].to_owned();
    assert!(link.starts_with(&format!("http://{}/t/xiushan/invitations/", app.addr)), "{link}");
    let path = link.trim_start_matches(&format!("http://{}", app.addr)).to_owned();

    // The invitee opens the link: who invited them, to what; they choose a password.
    let admin = visitor(&app);
    let invitation = page(&admin, &app, &path).await;
    assert!(invitation.contains("秀山县") && invitation.contains("data-testid=\"accept-invitation\""));
    let token = path.rsplit('/').next().unwrap().to_owned();
    let mismatch =
        [("tenant", "xiushan"), ("token", token.as_str()), ("password", PASSWORD), ("confirm_password", "different!!")];
    let r = admin.post(app.url("/forms/invitations/accept")).header("referer", app.url(&path)).form(&mismatch);
    let r = r.send().await.unwrap();
    assert!(location(&r).starts_with(&format!("{path}?error=")) && location(&r).contains("field=confirm_password"));
    let accept =
        [("tenant", "xiushan"), ("token", token.as_str()), ("password", PASSWORD), ("confirm_password", PASSWORD)];
    let r = admin.post(app.url("/forms/invitations/accept")).form(&accept).send().await.unwrap();
    assert_eq!(location(&r), "/me");
    let admin = browser(&app, "admin@xiushan.gov.cn", PASSWORD).await;
    let platform_page = page(&platform, &app, "/admin").await;
    assert!(platform_page.contains("admin@xiushan.gov.cn") && platform_page.contains("区县管理员（xiushan）"));

    // Publishing from the administration page; the audit log page shows what happened.
    let html = page(&admin, &app, "/t/xiushan/admin").await;
    assert!(html.contains("admin@xiushan.gov.cn"));
    assert!(html.contains("data-testid=\"admin-organisations\"") && html.contains("区经济信息委"));
    let plan_id = plan_page.trim_start_matches("/t/xiushan/plans/").trim_end_matches("?ok=1").to_owned();
    let version: i32 = sqlx::query_scalar("select version from plan where plan_id = $1::uuid")
        .bind(&plan_id)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let publish = [
        ("tenant", "xiushan"),
        ("plan", plan_id.as_str()),
        ("version", &version.to_string()),
        ("status", "published"),
        ("visibility", "public"),
    ];
    let r = admin
        .post(app.url("/forms/publication"))
        .header("referer", app.url("/t/xiushan/admin"))
        .form(&publish)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/t/xiushan/admin?ok=1");
    let again = admin
        .post(app.url("/forms/publication"))
        .header("referer", app.url("/t/xiushan/admin"))
        .form(&publish)
        .send()
        .await
        .unwrap();
    assert!(location(&again).contains("error="), "a stale version is refused");
    let audit = page(&admin, &app, "/t/xiushan/audit").await;
    for action in ["plan.publication", "grant.create", "plan.import", "tenant.create"] {
        assert!(audit.contains(action), "{action} on the audit page");
    }
}
