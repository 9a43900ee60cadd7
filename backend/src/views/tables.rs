//! The tables people see, as files (docs/api.md): CSV and Excel of a plan's indicators and
//! tasks, an indicator's reports, the audit trail and the region comparison. Headers are
//! words for people in their language by default, or the machine-stable keys the JSON uses
//! (`HeaderStyle::Keys`); statuses are the vocabulary's words (`shared::words`).
//!
//! CSV is UTF-8 with a byte-order mark, so Excel opens it as Chinese text. A text cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so no
//! spreadsheet takes it for a formula (OWASP's advice on CSV injection); numbers are written
//! as numbers. In Excel files text is written as text cells, which no spreadsheet evaluates.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Asia::Shanghai;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use shared::api::{AuditEvent, CatalogRow, IndicatorRow, ReportRow, TaskRow, TenantComparison, UnitRef};
use shared::words::{Language, Word, overdue};

/// One cell: text, a number, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A share (0–1), shown as a percentage in Excel.
    Share(f64),
    Empty,
}

/// A column: its key (as in the JSON) and its header for people.
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn col(key: &'static str, zh: &'static str, en: &'static str) -> Column {
    Column { key, zh, en }
}

/// What the header row says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderStyle {
    /// Words for people, in the table's language.
    #[default]
    Words,
    /// The keys the JSON uses, the same in every language and release.
    Keys,
}

/// A kind of row that can be a table row.
pub trait Tabular {
    /// The sheet's name, and the file name's stem.
    const NAME: &'static str;
    const COLUMNS: &'static [Column];
    fn cells(&self, language: Language) -> Vec<Cell>;
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn optional_text(s: &Option<String>) -> Cell {
    s.as_ref().map_or(Cell::Empty, |s| text(s.as_str()))
}

fn decimal(d: Option<Decimal>) -> Cell {
    d.and_then(|d| d.to_f64()).map_or(Cell::Empty, Cell::Number)
}

fn share(p: Option<f64>) -> Cell {
    p.map_or(Cell::Empty, Cell::Share)
}

/// A time as people here read it: in China's time, to the second, with its offset.
fn time(t: &DateTime<Utc>) -> Cell {
    text(t.with_timezone(&Shanghai).to_rfc3339_opts(SecondsFormat::Secs, false))
}

fn units(units: &[UnitRef]) -> Cell {
    text(units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、"))
}

fn yes_no(value: bool, language: Language) -> Cell {
    text(match (value, language) {
        (true, Language::Zh) => "是",
        (false, Language::Zh) => "否",
        (true, Language::En) => "Yes",
        (false, Language::En) => "No",
    })
}

impl Tabular for IndicatorRow {
    const NAME: &'static str = "indicators";
    const COLUMNS: &'static [Column] = &[
        col("code", "编号", "Code"),
        col("area", "领域", "Area"),
        col("name", "指标名称", "Indicator"),
        col("unit", "单位", "Unit"),
        col("baseline_year", "基期年", "Baseline year"),
        col("baseline_value", "基期值", "Baseline"),
        col("target_year", "目标年", "Target year"),
        col("target_value", "目标值", "Target"),
        col("comparator", "方向", "Direction"),
        col("latest_period", "最新期别", "Latest period"),
        col("latest_value", "最新值", "Latest value"),
        col("progress", "完成进度", "Progress"),
        col("status", "状态", "Status"),
        col("catalog_key", "目录键", "Catalog key"),
        col("id", "编码", "ID"),
    ];
    fn cells(&self, language: Language) -> Vec<Cell> {
        vec![
            text(&*self.code),
            text(&*self.area),
            text(&*self.name),
            text(&*self.unit),
            Cell::Number(f64::from(self.baseline_year)),
            decimal(self.baseline_value),
            Cell::Number(f64::from(self.target_year)),
            decimal(Some(self.target_value)),
            text(self.comparator.word(language)),
            self.latest.as_ref().map_or(Cell::Empty, |l| text(l.period.to_string())),
            decimal(self.latest.as_ref().map(|l| l.value)),
            share(self.progress),
            text(self.status.word(language)),
            optional_text(&self.catalog_key),
            text(self.id.to_string()),
        ]
    }
}

impl Tabular for TaskRow {
    const NAME: &'static str = "tasks";
    const COLUMNS: &'static [Column] = &[
        col("seq", "序号", "No."),
        col("area", "领域", "Area"),
        col("text", "主要内容", "Task"),
        col("due_year", "完成时限", "Deadline"),
        col("lead_units", "牵头单位", "Lead units"),
        col("responsible_units", "责任单位", "Responsible units"),
        col("cooperating_units", "配合单位", "Cooperating units"),
        col("status", "状态", "Status"),
        col("percent", "完成比例（%）", "Percent done"),
        col("overdue", "已逾期", "Overdue"),
        col("id", "编码", "ID"),
    ];
    fn cells(&self, language: Language) -> Vec<Cell> {
        let deadline = match (self.due_year, self.ongoing, language) {
            (_, true, Language::Zh) => text("长期"),
            (_, true, Language::En) => text("Ongoing"),
            (Some(year), false, _) => Cell::Number(f64::from(year)),
            (None, false, _) => Cell::Empty,
        };
        vec![
            Cell::Number(f64::from(self.seq)),
            text(&*self.area),
            text(&*self.text),
            deadline,
            units(&self.lead_units),
            units(&self.responsible_units),
            units(&self.cooperating_units),
            text(self.status.word(language)),
            decimal(self.percent),
            if self.overdue { text(overdue(language)) } else { Cell::Empty },
            text(self.id.to_string()),
        ]
    }
}

