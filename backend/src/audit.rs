//! The audit trail: every write appends who did what to which entity, before and after.
//! The table is append-only for the server's role (no update or delete grants).

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

pub struct Event<'a> {
    /// Null for events outside any tenant (regions, platform users).
    pub tenant_id: Option<Uuid>,
    /// Null for the command line and for anonymous attempts.
    pub actor: Option<Uuid>,
    /// `<entity>.<verb>`, e.g. `plan.create`, `report.approve`.
    pub action: String,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Event<'a> {
    pub fn created(tenant_id: Option<Uuid>, actor: Option<Uuid>, entity: &'a str, id: Uuid, after: Value) -> Self {
        Event {
            tenant_id,
            actor,
            action: format!("{entity}.create"),
            entity,
            entity_id: id.to_string(),
            before: None,
            after: Some(after),
        }
    }
}

pub async fn append(conn: &mut PgConnection, event: Event<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into audit_event (tenant_id, actor_user_id, action, entity, entity_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.tenant_id)
    .bind(event.actor)
    .bind(&event.action)
    .bind(event.entity)
    .bind(&event.entity_id)
    .bind(&event.before)
    .bind(&event.after)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a refused write in its own transaction (the refused one never commits), in the
/// context of the tenant it targeted, so that tenant's admins see the attempt.
pub async fn refused(
    pool: &sqlx::PgPool,
    tenant_id: Uuid,
    actor: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = crate::db::tenant_tx(pool, &[tenant_id]).await?;
    append(
        &mut tx,
        Event {
            tenant_id: Some(tenant_id),
            actor,
            action: format!("{action}.denied"),
            entity,
            entity_id: entity_id.to_owned(),
            before: None,
            after: Some(serde_json::json!({ "reason": reason })),
        },
    )
    .await?;
    tx.commit().await
}
