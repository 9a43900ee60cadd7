//! Excel workbooks: reading an uploaded .xlsx into the tables `table::read` understands, and
//! writing the template and a plan's export with the same sheets and headers.
//!
//! Reading is bounded before anything is unpacked (declared sizes, number of sheets, cells
//! per sheet), and cells are streamed rather than laid out as a rectangle, so a workbook
//! claiming the range A1:XFD1048576 costs only the cells it has.

use super::table::{
    AREA_COLUMNS, AREAS, Column, GUIDE, INDICATOR_COLUMNS, INDICATORS, Origin, PLAN, PLAN_FIELDS, REPORTS, SOURCE,
    SOURCE_COLUMNS, Sheet, TASK_COLUMNS, TASKS, UPDATES,
};
use super::{Finding, Reading};
use calamine::{DataRef, Reader, Xlsx};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};
use shared::api::ReportState;
use shared::model::{Comparator, PlanStatus, TaskStatus, Visibility};
use shared::plan_document::{Due, PlanDocument};
use shared::words::{Language, Word};
use std::collections::BTreeMap;
use std::io::Cursor;

/// What the parts of a workbook may add up to once unpacked.
const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
const MAX_SHEETS: usize = 32;
const MAX_CELLS_PER_SHEET: usize = 400_000;
const MAX_COLUMN: u32 = 64;

/// The zip signature every .xlsx starts with.
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn refuse(message: impl Into<String>) -> Reading {
    Reading {
        document: None,
        warnings: vec![],
        errors: vec![Finding { at: "workbook".into(), message: message.into() }],
    }
}

pub fn read(bytes: &[u8]) -> Reading {
    match sheets(bytes) {
        Ok(sheets) => super::table::read(sheets),
        Err(message) => refuse(message),
    }
}

fn unpacked_size(bytes: &[u8]) -> Result<u64, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a readable .xlsx workbook ({e})"))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| format!("not a readable .xlsx workbook ({e})"))?;
        total = total.saturating_add(part.size());
    }
    Ok(total)
}

pub fn sheets(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    // calamine panics on some malformed cell references (an overflow in its column
    // arithmetic, found by fuzzing, `testdata/calamine-overflow.xlsx`): a workbook that makes
    // it panic is one it cannot read.
    std::panic::catch_unwind(|| sheets_unguarded(bytes))
        .unwrap_or_else(|_| Err("not a readable .xlsx workbook (a malformed cell reference)".into()))
}

fn sheets_unguarded(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let unpacked = unpacked_size(bytes)?;
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(format!("the workbook unpacks to {unpacked} bytes; at most {MAX_UNPACKED_BYTES} are accepted"));
    }
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable .xlsx workbook ({e})"))?;
    let names = workbook.sheet_names();
    if names.len() > MAX_SHEETS {
        return Err(format!("the workbook has {} sheets; at most {MAX_SHEETS} are read", names.len()));
    }
    let mut out = Vec::new();
    for name in names {
        let mut reader =
            workbook.worksheet_cells_reader(&name).map_err(|e| format!("sheet {name:?} cannot be read ({e})"))?;
        let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        let mut cells = 0usize;
        while let Some(cell) = reader.next_cell().map_err(|e| format!("sheet {name:?} cannot be read ({e})"))? {
            let (row, column) = cell.get_position();
            let text = text_of(cell.get_value());
            if text.is_empty() {
                continue;
            }
            cells += 1;
            if cells > MAX_CELLS_PER_SHEET {
                return Err(format!("sheet {name:?} has more than {MAX_CELLS_PER_SHEET} cells"));
            }
            if column >= MAX_COLUMN {
                return Err(format!(
                    "sheet {name:?} has a value in column {}; at most {MAX_COLUMN} columns are read",
                    column + 1
                ));
            }
            let cells = rows.entry(row + 1).or_default();
            let column = column as usize;
            if cells.len() <= column {
                cells.resize(column + 1, String::new());
            }
            cells[column] = text;
        }
        out.push(Sheet { name, origin: Origin::Workbook, rows: rows.into_iter().collect() });
    }
    Ok(out)
}

