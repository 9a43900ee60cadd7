//! Indicator reports: submitting a value for a period, approving or rejecting it, correcting
//! an approved one (the corrected report stays as history), and naming the organisations that
//! answer for an indicator. Only approved values count (`progress_store`).

use crate::audit::{self, BindEvent, Event, Touched};
use crate::auth::access;
use crate::auth::audited::audited;
use crate::error::{Error, OnConstraint, Result};
use crate::infra::db;
use crate::plans::standing;
use crate::progress::rules::{self, ReportContext, Standing};
use crate::tenancy::TenantRecord;
use chrono::{DateTime, SubsecRound, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use shared::api::{IndicatorUnits, NewReport, PendingReport, ReportRow, ReportState};
use shared::page_data::Caller;
use shared::period::Period;
use sqlx::{PgConnection, PgPool};
use std::sync::LazyLock;
use uuid::Uuid;

/// The version of one of the tenant's indicators (404 when there is none).
async fn indicator_version(conn: &mut PgConnection, tenant_id: Uuid, indicator_id: Uuid) -> Result<i32> {
    let version: Option<i32> =
        sqlx::query_scalar("select version from indicator where indicator_id = $1 and tenant_id = $2")
            .bind(indicator_id)
            .bind(tenant_id)
            .fetch_optional(&mut *conn)
            .await?;
    version.ok_or(Error::NotFound("indicator"))
}

/// An indicator as a report on it needs it, with the report standing for the period asked.
#[derive(sqlx::FromRow)]
struct IndicatorForReport {
    period_start: i32,
    period_end: i32,
    units: Vec<Uuid>,
    current_id: Option<Uuid>,
    current_state: Option<String>,
    /// The reporting user's email, as the report shows it.
    reporter: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReportRecord {
    report_id: Uuid,
    indicator_id: Uuid,
    period_year: i32,
    period_quarter: Option<i16>,
    value: Decimal,
    note: Option<String>,
    source: Option<String>,
    state: String,
    reported_by: Option<String>,
    reported_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_reason: Option<String>,
    supersedes: Option<Uuid>,
    version: i32,
}

/// A report as `ReportRecord` reads it, with its people's emails, from `$source` named `r`:
/// the table, or the rows a write statement returns (a write and its read in one round trip).
/// With `$columns` and `$joins`, more columns from more sources.
macro_rules! report_select {
    ($source:literal) => {
        report_select!($source, "", "")
    };
    ($source:literal, $columns:literal, $joins:literal) => {
        concat!(
            "select r.report_id, r.indicator_id, r.period_year, r.period_quarter, r.value, r.note, r.source, r.state,
                    coalesce(ru.email, ru.mobile) as reported_by, r.reported_at, coalesce(du.email, du.mobile) as decided_by, r.decided_at, r.decision_reason,
                    r.supersedes, r.version",
            $columns,
            " from ",
            $source,
            " r left join app_user ru on ru.user_id = r.reported_by
             left join app_user du on du.user_id = r.decided_by",
            $joins
        )
    };
}

const REPORT_SELECT: &str = report_select!("indicator_report");

impl ReportRecord {
    fn into_row(self) -> Result<ReportRow> {
        let period = Period::new(self.period_year, self.period_quarter.and_then(|q| u8::try_from(q).ok()))
            .map_err(|e| Error::Internal(e.into()))?;
        let state = match self.state.as_str() {
            "submitted" => ReportState::Submitted,
            "approved" => ReportState::Approved,
            "rejected" => ReportState::Rejected,
            other => return Err(Error::Internal(anyhow::anyhow!("unknown report state {other}"))),
        };
        Ok(ReportRow {
            id: self.report_id,
            indicator_id: self.indicator_id,
            period,
            value: self.value,
            note: self.note,
            source: self.source,
            state,
            reported_by: self.reported_by,
            reported_at: self.reported_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            decision_reason: self.decision_reason,
            supersedes: self.supersedes,
            version: self.version,
        })
    }
}

async fn report(conn: &mut PgConnection, report_id: Uuid) -> Result<ReportRow> {
    let record: ReportRecord = sqlx::query_as(&format!("{REPORT_SELECT} where r.report_id = $1"))
        .bind(report_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("report"))?;
    record.into_row()
}

/// One report of the tenant.
pub async fn one(pool: &PgPool, tenant: &TenantRecord, report_id: Uuid) -> Result<ReportRow> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let row = report(&mut tx, report_id).await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(sqlx::FromRow)]
struct PendingRecord {
    #[sqlx(flatten)]
    report: ReportRecord,
    code: String,
    name: String,
    unit: String,
    title: String,
}

/// The tenant's reports awaiting a decision, oldest first (at most 500), for its admins.
pub async fn pending(pool: &PgPool, tenant: &TenantRecord, caller: &Caller) -> Result<Vec<PendingReport>> {
    access::administer_tenant(caller, tenant.reference())?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let records: Vec<PendingRecord> = sqlx::query_as(concat!(
        report_select!(
            "indicator_report",
            ", i.code, i.name, i.unit, p.title",
            " join indicator i on i.indicator_id = r.indicator_id join plan p on p.plan_id = i.plan_id"
        ),
        " where r.tenant_id = $1 and r.state = 'submitted' order by r.reported_at, r.entry_seq limit 500"
    ))
    .bind(tenant.tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    records
        .into_iter()
        .map(|r| {
            Ok(PendingReport {
                report: r.report.into_row()?,
                indicator_code: r.code,
                indicator_name: r.name,
                unit: r.unit,
                plan_title: r.title,
            })
        })
        .collect()
}

/// The history of an indicator's reports, newest first.
pub async fn list(pool: &PgPool, tenant: &TenantRecord, caller: &Caller, indicator_id: Uuid) -> Result<Vec<ReportRow>> {
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    // Reports include values not yet approved: the tenant's own readers only.
    if access::tenant_scope(caller, tenant.reference()) != access::TenantScope::Internal {
        return Err(if caller.user_id.is_some() { Error::NotFound("indicator") } else { Error::Unauthorized });
    }
    indicator_version(&mut tx, tenant.tenant_id, indicator_id).await?;
    let records: Vec<ReportRecord> = sqlx::query_as(&format!(
        "{REPORT_SELECT} where r.indicator_id = $1 order by r.period_year desc, coalesce(r.period_quarter, 4) desc,
                                                          r.reported_at desc, r.entry_seq desc"
    ))
    .bind(indicator_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    records.into_iter().map(ReportRecord::into_row).collect()
}

/// One report of an indicator (the tenant's own readers, like `list`).
pub async fn get(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    (indicator_id, report_id): (Uuid, Uuid),
) -> Result<ReportRow> {
    if access::tenant_scope(caller, tenant.reference()) != access::TenantScope::Internal {
        return Err(if caller.user_id.is_some() { Error::NotFound("report") } else { Error::Unauthorized });
    }
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let record: Option<ReportRecord> =
        sqlx::query_as(&format!("{REPORT_SELECT} where r.report_id = $1 and r.indicator_id = $2 and r.tenant_id = $3"))
            .bind(report_id)
            .bind(indicator_id)
            .bind(tenant.tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    record.ok_or(Error::NotFound("report"))?.into_row()
}

/// The indicator a report is for, in the tenant, with the report standing for `period` now
/// (read in the same round trip) and the reporter's email.
async fn indicator_for_report(
    conn: &mut PgConnection,
    tenant: &TenantRecord,
    indicator_id: Uuid,
    period: Option<&Period>,
    actor: Uuid,
) -> Result<IndicatorForReport> {
    sqlx::query_as(
        // The report standing for the period now: the one awaiting a decision, or the approved
        // one no approved correction has replaced. Two lookups, each written to match its own
        // partial index (`indicator_report_open_idx`, `indicator_report_latest_idx`): as one
        // OR, the planner scanned every submitted report of every tenant whenever its
        // statistics lagged behind a burst of reports.
        concat!(
            "select p.period_start, p.period_end,
                array(select a.organisation_id from indicator_assignment a where a.indicator_id = i.indicator_id)
                  as units,
                s.report_id as current_id, s.state as current_state,
                (select coalesce(u.email, u.mobile) from app_user u where u.user_id = $5) as reporter
         from indicator i join plan p using (plan_id)
         left join lateral (
           select report_id, state from (
             (select report_id, state from indicator_report
              where indicator_id = $1 and period_year = $3
                and coalesce(period_quarter::integer, 0) = coalesce($4::integer, 0) and state = 'submitted')
             union all
             (select report_id, state from indicator_report r
              where indicator_id = $1 and period_year = $3 and period_quarter is not distinct from $4
                and state = 'approved'
                and ",
            standing::not_replaced!(),
            "
              order by decided_at desc, entry_seq desc limit 1)
           ) standing
           order by (state = 'submitted') desc limit 1) s on true
         where i.indicator_id = $1 and i.tenant_id = $2"
        ),
    )
    .bind(indicator_id)
    .bind(tenant.tenant_id)
    .bind(period.map(|p| p.calendar_year()))
    .bind(period.and_then(|p| p.quarter()).map(i16::from))
    .bind(actor)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound("indicator"))
}

/// Inserts `row` with its audit `event`, in one round trip, and reads it back as stored.
async fn insert_report_with_event(conn: &mut PgConnection, row: &ReportRow, event: Event<'_>) -> Result<ReportRow> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        audit::with_event(concat!(
            "with written as (
               insert into indicator_report (tenant_id, reported_by, report_id, indicator_id, period_year,
                                             period_quarter, value, note, source, reported_at, supersedes)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *) ",
            report_select!("written")
        ))
    });
    sqlx::query_as::<_, ReportRecord>(&SQL)
        .bind_event(&event)
        .bind(event.tenant_id)
        .bind(event.actor)
        .bind(row.id)
        .bind(row.indicator_id)
        .bind(row.period.calendar_year())
        .bind(row.period.quarter().map(i16::from))
        .bind(row.value)
        .bind(&row.note)
        .bind(&row.source)
        .bind(row.reported_at)
        .bind(row.supersedes)
        .fetch_one(conn)
        .await
        .on_constraint("indicator_report_open_idx", || {
            Error::Conflict(format!("a report for {} is already awaiting a decision", row.period))
        })?
        .into_row()
}

