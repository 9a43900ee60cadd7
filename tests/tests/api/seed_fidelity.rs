//! The seeded Qianjiang plan holds exactly what the published document says, row by row.

use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::PgPool;
use std::str::FromStr;
use tests::document::{body_tasks, indicator_lines, task_lines};
use tests::{TestApp, spawn_app};

async fn source_text(app: &TestApp) -> String {
    sqlx::query_scalar("select source_text from plan where plan_id = $1")
        .bind(app.seed_plan_id().await)
        .fetch_one(&app.admin)
        .await
        .unwrap()
}

async fn api_rows(app: &TestApp, what: &str) -> Vec<Value> {
    let plan = app.seed_plan_id().await;
    let (status, body) = app.get_json(&format!("/api/v1/tenants/qianjiang/plans/{plan}/{what}")).await;
    assert_eq!(status, 200);
    body.as_array().unwrap().clone()
}

fn decimal(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap()
}

fn names(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_owned()).collect()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_stored_source_is_the_published_document(pool: PgPool) {
    let app = spawn_app(pool).await;
    let stored = source_text(&app).await;
    // Beside the repository, the brief's folder holds the document as published.
    let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/seed/qianjiang-manufacturing-plan-2022.txt");
    match std::fs::read_to_string(&published) {
        Ok(text) => assert!(stored == text, "source_text differs from {}", published.display()),
        Err(_) => {
            // A clone without the brief's folder: check what is certain of the document.
            assert!(stored.contains("黔江区推动制造业高质量发展重点专项实施方案"));
            assert!(stored.contains("（此件公开发布）"));
            eprintln!("note: {} not found; compared against known passages only", published.display());
        }
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_indicator_row_of_annex_1_is_seeded_as_printed(pool: PgPool) {
    let app = spawn_app(pool).await;
    let printed = indicator_lines(&source_text(&app).await);
    let seeded = api_rows(&app, "indicators").await;
    assert_eq!(printed.len(), 31);
    assert_eq!(seeded.len(), printed.len());
    let mut categories = Vec::new();
    for (line, row) in printed.iter().zip(&seeded) {
        let at = format!("row {:?}", line.name);
        assert_eq!(row["area"], line.category.as_str(), "{at}");
        assert_eq!(row["name"], line.name.as_str(), "{at}");
        assert_eq!(row["unit"], line.unit.as_str(), "{at}");
        assert_eq!(row["baseline_year"], 2020, "{at}");
        assert_eq!(row["target_year"], 2025, "{at}");
        if line.baseline == "——" {
            assert_eq!(row["baseline_value"], Value::Null, "{at}");
        } else {
            assert_eq!(decimal(&row["baseline_value"]), Decimal::from_str(&line.baseline).unwrap(), "{at}");
        }
        let (comparator, target) = match line.target.chars().next() {
            Some('≤') => ("le", &line.target['≤'.len_utf8()..]),
            Some('≥') => ("ge", &line.target['≥'.len_utf8()..]),
            _ => ("ge", line.target.as_str()),
        };
        assert_eq!(row["comparator"], comparator, "{at}");
        assert_eq!(decimal(&row["target_value"]), Decimal::from_str(target).unwrap(), "{at}");
        if categories.last() != Some(&line.category) {
            categories.push(line.category.clone());
        }
    }
    assert_eq!(categories.len(), 6);
    // Two indicators share a name and differ in target: both are there.
    let twins: Vec<_> = seeded.iter().filter(|r| r["name"] == "专业研发机构和科技服务机构").collect();
    assert_eq!(
        twins.iter().map(|r| decimal(&r["target_value"])).collect::<Vec<_>>(),
        [Decimal::from(100), Decimal::from(120)]
    );
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_task_row_of_annex_2_is_seeded_as_printed(pool: PgPool) {
    let app = spawn_app(pool).await;
    let printed = task_lines(&source_text(&app).await);
    let seeded = api_rows(&app, "tasks").await;
    assert_eq!(printed.len(), 18);
    for (line, row) in printed.iter().zip(&seeded) {
        let at = format!("task {}", line.seq);
        assert_eq!(row["seq"], line.seq, "{at}");
        assert_eq!(row["area"], line.group.as_str(), "{at}");
        assert_eq!(row["text"], line.text.as_str(), "{at}");
        assert_eq!(names(&row["lead_units"]), line.lead, "{at}");
        assert_eq!(names(&row["responsible_units"]), line.responsible, "{at}");
        assert_eq!(names(&row["cooperating_units"]), Vec::<String>::new(), "{at}");
        match line.deadline.as_str() {
            "长期" => {
                assert_eq!(row["ongoing"], true, "{at}");
                assert_eq!(row["due_year"], Value::Null, "{at}");
            }
            year => {
                let year: i64 = year.trim_end_matches('年').parse().unwrap();
                assert_eq!(row["due_year"].as_i64(), Some(year), "{at}");
                assert_eq!(row["ongoing"], false, "{at}");
            }
        }
    }
    // Task 3 keeps its lead among the responsible units, as printed.
    let task3 = &seeded[2];
    assert!(names(&task3["lead_units"]).contains(&"区招商投资局".to_owned()));
    assert!(names(&task3["responsible_units"]).contains(&"区招商投资局".to_owned()));
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn main_tasks_and_safeguards_are_seeded_with_their_units(pool: PgPool) {
    let app = spawn_app(pool).await;
    let text = source_text(&app).await;
    let seeded = api_rows(&app, "tasks").await;
    for (area, heading, next, rows) in [
        ("主要任务", "三、主要任务", "四、保障措施", &seeded[18..24]),
        ("保障措施", "四、保障措施", "附件：", &seeded[24..30]),
    ] {
        let printed = body_tasks(&text, heading, next);
        assert_eq!(printed.len(), 6, "{area}");
        for (p, row) in printed.iter().zip(rows) {
            let at = format!("{area} {}", p.seq);
            assert_eq!(row["area"], area, "{at}");
            assert_eq!(row["seq"], p.seq, "{at}");
            assert_eq!(row["text"], p.text.as_str(), "{at}");
            assert_eq!(row["due_year"], Value::Null, "{at}: the document states no deadline");
            assert_eq!(row["ongoing"], false, "{at}");
            for (label, units) in &p.units {
                let key = match label.as_str() {
                    "牵头单位" | "牵头部门" => "lead_units",
                    "责任单位" | "责任部门" => "responsible_units",
                    "配合单位" => "cooperating_units",
                    other => panic!("{at}: unknown label {other}"),
                };
                assert_eq!(&names(&row[key]), units, "{at} {label}");
            }
        }
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn seeding_twice_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let counts = || async {
        let mut out = Vec::new();
        for table in
            ["region", "tenant", "organisation", "plan", "area", "indicator", "task", "task_assignment", "audit_event"]
        {
            let n: i64 =
                sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(&app.admin).await.unwrap();
            out.push((table, n));
        }
        out
    };
    let before = counts().await;
    let report = backend::ops::seed::seed(&app.admin).await.unwrap();
    assert_eq!(report.created, 0);
    assert_eq!(counts().await, before);
    let orgs = before.iter().find(|(t, _)| *t == "organisation").unwrap().1;
    assert_eq!(orgs, 33, "every unit named in the document, once");
}
