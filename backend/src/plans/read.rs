//! Reading plans: indicators with their latest approved value and progress,
//! tasks with their units, status and overdue flag. Shared by the JSON API and the pages, so
//! both show the same numbers under the same access rules.

use crate::auth::access::{TenantScope, plan_visible, tenant_scope};
use crate::error::{Error, Result};
use crate::infra::clock::Clock;
use crate::infra::db;
use crate::tenancy::{TenantRecord, find_tenant};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use shared::api::{IndicatorHistory, IndicatorRow, Latest, PlanDetail, PlanSummary, TaskRow, TenantPlans, UnitRef};
use shared::model::{Comparator, TaskStatus, UnitRole};
use shared::page_data::Caller;
use shared::period::Period;
use shared::progress::{Deadline, is_overdue};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use std::str::FromStr;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct PlanRecord {
    plan_id: Uuid,
    title: String,
    issuer: String,
    document_number: Option<String>,
    issued_on: NaiveDate,
    period_start: i32,
    period_end: i32,
    visibility: String,
    status: String,
    notes: Option<String>,
    version: i32,
}

impl PlanRecord {
    fn summary(&self) -> Result<PlanSummary> {
        Ok(PlanSummary {
            id: self.plan_id,
            title: self.title.clone(),
            issuer: self.issuer.clone(),
            document_number: self.document_number.clone(),
            issued_on: self.issued_on,
            period_start: self.period_start,
            period_end: self.period_end,
            visibility: word(&self.visibility)?,
            status: word(&self.status)?,
            version: self.version,
        })
    }
}

/// A stored vocabulary word; the check constraints make a bad one a bug, hence a 500.
fn word<T: FromStr<Err = shared::model::UnknownWord>>(text: &str) -> Result<T> {
    text.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))
}

const PLAN_COLUMNS: &str =
    "plan_id, title, issuer, document_number, issued_on, period_start, period_end, visibility, status, notes, version";

pub async fn tenant_plans(pool: &PgPool, caller: &Caller, slug: &str) -> Result<TenantPlans> {
    plans_of(pool, caller, find_tenant(pool, slug).await?).await
}

/// The plans of `tenant` that `caller` may read, newest first.
pub async fn plans_of(pool: &PgPool, caller: &Caller, tenant: TenantRecord) -> Result<TenantPlans> {
    let scope = tenant_scope(caller, tenant.reference());
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let rows: Vec<PlanRecord> =
        sqlx::query_as(&format!("select {PLAN_COLUMNS} from plan where tenant_id = $1 order by issued_on desc, title"))
            .bind(tenant.tenant_id)
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    let mut plans = Vec::new();
    for row in &rows {
        let plan = row.summary()?;
        if plan_visible(scope, plan.visibility, plan.status) {
            plans.push(plan);
        }
    }
    Ok(TenantPlans { tenant: tenant.summary(), plans })
}

/// A plan the caller may read, with its tenant; 404 for a missing and for an invisible one.
pub struct VisiblePlan {
    pub tenant: TenantRecord,
    pub plan: PlanSummary,
    pub notes: Option<String>,
    pub scope: TenantScope,
}

async fn plan_record(conn: &mut PgConnection, tenant_id: Uuid, plan_id: Uuid) -> Result<PlanRecord> {
    sqlx::query_as(&format!("select {PLAN_COLUMNS} from plan where plan_id = $1 and tenant_id = $2"))
        .bind(plan_id)
        .bind(tenant_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound("plan"))
}

/// The plan if `caller` may see it (in its tenant's transaction), else 404.
#[tracing::instrument(name = "db.plan", skip_all)]
pub async fn visible_plan(
    conn: &mut PgConnection,
    tenant: TenantRecord,
    caller: &Caller,
    plan_id: Uuid,
) -> Result<VisiblePlan> {
    let row = plan_record(conn, tenant.tenant_id, plan_id).await?;
    shown_to(caller, tenant, row.summary()?, row.notes)
}

/// `visible_plan` in a transaction of its own.
pub async fn find_visible_plan(
    pool: &PgPool,
    tenant: TenantRecord,
    caller: &Caller,
    plan_id: Uuid,
) -> Result<VisiblePlan> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let visible = visible_plan(&mut tx, tenant, caller, plan_id).await?;
    tx.commit().await?;
    Ok(visible)
}

/// The indicators of plan `plan_id` of `tenant`, if `caller` may see the plan.
pub async fn plan_indicators(
    pool: &PgPool,
    tenant: TenantRecord,
    caller: &Caller,
    plan_id: Uuid,
) -> Result<Vec<IndicatorRow>> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    visible_plan(&mut tx, tenant, caller, plan_id).await?;
    let rows = indicators(&mut tx, plan_id).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The tasks of plan `plan_id` of `tenant` as of the tenant's today, if `caller` may see the
