use serde_json::Value;
use sqlx::PgPool;
use tests::spawn_app;

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn anyone_lists_the_tenants_with_their_region(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (status, body) = app.get_json("/api/v1/tenants").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        serde_json::json!([{"slug": "qianjiang", "name": "黔江区", "name_en": "Qianjiang District",
                            "region": "chongqing", "is_demo": false}])
    );
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn anonymous_reads_the_public_plan(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (status, body) = app.get_json("/api/v1/tenants/qianjiang/plans").await;
    assert_eq!(status, 200);
    let plans = body.as_array().unwrap();
    assert_eq!(plans.len(), 1);
    let plan = &plans[0];
    assert_eq!(plan["title"], "黔江区推动制造业高质量发展重点专项实施方案");
    assert_eq!(plan["issuer"], "重庆市黔江区人民政府办公室");
    assert_eq!(plan["issued_on"], "2022-01-11");
    assert_eq!(plan["period_start"], 2021);
    assert_eq!(plan["period_end"], 2025);
    assert_eq!(plan["visibility"], "public");
    assert_eq!(plan["status"], "published");
    assert_eq!(plan["id"], app.seed_plan_id().await.to_string());
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn indicators_carry_every_field_of_the_contract(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let (status, body) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators")).await;
    assert_eq!(status, 200);
    let rows = body.as_array().unwrap();
    assert_eq!(rows.len(), 31);
    let fields = [
        "id",
        "code",
        "area",
        "name",
        "unit",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "comparator",
        "catalog_key",
        "latest",
        "progress",
        "status",
    ];
    for row in rows {
        for field in fields {
            assert!(row.get(field).is_some(), "{field} missing in {row}");
        }
        // Nothing is reported yet: no latest value, no progress, no data.
        assert_eq!(row["latest"], Value::Null);
        assert_eq!(row["progress"], Value::Null);
        assert_eq!(row["status"], "no_data");
    }
    let energy = rows.iter().find(|r| r["name"] == "万元工业增加值能耗").unwrap();
    assert_eq!(energy["comparator"], "le");
    assert_eq!(energy["baseline_value"].as_f64(), Some(0.84));
    assert_eq!(energy["target_value"].as_f64(), Some(0.6));
    assert_eq!(energy["unit"], "吨标煤");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn tasks_carry_units_by_role_and_overdue_by_the_clock(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let (status, body) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/tasks")).await;
    assert_eq!(status, 200);
    let rows = body.as_array().unwrap();
    assert_eq!(rows.len(), 30);
    let names =
        |v: &Value| v.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let task15 = rows.iter().find(|t| t["seq"] == 15 && t["area"] == "领军企业培育行动").unwrap();
    assert_eq!(names(&task15["lead_units"]), ["区经济信息委", "正阳工业园区管委会"]);
    assert_eq!(task15["ongoing"], true);
    assert_eq!(task15["due_year"], Value::Null);
    // The clock says 2024-06-01: unfinished tasks due in 2022 or 2023 are overdue, 2025 ones are not.
    for row in rows.iter().take(18) {
        let due = row["due_year"].as_i64();
        let expected = matches!(due, Some(y) if y < 2024);
        assert_eq!(row["overdue"], expected, "task {} due {:?}", row["seq"], due);
        assert_eq!(row["status"], "not_started");
    }
    // The same unit object (id and name) appears wherever the unit does.
    let ids: std::collections::HashSet<_> = rows
        .iter()
        .flat_map(|t| ["lead_units", "responsible_units", "cooperating_units"].map(|k| t[k].clone()))
        .flat_map(|units| units.as_array().unwrap().clone())
        .filter(|u| u["name"] == "正阳工业园区管委会")
        .map(|u| u["id"].clone())
        .collect();
    assert_eq!(ids.len(), 1);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn unknown_or_malformed_references_get_json_errors(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let cases = [
        ("/api/v1/tenants/nowhere/plans".to_owned(), 404, "not_found"),
        (format!("/api/v1/tenants/nowhere/plans/{plan}/indicators"), 404, "not_found"),
        (format!("/api/v1/tenants/qianjiang/plans/{}/indicators", uuid::Uuid::new_v4()), 404, "not_found"),
        (format!("/api/v1/tenants/qianjiang/plans/{}/tasks", uuid::Uuid::new_v4()), 404, "not_found"),
        ("/api/v1/tenants/qianjiang/plans/not-an-id/indicators".to_owned(), 400, "bad_request"),
        ("/api/v1/tenants/qianjiang/plans/12345/tasks".to_owned(), 400, "bad_request"),
        ("/api/v1/no/such/route".to_owned(), 404, "not_found"),
    ];
    for (path, status, code) in cases {
        let (got, body) = app.get_json(&path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{path}");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn internal_and_draft_plans_are_hidden_from_anonymous_readers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    for (visibility, status) in [("internal", "published"), ("public", "draft")] {
        sqlx::query("update plan set visibility = $1, status = $2 where plan_id = $3")
            .bind(visibility)
            .bind(status)
            .bind(plan)
            .execute(&app.admin)
            .await
            .unwrap();
        let (_, list) = app.get_json("/api/v1/tenants/qianjiang/plans").await;
        assert_eq!(list, serde_json::json!([]), "{visibility}/{status} listed");
        for path in ["indicators", "tasks"] {
            let (code, body) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/{path}")).await;
            // Exactly like a plan that does not exist.
            assert_eq!(code, 404, "{visibility}/{status} {path}");
            assert_eq!(body["error"]["message"], "plan not found");
        }
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_plan_is_not_reachable_through_another_tenant(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    sqlx::query(
        "insert into tenant (region_id, slug, name) select region_id, 'other', '其他区' from region where slug = 'chongqing'",
    )
    .execute(&app.admin)
    .await
    .unwrap();
    let (status, _) = app.get_json(&format!("/api/v1/tenants/other/plans/{plan}/indicators")).await;
    assert_eq!(status, 404);
    let (status, list) = app.get_json("/api/v1/tenants/other/plans").await;
    assert_eq!((status, list), (200, serde_json::json!([])));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn health_and_readiness_answer(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(body["postgres"], "ok");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn readiness_fails_while_postgresql_is_unreachable(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (status, _) = app.get_json("/readyz").await;
    assert_eq!(status, 200);
    // A server whose database cannot be reached: alive, but not ready.
    let nowhere = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy("postgres://planboard_app@127.0.0.1:1/nowhere")
        .unwrap();
    let clock = std::sync::Arc::new(backend::infra::clock::FixedClock::at(tests::TODAY.parse().unwrap()));
    let state =
        backend::startup::state(nowhere, clock, tests::site_root(), backend::infra::cache::ViewCache::disabled());
    let server = backend::startup::Application::build(state, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(server.run_until_stopped());
    let response = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["postgres"], "unreachable");
    assert_eq!(reqwest::get(format!("http://{addr}/healthz")).await.unwrap().status(), 200);
}
