//! A stored plan back as the canonical document: what import reads, so exporting and
//! importing into another tenant gives the same plan.

use super::xlsx::{History, ReportLine, UpdateLine};
use crate::auth::access::TenantScope;
use crate::error::{Error, Result};
use crate::infra::db;
use crate::plans::read;
use crate::tenancy::TenantRecord;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shared::page_data::Caller;
use shared::plan_document::{AreaDef, Due, FORMAT, IndicatorDef, PlanDocument, TaskDef};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct PlanRow {
    title: String,
    issuer: String,
    document_number: Option<String>,
    issued_on: NaiveDate,
    period_start: i32,
    period_end: i32,
    visibility: String,
    status: String,
    notes: Option<String>,
    source_text: Option<String>,
}

#[derive(sqlx::FromRow)]
struct IndicatorRecord {
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
    notes: Option<String>,
}

fn word<T: std::str::FromStr<Err = shared::model::UnknownWord>>(text: &str) -> Result<T> {
    text.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))
}

/// The plan `plan_id` (in a transaction with its tenant's context) as a document.
/// Plan `plan_id` of `tenant` as a document, if `caller` may see it, with the history
/// `caller` may read of it when `with_history`.
pub async fn exported(
    pool: &PgPool,
    caller: &Caller,
    tenant: TenantRecord,
    plan_id: Uuid,
    with_history: bool,
) -> Result<(PlanDocument, Option<History>)> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let visible = read::visible_plan(&mut tx, tenant, caller, plan_id).await?;
    let plan = document(&mut tx, plan_id).await?;
    let internal = visible.scope == TenantScope::Internal;
    let history = if with_history { Some(history(&mut tx, plan_id, internal).await?) } else { None };
    tx.commit().await?;
    Ok((plan, history))
}

pub async fn document(conn: &mut PgConnection, plan_id: Uuid) -> Result<PlanDocument> {
    let plan: PlanRow = sqlx::query_as(
        "select title, issuer, document_number, issued_on, period_start, period_end, visibility, status, notes, source_text
         from plan where plan_id = $1",
    )
    .bind(plan_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound("plan"))?;
    let areas: Vec<String> = sqlx::query_scalar("select name from area where plan_id = $1 order by position")
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await?;
    let indicators: Vec<IndicatorRecord> = sqlx::query_as(
        "select i.code, a.name as area, i.name, i.unit, i.baseline_year, i.baseline_value, i.target_year, i.target_value,
                i.comparator, i.catalog_key, i.notes
         from indicator i join area a using (area_id) where i.plan_id = $1 order by i.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let tasks: Vec<(Uuid, String, i32, String, Option<i32>, bool)> = sqlx::query_as(
        "select t.task_id, a.name, t.seq, t.text, t.due_year, t.ongoing from task t join area a using (area_id)
         where t.plan_id = $1 order by t.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let assignments: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select ta.task_id, ta.role, o.name from task_assignment ta join organisation o using (organisation_id)
         join task t on t.task_id = ta.task_id where t.plan_id = $1 order by ta.task_id, ta.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut units: HashMap<Uuid, TaskDef> = HashMap::new();
    let mut ordered = Vec::new();
    for (id, area, seq, text, due_year, ongoing) in tasks {
        let due = match (due_year, ongoing) {
            (_, true) => Some(Due::Ongoing),
            (Some(y), false) => Some(Due::Year(y)),
            (None, false) => None,
        };
        units.insert(id, TaskDef { area, seq, text, due, lead: vec![], responsible: vec![], cooperating: vec![] });
        ordered.push(id);
    }
    for (task, role, name) in assignments {
        if let Some(t) = units.get_mut(&task) {
            match role.as_str() {
                "lead" => t.lead.push(name),
                "responsible" => t.responsible.push(name),
                _ => t.cooperating.push(name),
            }
        }
    }
    Ok(PlanDocument {
        format: FORMAT.to_owned(),
        title: plan.title,
        issuer: plan.issuer,
        document_number: plan.document_number,
        issued_on: plan.issued_on,
        period_start: plan.period_start,
        period_end: plan.period_end,
        visibility: word(&plan.visibility)?,
        status: word(&plan.status)?,
        notes: plan.notes,
        source_text: plan.source_text,
        areas: areas.into_iter().map(|name| AreaDef { name }).collect(),
        indicators: indicators
            .into_iter()
            .map(|i| {
                Ok(IndicatorDef {
                    code: i.code,
                    area: i.area,
                    name: i.name,
                    unit: i.unit,
                    baseline_year: i.baseline_year,
                    baseline_value: i.baseline_value,
                    target_year: i.target_year,
                    target_value: i.target_value,
                    comparator: word(&i.comparator)?,
                    catalog_key: i.catalog_key,
                    notes: i.notes,
                })
            })
            .collect::<Result<_>>()?,
        tasks: ordered.into_iter().filter_map(|id| units.remove(&id)).collect(),
    })
}

/// The plan's reports (in period order per indicator) and task updates, for the workbook
/// export. A reader outside the tenant (`internal` false) gets exactly what the public pages
/// show: each indicator's approved values that no correction replaced, with their periods
/// (no notes, times or reasons), and each task's current status.
pub async fn history(conn: &mut PgConnection, plan_id: Uuid, internal: bool) -> Result<History> {
    if !internal {
        return public_history(conn, plan_id).await;
    }
    let reports: Vec<ReportLine> = sqlx::query_as(
        "select i.code, i.name as indicator,
                case when r.period_quarter is null then r.period_year::text
                     else r.period_year || 'Q' || r.period_quarter end as period,
                r.value, r.state, r.note, r.reported_at, r.decision_reason
         from indicator_report r join indicator i using (indicator_id)
         where i.plan_id = $1
         order by i.position, r.period_year, r.period_quarter nulls first, r.reported_at",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let updates: Vec<UpdateLine> = sqlx::query_as(
        "select a.name as area, t.seq, u.status, u.percent, u.note, u.created_at
         from task_update u join task t using (task_id) join area a on a.area_id = t.area_id
         where t.plan_id = $1 order by t.position, u.created_at",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(History { reports, updates })
}

async fn public_history(conn: &mut PgConnection, plan_id: Uuid) -> Result<History> {
    let reports: Vec<ReportLine> = sqlx::query_as(concat!(
        "select i.code, i.name as indicator,
                case when r.period_quarter is null then r.period_year::text
                     else r.period_year || 'Q' || r.period_quarter end as period,
                r.value, r.state, null::text as note, null::timestamptz as reported_at,
                null::text as decision_reason
         from indicator_report r join indicator i using (indicator_id)
         where i.plan_id = $1 and r.state = 'approved' and ",
        crate::plans::standing::not_replaced!(),
        "
         order by i.position, r.period_year, r.period_quarter nulls first, r.decided_at"
    ))
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let updates: Vec<UpdateLine> = sqlx::query_as(
        "select distinct on (t.position) a.name as area, t.seq, u.status, null::numeric as percent,
                null::text as note, null::timestamptz as created_at
         from task_update u join task t using (task_id) join area a on a.area_id = t.area_id
         where t.plan_id = $1 order by t.position, u.created_at desc",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(History { reports, updates })
}