/// plan.
pub async fn plan_tasks(
    pool: &PgPool,
    clock: &dyn Clock,
    tenant: TenantRecord,
    caller: &Caller,
    plan_id: Uuid,
) -> Result<Vec<TaskRow>> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let visible = visible_plan(&mut tx, tenant, caller, plan_id).await?;
    let rows = tasks(&mut tx, plan_id, clock.today_in(&visible.tenant.time_zone)).await?;
    tx.commit().await?;
    Ok(rows)
}

pub fn shown_to(
    caller: &Caller,
    tenant: TenantRecord,
    plan: PlanSummary,
    notes: Option<String>,
) -> Result<VisiblePlan> {
    let scope = tenant_scope(caller, tenant.reference());
    if !plan_visible(scope, plan.visibility, plan.status) {
        return Err(Error::NotFound("plan"));
    }
    Ok(VisiblePlan { tenant, plan, notes, scope })
}

/// What the read path keeps of a plan to decide who may see it (see `mirror`).
#[derive(Debug, Clone)]
pub struct PlanEntry {
    pub tenant_id: Uuid,
    pub plan: PlanSummary,
    pub notes: Option<String>,
}

/// The plan `plan_id` of tenant `tenant_id` (404 when it has none such), in its own
/// transaction.
pub async fn plan_entry(pool: &PgPool, tenant_id: Uuid, plan_id: Uuid) -> Result<PlanEntry> {
    let mut tx = db::tenant_tx(pool, &[tenant_id]).await?;
    let row = plan_record(&mut tx, tenant_id, plan_id).await?;
    tx.commit().await?;
    Ok(PlanEntry { tenant_id, plan: row.summary()?, notes: row.notes })
}

#[derive(sqlx::FromRow)]
struct IndicatorRecord {
    indicator_id: Uuid,
    code: String,
    area: String,
    name: String,
    unit: String,
    baseline_year: i32,
    baseline_value: Option<Decimal>,
    target_year: i32,
    target_value: Decimal,
    comparator: String,
    catalog_key: Option<String>,
    catalog_suggestion: Option<String>,
    notes: Option<String>,
    period_year: Option<i32>,
    period_quarter: Option<i16>,
    value: Option<Decimal>,
    progress: Option<Decimal>,
    status: String,
}

/// The plan's indicators in document order, each with its latest approved value and the
/// progress and status the rules give it (docs/model.md).
#[tracing::instrument(name = "db.indicators", skip_all)]
pub async fn indicators(conn: &mut PgConnection, plan_id: Uuid) -> Result<Vec<IndicatorRow>> {
    let rows: Vec<IndicatorRecord> = sqlx::query_as(
        "select i.indicator_id, i.code, a.name as area, i.name, i.unit, i.baseline_year, i.baseline_value,
                i.target_year, i.target_value, i.comparator, i.catalog_key, i.catalog_suggestion, i.notes,
                i.latest_period_year as period_year, i.latest_period_quarter as period_quarter, i.latest_value as value,
                i.progress, i.status
         from indicator i
         join area a on a.area_id = i.area_id
         where i.plan_id = $1
         order by a.position, i.position",
    )
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(indicator_row).collect()
}

fn indicator_row(r: IndicatorRecord) -> Result<IndicatorRow> {
    let comparator: Comparator = word(&r.comparator)?;
    let latest = match (r.period_year, r.value) {
        (Some(year), Some(value)) => {
            let quarter = r.period_quarter.and_then(|q| u8::try_from(q).ok());
            let period = Period::new(year, quarter).map_err(|e| Error::Internal(e.into()))?;
            Some(Latest { period, value })
        }
        _ => None,
    };
    Ok(IndicatorRow {
        id: r.indicator_id,
        code: r.code,
        area: r.area,
        name: r.name,
        unit: r.unit,
        baseline_year: r.baseline_year,
        baseline_value: r.baseline_value,
        target_year: r.target_year,
        target_value: r.target_value,
        comparator,
        catalog_key: r.catalog_key,
        catalog_suggestion: r.catalog_suggestion,
        notes: r.notes,
        latest,
        // Kept on the row by `progress_store` whenever an approval changes the latest value.
        progress: r.progress.and_then(|p| p.to_f64()),
        status: word(&r.status)?,
    })
}

#[derive(sqlx::FromRow)]
struct TaskRecord {
    task_id: Uuid,
    seq: i32,
    area: String,
    text: String,
    due_year: Option<i32>,
    ongoing: bool,
    status: String,
    percent: Option<Decimal>,
}

#[derive(sqlx::FromRow)]
struct AssignmentRecord {
    task_id: Uuid,
    role: String,
    organisation_id: Uuid,
    name: String,
}

