//! Task updates: a new status (with an optional percent and note) appended to the task's
//! history; the task row keeps its current status for the views.

use crate::audit::{self, Event, Touched};
use crate::auth::access;
use crate::auth::audited::audited;
use crate::error::{Error, Result};
use crate::infra::db;
use crate::progress::rules::MAX_NOTE_CHARS;
use crate::tenancy::TenantRecord;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use shared::api::{NewTaskUpdate, TaskUpdateRow};
use shared::model::TaskStatus;
use shared::page_data::Caller;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The task's lead and responsible units, and its version; 404 when not in the tenant.
async fn task_for_write(conn: &mut PgConnection, tenant_id: Uuid, task_id: Uuid) -> Result<(Vec<Uuid>, i32)> {
    let version: i32 = sqlx::query_scalar("select version from task where task_id = $1 and tenant_id = $2")
        .bind(task_id)
        .bind(tenant_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("task"))?;
    let units = sqlx::query_scalar(
        "select organisation_id from task_assignment where task_id = $1 and role in ('lead', 'responsible')",
    )
    .bind(task_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok((units, version))
}

#[derive(sqlx::FromRow)]
struct UpdateRecord {
    update_id: Uuid,
    task_id: Uuid,
    status: String,
    percent: Option<Decimal>,
    note: Option<String>,
    updated_by: Option<String>,
    created_at: DateTime<Utc>,
}

impl UpdateRecord {
    fn into_row(self) -> Result<TaskUpdateRow> {
        Ok(TaskUpdateRow {
            id: self.update_id,
            task_id: self.task_id,
            status: self.status.parse().map_err(|e: shared::model::UnknownWord| Error::Internal(e.into()))?,
            percent: self.percent,
            note: self.note,
            updated_by: self.updated_by,
            created_at: self.created_at,
        })
    }
}

const UPDATE_SELECT: &str =
    "select u.update_id, u.task_id, u.status, u.percent, u.note, coalesce(a.email, a.mobile) as updated_by, u.created_at
     from task_update u left join app_user a on a.user_id = u.updated_by";

/// Appends an update. `expected_version`, when given, must be the task's current version
/// (a stale view of the task gets 409 and changes nothing). Returns the update and the task's
/// new version.
#[tracing::instrument(name = "task_update.append", skip_all)]
pub async fn append(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    now: DateTime<Utc>,
    task_id: Uuid,
    expected_version: Option<i32>,
    new: NewTaskUpdate,
) -> Result<(TaskUpdateRow, i32)> {
    let actor = access::signed_in(caller)?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    if access::tenant_scope(caller, tenant.reference()) != access::TenantScope::Internal {
        audited(pool, tenant, caller, "task_update.create", "task", task_id, Err(Error::NotFound("task"))).await?;
    }
    let (units, version) = task_for_write(&mut tx, tenant.tenant_id, task_id).await?;
    audited(
        pool,
        tenant,
        caller,
        "task_update.create",
        "task",
        task_id,
        access::report_on(caller, tenant.reference(), &units),
    )
    .await?;
    if let Some(percent) = new.percent
        && !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&percent)
    {
        return Err(Error::invalid("percent", "percent must be between 0 and 100"));
    }
    if new.note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(Error::invalid("note", format!("note is longer than {MAX_NOTE_CHARS} characters")));
    }
    if let Some(expected) = expected_version
        && expected != version
    {
        return Err(Error::Conflict(format!(
            "task {task_id} has changed (version {version} now, {expected} expected); reload it"
        )));
    }
    // A completed task is done: its percent is 100 unless the reporter said otherwise.
    let percent = new.percent.or((new.status == TaskStatus::Completed).then_some(Decimal::ONE_HUNDRED));
    let before: (String, Option<Decimal>) =
        sqlx::query_as("select status, percent from task where task_id = $1 for update")
            .bind(task_id)
            .fetch_one(&mut *tx)
            .await?;
    let update_id: Uuid = sqlx::query_scalar(
        "insert into task_update (tenant_id, task_id, status, percent, note, updated_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning update_id",
    )
    .bind(tenant.tenant_id)
    .bind(task_id)
    .bind(new.status.as_str())
    .bind(percent)
    .bind(&new.note)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let new_version: i32 = sqlx::query_scalar(
        "update task set status = $2, percent = $3, version = version + 1 where task_id = $1 returning version",
    )
    .bind(task_id)
    .bind(new.status.as_str())
    .bind(percent)
    .fetch_one(&mut *tx)
    .await?;
    let row = sqlx::query_as::<_, UpdateRecord>(&format!("{UPDATE_SELECT} where u.update_id = $1"))
        .bind(update_id)
        .fetch_one(&mut *tx)
        .await?
        .into_row()?;
    audit::append_and_touch(
        &mut tx,
        Event {
            tenant_id: Some(tenant.tenant_id),
            actor: Some(actor),
            action: "task_update.create".into(),
            entity: "task",
            entity_id: task_id.to_string(),
            before: Some(json!({"status": before.0, "percent": before.1})),
            after: Some(json!(row)),
        },
        Touched::Everything,
    )
    .await?;
    tx.commit().await?;
    Ok((row, new_version))
}

/// One update of a task (the tenant's own readers, like `list`).
pub async fn get(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    (task_id, update_id): (Uuid, Uuid),
) -> Result<TaskUpdateRow> {
    if access::tenant_scope(caller, tenant.reference()) != access::TenantScope::Internal {
        return Err(if caller.user_id.is_some() { Error::NotFound("task update") } else { Error::Unauthorized });
    }
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let record: Option<UpdateRecord> =
        sqlx::query_as(&format!("{UPDATE_SELECT} where u.update_id = $1 and u.task_id = $2 and u.tenant_id = $3"))
            .bind(update_id)
            .bind(task_id)
            .bind(tenant.tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    record.ok_or(Error::NotFound("task update"))?.into_row()
}

/// The task's updates, newest first (the tenant's own readers).
pub async fn list(pool: &PgPool, tenant: &TenantRecord, caller: &Caller, task_id: Uuid) -> Result<Vec<TaskUpdateRow>> {
    if access::tenant_scope(caller, tenant.reference()) != access::TenantScope::Internal {
        return Err(if caller.user_id.is_some() { Error::NotFound("task") } else { Error::Unauthorized });
    }
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    task_for_write(&mut tx, tenant.tenant_id, task_id).await?;
    let records: Vec<UpdateRecord> =
        sqlx::query_as(&format!("{UPDATE_SELECT} where u.task_id = $1 order by u.created_at desc, u.entry_seq desc"))
            .bind(task_id)
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    records.into_iter().map(UpdateRecord::into_row).collect()
}
