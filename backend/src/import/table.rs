//! The plan as tables: the sheets of the Excel template (规划, 领域, 指标, 任务, 原文) and the
//! sections of its CSV form. One schema serves the reader below and the writer in `xlsx`,
//! so the template, the export and the import cannot drift apart.
//!
//! Headers are matched by meaning (Chinese or English, in any order); a blank 领域 cell
//! continues the area above (merged cells read that way); problems name the sheet, row and
//! column (`指标!D5`, or `line 12, column D` in a CSV).

use super::cells::{date, deadline, number, units};
use super::{Finding, Reading};
use shared::model::{Comparator, PlanStatus, Visibility};
use shared::plan_document::{AreaDef, FORMAT, IndicatorDef, PlanDocument, TaskDef};
use shared::words::Word;
use std::collections::HashMap;

pub const PLAN: &str = "规划";
pub const AREAS: &str = "领域";
pub const INDICATORS: &str = "指标";
pub const TASKS: &str = "任务";
pub const SOURCE: &str = "原文";
pub const GUIDE: &str = "说明";
/// Export only: an import does not bring reports or task updates in.
pub const REPORTS: &str = "指标填报";
pub const UPDATES: &str = "任务进展";

/// The English names a sheet may also have.
const SHEET_ALIASES: [(&str, &str); 8] = [
    (PLAN, "plan"),
    (AREAS, "areas"),
    (INDICATORS, "indicators"),
    (TASKS, "tasks"),
    (SOURCE, "source"),
    (GUIDE, "guide"),
    (REPORTS, "reports"),
    (UPDATES, "updates"),
];

/// A column of a sheet: the key the code uses, the header the template writes, and the other
/// headers that mean the same.
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// Width in the template, in characters.
    pub width: f64,
}

const fn col(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    width: f64,
) -> Column {
    Column { key, header, aliases, required, width }
}

/// The 规划 sheet is a list of fields: 项目 in column A, 内容 in column B.
pub const PLAN_FIELDS: [Column; 9] = [
    col("title", "标题", &["规划名称", "名称", "title"], true, 0.0),
    col("issuer", "发文机关", &["印发单位", "issuer"], true, 0.0),
    col("document_number", "文号", &["发文字号", "document_number"], false, 0.0),
    col("issued_on", "印发日期", &["发布日期", "issued_on"], true, 0.0),
    col("period_start", "规划起始年", &["起始年", "period_start"], true, 0.0),
    col("period_end", "规划终止年", &["终止年", "period_end"], true, 0.0),
    col("visibility", "公开范围", &["visibility"], false, 0.0),
    col("status", "状态", &["status"], false, 0.0),
    col("notes", "备注", &["notes"], false, 0.0),
];

pub const AREA_COLUMNS: [Column; 2] =
    [col("position", "序号", &["position"], false, 8.0), col("area", "领域", &["工作类别", "area"], true, 30.0)];

pub const INDICATOR_COLUMNS: [Column; 11] = [
    col("code", "编号", &["指标编号", "code"], false, 8.0),
    col("area", "领域", &["工作类别", "一级指标", "类别", "area"], true, 16.0),
    col("name", "指标名称", &["目标名称", "二级指标", "指标", "name"], true, 36.0),
    col("unit", "单位", &["计量单位", "unit"], true, 10.0),
    col("baseline_year", "基期年", &["baseline_year"], false, 8.0),
    col("baseline_value", "基期值", &["基准值", "现状值", "baseline_value", "baseline"], false, 10.0),
    col("target_year", "目标年", &["target_year"], false, 8.0),
    col("target_value", "目标值", &["预期目标", "规划目标", "target_value", "target"], true, 10.0),
    col("comparator", "方向", &["比较", "comparator"], false, 6.0),
    col("catalog_key", "目录键", &["catalog_key"], false, 24.0),
    col("notes", "备注", &["评价标准", "说明", "notes"], false, 24.0),
];

