//! `backend demo`: synthetic districts for trying the comparison views, in their own region
//! (`demo`, 示例地区), every one marked `is_demo` and named 示例 / Demo so that no page can
//! pass them off as real. They are built through the same plan model and pipeline as real
//! plans, from the indicator catalog, with a few years of approved reports and task updates.
//! `backend demo --remove` deletes them all; real tenants are never touched.

use crate::infra::db;
use crate::plans::store;
use anyhow::Context;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use shared::api::CatalogEntry;
use shared::model::{Comparator, PlanStatus, TaskStatus, Visibility};
use shared::period::Period;
use shared::plan_document::{AreaDef, Due, FORMAT, IndicatorDef, PlanDocument, TaskDef};
use shared::progress::Target;
use sqlx::PgPool;
use uuid::Uuid;

pub const REGION: &str = "demo";
const UNITS: [&str; 8] = [
    "示例发展改革委",
    "示例经济信息委",
    "示例科技局",
    "示例生态环境局",
    "示例大数据局",
    "示例财政局",
    "示例商务委",
    "示例园区管委会",
];
const AREAS: [&str; 6] =
    ["示例·产业集群", "示例·创新能力", "示例·智能赋能", "示例·绿色发展", "示例·企业培育", "示例·园区升级"];
/// Catalog keys where less is better.
const LESS_IS_BETTER: [&str; 1] = ["energy_per_value_added"];
pub const TASKS_PER_PLAN: usize = 18;

/// A small deterministic generator (SplitMix64): the same N gives the same districts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn decimal(x: f64, places: u32) -> Decimal {
    Decimal::from_f64(x).unwrap_or_default().round_dp(places)
}

/// One synthetic plan built from the catalog.
fn plan(n: usize, catalog: &[CatalogEntry], rng: &mut Rng) -> PlanDocument {
    let size = rng.range(0.3, 3.0);
    let indicators = catalog
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let le = LESS_IS_BETTER.contains(&entry.key.as_str());
            let percent = entry.unit == "%";
            let baseline = if percent { rng.range(5.0, 60.0) } else { rng.range(1.0, 200.0) * size };
            let target = if le {
                baseline * rng.range(0.6, 0.85)
            } else if percent {
                (baseline * rng.range(1.1, 1.6)).min(99.0)
            } else {
                baseline * rng.range(1.3, 3.0)
            };
            IndicatorDef {
                code: format!("{}.{}", i % AREAS.len() + 1, i / AREAS.len() + 1),
                area: AREAS[i % AREAS.len()].to_owned(),
                name: entry.name.clone(),
                unit: entry.unit.clone(),
                baseline_year: 2020,
                baseline_value: Some(decimal(baseline, 2)),
                target_year: 2025,
                target_value: decimal(target, 2),
                comparator: if le { Comparator::Le } else { Comparator::Ge },
                catalog_key: Some(entry.key.clone()),
                notes: None,
            }
        })
        .collect();
    let tasks = (1..=TASKS_PER_PLAN)
        .map(|seq| {
            let lead = rng.pick(&UNITS).to_string();
            let mut responsible: Vec<String> = Vec::new();
            for _ in 0..2 {
                let unit = rng.pick(&UNITS).to_string();
                if unit != lead && !responsible.contains(&unit) {
                    responsible.push(unit);
                }
            }
            let due = match rng.next() % 5 {
                0 => Due::Ongoing,
                k => Due::Year(2021 + k as i32),
            };
            TaskDef {
                area: AREAS[(seq - 1) % AREAS.len()].to_owned(),
                seq: seq as i32,
                text: format!("示例任务{seq}：合成的演示任务，用于试用区县对比视图（非真实数据）。"),
                due: Some(due),
                lead: vec![lead],
                responsible,
                cooperating: vec![],
            }
        })
        .collect();
    PlanDocument {
        format: FORMAT.to_owned(),
        title: format!("示例区{n:03}制造业发展规划（演示数据）"),
        issuer: format!("示例区{n:03}人民政府办公室（演示）"),
        document_number: None,
        issued_on: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
        period_start: 2021,
        period_end: 2025,
        visibility: Visibility::Public,
        status: PlanStatus::Published,
        notes: Some("本规划为系统生成的演示数据，不代表任何真实区县。Synthetic demo data.".to_owned()),
        source_text: None,
        areas: AREAS.iter().map(|a| AreaDef { name: (*a).to_owned() }).collect(),
        indicators,
        tasks,
    }
}

