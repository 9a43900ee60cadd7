//! The audit trail as its readers see it through the API.

use shared::model::Role;
use sqlx::PgPool;
use tests::spawn_app;

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_audit_trail_pages_newest_first(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let client = app.sign_in("admin@qianjiang.gov.cn").await;
    let get = |query: String| {
        let client = client.clone();
        let url = app.url(&format!("/api/v1/tenants/qianjiang/audit{query}"));
        async move {
            let r = client.get(url).send().await.unwrap();
            (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, all) = get(String::new()).await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = all["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    // Seeding created the tenant and the plan; the two grants were added after.
    assert_eq!(actions, ["grant.create", "grant.create", "plan.create", "tenant.create"]);
    assert_eq!(all["next_before"], serde_json::Value::Null);

    let (_, first) = get("?limit=3".into()).await;
    assert_eq!(first["events"].as_array().unwrap().len(), 3);
    let next = first["next_before"].as_i64().unwrap();
    let (_, second) = get(format!("?limit=3&before={next}")).await;
    assert_eq!(second["events"].as_array().unwrap().len(), 1);
    assert_eq!(second["events"][0]["action"], "tenant.create");
    assert_eq!(second["next_before"], serde_json::Value::Null);

    for bad in ["?limit=0", "?limit=201", "?limit=x", "?before=abc", "?colour=red"] {
        let (status, body) = get(bad.into()).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let grant = &all["events"][0];
    assert_eq!(grant["after"]["email"], "viewer@qianjiang.gov.cn");
}