#[tracing::instrument(name = "report.submit", skip_all)]
pub async fn submit(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    now: DateTime<Utc>,
    indicator_id: Uuid,
    new: NewReport,
) -> Result<ReportRow> {
    let actor = access::signed_in(caller)?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    // Whether the indicator exists is not told to those who may not see the tenant.
    if access::tenant_scope(caller, tenant.reference()) != access::TenantScope::Internal {
        audited(pool, tenant, caller, "report.create", "indicator", indicator_id, Err(Error::NotFound("indicator")))
            .await?;
    }
    // The indicator and the report standing for the period are read in one round trip, so
    // the period is parsed first; whether it was readable is told only after a missing
    // indicator or a refusal would have been.
    let period = new.period.parse::<Period>();
    let indicator = indicator_for_report(&mut tx, tenant, indicator_id, period.as_ref().ok(), actor).await?;
    let decision = access::report_on(caller, tenant.reference(), &indicator.units);
    audited(pool, tenant, caller, "report.create", "indicator", indicator_id, decision).await?;

    let standing = match (indicator.current_id, indicator.current_state.as_deref()) {
        (Some(id), Some("submitted")) => Standing::Awaiting(id),
        (Some(id), _) => Standing::Approved(id),
        (None, _) => Standing::Empty,
    };
    let context = ReportContext { plan_years: (indicator.period_start, indicator.period_end), standing };
    let period = rules::admit_report(&new, period, context)?;

    // The report is made here, identifier and time included (the time to the microsecond,
    // as PostgreSQL keeps it), so that its audit event goes in with it, in one round trip.
    let row = ReportRow {
        id: Uuid::new_v4(),
        indicator_id,
        period,
        value: new.value,
        note: new.note,
        source: new.source,
        state: ReportState::Submitted,
        reported_by: indicator.reporter,
        reported_at: now.trunc_subsecs(6),
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        supersedes: new.corrects,
        version: 1,
    };
    let event = Event {
        tenant_id: Some(tenant.tenant_id),
        actor: Some(actor),
        action: "report.create".into(),
        entity: "report",
        entity_id: row.id.to_string(),
        before: None,
        after: Some(json!(row)),
    };
    let stored = insert_report_with_event(&mut tx, &row, event).await?;
    // The event must say what was stored; should the table ever change a value on its way in,
    // nothing is committed.
    if stored != row {
        return Err(Error::Internal(anyhow::anyhow!("report {} was stored otherwise than made", row.id)));
    }
    tx.commit().await?;
    Ok(row)
}

