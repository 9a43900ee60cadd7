//! The published-text reader: a plan as government offices publish it (like
//! `backend/seed/qianjiang.json`'s source), pasted as text. It reads the family, not one
//! sample:
//! - the notice's issuer, the plan title (《…》, across line breaks), the date (2022年1月11日),
//!   and 此件公开发布 for visibility;
//! - tables flattened one cell per tab-led line (cells may span lines; blank lines between
//!   rows are optional), tab-separated rows, or rows with ` | ` separators;
//! - columns recognised by meaning, in any order (目标名称/指标名称/二级指标, 工作类别/一级指标,
//!   单位, 2020年/基期值, 2025年/目标值, 序号, 主要任务/重点任务, 牵头单位/牵头部门,
//!   责任单位/责任部门, 配合单位, 完成时限/时间节点, 备注);
//! - category cells left empty on continuation rows, group heading rows (一、…), "——" for an
//!   empty value, ≤/≥ before a target, targets in words (kept as a warning: not measurable);
//! - body paragraphs (（一）…) under a numbered heading (三、主要任务) that end with a unit list
//!   （牵头单位：…；配合单位：…）, each heading an area.
//!
//! What it cannot place becomes a warning with its line number; no row is dropped silently.

use super::cells::{date, deadline, number, units};
use super::{Finding, Reading};
use shared::model::{Comparator, PlanStatus, Visibility};
use shared::plan_document::{AreaDef, FORMAT, IndicatorDef, PlanDocument, TaskDef};

/// A table cell with the line it starts on.
#[derive(Debug, Clone)]
struct Cell {
    line: usize,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Category,
    Name,
    Unit,
    Baseline(Option<i32>),
    Target(Option<i32>),
    Notes,
    Seq,
    Task,
    Lead,
    Responsible,
    Cooperating,
    Deadline,
}

/// What a header cell means, if anything.
fn column_of(header: &str) -> Option<Column> {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    let year = h.strip_suffix('年').and_then(|y| y.parse::<i32>().ok()).filter(|y| (1990..=2100).contains(y));
    Some(match h.as_str() {
        _ if year.is_some() => return None, // decided by position among the year columns
        "工作类别" | "类别" | "一级指标" | "领域" | "类型" | "指标类别" => Column::Category,
        "目标名称" | "指标名称" | "二级指标" | "指标" | "主要指标" => Column::Name,
        "单位" | "计量单位" => Column::Unit,
        "基期值" | "基准值" | "现状值" | "基期" | "基数" => Column::Baseline(None),
        "目标值" | "目标" | "规划目标" | "预期目标" => Column::Target(None),
        "备注" | "评价标准" | "说明" | "属性" => Column::Notes,
        "序号" | "编号" => Column::Seq,
        "主要任务" | "重点任务" | "任务内容" | "工作任务" | "任务" | "具体任务" => Column::Task,
        "牵头单位" | "牵头部门" => Column::Lead,
        "责任单位" | "责任部门" => Column::Responsible,
        "配合单位" | "配合部门" => Column::Cooperating,
        "完成时限" | "时间节点" | "完成时间" | "时限" => Column::Deadline,
        _ => return None,
    })
}

/// A value column headed by its year: 2020年, 2025年目标, 2020年基数, 2025 目标值.
fn year_header(header: &str) -> Option<i32> {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = h.chars().take_while(char::is_ascii_digit).collect();
    let rest = h[digits.len()..].trim_start_matches('年');
    let known = ["", "目标", "目标值", "基数", "基期", "基期值", "现状", "现状值", "预期", "预期值"];
    (digits.len() == 4 && known.contains(&rest))
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|y| (1990..=2100).contains(y))
}

/// The plan period a title names: （2021—2025年）, 2021-2025年, or a five-year plan (“十四五”).
fn period_in_title(title: &str) -> Option<(i32, i32)> {
    const FIVE_YEAR_PLANS: [(&str, i32); 5] =
        [("十一五", 2006), ("十二五", 2011), ("十三五", 2016), ("十四五", 2021), ("十五五", 2026)];
    let years: Vec<i32> = title
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .filter(|y| (1990..=2100).contains(y))
        .collect();
    if let [start, end, ..] = years[..]
        && start < end
    {
        return Some((start, end));
    }
    FIVE_YEAR_PLANS.iter().find(|(name, _)| title.contains(name)).map(|(_, start)| (*start, start + 4))
}

