//! The tables people see, as files (docs/api.md): CSV that Excel opens as Chinese, with words
//! or keys in its header, formulas disarmed; Excel workbooks with numbers as numbers.

use calamine::{Data, Reader};
use serde_json::json;
use shared::model::Role;
use sqlx::PgPool;
use tests::{TestApp, spawn_app};

async fn csv(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().ends_with(".csv\""));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte-order mark, so Excel reads UTF-8");
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_plans_indicators_and_tasks_come_as_csv_with_words_or_keys(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let path = format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators");
    let words = csv(&app, &app.client, &format!("{path}?format=csv")).await;
    let lines: Vec<&str> = words.lines().collect();
    assert_eq!(lines.len(), 32, "a header and the seed's 31 indicators");
    assert!(lines[0].starts_with("编号,领域,指标名称,单位,基期年,基期值,目标年,目标值"), "{}", lines[0]);
    assert!(lines[1].contains("规上工业总产值") && lines[1].contains("暂无数据"), "{}", lines[1]);
    let keys = csv(&app, &app.client, &format!("{path}?format=csv&header=keys")).await;
    assert!(keys.starts_with("code,area,name,unit,baseline_year,baseline_value,target_year,target_value"));
    let english = csv(&app, &app.client, &format!("{path}?format=csv&lang=en")).await;
    assert!(english.starts_with("Code,Area,Indicator,Unit") && english.contains("No data"));
    // Asked by Accept instead of a link.
    let accepted = app.client.get(app.url(&path)).header("accept", "text/csv").send().await.unwrap();
    assert_eq!(accepted.headers()["content-type"], "text/csv; charset=utf-8");

    let tasks = csv(&app, &app.client, &format!("/api/v1/tenants/qianjiang/plans/{plan}/tasks?format=csv")).await;
    assert!(tasks.starts_with("序号,领域,主要内容,完成时限,牵头单位,责任单位,配合单位,状态"));
    assert!(tasks.contains("未开始") && tasks.contains("长期"));
    let (status, _) = app.get_json(&format!("{path}?format=pdf")).await;
    assert_eq!(status, 400);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn text_a_spreadsheet_would_run_as_a_formula_is_disarmed(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let indicator: uuid::Uuid = sqlx::query_scalar("select indicator_id from indicator where code = '1.1'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let reports = format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports");
    let body = json!({"period": "2023", "value": -1.5, "note": "=HYPERLINK(\"http://evil.example\",\"点此\")",
                      "source": "@SUM(A1:A9)"});
    assert_eq!(admin.post(app.url(&reports)).json(&body).send().await.unwrap().status(), 201);
    let file = csv(&app, &admin, &format!("{reports}?format=csv")).await;
    let row = file.lines().nth(1).unwrap();
    assert!(row.starts_with("2023,-1.5,已提交,"), "numbers stay numbers, negative ones too: {row}");
    assert!(row.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点此\"\")\""), "{row}");
    assert!(row.contains(",'@SUM(A1:A9),"), "{row}");
    let audit = csv(&app, &admin, "/api/v1/tenants/qianjiang/audit?format=csv").await;
    assert!(audit.starts_with("序号,时间,操作人,API 令牌,操作,对象"));
    assert!(audit.contains("report.create"));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_workbook_holds_numbers_as_numbers_and_the_comparison_comes_as_one(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("supervisor@chongqing.gov.cn", Role::Supervisor, None, Some("chongqing"), &[]).await;
    let supervisor = app.sign_in("supervisor@chongqing.gov.cn").await;
    let plan = app.seed_plan_id().await;
    let open = |bytes: Vec<u8>| {
        let mut book = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(std::io::Cursor::new(bytes)).unwrap();
        let name = book.sheet_names()[0].clone();
        book.worksheet_range(&name).unwrap()
    };
    let response = supervisor
        .get(app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/indicators?format=xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], backend::web::files::XLSX);
    let sheet = open(response.bytes().await.unwrap().to_vec());
    assert_eq!(sheet.get((0, 2)), Some(&Data::String("指标名称".into())));
    assert_eq!(sheet.get((1, 2)), Some(&Data::String("规上工业总产值".into())));
    assert_eq!(sheet.get((1, 5)), Some(&Data::Float(109.43)), "the baseline is a number");
    assert_eq!(sheet.get((1, 7)), Some(&Data::Float(350.0)));

    let comparison = supervisor.get(app.url("/api/v1/regions/chongqing/comparison?format=xlsx")).send().await.unwrap();
    assert_eq!(comparison.status(), 200);
    let sheet = open(comparison.bytes().await.unwrap().to_vec());
    assert_eq!(sheet.get((0, 1)), Some(&Data::String("区县".into())));
    assert_eq!(sheet.get((1, 1)), Some(&Data::String("黔江区".into())));
    assert_eq!(sheet.get((1, 3)), Some(&Data::Float(31.0)), "the district's indicators, counted");
    let keyed = csv(&app, &supervisor, "/api/v1/regions/chongqing/comparison?format=csv&header=keys").await;
    assert!(keyed.starts_with("slug,name,is_demo,indicators.total"));
    let by_key = csv(
        &app,
        &supervisor,
        "/api/v1/regions/chongqing/comparison?format=csv&indicator=industrial_output_above_scale",
    )
    .await;
    assert!(by_key.lines().nth(1).unwrap().starts_with("qianjiang,黔江区,否,规上工业总产值"), "{by_key}");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_pages_link_each_table_to_its_files(pool: PgPool) {
    let app = spawn_app(pool).await;
    let plan = app.seed_plan_id().await;
    let page = app.get(&format!("/t/qianjiang/plans/{plan}")).await.text().await.unwrap();
    let links: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains("format="))
        .map(|href| href.replace("&amp;", "&"))
        .collect();
    assert_eq!(links.len(), 4, "CSV and Excel for the indicators and for the tasks: {links:?}");
    for link in &links {
        let response = app.get(link).await;
        assert_eq!(response.status(), 200, "{link}");
        let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(kind.starts_with("text/csv") || kind == backend::web::files::XLSX, "{link}: {kind}");
    }
}

