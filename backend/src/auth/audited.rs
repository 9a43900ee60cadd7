//! Access decisions whose refusal is audited: a write refused by the policy leaves an audit
//! event (in its own transaction, so it stays though the request fails) before the refusal
//! is returned.

use crate::audit;
use crate::error::Result;
use crate::tenancy::TenantRecord;
use shared::page_data::Caller;
use sqlx::PgPool;
use uuid::Uuid;

/// Runs `decision` (an `access` check) on `action` over `entity` `id`; a refusal is audited
/// before it is returned.
pub async fn audited(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    action: &str,
    entity: &str,
    id: Uuid,
    decision: Result<()>,
) -> Result<()> {
    if let Err(e) = decision {
        audit::refused(pool, tenant.tenant_id, caller.user_id, action, entity, &id.to_string(), e.code()).await?;
        return Err(e);
    }
    Ok(())
}
