//! The plan dashboard: per area and overall, indicators by status and their
//! mean progress, tasks by status and overdue, and per organisation the tasks it leads or
//! answers for. Counted by PostgreSQL over the standing kept on each row; nothing is loaded
//! row by row into the server.

use crate::error::{Error, Result};
use crate::infra::bounded::{Bounded, lock};
use crate::infra::cache::{CacheOutcome, View, ViewCache};
use crate::infra::clock::Clock;
use crate::infra::db;
use crate::plans::read::VisiblePlan;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use shared::api::{AreaSummary, Dashboard, PlanSummary, StatusCounts, TaskCounts, UnitWorkload};
use sqlx::{PgConnection, PgPool};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Indicator counts by status and mean progress over rows of `indicator i` (the dashboard
/// per area, the comparison per district).
pub const INDICATOR_COUNTS: &str = "count(i.indicator_id) as total,
    count(*) filter (where i.status = 'achieved') as achieved,
    count(*) filter (where i.status = 'on_track') as on_track,
    count(*) filter (where i.status = 'at_risk') as at_risk,
    count(*) filter (where i.status = 'behind') as behind,
    count(*) filter (where i.status = 'no_data') as no_data,
    avg(i.progress) as mean_progress";

/// A row of `INDICATOR_COUNTS`.
#[derive(sqlx::FromRow)]
pub struct IndicatorCounts {
    total: i64,
    achieved: i64,
    on_track: i64,
    at_risk: i64,
    behind: i64,
    no_data: i64,
    mean_progress: Option<Decimal>,
}

impl IndicatorCounts {
    pub fn by_status(&self) -> StatusCounts {
        StatusCounts {
            total: self.total,
            achieved: self.achieved,
            on_track: self.on_track,
            at_risk: self.at_risk,
            behind: self.behind,
            no_data: self.no_data,
        }
    }

    pub fn mean_progress(&self) -> Option<f64> {
        self.mean_progress.and_then(|m| m.to_f64())
    }
}

#[derive(sqlx::FromRow)]
struct IndicatorGroup {
    position: Option<i32>,
    name: Option<String>,
    #[sqlx(flatten)]
    counts: IndicatorCounts,
    structure_version: i64,
}

#[derive(sqlx::FromRow)]
struct TaskGroup {
    position: Option<i32>,
    total: i64,
    not_started: i64,
    in_progress: i64,
    completed: i64,
    blocked: i64,
    overdue: i64,
}

/// The task half of a dashboard: tasks by status and overdue per area (in plan order, then
/// the plan as a whole), and each organisation's workload. Reports and approvals never change
/// it, so it is remembered under the tenant's structure version, which every other write
/// moves (migration `tenant_structure_version`), and computed again only after those.
pub struct TaskHalf {
    groups: Vec<TaskGroup>,
    units: Vec<UnitWorkload>,
}

impl TaskHalf {
    /// Rows held, as the weight of a remembered half.
    pub fn rows(&self) -> usize {
        self.groups.len() + self.units.len()
    }
}

/// Whether a task is overdue in SQL, for `$2` = the current year (docs/model.md, the same
/// rule as `shared::progress::is_overdue`).
const OVERDUE: &str = "(not t.ongoing and t.due_year is not null and t.status <> 'completed' and t.due_year < $2)";

/// Indicators by status per area in plan order, then the plan as a whole (area None), each
/// with the tenant's structure version.
async fn indicator_groups(conn: &mut PgConnection, plan_id: Uuid) -> Result<Vec<IndicatorGroup>> {
    Ok(sqlx::query_as(&format!(
        "select a.position, a.name, {INDICATOR_COUNTS},
                (select t.structure_version from plan p join tenant t using (tenant_id) where p.plan_id = $1)
                  as structure_version
         from area a left join indicator i on i.area_id = a.area_id
         where a.plan_id = $1
         group by grouping sets ((a.position, a.name), ())
         order by a.position nulls last"
    ))
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?)
}

async fn task_half(conn: &mut PgConnection, plan_id: Uuid, today: NaiveDate) -> Result<TaskHalf> {
    let groups: Vec<TaskGroup> = sqlx::query_as(&format!(
        "select a.position, count(t.task_id) as total,
                count(*) filter (where t.status = 'not_started') as not_started,
                count(*) filter (where t.status = 'in_progress') as in_progress,
                count(*) filter (where t.status = 'completed') as completed,
                count(*) filter (where t.status = 'blocked') as blocked,
                count(*) filter (where {OVERDUE}) as overdue
         from area a left join task t on t.area_id = a.area_id
         where a.plan_id = $1
         group by grouping sets ((a.position), ())
         order by a.position nulls last"
    ))
    .bind(plan_id)
    .bind(today.year())
    .fetch_all(&mut *conn)
    .await?;
    let units = units(conn, plan_id, today).await?;
    Ok(TaskHalf { groups, units })
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    organisation_id: Uuid,
    name: String,
    lead: i64,
    responsible: i64,
    completed: i64,
    overdue: i64,
}

/// Per organisation: the tasks it leads, those it is responsible for (without leading them),
/// how many of them are completed and overdue. Busiest first.
async fn units(conn: &mut PgConnection, plan_id: Uuid, today: NaiveDate) -> Result<Vec<UnitWorkload>> {
    let rows: Vec<UnitRow> = sqlx::query_as(&format!(
        // One row per organisation and task it holds, carrying what the counts need (named
        // `t` for OVERDUE), so the tasks are read once.
        "with held as (
             select ta.organisation_id, t.status, t.ongoing, t.due_year, bool_or(ta.role = 'lead') as leads
             from task_assignment ta join task t on t.task_id = ta.task_id
             where t.plan_id = $1 and ta.role in ('lead', 'responsible')
             group by ta.organisation_id, t.task_id, t.tenant_id)
         select o.organisation_id, o.name,
                count(*) filter (where t.leads) as lead,
                count(*) filter (where not t.leads) as responsible,
                count(*) filter (where t.status = 'completed') as completed,
                count(*) filter (where {OVERDUE}) as overdue
         from held t join organisation o on o.organisation_id = t.organisation_id
         group by o.organisation_id, o.name
         order by count(*) desc, o.name"
    ))
    .bind(plan_id)
    .bind(today.year())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let held = r.lead + r.responsible;
            UnitWorkload {
                id: r.organisation_id,
                name: r.name,
                lead: r.lead,
                responsible: r.responsible,
                completed: r.completed,
                overdue: r.overdue,
                completion: if held == 0 { 0.0 } else { r.completed as f64 / held as f64 },
            }
        })
        .collect())
}

