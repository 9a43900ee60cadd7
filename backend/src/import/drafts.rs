//! The import wizards' uploads (a plan; a district's contacts): a document kept between the
//! wizard's steps (upload, review the dry run, commit), so that each step is a plain
//! server-rendered page and the commit needs no second upload. Deleted at commit; any older
//! than a day go at the next upload.

use super::{ImportOutcome, ImportReport};
use crate::auth::access;
use crate::error::{Error, Result};
use crate::infra::db;
use crate::tenancy::TenantRecord;
use chrono::{DateTime, Utc};
use shared::api::ImportDraft;
use shared::page_data::Caller;
use sqlx::PgPool;
use uuid::Uuid;

/// Keeps `content` for the tenant's plan import wizard; platform admins and the tenant's
/// admins (the upload is read only after `super::admit` let the caller in).
pub async fn save(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    file_name: Option<String>,
    content: &[u8],
) -> Result<Uuid> {
    access::manage_plans(caller, tenant.reference())?;
    keep(pool, tenant, caller, file_name, content).await
}

/// Keeps `content` for the tenant's contacts wizard; platform admins and the tenant's admins.
pub async fn save_contacts(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    file_name: Option<String>,
    content: &[u8],
) -> Result<Uuid> {
    access::manage_users(caller, tenant.reference())?;
    keep(pool, tenant, caller, file_name, content).await
}

/// Stores an upload the caller has been admitted to make.
async fn keep(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    file_name: Option<String>,
    content: &[u8],
) -> Result<Uuid> {
    if content.is_empty() {
        return Err(Error::invalid("document", "document: choose a file or paste the plan's text"));
    }
    if content.len() > super::MAX_BYTES {
        return Err(Error::PayloadTooLarge);
    }
    let file_name = file_name.map(|n| n.chars().take(300).collect::<String>());
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    sqlx::query("delete from import_draft where tenant_id = $1 and created_at < now() - interval '1 day'")
        .bind(tenant.tenant_id)
        .execute(&mut *tx)
        .await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into import_draft (tenant_id, created_by, file_name, content) values ($1, $2, $3, $4) returning draft_id",
    )
    .bind(tenant.tenant_id)
    .bind(caller.user_id)
    .bind(file_name)
    .bind(content)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn load(pool: &PgPool, tenant: &TenantRecord, draft_id: Uuid) -> Result<(ImportDraft, Vec<u8>)> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let row: Option<(Option<String>, Vec<u8>, DateTime<Utc>)> = sqlx::query_as(
        "select file_name, content, created_at from import_draft where draft_id = $1 and tenant_id = $2",
    )
    .bind(draft_id)
    .bind(tenant.tenant_id)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let (file_name, content, created_at) = row.ok_or(Error::NotFound("import draft"))?;
    Ok((ImportDraft { id: draft_id, file_name, bytes: content.len(), created_at }, content))
}

/// What committing the draft would do (a dry run), for the wizard's review step.
pub async fn preview(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    draft_id: Uuid,
) -> Result<(ImportDraft, ImportReport)> {
    access::manage_plans(caller, tenant.reference())?;
    let (draft, content) = load(pool, tenant, draft_id).await?;
    let report = super::import(pool, tenant, Some(caller), super::read_within_budget(content).await, true).await?;
    Ok((draft, report))
}

/// Imports the draft; once the plan is stored (or found already there), the draft is gone.
pub async fn commit(pool: &PgPool, tenant: &TenantRecord, caller: &Caller, draft_id: Uuid) -> Result<ImportReport> {
    access::manage_plans(caller, tenant.reference())?;
    let (_, content) = load(pool, tenant, draft_id).await?;
    let report = super::import(pool, tenant, Some(caller), super::read_within_budget(content).await, false).await?;
    if matches!(report.outcome, ImportOutcome::Created | ImportOutcome::AlreadyPresent) {
        discard(pool, tenant, draft_id).await?;
    }
    Ok(report)
}

/// Deletes a draft whose work is done.
pub(super) async fn discard(pool: &PgPool, tenant: &TenantRecord, draft_id: Uuid) -> Result<()> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    sqlx::query("delete from import_draft where draft_id = $1").bind(draft_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
