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

#[derive(sqlx::FromRow)]
struct StandingInputs {
    baseline_year: i32,
    baseline_value: Option<Decimal>,
    target_year: i32,
    target_value: Decimal,
    comparator: String,
    period_year: Option<i32>,
    period_quarter: Option<i16>,
    value: Option<Decimal>,
}

pub async fn refresh_indicator(conn: &mut PgConnection, indicator_id: Uuid) -> anyhow::Result<()> {
    // The target and the latest approved value in one round trip: this runs in every approval.
    let row: StandingInputs = sqlx::query_as(&format!(
        "select i.baseline_year, i.baseline_value, i.target_year, i.target_value, i.comparator,
                l.period_year, l.period_quarter, l.value
         from indicator i left join lateral ({LATEST_APPROVED}) l on true
         where i.indicator_id = $1"
    ))
    .bind(indicator_id)
    .fetch_one(&mut *conn)
    .await?;
    let target = Target {
        baseline_year: row.baseline_year,
        baseline_value: row.baseline_value,
        target_year: row.target_year,
        target_value: row.target_value,
        comparator: row.comparator.parse::<Comparator>()?,
    };
    let latest = match (row.period_year, row.value) {
        (Some(year), Some(value)) => {
            Some((Period::new(year, row.period_quarter.and_then(|q| u8::try_from(q).ok()))?, value))
        }
        _ => None,
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