/// Approves (`reason` None) or rejects a submitted report, if `expected_version` is current.
#[tracing::instrument(name = "report.decide", skip_all)]
pub async fn decide(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    now: DateTime<Utc>,
    (indicator_id, report_id): (Uuid, Uuid),
    expected_version: i32,
    rejection: Option<String>,
) -> Result<Decided> {
    let actor = access::signed_in(caller)?;
    let action = if rejection.is_some() { "report.reject" } else { "report.approve" };
    let decision = access::administer_tenant(caller, tenant.reference());
    audited(pool, tenant, caller, action, "report", report_id, decision).await?;
    rules::check_rejection(rejection.as_deref())?;
    // The indicator is locked in the transaction's first round trip, so that decisions on one
    // indicator take turns and the decision's statement has a snapshot holding every one
    // before it (`standing::standing_after_decision!`).
    let mut tx = db::tenant_tx_locking_indicator(pool, &[tenant.tenant_id], indicator_id).await?;
    let state = if rejection.is_some() { "rejected" } else { "approved" };
    // The decision if the report is still the one the caller saw, and what the indicator's
    // standing is computed from once it counts, in one round trip. A report of another
    // indicator is not touched.
    let written: Option<DecisionRow> = sqlx::query_as(concat!(
        "with written as (
           update indicator_report set state = $3, decided_by = $4, decided_at = $5, decision_reason = $6,
                                       version = version + 1
           where report_id = $1 and indicator_id = $2 and version = $7 and state = 'submitted' returning *), ",
        standing::standing_after_decision!(),
        " ",
        report_select!("written", ", s.*", " cross join standing s")
    ))
    .bind(report_id)
    .bind(indicator_id)
    .bind(state)
    .bind(actor)
    .bind(now)
    .bind(rejection.as_deref().map(str::trim))
    .bind(expected_version)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(written) = written else {
        return Err(undecided(&mut tx, (indicator_id, report_id), expected_version).await);
    };
    let after = written.report.into_row()?;
    // What the report was: awaiting a decision at the version the caller saw (the update's
    // condition), so without a decider, a decision time or a reason (the table's checks,
    // migration `report_undecided_check`); a decision changes nothing else.
    let before = ReportRow {
        state: ReportState::Submitted,
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        version: expected_version,
        ..after.clone()
    };
    let event = Event {
        tenant_id: Some(tenant.tenant_id),
        actor: Some(actor),
        action: action.into(),
        entity: "report",
        entity_id: report_id.to_string(),
        before: Some(json!(before)),
        after: Some(json!(after)),
    };
    let data_version = if rejection.is_none() {
        standing::keep(&mut tx, indicator_id, &written.standing.standing()?).await?;
        Some(audit::append_and_touch(&mut tx, event, Touched::Standings).await?)
    } else {
        audit::append(&mut tx, event).await?;
        None
    };
    tx.commit().await?;
    Ok(Decided { report: after, data_version })
}