/// A cell as the text a user would see; numbers in their shortest exact form (229.715, 2025).
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_datetime().map_or_else(|| d.as_f64().to_string(), |d| d.date().to_string()),
        DataRef::Error(e) => format!("#{e}"),
    }
}

/// One approved, pending or rejected report, for the export's 指标填报 sheet.
#[derive(sqlx::FromRow)]
pub struct ReportLine {
    pub code: String,
    pub indicator: String,
    pub period: String,
    pub value: Decimal,
    pub state: String,
    pub note: Option<String>,
    /// None in a public export, which shows no times.
    pub reported_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
}

/// One task update, for the export's 任务进展 sheet.
#[derive(sqlx::FromRow)]
pub struct UpdateLine {
    pub area: String,
    pub seq: i32,
    pub status: String,
    pub percent: Option<Decimal>,
    pub note: Option<String>,
    /// None in a public export, which shows no times.
    pub created_at: Option<DateTime<Utc>>,
}

/// What an export holds besides the plan.
#[derive(Default)]
pub struct History {
    pub reports: Vec<ReportLine>,
    pub updates: Vec<UpdateLine>,
}

/// The import template: the plan's sheets with their headers and nothing else.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    write(None, None, Language::Zh)
}

/// A plan (and its history) as a workbook the import reads back as the same plan; states,
/// statuses and choices are the vocabulary's words in `language` (`shared::words`), which
/// the import reads back as well as the codes.
pub fn export(document: &PlanDocument, history: &History, language: Language) -> Result<Vec<u8>, XlsxError> {
    write(Some(document), Some(history), language)
}

/// Cells the writer fills: text or a number.
enum Value {
    Text(String),
    Number(f64),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

fn number(d: Decimal) -> Value {
    d.to_f64().map_or_else(|| Value::Text(d.to_string()), Value::Number)
}

fn optional(text: Option<&str>) -> Value {
    Value::Text(text.unwrap_or_default().to_owned())
}

struct Formats {
    header: Format,
    required: Format,
    wrap: Format,
}

/// A sheet with a header row of `columns` and then `rows`, frozen under its header.
fn table_sheet(
    worksheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    rows: Vec<Vec<Value>>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    worksheet.set_name(name)?;
    for (i, column) in columns.iter().enumerate() {
        let col = i as u16;
        let format = if column.required { &formats.required } else { &formats.header };
        worksheet.write_string_with_format(0, col, column.header, format)?;
        worksheet.set_column_width(col, column.width)?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.into_iter().enumerate() {
        for (c, value) in row.into_iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match value {
                Value::Text(t) if t.is_empty() => {}
                Value::Text(t) => {
                    worksheet.write_string_with_format(r, c, t, &formats.wrap)?;
                }
                Value::Number(n) => {
                    worksheet.write_number(r, c, n)?;
                }
            }
        }
    }
    Ok(())
}

fn list_validation(
    worksheet: &mut Worksheet,
    column: &str,
    columns: &[Column],
    words: &[&str],
) -> Result<(), XlsxError> {
    if let Some(i) = columns.iter().position(|c| c.key == column) {
        let validation = DataValidation::new().allow_list_strings(words)?;
        worksheet.add_data_validation(1, i as u16, 20_000, i as u16, &validation)?;
    }
    Ok(())
}

fn write(document: Option<&PlanDocument>, history: Option<&History>, language: Language) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats {
        header: Format::new().set_bold().set_background_color(0xE8EEF5),
        required: Format::new().set_bold().set_background_color(0xFCE8C8),
        wrap: Format::new().set_text_wrap(),
    };

