//! Onboarding a district end to end over the API: a platform admin creates its region and
//! tenant and imports its plan; the district's admin, invited by a one-time link, sets a
//! password there and publishes the plan, which the public then sees.

use serde_json::{Value, json};
use shared::model::Role;
use sqlx::PgPool;
use tests::{PASSWORD, browser_like_client, spawn_app};

const PLATFORM: &str = "platform@planboard.cn";
const INVITEE: &str = "admin@xiushan.gov.cn";

const PLAN_CSV: &str = "[规划]\n标题,秀山县数字经济发展规划\n发文机关,秀山县人民政府\n印发日期,2023-03-01\n\
                        规划起始年,2023\n规划终止年,2027\n\
                        [指标]\n领域,指标名称,单位,基期值,目标值\n数字产业,软件业务收入,亿元,12,≥30\n\
                        [任务]\n领域,序号,任务,牵头单位,完成时限\n数字产业,1,建设数据中心,县经信局,2025\n";

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_district_is_created_imported_handed_over_and_published(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user(PLATFORM, Role::PlatformAdmin, None, None, &[]).await;
    app.add_user("supervisor@chongqing.gov.cn", Role::Supervisor, None, Some("chongqing"), &[]).await;
    let platform = app.sign_in(PLATFORM).await;
    let post = |client: &reqwest::Client, path: &str, body: Value| client.post(app.url(path)).json(&body).send();

    // Region and tenant: refusals first, each naming what is wrong and writing nothing.
    let supervisor = app.sign_in("supervisor@chongqing.gov.cn").await;
    let r = post(&supervisor, "/api/v1/regions", json!({"slug": "guizhou", "name": "贵州省"})).await.unwrap();
    assert_eq!(r.status(), 403);
    let r = post(&platform, "/api/v1/regions", json!({"slug": "Gui Zhou", "name": "贵州省"})).await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().starts_with("slug:"));
    let r = post(&platform, "/api/v1/regions", json!({"slug": "guizhou", "name": "贵州省", "name_en": "Guizhou"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let tenant = json!({"slug": "xiushan", "name": "秀山县", "name_en": "Xiushan", "region": "chongqing"});
    for (body, status) in [
        (json!({"slug": "x", "name": "x", "region": "nowhere"}), 422),
        (json!({"slug": "x", "name": "x", "region": "chongqing", "time_zone": "Mars/Olympus"}), 422),
        (json!({"slug": "qianjiang", "name": "黔江区", "region": "chongqing"}), 409),
        (tenant.clone(), 201),
        (tenant, 409),
    ] {
        let r = post(&platform, "/api/v1/tenants", body.clone()).await.unwrap();
        assert_eq!(r.status(), status, "{body}");
    }
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenant").fetch_one(&app.admin).await.unwrap();
    assert_eq!(tenants, 2, "only the one good tenant was added");

    // Import: a draft, internal plan the public does not see.
    let r = platform.post(app.url("/api/v1/tenants/xiushan/plans/import")).body(PLAN_CSV).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let plan_id = r.json::<Value>().await.unwrap()["plan_id"].as_str().unwrap().to_owned();
    let anonymous = browser_like_client(app.addr);
    let public_plans = || async {
        let r = anonymous.get(app.url("/api/v1/tenants/xiushan/plans")).send().await.unwrap();
        r.json::<Vec<Value>>().await.unwrap().len()
    };
    assert_eq!(public_plans().await, 0);

    // The district's admin: a one-time link; nothing exists for the invitee before it is accepted.
    let r = post(&platform, "/api/v1/tenants/xiushan/users", json!({"email": INVITEE, "role": "tenant_admin"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let invitation: Value = r.json().await.unwrap();
    let link = invitation["link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("/t/xiushan/invitations/"), "{link}");
    let again = post(&platform, "/api/v1/tenants/xiushan/users", json!({"email": INVITEE, "role": "tenant_admin"}))
        .await
        .unwrap();
    assert_eq!(again.status(), 201, "a second link; either can be accepted, once");
    let r = post(
        &platform,
        "/api/v1/tenants/xiushan/users",
        json!({"email": "r@xiushan.gov.cn", "role": "reporter", "organisations": ["不存在的单位"]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("不存在的单位"));
    let accounts: i64 = sqlx::query_scalar("select count(*) from app_user where email = $1")
        .bind(INVITEE)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(accounts, 0, "no account before the link is accepted");

    let admin = browser_like_client(app.addr);
    let token = link.rsplit('/').next().unwrap();
    let accepted = admin
        .post(app.url("/forms/invitations/accept"))
        .form(&[
            ("tenant", "xiushan"),
            ("token", token),
            ("display_name", "秀山管理员"),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.url().path(), "/me", "accepted and signed in");
    let users_url = app.url("/api/v1/tenants/xiushan/users");
    let users: Vec<Value> = admin.get(&users_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!((users[0]["email"].as_str(), users[0]["must_change_password"].as_bool()), (Some(INVITEE), Some(false)));

    // Publishing: needs the version it was made against.
    let plans: Vec<Value> =
        admin.get(app.url("/api/v1/tenants/xiushan/plans")).send().await.unwrap().json().await.unwrap();
    let version = plans[0]["version"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/tenants/xiushan/plans/{plan_id}/publication"));
    let publish = json!({"status": "published", "visibility": "public"});
    assert_eq!(admin.put(&url).json(&publish).send().await.unwrap().status(), 428);
    let stale = admin.put(&url).header("if-match", format!("\"{}\"", version + 1)).json(&publish).send().await.unwrap();
    assert_eq!(stale.status(), 409);
    let r = admin.put(&url).header("if-match", format!("\"{version}\"")).json(&publish).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["etag"], format!("\"{}\"", version + 1).as_str());
    assert_eq!(public_plans().await, 1, "the public sees the published plan");

    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_event where tenant_id = (select tenant_id from tenant where slug = 'xiushan')
         order by event_id",
    )
    .fetch_all(&app.admin)
    .await
    .unwrap();
    for action in
        ["tenant.create", "plan.import", "invitation.create", "invitation.accept", "grant.create", "plan.publication"]
    {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_withdrawn_grant_stops_working_at_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let viewer = app.sign_in("viewer@qianjiang.gov.cn").await;
    let plans = app.url("/api/v1/tenants/qianjiang/plans");
    let users: Vec<Value> =
        admin.get(app.url("/api/v1/tenants/qianjiang/users")).send().await.unwrap().json().await.unwrap();
    let grant = users.iter().find(|u| u["email"] == "viewer@qianjiang.gov.cn").unwrap()["grants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = || async { viewer.get(app.url("/api/v1/me")).send().await.unwrap().json::<Value>().await.unwrap() };
    assert_eq!(me().await["grants"].as_array().unwrap().len(), 1);
    let url = app.url(&format!("/api/v1/tenants/qianjiang/grants/{grant}"));
    assert_eq!(viewer.delete(&url).send().await.unwrap().status(), 403, "a viewer cannot withdraw grants");
    assert_eq!(admin.delete(&url).send().await.unwrap().status(), 204);
    assert_eq!(admin.delete(&url).send().await.unwrap().status(), 404);
    assert_eq!(me().await["grants"].as_array().unwrap().len(), 0, "the viewer's session holds no grant now");
    assert_eq!(viewer.get(&plans).send().await.unwrap().status(), 200, "public reading still works");
}