/// The dashboard of a plan the caller may see (`visible`), from `cache` when it holds the one
/// of the tenant's data version and today, else built and kept there. The key is the same for
/// every reader who may see the plan: a dashboard holds approved figures only.
pub async fn cached(
    cache: &ViewCache,
    pool: &PgPool,
    task_halves: &TaskHalves,
    clock: &dyn Clock,
    visible: VisiblePlan,
) -> Result<(View, CacheOutcome)> {
    let today = clock.today_in(&visible.tenant.time_zone);
    let key = format!("pb:dashboard:{}:{}:{today}", visible.plan.id, visible.tenant.data_version);
    cache
        .get_or_compute(&key, || async {
            let mut tx = db::tenant_tx(pool, &[visible.tenant.tenant_id]).await?;
            let board = build(&mut tx, task_halves, visible.plan.clone(), today).await?;
            tx.commit().await?;
            Ok::<_, Error>(board)
        })
        .await
}

/// The whole dashboard of a plan the caller may see, as of `today` (the tenant's date); the
/// task half from `memo` when it holds the one of the tenant's structure version.
#[tracing::instrument(name = "db.dashboard", skip_all)]
pub async fn build(
    conn: &mut PgConnection,
    memo: &TaskHalves,
    plan: PlanSummary,
    today: NaiveDate,
) -> Result<Dashboard> {
    let indicator_groups = indicator_groups(&mut *conn, plan.id).await?;
    // The grouping set of the whole plan makes one row even for a plan without areas.
    let version = indicator_groups.first().map_or(0, |g| g.structure_version);
    let key = (plan.id, version, today);
    let tasks = match memo.get(&key) {
        Some(half) => half,
        None => {
            let half = Arc::new(task_half(conn, plan.id, today).await?);
            memo.remember(key, half.clone());
            half
        }
    };
    let mut areas: Vec<AreaSummary> = indicator_groups
        .into_iter()
        .map(|g| {
            let counts = tasks.groups.iter().find(|t| t.position == g.position);
            AreaSummary {
                area: g.name,
                indicators: g.counts.by_status(),
                mean_progress: g.counts.mean_progress(),
                tasks: counts.map_or_else(TaskCounts::default, |t| TaskCounts {
                    total: t.total,
                    not_started: t.not_started,
                    in_progress: t.in_progress,
                    completed: t.completed,
                    blocked: t.blocked,
                    overdue: t.overdue,
                }),
            }
        })
        .collect();
    let overall = areas.pop().filter(|s| s.area.is_none()).unwrap_or_else(|| AreaSummary {
        area: None,
        indicators: StatusCounts::default(),
        mean_progress: None,
        tasks: TaskCounts::default(),
    });
    Ok(Dashboard { plan, as_of: today, overall, areas, units: tasks.units.clone() })
}

type TaskHalfKey = (Uuid, i64, NaiveDate);

/// Rows (areas and organisations) of all task halves held: a few MB.
const MAX_TASK_HALF_ROWS: usize = 50_000;

/// The task halves of dashboards, remembered under (plan, the tenant's structure version,
/// date), read in the transaction that builds the dashboard: a write that changes the half
/// makes a new key, and the old entry is merely unused until it is let go (bounded by rows,
/// oldest first).
pub struct TaskHalves {
    memo: Mutex<Bounded<TaskHalfKey, Arc<TaskHalf>>>,
}

impl Default for TaskHalves {
    fn default() -> Self {
        TaskHalves { memo: Mutex::new(Bounded::new(usize::MAX, MAX_TASK_HALF_ROWS)) }
    }
}

impl TaskHalves {
    fn get(&self, key: &TaskHalfKey) -> Option<Arc<TaskHalf>> {
        lock(&self.memo).get(key)
    }

    fn remember(&self, key: TaskHalfKey, half: Arc<TaskHalf>) {
        let rows = half.rows();
        lock(&self.memo).insert(key, half, rows);
    }
}