impl Tabular for ReportRow {
    const NAME: &'static str = "reports";
    const COLUMNS: &'static [Column] = &[
        col("period", "期别", "Period"),
        col("value", "数值", "Value"),
        col("state", "状态", "State"),
        col("note", "说明", "Note"),
        col("source", "数据来源", "Source"),
        col("reported_by", "填报人", "Reported by"),
        col("reported_at", "填报时间", "Reported at"),
        col("decided_by", "审核人", "Decided by"),
        col("decided_at", "审核时间", "Decided at"),
        col("decision_reason", "退回原因", "Reason returned"),
        col("supersedes", "更正的填报", "Corrects"),
        col("id", "编码", "ID"),
    ];
    fn cells(&self, language: Language) -> Vec<Cell> {
        vec![
            text(self.period.to_string()),
            decimal(Some(self.value)),
            text(self.state.word(language)),
            optional_text(&self.note),
            optional_text(&self.source),
            optional_text(&self.reported_by),
            time(&self.reported_at),
            optional_text(&self.decided_by),
            self.decided_at.as_ref().map_or(Cell::Empty, time),
            optional_text(&self.decision_reason),
            self.supersedes.map_or(Cell::Empty, |id| text(id.to_string())),
            text(self.id.to_string()),
        ]
    }
}

impl Tabular for AuditEvent {
    const NAME: &'static str = "audit";
    const COLUMNS: &'static [Column] = &[
        col("id", "序号", "No."),
        col("occurred_at", "时间", "Time"),
        col("actor_email", "操作人", "By"),
        col("token", "API 令牌", "API token"),
        col("action", "操作", "Action"),
        col("entity", "对象", "Entity"),
        col("entity_id", "对象编码", "Entity ID"),
        col("before", "修改前", "Before"),
        col("after", "修改后", "After"),
    ];
    fn cells(&self, _: Language) -> Vec<Cell> {
        let json = |v: &Option<serde_json::Value>| v.as_ref().map_or(Cell::Empty, |v| text(v.to_string()));
        vec![
            Cell::Number(self.id as f64),
            time(&self.occurred_at),
            optional_text(&self.actor_email),
            optional_text(&self.token),
            text(&*self.action),
            text(&*self.entity),
            optional_text(&self.entity_id),
            json(&self.before),
            json(&self.after),
        ]
    }
}

impl Tabular for TenantComparison {
    const NAME: &'static str = "comparison";
    const COLUMNS: &'static [Column] = &[
        col("slug", "区县代码", "District code"),
        col("name", "区县", "District"),
        col("is_demo", "示例数据", "Demo data"),
        col("indicators.total", "指标数", "Indicators"),
        col("indicators.achieved", "已达标", "Achieved"),
        col("indicators.on_track", "进度正常", "On track"),
        col("indicators.at_risk", "有风险", "At risk"),
        col("indicators.behind", "滞后", "Behind"),
        col("indicators.no_data", "暂无数据", "No data"),
        col("mean_progress", "平均进度", "Mean progress"),
        col("tasks.total", "任务数", "Tasks"),
        col("tasks.completed", "已完成", "Completed"),
        col("tasks.overdue", "已逾期", "Overdue"),
        col("task_completion", "任务完成率", "Task completion"),
    ];
    fn cells(&self, language: Language) -> Vec<Cell> {
        let n = |v: i64| Cell::Number(v as f64);
        let i = &self.indicators;
        vec![
            text(&*self.slug),
            text(&*self.name),
            yes_no(self.is_demo, language),
            n(i.total),
            n(i.achieved),
            n(i.on_track),
            n(i.at_risk),
            n(i.behind),
            n(i.no_data),
            share(self.mean_progress),
            n(self.tasks.total),
            n(self.tasks.completed),
            n(self.tasks.overdue),
            share(self.task_completion),
        ]
    }
}