/// Adds `count` demo districts (demo-001 …), after those already there. Returns how many.
pub async fn add(pool: &PgPool, count: usize, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let catalog = crate::plans::catalog::list(pool).await.context("reading the catalog (run `backend seed` first)")?;
    anyhow::ensure!(!catalog.is_empty(), "the indicator catalog is empty: run `backend seed` first");
    let region_id: Uuid = sqlx::query_scalar(
        "insert into region (slug, name, name_en, is_demo) values ($1, '示例地区', 'Demo region', true)
         on conflict (slug) do update set is_demo = true returning region_id",
    )
    .bind(REGION)
    .fetch_one(pool)
    .await?;
    let existing: i64 = sqlx::query_scalar("select count(*) from tenant where is_demo").fetch_one(pool).await?;
    let this_year = now.year();
    for i in 0..count {
        let n = existing as usize + i + 1;
        let mut rng = Rng(n as u64);
        let doc = plan(n, &catalog, &mut rng);
        let mut tx = pool.begin().await?;
        let tenant_id: Uuid = sqlx::query_scalar(
            "insert into tenant (region_id, slug, name, name_en, is_demo) values ($1, $2, $3, $4, true) returning tenant_id",
        )
        .bind(region_id)
        .bind(format!("demo-{n:03}"))
        .bind(format!("示例区{n:03}"))
        .bind(format!("Demo district {n:03}"))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("select set_config('app.tenant_ids', $1, true)")
            .bind(tenant_id.to_string())
            .execute(&mut *tx)
            .await?;
        let plan_id = store::store_plan(&mut tx, tenant_id, None, &doc).await?.plan_id();

        // Approved reports for each year up to this one, on a path towards the target.
        let indicators: Vec<(Uuid, String)> =
            sqlx::query_as("select indicator_id, code from indicator where plan_id = $1")
                .bind(plan_id)
                .fetch_all(&mut *tx)
                .await?;
        let (mut ids, mut years, mut values) = (Vec::new(), Vec::new(), Vec::new());
        let mut standing = Vec::new();
        for (id, code) in &indicators {
            let Some(def) = doc.indicators.iter().find(|d| &d.code == code) else { continue };
            let b = def.baseline_value.unwrap_or_default();
            let pace = rng.range(0.3, 1.25);
            let mut latest = None;
            for year in 2021..=this_year.min(2025) {
                let share = decimal(pace * f64::from(year - 2020) / 5.0 * rng.range(0.9, 1.1), 4);
                let value = (b + (def.target_value - b) * share).round_dp(2);
                ids.push(*id);
                years.push(year);
                values.push(value);
                latest = Some((Period::year(year)?, value));
            }
            let target = Target {
                baseline_year: def.baseline_year,
                baseline_value: def.baseline_value,
                target_year: def.target_year,
                target_value: def.target_value,
                comparator: def.comparator,
            };
            let assessment = target.assess(latest);
            standing.push((*id, latest, assessment.map(|a| a.progress), target.status(latest)));
        }
        sqlx::query(
            "insert into indicator_report (tenant_id, indicator_id, period_year, value, note, state, reported_at, decided_at)
             select $1, id, year, value, '演示数据', 'approved', $5, $5
             from unnest($2::uuid[], $3::int[], $4::numeric[]) as r(id, year, value)",
        )
        .bind(tenant_id)
        .bind(&ids)
        .bind(&years)
        .bind(&values)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "update indicator i set latest_period_year = s.year, latest_value = s.value, progress = s.progress, status = s.status
             from unnest($1::uuid[], $2::int[], $3::numeric[], $4::numeric[], $5::text[]) as s(id, year, value, progress, status)
             where i.indicator_id = s.id",
        )
        .bind(standing.iter().map(|s| s.0).collect::<Vec<_>>())
        .bind(standing.iter().map(|s| s.1.map(|(p, _)| p.calendar_year())).collect::<Vec<_>>())
        .bind(standing.iter().map(|s| s.1.map(|(_, v)| v)).collect::<Vec<_>>())
        .bind(standing.iter().map(|s| s.2).collect::<Vec<_>>())
        .bind(standing.iter().map(|s| s.3.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;

        // One update per task, in a plausible mix of statuses.
        let tasks: Vec<Uuid> =
            sqlx::query_scalar("select task_id from task where plan_id = $1").bind(plan_id).fetch_all(&mut *tx).await?;
        let statuses: Vec<&str> = tasks
            .iter()
            .map(|_| match rng.next() % 10 {
                0..=3 => TaskStatus::Completed,
                4..=7 => TaskStatus::InProgress,
                8 => TaskStatus::Blocked,
                _ => TaskStatus::NotStarted,
            })
            .map(TaskStatus::as_str)
            .collect();
        sqlx::query(
            "with u as (select * from unnest($2::uuid[], $3::text[]) as u(id, status))
             insert into task_update (tenant_id, task_id, status, note, created_at)
             select $1, id, status, '演示数据', $4 from u",
        )
        .bind(tenant_id)
        .bind(&tasks)
        .bind(&statuses)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "update task t set status = u.status, percent = case when u.status = 'completed' then 100 end
             from unnest($1::uuid[], $2::text[]) as u(id, status) where t.task_id = u.id",
        )
        .bind(&tasks)
        .bind(&statuses)
        .execute(&mut *tx)
        .await?;
        db::touch_tenant(&mut tx, tenant_id).await?;
        tx.commit().await?;
        if count >= 100 && (i + 1) % 100 == 0 {
            eprintln!("demo: {} of {count} districts", i + 1);
        }
    }
    // Fresh statistics for the tables just filled: with the counts of an empty database the
    // planner chose sequential scans, and the first minutes after a large demo crawled.
    sqlx::raw_sql("analyze tenant, plan, area, indicator, task, task_assignment, indicator_report, tenant_rollup")
        .execute(pool)
        .await?;
    Ok(count)
}