pub const TASK_COLUMNS: [Column; 7] = [
    col("area", "领域", &["工作类别", "类别", "area"], true, 16.0),
    col("seq", "序号", &["编号", "seq"], false, 6.0),
    col("text", "任务", &["主要任务", "重点任务", "任务内容", "工作任务", "text", "task"], true, 60.0),
    col("lead", "牵头单位", &["牵头部门", "lead"], false, 20.0),
    col("responsible", "责任单位", &["责任部门", "responsible"], false, 24.0),
    col("cooperating", "配合单位", &["配合部门", "cooperating"], false, 24.0),
    col("due", "完成时限", &["时间节点", "完成时间", "时限", "due"], false, 10.0),
];

pub const SOURCE_COLUMNS: [Column; 2] =
    [col("line", "行号", &["line"], true, 8.0), col("text", "内容", &["text"], true, 100.0)];

/// Where a table came from, which decides how a place in it is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Workbook,
    Csv,
}

/// One sheet (or CSV section): its rows with their numbers as the user sees them.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub origin: Origin,
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Excel's column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

impl Sheet {
    fn place(&self, row: u32, column: Option<usize>) -> String {
        match (self.origin, column) {
            (Origin::Workbook, Some(c)) => format!("{}!{}{row}", self.name, column_letter(c)),
            (Origin::Workbook, None) => format!("{}!{row}", self.name),
            (Origin::Csv, Some(c)) => format!("line {row}, column {}", column_letter(c)),
            (Origin::Csv, None) => format!("line {row}"),
        }
    }
}

fn normalise(header: &str) -> String {
    header.chars().filter(|c| !c.is_whitespace() && *c != '*').collect::<String>().to_lowercase()
}

/// The canonical name of a sheet, if it is one of ours.
pub fn canonical_sheet(name: &str) -> Option<&'static str> {
    let n = normalise(name);
    SHEET_ALIASES.iter().find(|(zh, en)| n == *zh || n == *en).map(|(zh, _)| *zh)
}

fn matches(column: &Column, text: &str) -> bool {
    let t = normalise(text);
    t == column.header || column.aliases.iter().any(|a| t == normalise(a))
}

/// A sheet's rows with their columns found: the header is the first non-empty row.
struct Located<'a> {
    sheet: &'a Sheet,
    at: HashMap<&'static str, usize>,
    rows: Vec<&'a (u32, Vec<String>)>,
    /// Years written as value headers (2020年, 2025年目标): the baseline's and the target's.
    years: (Option<i32>, Option<i32>),
}

/// A header that is a year (2020年, 2025年目标值): such columns hold the baseline and the
/// target value, in that order.
fn year_header(text: &str) -> Option<i32> {
    let t = normalise(text);
    let digits = t.trim_end_matches(|c| "年目标值基期".contains(c));
    (digits.len() == 4).then(|| digits.parse().ok()).flatten().filter(|y| (1900..=2200).contains(y))
}