/// Column roles of a header row; year columns are baseline then target.
fn header_columns(cells: &[Cell]) -> Option<Vec<Option<Column>>> {
    let mut cols: Vec<Option<Column>> = cells.iter().map(|c| column_of(&c.text)).collect();
    let years: Vec<(usize, i32)> =
        cells.iter().enumerate().filter_map(|(i, c)| year_header(&c.text).map(|y| (i, y))).collect();
    if let [(b, by), (t, ty)] = years[..] {
        cols[b] = Some(Column::Baseline(Some(by)));
        cols[t] = Some(Column::Target(Some(ty)));
    }
    let has = |want: fn(&Column) -> bool| cols.iter().flatten().any(want);
    let indicator = has(|c| *c == Column::Name) && has(|c| matches!(c, Column::Target(_)));
    let task = has(|c| *c == Column::Task) && has(|c| *c == Column::Lead);
    (indicator || task).then_some(cols)
}

fn is_group_heading(text: &str) -> Option<String> {
    let (number, rest) = text.split_once('、')?;
    (!number.is_empty() && number.chars().all(|c| "一二三四五六七八九十".contains(c)) && !rest.trim().is_empty())
        .then(|| rest.trim().to_owned())
}

/// An untabbed line that cannot continue a cell: an annex marker (附件2) or a heading (二、…).
fn ends_a_table(line: &str) -> bool {
    let t = line.trim();
    let annex = t.strip_prefix("附件").is_some_and(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_digit()));
    annex || is_group_heading(t).is_some()
}

/// The lines of the document as tables: each table a header and its rows of cells.
struct Table {
    columns: Vec<Option<Column>>,
    rows: Vec<Vec<Cell>>,
    /// Group headings (一、…) with the index of the row they precede.
    groups: Vec<(usize, String)>,
}

/// Splits a line into cells if it is a table line in one of the flattened forms.
fn split_row(line: &str) -> Option<Vec<String>> {
    if line.contains(" | ") || line.trim_start().starts_with('|') {
        let t = line.trim().trim_matches('|');
        return Some(t.split('|').map(|c| c.trim().to_owned()).collect());
    }
    if line.trim_start_matches('\t').contains('\t') {
        return Some(line.trim_start_matches('\t').split('\t').map(|c| c.trim().to_owned()).collect());
    }
    None
}

