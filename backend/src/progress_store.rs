//! Keeps each indicator's standing (latest approved value, progress, status) on its row,
//! computed by the shared progress rules. Called in the same transaction as every write that
//! can change an indicator's latest approved value.

use rust_decimal::Decimal;
use shared::model::Comparator;
use shared::period::Period;
use shared::progress::Target;
use sqlx::PgConnection;
use uuid::Uuid;

/// The latest approved value that is not corrected by a later approved report; years before
/// quarters of the same year are the same point in time (a year ends with its Q4), and of two
/// reports on one point, the later decision counts.
const LATEST_APPROVED: &str = "
    select period_year, period_quarter, value from indicator_report r
    where r.indicator_id = $1 and r.state = 'approved'
      and not exists (select 1 from indicator_report c where c.supersedes = r.report_id and c.state = 'approved')
    order by period_year desc, coalesce(period_quarter, 4) desc, decided_at desc, entry_seq desc
    limit 1";

pub async fn refresh_indicator(conn: &mut PgConnection, indicator_id: Uuid) -> anyhow::Result<()> {
    let (baseline_year, baseline_value, target_year, target_value, comparator): (i32, Option<Decimal>, i32, Decimal, String) =
        sqlx::query_as(
            "select baseline_year, baseline_value, target_year, target_value, comparator from indicator where indicator_id = $1",
        )
        .bind(indicator_id)
        .fetch_one(&mut *conn)
        .await?;
    let target = Target {
        baseline_year,
        baseline_value,
        target_year,
        target_value,
        comparator: comparator.parse::<Comparator>()?,
    };
    let latest: Option<(i32, Option<i16>, Decimal)> =
        sqlx::query_as(LATEST_APPROVED).bind(indicator_id).fetch_optional(&mut *conn).await?;
    let latest = match latest {
        Some((year, quarter, value)) => Some((Period::new(year, quarter.and_then(|q| u8::try_from(q).ok()))?, value)),
        None => None,
    };
    let assessment = target.assess(latest);
    sqlx::query(
        "update indicator set latest_period_year = $2, latest_period_quarter = $3, latest_value = $4, progress = $5,
                              status = $6
         where indicator_id = $1",
    )
    .bind(indicator_id)
    .bind(latest.map(|(p, _)| p.calendar_year()))
    .bind(latest.and_then(|(p, _)| p.quarter()).map(i16::from))
    .bind(latest.map(|(_, v)| v))
    .bind(assessment.map(|a| a.progress))
    .bind(target.status(latest).as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