impl<'a> Located<'a> {
    fn new(sheet: &'a Sheet, columns: &[Column], warnings: &mut Vec<Finding>, errors: &mut Vec<Finding>) -> Self {
        let mut rows = sheet.rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
        let mut at = HashMap::new();
        let Some((header_row, header)) = rows.next() else {
            errors.push(Finding { at: sheet.place(1, None), message: "the sheet has no header row".into() });
            return Located { sheet, at, rows: vec![], years: (None, None) };
        };
        let wants_years = columns.iter().any(|c| c.key == "target_value");
        let year_columns: Vec<(usize, i32)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| year_header(h).map(|y| (i, y)))
            .filter(|_| wants_years)
            .collect();
        let mut years = (None, None);
        if let [(b, by), (t, ty)] = year_columns[..] {
            at.insert("baseline_value", b);
            at.insert("target_value", t);
            years = (Some(by), Some(ty));
        }
        for (i, text) in header.iter().enumerate() {
            if text.trim().is_empty() || years.0.is_some() && year_columns.iter().any(|(c, _)| *c == i) {
                continue;
            }
            match columns.iter().find(|c| matches(c, text)) {
                Some(c) if at.contains_key(c.key) => errors.push(Finding {
                    at: sheet.place(*header_row, Some(i)),
                    message: format!("column {:?} appears twice", c.header),
                }),
                Some(c) => {
                    at.insert(c.key, i);
                }
                None => warnings.push(Finding {
                    at: sheet.place(*header_row, Some(i)),
                    message: format!("column {text:?} is not one the import reads; it is ignored"),
                }),
            }
        }
        for c in columns.iter().filter(|c| c.required && !at.contains_key(c.key)) {
            errors.push(Finding {
                at: sheet.place(*header_row, None),
                message: format!("the header row has no column {:?}", c.header),
            });
        }
        Located { sheet, at, rows: rows.collect(), years }
    }

    fn cell<'r>(&self, row: &'r (u32, Vec<String>), key: &str) -> &'r str {
        self.at.get(key).and_then(|&i| row.1.get(i)).map_or("", |s| s.trim())
    }

    fn place(&self, row: &(u32, Vec<String>), key: &str) -> String {
        self.sheet.place(row.0, self.at.get(key).copied())
    }
}

/// Where each document item came from, to name problems the document check finds.
#[derive(Default)]
struct Origins {
    indicators: Vec<(String, u32)>,
    tasks: Vec<(String, u32)>,
    plan: HashMap<&'static str, String>,
}

pub fn read(sheets: Vec<Sheet>) -> Reading {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut by_name: HashMap<&'static str, &Sheet> = HashMap::new();
    for sheet in &sheets {
        match canonical_sheet(&sheet.name) {
            Some(name) if by_name.contains_key(name) => errors.push(Finding {
                at: sheet.place(1, None),
                message: format!("a second {name} sheet; only one is read"),
            }),
            Some(REPORTS | UPDATES) => warnings.push(Finding {
                at: sheet.place(1, None),
                message: "reports and task updates are not imported; only the plan is".into(),
            }),
            Some(GUIDE) => {}
            Some(name) => {
                by_name.insert(name, sheet);
            }
            None => warnings.push(Finding {
                at: sheet.place(1, None),
                message: format!("sheet {:?} is not one the import reads; it is ignored", sheet.name),
            }),
        }
    }
    for required in [PLAN, INDICATORS, TASKS] {
        if !by_name.contains_key(required) {
            errors.push(Finding { at: required.into(), message: format!("the {required} sheet is missing") });
        }
    }
    if !errors.is_empty() {
        return Reading { document: None, warnings, errors };
    }
    let mut origins = Origins::default();
    let head = read_plan(by_name[PLAN], &mut origins, &mut errors);
    let (period_start, period_end) = (head.period_start.unwrap_or(0), head.period_end.unwrap_or(0));
    let mut areas: Vec<AreaDef> = match by_name.get(AREAS) {
        Some(sheet) => read_areas(sheet, &mut warnings, &mut errors),
        None => vec![],
    };
    let listed_areas = by_name.contains_key(AREAS);
    let mut note_area = |name: &str, place: String, warnings: &mut Vec<Finding>| {
        if !name.is_empty() && !areas.iter().any(|a| a.name == name) {
            if listed_areas {
                warnings
                    .push(Finding { at: place, message: format!("area {name:?} is not in the 领域 sheet; added") });
            }
            areas.push(AreaDef { name: name.to_owned() });
        }
    };
    let indicators = read_indicators(
        by_name[INDICATORS],
        (period_start, period_end),
        &mut note_area,
        &mut origins,
        &mut warnings,
        &mut errors,
    );
    let tasks = read_tasks(by_name[TASKS], &mut note_area, &mut origins, &mut warnings, &mut errors);
    let source_text = by_name.get(SOURCE).and_then(|s| read_source(s, &mut errors));
    if !errors.is_empty() {
        return Reading { document: None, warnings, errors };
    }
    let (Some(title), Some(issuer), Some(issued_on)) = (head.title, head.issuer, head.issued_on) else {
        return Reading { document: None, warnings, errors };
    };
    let document = PlanDocument {
        format: FORMAT.to_owned(),
        title,
        issuer,
        document_number: head.document_number,
        issued_on,
        period_start,
        period_end,
        // Unless the sheet says otherwise, an imported plan is an internal draft: nothing is
        // shown to the public before an admin publishes it.
        visibility: head.visibility.unwrap_or(Visibility::Internal),
        status: head.status.unwrap_or(PlanStatus::Draft),
        notes: head.notes,
        source_text,
        areas,
        indicators,
        tasks,
    };
    let problems: Vec<Finding> = document
        .problems()
        .into_iter()
        .map(|p| Finding { at: origins.locate(&p.path, &by_name), message: p.message })
        .collect();
    if problems.is_empty() {
        Reading { document: Some(document), warnings, errors }
    } else {
        Reading { document: None, warnings, errors: problems }
    }
}

