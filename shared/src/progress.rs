//! The progress rules (docs/model.md), as pure functions over exact decimals.
//!
//! Decimals rather than floats on purpose: the worked example 规上工业总产值 (109.43 → 350,
//! reported 229.715 in 2023) gives progress exactly 0.5 against expected 0.6, which sits on the
//! on_track boundary (expected − 0.10). A float would put it on either side by rounding.

use crate::model::{Comparator, IndicatorStatus, TaskStatus};
use crate::period::Period;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// The slack below expected progress that still counts as on track.
pub const ON_TRACK_SLACK: Decimal = Decimal::from_parts(10, 0, 0, false, 2);
/// The slack below expected progress that counts as at risk rather than behind.
pub const AT_RISK_SLACK: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

/// What the rules need to know about an indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub baseline_year: i32,
    /// Absent in the document (——): taken as 0.
    pub baseline_value: Option<Decimal>,
    pub target_year: i32,
    pub target_value: Decimal,
    pub comparator: Comparator,
}

/// The outcome of the rules for one indicator and its latest approved value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    pub progress: Decimal,
    pub expected: Decimal,
    pub status: IndicatorStatus,
}

fn clamp_unit(x: Decimal) -> Decimal {
    x.clamp(Decimal::ZERO, Decimal::ONE)
}

impl Target {
    fn baseline(&self) -> Decimal {
        self.baseline_value.unwrap_or(Decimal::ZERO)
    }

    pub fn is_achieved(&self, value: Decimal) -> bool {
        match self.comparator {
            Comparator::Ge => value >= self.target_value,
            Comparator::Le => value <= self.target_value,
            Comparator::Eq => value == self.target_value,
        }
    }

    /// Share of the way from baseline to target, clamped to [0, 1].
    pub fn progress(&self, value: Decimal) -> Decimal {
        let (b, t, v) = (self.baseline(), self.target_value, value);
        let raw = match self.comparator {
            // A target equal to its baseline leaves no distance to cover: done or not.
            Comparator::Ge | Comparator::Le if b == t => {
                if self.is_achieved(v) {
                    Decimal::ONE
                } else {
                    Decimal::ZERO
                }
            }
            Comparator::Ge => (v - b) / (t - b),
            Comparator::Le => (b - v) / (b - t),
            Comparator::Eq if b == t => Decimal::ONE,
            Comparator::Eq => Decimal::ONE - (v - t).abs() / (b - t).abs(),
        };
        clamp_unit(raw)
    }

    /// Share of the time from baseline year to target year that has passed by `period`'s end.
    pub fn expected(&self, period: Period) -> Decimal {
        let span = self.target_year - self.baseline_year;
        if span <= 0 {
            return Decimal::ONE;
        }
        clamp_unit(period.elapsed_years_since(self.baseline_year) / Decimal::from(span))
    }

    /// Status of the indicator given its latest approved value (None: nothing approved yet).
    pub fn assess(&self, latest: Option<(Period, Decimal)>) -> Option<Assessment> {
        let (period, value) = latest?;
        let progress = self.progress(value);
        let expected = self.expected(period);
        let status = if self.is_achieved(value) {
            IndicatorStatus::Achieved
        } else if progress >= expected - ON_TRACK_SLACK {
            IndicatorStatus::OnTrack
        } else if progress >= expected - AT_RISK_SLACK {
            IndicatorStatus::AtRisk
        } else {
            IndicatorStatus::Behind
        };
        Some(Assessment { progress, expected, status })
    }

    pub fn status(&self, latest: Option<(Period, Decimal)>) -> IndicatorStatus {
        self.assess(latest).map_or(IndicatorStatus::NoData, |a| a.status)
    }
}

/// When a task is due: a year, ongoing (长期), or not stated by the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Year(i32),
    Ongoing,
    Unstated,
}

