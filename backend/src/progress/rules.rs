//! The rules a new report, a correction and a decision must keep (docs/model.md,
//! "Reporting"), as pure functions of what the database said: the same answers whatever
//! writes them, tested here without one.

use crate::error::{Error, Result};
use rust_decimal::Decimal;
use shared::api::NewReport;
use shared::period::{InvalidPeriod, Period};
use uuid::Uuid;

/// Largest absolute value a report may carry (the column's precision, with room).
pub const MAX_ABS_VALUE: i64 = 1_000_000_000_000_000;
/// Longest note, source or reason, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The report that stands for a period now, as the database has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No report awaits a decision and none is approved.
    Empty,
    /// This report awaits a decision.
    Awaiting(Uuid),
    /// This approved report counts (no approved correction replaces it).
    Approved(Uuid),
}

/// What a new report is checked against: its plan's years and the period's standing report.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext {
    pub plan_years: (i32, i32),
    pub standing: Standing,
}

/// Checks a new report (its period as parsed) and says which period it is for: inside the
/// plan's years, a value in range, note and source not too long; a period with a report
/// awaiting a decision takes no other; a period with an approved report takes only its
/// correction, which names it.
pub fn admit_report(
    new: &NewReport,
    period: std::result::Result<Period, InvalidPeriod>,
    context: ReportContext,
) -> Result<Period> {
    let period = period.map_err(|e| Error::invalid("period", e.to_string()))?;
    let (start, end) = context.plan_years;
    if !(start..=end).contains(&period.calendar_year()) {
        return Err(Error::invalid("period", format!("period {period} is outside the plan's period {start}–{end}")));
    }
    if new.value.abs() > Decimal::from(MAX_ABS_VALUE) {
        return Err(Error::invalid("value", "value is out of range"));
    }
    check_text("note", new.note.as_deref())?;
    check_text("source", new.source.as_deref())?;
    match (context.standing, new.corrects) {
        (Standing::Empty, None) => Ok(period),
        (Standing::Awaiting(id), _) => Err(Error::Conflict(format!(
            "report {id} for {period} is awaiting a decision; it must be approved or rejected first"
        ))),
        (Standing::Approved(id), Some(corrects)) if id == corrects => Ok(period),
        (Standing::Approved(id), _) => Err(Error::Conflict(format!(
            "{period} already has an approved report ({id}); to correct it, send \"corrects\": \"{id}\""
        ))),
        (Standing::Empty, Some(corrects)) => {
            Err(Error::Conflict(format!("report {corrects} is not the approved report for {period}")))
        }
    }
}

/// A rejection needs a reason of 1 to `MAX_NOTE_CHARS` characters; an approval none.
pub fn check_rejection(reason: Option<&str>) -> Result<()> {
    match reason.map(|r| r.trim().chars().count()) {
        Some(n) if n == 0 || n > MAX_NOTE_CHARS => {
            Err(Error::invalid("reason", format!("a rejection needs a reason of 1 to {MAX_NOTE_CHARS} characters")))
        }
        _ => Ok(()),
    }
}

/// Free text of a report or update: at most `MAX_NOTE_CHARS` characters.
pub fn check_text(field: &'static str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > MAX_NOTE_CHARS => {
            Err(Error::invalid(field, format!("{field} is longer than {MAX_NOTE_CHARS} characters")))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(value: i64, corrects: Option<Uuid>) -> NewReport {
        NewReport { period: "2023".into(), value: Decimal::from(value), note: None, source: None, corrects }
    }

    fn context(standing: Standing) -> ReportContext {
        ReportContext { plan_years: (2021, 2025), standing }
    }

    fn field(result: Result<Period>) -> Option<String> {
        result.err().and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn a_first_report_inside_the_plan_is_admitted_for_its_period() {
        let period = admit_report(&report(5, None), "2023Q2".parse(), context(Standing::Empty));
        assert_eq!(period.ok(), "2023Q2".parse().ok());
    }

    #[test]
    fn a_period_outside_the_plan_or_unreadable_is_refused_at_the_period() {
        assert_eq!(
            field(admit_report(&report(5, None), "2026".parse(), context(Standing::Empty))).as_deref(),
            Some("period")
        );
        assert_eq!(
            field(admit_report(&report(5, None), "2020Q4".parse(), context(Standing::Empty))).as_deref(),
            Some("period")
        );
        assert_eq!(
            field(admit_report(&report(5, None), "2023Q5".parse(), context(Standing::Empty))).as_deref(),
            Some("period")
        );
    }

    #[test]
    fn values_and_texts_past_their_bounds_are_refused_at_their_field() {
        let huge = NewReport { value: Decimal::from(MAX_ABS_VALUE) + Decimal::ONE, ..report(0, None) };
        assert_eq!(field(admit_report(&huge, "2023".parse(), context(Standing::Empty))).as_deref(), Some("value"));
        let long = NewReport { source: Some("字".repeat(MAX_NOTE_CHARS + 1)), ..report(0, None) };
        assert_eq!(field(admit_report(&long, "2023".parse(), context(Standing::Empty))).as_deref(), Some("source"));
        let just = NewReport { note: Some("字".repeat(MAX_NOTE_CHARS)), ..report(0, None) };
        assert!(admit_report(&just, "2023".parse(), context(Standing::Empty)).is_ok());
    }

    #[test]
    fn a_period_awaiting_a_decision_takes_no_other_report() {
        let waiting = Uuid::new_v4();
        for corrects in [None, Some(waiting)] {
            let refused = admit_report(&report(5, corrects), "2023".parse(), context(Standing::Awaiting(waiting)));
            assert!(matches!(refused, Err(Error::Conflict(m)) if m.contains("awaiting a decision")));
        }
    }

    #[test]
    fn an_approved_period_takes_only_the_correction_that_names_its_report() {
        let approved = Uuid::new_v4();
        let standing = context(Standing::Approved(approved));
        assert!(admit_report(&report(5, Some(approved)), "2023".parse(), standing).is_ok());
        let plain = admit_report(&report(5, None), "2023".parse(), standing);
        assert!(matches!(plain, Err(Error::Conflict(m)) if m.contains("to correct it")));
        let other = admit_report(&report(5, Some(Uuid::new_v4())), "2023".parse(), standing);
        assert!(matches!(other, Err(Error::Conflict(_))));
        let nothing_to_correct = admit_report(&report(5, Some(approved)), "2023".parse(), context(Standing::Empty));
        assert!(matches!(nothing_to_correct, Err(Error::Conflict(m)) if m.contains("is not the approved report")));
    }

    #[test]
    fn a_rejection_needs_a_reason_an_approval_none() {
        assert!(check_rejection(None).is_ok());
        assert!(check_rejection(Some("数据口径不一致")).is_ok());
        assert_eq!(
            check_rejection(Some("  ")).err().and_then(|e| e.field().map(str::to_owned)).as_deref(),
            Some("reason")
        );
        assert!(check_rejection(Some(&"x".repeat(MAX_NOTE_CHARS + 1))).is_err());
    }
}