/// The plan workbook people open in Excel or Calc: states, statuses and choices as words in
/// the workbook's language, never codes, and it imports back as the same plan.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_plan_workbook_speaks_words_not_codes_and_imports_back(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let plan = app.seed_plan_id().await;
    let (indicator, task): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select (select indicator_id from indicator where code = '1.1'), (select task_id from task where plan_id = $1 order by position limit 1)",
    )
    .bind(plan)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    tests::report_and_approve(&app, &admin, "qianjiang", indicator, "2023", 229.715).await;
    let submitted = json!({"period": "2024", "value": 260});
    let url = app.url(&format!("/api/v1/tenants/qianjiang/indicators/{indicator}/reports"));
    assert_eq!(admin.post(&url).json(&submitted).send().await.unwrap().status(), 201);
    let update = json!({"status": "in_progress", "percent": 40});
    let url = app.url(&format!("/api/v1/tenants/qianjiang/tasks/{task}/updates"));
    assert_eq!(admin.post(&url).json(&update).send().await.unwrap().status(), 201);

    let codes = [
        "achieved",
        "on_track",
        "at_risk",
        "behind",
        "no_data",
        "submitted",
        "approved",
        "rejected",
        "not_started",
        "in_progress",
        "completed",
        "blocked",
        "draft",
        "published",
        "archived",
        "public",
        "internal",
        "ge",
        "le",
        "eq",
    ];
    let mut english = Vec::new();
    for (lang, in_progress, approved) in [("zh-CN", "进行中", "已通过"), ("en", "In progress", "Approved")] {
        let path = format!("/api/v1/tenants/qianjiang/plans/{plan}/export.xlsx?lang={lang}");
        let bytes = admin.get(app.url(&path)).send().await.unwrap().bytes().await.unwrap().to_vec();
        let mut book =
            calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut cells = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            cells.extend(range.cells().filter_map(|(_, _, c)| match c {
                Data::String(s) => Some(s.clone()),
                _ => None,
            }));
        }
        let found: Vec<&String> = cells.iter().filter(|c| codes.contains(&c.as_str())).collect();
        assert!(found.is_empty(), "{lang}: codes where people read words: {found:?}");
        assert!(cells.iter().any(|c| c == in_progress), "{lang}: the task's status in words");
        assert!(cells.iter().any(|c| c == approved), "{lang}: the report's state in words");
        if lang == "en" {
            english = bytes;
        }
    }

    // The English workbook imports back, into another district, as the same plan.
    let original: serde_json::Value = admin
        .get(app.url(&format!("/api/v1/tenants/qianjiang/plans/{plan}/export.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let platform = app.sign_in("platform@planboard.cn").await;
    let created = platform
        .post(app.url("/api/v1/tenants"))
        .json(&json!({"slug": "xiushan", "name": "秀山县", "region": "chongqing"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let dry_run: serde_json::Value = platform
        .post(app.url("/api/v1/tenants/xiushan/plans/import?dry_run=true"))
        .header("content-type", backend::web::files::XLSX)
        .body(english)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dry_run["outcome"], "dry_run", "{dry_run}");
    assert_eq!(dry_run["errors"], json!([]));
    let mut read_back = dry_run["plan"].clone();
    let mut expected = original.clone();
    // An imported workbook is a draft until published; the rest is the same plan.
    for doc in [&mut read_back, &mut expected] {
        doc["status"] = json!(null);
        doc["visibility"] = json!(null);
    }
    assert_eq!(read_back, expected);
}