impl Origins {
    /// `indicators[3].unit` → `指标!D7`: the document check's path as a place in the tables.
    fn locate(&self, path: &str, sheets: &HashMap<&'static str, &Sheet>) -> String {
        let (list, rest) = path.split_once('[').unwrap_or((path, ""));
        let index: Option<usize> = rest.split(']').next().and_then(|i| i.parse().ok());
        let field = rest.split_once("].").map(|(_, f)| f.split('[').next().unwrap_or(f)).unwrap_or("");
        let found = match list {
            "indicators" => index.and_then(|i| self.indicators.get(i)).map(|(sheet, row)| (sheet, *row)),
            "tasks" => index.and_then(|i| self.tasks.get(i)).map(|(sheet, row)| (sheet, *row)),
            _ => None,
        };
        match found {
            Some((sheet, row)) => {
                let table = sheets.values().find(|s| &s.name == sheet);
                let columns: &[Column] = if list == "indicators" { &INDICATOR_COLUMNS } else { &TASK_COLUMNS };
                let column = table.and_then(|t| header_index(t, columns, field));
                table.map_or_else(|| path.to_owned(), |t| t.place(row, column))
            }
            None => self.plan.get(path).cloned().unwrap_or_else(|| path.to_owned()),
        }
    }
}

/// The index of the column `key` in a sheet's header row.
fn header_index(sheet: &Sheet, columns: &[Column], key: &str) -> Option<usize> {
    let column = columns.iter().find(|c| c.key == key)?;
    let (_, header) = sheet.rows.iter().find(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))?;
    header.iter().position(|h| matches(column, h))
}

#[derive(Default)]
struct PlanHead {
    title: Option<String>,
    issuer: Option<String>,
    document_number: Option<String>,
    issued_on: Option<chrono::NaiveDate>,
    period_start: Option<i32>,
    period_end: Option<i32>,
    visibility: Option<Visibility>,
    status: Option<PlanStatus>,
    notes: Option<String>,
}

