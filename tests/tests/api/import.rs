//! Importing plans as canonical JSON: dry run, commit, re-import, export round trip, refusals.

use serde_json::Value;
use shared::model::Role;
use shared::plan_document::PlanDocument;
use sqlx::PgPool;
use tests::{TestApp, spawn_app};

const PLATFORM: &str = "platform@planboard.cn";

async fn setup(pool: PgPool) -> TestApp {
    let app = spawn_app(pool).await;
    sqlx::query("insert into tenant (region_id, slug, name) select region_id, 'xiushan', '秀山县' from region where slug = 'chongqing'")
        .execute(&app.admin)
        .await
        .unwrap();
    app.add_user(PLATFORM, Role::PlatformAdmin, None, None, &[]).await;
    app
}

async fn export(app: &TestApp, client: &reqwest::Client, slug: &str, plan: &str) -> PlanDocument {
    let response =
        client.get(app.url(&format!("/api/v1/tenants/{slug}/plans/{plan}/export.json"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn an_exported_plan_imports_into_an_empty_tenant_as_the_same_plan(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let original = export(&app, &platform, "qianjiang", &app.seed_plan_id().await.to_string()).await;
    let seeded = backend::seed::parse_bundle("qianjiang.json", backend::seed::BUNDLES[0].1).unwrap().plans.remove(0);
    assert_eq!(original, seeded, "the export is the seed document");
    let body = serde_json::to_vec(&original).unwrap();
    let url = app.url("/api/v1/tenants/xiushan/plans/import");

    let dry = platform
        .post(format!("{url}?dry_run=true"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(dry.status(), 200);
    let report: Value = dry.json().await.unwrap();
    assert_eq!(report["outcome"], "dry_run");
    assert_eq!(report["counts"], serde_json::json!({"areas": 8, "indicators": 31, "tasks": 30, "organisations": 33}));
    assert!(report["organisations"].as_array().unwrap().iter().all(|o| o["new"] == true));
    let plans =
        || async { sqlx::query_scalar::<_, i64>("select count(*) from plan").fetch_one(&app.admin).await.unwrap() };
    assert_eq!(plans().await, 1, "a dry run writes nothing");

    let created =
        platform.post(&url).header("content-type", "application/json").body(body.clone()).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let report: Value = created.json().await.unwrap();
    assert_eq!(report["outcome"], "created");
    let copy = export(&app, &platform, "xiushan", report["plan_id"].as_str().unwrap()).await;
    assert_eq!(copy, original);

    let again = platform.post(&url).header("content-type", "application/json").body(body).send().await.unwrap();
    assert_eq!(again.status(), 200);
    let report: Value = again.json().await.unwrap();
    assert_eq!(report["outcome"], "already_present");
    assert_eq!(plans().await, 2, "re-importing does not duplicate");
    let actions: Vec<String> = sqlx::query_scalar("select action from audit_event where action = 'plan.import'")
        .fetch_all(&app.admin)
        .await
        .unwrap();
    assert_eq!(actions.len(), 1);
}

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn bad_documents_are_refused_with_their_place_and_write_nothing(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let url = app.url("/api/v1/tenants/xiushan/plans/import");
    let mut doc: Value = serde_json::to_value(
        backend::seed::parse_bundle("qianjiang.json", backend::seed::BUNDLES[0].1).unwrap().plans.remove(0),
    )
    .unwrap();
    doc["indicators"][3]["area"] = "不存在的类别".into();
    doc["tasks"][0]["seq"] = 0.into();
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{\"format\": \"planboard.plan/1\",\n \"title\": }".to_vec(), 422, "line 2, column"),
        (b"{}".to_vec(), 422, "line 1"),
        (serde_json::to_vec(&doc).unwrap(), 422, "indicators[3].area"),
        (vec![0xff, 0xfe, 0x00, 0x01], 422, "not UTF-8"),
        (vec![b' '; 5 * 1024 * 1024], 413, ""),
    ];
    for (i, (body, status, place)) in cases.into_iter().enumerate() {
        let response = platform.post(&url).header("content-type", "application/json").body(body).send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "case {i}");
        let report: Value = response.json().await.unwrap();
        if status == 422 {
            let text = report["errors"].to_string();
            assert!(text.contains(place), "case {i}: {text}");
        } else {
            assert!(report["error"]["message"].is_string(), "case {i}");
        }
    }
    let n: i64 = sqlx::query_scalar("select count(*) from plan").fetch_one(&app.admin).await.unwrap();
    assert_eq!(n, 1);
}

#[sqlx::test(migrator = "backend::db::MIGRATOR")]
async fn the_published_text_imports_as_the_seeded_plan(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let seeded = backend::seed::parse_bundle("qianjiang.json", backend::seed::BUNDLES[0].1).unwrap().plans.remove(0);
    let text = seeded.source_text.clone().unwrap();
    let url = app.url("/api/v1/tenants/xiushan/plans/import");
    let response =
        platform.post(&url).header("content-type", "text/plain; charset=utf-8").body(text).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["warnings"], serde_json::json!([]));
    assert_eq!(report["counts"], serde_json::json!({"areas": 8, "indicators": 31, "tasks": 30, "organisations": 33}));
    let imported = export(&app, &platform, "xiushan", report["plan_id"].as_str().unwrap()).await;
    // The catalog keys of the seed are a mapping confirmed after reading; the text gives suggestions.
    let mut expected = seeded;
    for i in &mut expected.indicators {
        i.catalog_key = None;
    }
    assert_eq!(imported, expected);
    let suggested: i64 = sqlx::query_scalar("select count(*) from indicator i join tenant t using (tenant_id) where t.slug = 'xiushan' and catalog_suggestion is not null")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert!(suggested >= 29, "{suggested} suggestions");
}
