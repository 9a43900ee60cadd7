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

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn an_exported_plan_imports_into_an_empty_tenant_as_the_same_plan(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let original = export(&app, &platform, "qianjiang", &app.seed_plan_id().await.to_string()).await;
    let seeded =
        backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap().plans.remove(0);
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

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn bad_documents_are_refused_with_their_place_and_write_nothing(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let url = app.url("/api/v1/tenants/xiushan/plans/import");
    let mut doc: Value = serde_json::to_value(
        backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap().plans.remove(0),
    )
    .unwrap();
    doc["indicators"][3]["area"] = "不存在的类别".into();
    doc["tasks"][0]["seq"] = 0.into();
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{\"format\": \"planboard.plan/1\",\n \"title\": }".to_vec(), 422, "line 2, column"),
        (b"{}".to_vec(), 422, "line 1"),
        (serde_json::to_vec(&doc).unwrap(), 422, "indicators[3].area"),
        // Not UTF-8: read as GB18030 (what Chinese Excel saves), and no plan in it.
        (vec![0xff, 0xfe, 0x00, 0x01], 422, "no plan title"),
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

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_published_text_imports_as_the_seeded_plan(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let seeded =
        backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap().plans.remove(0);
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

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Qianjiang's admin, signed in, after reporting and approving 229.715 for 2023 on
/// 规上工业总产值 (returned with the indicator's id).
async fn approved_output(app: &TestApp) -> (reqwest::Client, uuid::Uuid) {
    app.add_user("admin@qianjiang.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.cn").await;
    let output: uuid::Uuid = sqlx::query_scalar("select indicator_id from indicator where name = '规上工业总产值'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    tests::report_and_approve(app, &admin, "qianjiang", output, "2023", 229.715).await;
    (admin, output)
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_workbook_export_carries_the_history_and_imports_back_as_the_same_plan(pool: PgPool) {
    let app = setup(pool).await;
    approved_output(&app).await;
    let platform = app.sign_in(PLATFORM).await;
    let plan = app.seed_plan_id().await.to_string();
    let original = export(&app, &platform, "qianjiang", &plan).await;

    let response =
        platform.get(app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/export.xlsx"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], XLSX);
    let workbook = response.bytes().await.unwrap();
    let sheets = backend::import::xlsx::sheets(&workbook).unwrap();
    let reports = sheets.iter().find(|s| s.name == "指标填报").expect("the reports sheet");
    let row: Vec<&str> = reports.rows[1].1.iter().map(String::as_str).collect();
    // The state in words, as people read it (Chinese: no language asked for).
    assert_eq!(&row[..5], ["1.1", "规上工业总产值", "2023", "229.715", "已通过"]);

    let url = app.url("/api/v1/tenants/xiushan/plans/import");
    let created = platform.post(&url).header("content-type", XLSX).body(workbook.clone()).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let report: Value = created.json().await.unwrap();
    assert_eq!(report["counts"]["indicators"], 31);
    let warned: Vec<&str> = report["warnings"].as_array().unwrap().iter().map(|w| w["at"].as_str().unwrap()).collect();
    assert_eq!(warned, ["指标填报!1", "任务进展!1"], "only the history sheets are left out");
    let copy = export(&app, &platform, "xiushan", report["plan_id"].as_str().unwrap()).await;
    assert_eq!(copy, original);
    let again = platform.post(&url).body(workbook).send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["outcome"], "already_present");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_template_downloads_for_anyone_and_names_the_cells_left_empty(pool: PgPool) {
    let app = setup(pool).await;
    let response = app.get("/api/v1/import/template.xlsx").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], XLSX);
    let template = response.bytes().await.unwrap();
    let platform = app.sign_in(PLATFORM).await;
    let response = platform
        .post(app.url("/api/v1/tenants/xiushan/plans/import?dry_run=true"))
        .body(template)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let report: Value = response.json().await.unwrap();
    let places: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert_eq!(places, ["规划!B2", "规划!B3", "规划!B5", "规划!B6", "规划!B7"]);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_csv_with_a_bad_cell_is_refused_at_its_line_and_imports_once_fixed(pool: PgPool) {
    let app = setup(pool).await;
    let platform = app.sign_in(PLATFORM).await;
    let csv = "[规划]\n标题,秀山县数字经济发展规划\n发文机关,秀山县人民政府\n印发日期,2023年3月1日\n规划起始年,2023\n规划终止年,2027\n\
               [指标]\n一级指标,二级指标,计量单位,2022年,2027年\n数字产业,软件业务收入,亿元,12,≥30\n,数据中心机架,个,——,很多\n\
               [任务]\n序号,重点任务,牵头部门,配合部门,时间节点\n1,建设数据中心,县经信局,县发改委、县财政局,2025年\n";
    let url = app.url("/api/v1/tenants/xiushan/plans/import");
    let refused = platform.post(&url).header("content-type", "text/csv").body(csv).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let report: Value = refused.json().await.unwrap();
    assert_eq!(report["errors"][0]["at"], "line 10, column E");
    let plans =
        || async { sqlx::query_scalar::<_, i64>("select count(*) from plan").fetch_one(&app.admin).await.unwrap() };
    assert_eq!(plans().await, 1, "a refused import writes nothing");

    let fixed = csv
        .replace("很多", "500")
        .replace("[任务]\n序号", "[任务]\n领域,序号")
        .replace("\n1,建设", "\n数字产业,1,建设");
    let created = platform.post(&url).body(fixed).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let report: Value = created.json().await.unwrap();
    let plan = &report["plan"];
    assert_eq!(plan["indicators"][1]["area"], "数字产业");
    assert_eq!(plan["indicators"][1]["baseline_value"], Value::Null);
    assert_eq!((plan["status"].as_str(), plan["visibility"].as_str()), (Some("draft"), Some("internal")));
    assert_eq!(plan["tasks"][0]["cooperating"], serde_json::json!(["县发改委", "县财政局"]));
    assert_eq!(report["counts"]["organisations"], 3);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_public_gets_the_workbook_of_a_public_plan_with_approved_values_only(pool: PgPool) {
    let app = setup(pool).await;
    let (admin, output) = approved_output(&app).await;
    let pending = admin
        .post(app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports")))
        .json(&serde_json::json!({"period": "2024", "value": 250}))
        .send()
        .await
        .unwrap();
    assert_eq!(pending.status(), 201);
    let url = format!("/api/v1/tenants/qianjiang/plans/{}/export.xlsx", app.seed_plan_id().await);
    let reports_sheet = |bytes: &[u8]| {
        let sheets = backend::import::xlsx::sheets(bytes).unwrap();
        sheets.into_iter().find(|s| s.name == "指标填报").unwrap().rows.len() - 1
    };
    let public = app.get(&url).await;
    assert_eq!(public.status(), 200);
    assert_eq!(reports_sheet(&public.bytes().await.unwrap()), 1, "the approved value only");
    let internal = admin.get(app.url(&url)).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(reports_sheet(&internal), 2, "the district's own staff see the pending one too");
}
