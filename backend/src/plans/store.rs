//! Writing a canonical plan document into a tenant: organisations, plan, areas, indicators,
//! tasks and their unit assignments, in set-based statements inside the caller's transaction
//! (all or nothing). The same document stored twice is recognised, not duplicated.

use crate::audit::{self, Event, Touched};
use crate::infra::db;
use crate::plans::catalog;
use serde_json::json;
use shared::plan_document::{DocumentProblem, Due, PlanDocument};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created(Uuid),
    /// A plan with the same title and issue date was already there; nothing was written.
    AlreadyPresent(Uuid),
}

impl Stored {
    pub fn plan_id(self) -> Uuid {
        match self {
            Stored::Created(id) | Stored::AlreadyPresent(id) => id,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the plan document has {} problem(s): {}", .0.len(), describe(.0))]
    Invalid(Vec<DocumentProblem>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn describe(problems: &[DocumentProblem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.path, p.message)).collect::<Vec<_>>().join("; ")
}

/// Stores `doc` as a plan of `tenant_id`. The transaction must already carry the tenant's
/// row-level-security context (`db::tenant_tx`, or `set_config` on the admin connection).
pub async fn store_plan(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    actor: Option<Uuid>,
    doc: &PlanDocument,
) -> Result<Stored, StoreError> {
    let problems = doc.problems();
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    if let Some(plan_id) = existing_plan(conn, tenant_id, doc).await? {
        return Ok(Stored::AlreadyPresent(plan_id));
    }
    let org_ids = ensure_organisations(conn, tenant_id, &doc.organisation_names()).await?;
    let plan_id = insert_plan(conn, tenant_id, doc).await?;
    let area_ids = insert_areas(conn, tenant_id, plan_id, doc).await?;
    insert_indicators(conn, tenant_id, plan_id, doc, &area_ids).await?;
    let task_ids = insert_tasks(conn, tenant_id, plan_id, doc, &area_ids).await?;
    insert_task_assignments(conn, tenant_id, doc, &task_ids, &org_ids).await?;
    catalog::suggest_for_plan(conn, plan_id).await?;
    let after = json!({
        "title": doc.title,
        "issued_on": doc.issued_on,
        "areas": doc.areas.len(),
        "indicators": doc.indicators.len(),
        "tasks": doc.tasks.len(),
        "organisations": org_ids.len(),
    });
    audit::append_and_touch(conn, Event::created(Some(tenant_id), actor, "plan", plan_id, after), Touched::Everything)
        .await?;
    Ok(Stored::Created(plan_id))
}

/// The plan of the same title and date already in the tenant, if any: importing it again
/// changes nothing.
async fn existing_plan(conn: &mut PgConnection, tenant_id: Uuid, doc: &PlanDocument) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("select plan_id from plan where tenant_id = $1 and title = $2 and issued_on = $3")
        .bind(tenant_id)
        .bind(&doc.title)
        .bind(doc.issued_on)
        .fetch_optional(conn)
        .await
}

async fn insert_plan(conn: &mut PgConnection, tenant_id: Uuid, doc: &PlanDocument) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "insert into plan (tenant_id, title, issuer, document_number, issued_on, period_start, period_end,
                           visibility, status, notes, source_text)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning plan_id",
    )
    .bind(tenant_id)
    .bind(&doc.title)
    .bind(&doc.issuer)
    .bind(&doc.document_number)
    .bind(doc.issued_on)
    .bind(doc.period_start)
    .bind(doc.period_end)
    .bind(doc.visibility.as_str())
    .bind(doc.status.as_str())
    .bind(&doc.notes)
    .bind(&doc.source_text)
    .fetch_one(conn)
    .await
}

/// The plan's areas in document order; their ids by name.
async fn insert_areas(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan_id: Uuid,
    doc: &PlanDocument,
) -> sqlx::Result<HashMap<String, Uuid>> {
    let area_names: Vec<&str> = doc.areas.iter().map(|a| a.name.as_str()).collect();
    let area_rows: Vec<(Uuid, String)> = sqlx::query_as(
        "insert into area (tenant_id, plan_id, position, name)
         select $1, $2, ordinality, name from unnest($3::text[]) with ordinality as a(name, ordinality)
         returning area_id, name",
    )
    .bind(tenant_id)
    .bind(plan_id)
    .bind(&area_names)
    .fetch_all(&mut *conn)
    .await?;
    Ok(area_rows.into_iter().map(|(id, name)| (name, id)).collect())
}

async fn insert_indicators(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan_id: Uuid,
    doc: &PlanDocument,
    area_ids: &HashMap<String, Uuid>,
) -> sqlx::Result<()> {
    let area_of = |name: &str| area_ids.get(name).copied().unwrap_or_default();
    let ind = &doc.indicators;
    sqlx::query(
        "insert into indicator (tenant_id, plan_id, area_id, position, code, name, unit, baseline_year,
                                baseline_value, target_year, target_value, comparator, catalog_key, notes)
         select $1, $2, area_id, ordinality, code, name, unit, baseline_year, baseline_value, target_year,
                target_value, comparator, catalog_key, notes
         from unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::numeric[], $9::int[],
                     $10::numeric[], $11::text[], $12::text[], $13::text[])
              with ordinality as i(area_id, code, name, unit, baseline_year, baseline_value, target_year,
                                   target_value, comparator, catalog_key, notes, ordinality)",
    )
    .bind(tenant_id)
    .bind(plan_id)
    .bind(ind.iter().map(|i| area_of(&i.area)).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.code.as_str()).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.name.as_str()).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.unit.as_str()).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.baseline_year).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.baseline_value).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.target_year).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.target_value).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.comparator.as_str()).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.catalog_key.as_deref()).collect::<Vec<_>>())
    .bind(ind.iter().map(|i| i.notes.as_deref()).collect::<Vec<_>>())
    .execute(conn)
    .await?;
    Ok(())
}

