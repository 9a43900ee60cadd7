//! The plan page's table filters and sorting, read from the URL: which indicators (by status)
//! and tasks (by unit in any role, by deadline) to show, and in what order.

use shared::api::{IndicatorRow, TaskRow};
use shared::model::IndicatorStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As the plan lists them, grouped by area.
    #[default]
    Document,
    /// Indicators by progress, least first (those without data last); tasks as listed.
    Progress,
    /// Tasks by deadline, earliest first (长期 and none last); indicators as listed.
    Deadline,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableFilter {
    pub status: Option<IndicatorStatus>,
    pub unit: Option<String>,
    /// A year, `ongoing` (长期) or `overdue`.
    pub due: Option<String>,
    pub sort: Sort,
}

impl TableFilter {
    /// From the URL's query (unknown values are ignored: the table shows everything).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let nonempty = |name: &str| get(name).filter(|v| !v.is_empty());
        TableFilter {
            status: nonempty("status").and_then(|s| s.parse().ok()),
            unit: nonempty("unit"),
            due: nonempty("due"),
            sort: match nonempty("sort").as_deref() {
                Some("progress") => Sort::Progress,
                Some("deadline") => Sort::Deadline,
                _ => Sort::Document,
            },
        }
    }

    pub fn indicators(&self, rows: &[&IndicatorRow]) -> Vec<IndicatorRow> {
        let mut out: Vec<IndicatorRow> =
            rows.iter().filter(|r| self.status.is_none_or(|s| r.status == s)).map(|r| (*r).clone()).collect();
        if self.sort == Sort::Progress {
            out.sort_by(|a, b| match (a.progress, b.progress) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        out
    }

    pub fn tasks(&self, rows: &[&TaskRow]) -> Vec<TaskRow> {
        let mut out: Vec<TaskRow> = rows
            .iter()
            .filter(|r| self.unit.as_ref().is_none_or(|u| units_of(r).any(|name| name == u)))
            .filter(|r| match self.due.as_deref() {
                None => true,
                Some("overdue") => r.overdue,
                Some("ongoing") => r.ongoing,
                Some(year) => year.parse::<i32>().is_ok_and(|y| r.due_year == Some(y) && !r.ongoing),
            })
            .map(|r| (*r).clone())
            .collect();
        if self.sort == Sort::Deadline {
            out.sort_by_key(|r| if r.ongoing { i32::MAX - 1 } else { r.due_year.unwrap_or(i32::MAX) });
        }
        out
    }
}

fn units_of(task: &TaskRow) -> impl Iterator<Item = &str> {
    task.lead_units.iter().chain(&task.responsible_units).chain(&task.cooperating_units).map(|u| u.name.as_str())
}

/// Every unit named by a task, in order of first appearance: the unit filter's choices.
pub fn unit_list(tasks: &[TaskRow]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in tasks.iter().flat_map(units_of) {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
    }
    out
}

/// The deadlines' years the tasks name, in order: the deadline filter's choices.
pub fn due_years(tasks: &[TaskRow]) -> Vec<i32> {
    let mut years: Vec<i32> = tasks.iter().filter(|t| !t.ongoing).filter_map(|t| t.due_year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::api::UnitRef;
    use shared::model::TaskStatus;
    use uuid::Uuid;

    fn task(seq: i32, lead: &str, due_year: Option<i32>, ongoing: bool, overdue: bool) -> TaskRow {
        TaskRow {
            id: Uuid::nil(),
            seq,
            area: "A".into(),
            text: String::new(),
            due_year,
            ongoing,
            lead_units: vec![UnitRef { id: Uuid::nil(), name: lead.into() }],
            responsible_units: vec![],
            cooperating_units: vec![],
            status: TaskStatus::NotStarted,
            percent: None,
            overdue,
        }
    }

    #[test]
    fn tasks_filter_by_unit_and_deadline_and_sort_by_deadline() {
        let rows = [
            task(1, "甲", Some(2025), false, false),
            task(2, "乙", None, true, false),
            task(3, "甲", Some(2022), false, true),
        ];
        let refs: Vec<&TaskRow> = rows.iter().collect();
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            TableFilter::from_query(move |n| pairs.iter().find(|(k, _)| *k == n).map(|(_, v)| (*v).to_owned()))
        };
        let seqs = |f: TableFilter| f.tasks(&refs).iter().map(|t| t.seq).collect::<Vec<_>>();
        assert_eq!(seqs(query(&[("unit", "甲")])), [1, 3]);
        assert_eq!(seqs(query(&[("due", "overdue")])), [3]);
        assert_eq!(seqs(query(&[("due", "ongoing")])), [2]);
        assert_eq!(seqs(query(&[("due", "2025")])), [1]);
        assert_eq!(seqs(query(&[("sort", "deadline")])), [3, 1, 2]);
        assert_eq!(seqs(query(&[("status", "nonsense"), ("sort", "nonsense")])), [1, 2, 3]);
        assert_eq!(unit_list(&rows), ["甲", "乙"]);
        assert_eq!(due_years(&rows), [2022, 2025]);
    }
}