/// Makes the account `email` the demo region's supervisor (audited as the grant it is), so
/// that its comparison views are theirs to open.
pub async fn supervise(pool: &PgPool, email: &str) -> anyhow::Result<()> {
    let user_id: Uuid = sqlx::query_scalar("select user_id from app_user where lower(email) = lower($1)")
        .bind(email.trim())
        .fetch_optional(pool)
        .await?
        .with_context(|| format!("no account has the address {email}"))?;
    let grant = crate::auth::users::NewGrant {
        role: shared::model::Role::Supervisor,
        tenant: None,
        region: Some(REGION.to_owned()),
        organisations: Vec::new(),
    };
    let mut tx = pool.begin().await?;
    crate::auth::users::add_grant(&mut tx, None, user_id, email, &grant).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes every demo district, its data and audit events, and the demo region.
pub async fn remove(pool: &PgPool) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    let demo: Vec<Uuid> = sqlx::query_scalar("select tenant_id from tenant where is_demo").fetch_all(&mut *tx).await?;
    let ids = demo.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",");
    sqlx::query("select set_config('app.tenant_ids', $1, true)").bind(ids).execute(&mut *tx).await?;
    sqlx::query("delete from audit_event where tenant_id = any($1)").bind(&demo).execute(&mut *tx).await?;
    // Plans first: their tasks' unit assignments go with them, before the units themselves.
    sqlx::query("delete from plan where tenant_id = any($1)").bind(&demo).execute(&mut *tx).await?;
    let removed = sqlx::query("delete from tenant where is_demo").execute(&mut *tx).await?.rows_affected();
    sqlx::query(
        "delete from region where is_demo and not exists (select 1 from tenant t where t.region_id = region.region_id)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_generator_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        for _ in 0..100 {
            let x = a.range(2.0, 3.0);
            assert_eq!(x, b.range(2.0, 3.0));
            assert!((2.0..3.0).contains(&x));
        }
    }
}