/// The plan's tasks in document order; their ids by position (from 1).
async fn insert_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan_id: Uuid,
    doc: &PlanDocument,
    area_ids: &HashMap<String, Uuid>,
) -> sqlx::Result<HashMap<i64, Uuid>> {
    let area_of = |name: &str| area_ids.get(name).copied().unwrap_or_default();
    let tasks = &doc.tasks;
    let task_ids: Vec<(Uuid, i64)> = sqlx::query_as(
        "insert into task (tenant_id, plan_id, area_id, position, seq, text, due_year, ongoing)
         select $1, $2, area_id, ordinality, seq, text, due_year, ongoing
         from unnest($3::uuid[], $4::int[], $5::text[], $6::int[], $7::bool[])
              with ordinality as t(area_id, seq, text, due_year, ongoing, ordinality)
         returning task_id, position::bigint",
    )
    .bind(tenant_id)
    .bind(plan_id)
    .bind(tasks.iter().map(|t| area_of(&t.area)).collect::<Vec<_>>())
    .bind(tasks.iter().map(|t| t.seq).collect::<Vec<_>>())
    .bind(tasks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>())
    .bind(
        tasks
            .iter()
            .map(|t| match t.due {
                Some(Due::Year(y)) => Some(y),
                _ => None,
            })
            .collect::<Vec<_>>(),
    )
    .bind(tasks.iter().map(|t| t.due == Some(Due::Ongoing)).collect::<Vec<_>>())
    .fetch_all(conn)
    .await?;
    Ok(task_ids.into_iter().map(|(id, pos)| (pos, id)).collect())
}

/// Each task's lead, responsible and cooperating organisations, in document order.
async fn insert_task_assignments(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    doc: &PlanDocument,
    task_by_position: &HashMap<i64, Uuid>,
    org_ids: &HashMap<String, Uuid>,
) -> sqlx::Result<()> {
    let (mut a_task, mut a_org, mut a_role, mut a_pos) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (index, task) in doc.tasks.iter().enumerate() {
        let task_id = task_by_position.get(&(index as i64 + 1)).copied().unwrap_or_default();
        for (n, (role, name)) in task.assignments().enumerate() {
            a_task.push(task_id);
            a_org.push(org_ids.get(name).copied().unwrap_or_default());
            a_role.push(role.as_str());
            a_pos.push(n as i32 + 1);
        }
    }
    sqlx::query(
        "insert into task_assignment (tenant_id, task_id, organisation_id, role, position)
         select $1, task_id, organisation_id, role, position
         from unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[]) as a(task_id, organisation_id, role, position)",
    )
    .bind(tenant_id)
    .bind(&a_task)
    .bind(&a_org)
    .bind(&a_role)
    .bind(&a_pos)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ids of the tenant's organisations with these names, creating the missing ones.
async fn ensure_organisations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    names: &[&str],
) -> sqlx::Result<HashMap<String, Uuid>> {
    sqlx::query("insert into organisation (tenant_id, name) select $1, unnest($2::text[]) on conflict (tenant_id, name) do nothing")
        .bind(tenant_id)
        .bind(names)
        .execute(&mut *conn)
        .await?;
    let rows: Vec<(String, Uuid)> =
        sqlx::query_as("select name, organisation_id from organisation where tenant_id = $1 and name = any($2)")
            .bind(tenant_id)
            .bind(names)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Sets a plan's status and visibility (publishing, archiving) if `expected_version` is
/// current: platform admins and the tenant's admins. Returns the plan's new version.
pub async fn set_publication(
    pool: &sqlx::PgPool,
    tenant: &crate::tenancy::TenantRecord,
    caller: &shared::page_data::Caller,
    plan_id: Uuid,
    expected_version: i32,
    publication: shared::api::Publication,
) -> crate::error::Result<i32> {
    use crate::error::Error;
    let actor = crate::auth::access::signed_in(caller)?;
    let decision = crate::auth::access::manage_plans(caller, tenant.reference());
    crate::auth::audited::audited(pool, tenant, caller, "plan.publication", "plan", plan_id, decision).await?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let current: Option<(i32, String, String)> =
        sqlx::query_as("select version, status, visibility from plan where plan_id = $1 and tenant_id = $2 for update")
            .bind(plan_id)
            .bind(tenant.tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (version, status, visibility) = current.ok_or(Error::NotFound("plan"))?;
    if version != expected_version {
        return Err(Error::Conflict(format!(
            "plan {plan_id} has changed (version {version} now, {expected_version} expected); reload it"
        )));
    }
    let version: i32 = sqlx::query_scalar(
        "update plan set status = $2, visibility = $3, version = version + 1, updated_at = now()
         where plan_id = $1 returning version",
    )
    .bind(plan_id)
    .bind(publication.status.as_str())
    .bind(publication.visibility.as_str())
    .fetch_one(&mut *tx)
    .await?;
    audit::append_and_touch(
        &mut tx,
        Event {
            tenant_id: Some(tenant.tenant_id),
            actor: Some(actor),
            action: "plan.publication".into(),
            entity: "plan",
            entity_id: plan_id.to_string(),
            before: Some(json!({"status": status, "visibility": visibility})),
            after: Some(json!(publication)),
        },
        Touched::Everything,
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}
