//! Reporting progress: indicator reports with approval and correction, task updates, and the
//! plan dashboard counting the same numbers the lists show.

use serde_json::{Value, json};
use shared::model::Role;
use sqlx::PgPool;
use tests::{TestApp, spawn_app};
use uuid::Uuid;

const ADMIN: &str = "admin@qianjiang.gov.cn";
const REPORTER: &str = "jxw@qianjiang.gov.cn";
const OTHER_REPORTER: &str = "fgw@qianjiang.gov.cn";

async fn setup(pool: PgPool) -> (TestApp, Uuid) {
    let app = spawn_app(pool).await;
    app.add_user(ADMIN, Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user(REPORTER, Role::Reporter, Some("qianjiang"), None, &["区经济信息委"]).await;
    app.add_user(OTHER_REPORTER, Role::Reporter, Some("qianjiang"), None, &["区发展改革委"]).await;
    let plan = app.seed_plan_id().await;
    (app, plan)
}

async fn indicator(app: &TestApp, name: &str) -> Uuid {
    sqlx::query_scalar("select indicator_id from indicator where name = $1 order by code limit 1")
        .bind(name)
        .fetch_one(&app.admin)
        .await
        .unwrap()
}

async fn task(app: &TestApp, area: &str, seq: i32) -> Uuid {
    sqlx::query_scalar("select task_id from task t join area a using (area_id) where a.name = $1 and t.seq = $2")
        .bind(area)
        .bind(seq)
        .fetch_one(&app.admin)
        .await
        .unwrap()
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Submits and approves a value as the tenant admin.
async fn report_and_approve(app: &TestApp, indicator: Uuid, period: &str, value: f64) -> Value {
    let admin = app.sign_in(ADMIN).await;
    tests::report_and_approve(app, &admin, "qianjiang", indicator, period, value).await
}

async fn indicator_row(app: &TestApp, plan: Uuid, id: Uuid) -> Value {
    let (_, rows) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators")).await;
    rows.as_array().unwrap().iter().find(|r| r["id"] == id.to_string()).unwrap().clone()
}

async fn dashboard(app: &TestApp, plan: Uuid) -> Value {
    let (status, body) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard")).await;
    assert_eq!(status, 200);
    body
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_worked_example_of_industrial_output_is_on_track(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;

    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    let (status, report) =
        send(admin.post(&url).json(&json!({"period": "2023", "value": 229.715, "source": "统计公报"}))).await;
    assert_eq!(status, 201);
    assert_eq!(report["state"], "submitted");
    // Not approved yet: it counts nowhere.
    assert_eq!(indicator_row(&app, plan, output).await["status"], "no_data");

    let approve = app.url(&format!(
        "/api/v1/tenants/qianjiang/indicators/{output}/reports/{}/approve",
        report["id"].as_str().unwrap()
    ));
    let (status, approved) = send(admin.post(&approve).header("if-match", "\"1\"")).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["decided_by"], ADMIN);

    let row = indicator_row(&app, plan, output).await;
    assert_eq!(row["status"], "on_track");
    assert_eq!(row["progress"].as_f64(), Some(0.5));
    assert_eq!(row["latest"], json!({"period": "2023", "value": 229.715}));

    let board = dashboard(&app, plan).await;
    assert_eq!(board["overall"]["indicators"]["on_track"], 1);
    assert_eq!(board["overall"]["indicators"]["no_data"], 30);
    assert_eq!(board["overall"]["indicators"]["total"], 31);
    assert_eq!(board["overall"]["mean_progress"].as_f64(), Some(0.5));
    let area = &board["areas"][0];
    assert_eq!(area["area"], "产业链条建设行动（产业集群达规模）");
    assert_eq!(area["indicators"]["on_track"], 1);
    assert_eq!(area["mean_progress"].as_f64(), Some(0.5));
    assert_eq!(board["areas"][1]["mean_progress"], Value::Null);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn energy_intensity_is_behind_then_achieved(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let energy = indicator(&app, "万元工业增加值能耗").await;
    report_and_approve(&app, energy, "2023", 0.80).await;
    let row = indicator_row(&app, plan, energy).await;
    assert_eq!(row["status"], "behind");
    assert_eq!((row["progress"].as_f64().unwrap() * 10_000.0).round() / 10_000.0, 0.1667);
    assert_eq!(dashboard(&app, plan).await["overall"]["indicators"]["behind"], 1);

    report_and_approve(&app, energy, "2024", 0.59).await;
    let row = indicator_row(&app, plan, energy).await;
    assert_eq!(row["status"], "achieved");
    assert_eq!(row["latest"]["period"], "2024");
    let board = dashboard(&app, plan).await;
    assert_eq!(
        (board["overall"]["indicators"]["behind"].as_i64(), board["overall"]["indicators"]["achieved"].as_i64()),
        (Some(0), Some(1))
    );
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_reporter_reports_only_for_indicators_its_unit_answers_for(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let reporter = app.sign_in(REPORTER).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    let body = json!({"period": "2022", "value": 150});
    // The plan names no unit for its indicators: until an admin does, only admins report.
    assert_eq!(send(reporter.post(&url).json(&body)).await.0, 403);

    let admin = app.sign_in(ADMIN).await;
    let units = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/units"));
    let (status, _) = send(admin.put(&units).json(&json!({"lead": ["区经济信息委"]}))).await;
    assert_eq!(status, 428, "an edit must name the version it was made against");
    let response =
        admin.put(&units).header("if-match", "\"1\"").json(&json!({"lead": ["区经济信息委"]})).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let (status, _) = send(admin.put(&units).header("if-match", "\"1\"").json(&json!({"lead": []}))).await;
    assert_eq!(status, 409, "a stale edit");
    let (status, body422) =
        send(admin.put(&units).header("if-match", "\"2\"").json(&json!({"lead": ["不存在的单位"]}))).await;
    assert_eq!(status, 422, "{body422}");

    let (status, report) = send(reporter.post(&url).json(&body)).await;
    assert_eq!(status, 201);
    let other = app.sign_in(OTHER_REPORTER).await;
    assert_eq!(send(other.post(&url).json(&json!({"period": "2021", "value": 120}))).await.0, 403);
    // Reporters do not approve, not even their own.
    let approve = app.url(&format!(
        "/api/v1/tenants/qianjiang/indicators/{output}/reports/{}/approve",
        report["id"].as_str().unwrap()
    ));
    assert_eq!(send(reporter.post(&approve).header("if-match", "\"1\"")).await.0, 403);
    let denied: Vec<String> =
        sqlx::query_scalar("select action from audit_event where action like '%.denied' order by event_id")
            .fetch_all(&app.admin)
            .await
            .unwrap();
    assert_eq!(denied, ["report.create.denied", "report.create.denied", "report.approve.denied"]);
    assert_eq!(indicator_row(&app, plan, output).await["status"], "no_data");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn bad_reports_are_refused_and_write_nothing(pool: PgPool) {
    let (app, _) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    let raw = |body: &str| admin.post(&url).header("content-type", "application/json").body(body.to_owned());
    let cases = [
        (raw(r#"{"period": "2023", "value": NaN}"#), 400),
        (raw(r#"{"period": "2023", "value": 1e400}"#), 400),
        (raw(r#"{"period": "2023", "value": "NaN"}"#), 422),
        (raw(r#"{"period": "2023", "value": "Infinity"}"#), 422),
        (raw(r#"{"period": "2023"}"#), 422),
        (raw(r#"{"period": "2019", "value": 1}"#), 422),
        (raw(r#"{"period": "2026", "value": 1}"#), 422),
        (raw(r#"{"period": "2023Q5", "value": 1}"#), 422),
        (raw(r#"{"period": "2023-01", "value": 1}"#), 422),
        (raw(r#"{"period": "2023", "value": 1e20}"#), 422),
        (raw(&format!(r#"{{"period": "2023", "value": 1, "note": "{}"}}"#, "长".repeat(2001))), 422),
        (
            admin
                .post(app.url(&format!("/api/v1/tenants/qianjiang/indicators/{}/reports", Uuid::new_v4())))
                .json(&json!({"period": "2023", "value": 1})),
            404,
        ),
        (
            admin
                .post(app.url("/api/v1/tenants/qianjiang/indicators/nope/reports"))
                .json(&json!({"period": "2023", "value": 1})),
            400,
        ),
    ];
    for (i, (request, expected)) in cases.into_iter().enumerate() {
        let (status, body) = send(request).await;
        assert_eq!(status, expected, "case {i}: {body}");
        assert!(body["error"]["message"].is_string(), "case {i}");
    }
    let n: i64 = sqlx::query_scalar("select count(*) from indicator_report").fetch_one(&app.admin).await.unwrap();
    assert_eq!(n, 0);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_second_report_for_a_period_needs_an_explicit_correction_that_keeps_the_history(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    let first = report_and_approve(&app, output, "2023", 200.0).await;
    let first_id = first["id"].as_str().unwrap();

    let (status, body) = send(admin.post(&url).json(&json!({"period": "2023", "value": 229.715}))).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains(first_id));
    let (status, correction) =
        send(admin.post(&url).json(&json!({"period": "2023", "value": 229.715, "corrects": first_id}))).await;
    assert_eq!(status, 201, "{correction}");
    assert_eq!(correction["supersedes"], first_id);
    // Until the correction is approved, the approved value stands.
    assert_eq!(indicator_row(&app, plan, output).await["latest"]["value"].as_f64(), Some(200.0));
    let (status, _) = send(admin.post(&url).json(&json!({"period": "2023", "value": 1, "corrects": first_id}))).await;
    assert_eq!(status, 409, "one correction awaiting a decision at a time");

    let approve = app.url(&format!(
        "/api/v1/tenants/qianjiang/indicators/{output}/reports/{}/approve",
        correction["id"].as_str().unwrap()
    ));
    assert_eq!(send(admin.post(&approve).header("if-match", "\"1\"")).await.0, 200);
    let row = indicator_row(&app, plan, output).await;
    assert_eq!(row["latest"]["value"].as_f64(), Some(229.715));
    assert_eq!(row["status"], "on_track");

    let (status, history) = send(admin.get(&url)).await;
    assert_eq!(status, 200);
    let values: Vec<f64> = history.as_array().unwrap().iter().map(|r| r["value"].as_f64().unwrap()).collect();
    assert_eq!(values, [229.715, 200.0], "both reports stay, newest first");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn decisions_need_the_current_version_and_rejections_a_reason(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    let (_, report) = send(admin.post(&url).json(&json!({"period": "2022", "value": 150}))).await;
    let base = format!("{url}/{}", report["id"].as_str().unwrap());
    assert_eq!(send(admin.post(format!("{base}/approve"))).await.0, 428);
    assert_eq!(send(admin.post(format!("{base}/approve")).header("if-match", "\"7\"")).await.0, 409);
    assert_eq!(
        send(admin.post(format!("{base}/reject")).header("if-match", "\"1\"").json(&json!({"reason": "  "}))).await.0,
        422
    );
    let (status, rejected) =
        send(admin.post(format!("{base}/reject")).header("if-match", "\"1\"").json(&json!({"reason": "口径不符"})))
            .await;
    assert_eq!(status, 200);
    assert_eq!(
        (rejected["state"].as_str(), rejected["decision_reason"].as_str()),
        (Some("rejected"), Some("口径不符"))
    );
    assert_eq!(send(admin.post(format!("{base}/approve")).header("if-match", "\"2\"")).await.0, 409, "already decided");
    assert_eq!(indicator_row(&app, plan, output).await["status"], "no_data", "a rejected value never counts");
    // A rejected report leaves the period open for a new one.
    assert_eq!(send(admin.post(&url).json(&json!({"period": "2022", "value": 151}))).await.0, 201);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn each_report_write_is_audited_as_the_report_reads_before_and_after(pool: PgPool) {
    let (app, _) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;
    let reporter = app.sign_in(REPORTER).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    // The report as the indicator's history shows it now.
    let read = |id: &Value| {
        let (admin, url, id) = (admin.clone(), url.clone(), id.as_str().unwrap().to_owned());
        async move {
            let (_, history) = send(admin.get(&url)).await;
            history.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap().clone()
        }
    };
    let latest_event = || async {
        let (_, page) = send(admin.get(app.url("/api/v1/tenants/qianjiang/audit?limit=1"))).await;
        page["events"][0].clone()
    };

    let units = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/units"));
    let (status, _) =
        send(admin.put(&units).header("if-match", "\"1\"").json(&json!({"lead": ["区经济信息委"]}))).await;
    assert_eq!(status, 204);
    let body = json!({"period": "2023Q3", "value": "229.7150", "note": "季报", "source": "统计局"});
    let (status, submitted) = send(reporter.post(&url).json(&body)).await;
    assert_eq!(status, 201, "{submitted}");
    assert_eq!(submitted["reported_by"], REPORTER);
    let event = latest_event().await;
    assert_eq!((event["action"].as_str(), &event["before"]), (Some("report.create"), &Value::Null));
    assert_eq!(event["after"], submitted);
    assert_eq!(read(&submitted["id"]).await, submitted, "the report as stored");

    let approve = format!("{url}/{}/approve", submitted["id"].as_str().unwrap());
    let (status, approved) = send(admin.post(approve).header("if-match", "\"1\"")).await;
    assert_eq!(status, 200);
    let event = latest_event().await;
    assert_eq!(event["action"], "report.approve");
    assert_eq!((&event["before"], &event["after"]), (&submitted, &approved));
    assert_eq!(read(&approved["id"]).await, approved);

    let (_, second) = send(reporter.post(&url).json(&json!({"period": "2023Q4", "value": 240}))).await;
    let reject = format!("{url}/{}/reject", second["id"].as_str().unwrap());
    let (status, rejected) =
        send(admin.post(reject).header("if-match", "\"1\"").json(&json!({"reason": "口径不符"}))).await;
    assert_eq!(status, 200);
    let event = latest_event().await;
    assert_eq!(event["action"], "report.reject");
    assert_eq!((&event["before"], &event["after"]), (&second, &rejected));
    assert_eq!(read(&rejected["id"]).await, rejected);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn pending_values_never_reach_public_readers(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    send(admin.post(&url).json(&json!({"period": "2023", "value": 229.715}))).await;
    let (_, rows) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators")).await;
    assert!(!rows.to_string().contains("229.715"));
    assert_eq!(app.get(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports")).await.status(), 401);
    let html = app.get(&format!("/t/qianjiang/plans/{plan}")).await.text().await.unwrap();
    assert!(!html.contains("229.715"));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn task_updates_keep_history_and_drive_status_and_overdue(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    // Task 2 (due 2023) is led by 区经济信息委; the clock says 2024-06-01.
    let task2 = task(&app, "产业链条建设行动（产业集群达规模）", 2).await;
    let reporter = app.sign_in(REPORTER).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/tasks/{task2}/updates"));
    let tasks = || async {
        let (_, rows) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/tasks")).await;
        rows.as_array().unwrap().iter().find(|t| t["id"] == task2.to_string()).unwrap().clone()
    };
    assert_eq!(tasks().await["overdue"], true);
    // Read once before: the dashboard's task half is then held, and must not outlive the updates.
    let before = dashboard(&app, plan).await;
    assert_eq!(
        (before["overall"]["tasks"]["completed"].as_i64(), before["overall"]["tasks"]["overdue"].as_i64()),
        (Some(0), Some(3))
    );

    let response = reporter
        .post(&url)
        .json(&json!({"status": "in_progress", "percent": 60, "note": "一期二线已投产"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let row = tasks().await;
    assert_eq!((row["status"].as_str(), row["overdue"].as_bool()), (Some("in_progress"), Some(true)));
    assert_eq!(row["percent"].as_f64(), Some(60.0));

    assert_eq!(
        send(reporter.post(&url).header("if-match", "\"1\"").json(&json!({"status": "completed"}))).await.0,
        409
    );
    let (status, done) =
        send(reporter.post(&url).header("if-match", "\"2\"").json(&json!({"status": "completed"}))).await;
    assert_eq!(status, 201, "{done}");
    let row = tasks().await;
    assert_eq!((row["status"].as_str(), row["overdue"].as_bool()), (Some("completed"), Some(false)));
    assert_eq!(row["percent"].as_f64(), Some(100.0));

    let (status, history) = send(reporter.get(&url)).await;
    assert_eq!(status, 200);
    let statuses: Vec<&str> = history.as_array().unwrap().iter().map(|u| u["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["completed", "in_progress"]);

    for (body, expected) in [
        (json!({"status": "done"}), 422),
        (json!({"status": "in_progress", "percent": 101}), 422),
        (json!({"status": "in_progress", "percent": -1}), 422),
        (json!({"status": "in_progress", "note": "长".repeat(2001)}), 422),
    ] {
        assert_eq!(send(reporter.post(&url).json(&body)).await.0, expected, "{body}");
    }
    // 区发展改革委 neither leads task 2 nor answers for it.
    let other = app.sign_in(OTHER_REPORTER).await;
    assert_eq!(send(other.post(&url).json(&json!({"status": "blocked"}))).await.0, 403);
    let n: i64 = sqlx::query_scalar("select count(*) from task_update").fetch_one(&app.admin).await.unwrap();
    assert_eq!(n, 2);

    let board = dashboard(&app, plan).await;
    assert_eq!(board["overall"]["tasks"]["completed"], 1);
    // Overdue at 2024-06-01 without that task: tasks 5 and 18 (2022) of the annex.
    assert_eq!(board["overall"]["tasks"]["overdue"], 2);
    let unit = board["units"].as_array().unwrap().iter().find(|u| u["name"] == "区经济信息委").unwrap();
    assert_eq!(unit["completed"], 1);
    let held = unit["lead"].as_i64().unwrap() + unit["responsible"].as_i64().unwrap();
    assert_eq!(unit["completion"].as_f64().unwrap(), 1.0 / held as f64);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_dashboard_counts_what_the_lists_show(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    for (name, period, value) in [
        ("规上工业总产值", "2023", 229.715),
        ("万元工业增加值能耗", "2023", 0.80),
        ("绿色工厂", "2024", 4.0),
        ("5G基站", "2023Q2", 1200.0),
    ] {
        let id = indicator(&app, name).await;
        report_and_approve(&app, id, period, value).await;
    }
    let (_, rows) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators")).await;
    let rows = rows.as_array().unwrap();
    let board = dashboard(&app, plan).await;
    for status in ["achieved", "on_track", "at_risk", "behind", "no_data"] {
        let listed = rows.iter().filter(|r| r["status"] == status).count() as i64;
        assert_eq!(board["overall"]["indicators"][status].as_i64(), Some(listed), "{status}");
    }
    let progress: Vec<f64> = rows.iter().filter_map(|r| r["progress"].as_f64()).collect();
    let mean = progress.iter().sum::<f64>() / progress.len() as f64;
    assert!((board["overall"]["mean_progress"].as_f64().unwrap() - mean).abs() < 1e-9);
    let (_, tasks) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/tasks")).await;
    let overdue = tasks.as_array().unwrap().iter().filter(|t| t["overdue"] == true).count() as i64;
    assert_eq!(board["overall"]["tasks"]["overdue"].as_i64(), Some(overdue));
    assert_eq!(board["as_of"], "2024-06-01");
    let area_total: i64 =
        board["areas"].as_array().unwrap().iter().map(|a| a["tasks"]["total"].as_i64().unwrap()).sum();
    assert_eq!(area_total, 30);
}

/// A decision names the indicator in its path: under another indicator the report is not
/// found and stays undecided. An approval answers with the data version it made, which the
/// next dashboard read has reached.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_decision_under_the_wrong_indicator_changes_nothing(pool: PgPool) {
    let (app, plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let other = indicator(&app, "万元工业增加值能耗").await;
    let admin = app.sign_in(ADMIN).await;
    let base = |id: Uuid| app.url(&format!("/api/v1/tenants/qianjiang/indicators/{id}/reports"));
    let (status, report) = send(admin.post(base(output)).json(&json!({"period": "2023", "value": 229.715}))).await;
    assert_eq!(status, 201);
    let rid = report["id"].as_str().unwrap();
    let wrong = admin.post(format!("{}/{rid}/approve", base(other))).header("if-match", "\"1\"").send().await.unwrap();
    assert_eq!(wrong.status(), 404);
    let state: String = sqlx::query_scalar("select state from indicator_report where report_id = $1::uuid")
        .bind(rid)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(state, "submitted");

    let approved =
        admin.post(format!("{}/{rid}/approve", base(output))).header("if-match", "\"1\"").send().await.unwrap();
    assert_eq!(approved.status(), 200);
    let written: i64 = approved.headers()["x-data-version"].to_str().unwrap().parse().unwrap();
    let read = app.get(&format!("/api/v1/tenants/qianjiang/plans/{plan}/dashboard")).await;
    let seen: i64 = read.headers()["x-data-version"].to_str().unwrap().parse().unwrap();
    assert!(seen >= written, "the dashboard ({seen}) includes the approval ({written})");
    let body: Value = read.json().await.unwrap();
    assert_eq!(body["overall"]["indicators"]["on_track"], 1);
}

/// The latest approved value, recomputed from all of the indicator's reports, beside the one
/// the approvals kept on its row.
async fn kept_and_recomputed(app: &TestApp, indicator: Uuid) -> (Value, Value) {
    let row = |(year, quarter, value): (Option<i32>, Option<i16>, Option<f64>)| json!([year, quarter, value]);
    let kept: (Option<i32>, Option<i16>, Option<f64>) = sqlx::query_as(
        "select latest_period_year, latest_period_quarter, latest_value::float8 from indicator where indicator_id = $1",
    )
    .bind(indicator)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let recomputed: Option<(Option<i32>, Option<i16>, Option<f64>)> = sqlx::query_as(
        "select period_year, period_quarter, value::float8 from indicator_report r
         where indicator_id = $1 and state = 'approved'
           and not exists (select 1 from indicator_report c where c.supersedes = r.report_id and c.state = 'approved')
         order by period_year desc, coalesce(period_quarter, 4) desc, decided_at desc, entry_seq desc limit 1",
    )
    .bind(indicator)
    .fetch_optional(&app.admin)
    .await
    .unwrap();
    (row(kept), row(recomputed.unwrap_or_default()))
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn each_approval_keeps_the_standing_recomputing_from_all_reports_gives(pool: PgPool) {
    let (app, _plan) = setup(pool).await;
    let output = indicator(&app, "规上工业总产值").await;
    let admin = app.sign_in(ADMIN).await;
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{output}/reports"));
    let submit = |period: &str, value: f64, corrects: Option<&Value>| {
        let body = json!({"period": period, "value": value, "corrects": corrects.map(|r| &r["id"])});
        let request = admin.post(&url).json(&body);
        async move {
            let (status, report) = send(request).await;
            assert_eq!(status, 201, "{report}");
            report
        }
    };
    let decide = |report: &Value, verb: &str| {
        let request = admin
            .post(format!("{url}/{}/{verb}", report["id"].as_str().unwrap()))
            .header("if-match", format!("\"{}\"", report["version"]))
            .json(&json!({"reason": "口径不符"}));
        async move { send(request).await.0 }
    };
    let expect = |step: &'static str, latest: Value| {
        let app = &app;
        async move {
            let (kept, recomputed) = kept_and_recomputed(app, output).await;
            assert_eq!(recomputed, latest, "{step}: the recomputed standing");
            assert_eq!(kept, recomputed, "{step}: the kept standing");
        }
    };

    let q2 = submit("2023Q2", 150.0, None).await;
    assert_eq!(decide(&q2, "approve").await, 200);
    expect("a first value", json!([2023, 2, 150.0])).await;
    let year_before = submit("2022", 140.0, None).await;
    assert_eq!(decide(&year_before, "approve").await, 200);
    expect("an earlier period changes nothing", json!([2023, 2, 150.0])).await;
    let year = submit("2023", 160.0, None).await;
    assert_eq!(decide(&year, "approve").await, 200);
    expect("a year is later than its Q2", json!([2023, null, 160.0])).await;
    // With the clock set back, the corrected report is the later decision, yet no longer counts.
    app.clock.advance(chrono::Duration::hours(-1));
    let correction = submit("2023", 175.0, Some(&year)).await;
    assert_eq!(decide(&correction, "approve").await, 200);
    expect("the year corrected", json!([2023, null, 175.0])).await;
    let q4 = submit("2023Q4", 170.0, None).await;
    assert_eq!(decide(&q4, "approve").await, 200);
    expect("Q4 is the year's point, decided later", json!([2023, 4, 170.0])).await;
    let rejected = submit("2024", 180.0, None).await;
    assert_eq!(decide(&rejected, "reject").await, 200);
    expect("a rejection changes nothing", json!([2023, 4, 170.0])).await;

    // Decisions on one indicator at the same time: each must see the ones before it.
    for (round, year) in [(1, "2024"), (2, "2025")] {
        let quarters = ["Q1", "Q2", "Q3", "Q4"];
        let mut reports = Vec::new();
        for (i, q) in quarters.iter().enumerate() {
            reports.push(submit(&format!("{year}{q}"), 200.0 + f64::from(round * 10 + i as i32), None).await);
        }
        let [a, b, c, d] = &reports[..] else { unreachable!() };
        let statuses =
            tokio::join!(decide(a, "approve"), decide(b, "approve"), decide(c, "approve"), decide(d, "approve"));
        assert_eq!(statuses, (200, 200, 200, 200), "round {round}");
        let q4_value = 200.0 + f64::from(round * 10 + 3);
        expect("four approvals at once", json!([year.parse::<i32>().unwrap(), 4, q4_value])).await;
    }
}