fn tables(lines: &[&str], warnings: &mut Vec<Finding>) -> Vec<Table> {
    // First, cells: one per tab-led line (continuing over untabbed lines), or several per
    // line when the line is split by tabs or bars. Rows end at blank lines or line ends.
    let mut flat: Vec<Vec<Cell>> = Vec::new();
    let mut current: Vec<Cell> = Vec::new();
    let mut in_cell = false;
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        // A group heading between the rows of a separated table (一、… on its own line).
        let between_rows =
            i > 0 && split_row(lines[i - 1]).is_some() && lines.get(i + 1).is_some_and(|l| split_row(l).is_some());
        if between_rows && is_group_heading(raw.trim()).is_some() {
            if !current.is_empty() {
                flat.push(std::mem::take(&mut current));
            }
            flat.push(vec![Cell { line: n, text: raw.trim().to_owned() }]);
            in_cell = false;
        } else if let Some(cells) = split_row(raw) {
            if !current.is_empty() {
                flat.push(std::mem::take(&mut current));
            }
            flat.push(cells.into_iter().map(|text| Cell { line: n, text }).collect());
            in_cell = false;
        } else if let Some(rest) = raw.strip_prefix('\t') {
            current.push(Cell { line: n, text: rest.trim().to_owned() });
            in_cell = true;
        } else if raw.trim().is_empty() {
            if !current.is_empty() {
                flat.push(std::mem::take(&mut current));
            }
            in_cell = false;
        } else if in_cell && !ends_a_table(raw) {
            if let Some(last) = current.last_mut() {
                last.text.push('\n');
                last.text.push_str(raw.trim());
            }
        } else if !current.is_empty() {
            flat.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        flat.push(current);
    }

    // Then tables: a header row, then rows of as many cells (rows split by a stray blank
    // line are joined; one-cell rows are group headings or the table's note).
    let mut out: Vec<Table> = Vec::new();
    let mut pending: Vec<Cell> = Vec::new();
    for mut group in flat {
        if let Some(columns) = header_columns(&group) {
            // One cell per line with no blank lines between rows: the header's cells come
            // first and the rows follow in the same run, to be cut by the header's width.
            let width =
                group.iter().take_while(|c| column_of(&c.text).is_some() || year_header(&c.text).is_some()).count();
            match header_columns(&group[..width]) {
                Some(header) if width < group.len() => {
                    out.push(Table { columns: header, rows: vec![], groups: vec![] });
                    pending.clear();
                    let cells = group.split_off(width);
                    let Some(table) = out.last_mut() else { continue };
                    pending.extend(cells);
                    while pending.len() >= width {
                        table.rows.push(pending.drain(..width).collect());
                    }
                }
                _ => {
                    out.push(Table { columns, rows: vec![], groups: vec![] });
                    pending.clear();
                }
            }
            continue;
        }
        let Some(table) = out.last_mut() else { continue };
        let width = table.columns.len();
        if pending.is_empty() && group.len() == 1 {
            let text = &group[0].text;
            if let Some(heading) = is_group_heading(text) {
                table.groups.push((table.rows.len(), heading));
            } else if !text.starts_with("备注") && !text.is_empty() {
                warnings.push(Finding {
                    at: format!("line {}", group[0].line),
                    message: format!("a one-cell row was not placed: {text:?}"),
                });
            }
            continue;
        }
        pending.extend(group);
        if pending.len() >= width {
            if pending.len() > width {
                warnings.push(Finding {
                    at: format!("line {}", pending[0].line),
                    message: format!(
                        "row has {} cells for {width} columns; the extra cells were not read",
                        pending.len()
                    ),
                });
            }
            table.rows.push(pending.drain(..).take(width).collect());
        }
    }
    if !pending.is_empty() {
        warnings.push(Finding {
            at: format!("line {}", pending[0].line),
            message: "an incomplete row at the end of a table".into(),
        });
    }
    out
}