/// Why a report was not decided: it is not one of the indicator's (404), it changed since
/// the caller read it, or it was already decided (409).
async fn undecided(conn: &mut PgConnection, (indicator_id, report_id): (Uuid, Uuid), expected_version: i32) -> Error {
    let found: sqlx::Result<Option<(i32, String)>> =
        sqlx::query_as("select version, state from indicator_report where report_id = $1 and indicator_id = $2")
            .bind(report_id)
            .bind(indicator_id)
            .fetch_optional(conn)
            .await;
    match found {
        Err(e) => Error::Database(e),
        Ok(None) => Error::NotFound("report"),
        Ok(Some((version, _))) if version != expected_version => Error::Conflict(format!(
            "report {report_id} has changed (version {version} now, {expected_version} expected); reload it"
        )),
        Ok(Some(_)) => Error::Conflict(format!("report {report_id} was already decided")),
    }
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    #[sqlx(flatten)]
    report: ReportRecord,
    #[sqlx(flatten)]
    standing: standing::StandingInputs,
}

/// A decided report, and the tenant's data version after an approval (views computed at
/// it or later include the value).
pub struct Decided {
    pub report: ReportRow,
    pub data_version: Option<i64>,
}

/// Sets the organisations that lead and answer for an indicator (tenant admins), if
/// `expected_version` is the indicator's current version. Returns the new version.
pub async fn set_units(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    indicator_id: Uuid,
    expected_version: i32,
    units: IndicatorUnits,
) -> Result<i32> {
    let actor = access::signed_in(caller)?;
    let decision = access::administer_tenant(caller, tenant.reference());
    audited(pool, tenant, caller, "indicator.units", "indicator", indicator_id, decision).await?;
    if units.lead.len() + units.responsible.len() > 100 {
        return Err(Error::invalid("units", "at most 100 units"));
    }
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let version = indicator_version(&mut tx, tenant.tenant_id, indicator_id).await?;
    if version != expected_version {
        return Err(Error::Conflict(format!(
            "indicator {indicator_id} has changed (version {version} now, {expected_version} expected); reload it"
        )));
    }
    let assigned: Vec<(String, String)> = sqlx::query_as(
        "select a.role, o.name from indicator_assignment a join organisation o using (organisation_id)
         where a.indicator_id = $1 order by a.role, o.name",
    )
    .bind(indicator_id)
    .fetch_all(&mut *tx)
    .await?;
    // The units before, in the shape of what replaces them.
    let named = |role: &str| assigned.iter().filter(|(r, _)| r == role).map(|(_, name)| name.clone()).collect();
    let before = IndicatorUnits { lead: named("lead"), responsible: named("responsible") };
    sqlx::query("delete from indicator_assignment where indicator_id = $1")
        .bind(indicator_id)
        .execute(&mut *tx)
        .await?;
    for (role, names) in [("lead", &units.lead), ("responsible", &units.responsible)] {
        for name in names {
            let org: Uuid =
                sqlx::query_scalar("select organisation_id from organisation where tenant_id = $1 and name = $2")
                    .bind(tenant.tenant_id)
                    .bind(name)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| Error::invalid(role, format!("{role}: no organisation named {name:?}")))?;
            sqlx::query(
                "insert into indicator_assignment (tenant_id, indicator_id, organisation_id, role) values ($1, $2, $3, $4)
                 on conflict do nothing",
            )
            .bind(tenant.tenant_id)
            .bind(indicator_id)
            .bind(org)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
    }
    let version: i32 =
        sqlx::query_scalar("update indicator set version = version + 1 where indicator_id = $1 returning version")
            .bind(indicator_id)
            .fetch_one(&mut *tx)
            .await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id: Some(tenant.tenant_id),
            actor: Some(actor),
            action: "indicator.units".into(),
            entity: "indicator",
            entity_id: indicator_id.to_string(),
            before: Some(json!(before)),
            after: Some(json!(units)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}
