//! Supervisors compare districts: per-district standing and one catalog indicator side by
//! side, ranked by progress; the catalog and its suggestions; the demo districts.

use serde_json::{Value, json};
use shared::model::Role;
use sqlx::PgPool;
use tests::{TestApp, spawn_app};
use uuid::Uuid;

const SUPERVISOR: &str = "supervisor@chongqing.gov.cn";

/// A second district of the region with its own copy of the plan, and approved 2023 values
/// of 规上工业总产值 for both: Qianjiang 229.715 (progress 0.5), the other 300 (0.79).
async fn two_districts(app: &TestApp) {
    sqlx::query("insert into tenant (region_id, slug, name) select region_id, 'xiushan', '秀山县' from region where slug = 'chongqing'")
        .execute(&app.admin)
        .await
        .unwrap();
    let bundle = backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap();
    let tenant: Uuid =
        sqlx::query_scalar("select tenant_id from tenant where slug = 'xiushan'").fetch_one(&app.admin).await.unwrap();
    let mut tx = app.admin.begin().await.unwrap();
    backend::plans::store::store_plan(&mut tx, tenant, None, &bundle.plans[0]).await.unwrap();
    tx.commit().await.unwrap();
    app.add_user(SUPERVISOR, Role::Supervisor, None, Some("chongqing"), &[]).await;
    for (slug, value) in [("qianjiang", 229.715), ("xiushan", 300.0)] {
        let admin = format!("admin@{slug}.gov.cn");
        app.add_user(&admin, Role::TenantAdmin, Some(slug), None, &[]).await;
        let client = app.sign_in(&admin).await;
        let id: Uuid = sqlx::query_scalar(
            "select indicator_id from indicator i join tenant t using (tenant_id) where t.slug = $1 and i.code = '1.1'",
        )
        .bind(slug)
        .fetch_one(&app.admin)
        .await
        .unwrap();
        tests::report_and_approve(app, &client, slug, id, "2023", value).await;
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_supervisor_compares_the_districts_of_the_region_by_progress(pool: PgPool) {
    let app = spawn_app(pool).await;
    two_districts(&app).await;
    let supervisor = app.sign_in(SUPERVISOR).await;
    let url = app.url("/api/v1/regions/chongqing/comparison?indicator=industrial_output_above_scale");
    let response = supervisor.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["region"]["slug"], "chongqing");
    let tenants: Vec<&str> = body["tenants"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert_eq!(tenants, ["xiushan", "qianjiang"], "ranked by mean progress");
    let qianjiang = &body["tenants"][1];
    assert_eq!(qianjiang["indicators"]["on_track"], 1);
    assert_eq!(qianjiang["indicators"]["total"], 31);
    assert_eq!(qianjiang["tasks"]["total"], 30);
    assert_eq!(qianjiang["tasks"]["overdue"], 3, "tasks due 2022 and 2023, at 2024-06-01");
    let rows = body["indicator"]["rows"].as_array().unwrap();
    assert_eq!(body["indicator"]["unit"], "亿元");
    assert_eq!(rows.iter().map(|r| r["tenant"].as_str().unwrap()).collect::<Vec<_>>(), ["xiushan", "qianjiang"]);
    assert_eq!(rows[1]["progress"].as_f64(), Some(0.5));
    assert_eq!(rows[1]["latest"]["value"].as_f64(), Some(229.715));
    assert_eq!(rows[1]["baseline_value"].as_f64(), Some(109.43));

    let unknown =
        supervisor.get(app.url("/api/v1/regions/chongqing/comparison?indicator=no_such_key")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(supervisor.get(app.url("/api/v1/regions/nowhere/comparison")).send().await.unwrap().status(), 404);
    assert_eq!(
        supervisor.get(app.url("/api/v1/regions/chongqing/comparison?colour=red")).send().await.unwrap().status(),
        400
    );
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    assert_eq!(admin.get(app.url("/api/v1/regions/chongqing/comparison")).send().await.unwrap().status(), 403);
    assert_eq!(app.get("/api/v1/regions/chongqing/comparison").await.status(), 401);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn catalog_keys_are_suggested_at_import_and_confirmed_by_a_platform_admin(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (status, catalog) = app.get_json("/api/v1/catalog").await;
    assert_eq!(status, 200);
    assert_eq!(catalog.as_array().unwrap().len(), 31);
    // The seed's indicators carry their keys; a plan without keys gets suggestions.
    let (_, rows) =
        app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{}/indicators", app.seed_plan_id().await)).await;
    assert_eq!(rows[0]["catalog_key"], "industrial_output_above_scale");

    sqlx::query("insert into tenant (region_id, slug, name) select region_id, 'xiushan', '秀山县' from region where slug = 'chongqing'")
        .execute(&app.admin)
        .await
        .unwrap();
    let mut doc =
        backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap().plans.remove(0);
    for indicator in &mut doc.indicators {
        indicator.catalog_key = None;
    }
    doc.indicators[13].name = "“5G 基站”".into();
    let tenant: Uuid =
        sqlx::query_scalar("select tenant_id from tenant where slug = 'xiushan'").fetch_one(&app.admin).await.unwrap();
    let mut tx = app.admin.begin().await.unwrap();
    let plan = backend::plans::store::store_plan(&mut tx, tenant, None, &doc).await.unwrap().plan_id();
    tx.commit().await.unwrap();
    let (_, rows) = app.get_json(&format!("/api/v1/tenants/xiushan/plans/{plan}/indicators")).await;
    let station = rows.as_array().unwrap().iter().find(|r| r["code"] == "3.3").unwrap();
    assert_eq!(station["catalog_key"], Value::Null);
    assert_eq!(station["catalog_suggestion"], "base_stations_5g", "matched across quotes and spaces");
    let suggested = rows.as_array().unwrap().iter().filter(|r| r["catalog_suggestion"].is_string()).count();
    assert!(suggested >= 29, "only {suggested} suggestions");

    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let url = app.url(&format!("/api/v1/tenants/xiushan/indicators/{}/catalog", station["id"].as_str().unwrap()));
    let response =
        platform.put(&url).header("if-match", "\"1\"").json(&json!({"key": "base_stations_5g"})).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let (_, rows) = app.get_json(&format!("/api/v1/tenants/xiushan/plans/{plan}/indicators")).await;
    let station = rows.as_array().unwrap().iter().find(|r| r["code"] == "3.3").unwrap();
    assert_eq!(
        (station["catalog_key"].as_str(), station["catalog_suggestion"].as_str()),
        (Some("base_stations_5g"), None)
    );
    let response =
        platform.put(&url).header("if-match", "\"2\"").json(&json!({"key": "no_such_key"})).send().await.unwrap();
    assert_eq!(response.status(), 422);

    let entry = json!({"key": "gdp", "name": "地区生产总值", "name_en": "GDP", "unit": "亿元", "aliases": ["GDP"]});
    let response = platform.put(app.url("/api/v1/catalog/gdp")).json(&entry).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let bad = json!({"key": "GDP!", "name": "x", "unit": "亿元"});
    assert_eq!(platform.put(app.url("/api/v1/catalog/GDP!")).json(&bad).send().await.unwrap().status(), 422);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn demo_districts_are_labelled_separate_and_removable(pool: PgPool) {
    let app = spawn_app(pool).await;
    let counts = |sql: &'static str| {
        let pool = app.admin.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    let real_reports = "select count(*) from indicator_report r join tenant t using (tenant_id) where not t.is_demo";
    let qianjiang_before =
        counts("select count(*) from indicator i join tenant t using (tenant_id) where t.slug = 'qianjiang'").await;

    backend::ops::demo::add(&app.admin, 3, chrono::Utc::now()).await.unwrap();
    let (_, tenants) = app.get_json("/api/v1/tenants").await;
    let demo: Vec<&Value> = tenants.as_array().unwrap().iter().filter(|t| t["is_demo"] == true).collect();
    assert_eq!(demo.len(), 3);
    assert!(demo.iter().all(|t| t["region"] == "demo" && t["name"].as_str().unwrap().contains("示例")));
    assert_eq!(
        counts("select count(*) from indicator_report r join tenant t using (tenant_id) where t.is_demo").await,
        3 * 31 * 5
    );
    assert_eq!(counts(real_reports).await, 0, "nothing mixed into the real tenant");

    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let body: Value = platform
        .get(app.url("/api/v1/regions/demo/comparison?indicator=energy_per_value_added"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["tenants"].as_array().unwrap().len(), 3);
    assert!(body["tenants"].as_array().unwrap().iter().all(|t| t["indicators"]["no_data"] == 0));
    let progress: Vec<f64> =
        body["indicator"]["rows"].as_array().unwrap().iter().map(|r| r["progress"].as_f64().unwrap()).collect();
    assert!(progress.windows(2).all(|w| w[0] >= w[1]), "ranked by progress: {progress:?}");

    assert_eq!(backend::ops::demo::remove(&app.admin).await.unwrap(), 3);
    assert_eq!(counts("select count(*) from tenant where is_demo").await, 0);
    assert_eq!(counts("select count(*) from region where slug = 'demo'").await, 0);
    assert_eq!(
        counts("select count(*) from indicator i join tenant t using (tenant_id) where t.slug = 'qianjiang'").await,
        qianjiang_before
    );
}

/// A district's counts aggregated from scratch: slug, indicators by status (total, achieved,
/// on track, at risk, behind, no data), tasks (total, completed, overdue), mean progress.
type ScratchRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, Option<f64>);

/// How many districts' kept rollups differ, column by column (numbers compared as numbers),
/// from what a full refresh computes now.
async fn rollups_differing_from_a_full_refresh(admin: &PgPool) -> i64 {
    let mut tx = admin.begin().await.unwrap();
    sqlx::query("create temporary table kept on commit drop as select * from tenant_rollup")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("select refresh_tenant_rollup(tenant_id) from tenant").execute(&mut *tx).await.unwrap();
    let differing: i64 = sqlx::query_scalar(
        "select count(*) from tenant_rollup r full join kept k using (tenant_id)
         where (r.region_id, r.slug, r.name, r.name_en, r.is_demo, r.time_zone, r.indicators_total, r.achieved,
                r.on_track, r.at_risk, r.behind, r.no_data, r.progress_sum, r.progress_count, r.tasks_total,
                r.not_started, r.in_progress, r.completed, r.blocked)
               is distinct from
               (k.region_id, k.slug, k.name, k.name_en, k.is_demo, k.time_zone, k.indicators_total, k.achieved,
                k.on_track, k.at_risk, k.behind, k.no_data, k.progress_sum, k.progress_count, k.tasks_total,
                k.not_started, k.in_progress, k.completed, k.blocked)",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    differing
}

/// How many catalog standings (migration `comparison_standings`) differ from the catalog
/// indicators of published plans as they are, or are missing, or are left over.
async fn standings_differing_from_the_indicators(admin: &PgPool) -> i64 {
    sqlx::query_scalar(
        "select count(*) from catalog_standing s full join
           (select i.*, t.region_id, t.slug, t.name as tenant_name, t.is_demo as tenant_is_demo from indicator i
            join plan p on p.plan_id = i.plan_id and p.status = 'published'
            join tenant t on t.tenant_id = i.tenant_id
            where i.catalog_key is not null) i using (indicator_id)
         where (s.tenant_id, s.region_id, s.catalog_key, s.slug, s.tenant_name, s.tenant_is_demo, s.name, s.unit,
                s.baseline_year, s.baseline_value, s.target_year, s.target_value, s.comparator,
                s.latest_period_year, s.latest_period_quarter, s.latest_value, s.progress, s.status)
               is distinct from
               (i.tenant_id, i.region_id, i.catalog_key, i.slug, i.tenant_name, i.tenant_is_demo, i.name, i.unit,
                i.baseline_year, i.baseline_value, i.target_year, i.target_value, i.comparator,
                i.latest_period_year, i.latest_period_quarter, i.latest_value, i.progress, i.status)",
    )
    .fetch_one(admin)
    .await
    .unwrap()
}

/// The comparison reads the rollups the write triggers keep; after approvals, a task
/// update, a plan withdrawn to draft and a district removed, they still say what
/// aggregating every indicator and task from scratch says.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_rollups_agree_with_aggregating_from_scratch_after_every_kind_of_write(pool: PgPool) {
    let app = spawn_app(pool).await;
    two_districts(&app).await;
    let admin = app.sign_in("admin@xiushan.gov.cn").await;
    let energy: Uuid = sqlx::query_scalar(
        "select indicator_id from indicator i join tenant t using (tenant_id) where t.slug = 'xiushan' and i.name = '万元工业增加值能耗'",
    )
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let first = tests::report_and_approve(&app, &admin, "xiushan", energy, "2023", 0.8).await;
    // A correction: the indicator's standing moves from one value to another (the rollup
    // takes the difference).
    let reports = app.url(&format!("/api/v1/tenants/xiushan/indicators/{energy}/reports"));
    let correction: Value = admin
        .post(&reports)
        .json(&json!({"period": "2023", "value": 0.7, "corrects": first["id"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = admin
        .post(format!("{reports}/{}/approve", correction["id"].as_str().unwrap()))
        .header("if-match", format!("\"{}\"", correction["version"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Before anything refreshes the district in full (a task update does).
    assert_eq!(rollups_differing_from_a_full_refresh(&app.admin).await, 0, "after the approvals");
    assert_eq!(standings_differing_from_the_indicators(&app.admin).await, 0, "after the approvals");
    let task: Uuid = sqlx::query_scalar(
        "select task_id from task k join tenant t using (tenant_id) where t.slug = 'xiushan' and k.due_year = 2022 limit 1",
    )
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let r = admin
        .post(app.url(&format!("/api/v1/tenants/xiushan/tasks/{task}/updates")))
        .json(&json!({"status": "completed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let supervisor = app.sign_in(SUPERVISOR).await;
    let compare = || async {
        let body: Value =
            supervisor.get(app.url("/api/v1/regions/chongqing/comparison")).send().await.unwrap().json().await.unwrap();
        body["tenants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let i = &t["indicators"];
                let k = &t["tasks"];
                let n = |v: &Value| v.as_i64().unwrap();
                (
                    t["slug"].as_str().unwrap().to_owned(),
                    [
                        n(&i["total"]),
                        n(&i["achieved"]),
                        n(&i["on_track"]),
                        n(&i["at_risk"]),
                        n(&i["behind"]),
                        n(&i["no_data"]),
                    ],
                    [n(&k["total"]), n(&k["completed"]), n(&k["overdue"])],
                    t["mean_progress"].as_f64().map(|p| (p * 1e9).round() as i64),
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
    };
    let from_scratch = || async {
        let rows: Vec<ScratchRow> = sqlx::query_as(
            "select t.slug,
                    (select count(*) from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published'),
                    (select count(*) from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published' and i.status = 'achieved'),
                    (select count(*) from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published' and i.status = 'on_track'),
                    (select count(*) from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published' and i.status = 'at_risk'),
                    (select count(*) from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published' and i.status = 'behind'),
                    (select count(*) from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published' and i.status = 'no_data'),
                    (select count(*) from task k join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published'),
                    (select count(*) from task k join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published' and k.status = 'completed'),
                    (select count(*) from task k join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published'
                       and not k.ongoing and k.due_year < 2024 and k.status <> 'completed'),
                    (select avg(i.progress)::float8 from indicator i join plan p using (plan_id) where p.tenant_id = t.tenant_id and p.status = 'published')
             from tenant t join region r using (region_id) where r.slug = 'chongqing'",
        )
        .fetch_all(&app.admin)
        .await
        .unwrap();
        rows.into_iter()
            .map(|(slug, total, a, o, r, b, n, tasks, done, overdue, mean)| {
                (slug, [total, a, o, r, b, n], [tasks, done, overdue], mean.map(|p| (p * 1e9).round() as i64))
            })
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(compare().await, from_scratch().await);
    assert_eq!(rollups_differing_from_a_full_refresh(&app.admin).await, 0, "after the task update");
    let standings: i64 =
        sqlx::query_scalar("select count(*) from catalog_standing").fetch_one(&app.admin).await.unwrap();
    assert!(standings > 0, "the seed plans have catalog indicators");

    // Withdrawn to draft: its plan no longer counts. Removed: the district is gone.
    let set_status = |status: &'static str| {
        sqlx::query(
            "update plan set status = $1 from tenant t where plan.tenant_id = t.tenant_id and t.slug = 'xiushan'",
        )
        .bind(status)
        .execute(&app.admin)
    };
    set_status("draft").await.unwrap();
    sqlx::query("update tenant set data_version = nextval('data_version_seq') where slug = 'xiushan'")
        .execute(&app.admin)
        .await
        .unwrap();
    assert_eq!(compare().await, from_scratch().await);
    assert!(compare().await.iter().any(|(slug, counts, _, _)| slug == "xiushan" && counts[0] == 0));
    assert_eq!(standings_differing_from_the_indicators(&app.admin).await, 0, "after the withdrawal");

    // Published again, and the other district renamed and given another time zone: the
    // copies follow.
    set_status("published").await.unwrap();
    sqlx::query("update tenant set slug = 'qianjiang-renamed', name = '黔江区（新）', time_zone = 'Asia/Urumqi' where slug = 'qianjiang'")
        .execute(&app.admin)
        .await
        .unwrap();
    assert_eq!(standings_differing_from_the_indicators(&app.admin).await, 0, "after publishing and renaming");
    assert_eq!(rollups_differing_from_a_full_refresh(&app.admin).await, 0, "after publishing and renaming");
    sqlx::raw_sql(
        "delete from plan using tenant t where plan.tenant_id = t.tenant_id and t.slug = 'xiushan';
         delete from role_grant using tenant t where role_grant.tenant_id = t.tenant_id and t.slug = 'xiushan';
         delete from tenant where slug = 'xiushan';",
    )
    .execute(&app.admin)
    .await
    .unwrap();
    assert_eq!(compare().await, from_scratch().await);
    assert_eq!(compare().await.len(), 1);
    assert_eq!(standings_differing_from_the_indicators(&app.admin).await, 0, "after the removal");
}

/// A region's districts come a page at a time, in the order asked for; pages do not overlap
/// and together hold every district once. Bad paging is a 400.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_comparison_comes_in_pages_in_the_order_asked_for(pool: PgPool) {
    let app = spawn_app(pool).await;
    backend::ops::demo::add(&app.admin, 5, chrono::Utc::now()).await.unwrap();
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let platform = app.sign_in("platform@planboard.cn").await;
    let get = |query: String| {
        let platform = platform.clone();
        let url = app.url(&format!("/api/v1/regions/demo/comparison?{query}"));
        async move {
            let response = platform.get(url).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let slugs = |body: &Value| -> Vec<String> {
        body["tenants"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap().to_owned()).collect()
    };

    let (status, whole) = get("indicator=energy_per_value_added".into()).await;
    assert_eq!(status, 200);
    assert_eq!((whole["total"].as_i64(), whole["indicator"]["total"].as_i64()), (Some(5), Some(5)));
    assert_eq!(whole["page"], json!({"sort": "progress", "offset": 0, "limit": 100}));
    let mut paged = Vec::new();
    let mut indicator_rows = Vec::new();
    for offset in [0, 2, 4] {
        let (status, body) = get(format!("indicator=energy_per_value_added&offset={offset}&limit=2")).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 5);
        paged.extend(slugs(&body));
        indicator_rows.extend(body["indicator"]["rows"].as_array().unwrap().iter().map(|r| r["tenant"].clone()));
    }
    assert_eq!(paged, slugs(&whole), "pages in the order of the whole");
    assert_eq!(
        &indicator_rows,
        whole["indicator"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["tenant"])
            .cloned()
            .collect::<Vec<_>>()
            .as_slice()
    );

    let (_, by_name) = get("sort=name".into()).await;
    let mut sorted = slugs(&whole);
    sorted.sort();
    assert_eq!(slugs(&by_name), sorted);
    let (_, by_overdue) = get("sort=overdue".into()).await;
    let overdue: Vec<i64> =
        by_overdue["tenants"].as_array().unwrap().iter().map(|t| t["tasks"]["overdue"].as_i64().unwrap()).collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "most overdue first: {overdue:?}");

    let (status, past) = get("indicator=energy_per_value_added&offset=10".into()).await;
    assert_eq!(status, 200);
    assert_eq!(
        (slugs(&past).len(), past["total"].as_i64(), past["indicator"]["total"].as_i64()),
        (0, Some(5), Some(5))
    );
    for bad in ["sort=size", "limit=0", "limit=501", "offset=-1", "limit=ten"] {
        let (status, body) = get(bad.into()).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "bad_request", "{bad}");
    }
}