fn read_plan(sheet: &Sheet, origins: &mut Origins, errors: &mut Vec<Finding>) -> PlanHead {
    let mut head = PlanHead::default();
    let mut filled = Vec::new();
    for (row, cells) in &sheet.rows {
        let label = cells.first().map_or("", |s| s.trim());
        let value = cells.get(1).map_or("", |s| s.trim());
        let Some(field) = PLAN_FIELDS.iter().find(|f| matches(f, label)) else { continue };
        let at = sheet.place(*row, Some(1));
        origins.plan.insert(field.key, at.clone());
        if value.is_empty() {
            continue;
        }
        filled.push(field.key);
        let text = Some(value.to_owned());
        let bad = |what: &str| Finding { at: at.clone(), message: format!("{value:?} is not {what}") };
        match field.key {
            "title" => head.title = text,
            "issuer" => head.issuer = text,
            "document_number" => head.document_number = text,
            "notes" => head.notes = text,
            "issued_on" => match date(value) {
                Some(d) => head.issued_on = Some(d),
                None => errors.push(bad("a date (2022-01-11 or 2022年1月11日)")),
            },
            "period_start" | "period_end" => match year(value) {
                Some(y) if field.key == "period_start" => head.period_start = Some(y),
                Some(y) => head.period_end = Some(y),
                None => errors.push(bad("a year")),
            },
            // The vocabulary's words in either language, or the codes.
            "visibility" => match Visibility::from_word(value) {
                Some(v) => head.visibility = Some(v),
                None => errors.push(bad("公开 or 内部")),
            },
            _ => match PlanStatus::from_word(value).or(match value {
                "发布" => Some(PlanStatus::Published),
                "归档" => Some(PlanStatus::Archived),
                _ => None,
            }) {
                Some(s) => head.status = Some(s),
                None => errors.push(bad("草稿, 已发布 or 已归档")),
            },
        }
    }
    for field in PLAN_FIELDS.iter().filter(|f| f.required) {
        let place = origins.plan.get(field.key).cloned().unwrap_or_else(|| sheet.name.clone());
        if !filled.contains(&field.key) {
            errors.push(Finding { at: place, message: format!("{} is required", field.header) });
        }
    }
    head
}

fn year(text: &str) -> Option<i32> {
    text.trim().trim_end_matches('年').parse().ok().filter(|y| (1900..=2200).contains(y))
}

fn read_areas(sheet: &Sheet, warnings: &mut Vec<Finding>, errors: &mut Vec<Finding>) -> Vec<AreaDef> {
    let table = Located::new(sheet, &AREA_COLUMNS, warnings, errors);
    let mut areas: Vec<AreaDef> = Vec::new();
    for row in &table.rows {
        let name = table.cell(row, "area");
        if name.is_empty() {
            warnings.push(Finding { at: table.place(row, "area"), message: "a row without an area name".into() });
        } else if !areas.iter().any(|a| a.name == name) {
            areas.push(AreaDef { name: name.to_owned() });
        }
    }
    areas
}

fn read_indicators(
    sheet: &Sheet,
    (period_start, period_end): (i32, i32),
    note_area: &mut impl FnMut(&str, String, &mut Vec<Finding>),
    origins: &mut Origins,
    warnings: &mut Vec<Finding>,
    errors: &mut Vec<Finding>,
) -> Vec<IndicatorDef> {
    let table = Located::new(sheet, &INDICATOR_COLUMNS, warnings, errors);
    let mut out: Vec<IndicatorDef> = Vec::new();
    let mut area = String::new();
    let mut counters: HashMap<String, usize> = HashMap::new();
    let mut area_numbers: Vec<String> = Vec::new();
    for row in &table.rows {
        let written = table.cell(row, "area");
        if !written.is_empty() {
            area = written.to_owned();
        }
        note_area(&area, table.place(row, "area"), warnings);
        if !area_numbers.contains(&area) {
            area_numbers.push(area.clone());
        }
        let (target, target_comparator) = match number(table.cell(row, "target_value")) {
            Ok((Some(v), c)) => (v, c),
            Ok((None, _)) => {
                errors.push(Finding {
                    at: table.place(row, "target_value"),
                    message: "a target value is required".into(),
                });
                continue;
            }
            Err(message) => {
                errors.push(Finding { at: table.place(row, "target_value"), message });
                continue;
            }
        };
        let baseline = match number(table.cell(row, "baseline_value")) {
            Ok((v, _)) => v,
            Err(message) => {
                errors.push(Finding { at: table.place(row, "baseline_value"), message });
                continue;
            }
        };
        let comparator = match table.cell(row, "comparator") {
            "" => target_comparator.unwrap_or(Comparator::Ge),
            "≥" | ">=" | "ge" | "不低于" | "不少于" => Comparator::Ge,
            "≤" | "<=" | "le" | "不高于" | "不超过" => Comparator::Le,
            "=" | "eq" | "等于" => Comparator::Eq,
            other => {
                errors.push(Finding {
                    at: table.place(row, "comparator"),
                    message: format!("{other:?} is not ≥, ≤ or ="),
                });
                continue;
            }
        };
        let year_or = |key: &str, default: i32, errors: &mut Vec<Finding>| match table.cell(row, key) {
            "" => Some(default),
            text => year(text).or_else(|| {
                errors.push(Finding { at: table.place(row, key), message: format!("{text:?} is not a year") });
                None
            }),
        };
        let (Some(baseline_year), Some(target_year)) = (
            year_or("baseline_year", table.years.0.unwrap_or(period_start - 1), errors),
            year_or("target_year", table.years.1.unwrap_or(period_end), errors),
        ) else {
            continue;
        };
        let n = counters.entry(area.clone()).or_default();
        *n += 1;
        let area_number = area_numbers.iter().position(|a| *a == area).map_or(0, |p| p + 1);
        let code = match table.cell(row, "code") {
            "" => format!("{area_number}.{n}"),
            written => written.to_owned(),
        };
        let optional = |key: &str| Some(table.cell(row, key)).filter(|s| !s.is_empty()).map(str::to_owned);
        origins.indicators.push((sheet.name.clone(), row.0));
        out.push(IndicatorDef {
            code,
            area: area.clone(),
            name: table.cell(row, "name").to_owned(),
            unit: table.cell(row, "unit").to_owned(),
            baseline_year,
            baseline_value: baseline,
            target_year,
            target_value: target,
            comparator,
            catalog_key: optional("catalog_key"),
            notes: optional("notes"),
        });
    }
    out
}

