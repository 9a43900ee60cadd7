//! The audit trail: every write appends who did what to which entity, before and after.
//! The table is append-only for the server's role (no update or delete grants).
//!
//! A write made through an API token names the token: the caller middleware runs the
//! request inside `acting_through(token)`, and every event appended while it runs carries
//! the token's id, whichever domain function appends it.

use serde_json::Value;
use shared::api::{AuditEvent, AuditPage};
use sqlx::postgres::PgArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{PgConnection, Postgres};
use std::sync::LazyLock;
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

tokio::task_local! {
    /// The API token the current request acts through, if any.
    static ACTING_TOKEN: Uuid;
}

/// Runs `work` (a request) as done through the API token `token`: the events it appends
/// name the token.
pub async fn acting_through<F: std::future::Future>(token: Uuid, work: F) -> F::Output {
    ACTING_TOKEN.scope(token, work).await
}

fn acting_token() -> Option<Uuid> {
    ACTING_TOKEN.try_with(|t| *t).ok()
}

/// An event's row. No RETURNING: a returned row must also pass the SELECT policy, which
/// events outside any tenant do not.
const INSERT_EVENT: &str =
    "insert into audit_event (tenant_id, actor_user_id, action, entity, entity_id, before, after, token_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8)";
/// How many parameters the event takes: a statement's own come after them.
const EVENT_PARAMS: usize = 8;

/// `statement` run after appending an event, in one round trip: `with event as (insert …)
/// statement`. The statement numbers its own parameters from `$1`; they are renumbered to
/// follow the event's, so the query binds the event first (`BindEvent::bind_event`), then
/// the statement's parameters in its order. (A statement that already begins with `with`
/// adds its own parts after the event's.)
pub fn with_event(statement: &str) -> String {
    let statement = shift_parameters(statement.trim_start(), EVENT_PARAMS);
    match statement.strip_prefix("with ") {
        Some(rest) => format!("with event as ({INSERT_EVENT}), {rest}"),
        None => format!("with event as ({INSERT_EVENT}) {statement}"),
    }
}

/// `sql` with each parameter `$n` renumbered `$(n + by)`. Our statements hold no string
/// literals with a `$` in them.
fn shift_parameters(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(n) = rest[..digits].parse::<usize>() {
            out.push_str(&(n + by).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// Binds an `Event` to the parameters of `with_event` (and of `append`), on any of sqlx's
/// query builders.
pub trait BindEvent<'q>: Sized {
    fn bind_event(self, event: &'q Event<'q>) -> Self;
}

macro_rules! bind_event_values {
    ($query:expr, $event:expr) => {
        $query
            .bind($event.tenant_id)
            .bind($event.actor)
            .bind(&$event.action)
            .bind($event.entity)
            .bind(&$event.entity_id)
            .bind(&$event.before)
            .bind(&$event.after)
            .bind(acting_token())
    };
}

impl<'q> BindEvent<'q> for Query<'q, Postgres, PgArguments> {
    fn bind_event(self, event: &'q Event<'q>) -> Self {
        bind_event_values!(self, event)
    }
}

impl<'q, O> BindEvent<'q> for QueryAs<'q, Postgres, O, PgArguments> {
    fn bind_event(self, event: &'q Event<'q>) -> Self {
        bind_event_values!(self, event)
    }
}

impl<'q, O> BindEvent<'q> for QueryScalar<'q, Postgres, O, PgArguments> {
    fn bind_event(self, event: &'q Event<'q>) -> Self {
        bind_event_values!(self, event)
    }
}

pub async fn append(conn: &mut PgConnection, event: Event<'_>) -> sqlx::Result<()> {
    sqlx::query(INSERT_EVENT).bind_event(&event).execute(conn).await?;
    Ok(())
}

/// What a write changed of its tenant's aggregate views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// Anything: the data version and the structure version move (as `db::touch_tenant`).
    Everything,
    /// Indicator standings only (a report decision): only the data version moves, so a
    /// dashboard's task half is kept (`dashboard::TaskHalf`).
    Standings,
}

/// Appends `event` and moves its tenant's versions in one round trip: how a write that
/// changes a tenant's aggregate views ends. Returns the new data version; an event without a
/// tenant is an error (no row).
pub async fn append_and_touch(conn: &mut PgConnection, event: Event<'_>, touched: Touched) -> sqlx::Result<i64> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        with_event(
            "update tenant set data_version = nextval('data_version_seq'),
                               structure_version = case when $2 then nextval('data_version_seq') else structure_version end
             where tenant_id = $1 returning data_version",
        )
    });
    sqlx::query_scalar(&SQL)
        .bind_event(&event)
        .bind(event.tenant_id)
        .bind(touched == Touched::Everything)
        .fetch_one(conn)
        .await
}

/// Records a refused write in its own transaction (the refused one never commits), in the
/// context of the tenant it targeted, so that tenant's admins see the attempt. A refusal to
/// an anonymous caller is only counted (`metrics::anonymous_refusal`): anyone can send one,
/// and the district's log is for what its users did.
pub async fn refused(
    pool: &sqlx::PgPool,
    tenant_id: Uuid,
    actor: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let Some(actor) = actor else {
        crate::infra::metrics::anonymous_refusal(action);
        return Ok(());
    };
    let mut tx = crate::infra::db::tenant_tx(pool, &[tenant_id]).await?;
    append(
        &mut tx,
        Event {
            tenant_id: Some(tenant_id),
            actor: Some(actor),
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

pub const MAX_PAGE: i64 = 200;
pub const DEFAULT_PAGE: i64 = 50;

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    occurred_at: chrono::DateTime<chrono::Utc>,
    actor: Option<Uuid>,
    actor_email: Option<String>,
    token: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    before: Option<Value>,
    after: Option<Value>,
}

/// A tenant's events, newest first, `limit` of them older than `before`.
pub async fn page(pool: &sqlx::PgPool, tenant_id: Uuid, before: Option<i64>, limit: i64) -> sqlx::Result<AuditPage> {
    let mut tx = crate::infra::db::tenant_tx(pool, &[tenant_id]).await?;
    let mut rows: Vec<EventRow> = sqlx::query_as(
        "select e.event_id as id, e.occurred_at, e.actor_user_id as actor, coalesce(u.email, u.mobile) as actor_email,
                k.name || ' (' || k.prefix || '…)' as token, e.action, e.entity, e.entity_id, e.before, e.after
         from audit_event e left join app_user u on u.user_id = e.actor_user_id
         left join api_token k on k.token_id = e.token_id
         where e.tenant_id = $1 and ($2::bigint is null or e.event_id < $2)
         order by e.event_id desc limit $3",
    )
    .bind(tenant_id)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let next_before = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|e| e.id)
    } else {
        None
    };
    let events = rows
        .into_iter()
        .map(|r| AuditEvent {
            id: r.id,
            occurred_at: r.occurred_at,
            actor: r.actor,
            actor_email: r.actor_email,
            token: r.token,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(AuditPage { events, next_before })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_after_an_event_numbers_its_parameters_after_the_events() {
        let sql = with_event("update t set a = $2 where id = $1 and b = $10 returning '$x'");
        assert!(sql.starts_with("with event as (insert into audit_event"), "{sql}");
        assert!(sql.ends_with("update t set a = $10 where id = $9 and b = $18 returning '$x'"), "{sql}");
        let cte = with_event("with w as (insert into r values ($1) returning *) select * from w");
        assert!(cte.contains("$8)), w as (insert into r values ($9) returning *) select * from w"), "{cte}");
    }
}