impl Tabular for CatalogRow {
    const NAME: &'static str = "comparison";
    const COLUMNS: &'static [Column] = &[
        col("tenant", "区县代码", "District code"),
        col("tenant_name", "区县", "District"),
        col("is_demo", "示例数据", "Demo data"),
        col("indicator_name", "指标名称（各区原文）", "Indicator (as each district names it)"),
        col("unit", "单位", "Unit"),
        col("baseline_year", "基期年", "Baseline year"),
        col("baseline_value", "基期值", "Baseline"),
        col("target_year", "目标年", "Target year"),
        col("target_value", "目标值", "Target"),
        col("latest_period", "最新期别", "Latest period"),
        col("latest_value", "最新值", "Latest value"),
        col("progress", "完成进度", "Progress"),
        col("status", "状态", "Status"),
    ];
    fn cells(&self, language: Language) -> Vec<Cell> {
        vec![
            text(&*self.tenant),
            text(&*self.tenant_name),
            yes_no(self.is_demo, language),
            text(&*self.indicator_name),
            text(&*self.unit),
            Cell::Number(f64::from(self.baseline_year)),
            decimal(self.baseline_value),
            Cell::Number(f64::from(self.target_year)),
            decimal(Some(self.target_value)),
            self.latest.as_ref().map_or(Cell::Empty, |l| text(l.period.to_string())),
            decimal(self.latest.as_ref().map(|l| l.value)),
            share(self.progress),
            text(self.status.word(language)),
        ]
    }
}

/// Rows as a table in `language`.
pub struct Table {
    pub name: &'static str,
    columns: &'static [Column],
    rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn of<T: Tabular>(items: &[T], language: Language) -> Table {
        Table { name: T::NAME, columns: T::COLUMNS, rows: items.iter().map(|item| item.cells(language)).collect() }
    }

    fn header(&self, style: HeaderStyle, language: Language) -> Vec<&'static str> {
        self.columns
            .iter()
            .map(|c| match (style, language) {
                (HeaderStyle::Keys, _) => c.key,
                (HeaderStyle::Words, Language::Zh) => c.zh,
                (HeaderStyle::Words, Language::En) => c.en,
            })
            .collect()
    }

    /// The table as CSV: UTF-8 with a byte-order mark, CRLF line ends (RFC 4180).
    pub fn csv(&self, style: HeaderStyle, language: Language) -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        let mut line = |fields: Vec<String>| {
            let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
            out.extend_from_slice(quoted.join(",").as_bytes());
            out.extend_from_slice(b"\r\n");
        };
        line(self.header(style, language).into_iter().map(str::to_owned).collect());
        for row in &self.rows {
            line(row.iter().map(csv_field).collect());
        }
        out
    }

    /// The table as an Excel workbook of one sheet: a bold header row that stays in view,
    /// numbers as numbers, shares as percentages.
    pub fn xlsx(&self, style: HeaderStyle, language: Language) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.name)?;
        let bold = Format::new().set_bold().set_background_color(0xE8EEF5);
        let percent = Format::new().set_num_format("0.0%");
        for (c, header) in self.header(style, language).into_iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, c, header, &bold)?;
            sheet.set_column_width(c, 14)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t)?,
                    Cell::Number(n) => sheet.write_number(r, c, *n)?,
                    Cell::Share(p) => sheet.write_number_with_format(r, c, *p, &percent)?,
                    Cell::Empty => continue,
                };
            }
        }
        workbook.save_to_buffer()
    }
}

/// A cell as CSV text: numbers as they are, text disarmed against formula injection.
fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
        Cell::Text(t) => t.clone(),
        Cell::Number(n) | Cell::Share(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

/// A field quoted when it holds a comma, a quote or a line break (RFC 4180).
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_take_for_a_formula_is_disarmed_and_numbers_are_not() {
        for formula in ["=1+1", "+86 23", "-2+3", "@SUM(A1)", "\t=x"] {
            assert!(csv_field(&text(formula)).starts_with('\''), "{formula}");
        }
        assert_eq!(csv_field(&Cell::Number(-0.5)), "-0.5");
        assert_eq!(csv_field(&text("区发展改革委")), "区发展改革委");
        assert_eq!(quote("a,\"b\""), "\"a,\"\"b\"\"\"");
    }

    #[test]
    fn a_csv_opens_in_excel_as_utf8_with_words_or_keys_in_its_header() {
        const COLUMNS: &[Column] = &[col("status", "状态", "Status")];
        let table =
            Table {
                name: "t", columns: COLUMNS, rows: vec![vec![text("进度正常")], vec![text("=HYPERLINK(\"x\")")]]
            };
        let words = String::from_utf8(table.csv(HeaderStyle::Words, Language::Zh)).unwrap_or_default();
        assert_eq!(words, "\u{feff}状态\r\n进度正常\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n");
        let keys = String::from_utf8(table.csv(HeaderStyle::Keys, Language::En)).unwrap_or_default();
        assert!(keys.starts_with("\u{feff}status\r\n"));
    }
}
