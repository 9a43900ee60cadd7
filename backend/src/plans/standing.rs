//! Keeps each indicator's standing (latest approved value, progress, status) on its row,
//! computed by the shared progress rules, in the same transaction as the approval that
//! changes it.

use rust_decimal::Decimal;
use shared::model::Comparator;
use shared::period::Period;
use shared::progress::Target;
use sqlx::PgConnection;
use uuid::Uuid;

/// A condition on a report `r`: no approved correction replaces it.
///
/// A subquery with a limit rather than `not exists`: PostgreSQL turns `not exists` into an
/// anti join, and with statistics taken before corrections accumulated it chose a merge anti
/// join that read every correction of every district, growing with each (docs/benchmarks.md).
/// This form is always one probe of
/// `indicator_report_supersedes_idx` per report of the one indicator.
macro_rules! not_replaced {
    () => {
        "(select c.report_id from indicator_report c where c.supersedes = r.report_id and c.state = 'approved' limit 1)
         is null"
    };
}
pub(crate) use not_replaced;

/// A CTE `standing` for the statement that decides a report (the CTE `written`, the report
/// as updated): the target of its indicator, and the latest approved value once the decision
/// counts. That value is the latest approved report that no approved correction replaces;
/// years before quarters of the same year are the same point in time (a year ends with its
/// Q4), and of two reports on one point, the later decision counts.
///
/// A statement does not see its own update, so the decided report joins the approved ones
/// here if it was approved, and the report it corrects leaves them. Every other report is as
/// the statement's snapshot has it: the decision locks the indicator first
/// (`reports::decide`), so another decision of the same indicator has committed before this
/// statement began, or waits for this one to commit.
macro_rules! standing_after_decision {
    () => {
        concat!(
            "standing as (
           select i.baseline_year, i.baseline_value, i.target_year, i.target_value, i.comparator,
                  l.period_year as latest_year, l.period_quarter as latest_quarter, l.value as latest_value
           from indicator i left join lateral (
             select a.period_year, a.period_quarter, a.value from (
               select r.period_year, r.period_quarter, r.value, r.decided_at, r.entry_seq from indicator_report r
               where r.indicator_id = i.indicator_id and r.state = 'approved'
                 and r.report_id is distinct from (select w.supersedes from written w where w.state = 'approved')
                 and ",
            $crate::plans::standing::not_replaced!(),
            "
               union all
               select w.period_year, w.period_quarter, w.value, w.decided_at, w.entry_seq from written w
               where w.state = 'approved'
             ) a
             order by a.period_year desc, coalesce(a.period_quarter, 4) desc, a.decided_at desc, a.entry_seq desc
             limit 1) l on true
           where i.indicator_id = (select w.indicator_id from written w))"
        )
    };
}
pub(crate) use standing_after_decision;

/// A row of `standing_after_decision!`.
#[derive(sqlx::FromRow)]
pub struct StandingInputs {
    baseline_year: i32,
    baseline_value: Option<Decimal>,
    target_year: i32,
    target_value: Decimal,
    comparator: String,
    latest_year: Option<i32>,
    latest_quarter: Option<i16>,
    latest_value: Option<Decimal>,
}

/// What the indicator's row keeps of its latest approved value.
pub struct Standing {
    latest: Option<(Period, Decimal)>,
    progress: Option<Decimal>,
    status: &'static str,
}

impl StandingInputs {
    pub fn standing(&self) -> anyhow::Result<Standing> {
        let target = Target {
            baseline_year: self.baseline_year,
            baseline_value: self.baseline_value,
            target_year: self.target_year,
            target_value: self.target_value,
            comparator: self.comparator.parse::<Comparator>()?,
        };
        let latest = match (self.latest_year, self.latest_value) {
            (Some(year), Some(value)) => {
                Some((Period::new(year, self.latest_quarter.and_then(|q| u8::try_from(q).ok()))?, value))
            }
            _ => None,
        };
        Ok(Standing {
            latest,
            progress: target.assess(latest).map(|a| a.progress),
            status: target.status(latest).as_str(),
        })
    }
}

/// Writes `standing` on the indicator's row.
pub async fn keep(conn: &mut PgConnection, indicator_id: Uuid, standing: &Standing) -> sqlx::Result<()> {
    let latest = standing.latest;
    sqlx::query(
        "update indicator set latest_period_year = $2, latest_period_quarter = $3, latest_value = $4, progress = $5,
                              status = $6
         where indicator_id = $1",
    )
    .bind(indicator_id)
    .bind(latest.map(|(p, _)| p.calendar_year()))
    .bind(latest.and_then(|(p, _)| p.quarter()).map(i16::from))
    .bind(latest.map(|(_, v)| v))
    .bind(standing.progress)
    .bind(standing.status)
    .execute(conn)
    .await?;
    Ok(())
}