fn read_tasks(
    sheet: &Sheet,
    note_area: &mut impl FnMut(&str, String, &mut Vec<Finding>),
    origins: &mut Origins,
    warnings: &mut Vec<Finding>,
    errors: &mut Vec<Finding>,
) -> Vec<TaskDef> {
    let table = Located::new(sheet, &TASK_COLUMNS, warnings, errors);
    let mut out: Vec<TaskDef> = Vec::new();
    let mut area = String::new();
    for row in &table.rows {
        let written = table.cell(row, "area");
        if !written.is_empty() {
            area = written.to_owned();
        }
        note_area(&area, table.place(row, "area"), warnings);
        let seq = match table.cell(row, "seq") {
            "" => out.iter().filter(|t| t.area == area).map(|t| t.seq).max().unwrap_or(0) + 1,
            text => match text.trim_end_matches(['.', '、']).parse::<i32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(Finding { at: table.place(row, "seq"), message: format!("{text:?} is not a number") });
                    continue;
                }
            },
        };
        let due = match table.cell(row, "due") {
            "" => None,
            text => match deadline(text) {
                Some(due) => Some(due),
                None => {
                    errors.push(Finding {
                        at: table.place(row, "due"),
                        message: format!("{text:?} is neither a year nor 长期"),
                    });
                    continue;
                }
            },
        };
        origins.tasks.push((sheet.name.clone(), row.0));
        out.push(TaskDef {
            area: area.clone(),
            seq,
            text: table.cell(row, "text").to_owned(),
            due,
            lead: units(table.cell(row, "lead")),
            responsible: units(table.cell(row, "responsible")),
            cooperating: units(table.cell(row, "cooperating")),
        });
    }
    out
}