/// A task is overdue when it has a due year, is not completed, and `today` (in the tenant's
/// time zone) is after 31 December of that year.
pub fn is_overdue(deadline: Deadline, status: TaskStatus, today: NaiveDate) -> bool {
    match deadline {
        Deadline::Year(year) => status != TaskStatus::Completed && today.year() > year,
        Deadline::Ongoing | Deadline::Unstated => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn target(b: Option<&str>, t: &str, comparator: Comparator) -> Target {
        Target { baseline_year: 2020, baseline_value: b.map(d), target_year: 2025, target_value: d(t), comparator }
    }

    #[test]
    fn worked_example_industrial_output_is_on_track_at_the_boundary() {
        let t = target(Some("109.43"), "350", Comparator::Ge);
        let a = t.assess(Some((p("2023"), d("229.715")))).unwrap();
        assert_eq!(a.progress, d("0.5"));
        assert_eq!(a.expected, d("0.6"));
        assert_eq!(a.status, IndicatorStatus::OnTrack);
    }

    #[test]
    fn worked_example_energy_intensity_is_behind_then_achieved() {
        let t = target(Some("0.84"), "0.6", Comparator::Le);
        let a = t.assess(Some((p("2023"), d("0.80")))).unwrap();
        assert_eq!(a.progress.round_dp(4), d("0.1667"));
        assert_eq!(a.status, IndicatorStatus::Behind);
        assert_eq!(t.status(Some((p("2024"), d("0.59")))), IndicatorStatus::Achieved);
    }

    #[test]
    fn no_approved_value_is_no_data() {
        let t = target(Some("1"), "2", Comparator::Ge);
        assert_eq!(t.status(None), IndicatorStatus::NoData);
        assert_eq!(IndicatorStatus::NoData.light(), crate::model::TrafficLight::Grey);
    }

    #[test]
    fn a_missing_baseline_counts_as_zero() {
        let t = target(None, "30", Comparator::Ge);
        assert_eq!(t.progress(d("15")), d("0.5"));
    }

    #[test]
    fn at_risk_lies_between_ten_and_twenty_five_points_below_expected() {
        let t = target(Some("0"), "100", Comparator::Ge);
        // 2023: expected 0.6. 0.45 is 0.15 below: at risk. 0.34 is 0.26 below: behind.
        assert_eq!(t.status(Some((p("2023"), d("45")))), IndicatorStatus::AtRisk);
        assert_eq!(t.status(Some((p("2023"), d("35")))), IndicatorStatus::AtRisk);
        assert_eq!(t.status(Some((p("2023"), d("34")))), IndicatorStatus::Behind);
    }

    #[test]
    fn eq_progress_shrinks_with_distance_from_target() {
        let t = target(Some("10"), "20", Comparator::Eq);
        assert_eq!(t.progress(d("20")), Decimal::ONE);
        assert_eq!(t.progress(d("15")), d("0.5"));
        assert_eq!(t.progress(d("25")), d("0.5"));
        assert_eq!(t.progress(d("40")), Decimal::ZERO);
        let flat = target(Some("20"), "20", Comparator::Eq);
        assert_eq!(flat.progress(d("25")), Decimal::ONE);
    }

    #[test]
    fn quarters_expect_part_of_a_year() {
        let t = target(Some("0"), "100", Comparator::Ge);
        assert_eq!(t.expected(p("2021Q2")), d("0.1"));
        assert_eq!(t.expected(p("2030")), Decimal::ONE);
        assert_eq!(t.expected(p("2019")), Decimal::ZERO);
    }

    #[test]
    fn overdue_only_after_the_due_year_and_only_if_unfinished() {
        let day = |s: &str| NaiveDate::from_str(s).unwrap();
        let due = Deadline::Year(2023);
        assert!(!is_overdue(due, TaskStatus::InProgress, day("2023-12-31")));
        assert!(is_overdue(due, TaskStatus::InProgress, day("2024-01-01")));
        assert!(!is_overdue(due, TaskStatus::Completed, day("2030-01-01")));
        assert!(!is_overdue(Deadline::Ongoing, TaskStatus::NotStarted, day("2030-01-01")));
        assert!(!is_overdue(Deadline::Unstated, TaskStatus::NotStarted, day("2030-01-01")));
    }

    fn decimal() -> impl Strategy<Value = Decimal> {
        (-1_000_000i64..1_000_000i64, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn comparator() -> impl Strategy<Value = Comparator> {
        prop_oneof![Just(Comparator::Ge), Just(Comparator::Le), Just(Comparator::Eq)]
    }

    fn rank(s: IndicatorStatus) -> u8 {
        match s {
            IndicatorStatus::NoData | IndicatorStatus::Behind => 0,
            IndicatorStatus::AtRisk => 1,
            IndicatorStatus::OnTrack => 2,
            IndicatorStatus::Achieved => 3,
        }
    }

    proptest! {
        #[test]
        fn progress_is_always_between_zero_and_one(
            b in proptest::option::of(decimal()), t in decimal(), v in decimal(), c in comparator()
        ) {
            let target = Target { baseline_year: 2020, baseline_value: b, target_year: 2025, target_value: t, comparator: c };
            let progress = target.progress(v);
            prop_assert!(progress >= Decimal::ZERO && progress <= Decimal::ONE);
        }

        #[test]
        fn a_le_indicator_at_or_under_its_target_is_achieved(b in decimal(), t in decimal(), under in 0i64..1000, year in 2020i32..2030) {
            let target = Target { baseline_year: 2020, baseline_value: Some(b), target_year: 2025, target_value: t, comparator: Comparator::Le };
            let v = t - Decimal::from(under);
            prop_assert_eq!(target.status(Some((Period::year(year).unwrap(), v))), IndicatorStatus::Achieved);
        }

        #[test]
        fn more_progress_never_lowers_the_status(
            b in decimal(), span in 1i64..100_000, x in 0i64..200_000, more in 0i64..100_000, year in 2020i32..2030, le in any::<bool>()
        ) {
            // Moving the value towards the target (up for ge, down for le) never worsens the status.
            let (comparator, sign) = if le { (Comparator::Le, -Decimal::ONE) } else { (Comparator::Ge, Decimal::ONE) };
            let t = b + sign * Decimal::from(span);
            let target = Target { baseline_year: 2020, baseline_value: Some(b), target_year: 2025, target_value: t, comparator };
            let period = Period::year(year).unwrap();
            let v1 = b + sign * Decimal::from(x) / Decimal::from(2);
            let v2 = v1 + sign * Decimal::from(more);
            let s1 = target.status(Some((period, v1)));
            let s2 = target.status(Some((period, v2)));
            prop_assert!(rank(s2) >= rank(s1), "{:?} then {:?}", s1, s2);
        }
    }
}