pub fn read(text: &str) -> Reading {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let source = text.to_owned();
    let normalised = text.replace("\r\n", "\n");
    let lines: Vec<&str> = normalised.lines().collect();

    let issuer = lines.iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or_default().to_owned();
    let title = {
        let joined: String = lines.iter().take(40).map(|l| l.trim()).collect();
        joined.split_once('《').and_then(|(_, rest)| rest.split_once('》')).map(|(t, _)| t.to_owned())
    };
    let issued_on = lines.iter().take(60).find_map(|l| date(l));
    let visibility = if normalised.contains("此件公开发布") { Visibility::Public } else { Visibility::Internal };
    if title.is_none() {
        errors.push(Finding { at: "line 1".into(), message: "no plan title in 《…》 found near the start".into() });
    }
    if issued_on.is_none() {
        errors.push(Finding {
            at: "line 1".into(),
            message: "no issue date (such as 2022年1月11日) found near the start".into(),
        });
    }

    let mut areas: Vec<String> = Vec::new();
    let area = |name: &str, areas: &mut Vec<String>| {
        if !areas.iter().any(|a| a == name) {
            areas.push(name.to_owned());
        }
    };
    // Years left 0 here are filled in from the plan period once it is known.
    let mut indicators: Vec<IndicatorDef> = Vec::new();
    let mut tasks: Vec<TaskDef> = Vec::new();
    let mut notes = None;
    let mut years = (None, None);

    for table in tables(&lines, &mut warnings) {
        let col = |want: Column| table.columns.iter().position(|c| *c == Some(want));
        let find = |pred: fn(&Column) -> bool| table.columns.iter().position(|c| c.as_ref().is_some_and(pred));
        if let (Some(name_at), Some(target_at)) = (col(Column::Name), find(|c| matches!(c, Column::Target(_)))) {
            let baseline_at = find(|c| matches!(c, Column::Baseline(_)));
            let (by, ty) = match (baseline_at.and_then(|i| table.columns[i]), table.columns[target_at]) {
                (Some(Column::Baseline(b)), Some(Column::Target(t))) => (b, t),
                (_, Some(Column::Target(t))) => (None, t),
                _ => (None, None),
            };
            years = (by.or(years.0), ty.or(years.1));
            let mut category = String::from("主要指标");
            let mut per_area: std::collections::HashMap<String, usize> = Default::default();
            for (r, row) in table.rows.iter().enumerate() {
                if let Some((_, g)) = table.groups.iter().rev().find(|(at, _)| *at <= r) {
                    category = g.clone();
                }
                if let Some(c) = col(Column::Category).map(|i| row[i].text.replace('\n', "")).filter(|c| !c.is_empty())
                {
                    category = c;
                }
                area(&category, &mut areas);
                let at = format!("line {}", row[0].line);
                let name = row[name_at].text.replace('\n', "");
                let (target, comparator) = match number(&row[target_at].text) {
                    Ok((Some(t), c)) => (t, c.unwrap_or(Comparator::Ge)),
                    Ok((None, _)) | Err(_) => {
                        warnings.push(Finding {
                            at,
                            message: format!(
                                "indicator {name:?}: target {:?} is not a number; left out, enter it by hand",
                                row[target_at].text
                            ),
                        });
                        continue;
                    }
                };
                let baseline = match baseline_at.map(|i| number(&row[i].text)) {
                    Some(Ok((b, _))) => b,
                    Some(Err(e)) => {
                        warnings.push(Finding {
                            at: at.clone(),
                            message: format!("indicator {name:?}: baseline {e}; read as empty"),
                        });
                        None
                    }
                    None => None,
                };
                let area_index = areas.iter().position(|a| *a == category).unwrap_or(0) + 1;
                let n = per_area.entry(category.clone()).or_default();
                *n += 1;
                indicators.push(IndicatorDef {
                    code: format!("{area_index}.{n}"),
                    area: category.clone(),
                    name,
                    unit: col(Column::Unit)
                        .map(|i| row[i].text.clone())
                        .filter(|u| !u.is_empty())
                        .unwrap_or_else(|| "—".into()),
                    baseline_year: by.unwrap_or(0),
                    baseline_value: baseline,
                    target_year: ty.unwrap_or(0),
                    target_value: target,
                    comparator,
                    catalog_key: None,
                    notes: col(Column::Notes).map(|i| row[i].text.clone()).filter(|n| !n.is_empty()),
                });
            }
        } else if let (Some(task_at), Some(lead_at)) = (col(Column::Task), col(Column::Lead)) {
            let mut group = String::from("重点任务");
            for (r, row) in table.rows.iter().enumerate() {
                if let Some((_, g)) = table.groups.iter().rev().find(|(at, _)| *at <= r) {
                    group = g.clone();
                }
                area(&group, &mut areas);
                let seq =
                    col(Column::Seq).and_then(|i| row[i].text.trim().parse().ok()).unwrap_or(tasks.len() as i32 + 1);
                tasks.push(TaskDef {
                    area: group.clone(),
                    seq,
                    text: row[task_at].text.clone(),
                    due: col(Column::Deadline).and_then(|i| deadline(&row[i].text)),
                    lead: units(&row[lead_at].text),
                    responsible: col(Column::Responsible).map(|i| units(&row[i].text)).unwrap_or_default(),
                    cooperating: col(Column::Cooperating).map(|i| units(&row[i].text)).unwrap_or_default(),
                });
            }
        }
    }
    if let Some(line) = lines.iter().find(|l| l.trim_start().starts_with("备注")) {
        notes = line.trim().split_once('：').map(|(_, n)| n.trim().to_owned());
    }

    // Body paragraphs with a unit list, under numbered headings.
    let mut heading: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if let Some(h) = is_group_heading(t).filter(|_| !line.starts_with('\t')) {
            heading = Some(h);
            continue;
        }
        let numerals =
            ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）"];
        let Some(k) = numerals.iter().position(|n| t.starts_with(n)) else { continue };
        let body = &t[numerals[k].len()..];
        let Some(open) = body.rfind("（牵头").or_else(|| body.rfind("(牵头")) else { continue };
        let Some(area_name) = heading.clone() else {
            warnings.push(Finding {
                at: format!("line {}", i + 1),
                message: "a paragraph with units under no heading was not placed".into(),
            });
            continue;
        };
        area(&area_name, &mut areas);
        let list = body[open + "（".len()..].trim_end().trim_end_matches(['）', ')']);
        let mut task = TaskDef {
            area: area_name,
            seq: k as i32 + 1,
            text: body[..open].to_owned(),
            due: None,
            lead: vec![],
            responsible: vec![],
            cooperating: vec![],
        };
        for part in list.split(['；', ';']) {
            let Some((label, names)) = part.split_once(['：', ':']) else { continue };
            let names = units(names);
            match label.trim() {
                "牵头单位" | "牵头部门" => task.lead.extend(names),
                "责任单位" | "责任部门" => task.responsible.extend(names),
                "配合单位" | "配合部门" => task.cooperating.extend(names),
                other => warnings.push(Finding {
                    at: format!("line {}", i + 1),
                    message: format!("unknown unit label {other:?}; its units were not read"),
                }),
            }
        }
        tasks.push(task);
    }

    let (baseline_year, target_year) = years;
    if indicators.is_empty() && tasks.is_empty() {
        errors.push(Finding {
            at: "document".into(),
            message: "no indicator table, task table or task paragraph was recognised".into(),
        });
    }
    // The period: the value columns' years, else the title's, else the year of issue.
    let titled = title.as_deref().and_then(period_in_title);
    let period_end = target_year
        .or(titled.map(|(_, end)| end))
        .unwrap_or_else(|| issued_on.map_or(0, |d| chrono::Datelike::year(&d)));
    let period_start = baseline_year.map(|b| b + 1).or(titled.map(|(start, _)| start)).unwrap_or(period_end);
    for indicator in &mut indicators {
        if indicator.baseline_year == 0 {
            indicator.baseline_year = period_start - 1;
        }
        if indicator.target_year == 0 {
            indicator.target_year = period_end;
        }
    }
    let document = (errors.is_empty()).then(|| PlanDocument {
        format: FORMAT.to_owned(),
        title: title.unwrap_or_default(),
        issuer,
        document_number: None,
        issued_on: issued_on.unwrap_or_default(),
        period_start,
        period_end,
        visibility,
        status: PlanStatus::Published,
        notes,
        source_text: Some(source),
        areas: areas.into_iter().map(|name| AreaDef { name }).collect(),
        indicators,
        tasks,
    });
    Reading { document, warnings, errors }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use shared::plan_document::Due;

    fn seed() -> PlanDocument {
        let mut doc =
            crate::ops::seed::parse_bundle("qianjiang.json", crate::ops::seed::BUNDLES[0].1).unwrap().plans.remove(0);
        // Catalog keys are a mapping made after reading, not part of the published text.
        for i in &mut doc.indicators {
            i.catalog_key = None;
        }
        doc
    }

    #[test]
    fn the_published_seed_text_reads_as_the_seed_document() {
        let seed = seed();
        let reading = read(seed.source_text.as_deref().unwrap());
        assert_eq!(reading.errors, vec![]);
        assert_eq!(reading.warnings, vec![], "every row placed");
        let doc = reading.document.unwrap();
        assert_eq!(doc.areas, seed.areas);
        for (a, b) in doc.indicators.iter().zip(&seed.indicators) {
            assert_eq!(a, b);
        }
        for (a, b) in doc.tasks.iter().zip(&seed.tasks) {
            assert_eq!(a, b);
        }
        assert_eq!(doc, seed);
    }

    #[test]
    fn other_layouts_of_the_family_read_too() {
        // Bars, other column names and order, other years, targets in words, no blank lines.
        let text = "某某县人民政府办公室\n关于印发《某某县数字经济发展规划》的通知\n2023年3月5日\n（此件公开发布）\n\
                    附件1\n\
                    | 一级指标 | 二级指标 | 单位 | 2022年 | 2027年 |\n\
                    | 数字产业 | 数字经济增加值 | 亿元 | 12.5 | 30 |\n\
                    |  | 软件企业 | 家 | —— | ≥20 |\n\
                    | 数字治理 | 政务服务网办率 | % | 80 | 定性指标 |\n\
                    附件2\n\
                    序号\t重点任务\t完成时限\t牵头部门\t配合单位\n\
                    一、数字产业\n\
                    1\t建设数据中心\t2025年\t县经信局\t县发改委、县财政局\n\
                    2\t培育软件企业\t长期\t县科技局\t\n";
        let reading = read(text);
        assert_eq!(reading.errors, vec![]);
        let doc = reading.document.unwrap();
        assert_eq!((doc.title.as_str(), doc.period_start, doc.period_end), ("某某县数字经济发展规划", 2023, 2027));
        assert_eq!(doc.visibility, Visibility::Public);
        assert_eq!(doc.indicators.len(), 2, "the qualitative target is left out with a warning");
        assert_eq!(doc.indicators[1].area, "数字产业");
        assert_eq!(doc.indicators[1].comparator, Comparator::Ge);
        assert_eq!(doc.indicators[1].baseline_value, None);
        assert!(reading.warnings.iter().any(|w| w.message.contains("定性指标") && w.at.starts_with("line ")));
        assert_eq!(doc.tasks.len(), 2);
        assert_eq!(doc.tasks[0].cooperating, ["县发改委", "县财政局"]);
        assert_eq!(doc.tasks[1].due, Some(Due::Ongoing));
        assert_eq!(doc.tasks[0].area, "数字产业");
    }

    #[test]
    fn periods_are_read_from_titles() {
        assert_eq!(period_in_title("某某区生态环境保护规划（2021—2025年）"), Some((2021, 2025)));
        assert_eq!(period_in_title("某某县“十四五”数字经济发展规划"), Some((2021, 2025)));
        assert_eq!(period_in_title("某某县乡村振兴规划"), None);
        assert_eq!(
            [year_header("2020年基数"), year_header("2025 目标值"), year_header("2025年以后")],
            [Some(2020), Some(2025), None]
        );
    }

    #[test]
    fn one_cell_per_line_without_year_headers_takes_the_period_from_the_title() {
        // Cells one per tab-led line with no blank lines between rows, 评价标准 and 责任单位
        // columns, a target in words, the period only in the title, body paragraphs.
        let text = "某某区人民政府\n关于印发《某某区生态环境保护规划（2021—2025年）》的通知\n2021年9月30日\n\
                    一、总体要求\n到2025年，生态环境质量持续改善。\n\
                    二、主要任务\n\
                    （一）加强大气污染防治。推进工业废气治理。（牵头单位：区生态环境局；配合单位：区经济信息委、区交通局）\n\
                    （二）保护水环境。（牵头单位：区水利局）\n\
                    附件1\n某某区生态环境保护主要指标\n\
                    \t类别\n\t指标名称\n\t单位\n\t基期值\n\t目标值\n\t评价标准\n\
                    \t环境质量\n\t空气质量优良天数比例\n\t%\n\t88\n\t≥90\n\t约束性\n\
                    \t\n\tPM2.5年均浓度\n\t微克/立方米\n\t35\n\t≤32\n\t约束性\n\
                    \t生态保护\n\t森林覆盖率\n\t%\n\t50.2\n\t较上一年增加\n\t预期性\n\
                    附件2\n重点任务清单\n\
                    \t序号\n\t重点任务\n\t责任单位\n\t牵头单位\n\t完成时限\n\
                    \t1\n\t建成区级空气质量监测\n网络\n\t各街道\n\t区生态环境局\n\t2023年底前\n\
                    \t2\n\t推进河长制\n\t各镇街\n\t区水利局\n\t持续推进\n";
        let reading = read(text);
        assert_eq!(reading.errors, vec![]);
        let doc = reading.document.unwrap();
        assert_eq!((doc.period_start, doc.period_end), (2021, 2025));
        assert_eq!(doc.visibility, Visibility::Internal, "not marked 此件公开发布");
        let names: Vec<&str> = doc.indicators.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["空气质量优良天数比例", "PM2.5年均浓度"]);
        let pm = &doc.indicators[1];
        assert_eq!(
            (pm.area.as_str(), pm.comparator, pm.baseline_year, pm.target_year),
            ("环境质量", Comparator::Le, 2020, 2025)
        );
        assert_eq!(pm.notes.as_deref(), Some("约束性"));
        assert!(reading.warnings.iter().any(|w| w.message.contains("较上一年增加")), "{:?}", reading.warnings);
        let body: Vec<&TaskDef> = doc.tasks.iter().filter(|t| t.area == "主要任务").collect();
        assert_eq!(body.len(), 2);
        assert_eq!(body[0].cooperating, ["区经济信息委", "区交通局"]);
        let listed: Vec<&TaskDef> = doc.tasks.iter().filter(|t| t.area != "主要任务").collect();
        assert_eq!(listed[0].text, "建成区级空气质量监测\n网络");
        assert_eq!(
            (listed[0].lead.as_slice(), listed[0].responsible.as_slice()),
            (&["区生态环境局".to_owned()][..], &["各街道".to_owned()][..])
        );
        assert_eq!(listed[0].due, Some(Due::Year(2023)));
        assert_eq!(listed[1].due, Some(Due::Ongoing));
    }

    #[test]
    fn bar_tables_with_other_headers_and_tab_rows_read_too() {
        // Indicators as tab-separated rows with 2020年基数/2025年目标 and 属性 headers; tasks as
        // a bar table with group headings between rows.
        let text = "某某县发展和改革委员会\n关于印发《某某县乡村振兴规划》的通知\n2022年6月1日\n此件公开发布\n\
                    指标\t单位\t2020年基数\t2025年目标\t属性\n\
                    农村居民人均可支配收入\t元\t15,230\t22000\t预期性\n\
                    农村自来水普及率\t%\t85\t≥95\t约束性\n\
                    | 序号 | 主要任务 | 牵头部门 | 配合部门 | 时间节点 |\n\
                    一、产业兴旺\n\
                    | 1 | 发展特色种植 | 县农业农村委 | 各乡镇 | 2024年 |\n\
                    二、生态宜居\n\
                    | 1 | 改造农村厕所 | 县农业农村委 | 县卫生健康委、各乡镇 | 长期 |\n";
        let reading = read(text);
        assert_eq!(reading.errors, vec![]);
        let doc = reading.document.unwrap();
        assert_eq!((doc.period_start, doc.period_end), (2021, 2025));
        assert_eq!(doc.indicators[0].baseline_value, Some(Decimal::from(15230)));
        assert_eq!(doc.indicators[0].area, "主要指标", "no category column: one area");
        assert_eq!(doc.indicators[1].notes.as_deref(), Some("约束性"));
        let areas: Vec<&str> = doc.tasks.iter().map(|t| t.area.as_str()).collect();
        assert_eq!(areas, ["产业兴旺", "生态宜居"]);
        assert_eq!(doc.tasks[1].cooperating, ["县卫生健康委", "各乡镇"]);
        assert_eq!(doc.tasks[1].seq, 1);
    }

    #[test]
    fn text_without_a_plan_is_an_error_not_a_panic() {
        for text in ["", "hello", "\t\t\t", "《》", "关于印发《X》的通知\n2020年13月40日", "|a|b|\n|c|"] {
            let reading = read(text);
            assert!(!reading.errors.is_empty(), "{text:?} should not read as a plan");
        }
        assert!(!crate::import::read(&[0xff, 0xfe]).errors.is_empty());
    }

    #[test]
    fn damaged_and_arbitrary_inputs_never_panic() {
        let seed = seed().source_text.unwrap();
        let lines: Vec<&str> = seed.lines().collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..300 {
            // The seed with lines dropped or swapped, cut at a random place.
            let mut copy: Vec<&str> = lines.clone();
            for _ in 0..(next() % 20) {
                let i = (next() as usize) % copy.len();
                if next() % 2 == 0 {
                    copy.remove(i);
                } else {
                    let j = (next() as usize) % copy.len();
                    copy.swap(i, j);
                }
            }
            let text = copy.join("\n");
            let cut =
                text.char_indices().map(|(i, _)| i).nth((next() as usize) % text.chars().count().max(1)).unwrap_or(0);
            let _ = read(&text[..cut]);
            let _ = read(&text);
            // Arbitrary bytes, through every reader's door.
            let bytes: Vec<u8> = (0..(next() % 400)).map(|_| next() as u8).collect();
            let _ = crate::import::read(&bytes);
        }
    }
}