/// The 原文 sheet: numbered lines, joined back exactly (the numbers keep trailing blank lines).
fn read_source(sheet: &Sheet, errors: &mut Vec<Finding>) -> Option<String> {
    let mut lines: Vec<Option<&str>> = Vec::new();
    let mut header_seen = false;
    for (row, cells) in &sheet.rows {
        let number = cells.first().map_or("", |s| s.trim());
        if !header_seen {
            header_seen = !number.is_empty();
            continue;
        }
        let Ok(n) = number.parse::<usize>() else {
            if !number.is_empty() {
                errors.push(Finding {
                    at: sheet.place(*row, Some(0)),
                    message: format!("{number:?} is not a line number"),
                });
            }
            continue;
        };
        if n == 0 || n > shared::plan_document::MAX_SOURCE_CHARS {
            errors
                .push(Finding { at: sheet.place(*row, Some(0)), message: format!("line number {n} is out of range") });
            continue;
        }
        if lines.len() < n {
            lines.resize(n, None);
        }
        lines[n - 1] = Some(cells.get(1).map_or("", String::as_str));
    }
    (!lines.is_empty()).then(|| lines.iter().map(|l| l.unwrap_or("")).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::plan_document::Due;

    fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: name.into(),
            origin: Origin::Workbook,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (i as u32 + 1, r.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
        }
    }

    fn plan_sheet() -> Sheet {
        sheet(
            PLAN,
            &[
                &["项目", "内容"],
                &["标题", "示例规划"],
                &["发文机关", "示例区人民政府"],
                &["印发日期", "2023年3月1日"],
                &["规划起始年", "2023"],
                &["规划终止年", "2027"],
            ],
        )
    }

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!([0, 25, 26, 27, 701].map(column_letter), ["A", "Z", "AA", "AB", "ZZ"]);
    }

    #[test]
    fn headers_in_another_order_and_blank_areas_continue() {
        let indicators = sheet(
            "Indicators",
            &[
                &["目标值", "指标名称", "一级指标", "单位", "基期值"],
                &["≤0.5", "单位能耗", "绿色", "吨标煤/万元", "0.6"],
                &["30", "研发投入", "", "亿元", "——"],
            ],
        );
        let tasks = sheet(
            TASKS,
            &[&["领域", "任务", "牵头部门", "完成时限"], &["绿色", "建设园区", "区经信委、区发改委", "长期"]],
        );
        let reading = read(vec![plan_sheet(), indicators, tasks]);
        assert!(reading.errors.is_empty(), "{:?}", reading.errors);
        let doc = reading.document.expect("a document");
        assert_eq!(doc.indicators[1].area, "绿色");
        assert_eq!(doc.indicators[0].comparator, Comparator::Le);
        assert_eq!((doc.indicators[0].baseline_year, doc.indicators[0].target_year), (2022, 2027));
        assert_eq!(doc.indicators[1].baseline_value, None);
        assert_eq!(doc.indicators[1].code, "1.2");
        assert_eq!(doc.tasks[0].lead, ["区经信委", "区发改委"]);
        assert_eq!(doc.tasks[0].due, Some(Due::Ongoing));
        assert_eq!(doc.tasks[0].area, "绿色");
    }

    #[test]
    fn problems_name_sheet_row_and_column() {
        let indicators = sheet(
            INDICATORS,
            &[&["领域", "指标名称", "单位", "目标值"], &["A", "x", "个", "很多"], &["A", "y", "个", "5"]],
        );
        let tasks = sheet(TASKS, &[&["领域", "任务", "完成时限"], &["A", "t", "明年"]]);
        let reading = read(vec![plan_sheet(), indicators, tasks]);
        let places: Vec<&str> = reading.errors.iter().map(|f| f.at.as_str()).collect();
        assert_eq!(places, ["指标!D2", "任务!C2"]);
        assert!(reading.document.is_none());
    }

    #[test]
    fn missing_sheets_and_columns_are_errors() {
        let reading = read(vec![plan_sheet()]);
        assert_eq!(reading.errors.len(), 2);
        let indicators = sheet(INDICATORS, &[&["领域", "指标名称"]]);
        let tasks = sheet(TASKS, &[&["领域", "任务"]]);
        let reading = read(vec![plan_sheet(), indicators, tasks]);
        let messages: Vec<&str> = reading.errors.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["the header row has no column \"单位\"", "the header row has no column \"目标值\""]);
    }

    #[test]
    fn source_lines_come_back_exactly() {
        let source = sheet(SOURCE, &[&["行号", "内容"], &["1", "第一行"], &["3", ""], &["2", "  缩进"]]);
        let mut errors = vec![];
        assert_eq!(read_source(&source, &mut errors).as_deref(), Some("第一行\n  缩进\n"));
        assert!(errors.is_empty());
    }
}