    let plan = workbook.add_worksheet();
    plan.set_name(PLAN)?;
    plan.write_string_with_format(0, 0, "项目", &formats.header)?;
    plan.write_string_with_format(0, 1, "内容", &formats.header)?;
    plan.set_column_width(0, 14)?;
    plan.set_column_width(1, 70)?;
    for (i, field) in PLAN_FIELDS.iter().enumerate() {
        let row = i as u32 + 1;
        let format = if field.required { &formats.required } else { &formats.header };
        plan.write_string_with_format(row, 0, field.header, format)?;
        if let Some(doc) = document {
            match plan_value(doc, field.key, language) {
                Value::Text(t) => plan.write_string(row, 1, t)?,
                Value::Number(n) => plan.write_number(row, 1, n)?,
            };
        }
    }
    let row_of = |key: &str| PLAN_FIELDS.iter().position(|f| f.key == key).map_or(0, |p| p as u32 + 1);
    plan.add_data_validation(
        row_of("visibility"),
        1,
        row_of("visibility"),
        1,
        &DataValidation::new()
            .allow_list_strings(&Visibility::ALL.iter().map(|v| v.word(language)).collect::<Vec<_>>())?,
    )?;
    plan.add_data_validation(
        row_of("status"),
        1,
        row_of("status"),
        1,
        &DataValidation::new()
            .allow_list_strings(&PlanStatus::ALL.iter().map(|s| s.word(language)).collect::<Vec<_>>())?,
    )?;

    let areas: Vec<Vec<Value>> = document
        .map(|d| {
            d.areas
                .iter()
                .enumerate()
                .map(|(i, a)| vec![Value::Number(i as f64 + 1.0), a.name.as_str().into()])
                .collect()
        })
        .unwrap_or_default();
    table_sheet(workbook.add_worksheet(), AREAS, &AREA_COLUMNS, areas, &formats)?;