/// The plan's tasks in document order, with their units by role, latest status, and whether
/// they are overdue on `today` (the tenant's date).
#[tracing::instrument(name = "db.tasks", skip_all)]
pub async fn tasks(conn: &mut PgConnection, plan_id: Uuid, today: NaiveDate) -> Result<Vec<TaskRow>> {
    let rows: Vec<TaskRecord> = sqlx::query_as(
        "select t.task_id, t.seq, a.name as area, t.text, t.due_year, t.ongoing, t.status, t.percent
         from task t
         join area a on a.area_id = t.area_id
         where t.plan_id = $1
         order by a.position, t.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let assignments: Vec<AssignmentRecord> = sqlx::query_as(
        "select ta.task_id, ta.role, o.organisation_id, o.name
         from task_assignment ta
         join task t on t.task_id = ta.task_id
         join organisation o on o.organisation_id = ta.organisation_id
         where t.plan_id = $1
         order by ta.task_id, ta.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;

    let mut units: HashMap<Uuid, [Vec<UnitRef>; 3]> = HashMap::new();
    for a in assignments {
        let slot = match word::<UnitRole>(&a.role)? {
            UnitRole::Lead => 0,
            UnitRole::Responsible => 1,
            UnitRole::Cooperating => 2,
        };
        units.entry(a.task_id).or_default()[slot].push(UnitRef { id: a.organisation_id, name: a.name });
    }

    rows.into_iter()
        .map(|r| {
            let status: TaskStatus = word(&r.status)?;
            let deadline = match (r.due_year, r.ongoing) {
                (_, true) => Deadline::Ongoing,
                (Some(y), false) => Deadline::Year(y),
                (None, false) => Deadline::Unstated,
            };
            let [lead_units, responsible_units, cooperating_units] = units.remove(&r.task_id).unwrap_or_default();
            Ok(TaskRow {
                id: r.task_id,
                seq: r.seq,
                area: r.area,
                text: r.text,
                due_year: r.due_year,
                ongoing: r.ongoing,
                lead_units,
                responsible_units,
                cooperating_units,
                status,
                percent: r.percent,
                overdue: is_overdue(deadline, status, today),
            })
        })
        .collect()
}

async fn area_names(conn: &mut PgConnection, plan_id: Uuid) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("select name from area where plan_id = $1 order by position")
        .bind(plan_id)
        .fetch_all(conn)
        .await?)
}

/// Everything the plan page shows, read in one transaction.
#[tracing::instrument(name = "db.plan_detail", skip_all)]
pub async fn plan_detail(
    pool: &PgPool,
    clock: &dyn Clock,
    caller: &Caller,
    slug: &str,
    plan_id: Uuid,
) -> Result<PlanDetail> {
    let tenant = find_tenant(pool, slug).await?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let visible = visible_plan(&mut tx, tenant, caller, plan_id).await?;
    let today = clock.today_in(&visible.tenant.time_zone);
    let areas = area_names(&mut tx, plan_id).await?;
    let indicators = indicators(&mut tx, plan_id).await?;
    let tasks = tasks(&mut tx, plan_id, today).await?;
    tx.commit().await?;
    Ok(PlanDetail {
        tenant: visible.tenant.summary(),
        plan: visible.plan,
        notes: visible.notes,
        areas,
        indicators,
        tasks,
    })
}

/// An indicator of a plan the caller may read, with its approved values in period order
/// (a corrected value replaced by its approved correction).
#[tracing::instrument(name = "db.indicator_history", skip(pool, caller))]
pub async fn indicator_history(
    pool: &PgPool,
    caller: &Caller,
    slug: &str,
    indicator_id: Uuid,
) -> Result<IndicatorHistory> {
    let tenant = find_tenant(pool, slug).await?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let plan_id: Uuid = sqlx::query_scalar("select plan_id from indicator where indicator_id = $1 and tenant_id = $2")
        .bind(indicator_id)
        .bind(tenant.tenant_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("indicator"))?;
    let visible = visible_plan(&mut tx, tenant, caller, plan_id).await?;
    let indicator = indicators(&mut tx, plan_id)
        .await?
        .into_iter()
        .find(|i| i.id == indicator_id)
        .ok_or(Error::NotFound("indicator"))?;
    let rows: Vec<(i32, Option<i16>, Decimal)> = sqlx::query_as(concat!(
        "select period_year, period_quarter, value from indicator_report r
         where r.indicator_id = $1 and r.state = 'approved'
           and ",
        crate::plans::standing::not_replaced!(),
        "
         order by period_year, coalesce(period_quarter, 4), decided_at"
    ))
    .bind(indicator_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let points = rows
        .into_iter()
        .map(|(year, quarter, value)| {
            let period =
                Period::new(year, quarter.and_then(|q| u8::try_from(q).ok())).map_err(|e| Error::Internal(e.into()))?;
            Ok(Latest { period, value })
        })
        .collect::<Result<_>>()?;
    Ok(IndicatorHistory { tenant: visible.tenant.summary(), plan: visible.plan, indicator, points })
}