    let indicators: Vec<Vec<Value>> = document
        .map(|d| {
            d.indicators
                .iter()
                .map(|i| {
                    vec![
                        i.code.as_str().into(),
                        i.area.as_str().into(),
                        i.name.as_str().into(),
                        i.unit.as_str().into(),
                        Value::Number(i.baseline_year.into()),
                        i.baseline_value.map_or_else(|| "——".into(), number),
                        Value::Number(i.target_year.into()),
                        number(i.target_value),
                        i.comparator.symbol().into(),
                        optional(i.catalog_key.as_deref()),
                        optional(i.notes.as_deref()),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    let sheet = workbook.add_worksheet();
    table_sheet(sheet, INDICATORS, &INDICATOR_COLUMNS, indicators, &formats)?;
    list_validation(
        sheet,
        "comparator",
        &INDICATOR_COLUMNS,
        &[Comparator::Ge, Comparator::Le, Comparator::Eq].map(|c| c.symbol()),
    )?;

    let tasks: Vec<Vec<Value>> = document
        .map(|d| {
            d.tasks
                .iter()
                .map(|t| {
                    vec![
                        t.area.as_str().into(),
                        Value::Number(t.seq.into()),
                        t.text.as_str().into(),
                        t.lead.join("、").into(),
                        t.responsible.join("、").into(),
                        t.cooperating.join("、").into(),
                        match t.due {
                            Some(Due::Year(y)) => Value::Number(y.into()),
                            Some(Due::Ongoing) => "长期".into(),
                            None => "".into(),
                        },
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    table_sheet(workbook.add_worksheet(), TASKS, &TASK_COLUMNS, tasks, &formats)?;

    if let Some(source) = document.and_then(|d| d.source_text.as_deref()) {
        let lines =
            source.split('\n').enumerate().map(|(i, l)| vec![Value::Number(i as f64 + 1.0), l.into()]).collect();
        table_sheet(workbook.add_worksheet(), SOURCE, &SOURCE_COLUMNS, lines, &formats)?;
    }

    if let Some(history) = history {
        write_history(&mut workbook, history, &formats, language)?;
    }
    write_guide(workbook.add_worksheet(), &formats)?;
    workbook.save_to_buffer()
}

fn plan_value(doc: &PlanDocument, key: &str, language: Language) -> Value {
    match key {
        "title" => doc.title.as_str().into(),
        "issuer" => doc.issuer.as_str().into(),
        "document_number" => optional(doc.document_number.as_deref()),
        "issued_on" => doc.issued_on.to_string().into(),
        "period_start" => Value::Number(doc.period_start.into()),
        "period_end" => Value::Number(doc.period_end.into()),
        "visibility" => doc.visibility.word(language).into(),
        "status" => doc.status.word(language).into(),
        _ => optional(doc.notes.as_deref()),
    }
}

const REPORT_HEADERS: [(&str, f64); 8] = [
    ("编号", 8.0),
    ("指标名称", 36.0),
    ("期间", 10.0),
    ("数值", 12.0),
    ("状态", 10.0),
    ("说明", 30.0),
    ("填报时间", 18.0),
    ("审核意见", 24.0),
];
const UPDATE_HEADERS: [(&str, f64); 6] =
    [("领域", 16.0), ("序号", 6.0), ("状态", 10.0), ("完成%", 8.0), ("说明", 40.0), ("更新时间", 18.0)];

fn headers(worksheet: &mut Worksheet, name: &str, headers: &[(&str, f64)], formats: &Formats) -> Result<(), XlsxError> {
    worksheet.set_name(name)?;
    for (i, (header, width)) in headers.iter().enumerate() {
        worksheet.write_string_with_format(0, i as u16, *header, &formats.header)?;
        worksheet.set_column_width(i as u16, *width)?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_history(
    workbook: &mut Workbook,
    history: &History,
    formats: &Formats,
    language: Language,
) -> Result<(), XlsxError> {
    // The states are stored as codes; people read words.
    let report_state =
        |code: &str| ReportState::from_word(code).map_or(code.to_owned(), |s| s.word(language).to_owned());
    let task_status = |code: &str| TaskStatus::from_word(code).map_or(code.to_owned(), |s| s.word(language).to_owned());
    let stamp = |t: &Option<DateTime<Utc>>| t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
    let sheet = workbook.add_worksheet();
    headers(sheet, REPORTS, &REPORT_HEADERS, formats)?;
    for (i, r) in history.reports.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &r.code)?;
        sheet.write_string(row, 1, &r.indicator)?;
        sheet.write_string(row, 2, &r.period)?;
        match number(r.value) {
            Value::Number(n) => sheet.write_number(row, 3, n)?,
            Value::Text(t) => sheet.write_string(row, 3, t)?,
        };
        sheet.write_string(row, 4, report_state(&r.state))?;
        sheet.write_string(row, 5, r.note.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 6, stamp(&r.reported_at))?;
        sheet.write_string(row, 7, r.decision_reason.as_deref().unwrap_or_default())?;
    }
    let sheet = workbook.add_worksheet();
    headers(sheet, UPDATES, &UPDATE_HEADERS, formats)?;
    for (i, u) in history.updates.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &u.area)?;
        sheet.write_number(row, 1, u.seq)?;
        sheet.write_string(row, 2, task_status(&u.status))?;
        if let Some(p) = u.percent.and_then(|p| p.to_f64()) {
            sheet.write_number(row, 3, p)?;
        }
        sheet.write_string(row, 4, u.note.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 5, stamp(&u.created_at))?;
    }
    Ok(())
}

/// The 说明 sheet: how to fill the others, generated from the same schema the reader uses.
fn write_guide(worksheet: &mut Worksheet, formats: &Formats) -> Result<(), XlsxError> {
    worksheet.set_name(GUIDE)?;
    worksheet.set_column_width(0, 10)?;
    worksheet.set_column_width(1, 14)?;
    worksheet.set_column_width(2, 80)?;
    let lines: [&str; 7] = [
        "填写说明（导入时本页不读取）",
        "1. 规划、指标、任务三页必填；领域页给出领域的顺序，可省略；原文页可粘贴规划原文，每行一格。",
        "2. 橙色表头为必填列。列的顺序可以调整，表头也可用常见同义词（如 牵头部门、一级指标）。",
        "3. 领域单元格留空表示与上一行相同（合并单元格即按此读取）。",
        "4. 数值：\"——\" 表示无数据；目标值前可写 ≥ 或 ≤，也可在“方向”列填写。基期年、目标年留空时取规划起止年。",
        "5. 多个单位之间用顿号（、）分隔；完成时限填年份或“长期”。",
        "6. 先用“试导入”检查：错误会指出工作表、行和列，例如 指标!D5。",
    ];
    for (i, line) in lines.iter().enumerate() {
        let format = if i == 0 { &formats.header } else { &formats.wrap };
        worksheet.write_string_with_format(i as u32, 0, *line, format)?;
    }
    let mut row = lines.len() as u32 + 1;
    for (sheet, columns) in [
        (AREAS, &AREA_COLUMNS[..]),
        (INDICATORS, &INDICATOR_COLUMNS[..]),
        (TASKS, &TASK_COLUMNS[..]),
        (PLAN, &PLAN_FIELDS[..]),
    ] {
        for column in columns {
            worksheet.write_string_with_format(row, 0, sheet, &formats.header)?;
            worksheet.write_string(row, 1, column.header)?;
            let also: Vec<&str> = column.aliases.to_vec();
            let mark = if column.required { "必填" } else { "选填" };
            worksheet.write_string(row, 2, format!("{mark}；也可写作：{}", also.join("、")))?;
            row += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_workbook_that_makes_the_reader_panic_is_refused_with_a_finding() {
        // Two inputs the fuzzer found, making calamine 0.38 panic at two places (an overflow in
        // its cell-reference arithmetic, xlsx/mod.rs:3097 and :3049).
        for bytes in [
            &include_bytes!("testdata/calamine-overflow.xlsx")[..],
            include_bytes!("testdata/calamine-overflow-2.xlsx"),
        ] {
            let reading = read(bytes);
            assert!(reading.document.is_none());
            assert!(
                reading.errors[0].message.starts_with("not a readable .xlsx workbook"),
                "{}",
                reading.errors[0].message
            );
        }
    }

    use super::*;

    #[test]
    fn the_template_reads_back_as_its_empty_sheets() {
        let bytes = template().expect("template");
        assert!(looks_like_xlsx(&bytes));
        let names: Vec<String> = sheets(&bytes).expect("sheets").into_iter().map(|s| s.name).collect();
        assert_eq!(names, [PLAN, AREAS, INDICATORS, TASKS, GUIDE]);
        // Empty: the plan's required fields are reported, named by their cells.
        let reading = read(&bytes);
        assert!(reading.document.is_none());
        assert!(reading.errors.iter().any(|e| e.at == "规划!B2" && e.message.contains("标题")), "{:?}", reading.errors);
    }

    #[test]
    fn bytes_that_are_not_a_workbook_are_refused_with_a_message() {
        for bytes in [&b"PK\x03\x04garbage"[..], b"", b"PK"] {
            let reading = read(bytes);
            assert!(reading.document.is_none());
            assert!(reading.errors[0].message.contains("workbook"), "{:?}", reading.errors);
        }
    }

    fn seed() -> PlanDocument {
        let bundle: shared::plan_document::TenantBundle =
            serde_json::from_str(include_str!("../../seed/qianjiang.json")).expect("seed");
        bundle.plans.into_iter().next().expect("a plan")
    }

    #[test]
    fn the_seed_plan_goes_out_and_comes_back_the_same() {
        let seed = seed();
        let history = History { reports: vec![], updates: vec![] };
        let bytes = export(&seed, &history, Language::Zh).expect("export");
        let reading = read(&bytes);
        assert!(reading.errors.is_empty(), "{:?}", reading.errors);
        assert_eq!(reading.document, Some(seed));
        // The only warnings are about the history sheets, which an import leaves out.
        assert_eq!(reading.warnings.len(), 2, "{:?}", reading.warnings);
    }

    #[test]
    fn damaged_workbooks_are_refused_not_panicked_on() {
        let bytes = export(&seed(), &History { reports: vec![], updates: vec![] }, Language::Zh).expect("export");
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200 {
            let mut copy = bytes.clone();
            for _ in 0..(1 + next() % 8) {
                let i = (next() as usize) % copy.len();
                copy[i] = next() as u8;
            }
            let cut = (next() as usize) % copy.len();
            for candidate in [&copy[..], &copy[..cut]] {
                let reading = read(candidate);
                assert!(reading.document.is_some() || !reading.errors.is_empty());
            }
        }
    }
}
